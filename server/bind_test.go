package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"penaltydoc/rules/limits"
)

// Bodies that replace what they name refuse null, empty objects and
// misspelt keys; type errors name the contract's JSON paths.

func TestCalendarAndStatementGuards(t *testing.T) {
	pc := loadPublicCases(t)
	forEachDB(t, func(t *testing.T, e *testEnv) {
		tok := e.tokens[admin]
		year := map[string]any{"holidays": []string{"2027-10-01", "2027-10-04"}, "workdays": []string{"2027-10-09"}}
		e.doJSON("PUT", "/api/v1/calendar/2027", tok, year, 200, nil)
		for _, c := range []struct {
			body  any
			field string
		}{
			{[]byte(`null`), "holidays"},
			{[]byte(` null `), "holidays"},
			{[]byte(`{}`), "holidays"},
			{[]byte(`{"holiday": ["2027-10-01"]}`), "holiday"},
			{[]byte(`{"holidays": ["2027-10-01"], "workday": []}`), "workday"},
			{[]byte(`{"holidays": null, "workdays": []}`), "holidays"},
			{map[string]any{"holidays": listOf(367, "2027-10-01")}, "holidays"},
		} {
			e.wantField(t, "PUT", "/api/v1/calendar/2027", tok, c.body, 422, c.field)
		}
		var cal calendarJSON
		e.doJSON("GET", "/api/v1/calendar?year=2027", tok, nil, 200, &cal)
		if len(cal.Holidays) != 2 || len(cal.Workdays) != 1 {
			t.Fatalf("refused calendars changed the year: %+v", cal)
		}
		// Clearing a year takes both lists, empty.
		e.doJSON("PUT", "/api/v1/calendar/2027", tok, map[string]any{"holidays": []string{}, "workdays": []string{}}, 200, &cal)
		if len(cal.Holidays)+len(cal.Workdays) != 0 {
			t.Fatalf("explicit clear: %+v", cal)
		}

		authID := setupPublic(t, e, pc)
		facts := clone(t, pc.Cases[1].Facts)
		facts["authority_id"] = authID
		var cs struct {
			ID        uint   `json:"id"`
			Statement string `json:"statement"`
		}
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], facts, 201, &cs)
		path := fmt.Sprintf("/api/v1/cases/%d/statement", cs.ID)
		said := "当事人称系初次违法，请求从轻处罚。"
		e.doJSON("POST", path, e.tokens[officer], map[string]any{"statement": said}, 200, nil)
		for _, c := range []struct {
			body  any
			field string
		}{
			{[]byte(`null`), "statement"},
			{[]byte(`{}`), "statement"},
			{[]byte(`{"statment": "x"}`), "statment"},
			{[]byte(`{"statement": null}`), "statement"},
			{map[string]any{"statement": "当事人\u202e称"}, "statement"},
			{map[string]any{"statement": repeat("称", limits.Statement.Max+1)}, "statement"},
			{map[string]any{"statement": said, "statement_outcome": "rejected", "statement_reason": "理由\x00"}, "statement_reason"},
			{map[string]any{"hearing_held": true, "hearing_result": repeat("听", limits.HearingResult.Max+1)}, "hearing_result"},
		} {
			e.wantField(t, "POST", path, e.tokens[officer], c.body, 422, c.field)
		}
		e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d", cs.ID), e.tokens[officer], nil, 200, &cs)
		if cs.Statement != said {
			t.Fatalf("refused statements changed it: %q", cs.Statement)
		}

		// Override reasons and return comments.
		first := clone(t, pc.Cases[0].Facts)
		first["authority_id"] = authID
		first["party"].(map[string]any)["credit_code"] = "91330421MA28ABCDE4"
		var fo struct {
			ID uint `json:"id"`
		}
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], first, 201, &fo)
		opath := fmt.Sprintf("/api/v1/cases/%d/override", fo.ID)
		e.wantField(t, "POST", opath, e.tokens[officer], map[string]string{"outcome": "penalty", "reason": "当事人拒不改正\x00且多次违法"}, 422, "override.reason")
		e.wantField(t, "POST", opath, e.tokens[officer], map[string]string{"outcome": "penalty", "reason": repeat("理", limits.OverrideReason.Max+1)}, 422, "override.reason")
		var d docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], map[string]string{"kind": "advance_notice"}, 201, &d)
		e.doJSON("POST", e.docPath(d.ID, "submit"), e.tokens[officer], nil, 200, nil)
		e.wantField(t, "POST", e.docPath(d.ID, "return"), e.tokens[reviewer], map[string]string{"comment": "请补充\x00证据"}, 422, "comment")
		e.wantField(t, "POST", e.docPath(d.ID, "return"), e.tokens[reviewer], map[string]string{"comment": "请补充\u202e证据"}, 422, "comment")
		e.doJSON("POST", e.docPath(d.ID, "return"), e.tokens[reviewer], map[string]string{"comment": "请补充证据：\n一、现场照片"}, 200, nil)
	})
}

// TestJSONTypeErrorPaths: a value of the wrong type is named by the
// contract's JSON path, with list indexes, never by a Go path.
func TestJSONTypeErrorPaths(t *testing.T) {
	pc := loadPublicCases(t)
	forEachDB(t, func(t *testing.T, e *testEnv) {
		facts, err := json.Marshal(pc.Cases[0].Facts)
		if err != nil {
			t.Fatal(err)
		}
		with := func(extra string) []byte {
			out := append([]byte{}, facts[:len(facts)-1]...)
			return append(append(append(out, ','), extra...), '}')
		}
		for _, c := range []struct {
			path string
			body []byte
			want string
		}{
			{"/api/v1/evaluate", with(`"proposed_fine":"many"`), "proposed_fine"},
			{"/api/v1/evaluate", []byte(` {"proposed_fine": {"a": 1}}`), "proposed_fine"},
			{"/api/v1/evaluate", with(`"evidence":["现场检查笔录",3]`), "evidence[1]"},
			{"/api/v1/evaluate", with(`"prior_violations":[{"violation_code":"X","date":"2020-01-01"},{"date":4}]`), "prior_violations[1].date"},
			{"/api/v1/evaluate", []byte(`{"party":{"kind":"person","name":5}}`), "party.name"},
			{"/api/v1/evaluate", []byte(`{"override":{"reason":[1]}}`), "override.reason"},
			{"/api/v1/cases", []byte(`{"party":"示例化工"}`), "party"},
			{"/api/v1/templates/preview", []byte(`{"kind":"penalty_decision","case":{"proposed_fine":"x"}}`), "case.proposed_fine"},
			{"/api/v1/catalog", []byte(`{"code":"X","value_fine":{"times_max":"20"}}`), "value_fine.times_max"},
		} {
			tok := e.tokens[officer]
			if !strings.Contains(c.path, "cases") && !strings.Contains(c.path, "evaluate") {
				tok = e.tokens[admin]
			}
			ae := e.wantField(t, "POST", c.path, tok, c.body, 400, c.want)
			if len(ae.Error.Fields) != 1 || !strings.Contains(ae.Error.Message, c.want) {
				t.Errorf("%s: %+v, want only %s", c.body, ae.Error, c.want)
			}
			if strings.Contains(string(mustJSON(t, ae)), "Facts") {
				t.Errorf("a Go path in %+v", ae)
			}
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
