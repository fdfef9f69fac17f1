package main

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

type pubResp struct {
	ID            uint     `json:"id"`
	DocumentID    uint     `json:"document_id"`
	Status        string   `json:"status"`
	Number        string   `json:"number"`
	PartyName     string   `json:"party_name"`
	DueDate       string   `json:"due_date"`
	DueDays       int      `json:"due_days"`
	Months        int      `json:"months"`
	PublishedDate string   `json:"published_date"`
	EndDate       string   `json:"end_date"`
	SHA256        string   `json:"sha256"`
	WithdrawDue   string   `json:"withdraw_due"`
	WithdrawCause string   `json:"withdraw_cause"`
	ReplacedByID  *uint    `json:"replaced_by_id"`
	MaskNames     []string `json:"mask_names"`
	Reason        string   `json:"reason"`
}

// publishedFacts: a person's traffic case whose facts name a passenger, a
// phone number and the person's plate.
func publishedFacts() map[string]any {
	c := trafficCase(nil)
	c["facts"] = "当事人驾驶浙K·A1234号小型轿车在右转车道内直行，乘客王小二在场，当事人联系电话13800138000。"
	c["party"].(map[string]any)["phone"] = "13800138000"
	return c
}

// issuePublished issues the traffic decision of publishedFacts through the
// API and answers its publication record.
func (e *testEnv) issuePublished(t *testing.T) (docResp, pubResp) {
	t.Helper()
	var cs caseResp
	e.doJSON("POST", "/api/v1/cases", e.tokens[officer], publishedFacts(), 201, &cs)
	var d docResp
	e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], nil, 201, &d)
	d = e.approve(t, d.ID)
	e.doJSON("POST", e.docPath(d.ID, "issue"), e.tokens[clerk], nil, 200, &d)
	var list struct {
		Publications []pubResp `json:"publications"`
	}
	e.doJSON("GET", "/api/v1/publications", e.tokens[officer], nil, 200, &list)
	for _, p := range list.Publications {
		if p.DocumentID == d.ID {
			return d, p
		}
	}
	t.Fatalf("no publication of document %d in %+v", d.ID, list.Publications)
	return d, pubResp{}
}

func (e *testEnv) pubPath(id uint, step string) string {
	if step == "" {
		return fmt.Sprintf("/api/v1/publications/%d", id)
	}
	return fmt.Sprintf("/api/v1/publications/%d/%s", id, step)
}

// publish takes publication id through the officer's names, review,
// approval and publication.
func (e *testEnv) publish(t *testing.T, id uint) pubResp {
	t.Helper()
	var p pubResp
	e.doJSON("PUT", e.pubPath(id, ""), e.tokens[officer], map[string]any{"mask_names": []string{"王小二"}}, 200, &p)
	e.doJSON("POST", e.pubPath(id, "review"), e.tokens[reviewer], nil, 200, &p)
	e.doJSON("POST", e.pubPath(id, "approve"), e.tokens[approver], nil, 200, &p)
	e.doJSON("POST", e.pubPath(id, "publish"), e.tokens[clerk], nil, 200, &p)
	return p
}

// TestPublicationFlow: an issued decision gets its record (7 working days,
// 36 months); the steps run in order and by role; the public list shows it
// and its masked PDF lacks the id number, address, phone, plate and the
// passenger's name; the export has the platforms' fields; a correction
// makes its withdrawal due; once withdrawn it is gone from the public list
// and its page says so.
func TestPublicationFlow(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		d, p := e.issuePublished(t)
		if p.Status != "pending" || p.DueDays != 7 || p.Months != 36 || p.DueDate <= d.IssueDate || p.Number != d.Number {
			t.Fatalf("record %+v of %+v", p, d)
		}
		// Order and roles.
		e.doJSON("POST", e.pubPath(p.ID, "approve"), e.tokens[approver], nil, 409, nil)
		e.doJSON("POST", e.pubPath(p.ID, "review"), e.tokens[officer], nil, 403, nil)
		e.doJSON("PUT", e.pubPath(p.ID, ""), e.tokens[officer], map[string]any{"secret": "nonsense"}, 422, nil)
		p = e.publish(t, p.ID)
		if p.Status != "published" || p.PublishedDate == "" || p.EndDate == "" || len(p.SHA256) != 64 {
			t.Fatalf("published %+v", p)
		}
		e.doJSON("PUT", e.pubPath(p.ID, ""), e.tokens[officer], map[string]any{}, 409, nil)

		st, body, _ := e.do("GET", "/public/decisions?party=张", "", nil)
		if st != 200 || !strings.Contains(string(body), d.Number) {
			t.Fatalf("public list %d lacks %s", st, d.Number)
		}
		st, pdf, _ := e.do("GET", fmt.Sprintf("/public/decisions/%d/pdf", p.ID), "", nil)
		if st != 200 {
			t.Fatalf("public pdf %d", st)
		}
		text := strings.Join(strings.Fields(pdfText(t, pdf)), "")
		for _, secret := range []string{"33110219880719016X", "13800138000", "某路3号", "王小二", "A1234", "penaltydoc.example"} {
			if strings.Contains(text, secret) {
				t.Errorf("the masked PDF shows %q", secret)
			}
		}
		for _, want := range []string{"行政处罚信息公示", "行政处罚决定书文号", d.Number, "王某", "×××", "张某"} {
			if !strings.Contains(text, want) {
				t.Errorf("the masked PDF lacks %q:\n%s", want, text)
			}
		}

		// Export: CSV with a BOM, XLSX with the same header.
		st, csv, h := e.do("GET", "/api/v1/publications/export.csv", e.tokens[clerk], nil)
		if st != 200 || !bytes.HasPrefix(csv, []byte("\ufeff行政相对人名称,行政相对人类别")) || !strings.Contains(h.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv %d %q", st, csv[:min(len(csv), 80)])
		}
		if !strings.Contains(string(csv), d.Number) || strings.Contains(string(csv), "13800138000") || strings.Contains(string(csv), "王小二") {
			t.Errorf("csv rows: %s", csv)
		}
		st, xlsx, _ := e.do("GET", "/api/v1/publications/export.xlsx", e.tokens[clerk], nil)
		if st != 200 {
			t.Fatalf("xlsx %d", st)
		}
		f, err := excelize.OpenReader(bytes.NewReader(xlsx))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("行政处罚")
		if len(rows) != 2 || len(rows[0]) != 19 || rows[0][18] != "数据来源单位" || rows[1][4] != d.Number || rows[1][1] != "自然人" {
			t.Errorf("xlsx rows %q", rows)
		}

		// A correction: the original's withdrawal is due, the correction's
		// record replaces it.
		var corr docResp
		e.doJSON("POST", e.docPath(d.ID, "correct"), e.tokens[officer], map[string]string{"reason": "违法事实录入有误"}, 201, &corr)
		e.doJSON("POST", e.docPath(corr.ID, "submit"), e.tokens[officer], nil, 200, nil)
		e.doJSON("POST", e.docPath(corr.ID, "approve"), e.tokens[reviewer], nil, 200, nil)
		e.doJSON("POST", e.docPath(corr.ID, "issue"), e.tokens[clerk], nil, 200, &corr)
		e.doJSON("GET", e.pubPath(p.ID, ""), e.tokens[approver], nil, 200, &p)
		if p.Status != "published" || p.WithdrawDue == "" || p.ReplacedByID == nil || !strings.Contains(p.WithdrawCause, corr.Number) {
			t.Fatalf("after the correction: %+v", p)
		}
		e.doJSON("POST", e.pubPath(p.ID, "withdraw"), e.tokens[approver], map[string]string{"reason": ""}, 422, nil)
		e.doJSON("POST", e.pubPath(p.ID, "withdraw"), e.tokens[approver], map[string]string{"reason": p.WithdrawCause}, 200, &p)
		if p.Status != "withdrawn" {
			t.Fatalf("withdrawn %+v", p)
		}
		st, body, _ = e.do("GET", "/public/decisions", "", nil)
		if st != 200 || strings.Contains(string(body), "decision-"+itoa(p.ID)+`"`) {
			t.Errorf("the withdrawn publication is still listed")
		}
		st, body, _ = e.do("GET", fmt.Sprintf("/public/decisions/%d", p.ID), "", nil)
		if st != http.StatusGone || !strings.Contains(string(body), "已撤回") {
			t.Errorf("withdrawn page %d", st)
		}
		if st, _, _ := e.do("GET", fmt.Sprintf("/public/decisions/%d/pdf", p.ID), "", nil); st != 404 {
			t.Errorf("withdrawn pdf %d", st)
		}
		// Not yet out: not public.
		if st, _, _ := e.do("GET", fmt.Sprintf("/public/decisions/%d", *p.ReplacedByID), "", nil); st != 404 {
			t.Errorf("unpublished page %d", st)
		}
	})
}
