package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

var be = binary.BigEndian

// Font is a TrueType font parsed once. It is immutable and safe for
// concurrent use.
type Font struct {
	name        string
	upm         int
	numGlyphs   int
	numHMetrics int

	// Raw tables copied into every subset (read-only views of the embedded file).
	head, hhea, maxp, os2, nameTbl, post []byte

	glyf     []byte
	loca     []uint32 // numGlyphs+1 offsets into glyf
	glyphSum []uint32 // checksum of each glyph's data padded to 4 bytes
	hmtx     []byte
	bmp      []uint16 // glyph id for each BMP code point; 0 = none
}

// parse reads the tables of a TrueType (glyf-flavoured) sfnt file.
func parse(name string, data []byte) (*Font, error) {
	if len(data) < 12 {
		return nil, errors.New("file too short")
	}
	switch v := be.Uint32(data); v {
	case 0x00010000, 0x74727565: // TrueType, 'true'
	case 0x4F54544F:
		return nil, errors.New("CFF-flavoured OpenType, not TrueType")
	case 0x74746366:
		return nil, errors.New("font collection, not a single font")
	default:
		return nil, fmt.Errorf("not an sfnt file (version %#x)", v)
	}
	n := int(be.Uint16(data[4:]))
	if len(data) < 12+16*n {
		return nil, errors.New("table directory truncated")
	}
	tables := make(map[string][]byte, n)
	for i := range n {
		rec := data[12+16*i:]
		tag := string(rec[:4])
		off, length := int64(be.Uint32(rec[8:])), int64(be.Uint32(rec[12:]))
		if off+length > int64(len(data)) {
			return nil, fmt.Errorf("table %q out of bounds", tag)
		}
		tables[tag] = data[off : off+length : off+length]
	}
	for _, tag := range []string{"head", "hhea", "maxp", "OS/2", "name", "post", "cmap", "hmtx", "loca", "glyf"} {
		if tables[tag] == nil {
			return nil, fmt.Errorf("missing table %q", tag)
		}
	}
	f := &Font{
		name: name, head: tables["head"], hhea: tables["hhea"], maxp: tables["maxp"],
		os2: tables["OS/2"], nameTbl: tables["name"], post: tables["post"],
		glyf: tables["glyf"], hmtx: tables["hmtx"],
	}
	if len(f.head) < 54 || len(f.hhea) < 36 || len(f.maxp) < 6 || len(f.post) < 32 {
		return nil, errors.New("head, hhea, maxp or post table too short")
	}
	f.upm = int(be.Uint16(f.head[18:]))
	if f.upm < 16 || f.upm > 16384 {
		return nil, fmt.Errorf("bad unitsPerEm %d", f.upm)
	}
	if be.Uint16(f.head[52:]) != 0 {
		return nil, errors.New("unknown glyphDataFormat")
	}
	f.numGlyphs = int(be.Uint16(f.maxp[4:]))
	f.numHMetrics = int(be.Uint16(f.hhea[34:]))
	if f.numGlyphs == 0 || f.numHMetrics == 0 || f.numHMetrics > f.numGlyphs {
		return nil, errors.New("bad glyph or metrics count")
	}
	if len(f.hmtx) < 4*f.numHMetrics+2*(f.numGlyphs-f.numHMetrics) {
		return nil, errors.New("hmtx table too short")
	}
	if err := f.parseLoca(tables["loca"], int16(be.Uint16(f.head[50:]))); err != nil {
		return nil, err
	}
	if err := f.parseCmap(tables["cmap"]); err != nil {
		return nil, fmt.Errorf("cmap: %w", err)
	}
	return f, nil
}

func (f *Font) parseLoca(loca []byte, format int16) error {
	f.loca = make([]uint32, f.numGlyphs+1)
	switch format {
	case 0:
		if len(loca) < 2*(f.numGlyphs+1) {
			return errors.New("loca table too short")
		}
		for i := range f.loca {
			f.loca[i] = 2 * uint32(be.Uint16(loca[2*i:]))
		}
	case 1:
		if len(loca) < 4*(f.numGlyphs+1) {
			return errors.New("loca table too short")
		}
		for i := range f.loca {
			f.loca[i] = be.Uint32(loca[4*i:])
		}
	default:
		return fmt.Errorf("unknown indexToLocFormat %d", format)
	}
	for i := range f.numGlyphs {
		if f.loca[i] > f.loca[i+1] || f.loca[i+1] > uint32(len(f.glyf)) {
			return fmt.Errorf("loca entry %d out of order or bounds", i)
		}
	}
	f.glyphSum = make([]uint32, f.numGlyphs)
	for i := range f.glyphSum {
		f.glyphSum[i] = checksum(f.glyf[f.loca[i]:f.loca[i+1]])
	}
	return nil
}

// parseCmap fills f.bmp from the best Unicode subtable: format 12 if present
// (BMP part only), else format 4.
func (f *Font) parseCmap(cmap []byte) error {
	if len(cmap) < 4 {
		return errors.New("too short")
	}
	n := int(be.Uint16(cmap[2:]))
	if len(cmap) < 4+8*n {
		return errors.New("encoding records truncated")
	}
	var sub4, sub12 []byte
	for i := range n {
		rec := cmap[4+8*i:]
		pid, eid, off := be.Uint16(rec), be.Uint16(rec[2:]), int(be.Uint32(rec[4:]))
		if !(pid == 0 || (pid == 3 && (eid == 1 || eid == 10))) || off+4 > len(cmap) {
			continue
		}
		switch be.Uint16(cmap[off:]) {
		case 4:
			if sub4 == nil {
				sub4 = cmap[off:]
			}
		case 12:
			if sub12 == nil {
				sub12 = cmap[off:]
			}
		}
	}
	f.bmp = make([]uint16, 0x10000)
	switch {
	case sub12 != nil:
		return f.readCmap12(sub12)
	case sub4 != nil:
		return f.readCmap4(sub4)
	}
	return errors.New("no Unicode subtable of format 4 or 12")
}

func (f *Font) readCmap4(t []byte) error {
	if len(t) < 14 {
		return errors.New("format 4 too short")
	}
	segX2 := int(be.Uint16(t[6:]))
	if segX2%2 != 0 || len(t) < 16+4*segX2 {
		return errors.New("format 4 truncated")
	}
	ends, starts := t[14:], t[16+segX2:]
	deltas, rangeOffs := t[16+2*segX2:], t[16+3*segX2:]
	for s := 0; s < segX2; s += 2 {
		end, start := int(be.Uint16(ends[s:])), int(be.Uint16(starts[s:]))
		delta, ro := be.Uint16(deltas[s:]), int(be.Uint16(rangeOffs[s:]))
		for c := start; c <= end && c <= 0xFFFF; c++ {
			var g uint16
			if ro == 0 {
				g = uint16(c) + delta
			} else {
				p := 16 + 3*segX2 + s + ro + 2*(c-start)
				if p+2 > len(t) {
					continue
				}
				if g = be.Uint16(t[p:]); g != 0 {
					g += delta
				}
			}
			f.setGlyph(c, g)
		}
	}
	return nil
}

func (f *Font) readCmap12(t []byte) error {
	if len(t) < 16 {
		return errors.New("format 12 too short")
	}
	n := int(be.Uint32(t[12:]))
	if n < 0 || len(t) < 16+12*n {
		return errors.New("format 12 truncated")
	}
	for i := range n {
		g := t[16+12*i:]
		start, end, gid := be.Uint32(g), be.Uint32(g[4:]), be.Uint32(g[8:])
		for c := start; c <= end && c <= 0xFFFF; c++ {
			f.setGlyph(int(c), uint16(gid+c-start))
		}
	}
	return nil
}

func (f *Font) setGlyph(c int, g uint16) {
	if c == 0xFFFF || int(g) >= f.numGlyphs {
		return
	}
	f.bmp[c] = g
}

// glyphID returns the glyph for r, 0 when the font has none.
func (f *Font) glyphID(r rune) uint16 {
	if r < 0 || r > 0xFFFF {
		return 0
	}
	return f.bmp[r]
}

// metrics returns the advance width and left side bearing of glyph g in font units.
func (f *Font) metrics(g int) (advance uint16, lsb uint16) {
	if g < f.numHMetrics {
		return be.Uint16(f.hmtx[4*g:]), be.Uint16(f.hmtx[4*g+2:])
	}
	return be.Uint16(f.hmtx[4*(f.numHMetrics-1):]), be.Uint16(f.hmtx[4*f.numHMetrics+2*(g-f.numHMetrics):])
}

// Name is the font's short name, e.g. "FandolFang".
func (f *Font) Name() string { return f.name }

// UnitsPerEm is the font's design units per em.
func (f *Font) UnitsPerEm() int { return f.upm }

// Has reports whether the font has a glyph for r. Characters above U+FFFF are
// never drawable (fpdf reads only format 4 cmaps).
func (f *Font) Has(r rune) bool { return f.glyphID(r) != 0 }

// Advance is r's advance width in 1/1000 em, rounded as fpdf rounds PDF glyph
// widths, so Advance(r)*size/1000 equals fpdf's GetStringWidth for r at size
// points. It is 0 when the font lacks r.
func (f *Font) Advance(r rune) float64 {
	g := f.glyphID(r)
	if g == 0 {
		return 0
	}
	aw, _ := f.metrics(int(g))
	if aw >= 1<<15 { // fpdf treats these as 0
		return 0
	}
	return math.Round(1000 / float64(f.upm) * float64(aw)) // the same expression as fpdf
}
