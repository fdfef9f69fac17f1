package rules

import (
	"fmt"
	"strings"
	"testing"

	"penaltydoc/rules/limits"
)

var groundOutcome = map[string]string{
	GroundLimitation: OutcomeNoPenalty, GroundUnderAge: OutcomeNoPenalty, GroundMentalIncapacity: OutcomeNoPenalty,
	GroundNoFault: OutcomeNoPenalty, GroundMinorCorrected: OutcomeNoPenalty, GroundFirstOffense: OutcomeNoPenalty,
	GroundFirstViolationWarning: OutcomeWarning, GroundNone: OutcomePenalty,
}

var allTypes = []string{PenaltyWarning, PenaltyFine, PenaltyConfiscation, PenaltySuspension, PenaltyRevocation, PenaltyDetention}

// checkEvaluation asserts what every evaluation must satisfy.
func checkEvaluation(t *testing.T, ev Evaluation) {
	t.Helper()
	want, ok := groundOutcome[ev.Ground]
	if !ok || ev.Outcome != want {
		t.Fatalf("ground %q with outcome %q", ev.Ground, ev.Outcome)
	}
	switch ev.DocumentKind {
	case KindPenaltyDecision, KindNoPenaltyDecision, KindOnTheSpotDecision:
	default:
		t.Fatalf("document kind %q", ev.DocumentKind)
	}
	fine := ev.Fine
	if fine.Min < 0 || fine.Min > fine.Max {
		t.Fatalf("fine range %+v", fine)
	}
	if ev.Outcome == OutcomePenalty {
		if fine.Recommended < fine.Min || fine.Recommended > fine.Max {
			t.Fatalf("recommended outside range: %+v", fine)
		}
	} else if fine.Recommended != 0 || ev.HearingRequired {
		t.Fatalf("%s with fine %+v hearing %v", ev.Outcome, fine, ev.HearingRequired)
	}
	if ev.HearingRequired && !ev.LegalReviewRequired {
		t.Fatal("hearing without legal review")
	}
	switch {
	case ev.SimplifiedProcedure && ev.DocumentKind != KindOnTheSpotDecision,
		!ev.SimplifiedProcedure && ev.DocumentKind == KindOnTheSpotDecision,
		ev.Outcome == OutcomeWarning && !ev.SimplifiedProcedure,
		ev.Outcome == OutcomeNoPenalty && ev.DocumentKind != KindNoPenaltyDecision:
		t.Fatalf("outcome %s simplified %v kind %s", ev.Outcome, ev.SimplifiedProcedure, ev.DocumentKind)
	}
	if len(ev.Reasons) == 0 || ev.HistoryUsed == nil || ev.RuleSetVersion != RuleSetVersion {
		t.Fatalf("reasons %q history %v version %q", ev.Reasons, ev.HistoryUsed, ev.RuleSetVersion)
	}
	for _, r := range ev.Reasons {
		if r == "" || !strings.HasSuffix(r, "。") {
			t.Fatalf("reason %q", r)
		}
	}
	if (ev.Ground == GroundFirstOffense) != (ev.PenaltyAlternative != nil) {
		t.Fatalf("ground %s alternative %v", ev.Ground, ev.PenaltyAlternative)
	}
	if ev.Ground == GroundFirstOffense {
		out, err := ApplyOverride(ev, Override{Outcome: OutcomePenalty, Reason: "情节较重，社会影响较大，应予处罚"})
		if err != nil {
			t.Fatalf("override: %v", err)
		}
		if out.Outcome != OutcomePenalty || out.Fine.Recommended < out.Fine.Min || out.Fine.Recommended > out.Fine.Max {
			t.Fatalf("override result %+v", out)
		}
	}
}

func FuzzEvaluate(f *testing.F) {
	// person, birth (YYYYMMDD), act, end, discovered, decision, harm, capacity,
	// flags (bits: minor, major, corrected, no-fault, affected, first-offense item,
	// warning item, safety, no-fault excluded), mitigating bits, penalty type bits,
	// fine min, max, proposed, gains, limitation, first-offense lookback, warning lookback,
	// prior code, prior date, prior handled.
	f.Add(true, "19880719", "2026-05-01", "", "2026-05-02", "2026-05-10", "none", "full", uint16(0), uint8(0), uint8(2), 1000.0, 5000.0, 0.0, 0.0, 24, 24, 6, "T-1", "2025-01-01", true)
	f.Add(true, "20120229", "2026-02-28", "", "2026-03-01", "2026-03-01", "minor", "limited", uint16(0b111111111), uint8(15), uint8(63), 0.0, 200.0, 150.0, 10.5, 6, 0, 0, "T-1", "2026-02-28", false)
	f.Add(false, "", "2024-01-31", "2024-02-10", "2024-03-01", "2024-03-05", "serious", "", uint16(0b100100), uint8(1), uint8(6), 10000.0, 200000.0, 0.0, 100000.0, 1, -1, -1, "t-1", "2020-01-01", true)
	f.Add(true, "20080501", "2026-05-01", "", "2026-05-01", "2026-05-01", "", "none", uint16(0b1000000), uint8(0), uint8(1), 0.0, 0.0, 0.0, 0.0, 0, 0, 0, "", "", false)
	f.Add(true, "19990230", "2026-13-01", "x", "2026-05-02", "bad", "huge", "half", uint16(0), uint8(0), uint8(0), -1.0, 1e300, 0.001, -5.0, -3, 5000, 7, "T-1", "2026-02-30", true)
	f.Fuzz(func(t *testing.T, person bool, birth, act, end, disc, dec, harm, capacity string,
		flags uint16, mitig, types uint8, fineMin, fineMax, proposed, gains float64,
		limit, foLook, wLook int, priorCode, priorDate string, priorHandled bool) {
		bit := func(i uint) bool { return flags&(1<<i) != 0 }
		facts := Facts{
			ViolationCode: "T-1", ViolationDate: act, ViolationEndDate: end, DiscoveredDate: disc, DecisionDate: dec,
			Harm: harm, MentalCapacity: capacity, Minor: bit(0), Major: bit(1), Corrected: bit(2), NoFaultProven: bit(3),
			AffectedTraffic: bit(4), ProposedFine: proposed, IllegalGains: gains, Aggravating: []string{priorCode},
		}
		if person {
			id := "331102" + birth + "011"
			if c := IDCheckChar(id); c != 0 {
				id += string(c)
			}
			facts.Party = Party{Kind: PartyPerson, Name: "张某", IDNumber: id}
		} else {
			facts.Party = Party{Kind: PartyOrganization, Name: "某公司", CreditCode: "91330421MA28ABCDE4"}
		}
		mits := []string{MitigatingEliminatedHarm, MitigatingCoercedOrDeceived, MitigatingConfessedUnknown, MitigatingMeritoriousService}
		for i, m := range mits {
			if mitig&(1<<uint(i)) != 0 {
				facts.Mitigating = append(facts.Mitigating, m)
			}
		}
		if priorCode != "" || priorDate != "" {
			facts.PriorViolations = []PriorViolation{{ViolationCode: priorCode, Date: priorDate, Handled: priorHandled}}
		}
		it := testItem()
		it.FirstOffenseEligible, it.WarningEligible, it.SafetyRelated, it.NoFaultExcluded = bit(5), bit(6), bit(7), bit(8)
		it.FineMin, it.FineMax, it.LimitationMonths = fineMin, fineMax, limit
		it.FirstOffenseLookbackMonths, it.WarningLookbackMonths = foLook, wLook
		it.PenaltyTypes = nil
		for i, ty := range allTypes {
			if types&(1<<uint(i)) != 0 {
				it.PenaltyTypes = append(it.PenaltyTypes, ty)
			}
		}
		hist := []PriorViolation{{ViolationCode: "T-1", Date: priorDate, Handled: true, Source: "document:1"}}
		if !ValidDate(priorDate) {
			hist = nil
		}
		ev, err := Evaluate(facts, it, hist, testAuth, "")
		if err != nil {
			return
		}
		checkEvaluation(t, ev)
	})
}

func FuzzValidate(f *testing.F) {
	f.Add("person", "33110219880719016X", "", "", "2026-05-01", "2026-05-02", "2026-05-10", 0.0, 0.0)
	f.Add("organization", "", "91330421MA28ABCDE4", "", "2021-06-20", "2021-07-01", "2021-07-05", 10000.0, 0.5)
	f.Add("person", "330102201309300278", "", "2013-09-30", "2026-05-01", "2026-05-02", "", 12.345, -1.0)
	f.Add("", "x", "y", "2026-02-30", "2026-05-03", "2026-05-02", "2026-05-01", 1e13, 0.0)
	f.Fuzz(func(t *testing.T, kind, id, credit, birth, act, disc, dec string, proposed, gains float64) {
		facts := Facts{
			ViolationCode: "T-1", Party: Party{Kind: kind, Name: "当事人", IDNumber: id, CreditCode: credit, BirthDate: birth},
			ViolationDate: act, DiscoveredDate: disc, DecisionDate: dec, ProposedFine: proposed, IllegalGains: gains,
		}
		it := testItem()
		err := Validate(&facts, &it, "")
		if err != nil {
			fieldsOf(t, err) // must be an invalid error with fields
			return
		}
		if facts.Party.Kind == PartyPerson {
			b, sex, ok := ValidIDNumber(facts.Party.IDNumber)
			if !ok || facts.Party.BirthDate != b || facts.Party.Sex != sex {
				t.Fatalf("accepted person %+v", facts.Party)
			}
		} else if !ValidCreditCode(facts.Party.CreditCode) {
			t.Fatalf("accepted credit code %q", facts.Party.CreditCode)
		}
		a, _ := parseDate(facts.ViolationDate)
		d, _ := parseDate(facts.DiscoveredDate)
		if a.after(d) || !limits.TwoDecimals(facts.ProposedFine) || facts.IllegalGains < 0 {
			t.Fatalf("accepted %+v", facts)
		}
		if facts.DecisionDate != "" {
			ev, err := Evaluate(facts, it, nil, testAuth, "")
			if err != nil {
				t.Fatalf("valid facts, Evaluate: %v", err)
			}
			checkEvaluation(t, ev)
		}
	})
}

func FuzzIDNumber(f *testing.F) {
	f.Add("33110219880719016X")
	f.Add("33110219880719016x")
	f.Add("330102201309300278")
	f.Add("331102199902300110")
	f.Add("91330421MA28ABCDE4")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		birth, sex, ok := ValidIDNumber(s)
		up := strings.ToUpper(s)
		if ok != (len(s) == 18 && idProblem(up) == "") {
			t.Fatalf("ValidIDNumber(%q) = %v but idProblem says %q", s, ok, idProblem(up))
		}
		if ok {
			if IDCheckChar(s[:17]) != up[17] || !ValidDate(birth) || (sex != "男" && sex != "女") {
				t.Fatalf("ValidIDNumber(%q) = %q %q", s, birth, sex)
			}
			if want := fmt.Sprintf("%s-%s-%s", s[6:10], s[10:12], s[12:14]); birth != want {
				t.Fatalf("birth %q, want %q", birth, want)
			}
		}
		if ValidCreditCode(s) != (len(s) == 18 && creditProblem(s) == "") {
			t.Fatalf("ValidCreditCode(%q) disagrees with creditProblem %q", s, creditProblem(s))
		}
		if len(s) >= 17 {
			if c := CreditCodeCheckChar(s[:17]); c != 0 && !ValidCreditCode(s[:17]+string(c)) {
				t.Fatalf("completed code %q invalid", s[:17]+string(c))
			}
			if c := IDCheckChar(s[:17]); c != 0 {
				if _, _, ok := ValidIDNumber(s[:17] + string(c)); ok != (idProblem(s[:17]+string(c)) == "") {
					t.Fatalf("completed id %q", s[:17]+string(c))
				}
			}
		}
	})
}
