package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPublication drives the publication of a decision in headless
// Chromium: the officer adds the passenger's name to mask, the reviewer
// checks, the head approves, the clerk publishes; the public list shows it
// on a phone; after a correction the head sees the withdrawal due and
// withdraws it, and it is gone from the public list, its page saying so.
func TestBrowserPublication(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, envDB.SQLite(t))
	base := e.srv.URL
	b := tab{t, ctx}
	run, textOf := b.run, b.text
	run("desktop size", chromedp.EmulateViewport(1280, 900))
	d, p := e.issuePublished(t)
	pubURL := fmt.Sprintf("%s/publications/%d", base, p.ID)
	flash := func(what, button string) {
		t.Helper()
		run(what, chromedp.Click(chromedp.CSS(button)), chromedp.WaitVisible(chromedp.CSS(`#flash`)))
	}
	as := func(user string, fn func()) {
		t.Helper()
		b.signIn(base, user, "password-"+strings.TrimPrefix(user, "u-"))
		run("publication page", chromedp.Navigate(pubURL), chromedp.WaitVisible(chromedp.CSS(`#pub-summary`)))
		fn()
		run("sign out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	}

	as("u-officer", func() {
		run("the list", chromedp.Navigate(base+"/publications"), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf("#pub-%d", p.ID))))
		if got := textOf(fmt.Sprintf("#pub-%d-status", p.ID)); !strings.Contains(got, "待审核") {
			t.Errorf("list status %q", got)
		}
		run("open", chromedp.Click(chromedp.CSS(fmt.Sprintf("#pub-%d-open", p.ID))), chromedp.WaitVisible(chromedp.CSS(`#pub-settings`)))
		run("names to mask", chromedp.SendKeys(chromedp.CSS(`#p-names`), "王小二"))
		flash("save the settings", `#pub-save`)
		if got := textOf(`#pub-due`); !strings.Contains(got, "7个工作日") {
			t.Errorf("due %q", got)
		}
		uiShot(t, ctx, "publication-review")
	})
	as("u-reviewer", func() { flash("review", `#pub-review`) })
	as("u-approver", func() { flash("approve", `#pub-approve`) })
	as("u-clerk", func() {
		flash("publish", `#pub-publish`)
		if got := textOf(`#pub-status`); got != "已公示" {
			t.Errorf("status %q after publishing", got)
		}
	})

	card := fmt.Sprintf("#decision-%d", p.ID)
	run("phone size", chromedp.EmulateViewport(390, 844))
	run("public list", chromedp.Navigate(base+"/public/decisions"), chromedp.WaitVisible(chromedp.CSS(card)))
	if got := textOf(card); !strings.Contains(got, d.Number) || !strings.Contains(got, "警告") || strings.Contains(got, "33110219880719016X") {
		t.Errorf("public card %q", got)
	}
	run("search by number", chromedp.SendKeys(chromedp.CSS(`#s-number`), d.Number), chromedp.Click(chromedp.CSS(`#s-go`)),
		chromedp.WaitVisible(chromedp.CSS(card)))
	uiShot(t, ctx, "public-decisions")
	run("desktop size", chromedp.EmulateViewport(1280, 900))

	// A correction: the withdrawal is due, the head withdraws.
	var corr docResp
	e.doJSON("POST", e.docPath(d.ID, "correct"), e.tokens[officer], map[string]string{"reason": "违法事实录入有误"}, 201, &corr)
	e.doJSON("POST", e.docPath(corr.ID, "submit"), e.tokens[officer], nil, 200, nil)
	e.doJSON("POST", e.docPath(corr.ID, "approve"), e.tokens[reviewer], nil, 200, nil)
	e.doJSON("POST", e.docPath(corr.ID, "issue"), e.tokens[clerk], nil, 200, &corr)
	as("u-approver", func() {
		if got := textOf(`#pub-withdraw-due`); !strings.Contains(got, corr.Number) || !strings.Contains(got, "前撤回") {
			t.Errorf("withdrawal due %q", got)
		}
		flash("withdraw", `#pub-withdraw`)
		if got := textOf(`#pub-status`); got != "已撤回" {
			t.Errorf("status %q after withdrawing", got)
		}
	})
	run("public list after the withdrawal", chromedp.Navigate(base+"/public/decisions"), chromedp.WaitVisible(chromedp.CSS(`#total`)))
	if gone, err := chromedp.Run(step(t, ctx), chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q) === null`, card))); err != nil || !gone {
		t.Errorf("the withdrawn decision is still listed (%v)", err)
	}
	run("direct link", chromedp.Navigate(fmt.Sprintf("%s/public/decisions/%d", base, p.ID)), chromedp.WaitVisible(chromedp.CSS(`#gone`)))
	if got := textOf(`#gone`); !strings.Contains(got, "已撤回") {
		t.Errorf("withdrawn page %q", got)
	}
}
