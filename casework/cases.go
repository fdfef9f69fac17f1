package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
	"penaltydoc/rules/limits"
)

// CaseInput is the body of evaluate, create and update: the case facts,
// plus an optional override of a discretionary outcome.
type CaseInput struct {
	rules.Facts
	Override *rules.Override `json:"override,omitempty"`
	// OfficerIDs are the enforcement officers the case names (users of
	// its authority with the officer role); none on filing: the officer
	// filing it; nil on an update: unchanged.
	OfficerIDs []uint `json:"officer_ids,omitempty"`
}

// Evaluated is facts checked against the catalogue and evaluated with the
// party's history.
type Evaluated struct {
	Facts      rules.Facts
	Item       *models.CatalogItem
	Authority  *models.Authority
	Evaluation rules.Evaluation
}

// Evaluate checks facts and applies the criteria, storing nothing.
func (s *Service) Evaluate(ctx context.Context, a Actor, in CaseInput) (*Evaluated, error) {
	return s.evaluate(ctx, a, in, 0)
}

// evaluate validates facts, looks up the authority and item, checks every
// text against the fonts, merges the party's history from the database and
// applies the rules. excludeCase keeps a case's own decisions out of its
// history. The authority is the one the facts name, within the actor's
// scope; none named, the actor's own (the first authority for the
// deployment's admins).
func (s *Service) evaluate(ctx context.Context, a Actor, in CaseInput, excludeCase uint) (*Evaluated, error) {
	f := in.Facts
	fe := errs.Fields{}
	if f.AuthorityID == 0 {
		f.AuthorityID = a.Home()
	}
	auth, err := s.store.Authority(ctx, f.AuthorityID)
	if err == nil && !a.Scope.Allows(auth.ID) {
		err = errs.E(errs.NotFound, "执法机关不存在")
	}
	if err != nil {
		if !errs.Is(err, errs.NotFound) {
			return nil, err
		}
		fe.Add("authority_id", "执法机关不存在")
	}
	var item *models.CatalogItem
	if code := strings.TrimSpace(f.ViolationCode); code != "" {
		item, err = s.store.ItemByCode(ctx, code)
		if err != nil {
			if !errs.Is(err, errs.NotFound) {
				return nil, err
			}
			fe.Add("violation_code", rules.MsgUnknownItem)
			item = nil
		}
	}
	today := s.Today()
	decision := f.DecisionDate
	if decision == "" {
		decision = today
	}
	var ri *rules.Item
	if item != nil {
		it := item.Rule()
		ri = &it
	}
	if err := rules.Validate(&f, ri, decision); err != nil {
		var e *errs.Error
		if !errors.As(err, &e) {
			return nil, err
		}
		for k, v := range e.Fields {
			fe.Add(k, v)
		}
	}
	rules.CheckNotAfter(fe, &f, today)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	f.DecisionDate = decision
	f.AuthorityID = auth.ID
	var warnings []string
	domains := auth.DomainList()
	if !rules.Covers(domains, item.Domain) {
		return nil, errs.Field("violation_code", fmt.Sprintf("本机关（%s）的执法领域为%s，不能办理%s领域的事项“%s”",
			auth.Name, domainNames(rules.Jurisdiction(domains)), rules.DomainName(item.Domain), item.Name))
	}
	if len(rules.Jurisdiction(domains)) == 0 {
		warnings = append(warnings, "执法机关“"+auth.Name+"”未设置执法领域，系统未检查管辖，请管理员在执法机关设置中填写")
	}
	key := models.PartyKey(f.Party)
	if known, err := s.store.PartyByKey(ctx, key); err != nil {
		return nil, err
	} else if known != nil && known.Name != f.Party.Name {
		label := "公民身份号码"
		if f.Party.Kind == rules.PartyOrganization {
			label = "统一社会信用代码"
		}
		warnings = append(warnings, fmt.Sprintf("%s%s在本系统中登记的名称为“%s”，与本次填写的“%s”不一致，请核实当事人身份", label, key, known.Name, f.Party.Name))
	}
	history, err := s.store.PartyHistory(ctx, a.Scope, key, f.VehiclePlate, excludeCase)
	if err != nil {
		return nil, err
	}
	for i := range f.PriorViolations { // the domain of the officer's records, from the catalogue
		pv := &f.PriorViolations[i]
		if pv.Domain == "" {
			if it, err := s.store.ItemByCode(ctx, pv.ViolationCode); err == nil {
				pv.Domain = it.Domain
			}
		}
	}
	ev, err := rules.Evaluate(f, item.Rule(), history, auth.Settings(), decision)
	if err != nil {
		return nil, err
	}
	if in.Override != nil {
		if ev, err = rules.ApplyOverride(ev, *in.Override); err != nil {
			return nil, err
		}
	}
	if msg := guardianMissing(f, ev); msg != "" {
		warnings = append(warnings, msg)
	}
	ev.Warnings = append(warnings, ev.Warnings...)
	return &Evaluated{Facts: f, Item: item, Authority: auth, Evaluation: ev}, nil
}

// guardianMissing says why the facts need the party's guardian (under-age
// and incapacity outcomes order the guardian), or "".
func guardianMissing(f rules.Facts, ev rules.Evaluation) string {
	if f.Party.Guardian != "" {
		return ""
	}
	switch ev.Ground {
	case rules.GroundUnderAge:
		return "当事人不满十四周岁，决定书应当责令其监护人加以管教：请填写监护人（party.guardian）"
	case rules.GroundMentalIncapacity:
		return "当事人不能辨认或者不能控制自己的行为，决定书应当责令其监护人严加看管和治疗：请填写监护人（party.guardian）"
	}
	return ""
}

// needGuardian refuses to file or update a case whose outcome orders a
// guardian that the facts do not name.
func needGuardian(ev *Evaluated) error {
	if msg := guardianMissing(ev.Facts, ev.Evaluation); msg != "" {
		return errs.Field("party.guardian", msg)
	}
	return nil
}

func domainNames(ds []string) string {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = rules.DomainName(d)
	}
	return strings.Join(names, "、")
}

// CreateCase evaluates the facts and files them as a new draft case.
func (s *Service) CreateCase(ctx context.Context, a Actor, in CaseInput) (*models.Case, error) {
	if err := rules.MayCase(a.staff(), rules.ActFile, rules.CaseState{}); err != nil {
		return nil, err
	}
	ev, err := s.evaluate(ctx, a, in, 0)
	if err != nil {
		return nil, err
	}
	if err := needGuardian(ev); err != nil {
		return nil, err
	}
	if !ev.Item.Active {
		return nil, errs.Field("violation_code", "该违法行为事项已停用，不能用于新案件")
	}
	cs := &models.Case{AuthorityID: ev.Authority.ID, ItemID: ev.Item.ID, OfficerIDs: models.JoinIDs(in.OfficerIDs)}
	if err := s.store.CreateCase(ctx, a.record(), cs, ev.Facts, ev.Evaluation); err != nil {
		return nil, err
	}
	return cs, nil
}

// UpdateCase evaluates new facts for draft case id and stores them. An
// override the officer made earlier stays while the new facts still leave
// the outcome to discretion (unless in carries its own); where they no
// longer do (a mandatory ground now holds, or no first offense), it lapses
// and the audit entry says so.
func (s *Service) UpdateCase(ctx context.Context, a Actor, id uint, in CaseInput) (*models.Case, error) {
	old, err := s.store.CaseByID(ctx, a.Scope, id)
	if err != nil {
		return nil, err
	}
	if err := rules.MayCase(a.staff(), rules.ActEditCase, models.CaseState(old)); err != nil {
		return nil, err
	}
	if in.Facts.AuthorityID == 0 { // an edit keeps the case's authority unless it names another
		in.Facts.AuthorityID = old.AuthorityID
	}
	ev, err := s.evaluate(ctx, a, in, old.ID)
	if err != nil {
		return nil, err
	}
	if err := needGuardian(ev); err != nil {
		return nil, err
	}
	detail := ""
	if prev := old.Evaluation.Override; in.Override == nil && prev != nil {
		if kept, err := rules.ApplyOverride(ev.Evaluation, *prev); err == nil {
			ev.Evaluation, detail = kept, "override kept"
		} else {
			detail = "override lapsed"
		}
	}
	return s.store.UpdateCase(ctx, a.record(), old.ID, rules.ActEditCase, ev.Item, ev.Authority.ID, ev.Facts, ev.Evaluation, in.OfficerIDs, detail)
}

// Officers lists the users a case of authority id may name as its
// officers (the case form's choices).
func (s *Service) Officers(ctx context.Context, a Actor, authorityID uint) ([]models.User, error) {
	if authorityID == 0 {
		authorityID = a.Home()
	}
	return s.store.AuthorityOfficers(ctx, a.Scope, authorityID)
}

// EditableCase loads case id when the actor may still change its facts.
func (s *Service) EditableCase(ctx context.Context, a Actor, id uint) (*models.Case, error) {
	cs, err := s.store.CaseByID(ctx, a.Scope, id)
	if err != nil {
		return nil, err
	}
	if err := rules.MayCase(a.staff(), rules.ActEditCase, models.CaseState(cs)); err != nil {
		return nil, err
	}
	return cs, nil
}

// Override records an officer's written choice to penalise where the law
// only says "may not penalise"; mandatory grounds answer 422.
func (s *Service) Override(ctx context.Context, a Actor, id uint, o rules.Override) (*models.Case, error) {
	cs, err := s.store.CaseByID(ctx, a.Scope, id)
	if err != nil {
		return nil, err
	}
	ev, err := rules.ApplyOverride(cs.Evaluation, o)
	if err != nil {
		return nil, err
	}
	item, err := s.store.ItemByCode(ctx, cs.ViolationCode)
	if err != nil {
		return nil, err
	}
	return s.store.UpdateCase(ctx, a.record(), id, rules.ActOverride, item, cs.AuthorityID, cs.Facts, ev, nil, "reason="+strings.TrimSpace(o.Reason))
}

// StatementInput is the party's statement and defence with what the
// authority made of it, the hearing (its date and result), or the party's
// waiver. Each prints its own sentence in the decision.
type StatementInput struct {
	Statement string `json:"statement"`
	// Outcome (accepted, partly, rejected) and Reason are the authority's
	// review of the statement (APL Art. 45).
	Outcome       string `json:"statement_outcome"`
	Reason        string `json:"statement_reason"`
	HearingHeld   bool   `json:"hearing_held"`
	HearingDate   string `json:"hearing_date"`
	HearingResult string `json:"hearing_result"`
	Waived        bool   `json:"waived"`
}

func (in StatementInput) check(today string) (models.Statement, error) {
	in.Statement, in.HearingResult = strings.TrimSpace(in.Statement), strings.TrimSpace(in.HearingResult)
	in.Reason, in.Outcome, in.HearingDate = strings.TrimSpace(in.Reason), strings.TrimSpace(in.Outcome), strings.TrimSpace(in.HearingDate)
	f := errs.Fields{}
	if in.HearingHeld && in.HearingResult == "" {
		f.Add("hearing_result", "举行了听证的，请填写听证情况及处理意见")
	}
	if !in.HearingHeld && (in.HearingResult != "" || in.HearingDate != "") {
		f.Add("hearing_held", "填写了听证情况，但未标明举行了听证")
	}
	if in.HearingDate != "" && !rules.ValidDate(in.HearingDate) {
		f.Add("hearing_date", "听证日期应为YYYY-MM-DD")
	} else if in.HearingDate > today {
		f.Add("hearing_date", "听证日期不得晚于今天")
	}
	if in.Outcome != "" && !slices.Contains(rules.StatementOutcomes, in.Outcome) {
		f.Add("statement_outcome", "复核结论只能是 accepted（予以采纳）、partly（部分予以采纳）或 rejected（不予采纳）")
	}
	if in.Outcome != "" && in.Statement == "" {
		f.Add("statement", "请填写当事人陈述、申辩的内容")
	}
	if in.Outcome != "" && in.Outcome != rules.StatementAccepted && in.Reason == "" {
		f.Add("statement_reason", "不予采纳或者部分采纳的，请写明理由")
	}
	if in.Reason != "" && in.Outcome == "" {
		f.Add("statement_outcome", "请选择复核结论")
	}
	if in.Waived && (in.Statement != "" || in.HearingHeld) {
		f.Add("waived", "当事人已提出陈述、申辩或者举行了听证的，不能同时记录为放弃")
	}
	limits.Statement.Check(f, "", in.Statement)
	limits.StatementReason.Check(f, "", in.Reason)
	limits.HearingResult.Check(f, "", in.HearingResult)
	if err := f.Err(); err != nil {
		return models.Statement{}, err
	}
	return models.Statement{Statement: in.Statement, Outcome: in.Outcome, Reason: in.Reason, HearingHeld: in.HearingHeld,
		HearingDate: in.HearingDate, HearingResult: in.HearingResult, Waived: in.Waived}, nil
}

// RecordStatement records what the party said, the hearing, or the
// waiver, on case id until it is decided; the decision prints it.
func (s *Service) RecordStatement(ctx context.Context, a Actor, id uint, in StatementInput) (*models.Case, error) {
	st, err := in.check(s.Today())
	if err != nil {
		return nil, err
	}
	return s.store.RecordStatement(ctx, a.record(), id, st)
}

// ListCases is a page of cases, newest first, with the (capped) total
// and the next page's cursor.
func (s *Service) ListCases(ctx context.Context, a Actor, q models.CaseQuery) (models.CasePage, error) {
	if err := checkCaseQuery(&q, a); err != nil {
		return models.CasePage{}, err
	}
	return s.store.ListCases(ctx, q)
}

// checkCaseQuery scopes q to the actor and checks its dates, named by
// their query parameters.
func checkCaseQuery(q *models.CaseQuery, a Actor) error {
	q.Scope = a.Scope
	f := errs.Fields{}
	for _, d := range []struct{ name, v string }{{"from", q.From}, {"to", q.To}, {"decided_from", q.DecidedFrom}, {"decided_to", q.DecidedTo}} {
		if d.v != "" && !rules.ValidDate(d.v) {
			f.Add(d.name, "日期格式应为YYYY-MM-DD")
		}
	}
	if q.PaymentState != "" && !rules.IsPaymentState(q.PaymentState) {
		f.Add("payment_state", "缴款状态只能是 unpaid、partial、paid、instalments 或 enforcement")
	}
	return f.Err()
}

// CaseView is a case as its page and its API answer show it: the case
// with its facts and evaluation, the authority, the item's name, the
// party's history, the documents with their deadlines, and what the actor
// may do with each.
type CaseView struct {
	Case      *models.Case
	Authority *models.Authority
	ItemName  string
	History   []rules.PriorViolation
	Documents []DocumentView
	// Execution is the decided case's execution (nil before the decision).
	Execution *ExecutionView
	// Hosts are who may host the hearing (the authority's staff but the
	// investigator), for the hearing form.
	Hosts []models.User
	// Officers are the enforcement officers the case names.
	Officers []models.User
	// What the actor may do with the case.
	CanEdit, CanDraft, CanState, CanOverride, CanDiscuss, CanWithdraw bool
	CanPay, CanExecute, CanHearing                                    bool
	// Kinds are the documents the actor may draft, in the case's order.
	Kinds []string
}

// Case loads case id as the actor sees it.
func (s *Service) Case(ctx context.Context, a Actor, id uint) (*CaseView, error) {
	cs, err := s.store.CaseByID(ctx, a.Scope, id)
	if err != nil {
		return nil, err
	}
	return s.caseView(ctx, a, cs)
}

// caseView completes a loaded case into its view.
func (s *Service) caseView(ctx context.Context, a Actor, cs *models.Case) (*CaseView, error) {
	v := &CaseView{Case: cs}
	var err error
	if v.Authority, err = s.store.Authority(ctx, cs.AuthorityID); err != nil {
		return nil, err
	}
	if it, err := s.store.ItemByCode(ctx, cs.ViolationCode); err == nil {
		v.ItemName = it.Name
	}
	if v.History, err = s.store.PartyHistory(ctx, a.Scope, cs.PartyKey, cs.VehiclePlate, cs.ID); err != nil {
		return nil, err
	}
	docs, err := s.store.CaseDocuments(ctx, cs.ID)
	if err != nil {
		return nil, err
	}
	cal, err := s.store.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	for i := range docs {
		v.Documents = append(v.Documents, s.documentView(a, &docs[i], cs, cal))
	}
	var rec *models.ExecutionRecord
	if rules.Decided(cs.Status) {
		if rec, err = s.store.CaseExecution(ctx, cs); err != nil {
			return nil, err
		}
		v.Execution = executionView(rec, s.Today())
	}
	st, who := models.ExecutionCaseState(cs, rec, s.Today()), a.staff()
	v.CanEdit = rules.MayCase(who, rules.ActEditCase, st) == nil
	v.CanDraft = rules.MayCase(who, rules.ActDraft, st) == nil
	v.CanState = rules.MayCase(who, rules.ActStatement, st) == nil
	v.CanOverride = rules.MayCase(who, rules.ActOverride, st) == nil
	v.CanDiscuss = rules.MayCase(who, rules.ActDiscussion, st) == nil
	v.CanPay = rules.MayCase(who, rules.ActPayment, st) == nil && v.Execution != nil && v.Execution.Fine > 0
	v.CanExecute = rules.MayCase(who, rules.ActExecution, st) == nil
	v.CanHearing = rules.MayCase(who, rules.ActHearing, st) == nil
	v.CanWithdraw = rules.MayCase(who, rules.ActWithdraw, st) == nil
	if v.Officers, err = s.store.CaseOfficers(ctx, cs); err != nil {
		return nil, err
	}
	if v.CanDraft {
		v.Kinds = rules.DraftKinds(st)
	}
	if v.CanHearing {
		users, err := s.store.ListUsers(ctx, a.Scope)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if u.Active && u.ID != cs.OfficerID && u.Scope().Allows(cs.AuthorityID) {
				v.Hosts = append(v.Hosts, u)
			}
		}
	}
	return v, nil
}
