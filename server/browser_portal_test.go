package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"penaltydoc/casework"
	"penaltydoc/casework/smtptest"
	"penaltydoc/models/dbtest"
)

// issuedNotice takes a new penalty case to a served advance notice (served
// today) and answers it with its access code.
func issuedNotice(t *testing.T, e *testEnv) (caseID uint, notice docResp) {
	t.Helper()
	caseID = newPenaltyCase(t, e)
	notice = e.moveToApproved(t, caseID, "advance_notice")
	e.doJSON("POST", e.docPath(notice.ID, "issue"), e.tokens[clerk], nil, 200, &notice)
	code := notice.AccessCode
	e.doJSON("POST", e.docPath(notice.ID, "serve"), e.tokens[clerk],
		map[string]string{"method": "direct", "date": notice.IssueDate, "recipient": "张某（法定代表人）", "place": "当事人住所"}, 200, &notice)
	notice.AccessCode = code
	return caseID, notice
}

// openPortal opens the portal in the browser with the notice's number and code.
func openPortal(b tab, base string, n docResp) {
	b.t.Helper()
	b.run("open the portal",
		chromedp.Navigate(base+"/public"),
		chromedp.WaitVisible(chromedp.ID("portal-open")),
		chromedp.SendKeys(chromedp.ID("number"), n.Number),
		chromedp.SendKeys(chromedp.ID("access_code"), n.AccessCode),
		chromedp.Submit(chromedp.ID("portal-open")),
		chromedp.WaitVisible(chromedp.ID("notice-number")))
}

// TestBrowserPortalStatement: the party opens its advance notice on
// /public at a phone's size, is refused an EXE renamed .jpg (its text
// kept), submits its statement with a photo and gets the SHA-256 receipt;
// the officer sees it on the case, downloads the photo and records 不予采纳
// with the reason; the decision issued later prints the outcome.
func TestBrowserPortalStatement(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, dbtest.SQLite(t))
	clock := useClock(e)
	clock.set(-20 * 24 * time.Hour) // the notice is served 20 days ago, the decision today
	caseID, notice := issuedNotice(t, e)
	base := e.srv.URL
	b := tab{t, ctx}
	openPortal(b, base, notice)
	if due := b.text("#due"); !strings.Contains(due, "个工作日") {
		t.Errorf("answer period %q", due)
	}
	screenshot(t, ctx, "portal-notice")

	statement := "当事人称涉案商品系试销样品，未实际对外销售，违法情节轻微，请求从轻处罚。"
	fake, _ := filepath.Abs("testdata/portal/invoice.jpg")
	b.run("a statement with an EXE named .jpg",
		chromedp.SendKeys(chromedp.ID("text"), statement),
		chromedp.SetUploadFiles(chromedp.ID("files"), []string{fake}),
		chromedp.Click(chromedp.ID("submit-statement")),
		chromedp.WaitVisible(chromedp.ID("error")))
	if msg := b.text("#error"); !strings.Contains(msg, "不是PDF、JPEG或PNG文件") {
		t.Errorf("refusal %q", msg)
	}
	if kept, _ := chromedp.Run(step(t, ctx), chromedp.Value(chromedp.ID("text"))); kept != statement {
		t.Errorf("the statement was not kept: %q", kept)
	}
	screenshot(t, ctx, "portal-refused")
	photo, _ := filepath.Abs("testdata/portal/现场照片.png")
	b.run("the statement with a photo",
		chromedp.SetUploadFiles(chromedp.ID("files"), []string{photo}),
		chromedp.Click(chromedp.ID("submit-statement")),
		chromedp.WaitVisible(chromedp.ID("flash")))
	receipt := b.text("#receipt")
	if len(receipt) != 64 {
		t.Fatalf("receipt %q", receipt)
	}
	screenshot(t, ctx, "portal-submitted")

	b.run("desktop size", chromedp.EmulateViewport(1280, 900))
	b.signIn(base, "u-officer", "password-officer")
	b.run("the case page", chromedp.Navigate(fmt.Sprintf("%s/cases/%d", base, caseID)), chromedp.WaitVisible(chromedp.ID("portal")))
	panel := b.text("#portal")
	for _, want := range []string{statement, "现场照片.png", receipt} {
		if !strings.Contains(panel, want) {
			t.Errorf("case page lacks %q:\n%s", want, panel)
		}
	}
	href, err := chromedp.Run(step(t, ctx), chromedp.Evaluate[string](`document.querySelector('#portal a.evidence').getAttribute('href')`))
	if err != nil {
		t.Fatal(err)
	}
	// The file goes to the case's staff only: with the officer's cookie
	// through the API token here, without one to nobody.
	if st, body, _ := e.do("GET", href, "", nil); st == 200 && strings.HasPrefix(string(body), "\x89PNG") {
		t.Errorf("evidence file served without a session")
	}
	reason := "样品已在店内陈列标价，属于对外销售，理由不能成立"
	b.run("record 不予采纳",
		chromedp.SetValue(chromedp.CSS(`#portal select[name=statement_outcome]`), "rejected"),
		chromedp.SendKeys(chromedp.CSS(`#portal textarea[name=statement_reason]`), reason),
		chromedp.Click(chromedp.CSS(`#portal form.review button`)),
		chromedp.WaitVisible(chromedp.ID("flash")))
	if out := b.text("#portal .review-outcome"); !strings.Contains(out, "不予采纳") || !strings.Contains(out, reason) {
		t.Errorf("outcome shown %q", out)
	}
	screenshot(t, ctx, "portal-case-review")

	// The answer period ends; the decision prints the statement and outcome.
	clock.set(0)
	dec := e.moveToApproved(t, caseID, "penalty_decision")
	e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 200, &dec)
	_, pdf, _ := e.do("GET", e.docPath(dec.ID, "pdf"), e.tokens[clerk], nil)
	text := strings.Join(strings.Fields(pdfText(t, pdf)), "")
	for _, want := range []string{"不予采纳", strings.Join(strings.Fields(reason), "")} {
		if !strings.Contains(text, want) {
			t.Errorf("decision lacks %q:\n%s", want, text)
		}
	}
}

// TestBrowserEmailService: the party confirms its e-mail address on the
// portal; the clerk serves the advance notice by e-mail; the in-process
// SMTP server receives the message with the link and the code, and the
// case page and the new receipt show the server's proof.
func TestBrowserEmailService(t *testing.T) {
	ctx := newBrowser(t)
	mx := smtptest.Start(t)
	mailer, err := casework.NewSMTPMailer(casework.SMTPConfig{Host: mx.Host, Port: mx.Port, TLS: casework.TLSNone, From: "service@penaltydoc.example"})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvWith(t, dbtest.SQLite(t), func(d *Deps) { d.Mailer = mailer })
	caseID, notice := issuedNotice(t, e)
	// The party waives on the portal, so the decision may issue at once;
	// it is served by e-mail.
	base := e.srv.URL
	b := tab{t, ctx}
	openPortal(b, base, notice)
	b.run("consent to electronic service",
		chromedp.SendKeys(chromedp.ID("email"), "party@example.test"),
		chromedp.SendKeys(chromedp.ID("email_confirm"), "party@example.test"),
		chromedp.Click(chromedp.ID("consent-confirm")),
		chromedp.Click(chromedp.ID("submit-consent")),
		chromedp.WaitVisible(chromedp.ID("flash")))
	b.run("waive",
		chromedp.Click(chromedp.ID("waiver-confirm")),
		chromedp.Click(chromedp.ID("submit-waiver")),
		chromedp.WaitVisible(chromedp.ID("flash")))
	screenshot(t, ctx, "portal-consent")

	var dec docResp
	dec = e.moveToApproved(t, caseID, "penalty_decision")
	e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 200, &dec)

	b.run("desktop size", chromedp.EmulateViewport(1280, 900))
	b.signIn(base, "u-clerk", "password-clerk")
	b.run("serve by e-mail with a wrong code",
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", base, caseID)),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("doc-%d-email", dec.ID))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf("#doc-%d-email summary", dec.ID))),
		chromedp.SendKeys(chromedp.ID(fmt.Sprintf("doc-%d-code", dec.ID)), "AAAA-AAAA"),
		chromedp.Click(chromedp.ID(fmt.Sprintf("doc-%d-serve-email", dec.ID))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf("#doc-%d-email .invalid", dec.ID))))
	if n := len(mx.Messages()); n != 0 {
		t.Fatalf("%d messages sent with a wrong code", n)
	}
	b.run("serve by e-mail",
		chromedp.SendKeys(chromedp.ID(fmt.Sprintf("doc-%d-code", dec.ID)), dec.AccessCode),
		chromedp.Click(chromedp.ID(fmt.Sprintf("doc-%d-serve-email", dec.ID))),
		chromedp.WaitVisible(chromedp.ID("flash")))
	msgs := mx.Messages()
	if len(msgs) != 1 {
		t.Fatalf("SMTP server received %d messages", len(msgs))
	}
	m := msgs[0]
	body := m.Body()
	if len(m.To) != 1 || m.To[0] != "party@example.test" || !strings.Contains(m.Header("Subject"), dec.Number) {
		t.Errorf("message to %v subject %q", m.To, m.Header("Subject"))
	}
	for _, want := range []string{"https://penaltydoc.example/public/download", dec.AccessCode, dec.Number, "行政处罚决定书"} {
		if !strings.Contains(body, want) {
			t.Errorf("message lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(string(m.Raw), "%PDF") || strings.Contains(strings.ToLower(m.Header("Content-Type")), "multipart") {
		t.Errorf("the message carries more than the text: %s", m.Header("Content-Type"))
	}
	msgID := strings.Trim(m.Header("Message-Id"), "<>")
	proof := b.text("#portal .email-proof")
	if !strings.Contains(proof, msgID) || !strings.Contains(proof, "queued") {
		t.Errorf("proof on the case page %q (message id %q)", proof, msgID)
	}
	screenshot(t, ctx, "ui-case-email-service")

	var list struct {
		Emails []struct {
			ReceiptID uint   `json:"receipt_id"`
			MessageID string `json:"message_id"`
		} `json:"email_services"`
	}
	e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d/submissions", caseID), e.tokens[clerk], nil, 200, &list)
	if len(list.Emails) != 1 || list.Emails[0].MessageID != msgID {
		t.Fatalf("email services %+v", list.Emails)
	}
	_, pdf, _ := e.do("GET", e.docPath(list.Emails[0].ReceiptID, "pdf"), e.tokens[clerk], nil)
	text := strings.Join(strings.Fields(pdfText(t, pdf)), "")
	for _, want := range []string{"送达回证", "电子送达", "party@example.test", msgID, "OK:queued"} {
		if !strings.Contains(text, strings.Join(strings.Fields(want), "")) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	var served docResp
	e.doJSON("GET", e.docPath(dec.ID, ""), e.tokens[clerk], nil, 200, &served)
	if served.Status != "served" || served.ServedDate == "" || served.Deadlines == nil || served.Deadlines.PaymentDue == "" {
		t.Errorf("decision after e-mail service: %+v", served)
	}
}
