package casework

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
)

// CaseInput is the body of evaluate, create and update: the case facts,
// plus an optional override of a discretionary outcome.
type CaseInput struct {
	rules.Facts
	Override *rules.Override `json:"override,omitempty"`
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
func (s *Service) Evaluate(ctx context.Context, _ Actor, in CaseInput) (*Evaluated, error) {
	return s.evaluate(ctx, in, 0)
}

// evaluate validates facts, looks up the authority and item, checks every
// text against the fonts, merges the party's history from the database and
// applies the rules. excludeCase keeps a case's own decisions out of its
// history.
func (s *Service) evaluate(ctx context.Context, in CaseInput, excludeCase uint) (*Evaluated, error) {
	f := in.Facts
	fe := errs.Fields{}
	auth, err := s.store.Authority(ctx, f.AuthorityID)
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
	checkFactsText(fe, &f)
	rules.CheckNotAfter(fe, &f, today)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	f.DecisionDate = decision
	f.AuthorityID = auth.ID
	history, err := s.store.PartyHistory(ctx, models.PartyKey(f.Party), excludeCase)
	if err != nil {
		return nil, err
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
	return &Evaluated{Facts: f, Item: item, Authority: auth, Evaluation: ev}, nil
}

// checkFactsText refuses characters neither font can draw, naming the field
// where they came in.
func checkFactsText(fe errs.Fields, f *rules.Facts) {
	check := func(field, text string) {
		if err := render.CheckText(text); err != nil {
			var uc *render.UnsupportedCharError
			if errors.As(err, &uc) {
				uc.Field = ""
				fe.Add(field, strings.TrimSpace(uc.Error()))
			}
		}
	}
	check("party.name", f.Party.Name)
	check("party.address", f.Party.Address)
	check("party.legal_representative", f.Party.LegalRepresentative)
	check("party.phone", f.Party.Phone)
	check("party.guardian", f.Party.Guardian)
	check("facts", f.Facts)
	for i, e := range f.Evidence {
		check(fmt.Sprintf("evidence[%d]", i), e)
	}
	for i, a := range f.Aggravating {
		check(fmt.Sprintf("aggravating[%d]", i), a)
	}
}

// CreateCase evaluates the facts and files them as a new draft case.
func (s *Service) CreateCase(ctx context.Context, a Actor, in CaseInput) (*models.Case, error) {
	if err := rules.MayCase(a.staff(), rules.ActFile, rules.CaseState{}); err != nil {
		return nil, err
	}
	ev, err := s.evaluate(ctx, in, 0)
	if err != nil {
		return nil, err
	}
	cs := &models.Case{AuthorityID: ev.Authority.ID, ItemID: ev.Item.ID}
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
	old, err := s.store.CaseByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := rules.MayCase(a.staff(), rules.ActEditCase, models.CaseState(old)); err != nil {
		return nil, err
	}
	ev, err := s.evaluate(ctx, in, old.ID)
	if err != nil {
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
	return s.store.UpdateCase(ctx, a.record(), old.ID, rules.ActEditCase, ev.Item, ev.Authority.ID, ev.Facts, ev.Evaluation, detail)
}

// EditableCase loads case id when the actor may still change its facts.
func (s *Service) EditableCase(ctx context.Context, a Actor, id uint) (*models.Case, error) {
	cs, err := s.store.CaseByID(ctx, id)
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
	cs, err := s.store.CaseByID(ctx, id)
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
	return s.store.UpdateCase(ctx, a.record(), id, rules.ActOverride, item, cs.AuthorityID, cs.Facts, ev, "reason="+strings.TrimSpace(o.Reason))
}

// StatementInput is the party's statement and defence, the hearing and
// its result, or the party's waiver.
type StatementInput struct {
	Statement     string `json:"statement"`
	HearingHeld   bool   `json:"hearing_held"`
	HearingResult string `json:"hearing_result"`
	Waived        bool   `json:"waived"`
}

func (in StatementInput) check() (models.Statement, error) {
	in.Statement, in.HearingResult = strings.TrimSpace(in.Statement), strings.TrimSpace(in.HearingResult)
	f := errs.Fields{}
	if in.HearingHeld && in.HearingResult == "" {
		f.Add("hearing_result", "举行了听证的，请填写听证情况及处理意见")
	}
	if !in.HearingHeld && in.HearingResult != "" {
		f.Add("hearing_held", "填写了听证情况，但未标明举行了听证")
	}
	checkText(f, "statement", in.Statement, 5000)
	checkText(f, "hearing_result", in.HearingResult, 5000)
	if err := f.Err(); err != nil {
		return models.Statement{}, err
	}
	return models.Statement{Statement: in.Statement, HearingHeld: in.HearingHeld, HearingResult: in.HearingResult, Waived: in.Waived}, nil
}

// RecordStatement records what the party said, the hearing, or the
// waiver, on case id until it is decided; the decision prints it.
func (s *Service) RecordStatement(ctx context.Context, a Actor, id uint, in StatementInput) (*models.Case, error) {
	st, err := in.check()
	if err != nil {
		return nil, err
	}
	return s.store.RecordStatement(ctx, a.record(), id, st)
}

// ListCases is a page of cases, newest first, and the total.
func (s *Service) ListCases(ctx context.Context, _ Actor, q models.CaseQuery) ([]models.Case, int64, error) {
	f := errs.Fields{}
	if q.From != "" && !rules.ValidDate(q.From) {
		f.Add("from", "日期格式应为YYYY-MM-DD")
	}
	if q.To != "" && !rules.ValidDate(q.To) {
		f.Add("to", "日期格式应为YYYY-MM-DD")
	}
	if err := f.Err(); err != nil {
		return nil, 0, err
	}
	return s.store.ListCases(ctx, q)
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
	// What the actor may do with the case.
	CanEdit, CanDraft, CanState, CanOverride bool
	// Kinds are the documents the actor may draft, in the case's order.
	Kinds []string
}

// Case loads case id as the actor sees it.
func (s *Service) Case(ctx context.Context, a Actor, id uint) (*CaseView, error) {
	cs, err := s.store.CaseByID(ctx, id)
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
	if v.History, err = s.store.PartyHistory(ctx, cs.PartyKey, cs.ID); err != nil {
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
	st, who := models.CaseState(cs), a.staff()
	v.CanEdit = rules.MayCase(who, rules.ActEditCase, st) == nil
	v.CanDraft = rules.MayCase(who, rules.ActDraft, st) == nil
	v.CanState = rules.MayCase(who, rules.ActStatement, st) == nil
	v.CanOverride = rules.MayCase(who, rules.ActOverride, st) == nil
	if v.CanDraft {
		v.Kinds = rules.AllowedKinds(cs.Evaluation)
	}
	return v, nil
}

// checkText refuses over-long text and characters the fonts cannot draw.
func checkText(f errs.Fields, field, v string, max int) {
	if len([]rune(v)) > max {
		f.Add(field, "内容过长")
		return
	}
	if err := render.CheckText(v); err != nil {
		f.Add(field, strings.TrimSpace(err.Error()))
	}
}
