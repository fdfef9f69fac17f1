package main

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestErrorsAndValidation(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		var ae apiError
		// Unauthenticated.
		st, b, _ := e.do("GET", "/api/v1/catalog", "", nil)
		if st != 401 || !strings.Contains(string(b), `"unauthorized"`) {
			t.Fatalf("anonymous: %d %s", st, b)
		}
		// Wrong role.
		e.doJSON("POST", "/api/v1/catalog", e.tokens[officer], map[string]any{"code": "A"}, 403, &ae)
		if ae.Error.Code != "forbidden" || !hasHan(ae.Error.Message) {
			t.Fatalf("forbidden body %+v", ae)
		}
		// Malformed JSON and wrong types.
		for _, body := range []string{`{"code":`, `[1,2]`, `{"fine_min":"many"}`, ``} {
			e.doJSON("POST", "/api/v1/catalog", e.tokens[admin], []byte(body), 400, &ae)
			if ae.Error.Code != "bad_request" || !hasHan(ae.Error.Message) {
				t.Fatalf("malformed %q: %+v", body, ae)
			}
		}
		// Invalid item: every bad field named.
		ae = apiError{}
		e.doJSON("POST", "/api/v1/catalog", e.tokens[admin], map[string]any{
			"code": "", "name": "", "domain": "space", "penalty_types": []string{"flogging"}, "fine_min": 100, "fine_max": 10,
		}, 422, &ae)
		for _, f := range []string{"code", "name", "domain", "fine_min"} {
			if !hasHan(ae.Error.Fields[f]) {
				t.Errorf("invalid item: field %s not named: %+v", f, ae.Error.Fields)
			}
		}
		if ae.Error.Code != "invalid" {
			t.Errorf("code %q", ae.Error.Code)
		}
		// A valid item, then the same code again.
		item := map[string]any{"code": "T-9", "name": "测试事项", "domain": "other",
			"violated_provision": "《某条例》第一条", "penalty_provision": "《某条例》第九条",
			"penalty_types": []string{"fine"}, "fine_min": 0, "fine_max": 1000}
		e.doJSON("POST", "/api/v1/catalog", e.tokens[admin], item, 201, nil)
		e.doJSON("POST", "/api/v1/catalog", e.tokens[admin], item, 409, &ae)
		// Body cap.
		big := append([]byte(`{"name":"`), bytes.Repeat([]byte("a"), 2<<20)...)
		e.doJSON("POST", "/api/v1/catalog", e.tokens[admin], append(big, `"}`...), 400, nil)
		// Unknown route is JSON 404.
		e.doJSON("GET", "/api/v1/nothing", e.tokens[admin], nil, 404, &ae)
		// Login errors.
		e.doJSON("POST", "/api/v1/login", "", map[string]string{"username": "admin", "password": "nope"}, 401, &ae)
		e.doJSON("POST", "/api/v1/login", "", map[string]string{}, 422, &ae)
		if ae.Error.Fields["username"] == "" || ae.Error.Fields["password"] == "" {
			t.Errorf("login fields: %+v", ae)
		}
	})
}

func TestAuthoritiesAndUsers(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		var list struct {
			Authorities []map[string]any `json:"authorities"`
		}
		e.doJSON("GET", "/api/v1/authorities", e.tokens[admin], nil, 200, &list)
		// Seeded: a market regulation bureau (the default), a public
		// security bureau and its traffic police.
		if len(list.Authorities) != 3 || list.Authorities[0]["reconsideration_body"] == "" ||
			list.Authorities[0]["domain"] != "market_regulation" || list.Authorities[2]["domain"] != "traffic" {
			t.Fatalf("seeded authorities: %+v", list)
		}
		a := map[string]any{"name": "示例县公安局", "short_name": "示例公安", "number_prefix": "示公（治）行罚决字〔2026〕",
			"reconsideration_body": "示例县人民政府", "court": "示例县人民法院", "payment_instructions": "到指定银行缴纳",
			"hearing_fine_person": 2000, "hearing_fine_org": 10000}
		var ae apiError
		e.doJSON("POST", "/api/v1/authorities", e.tokens[admin], a, 422, &ae)
		if ae.Error.Fields["number_prefix"] == "" {
			t.Fatalf("prefix with brackets accepted: %+v", ae)
		}
		a["number_prefix"] = "示公（治）行罚决字"
		a["domain"] = "public_security"
		var created map[string]any
		e.doJSON("POST", "/api/v1/authorities", e.tokens[admin], a, 201, &created)
		if created["no_penalty_prefix"] != "示公（治）不罚决字" || created["notice_prefix"] != "示公（治）罚告字" {
			t.Errorf("derived prefixes: %v %v", created["no_penalty_prefix"], created["notice_prefix"])
		}
		if created["answer_period_days"].(float64) != 3 {
			t.Errorf("public security answer period = %v", created["answer_period_days"])
		}
		a["court"] = "示例市中级人民法院"
		var updated map[string]any
		e.doJSON("PUT", "/api/v1/authorities/"+jsonID(created), e.tokens[admin], a, 200, &updated)
		if updated["court"] != "示例市中级人民法院" {
			t.Errorf("update: %+v", updated)
		}
		e.doJSON("PUT", "/api/v1/authorities/999", e.tokens[admin], a, 404, nil)

		// Users.
		e.doJSON("POST", "/api/v1/users", e.tokens[admin], map[string]any{"username": "wang", "password": "short", "roles": []string{"boss"}}, 422, &ae)
		if ae.Error.Fields["password"] == "" || ae.Error.Fields["roles"] == "" {
			t.Errorf("user fields: %+v", ae)
		}
		e.doJSON("POST", "/api/v1/users", e.tokens[admin], map[string]any{"username": "wang", "password": "long-enough-1", "display_name": "王五", "roles": []string{"officer", "clerk"}}, 201, nil)
		tok := login(t, e.srv.URL, "wang", "long-enough-1")
		var me struct {
			User struct{ Roles []string } `json:"user"`
		}
		e.doJSON("GET", "/api/v1/me", tok, nil, 200, &me)
		if strings.Join(me.User.Roles, ",") != "clerk,officer" {
			t.Errorf("roles %v", me.User.Roles)
		}
		e.doJSON("POST", "/api/v1/logout", tok, nil, 204, nil)
		e.doJSON("GET", "/api/v1/me", tok, nil, 401, nil)
	})
}

func jsonID(m map[string]any) string { return strconv.FormatFloat(m["id"].(float64), 'f', -1, 64) }

func TestLoginThrottleHTTP(t *testing.T) {
	e := newEnv(t, envDB.SQLite(t))
	for i := 0; i < 5; i++ {
		e.doJSON("POST", "/api/v1/login", "", map[string]string{"username": "admin", "password": "wrong"}, 401, nil)
	}
	var ae apiError
	e.doJSON("POST", "/api/v1/login", "", map[string]string{"username": "admin", "password": testAdminPassword}, 429, &ae)
	if ae.Error.Code != "too_many_requests" || !hasHan(ae.Error.Message) {
		t.Fatalf("%+v", ae)
	}
}

func TestCatalogImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		csv := "市场监管领域首违不罚清单\n序号,违法行为,违反条款,处罚依据,适用条件,罚款上限,处罚种类\n" +
			"1,经营者未按规定明码标价,《中华人民共和国价格法》第十三条第一款,《中华人民共和国价格法》第四十二条,初次违法且及时改正,5000,罚款\n" +
			"2,个体工商户未办理变更登记,《个体工商户条例》第十条第一款,《个体工商户条例》第二十三条第一款,初次违法,1500,罚款、吊销\n"
		var out struct{ Created, Updated, Total int }
		st, b := postFile(t, e, "/api/v1/catalog/import?code_prefix=SJQD&domain=market_regulation", "list.csv", []byte(csv))
		if st != 200 {
			t.Fatalf("import: %d %s", st, b)
		}
		if err := json.Unmarshal(b, &out); err != nil || out.Created != 2 || out.Total != 2 {
			t.Fatalf("import result %s", b)
		}
		// Importing again updates, creates nothing.
		_, b = postFile(t, e, "/api/v1/catalog/import?code_prefix=SJQD&domain=market_regulation", "list.csv", []byte(csv))
		if err := json.Unmarshal(b, &out); err != nil || out.Created != 0 || out.Updated != 2 {
			t.Fatalf("re-import %s", b)
		}
		var items struct {
			Items []struct {
				Code                 string   `json:"code"`
				FirstOffenseEligible bool     `json:"first_offense_eligible"`
				PenaltyTypes         []string `json:"penalty_types"`
			} `json:"items"`
		}
		e.doJSON("GET", "/api/v1/catalog", e.tokens[officer], nil, 200, &items)
		found := 0
		for _, it := range items.Items {
			if it.Code == "SJQD-002" && it.FirstOffenseEligible && strings.Join(it.PenaltyTypes, ",") == "fine,revocation" {
				found++
			}
		}
		if found != 1 {
			t.Fatalf("imported item not listed: %+v", items)
		}
		// A bad row refuses the whole file.
		bad := csv + "3,无依据事项,没有书名号,《某法》第一条,,100,罚款\n"
		st, b = postFile(t, e, "/api/v1/catalog/import?code_prefix=BAD", "bad.csv", []byte(bad))
		if st != 422 || !strings.Contains(string(b), "rows[5].") {
			t.Fatalf("bad import: %d %s", st, b)
		}
		var n int
		e.doJSON("GET", "/api/v1/catalog", e.tokens[officer], nil, 200, &items)
		for _, it := range items.Items {
			if strings.HasPrefix(it.Code, "BAD-") {
				n++
			}
		}
		if n != 0 {
			t.Fatalf("refused import stored %d items", n)
		}
	})
}

func postFile(t *testing.T, e *testEnv, path, name string, data []byte) (int, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.tokens[admin])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	return resp.StatusCode, out.Bytes()
}

func TestMetricsAndHealth(t *testing.T) {
	e := newEnv(t, envDB.SQLite(t))
	e.doJSON("GET", "/api/v1/catalog", e.tokens[officer], nil, 200, nil)
	st, body, _ := e.do("GET", "/healthz", "", nil)
	if st != 200 || string(body) != "ok" {
		t.Fatalf("healthz %d %q", st, body)
	}
	st, body, _ = e.do("GET", "/metrics", "", nil)
	text := string(body)
	for _, want := range []string{
		`penaltydoc_http_requests_total{method="GET",route="/api/v1/catalog",status="200"}`,
		`penaltydoc_http_request_duration_seconds_bucket{method="GET",route="/api/v1/catalog"`,
		`go_sql_open_connections{db_name="sqlite"}`,
	} {
		if st != 200 || !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// Health fails when the database is gone.
	e.store.Close()
	if st, _, _ := e.do("GET", "/healthz", "", nil); st != 503 {
		t.Errorf("healthz with closed database: %d", st)
	}
}
