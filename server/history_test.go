package main

import (
	"strings"
	"testing"

	"penaltydoc/rules"
)

// TestHistoryFromIssuedDecisions: an issued decision that found a violation
// counts as the party's history in later cases (matched by credit code),
// and the evaluation names the record it used.
func TestHistoryFromIssuedDecisions(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		doc := issueDecision(t, e) // a penalty for PUB-YZD against 示例化工有限公司
		pc := loadPublicCases(t)
		facts := map[string]any{}
		for k, v := range pc.Cases[0].Facts { // the first-offense case, same company
			facts[k] = v
		}
		var cs struct {
			AuthorityID float64 `json:"authority_id"`
		}
		e.doJSON("GET", e.docPath(doc.ID, ""), e.tokens[officer], nil, 200, nil)
		e.doJSON("GET", "/api/v1/cases/"+itoa(doc.CaseID), e.tokens[officer], nil, 200, &cs)
		facts["authority_id"] = cs.AuthorityID
		// The issued case's act date is 2022-05-10; a new act a year later,
		// inside the 24-month window, is no first offense.
		facts["violation_date"], facts["discovered_date"], facts["decision_date"] = "2023-05-01", "2023-05-03", "2023-05-10"
		facts["prior_violations"] = []any{}
		var ev struct {
			Outcome     string `json:"outcome"`
			Ground      string `json:"ground"`
			HistoryUsed []struct {
				ViolationCode string `json:"violation_code"`
				Date          string `json:"date"`
				Source        string `json:"source"`
			} `json:"history_used"`
			Reasons []string `json:"reasons"`
		}
		e.doJSON("POST", "/api/v1/evaluate", e.tokens[officer], facts, 200, &ev)
		if ev.Ground == "first_offense" || ev.Outcome != "penalty" {
			t.Fatalf("issued decision not counted: %s/%s %v", ev.Outcome, ev.Ground, ev.Reasons)
		}
		found := false
		for _, h := range ev.HistoryUsed {
			if h.Source == "document:"+itoa(doc.ID) && h.ViolationCode == "PUB-YZD" && h.Date == "2022-05-10" {
				found = true
			}
		}
		if !found {
			t.Errorf("history_used lacks the issued decision: %+v", ev.HistoryUsed)
		}
		// Outside the window (more than 24 months after 2022-05-10) it is a first offense again.
		facts["violation_date"], facts["discovered_date"], facts["decision_date"] = "2024-06-01", "2024-06-03", "2024-06-10"
		e.doJSON("POST", "/api/v1/evaluate", e.tokens[officer], facts, 200, &ev)
		if ev.Ground != "first_offense" {
			t.Errorf("outside the window: %s %v", ev.Ground, ev.Reasons)
		}
		// Another party (different credit code) has no history.
		other := map[string]any{}
		for k, v := range facts {
			other[k] = v
		}
		party := map[string]any{}
		for k, v := range facts["party"].(map[string]any) {
			party[k] = v
		}
		party["credit_code"] = "91330100MA2XXXXXX" + string(rules.CreditCodeCheckChar("91330100MA2XXXXXX"))
		other["party"] = party
		other["violation_date"], other["discovered_date"], other["decision_date"] = "2023-05-01", "2023-05-03", "2023-05-10"
		e.doJSON("POST", "/api/v1/evaluate", e.tokens[officer], other, 200, &ev)
		if ev.Ground != "first_offense" || len(ev.HistoryUsed) != 0 {
			t.Errorf("other party: %s %+v", ev.Ground, ev.HistoryUsed)
		}
		// The case shows the party's history.
		var withHistory struct {
			History []map[string]any `json:"history"`
		}
		facts["violation_date"], facts["discovered_date"], facts["decision_date"] = "2023-05-01", "2023-05-03", "2023-05-10"
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], facts, 201, &withHistory)
		if len(withHistory.History) != 1 || !strings.HasPrefix(withHistory.History[0]["source"].(string), "document:") {
			t.Errorf("case history %+v", withHistory.History)
		}
	})
}
