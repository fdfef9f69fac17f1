package render

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"codeberg.org/go-pdf/fpdf"

	"penaltydoc/fonts"
)

// Render embeds the fonts itself instead of through fpdf's UTF-8 font path,
// which costs ~3 ms and ~4 MB per font and document even for a font of one
// glyph (a JSON dump of a 65,536-entry width table, a second subsetting, a
// 128 KB CIDToGIDMap, fresh zlib writers).
//
// fpdf lays out the pages with a core font as a placeholder per font slot
// (placeholderFamily); its metrics are never used (docFont.width replaces
// fpdf's GetStringWidth). Text is passed to fpdf already encoded: two bytes
// per character, big-endian, the character's CID. fpdf writes such strings
// into the content stream as they are (escaping only parentheses,
// backslashes and carriage returns, as PDF requires). A document's CIDs
// number its characters per font in code point order: 1 for the lowest, 2
// for the next and so on (CIDs are not glyph ids, so that two characters
// sharing a glyph keep their own ToUnicode entries). The post-pass (finishPDF) then replaces each placeholder font
// object with a Type0 font (Identity-H) and appends its CIDFontType2
// descendant, font descriptor, FontFile2 (the subset from package fonts),
// ToUnicode CMap and CIDToGIDMap.
//
// The font file is one deflate block in a code fixed per font, each
// glyph's bits computed once per process (deflate.go).

// Squeezed punctuation (squeezePunct) is drawn with half-wide variants of
// the marks, so that text extraction sees each mark as wide as the space
// it takes: a closing mark's own glyph with half its advance, an opening
// mark's glyph moved left by half its advance (a composite glyph that
// newDocFont adds to the subset). In op strings a variant is the mark plus
// halfVariant or shiftVariant: private use code points outside the BMP,
// which the typesetter never takes from text. Each variant has a CID of
// its own, mapped back to the mark by the ToUnicode CMap.
const (
	halfVariant  = 0xF0000  // plane 15
	shiftVariant = 0x100000 // plane 16
)

// variantOf returns the mark of a variant and the variant's kind (0 for
// an ordinary character).
func variantOf(r rune) (rune, rune) {
	switch {
	case r >= shiftVariant:
		return r - shiftVariant, shiftVariant
	case r >= halfVariant:
		return r - halfVariant, halfVariant
	}
	return r, 0
}

// placeholderFamily are the fpdf core fonts that stand in for the font
// slots; placeholderBase are their PDF names, by which finishPDF finds them.
var (
	placeholderFamily = [nFonts]string{"helvetica", "times", "courier"}
	placeholderBase   = [nFonts]string{"Helvetica", "Times-Roman", "Courier"}
)

// placeholderDefs are fpdf font definitions of the placeholders: a core
// font's type and name without its width table. SetFont would otherwise
// parse the core font's JSON (256 widths) for every document; these are
// registered instead, and fpdf writes the same font object from them.
var placeholderDefs = func() (defs [nFonts][]byte) {
	for i, base := range placeholderBase {
		defs[i] = []byte(`{"Tp":"Core","Name":"` + base + `","Up":-100,"Ut":50}`)
	}
	return defs
}()

// addPlaceholders registers the placeholder fonts of the slots in use.
func addPlaceholders(pdf *fpdf.Fpdf, fonts *[nFonts]*docFont) {
	for slot, df := range fonts {
		if df != nil {
			pdf.AddFontFromReader(placeholderFamily[slot], "", bytes.NewReader(placeholderDefs[slot]))
		}
	}
}

// subsetNames are the embedded fonts' PDF names: a subset tag, "+", the
// font's name.
var subsetNames = [nFonts]string{"PDAAAA+FandolFang", "PDAAAB+NotoSerifSC", "PDAAAC+NotoSerifSC-Bold"}

// embedder is what writing a PDF needs of a font (fonts.Font satisfies it).
type embedder interface {
	Advance(r rune) float64
	Subset(runes []rune) ([]byte, error)
	EmbedSubset(dst []byte, runes []rune) (fonts.Embedded, error)
	NumGlyphs() int
}

var errEncode = errors.New("render: character outside the font's subset")

// docFont is one font slot of one document.
type docFont struct {
	slot  int
	runes []rune   // sorted, distinct; CID i+1 is runes[i] (variants last)
	gids  []uint16 // CID → glyph id in sub; gids[0] = 0
	sub   []byte   // TrueType subset (EmbedSubset), in subBuf
	// source is the font's glyph id of each glyph of sub whose data is the
	// font's (fonts.NoSource for others; glyphs added after it have none)
	source []uint16
	desc   fpdf.FontDescType
	face   embedder
	coder  *fontCoder
	err    error // first encoding failure
	// set, when not nil, holds runes (ranked): CIDs of the BMP's
	// characters without a binary search
	set *usedSet

	subBuf, shiftBuf *[]byte // pooled (shiftBuf nil without variants); see release
}

func newDocFont(slot int, face embedder, runes []rune) (*docFont, error) {
	if len(runes) > 0xFFFE {
		return nil, fmt.Errorf("render: %d characters in one font", len(runes))
	}
	chars := runes // the characters the subset needs
	variants, halves := 0, 0
	if i, _ := slices.BinarySearch(runes, halfVariant); i < len(runes) {
		chars = slices.Clone(runes[:i])
		for _, r := range runes[i:] {
			base, kind := variantOf(r)
			chars = append(chars, base)
			variants++
			if kind == halfVariant {
				halves++
			}
		}
		slices.Sort(chars)
		chars = slices.Compact(chars)
	}
	sp := subsetPool.Get().(*[]byte)
	e, err := face.EmbedSubset((*sp)[:0], chars)
	if err != nil {
		subsetPool.Put(sp)
		return nil, fmt.Errorf("subset font %s: %w", subsetNames[slot], err)
	}
	sub, ids := e.TTF, e.GIDs
	*sp = sub
	gids := make([]uint16, len(runes)+1)
	// the glyphs to add half as wide, for the variants (the half ones
	// first): a variant has a glyph of its own whose advance is its /W
	// width, as PDF/A wants (ISO 19005-2 6.2.11.5)
	var bases []uint16
	for i, r := range runes {
		base, kind := variantOf(r)
		if j, ok := slices.BinarySearch(chars, base); ok {
			gids[i+1] = ids[j]
		}
		if kind != 0 {
			bases = append(bases, gids[i+1])
		}
	}
	var shiftBuf *[]byte
	if variants > 0 {
		var first uint16
		shiftBuf = subsetPool.Get().(*[]byte)
		if sub, first, err = addShifted((*shiftBuf)[:0], sub, bases, halves); err != nil {
			subsetPool.Put(sp)
			subsetPool.Put(shiftBuf)
			return nil, fmt.Errorf("subset font %s: %w", subsetNames[slot], err)
		}
		*shiftBuf = sub
		k := len(runes) - variants // the variants come last
		for i := range variants {
			gids[k+i+1] = first + uint16(i)
		}
	}
	desc, err := descriptor(face)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", subsetNames[slot], err)
	}
	coder, err := coderFor(face)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", subsetNames[slot], err)
	}
	return &docFont{slot: slot, runes: runes, gids: gids, sub: sub, source: e.Source, subBuf: sp, shiftBuf: shiftBuf, desc: desc, face: face, coder: coder}, nil
}

// release returns df's pooled buffers; df is unusable afterwards.
func (df *docFont) release() {
	for _, b := range []*[]byte{df.subBuf, df.shiftBuf} {
		if b != nil && cap(*b) <= 1<<20 {
			subsetPool.Put(b)
		}
	}
	df.subBuf, df.shiftBuf, df.sub = nil, nil, nil
}

// subsetPool holds buffers for the per-document font subsets.
var subsetPool = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// coders holds each face's fontCoder, built on first use.
var coders sync.Map // embedder → func() (*fontCoder, error)

func coderFor(face embedder) (*fontCoder, error) {
	f, ok := coders.Load(face)
	if !ok {
		f, _ = coders.LoadOrStore(face, sync.OnceValues(func() (*fontCoder, error) {
			sample, err := face.Subset(coderSample)
			if err != nil {
				return nil, err
			}
			return newFontCoder(sample, face.NumGlyphs())
		}))
	}
	return f.(func() (*fontCoder, error))()
}

// coderSample are the characters whose glyphs a font's code is built
// from: ASCII, CJK and fullwidth punctuation, and every 16th ideograph.
var coderSample = func() []rune {
	var rs []rune
	for r := rune(0x20); r < 0x7F; r++ {
		rs = append(rs, r)
	}
	for r := rune(0x3000); r < 0x3020; r++ {
		rs = append(rs, r)
	}
	for r := rune(0x4E00); r < 0xA000; r += 16 {
		rs = append(rs, r)
	}
	for r := rune(0xFF01); r < 0xFF5F; r++ {
		rs = append(rs, r)
	}
	return rs
}()

// advance is r's advance in 1/1000 em, half the mark's for a variant.
func (df *docFont) advance(r rune) float64 {
	base, kind := variantOf(r)
	if kind != 0 {
		return df.face.Advance(base) / 2
	}
	return df.face.Advance(r)
}

// encode turns s into two-byte CIDs. A character not in the subset (a bug in
// the caller) becomes CID 0 and is reported by finishPDF.
func (df *docFont) encode(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		i, ok := slices.BinarySearch(df.runes, r)
		if !ok {
			if df.err == nil {
				df.err = fmt.Errorf("%w: %q in %s", errEncode, r, subsetNames[df.slot])
			}
			b = append(b, 0, 0)
			continue
		}
		b = binary.BigEndian.AppendUint16(b, uint16(i+1))
	}
	return string(b)
}

// appendEncoded appends encode(s) to b escaped for a PDF string literal
// as fpdf escapes it: a backslash before each parenthesis and backslash,
// a carriage return as \r.
func (df *docFont) appendEncoded(b []byte, s string) []byte {
	for _, r := range s {
		i, ok := 0, false
		if df.set != nil && r < 0x10000 {
			i, ok = df.set.index(r)
		} else {
			i, ok = slices.BinarySearch(df.runes, r)
		}
		if !ok {
			if df.err == nil {
				df.err = fmt.Errorf("%w: %q in %s", errEncode, r, subsetNames[df.slot])
			}
			i = -1
		}
		for _, c := range [2]byte{byte((i + 1) >> 8), byte(i + 1)} {
			switch c {
			case '\\', '(', ')':
				b = append(b, '\\', c)
			case '\r':
				b = append(b, '\\', 'r')
			default:
				b = append(b, c)
			}
		}
	}
	return b
}

// width is the width of s in mm at size pt, as fpdf's GetStringWidth
// computes it for a font that has all of s.
func (df *docFont) width(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		w += df.advance(r)
	}
	return w * size / 1000 * mmPerPt
}

// descriptors caches the font descriptor values per face: fpdf parses a
// subset with only .notdef once per process. The values come from the head,
// hhea, OS/2 and post tables and the .notdef advance, which every subset
// copies unchanged.
var descriptors sync.Map // embedder → fpdf.FontDescType

func descriptor(face embedder) (fpdf.FontDescType, error) {
	if d, ok := descriptors.Load(face); ok {
		return d.(fpdf.FontDescType), nil
	}
	sub, err := face.Subset(nil)
	if err != nil {
		return fpdf.FontDescType{}, err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("probe", "", sub)
	if pdf.Err() {
		return fpdf.FontDescType{}, fmt.Errorf("read font metrics: %w", pdf.Error())
	}
	d := pdf.GetFontDesc("probe", "")
	if d.Ascent == 0 && d.Descent == 0 && d.StemV == 0 {
		return fpdf.FontDescType{}, errors.New("read font metrics: fpdf could not parse the font")
	}
	descriptors.Store(face, d)
	return d, nil
}

// fontObjects appends the objects of df after its Type0 font: the
// CIDFontType2 font (number first), font descriptor (first+1), FontFile2
// (first+2), ToUnicode (first+3) and CIDToGIDMap (first+4).
// scratch is spare room, grown as needed.
func (df *docFont) fontObjects(out *bytes.Buffer, offs []int, first int, scratch *[]byte) error {
	name := subsetNames[df.slot]
	d := df.desc

	offs[first] = out.Len()
	fmt.Fprintf(out, "%d 0 obj\n<</Type /Font /Subtype /CIDFontType2 /BaseFont /%s\n"+
		"/CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>>\n"+
		"/FontDescriptor %d 0 R /CIDToGIDMap %d 0 R /DW 1000\n/W [", first, name, first+1, first+4)
	df.appendWidths(out)
	out.WriteString("]>>\nendobj\n")

	offs[first+1] = out.Len()
	flags := (d.Flags | 4) &^ 32 // symbolic, not non-symbolic (as fpdf)
	fmt.Fprintf(out, "%d 0 obj\n<</Type /FontDescriptor /FontName /%s /Flags %d\n"+
		"/FontBBox [%d %d %d %d] /ItalicAngle %d /Ascent %d /Descent %d /CapHeight %d /StemV %d /MissingWidth %d\n"+
		"/FontFile2 %d 0 R>>\nendobj\n",
		first+1, name, flags, d.FontBBox.Xmin, d.FontBBox.Ymin, d.FontBBox.Xmax, d.FontBBox.Ymax,
		d.ItalicAngle, d.Ascent, d.Descent, d.CapHeight, d.StemV, d.MissingWidth, first+2)

	ff, err := df.coder.appendFontFile((*scratch)[:0], df.sub, df.source)
	keep(scratch, ff)
	if err != nil {
		return fmt.Errorf("font %s: %w", name, err)
	}
	offs[first+2] = out.Len()
	fmt.Fprintf(out, "%d 0 obj\n<</Length %d /Filter /FlateDecode /Length1 %d>>\nstream\n", first+2, len(ff), len(df.sub))
	out.Write(ff)
	out.WriteString("\nendstream\nendobj\n")

	tu := df.toUnicode((*scratch)[:0])
	keep(scratch, tu)
	keep(scratch, putStream(out, offs, first+3, tu, tu[len(tu):]))
	m := (*scratch)[:0]
	for _, g := range df.gids {
		m = binary.BigEndian.AppendUint16(m, g)
	}
	keep(scratch, m)
	// the map's high bytes are mostly zero and its low bytes all differ:
	// literals in a code of their own (gidMapCode)
	z := gidMapCode().appendZlibLiterals(m[len(m):], m)
	keep(scratch, z)
	writeStream(out, offs, first+4, z)
	return nil
}

// keep makes b's array the scratch buffer if it is larger.
func keep(scratch *[]byte, b []byte) {
	if cap(b) > cap(*scratch) {
		*scratch = b[:0]
	}
}

// appendWidths writes the /W entries: runs of CIDs of one width as
// "first last width"; CIDs of the default width 1000 are left out.
func (df *docFont) appendWidths(out *bytes.Buffer) {
	b := out.AvailableBuffer()
	for i := 0; i < len(df.runes); {
		w := int(df.advance(df.runes[i]))
		j := i + 1
		for j < len(df.runes) && int(df.advance(df.runes[j])) == w {
			j++
		}
		if w != 1000 {
			b = strconv.AppendInt(b, int64(i+1), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(j), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(w), 10)
			b = append(b, ' ')
		}
		i = j
	}
	out.Write(b)
}

// toUnicode is the ToUnicode CMap: bfrange entries for runs of CIDs whose
// characters follow each other (within one high byte of both, as CMaps
// require), bfchar entries for the other CIDs (a third shorter).
func (df *docFont) toUnicode(b []byte) []byte {
	rs := make([]rng, 0, len(df.runes))
	for i, r := range df.runes {
		r, _ = variantOf(r)
		cid := i + 1
		if n := len(rs); n > 0 {
			l := &rs[n-1]
			if cid == l.hi+1 && int(r) == l.r+cid-l.lo && cid>>8 == l.lo>>8 && int(r)>>8 == l.r>>8 {
				l.hi = cid
				continue
			}
		}
		rs = append(rs, rng{cid, cid, int(r)})
	}
	b = append(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"+
		"/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n"+
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"+
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"...)
	ranges := rs[:0:0]
	singles := 0
	for _, r := range rs {
		if r.lo == r.hi {
			rs[singles] = r
			singles++
		} else {
			ranges = append(ranges, r)
		}
	}
	b = appendCMapBlocks(b, "bfchar", rs[:singles], func(b []byte, r rng) []byte {
		return appendHex4(append(appendHex4(append(b, '<'), r.lo), "> <"...), r.r)
	})
	b = appendCMapBlocks(b, "bfrange", ranges, func(b []byte, r rng) []byte {
		b = appendHex4(append(appendHex4(append(b, '<'), r.lo), "> <"...), r.hi)
		return appendHex4(append(b, "> <"...), r.r)
	})
	b = append(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"...)
	return b
}

// rng maps CIDs lo to hi to the characters from r on.
type rng struct{ lo, hi, r int }

// appendCMapBlocks appends the entries of rs as blocks of at most 100
// (begin<kind> … end<kind>), each entry written by entry and a ">\n".
func appendCMapBlocks(b []byte, kind string, rs []rng, entry func([]byte, rng) []byte) []byte {
	for len(rs) > 0 {
		n := min(len(rs), 100)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(append(append(b, " begin"...), kind...), '\n')
		for _, r := range rs[:n] {
			b = append(entry(b, r), ">\n"...)
		}
		b = append(append(append(b, "end"...), kind...), '\n')
		rs = rs[n:]
	}
	return b
}

// appendHex4 appends v as four upper-case hex digits.
func appendHex4(b []byte, v int) []byte {
	const digits = "0123456789ABCDEF"
	return append(b, digits[v>>12&15], digits[v>>8&15], digits[v>>4&15], digits[v&15])
}

// putStream writes object num as a stream of data, compressed with the
// fixed code (the streams are small), appended to scratch[:0], which it
// returns.
func putStream(out *bytes.Buffer, offs []int, num int, data, scratch []byte) []byte {
	z := appendZlibFixed(scratch[:0], data)
	writeStream(out, offs, num, z)
	return z
}

// writeStream writes object num as a stream of z, zlib data.
func writeStream(out *bytes.Buffer, offs []int, num int, z []byte) {
	offs[num] = out.Len()
	fmt.Fprintf(out, "%d 0 obj\n<</Length %d /Filter /FlateDecode>>\nstream\n", num, len(z))
	out.Write(z)
	out.WriteString("\nendstream\nendobj\n")
}

var errFont = errors.New("render: unexpected TrueType structure")

// sfntTable returns the named table of a TrueType file.
func sfntTable(ttf []byte, tag string) ([]byte, error) {
	t, _, err := sfntTableAt(ttf, tag)
	return t, err
}

// sfntTableAt returns the named table of a TrueType file and its offset.
func sfntTableAt(ttf []byte, tag string) ([]byte, int, error) {
	if len(ttf) < 12 {
		return nil, 0, errFont
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	if len(ttf) < 12+16*n {
		return nil, 0, errFont
	}
	for i := range n {
		rec := ttf[12+16*i:]
		if string(rec[:4]) != tag {
			continue
		}
		off, l := uint64(binary.BigEndian.Uint32(rec[8:])), uint64(binary.BigEndian.Uint32(rec[12:]))
		if off+l > uint64(len(ttf)) {
			return nil, 0, errFont
		}
		return ttf[off : off+l], int(off), nil
	}
	return nil, 0, fmt.Errorf("%w: no %s table", errFont, tag)
}

// glyphRanges returns the offsets in ttf where the glyphs start, and after
// them the end of the last one (nil when the glyph table is empty).
func glyphRanges(ttf []byte) ([]int, error) {
	be := binary.BigEndian
	head, err := sfntTable(ttf, "head")
	if err != nil {
		return nil, err
	}
	maxp, err := sfntTable(ttf, "maxp")
	if err != nil {
		return nil, err
	}
	loca, err := sfntTable(ttf, "loca")
	if err != nil {
		return nil, err
	}
	glyf, base, err := sfntTableAt(ttf, "glyf")
	if err != nil {
		return nil, err
	}
	if len(head) < 54 || len(maxp) < 6 {
		return nil, errFont
	}
	n := int(be.Uint16(maxp[4:]))
	long := be.Uint16(head[50:]) == 1
	if (long && len(loca) < 4*(n+1)) || (!long && len(loca) < 2*(n+1)) {
		return nil, errFont
	}
	if len(glyf) == 0 {
		return nil, nil
	}
	offs := make([]int, n+1)
	for i := range offs {
		var o int
		if long {
			o = int(be.Uint32(loca[4*i:]))
		} else {
			o = 2 * int(be.Uint16(loca[2*i:]))
		}
		if o > len(glyf) || (i > 0 && o < offs[i-1]-base) {
			return nil, fmt.Errorf("%w: loca", errFont)
		}
		offs[i] = base + o
	}
	return offs, nil
}

// addShifted appends to dst ttf (a subset from package fonts: long loca, one
// metric per glyph) with one composite glyph appended per glyph of bases:
// that glyph half as wide, moved left by half its advance except for the
// first unmoved. It returns the id of the first glyph added; the others
// follow.
func addShifted(dst, ttf []byte, bases []uint16, unmoved int) ([]byte, uint16, error) {
	be := binary.BigEndian
	if len(ttf) < 12 {
		return nil, 0, errFont
	}
	n := int(be.Uint16(ttf[4:]))
	if len(ttf) < 12+16*n {
		return nil, 0, errFont
	}
	type table struct {
		tag  string
		data []byte
		sum  uint32
	}
	tables := make([]table, n)
	idx := map[string]int{}
	for i := range n {
		rec := ttf[12+16*i:]
		off, l := uint64(be.Uint32(rec[8:])), uint64(be.Uint32(rec[12:]))
		if off+l > uint64(len(ttf)) {
			return nil, 0, errFont
		}
		tables[i] = table{string(rec[:4]), ttf[off : off+l], be.Uint32(rec[4:])}
		idx[tables[i].tag] = i
	}
	get := func(tag string, min int) []byte {
		if i, ok := idx[tag]; ok && len(tables[i].data) >= min {
			return tables[i].data
		}
		return nil
	}
	head, maxp, hhea := get("head", 54), get("maxp", 32), get("hhea", 36)
	hmtx, loca, glyf := get("hmtx", 0), get("loca", 0), get("glyf", 0)
	if head == nil || maxp == nil || hhea == nil || hmtx == nil || loca == nil || glyf == nil {
		return nil, 0, fmt.Errorf("%w: tables for shifted glyphs", errFont)
	}
	num := int(be.Uint16(maxp[4:]))
	if be.Uint16(head[50:]) != 1 || int(be.Uint16(hhea[34:])) != num || len(hmtx) != 4*num ||
		len(loca) != 4*(num+1) || len(glyf)%4 != 0 || num+len(bases) > 0xFFFF {
		return nil, 0, fmt.Errorf("%w: subset layout", errFont)
	}

	// the composite glyphs: header, one component (words, x-y offsets), 20 bytes
	const size = 20
	addGlyf := make([]byte, size*len(bases))
	addLoca := make([]byte, 4*len(bases))
	addHmtx := make([]byte, 4*len(bases))
	depth := uint16(1)
	for k, g := range bases {
		if int(g) >= num {
			return nil, 0, errFont
		}
		start, end := be.Uint32(loca[4*int(g):]), be.Uint32(loca[4*int(g)+4:])
		if start > end || int(end) > len(glyf) {
			return nil, 0, fmt.Errorf("%w: loca", errFont)
		}
		aw := int16(be.Uint16(hmtx[4*int(g):]))
		dx := -(aw / 2)
		if k < unmoved {
			dx = 0
		}
		c := addGlyf[size*k:]
		be.PutUint16(c, 0xFFFF) // numberOfContours -1: composite
		if src := glyf[start:end]; len(src) >= 10 {
			if int16(be.Uint16(src)) < 0 {
				depth = max(depth, be.Uint16(maxp[30:])+1)
			}
			be.PutUint16(c[2:], uint16(int16(be.Uint16(src[2:]))+dx)) // xMin
			copy(c[4:6], src[4:6])                                    // yMin
			be.PutUint16(c[6:], uint16(int16(be.Uint16(src[6:]))+dx)) // xMax
			copy(c[8:10], src[8:10])                                  // yMax
		}
		be.PutUint16(c[10:], 0x0003) // ARG_1_AND_2_ARE_WORDS | ARGS_ARE_XY_VALUES
		be.PutUint16(c[12:], g)
		be.PutUint16(c[14:], uint16(dx))
		be.PutUint32(addLoca[4*k:], uint32(len(glyf)+size*(k+1)))
		be.PutUint16(addHmtx[4*k:], uint16(aw-aw/2))
		copy(addHmtx[4*k+2:4*k+4], c[2:4]) // lsb = xMin
	}
	newMaxp := slices.Clone(maxp)
	be.PutUint16(newMaxp[4:], uint16(num+len(bases)))
	be.PutUint16(newMaxp[10:], max(be.Uint16(maxp[10:]), be.Uint16(maxp[6:]))) // maxCompositePoints
	be.PutUint16(newMaxp[12:], max(be.Uint16(maxp[12:]), be.Uint16(maxp[8:]))) // maxCompositeContours
	be.PutUint16(newMaxp[28:], max(be.Uint16(maxp[28:]), 1))                   // maxComponentElements
	be.PutUint16(newMaxp[30:], max(be.Uint16(maxp[30:]), depth))               // maxComponentDepth
	newHhea := slices.Clone(hhea)
	be.PutUint16(newHhea[34:], uint16(num+len(bases)))
	newHead := slices.Clone(head)
	be.PutUint32(newHead[8:], 0)

	// the file: the same tables in the same order
	grown := map[string][]byte{"glyf": addGlyf, "loca": addLoca, "hmtx": addHmtx}
	replaced := map[string][]byte{"maxp": newMaxp, "hhea": newHhea, "head": newHead}
	total := 12 + 16*n
	for _, t := range tables {
		total += pad4(len(t.data) + len(grown[t.tag]))
	}
	out := slices.Grow(dst[:0], total)[:12+16*n]
	copy(out, ttf[:12])
	var fileSum uint32
	headAt := 0
	for i, t := range tables {
		at := len(out)
		sum := t.sum
		switch {
		case replaced[t.tag] != nil:
			out = append(out, replaced[t.tag]...)
			sum = ttfChecksum(replaced[t.tag])
		case grown[t.tag] != nil:
			out = append(out, t.data...)
			out = append(out, grown[t.tag]...)
			if t.tag == "glyf" { // 4-aligned: the old sum holds
				sum += ttfChecksum(grown[t.tag])
			} else {
				sum = ttfChecksum(out[at:])
			}
		default:
			out = append(out, t.data...)
		}
		if t.tag == "head" {
			headAt = at
		}
		l := len(out) - at
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		rec := out[12+16*i:]
		copy(rec, t.tag)
		be.PutUint32(rec[4:], sum)
		be.PutUint32(rec[8:], uint32(at))
		be.PutUint32(rec[12:], uint32(l))
		fileSum += sum
	}
	fileSum += ttfChecksum(out[:12+16*n])
	be.PutUint32(out[headAt+8:], 0xB1B0AFBA-fileSum)
	return out, uint16(num), nil
}

// ttfChecksum is the TrueType table checksum of b (zero-padded to 4 bytes).
func ttfChecksum(b []byte) uint32 {
	var sum uint32
	for len(b) >= 4 {
		sum += binary.BigEndian.Uint32(b)
		b = b[4:]
	}
	if len(b) > 0 {
		var last [4]byte
		copy(last[:], b)
		sum += binary.BigEndian.Uint32(last[:])
	}
	return sum
}

func pad4(n int) int { return (n + 3) &^ 3 }
