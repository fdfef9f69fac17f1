package main

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"penaltydoc/models"
)

// postMultipart sends a multipart form with one file, with the session's
// CSRF token.
func (w *webClient) postMultipart(path string, fields url.Values, file, name string, data []byte) (int, string, http.Header) {
	w.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf_token", w.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile(file, name)
	if err != nil {
		w.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, err := http.NewRequest("POST", w.base+path, &buf)
	if err != nil {
		w.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := w.c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// textareaValue is the content of the textarea named name, as a browser
// reads it (the newline right after the tag dropped).
func textareaValue(page, name string) string {
	re := regexp.MustCompile(`(?s)<textarea[^>]*name="` + regexp.QuoteMeta(name) + `"[^>]*>\n?(.*?)</textarea>`)
	if m := re.FindStringSubmatch(page); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

func TestWebAdminTemplates(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := t.Context()
		w := e.signIn(t, admin)
		const kind = "penalty_decision"

		st, body, _ := w.get("/admin/templates")
		if st != 200 || !strings.Contains(body, `href="/admin/templates/`+kind+`"`) || !strings.Contains(body, `id="nav-admin"`) {
			t.Fatalf("GET /admin/templates: %d", st)
		}
		before, err := e.store.ActiveTemplate(ctx, 0, kind)
		if err != nil {
			t.Fatal(err)
		}
		st, body, _ = w.get("/admin/templates/" + kind)
		if st != 200 || textareaValue(body, "body") != before.Body || !strings.Contains(body, "@signature") {
			t.Fatalf("editor: %d, body shown %q", st, textareaValue(body, "body"))
		}

		// A broken body: 422, the line next to the textarea, the typed body kept
		// (escaped), nothing stored.
		broken := "@title 行政处罚决定书\n<script>alert(1)</script>\n{{if .Fine}}罚款\n"
		st, body, _ = w.post("/admin/templates/"+kind, url.Values{"body": {strings.ReplaceAll(broken, "\n", "\r\n")}})
		if st != 422 {
			t.Fatalf("broken template: %d", st)
		}
		m := regexp.MustCompile(`id="body-line">第(\d+)行<`).FindStringSubmatch(body)
		if m == nil || !strings.Contains(text(body), "模板第"+m[1]+"行") {
			t.Fatalf("broken template: no line next to the textarea: %s", text(body))
		}
		if got := textareaValue(body, "body"); got != broken {
			t.Fatalf("typed body not kept: %q", got)
		}
		if strings.Contains(body, "<script>alert") {
			t.Fatal("typed body not escaped")
		}
		if now, _ := e.store.ActiveTemplate(ctx, 0, kind); now.Version != before.Version {
			t.Fatalf("broken template stored as v%d", now.Version)
		}

		// Preview of the unsaved body: a draft PDF; of a broken one, the editor.
		good := before.Body + "\n@right 附件：现场照片\n"
		st, pdf, h := w.post("/admin/templates/"+kind+"/preview", url.Values{"body": {good}})
		if st != 200 || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF") {
			t.Fatalf("preview: %d %s", st, h.Get("Content-Type"))
		}
		if st, body, _ = w.post("/admin/templates/"+kind+"/preview", url.Values{"body": {broken}}); st != 422 || !strings.Contains(body, `id="body-line"`) {
			t.Fatalf("broken preview: %d", st)
		}

		// A valid body becomes the new active version.
		st, _, h = w.post("/admin/templates/"+kind, url.Values{"body": {good}})
		if st != 303 || h.Get("Location") != "/admin/templates/"+kind+"?done=template_saved" {
			t.Fatalf("save: %d %s", st, h.Get("Location"))
		}
		now, err := e.store.ActiveTemplate(ctx, 0, kind)
		if err != nil || now.Version != before.Version+1 || now.Body != good || now.Author != "admin" {
			t.Fatalf("saved template: %+v %v", now, err)
		}
		st, body, _ = w.get(h.Get("Location"))
		if st != 200 || !strings.Contains(body, flashes["template_saved"]) || !strings.Contains(body, `id="activate-1"`) {
			t.Fatalf("after save: %d", st)
		}

		// The old version can be made active again.
		st, _, h = w.post("/admin/templates/"+kind+"/versions/1/activate", nil)
		if st != 303 || !strings.HasSuffix(h.Get("Location"), "done=template_activated") {
			t.Fatalf("activate: %d %s", st, h.Get("Location"))
		}
		if now, _ := e.store.ActiveTemplate(ctx, 0, kind); now.Version != 1 {
			t.Fatalf("active after activate: v%d", now.Version)
		}
		if st, _, _ = w.get("/admin/templates/no_such_kind"); st != 404 {
			t.Fatalf("unknown kind: %d", st)
		}
	})
}

func TestWebAdminCalendar(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		w := e.signIn(t, admin)
		st, body, _ := w.get("/admin/calendar?year=2026")
		if st != 200 || !strings.Contains(body, `<option value="2026" selected>`) {
			t.Fatalf("GET /admin/calendar: %d", st)
		}
		form := url.Values{"year": {"2026"}, "holidays": {"2026-01-01\r\n\r\n 2026-02-17 \r\n2026-02-18"}, "workdays": {"2026-02-14"}}
		st, _, h := w.post("/admin/calendar", form)
		if st != 303 || h.Get("Location") != "/admin/calendar?done=calendar&year=2026" {
			t.Fatalf("save calendar: %d %s", st, h.Get("Location"))
		}
		hs, ws, err := e.store.CalendarYear(t.Context(), 2026)
		if err != nil || strings.Join(hs, ",") != "2026-01-01,2026-02-17,2026-02-18" || strings.Join(ws, ",") != "2026-02-14" {
			t.Fatalf("stored calendar %v %v %v", hs, ws, err)
		}
		st, body, _ = w.get(h.Get("Location"))
		if st != 200 || !strings.Contains(body, flashes["calendar"]) || textareaValue(body, "workdays") != "2026-02-14" {
			t.Fatalf("after save: %d", st)
		}

		// Bad dates: messages under their textarea, naming the date; the typed
		// lists kept; nothing changed.
		bad := url.Values{"year": {"2026"}, "holidays": {"2026-01-01\n2026-13-01"}, "workdays": {"2026-02-16"}}
		st, body, _ = w.post("/admin/calendar", bad)
		page := text(body)
		if st != 422 || !strings.Contains(page, "“2026-13-01”：日期应为YYYY-MM-DD格式的有效日期") ||
			!strings.Contains(page, "“2026-02-16”：调休上班日应为星期六或星期日") || !strings.Contains(body, `id="holidays-error"`) {
			t.Fatalf("bad calendar: %d %s", st, page)
		}
		if textareaValue(body, "holidays") != "2026-01-01\n2026-13-01" {
			t.Fatalf("typed holidays not kept: %q", textareaValue(body, "holidays"))
		}
		if hs, _, _ := e.store.CalendarYear(t.Context(), 2026); len(hs) != 3 {
			t.Fatalf("refused calendar changed the stored one: %v", hs)
		}
	})
}

func TestWebAdminCatalogImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		w := e.signIn(t, admin)
		csv := "序号,违法行为,违反条款,处罚依据,适用条件,罚款上限,处罚种类\n" +
			"1,经营者未按规定明码标价,《中华人民共和国价格法》第十三条第一款,《中华人民共和国价格法》第四十二条,初次违法且及时改正,5000,罚款\n" +
			"2,个体工商户未办理变更登记,《个体工商户条例》第十条第一款,《个体工商户条例》第二十三条第一款,初次违法,1500,罚款、吊销\n"
		fields := url.Values{"code_prefix": {"WEBQD"}, "domain": {"market_regulation"}, "list_type": {"first_offense"}}
		st, body, h := w.postMultipart("/admin/catalog/import", fields, "file", "清单.csv", []byte(csv))
		if st != 303 || h.Get("Location") != "/admin/catalog?done=imported&n=2" {
			t.Fatalf("import: %d %s %s", st, h.Get("Location"), text(body))
		}
		items, err := e.store.ListItems(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(items, func(it models.CatalogItem) bool { return it.Code == "WEBQD-002" })
		if i < 0 || !items[i].FirstOffenseEligible || items[i].Domain != "market_regulation" || items[i].FineMax != 1500 {
			t.Fatalf("imported items %+v", items)
		}
		st, body, _ = w.get(h.Get("Location"))
		if st != 200 || !strings.Contains(text(body), "导入完成：共2项") || !strings.Contains(body, "WEBQD-001") {
			t.Fatalf("catalogue page after import: %d", st)
		}

		// A bad file: the row errors listed in Chinese, nothing stored.
		bad := csv + "3,无依据事项,没有书名号,《某法》第一条,,100,罚款\n4,,,,,,\n5,罚款有误,《某法》第一条,《某法》第二条,,很多,罚款\n"
		st, body, _ = w.postMultipart("/admin/catalog/import", url.Values{"code_prefix": {"BADQD"}}, "file", "bad.csv", []byte(bad))
		page := text(body)
		if st != 422 || !strings.Contains(body, `id="import-errors"`) || !strings.Contains(page, "第4行：") || !strings.Contains(page, "第6行：很多不是数字") {
			t.Fatalf("bad import: %d %s", st, page)
		}
		if strings.Index(page, "第4行：") > strings.Index(page, "第6行：") {
			t.Fatal("import errors not in row order")
		}
		after, _ := e.store.ListItems(t.Context())
		if len(after) != len(items) {
			t.Fatalf("refused import stored items: %d → %d", len(items), len(after))
		}
		// No file chosen.
		if st, body, _ = w.postMultipart("/admin/catalog/import", nil, "file", "", nil); st != 400 || !strings.Contains(body, "请选择要上传的CSV或XLSX文件") {
			t.Fatalf("no file: %d", st)
		}
	})
}

func TestWebAdminUsers(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		w := e.signIn(t, admin)
		if st, body, _ := w.get("/admin/users"); st != 200 || !strings.Contains(body, "u-officer") {
			t.Fatalf("GET /admin/users: %d", st)
		}
		st, body, _ := w.post("/admin/users", url.Values{"username": {"wang.wu"}, "display_name": {"王五<b>"}, "password": {"short"}, "roles": {"officer"}})
		if st != 422 || !strings.Contains(text(body), "密码长度应为8至72位") || inputValue(body, "username") != "wang.wu" ||
			!strings.Contains(body, "王五&lt;b&gt;") || !strings.Contains(body, `value="officer" checked`) {
			t.Fatalf("bad user: %d %s", st, text(body))
		}
		st, _, h := w.post("/admin/users", url.Values{"username": {"wang.wu"}, "display_name": {"王五"}, "password": {"password-wang"}, "roles": {"officer", "clerk"}})
		if st != 303 || h.Get("Location") != "/admin/users?done=user_created" {
			t.Fatalf("create user: %d %s", st, h.Get("Location"))
		}
		nw := newWebClient(t, e.srv.URL)
		nw.login("wang.wu", "password-wang")
		if st, body, _ := nw.get("/cases"); st != 200 || !strings.Contains(body, "承办人") || !strings.Contains(body, "文书管理员") {
			t.Fatalf("new user's page: %d", st)
		}
		if st, body, _ = w.post("/admin/users", url.Values{"username": {"wang.wu"}, "password": {"password-wang"}, "roles": {"officer"}}); st != 409 || !strings.Contains(text(body), "用户名已存在") {
			t.Fatalf("duplicate user: %d", st)
		}
		// The form's default: the new user replaces the admin's password at
		// the first sign-in.
		if _, body, _ := w.get("/admin/users"); !strings.Contains(body, `id="u-must-change" checked`) {
			t.Error("the new-user form does not ask for a password change by default")
		}
		if st, _, _ := w.post("/admin/users", url.Values{"username": {"zhao.liu"}, "password": {"password-zhao"}, "roles": {"officer"},
			"must_change_password": {"1"}}); st != 303 {
			t.Fatalf("create user who must change: %d", st)
		}
		zw := newWebClient(t, e.srv.URL)
		st, loginPage, _ := zw.get("/login")
		tok := csrfRE.FindStringSubmatch(loginPage)
		if st != 200 || tok == nil {
			t.Fatalf("GET /login: %d", st)
		}
		zw.do("POST", "/login", url.Values{"username": {"zhao.liu"}, "password": {"password-zhao"}, "csrf_token": {tok[1]}})
		if st, _, h := zw.get("/cases"); st != 303 || !strings.HasPrefix(h.Get("Location"), "/account/password") {
			t.Errorf("first sign-in with the admin's password: %d %s, want the password page", st, h.Get("Location"))
		}

		// Editing: the user's offices and status; a refusal keeps what was typed.
		us, err := e.store.ListUsers(t.Context(), models.Everything)
		if err != nil {
			t.Fatal(err)
		}
		var id uint
		for _, u := range us {
			if u.Username == "wang.wu" {
				id = u.ID
				if len(u.AuthorityIDs()) != 1 || u.AuthorityIDs()[0] != 1 {
					t.Errorf("a user created without an office serves %v, want the default office 1", u.AuthorityIDs())
				}
			}
		}
		page := fmt.Sprintf("/admin/users/%d", id)
		if st, body, _ := w.get(page); st != 200 || inputValue(body, "display_name") != "王五" || !strings.Contains(body, `value="clerk" checked`) {
			t.Fatalf("GET %s: %d", page, st)
		}
		st, body, _ = w.post(page, url.Values{"display_name": {"王五（稽查）"}, "authority_id": {"1"}, "authorities": {"3"}, "active": {"1"}})
		if st != 422 || !strings.Contains(text(body), "至少选择一个角色") || inputValue(body, "display_name") != "王五（稽查）" || !strings.Contains(body, `name="authorities" value="3" checked`) {
			t.Fatalf("edit without roles: %d %s", st, text(body))
		}
		st, _, h = w.post(page, url.Values{"display_name": {"王五（稽查）"}, "roles": {"officer"}, "authority_id": {"1"}, "authorities": {"3"}})
		if st != 303 || h.Get("Location") != "/admin/users?done=user_updated" {
			t.Fatalf("edit user: %d %s", st, h.Get("Location"))
		}
		u, err := e.store.UserByID(t.Context(), id)
		if err != nil || u.Active || u.Roles != "officer" || !slices.Equal(u.AuthorityIDs(), []uint{1, 3}) || u.DisplayName != "王五（稽查）" {
			t.Fatalf("after edit: %+v %v", u, err)
		}
		if st, _, _ := nw.get("/cases"); st != 303 {
			t.Errorf("a deactivated user's session still works: %d", st)
		}
		if st, body, _ := w.get("/admin/users"); st != 200 || !strings.Contains(body, `<span class="tag">停用</span>`) {
			t.Errorf("users page after edit: %d", st)
		}
	})
}

// TestWebAdminForbidden: other roles get the 403 page and no 管理 item.
func TestWebAdminForbidden(t *testing.T) {
	e := newEnv(t, envDB.SQLite(t))
	for _, role := range []string{officer, reviewer, approver, clerk} {
		w := e.signIn(t, role)
		if _, body, _ := w.get("/cases"); strings.Contains(body, `id="nav-admin"`) {
			t.Errorf("%s sees the 管理 item", role)
		}
		for _, p := range []string{"/admin/templates", "/admin/templates/penalty_decision", "/admin/catalog", "/admin/calendar", "/admin/users"} {
			if st, body, _ := w.get(p); st != 403 || !strings.Contains(body, "无权访问") {
				t.Errorf("%s GET %s: %d, want the 403 page", role, p, st)
			}
		}
		st, _, _ := w.post("/admin/templates/penalty_decision", url.Values{"body": {"@title x\n"}})
		if st != 403 {
			t.Errorf("%s saves a template: %d", role, st)
		}
	}
}
