package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"penaltydoc/models"
	"penaltydoc/render"
)

// TestBrowserAuthoritySeal: while the case's authority has no seal, the
// clerk's 签发 answers 本机关尚未设置印章; the admin edits the authority
// (a field and the seal PNG) on its page, sees the seal and its preview;
// then the clerk issues.
func TestBrowserAuthoritySeal(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, envDB.SQLite(t))
	base := e.srv.URL
	caseID := newPenaltyCase(t, e)
	cs, err := e.store.CaseByID(context.Background(), models.Everything, caseID)
	if err != nil {
		t.Fatal(err)
	}
	authID := cs.AuthorityID
	au, err := e.store.Authority(context.Background(), authID)
	if err != nil {
		t.Fatal(err)
	}
	au.SealPNG = nil // as a fresh install's authority
	if err := e.store.UpdateAuthority(context.Background(), au, false); err != nil {
		t.Fatal(err)
	}
	notice := e.moveToApproved(t, caseID, "advance_notice")

	b := tab{t, ctx}
	run := b.run
	run("desktop size", chromedp.EmulateViewport(1280, 900))
	b.signIn(base, "u-clerk", "password-clerk")
	issue := fmt.Sprintf(`#doc-%d-issue`, notice.ID)
	run("issue without a seal",
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", base, caseID)),
		chromedp.WaitVisible(chromedp.CSS(issue)),
		chromedp.Click(chromedp.CSS(issue)),
		chromedp.WaitVisible(chromedp.CSS(`#error`)))
	if msg := b.text(`#error`); !strings.Contains(msg, "本机关尚未设置印章") {
		t.Fatalf("issuing without a seal says %q", msg)
	}
	run("sign out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	seal := filepath.Join(t.TempDir(), "seal.png")
	if err := os.WriteFile(seal, render.SampleSeal(), 0o644); err != nil {
		t.Fatal(err)
	}
	notPNG := filepath.Join(t.TempDir(), "seal.png")
	if err := os.WriteFile(notPNG, []byte("GIF89a not a png"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.signIn(base, "admin", testAdminPassword)
	run("open the authority page",
		chromedp.Click(chromedp.CSS(`#nav-admin`)),
		chromedp.WaitVisible(chromedp.CSS(`#nav-authorities`)),
		chromedp.Click(chromedp.CSS(`#nav-authorities`)),
		chromedp.WaitVisible(chromedp.CSS(`#authorities`)),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#edit-authority-%d`, authID))),
		chromedp.WaitVisible(chromedp.CSS(`#no-seal`)))
	run("a file that is no PNG is refused, the typed values kept",
		chromedp.SetValue(chromedp.CSS(`#a-phone`), "0571-88886666"),
		chromedp.SetUploadFiles(chromedp.CSS(`#a-seal`), []string{notPNG}),
		chromedp.Click(chromedp.CSS(`#authority-save`)),
		chromedp.WaitVisible(chromedp.CSS(`#error`)))
	if msg := b.text(`#authority-form`); !strings.Contains(msg, "PNG") {
		t.Errorf("a GIF as seal: the form says %q", msg)
	}
	if v, err := chromedp.Run(step(t, ctx), chromedp.Value(chromedp.CSS(`#a-phone`))); err != nil || v != "0571-88886666" {
		t.Errorf("typed phone not kept: %q (%v)", v, err)
	}
	run("upload the seal",
		chromedp.SetUploadFiles(chromedp.CSS(`#a-seal`), []string{seal}),
		chromedp.Click(chromedp.CSS(`#authority-save`)),
		chromedp.WaitVisible(chromedp.CSS(`#seal-image`)),
		chromedp.WaitVisible(chromedp.CSS(`#flash`)))
	natural, err := chromedp.Run(step(t, ctx), chromedp.Poll[int](`document.querySelector('#seal-image').complete && document.querySelector('#seal-image').naturalWidth`))
	if err != nil || natural != 320 {
		t.Errorf("seal image width %d (%v), want the uploaded 320", natural, err)
	}
	screenshot(t, ctx, "admin-authority")
	got, err := e.store.Authority(context.Background(), authID)
	if err != nil || got.Phone != "0571-88886666" || len(got.SealPNG) == 0 {
		t.Fatalf("stored authority: phone %q, seal %d bytes (%v)", got.Phone, len(got.SealPNG), err)
	}
	// The preview is the real renderer's sample letter with this seal.
	w := newWebClient(t, base)
	w.login("admin", testAdminPassword)
	st, pdf, h := w.get(fmt.Sprintf("/admin/authorities/%d/preview.pdf", authID))
	if st != 200 || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF") || !strings.Contains(pdf, "/Subtype /Image") {
		t.Errorf("preview: %d %s, %d bytes, image %t", st, h.Get("Content-Type"), len(pdf), strings.Contains(pdf, "/Subtype /Image"))
	}
	// A specimen: watermarked, no number, no QR code to verify.
	if pt := strings.Join(strings.Fields(pdfText(t, []byte(pdf))), ""); !strings.Contains(pt, "样稿") || strings.Contains(pt, "处罚〔") || strings.Contains(pt, "扫码核验") {
		t.Errorf("the seal preview could pass for an issued decision: %.300s", pt)
	}
	run("sign out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	b.signIn(base, "u-clerk", "password-clerk")
	run("issue with the seal",
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", base, caseID)),
		chromedp.WaitVisible(chromedp.CSS(issue)),
		chromedp.Click(chromedp.CSS(issue)),
		chromedp.WaitVisible(chromedp.CSS(`#issued-number`)))
}

// TestBrowserDeactivateUser: an officer is signed in in one browser
// context; the admin deactivates them in another; the officer's next click
// lands on the sign-in page, and signing in again fails. Reactivated,
// they sign in again.
func TestBrowserDeactivateUser(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, envDB.SQLite(t))
	base := e.srv.URL
	officerCtx, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	o := tab{t, officerCtx}
	o.signIn(base, "u-officer", "password-officer")
	o.run("the officer works", chromedp.Navigate(base+"/cases"), chromedp.WaitVisible(chromedp.CSS(`#nav-new`)))

	a := tab{t, ctx}
	a.run("desktop size", chromedp.EmulateViewport(1280, 900))
	a.signIn(base, "admin", testAdminPassword)
	u := userNamed(t, e, "u-officer")
	a.run("deactivate the officer",
		chromedp.Navigate(base+"/admin/users"),
		chromedp.WaitVisible(chromedp.CSS(`#users`)),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/admin/users/%d"]`, u.ID))),
		chromedp.WaitVisible(chromedp.CSS(`#user-deactivate`)),
		chromedp.Click(chromedp.CSS(`#user-deactivate`)),
		chromedp.WaitVisible(chromedp.CSS(`#user-reactivate`)))
	if msg := a.text(`#flash`); !strings.Contains(msg, "已停用") {
		t.Errorf("flash %q", msg)
	}

	o.run("the officer's next click", chromedp.Click(chromedp.CSS(`#nav-new`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	o.run("signing in again fails",
		chromedp.SendKeys(chromedp.CSS(`#username`), "u-officer"),
		chromedp.SendKeys(chromedp.CSS(`#password`), "password-officer"),
		chromedp.Submit(chromedp.CSS(`#login-form`)),
		chromedp.WaitVisible(chromedp.CSS(`#error`)))

	a.run("reactivate", chromedp.Click(chromedp.CSS(`#user-reactivate`)), chromedp.WaitVisible(chromedp.CSS(`#user-deactivate`)))
	o.signIn(base, "u-officer", "password-officer")
}

// userNamed is the user of that name.
func userNamed(t *testing.T, e *testEnv, name string) models.User {
	t.Helper()
	us, err := e.store.ListUsers(context.Background(), models.Everything)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if u.Username == name {
			return u
		}
	}
	t.Fatalf("no user %s", name)
	return models.User{}
}

// TestBrowserAdminPages: the audit log with its chain check, the password
// page a reset user meets, and the 404 page, as pictures for docs/ui.
func TestBrowserAdminPages(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, envDB.SQLite(t))
	base := e.srv.URL
	caseID := newPenaltyCase(t, e)
	e.moveToApproved(t, caseID, "advance_notice")
	b := tab{t, ctx}
	run := b.run
	run("desktop size", chromedp.EmulateViewport(1280, 900))
	b.signIn(base, "admin", testAdminPassword)
	run("the audit log, filtered by the case, and the chain check",
		chromedp.Navigate(base+"/admin/audit"),
		chromedp.WaitVisible(chromedp.CSS(`#audit-filter`)),
		chromedp.SetValue(chromedp.CSS(`#f-case`), fmt.Sprint(caseID)),
		chromedp.Click(chromedp.CSS(`#audit-search`)),
		chromedp.WaitVisible(chromedp.CSS(`#audit`)),
		chromedp.Click(chromedp.CSS(`#audit-check-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#audit-check-ok`)))
	screenshot(t, ctx, "admin-audit")
	run("a page that does not exist",
		chromedp.Navigate(base+"/no-such-page"),
		chromedp.WaitVisible(chromedp.CSS(`#error`)))
	if msg := b.text(`h1`); msg != "页面不存在" {
		t.Errorf("404 page title %q", msg)
	}
	screenshot(t, ctx, "not-found")

	officerID := userNamed(t, e, "u-officer").ID
	run("reset the officer's password",
		chromedp.Navigate(fmt.Sprintf("%s/admin/users/%d", base, officerID)),
		chromedp.WaitVisible(chromedp.CSS(`#user-reset-submit`)),
		chromedp.Click(chromedp.CSS(`#user-reset-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#temp-password`)))
	temp := b.text(`#temp-password`)
	run("sign out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	run("the officer signs in with the temporary password",
		chromedp.SendKeys(chromedp.CSS(`#username`), "u-officer"),
		chromedp.SendKeys(chromedp.CSS(`#password`), temp),
		chromedp.Submit(chromedp.CSS(`#login-form`)),
		chromedp.WaitVisible(chromedp.CSS(`#must-change`)))
	screenshot(t, ctx, "account-password")
	run("and changes it",
		chromedp.SendKeys(chromedp.CSS(`#p-current`), temp),
		chromedp.SendKeys(chromedp.CSS(`#p-new`), "officer-new-1"),
		chromedp.SendKeys(chromedp.CSS(`#p-confirm`), "officer-new-1"),
		chromedp.Click(chromedp.CSS(`#password-save`)),
		chromedp.WaitVisible(chromedp.CSS(`#flash`)),
		chromedp.WaitVisible(chromedp.CSS(`#nav-new`)))
}
