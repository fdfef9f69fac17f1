package rules

import (
	"errors"
	"testing"

	"penaltydoc/errs"
)

// mkID builds a valid resident id number: area 331102, birth YYYYMMDD, seq (3 digits).
func mkID(birth, seq string) string {
	s := "331102" + birth + seq
	return s + string(IDCheckChar(s))
}

// mkCredit completes 17 characters with their check character.
func mkCredit(first17 string) string { return first17 + string(CreditCodeCheckChar(first17)) }

var adultID = mkID("19880719", "016")

var testAuth = AuthoritySettings{HearingFinePerson: 2000, HearingFineOrg: 10000}

func testItem() Item {
	return Item{
		Code: "T-1", Name: "测试事项", Domain: DomainMarketRegulation,
		ViolatedProvision: "《测试法》第十条", PenaltyProvision: "《测试法》第二十条",
		PenaltyTypes: []string{PenaltyFine}, FineMin: 1000, FineMax: 5000,
		FirstOffenseLookbackMonths: 24, WarningLookbackMonths: 6, LimitationMonths: 24,
	}
}

func personFacts() Facts {
	return Facts{
		ViolationCode: "T-1",
		Party:         Party{Kind: PartyPerson, Name: "张某", IDNumber: adultID},
		ViolationDate: "2026-05-01", DiscoveredDate: "2026-05-02", DecisionDate: "2026-05-10",
		Harm: HarmNone, MentalCapacity: CapacityFull,
	}
}

func orgFacts() Facts {
	f := personFacts()
	f.Party = Party{Kind: PartyOrganization, Name: "示例有限公司", CreditCode: mkCredit("91330421MA28ABCDE")}
	return f
}

func mustEval(t *testing.T, f Facts, it Item, hist []PriorViolation) Evaluation {
	t.Helper()
	ev, err := Evaluate(f, it, hist, testAuth, "")
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return ev
}

// fieldsOf returns the per-field messages of an invalid error (nil for nil).
func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.Invalid {
		t.Fatalf("want invalid error, got %v", err)
	}
	return e.Fields
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
