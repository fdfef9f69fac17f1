package casework

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
	"penaltydoc/rules/limits"
)

// The review workflow: every step is one store transaction that checks the
// permission rule on the locked rows.

// Submit sends a draft for review; the case's facts can no longer change.
func (s *Service) Submit(ctx context.Context, a Actor, id uint) (*DocumentView, error) {
	return s.step(ctx, a, id, func(ctx context.Context, ma models.Actor, id uint) (*models.Document, error) {
		return s.store.SubmitDocument(ctx, ma, id)
	})
}

// Approve passes the legal review or approves, as the document's stage
// and the actor's roles say.
func (s *Service) Approve(ctx context.Context, a Actor, id uint) (*DocumentView, error) {
	return s.step(ctx, a, id, s.store.ApproveDocument)
}

// Return sends a document under review (or approved, not yet issued) back
// to draft with the reviewer's comment.
func (s *Service) Return(ctx context.Context, a Actor, id uint, comment string) (*DocumentView, error) {
	comment = strings.TrimSpace(comment)
	if comment == "" {
		return nil, errs.Field("comment", "退回须写明意见")
	}
	if msg := limits.ReturnComment.Problem(comment); msg != "" {
		return nil, errs.Field("comment", msg)
	}
	return s.step(ctx, a, id, func(ctx context.Context, ma models.Actor, id uint) (*models.Document, error) {
		return s.store.ReturnDocument(ctx, ma, id, comment)
	})
}

// Correct starts the correction of an issued document, for the reason
// given (更正原因, required): a new draft that names it and carries an
// editable revision of the case facts (Revise); issuing the correction
// supersedes it.
func (s *Service) Correct(ctx context.Context, a Actor, id uint, reason string) (*DocumentView, error) {
	if _, err := s.store.DocumentByID(ctx, a.Scope, id); err != nil { // another office's document is missing, whatever the reason
		return nil, err
	}
	reason, err := checkReason(limits.CorrectionReason, reason)
	if err != nil {
		return nil, err
	}
	return s.step(ctx, a, id, func(ctx context.Context, ma models.Actor, id uint) (*models.Document, error) {
		return s.store.CorrectDocument(ctx, ma, id, reason)
	})
}

// checkReason trims a required reason and checks it against its limit.
func checkReason(f limits.Field, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", errs.Field(f.Path, "请写明"+f.Label)
	}
	if msg := f.Problem(reason); msg != "" {
		return "", errs.Field(f.Path, msg)
	}
	return reason, nil
}

// RevisionInput is a correction's revision: the corrected facts (as a
// case is entered) and the reason.
type RevisionInput struct {
	CaseInput
	Reason string `json:"reason"`
}

// Revise stores the corrected facts of correction draft id, evaluated as
// the case's own facts are (its own decisions left out of the history),
// with the reason; the correction prints what changed.
func (s *Service) Revise(ctx context.Context, a Actor, id uint, in RevisionInput) (*DocumentView, error) {
	d, err := s.store.DocumentByID(ctx, a.Scope, id)
	if err != nil {
		return nil, err
	}
	cs, err := s.store.CaseByID(ctx, a.Scope, d.CaseID)
	if err != nil {
		return nil, err
	}
	if err := rules.MayDocument(a.staff(), rules.ActRevise, models.DocState(d, cs)); err != nil {
		return nil, err
	}
	reason, err := checkReason(limits.CorrectionReason, in.Reason)
	if err != nil {
		return nil, err
	}
	in.Facts.AuthorityID = cs.AuthorityID // a correction corrects; it does not move the case
	if in.Override == nil && d.RevisionEvaluation != nil {
		in.Override = d.RevisionEvaluation.Override
	}
	ev, err := s.evaluate(ctx, a, in.CaseInput, cs.ID)
	if err != nil {
		return nil, err
	}
	if err := needGuardian(ev); err != nil {
		return nil, err
	}
	if ev.Item.ID != cs.ItemID {
		return nil, errs.Field("violation_code", "更正不能改变违法行为事项；认定的违法行为不同的，请依法另行处理")
	}
	return s.step(ctx, a, id, func(ctx context.Context, ma models.Actor, id uint) (*models.Document, error) {
		return s.store.ReviseCorrection(ctx, ma, id, models.Revision{Facts: ev.Facts, Evaluation: ev.Evaluation, Reason: reason})
	})
}

// WithdrawDocument withdraws a draft (作废) with the reason.
func (s *Service) WithdrawDocument(ctx context.Context, a Actor, id uint, reason string) (*DocumentView, error) {
	if _, err := s.store.DocumentByID(ctx, a.Scope, id); err != nil {
		return nil, err
	}
	reason, err := checkReason(limits.WithdrawReason, reason)
	if err != nil {
		return nil, err
	}
	return s.step(ctx, a, id, func(ctx context.Context, ma models.Actor, id uint) (*models.Document, error) {
		return s.store.WithdrawDocument(ctx, ma, id, reason)
	})
}

// WithdrawCase withdraws a case not yet submitted (撤回), with its drafts,
// for the reason given.
func (s *Service) WithdrawCase(ctx context.Context, a Actor, id uint, reason string) (*models.Case, error) {
	if _, err := s.store.CaseByID(ctx, a.Scope, id); err != nil {
		return nil, err
	}
	reason, err := checkReason(limits.WithdrawReason, reason)
	if err != nil {
		return nil, err
	}
	return s.store.WithdrawCase(ctx, a.record(), id, reason)
}

// ServiceInput is how, when, where and to whom a document was served.
type ServiceInput struct {
	Method    string `json:"method"`
	Date      string `json:"date"`
	Recipient string `json:"recipient"`
	Place     string `json:"place"`
}

func (in ServiceInput) check() (models.Service, error) {
	f := errs.Fields{}
	method, ok := rules.ServiceMethodName(in.Method)
	if !ok {
		f.Add("method", "送达方式无效，可选："+rules.ServiceMethodChoices())
	}
	if !rules.ValidDate(in.Date) {
		f.Add("date", "送达日期应为YYYY-MM-DD")
	}
	in.Recipient, in.Place = strings.TrimSpace(in.Recipient), strings.TrimSpace(in.Place)
	if in.Recipient == "" && method != rules.ServiceMethodPublicNotice {
		f.Add("recipient", "请填写受送达人")
	}
	limits.ServiceRecipient.Check(f, "", in.Recipient)
	limits.ServicePlace.Check(f, "", in.Place)
	if err := f.Err(); err != nil {
		return models.Service{}, err
	}
	return models.Service{Method: method, Date: in.Date, Recipient: in.Recipient, Place: in.Place}, nil
}

// Serve records service of an issued document (and of its receipt).
func (s *Service) Serve(ctx context.Context, a Actor, id uint, in ServiceInput) (*DocumentView, error) {
	sv, err := in.check()
	if err != nil {
		return nil, err
	}
	return s.step(ctx, a, id, func(ctx context.Context, ma models.Actor, id uint) (*models.Document, error) {
		return s.store.ServeDocument(ctx, ma, id, sv)
	})
}

func (s *Service) step(ctx context.Context, a Actor, id uint, fn func(context.Context, models.Actor, uint) (*models.Document, error)) (*DocumentView, error) {
	d, err := fn(ctx, a.record(), id)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, a, d)
}

// Issued is an issued document with the party's access code, which exists
// only in this answer (the database keeps a hash and the printed receipt),
// and the service receipt issued with it.
type Issued struct {
	*DocumentView
	AccessCode       string
	ServiceReceiptID uint
}

// Issue issues an approved document: the store takes the number in a
// short transaction, this renders the final PDF and the service receipt
// that prints the party's access code from what that transaction read,
// outside any transaction, and the store keeps both in a second one. A
// document whose number was taken by an issue that did not finish is
// completed with that number (and a new access code: the old one was
// shown to nobody).
func (s *Service) Issue(ctx context.Context, a Actor, id uint) (*Issued, error) {
	d, err := s.store.DocumentByID(ctx, a.Scope, id)
	if err != nil {
		return nil, err
	}
	if err := rules.MayDocument(a.staff(), rules.ActIssue, models.DocState(d, nil)); err != nil {
		return nil, err
	}
	if err := s.checkSigner(ctx, d.AuthorityID, s.store.Now()); err != nil {
		return nil, err
	}
	t, err := s.template(ctx, d.Kind, d.TemplateVersion)
	if err != nil {
		return nil, err
	}
	p := models.IssueParams{ID: id}
	var code string
	var receipt *render.Template
	var receiptVersion int
	if models.Numbered(d.Kind) {
		if code, p.AccessCodeHash, err = s.codes.NewAccessCode(); err != nil {
			return nil, err
		}
		p.VerifyToken = models.NewToken(24) // 192 bits
		if receiptVersion, err = s.store.ActiveTemplateVersion(ctx, d.AuthorityID, rules.KindServiceReceipt); err != nil {
			return nil, err
		}
		if receipt, err = s.template(ctx, rules.KindServiceReceipt, receiptVersion); err != nil {
			return nil, err
		}
	}
	var last *models.DocumentContext // what the issue printed from; its Case as issuing left it
	p.Render = func(ctx context.Context, dc *models.DocumentContext) (*models.Rendered, error) {
		last = dc
		dd := documentData(dc)
		dd.Draft = false // the final document (its row turns issued with these bytes)
		doc := dc.Document
		if doc.Number != nil {
			dd.VerifyURL = s.verifyURL(doc)
		}
		pdf, err := s.renderer.Render(ctx, t, dd)
		if err != nil {
			return nil, renderError(err)
		}
		out := &models.Rendered{PDF: pdf, Fine: dd.Fine}
		if doc.Kind == rules.KindAdvanceNotice {
			out.AnswerDays = dd.AnswerDays()
		}
		if out.Data, err = encodeData(dd); err != nil {
			return nil, err
		}
		if receipt == nil {
			return out, s.signIssued(ctx, dc, out)
		}
		rd := dd
		rd.Kind, rd.Number, rd.VerifyURL = rules.KindServiceReceipt, "", ""
		rd.Service = render.Service{DocumentName: rules.KindName(doc.Kind), DocumentNumber: dd.Number}
		rd.AccessCode, rd.DownloadURL = code, s.DownloadURL()
		rpdf, err := s.renderer.Render(ctx, receipt, rd)
		if err != nil {
			return nil, renderError(err)
		}
		rd.AccessCode = "" // the database keeps only the hash (and the printed receipt)
		rdata, err := encodeData(rd)
		if err != nil {
			return nil, err
		}
		out.Receipt = &models.Rendered{PDF: rpdf, Data: rdata, TemplateVersion: receiptVersion}
		return out, s.signIssued(ctx, dc, out)
	}
	if s.beforeIssue != nil {
		s.beforeIssue()
	}
	issued, err := s.store.IssueDocument(ctx, a.record(), p)
	if err != nil {
		return nil, err
	}
	s.publishIssued(ctx, issued) // its own transaction; the reconcile step covers a crash here
	// The answer is shown from the case as the second transaction left it
	// and the calendar the document was printed with: no reads of its own.
	var v *DocumentView
	if last != nil && last.Case != nil && last.Case.ID == issued.CaseID {
		dv := s.documentView(a, issued, last.Case, last.Calendar)
		v = &dv
	} else if v, err = s.view(ctx, a, issued); err != nil {
		return nil, err
	}
	out := &Issued{DocumentView: v, AccessCode: code, ServiceReceiptID: issued.ReceiptID}
	if receipt != nil && out.ServiceReceiptID == 0 {
		rs, err := s.store.ServiceReceipts(ctx, issued.ID)
		if err != nil {
			return nil, err
		}
		if len(rs) > 0 {
			out.ServiceReceiptID = rs[len(rs)-1].ID
		}
	}
	return out, nil
}

// ResumeIssues completes the issues that took a number more than age ago
// and did not store their PDF (the process died, the render failed, the
// database went away between the two transactions), each as the user who
// took the number. It answers how many it completed; the first error
// stops nothing, it is answered at the end.
func (s *Service) ResumeIssues(ctx context.Context, age time.Duration) (int, error) {
	rs, err := s.store.PendingIssues(ctx, age)
	if err != nil {
		return 0, err
	}
	done := 0
	var first error
	for _, r := range rs {
		u, err := s.store.UserByID(ctx, r.UserID)
		if err == nil {
			_, err = s.Issue(ctx, s.ActorOf(u, "resume"), r.DocumentID)
		}
		if err != nil && !errs.Is(err, errs.Conflict) {
			first = cmp.Or(first, fmt.Errorf("resume issue of document %d: %w", r.DocumentID, err))
			continue
		}
		if err != nil && s.store.Reserved(ctx, r.DocumentID) {
			// a conflict that leaves the number reserved (not: completed
			// meanwhile), e.g. the signing certificate no longer valid
			first = cmp.Or(first, fmt.Errorf("resume issue of document %d: %w", r.DocumentID, err))
			continue
		}
		if err == nil {
			done++
		}
	}
	return done, first
}
