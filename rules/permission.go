package rules

import (
	"slices"

	"penaltydoc/errs"
)

// Roles of the staff (shared/API.md): who investigates, who reviews the
// legality, who decides, who issues and serves.
const (
	RoleOfficer  = "officer"  // 承办人 (执法人员)
	RoleReviewer = "reviewer" // 法制审核人员 (APL Art. 58)
	RoleApprover = "approver" // 负责人 (APL Art. 57)
	RoleClerk    = "clerk"    // 文书管理员: numbers, service, printing
	RoleAdmin    = "admin"    // users, catalogue, templates, authorities
	// RoleTemplateEditor edits and previews the document templates
	// (模板管理员), without the rest of administration.
	RoleTemplateEditor = "template_editor"
)

// Staff is who acts, as the procedure sees them.
type Staff struct {
	ID    uint
	Roles []string
	// Emergency lets an admin take a step the separation of duties would
	// refuse (a deployment setting for emergencies; every such step is
	// audited).
	Emergency bool
}

// Has reports whether the staff member holds role. The admin role is
// administration only (separation of duties); under the emergency setting
// an admin holds every role, each such step audited.
func (s Staff) Has(role string) bool {
	return slices.Contains(s.Roles, role) || (s.Emergency && s.admin())
}

func (s Staff) admin() bool { return slices.Contains(s.Roles, RoleAdmin) }

// Action is a step staff take on a case or a document.
type Action string

// Actions on a case.
const (
	ActFile      Action = "file"      // file a new case
	ActEditCase  Action = "edit_case" // change the facts of a draft case
	ActOverride  Action = "override"  // penalise a first offense the law lets go
	ActDraft     Action = "draft"     // draft a document
	ActStatement Action = "statement" // record the party's statement, hearing or waiver
	// ActDiscussion records the heads' collective discussion of a complex
	// or major case (APL Art. 57 ¶2), by its officer or a head.
	ActDiscussion Action = "discussion"
	// ActPayment records a payment; ActExecution the rest of a decision's
	// execution (deferral, other penalties, application to the court);
	// ActHearing the party's hearing (request, notice, record).
	ActPayment   Action = "payment"
	ActExecution Action = "execution"
	ActHearing   Action = "hearing"
	// ActWithdraw withdraws a case not yet submitted (撤回, 撤案: the
	// authority's decision on a filed case, so its head's, an approver's)
	// or a draft document (作废, an officer's), with a reason.
	ActWithdraw Action = "withdraw"
)

// Actions on a document.
const (
	ActSubmit  Action = "submit"
	ActApprove Action = "approve" // the legal review or the head's approval, by stage
	ActReturn  Action = "return"
	ActIssue   Action = "issue"
	ActServe   Action = "serve"
	ActCorrect Action = "correct"
	// ActOpen reads a document's PDF. An issued service receipt prints the
	// party's access code: only the clerks who print and serve it open it.
	ActOpen Action = "open"
	// ActRevise edits the revision of the facts a correction draft
	// carries.
	ActRevise Action = "revise"
)

// ErrReceiptClerksOnly refuses an issued receipt to anyone but a clerk.
var ErrReceiptClerksOnly = errs.E(errs.Forbidden, "送达回证印有当事人的查询码，仅文书管理员可以查看和打印")

// CaseState is what the permission rule needs to know of a case.
type CaseState struct {
	Status     string
	Evaluation Evaluation
	// Major: the facts mark the case complex or major (facts.major).
	Major bool
	// HearingRequested: the party asked for a hearing. Overdue and
	// Closable are the execution's (ExecutionStatus).
	HearingRequested, Overdue, Closable bool
}

// DocState is what the permission rule needs to know of a document.
type DocState struct {
	Kind        string
	Status      string
	ReviewStage int // approvals so far
	// LegalReview: the case requires legal review (法制审核) of its decision
	// before the head approves it (evaluation.legal_review_required).
	LegalReview bool
	// ReviewedBy is the user who passed the legal review (0: none yet).
	ReviewedBy uint
	// CreatedBy is the user who drafted the document (0: unknown).
	CreatedBy uint
	// ServedDate is the date of service, once served; Number the number,
	// once issued.
	ServedDate string
	Number     string
	// Stale: the case's facts or evaluation changed since the draft was
	// made (see Basis).
	Stale bool
	// Major: the case is complex or a major violation (facts.major), so a
	// penalty decision is the heads' collective decision (APL Art. 57 ¶2);
	// Discussed: that discussion is recorded.
	Major, Discussed bool
	// Correction: the document corrects an issued one.
	Correction bool
}

// Approval stages of a document under review.
const (
	StageLegalReview = "legal_review" // 法制审核, by a reviewer
	StageHead        = "head"         // 负责人批准, after the legal review where one is required
	StageSingle      = "single"       // an on-the-spot decision's record, by a reviewer or the head
)

// TwoStage reports whether the document needs the legal review before the
// head's approval: a decision of a case that requires legal review (APL
// Art. 58).
func (d DocState) TwoStage() bool {
	return d.LegalReview && (d.Kind == KindPenaltyDecision || d.Kind == KindNoPenaltyDecision)
}

// Stage is the approval a document under review waits for. The head of the
// authority decides (APL Art. 57): every decision and advance notice is
// approved last by an approver, after the legal review where the case
// requires one. An on-the-spot decision was made by the officers on the
// spot (Art. 51-52) and is recorded with the authority: one approval by a
// reviewer or the head.
func (d DocState) Stage() string {
	switch {
	case d.Kind == KindOnTheSpotDecision:
		return StageSingle
	case d.TwoStage() && d.ReviewStage == 0:
		return StageLegalReview
	default:
		return StageHead
	}
}

// NeedsDiscussion reports whether the document waits for the heads'
// collective discussion before its approval: a penalty decision in a
// complex or major case (APL Art. 57 ¶2).
func (d DocState) NeedsDiscussion() bool { return d.Major && d.Kind == KindPenaltyDecision }

// staffFor checks only the role an action needs (before state checks).
func staffFor(who Staff, act Action) error {
	ok := false
	switch act {
	case ActSubmit, ActCorrect, ActWithdraw, ActRevise:
		ok = who.Has(RoleOfficer)
	case ActApprove, ActReturn:
		ok = who.Has(RoleReviewer) || who.Has(RoleApprover)
	case ActIssue, ActServe:
		ok = who.Has(RoleClerk)
	}
	if !ok {
		return errNoRole
	}
	return nil
}

// ErrWithdrawNeedsHead refuses an officer's withdrawal of a case: a filed
// case (it has its number, 立案) is withdrawn (撤案) by the authority, its
// head deciding; the officer asks the head, and may still withdraw
// (作废) their draft documents.
var ErrWithdrawNeedsHead = errs.E(errs.Forbidden, "案件已立案，撤销案件须经行政机关负责人批准：请由负责人撤回本案；执法人员可以作废尚未提交的文书草稿")

// mayWithdrawCase: an approver (负责人) withdraws a case not yet submitted.
func mayWithdrawCase(who Staff, c CaseState) error {
	if !who.Has(RoleApprover) {
		if who.Has(RoleOfficer) {
			return ErrWithdrawNeedsHead
		}
		return errNoRole
	}
	switch c.Status {
	case CaseWithdrawn:
		return errCaseGone
	case CaseDraft:
		return nil
	}
	return errs.E(errs.Conflict, "案件已提交审核，不能撤回；尚未签发的文书可以退回或者作废")
}

// ErrNoDiscussion refuses the approval of a penalty decision in a complex
// or major case before the heads' collective discussion is recorded.
var ErrNoDiscussion = errs.E(errs.Conflict, "本案情节复杂或者属于重大违法行为，应当由行政机关负责人集体讨论决定：请先记录集体讨论情况")

var (
	errNoRole   = errs.E(errs.Forbidden, "当前账号无权执行此操作")
	errNotDraft = errs.E(errs.Conflict, "案件已提交审核，不能再修改事实；如需更正请制作新的文书")
	errClosed   = errs.E(errs.Conflict, "案件已作出决定，不能再办理此项")
	errCaseGone = errs.E(errs.Conflict, "案件已撤回，不能再办理")
)

// MayCase says whether who may take act on a case in state c: nil when
// allowed, else an error that says why in Chinese (forbidden for the
// role, conflict for the state). The workflow enforces it and the pages
// show an action only where it answers nil.
func MayCase(who Staff, act Action, c CaseState) error {
	switch act {
	case ActDiscussion:
		return mayDiscuss(who, c)
	case ActPayment, ActExecution:
		return mayExecute(who, act, c)
	case ActHearing:
		return mayHearing(who, c)
	case ActWithdraw:
		return mayWithdrawCase(who, c)
	}
	if !who.Has(RoleOfficer) {
		return errNoRole
	}
	if c.Status == CaseWithdrawn && act != ActFile {
		return errCaseGone
	}
	switch act {
	case ActFile:
	case ActEditCase:
		if c.Status != CaseDraft {
			return errNotDraft
		}
	case ActOverride:
		if c.Status != CaseDraft {
			return errNotDraft
		}
		ev := c.Evaluation
		if ev.Override != nil || ev.Mandatory || ev.Ground != GroundFirstOffense || ev.Outcome != OutcomeNoPenalty {
			return errs.E(errs.Conflict, "只有首次违法可以不予行政处罚且尚未改变处理结果的案件，才能改为给予行政处罚")
		}
	case ActDraft:
		if c.Status == CaseClosed {
			return errClosed
		}
	case ActStatement:
		if Decided(c.Status) {
			return errs.E(errs.Conflict, "案件已作出决定，不能再记录陈述、申辩")
		}
		if c.Evaluation.Outcome != OutcomePenalty || c.Evaluation.DocumentKind != KindPenaltyDecision {
			return errs.E(errs.Conflict, "本案不适用事先告知程序，无需记录陈述、申辩")
		}
	default:
		return errs.E(errs.Invalid, "未知的操作")
	}
	return nil
}

func mayDiscuss(who Staff, c CaseState) error {
	switch {
	case !who.Has(RoleOfficer) && !who.Has(RoleApprover):
		return errNoRole
	case c.Status == CaseWithdrawn:
		return errCaseGone
	case Decided(c.Status):
		return errs.E(errs.Conflict, "案件已作出决定，不能再记录集体讨论")
	case !c.Major:
		return errs.E(errs.Conflict, "本案未标明情节复杂或者重大违法行为，无需负责人集体讨论")
	case c.Evaluation.Outcome != OutcomePenalty || c.Evaluation.DocumentKind != KindPenaltyDecision:
		return errs.E(errs.Conflict, "集体讨论决定的是给予行政处罚；本案的处理结论不是作出行政处罚决定")
	}
	return nil
}

// MayDocument says whether who may take act on a document in state d: nil
// when allowed, else why not (forbidden for the role or the person,
// conflict for the state). The drafter, the legal reviewer and the
// approver are three people, whatever roles they hold, and the drafter
// does not issue; an admin is no exception but through the emergency
// setting (see Separated).
func MayDocument(who Staff, act Action, d DocState) error {
	if err := mayDocument(who, act, d); err != nil {
		return err
	}
	if !who.emergencyAdmin() {
		return separation(who, act, d)
	}
	return nil
}

// Separated reports whether the step keeps the separation of duties by
// itself; a step that is allowed only through the emergency setting is
// not (the store audits it).
func Separated(who Staff, act Action, d DocState) bool { return separation(who, act, d) == nil }

func (s Staff) emergencyAdmin() bool { return s.Emergency && s.admin() }

// separation refuses the drafter's approval and issue of their own
// document and the legal reviewer's approval as the head.
func separation(who Staff, act Action, d DocState) error {
	mine := who.ID != 0 && who.ID == d.CreatedBy
	switch act {
	case ActApprove:
		if mine {
			return errs.E(errs.Forbidden, "文书的承办人不能审核或者批准自己制作的文书")
		}
		if d.Stage() == StageHead && who.ID != 0 && who.ID == d.ReviewedBy {
			return errs.E(errs.Forbidden, "法制审核和负责人批准不能由同一人完成")
		}
	case ActIssue:
		if mine {
			return errs.E(errs.Forbidden, "文书的承办人不能签发自己制作的文书")
		}
	}
	return nil
}

func mayDocument(who Staff, act Action, d DocState) error {
	receipt := d.Kind == KindServiceReceipt
	if d.Stale && (act == ActSubmit || act == ActApprove || act == ActIssue) && !IsFrozen(d.Status) {
		if err := staffFor(who, act); err != nil {
			return err
		}
		return ErrStale
	}
	switch act {
	case ActOpen:
		if receipt && IsFrozen(d.Status) && !who.Has(RoleClerk) {
			return ErrReceiptClerksOnly
		}
	case ActSubmit:
		if !who.Has(RoleOfficer) {
			return errNoRole
		}
		if d.Status != DocDraft {
			return errs.E(errs.Conflict, "只有草稿可以提交审核（当前状态：%s）", DocStatusName(d.Status))
		}
	case ActApprove:
		if !who.Has(RoleReviewer) && !who.Has(RoleApprover) {
			return errs.E(errs.Forbidden, "当前账号无权批准文书")
		}
		if d.Status != DocReviewing {
			return errs.E(errs.Conflict, "只有审核中的文书可以批准（当前状态：%s）", DocStatusName(d.Status))
		}
		switch d.Stage() {
		case StageLegalReview:
			if !who.Has(RoleReviewer) {
				return errs.E(errs.Forbidden, "本案须经法制审核：请先由审核人员审核，再由负责人批准")
			}
		case StageHead:
			if !who.Has(RoleApprover) {
				if d.TwoStage() {
					return errs.E(errs.Forbidden, "法制审核已通过，须由负责人批准")
				}
				return errs.E(errs.Forbidden, "本文书须由行政机关负责人批准")
			}
			if d.NeedsDiscussion() && !d.Discussed {
				return ErrNoDiscussion
			}
		}
	case ActReturn:
		if !who.Has(RoleReviewer) && !who.Has(RoleApprover) {
			return errNoRole
		}
		if d.Status != DocReviewing && d.Status != DocApproved {
			return errs.E(errs.Conflict, "只有审核中或已批准未签发的文书可以退回（当前状态：%s）", DocStatusName(d.Status))
		}
	case ActIssue:
		if !who.Has(RoleClerk) {
			return errNoRole
		}
		if IsFrozen(d.Status) {
			if d.Number != "" {
				return errs.E(errs.Conflict, "文书已签发（%s），不能重复签发；当事人的查询码印在随文书签发的送达回证上，可在文书页面重新打印", d.Number)
			}
			return errs.E(errs.Conflict, "文书已签发，不能重复签发")
		}
		if d.Status != DocApproved {
			return errs.E(errs.Conflict, "文书尚未审批通过，不能签发（当前状态：%s）", DocStatusName(d.Status))
		}
	case ActServe:
		if !who.Has(RoleClerk) {
			return errNoRole
		}
		switch {
		case Internal(d.Kind):
			return errs.E(errs.Conflict, "%s是内部文书，无需送达", KindName(d.Kind))
		case receipt:
			return errs.E(errs.Conflict, "送达回证随所送达的文书一并记录送达")
		case d.Status == DocServed:
			return errs.E(errs.Conflict, "文书已于%s送达，不能重复记录", d.ServedDate)
		case d.Status != DocIssued:
			return errs.E(errs.Conflict, "只有已签发的有效文书可以记录送达（当前状态：%s）", DocStatusName(d.Status))
		}
	case ActCorrect:
		if !who.Has(RoleOfficer) {
			return errNoRole
		}
		if d.Status != DocIssued && d.Status != DocServed {
			return errs.E(errs.Conflict, "只有已签发的有效文书可以更正（当前状态：%s）", DocStatusName(d.Status))
		}
		if receipt {
			return errs.E(errs.Invalid, "送达回证不能更正，请重新记录送达")
		}
	case ActWithdraw:
		if !who.Has(RoleOfficer) {
			return errNoRole
		}
		if d.Status != DocDraft {
			return errs.E(errs.Conflict, "只有草稿可以作废（当前状态：%s）；审核中的文书请先退回", DocStatusName(d.Status))
		}
	case ActRevise:
		if !who.Has(RoleOfficer) {
			return errNoRole
		}
		if !d.Correction {
			return errs.E(errs.Conflict, "只有更正文书可以修改更正内容；草稿案件请修改案件事实")
		}
		if d.Status != DocDraft {
			return errs.E(errs.Conflict, "更正文书已提交审核，不能再修改更正内容（当前状态：%s）", DocStatusName(d.Status))
		}
	default:
		return errs.E(errs.Invalid, "未知的操作")
	}
	return nil
}
