package main

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"penaltydoc/casework"
	"penaltydoc/models/dbtest"
)

// postMultipart posts fields and one file (field, bytes) as
// multipart/form-data, with the bearer token when given.
func (e *testEnv) postMultipart(path, token string, fields map[string]string, field string, file []byte, accept string) (int, []byte) {
	e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if field != "" {
		fw, _ := w.CreateFormFile(field, "upload.bin")
		_, _ = fw.Write(file)
	}
	_ = w.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// TestVerifySignature: an issued decision carries a valid signature (our
// check, pdfsig), the verify page and JSON say so and mark the test
// certificate; the page's check accepts the stored bytes and refuses a
// copy with one byte changed.
func TestVerifySignature(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		doc := issueDecision(t, e)
		_, stored, _ := e.do("GET", e.docPath(doc.ID, "pdf"), e.tokens[clerk], nil)
		if c := casework.CheckSignature(stored); !c.Valid || !c.TestCertificate {
			t.Fatalf("stored decision: %+v", c)
		}
		_, receipt, _ := e.do("GET", e.docPath(doc.ReceiptID, "pdf"), e.tokens[clerk], nil)
		if c := casework.CheckSignature(receipt); !c.Valid {
			t.Fatalf("stored receipt: %+v", c)
		}
		if path, err := exec.LookPath("pdfsig"); err != nil {
			t.Log("pdfsig not installed (poppler-utils): second check skipped")
		} else {
			f := t.TempDir() + "/d.pdf"
			if err := os.WriteFile(f, stored, 0o600); err != nil {
				t.Fatal(err)
			}
			out, _ := exec.Command(path, f).CombinedOutput()
			if !strings.Contains(string(out), "Signature is Valid") || !strings.Contains(string(out), "示例县公安局") {
				t.Errorf("pdfsig:\n%s", out)
			}
		}
		token := doc.VerifyURL[strings.LastIndex(doc.VerifyURL, "/")+1:]
		st, page, _ := e.do("GET", "/verify/"+token, "", nil)
		for _, want := range []string{`id="signature" class="warn">有效（测试证书）`, `test-certificate">`, "测试证书", `id="check-form"`} {
			if st != 200 || !strings.Contains(string(page), want) {
				t.Fatalf("verify page: %d, want %q in\n%s", st, want, page)
			}
		}
		req, _ := http.NewRequest("GET", e.srv.URL+"/verify/"+token, nil)
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var v casework.Verification
		decodeJSON(t, resp, &v)
		if !v.Signature.Valid || v.Signature.Signer != "示例县公安局" || !v.Signature.TestCertificate || v.Signature.SignedAt == "" {
			t.Fatalf("verify JSON signature %+v", v.Signature)
		}

		st, page = e.postMultipart("/verify/"+token+"/check", "", nil, "file", stored, "")
		if st != 200 || !strings.Contains(string(page), "一致：该文件与签发的文书完全相同，数字签名完好；签名所用的是系统自动生成的测试证书") {
			t.Fatalf("check of the stored bytes: %d\n%s", st, page)
		}
		changed := bytes.Clone(stored)
		changed[len(changed)/3] ^= 0x01
		st, page = e.postMultipart("/verify/"+token+"/check", "", nil, "file", changed, "")
		if st != 200 || !strings.Contains(string(page), "不一致") {
			t.Fatalf("check of a changed copy: %d\n%s", st, page)
		}
		var fc casework.FileCheck
		st, body := e.postMultipart("/verify/"+token+"/check", "", nil, "file", changed, "application/json")
		if err := json.Unmarshal(body, &fc); st != 200 || err != nil || fc.SameBytes || fc.Signature.Valid {
			t.Fatalf("JSON check of a changed copy: %d %s", st, body)
		}
		if st, _ := e.postMultipart("/verify/"+token+"/check", "", nil, "", nil, ""); st != 400 {
			t.Errorf("no file: %d", st)
		}
		if st, _ := e.postMultipart("/verify/"+strings.Repeat("x", 32)+"/check", "", nil, "file", stored, ""); st != 404 {
			t.Errorf("unknown token: %d", st)
		}
	})
}

// testP12 is a PKCS #12 file of a new RSA key and its certificate for cn.
func testP12(t *testing.T, cn, password string) ([]byte, *rsa.PrivateKey) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().AddDate(-1, 0, 0), NotAfter: time.Now().AddDate(5, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	p12, err := pkcs12.Modern.Encode(key, cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	return p12, key
}

// TestSigningKeyUpload: the admin's PKCS #12 upload (API and page): a
// wrong password refused in Chinese, the right one signs what is issued
// next; the key appears in no answer.
func TestSigningKeyUpload(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		const cn = "示例县公安局（正式证书）"
		p12, key := testP12(t, cn, "secret-pw")
		secrets := []string{hex.EncodeToString(key.D.Bytes()), base64.StdEncoding.EncodeToString(key.D.Bytes()),
			base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PrivateKey(key))[:64], "secret-pw"}
		noSecret := func(what string, b []byte) {
			t.Helper()
			for _, s := range secrets {
				if strings.Contains(string(b), s) {
					t.Fatalf("%s shows the key or its password", what)
				}
			}
		}
		var authID uint
		doc := issueDecisionAfter(t, e, func(caseID uint) {
			var cs struct {
				AuthorityID uint `json:"authority_id"`
			}
			e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d", caseID), e.tokens[officer], nil, 200, &cs)
			authID = cs.AuthorityID
			path := fmt.Sprintf("/api/v1/authorities/%d/signing", authID)
			st, body := e.postMultipart(path, e.tokens["admin"], map[string]string{"password": "wrong"}, "p12", p12, "")
			if st != 422 || !strings.Contains(string(body), "证书密码错误") {
				t.Fatalf("wrong password: %d %s", st, body)
			}
			if st, _ := e.postMultipart(path, e.tokens[clerk], map[string]string{"password": "secret-pw"}, "p12", p12, ""); st != 403 {
				t.Fatalf("a clerk uploads: %d", st)
			}
			st, body = e.postMultipart(path, e.tokens["admin"], map[string]string{"password": "secret-pw"}, "p12", p12, "")
			if st != 200 || !strings.Contains(string(body), cn) || strings.Contains(string(body), "sealed") {
				t.Fatalf("upload: %d %s", st, body)
			}
			noSecret("the upload's answer", body)
			_, body, _ = e.do("GET", path, e.tokens["admin"], nil)
			noSecret("GET signing", body)
			if !strings.Contains(string(body), `"self_signed":false`) {
				t.Fatalf("GET signing: %s", body)
			}
		})
		_, stored, _ := e.do("GET", e.docPath(doc.ID, "pdf"), e.tokens[clerk], nil)
		if c := casework.CheckSignature(stored); !c.Valid || c.Signer != cn || c.TestCertificate {
			t.Fatalf("signed after the upload: %+v", c)
		}
		token := doc.VerifyURL[strings.LastIndex(doc.VerifyURL, "/")+1:]
		_, page, _ := e.do("GET", "/verify/"+token, "", nil)
		noSecret("the verify page", page)
		if strings.Contains(string(page), "测试证书") || !strings.Contains(string(page), cn) {
			t.Fatalf("verify page after the upload:\n%s", page)
		}

		// The admin page: the certificate shown and downloadable, a wrong
		// password refused on the page.
		w := e.signIn(t, "admin")
		st, html, _ := w.get(fmt.Sprintf("/admin/authorities/%d", authID))
		if st != 200 || !strings.Contains(html, cn) || !strings.Contains(html, `id="signing-form"`) {
			t.Fatalf("authority page: %d", st)
		}
		noSecret("the authority page", []byte(html))
		st, pemText, _ := w.get(fmt.Sprintf("/admin/authorities/%d/certificate.pem", authID))
		if st != 200 || !strings.Contains(pemText, "BEGIN CERTIFICATE") || strings.Contains(pemText, "PRIVATE") {
			t.Fatalf("certificate download: %d %s", st, pemText)
		}
		st, html, _ = w.postMultipart(fmt.Sprintf("/admin/authorities/%d/signing", authID), url.Values{"password": {"nope"}}, "p12", "a.p12", p12)
		if st != 422 || !strings.Contains(html, "证书密码错误") {
			t.Fatalf("page upload with a wrong password: %d", st)
		}
		st, _, h := w.postMultipart(fmt.Sprintf("/admin/authorities/%d/signing", authID), url.Values{"password": {"secret-pw"}}, "p12", "a.p12", p12)
		if st != 303 {
			t.Fatalf("page upload: %d", st)
		}
		if st, html, _ = w.get(h.Get("Location")); st != 200 || !strings.Contains(html, "签名证书已上传") {
			t.Fatalf("page after the upload: %d", st)
		}
		noSecret("the page after the upload", []byte(html))
	})
}

// TestVerifyCheckConcurrency: the uploaded copies checked at once are
// bounded (each may hold 20 MB and more in memory): with one slot, a
// second upload while the first is still arriving is refused with 429 and
// a Chinese message, and served again once the first is done.
func TestVerifyCheckConcurrency(t *testing.T) {
	db := dbtest.SQLite(t)
	held := make(chan struct{}, 8)
	e := newEnvWith(t, db, func(d *Deps) { d.MaxFileChecks = 1; d.checkHeld = func() { held <- struct{}{} } })
	doc := issueDecision(t, e)
	_, stored, _ := e.do("GET", e.docPath(doc.ID, "pdf"), e.tokens[clerk], nil)
	token := doc.VerifyURL[strings.LastIndex(doc.VerifyURL, "/")+1:]

	// the first upload: its body arrives slowly (a pipe the test feeds)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "d.pdf")
	fw.Write(stored)
	mw.Close()
	pr, pw := io.Pipe()
	// Before the server's Close (cleanups run last first): a failed test
	// must not leave the handler waiting for the rest of the body.
	t.Cleanup(func() { pw.CloseWithError(errors.New("test over")) })
	req, _ := http.NewRequest("POST", e.srv.URL+"/verify/"+token+"/check", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	first := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	raw := body.Bytes()
	if _, err := pw.Write(raw[:100]); err != nil {
		t.Fatal(err)
	}
	select { // the first holds the slot (a check sent before could take it and make the first the one refused)
	case <-held:
	case <-time.After(30 * time.Second):
		t.Fatal("the first check did not take its slot")
	}
	st, page := e.postMultipart("/verify/"+token+"/check", "", nil, "file", stored, "application/json")
	if st != http.StatusTooManyRequests || !strings.Contains(string(page), "同时核对的文件较多") {
		t.Fatalf("second check while the first is arriving: %d %s, want 429 同时核对的文件较多", st, page)
	}
	if _, err := pw.Write(raw[100:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if st := <-first; st != 200 {
		t.Fatalf("first check: %d", st)
	}
	if st, page := e.postMultipart("/verify/"+token+"/check", "", nil, "file", stored, "application/json"); st != 200 {
		t.Fatalf("check after the first: %d %s", st, page)
	}
}
