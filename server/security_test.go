package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSecurityHeaders: every kind of answer carries them: a page, a JSON
// error, the API's 404, a static file, the health check, a PDF.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, envDB.SQLite(t))
	doc := issueDecision(t, e)
	for _, path := range []string{"/login", "/api/v1/me", "/api/v1/nope", "/nope", "/static/staff.css", "/healthz",
		e.docPath(doc.ID, "pdf"), "/verify/" + strings.Repeat("x", 32)} {
		_, _, h := e.do("GET", path, e.tokens[clerk], nil)
		for k, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "no-referrer",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", path, k, got, want)
			}
		}
		csp := h.Get("Content-Security-Policy")
		for _, part := range []string{"frame-ancestors 'none'", "script-src 'self'", "object-src 'none'"} {
			if !strings.Contains(csp, part) {
				t.Errorf("%s: CSP %q lacks %s", path, csp, part)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows inline script or style: %q", path, csp)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", path)
		}
	}
}

// TestSessionKinds: a web session's token is refused as a bearer token and
// an API token as a cookie; signing in ends the session the browser held
// before (rotation: a token planted before sign-in is worth nothing after).
func TestSessionKinds(t *testing.T) {
	e := newEnv(t, envDB.SQLite(t))
	w := e.signIn(t, officer)
	u, _ := url.Parse(e.srv.URL)
	var webToken string
	for _, c := range w.c.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			webToken = c.Value
		}
	}
	if webToken == "" {
		t.Fatal("no session cookie")
	}
	if st, b, _ := e.do("GET", "/api/v1/me", webToken, nil); st != 401 {
		t.Fatalf("web token as bearer: %d %s", st, b)
	}
	if st, _, _ := e.do("GET", "/api/v1/me", e.tokens[officer], nil); st != 200 {
		t.Fatalf("api token: %d", st)
	}
	api := newWebClient(t, e.srv.URL)
	api.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: e.tokens[officer], Path: "/"}})
	if st, _, h := api.get("/cases"); st != 303 || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Fatalf("api token as cookie: %d %s", st, h.Get("Location"))
	}
	// A browser holding a session (a token planted in it, or its own)
	// signs in: a new token, and the one held before is ended.
	b := newWebClient(t, e.srv.URL)
	st, page, _ := b.get("/login")
	m := csrfRE.FindStringSubmatch(page)
	if st != 200 || m == nil {
		t.Fatalf("GET /login: %d", st)
	}
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: webToken, Path: "/"}})
	if st, _, _ := b.do("POST", "/login", url.Values{"username": {usernameFor(clerk)}, "password": {passwordFor(clerk)}, "csrf_token": {m[1]}}); st != 303 {
		t.Fatalf("sign in: %d", st)
	}
	var newToken string
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			newToken = c.Value
		}
	}
	if newToken == "" || newToken == webToken {
		t.Fatalf("sign-in kept the token")
	}
	if st, _, _ := w.get("/cases"); st != 303 {
		t.Fatalf("the token held before sign-in still works: %d", st)
	}
	if st, _, _ := b.get("/cases"); st != 200 {
		t.Fatalf("the new session: %d", st)
	}
}

// TestTrustedProxy: behind a trusted proxy the client's address and HTTPS
// come from its headers (cookies Secure, HSTS); from anyone else the same
// headers count for nothing.
func TestTrustedProxy(t *testing.T) {
	for _, tc := range []struct {
		name, proxies string
		secure        bool
	}{
		{"no proxy trusted", "", false},
		{"another proxy trusted", "10.0.0.0/8", false},
		{"loopback trusted", "127.0.0.1, ::1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvWith(t, envDB.SQLite(t), func(d *Deps) { d.TrustedProxies = tc.proxies })
			req, _ := http.NewRequest("GET", e.srv.URL+"/login", nil)
			req.Header.Set("X-Forwarded-Proto", "https")
			req.Header.Set("X-Forwarded-For", "203.0.113.9")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			var secure bool
			for _, c := range resp.Cookies() {
				if c.Name == loginCookie {
					secure = c.Secure
				}
			}
			if secure != tc.secure || (resp.Header.Get("Strict-Transport-Security") != "") != tc.secure {
				t.Fatalf("cookie Secure %v, HSTS %q; want secure %v", secure, resp.Header.Get("Strict-Transport-Security"), tc.secure)
			}
			// The address a sign-in is audited with.
			j := strings.NewReader(`{"username":"u-officer","password":"password-officer"}`)
			req, _ = http.NewRequest("POST", e.srv.URL+"/api/v1/login", j)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", "203.0.113.9")
			resp, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			var me struct{ User struct{ ID uint } }
			e.doJSON("GET", "/api/v1/me", e.tokens[officer], nil, 200, &me)
			log, err := e.store.AuditLog(t.Context(), "user", me.User.ID)
			if err != nil || len(log) == 0 {
				t.Fatalf("audit: %v %v", log, err)
			}
			want := "127.0.0.1"
			if tc.secure {
				want = "203.0.113.9"
			}
			if got := log[len(log)-1].IP; got != want {
				t.Fatalf("sign-in audited from %s, want %s", got, want)
			}
		})
	}
	if _, _, err := parseProxies("10.0.0.0/33"); err == nil {
		t.Error("a bad prefix is accepted")
	}
	if _, _, err := parseProxies("proxy.example"); err == nil {
		t.Error("a host name is accepted")
	}
}

// TestReceiptClerksOnly: the service receipt prints the party's access
// code: a clerk opens it again (audited) without re-issuing, so a lost
// answer loses no code, and nobody else opens it.
func TestReceiptClerksOnly(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		doc := issueDecision(t, e)
		for _, role := range []string{officer, reviewer, approver, editor} {
			if st, b, _ := e.do("GET", e.docPath(doc.ReceiptID, "pdf"), e.tokens[role], nil); st != 403 || !strings.Contains(string(b), "查询码") {
				t.Fatalf("%s opens the receipt: %d %s", role, st, b)
			}
		}
		st, pdf, _ := e.do("GET", e.docPath(doc.ReceiptID, "pdf"), e.tokens[clerk], nil)
		if st != 200 || !strings.Contains(strings.Join(strings.Fields(pdfText(t, pdf)), ""), doc.AccessCode) {
			t.Fatalf("clerk's receipt: %d, code %s not printed", st, doc.AccessCode)
		}
		log, _ := e.store.AuditLog(t.Context(), "document", doc.ReceiptID)
		if len(log) == 0 || log[len(log)-1].Action != "receipt_open" {
			t.Fatalf("receipt opening not audited: %+v", log)
		}
		// The decision itself stays open to the staff of the case.
		if st, _, _ := e.do("GET", e.docPath(doc.ID, "pdf"), e.tokens[officer], nil); st != 200 {
			t.Fatalf("officer's decision PDF: %d", st)
		}
		// Issuing again says where the code is.
		var ae apiError
		e.doJSON("POST", e.docPath(doc.ID, "issue"), e.tokens[clerk], nil, 409, &ae)
		if !strings.Contains(ae.Error.Message, "送达回证") {
			t.Fatalf("re-issue: %+v", ae)
		}
		// The case page: the clerk gets the button, the officer a note.
		page := func(role string) string {
			_, p, _ := e.signIn(t, role).get(fmt.Sprintf("/cases/%d", doc.CaseID))
			return p
		}
		if p := page(clerk); !strings.Contains(p, fmt.Sprintf(`href="/documents/%d/pdf"`, doc.ReceiptID)) {
			t.Error("the clerk's case page has no receipt button")
		}
		if p := page(officer); strings.Contains(p, fmt.Sprintf(`href="/documents/%d/pdf"`, doc.ReceiptID)) ||
			!strings.Contains(p, fmt.Sprintf(`id="doc-%d-clerks-only"`, doc.ReceiptID)) {
			t.Error("the officer's case page links the receipt")
		}
	})
}
