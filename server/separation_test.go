package main

import (
	"testing"

	"penaltydoc/models"
	"penaltydoc/models/dbtest"
)

// TestReviewAndApprovalAreTwoPeople: a user holding both roles cannot
// approve the decision they reviewed; another approver can. An admin may
// take both steps.
func TestReviewAndApprovalAreTwoPeople(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	if _, err := e.store.CreateUser(t.Context(), models.NewUser{Username: "both", Password: "password-both", Roles: []string{reviewer, approver}}); err != nil {
		t.Fatal(err)
	}
	both := login(t, e.srv.URL, "both", "password-both")
	caseID := newPenaltyCase(t, e)

	var d docResp
	e.doJSON("POST", "/api/v1/cases/"+itoa(caseID)+"/documents", e.tokens[officer], map[string]string{"kind": "penalty_decision"}, 201, &d)
	e.doJSON("POST", e.docPath(d.ID, "submit"), e.tokens[officer], nil, 200, &d)
	e.doJSON("POST", e.docPath(d.ID, "approve"), both, nil, 200, &d)
	if d.Status != "reviewing" || d.ReviewStage != 1 {
		t.Fatalf("after legal review: %s stage %d", d.Status, d.ReviewStage)
	}
	var ae apiError
	e.doJSON("POST", e.docPath(d.ID, "approve"), both, nil, 403, &ae)
	if ae.Error.Message != "法制审核和负责人批准不能由同一人完成" {
		t.Errorf("message %q", ae.Error.Message)
	}
	e.doJSON("POST", e.docPath(d.ID, "approve"), e.tokens[approver], nil, 200, &d)
	if d.Status != "approved" {
		t.Fatalf("status %s", d.Status)
	}

	// Admin: both stages.
	var d2 docResp
	e.doJSON("POST", "/api/v1/documents/"+itoa(d.ID)+"/return", e.tokens[reviewer], map[string]string{"comment": "请补充证据目录"}, 200, &d2)
	e.doJSON("POST", e.docPath(d.ID, "submit"), e.tokens[officer], nil, 200, &d2)
	e.doJSON("POST", e.docPath(d.ID, "approve"), e.tokens[admin], nil, 200, &d2)
	e.doJSON("POST", e.docPath(d.ID, "approve"), e.tokens[admin], nil, 200, &d2)
	if d2.Status != "approved" {
		t.Fatalf("admin approval: %s", d2.Status)
	}
}
