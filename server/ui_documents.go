package main

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"penaltydoc/models"
)

// webDocument loads the document a staff action names; false when the
// error page was answered.
func (s *Server) webDocument(c *gin.Context) (*models.Document, bool) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return nil, false
	}
	d, err := s.store.DocumentByID(c.Request.Context(), id)
	if err != nil {
		s.uiError(c, err)
		return nil, false
	}
	return d, true
}

// docStep runs one store step on the document and goes back to its case
// with flash; a refusal shows the case page with the message.
func (s *Server) docStep(c *gin.Context, form, flash string, step func(ctx context.Context, a models.Actor, id uint) (*models.Document, error)) {
	d, ok := s.webDocument(c)
	if !ok {
		return
	}
	out, err := step(c.Request.Context(), actor(c), d.ID)
	if err != nil {
		s.actionFailed(c, d.CaseID, err, form, d.ID)
		return
	}
	if flash == "approved" && out.Status == models.DocReviewing {
		flash = "reviewed" // the legal review stage passed
	}
	done(c, casePath(d.CaseID), flash)
}

func (s *Server) handleSubmitForm(c *gin.Context) {
	s.docStep(c, "", "submitted", s.store.SubmitDocument)
}

func (s *Server) handleApproveForm(c *gin.Context) {
	u := currentUser(c)
	as := models.Approval{Reviewer: u.HasRole(reviewer), Approver: u.HasRole(approver), Admin: u.HasRole(admin)}
	s.docStep(c, "", "approved", func(ctx context.Context, a models.Actor, id uint) (*models.Document, error) {
		return s.store.ApproveDocument(ctx, a, as, id)
	})
}

func (s *Server) handleReturnForm(c *gin.Context) {
	comment := c.Request.PostForm.Get("comment")
	s.docStep(c, formReturn, "returned", func(ctx context.Context, a models.Actor, id uint) (*models.Document, error) {
		if err := checkReturnComment(comment); err != nil {
			return nil, err
		}
		return s.store.ReturnDocument(ctx, a, id, comment)
	})
}

func (s *Server) handleServeForm(c *gin.Context) {
	f := c.Request.PostForm
	req := serveRequest{Method: f.Get("method"), Date: f.Get("date"), Recipient: f.Get("recipient"), Place: f.Get("place")}
	s.docStep(c, formServe, "served", func(ctx context.Context, a models.Actor, id uint) (*models.Document, error) {
		sv, err := req.service()
		if err != nil {
			return nil, err
		}
		return s.store.ServeDocument(ctx, a, id, sv)
	})
}

func (s *Server) handleCorrectForm(c *gin.Context) {
	s.docStep(c, "", "corrected", s.store.CorrectDocument)
}

type issuedPage struct {
	uiBase
	Doc         *issueResponse
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
	out, err := s.issueDocument(c, d.ID)
	if err != nil {
		s.actionFailed(c, d.CaseID, err, "", d.ID)
		return
	}
	p := issuedPage{uiBase: s.base(c, "文书已签发", "cases"), Doc: out, Name: kindNames[out.Kind],
		DownloadURL: publicURL(s.baseURL, "/public/download")}
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
	pdf, name, err := s.documentPDF(c.Request.Context(), id)
	if err != nil {
		s.uiError(c, err)
		return
	}
	s.sendPDF(c, pdf, name)
}
