package main

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// auditRowRE finds the entries' ids in the audit table.
var auditRowRE = regexp.MustCompile(`<tr>\s*<td class="mono">(\d+)</td>`)

// TestPasswordReset: an admin resets a password (a temporary one, shown
// once; or one the admin sets); the user's sessions end; signed in with
// it, the user gets only the change and sign-out (403
// password_change_required from the API, the change page on the web) until
// they change it; the change checks the current password and the length.
func TestPasswordReset(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		officerID := userNamed(t, e, "u-officer").ID
		var reset struct {
			Temporary string `json:"temporary_password"`
			Must      bool   `json:"must_change_password"`
		}
		old := e.tokens[officer]
		e.doJSON("POST", fmt.Sprintf("/api/v1/users/%d/password", officerID), e.tokens[admin], nil, 200, &reset)
		if len(reset.Temporary) != 12 || !reset.Must {
			t.Fatalf("reset: %+v", reset)
		}
		if st, _, _ := e.do("GET", "/api/v1/cases", old, nil); st != 401 {
			t.Errorf("the old session after the reset: %d, want 401", st)
		}
		if st, _, _ := e.do("POST", "/api/v1/login", "", map[string]string{"username": "u-officer", "password": "password-officer"}); st != 401 {
			t.Errorf("the old password after the reset: %d, want 401", st)
		}
		var signedIn struct {
			Token string `json:"token"`
			User  struct {
				Must bool `json:"must_change_password"`
			} `json:"user"`
		}
		e.doJSON("POST", "/api/v1/login", "", map[string]string{"username": "u-officer", "password": reset.Temporary}, 200, &signedIn)
		tok := signedIn.Token
		if !signedIn.User.Must {
			t.Error("the sign-in answer does not say the password must change")
		}
		var ae apiError
		e.doJSON("GET", "/api/v1/cases", tok, nil, 403, &ae)
		if ae.Error.Code != "password_change_required" {
			t.Errorf("a call before the change: %+v", ae.Error)
		}
		e.doJSON("POST", "/api/v1/me/password", tok, map[string]string{"current_password": "wrong-password", "new_password": "officer-new-1"}, 422, &ae)
		if ae.Error.Fields["current_password"] == "" {
			t.Errorf("a wrong current password: %+v", ae.Error)
		}
		e.doJSON("POST", "/api/v1/me/password", tok, map[string]string{"current_password": reset.Temporary, "new_password": strings.Repeat("密", 25)}, 422, &ae)
		if !strings.Contains(ae.Error.Fields["new_password"], "72") {
			t.Errorf("a new password of 75 bytes: %+v", ae.Error)
		}
		e.doJSON("POST", "/api/v1/me/password", tok, map[string]string{"current_password": reset.Temporary, "new_password": "short"}, 422, &ae)
		e.doJSON("POST", "/api/v1/me/password", tok, map[string]string{"current_password": reset.Temporary, "new_password": "officer-new-1"}, 204, nil)
		e.doJSON("GET", "/api/v1/cases", tok, nil, 200, nil)
		var me struct {
			User struct {
				Must bool `json:"must_change_password"`
			} `json:"user"`
		}
		e.doJSON("GET", "/api/v1/me", tok, nil, 200, &me)
		if me.User.Must {
			t.Error("must_change_password still set after the change")
		}
		// An admin cannot reset their own (they change it as anyone does).
		adminID := userNamed(t, e, "admin").ID
		e.doJSON("POST", fmt.Sprintf("/api/v1/users/%d/password", adminID), e.tokens[admin], nil, 409, nil)

		// The web: the admin sets a password on the user's page.
		aw := e.signIn(t, admin)
		st, body, _ := aw.post(fmt.Sprintf("/admin/users/%d/password", officerID), url.Values{"password": {"set-by-admin-1"}})
		if st != 200 || !strings.Contains(body, "密码已重置") || strings.Contains(body, "set-by-admin-1") {
			t.Fatalf("web reset: %d %s", st, text(body))
		}
		st, body, _ = aw.post(fmt.Sprintf("/admin/users/%d/password", officerID), nil)
		if st != 200 || !strings.Contains(body, `id="temp-password"`) {
			t.Fatalf("web reset with a temporary password: %d", st)
		}
		temp := strings.TrimSpace(text(body[strings.Index(body, `id="temp-password"`):][:60]))
		temp = strings.TrimPrefix(strings.Fields(temp)[0], `id="temp-password">`)
		w := newWebClient(t, e.srv.URL)
		_, lb, _ := w.get("/login")
		st, _, h := w.do("POST", "/login", url.Values{"username": {"u-officer"}, "password": {temp}, "csrf_token": {csrfRE.FindStringSubmatch(lb)[1]}})
		if st != 303 {
			t.Fatalf("sign in with the temporary password %q: %d", temp, st)
		}
		st, _, h = w.get("/cases")
		if st != 303 || h.Get("Location") != "/account/password" {
			t.Fatalf("GET /cases before the change: %d %s", st, h.Get("Location"))
		}
		st, body, _ = w.get("/account/password")
		if st != 200 || !strings.Contains(body, `id="must-change"`) {
			t.Fatalf("the change page: %d", st)
		}
		w.csrf = csrfRE.FindStringSubmatch(body)[1]
		st, body, _ = w.post("/account/password", url.Values{"current_password": {temp}, "new_password": {"officer-new-2"}, "confirm_password": {"officer-new-3"}})
		if st != 422 || !strings.Contains(body, "两次输入的新密码不一致") {
			t.Errorf("mismatched confirmation: %d", st)
		}
		st, _, h = w.post("/account/password", url.Values{"current_password": {temp}, "new_password": {"officer-new-2"}, "confirm_password": {"officer-new-2"}})
		if st != 303 || !strings.HasPrefix(h.Get("Location"), "/cases") {
			t.Fatalf("the change: %d %s", st, h.Get("Location"))
		}
		if st, _, _ := w.get("/cases"); st != 200 {
			t.Errorf("GET /cases after the change: %d", st)
		}
		login(t, e.srv.URL, "u-officer", "officer-new-2")
	})
}

// TestOwnPasswordChange: any user changes their own password; their other
// sessions end, the one they changed it from stays.
func TestOwnPasswordChange(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		other := login(t, e.srv.URL, "u-clerk", "password-clerk")
		w := e.signIn(t, clerk)
		st, body, _ := w.post("/account/password", url.Values{"current_password": {"password-clerk"}, "new_password": {"clerk-new-1"}, "confirm_password": {"clerk-new-1"}})
		if st != 303 {
			t.Fatalf("change: %d %s", st, text(body))
		}
		if st, _, _ := w.get("/cases"); st != 200 {
			t.Errorf("the session the change came from: %d", st)
		}
		if st, _, _ := e.do("GET", "/api/v1/cases", other, nil); st != 401 {
			t.Errorf("another session after the change: %d, want 401", st)
		}
		login(t, e.srv.URL, "u-clerk", "clerk-new-1")
	})
}

// TestCatalogRetire: a retired item is hidden from the new-case list and
// refused for new cases, listed as 已停用 for the admin, kept for its
// cases; reactivated, it is back. PUT edits an item, its code stays.
func TestCatalogRetire(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		caseID := newPenaltyCase(t, e)
		var cs struct {
			Code        string `json:"violation_code"`
			AuthorityID uint   `json:"authority_id"`
		}
		e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d", caseID), e.tokens[officer], nil, 200, &cs)
		type item struct {
			ID     uint   `json:"id"`
			Code   string `json:"code"`
			Name   string `json:"name"`
			Active bool   `json:"active"`
		}
		var list struct{ Items []item }
		find := func(all bool) *item {
			q := ""
			if all {
				q = "?all=1"
			}
			list.Items = nil
			e.doJSON("GET", "/api/v1/catalog"+q, e.tokens[officer], nil, 200, &list)
			for i := range list.Items {
				if list.Items[i].Code == cs.Code {
					return &list.Items[i]
				}
			}
			return nil
		}
		first := find(false)
		if first == nil || !first.Active {
			t.Fatalf("item %s not in the catalogue", cs.Code)
		}
		id := first.ID
		e.doJSON("POST", fmt.Sprintf("/api/v1/catalog/%d/retire", id), e.tokens[officer], nil, 403, nil)
		e.doJSON("POST", fmt.Sprintf("/api/v1/catalog/%d/retire", id), e.tokens[admin], nil, 200, nil)
		if find(false) != nil {
			t.Error("a retired item is offered for new cases")
		}
		it := find(true)
		if it == nil || it.Active {
			t.Fatalf("the whole catalogue: %+v", it)
		}
		pc := loadPublicCases(t)
		facts := pc.Cases[1].Facts
		facts["authority_id"] = cs.AuthorityID
		var ae apiError
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], facts, 422, &ae)
		if !strings.Contains(ae.Error.Fields["violation_code"], "已停用") {
			t.Errorf("a new case with a retired item: %+v", ae.Error)
		}
		e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d", caseID), e.tokens[officer], nil, 200, nil)
		w := e.signIn(t, admin)
		if st, body, _ := w.get("/admin/catalog"); st != 200 || !strings.Contains(body, "已停用") || !strings.Contains(body, fmt.Sprintf(`id="reactivate-%d"`, id)) {
			t.Errorf("the catalogue page: %d", st)
		}
		if st, _, h := w.post(fmt.Sprintf("/admin/catalog/%d/reactivate", id), nil); st != 303 || !strings.Contains(h.Get("Location"), "item_reactivated") {
			t.Errorf("reactivate from the page: %d", st)
		}
		if find(false) == nil {
			t.Error("a reactivated item is not offered")
		}
		// The item page: the stored values; a bad number keeps what was typed.
		st, page, _ := w.get(fmt.Sprintf("/admin/catalog/%d", id))
		if st != 200 || !strings.Contains(page, `id="item-form"`) || !strings.Contains(page, it.Code) {
			t.Fatalf("the item page: %d", st)
		}
		form := url.Values{"name": {"网页改过的名称"}, "domain": {"public_security"}, "violated_provision": {"《易制毒化学品管理条例》第二十条第二款"},
			"penalty_provision": {"《易制毒化学品管理条例》第三十八条第一款"}, "penalty_types": {"warning", "fine"},
			"fine_min": {"abc"}, "fine_max": {"50000"}, "limitation_months": {"24"}, "first_offense_lookback_months": {"24"}, "warning_lookback_months": {"6"}}
		st, page, _ = w.post(fmt.Sprintf("/admin/catalog/%d", id), form)
		if st != 422 || !strings.Contains(page, `value="abc"`) || !strings.Contains(page, "网页改过的名称") {
			t.Errorf("a bad fine on the item page: %d", st)
		}
		form.Set("fine_min", "10000")
		if st, _, h := w.post(fmt.Sprintf("/admin/catalog/%d", id), form); st != 303 || !strings.Contains(h.Get("Location"), "item_saved") {
			t.Errorf("saving the item page: %d", st)
		}
		if it := find(false); it == nil || it.Name != "网页改过的名称" {
			t.Errorf("after the page's save: %+v", it)
		}
		// Edit: every field through PUT; the code cannot change.
		var full map[string]any
		for _, raw := range pc.Items {
			if raw["code"] == it.Code {
				full = raw
			}
		}
		if full == nil {
			t.Fatalf("no public item %s", it.Code)
		}
		full["name"] = "改过名称的违法行为"
		var got item
		e.doJSON("PUT", fmt.Sprintf("/api/v1/catalog/%d", id), e.tokens[admin], full, 200, &got)
		if got.Name != "改过名称的违法行为" || got.Code != it.Code || !got.Active {
			t.Errorf("after PUT: %+v", got)
		}
		full["code"] = "OTHER-CODE"
		e.doJSON("PUT", fmt.Sprintf("/api/v1/catalog/%d", id), e.tokens[admin], full, 422, &ae)
		if ae.Error.Fields["code"] == "" {
			t.Errorf("a changed code: %+v", ae.Error)
		}
		e.doJSON("PUT", "/api/v1/catalog/999999", e.tokens[admin], full, 404, nil)
	})
}

// TestAuditPage: the filters, the keyset pages, the scoping of an
// authority's admin, and the chain check.
func TestAuditPage(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		caseID := newPenaltyCase(t, e)
		notice := e.moveToApproved(t, caseID, "advance_notice")
		w := e.signIn(t, admin)
		rows := func(q string) (int, []string) {
			t.Helper()
			st, body, _ := w.get("/admin/audit?" + q)
			var ids []string
			for _, m := range auditRowRE.FindAllStringSubmatch(body, -1) {
				ids = append(ids, m[1])
			}
			return st, ids
		}
		st, all := rows("")
		if st != 200 || len(all) < 5 {
			t.Fatalf("the audit page: %d, %d rows", st, len(all))
		}
		_, byDoc := rows(fmt.Sprintf("document=%d", notice.ID))
		_, byCase := rows(fmt.Sprintf("case=%d", caseID))
		_, byAction := rows("action=approve")
		_, byUser := rows("user=u-reviewer")
		if len(byDoc) < 2 || len(byCase) <= len(byDoc) || len(byAction) == 0 || len(byUser) == 0 {
			t.Errorf("filters: document %d, case %d, action %d, user %d rows", len(byDoc), len(byCase), len(byAction), len(byUser))
		}
		// In Chinese: the action typed by its name filters as its code, and
		// the rows say what happened in words, not codes.
		if _, r := rows("action=" + url.QueryEscape("负责人批准")); !slices.Equal(r, byAction) {
			t.Errorf("action typed in Chinese: %v, want %v", r, byAction)
		}
		_, page, _ := w.get("/admin/audit?action=approve")
		if pt := text(page); !strings.Contains(pt, "负责人批准") || !strings.Contains(pt, "文书#") || strings.Contains(pt, "reviewing →") {
			t.Errorf("the rows are not in Chinese: %.600s", pt)
		}
		st, body, _ := w.get("/admin/audit?user=u-reviewer")
		if st != 200 || strings.Contains(text(body), "u-officer ") {
			t.Errorf("the user filter shows another user's entries")
		}
		today := e.store.Today()
		if _, r := rows("from=" + today + "&to=" + today); len(r) != len(all) {
			t.Errorf("today's entries: %d of %d", len(r), len(all))
		}
		if _, r := rows("to=2000-01-01"); len(r) != 0 {
			t.Errorf("entries before 2000: %d", len(r))
		}
		if st, _ := rows("from=2026-13-01"); st != 422 {
			t.Errorf("a bad date: %d", st)
		}
		// Pages: the next page continues below the last id, no overlap.
		_, body, _ = w.get("/admin/audit")
		if len(all) >= 50 && !strings.Contains(body, `id="audit-more"`) {
			t.Error("no next page link")
		}
		_, older := rows("before=" + all[1])
		if len(older) == 0 || older[0] != all[2] {
			t.Errorf("the page before id %s starts at %v, want %s", all[1], older, all[2])
		}
		// The chain check.
		st, body, _ = w.post("/admin/audit/check", nil)
		if st != 200 || !strings.Contains(body, `id="audit-check-ok"`) {
			t.Errorf("chain check: %d %s", st, text(body))
		}
		if _, err := e.store.SQLDB().Exec("UPDATE audit_log SET detail = 'edited' WHERE id = " + all[len(all)-1]); err != nil {
			t.Fatal(err)
		}
		st, body, _ = w.post("/admin/audit/check", nil)
		if st != 200 || !strings.Contains(body, `id="audit-check-bad"`) || !strings.Contains(body, "id "+all[len(all)-1]) {
			t.Errorf("chain check of an edited entry: %d %s", st, text(body))
		}

		// An authority's admin sees their office's entries only, and runs
		// no check of the deployment's chain.
		var b map[string]any
		auth := map[string]any{"name": "乙县市场监督管理局", "short_name": "乙县市场监管局", "number_prefix": "乙市监处罚",
			"reconsideration_body": "乙县人民政府", "court": "乙县人民法院", "payment_instructions": "到指定银行缴纳",
			"hearing_fine_person": 10000, "hearing_fine_org": 100000, "seal_png": testSealBase64()}
		e.doJSON("POST", "/api/v1/authorities", e.tokens[admin], auth, 201, &b)
		e.doJSON("POST", "/api/v1/users", e.tokens[admin], map[string]any{"username": "b-admin", "password": "password-b-admin",
			"roles": []string{admin}, "authority_id": b["id"]}, 201, nil)
		bw := newWebClient(t, e.srv.URL)
		bw.login("b-admin", "password-b-admin")
		st, body, _ = bw.get("/admin/audit")
		if st != 200 || strings.Contains(body, "u-reviewer") || strings.Contains(body, `id="audit-check"`) {
			t.Errorf("B's admin's audit page: %d, shows A's entries or the check", st)
		}
		if st, body, _ = bw.get(fmt.Sprintf("/admin/audit?case=%d", caseID)); st != 200 || len(auditRowRE.FindAllString(body, -1)) != 0 {
			t.Errorf("B's admin filters A's case: %d", st)
		}
		if st, _, _ = bw.post("/admin/audit/check", nil); st != 403 {
			t.Errorf("B's admin runs the chain check: %d", st)
		}
	})
}

// TestNotFoundAndFavicon: a browser gets the Chinese 404 page, the API and
// clients that do not ask for HTML JSON; the favicon is an ICO.
func TestNotFoundAndFavicon(t *testing.T) {
	e := newEnv(t, envDB.SQLite(t))
	get := func(path, accept string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var sb strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			sb.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp, sb.String()
	}
	browser := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, c := range []struct {
		path, accept string
		html         bool
	}{
		{"/no-such-page", browser, true},
		{"/cases/1/no-such", browser, true},
		{"/no-such-page", "", false},
		{"/no-such-page", "application/json", false},
		{"/api/v1/no-such", browser, false},
		{"/api/v1/no-such", "", false},
	} {
		resp, body := get(c.path, c.accept)
		ct := resp.Header.Get("Content-Type")
		if resp.StatusCode != 404 {
			t.Errorf("%s (%s): %d, want 404", c.path, c.accept, resp.StatusCode)
		}
		if c.html && (!strings.HasPrefix(ct, "text/html") || !strings.Contains(body, "页面不存在") || !strings.Contains(body, `href="/cases"`)) {
			t.Errorf("%s in a browser: %s %.200s", c.path, ct, body)
		}
		if !c.html && (!strings.HasPrefix(ct, "application/json") || !strings.Contains(body, `"not_found"`)) {
			t.Errorf("%s (%q): %s %.200s", c.path, c.accept, ct, body)
		}
	}
	// The address a form posted to, opened again (reload, bookmark, back):
	// a case's step goes back to the case, another is a Chinese page; the
	// API keeps its JSON 405.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("GET", e.srv.URL+"/cases/7/discussion", nil)
	req.Header.Set("Accept", browser)
	if r, err := noRedirect.Do(req); err != nil || r.StatusCode != 303 || r.Header.Get("Location") != "/cases/7" {
		t.Errorf("GET a case's step: %v %v", r, err)
	} else {
		r.Body.Close()
	}
	if resp, body := get("/documents/3/issue", browser); resp.StatusCode != 405 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(body, "请从页面上的按钮办理") {
		t.Errorf("GET a document's step in a browser: %d %.200s", resp.StatusCode, body)
	}
	if resp, body := get("/api/v1/documents/3/issue", browser); resp.StatusCode != 405 || !strings.Contains(body, `"method_not_allowed"`) {
		t.Errorf("GET an API step: %d %.200s", resp.StatusCode, body)
	}
	resp, body := get("/favicon.ico", "")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/x-icon" || !strings.HasPrefix(body, "\x00\x00\x01\x00\x01\x00") {
		t.Errorf("favicon: %d %s % x", resp.StatusCode, resp.Header.Get("Content-Type"), body[:min(8, len(body))])
	}
}

// TestPageDates: the one date style of the pages.
func TestPageDates(t *testing.T) {
	for in, want := range map[string]string{"2026-12-02": "2026年12月2日", "2026-01-31": "2026年1月31日", "": "", "not a date": "not a date"} {
		if got := pageDate(in); got != want {
			t.Errorf("pageDate(%q) = %q, want %q", in, got, want)
		}
	}
	at := time.Date(2026, 12, 1, 17, 5, 0, 0, time.UTC) // 01:05 on 2 December in China
	if got := pageTime(at); got != "2026年12月2日 01:05" {
		t.Errorf("pageTime = %q", got)
	}
}
