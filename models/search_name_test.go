package models

import (
	"context"
	"slices"
	"testing"

	"github.com/go-gormigrate/gormigrate/v2"

	"penaltydoc/models/dbtest"
	"penaltydoc/rules"
)

// TestNameSearchSameAsLike: a search by a part of the name finds exactly
// the cases the plain LIKE finds, for parts of 1, 2 and 5 characters,
// Latin letters in either case, digits and names that share grams, after
// a name is changed and across authorities, on both databases.
func TestNameSearchSameAsLike(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates, Seal: testSeal}); err != nil {
			t.Fatal(err)
		}
		names := []string{"张三", "张三丰", "李张三", "三张", "杭州恒达食品有限公司", "杭州恒达贸易有限公司", "恒达", "ABC贸易商行", "abc超市",
			"李明2号店", "王小二", "王二小", "达恒食品", "张", "食品有限公司杭州分公司"}
		ids := make([]uint, len(names))
		for i, name := range names {
			f := rules.Facts{AuthorityID: uint(1 + i%2), ViolationCode: "X-1", ViolationDate: "2026-01-02", DiscoveredDate: "2026-01-05",
				Party: rules.Party{Kind: rules.PartyPerson, Name: name, IDNumber: "11010519491231002X"}}
			c := &Case{AuthorityID: uint(1 + i%2), ItemID: 1}
			if err := s.CreateCase(ctx, officerActor, c, f, rules.Evaluation{Outcome: rules.OutcomePenalty}); err != nil {
				t.Fatal(err)
			}
			ids[i] = c.ID
		}
		// A changed name leaves the index with the new name only.
		var c Case
		if err := s.conn(ctx).First(&c, ids[12]).Error; err != nil {
			t.Fatal(err)
		}
		f := c.Facts
		f.Party.Name = "达恒五金"
		item := &CatalogItem{ID: 1}
		if _, err := s.UpdateCase(ctx, officerActor, c.ID, rules.ActEditCase, item, c.AuthorityID, f, c.Evaluation, nil, ""); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"张", "三", "张三", "三张", "张三丰", "恒达", "恒达食品有限", "有限公司", "食品", "abc", "ABC", "Abc贸", "2号",
			"二小", "小二", "达恒", "达恒食品", "五金", "司杭", "不存在", "丰张"} {
			var want []uint
			if err := s.conn(ctx).Table("cases").Where("party_name LIKE ? ESCAPE '!' AND status <> ?", "%"+escapeLike(q)+"%", CaseWithdrawn).
				Order("id DESC").Pluck("id", &want).Error; err != nil {
				t.Fatal(err)
			}
			p, err := s.ListCases(ctx, CaseQuery{Q: q, Scope: Everything, PerPage: 100})
			if err != nil {
				t.Fatal(err)
			}
			var got []uint
			for _, r := range p.Cases {
				got = append(got, r.ID)
			}
			if !slices.Equal(got, want) || p.Total != int64(len(want)) {
				t.Errorf("%q: found %v (total %d), LIKE finds %v", q, got, p.Total, want)
			}
			if len(want) == 0 && q != "不存在" && q != "丰张" && q != "达恒食品" {
				t.Errorf("%q: the table finds nothing: the case is not tested", q)
			}
		}
	})
}

// TestCasePaging: the cursors walk the list newest first without a gap
// or a repeat, forward and back, with the filters kept.
func TestCasePaging(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates, Seal: testSeal}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SeedCases(ctx, BulkOptions{Cases: 300, Cities: 2, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []CaseQuery{{Scope: Everything}, {Scope: Scope{Authorities: []uint{2, 4}}}, {Scope: Everything, Status: CaseClosed}} {
			var want []uint
			db := q.Scope.filter(s.conn(ctx).Table("cases"), "authority_id")
			if q.Status != "" {
				db = db.Where("status = ?", q.Status)
			} else {
				db = db.Where("status <> ?", CaseWithdrawn)
			}
			if err := db.Order("id DESC").Pluck("id", &want).Error; err != nil {
				t.Fatal(err)
			}
			q.PerPage = 17
			var got []uint
			var pages []CasePage
			for {
				p, err := s.ListCases(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if p.Total != int64(len(want)) {
					t.Errorf("%+v: total %d, want %d", q, p.Total, len(want))
				}
				for _, r := range p.Cases {
					got = append(got, r.ID)
				}
				pages = append(pages, p)
				if !p.More {
					break
				}
				q.Before = p.NextBefore
			}
			if !slices.Equal(got, want) {
				t.Errorf("%+v: walked %d cases, want %d (%v)", q, len(got), len(want), got)
			}
			// Back from the last page: each page before is the one walked.
			last := pages[len(pages)-1]
			for i := len(pages) - 2; i >= 0 && last.Prev; i-- {
				q.Before, q.After = 0, last.PrevAfter
				p, err := s.ListCases(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.EqualFunc(p.Cases, pages[i].Cases, func(a, b CaseRow) bool { return a.ID == b.ID }) {
					t.Errorf("page %d backwards differs", i)
				}
				last = p
			}
			if last.Prev {
				t.Errorf("the first page has a page before it")
			}
		}
	})
}

// TestSearchMigration: migration 202612020010_search builds the name
// index of the cases already there, and rolls back.
func TestSearchMigration(t *testing.T) {
	for _, db := range dbtest.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			s := openAt(t, db.DSN, "202612020006_lists")
			for _, q := range []string{
				"INSERT INTO authorities (name, short_name, domain, number_prefix, reconsideration_body, court) VALUES ('甲局', '甲', 'other', '甲市监处罚', '甲政府', '甲法院')",
				"INSERT INTO cases (authority_id, item_id, violation_code, party_id, party_name, party_key, status, violation_date, discovered_date, facts_json, evaluation_json, officer_id, created_at, updated_at) " +
					"VALUES (1, 1, 'X', 1, '杭州恒达商行', 'K', 'closed', '2025-01-01', '2025-01-02', '{}', '{}', 1, '2025-01-02 01:00:00', '2025-01-02 01:00:00')",
			} {
				if err := s.conn(ctx).Exec(q).Error; err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var n int64
			if err := s.conn(ctx).Table("case_grams").Where("case_id = 1 AND authority_id = 1").Count(&n).Error; err != nil || n != int64(len(nameGrams("杭州恒达商行"))) {
				t.Fatalf("grams of the existing case: %d %v, want %d", n, err, len(nameGrams("杭州恒达商行")))
			}
			p, err := s.ListCases(ctx, CaseQuery{Q: "恒达", Scope: Everything, Status: CaseClosed})
			if err != nil || len(p.Cases) != 1 {
				t.Fatalf("search after the migration: %+v %v", p, err)
			}
			i := slices.IndexFunc(migrations, func(m *gormigrate.Migration) bool { return m.ID == "202612020010_search" })
			if err := s.migrator(ctx).RollbackMigration(migrations[i]); err != nil {
				t.Fatal(err)
			}
			if s.db.Migrator().HasTable("case_grams") || s.db.Migrator().HasIndex("documents", "idx_documents_authority_status") {
				t.Error("rollback left the name index or the list index")
			}
		})
	}
}
