package main

import (
	"encoding/json"
	"maps"
	"os"
	"strings"
	"testing"
)

type publicCases struct {
	Authority map[string]any   `json:"authority"`
	Items     []map[string]any `json:"items"`
	Cases     []struct {
		Name   string         `json:"name"`
		Facts  map[string]any `json:"facts"`
		Expect map[string]any `json:"expect"`
	} `json:"cases"`
}

// loadPublicCases reads shared/cases/public.json as the rules package keeps it.
func loadPublicCases(t *testing.T) publicCases {
	t.Helper()
	b, err := os.ReadFile("../rules/testdata/public_cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var pc publicCases
	if err := json.Unmarshal(b, &pc); err != nil {
		t.Fatal(err)
	}
	return pc
}

// setupPublic creates the public authority and items through the API and
// returns the authority's id.
func setupPublic(t *testing.T, e *testEnv, pc publicCases) float64 {
	t.Helper()
	var a map[string]any
	// With a seal: issuing needs one.
	body := maps.Clone(pc.Authority)
	body["seal_png"] = testSealBase64()
	e.doJSON("POST", "/api/v1/authorities", e.tokens[admin], body, 201, &a)
	for _, it := range pc.Items {
		e.doJSON("POST", "/api/v1/catalog", e.tokens[admin], it, 201, nil)
	}
	e.join(a["id"].(float64))
	return a["id"].(float64)
}

func TestPublicCasesThroughHTTP(t *testing.T) {
	pc := loadPublicCases(t)
	forEachDB(t, func(t *testing.T, e *testEnv) {
		authID := setupPublic(t, e, pc)
		for _, c := range pc.Cases {
			t.Run(c.Name, func(t *testing.T) {
				c.Facts["authority_id"] = authID
				var ev map[string]any
				e.doJSON("POST", "/api/v1/evaluate", e.tokens[clerk], c.Facts, 200, &ev)
				for k, want := range c.Expect {
					if ev[k] != want {
						t.Errorf("%s = %v, want %v (reasons %v)", k, ev[k], want, ev["reasons"])
					}
				}
				if len(ev["articles"].([]any)) == 0 || len(ev["reasons"].([]any)) == 0 || ev["rule_set_version"] == "" {
					t.Errorf("evaluation lacks articles, reasons or version: %v", ev)
				}
			})
		}
	})
}

func TestCaseCreateValidateOverride(t *testing.T) {
	pc := loadPublicCases(t)
	forEachDB(t, func(t *testing.T, e *testEnv) {
		authID := setupPublic(t, e, pc)
		first := pc.Cases[0].Facts
		first["authority_id"] = authID

		// Bad facts: 422 naming each field, nothing stored.
		bad := map[string]any{}
		for k, v := range first {
			bad[k] = v
		}
		party := map[string]any{"kind": "organization", "name": "某公司", "credit_code": "91330421MA28ABCDE5"}
		bad["party"] = party
		bad["violation_date"] = "2021-07-02" // after discovery
		bad["violation_code"] = "NO-SUCH"
		var ae apiError
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], bad, 422, &ae)
		for _, f := range []string{"party.credit_code", "violation_date", "violation_code"} {
			if !hasHan(ae.Error.Fields[f]) {
				t.Errorf("field %s not named: %v", f, ae.Error.Fields)
			}
		}
		// A character the fonts lack is refused where it came in.
		bad = map[string]any{}
		for k, v := range first {
			bad[k] = v
		}
		bad["facts"] = "当事人吉（𠮷）某运输甲苯"
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], bad, 422, &ae)
		if !strings.Contains(ae.Error.Fields["facts"], "U+20BB7") {
			t.Errorf("unsupported char not named: %v", ae.Error.Fields)
		}
		// Facts dated after today are refused, naming each field.
		future := map[string]any{}
		for k, v := range first {
			future[k] = v
		}
		future["violation_date"], future["discovered_date"], future["decision_date"] = "2099-01-01", "2099-01-02", "2099-01-05"
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], future, 422, &ae)
		if !strings.Contains(ae.Error.Fields["violation_date"], "不得晚于今天") || !strings.Contains(ae.Error.Fields["discovered_date"], "不得晚于今天") {
			t.Errorf("future dates: %v", ae.Error.Fields)
		}
		var list struct{ Total int }
		e.doJSON("GET", "/api/v1/cases", e.tokens[officer], nil, 200, &list)
		if list.Total != 0 {
			t.Fatalf("refused requests stored %d cases", list.Total)
		}

		// A rare character the fonts have is fine.
		first["facts"] = "经查，当事人委托驾驶员刘䶮运输甲苯……"
		var cs struct {
			ID         float64        `json:"id"`
			Status     string         `json:"status"`
			Evaluation map[string]any `json:"evaluation"`
			Facts      map[string]any `json:"facts"`
		}
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], first, 201, &cs)
		if cs.Status != "draft" || cs.Evaluation["ground"] != "first_offense" {
			t.Fatalf("created case %+v", cs)
		}
		id := jsonID(map[string]any{"id": cs.ID})
		// Override with too short a reason, then a proper one.
		e.doJSON("POST", "/api/v1/cases/"+id+"/override", e.tokens[officer], map[string]string{"outcome": "penalty", "reason": "太短"}, 422, &ae)
		reason := "当事人虽系初次违法，但运输数量较大且多次被提醒仍未备案，不宜适用首违不罚"
		e.doJSON("POST", "/api/v1/cases/"+id+"/override", e.tokens[officer], map[string]string{"outcome": "penalty", "reason": reason}, 200, &cs)
		if cs.Evaluation["outcome"] != "penalty" || cs.Evaluation["override"] == nil {
			t.Fatalf("override not applied: %v", cs.Evaluation)
		}
		if !strings.Contains(strings.Join(toStrings(cs.Evaluation["reasons"]), ""), reason) {
			t.Errorf("override reason not in reasons: %v", cs.Evaluation["reasons"])
		}
		log, err := e.store.AuditLog(t.Context(), "case", uint(cs.ID))
		if err != nil || len(log) != 2 || log[1].Action != "override_case" || !strings.Contains(log[1].Detail, reason) {
			t.Fatalf("audit log %+v %v", log, err)
		}
		// Editing the facts keeps the override while the outcome is still
		// discretionary, and drops it when a mandatory ground holds.
		first["facts"] = "经查，当事人委托驾驶员刘䶮运输甲苯，数量较大……"
		cs.Evaluation, cs.Facts = nil, nil // decode afresh, not into the old maps
		e.doJSON("PUT", "/api/v1/cases/"+id, e.tokens[officer], first, 200, &cs)
		if cs.Evaluation["outcome"] != "penalty" || cs.Evaluation["override"] == nil {
			t.Fatalf("override lost on edit: %v", cs.Evaluation)
		}
		first["minor"] = true
		defer delete(first, "minor")
		cs.Evaluation, cs.Facts = nil, nil
		e.doJSON("PUT", "/api/v1/cases/"+id, e.tokens[officer], first, 200, &cs)
		if cs.Evaluation["ground"] != "minor_corrected" || cs.Evaluation["override"] != nil {
			t.Fatalf("override kept over a mandatory ground: %v", cs.Evaluation)
		}

		// Mandatory grounds cannot be overridden.
		young := pc.Cases[3].Facts
		young["authority_id"] = authID
		young["party"].(map[string]any)["guardian"] = "林某（父亲）" // the decision orders the guardian
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], young, 201, &cs)
		e.doJSON("POST", "/api/v1/cases/"+jsonID(map[string]any{"id": cs.ID})+"/override", e.tokens[officer], map[string]string{"outcome": "penalty", "reason": reason}, 422, &ae)

		// Updating a draft re-runs the evaluation.
		young["party"].(map[string]any)["id_number"] = "33110219880719016X"
		young["party"].(map[string]any)["name"] = "张某"
		e.doJSON("PUT", "/api/v1/cases/"+jsonID(map[string]any{"id": cs.ID}), e.tokens[officer], young, 200, &cs)
		if cs.Evaluation["ground"] == "under_age" || cs.Facts["party"].(map[string]any)["sex"] != "女" {
			t.Fatalf("update did not re-evaluate: %v %v", cs.Evaluation["ground"], cs.Facts["party"])
		}
		e.doJSON("GET", "/api/v1/cases?q=张某", e.tokens[reviewer], nil, 200, &list)
		if list.Total != 1 {
			t.Errorf("search by name found %d", list.Total)
		}
	})
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
