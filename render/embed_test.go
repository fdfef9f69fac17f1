package render

import (
	"bytes"
	"compress/zlib"
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
			sub, err := f.Subset(rs)
			if err != nil {
				t.Fatal(err)
			}
			var first []byte
			for range 2 { // cold (for these glyphs), then warm
				z, err := appendFontFile(nil, sub)
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
			sub, err := f.Subset(rs)
			if err != nil {
				t.Error(err)
				return
			}
			z, err := appendFontFile(nil, sub)
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
	tu := string(df.toUnicode())
	for _, l := range []string{"<0001> <0001> <0020>\n<0002> <0003> <0028>\n", "<0007> <0008> <4E00>\n"} {
		if !strings.Contains(tu, l) {
			t.Errorf("ToUnicode lacks %q:\n%s", l, tu)
		}
	}
}

// TestToUnicodeRanges: a bfrange stays within one high byte of the CIDs and
// of the characters, and a block has at most 100 entries.
func TestToUnicodeRanges(t *testing.T) {
	var runes []rune
	for r := rune(0x4EF0); r < 0x4F10; r++ { // crosses U+4F00
		runes = append(runes, r)
	}
	for r := rune(0x5000); len(runes) < 300; r += 2 { // CIDs cross 0x0100; 270 ranges in all
		runes = append(runes, r)
	}
	tu := string((&docFont{runes: runes}).toUnicode())
	for _, l := range []string{"<0001> <0010> <4EF0>\n<0011> <0020> <4F00>\n", "100 beginbfrange", "70 beginbfrange"} {
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
