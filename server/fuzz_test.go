package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz tests of the JSON API and the staff forms, on the real server on
// SQLite (booted once per fuzzing process): whatever the body, the answer
// is no 5xx and no panic (the recoverer would answer 500), and it is
// well-formed: JSON errors in the contract's shape, pages that are whole
// HTML, redirects with a target. Seed corpora: testdata/fuzz/FuzzXxx.
// A short run of each target is in .ci/run:
//
//	go test -run '^$' -fuzz '^FuzzCaseAPI$' -fuzztime 10s ./server

// fuzzEnv is the server with a case to update and signed-in browsers.
type fuzzEnv struct {
	e       *testEnv
	h       http.Handler
	caseID  string
	officer *webClient
	admin   *webClient
	// the sign-in form's cookie and token
	loginCookie *http.Cookie
	loginCSRF   string
}

func newFuzzEnv(f *testing.F) *fuzzEnv {
	f.Helper()
	e := newEnv(f, envDB.SQLite(f))
	var cs struct {
		ID uint `json:"id"`
	}
	e.doJSON("POST", "/api/v1/cases", e.tokens[officer], mustRead(f, "testdata/traffic_case.json"), 201, &cs)
	fe := &fuzzEnv{e: e, h: e.srv.Config.Handler, caseID: fmt.Sprint(cs.ID), officer: e.signIn(f, officer), admin: e.signIn(f, admin)}
	anon := newWebClient(f, e.srv.URL)
	st, page, h := anon.get("/login")
	m := csrfRE.FindStringSubmatch(page)
	if st != 200 || m == nil {
		f.Fatalf("GET /login: %d", st)
	}
	fe.loginCSRF = m[1]
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == loginCookie {
			fe.loginCookie = c
		}
	}
	if fe.loginCookie == nil {
		f.Fatal("no sign-in cookie")
	}
	return fe
}

// serve runs req through the handler from an address taken from the input
// (the sign-in throttles count per address) and checks the answer.
func (fe *fuzzEnv) serve(t *testing.T, req *http.Request, input []byte) {
	t.Helper()
	h := fnv.New32a()
	h.Write(input)
	n := h.Sum32()
	req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:4321", n>>16&0xff, n>>8&0xff, n&0xff)
	rec := httptest.NewRecorder()
	fe.h.ServeHTTP(rec, req)
	checkAnswer(t, req.Method+" "+req.URL.Path, rec)
}

// api sends body to an API route with a role's token.
func (fe *fuzzEnv) api(t *testing.T, method, path, role string, body []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+fe.e.tokens[role])
	fe.serve(t, req, body)
}

// form posts form, after the browser's own CSRF token, as w signed in.
func (fe *fuzzEnv) form(t *testing.T, w *webClient, path, form string) {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader("csrf_token="+url.QueryEscape(w.csrf)+"&"+form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	u, _ := url.Parse(w.base)
	for _, c := range w.c.Jar.Cookies(u) {
		req.AddCookie(c)
	}
	fe.serve(t, req, []byte(form))
}

// errorCodes are the codes an answer may carry.
var errorCodes = []string{"bad_request", "invalid", "unauthorized", "forbidden", "not_found", "conflict",
	"too_many_requests", "unavailable", "method_not_allowed"}

// checkAnswer: no 5xx; JSON valid, an error in the contract's shape; a page
// whole UTF-8 HTML; a redirect with its target; a PDF a PDF.
func checkAnswer(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	body := rec.Body.Bytes()
	if rec.Code >= 500 {
		t.Fatalf("%s: %d %.2000s", what, rec.Code, body)
	}
	ct := rec.Header().Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "application/json"):
		if !json.Valid(body) {
			t.Fatalf("%s: %d invalid JSON %.2000q", what, rec.Code, body)
		}
		if rec.Code >= 400 {
			var e apiError
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&e); err != nil || !slices.Contains(errorCodes, e.Error.Code) || !hasHan(e.Error.Message) {
				t.Fatalf("%s: %d error not in the contract's shape (%v): %.2000s", what, rec.Code, err, body)
			}
			for k, msg := range e.Error.Fields {
				if k == "" || msg == "" {
					t.Fatalf("%s: a field error without its name or message: %s", what, body)
				}
			}
		}
	case strings.HasPrefix(ct, "text/html"):
		if !utf8.Valid(body) || !bytes.Contains(body, []byte("</html>")) {
			t.Fatalf("%s: %d a page that is not whole HTML: %.2000q", what, rec.Code, body)
		}
	case ct == "application/pdf":
		if !bytes.HasPrefix(body, []byte("%PDF-")) {
			t.Fatalf("%s: %d a PDF that is none", what, rec.Code)
		}
	case rec.Code >= 300 && rec.Code < 400: // 303 after a form; gin's 301/307 to the path without a trailing slash
		if rec.Header().Get("Location") == "" {
			t.Fatalf("%s: %d a redirect to nowhere", what, rec.Code)
		}
	default:
		t.Fatalf("%s: %d an answer of type %q: %.200q", what, rec.Code, ct, body)
	}
	if strings.Contains(what, "/api/") && rec.Code >= 400 && !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: %d an API error that is not JSON (%s)", what, rec.Code, ct)
	}
}

// fuzzRoute is an API route a target sends its input to.
type fuzzRoute struct{ method, path, role string }

// pick sends body to the route op chooses.
func (fe *fuzzEnv) pick(t *testing.T, routes []fuzzRoute, op uint8, body []byte) {
	t.Helper()
	r := routes[int(op)%len(routes)]
	fe.api(t, r.method, r.path, r.role, body)
}

// FuzzCaseAPI: case create (op 0), update (1) and evaluate (2).
func FuzzCaseAPI(f *testing.F) {
	fe := newFuzzEnv(f)
	routes := []fuzzRoute{{"POST", "/api/v1/cases", officer}, {"PUT", "/api/v1/cases/" + fe.caseID, officer},
		{"POST", "/api/v1/evaluate", officer}}
	f.Fuzz(func(t *testing.T, op uint8, body []byte) { fe.pick(t, routes, op, body) })
}

// FuzzStatementAPI: the party's statement on a case.
func FuzzStatementAPI(f *testing.F) {
	fe := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		fe.api(t, "POST", "/api/v1/cases/"+fe.caseID+"/statement", officer, body)
	})
}

// FuzzCalendarAPI: a year's days off and make-up working days.
func FuzzCalendarAPI(f *testing.F) {
	fe := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, year string, body []byte) {
		fe.api(t, "PUT", "/api/v1/calendar/"+url.PathEscape(year), admin, body)
	})
}

// FuzzAdminAPI: a catalogue item (op 0), a user (1), an authority created
// (2) or updated (3).
func FuzzAdminAPI(f *testing.F) {
	fe := newFuzzEnv(f)
	routes := []fuzzRoute{{"POST", "/api/v1/catalog", admin}, {"POST", "/api/v1/users", admin},
		{"POST", "/api/v1/authorities", admin}, {"PUT", "/api/v1/authorities/1", admin}}
	f.Fuzz(func(t *testing.T, op uint8, body []byte) { fe.pick(t, routes, op, body) })
}

// FuzzTemplatePreview: a template body (and case) previewed.
func FuzzTemplatePreview(f *testing.F) {
	fe := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		fe.api(t, "POST", "/api/v1/templates/preview", editor, body)
	})
}

// FuzzCaseForm: the case form, new (op 0) and edit (1).
func FuzzCaseForm(f *testing.F) {
	fe := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, op uint8, form string) {
		path := "/cases/new"
		if op%2 == 1 {
			path = "/cases/" + fe.caseID + "/edit"
		}
		fe.form(t, fe.officer, path, form)
	})
}

// FuzzLogin: the sign-in form (op 0) and the API's sign-in (1).
func FuzzLogin(f *testing.F) {
	fe := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, op uint8, body string) {
		if op%2 == 1 {
			req := httptest.NewRequest("POST", "/api/v1/login", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			fe.serve(t, req, []byte(body))
			return
		}
		req := httptest.NewRequest("POST", "/login", strings.NewReader("csrf_token="+url.QueryEscape(fe.loginCSRF)+"&"+body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(fe.loginCookie)
		fe.serve(t, req, []byte(body))
	})
}

// FuzzAdminForms: the admin's forms: a user (op 0), the calendar (1), a
// template saved (2) or previewed (3), a catalogue file imported (4; the
// input is the file).
func FuzzAdminForms(f *testing.F) {
	fe := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, op uint8, form string) {
		switch op % 5 {
		case 0:
			fe.form(t, fe.admin, "/admin/users", form)
		case 1:
			fe.form(t, fe.admin, "/admin/calendar", form)
		case 2:
			fe.form(t, fe.admin, "/admin/templates/penalty_decision", form)
		case 3:
			fe.form(t, fe.admin, "/admin/templates/penalty_decision/preview", form)
		default:
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("csrf_token", fe.admin.csrf)
			fw, _ := mw.CreateFormFile("file", "list.csv")
			fw.Write([]byte(form))
			mw.Close()
			req := httptest.NewRequest("POST", "/admin/catalog/import", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			u, _ := url.Parse(fe.admin.base)
			for _, c := range fe.admin.c.Jar.Cookies(u) {
				req.AddCookie(c)
			}
			fe.serve(t, req, []byte(form))
		}
	})
}

// TestFuzzFindings: what fuzzing found, on both databases. A CSV that is
// not UTF-8 was stored as it came on SQLite and answered 500 on MariaDB
// (the column refuses the bytes); a form that is not UTF-8 was shown back
// broken on the page.
func TestFuzzFindings(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		var before struct{ Items []any }
		e.doJSON("GET", "/api/v1/catalog", e.tokens[admin], nil, 200, &before)
		csv := []byte("序号,违法行为,违反条款,处罚依据,适用条件\n1,未按\xff规定公示信息,《条例》第十条,《条例》第二十条,初次违法\n")
		var ae apiError
		e.doJSON("POST", "/api/v1/catalog/import?code_prefix=ZZ", e.tokens[admin], csv, 422, &ae)
		if !strings.Contains(ae.Error.Fields["rows[2].name"], "UTF-8") {
			t.Errorf("import of a CSV that is not UTF-8: %+v", ae.Error)
		}
		var after struct{ Items []any }
		e.doJSON("GET", "/api/v1/catalog", e.tokens[admin], nil, 200, &after)
		if len(after.Items) != len(before.Items) {
			t.Errorf("%d items stored", len(after.Items)-len(before.Items))
		}

		w := e.signIn(t, officer)
		form := trafficForm(goodID)
		form.Set("facts", "当事人\xff驾驶")
		st, page, _ := w.post("/cases/new", form)
		if st != http.StatusBadRequest || !utf8.ValidString(page) || !strings.Contains(page, "字符编码") {
			t.Errorf("a form that is not UTF-8: %d %q", st, text(page))
		}
	})
}
