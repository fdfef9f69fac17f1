package main

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestPortalSecurity: the portal opens only with an advance notice's
// number and its code, failures
// count in the download's throttle, forms need the session's token, the
// session cookie is the only way to the case's data, and the evidence
// files reach only the staff of the case's authority.
func TestPortalSecurity(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		caseID, notice := issuedNotice(t, e)
		party := newWebClient(t, e.srv.URL)
		if st, body, _ := party.get("/public/portal"); st != 200 || strings.Contains(body, notice.Number) || !strings.Contains(body, "查询已过期") {
			t.Fatalf("portal without a session: %d", st)
		}
		st, body, _ := party.post("/public/portal/open", url.Values{"number": {notice.Number}, "access_code": {"AAAA-AAAA"}})
		if st != 404 || !strings.Contains(body, "未找到匹配的文书") || !strings.Contains(body, notice.Number) {
			t.Fatalf("wrong code: %d %.300s", st, body)
		}
		st, _, h := party.post("/public/portal/open", url.Values{"number": {notice.Number}, "access_code": {notice.AccessCode}})
		if st != 303 || h.Get("Location") != "/public/portal" {
			t.Fatalf("open: %d %v", st, h)
		}
		st, body, _ = party.get("/public/portal")
		m := csrfRE.FindStringSubmatch(body)
		if st != 200 || m == nil || !strings.Contains(body, notice.Number) {
			t.Fatalf("portal page: %d", st)
		}
		st, body, _ = party.post("/public/portal/submit/statement", url.Values{"csrf_token": {"forged"}, "text": {"伪造的陈述"}})
		if st != 403 || !strings.Contains(body, "伪造的陈述") {
			t.Errorf("forged token: %d (the text should be kept)", st)
		}
		st, _, h = party.post("/public/portal/submit/statement", url.Values{"csrf_token": {m[1]}, "text": {"本人系初次违法"}})
		if st != 303 || !strings.Contains(h.Get("Location"), "sha256=") {
			t.Fatalf("statement: %d %v", st, h)
		}
		var list struct {
			Submissions []struct {
				Kind, Text string
			} `json:"submissions"`
		}
		e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d/submissions", caseID), e.tokens[officer], nil, 200, &list)
		if len(list.Submissions) != 1 || list.Submissions[0].Text != "本人系初次违法" {
			t.Errorf("submissions %+v", list.Submissions)
		}
		st, _, _ = party.post("/public/portal/close", url.Values{"csrf_token": {m[1]}})
		if st2, body, _ := party.get("/public/portal"); st != 303 || st2 != 200 || strings.Contains(body, notice.Number) {
			t.Errorf("after closing: %d %d", st, st2)
		}

		// Failures share the download's limit per number and address.
		other := newWebClient(t, e.srv.URL)
		for i := 0; i < 12; i++ {
			st, _, _ = other.post("/public/portal/open", url.Values{"number": {notice.Number}, "access_code": {"BBBB-BBBB"}})
		}
		if st != 429 {
			t.Errorf("after 12 failures: %d, want 429", st)
		}
	})
}
