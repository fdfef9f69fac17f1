package models

import (
	"context"
	"testing"
	"time"
)

// TestSeedCasesReadBack seeds a few hundred cases and reads them back
// through gorm: the bulk writer (on SQLite the library under the driver)
// must store what the driver would have stored (times in the driver's
// format, JSON that decodes, numbers that continue the sequences).
func TestSeedCasesReadBack(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates, Seal: testSeal}); err != nil {
			t.Fatal(err)
		}
		res, err := s.SeedCases(ctx, BulkOptions{Cases: 400, Cities: 2, Seed: 5, Fast: true})
		if err != nil {
			t.Fatal(err)
		}
		db := s.conn(ctx)
		for _, c := range []struct {
			table string
			want  int
		}{{"cases", res.Cases}, {"documents", res.Documents}, {"parties", res.Parties}, {"case_grams", res.Grams}} {
			var n int64
			if err := db.Table(c.table).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			if int(n) != c.want || n == 0 {
				t.Errorf("%s: %d rows, the seed says %d", c.table, n, c.want)
			}
		}
		var cs []Case
		if err := db.Order("id").Find(&cs).Error; err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.CreatedAt.Year() < 2022 || c.CreatedAt.Location() != time.UTC && s.dialect == DialectSQLite {
				t.Fatalf("case %d: created_at %v", c.ID, c.CreatedAt)
			}
			if c.Facts.Party.Name != c.PartyName || c.Evaluation.Outcome != c.Outcome || c.Outcome == "" {
				t.Fatalf("case %d: facts %+v, outcome %q/%q", c.ID, c.Facts.Party, c.Evaluation.Outcome, c.Outcome)
			}
		}
		var docs []Document
		if err := db.Where("issued_at IS NOT NULL").Order("id").Limit(50).Find(&docs).Error; err != nil {
			t.Fatal(err)
		}
		if len(docs) == 0 {
			t.Fatal("no issued document")
		}
		for _, d := range docs {
			if d.IssuedAt == nil || d.IssuedAt.IsZero() || d.IssueDate != d.IssuedAt.In(China).Format(dateLayout) {
				t.Fatalf("document %d: issued_at %v, issue_date %q", d.ID, d.IssuedAt, d.IssueDate)
			}
		}
		// The same seed again adds the same number of rows and no
		// repeated number (the sequences went on).
		if _, err := s.SeedCases(ctx, BulkOptions{Cases: 100, Cities: 2, Seed: 6, Force: true}); err != nil {
			t.Fatal(err)
		}
		var dup int64
		if err := db.Raw("SELECT COUNT(*) FROM (SELECT number FROM cases GROUP BY number HAVING COUNT(*) > 1) d").Scan(&dup).Error; err != nil {
			t.Fatal(err)
		}
		if dup != 0 {
			t.Errorf("%d case numbers repeated", dup)
		}
	})
}

// TestCaseLegalReviewColumn: the column the document lists read for the
// permission rule is the evaluation's flag, as the seed and SetFacts
// write it and as migration 202612020028 fills it from the JSON.
func TestCaseLegalReviewColumn(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates, Seal: testSeal}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SeedCases(ctx, BulkOptions{Cases: 600, Cities: 2, Seed: 9}); err != nil {
			t.Fatal(err)
		}
		db := s.conn(ctx)
		check := func(when string, both bool) {
			var cs []Case
			if err := db.Select("id", "evaluation_json", "legal_review").Find(&cs).Error; err != nil {
				t.Fatal(err)
			}
			flagged := 0
			for _, c := range cs {
				if c.LegalReview != c.Evaluation.LegalReviewRequired {
					t.Fatalf("%s: case %d: legal_review %v, evaluation %v", when, c.ID, c.LegalReview, c.Evaluation.LegalReviewRequired)
				}
				if c.LegalReview {
					flagged++
				}
			}
			if both && (flagged == 0 || flagged == len(cs)) {
				t.Fatalf("%s: %d of %d cases need legal review: the test needs both", when, flagged, len(cs))
			}
		}
		check("seeded", false)
		// The seed makes no major case: a case in seven needs review now.
		if err := db.Exec(`UPDATE cases SET evaluation_json = REPLACE(evaluation_json, '"legal_review_required":false', '"legal_review_required":true') WHERE id % 7 = 0`).Error; err != nil {
			t.Fatal(err)
		}
		if err := migrateCaseLegalReview(db); err != nil {
			t.Fatal(err)
		}
		check("migrated", true)
		rows, err := s.ListDocuments(ctx, DocumentQuery{Scope: Everything, Statuses: []string{DocReviewing, DocApproved}, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			var c Case
			if err := db.Select("id", "evaluation_json").First(&c, r.CaseID).Error; err != nil {
				t.Fatal(err)
			}
			if r.State().LegalReview != c.Evaluation.LegalReviewRequired {
				t.Fatalf("document %d: State().LegalReview %v, the case's evaluation %v", r.ID, r.State().LegalReview, c.Evaluation.LegalReviewRequired)
			}
		}
	})
}

// TestSeedLiterals: the seed's MariaDB literals and its SQLite binds store
// what they were given, quotes, backslashes and control characters too.
func TestSeedLiterals(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		odd := "O'Brien \\ \"x\" \n\r\x00\x1a 王%_"
		at := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
		row := [][]any{{uint(900001), "person", odd, "KEY-ODD", "", "", "", at, at}}
		conn, err := s.SQLDB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if s.dialect == DialectSQLite {
			bulk, err := openBulkSQLite(ctx, conn, false)
			if err != nil {
				t.Fatal(err)
			}
			defer bulk.close()
			if err := bulk.write(&seedBatch{parties: row}); err != nil {
				t.Fatal(err)
			}
		} else {
			if _, err := conn.ExecContext(ctx, "SET SESSION sql_mode = REPLACE(@@sql_mode, 'NO_BACKSLASH_ESCAPES', '')"); err != nil {
				t.Fatal(err)
			}
			if err := (&seedBatch{parties: row}).write(ctx, conn); err != nil {
				t.Fatal(err)
			}
		}
		var got struct {
			Name      string
			CreatedAt time.Time
		}
		if err := s.conn(ctx).Table("parties").Select("name, created_at").Where("id = ?", 900001).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if got.Name != odd || !got.CreatedAt.Equal(at.Truncate(time.Millisecond)) && !got.CreatedAt.Equal(at) {
			t.Errorf("stored %q at %v, want %q at %v", got.Name, got.CreatedAt, odd, at)
		}
	})
}
