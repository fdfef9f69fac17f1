package main

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

func (s *Server) handleEvaluate(c *gin.Context) {
	var in casework.CaseInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	ev, err := s.work.Evaluate(c.Request.Context(), s.actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ev.Evaluation)
}

type caseJSON struct {
	ID             uint   `json:"id"`
	Number         string `json:"number"`
	Status         string `json:"status"`
	AuthorityID    uint   `json:"authority_id"`
	ViolationCode  string `json:"violation_code"`
	ItemName       string `json:"item_name,omitempty"`
	PartyName      string `json:"party_name"`
	Outcome        string `json:"outcome"`
	Ground         string `json:"ground"`
	DiscoveredDate string `json:"discovered_date"`
	OfficerID      uint   `json:"officer_id"`
	Authority      string `json:"authority,omitempty"` // lists: the authority's name
	// Extension is the head's extension of the decision period, once
	// recorded (supervision.go).
	Extension     *caseExtensionJSON     `json:"extension,omitempty"`
	OfficerNames  []string               `json:"officer_names,omitempty"` // lists: the officers' names
	Facts         *rules.Facts           `json:"facts,omitempty"`
	Evaluation    *rules.Evaluation      `json:"evaluation,omitempty"`
	Statement     string                 `json:"statement"`
	HearingHeld   bool                   `json:"hearing_held"`
	HearingResult string                 `json:"hearing_result"`
	Waived        bool                   `json:"waived"`
	Discussion    *discussionJSON        `json:"discussion,omitempty"`
	PaymentState  string                 `json:"payment_state"`
	Hearing       *hearingJSON           `json:"hearing,omitempty"`
	Execution     *executionJSON         `json:"execution,omitempty"`
	History       []rules.PriorViolation `json:"history,omitempty"`
	Documents     []documentJSON         `json:"documents,omitempty"`
	// OfficerIDs are the enforcement officers the case names; Officers
	// them with their certificates (the case view only).
	OfficerIDs []uint        `json:"officer_ids"`
	Officers   []officerJSON `json:"officers,omitempty"`
	// A withdrawn case (撤回): why, by whom, when.
	WithdrawnReason string     `json:"withdrawn_reason,omitempty"`
	WithdrawnByID   *uint      `json:"withdrawn_by_id,omitempty"`
	WithdrawnAt     *time.Time `json:"withdrawn_at,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// officerJSON is an officer a case names.
type officerJSON struct {
	ID                uint   `json:"id"`
	Username          string `json:"username"`
	DisplayName       string `json:"display_name"`
	CertificateNumber string `json:"certificate_number"`
	Area              string `json:"area"`
}

// handleListOfficers lists the users a case of authority_id (default: the
// user's own) may name as its officers.
func (s *Server) handleListOfficers(c *gin.Context) {
	var auth uint64
	if q := c.Query("authority_id"); q != "" {
		var err error
		if auth, err = strconv.ParseUint(q, 10, 32); err != nil {
			s.fail(c, errs.Field("authority_id", "执法机关编号应为数字"))
			return
		}
	}
	us, err := s.work.Officers(c.Request.Context(), s.actor(c), uint(auth))
	if err != nil {
		s.fail(c, err)
		return
	}
	out := []officerJSON{}
	for _, u := range us {
		out = append(out, officerJSON{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, CertificateNumber: u.CertificateNumber, Area: u.Area})
	}
	c.JSON(http.StatusOK, gin.H{"officers": out})
}

// discussionJSON is the heads' collective discussion of a case.
type discussionJSON struct {
	Date         string `json:"date"`
	Participants string `json:"participants"`
	Conclusion   string `json:"conclusion"`
}

// hearingJSON is the party's hearing: request, notice, record.
type hearingJSON struct {
	RequestedDate string `json:"requested_date"`
	Scheduled     string `json:"hearing_scheduled"`
	Time          string `json:"hearing_time"`
	Place         string `json:"hearing_place"`
	HostID        *uint  `json:"host_id"`
	Host          string `json:"host"`
	Held          bool   `json:"hearing_held"`
	Date          string `json:"hearing_date"`
	Participants  string `json:"hearing_participants"`
	Summary       string `json:"hearing_summary"`
	Result        string `json:"hearing_result"`
}

// executionJSON is a decided case's execution.
type executionJSON struct {
	*casework.ExecutionView
	DeferralApplied    string             `json:"deferral_applied,omitempty"`
	DeferralApproved   string             `json:"deferral_approved,omitempty"`
	Instalments        []rules.Instalment `json:"instalments,omitempty"`
	OtherExecuted      string             `json:"other_executed,omitempty"`
	OtherExecutedNote  string             `json:"other_executed_note,omitempty"`
	EnforcementApplied string             `json:"enforcement_applied,omitempty"`
}

func toCaseJSON(cs *models.Case, full bool) caseJSON {
	out := caseJSON{ID: cs.ID, Number: casework.CaseNumber(cs), Status: cs.Status, AuthorityID: cs.AuthorityID, OfficerID: cs.OfficerID, ViolationCode: cs.ViolationCode,
		PartyName: cs.PartyName, Outcome: cs.Outcome, Ground: cs.Ground, DiscoveredDate: cs.DiscoveredDate,
		Statement: cs.Statement, HearingHeld: cs.HearingHeld, HearingResult: cs.HearingResult, Waived: cs.Waived,
		CreatedAt: cs.CreatedAt, UpdatedAt: cs.UpdatedAt, OfficerIDs: cs.Officers(),
		WithdrawnReason: cs.WithdrawnReason, WithdrawnByID: cs.WithdrawnByID, WithdrawnAt: cs.WithdrawnAt}
	if out.OfficerIDs == nil {
		out.OfficerIDs = []uint{}
	}
	out.PaymentState = cs.PaymentState
	out.Extension = extensionOf(cs)
	if cs.HearingRequested != "" {
		out.Hearing = &hearingJSON{RequestedDate: cs.HearingRequested, Scheduled: cs.HearingScheduled, Time: cs.HearingTime,
			Place: cs.HearingPlace, HostID: cs.HearingHostID, Host: cs.HearingHost, Held: cs.HearingHeld, Date: cs.HearingDate,
			Participants: cs.HearingParticipants, Summary: cs.HearingSummary, Result: cs.HearingResult}
	}
	if cs.DiscussionDate != "" {
		out.Discussion = &discussionJSON{Date: cs.DiscussionDate, Participants: cs.DiscussionParticipants, Conclusion: cs.DiscussionConclusion}
	}
	if full {
		f, ev := cs.Facts, cs.Evaluation
		out.Facts, out.Evaluation = &f, &ev
	}
	return out
}

// toCaseViewJSON answers a case with its facts, evaluation, party history
// and documents.
func toCaseViewJSON(v *casework.CaseView) caseJSON {
	out := toCaseJSON(v.Case, true)
	out.ItemName, out.History = v.ItemName, v.History
	if x := v.Execution; x != nil {
		cs := v.Case
		out.Execution = &executionJSON{ExecutionView: x, DeferralApplied: cs.DeferralApplied, DeferralApproved: cs.DeferralApproved,
			Instalments: cs.Instalments, OtherExecuted: cs.OtherExecuted, OtherExecutedNote: cs.OtherExecutedNote,
			EnforcementApplied: cs.EnforcementApplied}
	}
	for _, u := range v.Officers {
		out.Officers = append(out.Officers, officerJSON{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName,
			CertificateNumber: u.CertificateNumber, Area: u.Area})
	}
	for i := range v.Documents {
		out.Documents = append(out.Documents, toDocumentJSON(&v.Documents[i]))
	}
	return out
}

// respondCase answers the case (as the actor now sees it) after a step.
func (s *Server) respondCase(c *gin.Context, st int, cs *models.Case, err error) {
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.work.Case(c.Request.Context(), s.actor(c), cs.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(st, toCaseViewJSON(v))
}

func (s *Server) handleCreateCase(c *gin.Context) {
	var in casework.CaseInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.work.CreateCase(c.Request.Context(), s.actor(c), in)
	s.respondCase(c, http.StatusCreated, cs, err)
}

func (s *Server) handleGetCase(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.work.Case(c.Request.Context(), s.actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toCaseViewJSON(v))
}

func (s *Server) handleUpdateCase(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in casework.CaseInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.work.UpdateCase(c.Request.Context(), s.actor(c), id, in)
	s.respondCase(c, http.StatusOK, cs, err)
}

// handleOverride records an officer's written choice to penalise where the
// law only says "may not penalise"; mandatory grounds answer 422.
func (s *Server) handleOverride(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var o rules.Override
	if err := bindJSON(c, &o); err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.work.Override(c.Request.Context(), s.actor(c), id, o)
	s.respondCase(c, http.StatusOK, cs, err)
}

// handleStatement records the party's statement and defence, the hearing
// and its result, or that the party waived its rights; the decision prints
// it.
func (s *Server) handleStatement(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in casework.StatementInput
	if err := bindJSONObject(c, &in, "statement"); err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.work.RecordStatement(c.Request.Context(), s.actor(c), id, in)
	s.respondCase(c, http.StatusOK, cs, err)
}

func (s *Server) handleDiscussion(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in casework.DiscussionInput
	if err := bindJSONObject(c, &in, "discussion"); err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.work.RecordDiscussion(c.Request.Context(), s.actor(c), id, in)
	s.respondCase(c, http.StatusOK, cs, err)
}

func (s *Server) handleListCases(c *gin.Context) {
	q := caseQueryOf(c, s.actor(c), false)
	p, err := s.work.ListCases(c.Request.Context(), s.actor(c), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	cs := p.Cases
	out := make([]caseJSON, 0, len(cs))
	for i := range cs {
		j := toCaseJSON(&cs[i].Case, false)
		j.Authority, j.OfficerNames = cs[i].AuthorityName, cs[i].Officers
		if j.OfficerNames == nil {
			j.OfficerNames = []string{}
		}
		out = append(out, j)
	}
	body := gin.H{"cases": out, "total": p.Total, "total_capped": p.Capped, "page": p.Page, "more": p.More}
	if p.More {
		body["next_before"] = p.NextBefore
	}
	if p.Prev {
		body["prev_after"] = p.PrevAfter
	}
	c.JSON(http.StatusOK, body)
}

// caseStep binds the JSON body into in and answers the case fn returns.
func caseStep[T any](s *Server, c *gin.Context, name string, fn func(context.Context, casework.Actor, uint, T) (*models.Case, error)) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in T
	if err := bindJSONObject(c, &in, name); err != nil {
		s.fail(c, err)
		return
	}
	cs, err := fn(c.Request.Context(), s.actor(c), id, in)
	s.respondCase(c, http.StatusOK, cs, err)
}

func (s *Server) handlePayment(c *gin.Context)   { caseStep(s, c, "payment", s.work.RecordPayment) }
func (s *Server) handleDeferral(c *gin.Context)  { caseStep(s, c, "deferral", s.work.RecordDeferral) }
func (s *Server) handleExecution(c *gin.Context) { caseStep(s, c, "execution", s.work.RecordExecution) }
func (s *Server) handleHearing(c *gin.Context)   { caseStep(s, c, "hearing", s.work.RecordHearing) }
