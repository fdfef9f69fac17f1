package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserHeadApprovesNoPenalty: a first offence's 不予行政处罚决定书 is
// the head's to approve (APL Art. 57): the legal reviewer's page shows it
// waiting for the head with no approve button, the head approves it from
// the work queue, the clerk issues it and the letter names the authority's
// decision.
func TestBrowserHeadApprovesNoPenalty(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, envDB.SQLite(t))
	base := e.srv.URL
	b := tab{t, ctx}
	b.run("desktop size", chromedp.EmulateViewport(1280, 900))
	pc := loadPublicCases(t)
	authID := setupPublic(t, e, pc)
	facts := pc.Cases[0].Facts // a first offence, corrected: no penalty
	facts["authority_id"] = authID
	var cs struct {
		ID uint `json:"id"`
	}
	e.doJSON("POST", "/api/v1/cases", e.tokens[officer], facts, 201, &cs)
	var d docResp
	e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], map[string]string{"kind": "no_penalty_decision"}, 201, &d)
	caseURL := fmt.Sprintf("%s/cases/%d", base, cs.ID)
	doc := fmt.Sprintf("#doc-%d", d.ID)

	// The officer submits it in the browser.
	b.signIn(base, "u-officer", "password-officer")
	b.run("submit", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(doc+`-submit`)),
		chromedp.Click(chromedp.CSS(doc+`-submit`)), chromedp.WaitVisible(chromedp.CSS(doc+`-status.s-reviewing`)))
	if got := b.text(doc + `-status`); got != "待负责人批准" {
		t.Errorf("status after submit %q, want 待负责人批准", got)
	}
	b.run("sign out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	// The legal reviewer sees it, and cannot approve it.
	b.signIn(base, "u-reviewer", "password-reviewer")
	b.run("reviewer's case page", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(doc+`-status`)))
	if buttons, err := chromedp.Run(step(t, ctx), chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, doc+`-approve`))); err != nil || buttons != 0 {
		t.Errorf("the reviewer has %d approve buttons (%v)", buttons, err)
	}
	b.run("sign out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	// The head approves it from the queue.
	b.signIn(base, "u-approver", "password-approver")
	b.run("queue", chromedp.Click(chromedp.CSS(`#nav-queue`)), chromedp.WaitVisible(chromedp.CSS(`#queue-approve`)))
	if got := b.text(`#queue-approve`); !strings.Contains(got, "不予行政处罚决定书") {
		t.Fatalf("the head's queue lacks the decision: %q", got)
	}
	b.run("approve", chromedp.Click(chromedp.CSS(`#queue-approve a`)), chromedp.WaitVisible(chromedp.CSS(doc+`-approve`)),
		chromedp.Click(chromedp.CSS(doc+`-approve`)), chromedp.WaitVisible(chromedp.CSS(doc+`-status.s-approved`)))
	if got := b.text(doc + `-status`); got != "已批准待签发" {
		t.Fatalf("status after the head's approval %q", got)
	}
	screenshot(t, ctx, "ui-head-approved")
	b.run("sign out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	// The clerk issues it.
	b.signIn(base, "u-clerk", "password-clerk")
	b.run("issue", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(doc+`-issue`)),
		chromedp.Click(chromedp.CSS(doc+`-issue`)), chromedp.WaitVisible(chromedp.CSS(`#access-code`)))
	st, pdf, _ := e.do("GET", e.docPath(d.ID, "pdf"), e.tokens[clerk], nil)
	if text := pdfText(t, pdf); st != 200 || !strings.Contains(strings.Join(strings.Fields(text), ""), "不予行政处罚") {
		t.Errorf("issued letter: %d %q", st, text)
	}
}
