package main

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/models"
	"penaltydoc/rules"
)

// casePage is a case: facts, evaluation, party history, documents and the
// actions the current user may take (casework asks the permission rule).
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
	CanDiscuss  bool // record the heads' collective discussion
	// The hearing and the execution of the decision.
	CanHearing, CanPay, CanExecute bool
	Execution                      *casework.ExecutionView
	Hosts                          []option
	Instalments                    string // the approved plan, one a line
	CanWithdraw                    bool   // withdraw the case (not yet submitted)
	// Officers are the officers the case names, with their certificates.
	Officers []models.User
	// The inline form that was posted, re-rendered with its messages.
	FormName string
	FormDoc  uint
	Form     map[string]string
	Fields   map[string]string
	Methods  []option
	Today    string
	// StatementOutcomes are the review's conclusions (采纳…).
	StatementOutcomes []option
	// Portal: the party's submissions, consent and electronic services.
	Portal *portalPanel
}

// docView is a document row with the actions the user may take on it.
type docView struct {
	casework.DocumentView
	Name        string
	StatusName  string
	Receipt     bool // a service receipt (issued with its document)
	ApproveText string
}

// caseForm* name the inline forms of the case page.
const (
	formReturn     = "return"
	formServe      = "serve"
	formStatement  = "statement"
	formOverride   = "override"
	formDiscussion = "discussion"
	formPayment    = "payment"
	formDeferral   = "deferral"
	formExecution  = "execution"
	formHearing    = "hearing"
	formDocument   = "document"
	formCorrect    = "correct"
	formWithdraw   = "withdraw"
	formCaseGone   = "withdraw_case"
)

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

// stageTexts are the status and the approve button's words by approval
// stage.
var stageTexts = map[string][2]string{
	rules.StageLegalReview: {"待法制审核", "法制审核通过"},
	rules.StageHead:        {"待负责人批准", "批准"},
	rules.StageSingle:      {"待审批", "批准"},
}

// stageText is stageTexts[stage], saying so where the legal review has
// passed.
func stageText(stage string, reviewed bool) ([2]string, bool) {
	t, ok := stageTexts[stage]
	if ok && stage == rules.StageHead && reviewed {
		t[0] = "法制审核已通过，待负责人批准"
	}
	return t, ok
}

// renderCase shows case id; st carries a failed form's values and messages.
func (s *Server) renderCase(c *gin.Context, id uint, status int, st casePageState) {
	v, err := s.work.Case(c.Request.Context(), s.actor(c), id)
	if err != nil {
		s.uiError(c, err)
		return
	}
	cs := v.Case
	p := casePage{uiBase: s.base(c, "案件 "+cs.PartyName, "cases"), Case: cs, Facts: cs.Facts, Eval: cs.Evaluation,
		Authority: v.Authority, ItemName: v.ItemName, History: v.History,
		CanEdit: v.CanEdit, CanDraft: v.CanDraft, CanState: v.CanState, CanOverride: v.CanOverride, CanDiscuss: v.CanDiscuss,
		CanWithdraw: v.CanWithdraw, Officers: v.Officers,
		FormName: st.FormName, FormDoc: st.FormDoc, Form: st.Form, Fields: st.Fields, Today: s.work.Today()}
	p.Error = st.Error
	p.CanHearing, p.CanPay, p.CanExecute, p.Execution = v.CanHearing, v.CanPay, v.CanExecute, v.Execution
	for _, u := range v.Hosts {
		name := u.DisplayName
		if name == "" {
			name = u.Username
		}
		p.Hosts = append(p.Hosts, option{strconv.FormatUint(uint64(u.ID), 10), name})
	}
	for _, in := range cs.Instalments {
		p.Instalments += in.Due + " " + strconv.FormatFloat(in.Amount, 'f', -1, 64) + "\n"
	}
	for _, d := range v.Documents {
		dv := docView{DocumentView: d, Name: rules.KindName(d.Kind), StatusName: rules.DocStatusName(d.Status),
			Receipt: d.Kind == rules.KindServiceReceipt}
		if t, ok := stageText(d.Stage, d.ReviewStage > 0); ok {
			dv.StatusName, dv.ApproveText = t[0], t[1]
		}
		p.Docs = append(p.Docs, dv)
	}
	for _, k := range v.Kinds {
		p.Kinds = append(p.Kinds, option{k, rules.KindName(k)})
	}
	for _, m := range rules.ServiceMethods {
		p.Methods = append(p.Methods, option{m.Code, m.Name})
	}
	for _, o := range rules.StatementOutcomes {
		p.StatementOutcomes = append(p.StatementOutcomes, option{o, rules.StatementOutcomeName(o)})
	}
	if p.Form == nil {
		p.Form = map[string]string{}
	}
	if p.Portal, err = s.portalPanel(c, id); err != nil {
		s.uiError(c, err)
		return
	}
	s.ui(c, status, "ui_case", p)
}
