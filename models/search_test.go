package models

import (
	"context"
	"testing"

	"penaltydoc/rules"
)

// TestSearchLiteral: %, _, \ and the escape character ! in a search are
// plain characters in the case list and the document list, on SQLite and
// MariaDB alike.
func TestSearchLiteral(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates, Seal: testSeal}); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"张_三商行", "张三商行", "百分%商行", `反\斜杠商行`, "感叹!号商行"} {
			f := rules.Facts{AuthorityID: 1, ViolationCode: "X-1", ViolationDate: "2026-01-02", DiscoveredDate: "2026-01-05",
				Party: rules.Party{Kind: rules.PartyPerson, Name: name, IDNumber: "11010519491231002X"}}
			c := &Case{AuthorityID: 1, ItemID: 1}
			if err := s.CreateCase(ctx, officerActor, c, f, rules.Evaluation{Outcome: rules.OutcomePenalty}); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateDocument(ctx, officerActor, &Document{CaseID: c.ID, AuthorityID: 1, Kind: rules.KindPenaltyDecision}); err != nil {
				t.Fatal(err)
			}
		}
		for q, want := range map[string]int{"张_": 1, "_": 1, "%": 1, "百分%": 1, `\`: 1, `反\斜`: 1, "!": 1, "!号": 1,
			"张": 2, "商行": 5, "%%": 0, "!%": 0, `\%`: 0} {
			p, err := s.ListCases(ctx, CaseQuery{Q: q, Scope: Everything})
			if n := p.Total; err != nil || n != int64(want) {
				t.Errorf("cases matching %q: %d %v, want %d", q, n, err, want)
			}
			docs, err := s.ListDocuments(ctx, DocumentQuery{Q: q, Scope: Everything})
			if err != nil || len(docs) != want {
				t.Errorf("documents matching %q: %d %v, want %d", q, len(docs), err, want)
			}
		}
	})
}
