package models

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm/logger"
)

// recorder is a gorm logger that keeps the statements run, with their
// values, so a test can EXPLAIN exactly what a list ran.
type recorder struct {
	logger.Interface
	mu  sync.Mutex
	sql []string
}

func (r *recorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	q, _ := fc()
	r.mu.Lock()
	r.sql = append(r.sql, q)
	r.mu.Unlock()
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.sql
	r.sql = nil
	return out
}

// bigTables are the tables that grow with the cases.
var bigTables = map[string]bool{"cases": true, "documents": true, "case_grams": true, "g": true, "parties": true, "print_marks": true}

var sqliteScan = regexp.MustCompile(`^SCAN (\S+)`)

// planProblems are the full scans, temporary tables and sorts of big
// tables in the plan of statement q.
func planProblems(t *testing.T, s *Store, q string) []string {
	t.Helper()
	var out []string
	db := s.SQLDB()
	if s.Dialect() == DialectSQLite {
		rows, err := db.Query("EXPLAIN QUERY PLAN " + q)
		if err != nil {
			t.Fatalf("explain %s: %v", q, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			if m := sqliteScan.FindStringSubmatch(detail); m != nil && bigTables[m[1]] {
				out = append(out, detail)
			}
			if strings.Contains(detail, "TEMP B-TREE") {
				out = append(out, detail)
			}
		}
		return out
	}
	rows, err := db.Query("EXPLAIN " + q)
	if err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := map[string]string{}
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				row[c] = string(b)
			} else if vals[i] != nil {
				row[c] = fmt.Sprint(vals[i])
			}
		}
		big := bigTables[row["table"]]
		if big && (row["type"] == "ALL" || row["type"] == "index") {
			out = append(out, fmt.Sprintf("%s: type %s", row["table"], row["type"]))
		}
		if big && (strings.Contains(row["Extra"], "Using temporary") || strings.Contains(row["Extra"], "Using filesort")) {
			out = append(out, fmt.Sprintf("%s: %s", row["table"], row["Extra"]))
		}
	}
	return out
}

// TestListPlans: every statement the case list, its searches, the queue
// and the print list run starts from an index, on a seeded database with
// fresh statistics: no full scan, temporary table or sort of a table that
// grows with the cases, on SQLite and MariaDB.
func TestListPlans(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds thousands of cases")
	}
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates, Seal: testSeal}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SeedCases(ctx, BulkOptions{Cases: 3000, Cities: 2, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		if err := s.Analyze(ctx); err != nil {
			t.Fatal(err)
		}
		var c Case
		if err := s.conn(ctx).Where("vehicle_plate <> ''").Last(&c).Error; err != nil {
			t.Fatal(err)
		}
		var d Document
		if err := s.conn(ctx).Where("number IS NOT NULL").Last(&d).Error; err != nil {
			t.Fatal(err)
		}
		one := Scope{Authorities: []uint{c.AuthorityID}}
		name := []rune(c.PartyName)
		rec := &recorder{Interface: logger.Discard}
		saved := s.db.Config.Logger
		s.db.Config.Logger = rec
		defer func() { s.db.Config.Logger = saved }()
		lists := []struct {
			name string
			run  func() error
		}{
			{"case list", func() error { _, err := s.ListCases(ctx, CaseQuery{Scope: one}); return err }},
			{"case list, all authorities", func() error { _, err := s.ListCases(ctx, CaseQuery{Scope: Everything}); return err }},
			{"case list, next page", func() error { _, err := s.ListCases(ctx, CaseQuery{Scope: one, Before: c.ID}); return err }},
			{"case list, page before", func() error { _, err := s.ListCases(ctx, CaseQuery{Scope: one, After: c.ID / 2}); return err }},
			{"case list, drafts", func() error { _, err := s.ListCases(ctx, CaseQuery{Scope: one, Status: CaseDraft}); return err }},
			{"search by party key", func() error { _, err := s.ListCases(ctx, CaseQuery{Scope: one, Q: c.PartyKey}); return err }},
			{"search by case number", func() error { _, err := s.ListCases(ctx, CaseQuery{Scope: one, Q: *c.Number}); return err }},
			{"search by document number", func() error { _, err := s.ListCases(ctx, CaseQuery{Scope: Everything, Q: *d.Number}); return err }},
			{"search by plate", func() error { _, err := s.ListCases(ctx, CaseQuery{Scope: one, Q: c.VehiclePlate}); return err }},
			{"search by 1 character", func() error { _, err := s.ListCases(ctx, CaseQuery{Scope: one, Q: string(name[:1])}); return err }},
			{"search by 2 characters", func() error { _, err := s.ListCases(ctx, CaseQuery{Scope: one, Q: string(name[:2])}); return err }},
			{"search by the whole name", func() error { _, err := s.ListCases(ctx, CaseQuery{Scope: Everything, Q: c.PartyName}); return err }},
			{"queue", func() error {
				_, err := s.ListDocuments(ctx, DocumentQuery{Scope: one, Statuses: []string{DocReviewing}})
				return err
			}},
			{"queue to serve", func() error {
				_, err := s.ListDocuments(ctx, DocumentQuery{Scope: one, Statuses: []string{DocIssued}, Numbered: true, After: 10})
				return err
			}},
			{"print list", func() error {
				_, err := s.ListDocuments(ctx, DocumentQuery{Scope: one, Statuses: []string{DocIssued, DocServed}, Newest: true, Limit: 50})
				return err
			}},
			{"print list, by number", func() error {
				_, err := s.ListDocuments(ctx, DocumentQuery{Scope: Everything, Statuses: []string{DocIssued, DocServed}, Newest: true, Q: *d.Number})
				return err
			}},
		}
		for _, l := range lists {
			rec.take()
			if err := l.run(); err != nil {
				t.Fatalf("%s: %v", l.name, err)
			}
			checked := 0
			for _, q := range rec.take() {
				if !strings.HasPrefix(q, "SELECT") {
					continue
				}
				checked++
				if p := planProblems(t, s, q); len(p) > 0 {
					t.Errorf("%s: %.300s\n  plan: %s", l.name, q, strings.Join(p, "; "))
				}
			}
			if checked == 0 {
				t.Errorf("%s: no statement recorded", l.name)
			}
		}
	})
}
