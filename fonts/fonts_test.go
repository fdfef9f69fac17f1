package fonts

import (
	"bytes"
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
		var rs []rune
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
