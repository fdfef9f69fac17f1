package models

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"penaltydoc/models/dbtest"
	"penaltydoc/rules"
)

// TestCaseNumbersConcurrent: cases filed at the same moment take the case
// series' numbers 1…n, no gap and no repeat, each authority its own.
func TestCaseNumbersConcurrent(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates, Seal: testSeal}); err != nil {
			t.Fatal(err)
		}
		const n = 24
		var wg sync.WaitGroup
		errc := make(chan error, 2*n)
		for i := range 2 * n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				auth := uint(1 + i%2)
				f := rules.Facts{AuthorityID: auth, ViolationCode: "X-1", ViolationDate: "2026-01-02", DiscoveredDate: "2026-01-05",
					Party: rules.Party{Kind: rules.PartyPerson, Name: fmt.Sprintf("当事人%d", i), IDNumber: "11010519491231002X"}}
				errc <- s.CreateCase(ctx, officerActor, &Case{AuthorityID: auth, ItemID: 1}, f, rules.Evaluation{Outcome: rules.OutcomePenalty})
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Fatal(err)
			}
		}
		year := mustYear(s.Today())
		for auth, prefix := range map[uint]string{1: "杭市监立字", 2: "杭公（治）立字"} {
			var got []string
			if err := s.db.Model(&Case{}).Where("authority_id = ?", auth).Order("number").Pluck("number", &got).Error; err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{}
			for i := 1; i <= n; i++ {
				want[FormatNumber(prefix, year, int64(i))] = true
			}
			for _, g := range got {
				delete(want, g)
			}
			if len(got) != n || len(want) != 0 {
				t.Errorf("authority %d: numbers %v, missing %v", auth, got, want)
			}
		}
	})
}

// TestCaseNumberMigration: the cases filed before case numbers were kept
// get them in id order, by authority and the year they were filed, and the
// series goes on from there.
func TestCaseNumberMigration(t *testing.T) {
	t.Parallel() // its own fresh databases; DDL waits on the database, not the CPU
	for _, db := range dbtest.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			s := openAt(t, db.DSN, "202612010005_audit_chain")
			raw := s.conn(ctx)
			for _, q := range []string{
				"INSERT INTO authorities (name, short_name, domain, number_prefix, reconsideration_body, court) VALUES ('甲局', '甲', 'other', '甲市监处罚', '甲政府', '甲法院')",
				"INSERT INTO authorities (name, short_name, domain, number_prefix, reconsideration_body, court) VALUES ('乙局', '乙', 'other', '乙公交（决）字', '乙政府', '乙法院')",
			} {
				if err := raw.Exec(q).Error; err != nil {
					t.Fatal(err)
				}
			}
			for i, c := range []struct {
				auth uint
				at   string
			}{{1, "2025-06-01 02:00:00"}, {2, "2025-12-31 17:00:00"}, {1, "2025-12-31 15:00:00"}, {1, "2025-12-31 17:00:00"}} {
				// 2025-12-31 17:00 UTC is 2026-01-01 in China.
				q := "INSERT INTO cases (authority_id, item_id, violation_code, party_id, party_name, party_key, status, violation_date, discovered_date, facts_json, evaluation_json, officer_id, created_at, updated_at) " +
					"VALUES (?, 1, 'X', 1, ?, 'K', 'draft', '2025-01-01', '2025-01-02', '{}', '{}', 1, ?, ?)"
				if err := raw.Exec(q, c.auth, fmt.Sprint("当事人", i), c.at, c.at).Error; err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var got []string
			if err := s.db.Model(&Case{}).Order("id").Pluck("number", &got).Error; err != nil {
				t.Fatal(err)
			}
			want := []string{"甲市监立字〔2025〕1号", "乙公交（立）字〔2026〕1号", "甲市监立字〔2025〕2号", "甲市监立字〔2026〕1号"}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("numbers %v, want %v", got, want)
			}
			serial, err := s.nextNumber(s.db, 1, "甲市监立字", 2025)
			if err != nil || serial != 3 {
				t.Errorf("the series goes on at %d (%v), want 3", serial, err)
			}
		})
	}
}
