package render

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"penaltydoc/fonts"
	"penaltydoc/rules"
)

// TestFontFileStream: the font file assembled from cached deflate pieces
// inflates to the subset, and its bytes do not depend on the cache.
func TestFontFileStream(t *testing.T) {
	text := "中华人民共和国行政处罚法第三十二条，当事人（刘䶮）ABC abc 0123456789。“”《》—…"
	for _, f := range []*fonts.Font{fonts.FangSong(), fonts.Song(), fonts.SongBold()} {
		var runes []rune
		for _, r := range text {
			if f.Has(r) {
				runes = append(runes, r)
			}
		}
		slices.Sort(runes)
		runes = slices.Compact(runes)
		for _, rs := range [][]rune{nil, runes[:1], runes} {
			e, err := f.EmbedSubset(nil, rs)
			if err != nil {
				t.Fatal(err)
			}
			sub := e.TTF
			var first []byte
			// cold (for these glyphs), warm, and without the cache
			for _, source := range [][]uint16{e.Source, e.Source, nil} {
				c, err := coderFor(f)
				if err != nil {
					t.Fatal(err)
				}
				z, err := c.appendFontFile(nil, sub, source)
				if err != nil {
					t.Fatalf("%s: %v", f.Name(), err)
				}
				zr, err := zlib.NewReader(bytes.NewReader(z))
				if err != nil {
					t.Fatalf("%s: %v", f.Name(), err)
				}
				got, err := io.ReadAll(zr) // checks the Adler-32 too
				if err != nil {
					t.Fatalf("%s, %d runes: inflate: %v", f.Name(), len(rs), err)
				}
				if !bytes.Equal(got, sub) {
					t.Fatalf("%s, %d runes: font file does not inflate to the subset", f.Name(), len(rs))
				}
				if first != nil && !bytes.Equal(first, z) {
					t.Errorf("%s, %d runes: compressed font file depends on the cache", f.Name(), len(rs))
				}
				first = z
			}
		}
	}
}

// TestFontFileConcurrent fills the glyph cache from several goroutines
// (run with -race).
func TestFontFileConcurrent(t *testing.T) {
	f := fonts.FangSong()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			var rs []rune
			for r := rune(0x4E00 + 50*i); len(rs) < 100; r++ {
				if f.Has(r) {
					rs = append(rs, r)
				}
			}
			e, err := f.EmbedSubset(nil, rs)
			if err != nil {
				t.Error(err)
				return
			}
			sub := e.TTF
			c, err := coderFor(f)
			if err != nil {
				t.Error(err)
				return
			}
			z, err := c.appendFontFile(nil, sub, e.Source)
			if err != nil {
				t.Error(err)
				return
			}
			zr, err := zlib.NewReader(bytes.NewReader(z))
			if err != nil {
				t.Error(err)
				return
			}
			if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, sub) {
				t.Errorf("font file does not inflate to the subset (%v)", err)
			}
		})
	}
	wg.Wait()
}

// TestDocFontCIDs: CIDs number the characters in code point order and map
// to the subset's glyphs for them.
func TestDocFontCIDs(t *testing.T) {
	f := fonts.FangSong()
	runes := []rune(" (),0\\一丁七万")
	slices.Sort(runes)
	df, err := newDocFont(fontBody, f, runes)
	if err != nil {
		t.Fatal(err)
	}
	enc := df.encode("一(\\")
	want := []byte{0, byte(slices.Index(runes, '一') + 1), 0, byte(slices.Index(runes, '(') + 1), 0, byte(slices.Index(runes, '\\') + 1)}
	if enc != string(want) {
		t.Errorf("encode = % x, want % x", enc, want)
	}
	for cid, g := range df.gids[1:] {
		if g == 0 {
			t.Errorf("CID %d (%q) has no glyph", cid+1, runes[cid])
		}
	}
	if df.encode("丐"); df.err == nil {
		t.Error("a character outside the subset was encoded without error")
	}
	tu := string(df.toUnicode(nil))
	for _, l := range []string{"<0001> <0020>\n", "<0002> <0003> <0028>\n", "<0007> <0008> <4E00>\n"} {
		if !strings.Contains(tu, l) {
			t.Errorf("ToUnicode lacks %q:\n%s", l, tu)
		}
	}
}

// TestToUnicodeRanges: a bfrange stays within one high byte of the CIDs and
// of the characters, single CIDs are bfchar entries, a block has at most
// 100 entries, and every CID is mapped once.
func TestToUnicodeRanges(t *testing.T) {
	var runes []rune
	for r := rune(0x4EF0); r < 0x4F10; r++ { // crosses U+4F00
		runes = append(runes, r)
	}
	for r := rune(0x5000); len(runes) < 300; r += 2 { // CIDs cross 0x0100; 268 single CIDs
		runes = append(runes, r)
	}
	tu := string((&docFont{runes: runes}).toUnicode(nil))
	for _, l := range []string{"2 beginbfrange\n<0001> <0010> <4EF0>\n<0011> <0020> <4F00>\n", "100 beginbfchar", "68 beginbfchar"} {
		if !strings.Contains(tu, l) {
			t.Errorf("ToUnicode lacks %q", l)
		}
	}
	re := regexp.MustCompile(`<([0-9A-F]{4})> <([0-9A-F]{4})> <([0-9A-F]{4})>`)
	n := 0
	for _, m := range re.FindAllStringSubmatch(tu, -1) {
		lo, _ := strconv.ParseUint(m[1], 16, 16)
		hi, _ := strconv.ParseUint(m[2], 16, 16)
		dst, _ := strconv.ParseUint(m[3], 16, 16)
		if lo>>8 != hi>>8 || dst>>8 != (dst+hi-lo)>>8 {
			t.Errorf("range %v crosses a high byte", m[0])
		}
		for c := lo; c <= hi; c++ {
			if runes[c-1] != rune(dst+c-lo) {
				t.Errorf("CID %d maps to U+%04X, want %q", c, dst+c-lo, runes[c-1])
			}
			n++
		}
	}
	char := regexp.MustCompile(`(?m)^<([0-9A-F]{4})> <([0-9A-F]{4})>$`)
	for _, block := range regexp.MustCompile(`(?s)beginbfchar\n(.*?)endbfchar`).FindAllStringSubmatch(tu, -1) {
		for _, m := range char.FindAllStringSubmatch(block[1], -1) {
			c, _ := strconv.ParseUint(m[1], 16, 16)
			dst, _ := strconv.ParseUint(m[2], 16, 16)
			if c == 0 || runes[c-1] != rune(dst) {
				t.Errorf("CID %d maps to U+%04X", c, dst)
				continue
			}
			n++
		}
	}
	if n != len(runes) {
		t.Errorf("%d CIDs mapped, want %d", n, len(runes))
	}
}

// TestEmbeddedFontObjects: no placeholder font is left, each font has its
// objects, and the /W widths are the fonts' advances.
func TestEmbeddedFontObjects(t *testing.T) {
	pdf := render(t, rules.KindPenaltyDecision, SampleData(rules.KindPenaltyDecision, rules.PartyPerson))
	for _, base := range placeholderBase {
		if bytes.Contains(pdf, []byte("/BaseFont /"+base)) {
			t.Errorf("placeholder %s left in the PDF", base)
		}
	}
	for _, s := range []string{"/Subtype /Type0 /BaseFont /PDAAAA+FandolFang", "/Subtype /CIDFontType2 /BaseFont /PDAAAA+FandolFang",
		"/FontName /PDAAAA+FandolFang", "/Subtype /Type0 /BaseFont /PDAAAC+NotoSerifSC-Bold"} {
		if !bytes.Contains(pdf, []byte(s)) {
			t.Errorf("PDF lacks %q", s)
		}
	}
	if n := bytes.Count(pdf, []byte("/Length1 ")); n != 2 {
		t.Errorf("%d font files, want 2", n)
	}
	m := regexp.MustCompile(`/Size (\d+)\n`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no /Size in the trailer")
	}
	size, _ := strconv.Atoi(string(m[1]))
	if got := bytes.Count(pdf, []byte(" 0 obj\n")); got != size-1 {
		t.Errorf("%d objects, trailer /Size %d", got, size)
	}
}

// glyphBox returns the horizontal ink extent of r's glyph in f (font
// units), ok false for an empty glyph.
func glyphBox(t *testing.T, f *fonts.Font, r rune) (xMin, xMax int, ok bool) {
	t.Helper()
	e, err := f.EmbedSubset(nil, []rune{r})
	if err != nil {
		t.Fatal(err)
	}
	sub, ids := e.TTF, e.GIDs
	offs, err := glyphRanges(sub)
	if err != nil {
		t.Fatal(err)
	}
	g := ids[0]
	data := sub[offs[g]:offs[g+1]]
	if len(data) < 10 {
		return 0, 0, false
	}
	return int(int16(binary.BigEndian.Uint16(data[2:]))), int(int16(binary.BigEndian.Uint16(data[6:]))), true
}

// TestSqueezableInk: the marks squeezePunct squeezes are full width in the
// fonts, with their ink on the half it keeps (the left half of a closing
// mark, the right half of an opening one).
func TestSqueezableInk(t *testing.T) {
	for _, f := range []*fonts.Font{fonts.FangSong(), fonts.Song(), fonts.SongBold()} {
		half := f.UnitsPerEm() / 2
		for r := rune(0x2000); r < 0x10000; r++ {
			kind := squeezable(r)
			if kind == 0 || !f.Has(r) {
				continue
			}
			if f.Advance(r) != 1000 {
				t.Errorf("%s %q: advance %v", f.Name(), r, f.Advance(r))
			}
			lo, hi, ok := glyphBox(t, f, r)
			if ok && (kind == 'c' && hi > half || kind == 'o' && lo < half) {
				t.Errorf("%s %q (%c): ink %d..%d crosses the middle", f.Name(), r, kind, lo, hi)
			}
		}
	}
}

// TestAddShifted: the composite glyphs added for squeezed opening marks
// are their glyphs moved left by half the advance, half as wide, and the
// file's checksums hold.
func TestAddShifted(t *testing.T) {
	be := binary.BigEndian
	f := fonts.FangSong()
	runes := []rune("一（《“")
	slices.Sort(runes)
	e, err := f.EmbedSubset(nil, runes)
	if err != nil {
		t.Fatal(err)
	}
	sub, ids := e.TTF, e.GIDs
	gid := func(r rune) uint16 { i, _ := slices.BinarySearch(runes, r); return ids[i] }
	bases := []uint16{gid('（'), gid('“')}
	out, first, err := addShifted(nil, sub, bases, 0)
	if err != nil {
		t.Fatal(err)
	}
	maxp, _ := sfntTable(out, "maxp")
	hmtx, _ := sfntTable(out, "hmtx")
	if n := int(be.Uint16(maxp[4:])); n != int(first)+len(bases) || int(first) != len(runes)+1 {
		t.Fatalf("%d glyphs, first added %d", n, first)
	}
	offs, err := glyphRanges(out)
	if err != nil {
		t.Fatal(err)
	}
	for k, b := range bases {
		g := int(first) + k
		data := out[offs[g]:offs[g+1]]
		aw := int16(be.Uint16(hmtx[4*int(b):]))
		if int16(be.Uint16(data)) != -1 || be.Uint16(data[12:]) != b || int16(be.Uint16(data[14:])) != -aw/2 {
			t.Errorf("glyph %d: % x", g, data)
		}
		if got := int16(be.Uint16(hmtx[4*g:])); got != aw/2 {
			t.Errorf("glyph %d advance %d, want %d", g, got, aw/2)
		}
		lo, _, _ := glyphBox(t, f, []rune("（“")[k])
		if got := int(int16(be.Uint16(data[2:]))); got != lo-int(aw/2) {
			t.Errorf("glyph %d xMin %d, want %d", g, got, lo-int(aw/2))
		}
	}
	// every table's checksum, and the whole file's
	n := int(be.Uint16(out[4:]))
	for i := range n {
		rec := out[12+16*i:]
		off, l := be.Uint32(rec[8:]), be.Uint32(rec[12:])
		tb := slices.Clone(out[off : off+l])
		if string(rec[:4]) == "head" {
			be.PutUint32(tb[8:], 0)
		}
		if ttfChecksum(tb) != be.Uint32(rec[4:]) {
			t.Errorf("table %s: checksum %08x, want %08x", rec[:4], be.Uint32(rec[4:]), ttfChecksum(tb))
		}
	}
	if s := ttfChecksum(out); s != 0xB1B0AFBA {
		t.Errorf("file checksum %08x", s)
	}
	// a document font with the variants: CIDs after the characters, the
	// variants' widths half, ToUnicode back to the marks
	runes = append(runes, halfVariant+'》', shiftVariant+'（', shiftVariant+'“')
	df, err := newDocFont(fontBody, f, runes)
	if err != nil {
		t.Fatal(err)
	}
	// CIDs 5, 6, 7: the half 》, the shifted （ and “, each a glyph
	// added after the subset's 5 characters and .notdef (a glyph of its
	// own, whose advance is its width, as PDF/A wants)
	if df.gids[5] != 6 || df.gids[6] != 7 || df.gids[7] != 8 {
		t.Errorf("gids %v", df.gids)
	}
	var w bytes.Buffer
	df.appendWidths(&w)
	if !strings.Contains(w.String(), "5 7 500") {
		t.Errorf("/W %s", w.String())
	}
	tu := string(df.toUnicode(nil))
	for _, l := range []string{"<0005> <300B>", "<0006> <FF08>", "<0007> <201C>"} {
		if !strings.Contains(tu, l) {
			t.Errorf("ToUnicode lacks %q:\n%s", l, tu)
		}
	}
}
