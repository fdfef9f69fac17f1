package fonts

import (
	"bytes"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

const sample = "行政处罚决定书 当事人：张三，身份证号码11010119900307123X。罚款人民币伍佰元整（¥500.00）。䶮「」《》①②—…ABCxyz 0123456789%"

func allFonts() []*Font { return []*Font{FangSong(), Song(), SongBold()} }

func TestFontsLoad(t *testing.T) {
	for _, f := range allFonts() {
		if f.UnitsPerEm() != 1000 {
			t.Errorf("%s: unitsPerEm %d", f.Name(), f.UnitsPerEm())
		}
		for _, r := range "中国人民共和国罚款元0A，。" {
			if !f.Has(r) || f.Advance(r) <= 0 {
				t.Errorf("%s lacks %s", f.Name(), Describe(r))
			}
		}
	}
}

func TestCoverage(t *testing.T) {
	if !Song().Has('䶮') {
		t.Error("Song lacks U+4DAE")
	}
	for _, f := range allFonts() {
		if f.Has(0x20BB7) || f.Has(-1) || f.Has(0xFFFF) {
			t.Errorf("%s: Has outside the BMP", f.Name())
		}
	}
	if got := Missing("张三𠮷\n\t 𠮷李\u0007"); !slices.Equal(got, []rune{0x20BB7, 7}) {
		t.Errorf("Missing = %U", got)
	}
	if got := Missing("张三"); got != nil {
		t.Errorf("Missing = %U", got)
	}
	if got := Describe(0x20BB7); got != "“𠮷”（U+20BB7）" {
		t.Errorf("Describe = %q", got)
	}
	if got := Describe('䶮'); got != "“䶮”（U+4DAE）" {
		t.Errorf("Describe = %q", got)
	}
}

// loadPDF loads font data into a new fpdf document and writes text with it.
func renderPDF(t testing.TB, data []byte, text string) (*fpdf.Fpdf, []byte) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("F", "", data)
	pdf.SetFont("F", "", 16)
	pdf.AddPage()
	rs := []rune(text)
	for i, y := 0, 30.0; i < len(rs); i, y = i+20, y+10 {
		pdf.Text(20, y, string(rs[i:min(i+20, len(rs))]))
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatalf("fpdf output: %v", err)
	}
	return pdf, buf.Bytes()
}

func runes(s string) []rune { return []rune(s) }

func TestSubsetRendersInFpdf(t *testing.T) {
	for _, f := range []*Font{FangSong(), Song()} {
		text := ""
		for _, r := range sample {
			if f.Has(r) || r == ' ' {
				text += string(r)
			}
		}
		data, err := f.Subset(runes(text))
		if err != nil {
			t.Fatal(err)
		}
		_, out := renderPDF(t, data, text)
		pdftotext, err := exec.LookPath("pdftotext")
		if err != nil {
			t.Skip("pdftotext (poppler-utils) not installed: text extraction not checked")
		}
		cmd := exec.Command(pdftotext, "-", "-")
		cmd.Stdin = bytes.NewReader(out)
		got, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if g := strings.ReplaceAll(strings.TrimSpace(string(got)), "\n", ""); g != text {
			t.Errorf("%s: pdftotext = %q, want %q", f.Name(), got, text)
		}
	}
}

func TestAdvanceMatchesFpdf(t *testing.T) {
	for _, f := range allFonts() {
		rs := letterRunes(f)
		for _, r := range sample {
			if f.Has(r) {
				rs = append(rs, r)
			}
		}
		data, err := f.Subset(rs)
		if err != nil {
			t.Fatal(err)
		}
		pdf := fpdf.New("P", "pt", "A4", "")
		pdf.AddUTF8FontFromBytes("F", "", data)
		pdf.SetFont("F", "", 16)
		for _, r := range rs {
			want := pdf.GetStringWidth(string(r))
			if got := f.Advance(r) * 16 / 1000; got != want {
				t.Errorf("%s %s: Advance %v pt, fpdf %v pt", f.Name(), Describe(r), got, want)
			}
		}
	}
}

func TestSubsetDeterministic(t *testing.T) {
	f := FangSong()
	a, _ := f.Subset(runes("甲乙丙丁甲"))
	b, _ := f.Subset(runes("丁丙乙甲乙乙"))
	if !bytes.Equal(a, b) {
		t.Error("same rune set gave different bytes")
	}
}

func TestSubsetEmpty(t *testing.T) {
	for _, f := range allFonts() {
		data, err := f.Subset(nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parse("empty", data); err != nil {
			t.Fatal(err)
		}
		renderPDF(t, data, "")
	}
}

func TestSubsetConcurrent(t *testing.T) {
	want, _ := Song().Subset(runes(sample))
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range 20 {
				got, err := Song().Subset(runes(sample))
				if err != nil || !bytes.Equal(got, want) {
					t.Error("concurrent subset differs")
					return
				}
			}
		})
	}
	wg.Wait()
}

// letterRunes is a typical letter's character set: about 600 distinct
// characters, the most common Hanzi plus digits and punctuation.
func letterRunes(f *Font) []rune {
	rs := []rune("0123456789（）《》“”：；，。、％ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	for r := rune(0x4E00); len(rs) < 600 && r <= 0x9FFF; r += 7 {
		if f.Has(r) {
			rs = append(rs, r)
		}
	}
	return rs
}

func BenchmarkSubset(b *testing.B) {
	for _, f := range []*Font{FangSong(), Song()} {
		rs := letterRunes(f)
		b.Run(f.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.Subset(rs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchLoad(b *testing.B, data func() []byte) {
	b.ReportAllocs()
	for b.Loop() {
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes("F", "", data())
		pdf.SetFont("F", "", 16)
		if err := pdf.Error(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadSubsetInFpdf is the per-document cost: cut a subset and load it.
func BenchmarkLoadSubsetInFpdf(b *testing.B) {
	f := FangSong()
	rs := letterRunes(f)
	benchLoad(b, func() []byte {
		data, _ := f.Subset(rs)
		return data
	})
}

// BenchmarkLoadFullFontInFpdf is the cost the subsets avoid: fpdf parsing the
// whole font for every document.
func BenchmarkLoadFullFontInFpdf(b *testing.B) {
	benchLoad(b, func() []byte { return slices.Clone(fangSongTTF) })
}

// BenchmarkLetterOutput is a whole one-page document: subset, load, write
// the 600 characters, Output. Most of it is fpdf compressing the embedded
// font, which grows with the glyphs' bytes (FandolFang's are twice Noto's).
func BenchmarkLetterOutput(b *testing.B) {
	for _, f := range []*Font{FangSong(), Song()} {
		rs := letterRunes(f)
		b.Run(f.Name(), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				data, err := f.Subset(rs)
				if err != nil {
					b.Fatal(err)
				}
				pdf := fpdf.New("P", "mm", "A4", "")
				pdf.AddUTF8FontFromBytes("F", "", data)
				pdf.SetFont("F", "", 16)
				pdf.AddPage()
				for i := 0; i < len(rs); i += 30 {
					pdf.Text(10, float64(10+i/3), string(rs[i:min(i+30, len(rs))]))
				}
				var buf bytes.Buffer
				if err := pdf.Output(&buf); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
			}
			b.ReportMetric(float64(size), "pdf-bytes")
		})
	}
}

func TestParseRejects(t *testing.T) {
	good, _ := Song().Subset(runes("中"))
	for name, data := range map[string][]byte{
		"empty":      nil,
		"cff":        append([]byte("OTTO"), good[4:]...),
		"collection": append([]byte("ttcf"), good[4:]...),
		"truncated":  good[:len(good)/2],
		"directory":  good[:40],
	} {
		if _, err := parse(name, data); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
}

// FuzzParse: arbitrary bytes never panic the parser, and whatever parses can
// be subset into something that parses again.
func FuzzParse(f *testing.F) {
	comp, _ := os.ReadFile("testdata/composite.ttf")
	f.Add(comp)
	sub, _ := Song().Subset(runes("中文ABC"))
	f.Add(sub)
	f.Fuzz(func(t *testing.T, data []byte) {
		font, err := parse("fuzz", data)
		if err != nil {
			return
		}
		out, err := font.Subset(runes("ABZ 中文"))
		if err != nil {
			return
		}
		if _, err := parse("sub", out); err != nil {
			t.Fatalf("subset does not parse: %v", err)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse("FandolFang", fangSongTTF); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSubsetChecksums checks the table directory of a subset by the book:
// each table's checksum, and the whole file summing to 0xB1B0AFBA.
func TestSubsetChecksums(t *testing.T) {
	for _, f := range allFonts() {
		data, err := f.Subset(runes(sample))
		if err != nil {
			t.Fatal(err)
		}
		checkChecksums(t, f.Name(), data)
	}
}

// checkChecksums checks each table's checksum and the whole file's, and
// returns the tables' tags.
func checkChecksums(t *testing.T, name string, data []byte) []string {
	t.Helper()
	if got := checksum(data); got != 0xB1B0AFBA {
		t.Errorf("%s: file checksum %#x", name, got)
	}
	var tags []string
	for i := range int(be.Uint16(data[4:])) {
		rec := data[12+16*i:]
		tags = append(tags, string(rec[:4]))
		off, length := be.Uint32(rec[8:]), be.Uint32(rec[12:])
		tbl := slices.Clone(data[off : off+length])
		if string(rec[:4]) == "head" {
			be.PutUint32(tbl[8:], 0)
		}
		if got, want := checksum(tbl), be.Uint32(rec[4:]); got != want {
			t.Errorf("%s: table %q checksum %#x, directory says %#x", name, rec[:4], got, want)
		}
	}
	return tags
}

// TestSubsetReparses checks a subset with our own parser: same metrics and
// glyph outlines as the full font for every character.
func TestSubsetReparses(t *testing.T) {
	for _, f := range allFonts() {
		rs := letterRunes(f)
		s := parsedSubset(t, f, rs)
		if s.numGlyphs > len(rs)+1 {
			t.Errorf("%s: %d glyphs for %d runes", f.Name(), s.numGlyphs, len(rs))
		}
		for _, r := range rs {
			got, want := s.glyphData(s.glyphID(r)), f.glyphData(f.glyphID(r))
			if s.Advance(r) != f.Advance(r) || len(got) != pad4(len(want)) || !bytes.Equal(got[:len(want)], want) {
				t.Errorf("%s: %s differs in the subset", f.Name(), Describe(r))
			}
		}
		if s.Has('\U0010FFFF') || s.Has(0x20BB7) {
			t.Error("subset has characters it should not")
		}
	}
}

// TestSubsetComposite subsets a small font whose "B" is built from two
// copies of "A": the subset must carry A and point B's components at it.
func TestSubsetComposite(t *testing.T) {
	data, err := os.ReadFile("testdata/composite.ttf")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parse("CompositeTest", data)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := f.Subset([]rune("B"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := parse("sub", sub)
	if err != nil {
		t.Fatal(err)
	}
	if s.numGlyphs != 3 || s.Has('A') || !s.Has('B') {
		t.Fatalf("subset has %d glyphs, A %v, B %v; want 3, false, true", s.numGlyphs, s.Has('A'), s.Has('B'))
	}
	b := s.glyphData(s.glyphID('B'))
	var comps []uint16
	if err := walkComponents(b, func(pos int) { comps = append(comps, be.Uint16(b[pos:])) }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(comps, []uint16{2, 2}) {
		t.Fatalf("components %v, want [2 2]", comps)
	}
	a := f.glyphData(f.glyphID('A'))
	if got := s.glyphData(2); !bytes.Equal(got[:len(a)], a) {
		t.Error("component glyph differs from A")
	}
	if s.Advance('B') != 700 {
		t.Errorf("Advance(B) = %v", s.Advance('B'))
	}
	renderPDF(t, sub, "B")
	// for a PDF: B is not the font's data (renumbered), A is
	e, err := f.EmbedSubset(nil, []rune("B"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint16{0, NoSource, f.glyphID('A')}; !slices.Equal(e.Source, want) {
		t.Errorf("sources %v, want %v", e.Source, want)
	}
}

// TestEmbedSubset: the PDF subset has only the tables a CIDFontType2 font
// needs, its glyph ids are those of the full subset (same glyph data and
// advance per rune), its checksums hold, and it appends to dst.
func TestEmbedSubset(t *testing.T) {
	for _, f := range allFonts() {
		for name, rs := range map[string][]rune{"none": nil, "one": runes("中"), "letter": letterRunes(f), "missing": runes("\U0010FFFF中")} {
			slices.Sort(rs)
			ref := parsedSubset(t, f, rs)
			prefix := []byte("xyz")
			e, err := f.EmbedSubset(slices.Clone(prefix), rs)
			if err != nil {
				t.Fatal(err)
			}
			out, ids := e.TTF, e.GIDs
			if !bytes.HasPrefix(out, prefix) || len(ids) != len(rs) {
				t.Fatalf("%s %s: dst or ids wrong", f.Name(), name)
			}
			data := out[len(prefix):]
			tags := checkChecksums(t, f.Name()+" "+name, data)
			if want := []string{"glyf", "head", "hhea", "hmtx", "loca", "maxp"}; !slices.Equal(tags, want) {
				t.Errorf("%s %s: tables %v, want %v", f.Name(), name, tags, want)
			}
			// the same glyphs as the full subset: compare through its cmap
			glyf, loca := sfntTable(t, data, "glyf"), sfntTable(t, data, "loca")
			hmtx := sfntTable(t, data, "hmtx")
			for i, r := range rs {
				if g := ref.glyphID(r); g != ids[i] {
					t.Errorf("%s %s %s: glyph %d, full subset %d", f.Name(), name, Describe(r), ids[i], g)
					continue
				}
				g := int(ids[i])
				got := glyf[be.Uint32(loca[4*g:]):be.Uint32(loca[4*g+4:])]
				if !bytes.Equal(got, ref.glyphData(uint16(g))) || be.Uint16(hmtx[4*g:]) != be.Uint16(ref.hmtx[4*g:]) {
					t.Errorf("%s %s %s: glyph data or advance differs", f.Name(), name, Describe(r))
				}
				if src := e.Source[g]; src == NoSource {
					if int16(be.Uint16(got)) >= 0 {
						t.Errorf("%s %s %s: a simple glyph without its source", f.Name(), name, Describe(r))
					}
				} else if src != f.glyphID(r) || !bytes.Equal(got[:len(f.glyphData(src))], f.glyphData(src)) {
					t.Errorf("%s %s %s: source glyph %d, want %d", f.Name(), name, Describe(r), src, f.glyphID(r))
				}
			}
		}
	}
	if _, err := FangSong().EmbedSubset(nil, []rune{'甲', '乙'}); err == nil {
		t.Error("unsorted runes accepted")
	}
}

// parsedSubset is f's subset for rs, parsed.
func parsedSubset(t *testing.T, f *Font, rs []rune) *Font {
	t.Helper()
	data, err := f.Subset(rs)
	if err != nil {
		t.Fatal(err)
	}
	s, err := parse("sub", data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sfntTable returns the named table of an sfnt file.
func sfntTable(t *testing.T, data []byte, tag string) []byte {
	t.Helper()
	for i := range int(be.Uint16(data[4:])) {
		rec := data[12+16*i:]
		if string(rec[:4]) == tag {
			off, l := be.Uint32(rec[8:]), be.Uint32(rec[12:])
			return data[off : off+l]
		}
	}
	t.Fatalf("no %s table", tag)
	return nil
}
