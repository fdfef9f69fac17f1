package main

import (
	"html"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"penaltydoc/models"
)

// webClient is a browser without JavaScript: a cookie jar, redirects not
// followed, the session's CSRF token at hand.
type webClient struct {
	t    testing.TB
	base string
	c    *http.Client
	csrf string
	// officers are the officer ids a new case names when the form names
	// none (the env's two certified officers).
	officers []string
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func newWebClient(t testing.TB, base string) *webClient {
	jar, _ := cookiejar.New(nil)
	return &webClient{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// signIn signs a role's user in through the form and keeps the CSRF token.
func (e *testEnv) signIn(t testing.TB, role string) *webClient {
	t.Helper()
	w := newWebClient(t, e.srv.URL)
	w.login(usernameFor(role), passwordFor(role))
	for _, id := range e.officerIDs {
		w.officers = append(w.officers, strconv.FormatUint(uint64(id), 10))
	}
	return w
}

func (w *webClient) login(user, password string) {
	w.t.Helper()
	st, body, _ := w.get("/login")
	m := csrfRE.FindStringSubmatch(body)
	if st != 200 || m == nil {
		w.t.Fatalf("GET /login: %d, no form token", st)
	}
	st, body, h := w.do("POST", "/login", url.Values{"username": {user}, "password": {password}, "csrf_token": {m[1]}})
	if st != 303 || h.Get("Location") != "/cases" {
		w.t.Fatalf("sign in as %s: %d %s: %s", user, st, h.Get("Location"), body)
	}
	st, body, _ = w.get("/cases")
	if m = csrfRE.FindStringSubmatch(body); st != 200 || m == nil {
		w.t.Fatalf("GET /cases after sign-in: %d", st)
	}
	w.csrf = m[1]
}

func (w *webClient) do(method, path string, form url.Values) (int, string, http.Header) {
	w.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, w.base+path, body)
	if err != nil {
		w.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := w.c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (w *webClient) get(path string) (int, string, http.Header) { return w.do("GET", path, nil) }

// post sends a form with the session's CSRF token (unless form sets one).
func (w *webClient) post(path string, form url.Values) (int, string, http.Header) {
	w.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", w.csrf)
	}
	if _, ok := form["officer_ids"]; !ok && path == "/cases/new" && len(w.officers) > 0 && form.Get("violation_code") != "" {
		form = maps.Clone(form)
		form["officer_ids"] = w.officers
	}
	return w.do("POST", path, form)
}

// text is a page's visible text, roughly: tags dropped, entities decoded.
func text(page string) string {
	return html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(page, " "))
}

// inputValue is the value attribute of the input named name.
func inputValue(page, name string) string {
	re := regexp.MustCompile(`<input[^>]*name="` + regexp.QuoteMeta(name) + `"[^>]*value="([^"]*)"`)
	if m := re.FindStringSubmatch(page); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// trafficForm is the TR-001 warning case as an officer types it.
func trafficForm(idNumber string) url.Values {
	day := recentDay()
	return url.Values{
		"authority_id": {"3"}, "violation_code": {"TR-001"}, "party.kind": {"person"}, "party.name": {"李四"},
		"party.id_number": {idNumber}, "party.address": {"杭州市西湖区文三路1号"}, "party.phone": {"13800000000"},
		"violation_date": {day}, "discovered_date": {day},
		"facts":    {"当事人驾驶浙A12345小型轿车，在文三路与学院路交叉口右转车道内直行。"},
		"evidence": {"现场执法记录仪视频\n\n驾驶证、行驶证复印件"}, "harm": {"none"}, "mental_capacity": {"full"},
		"corrected": {"1"},
	}
}

// recentDay is three days ago in China: a date every check accepts.
func recentDay() string { return time.Now().In(models.China).AddDate(0, 0, -3).Format("2006-01-02") }

const (
	goodID = "110101199003070011"
	badID  = "110101199003070016" // checksum wrong
)

func TestWebSignInAndGate(t *testing.T) {
	e := newEnv(t, envDB.SQLite(t))
	anon := newWebClient(t, e.srv.URL)
	// Anonymous: pages go to sign-in and come back; / too.
	st, _, h := anon.get("/cases?q=%E6%9D%8E")
	if st != 303 || h.Get("Location") != "/login?next="+url.QueryEscape("/cases?q=%E6%9D%8E") {
		t.Fatalf("anonymous /cases: %d %s", st, h.Get("Location"))
	}
	if st, _, h = anon.get("/"); st != 303 || h.Get("Location") != "/login" {
		t.Fatalf("anonymous /: %d %s", st, h.Get("Location"))
	}
	// Sign-in form: a wrong password keeps the user name and says so.
	st, body, h := anon.get("/login?next=/queue")
	if st != 200 {
		t.Fatalf("sign-in page: %d", st)
	}
	token := csrfRE.FindStringSubmatch(body)[1]
	cookie := h.Get("Set-Cookie")
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") || strings.Contains(cookie, "Secure") {
		t.Errorf("login cookie flags: %s", cookie)
	}
	st, body, _ = anon.do("POST", "/login", url.Values{"username": {"u-officer"}, "password": {"wrong"}, "csrf_token": {token}, "next": {"/queue"}})
	if st != 401 || !strings.Contains(body, "用户名或密码错误") || inputValue(body, "username") != "u-officer" {
		t.Fatalf("wrong password: %d %s", st, text(body))
	}
	// Without the form token: refused.
	st, body, _ = anon.do("POST", "/login", url.Values{"username": {"u-officer"}, "password": {"password-officer"}})
	if st != 403 || !strings.Contains(body, "登录页面已过期") {
		t.Fatalf("login without token: %d", st)
	}
	// Right password: the session cookie, then to next (a local path only).
	st, _, h = anon.do("POST", "/login", url.Values{"username": {"u-officer"}, "password": {"password-officer"}, "csrf_token": {token}, "next": {"/queue"}})
	sc := h.Values("Set-Cookie")
	if st != 303 || h.Get("Location") != "/queue" {
		t.Fatalf("sign in: %d %s", st, h.Get("Location"))
	}
	var session string
	for _, c := range sc {
		if strings.HasPrefix(c, sessionCookie+"=") {
			session = c
		}
	}
	if !strings.Contains(session, "HttpOnly") || !strings.Contains(session, "SameSite=Lax") || !strings.Contains(session, "Path=/") || strings.Contains(session, "Secure") {
		t.Errorf("session cookie flags: %q", session)
	}
	st, body, _ = anon.get("/queue")
	if st != 200 || !strings.Contains(body, "u-officer") || !strings.Contains(body, "承办人") {
		t.Fatalf("queue after sign-in: %d", st)
	}
	for next, want := range map[string]string{"//evil.example/x": "/cases", "https://evil.example": "/cases", "/cases/1": "/cases/1", `/\evil`: "/cases"} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}

	// A POST without the session's token is refused with the 403 page.
	w := e.signIn(t, officer)
	st, body, _ = w.post("/cases/new", url.Values{"csrf_token": {"forged"}})
	if st != 403 || !strings.Contains(body, "页面已过期或请求来源无法确认") {
		t.Fatalf("forged token: %d %s", st, text(body))
	}
	// A role the route does not allow: the Chinese 403 page.
	rv := e.signIn(t, reviewer)
	st, body, _ = rv.get("/cases/new")
	if st != 403 || !strings.Contains(body, "无权访问") {
		t.Fatalf("reviewer on /cases/new: %d", st)
	}
	// An API token is not a session cookie.
	jar := newWebClient(t, e.srv.URL)
	u, _ := url.Parse(e.srv.URL)
	jar.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: e.tokens[officer]}})
	if st, _, _ = jar.get("/cases"); st != 303 {
		t.Errorf("API token as cookie: %d, want 303 to sign-in", st)
	}
	// Sign-out ends the session.
	if st, _, h = w.post("/logout", nil); st != 303 || h.Get("Location") != "/login?done=logout" {
		t.Fatalf("logout: %d %s", st, h.Get("Location"))
	}
	if st, _, _ = w.get("/cases"); st != 303 {
		t.Errorf("after logout: %d", st)
	}
	// The API's throttle: after five failures the sixth try is refused (429).
	fresh := newWebClient(t, e.srv.URL)
	_, body, _ = fresh.get("/login")
	token = csrfRE.FindStringSubmatch(body)[1]
	for i := 0; i < 6; i++ {
		st, body, _ = fresh.do("POST", "/login", url.Values{"username": {"u-clerk"}, "password": {"wrong"}, "csrf_token": {token}})
	}
	if st != 429 || !strings.Contains(body, "登录失败次数过多") || inputValue(body, "username") != "u-clerk" {
		t.Errorf("throttled sign-in: %d %s", st, text(body))
	}
}

// TestWebCaseForm: the form re-renders with every message next to its
// input and nothing typed lost; then the case is stored and evaluated.
func TestWebCaseForm(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		w := e.signIn(t, officer)
		st, body, _ := w.get("/cases/new")
		if st != 200 || !strings.Contains(body, "TR-001") || !strings.Contains(body, `name="party.id_number"`) {
			t.Fatalf("new case form: %d", st)
		}
		form := trafficForm(badID)
		form.Set("proposed_fine", "abc")
		form.Set("evidence", "现场执法记录仪视频\n\n驾驶证\U0001F600复印件")
		form.Set("prior_violations", "TR-002,2025-13-01,是\nTR-003")
		st, body, _ = w.post("/cases/new", form)
		if st != 422 {
			t.Fatalf("bad form: %d %s", st, text(body))
		}
		page := text(body)
		for _, want := range []string{"公民身份号码校验位不正确", "请输入有效的金额", "第2行：", "第1行：以往违法行为日期应为有效日期", "第2行格式应为"} {
			if !strings.Contains(page, want) {
				t.Errorf("re-rendered form lacks %q", want)
			}
		}
		for name, want := range map[string]string{"party.name": "李四", "party.id_number": badID, "proposed_fine": "abc",
			"violation_date": recentDay(), "party.address": "杭州市西湖区文三路1号"} {
			if got := inputValue(body, name); got != want {
				t.Errorf("input %s = %q, want %q (kept)", name, got, want)
			}
		}
		if !strings.Contains(body, "当事人驾驶浙A12345小型轿车") || !strings.Contains(body, "TR-003</textarea>") {
			t.Error("textareas not kept")
		}
		if p, _ := e.store.ListCases(t.Context(), models.CaseQuery{Scope: models.Everything}); p.Total != 0 {
			t.Errorf("%d cases stored from a bad form", p.Total)
		}
		// Fixed: stored, evaluated, shown.
		st, b, h := w.post("/cases/new", trafficForm(goodID))
		if st != 303 || !strings.HasPrefix(h.Get("Location"), "/cases/") {
			t.Fatalf("good form: %d %s: %s", st, h.Get("Location"), text(b))
		}
		if st, body, _ = w.get(h.Get("Location")); st != 200 {
			t.Fatalf("case page: %d", st)
		}
		page = text(body)
		for _, want := range []string{"案件已保存", "警告", "首次违法，给予警告", "当场行政处罚决定书", "简易程序", "《中华人民共和国道路交通安全法》"} {
			if !strings.Contains(page, want) {
				t.Errorf("case page lacks %q", want)
			}
		}
		// Edit: the stored facts in the form; a change re-evaluates.
		id := strings.TrimPrefix(strings.TrimSuffix(h.Get("Location"), "?done=created"), "/cases/")
		st, body, _ = w.get("/cases/" + id + "/edit")
		if st != 200 || inputValue(body, "party.id_number") != goodID {
			t.Fatalf("edit form: %d", st)
		}
		f := trafficForm(goodID)
		f.Set("affected_traffic", "1")
		st, _, h = w.post("/cases/"+id+"/edit", f)
		if st != 303 || h.Get("Location") != "/cases/"+id+"?done=updated" {
			t.Fatalf("edit: %d %s", st, h.Get("Location"))
		}
		_, body, _ = w.get("/cases/" + id)
		if !strings.Contains(text(body), "给予行政处罚") || !strings.Contains(body, "¥") {
			t.Errorf("after edit the case is not a penalty with a fine: %s", text(body))
		}
	})
}
