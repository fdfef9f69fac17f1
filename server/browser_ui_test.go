package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserStaffFlow drives the staff web UI in headless Chromium at a
// desktop's size through a traffic warning case (TR-001, decided on the
// spot): the officer signs in, mistypes the id number and sees the message
// with everything else kept, fixes it and sees the evaluation, drafts the
// decision and submits it; the reviewer approves it from the work queue;
// the clerk issues it and sees the access code; the party downloads it and
// the verify page shows it.
func TestBrowserStaffFlow(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, envDB.SQLite(t))
	base := e.srv.URL
	b := tab{t, ctx}
	run, textOf := b.run, b.text
	signIn := func(user, password string) { b.signIn(base, user, password) }
	signOut := func() {
		t.Helper()
		run("sign out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	}
	run("desktop size", chromedp.EmulateViewport(1280, 900))

	// The officer: the form with a wrong id number.
	signIn("u-officer", "password-officer")
	day := recentDay()
	run("fill the case form",
		chromedp.Click(chromedp.CSS(`#nav-new`)),
		chromedp.WaitVisible(chromedp.CSS(`#case-form`)),
		chromedp.SetValue(chromedp.CSS(`#f-authority`), "3"), // the traffic police
		chromedp.SetValue(chromedp.CSS(`#f-item`), "TR-001"),
		chromedp.Click(chromedp.CSS(`#f-kind-person`)),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "李四"),
		chromedp.SendKeys(chromedp.CSS(`#f-id`), badID),
		chromedp.SendKeys(chromedp.CSS(`#f-address`), "杭州市西湖区文三路1号"),
		chromedp.SendKeys(chromedp.CSS(`#f-phone`), "13800000000"),
		chromedp.SetValue(chromedp.CSS(`#f-vdate`), day),
		chromedp.SetValue(chromedp.CSS(`#f-ddate`), day),
		chromedp.SendKeys(chromedp.CSS(`#f-facts`), "当事人驾驶浙A12345小型轿车，在文三路与学院路交叉口右转车道内直行。"),
		chromedp.SendKeys(chromedp.CSS(`#f-evidence`), "现场执法记录仪视频\n驾驶证、行驶证复印件"),
		chromedp.Click(chromedp.CSS(`#f-corrected`)))
	b.selectAllOfficers() // the officer and a second certified officer (APL Art. 42)
	run("save", chromedp.Click(chromedp.CSS(`#save`)), chromedp.WaitVisible(chromedp.CSS(`#error`)))
	if msg := textOf(`#party .invalid .err`); !strings.Contains(msg, "公民身份号码校验位不正确") {
		t.Fatalf("id number message %q", msg)
	}
	// The organisation-only fields are hidden for a person.
	if hidden, err := chromedp.Run(step(t, ctx), chromedp.Evaluate[bool](`document.getElementById("f-credit").closest(".field").hidden`)); err != nil || !hidden {
		t.Errorf("credit code field shown for a person (%v)", err)
	}
	for sel, want := range map[string]string{`#f-name`: "李四", `#f-address`: "杭州市西湖区文三路1号", `#f-item`: "TR-001", `#f-vdate`: day, `#f-id`: badID} {
		if got, err := chromedp.Run(step(t, ctx), chromedp.Value(chromedp.CSS(sel))); err != nil || got != want {
			t.Errorf("%s = %q after the error, want %q kept (%v)", sel, got, want, err)
		}
	}
	if got, _ := chromedp.Run(step(t, ctx), chromedp.Value(chromedp.CSS(`#f-facts`))); !strings.Contains(got, "右转车道内直行") {
		t.Errorf("facts not kept: %q", got)
	}
	screenshot(t, ctx, "ui-case-form-error")

	// Fixed: the evaluation.
	run("fix the id number",
		chromedp.SetValue(chromedp.CSS(`#f-id`), goodID),
		chromedp.Click(chromedp.CSS(`#save`)),
		chromedp.WaitVisible(chromedp.CSS(`#evaluation`)))
	if got := textOf(`#outcome`); got != "警告" {
		t.Errorf("outcome %q, want 警告", got)
	}
	if got := textOf(`#ground`); !strings.Contains(got, "首违警告") {
		t.Errorf("ground %q", got)
	}
	screenshot(t, ctx, "ui-case-evaluation")

	// Draft and submit the on-the-spot decision.
	run("draft the decision", chromedp.Click(chromedp.CSS(`#create-document`)), chromedp.WaitVisible(chromedp.CSS(`.doc`)))
	attr, err := chromedp.Run(step(t, ctx), chromedp.AttributeValue(chromedp.CSS(`.doc`), "id"))
	if err != nil || !strings.HasPrefix(attr.Value, "doc-") {
		t.Fatalf("document element %q %v", attr.Value, err)
	}
	d := "#" + attr.Value
	caseURL, _ := chromedp.Run(step(t, ctx), chromedp.Location())
	caseURL = strings.Split(caseURL, "?")[0]
	run("submit", chromedp.Click(chromedp.CSS(d+`-submit`)), chromedp.WaitVisible(chromedp.CSS(d+`-status.s-reviewing`)))
	if got := textOf(d + `-status`); got != "待审批" {
		t.Errorf("status after submit %q", got)
	}
	signOut()

	// The reviewer finds it in the queue and approves it.
	signIn("u-reviewer", "password-reviewer")
	run("queue", chromedp.Click(chromedp.CSS(`#nav-queue`)), chromedp.WaitVisible(chromedp.CSS(`#queue-approve`)))
	if got := textOf(`#queue-approve`); !strings.Contains(got, "李四") || !strings.Contains(got, "当场行政处罚决定书") {
		t.Errorf("queue lacks the decision: %q", got)
	}
	screenshot(t, ctx, "ui-queue")
	run("approve",
		chromedp.Click(chromedp.CSS(`#queue-approve a`)),
		chromedp.WaitVisible(chromedp.CSS(d+`-approve`)),
		chromedp.Click(chromedp.CSS(d+`-approve`)),
		chromedp.WaitVisible(chromedp.CSS(d+`-status.s-approved`)))
	if got := textOf(d + `-status`); got != "已批准待签发" {
		t.Fatalf("status after approval %q", got)
	}
	signOut()

	// The clerk issues it and sees the access code once.
	signIn("u-clerk", "password-clerk")
	run("issue",
		chromedp.Navigate(caseURL),
		chromedp.WaitVisible(chromedp.CSS(d+`-issue`)),
		chromedp.Click(chromedp.CSS(d+`-issue`)),
		chromedp.WaitVisible(chromedp.CSS(`#access-code`)))
	code, number, verify := textOf(`#access-code`), textOf(`#issued-number`), textOf(`#verify-url`)
	if !accessCodeRE.MatchString(code) || !strings.Contains(number, "〔") || !verifyRE.MatchString(verify) {
		t.Fatalf("issued page: code %q number %q verify %q", code, number, verify)
	}
	screenshot(t, ctx, "ui-issued")

	// The party downloads it; the verify page shows it.
	st, pdf, h := e.postForm("/public/download", url.Values{"number": {number}, "access_code": {code}})
	if st != 200 || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("party download: %d %s", st, h.Get("Content-Type"))
	}
	run("verify",
		chromedp.Navigate(base+"/verify/"+verify[strings.LastIndex(verify, "/")+1:]),
		chromedp.WaitVisible(chromedp.CSS(`#verdict`)))
	if got := textOf(`#verdict`); !strings.Contains(got, "真实有效") {
		t.Errorf("verdict %q", got)
	}
	if got := textOf(`#sha256`); got != sha(pdf) {
		t.Errorf("verify page hash %q, downloaded %q", got, sha(pdf))
	}
}
