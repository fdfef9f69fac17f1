package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAdminTemplate: an admin reaches the template editor through
// the 管理 item, saves a broken body and sees the line next to the
// textarea with the typed body kept.
func TestBrowserAdminTemplate(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, envDB.SQLite(t))
	base := e.srv.URL
	b := tab{t, ctx}
	run := b.run
	run("desktop size", chromedp.EmulateViewport(1280, 900))
	b.signIn(base, "admin", testAdminPassword)
	broken := "@title 行政处罚决定书\n@number\n@left 当事人：{{.Facts.Party.Name}}\n@table 30 70\n违法行为|{{.Item.Name}}\n"
	run("open the editor and save a broken body",
		chromedp.Click(chromedp.CSS(`#nav-admin`)),
		chromedp.WaitVisible(chromedp.CSS(`#templates`)),
		chromedp.Click(chromedp.CSS(`a[href="/admin/templates/penalty_decision"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#template-form`)),
		chromedp.SetValue(chromedp.CSS(`#t-body`), broken),
		chromedp.Click(chromedp.CSS(`#save`)),
		chromedp.WaitVisible(chromedp.CSS(`#body-error`)))
	msg, err := chromedp.Run(step(t, ctx), chromedp.Text(chromedp.CSS(`#body-error`)))
	if err != nil || !strings.Contains(msg, "行") {
		t.Fatalf("body error %q (%v)", msg, err)
	}
	if got, err := chromedp.Run(step(t, ctx), chromedp.Value(chromedp.CSS(`#t-body`))); err != nil || got != broken {
		t.Errorf("typed body not kept: %q (%v)", got, err)
	}
	screenshot(t, ctx, "ui-admin-template-error")
}
