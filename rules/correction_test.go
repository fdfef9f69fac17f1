package rules

import (
	"errors"
	"strings"
	"testing"

	"penaltydoc/errs"
)

// TestCheckCorrection: a correction may change nothing of the disposition:
// not the outcome, the ground, the articles or a penalty's type or amount;
// everything else (findings, reasons, the fine range) it may.
func TestCheckCorrection(t *testing.T) {
	base := func() Evaluation {
		return Evaluation{Outcome: OutcomePenalty, Ground: "standard", Articles: []string{"a90"},
			Penalties: []Penalty{{Type: ImposeFine, Amount: 100, Basis: "b"}}, Findings: []string{"f"}}
	}
	for _, tc := range []struct {
		name   string
		change func(*Evaluation)
		want   string // "" when allowed
	}{
		{"nothing", func(*Evaluation) {}, ""},
		{"findings and reasons", func(e *Evaluation) { e.Findings, e.Reasons = []string{"g"}, []string{"r"} }, ""},
		{"the penalty's basis wording", func(e *Evaluation) { e.Penalties[0].Basis = "c" }, ""},
		{"outcome", func(e *Evaluation) { e.Outcome = OutcomeNoPenalty }, "处理结果"},
		{"ground", func(e *Evaluation) { e.Ground = "other" }, "处理依据"},
		{"articles", func(e *Evaluation) { e.Articles = append(e.Articles, "a32") }, "法律条文"},
		{"amount", func(e *Evaluation) { e.Penalties[0].Amount = 150 }, "罚款100元→罚款150元"},
		{"type", func(e *Evaluation) { e.Penalties[0] = Penalty{Type: ImposeWarning} }, "处罚内容"},
		{"one more", func(e *Evaluation) { e.Penalties = append(e.Penalties, Penalty{Type: ImposeWarning}) }, "处罚内容"},
	} {
		after := base()
		tc.change(&after)
		err := CheckCorrection(base(), after)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		var e *errs.Error
		if err == nil || !errors.As(err, &e) || e.Code != errs.Conflict || !strings.Contains(err.Error(), tc.want) ||
			!strings.Contains(err.Error(), CorrectionArticle) || !strings.Contains(err.Error(), "重新告知") {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
