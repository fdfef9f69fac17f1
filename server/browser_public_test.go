package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPublicPages drives the public pages in headless Chromium at a
// phone's size: a party mistypes the access code and sees the message in
// Chinese; anyone opens the verify link and checks a PDF file against the
// issued hash in the browser.
func TestBrowserPublicPages(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, envDB.SQLite(t))
	doc := issueDecision(t, e)

	// Download form, wrong code.
	err := chromedp.Do(step(t, ctx),
		chromedp.Navigate(e.srv.URL+"/public/download"),
		chromedp.WaitVisible(chromedp.ID("download-form")),
		chromedp.SendKeys(chromedp.ID("number"), doc.Number),
		chromedp.SendKeys(chromedp.ID("access_code"), "WRONG-CODE"),
		chromedp.Submit(chromedp.ID("download-form")),
		chromedp.WaitVisible(chromedp.ID("error")),
	)
	if err != nil {
		t.Fatalf("download form: %v", err)
	}
	msg, err := chromedp.Run(step(t, ctx), chromedp.Text(chromedp.ID("error")))
	if err != nil || !strings.Contains(msg, "未找到匹配的文书") {
		t.Fatalf("error message %q, %v", msg, err)
	}
	kept, err := chromedp.Run(step(t, ctx), chromedp.Value(chromedp.ID("number")))
	if err != nil || kept != doc.Number {
		t.Errorf("the number was not kept for correction: %q %v", kept, err)
	}
	screenshot(t, ctx, "public-download-error")

	// Verify page, then the party's file checked locally.
	_, pdf, _ := e.do("GET", e.docPath(doc.ID, "pdf"), e.tokens[clerk], nil)
	file := filepath.Join(t.TempDir(), "decision.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	token := doc.VerifyURL[strings.LastIndex(doc.VerifyURL, "/")+1:]
	err = chromedp.Do(step(t, ctx),
		chromedp.Navigate(e.srv.URL+"/verify/"+token),
		chromedp.WaitVisible(chromedp.ID("verdict")),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}),
		chromedp.WaitVisible(chromedp.CSS("#file-result.ok")),
	)
	if err != nil {
		t.Fatalf("verify page: %v", err)
	}
	for id, want := range map[string]string{"verdict": "真实有效", "number": doc.Number, "sha256": doc.SHA256, "file-result": "一致"} {
		got, err := chromedp.Run(step(t, ctx), chromedp.Text(chromedp.ID(id)))
		if err != nil || !strings.Contains(got, want) {
			t.Errorf("#%s = %q, want %q (%v)", id, got, want, err)
		}
	}
	screenshot(t, ctx, "public-verify")
}
