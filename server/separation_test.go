package main

import (
	"testing"

	"penaltydoc/models"
)

// TestReviewAndApprovalAreTwoPeople: a user holding both roles cannot
// approve the decision they reviewed; another approver can. An admin may
// not take both steps either, unless the deployment's emergency setting
// is on, and then the step is audited.
func TestReviewAndApprovalAreTwoPeople(t *testing.T) {
	e := newEnv(t, envDB.SQLite(t))
	caseID := newPenaltyCase(t, e)
	cs, err := e.store.CaseByID(t.Context(), models.Everything, caseID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.CreateUser(t.Context(), models.NewUser{Username: "both", Password: "password-both", Roles: []string{reviewer, approver},
		AuthorityID: &cs.AuthorityID}); err != nil {
		t.Fatal(err)
	}
	both := login(t, e.srv.URL, "both", "password-both")

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

	// A plain admin takes no step; an admin who is also reviewer and head
	// gets no exception.
	var d2 docResp
	e.doJSON("POST", "/api/v1/documents/"+itoa(d.ID)+"/return", e.tokens[reviewer], map[string]string{"comment": "请补充证据目录"}, 200, &d2)
	e.doJSON("POST", e.docPath(d.ID, "submit"), e.tokens[officer], nil, 200, &d2)
	e.doJSON("POST", e.docPath(d.ID, "approve"), e.tokens[admin], nil, 403, &ae)
	if _, err := e.store.CreateUser(t.Context(), models.NewUser{Username: "admin2", Password: "password-admin2", Roles: []string{admin, reviewer, approver},
		AuthorityID: &cs.AuthorityID}); err != nil {
		t.Fatal(err)
	}
	admin2 := login(t, e.srv.URL, "admin2", "password-admin2")
	e.doJSON("POST", e.docPath(d.ID, "approve"), admin2, nil, 200, &d2)
	e.doJSON("POST", e.docPath(d.ID, "approve"), admin2, nil, 403, &ae)
	// The drafter, holding every role, cannot approve or issue their own.
	if _, err := e.store.CreateUser(t.Context(), models.NewUser{Username: "all", Password: "password-all", Roles: []string{officer, reviewer, approver, clerk},
		AuthorityID: &cs.AuthorityID}); err != nil {
		t.Fatal(err)
	}
	all := login(t, e.srv.URL, "all", "password-all")
	var n docResp
	e.doJSON("POST", "/api/v1/cases/"+itoa(caseID)+"/documents", all, map[string]string{"kind": "advance_notice"}, 201, &n)
	e.doJSON("POST", e.docPath(n.ID, "submit"), all, nil, 200, &n)
	e.doJSON("POST", e.docPath(n.ID, "approve"), all, nil, 403, &ae)
	if ae.Error.Message != "文书的承办人不能审核或者批准自己制作的文书" {
		t.Errorf("message %q", ae.Error.Message)
	}
	e.doJSON("POST", e.docPath(n.ID, "approve"), e.tokens[approver], nil, 200, &n)
	e.doJSON("POST", e.docPath(n.ID, "issue"), all, nil, 403, &ae)
	e.doJSON("POST", e.docPath(n.ID, "issue"), e.tokens[clerk], nil, 200, &n)
}

// TestEmergencyAdmin: with the emergency setting an admin takes both
// approval stages, and the log says so.
func TestEmergencyAdmin(t *testing.T) {
	e := newEnvWith(t, envDB.SQLite(t), func(d *Deps) { d.EmergencyAdmin = true })
	caseID := newPenaltyCase(t, e)
	var d docResp
	e.doJSON("POST", "/api/v1/cases/"+itoa(caseID)+"/documents", e.tokens[officer], map[string]string{"kind": "penalty_decision"}, 201, &d)
	e.doJSON("POST", e.docPath(d.ID, "submit"), e.tokens[officer], nil, 200, &d)
	e.doJSON("POST", e.docPath(d.ID, "approve"), e.tokens[admin], nil, 200, &d)
	e.doJSON("POST", e.docPath(d.ID, "approve"), e.tokens[admin], nil, 200, &d)
	if d.Status != "approved" {
		t.Fatalf("status %s", d.Status)
	}
	log, err := e.store.AuditLog(t.Context(), "document", d.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range log {
		if l.Action == "emergency_separation_override" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d emergency entries, want 1 (the second approval)", n)
	}
}
