package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"penaltydoc/models"
	"penaltydoc/rules"
)

// docResp is a document as the API answers it (issue adds access_code and
// service_receipt_id).
type docResp struct {
	ID               uint   `json:"id"`
	CaseID           uint   `json:"case_id"`
	Kind             string `json:"kind"`
	Status           string `json:"status"`
	ReviewStage      int    `json:"review_stage"`
	Stage            string `json:"stage"`
	Number           string `json:"number"`
	IssueDate        string `json:"issue_date"`
	SHA256           string `json:"sha256"`
	AccessCode       string `json:"access_code"`
	VerifyURL        string `json:"verify_url"`
	ServiceReceiptID uint   `json:"service_receipt_id"`
	CorrectsID       *uint  `json:"corrects_id"`
	SupersededByID   *uint  `json:"superseded_by_id"`
	ServedDate       string `json:"served_date"`
	LegalReviewDate  string `json:"legal_review_date"`
	Comment          string `json:"comment"`
	Deadlines        *struct {
		AnswerDue          string  `json:"answer_due"`
		PaymentDue         string  `json:"payment_due"`
		LateFeePerDay      float64 `json:"late_fee_per_day"`
		LateFeeCap         float64 `json:"late_fee_cap"`
		ReconsiderationDue string  `json:"reconsideration_due"`
		LitigationDue      string  `json:"litigation_due"`
	} `json:"deadlines"`
}

// testClock lets a test move the store's clock (and so "today") while the
// server runs.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) now() time.Time      { return time.Now().UTC().Add(time.Duration(c.offset.Load())) }
func (c *testClock) set(d time.Duration) { c.offset.Store(int64(d)) }

func useClock(e *testEnv) *testClock {
	c := &testClock{}
	e.store.Now = c.now
	return c
}

func (e *testEnv) docPath(id uint, step string) string {
	if step == "" {
		return fmt.Sprintf("/api/v1/documents/%d", id)
	}
	return fmt.Sprintf("/api/v1/documents/%d/%s", id, step)
}

// newPenaltyCase creates, through the API, the public case that ends in a
// penalty with a hearing offered and legal review required.
func newPenaltyCase(t *testing.T, e *testEnv) uint {
	t.Helper()
	pc := loadPublicCases(t)
	authID := setupPublic(t, e, pc)
	facts := pc.Cases[1].Facts
	facts["authority_id"] = authID
	var cs struct {
		ID         uint           `json:"id"`
		Evaluation map[string]any `json:"evaluation"`
	}
	e.doJSON("POST", "/api/v1/cases", e.tokens[officer], facts, 201, &cs)
	if cs.Evaluation["hearing_required"] != true || cs.Evaluation["legal_review_required"] != true {
		t.Fatalf("case evaluation %v: want hearing and legal review", cs.Evaluation)
	}
	return cs.ID
}

// moveToApproved creates a document of kind on the case and takes it through
// submit and approval (both stages where legal review is required).
func (e *testEnv) moveToApproved(t *testing.T, caseID uint, kind string) docResp {
	t.Helper()
	var d docResp
	e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", caseID), e.tokens[officer], map[string]string{"kind": kind}, 201, &d)
	return e.approve(t, d.ID)
}

func (e *testEnv) approve(t *testing.T, id uint) docResp {
	t.Helper()
	var d docResp
	e.doJSON("POST", e.docPath(id, "submit"), e.tokens[officer], nil, 200, &d)
	for d.Status == "reviewing" { // each stage by its role: the legal review, the head
		role := approver
		if d.Stage == "legal_review" || d.Stage == "single" {
			role = reviewer
		}
		e.doJSON("POST", e.docPath(id, "approve"), e.tokens[role], nil, 200, &d)
	}
	if d.Status != "approved" {
		t.Fatalf("document %d: %s after approval", id, d.Status)
	}
	return d
}

// issuedDoc is a decision issued and served through the API: what the
// public download and verify tests need.
type issuedDoc struct {
	ID, CaseID, ReceiptID           uint
	Number, AccessCode, VerifyURL   string
	SHA256, IssueDate, NoticeNumber string
}

// issueDecision runs the whole path on a fresh environment: case → advance
// notice (issued, served) → statement → decision → legal review → approval
// → issue → serve. It moves the store's clock: the notice is issued and
// served 20 days ago, the decision today.
func issueDecision(t *testing.T, e *testEnv) issuedDoc {
	t.Helper()
	return issueDecisionAfter(t, e, nil)
}

// issueDecisionAfter is issueDecision running filed (when not nil) once
// the case is filed, before anything is issued.
func issueDecisionAfter(t *testing.T, e *testEnv, filed func(caseID uint)) issuedDoc {
	t.Helper()
	clock := useClock(e)
	clock.set(-20 * 24 * time.Hour)
	caseID := newPenaltyCase(t, e)
	if filed != nil {
		filed(caseID)
	}
	notice := e.moveToApproved(t, caseID, "advance_notice")
	e.doJSON("POST", e.docPath(notice.ID, "issue"), e.tokens[clerk], nil, 200, &notice)
	e.doJSON("POST", e.docPath(notice.ID, "serve"), e.tokens[clerk],
		map[string]string{"method": "direct", "date": notice.IssueDate, "recipient": "张某（法定代表人）", "place": "当事人住所"}, 200, &notice)
	clock.set(0)
	e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/statement", caseID), e.tokens[officer], map[string]any{
		"statement": "当事人在陈述申辩中称系初次违法，本局经复核认为其理由不能成立，不予采纳。"}, 200, nil)
	dec := e.moveToApproved(t, caseID, "penalty_decision")
	var out docResp
	e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 200, &out)
	e.doJSON("POST", e.docPath(dec.ID, "serve"), e.tokens[clerk],
		map[string]string{"method": "直接送达", "date": out.IssueDate, "recipient": "张某（法定代表人）"}, 200, nil)
	return issuedDoc{ID: out.ID, CaseID: caseID, ReceiptID: out.ServiceReceiptID, Number: out.Number, AccessCode: out.AccessCode,
		VerifyURL: out.VerifyURL, SHA256: out.SHA256, IssueDate: out.IssueDate, NoticeNumber: notice.Number}
}

var (
	accessCodeRE = regexp.MustCompile(`^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$`)
	verifyRE     = regexp.MustCompile(`^https://penaltydoc\.example/verify/[A-Za-z0-9_-]{32}$`)
)

// TestDocumentLifecycle walks one penalty case through the whole procedure
// and checks every refusal on the way.
func TestDocumentLifecycle(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		clock := useClock(e)
		clock.set(-20 * 24 * time.Hour)
		caseID := newPenaltyCase(t, e)
		year := time.Now().Add(-20 * 24 * time.Hour).In(models.China).Year()

		// The decision cannot go before the notice.
		var dec docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", caseID), e.tokens[officer], map[string]string{"kind": "penalty_decision"}, 201, &dec)
		var ae apiError
		e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 409, &ae) // not approved yet
		e.doJSON("POST", e.docPath(dec.ID, "submit"), e.tokens[officer], nil, 200, &dec)
		e.doJSON("POST", e.docPath(dec.ID, "submit"), e.tokens[officer], nil, 409, &ae)
		var cs map[string]any
		e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d", caseID), e.tokens[officer], nil, 200, &cs)
		if cs["status"] != "open" {
			t.Fatalf("case status after submit: %v", cs["status"])
		}
		e.doJSON("PUT", fmt.Sprintf("/api/v1/cases/%d", caseID), e.tokens[officer], map[string]any{}, 409, &ae)

		// Legal review first: the approver cannot approve before the reviewer.
		e.doJSON("POST", e.docPath(dec.ID, "approve"), e.tokens[approver], nil, 403, &ae)
		e.doJSON("POST", e.docPath(dec.ID, "approve"), e.tokens[reviewer], nil, 200, &dec)
		if dec.Status != "reviewing" || dec.ReviewStage != 1 || dec.LegalReviewDate == "" {
			t.Fatalf("after legal review: %+v", dec)
		}
		e.doJSON("POST", e.docPath(dec.ID, "approve"), e.tokens[reviewer], nil, 403, &ae)
		// A return needs a comment and starts over.
		e.doJSON("POST", e.docPath(dec.ID, "return"), e.tokens[approver], map[string]string{"comment": " "}, 422, &ae)
		e.doJSON("POST", e.docPath(dec.ID, "return"), e.tokens[approver], map[string]string{"comment": "请补充证据"}, 200, &dec)
		if dec.Status != "draft" || dec.ReviewStage != 0 || dec.Comment != "请补充证据" {
			t.Fatalf("after return: %+v", dec)
		}
		dec = e.approve(t, dec.ID)
		e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 422, &ae)
		if !strings.Contains(ae.Error.Message, "事先告知书") {
			t.Errorf("refusal without notice: %q", ae.Error.Message)
		}

		// The advance notice: numbered in its own series, with a receipt.
		notice := e.moveToApproved(t, caseID, "advance_notice")
		var issued docResp
		e.doJSON("POST", e.docPath(notice.ID, "issue"), e.tokens[clerk], nil, 200, &issued)
		if want := fmt.Sprintf("示公（治）罚告字〔%d〕1号", year); issued.Number != want {
			t.Errorf("notice number %q, want %q", issued.Number, want)
		}
		if !accessCodeRE.MatchString(issued.AccessCode) || !verifyRE.MatchString(issued.VerifyURL) || len(issued.SHA256) != 64 || issued.ServiceReceiptID == 0 {
			t.Errorf("issue response %+v", issued)
		}
		e.doJSON("POST", e.docPath(notice.ID, "issue"), e.tokens[clerk], nil, 409, &ae)
		e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 422, &ae) // notice not served
		e.doJSON("POST", e.docPath(notice.ID, "serve"), e.tokens[clerk], map[string]string{"method": "fax", "date": "2020-13-01"}, 422, &ae)
		if ae.Error.Fields["method"] == "" || ae.Error.Fields["date"] == "" || ae.Error.Fields["recipient"] == "" {
			t.Errorf("serve validation fields %v", ae.Error.Fields)
		}
		served := issued.IssueDate
		e.doJSON("POST", e.docPath(notice.ID, "serve"), e.tokens[clerk],
			map[string]string{"method": "direct", "date": served, "recipient": "张某", "place": "当事人住所"}, 200, &notice)
		answerDue, _ := rules.Calendar{}.AddWorkdays(served, 5)
		if notice.Status != "served" || notice.Deadlines == nil || notice.Deadlines.AnswerDue != answerDue {
			t.Fatalf("served notice %+v", notice)
		}
		e.doJSON("POST", e.docPath(notice.ID, "serve"), e.tokens[clerk], map[string]string{"method": "direct", "date": served, "recipient": "张某"}, 409, &ae)

		// Within the answer period: refused, naming the last day.
		e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 422, &ae)
		if !strings.Contains(ae.Error.Message, answerDue) {
			t.Errorf("refusal within the period: %q", ae.Error.Message)
		}
		// The party's statement is recorded and printed.
		statement := "当事人陈述称系员工疏忽，本局经复核认为不能成立，不予采纳。"
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/statement", caseID), e.tokens[officer], map[string]any{"hearing_held": true}, 422, &ae)
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/statement", caseID), e.tokens[officer], map[string]any{"statement": statement}, 200, &cs)
		if cs["statement"] != statement || cs["waived"] != false {
			t.Fatalf("statement not recorded: %v", cs)
		}
		e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 422, &ae)

		// After the period the decision issues.
		clock.set(0)
		today := time.Now().In(models.China).Format("2006-01-02")
		e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 200, &issued)
		if want := fmt.Sprintf("示公（治）行罚决字〔%d〕1号", time.Now().In(models.China).Year()); issued.Number != want || issued.IssueDate != today || issued.Status != "issued" {
			t.Errorf("decision %+v, want number %s issued %s", issued, want, today)
		}
		before, err := e.store.DocumentPDF(t.Context(), models.Everything, dec.ID)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(before.PDF)
		if hex.EncodeToString(sum[:]) != issued.SHA256 || !e.keys.Check(before.AccessCodeHash, strings.ToLower(strings.ReplaceAll(issued.AccessCode, "-", ""))) ||
			e.keys.Check(before.AccessCodeHash, "AAAA-AAAA") || !strings.HasPrefix(before.AccessCodeHash, "h1$") {
			t.Errorf("stored hash or access code wrong")
		}
		for _, want := range []string{statement, notice.Number, issued.Number, `"Draft":false`} {
			if !strings.Contains(before.DataJSON, want) {
				t.Errorf("frozen data lacks %q", want)
			}
		}
		// Issuing twice: 409, nothing changes.
		e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 409, &ae)
		e.doJSON("POST", e.docPath(dec.ID, "approve"), e.tokens[approver], nil, 409, &ae)
		e.doJSON("POST", e.docPath(dec.ID, "return"), e.tokens[approver], map[string]string{"comment": "再改改"}, 409, &ae)
		after, _ := e.store.DocumentPDF(t.Context(), models.Everything, dec.ID)
		if string(after.PDF) != string(before.PDF) || after.SHA256 != before.SHA256 || *after.Number != *before.Number {
			t.Fatal("a second issue changed the document")
		}
		st, pdf, _ := e.do("GET", e.docPath(dec.ID, "pdf"), e.tokens[reviewer], nil)
		if st != 200 || string(pdf) != string(before.PDF) {
			t.Errorf("GET pdf: %d, %d bytes, not the stored bytes", st, len(pdf))
		}
		// The receipt carries no number and the party's code is only in its PDF.
		var receipt docResp
		e.doJSON("GET", e.docPath(issued.ServiceReceiptID, ""), e.tokens[clerk], nil, 200, &receipt)
		if receipt.Kind != "service_receipt" || receipt.Status != "issued" || receipt.Number != "" {
			t.Errorf("receipt %+v", receipt)
		}
		rdoc, _ := e.store.DocumentPDF(t.Context(), models.Everything, receipt.ID)
		if strings.Contains(rdoc.DataJSON, issued.AccessCode) || len(rdoc.PDF) == 0 || !strings.Contains(rdoc.DataJSON, issued.Number) {
			t.Errorf("receipt data keeps the access code or lacks the number")
		}
		// The fine is to be executed: no more statements, no second decision.
		e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d", caseID), e.tokens[officer], nil, 200, &cs)
		if cs["status"] != "executing" || cs["payment_state"] != "unpaid" {
			t.Errorf("case %v after the decision", cs["status"])
		}
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/statement", caseID), e.tokens[officer], map[string]any{"waived": true}, 409, &ae)

		// Service and deadlines.
		e.doJSON("POST", e.docPath(dec.ID, "serve"), e.tokens[clerk], map[string]string{"method": "mail", "date": "2000-01-01", "recipient": "张某"}, 422, &ae)
		var sd docResp
		e.doJSON("POST", e.docPath(dec.ID, "serve"), e.tokens[clerk], map[string]string{"method": "mail", "date": today, "recipient": "张某"}, 200, &sd)
		if sd.Status != "served" || sd.Deadlines == nil || sd.Deadlines.PaymentDue == "" || sd.Deadlines.LateFeeCap <= 0 ||
			sd.Deadlines.ReconsiderationDue == "" || sd.Deadlines.LitigationDue == "" {
			t.Fatalf("served decision %+v", sd.Deadlines)
		}
		e.doJSON("GET", e.docPath(receipt.ID, ""), e.tokens[clerk], nil, 200, &receipt)
		if receipt.Status != "served" {
			t.Errorf("receipt %s after service", receipt.Status)
		}

		// A correction: new draft naming the old one; issuing it supersedes the old.
		var corr docResp
		e.wantField(t, "POST", e.docPath(dec.ID, "correct"), e.tokens[officer], map[string]string{}, 422, "reason") // the reason is required
		e.wantField(t, "POST", e.docPath(dec.ID, "correct"), e.tokens[officer], nil, 422, "reason")                 // no body, as before the reason: the same 422
		e.doJSON("POST", e.docPath(dec.ID, "correct"), e.tokens[officer], map[string]string{"reason": "决定书所载当事人住址有误"}, 201, &corr)
		if corr.Status != "draft" || corr.CorrectsID == nil || *corr.CorrectsID != dec.ID {
			t.Fatalf("correction %+v", corr)
		}
		e.doJSON("POST", e.docPath(dec.ID, "correct"), e.tokens[officer], map[string]string{"reason": "再次更正"}, 409, &ae) // one open correction at a time
		e.approve(t, corr.ID)
		e.doJSON("POST", e.docPath(corr.ID, "issue"), e.tokens[clerk], nil, 200, &corr)
		if want := fmt.Sprintf("示公（治）行罚决字〔%d〕2号", time.Now().In(models.China).Year()); corr.Number != want {
			t.Errorf("correction number %q, want %q", corr.Number, want)
		}
		var old docResp
		e.doJSON("GET", e.docPath(dec.ID, ""), e.tokens[clerk], nil, 200, &old)
		if old.Status != "superseded" || old.SupersededByID == nil || *old.SupersededByID != corr.ID || old.SHA256 != before.SHA256 {
			t.Errorf("old decision %+v", old)
		}
		cd, _ := e.store.DocumentPDF(t.Context(), models.Everything, corr.ID)
		if !strings.Contains(cd.DataJSON, *before.Number) {
			t.Errorf("correction does not name %s", *before.Number)
		}
		if _, err := e.store.DocumentByVerifyToken(t.Context(), strings.TrimPrefix(issued.VerifyURL, "https://penaltydoc.example/verify/")); err != nil {
			t.Errorf("superseded document not verifiable: %v", err)
		}
		if d, err := e.store.DocumentByNumber(t.Context(), *before.Number); err != nil || len(d.PDF) == 0 {
			t.Errorf("superseded document not downloadable: %v", err)
		}

		// Every step is in the audit log with who, from where and a hash.
		log, err := e.store.AuditLog(t.Context(), "document", dec.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, a := range log {
			actions = append(actions, a.Action)
			if a.DocSHA256 == "" || a.Username == "" || a.IP == "" {
				t.Errorf("audit entry %+v lacks hash, user or address", a)
			}
		}
		want := "create_document submit legal_review return submit legal_review approve issue serve correction_started supersede"
		if got := strings.Join(actions, " "); got != want {
			t.Errorf("audit actions\n got %s\nwant %s", got, want)
		}
	})
}

// TestIssueDecisionHelper checks the helper the public-route tests use.
func TestIssueDecisionHelper(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		d := issueDecision(t, e)
		if d.Number == "" || !accessCodeRE.MatchString(d.AccessCode) || !verifyRE.MatchString(d.VerifyURL) || d.ReceiptID == 0 || d.NoticeNumber == "" {
			t.Fatalf("issued %+v", d)
		}
		doc, err := e.store.DocumentByNumber(t.Context(), d.Number)
		if err != nil || doc.Status != models.DocServed || !e.keys.Check(doc.AccessCodeHash, d.AccessCode) {
			t.Fatalf("by number: %+v %v", doc, err)
		}
	})
}

// TestWaiverAndSingleApproval: a waived answer period lets the decision go
// at once; a notice needs one approval only, by either role.
func TestWaiverAndSingleApproval(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		caseID := newPenaltyCase(t, e)
		var n docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", caseID), e.tokens[officer], map[string]string{"kind": "advance_notice"}, 201, &n)
		e.doJSON("POST", e.docPath(n.ID, "submit"), e.tokens[officer], nil, 200, &n)
		e.doJSON("POST", e.docPath(n.ID, "approve"), e.tokens[approver], nil, 200, &n)
		if n.Status != "approved" {
			t.Fatalf("notice after one approval: %s", n.Status)
		}
		var ae apiError
		e.doJSON("POST", e.docPath(n.ID, "issue"), e.tokens[officer], nil, 403, &ae)
		e.doJSON("POST", e.docPath(n.ID, "issue"), e.tokens[admin], nil, 403, &ae) // the admin role does no case work
		e.doJSON("POST", e.docPath(n.ID, "issue"), e.tokens[clerk], nil, 200, &n)
		e.doJSON("POST", e.docPath(n.ID, "serve"), e.tokens[clerk], map[string]string{"method": "direct", "date": n.IssueDate, "recipient": "张某"}, 200, &n)
		dec := e.moveToApproved(t, caseID, "penalty_decision")
		e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 422, &ae)
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/statement", caseID), e.tokens[officer], map[string]any{"waived": true}, 200, nil)
		e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 200, &dec)
		if dec.Status != "issued" || !strings.Contains(dec.Number, "行罚决字") {
			t.Fatalf("decision after waiver %+v", dec)
		}
	})
}

// TestReturnReopensFacts: the head returns the case's only submitted
// document ("证据不足"): nothing has gone out, so the case is a draft again
// and the officer corrects the facts; the old draft is stale and a new one
// goes. Once a document has gone out (issued), a return leaves the facts
// locked.
func TestReturnReopensFacts(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		caseID := newPenaltyCase(t, e)
		var d docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", caseID), e.tokens[officer], map[string]string{"kind": "advance_notice"}, 201, &d)
		e.doJSON("POST", e.docPath(d.ID, "submit"), e.tokens[officer], nil, 200, &d)
		var cs struct {
			Status string         `json:"status"`
			Facts  map[string]any `json:"facts"`
		}
		path := fmt.Sprintf("/api/v1/cases/%d", caseID)
		e.doJSON("GET", path, e.tokens[officer], nil, 200, &cs)
		if cs.Status != "open" {
			t.Fatalf("after submit: %s", cs.Status)
		}
		e.doJSON("POST", e.docPath(d.ID, "return"), e.tokens[approver], map[string]string{"comment": "证据不足，请补充询问笔录。"}, 200, nil)
		e.doJSON("GET", path, e.tokens[officer], nil, 200, &cs)
		if cs.Status != "draft" {
			t.Fatalf("after the return of the only submitted document: %s, want draft", cs.Status)
		}
		facts := cs.Facts
		facts["evidence"] = []string{"询问笔录（补充）", "现场检查笔录"}
		e.doJSON("PUT", path, e.tokens[officer], facts, 200, nil)
		var ae apiError
		e.doJSON("POST", e.docPath(d.ID, "submit"), e.tokens[officer], nil, 409, &ae) // made from the old facts
		var d2 docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", caseID), e.tokens[officer], map[string]string{"kind": "advance_notice"}, 201, &d2)
		d2 = e.approve(t, d2.ID)
		e.doJSON("POST", e.docPath(d2.ID, "issue"), e.tokens[clerk], nil, 200, nil)
		// Gone out: returning another document leaves the case open.
		var other docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", caseID), e.tokens[officer], map[string]string{"kind": "advance_notice"}, 201, &other)
		e.doJSON("POST", e.docPath(other.ID, "submit"), e.tokens[officer], nil, 200, nil)
		e.doJSON("POST", e.docPath(other.ID, "return"), e.tokens[approver], map[string]string{"comment": "重复制作"}, 200, nil)
		e.doJSON("GET", path, e.tokens[officer], nil, 200, &cs)
		if cs.Status != "open" {
			t.Fatalf("after the notice was issued: %s", cs.Status)
		}
	})
}
