package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"penaltydoc/models"
	"penaltydoc/models/dbtest"
)

// BenchmarkPublicDownload measures the party's download through HTTP
// against the real stack with the production settings (bcrypt at its
// default cost, the store opened as run() opens it): one client posts the
// number and the right access code of an issued decision and reads the
// PDF, b.N times, on SQLite and, with PENALTYDOC_TEST_MYSQL_DSN, on
// MariaDB. It reports the p50 and p99 latency of one download back to back
// on one connection, the CPU (cpu-ms/op; MariaDB's, db-cpu-ms/op, when it
// runs on this machine) and statements of one, and the p50 of downloads
// 5 ms apart (spaced-p50-ms: a party's wait; back to back, a download also
// waits for what the server still does for the one before):
//
//	PENALTYDOC_TEST_MYSQL_DSN='root@tcp(127.0.0.1:3306)/test' \
//	  go test ./server -run '^$' -bench BenchmarkPublicDownload -benchtime 400x -count 5
func BenchmarkPublicDownload(b *testing.B) {
	defer func(c int) { models.BcryptCost = c }(models.BcryptCost)
	models.BcryptCost = bcrypt.DefaultCost
	for _, db := range dbtest.DSNs(b) {
		b.Run(db.Name, func(b *testing.B) {
			// A fresh database each time the benchmark runs this function
			// (once more for each b.N it tries).
			db := map[string]func(testing.TB) dbtest.DB{"sqlite": dbtest.SQLite, "mysql": dbtest.MySQL}[db.Name](b)
			ids := prepareIssuing(b, db.DSN, 1)
			ctx := context.Background()
			store, err := models.Open(ctx, db.DSN)
			if err != nil {
				b.Fatal(err)
			}
			defer store.Close()
			h, err := NewServer(Deps{Store: store, Log: slog.New(slog.NewJSONHandler(io.Discard, nil)), BaseURL: "https://penaltydoc.example",
				AccessKeys: testKeys(b)})
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			body := issueForDownload(b, srv.URL, login(b, srv.URL, "clerk1", "password-clerk1"), ids[0])
			download := func() int {
				resp, err := http.Post(srv.URL+"/public/download", "application/json", bytes.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				defer resp.Body.Close()
				if _, err := io.Copy(io.Discard, resp.Body); err != nil {
					b.Fatal(err)
				}
				return resp.StatusCode
			}
			if st := download(); st != 200 { // and the connection is open
				b.Fatalf("download: %d", st)
			}
			lat := make([]time.Duration, 0, b.N)
			cpu0, db0, st0 := processCPU(b), dbServerCPU(), store.Statements()
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				if st := download(); st != 200 {
					b.Fatalf("download: %d", st)
				}
				lat = append(lat, time.Since(t0))
			}
			b.StopTimer()
			cpu, stmts := processCPU(b)-cpu0, store.Statements()-st0
			slices.Sort(lat)
			pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / 1e6 }
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			// CPU of the whole process (server and client) per download:
			// steadier than the latency while other work shares the cores.
			b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(stmts)/float64(b.N), "stmts/op")
			if store.Dialect() == models.DialectMySQL {
				b.ReportMetric(float64(dbServerCPU()-db0)/1e6/float64(b.N), "db-cpu-ms/op")
			}
			// A party's wait: the same downloads 5 ms apart (outside the
			// timing), so that none waits on the connection for the work
			// the one before did after its answer (the audit entry).
			lat = lat[:0]
			for range b.N {
				time.Sleep(5 * time.Millisecond)
				t0 := time.Now()
				if st := download(); st != 200 {
					b.Fatalf("download: %d", st)
				}
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			b.ReportMetric(pct(0.50), "spaced-p50-ms")
		})
	}
}

// issueForDownload issues document id as the clerk and answers the public
// download's request body: its number and access code.
func issueForDownload(b *testing.B, base, token string, id uint) []byte {
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/documents/%d/issue", base, id), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Number     string `json:"number"`
		AccessCode string `json:"access_code"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 || out.AccessCode == "" {
		b.Fatalf("issue: %d %v", resp.StatusCode, err)
	}
	body, _ := json.Marshal(map[string]string{"number": out.Number, "access_code": out.AccessCode})
	return body
}

// processCPU is the CPU time (user and system) this process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// dbServerCPU is the CPU time (user + system) the database server on this
// machine (a process named mariadbd or mysqld) has used, 0 when there is
// none to read: what MariaDB's side of a benchmark costs the same cores.
func dbServerCPU() time.Duration {
	dirs, _ := os.ReadDir("/proc")
	var total time.Duration
	for _, d := range dirs {
		comm, err := os.ReadFile("/proc/" + d.Name() + "/comm")
		if c := strings.TrimSpace(string(comm)); err == nil && (c == "mariadbd" || c == "mysqld") {
			total += pidCPU(d.Name())
		}
	}
	return total
}

// pidCPU is the CPU time (user + system) process pid has used, 0 when it
// cannot be read.
func pidCPU(pid string) time.Duration {
	st, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// The fields after the command's closing parenthesis: utime and stime
	// are the 12th and 13th, in clock ticks (100 a second).
	_, rest, _ := strings.Cut(string(st), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	sy, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+sy) * 10 * time.Millisecond
}
