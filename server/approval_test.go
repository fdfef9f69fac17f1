package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"penaltydoc/models"
)

// TestHeadDecides: the head of the authority approves every decision and
// notice (APL Art. 57): a no-penalty decision cannot pass on the legal
// reviewer's word; a penalty decision of a major case waits for the heads'
// collective discussion, and the decision says it was discussed.
func TestHeadDecides(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		pc := loadPublicCases(t)
		authID := setupPublic(t, e, pc)

		// A first offense: the no-penalty decision goes to the head.
		facts := pc.Cases[0].Facts
		facts["authority_id"] = authID
		var cs struct {
			ID uint `json:"id"`
		}
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], facts, 201, &cs)
		var d docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], map[string]string{"kind": "no_penalty_decision"}, 201, &d)
		e.doJSON("POST", e.docPath(d.ID, "submit"), e.tokens[officer], nil, 200, &d)
		if d.Stage != "head" {
			t.Fatalf("a no-penalty decision waits for %q, want the head", d.Stage)
		}
		var ae apiError
		e.doJSON("POST", e.docPath(d.ID, "approve"), e.tokens[reviewer], nil, 403, &ae)
		if ae.Error.Message != "本文书须由行政机关负责人批准" {
			t.Errorf("reviewer's approval refused with %q", ae.Error.Message)
		}
		e.doJSON("POST", e.docPath(d.ID, "approve"), e.tokens[approver], nil, 200, &d)
		if d.Status != "approved" {
			t.Fatalf("after the head: %s", d.Status)
		}

		// A major case: legal review, the discussion, the head.
		clock := useClock(e)
		clock.set(-20 * 24 * time.Hour)
		facts = pc.Cases[1].Facts
		facts["authority_id"], facts["major"] = authID, true
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], facts, 201, &cs)
		notice := e.moveToApproved(t, cs.ID, "advance_notice")
		e.doJSON("POST", e.docPath(notice.ID, "issue"), e.tokens[clerk], nil, 200, &notice)
		e.doJSON("POST", e.docPath(notice.ID, "serve"), e.tokens[clerk], map[string]string{"method": "direct", "date": notice.IssueDate, "recipient": "张某"}, 200, nil)
		clock.set(0)
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/statement", cs.ID), e.tokens[officer], map[string]any{"waived": true}, 200, nil)
		var dec docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], map[string]string{"kind": "penalty_decision"}, 201, &dec)
		e.doJSON("POST", e.docPath(dec.ID, "submit"), e.tokens[officer], nil, 200, &dec)
		e.doJSON("POST", e.docPath(dec.ID, "approve"), e.tokens[reviewer], nil, 200, &dec)
		e.doJSON("POST", e.docPath(dec.ID, "approve"), e.tokens[approver], nil, 409, &ae)
		if !strings.Contains(ae.Error.Message, "集体讨论") {
			t.Errorf("head's approval before the discussion refused with %q", ae.Error.Message)
		}
		path := fmt.Sprintf("/api/v1/cases/%d/discussion", cs.ID)
		today := time.Now().In(models.China).Format("2006-01-02")
		e.doJSON("POST", path, e.tokens[clerk], map[string]string{"date": today, "participants": "王局长、李副局长", "conclusion": "同意"}, 403, &ae)
		e.doJSON("POST", path, e.tokens[approver], map[string]string{"date": "2099-01-01", "participants": "", "conclusion": "同意"}, 422, &ae)
		if ae.Error.Fields["date"] == "" || ae.Error.Fields["participants"] == "" {
			t.Errorf("bad discussion: %+v", ae.Error)
		}
		e.doJSON("POST", path, e.tokens[approver], nil, 400, &ae)
		var got map[string]any
		e.doJSON("POST", path, e.tokens[approver], map[string]string{"date": today, "participants": "王局长、李副局长、赵副局长",
			"conclusion": "同意对当事人给予罚款的处罚"}, 200, &got)
		if dd, _ := got["discussion"].(map[string]any); dd["participants"] != "王局长、李副局长、赵副局长" {
			t.Errorf("case after the discussion: %v", got["discussion"])
		}
		e.doJSON("POST", e.docPath(dec.ID, "approve"), e.tokens[approver], nil, 200, &dec)
		e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 200, &dec)
		st, pdf, _ := e.do("GET", e.docPath(dec.ID, "pdf"), e.tokens[officer], nil)
		if st != 200 {
			t.Fatalf("pdf: %d", st)
		}
		if text := strings.Join(strings.Fields(pdfText(t, pdf)), ""); !strings.Contains(text, "经本局负责人集体讨论，依据") {
			t.Errorf("the decision does not say it was discussed:\n%s", text)
		}
		// A case not marked major takes no discussion.
		facts = pc.Cases[1].Facts
		facts["authority_id"], facts["major"] = authID, false
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], facts, 201, &cs)
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/discussion", cs.ID), e.tokens[officer],
			map[string]string{"date": today, "participants": "王局长", "conclusion": "同意"}, 409, &ae)
	})
}
