package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"penaltydoc/models"
	"penaltydoc/models/dbtest"
)

// BenchmarkIssue measures issuing through HTTP against the real stack as
// shipped (production bcrypt cost, the store's pool and SQLite settings;
// number taken, final PDF rendered with its QR code, service receipt
// rendered, bytes stored) with 8 concurrent clients, on SQLite and, with
// PENALTYDOC_TEST_MYSQL_DSN, on MariaDB. It reports documents per second,
// the p50/p99 latency of one issue request, the CPU (cpu-ms/doc) and the
// statements (stmts/doc) one issue costs, and the bytes the database
// grew by per issued document with its receipt (stored-KB/doc) beside the
// bytes of the two PDFs (pdf-KB/doc). Fix the count, the set-up makes b.N
// approved documents:
//
//	PENALTYDOC_TEST_MYSQL_DSN='root@tcp(127.0.0.1:3306)/test' \
//	  go test ./server -run '^$' -bench BenchmarkIssue -benchtime 400x -count 3
func BenchmarkIssue(b *testing.B) {
	const clients = 8
	// Production hashing: the tests' init lowers the bcrypt cost.
	defer func(c int) { models.BcryptCost = c }(models.BcryptCost)
	models.BcryptCost = bcrypt.DefaultCost
	for _, name := range []string{"sqlite", "mysql"} {
		b.Run(name, func(b *testing.B) {
			db := dbtest.SQLite(b)
			if name == "mysql" {
				db = dbtest.MySQL(b)
			}
			ids := prepareIssuing(b, db.DSN, b.N)
			ctx := context.Background()
			store, err := models.Open(ctx, db.DSN)
			if err != nil {
				b.Fatal(err)
			}
			defer store.Close()
			h, err := NewServer(Deps{Store: store, Log: slog.New(slog.NewJSONHandler(io.Discard, nil)), BaseURL: "https://penaltydoc.example", AccessKeys: testKeys(b)})
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			p := &serverProcess{url: srv.URL, token: login(b, srv.URL, "clerk1", "password-clerk1")}
			size0 := storedBytes(b, store)
			cpu0, db0, st0 := processCPU(b), dbServerCPU(), store.Statements()
			b.ResetTimer()
			issueBench(b, []*serverProcess{p}, ids, clients)
			// CPU of the whole process (server and clients) and statements
			// per issue: steadier than the rate while other work shares the
			// cores.
			b.ReportMetric(float64(processCPU(b)-cpu0)/1e6/float64(len(ids)), "cpu-ms/doc")
			b.ReportMetric(float64(store.Statements()-st0)/float64(len(ids)), "stmts/doc")
			if name == "mysql" { // MariaDB's own CPU, when it runs here (all of its clients')
				b.ReportMetric(float64(dbServerCPU()-db0)/1e6/float64(len(ids)), "db-cpu-ms/doc")
			}
			b.ReportMetric(float64(storedBytes(b, store)-size0)/float64(len(ids))/1024, "stored-KB/doc")
			b.ReportMetric(float64(pdfBytes(b, store, ids))/float64(len(ids))/1024, "pdf-KB/doc")
		})
	}
}

// storedBytes is the size of the database: SQLite's pages (the WAL
// checkpointed first), MariaDB's data and index lengths of every table
// (statistics refreshed first).
func storedBytes(b *testing.B, s *models.Store) int64 {
	b.Helper()
	db := s.SQLDB()
	var n int64
	if s.Dialect() == models.DialectSQLite {
		if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			b.Fatal(err)
		}
		if err := db.QueryRow("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").Scan(&n); err != nil {
			b.Fatal(err)
		}
		return n
	}
	rows, err := db.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")
	if err != nil {
		b.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			b.Fatal(err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	for _, t := range tables {
		if _, err := db.Exec("ANALYZE TABLE `" + t + "`"); err != nil {
			b.Fatal(err)
		}
	}
	if err := db.QueryRow("SELECT SUM(data_length + index_length) FROM information_schema.tables WHERE table_schema = DATABASE()").Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// pdfBytes is the size of the PDFs of documents ids and their receipts.
func pdfBytes(b *testing.B, s *models.Store, ids []uint) int64 {
	b.Helper()
	var n int64
	for chunk := range slices.Chunk(ids, 200) {
		for _, load := range []func(context.Context, models.Scope, []uint) ([]models.Document, error){s.DocumentsPDF, s.ReceiptsPDF} {
			ds, err := load(context.Background(), models.Everything, chunk)
			if err != nil {
				b.Fatal(err)
			}
			for _, d := range ds {
				n += int64(len(d.PDF))
			}
		}
	}
	return n
}

// issueBench issues ids through procs (the clients spread over them in
// turn) and reports the rate and the latency; a failed issue fails the
// benchmark unless tolerate, when they are reported (failed) instead.
func issueBench(b *testing.B, procs []*serverProcess, ids []uint, clients int, tolerate ...bool) {
	lat := make([]time.Duration, len(ids))
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		p := procs[c%len(procs)]
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
	if n := failed.Load(); n > 0 && len(tolerate) == 0 {
		b.Fatalf("%d issues failed", n)
	} else if n > 0 {
		b.ReportMetric(float64(n), "failed")
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / 1e6 }
	b.ReportMetric(float64(len(ids))/elapsed.Seconds(), "docs/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkIssueProcesses issues through the server binary as shipped
// (spawned, its own settings): one process on SQLite, one and two
// processes on one MariaDB database (PENALTYDOC_TEST_MYSQL_DSN), 8
// clients in all; and 64 clients for the peak RSS (rss-MB, VmHWM of the
// largest process):
//
//	PENALTYDOC_TEST_MYSQL_DSN='root@tcp(127.0.0.1:3306)/test' \
//	  go test ./server -run '^$' -bench BenchmarkIssueProcesses -benchtime 400x -count 3
func BenchmarkIssueProcesses(b *testing.B) {
	bin := buildServer(b)
	for _, c := range []struct {
		db             string
		procs, clients int
	}{{"sqlite", 1, 8}, {"mysql", 1, 8}, {"mysql", 2, 8}, {"sqlite", 1, 64}, {"mysql", 1, 64}} {
		b.Run(fmt.Sprintf("%s/procs=%d/clients=%d", c.db, c.procs, c.clients), func(b *testing.B) {
			db := dbtest.SQLite(b)
			if c.db == "mysql" {
				db = dbtest.MySQL(b)
			}
			ids := prepareIssuing(b, db.DSN, b.N)
			procs := make([]*serverProcess, c.procs)
			for i := range procs {
				procs[i] = startServer(b, bin, db.DSN)
			}
			cpu := func() time.Duration {
				var t time.Duration
				for _, p := range procs {
					t += pidCPU(strconv.Itoa(p.cmd.Process.Pid))
				}
				return t
			}
			cpu0, db0 := cpu(), dbServerCPU()
			b.ResetTimer()
			// 64 clients measure memory: on a loaded machine some of them
			// wait past the request deadline, which is counted, not fatal.
			issueBench(b, procs, ids, c.clients, c.clients > 8)
			// CPU of the server processes and of MariaDB per issue: whether
			// the two cores are what bounds the rate.
			b.ReportMetric(float64(cpu()-cpu0)/1e6/float64(len(ids)), "srv-cpu-ms/doc")
			if c.db == "mysql" {
				b.ReportMetric(float64(dbServerCPU()-db0)/1e6/float64(len(ids)), "db-cpu-ms/doc")
			}
			var hwm int64
			for _, p := range procs {
				hwm = max(hwm, peakRSS(b, p.cmd.Process.Pid))
			}
			b.ReportMetric(float64(hwm)/1024, "rss-MB")
		})
	}
}

// peakRSS is VmHWM of process pid, in KiB.
func peakRSS(b *testing.B, pid int) int64 {
	b.Helper()
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.Lines(string(st)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatal("no VmHWM")
	return 0
}
