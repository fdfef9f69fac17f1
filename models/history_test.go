package models

import (
	"context"
	"testing"

	"penaltydoc/rules"
)

// TestPartyHistory: which issued decisions count as a violation of the party.
func TestPartyHistory(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		key := "91330421MA28ABCDE4"
		mk := func(code, date, kind, status, ground string, partyKey string) uint {
			c := Case{AuthorityID: 1, ItemID: 1, ViolationCode: code, PartyID: 1, PartyName: "某公司", PartyKey: partyKey,
				Status: CaseClosed, ViolationDate: date, DiscoveredDate: date, Ground: ground}
			if err := s.db.Create(&c).Error; err != nil {
				t.Fatal(err)
			}
			d := Document{CaseID: c.ID, AuthorityID: 1, Kind: kind, Status: status, TemplateVersion: 1}
			if err := s.db.Create(&d).Error; err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
		counted := []uint{
			mk("A", "2025-01-01", rules.KindPenaltyDecision, DocIssued, rules.GroundNone, key),
			mk("B", "2025-02-01", rules.KindOnTheSpotDecision, DocServed, rules.GroundFirstViolationWarning, key),
			mk("C", "2025-03-01", rules.KindNoPenaltyDecision, DocIssued, rules.GroundFirstOffense, key),
			mk("D", "2025-04-01", rules.KindNoPenaltyDecision, DocServed, rules.GroundMinorCorrected, key),
		}
		for _, g := range []string{rules.GroundLimitation, rules.GroundUnderAge, rules.GroundMentalIncapacity, rules.GroundNoFault} {
			mk("X", "2025-05-01", rules.KindNoPenaltyDecision, DocIssued, g, key) // no violation found
		}
		mk("Y", "2025-06-01", rules.KindPenaltyDecision, DocDraft, rules.GroundNone, key)         // not issued
		mk("Y", "2025-06-02", rules.KindPenaltyDecision, DocSuperseded, rules.GroundNone, key)    // counted through its correction
		mk("Y", "2025-06-03", rules.KindAdvanceNotice, DocIssued, rules.GroundNone, key)          // not a decision
		mk("Z", "2025-07-01", rules.KindPenaltyDecision, DocIssued, rules.GroundNone, "OTHERKEY") // another party

		got, err := s.PartyHistory(ctx, Everything, key, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		codes := ""
		for _, h := range got {
			codes += h.ViolationCode
			if !h.Handled || h.Source == "" {
				t.Errorf("record %+v", h)
			}
		}
		if codes != "ABCD" {
			t.Fatalf("history codes %q, want ABCD: %+v", codes, got)
		}
		// A case is not its own history.
		got, _ = s.PartyHistory(ctx, Everything, key, "", counted[0])
		if len(got) != 3 {
			t.Fatalf("excluding case %d: %+v", counted[0], got)
		}
		// Lower-case keys match.
		if got, _ = s.PartyHistory(ctx, Everything, "91330421ma28abcde4", "", 0); len(got) != 4 {
			t.Fatalf("lower-case key: %d records", len(got))
		}
	})
}
