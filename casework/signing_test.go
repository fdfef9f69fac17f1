package casework

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

// signingAdmin is the deployment's admin.
var signingAdmin = Actor{Username: "admin", Roles: []string{rules.RoleAdmin}, Scope: models.Everything}

// pdfcpuTrust gives pdfcpu an empty trusted-certificate folder (the
// package turns its configuration folder off).
var pdfcpuTrust sync.Once

// pdfsig checks file's signature with poppler's pdfsig; it answers
// pdfsig's output, and whether pdfsig is installed.
func pdfsig(t *testing.T, file []byte) (string, bool) {
	t.Helper()
	path, err := exec.LookPath("pdfsig")
	if err != nil {
		t.Log("pdfsig not installed (poppler-utils): the second signature check is skipped")
		return "", false
	}
	f := t.TempDir() + "/doc.pdf"
	if err := os.WriteFile(f, file, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(path, f).CombinedOutput() // exits non-zero on a bad signature
	return string(out), true
}

// pdfcpuStatus is pdfcpu's verdict on file's signatures.
func pdfcpuStatus(t *testing.T, file []byte) []model.SignatureStatus {
	t.Helper()
	pdfcpuTrust.Do(func() {
		dir, err := os.MkdirTemp("", "pdfcpu-trust")
		if err != nil {
			t.Fatal(err)
		}
		model.TrustedCertDir = dir
	})
	conf := model.NewDefaultConfiguration()
	rs, err := api.ValidateSignaturesRaw(bytes.NewReader(file), true, conf)
	if err != nil {
		t.Logf("pdfcpu: %v", err)
		return nil
	}
	var st []model.SignatureStatus
	for _, r := range rs {
		st = append(st, r.Status)
		t.Logf("pdfcpu: %s %v", model.SignatureStatusStrings[r.Status], r.Problems)
	}
	return st
}

// issueSigned issues an advance notice (with its receipt) and answers the
// stored document and receipt.
func issueSigned(t *testing.T, e *env) (*models.Document, *models.Document) {
	ctx := context.Background()
	e.at("2026-11-02")
	officer, clerk := e.as(rules.RoleOfficer), e.as(rules.RoleClerk)
	cs, err := e.work.CreateCase(ctx, officer, e.named(priceCase()))
	e.must(err)
	notice, err := e.work.Draft(ctx, officer, cs.ID, rules.KindAdvanceNotice)
	e.must(err)
	e.approve(notice.ID)
	iss, err := e.work.Issue(ctx, clerk, notice.ID)
	e.must(err)
	doc, err := e.store.DocumentPDF(ctx, models.Everything, notice.ID)
	e.must(err)
	rc, err := e.store.DocumentPDF(ctx, models.Everything, iss.ServiceReceiptID)
	e.must(err)
	return doc, rc
}

func TestIssuedDocumentsAreSigned(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		doc, rc := issueSigned(t, e)
		au, err := e.store.Authority(ctx, doc.AuthorityID)
		e.must(err)
		for name, d := range map[string]*models.Document{"document": doc, "receipt": rc} {
			c := CheckSignature(d.PDF)
			if !c.Valid || c.Signer != au.Name || !c.TestCertificate {
				t.Fatalf("%s: signature %+v, want valid, by %s, test certificate", name, c, au.Name)
			}
			if want := doc.IssuedAt.In(rules.China).Format("2006-01-02 15:04:05"); c.SignedAt != want {
				t.Errorf("%s: signed at %s, want the issue time %s", name, c.SignedAt, want)
			}
			if out, ok := pdfsig(t, d.PDF); ok && !strings.Contains(out, "Signature is Valid") {
				t.Errorf("%s: pdfsig does not find a valid signature:\n%s", name, out)
			}
			for _, st := range pdfcpuStatus(t, d.PDF) {
				if st == model.SignatureStatusInvalid {
					t.Errorf("%s: pdfcpu finds the signature invalid", name)
				}
			}
		}

		// Reproducible: the render's bytes (the stored file before its
		// incremental update) signed again at the issue time are the
		// stored file.
		if !resigns(e, au, doc) {
			t.Error("signing the rendered bytes again at the issue time does not give the stored bytes")
		}

		// The verify page checks the stored bytes and an uploaded copy.
		v, err := e.work.Verify(ctx, *doc.VerifyToken)
		e.must(err)
		if !v.Signature.Valid || v.Signature.Signer != au.Name || !v.Signature.TestCertificate {
			t.Fatalf("verify: signature %+v", v.Signature)
		}
		_, fc, err := e.work.CheckFile(ctx, *doc.VerifyToken, doc.PDF)
		e.must(err)
		if !fc.SameBytes || !fc.Signature.Valid || !fc.SameSigner {
			t.Fatalf("the stored bytes checked as a file: %+v", fc)
		}
		changed := bytes.Clone(doc.PDF)
		i := bytes.Index(changed, []byte("/Producer")) // a byte the signature covers
		if i < 0 {
			i = 100
		}
		changed[i+1] ^= 0x20
		_, fc, err = e.work.CheckFile(ctx, *doc.VerifyToken, changed)
		e.must(err)
		if fc.SameBytes || fc.Signature.Valid || !strings.HasPrefix(fc.Verdict, "不一致") {
			t.Fatalf("a copy with a byte changed: %+v", fc)
		}
		if out, ok := pdfsig(t, changed); ok && strings.Contains(out, "Signature is Valid") {
			t.Errorf("pdfsig finds the changed copy valid:\n%s", out)
		}
		for _, st := range pdfcpuStatus(t, changed) {
			if st != model.SignatureStatusInvalid {
				t.Error("pdfcpu does not find the changed copy invalid")
			}
		}
		appended := append(bytes.Clone(doc.PDF), []byte("\n% appended\n")...)
		if c := CheckSignature(appended); c.Valid {
			t.Errorf("a copy with bytes appended checks valid: %+v", c)
		}
		if c := CheckSignature([]byte("%PDF-1.4 not signed")); c.Signed || c.Valid {
			t.Errorf("an unsigned file: %+v", c)
		}
	})
}

// TestSigningIsDeterministic: the same bytes, key and issue time sign to
// the same bytes; another time to others.
func TestSigningIsDeterministic(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		au, err := e.store.Authority(ctx, e.actors[rules.RoleClerk].Home())
		e.must(err)
		unsigned, err := e.work.AuthorityPreview(ctx, signingAdmin, au.ID)
		e.must(err)
		e.at("2026-11-02")
		at := e.now
		a, err := e.work.signPDF(ctx, au, unsigned, at)
		e.must(err)
		e.work.signers.m.Clear() // opened again from the database
		b, err := e.work.signPDF(ctx, au, unsigned, at)
		e.must(err)
		if !bytes.Equal(a, b) {
			t.Fatal("signing the same bytes with the same key at the same time gave different bytes")
		}
		c, err := e.work.signPDF(ctx, au, unsigned, at.Add(time.Second))
		e.must(err)
		if bytes.Equal(a, c) {
			t.Fatal("another signing time gave the same bytes")
		}
		if !CheckSignature(a).Valid {
			t.Fatal("not valid")
		}
	})
}

// testPKCS12 makes a PKCS #12 file of a new RSA key and a certificate for
// cn, valid from a year ago for ten years.
func testPKCS12(t *testing.T, cn, password string) []byte {
	return pkcs12Until(t, cn, password, time.Now().AddDate(-1, 0, 0), time.Now().AddDate(10, 0, 0))
}

// pkcs12Until is a PKCS #12 file of a new RSA key whose certificate for
// cn is valid from from to until.
func pkcs12Until(t *testing.T, cn, password string, from, until time.Time) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return pkcs12Of(t, key, cn, password, from, until)
}

// pkcs12Of is a PKCS #12 file of key and a self-signed certificate for cn
// valid from from to until.
func pkcs12Of(t *testing.T, key crypto.Signer, cn, password string, from, until time.Time) []byte {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: cn, Organization: []string{cn}},
		NotBefore: from, NotAfter: until, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	p12, err := pkcs12.Modern.Encode(key, cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	return p12
}

func TestUploadSigningKey(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin := signingAdmin
		id := e.actors[rules.RoleClerk].Home()
		const cn = "某市市场监督管理局（电子签名）"
		p12 := testPKCS12(t, cn, "right-password")
		if _, err := e.work.UploadSigningKey(ctx, admin, id, p12, "wrong-password"); !errs.Is(err, errs.Invalid) || err != ErrPKCS12Password {
			t.Fatalf("wrong password: %v, want %v", err, ErrPKCS12Password)
		}
		if _, err := e.work.UploadSigningKey(ctx, admin, id, []byte("not a p12"), "x"); err != ErrPKCS12Format {
			t.Fatalf("not a PKCS #12 file: %v", err)
		}
		if _, err := e.work.UploadSigningKey(ctx, e.as(rules.RoleClerk), id, p12, "right-password"); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a clerk uploads: %v", err)
		}
		k, err := e.work.UploadSigningKey(ctx, admin, id, p12, "right-password")
		e.must(err)
		if k.Subject != cn || k.SelfSigned || k.KeySealed != nil {
			t.Fatalf("uploaded: %+v", k)
		}
		row, err := e.store.SigningKey(ctx, id)
		e.must(err)
		if len(row.KeySealed) == 0 || bytes.Contains(row.KeySealed, row.CertDER[len(row.CertDER)-64:]) {
			t.Fatal("the key is not sealed")
		}
		js, err := json.Marshal(row)
		e.must(err)
		if strings.Contains(string(js), "key_sealed") || strings.Contains(string(js), "KeySealed") {
			t.Fatalf("the sealed key is in the JSON: %s", js)
		}
		doc, _ := issueSigned(t, e)
		c := CheckSignature(doc.PDF)
		if !c.Valid || c.Signer != cn || c.TestCertificate || c.Fingerprint != row.Fingerprint {
			t.Fatalf("signed with the uploaded key: %+v", c)
		}
		if out, ok := pdfsig(t, doc.PDF); ok && !strings.Contains(out, "Signature is Valid") {
			t.Errorf("pdfsig:\n%s", out)
		}
		got, err := e.work.SigningCertificate(ctx, admin, id)
		e.must(err)
		if got.KeySealed != nil || got.Fingerprint != row.Fingerprint {
			t.Fatalf("certificate facts: %+v", got)
		}
	})
}

// TestUploadECDSAKey: an ECDSA key signs (valid for our check, pdfsig and
// pdfcpu) and reproducibly (RFC 6979); a curve outside P-256/384/521, a
// short RSA key and a certificate of another key are refused.
func TestUploadECDSAKey(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		id := e.actors[rules.RoleClerk].Home()
		from, until := time.Now().AddDate(-1, 0, 0), time.Now().AddDate(5, 0, 0)
		refused := map[string]crypto.Signer{}
		p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
		e.must(err)
		refused["不支持该ECDSA曲线"] = p224
		rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
		e.must(err)
		refused["RSA密钥长度不足"] = rsa1024
		for want, key := range refused {
			_, err := e.work.UploadSigningKey(ctx, signingAdmin, id, pkcs12Of(t, key, "某局", "pw", from, until), "pw")
			if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), want) {
				t.Errorf("%T: %v, want %s", key, err, want)
			}
		}

		const cn = "某市市场监督管理局（ECDSA）"
		key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		e.must(err)
		row, err := e.work.UploadSigningKey(ctx, signingAdmin, id, pkcs12Of(t, key, cn, "pw", from, until), "pw")
		e.must(err)
		doc, rc := issueSigned(t, e)
		for name, d := range map[string]*models.Document{"document": doc, "receipt": rc} {
			c := CheckSignature(d.PDF)
			if !c.Valid || c.Signer != cn || c.TestCertificate || c.Fingerprint != row.Fingerprint {
				t.Fatalf("%s: signed with the uploaded ECDSA key: %+v", name, c)
			}
			if out, ok := pdfsig(t, d.PDF); ok && !strings.Contains(out, "Signature is Valid") {
				t.Errorf("%s: pdfsig:\n%s", name, out)
			}
			for _, st := range pdfcpuStatus(t, d.PDF) {
				if st == model.SignatureStatusInvalid {
					t.Errorf("%s: pdfcpu finds the signature invalid", name)
				}
			}
		}
		au, err := e.store.Authority(ctx, doc.AuthorityID)
		e.must(err)
		e.work.signers.m.Clear() // the key opened again from its row
		if !resigns(e, au, doc) {
			t.Error("ECDSA: signing the rendered bytes again at the issue time does not give the stored bytes")
		}
	})
}

// resigns reports whether the render's bytes of issued doc (the stored
// file before its incremental update, with or without the newline after
// %%EOF) signed again by au at the issue time are the stored file.
func resigns(e *env, au *models.Authority, doc *models.Document) bool {
	eof := bytes.Index(doc.PDF, []byte("%%EOF")) + len("%%EOF")
	for _, end := range []int{eof, eof + 1} {
		again, err := e.work.signPDF(context.Background(), au, doc.PDF[:end], *doc.IssuedAt)
		e.must(err)
		if bytes.Equal(again, doc.PDF) {
			return true
		}
	}
	return false
}

// BenchmarkSignPDF is what signing adds to issuing one document: parse,
// incremental update, CMS with the test certificate's ECDSA P-256 key
// (docs/performance.md, sign and ecdsa).
func BenchmarkSignPDF(b *testing.B) {
	db := envDB.DSNs(b)[0]
	e := newEnv(b, db)
	ctx := context.Background()
	au, err := e.store.Authority(ctx, e.actors[rules.RoleClerk].Home())
	e.must(err)
	unsigned, err := e.work.AuthorityPreview(ctx, signingAdmin, au.ID)
	e.must(err)
	at := e.store.Now()
	if _, err := e.work.signPDF(ctx, au, unsigned, at); err != nil { // makes the test key
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(unsigned)))
	for b.Loop() {
		if _, err := e.work.signPDF(ctx, au, unsigned, at); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEmailServiceCertificateExpired: the e-mail service receipt is
// signed after the message went out; with a certificate that cannot sign
// any more, nothing is sent (before, the party got the message and the
// clerk an error that did not say so, and no record).
func TestEmailServiceCertificateExpired(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.at("2026-11-02")
		work, mx := emailWork(t, e)
		officer, clerk := e.as(rules.RoleOfficer), e.as(rules.RoleClerk)
		p12 := pkcs12Until(t, "某市市场监督管理局", "pw", e.now.AddDate(0, 0, -1), e.now.AddDate(0, 0, 3))
		_, err := work.UploadSigningKey(ctx, signingAdmin, clerk.Home(), p12, "pw")
		e.must(err)
		cs, notice, in := issueNotice(e, work)
		_, err = work.RecordConsent(ctx, officer, cs.ID, ConsentInput{Email: "party@example.test", SignedDate: "2026-11-02"})
		e.must(err)

		e.at("2026-11-06") // the certificate expired on the 5th
		_, err = work.ServeByEmail(ctx, clerk, notice.ID, in.AccessCode)
		if err == nil || !strings.Contains(err.Error(), "签名证书不在有效期内") {
			t.Fatalf("served with an expired certificate: %v", err)
		}
		if n := len(mx.Messages()); n != 0 {
			t.Fatalf("%d messages went out although the receipt cannot be signed", n)
		}
	})
}

// TestSigningKeyBoundToAuthority: an office's admin uploads for its own
// authority only, and a sealed key opens only as the key of the authority
// and certificate it was sealed for (a row copied to another authority,
// or given another certificate, does not open).
func TestSigningKeyBoundToAuthority(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.at("2026-11-02")
		home := e.actors[rules.RoleClerk].Home()
		other := &models.Authority{Name: "另一县公安局", ShortName: "另一公安", Domain: rules.DomainPublicSecurity,
			NumberPrefix: "另公（治）行罚决字", NoticePrefix: "另公（治）罚告字", ReconsiderationBody: "另一县人民政府",
			Court: "另一县人民法院", PaymentInstructions: "到指定银行缴纳"}
		e.must(e.store.CreateAuthority(ctx, other))
		officeAdmin := Actor{Username: "office-admin", Roles: []string{rules.RoleAdmin}, Scope: models.Scope{Authorities: []uint{home}}}
		p12 := pkcs12Until(t, "另一县公安局", "pw", e.now.AddDate(0, 0, -1), e.now.AddDate(1, 0, 0))
		if _, err := e.work.UploadSigningKey(ctx, officeAdmin, other.ID, p12, "pw"); err == nil {
			t.Fatal("an office's admin uploaded another authority's signing key")
		}
		if k, err := e.store.SigningKey(ctx, other.ID); err != nil || k != nil {
			t.Fatalf("the other authority's key: %+v %v", k, err)
		}
		_, err := e.work.UploadSigningKey(ctx, officeAdmin, home, p12, "pw")
		e.must(err)
		row, err := e.store.SigningKey(ctx, home)
		e.must(err)
		if _, err := e.work.openKey(row); err != nil {
			t.Fatalf("the key as sealed: %v", err)
		}
		moved := *row
		moved.AuthorityID = other.ID
		if _, err := e.work.openKey(&moved); err == nil {
			t.Error("a sealed key opened as another authority's")
		}
		recert := *row
		recert.Fingerprint = strings.Repeat("0", 64)
		if _, err := e.work.openKey(&recert); err == nil {
			t.Error("a sealed key opened under another certificate's fingerprint")
		}
	})
}

// TestIssueWithExpiredCertificate: an issue its authority's certificate
// cannot sign is refused before a number is taken (it was taken, the
// document left unissued, and with a certificate uploaded afterwards,
// valid only from then, the resumed issue could never be signed at the
// time of its number); with a new certificate the next number follows.
func TestIssueWithExpiredCertificate(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.at("2026-11-02")
		home := e.actors[rules.RoleClerk].Home()
		_, err := e.work.UploadSigningKey(ctx, signingAdmin, home, pkcs12Until(t, "某市市场监督管理局", "pw", e.now.AddDate(0, 0, -1), e.now.AddDate(0, 0, 3)), "pw")
		e.must(err)
		_, _, first := issueNotice(e, e.work)

		e.at("2026-11-06") // the certificate expired on the 5th
		clerk := e.as(rules.RoleClerk)
		_, notice := approvedNotice(e, e.work)
		if _, err := e.work.Issue(ctx, clerk, notice.ID); err == nil || !strings.Contains(err.Error(), "签名证书不在有效期内") {
			t.Fatalf("issued with an expired certificate: %v", err)
		}
		// (the reservations' created_at is the wall clock's, not the test's)
		if rs, err := e.store.PendingIssues(ctx, -365*24*time.Hour); err != nil || len(rs) != 0 {
			t.Errorf("numbers taken by the refused issue: %+v %v", rs, err)
		}
		e.at("2026-11-07") // the new certificate, valid from today
		_, err = e.work.UploadSigningKey(ctx, signingAdmin, home, pkcs12Until(t, "某市市场监督管理局", "pw", e.now.Add(-time.Hour), e.now.AddDate(1, 0, 0)), "pw")
		e.must(err)
		in, err := e.work.Issue(ctx, clerk, notice.ID)
		e.must(err)
		if in.Serial != first.Serial+1 {
			t.Errorf("serial %d after %d", in.Serial, first.Serial)
		}
		doc, err := e.store.DocumentPDF(ctx, models.Everything, notice.ID)
		e.must(err)
		if c := CheckSignature(doc.PDF); !c.Valid {
			t.Errorf("signature %+v", c)
		}
	})
}

// TestCertificatePEMMakesNoKey: downloading the certificate of an
// authority without one is not found and makes no key; after the first
// issue it is the test certificate's.
func TestCertificatePEMMakesNoKey(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		id := e.actors[rules.RoleClerk].Home()
		if _, err := e.work.SigningCertificatePEM(ctx, signingAdmin, id); !errs.Is(err, errs.NotFound) || !strings.Contains(err.Error(), "尚无签名证书") {
			t.Fatalf("certificate of an authority without one: %v", err)
		}
		if row, err := e.store.SigningKey(ctx, id); err != nil || row != nil {
			t.Fatalf("a GET made a key: %+v %v", row, err)
		}
		issueSigned(t, e)
		pemText, err := e.work.SigningCertificatePEM(ctx, signingAdmin, id)
		e.must(err)
		row, err := e.store.SigningKey(ctx, id)
		e.must(err)
		if b, _ := pem.Decode(pemText); b == nil || !bytes.Equal(b.Bytes, row.CertDER) {
			t.Fatalf("certificate after the first issue: %s", pemText)
		}
	})
}
