package models

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"penaltydoc/models/dbtest"
)

// BenchmarkAuditAppend measures appending one entry to the chain
// (Store.Audit: lock the head, insert, hash, move the head, commit) from 8
// goroutines at once, on SQLite and, with PENALTYDOC_TEST_MYSQL_DSN, on
// MariaDB:
//
//	PENALTYDOC_TEST_MYSQL_DSN='root@tcp(127.0.0.1:3306)/test' \
//	  go test ./models -run '^$' -bench BenchmarkAuditAppend -benchtime 2000x -count 3
func BenchmarkAuditAppend(b *testing.B) {
	for _, db := range dbtest.DSNs(b) {
		b.Run(db.Name, func(b *testing.B) {
			s := openMigrated(b, db.DSN)
			ctx := context.Background()
			b.SetParallelism(4) // 8 goroutines on 2 CPUs
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := s.Audit(ctx, officerActor, "print", "document", 1, "batch of 1"); err != nil {
						b.Error(err)
					}
				}
			})
		})
	}
}

// BenchmarkVerifyAudit measures checking a chain of 10,000 entries
// (reported as entries per second):
//
//	PENALTYDOC_TEST_MYSQL_DSN='root@tcp(127.0.0.1:3306)/test' \
//	  go test ./models -run '^$' -bench BenchmarkVerifyAudit -count 3
func BenchmarkVerifyAudit(b *testing.B) {
	const n = 10_000
	for _, db := range dbtest.DSNs(b) {
		b.Run(db.Name, func(b *testing.B) {
			s := openMigrated(b, db.DSN)
			ctx := context.Background()
			es := make([]AuditEntry, 500)
			for i := 0; i < n; i += len(es) {
				for j := range es {
					es[j] = AuditEntry{UserID: 1, Username: "tester", IP: "127.0.0.1", Action: "approve", Entity: "document",
						EntityID: uint(i + j), DocSHA256: auditChainTag, At: s.now()}
				}
				if err := s.conn(ctx).Transaction(func(tx *gorm.DB) error { return s.appendAudit(tx, es) }); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				res, err := s.VerifyAudit(ctx)
				if err != nil || res.Problem != nil || res.Entries != n {
					b.Fatalf("%+v %v", res, err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}
