package rules

import (
	"encoding/json"
	"reflect"
	"testing"
)

func firstOffenseEval(t *testing.T) Evaluation {
	t.Helper()
	f, it := orgFacts(), testItem()
	it.FirstOffenseEligible, f.Corrected, f.Harm = true, true, HarmMinor
	it.FineMin, it.FineMax = 10000, 50000
	ev := mustEval(t, f, it, nil)
	if ev.Ground != GroundFirstOffense {
		t.Fatalf("setup: ground %s", ev.Ground)
	}
	return ev
}

func TestApplyOverride(t *testing.T) {
	ev := firstOffenseEval(t)
	// Survives a round trip through JSON, as a stored evaluation would.
	b, _ := json.Marshal(ev)
	var stored Evaluation
	if err := json.Unmarshal(b, &stored); err != nil {
		t.Fatal(err)
	}
	o := Override{Outcome: OutcomePenalty, Reason: "当事人虽系初次违法，但运输数量较大，社会影响较坏"}
	got, err := ApplyOverride(stored, o)
	if err != nil {
		t.Fatal(err)
	}
	if got.Outcome != OutcomePenalty || got.Ground != GroundFirstOffense || got.Mandatory ||
		got.DocumentKind != KindPenaltyDecision || !got.HearingRequired || !got.LegalReviewRequired || got.SimplifiedProcedure {
		t.Errorf("override result: %+v", got)
	}
	if got.Fine != (Fine{Min: 10000, Max: 50000, Recommended: 22000}) {
		t.Errorf("fine %+v", got.Fine)
	}
	if got.Override == nil || *got.Override != o || got.PenaltyAlternative != nil {
		t.Errorf("override stored %+v, alternative %+v", got.Override, got.PenaltyAlternative)
	}
	if !contains(got.Reasons, "承办人决定不适用首次违法可以不予行政处罚的规定，依法给予行政处罚，理由是："+o.Reason+"。") {
		t.Errorf("reasons %q", got.Reasons)
	}
	if !reflect.DeepEqual(got.Articles, []string{"《测试法》第十条", "《测试法》第二十条"}) {
		t.Errorf("articles %q", got.Articles)
	}
	if ev.Outcome != OutcomeNoPenalty {
		t.Errorf("input evaluation changed")
	}
	// Not twice.
	if _, err := ApplyOverride(got, o); fieldsOf(t, err)["override"] == "" {
		t.Errorf("second override: %v", err)
	}
}

func TestApplyOverrideRefused(t *testing.T) {
	good := Override{Outcome: OutcomePenalty, Reason: "当事人拒不配合调查，情节较重"}
	mandatory := mustEval(t, func() Facts { f := personFacts(); f.NoFaultProven = true; return f }(), testItem(), nil)
	penalty := mustEval(t, personFacts(), testItem(), nil)
	tests := []struct {
		name   string
		ev     Evaluation
		o      Override
		fields []string
	}{
		{"mandatory ground", mandatory, good, []string{"override"}},
		{"already a penalty", penalty, good, []string{"override"}},
		{"short reason", firstOffenseEval(t), Override{Outcome: OutcomePenalty, Reason: "  情节较重  "}, []string{"override.reason"}},
		{"empty reason", firstOffenseEval(t), Override{Outcome: OutcomePenalty}, []string{"override.reason"}},
		{"other outcome", firstOffenseEval(t), Override{Outcome: OutcomeWarning, Reason: good.Reason}, []string{"override.outcome"}},
		{"missing alternative", func() Evaluation { e := firstOffenseEval(t); e.PenaltyAlternative = nil; return e }(), good, []string{"override"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := ApplyOverride(tc.ev, tc.o)
			if !sameSet(keys(fieldsOf(t, err)), tc.fields) {
				t.Errorf("err %v, want fields %v", err, tc.fields)
			}
			if out.Outcome != tc.ev.Outcome || out.Override != nil {
				t.Errorf("evaluation changed on error: %+v", out)
			}
		})
	}
}
