package models

import (
	"context"
	"testing"

	"penaltydoc/models/dbtest"
	"penaltydoc/rules"
)

// TestListsMigration: on a database of the migration before, 202612020006
// adds the print marks and the index on documents' issue date; the
// documents already there list as never printed, print marks and the
// decided-between filter work on them.
func TestListsMigration(t *testing.T) {
	t.Parallel() // its own fresh databases; DDL waits on the database, not the CPU
	for _, db := range dbtest.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			s := openAt(t, db.DSN, "202612020001_office")
			raw := s.conn(ctx)
			for _, q := range []string{
				"INSERT INTO authorities (name, short_name, domain, number_prefix, reconsideration_body, court) VALUES ('甲局', '甲', 'other', '甲市监处罚', '甲政府', '甲法院')",
				"INSERT INTO cases (authority_id, item_id, violation_code, party_id, party_name, party_key, status, violation_date, discovered_date, facts_json, evaluation_json, officer_id, created_at, updated_at) " +
					"VALUES (1, 1, 'X', 1, '当事人', 'K', 'closed', '2025-01-01', '2025-01-02', '{}', '{}', 1, '2025-01-02 01:00:00', '2025-01-02 01:00:00')",
				"INSERT INTO documents (case_id, authority_id, kind, status, template_version, number, issue_date, pdf, created_by_id, created_at, updated_at) " +
					"VALUES (1, 1, 'penalty_decision', 'issued', 1, '甲市监处罚〔2025〕1号', '2025-02-03', 'x', 1, '2025-02-03 01:00:00', '2025-02-03 01:00:00')",
			} {
				if err := raw.Exec(q).Error; err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			m := s.db.Migrator()
			if !m.HasTable(&PrintMark{}) || !m.HasIndex(&PrintMark{}, "idx_print_marks_document") || !m.HasIndex(&Document{}, "idx_documents_issue_date") {
				t.Fatalf("print_marks %v, its index %v, documents' issue date index %v", m.HasTable(&PrintMark{}),
					m.HasIndex(&PrintMark{}, "idx_print_marks_document"), m.HasIndex(&Document{}, "idx_documents_issue_date"))
			}
			list := func(printed string) []DocumentRow {
				t.Helper()
				rows, err := s.ListDocuments(ctx, DocumentQuery{Statuses: []string{DocIssued}, Printed: printed, Scope: Everything})
				if err != nil {
					t.Fatal(err)
				}
				return rows
			}
			if r := list(PrintedNo); len(r) != 1 || r[0].PrintedAt != nil || len(list(PrintedYes)) != 0 {
				t.Fatalf("before printing: %+v", r)
			}
			if err := s.MarkPrinted(ctx, Actor{UserID: 7, Username: "clerk"}, []uint{1, 1}); err != nil {
				t.Fatal(err)
			}
			if r := list(PrintedYes); len(r) != 1 || r[0].PrintedAt == nil || r[0].PrintedBy != "clerk" || len(list(PrintedNo)) != 0 {
				t.Fatalf("after printing: %+v", r)
			}
			for _, tc := range []struct {
				q    CaseQuery
				want int
			}{
				{CaseQuery{DecidedFrom: "2025-02-03", DecidedTo: "2025-02-03"}, 1},
				{CaseQuery{DecidedFrom: "2025-02-04"}, 0},
				{CaseQuery{DecidedTo: "2025-02-02"}, 0},
				{CaseQuery{Mine: 1, Status: rules.CaseClosed}, 1},
				{CaseQuery{Mine: 2}, 0},
			} {
				tc.q.Scope = Everything
				p, err := s.ListCases(ctx, tc.q)
				cs, total := p.Cases, p.Total
				if err != nil || len(cs) != tc.want || total != int64(tc.want) {
					t.Errorf("%+v: %d cases (%d) %v, want %d", tc.q, len(cs), total, err, tc.want)
				}
			}
			// The zero scope sees nothing.
			if p, err := s.ListCases(ctx, CaseQuery{}); err != nil || len(p.Cases) != 0 {
				t.Errorf("zero scope: %d cases %v", len(p.Cases), err)
			}
		})
	}
}
