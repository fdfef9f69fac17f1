package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"penaltydoc/models"
	"penaltydoc/models/dbtest"
)

// The database's faults through the real server: on MariaDB behind a
// faultProxy (refused, dropped, hanging), on SQLite a write lock held by
// another connection. SQLite is a file in the process: it cannot be
// unreachable or hang as a server can; a held write lock (a stuck writer, a
// backup in another process) is its outage.

const (
	// faultQueryTimeout is the query deadline of these tests.
	faultQueryTimeout = time.Second
	// answerBound is how long a client waits for any answer: past the
	// query deadline, far short of a hang.
	answerBound = 5 * time.Second
)

// faultEnv is the real stack with the query deadline of these tests, its
// logs kept, and a signed-in officer in the browser and on the API.
type faultEnv struct {
	*testEnv
	logs *syncBuffer
	web  *webClient
	api  *http.Client
}

func newFaultEnv(t *testing.T, db dbtest.DB, requestTimeout time.Duration) *faultEnv {
	t.Helper()
	logs := newSyncBuffer()
	e := newEnvOpts(t, db, models.Options{QueryTimeout: faultQueryTimeout}, func(d *Deps) {
		d.Log = slog.New(slog.NewJSONHandler(logs, nil))
		d.RequestTimeout = requestTimeout
	})
	f := &faultEnv{testEnv: e, logs: logs, web: e.signIn(t, officer), api: &http.Client{Timeout: answerBound}}
	f.web.c.Timeout = answerBound
	return f
}

// call sends an API request as the officer; no answer within answerBound
// fails the test.
func (f *faultEnv) call(t *testing.T, method, path string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+f.tokens[officer])
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := f.api.Do(req)
	if err != nil {
		t.Fatalf("%s %s: no answer within %s: %v", method, path, answerBound, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// wantUnavailableJSON checks a 503 in the contract's shape.
func wantUnavailableJSON(t *testing.T, what string, st int, h http.Header, body []byte, message string) {
	t.Helper()
	var e apiError
	if st != http.StatusServiceUnavailable || json.Unmarshal(body, &e) != nil || e.Error.Code != "unavailable" || !hasHan(e.Error.Message) {
		t.Fatalf("%s: %d %s, want 503 unavailable with a Chinese message", what, st, body)
	}
	if message != "" && e.Error.Message != message {
		t.Errorf("%s: message %q, want %q", what, e.Error.Message, message)
	}
	if h.Get("Retry-After") == "" {
		t.Errorf("%s: no Retry-After", what)
	}
}

// wantUnavailable: with the database out, the API answers 503 JSON, the
// staff pages a Chinese 503 page, the health check 503, and a party's
// verify link 503, never "not found".
func (f *faultEnv) wantUnavailable(t *testing.T) {
	t.Helper()
	st, h, b := f.call(t, "GET", "/api/v1/cases", nil)
	wantUnavailableJSON(t, "GET /api/v1/cases", st, h, b, "")
	st, h, b = f.call(t, "POST", "/api/v1/cases", mustRead(t, "testdata/traffic_case.json"))
	wantUnavailableJSON(t, "POST /api/v1/cases", st, h, b, "")
	st, h, b = f.call(t, "GET", "/verify/no-such-verify-token-00", nil)
	wantUnavailableJSON(t, "GET /verify (JSON)", st, h, b, "")

	st, page, h := f.web.get("/cases")
	if st != http.StatusServiceUnavailable || !strings.Contains(page, "服务暂时不可用") || !strings.Contains(text(page), "数据库") || h.Get("Retry-After") == "" {
		t.Fatalf("GET /cases in the browser: %d %q (Retry-After %q), want the Chinese 503 page", st, text(page), h.Get("Retry-After"))
	}
	st, page, _ = f.web.get("/verify/no-such-verify-token-00")
	if st != http.StatusServiceUnavailable || !strings.Contains(page, "暂时无法核验") {
		t.Fatalf("verify page: %d %q", st, text(page))
	}
	st, page, h = f.web.get("/healthz")
	if st != http.StatusServiceUnavailable || page != "database unavailable" || h.Get("Retry-After") == "" {
		t.Fatalf("healthz: %d %q", st, page)
	}
	st, page, _ = f.web.get("/healthz?format=json")
	var health healthBody
	if st != http.StatusServiceUnavailable || json.Unmarshal([]byte(page), &health) != nil || health.Status != "unavailable" || health.Database.State != "down" {
		t.Fatalf("healthz?format=json: %d %s", st, page)
	}
}

// wantUp: everything answers again, with no restart.
func (f *faultEnv) wantUp(t *testing.T) {
	t.Helper()
	if st, _, b := f.call(t, "GET", "/api/v1/cases", nil); st != http.StatusOK {
		t.Fatalf("GET /api/v1/cases: %d %s", st, b)
	}
	if st, page, _ := f.web.get("/cases"); st != http.StatusOK {
		t.Fatalf("GET /cases in the browser: %d %q", st, text(page))
	}
	st, page, _ := f.web.get("/healthz?format=json")
	var health healthBody
	if st != http.StatusOK || json.Unmarshal([]byte(page), &health) != nil || health.Status != "ok" || health.Database.State != "up" {
		t.Fatalf("healthz?format=json: %d %s", st, page)
	}
}

// wantNoErrors: the faults were no internal errors: none logged at error
// level, none counted as 500.
func (f *faultEnv) wantNoErrors(t *testing.T) {
	t.Helper()
	for _, line := range strings.Split(f.logs.String(), "\n") {
		if strings.Contains(line, `"level":"ERROR"`) {
			t.Errorf("logged as an error: %s", line)
		}
	}
	if m := regexp.MustCompile(`penaltydoc_http_requests_total\{[^}]*status="500"\} \d+`).FindString(f.metricsText(t)); m != "" {
		t.Errorf("metrics count a 500: %s", m)
	}
}

func (f *faultEnv) metricsText(t *testing.T) string {
	t.Helper()
	st, b, _ := f.do("GET", "/metrics", "", nil)
	if st != http.StatusOK {
		t.Fatalf("metrics: %d", st)
	}
	return string(b)
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// proxied puts a faultProxy in front of db's server and returns db as
// reached through it.
func proxied(t *testing.T, db dbtest.DB) (*faultProxy, dbtest.DB) {
	t.Helper()
	cfg, err := mysql.ParseDSN(strings.TrimPrefix(db.DSN, "mysql:"))
	if err != nil {
		t.Fatal(err)
	}
	p := newFaultProxy(t, cfg.Addr)
	cfg.Addr = p.addr
	return p, dbtest.DB{Name: db.Name, DSN: "mysql:" + cfg.FormatDSN()}
}

// mariaDBEnv is a faultEnv on a fresh MariaDB database behind a
// faultProxy; the test skips without PENALTYDOC_TEST_MYSQL_DSN.
func mariaDBEnv(t *testing.T, requestTimeout time.Duration) (*faultProxy, *faultEnv) {
	t.Helper()
	if os.Getenv(dbtest.EnvMySQL) == "" {
		t.Skipf("%s not set: the MariaDB fault tests (a proxy that refuses, drops and hangs) need a server", dbtest.EnvMySQL)
	}
	proxy, db := proxied(t, envDB.MySQL(t))
	f := newFaultEnv(t, db, requestTimeout)
	t.Cleanup(proxy.close) // before the server's: no request stays hanging
	return proxy, f
}

// lockSQLite holds SQLite's write lock from another connection, as a stuck
// writer or a backup in another process would, until the returned function
// is called.
func lockSQLite(t *testing.T, db dbtest.DB) (release func()) {
	t.Helper()
	other, err := sql.Open("sqlite", "file:"+strings.TrimPrefix(db.DSN, "sqlite:")+"?_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("DELETE FROM throttles WHERE 0"); err != nil {
		t.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			tx.Rollback()
			other.Close()
		}
	}
	t.Cleanup(release)
	return release
}

// TestDatabaseFaults: the database refused, dropped or hanging answers 503
// (JSON, a Chinese page, the health check) within the query deadline, and
// the service answers again by itself once it is back.
func TestDatabaseFaults(t *testing.T) {
	t.Run("mysql", func(t *testing.T) {
		proxy, f := mariaDBEnv(t, 0)
		f.wantUp(t)
		for _, mode := range []proxyMode{proxyRefuse, proxyDrop, proxyHang, proxyRefuse} {
			t.Run(mode.String(), func(t *testing.T) {
				proxy.set(mode)
				f.wantUnavailable(t)
				proxy.set(proxyPass)
				f.wantUp(t)
			})
		}
		f.wantNoErrors(t)
	})
	t.Run("sqlite", func(t *testing.T) {
		db := envDB.SQLite(t)
		f := newFaultEnv(t, db, 0)
		body := mustRead(t, "testdata/traffic_case.json")
		release := lockSQLite(t, db)
		st, h, b := f.call(t, "POST", "/api/v1/cases", body)
		wantUnavailableJSON(t, "POST /api/v1/cases under a held lock", st, h, b, "")
		st, page, h := f.web.post("/cases/new", trafficForm(goodID))
		if st != http.StatusServiceUnavailable || !strings.Contains(page, "服务暂时不可用") || h.Get("Retry-After") == "" {
			t.Fatalf("POST /cases/new under a held lock: %d %q", st, text(page))
		}
		release()
		if st, _, b := f.call(t, "POST", "/api/v1/cases", body); st != http.StatusCreated {
			t.Fatalf("POST /api/v1/cases after the lock is let go: %d %s", st, b)
		}
		f.wantNoErrors(t)
	})
}

// TestRequestDeadline: a request past its own deadline ends as 503 (请求处理
// 超时), however long its queries may take.
func TestRequestDeadline(t *testing.T) {
	const requestTimeout = 300 * time.Millisecond // shorter than the query deadline
	t.Run("mysql", func(t *testing.T) {
		proxy, f := mariaDBEnv(t, requestTimeout)
		proxy.set(proxyHang)
		st, h, b := f.call(t, "GET", "/api/v1/cases", nil)
		wantUnavailableJSON(t, "GET /api/v1/cases with the database hanging", st, h, b, errRequestDeadline.Message)
		proxy.set(proxyPass)
		f.wantUp(t)
		f.wantNoErrors(t)
	})
	t.Run("sqlite", func(t *testing.T) {
		db := envDB.SQLite(t)
		f := newFaultEnv(t, db, requestTimeout)
		lockSQLite(t, db)
		st, h, b := f.call(t, "POST", "/api/v1/cases", mustRead(t, "testdata/traffic_case.json"))
		wantUnavailableJSON(t, "POST /api/v1/cases under a held lock", st, h, b, errRequestDeadline.Message)
		f.wantNoErrors(t)
	})
}

// TestClientCancel: a client that gives up is no error of the server's:
// logged at info as cancelled, counted as 499, never as a 5xx.
func TestClientCancel(t *testing.T) {
	t.Run("mysql", func(t *testing.T) {
		proxy, f := mariaDBEnv(t, 0)
		proxy.set(proxyHang) // the request waits on the database
		f.cancelled(t, "GET", "/api/v1/cases", nil)
		proxy.set(proxyPass)
	})
	t.Run("sqlite", func(t *testing.T) {
		db := envDB.SQLite(t)
		f := newFaultEnv(t, db, 0)
		lockSQLite(t, db) // the write waits on the lock
		f.cancelled(t, "POST", "/api/v1/cases", mustRead(t, "testdata/traffic_case.json"))
	})
}

// cancelled sends a request that its client gives up on after 200 ms, then
// waits for the server to count it.
func (f *faultEnv) cancelled(t *testing.T, method, route string, body []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, f.srv.URL+route, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+f.tokens[officer])
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("%s %s was answered (%d) before its client gave up", method, route, resp.StatusCode)
	}
	// The server learns of it when the request's context ends its query.
	counted := regexp.MustCompile(`penaltydoc_http_requests_total\{method="` + method + `",route="` + regexp.QuoteMeta(route) + `",status="(\d+)"\}`)
	deadline := time.Now().Add(answerBound)
	for {
		var statuses []string
		for _, m := range counted.FindAllStringSubmatch(f.metricsText(t), -1) {
			statuses = append(statuses, m[1])
		}
		if len(statuses) > 0 {
			if len(statuses) != 1 || statuses[0] != "499" {
				t.Fatalf("the cancelled request is counted as %v, want 499 only", statuses)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cancelled request was not counted within %s", answerBound)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(f.logs.String(), `"msg":"request cancelled by client"`) {
		t.Errorf("no log line says the request was cancelled:\n%s", f.logs.String())
	}
	f.wantNoErrors(t)
}
