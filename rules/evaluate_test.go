package rules

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"penaltydoc/errs"
)

// groundSetup makes one ground hold when applied to personFacts/testItem.
type groundSetup struct {
	ground string
	apply  func(f *Facts, it *Item)
}

var groundSetups = []groundSetup{
	{GroundLimitation, func(f *Facts, it *Item) { f.ViolationDate = "2023-01-01" }},
	{GroundUnderAge, func(f *Facts, it *Item) { f.Party.IDNumber = mkID("20150301", "031") }},
	{GroundMentalIncapacity, func(f *Facts, it *Item) { f.MentalCapacity = CapacityNone }},
	{GroundNoFault, func(f *Facts, it *Item) { f.NoFaultProven = true }},
	{GroundMinorCorrected, func(f *Facts, it *Item) { f.Minor, f.Corrected, f.Harm = true, true, HarmNone }},
	{GroundFirstOffense, func(f *Facts, it *Item) { it.FirstOffenseEligible, f.Corrected = true, true }},
	{GroundFirstViolationWarning, func(f *Facts, it *Item) {
		it.WarningEligible = true
		it.PenaltyTypes = []string{PenaltyWarning, PenaltyFine}
	}},
}

var wantOutcome = map[string]struct {
	outcome, kind string
	mandatory     bool
}{
	GroundLimitation:            {OutcomeNoPenalty, KindNoPenaltyDecision, true},
	GroundUnderAge:              {OutcomeNoPenalty, KindNoPenaltyDecision, true},
	GroundMentalIncapacity:      {OutcomeNoPenalty, KindNoPenaltyDecision, true},
	GroundNoFault:               {OutcomeNoPenalty, KindNoPenaltyDecision, true},
	GroundMinorCorrected:        {OutcomeNoPenalty, KindNoPenaltyDecision, true},
	GroundFirstOffense:          {OutcomeNoPenalty, KindNoPenaltyDecision, false},
	GroundFirstViolationWarning: {OutcomeWarning, KindOnTheSpotDecision, false},
	GroundNone:                  {OutcomePenalty, KindPenaltyDecision, false},
}

func TestEachGround(t *testing.T) {
	base := mustEval(t, personFacts(), testItem(), nil)
	if base.Ground != GroundNone || base.Outcome != OutcomePenalty {
		t.Fatalf("base case: ground %s outcome %s, want none/penalty", base.Ground, base.Outcome)
	}
	for _, g := range groundSetups {
		t.Run(g.ground, func(t *testing.T) {
			f, it := personFacts(), testItem()
			g.apply(&f, &it)
			ev := mustEval(t, f, it, nil)
			w := wantOutcome[g.ground]
			if ev.Ground != g.ground || ev.Outcome != w.outcome || ev.Mandatory != w.mandatory || ev.DocumentKind != w.kind {
				t.Errorf("got ground %s outcome %s mandatory %v kind %s; want %s %s %v %s",
					ev.Ground, ev.Outcome, ev.Mandatory, ev.DocumentKind, g.ground, w.outcome, w.mandatory, w.kind)
			}
			if ev.Fine.Recommended != 0 {
				t.Errorf("recommended fine %v, want 0 for %s", ev.Fine.Recommended, ev.Outcome)
			}
			if ev.Fine.Max != 5000 {
				t.Errorf("fine max %v, want the item's 5000 kept for information", ev.Fine.Max)
			}
			if ev.RuleSetVersion != RuleSetVersion || len(ev.Reasons) == 0 || len(ev.Articles) == 0 {
				t.Errorf("version %q, %d reasons, %d articles", ev.RuleSetVersion, len(ev.Reasons), len(ev.Articles))
			}
		})
	}
}

// Every pair of grounds that can hold together: the earlier one decides.
func TestGroundPairs(t *testing.T) {
	for i := range groundSetups {
		for j := i + 1; j < len(groundSetups); j++ {
			a, b := groundSetups[i], groundSetups[j]
			t.Run(a.ground+"+"+b.ground, func(t *testing.T) {
				f, it := personFacts(), testItem()
				b.apply(&f, &it)
				a.apply(&f, &it)
				if ev := mustEval(t, f, it, nil); ev.Ground != a.ground {
					t.Errorf("ground %s, want %s", ev.Ground, a.ground)
				}
			})
		}
	}
}

func TestGroundArticlesAndReasons(t *testing.T) {
	apl := func(s string) string { return LawAPL + s }
	tests := []struct {
		ground   string
		articles []string
		reason   string
	}{
		{GroundLimitation, []string{"《测试法》第十条", "《测试法》第二十条", apl("第三十六条第一款"), apl("第三十三条第三款"), apl("第二十八条第一款")},
			"违法行为发生之日（2023年1月1日）至被发现之日（2026年5月2日）已超过24个月的追责时效，依法不再给予行政处罚。"},
		{GroundUnderAge, []string{"《测试法》第十条", "《测试法》第二十条", apl("第三十条"), apl("第三十三条第三款"), apl("第二十八条第一款")},
			"当事人2015年3月1日出生，违法行为发生时（2026年5月1日）未满十四周岁，依法不予行政处罚，责令其监护人加以管教。"},
		{GroundMentalIncapacity, []string{"《测试法》第十条", "《测试法》第二十条", apl("第三十一条"), apl("第三十三条第三款"), apl("第二十八条第一款")},
			"当事人在违法行为发生时不能辨认或者不能控制自己的行为，依法不予行政处罚，责令其监护人严加看管和治疗。"},
		{GroundNoFault, []string{"《测试法》第十条", "《测试法》第二十条", apl("第三十三条第二款"), apl("第三十三条第三款"), apl("第二十八条第一款")},
			"当事人有证据足以证明没有主观过错，依法不予行政处罚。"},
		{GroundMinorCorrected, []string{"《测试法》第十条", "《测试法》第二十条", apl("第三十三条第一款"), apl("第三十三条第三款"), apl("第二十八条第一款")},
			"当事人违法行为轻微并及时改正，没有造成危害后果，依法不予行政处罚。"},
		{GroundFirstOffense, []string{"《测试法》第十条", "《测试法》第二十条", apl("第三十三条第一款"), apl("第三十三条第三款"), apl("第二十八条第一款")},
			"当事人系初次违法，违法行为发生前24个月内无同类违法记录。"},
		{GroundFirstViolationWarning, []string{"《测试法》第十条", "《测试法》第二十条", "《中华人民共和国道路交通安全法》第八十七条", "《中华人民共和国道路交通安全法》第一百零七条"},
			"当事人的违法行为未影响其他车辆、行人正常通行。"},
	}
	for _, tc := range tests {
		for _, g := range groundSetups {
			if g.ground != tc.ground {
				continue
			}
			f, it := personFacts(), testItem()
			g.apply(&f, &it)
			ev := mustEval(t, f, it, nil)
			if !reflect.DeepEqual(ev.Articles, tc.articles) {
				t.Errorf("%s articles:\n got %q\nwant %q", tc.ground, ev.Articles, tc.articles)
			}
			if !contains(ev.Reasons, tc.reason) {
				t.Errorf("%s reasons %q lack %q", tc.ground, ev.Reasons, tc.reason)
			}
		}
	}
}

func TestLimitationBoundaries(t *testing.T) {
	tests := []struct {
		name               string
		act, end, disc     string
		limitation         int
		safety             bool
		harm               string
		barred             bool
		wantReasonFragment string
	}{
		{"exactly 24 months", "2024-05-02", "", "2026-05-02", 24, false, HarmNone, false, ""},
		{"24 months and a day", "2024-05-02", "", "2026-05-03", 24, false, HarmNone, true, "已超过24个月"},
		{"default 24 when 0", "2024-05-02", "", "2026-05-03", 0, false, HarmNone, true, "已超过24个月"},
		{"default 24 when 0, in time", "2024-05-02", "", "2026-05-02", 0, false, HarmNone, false, ""},
		{"month end clamps to 29 Feb", "2024-01-31", "", "2024-02-29", 1, false, HarmNone, false, ""},
		{"day after clamped end", "2024-01-31", "", "2024-03-01", 1, false, HarmNone, true, "已超过1个月"},
		{"common year clamps to 28 Feb", "2023-01-31", "", "2023-02-28", 1, false, HarmNone, false, ""},
		{"common year, 1 March barred", "2023-01-31", "", "2023-03-01", 1, false, HarmNone, true, ""},
		{"29 Feb + 12 months = 28 Feb", "2024-02-29", "", "2025-02-28", 12, false, HarmNone, false, ""},
		{"29 Feb + 12 months, 1 March", "2024-02-29", "", "2025-03-01", 12, false, HarmNone, true, ""},
		{"six months (public order)", "2025-09-01", "", "2026-03-01", 6, false, HarmNone, false, ""},
		{"six months and a day", "2025-09-01", "", "2026-03-02", 6, false, HarmNone, true, "已超过6个月"},
		{"continuing act counts from its end", "2023-01-01", "2024-05-02", "2026-05-02", 24, false, HarmNone, false, ""},
		{"continuing act barred", "2023-01-01", "2024-05-01", "2026-05-02", 24, false, HarmNone, true, "违法行为终了之日（2024年5月1日）"},
		{"safety with harm: 60 months", "2021-05-02", "", "2026-05-02", 24, true, HarmMinor, false, ""},
		{"safety with harm: 60 months and a day", "2021-05-01", "", "2026-05-02", 24, true, HarmSerious, true, "已超过60个月"},
		{"safety without harm: 24 months", "2024-05-01", "", "2026-05-02", 24, true, HarmNone, true, "已超过24个月"},
		{"safety keeps a longer own period", "2020-05-02", "", "2026-05-02", 72, true, HarmMinor, false, ""},
		{"harm without safety: 24", "2024-05-01", "", "2026-05-02", 24, false, HarmSerious, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, it := personFacts(), testItem()
			f.ViolationDate, f.ViolationEndDate, f.DiscoveredDate, f.DecisionDate = tc.act, tc.end, tc.disc, tc.disc
			f.Harm = tc.harm
			it.LimitationMonths, it.SafetyRelated = tc.limitation, tc.safety
			ev := mustEval(t, f, it, nil)
			if got := ev.Ground == GroundLimitation; got != tc.barred {
				t.Fatalf("barred = %v (ground %s), want %v", got, ev.Ground, tc.barred)
			}
			if tc.wantReasonFragment != "" && !strings.Contains(strings.Join(ev.Reasons, ""), tc.wantReasonFragment) {
				t.Errorf("reasons %q lack %q", ev.Reasons, tc.wantReasonFragment)
			}
			if tc.barred && tc.end != "" && !contains(ev.Articles, LawAPL+"第三十六条第二款") {
				t.Errorf("continuing act: articles %q lack Art. 36 ¶2", ev.Articles)
			}
		})
	}
}

func TestAgeBoundaries(t *testing.T) {
	tests := []struct {
		name, birth, act string
		ground           string
		lighter          bool
	}{
		{"day before 14th birthday", "20120501", "2026-04-30", GroundUnderAge, false},
		{"14th birthday", "20120501", "2026-05-01", GroundNone, true},
		{"day before 18th birthday", "20080501", "2026-04-30", GroundNone, true},
		{"18th birthday", "20080501", "2026-05-01", GroundNone, false},
		{"29 Feb birthday, 28 Feb of common year: still 13", "20120229", "2026-02-28", GroundUnderAge, false},
		{"29 Feb birthday, 1 March of common year: 14", "20120229", "2026-03-01", GroundNone, true},
		{"29 Feb birthday, 28 Feb of common year: still 17", "20080229", "2026-02-28", GroundNone, true},
		{"29 Feb birthday, 1 March of common year: 18", "20080229", "2026-03-01", GroundNone, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := personFacts()
			f.Party.IDNumber = mkID(tc.birth, "021")
			f.ViolationDate, f.DiscoveredDate, f.DecisionDate = tc.act, tc.act, tc.act
			ev := mustEval(t, f, testItem(), nil)
			if ev.Ground != tc.ground || ev.Lighter != tc.lighter {
				t.Errorf("ground %s lighter %v; want %s %v", ev.Ground, ev.Lighter, tc.ground, tc.lighter)
			}
			if tc.lighter && (ev.Fine.Min != 0 || !contains(ev.Articles, LawAPL+"第三十条")) {
				t.Errorf("lighter: fine min %v, articles %q", ev.Fine.Min, ev.Articles)
			}
		})
	}
	// An explicit birth date that agrees with the id number works the same.
	f := personFacts()
	f.Party.IDNumber, f.Party.BirthDate = mkID("20120501", "021"), "2012-05-01"
	f.ViolationDate, f.DiscoveredDate, f.DecisionDate = "2026-04-30", "2026-04-30", "2026-04-30"
	if ev := mustEval(t, f, testItem(), nil); ev.Ground != GroundUnderAge {
		t.Errorf("with birth_date: ground %s", ev.Ground)
	}
	// Organisations have no age and no mental capacity.
	o := orgFacts()
	o.MentalCapacity = CapacityNone
	if ev := mustEval(t, o, testItem(), nil); ev.Ground != GroundNone || ev.Lighter {
		t.Errorf("organisation: ground %s lighter %v", ev.Ground, ev.Lighter)
	}
}

func TestNoFaultExcluded(t *testing.T) {
	f, it := personFacts(), testItem()
	f.NoFaultProven = true
	it.NoFaultExcluded = true
	ev := mustEval(t, f, it, nil)
	if ev.Ground != GroundNone || ev.Outcome != OutcomePenalty {
		t.Fatalf("ground %s outcome %s", ev.Ground, ev.Outcome)
	}
	want := "当事人主张没有主观过错，但本事项所依据的法律、行政法规另有规定，不适用无主观过错不予行政处罚的规定。"
	if ev.Reasons[0] != want {
		t.Errorf("first reason %q, want %q", ev.Reasons[0], want)
	}
	// Excluded, but a later ground still decides.
	f.Minor, f.Corrected = true, true
	ev = mustEval(t, f, it, nil)
	if ev.Ground != GroundMinorCorrected || !contains(ev.Reasons, want) {
		t.Errorf("ground %s reasons %q", ev.Ground, ev.Reasons)
	}
}

func TestMinorCorrectedNeedsAll(t *testing.T) {
	for _, tc := range []struct {
		minor, corrected bool
		harm             string
	}{{false, true, HarmNone}, {true, false, HarmNone}, {true, true, HarmMinor}, {true, true, HarmSerious}} {
		f := personFacts()
		f.Minor, f.Corrected, f.Harm = tc.minor, tc.corrected, tc.harm
		if ev := mustEval(t, f, testItem(), nil); ev.Ground != GroundNone {
			t.Errorf("%+v: ground %s, want none", tc, ev.Ground)
		}
	}
}

func TestFirstOffense(t *testing.T) {
	prior := func(code, d string) []PriorViolation {
		return []PriorViolation{{ViolationCode: code, Date: d, Handled: true, Source: "document:7"}}
	}
	tests := []struct {
		name     string
		act      string
		lookback int
		harm     string
		fix      bool
		history  []PriorViolation
		want     string
		usedLen  int
	}{
		{"no history", "2026-05-01", 24, HarmNone, true, nil, GroundFirstOffense, 0},
		{"minor harm", "2026-05-01", 24, HarmMinor, true, nil, GroundFirstOffense, 0},
		{"serious harm", "2026-05-01", 24, HarmSerious, true, nil, GroundNone, 0},
		{"not corrected", "2026-05-01", 24, HarmNone, false, nil, GroundNone, 0},
		{"prior exactly 24 months back", "2026-05-01", 24, HarmNone, true, prior("T-1", "2024-05-01"), GroundNone, 1},
		{"prior a day outside", "2026-05-01", 24, HarmNone, true, prior("T-1", "2024-04-30"), GroundFirstOffense, 0},
		{"lookback 0 means 24", "2026-05-01", 0, HarmNone, true, prior("T-1", "2024-05-01"), GroundNone, 1},
		{"lookback 36", "2026-05-01", 36, HarmNone, true, prior("T-1", "2023-05-01"), GroundNone, 1},
		{"lookback 36, a day outside", "2026-05-01", 36, HarmNone, true, prior("T-1", "2023-04-30"), GroundFirstOffense, 0},
		{"negative lookback: no limit", "2026-05-01", -1, HarmNone, true, prior("T-1", "2001-01-01"), GroundNone, 1},
		{"other item does not count", "2026-05-01", 24, HarmNone, true, prior("T-2", "2026-01-01"), GroundFirstOffense, 0},
		{"code compared case-insensitively", "2026-05-01", 24, HarmNone, true, prior("t-1", "2026-01-01"), GroundNone, 1},
		{"later violation does not count", "2026-05-01", 24, HarmNone, true, prior("T-1", "2026-05-02"), GroundFirstOffense, 0},
		{"same day counts", "2026-05-01", 24, HarmNone, true, prior("T-1", "2026-05-01"), GroundNone, 1},
		{"month end: window from 28 Feb", "2026-03-31", 1, HarmNone, true, prior("T-1", "2026-02-28"), GroundNone, 1},
		{"month end: 27 Feb outside", "2026-03-31", 1, HarmNone, true, prior("T-1", "2026-02-27"), GroundFirstOffense, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, it := personFacts(), testItem()
			it.FirstOffenseEligible, it.FirstOffenseLookbackMonths = true, tc.lookback
			f.ViolationDate, f.DiscoveredDate, f.DecisionDate = tc.act, "2026-05-02", "2026-05-10"
			f.Harm, f.Corrected = tc.harm, tc.fix
			ev := mustEval(t, f, it, tc.history)
			if ev.Ground != tc.want {
				t.Fatalf("ground %s, want %s; reasons %q", ev.Ground, tc.want, ev.Reasons)
			}
			if len(ev.HistoryUsed) != tc.usedLen {
				t.Errorf("history used %v, want %d records", ev.HistoryUsed, tc.usedLen)
			}
			if tc.want == GroundFirstOffense && (ev.Mandatory || ev.PenaltyAlternative == nil) {
				t.Errorf("first offense: mandatory %v, alternative %v", ev.Mandatory, ev.PenaltyAlternative)
			}
		})
	}
	// The reason names the prior violation.
	f, it := personFacts(), testItem()
	it.FirstOffenseEligible, f.Corrected = true, true
	ev := mustEval(t, f, it, prior("T-1", "2025-06-20"))
	want := "当事人违法行为发生前24个月内有同类违法记录（2025年6月20日），不适用首次违法可以不予行政处罚的规定。"
	if !contains(ev.Reasons, want) {
		t.Errorf("reasons %q lack %q", ev.Reasons, want)
	}
}

func TestWarning(t *testing.T) {
	laneItem := func() Item {
		it := testItem()
		it.Code, it.Domain = "LANE", DomainTraffic
		it.PenaltyTypes, it.FineMin, it.FineMax = []string{PenaltyWarning, PenaltyFine}, 20, 200
		it.WarningEligible, it.WarningLookbackMonths = true, 6
		return it
	}
	pv := func(code, d string, handled bool) PriorViolation {
		return PriorViolation{ViolationCode: code, Date: d, Handled: handled}
	}
	tests := []struct {
		name     string
		lookback int
		affected bool
		request  []PriorViolation
		want     string
		usedLen  int
	}{
		{"clean", 6, false, nil, GroundFirstViolationWarning, 0},
		{"affected traffic", 6, true, nil, GroundNone, 0},
		{"any violation exactly 6 months back", 6, false, []PriorViolation{pv("OTHER", "2025-11-01", true)}, GroundNone, 1},
		{"a day outside the window", 6, false, []PriorViolation{pv("OTHER", "2025-10-31", true)}, GroundFirstViolationWarning, 0},
		{"lookback 0 means 6", 0, false, []PriorViolation{pv("OTHER", "2025-11-01", true)}, GroundNone, 1},
		{"lookback 12", 12, false, []PriorViolation{pv("OTHER", "2025-05-01", true)}, GroundNone, 1},
		{"unhandled earlier violation", 6, false, []PriorViolation{pv("OTHER", "2020-01-01", false)}, GroundNone, 1},
		{"handled earlier violation", 6, false, []PriorViolation{pv("OTHER", "2020-01-01", true)}, GroundFirstViolationWarning, 0},
		{"later violation ignored", 6, false, []PriorViolation{pv("OTHER", "2026-05-02", false)}, GroundFirstViolationWarning, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, it := personFacts(), laneItem()
			it.WarningLookbackMonths = tc.lookback
			f.ViolationCode, f.AffectedTraffic, f.PriorViolations = "LANE", tc.affected, tc.request
			ev := mustEval(t, f, it, nil)
			if ev.Ground != tc.want {
				t.Fatalf("ground %s, want %s; reasons %q", ev.Ground, tc.want, ev.Reasons)
			}
			if len(ev.HistoryUsed) != tc.usedLen {
				t.Errorf("history used %v, want %d", ev.HistoryUsed, tc.usedLen)
			}
			if tc.want == GroundFirstViolationWarning {
				if ev.Outcome != OutcomeWarning || !ev.SimplifiedProcedure || ev.DocumentKind != KindOnTheSpotDecision ||
					ev.Fine.Recommended != 0 || ev.HearingRequired || ev.Mandatory {
					t.Errorf("warning evaluation: %+v", ev)
				}
			} else if ev.Outcome != OutcomePenalty {
				t.Errorf("outcome %s", ev.Outcome)
			}
		})
	}
}

func TestHistoryMerge(t *testing.T) {
	f, it := personFacts(), testItem()
	it.FirstOffenseEligible, f.Corrected = true, true
	f.PriorViolations = []PriorViolation{
		{ViolationCode: "T-1", Date: "2025-06-20", Handled: false, Source: "spoofed"},
		{ViolationCode: "T-1", Date: "2025-01-02", Handled: true},
		{ViolationCode: "T-1", Date: "2025-01-02", Handled: true}, // repeated in the request
		{ViolationCode: "T-1", Date: "2020-01-02", Handled: true}, // outside the window
	}
	hist := []PriorViolation{
		{ViolationCode: "T-1", Date: "2025-06-20", Handled: true, Source: "document:12"},
	}
	ev := mustEval(t, f, it, hist)
	want := []PriorViolation{
		{ViolationCode: "T-1", Date: "2025-01-02", Handled: true, Source: "request"},
		{ViolationCode: "T-1", Date: "2025-06-20", Handled: true, Source: "document:12"},
	}
	if !reflect.DeepEqual(ev.HistoryUsed, want) {
		t.Errorf("history used\n got %+v\nwant %+v", ev.HistoryUsed, want)
	}
	if ev.Ground != GroundNone {
		t.Errorf("ground %s", ev.Ground)
	}
	// The caller's slices are not modified.
	if f.PriorViolations[0].Source != "spoofed" {
		t.Errorf("request slice modified: %+v", f.PriorViolations[0])
	}
	// A malformed database record is an internal error, not a silent skip.
	_, err := Evaluate(f, it, []PriorViolation{{ViolationCode: "T-1", Date: "2025-02-30"}}, testAuth, "")
	if errs.Code(err) != errs.Internal {
		t.Errorf("bad history: err %v, want internal", err)
	}
}

func TestFineRule(t *testing.T) {
	tests := []struct {
		name             string
		min, max         float64
		types            []string
		harm             string
		mitigating       []string
		proposed         float64
		wantMin, wantRec float64
		wantLighter      bool
		wantSimplified   bool
		wantHearing      bool
		wantKind         string
	}{
		{"no harm: minimum", 1000, 5000, []string{"fine"}, HarmNone, nil, 0, 1000, 1000, false, false, false, KindPenaltyDecision},
		{"minor harm: 30%", 1000, 5000, []string{"fine"}, HarmMinor, nil, 0, 1000, 2200, false, false, true, KindPenaltyDecision},
		{"serious harm: 70%", 1000, 5000, []string{"fine"}, HarmSerious, nil, 0, 1000, 3800, false, false, true, KindPenaltyDecision},
		{"rounded to whole yuan", 20, 200, []string{"fine"}, HarmMinor, nil, 0, 20, 74, false, true, false, KindOnTheSpotDecision},
		{"lighter: item minimum, range from 0", 1000, 5000, []string{"fine"}, HarmSerious, []string{MitigatingConfessedUnknown}, 0, 0, 1000, true, false, false, KindPenaltyDecision},
		{"proposed within range", 1000, 5000, []string{"fine"}, HarmNone, nil, 1500.5, 1000, 1500.5, false, false, false, KindPenaltyDecision},
		{"lighter: proposed below minimum", 1000, 5000, []string{"fine"}, HarmNone, []string{MitigatingEliminatedHarm}, 300, 0, 300, true, false, false, KindPenaltyDecision},
		{"fine only, min 0: a tenth of max", 0, 5000, []string{"fine"}, HarmNone, nil, 0, 0, 500, false, false, false, KindPenaltyDecision},
		{"warning or fine, min 0: warning", 0, 200, []string{"warning", "fine"}, HarmNone, nil, 0, 0, 0, false, true, false, KindOnTheSpotDecision},
		{"no fine: warning only", 0, 0, []string{"warning"}, HarmSerious, nil, 0, 0, 0, false, true, false, KindOnTheSpotDecision},
		{"person at 200: simplified", 20, 500, []string{"fine", "warning"}, HarmNone, nil, 200, 20, 200, false, true, false, KindOnTheSpotDecision},
		{"person at 200.01: not simplified", 20, 500, []string{"fine", "warning"}, HarmNone, nil, 200.01, 20, 200.01, false, false, false, KindPenaltyDecision},
		{"other penalty type: not simplified", 20, 500, []string{"fine", "confiscation"}, HarmNone, nil, 0, 20, 20, false, false, false, KindPenaltyDecision},
		{"hearing at exactly the threshold", 1000, 5000, []string{"fine"}, HarmNone, nil, 2000, 1000, 2000, false, false, true, KindPenaltyDecision},
		{"no hearing a cent below", 1000, 5000, []string{"fine"}, HarmNone, nil, 1999.99, 1000, 1999.99, false, false, false, KindPenaltyDecision},
		{"revocation: hearing", 100, 500, []string{"fine", "revocation"}, HarmNone, nil, 0, 100, 100, false, false, true, KindPenaltyDecision},
		{"suspension: hearing", 100, 500, []string{"fine", "suspension"}, HarmNone, nil, 0, 100, 100, false, false, true, KindPenaltyDecision},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, it := personFacts(), testItem()
			it.FineMin, it.FineMax, it.PenaltyTypes = tc.min, tc.max, tc.types
			f.Harm, f.Mitigating, f.ProposedFine = tc.harm, tc.mitigating, tc.proposed
			ev := mustEval(t, f, it, nil)
			got := []any{ev.Outcome, ev.Fine.Min, ev.Fine.Max, ev.Fine.Recommended, ev.Lighter, ev.SimplifiedProcedure, ev.HearingRequired, ev.LegalReviewRequired, ev.DocumentKind}
			want := []any{OutcomePenalty, tc.wantMin, tc.max, tc.wantRec, tc.wantLighter, tc.wantSimplified, tc.wantHearing, tc.wantHearing, tc.wantKind}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestOrganisationThresholds(t *testing.T) {
	tests := []struct {
		name       string
		proposed   float64
		gains      float64
		types      []string
		auth       AuthoritySettings
		simplified bool
		hearing    bool
	}{
		{"3000: simplified", 3000, 0, []string{"fine"}, testAuth, true, false},
		{"3000.01: not simplified", 3000.01, 0, []string{"fine"}, testAuth, false, false},
		{"10000: hearing", 10000, 0, []string{"fine"}, testAuth, false, true},
		{"9999.99: no hearing", 9999.99, 0, []string{"fine"}, testAuth, false, false},
		{"large confiscation", 1000, 10000, []string{"fine", "confiscation"}, testAuth, false, true},
		{"small confiscation", 1000, 9999.99, []string{"fine", "confiscation"}, testAuth, false, false},
		// Gains are confiscated whatever the item's types (APL Art. 28 ¶2): a
		// large confiscation, and no on-the-spot decision.
		{"gains without confiscation", 1000, 50000, []string{"fine"}, testAuth, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, it := orgFacts(), testItem()
			it.FineMin, it.FineMax, it.PenaltyTypes = 1000, 100000, tc.types
			f.ProposedFine, f.IllegalGains = tc.proposed, tc.gains
			ev, err := Evaluate(f, it, nil, tc.auth, "")
			if err != nil {
				t.Fatal(err)
			}
			if ev.SimplifiedProcedure != tc.simplified || ev.HearingRequired != tc.hearing || ev.LegalReviewRequired != tc.hearing {
				t.Errorf("simplified %v hearing %v review %v; want %v %v %v", ev.SimplifiedProcedure, ev.HearingRequired, ev.LegalReviewRequired, tc.simplified, tc.hearing, tc.hearing)
			}
		})
	}
}

// TestThresholdsRequired: an authority without hearing thresholds is an
// error, never "no hearing"; an item's own thresholds win.
func TestThresholdsRequired(t *testing.T) {
	f, it := orgFacts(), testItem()
	it.FineMin, it.FineMax, it.PenaltyTypes = 1000, 100000, []string{"fine"}
	f.ProposedFine = 50000
	if _, err := Evaluate(f, it, nil, AuthoritySettings{}, ""); errs.Code(err) != errs.Invalid {
		t.Fatalf("no thresholds: %v", err)
	}
	if _, err := Evaluate(f, it, nil, AuthoritySettings{HearingFinePerson: 2000}, ""); errs.Code(err) != errs.Invalid {
		t.Fatalf("no organisation threshold: %v", err)
	}
	it.HearingFinePerson, it.HearingFineOrg = 4000, 4000
	ev, err := Evaluate(f, it, nil, AuthoritySettings{}, "")
	if err != nil || !ev.HearingRequired {
		t.Fatalf("item thresholds: hearing %v, %v", ev.HearingRequired, err)
	}
	f.ProposedFine = 3999
	if ev, _ := Evaluate(f, it, nil, testAuth, ""); ev.HearingRequired {
		t.Error("the item's 4,000 did not win over the authority's 10,000")
	}
}

func TestMajorAndLighterArticles(t *testing.T) {
	f := personFacts()
	f.Major = true
	f.Mitigating = []string{MitigatingMeritoriousService, MitigatingEliminatedHarm, MitigatingEliminatedHarm}
	f.MentalCapacity = CapacityLimited
	f.Aggravating = []string{"多次拒绝检查"}
	ev := mustEval(t, f, testItem(), nil)
	if !ev.LegalReviewRequired || ev.HearingRequired || !ev.Lighter {
		t.Errorf("review %v hearing %v lighter %v", ev.LegalReviewRequired, ev.HearingRequired, ev.Lighter)
	}
	want := []string{"《测试法》第十条", "《测试法》第二十条", LawAPL + "第三十一条", LawAPL + "第三十二条第一项", LawAPL + "第三十二条第四项"}
	if !reflect.DeepEqual(ev.Articles, want) {
		t.Errorf("articles\n got %q\nwant %q", ev.Articles, want)
	}
	if !contains(ev.Reasons, "存在从重情节：多次拒绝检查。") {
		t.Errorf("reasons %q lack the aggravating fact", ev.Reasons)
	}
	// Major on a no-penalty outcome still needs legal review.
	f = personFacts()
	f.Major, f.NoFaultProven = true, true
	if ev := mustEval(t, f, testItem(), nil); !ev.LegalReviewRequired || ev.Outcome != OutcomeNoPenalty {
		t.Errorf("major no-penalty: %+v", ev)
	}
}

// publicCases mirrors shared/cases/public.json (copied to testdata).
type publicCases struct {
	Authority AuthoritySettings `json:"authority"`
	Items     []Item            `json:"items"`
	Cases     []struct {
		Name   string         `json:"name"`
		Facts  Facts          `json:"facts"`
		Expect map[string]any `json:"expect"`
	} `json:"cases"`
}

func TestPublicCases(t *testing.T) {
	raw, err := os.ReadFile("testdata/public_cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var pc publicCases
	if err := json.Unmarshal(raw, &pc); err != nil {
		t.Fatal(err)
	}
	if len(pc.Cases) == 0 {
		t.Fatal("no cases")
	}
	items := map[string]Item{}
	for _, it := range pc.Items {
		items[it.Code] = it
	}
	for _, c := range pc.Cases {
		t.Run(c.Name, func(t *testing.T) {
			it, ok := items[c.Facts.ViolationCode]
			if !ok {
				t.Fatalf("unknown item %s", c.Facts.ViolationCode)
			}
			ev, err := Evaluate(c.Facts, it, nil, pc.Authority, "")
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			b, _ := json.Marshal(ev)
			_ = json.Unmarshal(b, &got)
			for k, want := range c.Expect {
				if !reflect.DeepEqual(got[k], want) {
					t.Errorf("%s = %v, want %v", k, got[k], want)
				}
			}
		})
	}
}

// Details of the public cases beyond their expect blocks.
func TestPublicCaseDetails(t *testing.T) {
	raw, _ := os.ReadFile("testdata/public_cases.json")
	var pc publicCases
	if err := json.Unmarshal(raw, &pc); err != nil {
		t.Fatal(err)
	}
	items := map[string]Item{}
	for _, it := range pc.Items {
		items[it.Code] = it
	}
	ev := func(i int) Evaluation {
		c := pc.Cases[i]
		e, err := Evaluate(c.Facts, items[c.Facts.ViolationCode], nil, pc.Authority, "")
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	if e := ev(1); e.Fine != (Fine{Min: 10000, Max: 200000, Recommended: 10000}) || e.SimplifiedProcedure || len(e.HistoryUsed) != 1 {
		t.Errorf("case 2: fine %+v simplified %v history %v", e.Fine, e.SimplifiedProcedure, e.HistoryUsed)
	}
	if e := ev(0); !contains(e.Reasons, "当事人系初次违法，违法行为发生前24个月内无同类违法记录。") ||
		!contains(e.Articles, LawAPL+"第三十三条第一款") || e.Articles[0] != "《易制毒化学品管理条例》第二十条第二款" {
		t.Errorf("case 1: reasons %q articles %q", e.Reasons, e.Articles)
	}
	if e := ev(2); !reflect.DeepEqual(e.Articles, []string{"《中华人民共和国道路交通安全法》第三十六条", "《中华人民共和国道路交通安全法》第九十条",
		"《中华人民共和国道路交通安全法》第八十七条", "《中华人民共和国道路交通安全法》第一百零七条"}) {
		t.Errorf("case 3 articles %q", e.Articles)
	}
	if e := ev(3); !contains(e.Reasons, "当事人2013年9月30日出生，违法行为发生时（2026年5月1日）未满十四周岁，依法不予行政处罚，责令其监护人加以管教。") {
		t.Errorf("case 4 reasons %q", e.Reasons)
	}
	if e := ev(4); !reflect.DeepEqual(e.Reasons, []string{"违法行为发生之日（2025年9月1日）至被发现之日（2026年5月2日）已超过6个月的追责时效，依法不再给予行政处罚。"}) {
		t.Errorf("case 5 reasons %q", e.Reasons)
	}
}
