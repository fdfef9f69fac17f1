package rules

import (
	"errors"
	"testing"
)

// TestEnoughOfficers: two certified officers of the authority (APL Art.
// 42), except a traffic decision on the spot, which one traffic police
// officer may make (道路交通安全法 Art. 107; 程序规定 Art. 44).
func TestEnoughOfficers(t *testing.T) {
	ok, uncertified, elsewhere := Officer{Certified: true, Serves: true}, Officer{Serves: true}, Officer{Certified: true}
	warning := []Penalty{{Type: ImposeWarning}}
	fine := func(yuan float64) []Penalty { return []Penalty{{Type: ImposeFine, Amount: yuan}} }
	for _, tc := range []struct {
		name         string
		os           []Officer
		kind, domain string
		ps           []Penalty
		want         error
	}{
		{"two certified", []Officer{ok, ok}, KindPenaltyDecision, DomainMarketRegulation, fine(5000), nil},
		{"one certified", []Officer{ok, uncertified}, KindPenaltyDecision, DomainMarketRegulation, fine(5000), ErrTooFewOfficers},
		{"one of another office", []Officer{ok, elsewhere}, KindNoPenaltyDecision, DomainPublicSecurity, nil, ErrTooFewOfficers},
		{"traffic penalty decision", []Officer{ok}, KindPenaltyDecision, DomainTraffic, fine(200), ErrTooFewOfficers},
		{"traffic on the spot, a warning, one", []Officer{ok}, KindOnTheSpotDecision, DomainTraffic, warning, nil},
		{"traffic on the spot, 200 yuan, one", []Officer{ok}, KindOnTheSpotDecision, DomainTraffic, fine(200), nil},
		{"traffic on the spot, 201 yuan, one", []Officer{ok}, KindOnTheSpotDecision, DomainTraffic, fine(201), ErrTooFewOfficers},
		{"traffic on the spot, 1000 yuan to a unit, two", []Officer{ok, ok}, KindOnTheSpotDecision, DomainTraffic, fine(1000), nil},
		{"traffic on the spot, 150 + 100 yuan", []Officer{ok}, KindOnTheSpotDecision, DomainTraffic,
			append(fine(150), Penalty{Type: ImposeFine, Amount: 100}), ErrTooFewOfficers},
		{"traffic on the spot, confiscation", []Officer{ok}, KindOnTheSpotDecision, DomainTraffic,
			append(fine(50), Penalty{Type: ImposeConfiscateGains, Amount: 10}), ErrTooFewOfficers},
		{"traffic on the spot, no penalty", []Officer{ok}, KindOnTheSpotDecision, DomainTraffic, nil, ErrTooFewOfficers},
		{"traffic on the spot, none certified", []Officer{uncertified}, KindOnTheSpotDecision, DomainTraffic, warning, ErrNoOfficer},
		{"market on the spot, one", []Officer{ok}, KindOnTheSpotDecision, DomainMarketRegulation, fine(50), ErrTooFewOfficers},
	} {
		if got := EnoughOfficers(tc.os, tc.kind, tc.domain, tc.ps); !errors.Is(got, tc.want) && got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
