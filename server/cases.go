package main

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
)

// china is the offices' time zone (no daylight saving), for "today".
var china = time.FixedZone("CST", 8*3600)

func (s *Server) today() string { return s.store.Now().In(china).Format("2006-01-02") }

// caseInput is the body of evaluate, create and update: the case facts,
// plus an optional override of a discretionary outcome.
type caseInput struct {
	rules.Facts
	Override *rules.Override `json:"override,omitempty"`
}

// evaluated is the result of checking and evaluating facts.
type evaluated struct {
	facts     rules.Facts
	item      *models.CatalogItem
	authority *models.Authority
	eval      rules.Evaluation
}

// evaluate validates facts, looks up the authority and item, checks every
// text against the fonts, merges the party's history from the database and
// applies the rules. excludeCase keeps a case's own decisions out of its
// history.
func (s *Server) evaluate(c *gin.Context, in caseInput, excludeCase uint) (*evaluated, error) {
	ctx := c.Request.Context()
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
	decision := f.DecisionDate
	if decision == "" {
		decision = s.today()
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
	checkNotAfterToday(fe, &f, s.today())
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
	return &evaluated{facts: f, item: item, authority: auth, eval: ev}, nil
}

// checkNotAfterToday refuses facts dated after today. The decision date
// may lie ahead (a decision being drafted for a planned day); what happened
// may not.
func checkNotAfterToday(fe errs.Fields, f *rules.Facts, today string) {
	check := func(field, label, date string) {
		if rules.ValidDate(date) && date > today {
			fe.Add(field, fmt.Sprintf("%s不得晚于今天（%s）", label, rules.ChineseDate(today)))
		}
	}
	check("violation_date", "违法行为发生日期", f.ViolationDate)
	check("violation_end_date", "违法行为终了日期", f.ViolationEndDate)
	check("discovered_date", "立案（发现）日期", f.DiscoveredDate)
	for i, p := range f.PriorViolations {
		check(fmt.Sprintf("prior_violations[%d].date", i), "既往违法日期", p.Date)
	}
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

func (s *Server) handleEvaluate(c *gin.Context) {
	var in caseInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	ev, err := s.evaluate(c, in, 0)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ev.eval)
}

type caseJSON struct {
	ID             uint                   `json:"id"`
	Status         string                 `json:"status"`
	AuthorityID    uint                   `json:"authority_id"`
	ViolationCode  string                 `json:"violation_code"`
	ItemName       string                 `json:"item_name,omitempty"`
	PartyName      string                 `json:"party_name"`
	Outcome        string                 `json:"outcome"`
	Ground         string                 `json:"ground"`
	DiscoveredDate string                 `json:"discovered_date"`
	Facts          *rules.Facts           `json:"facts,omitempty"`
	Evaluation     *rules.Evaluation      `json:"evaluation,omitempty"`
	Statement      string                 `json:"statement"`
	HearingHeld    bool                   `json:"hearing_held"`
	HearingResult  string                 `json:"hearing_result"`
	Waived         bool                   `json:"waived"`
	History        []rules.PriorViolation `json:"history,omitempty"`
	Documents      []documentJSON         `json:"documents,omitempty"`
	CreatedAt      time.Time              `json:"created_at"`
	UpdatedAt      time.Time              `json:"updated_at"`
}

func toCaseJSON(cs *models.Case, full bool) (caseJSON, error) {
	out := caseJSON{ID: cs.ID, Status: cs.Status, AuthorityID: cs.AuthorityID, ViolationCode: cs.ViolationCode,
		PartyName: cs.PartyName, Outcome: cs.Outcome, Ground: cs.Ground, DiscoveredDate: cs.DiscoveredDate,
		Statement: cs.Statement, HearingHeld: cs.HearingHeld, HearingResult: cs.HearingResult, Waived: cs.Waived,
		CreatedAt: cs.CreatedAt, UpdatedAt: cs.UpdatedAt}
	if full {
		f, err := cs.Facts()
		if err != nil {
			return out, err
		}
		ev, err := cs.Evaluation()
		if err != nil {
			return out, err
		}
		out.Facts, out.Evaluation = &f, &ev
	}
	return out, nil
}

func (s *Server) handleCreateCase(c *gin.Context) {
	var in caseInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	ev, err := s.evaluate(c, in, 0)
	if err != nil {
		s.fail(c, err)
		return
	}
	cs := &models.Case{AuthorityID: ev.authority.ID, ItemID: ev.item.ID}
	if err := s.store.CreateCase(c.Request.Context(), actor(c), cs, ev.facts, ev.eval); err != nil {
		s.fail(c, err)
		return
	}
	s.respondCase(c, http.StatusCreated, cs)
}

// respondCase answers the case with its facts, evaluation, party history
// and documents.
func (s *Server) respondCase(c *gin.Context, st int, cs *models.Case) {
	ctx := c.Request.Context()
	out, err := toCaseJSON(cs, true)
	if err != nil {
		s.fail(c, err)
		return
	}
	if it, err := s.store.ItemByCode(ctx, cs.ViolationCode); err == nil {
		out.ItemName = it.Name
	}
	if out.History, err = s.store.PartyHistory(ctx, cs.PartyKey, cs.ID); err != nil {
		s.fail(c, err)
		return
	}
	docs, err := s.store.CaseDocuments(ctx, cs.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	cal, err := s.store.Calendar(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	for i := range docs {
		out.Documents = append(out.Documents, toDocumentJSON(&docs[i], cal))
	}
	c.JSON(st, out)
}

func (s *Server) handleGetCase(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.store.CaseByID(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.respondCase(c, http.StatusOK, cs)
}

func (s *Server) handleUpdateCase(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	old, err := s.store.CaseByID(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	if old.Status != models.CaseDraft {
		s.fail(c, errCaseNotDraft)
		return
	}
	var in caseInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.updateCase(c, old, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.respondCase(c, http.StatusOK, cs)
}

var errCaseNotDraft = errs.E(errs.Conflict, "案件已提交审核，不能再修改事实")

// updateCase evaluates new facts for the draft case old and stores them.
func (s *Server) updateCase(c *gin.Context, old *models.Case, in caseInput) (*models.Case, error) {
	ev, err := s.evaluate(c, in, old.ID)
	if err != nil {
		return nil, err
	}
	return s.saveCaseUpdate(c, old, ev, in.Override == nil)
}

// saveCaseUpdate stores evaluated facts on the draft case old (API and web
// UI). With carry, an override the officer made earlier stays while the new
// facts still leave the outcome to discretion; where they no longer do (a
// mandatory ground now holds, or no first offense), it lapses and the audit
// detail says so.
func (s *Server) saveCaseUpdate(c *gin.Context, old *models.Case, ev *evaluated, carry bool) (*models.Case, error) {
	detail := ""
	if carry {
		prev, err := old.Evaluation()
		if err != nil {
			return nil, err
		}
		if prev.Override != nil {
			if kept, err := rules.ApplyOverride(ev.eval, *prev.Override); err == nil {
				ev.eval, detail = kept, "override kept"
			} else {
				detail = "override lapsed"
			}
		}
	}
	return s.store.UpdateCase(c.Request.Context(), actor(c), old.ID, ev.item, ev.authority.ID, ev.facts, ev.eval, "update_case", detail)
}

type overrideRequest struct {
	Outcome string `json:"outcome"`
	Reason  string `json:"reason"`
}

// handleOverride records an officer's written choice to penalise where the
// law only says "may not penalise"; mandatory grounds answer 422.
func (s *Server) handleOverride(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req overrideRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.overrideCase(c, id, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.respondCase(c, http.StatusOK, out)
}

// overrideCase applies an override to a stored case (API and web UI).
func (s *Server) overrideCase(c *gin.Context, id uint, req overrideRequest) (*models.Case, error) {
	ctx := c.Request.Context()
	cs, err := s.store.CaseByID(ctx, id)
	if err != nil {
		return nil, err
	}
	f, err := cs.Facts()
	if err != nil {
		return nil, err
	}
	ev, err := cs.Evaluation()
	if err != nil {
		return nil, err
	}
	if ev, err = rules.ApplyOverride(ev, rules.Override{Outcome: req.Outcome, Reason: req.Reason}); err != nil {
		return nil, err
	}
	item, err := s.store.ItemByCode(ctx, cs.ViolationCode)
	if err != nil {
		return nil, err
	}
	return s.store.UpdateCase(ctx, actor(c), id, item, cs.AuthorityID, f, ev, "override_case", "reason="+req.Reason)
}

func (s *Server) handleListCases(c *gin.Context) {
	page, _ := strconv.Atoi(c.DefaultQuery("page", "1"))
	per, _ := strconv.Atoi(c.DefaultQuery("per_page", "20"))
	q := models.CaseQuery{Q: strings.TrimSpace(c.Query("q")), Status: c.Query("status"),
		From: c.Query("from"), To: c.Query("to"), Page: page, PerPage: per}
	f := errs.Fields{}
	if q.From != "" && !rules.ValidDate(q.From) {
		f.Add("from", "日期格式应为YYYY-MM-DD")
	}
	if q.To != "" && !rules.ValidDate(q.To) {
		f.Add("to", "日期格式应为YYYY-MM-DD")
	}
	if err := f.Err(); err != nil {
		s.fail(c, err)
		return
	}
	cs, total, err := s.store.ListCases(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]caseJSON, 0, len(cs))
	for i := range cs {
		j, _ := toCaseJSON(&cs[i], false)
		out = append(out, j)
	}
	if page < 1 {
		page = 1
	}
	c.JSON(http.StatusOK, gin.H{"cases": out, "total": total, "page": page})
}
