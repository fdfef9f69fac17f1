package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/rules"
)

// formInputs are the inputs of each inline form of the case page; a field
// message for anything else joins the page's message.
var formInputs = map[string][]string{
	formReturn:     {"comment"},
	formServe:      {"method", "date", "recipient", "place"},
	formStatement:  {"statement", "statement_outcome", "statement_reason", "hearing_held", "hearing_date", "hearing_result", "waived"},
	formOverride:   {"reason"},
	formDiscussion: {"date", "participants", "conclusion"},
	formDocument:   {"kind"},
	formCorrect:    {"reason"},
	formWithdraw:   {"reason"},
	formCaseGone:   {"reason"},
}

// actionFailed shows the case page again with the failed form's values and
// messages (status by error code); not found, unavailable and internal
// errors get the error page.
func (s *Server) actionFailed(c *gin.Context, caseID uint, err error, formName string, docID uint) {
	var e *errs.Error
	if !errors.As(err, &e) || e.Code == errs.Internal || e.Code == errs.NotFound || e.Code == errs.Unavailable || e.Code == "" {
		s.uiError(c, err)
		return
	}
	st := casePageState{Error: e.Message, FormName: formName, FormDoc: docID, Form: map[string]string{}, Fields: map[string]string{}}
	for _, k := range formInputs[formName] {
		st.Form[k] = c.Request.PostForm.Get(k)
	}
	for k, msg := range e.Fields {
		if strings.HasPrefix(k, "override") {
			k = "reason"
		}
		if slices.Contains(formInputs[formName], k) {
			st.Fields[k] = msg
		} else if !strings.Contains(st.Error, msg) {
			st.Error += " " + msg
		}
	}
	s.renderCase(c, caseID, status(e.Code), st)
}

func casePath(id uint) string { return fmt.Sprintf("/cases/%d", id) }

// handleCreateDocumentForm drafts a document of the chosen kind.
func (s *Server) handleCreateDocumentForm(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	if _, err := s.work.Draft(c.Request.Context(), s.actor(c), id, c.Request.PostForm.Get("kind")); err != nil {
		s.actionFailed(c, id, err, formDocument, 0)
		return
	}
	done(c, casePath(id), "document")
}

// handleStatementForm records the party's statement, hearing or waiver.
func (s *Server) handleStatementForm(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	f := c.Request.PostForm
	in := casework.StatementInput{Statement: f.Get("statement"), Outcome: f.Get("statement_outcome"), Reason: f.Get("statement_reason"),
		HearingHeld: checked(f.Get("hearing_held")), HearingDate: f.Get("hearing_date"), HearingResult: f.Get("hearing_result"),
		Waived: checked(f.Get("waived"))}
	if _, err := s.work.RecordStatement(c.Request.Context(), s.actor(c), id, in); err != nil {
		s.actionFailed(c, id, err, formStatement, 0)
		return
	}
	done(c, casePath(id), "statement")
}

// handleDiscussionForm records the heads' collective discussion.
func (s *Server) handleDiscussionForm(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	f := c.Request.PostForm
	in := casework.DiscussionInput{Date: f.Get("date"), Participants: f.Get("participants"), Conclusion: f.Get("conclusion")}
	if _, err := s.work.RecordDiscussion(c.Request.Context(), s.actor(c), id, in); err != nil {
		s.actionFailed(c, id, err, formDiscussion, 0)
		return
	}
	done(c, casePath(id), "discussion")
}

// handleOverrideForm records the officer's written choice to penalise a
// first offense.
func (s *Server) handleOverrideForm(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	o := rules.Override{Outcome: rules.OutcomePenalty, Reason: c.Request.PostForm.Get("reason")}
	if _, err := s.work.Override(c.Request.Context(), s.actor(c), id, o); err != nil {
		if errs.Is(err, errs.Conflict) {
			s.uiError(c, err) // no longer a draft: the page offers no form
			return
		}
		s.actionFailed(c, id, err, formOverride, 0)
		return
	}
	done(c, casePath(id), "overridden")
}

// handleWithdrawCaseForm withdraws a case not yet submitted, with its
// drafts.
func (s *Server) handleWithdrawCaseForm(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	if _, err := s.work.WithdrawCase(c.Request.Context(), s.actor(c), id, c.Request.PostForm.Get("reason")); err != nil {
		s.actionFailed(c, id, err, formCaseGone, 0)
		return
	}
	done(c, casePath(id), "case_withdrawn")
}
