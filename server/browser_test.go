package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser is the one headless Chromium the browser tests share: starting
// one per test took seconds each. Every test gets a tab in a browser
// context of its own (no cookies, storage or cache shared with another
// test); TestMain stops it.
var browser struct {
	once   sync.Once
	ctx    context.Context // the first tab's: the browser lives as long as it
	cancel func()
	path   string
	err    error
}

// stopBrowser ends the shared Chromium, if one was started.
func stopBrowser() {
	if browser.cancel != nil {
		browser.cancel()
	}
}

// newBrowser gives a test a tab of the shared headless Chromium, in a new
// browser context. Where no Chromium is installed (.ci/run installs
// Debian's chromium) the test is skipped with a message saying so; any
// other failure fails the test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	browser.once.Do(startBrowser)
	if browser.path == "" {
		t.Skip("no Chromium on this machine (apt-get install chromium; .ci/run installs it): browser test skipped")
	}
	if browser.err != nil {
		t.Fatalf("start chromium: %v", browser.err)
	}
	ctx, cancel := chromedp.NewContext(browser.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first run opens the tab; the tab lives as long as ctx, so ctx
	// carries no timeout (chromedp's rule). Steps get theirs from step().
	// A new browser context's window does not take --window-size: the
	// tab is given the phone's size itself.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(412, 915)); err != nil {
		t.Fatalf("open a chromium tab: %v", err)
	}
	return ctx
}

// startBrowser starts the shared Chromium.
func startBrowser() {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser.path = p
			break
		}
	}
	if browser.path == "" {
		return
	}
	dir, err := os.MkdirTemp("", "pdchromium-")
	if err != nil {
		browser.err = err
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser.path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(dir),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(412, 915), // a phone
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	browser.ctx = ctx
	browser.cancel = func() { cancelCtx(); cancelAlloc(); _ = os.RemoveAll(dir) }
	browser.err = chromedp.Do(ctx)
}

// step bounds one browser step in time.
func step(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// screenshot keeps a full-page PNG under testdata/artifacts (not committed).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(step(t, ctx), chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	dir := filepath.Join("testdata", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// tab is one test's headless Chromium tab with the steps staff tests use.
type tab struct {
	t   *testing.T
	ctx context.Context
}

// run does actions in order, failing the test with what was being done.
func (b tab) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(step(b.t, b.ctx), actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// text is the visible text of the element sel selects.
func (b tab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(step(b.t, b.ctx), chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// selectAllOfficers selects every officer the case form offers.
func (b tab) selectAllOfficers() {
	b.t.Helper()
	n, err := chromedp.Run(step(b.t, b.ctx), chromedp.Evaluate[int](
		`(() => { const os = document.querySelectorAll("#f-officers option"); os.forEach(o => o.selected = true); return os.length })()`))
	if err != nil || n < 2 {
		b.t.Fatalf("officers offered: %d (%v)", n, err)
	}
}

// signIn signs in through the staff sign-in page at base.
func (b tab) signIn(base, user, password string) {
	b.t.Helper()
	b.run("sign in as "+user,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#login-form`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), user),
		chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Submit(chromedp.CSS(`#login-form`)),
		chromedp.WaitVisible(chromedp.CSS(`#who`)))
}
