package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/models"
	"penaltydoc/rules"
)

// webDocument loads the document a staff action names; false when the
// error page was answered.
func (s *Server) webDocument(c *gin.Context) (*casework.DocumentView, bool) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return nil, false
	}
	d, err := s.work.Document(c.Request.Context(), s.actor(c), id)
	if err != nil {
		s.uiError(c, err)
		return nil, false
	}
	return d, true
}

// webStep runs one casework step on the document and goes back to its case
// with flash; a refusal shows the case page with the message.
func (s *Server) webStep(c *gin.Context, form, flash string, step func(ctx context.Context, a casework.Actor, id uint) (*casework.DocumentView, error)) {
	d, ok := s.webDocument(c)
	if !ok {
		return
	}
	out, err := step(c.Request.Context(), s.actor(c), d.ID)
	if err != nil {
		s.actionFailed(c, d.CaseID, err, form, d.ID)
		return
	}
	if flash == "approved" && out.Status == models.DocReviewing {
		flash = "reviewed" // the legal review stage passed
	}
	done(c, casePath(d.CaseID), flash)
}

func (s *Server) handleSubmitForm(c *gin.Context)  { s.webStep(c, "", "submitted", s.work.Submit) }
func (s *Server) handleApproveForm(c *gin.Context) { s.webStep(c, "", "approved", s.work.Approve) }

// handleCorrectForm starts a correction with its reason and opens its
// revision of the facts.
func (s *Server) handleCorrectForm(c *gin.Context) {
	d, ok := s.webDocument(c)
	if !ok {
		return
	}
	out, err := s.work.Correct(c.Request.Context(), s.actor(c), d.ID, c.Request.PostForm.Get("reason"))
	if err != nil {
		s.actionFailed(c, d.CaseID, err, formCorrect, d.ID)
		return
	}
	done(c, fmt.Sprintf("/documents/%d/revision", out.ID), "corrected")
}

func (s *Server) handleWithdrawDocumentForm(c *gin.Context) {
	reason := c.Request.PostForm.Get("reason")
	s.webStep(c, formWithdraw, "withdrawn", func(ctx context.Context, a casework.Actor, id uint) (*casework.DocumentView, error) {
		return s.work.WithdrawDocument(ctx, a, id, reason)
	})
}

func (s *Server) handleReturnForm(c *gin.Context) {
	comment := c.Request.PostForm.Get("comment")
	s.webStep(c, formReturn, "returned", func(ctx context.Context, a casework.Actor, id uint) (*casework.DocumentView, error) {
		return s.work.Return(ctx, a, id, comment)
	})
}

func (s *Server) handleServeForm(c *gin.Context) {
	f := c.Request.PostForm
	in := casework.ServiceInput{Method: f.Get("method"), Date: f.Get("date"), Recipient: f.Get("recipient"), Place: f.Get("place")}
	s.webStep(c, formServe, "served", func(ctx context.Context, a casework.Actor, id uint) (*casework.DocumentView, error) {
		return s.work.Serve(ctx, a, id, in)
	})
}

type issuedPage struct {
	uiBase
	Doc         *casework.Issued
	Name        string
	DownloadURL string
}

// handleIssueForm issues an approved document and shows the party's access
// code on this one page: it is stored only as a hash, so the answer is
// the page itself, not a redirect.
func (s *Server) handleIssueForm(c *gin.Context) {
	d, ok := s.webDocument(c)
	if !ok {
		return
	}
	out, err := s.work.Issue(c.Request.Context(), s.actor(c), d.ID)
	if err != nil {
		s.actionFailed(c, d.CaseID, err, "", d.ID)
		return
	}
	p := issuedPage{uiBase: s.base(c, "文书已签发", "cases"), Doc: out, Name: rules.KindName(out.Kind),
		DownloadURL: s.work.DownloadURL()}
	s.ui(c, http.StatusOK, "ui_issued", p)
}

// handleDocumentPDFPage answers the document's PDF to a signed-in user:
// the frozen bytes once issued, else a draft (样稿).
func (s *Server) handleDocumentPDFPage(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	pdf, name, err := s.work.PDF(c.Request.Context(), s.actor(c), id)
	if err != nil {
		s.uiError(c, err)
		return
	}
	sendPDF(c, pdf, name)
}
