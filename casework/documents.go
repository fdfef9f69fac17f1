package casework

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
)

// DocumentView is a document as the API and the pages show it: without its
// bytes, with the deadlines on the official calendar, the verify address,
// the approval stage it waits for and what the actor may do with it.
type DocumentView struct {
	models.Document
	Deadlines *rules.Deadlines
	VerifyURL string
	// Stage is the approval a document under review waits for
	// (rules.Stage*); TwoStage says whether it needs the legal review.
	Stage    string
	TwoStage bool
	// Stale: a draft made from facts or an evaluation the case no longer
	// has (已失效); it can be neither submitted, approved nor issued.
	Stale bool
	// What the actor may do.
	CanSubmit, CanApprove, CanReturn, CanIssue, CanServe, CanCorrect bool
	// CanOpen: the actor may read the PDF (an issued receipt, which prints
	// the access code, only a clerk).
	CanOpen bool
	// CanWithdraw: the draft may be withdrawn (作废); CanRevise: the
	// correction draft's revision of the facts may be edited.
	CanWithdraw, CanRevise bool
}

// documentView completes d (of case cs; nil when not at hand) for actor a.
func (s *Service) documentView(a Actor, d *models.Document, cs *models.Case, cal rules.Calendar) DocumentView {
	st := models.DocState(d, cs)
	v := DocumentView{Document: *d, Deadlines: d.Deadlines(cal), VerifyURL: s.verifyURL(d), TwoStage: st.TwoStage(), Stale: st.Stale}
	if d.Status == models.DocReviewing {
		v.Stage = st.Stage()
	}
	may := func(act rules.Action) bool { return rules.MayDocument(a.staff(), act, st) == nil }
	v.CanSubmit, v.CanApprove, v.CanReturn = may(rules.ActSubmit), may(rules.ActApprove), may(rules.ActReturn)
	v.CanIssue, v.CanServe, v.CanCorrect = may(rules.ActIssue), may(rules.ActServe), may(rules.ActCorrect)
	v.CanOpen = may(rules.ActOpen)
	v.CanWithdraw, v.CanRevise = may(rules.ActWithdraw), may(rules.ActRevise)
	return v
}

// view loads what documentView needs beside d.
func (s *Service) view(ctx context.Context, a Actor, d *models.Document) (*DocumentView, error) {
	cs, err := s.store.CaseByID(ctx, a.Scope, d.CaseID)
	if err != nil {
		return nil, err
	}
	cal, err := s.store.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	v := s.documentView(a, d, cs, cal)
	return &v, nil
}

// Document loads document id as the actor sees it.
func (s *Service) Document(ctx context.Context, a Actor, id uint) (*DocumentView, error) {
	d, err := s.store.DocumentByID(ctx, a.Scope, id)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, a, d)
}

// Draft drafts a document of kind ("" for the evaluation's own) on case
// caseID, refusing kinds the case's evaluation does not allow.
func (s *Service) Draft(ctx context.Context, a Actor, caseID uint, kind string) (*DocumentView, error) {
	cs, err := s.store.CaseByID(ctx, a.Scope, caseID)
	if err != nil {
		return nil, err
	}
	var rec *models.ExecutionRecord
	if rules.Decided(cs.Status) {
		if rec, err = s.store.CaseExecution(ctx, cs); err != nil {
			return nil, err
		}
	}
	st := models.ExecutionCaseState(cs, rec, s.Today())
	if err := rules.MayCase(a.staff(), rules.ActDraft, st); err != nil {
		return nil, err
	}
	kind = strings.TrimSpace(kind)
	if kind == "" {
		kind = cs.Evaluation.DocumentKind
	}
	if !rules.IsKind(kind) {
		return nil, errKind
	}
	if allowed := rules.DraftKinds(st); !slices.Contains(allowed, kind) {
		names := make([]string, len(allowed))
		for i, k := range allowed {
			names[i] = rules.KindName(k)
		}
		if len(names) == 0 {
			names = []string{"（无）"}
		}
		msg := "本案目前不适用" + rules.KindName(kind) + "，可制作：" + strings.Join(names, "、")
		if rules.Decided(cs.Status) {
			return nil, &errs.Error{Code: errs.Conflict, Message: "案件已作出决定：" + msg, Fields: map[string]string{"kind": msg}}
		}
		return nil, errs.Field("kind", msg)
	}
	d := &models.Document{CaseID: cs.ID, AuthorityID: cs.AuthorityID, Kind: kind}
	if err := s.store.CreateDocument(ctx, a.record(), d); err != nil {
		return nil, err
	}
	return s.view(ctx, a, d)
}

// ErrSeeded answers the opening of an issued document that has no stored
// PDF: only the bulk seed (cmd/seed) makes such documents.
var ErrSeeded = errs.E(errs.Conflict, "该文书为批量生成的演示数据，没有存储正式文本（PDF）")

// PDF is a document's PDF and file name: the frozen bytes once issued,
// else a draft (样稿, no number) rendered now from the template version the
// document keeps.
func (s *Service) PDF(ctx context.Context, a Actor, id uint) ([]byte, string, error) {
	d, err := s.store.DocumentPDF(ctx, a.Scope, id)
	if err != nil {
		return nil, "", err
	}
	if err := rules.MayDocument(a.staff(), rules.ActOpen, models.DocState(d, nil)); err != nil {
		return nil, "", err
	}
	if len(d.PDF) == 0 && rules.IsFrozen(d.Status) {
		return nil, "", ErrSeeded
	}
	if len(d.PDF) > 0 {
		if d.Kind == rules.KindServiceReceipt {
			// The access code shown again: who saw it, when.
			_ = s.store.Audit(ctx, a.record(), "receipt_open", "document", d.ID, "")
		}
		return d.PDF, FileName(d), nil
	}
	dc, err := s.store.DocumentContext(ctx, a.Scope, id)
	if err != nil {
		return nil, "", err
	}
	t, err := s.template(ctx, d.Kind, d.TemplateVersion)
	if err != nil {
		return nil, "", err
	}
	pdf, err := s.renderer.Render(ctx, t, documentData(dc))
	if err != nil {
		return nil, "", renderError(err)
	}
	return pdf, FileName(d), nil
}

var errKind = &errs.Error{Code: errs.Invalid, Message: "文书种类无效",
	Fields: map[string]string{"kind": "文书种类无效，可选 " + strings.Join(rules.Kinds(), "、")}}

// FileName is a document's PDF file name.
func FileName(d *models.Document) string {
	name := rules.KindName(d.Kind)
	if d.Number != nil {
		return name + "-" + *d.Number + ".pdf"
	}
	return name + "-样稿.pdf"
}

// documentData assembles what a document's template prints from the rows
// read together in dc: the case, its facts and evaluation, the authority,
// the item, and the document's place in the procedure (the advance notice
// a decision follows, the document a correction corrects or a receipt
// serves, the legal review).
func documentData(dc *models.DocumentContext) render.Data {
	d, cs := dc.Document, dc.Case
	f, ev := cs.Facts, cs.Evaluation
	if d.RevisionFacts != nil && d.RevisionEvaluation != nil { // a correction prints its revision
		f, ev = *d.RevisionFacts, *d.RevisionEvaluation
	}
	data := caseData(dc.Authority, cs, f, dc.Item.Rule(), ev)
	data.Case.Officers = OfficersText(dc.Officers)
	data.Kind = d.Kind
	data.Draft = !rules.IsFrozen(d.Status)
	data.Approved = d.Status == models.DocApproved || rules.IsFrozen(d.Status)
	if d.IssueDate != "" {
		data.IssueDate = d.IssueDate
	}
	if d.Number != nil {
		data.Number = *d.Number
	}
	data.LegalReview = d.LegalReviewDate
	switch d.Kind {
	case rules.KindAdvanceNotice:
		if d.Number != nil {
			data.Notice.Number, data.Notice.Date = *d.Number, d.IssueDate
		}
		data.Notice.Served = d.ServedDate
	case rules.KindPenaltyDecision, rules.KindHearingNotice:
		if n := dc.Notice; n != nil && n.Number != nil {
			data.Notice.Number, data.Notice.Date, data.Notice.Served = *n.Number, n.IssueDate, n.ServedDate
		}
	case rules.KindServiceReceipt:
		if sd := dc.Serves; sd != nil {
			data.Service = render.Service{DocumentName: rules.KindName(sd.Kind), DocumentNumber: deref(sd.Number),
				Method: sd.ServiceMethod, Place: sd.ServicePlace, Date: sd.ServedDate, Recipient: sd.ServedTo}
		}
	}
	if dc.Corrects != nil {
		data.Corrects = deref(dc.Corrects.Number)
		data.Correction = correction(dc, data)
	}
	if r := dc.Execution; r != nil {
		data.Execution = executionData(r, cs, dc.Today)
	}
	data.Holidays, data.Workdays = dc.Calendar.Lists()
	return data
}

// authorityData is what a letter prints of its authority.
func authorityData(auth *models.Authority) render.Authority {
	return render.Authority{
		Name: auth.Name, ShortName: auth.ShortName, ReconsiderationBody: auth.ReconsiderationBody,
		Court: auth.Court, PaymentInstructions: auth.PaymentInstructions, Address: auth.Address,
		Phone: auth.Phone, SealPNG: auth.SealPNG,
	}
}

// correction is what correction data corrects: the items of the facts the
// revision changed and the penalties, before (the case as the corrected
// document printed it) and after, and the reason.
func correction(dc *models.DocumentContext, data render.Data) render.Correction {
	d, cs := dc.Document, dc.Case
	out := render.Correction{Reason: d.CorrectionReason}
	if d.RevisionFacts == nil {
		return out
	}
	out.Changes = rules.FactChanges(cs.Facts, data.Facts)
	before := caseData(dc.Authority, cs, cs.Facts, dc.Item.Rule(), cs.Evaluation)
	if b, a := strings.Join(before.Penalties(), "；"), strings.Join(data.Penalties(), "；"); b != a {
		out.Changes = append(out.Changes, rules.Change{Field: "行政处罚", Before: b, After: a})
	}
	return out
}

// OfficersText is how a letter names the officers: 张三（执法证号：…）、李四（执法证号：…）.
func OfficersText(us []models.User) string {
	parts := make([]string, 0, len(us))
	for _, u := range us {
		name := u.DisplayName
		if name == "" {
			name = u.Username
		}
		if u.CertificateNumber != "" {
			name += "（执法证号：" + u.CertificateNumber + "）"
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, "、")
}

// caseData fills render.Data from plain values; previews use it with facts
// that were never stored (cs nil).
func caseData(auth *models.Authority, cs *models.Case, f rules.Facts, item rules.Item, ev rules.Evaluation) render.Data {
	data := render.Data{
		IssueDate:  f.DecisionDate,
		Authority:  authorityData(auth),
		Case:       render.Case{FiledDate: f.DiscoveredDate},
		Facts:      f,
		Item:       item,
		Evaluation: ev,
		Notice: render.Notice{AnswerDays: rules.AnswerPeriod(auth.AnswerPeriodDays, item.Domain),
			Hearing: ev.HearingRequired, Phone: auth.Phone, Articles: rules.NoticeArticles(item, ev.HearingRequired, f.DecisionDate)},
	}
	data.Fine, data.Confiscation = rules.FineOf(ev.Penalties), rules.GainsOf(ev.Penalties)
	if len(ev.Penalties) == 0 && ev.Outcome == rules.OutcomePenalty { // an evaluation stored before penalties were itemised
		data.Fine = ev.Fine.Recommended
	}
	if cs != nil {
		data.Case.ID = CaseNumber(cs)
		data.Statement, data.StatementOutcome, data.StatementReason = cs.Statement, cs.StatementOutcome, cs.StatementReason
		data.HearingHeld, data.HearingDate, data.HearingResult, data.Waived = cs.HearingHeld, cs.HearingDate, cs.HearingResult, cs.Waived
		data.Discussion = render.Discussion{Date: cs.DiscussionDate, Participants: cs.DiscussionParticipants, Conclusion: cs.DiscussionConclusion}
		data.Hearing = render.Hearing{Requested: cs.HearingRequested, Date: cs.HearingScheduled, Time: cs.HearingTime,
			Place: cs.HearingPlace, Host: cs.HearingHost, Participants: cs.HearingParticipants, Summary: cs.HearingSummary,
			Result: cs.HearingResult, Articles: rules.HearingArticles}
	}
	return data
}

// encodeData is the render input frozen with an issued document.
func encodeData(d render.Data) ([]byte, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return nil, errs.Wrap(err, "encode render data")
	}
	return b, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// CaseNumber is a case's file number (立案编号), or for a case filed before
// numbers were kept, 案件 and its id.
func CaseNumber(cs *models.Case) string {
	if cs.Number != nil && *cs.Number != "" {
		return *cs.Number
	}
	return fmt.Sprintf("案件%d", cs.ID)
}

// executionData is what a reminder or closing report prints of the
// decision in force and its execution on day today.
func executionData(r *models.ExecutionRecord, cs *models.Case, today string) render.Execution {
	x := r.Status(today)
	e := render.Execution{Fine: r.Input.Fine, PaidFine: x.PaidFine, PaidLateFee: x.PaidLateFee, Outstanding: x.Outstanding,
		LateFee: x.LateFee, LateFeeDays: x.LateFeeDays, LateFeeOutstanding: x.LateFeeOutstanding,
		Total: x.Outstanding + x.LateFeeOutstanding, AsOf: today, PaymentDue: x.FinalDue, ReminderDays: rules.ReminderDays,
		Articles: rules.ReminderArticles, LateFeeArticle: rules.LateFeeArticle, State: rules.PaymentStateName(x.State),
		OtherExecuted: cs.OtherExecuted, OtherExecutedNote: cs.OtherExecutedNote, EnforcementApplied: cs.EnforcementApplied,
		Instalments: cs.Instalments}
	if d := r.Decision; d != nil {
		e.DecisionName, e.DecisionNumber, e.DecisionDate, e.DecisionServed = rules.KindName(d.Kind), deref(d.Number), d.IssueDate, r.Original.ServedDate
	}
	for _, p := range r.Payments {
		e.Payments = append(e.Payments, render.ExecutionPayment{Date: p.Date, Amount: p.Amount, Receipt: p.Receipt})
	}
	return e
}
