package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"penaltydoc/models"
	"penaltydoc/models/dbtest"
)

// BenchmarkIssue measures issuing through HTTP against the real stack
// (number taken, final PDF rendered with its QR code, service receipt
// rendered, bytes stored, all in one transaction) with 8 concurrent
// clients, on SQLite and, with PENALTYDOC_TEST_MYSQL_DSN, on MariaDB. It
// reports documents per second and the p50/p99 latency of one issue
// request. Fix the count, the set-up makes b.N approved documents:
//
//	PENALTYDOC_TEST_MYSQL_DSN='root@tcp(127.0.0.1:3306)/test' \
//	  go test ./server -run '^$' -bench BenchmarkIssue -benchtime 400x -count 3
func BenchmarkIssue(b *testing.B) {
	const clients = 8
	// Production hashing: the tests' init lowers the bcrypt cost.
	defer func(c int) { models.BcryptCost = c }(models.BcryptCost)
	models.BcryptCost = bcrypt.DefaultCost
	for _, db := range dbtest.DSNs(b) {
		b.Run(db.Name, func(b *testing.B) {
			ids := prepareIssuing(b, db.DSN, b.N)
			ctx := context.Background()
			store, err := models.Open(ctx, db.DSN)
			if err != nil {
				b.Fatal(err)
			}
			defer store.Close()
			h, err := NewServer(Deps{Store: store, Log: slog.New(slog.NewJSONHandler(io.Discard, nil)), BaseURL: "https://penaltydoc.example"})
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			p := &serverProcess{url: srv.URL, token: login(b, srv.URL, "admin", testAdminPassword)}
			lat := make([]time.Duration, len(ids))
			var next atomic.Int64
			var failed atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for range clients {
				wg.Go(func() {
					for {
						i := int(next.Add(1) - 1)
						if i >= len(ids) {
							return
						}
						t0 := time.Now()
						if st, _ := p.issue(ids[i]); st != 200 {
							failed.Add(1)
						}
						lat[i] = time.Since(t0)
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			if n := failed.Load(); n > 0 {
				b.Fatalf("%d issues failed", n)
			}
			slices.Sort(lat)
			pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / 1e6 }
			b.ReportMetric(float64(len(ids))/elapsed.Seconds(), "docs/s")
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
		})
	}
}
