package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"golang.org/x/crypto/bcrypt"

	"penaltydoc/casework"
)

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func pageCount(t *testing.T, pdf []byte) int {
	t.Helper()
	n, err := api.PageCount(bytes.NewReader(pdf), model.NewDefaultConfiguration())
	if err != nil {
		t.Fatalf("page count: %v", err)
	}
	return n
}

func (e *testEnv) postForm(path string, form url.Values) (int, []byte, http.Header) {
	e.t.Helper()
	resp, err := http.PostForm(e.srv.URL+path, form)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

// TestPublicDownloadVerifyPrint continues the whole path on SQLite and
// MariaDB: the party downloads the issued decision (same bytes, same
// SHA-256), anyone verifies it, a clerk prints it with its notice.
func TestPublicDownloadVerifyPrint(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		doc := issueDecision(t, e)
		_, stored, _ := e.do("GET", e.docPath(doc.ID, "pdf"), e.tokens[clerk], nil)
		if sha(stored) != doc.SHA256 {
			t.Fatalf("stored PDF hash %s, issued %s", sha(stored), doc.SHA256)
		}

		// JSON download: the frozen bytes.
		st, pdf, h := e.do("POST", "/public/download", "", map[string]string{"number": doc.Number, "access_code": doc.AccessCode})
		if st != 200 || h.Get("Content-Type") != "application/pdf" || sha(pdf) != doc.SHA256 {
			t.Fatalf("download: %d %s sha %s", st, h.Get("Content-Type"), sha(pdf))
		}
		// The number as people type it, the code in lower case without the dash.
		typed := strings.NewReplacer("〔", "[", "〕", "]").Replace(doc.Number)
		code := strings.ToLower(strings.ReplaceAll(doc.AccessCode, "-", ""))
		if st, pdf, _ = e.do("POST", "/public/download", "", map[string]string{"number": " " + typed, "access_code": code}); st != 200 || sha(pdf) != doc.SHA256 {
			t.Fatalf("download with typed number: %d", st)
		}
		// Every failure is the same 404.
		var bodies []string
		for _, req := range []map[string]string{
			{"number": doc.Number, "access_code": "AAAA-AAAA"},
			{"number": doc.Number + "9", "access_code": doc.AccessCode},
			{"number": "", "access_code": ""},
			{"number": doc.NoticeNumber, "access_code": doc.AccessCode},
		} {
			st, b, _ := e.do("POST", "/public/download", "", req)
			if st != 404 {
				t.Fatalf("failed download %v: %d %s", req, st, b)
			}
			bodies = append(bodies, string(b))
		}
		for _, b := range bodies[1:] {
			if b != bodies[0] {
				t.Errorf("failures differ: %s vs %s", b, bodies[0])
			}
		}
		// The form: PDF as an attachment, or the page again with the message.
		st, pdf, h = e.postForm("/public/download", url.Values{"number": {doc.Number}, "access_code": {doc.AccessCode}})
		if st != 200 || sha(pdf) != doc.SHA256 || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") {
			t.Fatalf("form download: %d %s", st, h.Get("Content-Disposition"))
		}
		st, page, _ := e.postForm("/public/download", url.Values{"number": {doc.Number}, "access_code": {"WRONG123"}})
		if st != 404 || !strings.Contains(string(page), "未找到匹配的文书") || !strings.Contains(string(page), `<form method="post"`) {
			t.Fatalf("form failure: %d %s", st, page)
		}

		// Verify: HTML and JSON, the name masked.
		token := doc.VerifyURL[strings.LastIndex(doc.VerifyURL, "/")+1:]
		st, page, _ = e.do("GET", "/verify/"+token, "", nil)
		if st != 200 || !strings.Contains(string(page), doc.Number) || !strings.Contains(string(page), doc.SHA256) || !strings.Contains(string(page), "真实有效") {
			t.Fatalf("verify page: %d %s", st, page)
		}
		if strings.Contains(string(page), "示例化工有限公司") {
			t.Error("verify page shows the party's full name")
		}
		req, _ := http.NewRequest("GET", e.srv.URL+"/verify/"+token, nil)
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var v casework.Verification
		decodeJSON(t, resp, &v)
		if v.Number != doc.Number || v.SHA256 != doc.SHA256 || v.Status != "served" || v.Authority != "示例县公安局" || v.Kind != "penalty_decision" || v.IssueDate != doc.IssueDate {
			t.Fatalf("verify JSON %+v", v)
		}
		if st, _, _ := e.do("GET", "/verify/"+strings.Repeat("x", 32), "", nil); st != 404 {
			t.Errorf("unknown token: %d", st)
		}

		// Print: the frozen bytes merged in the order given.
		docs, err := e.store.CaseDocuments(t.Context(), doc.CaseID)
		if err != nil {
			t.Fatal(err)
		}
		var noticeID uint
		for _, d := range docs {
			if d.Kind == "advance_notice" {
				noticeID = d.ID
			}
		}
		single := pageCount(t, stored)
		st, merged, h := e.do("GET", fmt.Sprintf("/api/v1/documents/print?ids=%d,%d,%d", doc.ID, noticeID, doc.ID), e.tokens[clerk], nil)
		if st != 200 || h.Get("Content-Type") != "application/pdf" {
			t.Fatalf("print: %d %s", st, merged)
		}
		_, noticePDF, _ := e.do("GET", e.docPath(noticeID, "pdf"), e.tokens[clerk], nil)
		if got, want := pageCount(t, merged), 2*single+pageCount(t, noticePDF); got != want {
			t.Errorf("merged %d pages, want %d", got, want)
		}
		if text := pdfText(t, merged); strings.Index(text, "行政处罚决定书") > strings.Index(text, "事先告知书") {
			t.Errorf("print order: the decision should come first")
		}
		log, _ := e.store.AuditLog(t.Context(), "document", doc.ID)
		prints := 0
		for _, l := range log {
			if l.Action == "print" {
				prints++
			}
		}
		if prints != 2 {
			t.Errorf("%d print entries for the decision, want 2", prints)
		}
		// A draft cannot be printed as issued; bad ids are named. (The
		// decided case takes no new drafts: the draft is on a new case of the
		// same facts.)
		var ae apiError
		var draft struct{ ID uint }
		var decided struct {
			Facts map[string]any `json:"facts"`
		}
		e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d", doc.CaseID), e.tokens[officer], nil, 200, &decided)
		var open struct{ ID uint }
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], decided.Facts, 201, &open)
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", open.ID), e.tokens[officer], map[string]string{"kind": "advance_notice"}, 201, &draft)
		e.doJSON("GET", fmt.Sprintf("/api/v1/documents/print?ids=%d,%d", doc.ID, draft.ID), e.tokens[clerk], nil, 422, &ae)
		if !strings.Contains(ae.Error.Fields["ids"], "尚未签发") {
			t.Errorf("draft print: %+v", ae)
		}
		e.doJSON("GET", "/api/v1/documents/print?ids=1,x", e.tokens[clerk], nil, 422, &ae)
		e.doJSON("GET", "/api/v1/documents/print?ids=99999", e.tokens[clerk], nil, 404, nil)
	})
}

func decodeJSON(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

// TestDownloadBruteForce: wrong access codes meet 429 per number and
// address and per address, a 429 says nothing about the document, and no
// stranger can lock the rightful party out: from another address the
// right code still downloads, and right codes never count. The addresses
// come through a trusted proxy's X-Forwarded-For.
func TestDownloadBruteForce(t *testing.T) {
	e := newEnvWith(t, envDB.SQLite(t), func(d *Deps) { d.TrustedProxies = "127.0.0.1" })
	doc := issueDecision(t, e)
	from := func(srv string, ip string, body map[string]string) (int, []byte) {
		t.Helper()
		j, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", srv+"/public/download", bytes.NewReader(j))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", ip)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	right := map[string]string{"number": doc.Number, "access_code": doc.AccessCode}
	// A stranger guesses the party's code from one address …
	for i := range casework.DownloadPerNumberAddress.Failures + 2 {
		st, b := from(e.srv.URL, "198.51.100.7", map[string]string{"number": doc.Number, "access_code": fmt.Sprintf("AAAA%04d", i)})
		want := 404
		if i >= casework.DownloadPerNumberAddress.Failures {
			want = 429
		}
		if st != want {
			t.Fatalf("guess %d: %d %s, want %d", i, st, b, want)
		}
		if st == 429 && (!strings.Contains(string(b), "too_many_requests") || strings.Contains(string(b), doc.Number)) {
			t.Fatalf("429 body %s", b)
		}
	}
	// … and is locked even with the right code; the party, elsewhere, is not,
	// and its own downloads never count.
	if st, _ := from(e.srv.URL, "198.51.100.7", right); st != 429 {
		t.Fatalf("the guesser's address with the right code: %d", st)
	}
	for i := range casework.DownloadPerAddress.Failures + 5 {
		if st, b := from(e.srv.URL, "203.0.113.5", right); st != 200 {
			t.Fatalf("the party's download %d: %d %s", i, st, b)
		}
	}
	// One address guessing many numbers meets the per-address ceiling.
	wrongAt := func(srv string, ip func(int) string) int {
		t.Helper()
		for i := range casework.DownloadPerAddress.Failures + 2 {
			st, b := from(srv, ip(i), map[string]string{"number": fmt.Sprintf("杭市监处罚〔2026〕%d号", 1000+i), "access_code": "AAAA-AAAA"})
			if st == 429 {
				return i
			}
			if st != 404 {
				t.Fatalf("guess %d: %d %s", i, st, b)
			}
		}
		return -1
	}
	if at := wrongAt(e.srv.URL, func(int) string { return "192.0.2.44" }); at != casework.DownloadPerAddress.Failures {
		t.Fatalf("per-address ceiling met at guess %d, want %d", at, casework.DownloadPerAddress.Failures)
	}
	// Without a trusted proxy X-Forwarded-For is ignored: a client cannot
	// pick its address to escape the limits.
	plain := newEnv(t, envDB.SQLite(t))
	if at := wrongAt(plain.srv.URL, func(i int) string { return fmt.Sprintf("10.9.%d.1", i) }); at != casework.DownloadPerAddress.Failures {
		t.Fatalf("spoofed addresses: ceiling met at guess %d, want %d", at, casework.DownloadPerAddress.Failures)
	}
}

// TestPublicDownloadLegacyCode: a document issued before the keyed hashes
// keeps its bcrypt hash, and its code still downloads it; a wrong code is
// the same 404.
func TestPublicDownloadLegacyCode(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		doc := issueDecision(t, e)
		// What the versions before stored: bcrypt at cost 8 of the code
		// without its dash (written past the model's immutability hooks, as
		// the row was written then).
		legacy, err := bcrypt.GenerateFromPassword([]byte(strings.ReplaceAll(doc.AccessCode, "-", "")), 8)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.SQLDB().Exec("UPDATE documents SET access_code_hash = ? WHERE id = ?", string(legacy), doc.ID); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			code string
			want int
		}{
			{doc.AccessCode, 200},
			{strings.ToLower(doc.AccessCode), 200},
			{"AAAA-AAAA", 404},
		} {
			st, pdf, _ := e.do("POST", "/public/download", "", map[string]string{"number": doc.Number, "access_code": tc.code})
			if st != tc.want || (st == 200 && sha(pdf) != doc.SHA256) {
				t.Errorf("code %s: %d, want %d", tc.code, st, tc.want)
			}
		}
	})
}
