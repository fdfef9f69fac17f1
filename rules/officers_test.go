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
	for _, tc := range []struct {
		name         string
		os           []Officer
		kind, domain string
		want         error
	}{
		{"two certified", []Officer{ok, ok}, KindPenaltyDecision, DomainMarketRegulation, nil},
		{"one certified", []Officer{ok, uncertified}, KindPenaltyDecision, DomainMarketRegulation, ErrTooFewOfficers},
		{"one of another office", []Officer{ok, elsewhere}, KindNoPenaltyDecision, DomainPublicSecurity, ErrTooFewOfficers},
		{"traffic penalty decision", []Officer{ok}, KindPenaltyDecision, DomainTraffic, ErrTooFewOfficers},
		{"traffic on the spot, one", []Officer{ok}, KindOnTheSpotDecision, DomainTraffic, nil},
		{"traffic on the spot, none certified", []Officer{uncertified}, KindOnTheSpotDecision, DomainTraffic, ErrNoOfficer},
		{"market on the spot, one", []Officer{ok}, KindOnTheSpotDecision, DomainMarketRegulation, ErrTooFewOfficers},
	} {
		if got := EnoughOfficers(tc.os, tc.kind, tc.domain); !errors.Is(got, tc.want) && got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
