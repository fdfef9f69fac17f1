package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestStaleDraft: a draft remembers the evaluation it was made from. A
// first-offense case's no-penalty draft goes stale when the officer
// overrides the outcome: submitting, approving and issuing it are all
// refused (409, in Chinese), the case shows it as stale, and a new draft
// of the kind the penalty needs goes through. On SQLite and MariaDB.
func TestStaleDraft(t *testing.T) {
	pc := loadPublicCases(t)
	forEachDB(t, func(t *testing.T, e *testEnv) {
		authID := setupPublic(t, e, pc)
		facts := pc.Cases[0].Facts // first offense: 可以不予行政处罚
		facts["authority_id"] = authID
		var cs struct {
			ID         uint           `json:"id"`
			Evaluation map[string]any `json:"evaluation"`
			Documents  []struct {
				ID     uint   `json:"id"`
				Kind   string `json:"kind"`
				Status string `json:"status"`
				Stale  bool   `json:"stale"`
			} `json:"documents"`
		}
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], facts, 201, &cs)
		var old docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], nil, 201, &old)
		if old.Kind != "no_penalty_decision" {
			t.Fatalf("drafted %s", old.Kind)
		}
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/override", cs.ID), e.tokens[officer],
			map[string]string{"outcome": "penalty", "reason": "当事人在受案前曾被多次提醒备案义务，仍未备案"}, 200, &cs)
		if cs.Evaluation["outcome"] != "penalty" || len(cs.Documents) != 1 || !cs.Documents[0].Stale {
			t.Fatalf("after the override: %v %+v", cs.Evaluation["outcome"], cs.Documents)
		}
		var ae apiError
		e.doJSON("POST", e.docPath(old.ID, "submit"), e.tokens[officer], nil, 409, &ae)
		if !strings.Contains(ae.Error.Message, "已失效") {
			t.Errorf("submit of the stale draft: %+v", ae)
		}
		e.doJSON("POST", e.docPath(old.ID, "approve"), e.tokens[reviewer], nil, 409, &ae)
		e.doJSON("POST", e.docPath(old.ID, "issue"), e.tokens[clerk], nil, 409, &ae)
		// The penalty's own documents: the notice first.
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], map[string]string{"kind": "no_penalty_decision"}, 422, &ae)
		notice := e.moveToApproved(t, cs.ID, "advance_notice")
		e.doJSON("POST", e.docPath(notice.ID, "issue"), e.tokens[clerk], nil, 200, &notice)
		if notice.Status != "issued" || notice.Number == "" {
			t.Fatalf("new draft: %+v", notice)
		}
		var doc docResp
		e.doJSON("GET", e.docPath(old.ID, ""), e.tokens[officer], nil, 200, &doc)
		if doc.Status != "draft" {
			t.Errorf("the stale draft moved to %s", doc.Status)
		}
	})
}
