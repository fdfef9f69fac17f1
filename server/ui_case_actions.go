package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/models"
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
	formPayment:    {"date", "amount", "receipt"},
	formDeferral:   {"applied_date", "approved_date", "instalments"},
	formExecution:  {"other_executed", "other_executed_note", "enforcement_applied"},
	formHearing: {"requested_date", "hearing_scheduled", "hearing_time", "hearing_place", "host_id", "hearing_held",
		"hearing_date", "hearing_participants", "hearing_summary", "hearing_result"},
	formDocument: {"kind"},
	formCorrect:  {"reason"},
	formWithdraw: {"reason"},
	formCaseGone: {"reason"},
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

// inlineForm runs one inline form of the case page: bind reads the posted
// form into the input (or refuses it with field messages), fn records it.
func inlineForm[T any](s *Server, c *gin.Context, name string, bind func(url.Values) (T, error),
	fn func(context.Context, casework.Actor, uint, T) (*models.Case, error)) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	in, err := bind(c.Request.PostForm)
	if err == nil {
		_, err = fn(c.Request.Context(), s.actor(c), id, in)
	}
	if err != nil {
		s.actionFailed(c, id, err, name, 0)
		return
	}
	done(c, casePath(id), name)
}

// formAmount reads a sum of yuan.
func formAmount(fe errs.Fields, key, v string) float64 {
	v = strings.ReplaceAll(strings.TrimSpace(v), ",", "")
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		fe.Add(key, "金额应为数字（元），如 500 或 1234.56")
		return 0
	}
	return x
}

func (s *Server) handlePaymentForm(c *gin.Context) {
	inlineForm(s, c, formPayment, func(f url.Values) (casework.PaymentInput, error) {
		fe := errs.Fields{}
		in := casework.PaymentInput{Date: f.Get("date"), Amount: formAmount(fe, "amount", f.Get("amount")), Receipt: f.Get("receipt")}
		return in, fe.Err()
	}, s.work.RecordPayment)
}

// handleDeferralForm reads the instalments one a line: a due date and an
// amount (2026-05-31 500).
func (s *Server) handleDeferralForm(c *gin.Context) {
	inlineForm(s, c, formDeferral, func(f url.Values) (casework.DeferralInput, error) {
		fe := errs.Fields{}
		in := casework.DeferralInput{AppliedDate: f.Get("applied_date"), ApprovedDate: f.Get("approved_date")}
		for _, line := range strings.Split(f.Get("instalments"), "\n") {
			parts := strings.Fields(line)
			if len(parts) == 0 {
				continue
			}
			if len(parts) != 2 {
				fe.Add("instalments", "每行写一期：缴纳期限和金额，如“2026-05-31 500”")
				break
			}
			in.Instalments = append(in.Instalments, rules.Instalment{Due: parts[0], Amount: formAmount(fe, "instalments", parts[1])})
		}
		return in, fe.Err()
	}, s.work.RecordDeferral)
}

func (s *Server) handleExecutionForm(c *gin.Context) {
	inlineForm(s, c, formExecution, func(f url.Values) (casework.ExecutionInput, error) {
		return casework.ExecutionInput{OtherExecuted: f.Get("other_executed"), OtherExecutedNote: f.Get("other_executed_note"),
			EnforcementApplied: f.Get("enforcement_applied")}, nil
	}, s.work.RecordExecution)
}

func (s *Server) handleHearingForm(c *gin.Context) {
	inlineForm(s, c, formHearing, func(f url.Values) (casework.HearingInput, error) {
		in := casework.HearingInput{RequestedDate: f.Get("requested_date"), Scheduled: f.Get("hearing_scheduled"),
			Time: f.Get("hearing_time"), Place: f.Get("hearing_place"), Held: f.Get("hearing_held") != "",
			Date: f.Get("hearing_date"), Participants: f.Get("hearing_participants"), Summary: f.Get("hearing_summary"),
			Result: f.Get("hearing_result")}
		if v := strings.TrimSpace(f.Get("host_id")); v != "" {
			id, err := strconv.ParseUint(v, 10, 32)
			if err != nil {
				return in, errs.Field("host_id", "请选择听证主持人")
			}
			in.HostID = uint(id)
		}
		return in, nil
	}, s.work.RecordHearing)
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
