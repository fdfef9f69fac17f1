package main

import (
	"strings"
	"testing"
)

// TestGuardianPrinted: a minor's guardian, given with the party, is printed
// in the decision's party block; an organisation has none.
func TestGuardianPrinted(t *testing.T) {
	e := newEnv(t, envDB.SQLite(t))
	pc := loadPublicCases(t)
	authID := setupPublic(t, e, pc)
	facts := map[string]any{}
	for k, v := range pc.Cases[3].Facts { // under 14
		facts[k] = v
	}
	party := map[string]any{}
	for k, v := range facts["party"].(map[string]any) {
		party[k] = v
	}
	party["guardian"] = "林某（父亲）"
	facts["party"], facts["authority_id"] = party, authID
	var cs struct{ ID uint }
	e.doJSON("POST", "/api/v1/cases", e.tokens[officer], facts, 201, &cs)
	var d docResp
	e.doJSON("POST", "/api/v1/cases/"+itoa(cs.ID)+"/documents", e.tokens[officer], nil, 201, &d)
	_, pdf, _ := e.do("GET", e.docPath(d.ID, "pdf"), e.tokens[officer], nil)
	if text := pdfText(t, pdf); !strings.Contains(text, "监护人：林某（父亲）") {
		t.Errorf("guardian not printed:\n%s", text)
	}

	org := map[string]any{}
	for k, v := range pc.Cases[0].Facts {
		org[k] = v
	}
	op := map[string]any{}
	for k, v := range org["party"].(map[string]any) {
		op[k] = v
	}
	op["guardian"] = "某人"
	org["party"], org["authority_id"] = op, authID
	var ae apiError
	e.doJSON("POST", "/api/v1/evaluate", e.tokens[officer], org, 422, &ae)
	if ae.Error.Fields["party.guardian"] == "" {
		t.Errorf("organisation guardian accepted: %+v", ae)
	}
}
