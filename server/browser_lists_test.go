package main

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"penaltydoc/rules"
)

// TestBrowserCaseList: an officer's list opens on 我的案件; 全部案件 adds
// the other officer's case; the filters go into the URL, and the back and
// forward buttons bring each list back with its filters shown.
func TestBrowserCaseList(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, envDB.SQLite(t))
	w := newListWorld(t, e)
	b := tab{t, ctx}
	b.run("desktop size", chromedp.EmulateViewport(1280, 900))
	b.signIn(e.srv.URL, "u-officer", "password-officer")
	row := func(id uint) string { return fmt.Sprintf(`#case-%d`, id) }
	shown := func(id uint) bool {
		t.Helper()
		ok, err := chromedp.Run(step(t, ctx), chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q) !== null`, row(id))))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if b.run("my cases", chromedp.Navigate(e.srv.URL+"/cases"), chromedp.WaitVisible(chromedp.CSS(`#cases`))); !shown(w.issued.CaseID) || !shown(w.caseA) || shown(w.case2) {
		t.Errorf("my cases: want the officer's two cases only")
	}
	if got := b.text(`#tab-mine`); got != "我的案件" {
		t.Errorf("tab %q", got)
	}
	b.run("all cases", chromedp.Click(chromedp.CSS(`#tab-all`)), chromedp.WaitVisible(chromedp.CSS(row(w.case2))))
	if !shown(w.issued.CaseID) || shown(w.caseB) {
		t.Errorf("all cases: want A's three")
	}
	if got := b.text(row(w.case2) + ` .officers`); got != "王二" {
		t.Errorf("officer column %q", got)
	}
	if got := b.text(row(w.case2) + ` .authority`); got != "示例县公安局" {
		t.Errorf("authority column %q", got)
	}
	screenshot(t, ctx, "ui-cases-list")
	b.run("filter by item and filing date",
		chromedp.SetValue(chromedp.CSS(`#item`), "PUB-ORDER"),
		chromedp.SetValue(chromedp.CSS(`#from`), "2026-01-01"),
		chromedp.Click(chromedp.CSS(`#filter`)),
		chromedp.WaitNotPresent(chromedp.CSS(row(w.issued.CaseID))))
	loc, _ := chromedp.Run(step(t, ctx), chromedp.Location())
	u, _ := url.Parse(loc)
	if q := u.Query(); q.Get("item") != "PUB-ORDER" || q.Get("from") != "2026-01-01" || q.Get("mine") != "0" {
		t.Errorf("filters not in the URL: %s", loc)
	}
	if !shown(w.case2) {
		t.Errorf("the filtered list lacks case %d", w.case2)
	}
	b.run("filter by status too", chromedp.SetValue(chromedp.CSS(`#status`), "closed"), chromedp.Click(chromedp.CSS(`#filter`)),
		chromedp.WaitVisible(chromedp.CSS(`#no-cases`)))
	b.history("back", "back", func() bool { return shown(w.case2) })
	for sel, want := range map[string]string{`#item`: "PUB-ORDER", `#from`: "2026-01-01", `#status`: ""} {
		// Read through script: chromedp's DOM queries miss a page the
		// back-forward cache restored.
		if got, err := chromedp.Run(step(t, ctx), chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).value`, sel))); err != nil || got != want {
			t.Errorf("after back %s = %q, want %q (%v)", sel, got, want, err)
		}
	}
	b.history("back again", "back", func() bool { return shown(w.issued.CaseID) })
	if !shown(w.case2) || !shown(w.caseA) {
		t.Errorf("back to all cases: rows missing")
	}
	b.history("forward", "forward", func() bool { return !shown(w.issued.CaseID) && shown(w.case2) })
	// The export button carries the filters.
	href, err := chromedp.Run(step(t, ctx), chromedp.Evaluate[string](`document.getElementById("export").getAttribute("href")`))
	if err != nil || !strings.Contains(href, "item=PUB-ORDER") || !strings.HasPrefix(href, "/cases/export.xlsx?") {
		t.Errorf("export link %q (%v)", href, err)
	}
}

// history goes back or forward in the tab's history (as the browser's
// buttons do) and waits until ready holds.
func (b tab) history(what, dir string, ready func() bool) {
	b.t.Helper()
	if _, err := chromedp.Run(step(b.t, b.ctx), chromedp.Evaluate[chromedp.Void]("history."+dir+"()")); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ready() {
			return
		}
	}
	b.t.Fatalf("%s: the page did not come back", what)
}

// printResult is the batch print's answer fetched by the page.
type printResult struct {
	Status int    `json:"status"`
	Type   string `json:"type"`
	PDF    string `json:"pdf"`
	URL    string `json:"url"`
}

// TestBrowserBatchPrint: the clerk selects every document with 全选 (the
// script, as CSP allows: a static file), asks for duplex pages, and the
// form's request answers the documents with each receipt after its
// document and blank pages after odd ones; the list then shows 已打印 and
// 未打印 no longer lists them.
func TestBrowserBatchPrint(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, envDB.SQLite(t))
	dec := issueDecision(t, e)
	docs, err := e.store.CaseDocuments(t.Context(), dec.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	var notice, noticeReceipt uint
	for _, d := range docs {
		if d.Kind == rules.KindAdvanceNotice {
			notice = d.ID
		}
	}
	pages := map[uint][][]byte{}
	for _, d := range docs {
		if d.ServesID != nil && *d.ServesID == notice {
			noticeReceipt = d.ID
		}
		if d.Number != nil || d.ServesID != nil {
			_, pdf, _ := e.do("GET", e.docPath(d.ID, "pdf"), e.tokens[clerk], nil)
			pages[d.ID] = pageContents(t, pdf)
		}
	}
	b := tab{t, ctx}
	b.run("desktop size", chromedp.EmulateViewport(1280, 900))
	b.signIn(e.srv.URL, "u-clerk", "password-clerk")
	b.run("the print list", chromedp.Navigate(e.srv.URL+"/print?printed=no"), chromedp.WaitVisible(chromedp.CSS(`#select-all`)))
	count := func() (int, bool, bool) {
		t.Helper()
		var st struct {
			N             int  `json:"n"`
			All           bool `json:"all"`
			Indeterminate bool `json:"indeterminate"`
		}
		st, err := chromedp.Run(step(t, ctx), chromedp.Evaluate[struct {
			N             int  `json:"n"`
			All           bool `json:"all"`
			Indeterminate bool `json:"indeterminate"`
		}](`({n: document.querySelectorAll("input.pick:checked").length, all: document.getElementById("select-all").checked, indeterminate: document.getElementById("select-all").indeterminate})`))
		if err != nil {
			t.Fatal(err)
		}
		return st.N, st.All, st.Indeterminate
	}
	b.run("select all", chromedp.Click(chromedp.CSS(`#select-all`)))
	if n, all, _ := count(); n != 4 || !all {
		t.Fatalf("after 全选: %d chosen (all %v), want 4", n, all)
	}
	if got := b.text(`#picked`); got != "已选 4 份" {
		t.Errorf("count %q", got)
	}
	b.run("unselect one", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#print-%d`, notice))))
	if n, all, mixed := count(); n != 3 || all || !mixed {
		t.Errorf("one unselected: %d (all %v, mixed %v)", n, all, mixed)
	}
	b.run("select all again and duplex", chromedp.Click(chromedp.CSS(`#select-all`)), chromedp.Click(chromedp.CSS(`#opt-duplex`)))
	if n, all, _ := count(); n != 4 || !all {
		t.Errorf("全选 again: %d", n)
	}
	screenshot(t, ctx, "ui-print-batch-chosen")
	res, err := chromedp.Run(step(t, ctx), chromedp.Evaluate[printResult](`(async () => {
		const f = document.getElementById("print-form");
		const u = f.getAttribute("action") + "?" + new URLSearchParams(new FormData(f)).toString();
		const r = await fetch(u);
		const b = new Uint8Array(await r.arrayBuffer());
		let s = "";
		for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
		return {status: r.status, type: r.headers.get("Content-Type"), pdf: btoa(s), url: u};
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 || res.Type != "application/pdf" {
		t.Fatalf("print %s: %d %s", res.URL, res.Status, res.Type)
	}
	pdf, err := base64.StdEncoding.DecodeString(res.PDF)
	if err != nil {
		t.Fatal(err)
	}
	checkPrint(t, res.URL, pdf, pages, []uint{dec.ID, dec.ReceiptID, notice, noticeReceipt}, true)
	b.run("the list after printing", chromedp.Navigate(e.srv.URL+"/print"), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#printed-%d`, dec.ID))))
	if got := b.text(fmt.Sprintf(`#printed-%d`, dec.ID)); !strings.Contains(got, "已打印") || !strings.Contains(got, rules.ChineseDate(e.store.Today())) {
		t.Errorf("mark %q", got)
	}
	b.run("choose again", chromedp.Click(chromedp.CSS(`#select-all`)), chromedp.Click(chromedp.CSS(fmt.Sprintf(`#print-%d`, notice))))
	screenshot(t, ctx, "ui-print-batch")
	b.run("未打印", chromedp.SetValue(chromedp.CSS(`#printed`), "no"), chromedp.Submit(chromedp.CSS(`#print-filter`)),
		chromedp.WaitVisible(chromedp.CSS(`p.empty`)))
}
