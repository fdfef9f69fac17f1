package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// EmailService is the proof of one electronic service (电子送达) by e-mail:
// to whom, the message id, what the SMTP server answered when it accepted
// the message and when; the service date is that acceptance's China date.
// ReceiptID is the service receipt rendered then, which prints the proof.
type EmailService struct {
	ID          uint      `gorm:"primaryKey" json:"id"`
	DocumentID  uint      `gorm:"not null;index" json:"document_id"`
	CaseID      uint      `gorm:"not null;index" json:"case_id"`
	AuthorityID uint      `gorm:"not null" json:"authority_id"`
	ReceiptID   uint      `gorm:"not null" json:"receipt_id"`
	ConsentID   uint      `gorm:"not null" json:"consent_id"`
	To          string    `gorm:"column:to_address;size:200;not null" json:"to"`
	MessageID   string    `gorm:"size:300;not null" json:"message_id"`
	ServerReply string    `gorm:"type:text" json:"server_reply"`
	AcceptedAt  time.Time `gorm:"not null" json:"accepted_at"`
	ServedDate  string    `gorm:"size:10;not null" json:"served_date"`
	SentByID    uint      `gorm:"not null" json:"sent_by_id"`
	CreatedAt   time.Time `gorm:"not null" json:"created_at"`
}

// EmailProof is what the mail server answered, with the receipt rendered
// from it.
type EmailProof struct {
	Consent    *ServiceConsent
	MessageID  string
	Reply      string
	AcceptedAt time.Time
	Service    Service // 电子送达, the acceptance date, the address
	Receipt    *Rendered
}

// EmailConsent is the consent electronic service of document id rests on:
// the latest recorded for its case; a conflict when there is none.
func (s *Store) EmailConsent(ctx context.Context, sc Scope, id uint) (*Document, *ServiceConsent, error) {
	d, err := s.DocumentPDF(ctx, sc, id) // with its render data, which the message prints from
	if err != nil {
		return nil, nil, err
	}
	cs, err := latestConsent(s.conn(ctx), d.CaseID)
	if err != nil {
		return nil, nil, err
	}
	if cs == nil {
		return nil, nil, ErrNoConsent
	}
	return d, cs, nil
}

// ErrNoConsent refuses electronic service without the party's consent.
var ErrNoConsent = errs.E(errs.Conflict, "当事人未确认电子送达地址（送达地址确认书），不能采用电子送达")

// ServeByEmail records the electronic service of document id that the
// mail server accepted: the document (and its receipts issued with it)
// served on the acceptance date, a new service receipt that prints the
// proof, and the proof itself, in one transaction. The consent must still
// be the case's latest.
func (s *Store) ServeByEmail(ctx context.Context, a Actor, id uint, p EmailProof) (*Document, *EmailService, error) {
	// The receipt's bytes are made durable first, as issuing does.
	file, sum, err := s.putFile(ctx, p.Receipt.PDF, p.Receipt.Data)
	if err != nil {
		return nil, nil, err
	}
	var d *Document
	var es *EmailService
	err = s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if d, err = s.serve(ctx, tx, a, id, p.Service); err != nil {
			return err
		}
		cs, err := latestConsent(tx, d.CaseID)
		if err != nil {
			return err
		}
		if cs == nil || cs.ID != p.Consent.ID {
			return errs.E(errs.Conflict, "当事人的送达地址确认已变更，请刷新页面后重新送达")
		}
		now := s.now()
		rc := &Document{CaseID: d.CaseID, AuthorityID: d.AuthorityID, Kind: rules.KindServiceReceipt, Status: DocServed,
			TemplateVersion: p.Receipt.TemplateVersion, ServesID: &d.ID, IssueDate: p.Service.Date, IssuedAt: &now,
			SHA256: sum, CreatedByID: a.UserID,
			ServedDate: p.Service.Date, ServedAt: &now, ServiceMethod: p.Service.Method, ServedTo: p.Service.Recipient,
			ServicePlace: p.Service.Place}
		if err := tx.Create(rc).Error; err != nil {
			return errs.Wrap(err, "store electronic service receipt")
		}
		file.DocumentID = rc.ID
		if err := tx.Create(file).Error; err != nil {
			return errs.Wrap(err, "store electronic service receipt PDF")
		}
		if err := s.auditDoc(ctx, tx, a, "issue", rc, nil, "", DocServed, fmt.Sprintf("electronic service receipt of document %d (%s)", d.ID, deref(d.Number))); err != nil {
			return err
		}
		es = &EmailService{DocumentID: d.ID, CaseID: d.CaseID, AuthorityID: d.AuthorityID, ReceiptID: rc.ID, ConsentID: cs.ID,
			To: p.Service.Recipient, MessageID: p.MessageID, ServerReply: p.Reply, AcceptedAt: p.AcceptedAt.UTC(),
			ServedDate: p.Service.Date, SentByID: a.UserID, CreatedAt: now}
		if err := tx.Create(es).Error; err != nil {
			return errs.Wrap(err, "store electronic service proof")
		}
		return s.auditDoc(ctx, tx, a, "serve_email", d, nil, DocServed, DocServed,
			fmt.Sprintf("to=%s message_id=%s accepted_at=%s reply=%q receipt=%d", es.To, es.MessageID, es.AcceptedAt.Format(time.RFC3339), es.ServerReply, rc.ID))
	})
	return d, es, err
}

// CaseEmailServices lists the electronic services of a case, scoped.
func (s *Store) CaseEmailServices(ctx context.Context, sc Scope, caseID uint) ([]EmailService, error) {
	var out []EmailService
	q := s.conn(ctx).Where("case_id = ?", caseID)
	if !sc.All {
		q = q.Where("authority_id IN ?", append([]uint{0}, sc.Authorities...))
	}
	if err := q.Order("id").Find(&out).Error; err != nil {
		return nil, errs.Wrap(err, "load electronic services")
	}
	return out, nil
}

// FailedEmail audits a refused or failed electronic service attempt.
func (s *Store) FailedEmail(ctx context.Context, a Actor, id uint, to, reason string) {
	_ = s.Audit(ctx, a, "serve_email_failed", "document", id, fmt.Sprintf("to=%s reason=%q", to, strings.TrimSpace(reason)))
}
