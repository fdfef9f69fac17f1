package models

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"penaltydoc/rules"
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
			// The rules' own evaluation, not the
			// placeholder for facts the rules refuse.
			if c.Evaluation.RuleSetVersion != rules.RuleSetVersion || len(c.Evaluation.Articles) == 0 {
				t.Fatalf("case %d (%s, violation %s): not the rules' evaluation: %+v", c.ID, c.ViolationCode, c.Facts.ViolationDate, c.Evaluation)
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
		// A case in seven more needs review now.
		if err := db.Exec(`UPDATE cases SET evaluation_json = REPLACE(evaluation_json, '"legal_review_required":false', '"legal_review_required":true') WHERE id % 7 = 0`).Error; err != nil {
			t.Fatal(err)
		}
		if err := migrateCaseLegalReview(db); err != nil {
			t.Fatal(err)
		}
		// 202612020028's LIKE also matched a no-penalty evaluation's
		// penalty_alternative; 202612020030 puts those right.
		if err := migrateCaseLegalReviewFix(db); err != nil {
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

// TestSeedSQLiteFileAfter: the fast seed writes the file without the WAL
// under an exclusive lock; afterwards the file is the app's again: in WAL
// mode, every index back, the name index in step with the cases, the
// number sequences at the last number used, and the pool writes. With
// another connection holding the file, the seed keeps the WAL and works
// as well.
func TestSeedSQLiteFileAfter(t *testing.T) {
	for _, held := range []bool{false, true} {
		t.Run(fmt.Sprintf("held=%v", held), func(t *testing.T) {
			for _, db := range migratedDB.DSNs(t) {
				if !strings.HasPrefix(db.DSN, "sqlite:") {
					continue
				}
				ctx := context.Background()
				s := openMigrated(t, db.DSN)
				if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates, Seal: testSeal}); err != nil {
					t.Fatal(err)
				}
				indexes := func() (n int64) {
					if err := s.conn(ctx).Raw("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'").Scan(&n).Error; err != nil {
						t.Fatal(err)
					}
					return n
				}
				before := indexes()
				if held {
					c, err := s.SQLDB().Conn(ctx)
					if err != nil {
						t.Fatal(err)
					}
					defer c.Close()
					var n int
					if err := c.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
						t.Fatal(err)
					}
				}
				res, err := s.SeedCases(ctx, BulkOptions{Cases: 700, Cities: 2, Seed: 3, Fast: true})
				if err != nil {
					t.Fatal(err)
				}
				if res.Exclusive == held {
					t.Fatalf("exclusive %v with another connection holding the file %v", res.Exclusive, held)
				}
				d := s.conn(ctx)
				var mode string
				if err := d.Raw("PRAGMA journal_mode").Scan(&mode).Error; err != nil || mode != "wal" {
					t.Fatalf("journal mode %q (%v), want wal", mode, err)
				}
				if after := indexes(); after != before {
					t.Fatalf("%d indexes after the seed, %d before", after, before)
				}
				var names []string
				if err := d.Table("cases").Order("id").Pluck("party_name", &names).Error; err != nil {
					t.Fatal(err)
				}
				want := 0
				for _, n := range names {
					want += len(nameGrams(n))
				}
				var grams, missing, ahead int64
				if err := d.Table("case_grams").Count(&grams).Error; err != nil {
					t.Fatal(err)
				}
				if err := d.Raw("SELECT (SELECT COUNT(*) FROM cases) - COUNT(*) FROM (SELECT DISTINCT case_id, authority_id FROM case_grams) g JOIN cases c ON c.id = g.case_id AND c.authority_id = g.authority_id").Scan(&missing).Error; err != nil {
					t.Fatal(err)
				}
				if int(grams) != want || int(grams) != res.Grams || missing != 0 {
					t.Fatalf("%d name grams (the seed says %d, the names make %d), %d cases without", grams, res.Grams, want, missing)
				}
				// Every numbered document's serial within its sequence, and
				// each sequence at its last serial.
				if err := d.Raw(`SELECT COUNT(*) FROM number_sequences q WHERE q.last <> (SELECT COALESCE(MAX(serial), q.last) FROM documents d
					WHERE d.authority_id = q.authority_id AND d.series = q.series AND d.year = q.year)`).Scan(&ahead).Error; err != nil {
					t.Fatal(err)
				}
				if ahead != 0 {
					t.Fatalf("%d number sequences not at their documents' last serial", ahead)
				}
				var check string
				if err := d.Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
					t.Fatalf("integrity_check: %q %v", check, err)
				}
				if err := d.Exec("UPDATE cases SET updated_at = updated_at WHERE id = 1").Error; err != nil {
					t.Fatalf("the pool cannot write after the seed: %v", err)
				}
				if held {
					continue
				}
				// A -force seed of a database with cases keeps the WAL: a
				// crash must not damage the cases there are.
				res, err = s.SeedCases(ctx, BulkOptions{Cases: 50, Cities: 2, Seed: 4, Fast: true, Force: true})
				if err != nil {
					t.Fatal(err)
				}
				if res.Exclusive {
					t.Fatal("a -force seed of a database with cases took the file with the journal in memory")
				}
				var total int64
				if err := d.Table("cases").Count(&total).Error; err != nil || total != int64(len(names))+50 {
					t.Fatalf("%d cases after the second seed (%v), want %d", total, err, len(names)+50)
				}
				if err := d.Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
					t.Fatalf("integrity_check after the second seed: %q %v", check, err)
				}
			}
		})
	}
}

// TestSeedStopped: a seed stopped after its first chunk (Ctrl-C) leaves
// what it wrote usable: the name index of the cases written, the
// indexes, the WAL, and number sequences at or past every number used.
func TestSeedStopped(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates, Seal: testSeal}); err != nil {
			t.Fatal(err)
		}
		res, err := s.SeedCases(ctx, BulkOptions{Cases: 12000, Cities: 2, Seed: 4, Fast: true, Progress: func(int) { cancel() }})
		if err == nil || res.Cases != 5000 {
			t.Fatalf("stopped seed: %d cases, error %v", res.Cases, err)
		}
		d := s.conn(context.Background())
		var cases, grams, missing, behind int64
		d.Table("cases").Count(&cases)
		d.Table("case_grams").Count(&grams)
		if err := d.Raw("SELECT (SELECT COUNT(*) FROM cases) - COUNT(*) FROM (SELECT DISTINCT case_id, authority_id FROM case_grams) g JOIN cases c ON c.id = g.case_id AND c.authority_id = g.authority_id").Scan(&missing).Error; err != nil {
			t.Fatal(err)
		}
		if cases != 5000 || int(grams) != res.Grams || missing != 0 {
			t.Fatalf("%d cases, %d grams (the seed says %d), %d cases without", cases, grams, res.Grams, missing)
		}
		if err := d.Raw(`SELECT COUNT(*) FROM documents d JOIN number_sequences q ON q.authority_id = d.authority_id AND q.series = d.series AND q.year = d.year
			WHERE d.serial > q.last`).Scan(&behind).Error; err != nil {
			t.Fatal(err)
		}
		var numbered int64
		d.Table("documents").Where("serial > 0").Count(&numbered)
		if behind != 0 || numbered == 0 {
			t.Fatalf("%d numbered documents past their sequence's last (of %d)", behind, numbered)
		}
		// Issuing's next case number is free.
		if err := d.Exec("UPDATE cases SET updated_at = updated_at WHERE id = 1").Error; err != nil {
			t.Fatal(err)
		}
		if s.dialect == DialectSQLite {
			var mode string
			if err := d.Raw("PRAGMA journal_mode").Scan(&mode).Error; err != nil || mode != "wal" {
				t.Fatalf("journal mode %q (%v)", mode, err)
			}
		}
	})
}
