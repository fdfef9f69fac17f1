package casework

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"penaltydoc/casework/smtptest"
	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
)

// TestCheckEvidence: the type comes from the content; a name that says
// another type, anything but PDF, JPEG and PNG, empty and oversized files
// are refused in Chinese.
func TestCheckEvidence(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	exe := []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{'x'}, MaxEvidenceSize)...)
	for _, tc := range []struct {
		name string
		data []byte
		mime string // "" refused
		msg  string
	}{
		{"合同.pdf", pdf, "application/pdf", ""},
		{"现场照片.PNG", png, "image/png", ""},
		{"receipt.jpeg", jpeg, "image/jpeg", ""},
		{"IMG_0001.JPG", jpeg, "image/jpeg", ""},
		{"scan.pdf", png, "", "扩展名与内容不符（内容为PNG图片）"},
		{"photo.png", jpeg, "", "扩展名与内容不符"},
		{"invoice.jpg", exe, "", "不是PDF、JPEG或PNG文件"},
		{"setup.exe", exe, "", "不是PDF、JPEG或PNG文件"},
		{"anim.png", []byte("GIF89a\x01\x00"), "", "不是PDF、JPEG或PNG文件"},
		{"noext", pdf, "", "扩展名与内容不符"},
		{"empty.pdf", nil, "", "空文件"},
		{"big.pdf", big, "", "超过10 MB"},
		{"edge.pdf", big[:MaxEvidenceSize], "application/pdf", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mime, err := CheckEvidence(tc.name, tc.data)
			if tc.mime != "" {
				if err != nil || mime != tc.mime {
					t.Fatalf("got %q %v, want %s", mime, err, tc.mime)
				}
				return
			}
			if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), tc.name) {
				t.Fatalf("got %q %v, want a refusal naming the file with %q", mime, err, tc.msg)
			}
		})
	}
}

// TestCheckPortal: the forms' checks, and the receipt hash covers the
// text and every file.
func TestCheckPortal(t *testing.T) {
	pdf := []byte("%PDF-1.4 a")
	files := make([]Upload, MaxEvidenceFiles+1)
	for i := range files {
		files[i] = Upload{Name: "a.pdf", Data: pdf}
	}
	for _, tc := range []struct {
		in    PortalInput
		field string
	}{
		{PortalInput{Kind: models.SubmitStatement}, "text"},
		{PortalInput{Kind: models.SubmitStatement, Text: "理由", Files: files}, "files"},
		{PortalInput{Kind: models.SubmitStatement, Text: "理由", Files: []Upload{{Name: "../../x.pdf", Data: []byte("MZ")}}}, "files"},
		{PortalInput{Kind: models.SubmitHearing}, "confirm"},
		{PortalInput{Kind: models.SubmitWaiver}, "confirm"},
		{PortalInput{Kind: models.SubmitConsent, Email: "a@example.test", EmailConfirm: "b@example.test", Confirmed: true}, "email_confirm"},
		{PortalInput{Kind: models.SubmitConsent, Email: "张三 <a@example.test>", EmailConfirm: "张三 <a@example.test>", Confirmed: true}, "email"},
		{PortalInput{Kind: models.SubmitConsent, Email: "a@example.test", EmailConfirm: "a@example.test"}, "confirm"},
	} {
		_, err := checkPortal(tc.in)
		var e *errs.Error
		if err == nil || !asFields(err, &e) || e.Fields[tc.field] == "" {
			t.Errorf("%+v: %v, want a message on %s", tc.in.Kind, err, tc.field)
		}
	}
	a, err := checkPortal(PortalInput{Kind: models.SubmitStatement, Text: " 理由 ", Files: []Upload{{Name: `C:\Users\张\a.pdf`, Data: pdf}}})
	if err != nil || len(a.Files) != 1 || a.Files[0].Name != "a.pdf" || a.Text != "理由" || len(a.SHA256) != 64 {
		t.Fatalf("%+v %v", a, err)
	}
	b, _ := checkPortal(PortalInput{Kind: models.SubmitStatement, Text: "理由", Files: []Upload{{Name: "a.pdf", Data: []byte("%PDF-1.4 b")}}})
	c, _ := checkPortal(PortalInput{Kind: models.SubmitStatement, Text: "理由", Files: []Upload{{Name: "a.pdf", Data: pdf}}})
	if a.SHA256 == b.SHA256 || a.SHA256 != c.SHA256 {
		t.Errorf("hashes %s %s %s: want one per content", a.SHA256, b.SHA256, c.SHA256)
	}
}

func asFields(err error, e **errs.Error) bool {
	x, ok := err.(*errs.Error)
	*e = x
	return ok
}

// emailWork is a case work service of e's store that sends e-mail to an
// SMTP server of the test's own.
func emailWork(t *testing.T, e *env) (*Service, *smtptest.Server) {
	mx := smtptest.Start(t)
	m, err := NewSMTPMailer(SMTPConfig{Host: mx.Host, Port: mx.Port, TLS: TLSNone, From: "送达 <service@penaltydoc.example>"})
	e.must(err)
	r, err := sharedRenderer()
	e.must(err)
	keys, err := models.NewAccessKeys(models.NewSecret())
	e.must(err)
	work, err := New(Config{Store: e.store, Renderer: r, BaseURL: "https://penaltydoc.example", Mailer: m, AccessKeys: keys})
	e.must(err)
	return work, mx
}

// approvedNotice is an approved advance notice of a new case made through
// work.
func approvedNotice(e *env, work *Service) (*models.Case, *DocumentView) {
	officer := e.as(rules.RoleOfficer)
	cs, err := work.CreateCase(context.Background(), officer, e.named(priceCase()))
	e.must(err)
	notice, err := work.Draft(context.Background(), officer, cs.ID, rules.KindAdvanceNotice)
	e.must(err)
	e.approve(notice.ID)
	return cs, notice
}

// issueNotice issues an advance notice of a new case through work.
func issueNotice(e *env, work *Service) (*models.Case, *DocumentView, *Issued) {
	cs, notice := approvedNotice(e, work)
	in, err := work.Issue(context.Background(), e.as(rules.RoleClerk), notice.ID)
	e.must(err)
	return cs, notice, in
}

// TestEmailService: with the party's consent the clerk serves the issued
// notice by e-mail through a real SMTP server: the message names the
// document and carries the link and the code, not the PDF; the service
// date is the acceptance, the answer period runs from it, and the new
// receipt keeps the proof. A wrong code sends nothing; a refused message
// serves nothing.
func TestEmailService(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.at("2026-11-02")
		work, mx := emailWork(t, e)
		officer, clerk := e.as(rules.RoleOfficer), e.as(rules.RoleClerk)
		cs, notice, in := issueNotice(e, work)

		if _, err := work.ServeByEmail(ctx, clerk, notice.ID, in.AccessCode); !errs.Is(err, errs.Conflict) {
			t.Fatalf("served without consent: %v", err)
		}
		_, err := work.RecordConsent(ctx, officer, cs.ID, ConsentInput{Email: "party@example.test", SignedDate: "2026-11-02"})
		e.must(err)
		if _, err := work.ServeByEmail(ctx, clerk, notice.ID, "AAAA-AAAA"); !errs.Is(err, errs.Invalid) {
			t.Fatalf("wrong code: %v", err)
		}
		if _, err := work.ServeByEmail(ctx, officer, notice.ID, in.AccessCode); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("an officer served: %v", err)
		}
		mx.Reject = true
		if _, err := work.ServeByEmail(ctx, clerk, notice.ID, in.AccessCode); !errs.Is(err, errs.Unavailable) || !strings.Contains(err.Error(), "未送达") {
			t.Fatalf("refused by the server: %v", err)
		}
		if d, _ := e.store.DocumentByID(ctx, models.Everything, notice.ID); d.Status != models.DocIssued {
			t.Fatalf("document %s after a refused message", d.Status)
		}
		mx.Reject = false
		if n := len(mx.Messages()); n != 0 {
			t.Fatalf("%d messages accepted before the service", n)
		}

		e.at("2026-11-03")
		out, err := work.ServeByEmail(ctx, clerk, notice.ID, strings.ToLower(in.AccessCode))
		e.must(err)
		msgs := mx.Messages()
		if len(msgs) != 1 {
			t.Fatalf("%d messages", len(msgs))
		}
		msg, body := msgs[0], msgs[0].Body()
		for _, want := range []string{*in.Number, "行政处罚事先告知书", in.AccessCode, "https://penaltydoc.example/public/download", "party@example.test", "送达日期"} {
			if !strings.Contains(body, want) {
				t.Errorf("message lacks %q:\n%s", want, body)
			}
		}
		if strings.Contains(string(msg.Raw), "%PDF") || strings.Contains(msg.Header("Content-Type"), "multipart") {
			t.Errorf("the message carries the PDF: %s", msg.Header("Content-Type"))
		}
		if !strings.Contains(msg.Header("Subject"), *in.Number) || msg.To[0] != "party@example.test" {
			t.Errorf("subject %q to %v", msg.Header("Subject"), msg.To)
		}
		p := out.Proof
		if p.MessageID == "" || "<"+p.MessageID+">" != msg.Header("Message-Id") || !strings.Contains(p.ServerReply, "queued") || p.ServedDate != "2026-11-03" {
			t.Errorf("proof %+v (message id %s)", p, msg.Header("Message-Id"))
		}
		if out.Status != models.DocServed || out.ServedDate != "2026-11-03" || out.ServiceMethod != "电子送达" ||
			out.Deadlines == nil || out.Deadlines.AnswerDue != "2026-11-10" {
			t.Errorf("served %+v deadlines %+v", out.Document, out.Deadlines)
		}
		rc, err := e.store.DocumentPDF(ctx, models.Everything, out.ReceiptID)
		e.must(err)
		var data render.Data
		e.must(json.Unmarshal([]byte(rc.DataJSON), &data))
		if rc.Kind != rules.KindServiceReceipt || !strings.HasPrefix(string(rc.PDF), "%PDF") || data.Service.Method != "电子送达" ||
			!strings.Contains(data.Service.Note, p.MessageID) || !strings.Contains(data.Service.Note, p.ServerReply) || data.AccessCode != "" {
			t.Errorf("receipt %s note %q code %q", rc.Kind, data.Service.Note, data.AccessCode)
		}
		if c := CheckSignature(rc.PDF); !c.Valid { // signed like every issued document
			t.Errorf("the electronic service receipt's signature: %+v", c)
		}
		if os.Getenv("PORTAL_RECEIPT") != "" {
			_ = os.WriteFile(os.Getenv("PORTAL_RECEIPT"), rc.PDF, 0o644)
		}
		if _, err := work.ServeByEmail(ctx, clerk, notice.ID, in.AccessCode); !errs.Is(err, errs.Conflict) {
			t.Errorf("served twice: %v", err)
		}
		if len(mx.Messages()) != 1 {
			t.Errorf("a second message went out")
		}

		// The portal opens with the notice's number and code, never with a
		// decision's.
		if _, _, err := work.OpenPortal(ctx, Public("10.1.1.1"), *in.Number, in.AccessCode); err != nil {
			t.Fatalf("open the portal: %v", err)
		}
		_, err = work.RecordStatement(ctx, officer, cs.ID, StatementInput{Waived: true})
		e.must(err)
		dec, err := work.Draft(ctx, officer, cs.ID, rules.KindPenaltyDecision)
		e.must(err)
		e.approve(dec.ID)
		di, err := work.Issue(ctx, clerk, dec.ID)
		e.must(err)
		if _, _, err := work.OpenPortal(ctx, Public("10.1.1.1"), *di.Number, di.AccessCode); !errs.Is(err, errs.NotFound) || !strings.Contains(err.Error(), "事先告知书") {
			t.Errorf("a decision opened the portal: %v", err)
		}
	})
}

// TestSMTPModes: go-mail speaks STARTTLS and implicit TLS with
// authentication to a real server, and refuses a plain server when
// STARTTLS is required; a wrong password sends nothing.
func TestSMTPModes(t *testing.T) {
	for _, tc := range []struct {
		server, mode, password string
		ok                     bool
	}{
		{"starttls", TLSStartTLS, "secret", true},
		{"tls", TLSImplicit, "secret", true},
		{"starttls", TLSStartTLS, "wrong", false},
		{"none", TLSStartTLS, "", false}, // STARTTLS required, not offered
	} {
		t.Run(tc.server+"-"+tc.mode+"-"+tc.password, func(t *testing.T) {
			var mx *smtptest.Server
			if tc.server == "none" {
				mx = smtptest.Start(t)
			} else {
				mx = smtptest.StartTLS(t, tc.server, "clerk", "secret")
			}
			cfg := SMTPConfig{Host: mx.Host, Port: mx.Port, TLS: tc.mode, From: "service@penaltydoc.example", Timeout: 5 * time.Second}
			if tc.password != "" {
				cfg.User, cfg.Password = "clerk", tc.password
			}
			if mx.Roots != nil {
				cfg.TLSConfig = &tls.Config{RootCAs: mx.Roots, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
			}
			m, err := NewSMTPMailer(cfg)
			if err != nil {
				t.Fatal(err)
			}
			sent, err := m.Send(context.Background(), Mail{To: "p@example.test", Subject: "送达", Body: "正文"})
			if tc.ok != (err == nil) || tc.ok != (len(mx.Messages()) == 1) {
				t.Fatalf("sent %+v err %v, %d messages received; want ok=%v", sent, err, len(mx.Messages()), tc.ok)
			}
			if tc.ok && (sent.MessageID == "" || !strings.Contains(sent.Reply, "queued") || mx.Messages()[0].Body() != "正文") {
				t.Errorf("sent %+v body %q", sent, mx.Messages()[0].Body())
			}
		})
	}
	if _, err := NewSMTPMailer(SMTPConfig{Host: "h", From: "a@b", TLS: "ssl"}); err == nil {
		t.Error("an unknown TLS mode was accepted")
	}
}
