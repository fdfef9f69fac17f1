package casework

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
)

// Mail is one message to send.
type Mail struct {
	To, Subject, Body string
}

// Sent is what the mail server answered when it accepted a message.
type Sent struct {
	MessageID string
	Reply     string // the server's reply to the end of DATA
}

// A Mailer hands a message to a mail server and answers its acceptance.
type Mailer interface {
	Send(ctx context.Context, m Mail) (Sent, error)
}

// ErrNoMailer: the deployment has no mail server configured.
var ErrNoMailer = errs.E(errs.Conflict, "未配置邮件服务器（PENALTYDOC_SMTP_HOST），不能电子送达")

// EmailServed is an electronic service done: the document, the proof and
// the receipt that prints it.
type EmailServed struct {
	*DocumentView
	Proof     *models.EmailService
	ReceiptID uint
}

// ServeByEmail serves issued document id to the address the party
// confirmed (送达地址确认书): an e-mail that says what the document is and
// carries the download link and the access code (the clerk enters it from
// the printed receipt; it is checked against the document), never the
// PDF. The server's acceptance is the service date; its message id,
// reply and time go on the service record and on a new service receipt.
func (s *Service) ServeByEmail(ctx context.Context, a Actor, id uint, accessCode string) (*EmailServed, error) {
	d, consent, err := s.store.EmailConsent(ctx, a.Scope, id) // another office's document is missing, whatever else
	if err != nil {
		return nil, err
	}
	if s.mailer == nil {
		return nil, ErrNoMailer
	}
	if err := rules.MayDocument(a.staff(), rules.ActServe, models.DocState(d, nil)); err != nil {
		return nil, err
	}
	if d.Number == nil || d.Kind == rules.KindServiceReceipt {
		return nil, errs.E(errs.Conflict, "该文书不能电子送达")
	}
	if !s.codes.Check(d.AccessCodeHash, strings.TrimSpace(accessCode)) {
		return nil, errs.Field("access_code", "查询码与该文书不符，请核对送达回证上印制的查询码")
	}
	auth, err := s.store.Authority(ctx, d.AuthorityID)
	if err != nil {
		return nil, err
	}
	var data render.Data
	if err := json.Unmarshal([]byte(d.DataJSON), &data); err != nil {
		return nil, errs.Wrap(err, "decode render data of document %d", d.ID)
	}
	// The receipt is signed after the message went out: a key that
	// cannot sign now refuses before anything is sent.
	if _, err := s.signerAt(ctx, auth, s.store.Now()); err != nil {
		return nil, err
	}
	m := serviceMail(auth, d, data.Facts.Party.Name, consent, strings.ToUpper(strings.TrimSpace(accessCode)), s.DownloadURL(), s.verifyURL(d))
	sent, err := s.mailer.Send(ctx, m)
	if err != nil {
		s.store.FailedEmail(ctx, a.record(), d.ID, consent.Email, err.Error())
		return nil, errs.E(errs.Unavailable, "邮件服务器未接受该邮件，未送达：%s", err.Error())
	}
	at := s.store.Now()
	date := at.In(rules.China).Format("2006-01-02")
	sv := models.Service{Method: "电子送达", Date: date, Recipient: consent.Email, Place: "电子邮箱 " + consent.Email}
	rendered, err := s.emailReceipt(ctx, d, data, sv, consent, at.In(rules.China).Format("2006年1月2日15时04分05秒"), sent)
	if err != nil {
		return nil, err
	}
	if rendered.PDF, err = s.signPDF(ctx, auth, rendered.PDF, at); err != nil { // signed like every issued document
		return nil, fmt.Errorf("%w（邮件已由服务器接受，邮件标识%s，但送达回证未能签名、送达记录未能保存，请联系管理员）", err, sent.MessageID)
	}
	served, proof, err := s.store.ServeByEmail(ctx, a.record(), d.ID, models.EmailProof{Consent: consent, MessageID: sent.MessageID,
		Reply: sent.Reply, AcceptedAt: at, Service: sv, Receipt: rendered})
	if err != nil {
		// The message went out: say so, with its id, so the clerk can record it.
		return nil, fmt.Errorf("%w（邮件已由服务器接受，邮件标识%s，但送达记录未能保存，请联系管理员）", err, sent.MessageID)
	}
	v, err := s.view(ctx, a, served)
	if err != nil {
		return nil, err
	}
	return &EmailServed{DocumentView: v, Proof: proof, ReceiptID: proof.ReceiptID}, nil
}

// serviceMail is the message of an electronic service.
func serviceMail(auth *models.Authority, d *models.Document, party string, c *models.ServiceConsent, code, download, verify string) Mail {
	kind, number := rules.KindName(d.Kind), deref(d.Number)
	var b strings.Builder
	fmt.Fprintf(&b, "%s：\n\n", party)
	fmt.Fprintf(&b, "%s向您送达%s（文号：%s，签发日期：%s）。\n\n", auth.Name, kind, number, rules.ChineseDate(d.IssueDate))
	fmt.Fprintf(&b, "请打开以下网址，输入文号和查询码，下载该文书的电子文本（PDF）：\n%s\n文号：%s\n查询码：%s\n\n", download, number, code)
	if verify != "" {
		fmt.Fprintf(&b, "文书的真实性可在以下网址核验：\n%s\n\n", verify)
	}
	fmt.Fprintf(&b, "%s您于%s确认以本邮箱（%s）接收执法文书。\n\n", rules.ElectronicServiceMailNote(), rules.ChineseDate(c.SignedDate), c.Email)
	fmt.Fprintf(&b, "如有疑问，请与%s联系", auth.Name)
	if auth.Phone != "" {
		fmt.Fprintf(&b, "（电话：%s）", auth.Phone)
	}
	b.WriteString("。本邮件由系统发出，请勿直接回复。\n")
	return Mail{To: c.Email, Subject: fmt.Sprintf("【%s】%s（%s）电子送达", auth.Name, kind, number), Body: b.String()}
}

// emailReceipt renders the service receipt of an electronic service from
// the served document's frozen render data and the proof.
func (s *Service) emailReceipt(ctx context.Context, d *models.Document, data render.Data, sv models.Service, c *models.ServiceConsent, at string, sent Sent) (*models.Rendered, error) {
	tv, err := s.store.ActiveTemplate(ctx, d.AuthorityID, rules.KindServiceReceipt)
	if err != nil {
		return nil, err
	}
	t, err := s.template(ctx, rules.KindServiceReceipt, tv.Version)
	if err != nil {
		return nil, err
	}
	rd := data
	rd.Kind, rd.Number, rd.VerifyURL, rd.Draft, rd.AccessCode, rd.DownloadURL = rules.KindServiceReceipt, "", "", false, "", ""
	rd.IssueDate = sv.Date // the receipt is made on the day of service
	rd.Service = render.Service{DocumentName: rules.KindName(d.Kind), DocumentNumber: deref(d.Number), Method: sv.Method,
		Place: sv.Place, Date: sv.Date, Recipient: sv.Recipient,
		Note: rules.ElectronicServiceNote(c.Email, c.SignedDate, at, sent.MessageID, sent.Reply)}
	pdf, err := s.renderer.Render(ctx, t, rd)
	if err != nil {
		return nil, renderError(err)
	}
	b, err := encodeData(rd)
	if err != nil {
		return nil, err
	}
	return &models.Rendered{PDF: pdf, Data: b, TemplateVersion: tv.Version}, nil
}

// EmailServices lists a case's electronic services, for its staff.
func (s *Service) EmailServices(ctx context.Context, a Actor, caseID uint) ([]models.EmailService, error) {
	return s.store.CaseEmailServices(ctx, a.Scope, caseID)
}
