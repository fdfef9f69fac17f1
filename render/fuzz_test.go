package render

import (
	"context"
	"errors"
	"testing"
	"time"

	"penaltydoc/rules"
	"penaltydoc/templates"
)

// FuzzParse: any body either parses or fails with a *TemplateError; one
// that parses executes within the limits and lays out without panicking.
func FuzzParse(f *testing.F) {
	for _, b := range templates.All() {
		f.Add(b)
	}
	f.Add("@table 1 2\n{{range .Facts.Evidence}}a|{{.}}\n{{end}}@end")
	f.Add("{{range $i, $e := .Facts.Evidence -}}\n{{$e}}{{- end}}")
	f.Add("@signature {{.Authority.Name}} | {{\"|\"}}")
	f.Add("{{/* 注释\n多行 */}}\n@title 标题")
	d := SampleData(rules.KindPenaltyDecision, rules.PartyOrganization)
	lim := Limits{Timeout: 200 * time.Millisecond, MaxOutput: 64 << 10, MaxIterations: 1000}
	f.Fuzz(func(t *testing.T, body string) {
		tp, err := Parse(rules.KindPenaltyDecision, body)
		if err != nil {
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("Parse(%q): %T %v, want *TemplateError", body, err, err)
			}
			return
		}
		dd := d
		blocks, err := tp.execute(context.Background(), &dd, lim)
		if err != nil {
			return
		}
		ts := newTypesetter(testFaces())
		if _, err := ts.layout(blocks, &dd, true); err != nil {
			var uc *UnsupportedCharError
			if !errors.As(err, &uc) {
				t.Fatalf("layout: %v", err)
			}
		}
	})
}
