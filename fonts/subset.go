package fonts

import (
	"fmt"
	"slices"
)

// Composite glyph flags.
const (
	argsAreWords    = 0x0001
	weHaveScale     = 0x0008
	moreComponents  = 0x0020
	weHaveXYScale   = 0x0040
	weHaveTwoByTwo  = 0x0080
	compositeHeader = 10
)

// Subset returns a fresh TrueType file holding only the glyphs for runes
// (plus .notdef and the components of composite glyphs), with a format 4
// cmap, that fpdf's AddUTF8FontFromBytes loads. Runes the font lacks, and
// runes above U+FFFF, are left out. The same set of runes, in any order and
// with any duplicates, always gives the same bytes.
func (f *Font) Subset(runes []rune) ([]byte, error) {
	rs := slices.Clone(runes)
	slices.Sort(rs)
	rs = slices.Compact(rs)
	e, err := f.subset(nil, rs, false)
	return e.TTF, err
}

// Embedded is a subset for a PDF (EmbedSubset).
type Embedded struct {
	TTF []byte
	// GIDs holds the glyph id in TTF of each rune (0: the font lacks it).
	GIDs []uint16
	// Source holds, for each glyph of TTF, its id in the font when its data
	// is the font's as is (padded to 4 bytes), NoSource for a composite
	// glyph, whose components are renumbered.
	Source []uint16
}

// NoSource marks a glyph of a subset whose data is not the font's.
const NoSource = 0xFFFF

// NumGlyphs is the number of glyphs in the font.
func (f *Font) NumGlyphs() int { return f.numGlyphs }

// EmbedSubset appends to dst a TrueType file for embedding in a PDF as the
// FontFile2 of a CIDFontType2 font: the glyphs of runes (sorted, distinct)
// and only the tables such a font needs (glyf, head, hhea, hmtx, loca,
// maxp: PDF 32000-1:2008, 9.9; the PDF's CIDToGIDMap and ToUnicode do the
// work of cmap, and its font descriptor that of OS/2, name and post). The
// same runes always give the same bytes.
func (f *Font) EmbedSubset(dst []byte, runes []rune) (Embedded, error) {
	if !slices.IsSorted(runes) {
		return Embedded{}, fmt.Errorf("fonts: EmbedSubset: runes not sorted")
	}
	return f.subset(dst, runes, true)
}

// subset builds the file for rs (sorted, distinct), appended to dst; pdf
// leaves out the tables a PDF does not read.
func (f *Font) subset(dst []byte, rs []rune, pdf bool) (Embedded, error) {

	// New glyph order: .notdef, then the characters' glyphs in code point
	// order (so runs of characters get runs of glyph ids and few cmap
	// segments), then composite components.
	seen := make([]uint64, (f.numGlyphs+63)/64)
	mark := func(g uint16) bool {
		w, b := g/64, uint64(1)<<(g%64)
		if seen[w]&b != 0 {
			return false
		}
		seen[w] |= b
		return true
	}
	glyphs := make([]uint16, 1, len(rs)+1) // new id → old id
	mark(0)
	chars := make([]cmapEntry, 0, len(rs))
	ids := make([]uint16, len(rs))
	for i, r := range rs {
		g := f.glyphID(r)
		if g == 0 {
			continue
		}
		var n uint16
		if mark(g) {
			n = uint16(len(glyphs))
			glyphs = append(glyphs, g)
		} else { // a glyph shared by two characters (rare)
			n = uint16(slices.Index(glyphs, g))
		}
		ids[i] = n
		chars = append(chars, cmapEntry{code: uint16(r), new: n})
	}
	composite := false
	for i := 0; i < len(glyphs); i++ {
		data := f.glyphData(glyphs[i])
		if len(data) < compositeHeader || int16(be.Uint16(data)) >= 0 {
			continue
		}
		composite = true
		err := walkComponents(data, func(pos int) {
			if c := be.Uint16(data[pos:]); int(c) < f.numGlyphs && mark(c) {
				glyphs = append(glyphs, c)
			}
		})
		if err != nil {
			return Embedded{}, fmt.Errorf("fonts: %s glyph %d: %w", f.name, glyphs[i], err)
		}
	}
	if len(glyphs) > 0xFFFF {
		return Embedded{}, fmt.Errorf("fonts: %s: too many glyphs", f.name)
	}
	source := slices.Clone(glyphs)
	var newID map[uint16]uint16 // old → new, to renumber components
	if composite {
		newID = make(map[uint16]uint16, len(glyphs))
		for n, o := range glyphs {
			newID[o] = uint16(n)
		}
	}

	// Sizes.
	glyfLen := 0
	for _, g := range glyphs {
		glyfLen += pad4(len(f.glyphData(g)))
	}
	tbl := []table{ // sorted by tag
		{tag: "glyf", size: glyfLen},
		{tag: "head", size: len(f.head)},
		{tag: "hhea", size: len(f.hhea)},
		{tag: "hmtx", size: 4 * len(glyphs)},
		{tag: "loca", size: 4 * (len(glyphs) + 1)},
		{tag: "maxp", size: len(f.maxp)},
	}
	if !pdf {
		tbl = append([]table{{tag: "OS/2", data: f.os2}, {tag: "cmap", data: buildCmap(chars)}}, tbl...)
		tbl = append(tbl, table{tag: "name", data: f.nameTbl}, table{tag: "post", size: 32})
	}
	at := func(tag string) int {
		return slices.IndexFunc(tbl, func(t table) bool { return t.tag == tag })
	}
	off := 12 + 16*len(tbl)
	for i := range tbl {
		if tbl[i].data != nil {
			tbl[i].size = len(tbl[i].data)
		}
		tbl[i].off = off
		off += pad4(tbl[i].size)
	}
	start := len(dst)
	buf := slices.Grow(dst, off)[:start+off]
	out := buf[start:]
	clear(out)

	// Header.
	be.PutUint32(out, 0x00010000)
	be.PutUint16(out[4:], uint16(len(tbl)))
	sr, es := 1, 0
	for sr*2 <= len(tbl) {
		sr *= 2
		es++
	}
	be.PutUint16(out[6:], uint16(16*sr))
	be.PutUint16(out[8:], uint16(es))
	be.PutUint16(out[10:], uint16(16*(len(tbl)-sr)))

	// Tables.
	var headOff int
	var glyfSum uint32 // from the glyphs' precomputed checksums
	for _, t := range tbl {
		w := out[t.off : t.off+t.size]
		switch t.tag {
		case "glyf":
			loca := out[tbl[at("loca")].off:]
			hmtx := out[tbl[at("hmtx")].off:]
			p, sum := 0, uint32(0)
			for n, g := range glyphs {
				be.PutUint32(loca[4*n:], uint32(p))
				aw, lsb := f.metrics(int(g))
				be.PutUint16(hmtx[4*n:], aw)
				be.PutUint16(hmtx[4*n+2:], lsb)
				data := f.glyphData(g)
				copy(w[p:], data)
				if composite && len(data) >= compositeHeader && int16(be.Uint16(data)) < 0 {
					cw := w[p : p+len(data)]
					_ = walkComponents(cw, func(pos int) {
						be.PutUint16(cw[pos:], newID[be.Uint16(cw[pos:])])
					})
					source[n] = NoSource
					sum += checksum(cw)
				} else {
					sum += f.glyphSum[g]
				}
				p += pad4(len(data))
			}
			be.PutUint32(loca[4*len(glyphs):], uint32(p))
			glyfSum = sum
		case "head":
			headOff = t.off
			copy(w, f.head)
			be.PutUint32(w[8:], 0)  // checkSumAdjustment, set below
			be.PutUint16(w[50:], 1) // indexToLocFormat: long
		case "hhea":
			copy(w, f.hhea)
			be.PutUint16(w[34:], uint16(len(glyphs)))
		case "maxp":
			copy(w, f.maxp)
			be.PutUint16(w[4:], uint16(len(glyphs)))
		case "post":
			be.PutUint32(w, 0x00030000) // format 3: no glyph names
			copy(w[4:16], f.post[4:16])
		case "hmtx", "loca":
			// written with glyf
		default:
			copy(w, t.data)
		}
	}
	// The file's checksum is the directory's plus the tables' (each table
	// is padded to 4 bytes).
	var total uint32
	for i, t := range tbl {
		rec := out[12+16*i:]
		copy(rec, t.tag)
		sum := glyfSum
		if t.tag != "glyf" {
			sum = checksum(out[t.off : t.off+pad4(t.size)])
		}
		be.PutUint32(rec[4:], sum)
		be.PutUint32(rec[8:], uint32(t.off))
		be.PutUint32(rec[12:], uint32(t.size))
		total += sum
	}
	total += checksum(out[:12+16*len(tbl)])
	be.PutUint32(out[headOff+8:], 0xB1B0AFBA-total)
	return Embedded{TTF: buf, GIDs: ids, Source: source}, nil
}

type table struct {
	tag       string
	data      []byte
	off, size int
}

type cmapEntry struct{ code, new uint16 }

// glyphData is the glyf entry of glyph g (empty for blank glyphs).
func (f *Font) glyphData(g uint16) []byte {
	return f.glyf[f.loca[g]:f.loca[g+1]]
}

// walkComponents calls fn with the offset of each component's glyph index
// in the composite glyph data.
func walkComponents(data []byte, fn func(pos int)) error {
	p := compositeHeader
	for {
		if p+4 > len(data) {
			return fmt.Errorf("composite glyph truncated")
		}
		flags := be.Uint16(data[p:])
		fn(p + 2)
		p += 4
		if flags&argsAreWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&weHaveScale != 0:
			p += 2
		case flags&weHaveXYScale != 0:
			p += 4
		case flags&weHaveTwoByTwo != 0:
			p += 8
		}
		if flags&moreComponents == 0 {
			return nil
		}
	}
}

// buildCmap writes a cmap table with one (3,1) format 4 subtable. chars are
// sorted by code; each segment is a run of consecutive codes with
// consecutive glyph ids, mapped with idDelta alone.
func buildCmap(chars []cmapEntry) []byte {
	segs := 1 // the final 0xFFFF segment
	for i := range chars {
		if i == 0 || !continues(chars[i-1], chars[i]) {
			segs++
		}
	}
	subLen := 16 + 8*segs
	out := make([]byte, 12+subLen)
	be.PutUint16(out[2:], 1) // one encoding record
	be.PutUint16(out[4:], 3)
	be.PutUint16(out[6:], 1)
	be.PutUint32(out[8:], 12)
	t := out[12:]
	be.PutUint16(t, 4)
	be.PutUint16(t[2:], uint16(subLen))
	be.PutUint16(t[6:], uint16(2*segs))
	sr, es := 1, 0
	for sr*2 <= segs {
		sr *= 2
		es++
	}
	be.PutUint16(t[8:], uint16(2*sr))
	be.PutUint16(t[10:], uint16(es))
	be.PutUint16(t[12:], uint16(2*(segs-sr)))
	ends, starts := t[14:], t[16+2*segs:]
	deltas := t[16+4*segs:] // idRangeOffsets (after deltas) stay 0
	s := -1
	for i, c := range chars {
		if i == 0 || !continues(chars[i-1], c) {
			s++
			be.PutUint16(starts[2*s:], c.code)
			be.PutUint16(deltas[2*s:], c.new-c.code)
		}
		be.PutUint16(ends[2*s:], c.code)
	}
	s++
	be.PutUint16(ends[2*s:], 0xFFFF)
	be.PutUint16(starts[2*s:], 0xFFFF)
	be.PutUint16(deltas[2*s:], 1)
	return out
}

func continues(a, b cmapEntry) bool { return b.code == a.code+1 && b.new == a.new+1 }

func pad4(n int) int { return (n + 3) &^ 3 }

// checksum is the sfnt checksum of b padded with zeros to 4 bytes.
func checksum(b []byte) uint32 {
	var sum uint32
	for len(b) >= 8 {
		x := be.Uint64(b)
		sum += uint32(x>>32) + uint32(x)
		b = b[8:]
	}
	for len(b) >= 4 {
		sum += be.Uint32(b)
		b = b[4:]
	}
	if len(b) > 0 {
		var last [4]byte
		copy(last[:], b)
		sum += be.Uint32(last[:])
	}
	return sum
}
