package models

import (
	"context"
	"fmt"
	"testing"

	"penaltydoc/errs"
	"penaltydoc/models/dbtest"
	"penaltydoc/rules"
)

// TestOfficersMigration: on a database of the release before, the
// migration adds the officers' columns, names every case's creating
// officer, and rolls back.
func TestOfficersMigration(t *testing.T) {
	t.Parallel() // its own fresh databases; DDL waits on the database, not the CPU
	for _, db := range dbtest.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			s := openAt(t, db.DSN, "202612020001_office")
			raw := s.conn(ctx)
			for _, q := range []string{
				"INSERT INTO authorities (name, short_name, domain, number_prefix, reconsideration_body, court) VALUES ('甲局', '甲', 'other', '甲市监处罚', '甲政府', '甲法院')",
				"INSERT INTO cases (authority_id, item_id, violation_code, party_id, party_name, party_key, status, violation_date, discovered_date, facts_json, evaluation_json, officer_id, created_at, updated_at) " +
					"VALUES (1, 1, 'X', 1, '当事人', 'K', 'draft', '2025-01-01', '2025-01-02', '{}', '{}', 7, '2025-01-02 01:00:00', '2025-01-02 01:00:00')",
			} {
				if err := raw.Exec(q).Error; err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var c Case
			if err := s.db.First(&c).Error; err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(c.Officers()) != "[7]" || c.Status != CaseDraft {
				t.Errorf("case after the migration: officers %v status %s", c.Officers(), c.Status)
			}
			m := s.migrator(ctx)
			if err := m.RollbackTo(migrationBefore(t, "202612020004_officers")); err != nil {
				t.Fatal(err)
			}
			if s.db.Migrator().HasColumn(&Case{}, "OfficerIDs") || s.db.Migrator().HasColumn(&User{}, "CertificateNumber") {
				t.Error("rollback left the columns")
			}
			if !s.db.Migrator().HasIndex(&Case{}, "Number") {
				t.Error("rollback lost the case number index")
			}
		})
	}
}

// TestOfficersStore: the officers a case names are officers of its
// authority (table), and its first submit needs two certified ones.
func TestOfficersStore(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates}); err != nil {
			t.Fatal(err)
		}
		two := SplitIDs(certifiedOfficers(t, s, 1))
		other := SplitIDs(certifiedOfficers(t, s, 2))
		one := uint(1)
		bare, err := s.CreateUser(ctx, NewUser{Username: "bare", Password: "password-1", Roles: []string{RoleOfficer}, AuthorityID: &one})
		if err != nil {
			t.Fatal(err)
		}
		clerk, err := s.CreateUser(ctx, NewUser{Username: "clerk-1", Password: "password-1", Roles: []string{RoleClerk}, AuthorityID: &one, CertificateNumber: "X1"})
		if err != nil {
			t.Fatal(err)
		}
		f := rules.Facts{AuthorityID: 1, ViolationCode: "X-1", ViolationDate: "2026-01-02", DiscoveredDate: "2026-01-05",
			Party: rules.Party{Kind: rules.PartyPerson, Name: "张某", IDNumber: "11010519491231002X"}}
		ev := rules.Evaluation{Outcome: rules.OutcomePenalty, DocumentKind: rules.KindPenaltyDecision}
		for _, tc := range []struct {
			name     string
			officers []uint
			create   string // error code of filing ("" ok)
			submit   string // error code of the first submit
		}{
			{"two certified", two, "", ""},
			{"none named: the filer, who serves no authority", nil, "", errs.Conflict},
			{"one certified", two[:1], "", errs.Conflict},
			{"one uncertified", []uint{two[0], bare.ID}, "", errs.Conflict},
			{"another authority's", []uint{two[0], other[0]}, errs.Invalid, ""},
			{"a clerk", []uint{two[0], clerk.ID}, errs.Invalid, ""},
			{"missing", []uint{two[0], 99999}, errs.Invalid, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := &Case{AuthorityID: 1, ItemID: 1, OfficerIDs: JoinIDs(tc.officers)}
				err := s.CreateCase(ctx, officerActor, c, f, ev)
				if errs.Code(err) != tc.create && !(tc.create == "" && err == nil) {
					t.Fatalf("create: %v, want %q", err, tc.create)
				}
				if err != nil {
					return
				}
				d := &Document{CaseID: c.ID, AuthorityID: 1, Kind: rules.KindAdvanceNotice}
				if err := s.CreateDocument(ctx, officerActor, d); err != nil {
					t.Fatal(err)
				}
				_, err = s.SubmitDocument(ctx, officerActor, d.ID)
				if tc.submit == "" && err != nil || tc.submit != "" && errs.Code(err) != tc.submit {
					t.Fatalf("submit: %v, want %q", err, tc.submit)
				}
				if err == nil {
					return
				}
				// Withdrawn (撤案) by the head, not the officer alone: the case
				// and its draft, never submitted afterwards.
				if _, err := s.WithdrawCase(ctx, officerActor, c.ID, "重复立案"); errs.Code(err) != errs.Forbidden {
					t.Fatalf("the officer withdraws the case: %v", err)
				}
				if _, err := s.WithdrawCase(ctx, reviewerActor, c.ID, "重复立案"); err != nil {
					t.Fatal(err)
				}
				if _, err := s.SubmitDocument(ctx, officerActor, d.ID); errs.Code(err) != errs.Conflict {
					t.Errorf("submit after withdrawal: %v", err)
				}
				got, err := s.DocumentByID(ctx, Everything, d.ID)
				if err != nil || got.Status != DocWithdrawn || got.WithdrawnReason != "重复立案" || got.WithdrawnByID == nil {
					t.Errorf("draft after the case's withdrawal: %+v %v", got, err)
				}
				p, err := s.ListCases(ctx, CaseQuery{Scope: Everything})
				cs := p.Cases
				for _, x := range cs {
					if x.ID == c.ID {
						t.Errorf("withdrawn case %d in the default list", c.ID)
					}
				}
				if p, err = s.ListCases(ctx, CaseQuery{Scope: Everything, Status: CaseWithdrawn}); err != nil || len(p.Cases) == 0 {
					t.Errorf("withdrawn filter: %d cases, %v", len(cs), err)
				}
			})
		}
	})
}
