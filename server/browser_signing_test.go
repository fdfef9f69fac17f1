package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"penaltydoc/models"
)

// TestBrowserSignature walks the digital-signature pages as a newcomer:
// a citizen opens an issued decision's verify page (signature valid,
// signer marked as a test certificate), uploads the stored PDF (一致) and a
// changed copy (不一致); the admin uploads the authority's PKCS #12 with a
// wrong password (the Chinese error), then the right one (the new
// certificate's subject). Pictures: docs/ui/verify-signature.png and
// docs/ui/admin-signing.png.
func TestBrowserSignature(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t, envDB.SQLite(t))
	base := e.srv.URL
	doc := issueDecision(t, e)
	b := tab{t, ctx}
	run := b.run

	_, pdf, _ := e.do("GET", e.docPath(doc.ID, "pdf"), e.tokens[clerk], nil)
	dir := t.TempDir()
	same := filepath.Join(dir, "decision.pdf")
	changed := filepath.Join(dir, "changed.pdf")
	altered := bytes.Clone(pdf)
	altered[len(altered)/3] ^= 0x01
	if os.WriteFile(same, pdf, 0o644) != nil || os.WriteFile(changed, altered, 0o644) != nil {
		t.Fatal("write the copies")
	}
	token := doc.VerifyURL[strings.LastIndex(doc.VerifyURL, "/")+1:]
	run("open the verify page", chromedp.Navigate(base+"/verify/"+token), chromedp.WaitVisible(chromedp.CSS(`#signature`)))
	for sel, want := range map[string]string{
		`#signature`:          "有效",
		`#signer`:             "示例县公安局",
		`#test-certificate`:   "测试证书",
		`#signed-at`:          doc.IssueDate[:4],
		`#certificate-sha256`: "",
	} {
		if got := b.text(sel); !strings.Contains(got, want) || got == "" {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	// A test certificate's verdict must not read as an unqualified "valid",
	// nor tell the citizen what the authority should do.
	if v := b.text(`#verdict`); !strings.Contains(v, "测试证书") || !strings.Contains(v, "不具法律效力") || strings.Contains(v, "应上传") {
		t.Errorf("verdict under a test certificate: %q", v)
	}
	// Each of the two file inputs says what it does.
	for _, in := range []string{"file", "check-file"} {
		if got := b.text(`label[for="` + in + `"]`); got == "" {
			t.Errorf("no label for #%s", in)
		}
	}
	check := func(what, file, want string) {
		t.Helper()
		run(what,
			chromedp.Navigate(base+"/verify/"+token), // no #check-verdict of the last upload
			chromedp.WaitVisible(chromedp.CSS(`#check-form`)),
			chromedp.SetUploadFiles(chromedp.CSS(`#check-file`), []string{file}),
			chromedp.Click(chromedp.CSS(`#check-form button`)),
			chromedp.WaitVisible(chromedp.CSS(`#check-verdict`)))
		if got := b.text(`#check-verdict`); !strings.HasPrefix(got, want) {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
	}
	check("upload the changed copy", changed, "不一致")
	check("upload the stored PDF", same, "一致")
	if got := b.text(`#check-result`); !strings.Contains(got, "测试证书，不具法律效力") {
		t.Errorf("check result does not mark the test certificate: %q", got)
	}
	uiShot(t, ctx, "verify-signature")

	cs, err := e.store.CaseByID(context.Background(), models.Everything, doc.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	const cn = "示例县公安局（正式证书）"
	p12bytes, _ := testP12(t, cn, "secret-pw")
	p12 := filepath.Join(dir, "authority.p12")
	if err := os.WriteFile(p12, p12bytes, 0o644); err != nil {
		t.Fatal(err)
	}
	run("desktop size", chromedp.EmulateViewport(1280, 900))
	b.signIn(base, "admin", testAdminPassword)
	run("open the authority page",
		chromedp.Navigate(fmt.Sprintf("%s/admin/authorities/%d", base, cs.AuthorityID)),
		chromedp.WaitVisible(chromedp.CSS(`#signing-test`)))
	upload := func(what, password string, wait string) {
		t.Helper()
		run(what,
			chromedp.Navigate(fmt.Sprintf("%s/admin/authorities/%d", base, cs.AuthorityID)),
			chromedp.WaitVisible(chromedp.CSS(`#signing-form`)),
			chromedp.SetUploadFiles(chromedp.CSS(`#signing-form input[type=file]`), []string{p12}),
			chromedp.SetValue(chromedp.CSS(`#signing-form input[name=password]`), password),
			chromedp.Click(chromedp.CSS(`#signing-form button`)),
			chromedp.WaitVisible(chromedp.CSS(wait)))
	}
	if hint := b.text(`#signing-form`); !strings.Contains(hint, "此前已签发的文书保留原有签名") {
		t.Errorf("the upload form does not say what becomes of documents already issued: %q", hint)
	}
	upload("a wrong password", "wrong", `#signing-error`)
	if msg := b.text(`#signing-error`); !strings.Contains(msg, "证书密码错误") {
		t.Errorf("wrong password says %q", msg)
	}
	screenshot(t, ctx, "admin-signing-error")
	upload("the right password", "secret-pw", `#flash`)
	if got := b.text(`#signing-subject`); !strings.Contains(got, cn) || strings.Contains(got, "测试证书") {
		t.Errorf("subject after the upload %q", got)
	}
	// The certificate's facts are laid out as the other staff pages' facts.
	if got := b.text(`#signing dl.facts`); !strings.Contains(got, "有效期") {
		t.Errorf("certificate facts %q", got)
	}
	if msg := b.text(`#flash`); msg == "" {
		t.Error("no flash after the upload")
	}
	uiShot(t, ctx, "admin-signing")
}
