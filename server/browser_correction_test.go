package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCorrection drives a correction that changes the facts in
// headless Chromium: the case page names its officers with their
// certificates; the officer starts a correction of the issued decision
// with its reason, edits the party's address and the facts in the
// revision form and submits it; once the correction is approved and
// issued, the case page shows the original superseded (被更正) and both
// verify pages answer.
func TestBrowserCorrection(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, envDB.SQLite(t))
	base := e.srv.URL
	b := tab{t, ctx}
	run, textOf := b.run, b.text
	run("desktop size", chromedp.EmulateViewport(1280, 900))

	// An issued on-the-spot decision (through the API).
	var cs caseResp
	e.doJSON("POST", "/api/v1/cases", e.tokens[officer], trafficCase(nil), 201, &cs)
	var orig docResp
	e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], nil, 201, &orig)
	orig = e.approve(t, orig.ID)
	e.doJSON("POST", e.docPath(orig.ID, "issue"), e.tokens[clerk], nil, 200, &orig)

	b.signIn(base, "u-officer", "password-officer")
	caseURL := fmt.Sprintf("%s/cases/%d", base, cs.ID)
	run("case page", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(`#case-officers`)))
	if got := textOf(`#case-officers`); !strings.Contains(got, "33010000001") || !strings.Contains(got, "33010000002") {
		t.Errorf("officers section %q lacks the certificates", got)
	}
	uiShot(t, ctx, "case-officers")

	d := fmt.Sprintf("#doc-%d", orig.ID)
	run("start the correction",
		chromedp.Click(chromedp.CSS(d+`-correct-open`)),
		chromedp.WaitVisible(chromedp.CSS(d+`-correct-reason`)),
		chromedp.SendKeys(chromedp.CSS(d+`-correct-reason`), "当事人住址及违法事实录入有误"),
		chromedp.Click(chromedp.CSS(d+`-correct`)),
		chromedp.WaitVisible(chromedp.CSS(`#revision`)))
	if got, _ := chromedp.Run(step(t, ctx), chromedp.Value(chromedp.CSS(`#f-address`))); got != "丽水市莲都区某路3号" {
		t.Errorf("the revision starts from the case's facts: address %q", got)
	}
	run("edit the revision",
		chromedp.SetValue(chromedp.CSS(`#f-address`), "丽水市莲都区某路33号"),
		chromedp.SetValue(chromedp.CSS(`#f-facts`), "当事人驾驶浙K·A1234号小型轿车在右转专用车道内直行，未影响其他车辆正常通行。"))
	uiShot(t, ctx, "correction-revision")
	run("save the revision",
		chromedp.Click(chromedp.CSS(`#save`)),
		chromedp.WaitVisible(chromedp.CSS(`#documents`)))
	page, _ := chromedp.Run(step(t, ctx), chromedp.Text(chromedp.CSS(`#documents`)))
	if !strings.Contains(page, "更正原因：当事人住址及违法事实录入有误") {
		t.Errorf("documents %q lack the correction's reason", page)
	}
	var v struct {
		Documents []docResp `json:"documents"`
	}
	e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d", cs.ID), e.tokens[officer], nil, 200, &v)
	corr := v.Documents[len(v.Documents)-1]
	if corr.CorrectsID == nil || *corr.CorrectsID != orig.ID {
		t.Fatalf("correction %+v", corr)
	}
	c := fmt.Sprintf("#doc-%d", corr.ID)
	if _, err := chromedp.Run(step(t, ctx), chromedp.Evaluate[bool](`(() => { document.getElementById("flash")?.remove(); return true })()`)); err != nil {
		t.Fatal(err)
	}
	run("submit the correction", chromedp.Click(chromedp.CSS(c+`-submit`)), chromedp.WaitVisible(chromedp.CSS(`#flash, #error`)))
	if msg, _ := chromedp.Run(step(t, ctx), chromedp.Text(chromedp.CSS(`#flash, #error`))); !strings.Contains(msg, "提交") {
		t.Fatalf("submitting the correction: %q", msg)
	}
	if got := textOf(c + `-status`); got != "待审批" {
		t.Errorf("correction %q after submit", got)
	}
	// The original stands until the correction is issued.
	if got := textOf(d + `-status`); got != "已签发" {
		t.Errorf("original %q before the correction is issued", got)
	}
	for _, role := range []string{reviewer} { // an on-the-spot decision's record: one approval
		e.doJSON("POST", e.docPath(corr.ID, "approve"), e.tokens[role], nil, 200, nil)
	}
	var issued docResp
	e.doJSON("POST", e.docPath(corr.ID, "issue"), e.tokens[clerk], nil, 200, &issued)

	run("case page after the correction", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(d+`-superseded`)))
	if got := textOf(d + `-status`); got != "已被更正" {
		t.Errorf("original %q after the correction", got)
	}
	if got := textOf(`#facts-address`); !strings.Contains(got, "某路33号") {
		t.Errorf("case address %q after the correction", got)
	}
	uiShot(t, ctx, "correction")
	for want, doc := range map[string]docResp{"已被更正": orig, "真实有效": issued} {
		run("verify "+doc.Number, chromedp.Navigate(base+strings.TrimPrefix(doc.VerifyURL, "https://penaltydoc.example")), chromedp.WaitVisible(chromedp.CSS(`#verdict`)))
		if got := textOf(`#verdict`); !strings.Contains(got, want) {
			t.Errorf("verdict of %s: %q, want %q", doc.Number, got, want)
		}
	}
}

// uiShot is screenshot, kept under docs/ui/<name>.png too (the pictures of
// the pages in the documentation).
func uiShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	screenshot(t, ctx, "ui-"+name)
	png, err := os.ReadFile(filepath.Join("testdata", "artifacts", "ui-"+name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", "ui", name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
