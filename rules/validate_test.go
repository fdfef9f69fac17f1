package rules

import (
	"reflect"
	"testing"
)

func TestValidateValid(t *testing.T) {
	f := personFacts()
	f.Party.IDNumber = "33110219880719016x"
	f.Harm, f.MentalCapacity = "", ""
	it := testItem()
	if err := Validate(&f, &it, ""); err != nil {
		t.Fatal(err)
	}
	want := Party{Kind: PartyPerson, Name: "张某", IDNumber: "33110219880719016X", BirthDate: "1988-07-19", Sex: "女"}
	if f.Party != want {
		t.Errorf("party %+v, want %+v", f.Party, want)
	}
	if f.Harm != HarmNone || f.MentalCapacity != CapacityFull {
		t.Errorf("defaults: harm %q capacity %q", f.Harm, f.MentalCapacity)
	}
	o := orgFacts()
	o.Party.CreditCode = " 91330421ma28abcde4 "
	if err := Validate(&o, &it, "2026-05-10"); err != nil || o.Party.CreditCode != "91330421MA28ABCDE4" {
		t.Errorf("organisation: %v, code %q", err, o.Party.CreditCode)
	}
}

func TestValidateFields(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *Facts, it *Item)
		dec    string
		fields []string
	}{
		{"kind missing", func(f *Facts, _ *Item) { f.Party.Kind = "" }, "", []string{"party.kind"}},
		{"kind unknown", func(f *Facts, _ *Item) { f.Party.Kind = "company" }, "", []string{"party.kind"}},
		{"name missing", func(f *Facts, _ *Item) { f.Party.Name = "  " }, "", []string{"party.name"}},
		{"code missing", func(f *Facts, _ *Item) { f.ViolationCode = "" }, "", []string{"violation_code"}},
		{"id missing", func(f *Facts, _ *Item) { f.Party.IDNumber = "" }, "", []string{"party.id_number"}},
		{"id checksum", func(f *Facts, _ *Item) { f.Party.IDNumber = "331102198807190161" }, "", []string{"party.id_number"}},
		{"id 30 February", func(f *Facts, _ *Item) { f.Party.IDNumber = mkID("19990230", "011") }, "", []string{"party.id_number"}},
		{"id short", func(f *Facts, _ *Item) { f.Party.IDNumber = "3311021988" }, "", []string{"party.id_number"}},
		{"birth date disagrees", func(f *Facts, _ *Item) { f.Party.BirthDate = "1988-07-20" }, "", []string{"party.birth_date"}},
		{"birth date malformed", func(f *Facts, _ *Item) { f.Party.BirthDate = "1988-7-19" }, "", []string{"party.birth_date"}},
		{"born after decision", func(f *Facts, _ *Item) {
			f.Party.IDNumber = mkID("20260601", "011")
		}, "", []string{"party.id_number", "violation_date"}},
		{"credit code missing", func(f *Facts, _ *Item) { *f = orgFacts(); f.Party.CreditCode = "" }, "", []string{"party.credit_code"}},
		{"credit code checksum", func(f *Facts, _ *Item) { *f = orgFacts(); f.Party.CreditCode = "91330421MA28ABCDE5" }, "", []string{"party.credit_code"}},
		{"credit code charset", func(f *Facts, _ *Item) { *f = orgFacts(); f.Party.CreditCode = "91330421MA28ABCDI4" }, "", []string{"party.credit_code"}},
		{"credit code length", func(f *Facts, _ *Item) { *f = orgFacts(); f.Party.CreditCode = "91330421MA28ABCDE" }, "", []string{"party.credit_code"}},
		{"violation date missing", func(f *Facts, _ *Item) { f.ViolationDate = "" }, "", []string{"violation_date"}},
		{"violation date not real", func(f *Facts, _ *Item) { f.ViolationDate = "2026-02-29" }, "", []string{"violation_date"}},
		{"discovered missing", func(f *Facts, _ *Item) { f.DiscoveredDate = "" }, "", []string{"discovered_date"}},
		{"act after discovery", func(f *Facts, _ *Item) { f.ViolationDate = "2026-05-03" }, "", []string{"violation_date"}},
		{"end before act", func(f *Facts, _ *Item) { f.ViolationEndDate = "2026-04-30" }, "", []string{"violation_end_date"}},
		{"end after discovery", func(f *Facts, _ *Item) { f.ViolationEndDate = "2026-05-03" }, "", []string{"violation_end_date"}},
		{"end malformed", func(f *Facts, _ *Item) { f.ViolationEndDate = "2026-05-32" }, "", []string{"violation_end_date"}},
		{"discovered in the future", func(f *Facts, _ *Item) {
			f.ViolationDate, f.DiscoveredDate = "2026-05-11", "2026-05-11"
		}, "", []string{"violation_date", "discovered_date"}},
		{"decision date argument wins", func(f *Facts, _ *Item) {}, "2026-05-01", []string{"discovered_date"}},
		{"decision date malformed", func(f *Facts, _ *Item) { f.DecisionDate = "10/05/2026" }, "", []string{"decision_date"}},
		{"prior violation", func(f *Facts, _ *Item) {
			f.PriorViolations = []PriorViolation{{ViolationCode: "T-1", Date: "2026-01-01"}, {Date: "2026-05-11"}, {ViolationCode: "X", Date: "2025-02-29"}}
		}, "", []string{"prior_violations[1].violation_code", "prior_violations[1].date", "prior_violations[2].date"}},
		{"harm", func(f *Facts, _ *Item) { f.Harm = "big" }, "", []string{"harm"}},
		{"capacity", func(f *Facts, _ *Item) { f.MentalCapacity = "half" }, "", []string{"mental_capacity"}},
		{"mitigating", func(f *Facts, _ *Item) { f.Mitigating = []string{MitigatingEliminatedHarm, "sorry"} }, "", []string{"mitigating[1]"}},
		{"three decimals", func(f *Facts, _ *Item) { f.ProposedFine = 1000.001 }, "", []string{"proposed_fine"}},
		{"negative fine", func(f *Facts, _ *Item) { f.ProposedFine = -1 }, "", []string{"proposed_fine"}},
		{"negative gains", func(f *Facts, _ *Item) { f.IllegalGains = -0.01 }, "", []string{"illegal_gains"}},
		{"gains three decimals", func(f *Facts, _ *Item) { f.IllegalGains = 0.125 }, "", []string{"illegal_gains"}},
		{"fine below minimum", func(f *Facts, _ *Item) { f.ProposedFine = 999.99 }, "", []string{"proposed_fine"}},
		{"fine above maximum", func(f *Facts, _ *Item) { f.ProposedFine = 5000.01 }, "", []string{"proposed_fine"}},
		{"lighter, above maximum", func(f *Facts, _ *Item) {
			f.ProposedFine, f.Mitigating = 5000.01, []string{MitigatingCoercedOrDeceived}
		}, "", []string{"proposed_fine"}},
		{"item without fine", func(f *Facts, it *Item) { it.FineMin, it.FineMax, f.ProposedFine = 0, 0, 10 }, "", []string{"proposed_fine"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, it := personFacts(), testItem()
			tc.change(&f, &it)
			fields := fieldsOf(t, Validate(&f, &it, tc.dec))
			var got []string
			for k, msg := range fields {
				got = append(got, k)
				if msg == "" {
					t.Errorf("%s: empty message", k)
				}
			}
			if !sameSet(got, tc.fields) {
				t.Errorf("fields %v, want %v", fields, tc.fields)
			}
		})
	}
}

func TestValidateAllowed(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *Facts, it *Item)
	}{
		{"two decimals", func(f *Facts, _ *Item) { f.ProposedFine, f.IllegalGains = 1000.01, 0.1 }},
		{"fine at minimum", func(f *Facts, _ *Item) { f.ProposedFine = 1000 }},
		{"fine at maximum", func(f *Facts, _ *Item) { f.ProposedFine = 5000 }},
		{"lighter, below minimum", func(f *Facts, _ *Item) { f.ProposedFine, f.Mitigating = 0.01, []string{MitigatingConfessedUnknown} }},
		{"minor (age 16), below minimum", func(f *Facts, _ *Item) { f.ProposedFine, f.Party.IDNumber = 10, mkID("20100101", "011") }},
		{"limited capacity, below minimum", func(f *Facts, _ *Item) { f.ProposedFine, f.MentalCapacity = 10, CapacityLimited }},
		{"everything on one day", func(f *Facts, _ *Item) {
			f.ViolationDate, f.ViolationEndDate, f.DiscoveredDate, f.DecisionDate = "2026-05-10", "2026-05-10", "2026-05-10", "2026-05-10"
		}},
		{"no decision date: no future check", func(f *Facts, _ *Item) {
			f.DecisionDate, f.ViolationDate, f.DiscoveredDate = "", "2099-01-01", "2099-01-02"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, it := personFacts(), testItem()
			tc.change(&f, &it)
			if err := Validate(&f, &it, ""); err != nil {
				t.Error(err)
			}
		})
	}
	// A nil item skips the range check.
	f := personFacts()
	f.ProposedFine = 1e9
	if err := Validate(&f, nil, ""); err != nil {
		t.Error(err)
	}
}

func TestValidateItem(t *testing.T) {
	tests := []struct {
		name   string
		change func(it *Item)
		fields []string
	}{
		{"valid", func(*Item) {}, nil},
		{"no code", func(it *Item) { it.Code = " " }, []string{"code"}},
		{"no name", func(it *Item) { it.Name = "" }, []string{"name"}},
		{"min above max", func(it *Item) { it.FineMin = 6000 }, []string{"fine_min"}},
		{"negative max", func(it *Item) { it.FineMax = -1 }, []string{"fine_max"}},
		{"bad type", func(it *Item) { it.PenaltyTypes = []string{"fine", "jail"} }, []string{"penalty_types[1]"}},
		{"bad domain", func(it *Item) { it.Domain = "tax" }, []string{"domain"}},
		{"negative limitation", func(it *Item) { it.LimitationMonths = -1 }, []string{"limitation_months"}},
		{"negative lookback is allowed", func(it *Item) { it.FirstOffenseLookbackMonths, it.WarningLookbackMonths = -1, -1 }, nil},
	}
	for _, tc := range tests {
		it := testItem()
		tc.change(&it)
		fields := fieldsOf(t, ValidateItem(&it))
		var got []string
		for k := range fields {
			got = append(got, k)
		}
		if !sameSet(got, tc.fields) {
			t.Errorf("%s: fields %v, want %v", tc.name, fields, tc.fields)
		}
	}
	// Evaluate refuses an invalid item and a missing decision date.
	it := testItem()
	it.FineMin = 9000
	if _, err := Evaluate(personFacts(), it, nil, testAuth, ""); !reflect.DeepEqual(keys(fieldsOf(t, err)), []string{"fine_min"}) {
		t.Errorf("invalid item: %v", err)
	}
	f := personFacts()
	f.DecisionDate = ""
	if _, err := Evaluate(f, testItem(), nil, testAuth, ""); !reflect.DeepEqual(keys(fieldsOf(t, err)), []string{"decision_date"}) {
		t.Errorf("no decision date: %v", err)
	}
	if _, err := Evaluate(f, testItem(), nil, testAuth, "2026-05-10"); err != nil {
		t.Errorf("decision date argument: %v", err)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		if m[x] == 0 {
			return false
		}
		m[x]--
	}
	return true
}

// TestTrimFindingLead: the letters print "经查，" before the facts; an
// officer's own 经查 goes, other openings stay.
func TestTrimFindingLead(t *testing.T) {
	for in, want := range map[string]string{
		"经查，当事人于2026年5月1日……": "当事人于2026年5月1日……",
		"经查明：当事人销售……":        "当事人销售……",
		"  经调查, 当事人……":       "当事人……",
		"经查验，当事人的营业执照已过期。":   "经查验，当事人的营业执照已过期。",
		"当事人于2026年5月1日经查，……": "当事人于2026年5月1日经查，……",
		"经查，": "经查，",
	} {
		if got := trimFindingLead(in); got != want {
			t.Errorf("trimFindingLead(%q) = %q, want %q", in, got, want)
		}
	}
}
