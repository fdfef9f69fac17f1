package models

import (
	"context"
	"testing"
)

// TestCalendarAcrossStores: a process keeps the calendar it read, and a
// change made through another process (a second store on the same
// database) is seen by the next read, inside issuing's transaction as
// outside it: the deadlines printed on letters come from the calendar as
// it is. A read that finds the calendar unchanged costs one statement.
func TestCalendarAcrossStores(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, dsn string) {
		ctx := context.Background()
		other := openMigrated(t, dsn) // another server process
		admin := Actor{UserID: 1, Username: "admin", IP: "127.0.0.1", Scope: Everything}
		cal, err := s.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(cal.Holidays)+len(cal.Workdays) != 0 {
			t.Fatalf("fresh calendar %+v", cal)
		}
		n0 := s.Statements()
		if _, err := s.Calendar(ctx); err != nil {
			t.Fatal(err)
		}
		if n := s.Statements() - n0; n != 1 {
			t.Errorf("unchanged calendar read in %d statements, want 1 (the version)", n)
		}

		if err := other.SetCalendarYear(ctx, admin, 2026, []string{"2026-10-01", "2026-10-02"}, []string{"2026-09-27"}); err != nil {
			t.Fatal(err)
		}
		if cal, err = s.Calendar(ctx); err != nil {
			t.Fatal(err)
		}
		if !cal.Holidays["2026-10-01"] || !cal.Holidays["2026-10-02"] || !cal.Workdays["2026-09-27"] || len(cal.Holidays) != 2 {
			t.Fatalf("calendar after another process changed it: %+v", cal)
		}

		// Changed again by the other process: issuing's transaction
		// (documentContext) reads the new days, not the kept ones.
		if err := other.SetCalendarYear(ctx, admin, 2026, []string{"2026-10-05"}, nil); err != nil {
			t.Fatal(err)
		}
		ids := approvedDocs(t, s, "advance_notice", 1)
		var printed map[string]bool
		if _, err := issue(s, ids[0], func(ctx context.Context, dc *DocumentContext) (*Rendered, error) {
			printed = dc.Calendar.Holidays
			return fakeRender(ctx, dc)
		}); err != nil {
			t.Fatal(err)
		}
		if len(printed) != 1 || !printed["2026-10-05"] {
			t.Errorf("issuing printed from holidays %v, want only 2026-10-05", printed)
		}
		if cal, err = other.Calendar(ctx); err != nil || len(cal.Holidays) != 1 || !cal.Holidays["2026-10-05"] {
			t.Errorf("the changing process's own calendar %+v, %v", cal, err)
		}
	})
}
