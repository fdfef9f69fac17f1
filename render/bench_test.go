package render

import (
	"bytes"
	"context"
	"testing"

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
// facts cut short.
func BenchmarkTwoPages(b *testing.B) {
	r := renderer(b)
	tp := defaultTemplate(b, rules.KindPenaltyDecision)
	d := twoPageData(b, r, tp)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(context.Background(), tp, d); err != nil {
			b.Fatal(err)
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
