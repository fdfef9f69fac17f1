package models

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"penaltydoc/models/dbtest"
)

// EnvBenchDB names a seeded database (cmd/seed) for BenchmarkScale, e.g.
// sqlite:/tmp/seed1m.db; unset, the benchmark seeds 1,000 cases itself.
const EnvBenchDB = "PENALTYDOC_BENCH_DB"

// BenchmarkScale measures the searches and list pages an office uses, at
// the size of the database given (EnvBenchDB), as one clerk or officer of
// one authority asks them: p50 and p99 in ms over b.N queries, each with
// an input drawn from the data.
func BenchmarkScale(b *testing.B) {
	ctx := context.Background()
	dsn := os.Getenv(EnvBenchDB)
	var s *Store
	if dsn == "" {
		s = openMigrated(b, dbtest.SQLite(b).DSN)
		if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates, Seal: testSeal}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.SeedCases(ctx, BulkOptions{Cases: 1000, Cities: 2, Fast: true}); err != nil {
			b.Fatal(err)
		}
		if err := s.Analyze(ctx); err != nil {
			b.Fatal(err)
		}
	} else {
		var err error
		if s, err = Open(ctx, dsn); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
	}
	var total int64
	if err := s.conn(ctx).Model(&Case{}).Count(&total).Error; err != nil {
		b.Fatal(err)
	}
	b.Logf("%d cases on %s", total, s.Dialect())
	// Inputs: 200 cases spread over the ids, with their decisions.
	var sample []Case
	var maxID uint
	if err := s.conn(ctx).Model(&Case{}).Select("MAX(id)").Scan(&maxID).Error; err != nil {
		b.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for len(sample) < 200 {
		var c Case
		if err := s.conn(ctx).Select(caseListColumns).Where("id >= ?", 1+rnd.UintN(maxID)).Order("id").Limit(1).Find(&c).Error; err != nil {
			b.Fatal(err)
		}
		if c.ID != 0 {
			sample = append(sample, c)
		}
	}
	var numbers []struct {
		Number      string
		AuthorityID uint
	}
	if err := s.conn(ctx).Table("documents").Select("number, authority_id").Where("number IS NOT NULL AND id >= ?", 1+rnd.UintN(maxID)).Limit(200).Scan(&numbers).Error; err != nil {
		b.Fatal(err)
	}
	if len(numbers) == 0 {
		b.Fatal("no numbered documents")
	}
	scope := func(c *Case) Scope { return Scope{Authorities: []uint{c.AuthorityID}} }
	pick := func() *Case { return &sample[rnd.IntN(len(sample))] }
	byKind := func(kind string) func() *Case {
		return func() *Case {
			for {
				if c := pick(); len(c.PartyKey) == 18 && (kind == "org") == (c.PartyKey[0] == '9') {
					return c
				}
			}
		}
	}
	person, org := byKind("person"), byKind("org")
	cases := func(q func() CaseQuery) func() error {
		return func() error { _, err := s.ListCases(ctx, q()); return err }
	}
	runs := []struct {
		name string
		run  func() error
	}{
		{"id_number", cases(func() CaseQuery { c := person(); return CaseQuery{Scope: scope(c), Q: c.PartyKey} })},
		{"credit_code", cases(func() CaseQuery { c := org(); return CaseQuery{Scope: scope(c), Q: c.PartyKey} })},
		{"document_number", cases(func() CaseQuery {
			n := numbers[rnd.IntN(len(numbers))]
			return CaseQuery{Scope: Scope{Authorities: []uint{n.AuthorityID}}, Q: n.Number}
		})},
		{"case_number", cases(func() CaseQuery { c := pick(); return CaseQuery{Scope: scope(c), Q: *c.Number} })},
		{"name_2", cases(func() CaseQuery { c := pick(); return CaseQuery{Scope: scope(c), Q: string([]rune(c.PartyName)[:2])} })},
		{"name_4", cases(func() CaseQuery {
			c := org()
			r := []rune(c.PartyName)
			return CaseQuery{Scope: scope(c), Q: string(r[2:6])}
		})},
		{"case_list_first", cases(func() CaseQuery { return CaseQuery{Scope: scope(pick())} })},
		{"case_list_deep", cases(func() CaseQuery { c := pick(); return CaseQuery{Scope: scope(c), Before: c.ID} })},
		{"queue", func() error {
			_, err := s.ListDocuments(ctx, DocumentQuery{Scope: scope(pick()), Statuses: []string{DocReviewing}})
			return err
		}},
		{"queue_to_serve", func() error {
			_, err := s.ListDocuments(ctx, DocumentQuery{Scope: scope(pick()), Statuses: []string{DocIssued}, Numbered: true})
			return err
		}},
		{"print_list", func() error {
			_, err := s.ListDocuments(ctx, DocumentQuery{Scope: scope(pick()), Statuses: []string{DocIssued, DocServed}, Newest: true, Limit: 50})
			return err
		}},
	}
	for _, r := range runs {
		b.Run(r.name, func(b *testing.B) {
			ds := make([]time.Duration, 0, b.N)
			for b.Loop() {
				start := time.Now()
				if err := r.run(); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
			}
			slices.Sort(ds)
			b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
