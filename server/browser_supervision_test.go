package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"penaltydoc/models/dbtest"
)

// TestBrowserSupervision: the head opens 执法监督; the open case's 90-day
// row shows 正常, then 临期 and 超期 as the test clock moves; the start
// page's digest links to the overdue rows; the statistics page shows its
// SVG chart.
func TestBrowserSupervision(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, dbtest.SQLite(t))
	dec, open := supervisionCases(t, e)
	clock := useClock(e)
	base := e.srv.URL
	b := tab{t, ctx}
	b.run("desktop size", chromedp.EmulateViewport(1280, 900))
	row := fmt.Sprintf(`#row-%d-decision_period`, open)
	stateOf := func() string {
		t.Helper()
		b.run("open the supervision page",
			chromedp.Navigate(base+"/supervision?check=decision_period"),
			chromedp.WaitVisible(chromedp.CSS(row)))
		return b.text(row + ` .tag`)
	}
	// Moving the clock ends the session (its idle timeout), and a session
	// begun later would still hold when it goes back: sign out, move, sign
	// in again.
	at := func(days int) {
		t.Helper()
		b.run("sign out", chromedp.Navigate(base+"/cases"), chromedp.WaitVisible(chromedp.CSS(`#logout`)),
			chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
		clock.set(time.Duration(days) * 24 * time.Hour)
		b.signIn(base, "u-approver", "password-approver")
	}

	b.signIn(base, "u-approver", "password-approver")
	b.run("the nav leads there", chromedp.Click(chromedp.CSS(`#nav-supervision`)), chromedp.WaitVisible(chromedp.CSS(`#sup-counts`)))
	if got := stateOf(); got != "正常" {
		t.Errorf("day 0: %q, want 正常", got)
	}
	at(80)
	if got := stateOf(); got != "临期" {
		t.Errorf("day 80: %q, want 临期", got)
	}
	if got := b.text(row); !strings.Contains(got, "延长期限") || !strings.Contains(got, "尚未作出决定") {
		t.Errorf("day 80 row %q", got)
	}
	b.run("all checks", chromedp.Navigate(base+"/supervision"), chromedp.WaitVisible(chromedp.CSS(`#sup-rows`)))
	screenshot(t, ctx, "ui-supervision")
	if got := b.text(fmt.Sprintf(`#row-%d-payment`, dec.CaseID)); !strings.Contains(got, "超期") {
		t.Errorf("payment row on day 80: %q", got)
	}
	at(100)
	if got := stateOf(); got != "超期" {
		t.Errorf("day 100: %q, want 超期", got)
	}
	b.run("filter the overdue rows", chromedp.SetValue(chromedp.CSS(`#f-state`), "overdue"), chromedp.SetValue(chromedp.CSS(`#f-check`), ""),
		chromedp.Click(chromedp.CSS(`#filter`)))
	b.run("the filtered page", chromedp.WaitReady(chromedp.CSS(`#f-state option[value="overdue"][selected]`)), chromedp.WaitVisible(chromedp.CSS(`#sup-rows`)))
	if got := b.text(`#sup-rows`); strings.Contains(got, "正常") || strings.Contains(got, "临期") || !strings.Contains(got, "超期") {
		t.Errorf("overdue filter shows %q", got)
	}

	b.run("the start page's digest", chromedp.Navigate(base+"/cases"), chromedp.WaitVisible(chromedp.CSS(`#digest`)))
	if got := b.text(`#digest-overdue`); got != "超期2件" {
		t.Errorf("digest %q, want 超期2件", got)
	}
	screenshot(t, ctx, "ui-digest")
	b.run("the digest links to the rows", chromedp.Click(chromedp.CSS(`#digest-overdue`)), chromedp.WaitVisible(chromedp.CSS(`#sup-rows`)))
	if got := b.text(`#total-overdue`); got == "0" {
		t.Errorf("overdue total %q", got)
	}

	at(0)
	b.run("statistics", chromedp.Click(chromedp.CSS(`#nav-statistics`)), chromedp.WaitVisible(chromedp.CSS(`#chart-outcome`)))
	svg, err := chromedp.Run(step(t, ctx), chromedp.Evaluate[string](`document.querySelector('#chart-outcome-card svg').outerHTML`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(svg, "<rect") || !strings.Contains(svg, "给予行政处罚") || !strings.Contains(svg, "1件") {
		t.Errorf("outcome chart %s", svg)
	}
	if got := b.text(`#s-decisions`); got != "1件" {
		t.Errorf("decisions %q", got)
	}
	screenshot(t, ctx, "ui-statistics")
}
