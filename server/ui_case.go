package main

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"penaltydoc/models"
	"penaltydoc/rules"
)

// casePage is a case: facts, evaluation, party history, documents and the
// actions the current user may take.
type casePage struct {
	uiBase
	Case        *models.Case
	Facts       rules.Facts
	Eval        rules.Evaluation
	Authority   *models.Authority
	ItemName    string
	History     []rules.PriorViolation
	Docs        []docView
	Kinds       []option // documents the officer may draft
	CanEdit     bool
	CanDraft    bool
	CanState    bool // record the party's statement, hearing or waiver
	CanOverride bool
	// The inline form that was posted, re-rendered with its messages.
	FormName string
	FormDoc  uint
	Form     map[string]string
	Fields   map[string]string
	Methods  []option
	Today    string
}

// docView is a document row with the actions the user may take on it.
type docView struct {
	models.Document
	Name        string
	StatusName  string
	Receipt     bool // a service receipt (issued with its document)
	TwoStage    bool
	CanSubmit   bool
	CanApprove  bool
	ApproveText string
	CanReturn   bool
	CanIssue    bool
	CanServe    bool
	CanCorrect  bool
	Deadlines   *models.Deadlines
}

// caseForm* name the inline forms of the case page.
const (
	formReturn    = "return"
	formServe     = "serve"
	formStatement = "statement"
	formOverride  = "override"
	formDocument  = "document"
)

// serviceMethodOrder is the order of the service method choices.
var serviceMethodOrder = []string{"direct", "lodged", "mail", "electronic", "entrusted", "transferred", "public_notice"}

// casePageState is what a failed inline form hands back to the page.
type casePageState struct {
	Error    string
	FormName string
	FormDoc  uint
	Form     map[string]string
	Fields   map[string]string
}

func (s *Server) handleCasePage(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	s.renderCase(c, id, http.StatusOK, casePageState{})
}

// renderCase shows case id; st carries a failed form's values and messages.
func (s *Server) renderCase(c *gin.Context, id uint, status int, st casePageState) {
	ctx := c.Request.Context()
	cs, err := s.store.CaseByID(ctx, id)
	if err != nil {
		s.uiError(c, err)
		return
	}
	p := casePage{uiBase: s.base(c, "案件 "+cs.PartyName, "cases"), Case: cs, FormName: st.FormName, FormDoc: st.FormDoc,
		Form: st.Form, Fields: st.Fields, Today: s.today()}
	p.Error = st.Error
	if p.Facts, err = cs.Facts(); err != nil {
		s.uiError(c, err)
		return
	}
	if p.Eval, err = cs.Evaluation(); err != nil {
		s.uiError(c, err)
		return
	}
	if p.Authority, err = s.store.Authority(ctx, cs.AuthorityID); err != nil {
		s.uiError(c, err)
		return
	}
	if it, err := s.store.ItemByCode(ctx, cs.ViolationCode); err == nil {
		p.ItemName = it.Name
	}
	if p.History, err = s.store.PartyHistory(ctx, cs.PartyKey, cs.ID); err != nil {
		s.uiError(c, err)
		return
	}
	docs, err := s.store.CaseDocuments(ctx, cs.ID)
	if err != nil {
		s.uiError(c, err)
		return
	}
	cal, err := s.store.Calendar(ctx)
	if err != nil {
		s.uiError(c, err)
		return
	}
	u := currentUser(c)
	isOfficer := u.HasRole(officer)
	twoStage := p.Eval.LegalReviewRequired
	for i := range docs {
		d := docs[i]
		v := docView{Document: d, Name: kindNames[d.Kind], StatusName: docStatusNames[d.Status],
			Receipt: d.Kind == rules.KindServiceReceipt, TwoStage: twoStage && models.IsDecision(d.Kind), Deadlines: d.Deadlines(cal)}
		switch d.Status {
		case models.DocDraft:
			v.CanSubmit = isOfficer
		case models.DocReviewing:
			switch {
			case v.TwoStage && d.ReviewStage == 0:
				v.StatusName, v.ApproveText = "待法制审核", "法制审核通过"
				v.CanApprove = u.HasRole(reviewer)
			case v.TwoStage:
				v.StatusName, v.ApproveText = "法制审核已通过，待负责人批准", "批准"
				v.CanApprove = u.HasRole(approver)
			default:
				v.StatusName, v.ApproveText = "待审批", "批准"
				v.CanApprove = u.HasRole(reviewer) || u.HasRole(approver)
			}
			v.CanReturn = u.HasRole(reviewer) || u.HasRole(approver)
		case models.DocApproved:
			v.CanIssue = u.HasRole(clerk)
			v.CanReturn = u.HasRole(reviewer) || u.HasRole(approver)
		case models.DocIssued:
			v.CanServe = !v.Receipt && u.HasRole(clerk)
			v.CanCorrect = !v.Receipt && isOfficer
		case models.DocServed:
			v.CanCorrect = !v.Receipt && isOfficer
		}
		p.Docs = append(p.Docs, v)
	}
	open := cs.Status != models.CaseClosed
	p.CanEdit = isOfficer && cs.Status == models.CaseDraft
	p.CanDraft = isOfficer && open
	p.CanState = isOfficer && open && p.Eval.Outcome == rules.OutcomePenalty && p.Eval.DocumentKind == rules.KindPenaltyDecision
	p.CanOverride = isOfficer && cs.Status == models.CaseDraft && p.Eval.Ground == rules.GroundFirstOffense &&
		p.Eval.Outcome == rules.OutcomeNoPenalty && !p.Eval.Mandatory && p.Eval.Override == nil
	for _, k := range allowedKinds(p.Eval) {
		p.Kinds = append(p.Kinds, option{k, kindNames[k]})
	}
	slices.Reverse(p.Kinds) // the advance notice first: it comes first
	for _, m := range serviceMethodOrder {
		p.Methods = append(p.Methods, option{m, serviceMethods[m]})
	}
	if p.Form == nil {
		p.Form = map[string]string{}
	}
	s.ui(c, status, "ui_case", p)
}
