package render

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"penaltydoc/rules"
)

// BenchmarkRender renders each kind's sample letter (issued: seal and QR
// code) on one goroutine: go test ./render -run '^$' -bench Render -benchmem -cpu 1
func BenchmarkRender(b *testing.B) {
	r := renderer(b)
	for _, kind := range Kinds() {
		for _, party := range parties {
			b.Run(kind+"/"+party, func(b *testing.B) {
				tp := defaultTemplate(b, kind)
				d := SampleData(kind, party)
				pdf, err := r.Render(context.Background(), tp, d)
				if err != nil {
					b.Fatal(err)
				}
				pages := pageCount(pdf)
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if _, err := r.Render(context.Background(), tp, d); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(pages), "pages")
				b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64(pages), "ms/page")
			})
		}
	}
}

// BenchmarkTwoPages renders a penalty decision of exactly two pages (the
// issue's unit: "a 2-page letter"): the organisation's sample with the
// facts cut short. cpu-ms/op is the process's CPU time (user and system,
// garbage collection included) per letter, which other work on the machine
// inflates less than the wall time; pdf-bytes is the letter's size.
func BenchmarkTwoPages(b *testing.B) {
	r := renderer(b)
	tp := defaultTemplate(b, rules.KindPenaltyDecision)
	d := twoPageData(b, r, tp)
	benchRender(b, r, tp, d)
}

// BenchmarkReceipt renders the service receipt issued with each letter.
func BenchmarkReceipt(b *testing.B) {
	r := renderer(b)
	benchRender(b, r, defaultTemplate(b, rules.KindServiceReceipt), SampleData(rules.KindServiceReceipt, rules.PartyOrganization))
}

func benchRender(b *testing.B, r *Renderer, tp *Template, d Data) {
	pdf, err := r.Render(context.Background(), tp, d)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := r.Render(context.Background(), tp, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(len(pdf)), "pdf-bytes")
}

// BenchmarkAnchorFpdf is fpdf as shipped, for comparison: the text of the
// 2-page letter through fpdf's own UTF-8 TrueType path (the whole
// FandolFang file loaded, subset and compressed by fpdf), MultiCell
// paragraphs, no kinsoku, seal or QR code.
func BenchmarkAnchorFpdf(b *testing.B) {
	r := renderer(b)
	tp := defaultTemplate(b, rules.KindPenaltyDecision)
	d := twoPageData(b, r, tp)
	text := letterText(b, tp, d)
	ttf, err := os.ReadFile(filepath.Join("..", "fonts", "FandolFang-Regular.ttf"))
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	pages := 0
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.SetMargins(28, 37, 26)
		pdf.SetAutoPageBreak(true, 35)
		pdf.AddUTF8FontFromBytes("fang", "", ttf)
		pdf.SetFont("fang", "", 16)
		pdf.AddPage()
		for _, p := range strings.Split(text, "\n\n") {
			pdf.MultiCell(0, 10.227, p, "", "J", false)
		}
		out.Reset()
		if err := pdf.Output(&out); err != nil {
			b.Fatal(err)
		}
		pages = pdf.PageNo()
	}
	b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(out.Len()), "pdf-bytes")
	b.ReportMetric(float64(pages), "pages")
}

// letterText is the text of the letter's blocks, paragraphs separated by
// blank lines (table rows as cells joined by spaces).
func letterText(t testing.TB, tp *Template, d Data) string {
	blocks, err := tp.execute(context.Background(), &d, DefaultLimits.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	var ps []string
	for _, bl := range blocks {
		switch {
		case bl.kind == kTable:
			for _, row := range bl.rows {
				ps = append(ps, strings.Join(row, " "))
			}
		case len(bl.cells) > 0:
			ps = append(ps, strings.Join(bl.cells, "\n"))
		case strings.TrimSpace(bl.text) != "":
			ps = append(ps, bl.text)
		}
	}
	return strings.Join(ps, "\n\n")
}

var anchorsDir = flag.String("anchors", "", "write the 2-page letter as PDF, HTML and text to this directory (scripts/bench-anchors.sh)")

// TestWriteAnchors writes the inputs of the other tools in
// scripts/bench-anchors.sh: the 2-page letter as our PDF, as HTML for
// Chromium (fonts by file URL from -fontdir) and as text for typst.
func TestWriteAnchors(t *testing.T) {
	if *anchorsDir == "" {
		t.Skip("-anchors not given")
	}
	r := renderer(t)
	tp := defaultTemplate(t, rules.KindPenaltyDecision)
	d := twoPageData(t, r, tp)
	pdf, err := r.Render(context.Background(), tp, d)
	if err != nil {
		t.Fatal(err)
	}
	fontDir, err := filepath.Abs(filepath.Join("..", "fonts"))
	if err != nil {
		t.Fatal(err)
	}
	html, err := r.RenderHTML(context.Background(), tp, d, fontDir)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"letter.pdf": pdf, "letter.html": html, "letter.txt": []byte(letterText(t, tp, d))} {
		if err := os.WriteFile(filepath.Join(*anchorsDir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func pageCount(pdf []byte) int { return bytes.Count(pdf, []byte("/Type /Page\n")) }

// twoPageData cuts the organisation's penalty decision to two pages.
func twoPageData(b testing.TB, r *Renderer, tp *Template) Data {
	d := SampleData(rules.KindPenaltyDecision, rules.PartyOrganization)
	d.Facts.Evidence = d.Facts.Evidence[:2]
	d.Evaluation.Reasons, d.Evaluation.Findings = nil, nil
	d.Evaluation.Articles = d.Evaluation.Articles[:1]
	d.Evaluation.Lighter = false
	d.Evaluation.Penalties = d.Evaluation.Penalties[:1] // the fine
	d.Confiscation = 0
	d.Notice.Number = ""
	d.Waived = false
	facts := []rune(d.Facts.Facts)
	for n := len(facts); n > 0; n -= 20 {
		d.Facts.Facts = string(facts[:n]) + "。"
		pdf, err := r.Render(context.Background(), tp, d)
		if err != nil {
			b.Fatal(err)
		}
		if pageCount(pdf) <= 2 {
			return d
		}
	}
	b.Fatal("cannot make a two-page letter")
	return d
}

// BenchmarkParse parses the penalty decision template (with its dry run).
func BenchmarkParse(b *testing.B) {
	body := defaultTemplate(b, rules.KindPenaltyDecision).Body()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(rules.KindPenaltyDecision, body); err != nil {
			b.Fatal(err)
		}
	}
}
