package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"penaltydoc/rules/limits"
)

// The table of field limits (rules/limits) through the real server, on
// SQLite and MariaDB: every value outside it is a 422 naming the field by
// its JSON path, never a 500 and never stored; values at the limit are
// stored and render.

// wantField sends a request and checks that it answers status with a
// message on field.
func (e *testEnv) wantField(t *testing.T, method, path, token string, body any, status int, field string) apiError {
	t.Helper()
	st, b, _ := e.do(method, path, token, body)
	var ae apiError
	_ = json.Unmarshal(b, &ae)
	if st != status || ae.Error.Fields[field] == "" || !hasHan(ae.Error.Fields[field]) {
		if len(b) > 600 {
			b = append(b[:600], "…"...)
		}
		t.Errorf("%s %s: %d %s; want %d naming %s", method, path, st, b, status, field)
	}
	return ae
}

// clone deep-copies a JSON object.
func clone(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func repeat(s string, n int) string { return strings.Repeat(s, n) }

func listOf(n int, s string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// countCases is the number of cases the officer's list shows.
func (e *testEnv) countCases(t *testing.T, q string) int {
	t.Helper()
	var list struct{ Total int }
	e.doJSON("GET", "/api/v1/cases?q="+url.QueryEscape(q), e.tokens[officer], nil, 200, &list)
	return list.Total
}

func TestCaseFieldLimits(t *testing.T) {
	pc := loadPublicCases(t)
	forEachDB(t, func(t *testing.T, e *testEnv) {
		authID := setupPublic(t, e, pc)
		base := clone(t, pc.Cases[0].Facts)
		base["authority_id"] = authID
		party := func(f map[string]any) map[string]any { return f["party"].(map[string]any) }
		for _, c := range []struct {
			field string
			set   func(f map[string]any)
		}{
			{"party.address", func(f map[string]any) { party(f)["address"] = repeat("路", limits.PartyAddress.Max+1) }},
			{"party.legal_representative", func(f map[string]any) { party(f)["legal_representative"] = repeat("陈", 101) }},
			{"party.phone", func(f map[string]any) { party(f)["phone"] = repeat("1", 51) }},
			{"party.name", func(f map[string]any) { party(f)["name"] = "示例\t化工有限公司" }},
			{"party.name", func(f map[string]any) { party(f)["name"] = "示例化工\n有限公司" }},
			{"party.name", func(f map[string]any) { party(f)["name"] = "示例\u202e化工有限公司" }},
			{"party.guardian", func(f map[string]any) { party(f)["guardian"] = "林某\x00" }},
			{"facts", func(f map[string]any) { f["facts"] = repeat("查", limits.Facts.Max+1) }},
			{"facts", func(f map[string]any) { f["facts"] = repeat("查", 300000) }},
			{"facts", func(f map[string]any) { f["facts"] = "经查\u2028当事人" }},
			{"evidence[1]", func(f map[string]any) { f["evidence"] = []string{"现场检查笔录", repeat("证", 301)} }},
			{"evidence[0]", func(f map[string]any) { f["evidence"] = []string{"询问\n笔录"} }},
			{"evidence", func(f map[string]any) { f["evidence"] = listOf(51, "现场检查笔录") }},
			{"aggravating[0]", func(f map[string]any) { f["aggravating"] = []string{"拒不配合\x1b检查"} }},
			{"illegal_property[0].name", func(f map[string]any) {
				f["illegal_property"] = []map[string]string{{"name": repeat("物", 101), "quantity": "1桶"}}
			}},
			{"licence", func(f map[string]any) { f["licence"] = repeat("证", 201) }},
			{"vehicle_plate", func(f map[string]any) { f["vehicle_plate"] = repeat("浙", 21) }},
			{"prior_violations[0].violation_code", func(f map[string]any) {
				f["prior_violations"] = []map[string]any{{"violation_code": "PUB YZD", "date": "2020-01-01", "handled": true}}
			}},
			{"proposed_fine", func(f map[string]any) { f["proposed_fine"] = 1e12 }},
			{"illegal_gains", func(f map[string]any) { f["illegal_gains"] = 1e13 }},
		} {
			f := clone(t, base)
			c.set(f)
			e.wantField(t, "POST", "/api/v1/cases", e.tokens[officer], f, 422, c.field)
			e.wantField(t, "POST", "/api/v1/evaluate", e.tokens[officer], f, 422, c.field)
		}
		if n := e.countCases(t, ""); n != 0 {
			t.Fatalf("refused cases stored: %d", n)
		}
		// At the limits: stored, and read back whole.
		f := clone(t, base)
		p := party(f)
		p["name"], p["address"] = repeat("甲", limits.PartyName.Max), repeat("路", limits.PartyAddress.Max)
		p["legal_representative"], p["phone"] = repeat("陈", limits.PartyLegalRep.Max), repeat("8", limits.PartyPhone.Max)
		f["vehicle_plate"] = repeat("浙", limits.VehiclePlate.Max)
		var cs struct {
			ID    uint           `json:"id"`
			Facts map[string]any `json:"facts"`
		}
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], f, 201, &cs)
		if got := party(cs.Facts)["address"]; got != p["address"] {
			t.Errorf("address at the limit stored as %v", got)
		}
	})
}

func TestAdminFieldLimits(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		tok := e.tokens[admin]
		// Catalogue items.
		item := map[string]any{"code": "LIM-1", "name": "测试事项", "domain": "other",
			"violated_provision": "《某条例》第一条", "penalty_provision": "《某条例》第九条",
			"penalty_types": []string{"fine"}, "fine_min": 0, "fine_max": 1000}
		for _, c := range []struct {
			field string
			key   string
			v     any
		}{
			{"name", "name", repeat("事", limits.ItemName.Max+1)},
			{"name", "name", "测试\u202e事项"},
			{"name", "name", "测试事项😀"},
			{"code", "code", "LIM 1"},
			{"code", "code", repeat("A", 65)},
			{"violated_provision", "violated_provision", "《某条例》" + repeat("第一条", 200)},
			{"conditions", "conditions", repeat("条", limits.Conditions.Max+1)},
			{"fine_basis", "fine_basis", "处\x00罚"},
			{"fine_max", "fine_max", 1e12},
			{"fine_min", "fine_min", 1e13},
			{"hearing_fine_person", "hearing_fine_person", 1e13},
			{"hearing_fine_org", "hearing_fine_org", 1e12},
			{"penalty_types", "penalty_types", listOf(7, "fine")},
			{"value_fine", "value_fine", map[string]any{"times_min": 1, "times_max": 1e6}},
			{"value_fine", "value_fine", map[string]any{"times_min": 1, "times_max": 2, "threshold": 1e13, "below_max": 10}},
		} {
			it := clone(t, item)
			it[c.key] = c.v
			e.wantField(t, "POST", "/api/v1/catalog", tok, it, 422, c.field)
		}
		// At the limits: stored as sent, on MariaDB's decimal(14,2) too.
		item["name"], item["fine_max"], item["hearing_fine_person"] = repeat("事", limits.ItemName.Max), limits.MaxMoney, limits.MaxMoney
		e.doJSON("POST", "/api/v1/catalog", tok, item, 201, nil)
		var list struct{ Items []map[string]any }
		e.doJSON("GET", "/api/v1/catalog", tok, nil, 200, &list)
		found := false
		for _, it := range list.Items {
			if it["code"] == "LIM-1" {
				found = it["fine_max"] == limits.MaxMoney && it["hearing_fine_person"] == limits.MaxMoney && it["name"] == item["name"]
			}
		}
		if !found {
			t.Errorf("item at the limits not stored as sent: %v", list.Items)
		}

		// Authorities: no character the letters could not print.
		auth := map[string]any{"name": "示例县市场监督管理局", "short_name": "示例市监", "number_prefix": "示市监处罚",
			"reconsideration_body": "示例县人民政府", "court": "示例县人民法院", "payment_instructions": "到指定银行缴纳",
			"hearing_fine_person": 10000, "hearing_fine_org": 100000}
		for _, c := range []struct {
			key, v, want string
		}{
			{"name", "示例\x00局", "U+0000"},
			{"name", "示例\x1b局", "U+001B"},
			{"name", "示例\u202e局", "U+202E"},
			{"name", "示例\u2028局", "U+2028"},
			{"name", "示例局😀", "U+1F600"},
			{"name", "𠮷县市场监督管理局", "U+20BB7"},
			{"name", "示例\n局", "一行"},
			{"short_name", repeat("示", 101), "最长100字"},
			{"court", "示例\u200b法院", "U+200B"},
			{"payment_instructions", repeat("缴", 2001), "最长2000字"},
			{"number_prefix", "示市监\u3000处罚", "空格"},
		} {
			a := clone(t, auth)
			a[c.key] = c.v
			ae := e.wantField(t, "POST", "/api/v1/authorities", tok, a, 422, c.key)
			if !strings.Contains(ae.Error.Fields[c.key], c.want) {
				t.Errorf("authority %s %q: %q does not name %s", c.key, c.v, ae.Error.Fields[c.key], c.want)
			}
		}
		for _, k := range []string{"hearing_fine_person", "hearing_fine_org"} {
			a := clone(t, auth)
			a[k] = 1e13
			e.wantField(t, "POST", "/api/v1/authorities", tok, a, 422, k)
		}
		var list2 struct{ Authorities []map[string]any }
		e.doJSON("GET", "/api/v1/authorities", tok, nil, 200, &list2)
		if len(list2.Authorities) != 3 {
			t.Fatalf("refused authorities stored: %d", len(list2.Authorities))
		}

		// Users: names without controls, passwords within bcrypt's 72 bytes.
		user := func(display, password string) map[string]any {
			return map[string]any{"username": "lim.user", "password": password, "display_name": display, "roles": []string{"officer"}}
		}
		e.wantField(t, "POST", "/api/v1/users", tok, user("王\u202e五", "password-1"), 422, "display_name")
		e.wantField(t, "POST", "/api/v1/users", tok, user(repeat("王", 101), "password-1"), 422, "display_name")
		ae := e.wantField(t, "POST", "/api/v1/users", tok, user("王五", repeat("密", 30)), 422, "password")
		if !strings.Contains(ae.Error.Fields["password"], "72字节") {
			t.Errorf("long password: %q does not name the byte limit", ae.Error.Fields["password"])
		}
		e.doJSON("POST", "/api/v1/users", tok, user("王五", repeat("密", 24)), 201, nil) // 72 bytes
		login(t, e.srv.URL, "lim.user", repeat("密", 24))
		// A longer password at sign-in is a wrong one, not a 500. (bcrypt
		// compares 72 bytes: one whose first 72 are right would pass, but no
		// stored password is longer than that.)
		e.doJSON("POST", "/api/v1/login", "", map[string]string{"username": "u-officer", "password": repeat("密", 30)}, 401, nil)

		// The same limits on the staff pages' forms.
		w := e.signIn(t, admin)
		st, body, _ := w.post("/admin/users", url.Values{"username": {"lim.web"}, "display_name": {"王\u202e五"},
			"password": {"password-1"}, "roles": {"officer"}})
		if st != 422 || !strings.Contains(text(body), "U+202E") {
			t.Errorf("web user with a bidi control: %d", st)
		}
	})
}

// TestLimitsRender: a case with every text at its limit renders its
// letters: the limits leave room within the renderer's page and size
// budgets, so no value validation accepts fails later "blaming the
// template".
func TestLimitsRender(t *testing.T) {
	pc := loadPublicCases(t)
	forEachDB(t, func(t *testing.T, e *testEnv) {
		authID := setupPublic(t, e, pc)
		f := clone(t, pc.Cases[1].Facts) // a penalty with confiscation
		f["authority_id"] = authID
		text := func(l limits.Field) string {
			s := repeat("经查当事人于某日运输甲苯，", l.Max/13+1)
			return string([]rune(s)[:l.Max])
		}
		p := f["party"].(map[string]any)
		p["name"], p["address"] = text(limits.PartyName), text(limits.PartyAddress)
		p["legal_representative"], p["phone"] = text(limits.PartyLegalRep), repeat("8", limits.PartyPhone.Max)
		f["facts"] = text(limits.Facts)
		f["evidence"] = listOf(limits.EvidenceItems.Max, text(limits.Evidence))
		f["aggravating"] = listOf(limits.AggravatingItems.Max, text(limits.Aggravating))
		props := make([]map[string]string, limits.PropertyItems.Max)
		for i := range props {
			props[i] = map[string]string{"name": text(limits.PropertyName), "quantity": text(limits.PropertyQuantity)}
		}
		f["illegal_property"] = props
		var cs struct {
			ID uint `json:"id"`
		}
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], f, 201, &cs)
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/statement", cs.ID), e.tokens[officer], map[string]any{
			"statement": text(limits.Statement), "statement_outcome": "rejected", "statement_reason": text(limits.StatementReason),
			"hearing_held": true, "hearing_date": "2022-05-20", "hearing_result": text(limits.HearingResult)}, 200, nil)
		for _, kind := range []string{"advance_notice", "penalty_decision"} {
			var d docResp
			e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], map[string]string{"kind": kind}, 201, &d)
			start := time.Now()
			st, body, h := e.do("GET", e.docPath(d.ID, "pdf"), e.tokens[officer], nil)
			if st != 200 || h.Get("Content-Type") != "application/pdf" {
				t.Errorf("%s at the limits: %d %.300s", kind, st, body)
			}
			t.Logf("%s at the limits: %d bytes, %d pages, in %v", kind, len(body), bytes.Count(body, []byte("/Type /Page\n")), time.Since(start))
		}
	})
}
