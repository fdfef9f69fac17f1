package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu chan struct{}
	b  bytes.Buffer
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{mu: make(chan struct{}, 1)} }

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu <- struct{}{}
	defer func() { <-s.mu }()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu <- struct{}{}
	defer func() { <-s.mu }()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestRun boots the real service on a temporary SQLite database, checks
// health, signs in, makes one API call and stops it gracefully.
func TestRun(t *testing.T) {
	addr := freeAddr(t)
	dbPath := filepath.Join(t.TempDir(), "sub", "run.db")
	env := map[string]string{
		"PENALTYDOC_ADDR":           addr,
		"PENALTYDOC_DB":             "sqlite:" + dbPath,
		"PENALTYDOC_ADMIN_PASSWORD": "run-test-password",
	}
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := newSyncBuffer(), newSyncBuffer()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"penaltydoc"}, func(k string) string { return env[k] }, stdout, stderr)
	}()
	base := "http://" + addr
	waitHealthy(t, base, done)

	token := login(t, base, "admin", "run-test-password")
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/catalog", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Items []struct{ Code string } `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 {
		t.Fatalf("catalog: %d %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	if len(body.Items) < 12 {
		t.Fatalf("catalog has %d items, want the seeded catalogue", len(body.Items))
	}

	// One full case: a traffic first-violation warning, issued on the spot,
	// downloaded by the party.
	var officerToken, headToken, clerkToken string
	call := func(method, path string, body any, want int, out any) {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+token)
		switch {
		case strings.HasPrefix(path, "/api/v1/cases") || strings.HasSuffix(path, "/submit"):
			req.Header.Set("Authorization", "Bearer "+officerToken)
		case strings.HasSuffix(path, "/approve"):
			req.Header.Set("Authorization", "Bearer "+headToken)
		case strings.HasSuffix(path, "/issue"):
			req.Header.Set("Authorization", "Bearer "+clerkToken)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
		if out != nil {
			if err := json.Unmarshal(raw, out); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
		}
	}
	// The admin creates the staff (it does no case work): two certified
	// officers of the traffic police (APL Art. 42), one drafts; a head
	// approves, a clerk issues.
	var officers [2]struct {
		ID uint `json:"id"`
	}
	for i := range officers {
		call("POST", "/api/v1/users", map[string]any{"username": fmt.Sprintf("officer%d", i+1), "password": "officer-password-1", "roles": []string{"officer"},
			"authority_id": 3, "certificate_number": fmt.Sprintf("3311000000%d", i+1), "area": "莲都区"}, 201, &officers[i])
	}
	for _, u := range []struct{ name, role string }{{"head1", "approver"}, {"clerk1", "clerk"}} {
		call("POST", "/api/v1/users", map[string]any{"username": u.name, "password": u.name + "-password", "roles": []string{u.role}, "authority_id": 3}, 201, nil)
	}
	officerToken, headToken, clerkToken = login(t, base, "officer1", "officer-password-1"), login(t, base, "head1", "head1-password"), login(t, base, "clerk1", "clerk1-password")
	var cs struct {
		ID         uint `json:"id"`
		Evaluation struct {
			Outcome      string `json:"outcome"`
			DocumentKind string `json:"document_kind"`
		} `json:"evaluation"`
	}
	call("POST", "/api/v1/cases", map[string]any{
		"authority_id": 3, "violation_code": "TR-001", // the seeded traffic police
		"party":          map[string]any{"kind": "person", "name": "张某", "id_number": "33110219880719016X", "address": "丽水市莲都区某路3号"},
		"violation_date": "2026-10-08", "discovered_date": "2026-10-08", "decision_date": "2026-10-12",
		"facts": "当事人驾驶浙K·A1234号小型轿车在右转车道内直行，未影响其他车辆正常通行。", "harm": "none",
		"officer_ids": []uint{officers[0].ID, officers[1].ID},
	}, 201, &cs)
	if cs.Evaluation.Outcome != "warning" || cs.Evaluation.DocumentKind != "on_the_spot_decision" {
		t.Fatalf("evaluation %+v", cs.Evaluation)
	}
	var doc struct {
		ID         uint   `json:"id"`
		Status     string `json:"status"`
		Number     string `json:"number"`
		AccessCode string `json:"access_code"`
		SHA256     string `json:"sha256"`
	}
	call("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), nil, 201, &doc)
	for _, step := range []string{"submit", "approve"} {
		call("POST", fmt.Sprintf("/api/v1/documents/%d/%s", doc.ID, step), nil, 200, &doc)
	}
	// A fresh install has no seals: issuing waits for the authority's.
	var refused struct {
		Error struct{ Message string } `json:"error"`
	}
	call("POST", fmt.Sprintf("/api/v1/documents/%d/issue", doc.ID), nil, 409, &refused)
	if !strings.Contains(refused.Error.Message, "本机关尚未设置印章") {
		t.Fatalf("issue without a seal: %+v", refused)
	}
	var auths struct {
		Authorities []map[string]any `json:"authorities"`
	}
	call("GET", "/api/v1/authorities", nil, 200, &auths)
	traffic := auths.Authorities[2]
	traffic["seal_png"] = testSealBase64()
	call("PUT", "/api/v1/authorities/3", traffic, 200, nil)
	call("POST", fmt.Sprintf("/api/v1/documents/%d/issue", doc.ID), nil, 200, &doc)
	if doc.Status != "issued" || doc.Number == "" || doc.AccessCode == "" {
		t.Fatalf("issued %+v", doc)
	}
	dl, _ := json.Marshal(map[string]string{"number": doc.Number, "access_code": doc.AccessCode})
	resp, err = http.Post(base+"/public/download", "application/json", bytes.NewReader(dl))
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if sum := sha256.Sum256(pdf); resp.StatusCode != 200 || hex.EncodeToString(sum[:]) != doc.SHA256 {
		t.Fatalf("party download: %d", resp.StatusCode)
	}

	// A slow in-flight request finishes during shutdown.
	slow := make(chan int, 1)
	go func() {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			slow <- 0
			return
		}
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop")
	}
	if code := <-slow; code != 200 && code != 0 {
		t.Fatalf("in-flight request got %d", code)
	}
	logs := stderr.String()
	for _, want := range []string{`"msg":"listening"`, `"msg":"stopped"`, `"request_id"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s:\n%s", want, logs)
		}
	}
	if !strings.Contains(stdout.String(), "listening on") {
		t.Errorf("stdout = %q", stdout.String())
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("still listening after stop")
	}

	// The server secret was created beside the database, for its owner
	// only; after a restart on the same data the party's code still works.
	key := filepath.Join(filepath.Dir(dbPath), "secret.key")
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v %v", fi, err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	done = make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"penaltydoc"}, func(k string) string { return env[k] }, stdout, stderr)
	}()
	waitHealthy(t, base, done)
	resp, err = http.Post(base+"/public/download", "application/json", bytes.NewReader(dl))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil || resp.StatusCode != 200 {
		t.Fatalf("download after restart: %d, run: %v", resp.StatusCode, err)
	}
	// A secret others may read: the service refuses to start, and says why.
	if err := os.Chmod(key, 0o644); err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), []string{"penaltydoc"}, func(k string) string { return env[k] }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("run with a secret readable by others: %v", err)
	}
}

func waitHealthy(t testing.TB, base string, done chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("run exited early: %v", err)
		default:
		}
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 && string(b) == "ok" {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("service did not become healthy")
}

func login(t testing.TB, base, user, password string) string {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"username": user, "password": password})
	resp, err := http.Post(base+"/api/v1/login", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
		User  struct {
			Username string   `json:"username"`
			Roles    []string `json:"roles"`
		} `json:"user"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 || out.Token == "" {
		t.Fatalf("login %s: %d %v", user, resp.StatusCode, err)
	}
	return out.Token
}

// TestGeneratedAdminPassword: without PENALTYDOC_ADMIN_PASSWORD the admin's
// generated password goes to the terminal once, in a plain line, and into
// no JSON log line.
func TestGeneratedAdminPassword(t *testing.T) {
	addr := freeAddr(t)
	env := map[string]string{"PENALTYDOC_ADDR": addr, "PENALTYDOC_DB": "sqlite:" + filepath.Join(t.TempDir(), "gen.db")}
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := newSyncBuffer(), newSyncBuffer()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"penaltydoc"}, func(k string) string { return env[k] }, stdout, stderr)
	}()
	base := "http://" + addr
	waitHealthy(t, base, done)
	re := regexp.MustCompile(`generated password (\S+) `)
	m := re.FindStringSubmatch(stderr.String())
	if m == nil {
		cancel()
		t.Fatalf("no password line on stderr:\n%s", stderr.String())
	}
	login(t, base, "admin", m[1])
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.HasPrefix(line, "{") && strings.Contains(line, m[1]) {
			t.Errorf("a JSON log line carries the password: %s", line)
		}
	}
	if n := strings.Count(stderr.String(), m[1]); n != 1 {
		t.Errorf("the password appears %d times", n)
	}
}
