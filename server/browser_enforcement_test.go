package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserPaymentAndClosing: the clerk records a partial payment of a
// served penalty decision on the case page and then the rest; the officer
// drafts the closing report (结案审批表), the head approves it, the clerk
// issues it and the case shows 已结案.
func TestBrowserPaymentAndClosing(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, envDB.SQLite(t))
	dec := issueDecision(t, e)
	var cs execCase
	e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d", dec.CaseID), e.tokens[officer], nil, 200, &cs)
	fine := cs.Execution.Fine
	base := e.srv.URL
	caseURL := fmt.Sprintf("%s/cases/%d", base, dec.CaseID)
	b := tab{t, ctx}
	run, textOf := b.run, b.text
	run("desktop size", chromedp.EmulateViewport(1280, 900))
	signOut := func() {
		t.Helper()
		run("sign out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	}
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")

	b.signIn(base, "u-clerk", "password-clerk")
	run("open the case", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(`#payment-form`)))
	if got := textOf(`#payment-state`); got != "未缴" {
		t.Errorf("payment state %q, want 未缴", got)
	}
	run("a payment without its receipt number",
		chromedp.SetValue(chromedp.CSS(`#pay-date`), today),
		chromedp.SendKeys(chromedp.CSS(`#pay-amount`), "1000"),
		chromedp.Click(chromedp.CSS(`#save-payment`)),
		chromedp.WaitVisible(chromedp.CSS(`#payment-form .invalid .err`)))
	if got, _ := chromedp.Run(step(t, ctx), chromedp.Value(chromedp.CSS(`#pay-amount`))); got != "1000" {
		t.Errorf("amount not kept after the error: %q", got)
	}
	run("record a partial payment",
		chromedp.SendKeys(chromedp.CSS(`#pay-receipt`), "3301260000123456"),
		chromedp.Click(chromedp.CSS(`#save-payment`)),
		chromedp.WaitVisible(chromedp.CSS(`#payments`)))
	if got := textOf(`#payment-state`); got != "部分缴纳" {
		t.Errorf("payment state %q, want 部分缴纳", got)
	}
	if got := textOf(`#payments`); !strings.Contains(got, "3301260000123456") {
		t.Errorf("payments table %q", got)
	}
	screenshot(t, ctx, "ui-case-payment")
	run("pay the rest",
		chromedp.SetValue(chromedp.CSS(`#pay-date`), today),
		chromedp.SendKeys(chromedp.CSS(`#pay-amount`), strconv.FormatFloat(fine-1000, 'f', 2, 64)),
		chromedp.SendKeys(chromedp.CSS(`#pay-receipt`), "3301260000123457"),
		chromedp.Click(chromedp.CSS(`#save-payment`)),
		chromedp.WaitVisible(chromedp.CSS(`#closable`)))
	if got := textOf(`#payment-state`); got != "已缴清" {
		t.Errorf("payment state %q, want 已缴清", got)
	}
	signOut()

	b.signIn(base, "u-officer", "password-officer")
	run("draft the closing report",
		chromedp.Navigate(caseURL),
		chromedp.WaitVisible(chromedp.CSS(`#doc-kind`)),
		chromedp.SetValue(chromedp.CSS(`#doc-kind`), "closing_report"),
		chromedp.Click(chromedp.CSS(`#create-document`)),
		chromedp.WaitVisible(chromedp.CSS(`.doc`)))
	var id string
	var err error
	for i := 0; i < 40 && id == ""; i++ { // the page after the draft
		time.Sleep(100 * time.Millisecond)
		id, err = chromedp.Run(step(t, ctx), chromedp.Evaluate[string](`(() => { const d = [...document.querySelectorAll('.doc')].find(x => x.textContent.includes('结案审批表')); return d ? d.id : '' })()`))
	}
	if err != nil || id == "" {
		t.Fatalf("closing report element %q %v", id, err)
	}
	d := "#" + id
	run("submit", chromedp.Click(chromedp.CSS(d+`-submit`)), chromedp.WaitVisible(chromedp.CSS(d+`-status.s-reviewing`)))
	signOut()

	b.signIn(base, "u-approver", "password-approver")
	run("the head approves", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(d+`-approve`)),
		chromedp.Click(chromedp.CSS(d+`-approve`)), chromedp.WaitVisible(chromedp.CSS(d+`-status.s-approved`)))
	signOut()

	b.signIn(base, "u-clerk", "password-clerk")
	run("issue", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(d+`-issue`)),
		chromedp.Click(chromedp.CSS(d+`-issue`)), chromedp.WaitVisible(chromedp.CSS(`#issued`)), // the issued page: the issue is done
		chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(`#case-status`)))
	if got := textOf(`#case-status`); got != "已结案" {
		t.Errorf("case status %q, want 已结案", got)
	}
	screenshot(t, ctx, "ui-case-closing")
	run("the list shows it paid", chromedp.Navigate(base+"/cases?payment_state=paid"), chromedp.WaitVisible(chromedp.CSS(`#cases`)))
	if got := textOf(`#cases`); !strings.Contains(got, "已缴清") {
		t.Errorf("case list %q", got)
	}
}

// TestBrowserHearing: the officer records the party's hearing request on
// a case that offers one; a hearing 3 days away is refused with the
// 7-working-day rule and the values are kept; a later date with a host
// who is not the investigator is saved, and the hearing notice may be
// drafted.
func TestBrowserHearing(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, envDB.SQLite(t))
	caseID := newPenaltyCase(t, e)
	base := e.srv.URL
	b := tab{t, ctx}
	run, textOf := b.run, b.text
	run("desktop size", chromedp.EmulateViewport(1280, 900))
	cst := time.FixedZone("CST", 8*3600)
	today := time.Now().In(cst).Format("2006-01-02")
	soon := time.Now().In(cst).AddDate(0, 0, 3).Format("2006-01-02")
	later := time.Now().In(cst).AddDate(0, 0, 21).Format("2006-01-02")

	b.signIn(base, "u-officer", "password-officer")
	run("open the case", chromedp.Navigate(fmt.Sprintf("%s/cases/%d", base, caseID)), chromedp.WaitVisible(chromedp.CSS(`#hearing`)))
	host, err := chromedp.Run(step(t, ctx), chromedp.Evaluate[string](`(document.querySelector('#hr-host option[value]:not([value=""])') || {}).value || ''`))
	if err != nil || host == "" {
		t.Fatalf("no hearing host offered (%v)", err)
	}
	run("a hearing too soon",
		chromedp.Click(chromedp.CSS(`#hearing summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#hr-place`)),
		chromedp.SetValue(chromedp.CSS(`#hr-requested`), today),
		chromedp.SetValue(chromedp.CSS(`#hr-scheduled`), soon),
		chromedp.SetValue(chromedp.CSS(`#hr-time`), "09:30"),
		chromedp.SetValue(chromedp.CSS(`#hr-host`), host),
		chromedp.SendKeys(chromedp.CSS(`#hr-place`), "本局三楼听证室"),
		chromedp.Click(chromedp.CSS(`#save-hearing`)),
		chromedp.WaitVisible(chromedp.CSS(`#hearing .invalid .err`)))
	if msg := textOf(`#hearing .invalid .err`); !strings.Contains(msg, "七日") || !strings.Contains(msg, "最早为") {
		t.Errorf("message %q", msg)
	}
	if got, _ := chromedp.Run(step(t, ctx), chromedp.Value(chromedp.CSS(`#hr-place`))); got != "本局三楼听证室" {
		t.Errorf("place not kept: %q", got)
	}
	if got, _ := chromedp.Run(step(t, ctx), chromedp.Value(chromedp.CSS(`#hr-scheduled`))); got != soon {
		t.Errorf("date not kept: %q", got)
	}
	screenshot(t, ctx, "ui-case-hearing-error")
	run("a hearing three weeks ahead",
		chromedp.Clear(chromedp.CSS(`#hr-scheduled`)),
		chromedp.SetValue(chromedp.CSS(`#hr-scheduled`), later),
		chromedp.Click(chromedp.CSS(`#save-hearing`)),
		// #flash only: the page of the refusal before it already shows
		// #error, so waiting for either could read the old page.
		chromedp.WaitVisible(chromedp.CSS(`#flash`)))
	if msg, _ := chromedp.Run(step(t, ctx), chromedp.Evaluate[string](`(document.querySelector('#error') || {}).textContent || ''`)); msg != "" {
		t.Fatalf("saving the hearing: %s", msg)
	}
	opts, err := chromedp.Run(step(t, ctx), chromedp.Evaluate[string](`[...document.querySelectorAll('#doc-kind option')].map(o => o.value).join(' ')`))
	if err != nil || !strings.Contains(opts, "hearing_notice") {
		t.Errorf("kinds offered %q (%v)", opts, err)
	}
	screenshot(t, ctx, "ui-case-hearing")
}
