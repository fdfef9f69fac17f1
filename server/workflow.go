package main

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
)

// The document lifecycle over HTTP: submit, approve, return, issue, serve,
// correct. Handlers bind; casework does every step.

// docStep answers the document a casework step returns.
func (s *Server) docStep(c *gin.Context, st int, step func(ctx context.Context, a casework.Actor, id uint) (*casework.DocumentView, error)) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := step(c.Request.Context(), s.actor(c), id)
	s.respondDocument(c, st, v, err)
}

func (s *Server) handleSubmitDocument(c *gin.Context)  { s.docStep(c, http.StatusOK, s.work.Submit) }
func (s *Server) handleApproveDocument(c *gin.Context) { s.docStep(c, http.StatusOK, s.work.Approve) }

// reasonRequest is the body of correct and withdraw.
type reasonRequest struct {
	Reason string `json:"reason"`
}

// handleCorrectDocument takes the reason; a request without a body (as
// before the reason was asked for) meets the reason's 422, not a 400.
func (s *Server) handleCorrectDocument(c *gin.Context) {
	var req reasonRequest
	if c.Request.ContentLength != 0 {
		if err := bindJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.docStep(c, http.StatusCreated, func(ctx context.Context, a casework.Actor, id uint) (*casework.DocumentView, error) {
		return s.work.Correct(ctx, a, id, req.Reason)
	})
}

func (s *Server) handleReviseCorrection(c *gin.Context) {
	var in casework.RevisionInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	s.docStep(c, http.StatusOK, func(ctx context.Context, a casework.Actor, id uint) (*casework.DocumentView, error) {
		return s.work.Revise(ctx, a, id, in)
	})
}

func (s *Server) handleWithdrawDocument(c *gin.Context) {
	var req reasonRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	s.docStep(c, http.StatusOK, func(ctx context.Context, a casework.Actor, id uint) (*casework.DocumentView, error) {
		return s.work.WithdrawDocument(ctx, a, id, req.Reason)
	})
}

func (s *Server) handleWithdrawCase(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req reasonRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.work.WithdrawCase(c.Request.Context(), s.actor(c), id, req.Reason)
	s.respondCase(c, http.StatusOK, cs, err)
}

type returnRequest struct {
	Comment string `json:"comment"`
}

func (s *Server) handleReturnDocument(c *gin.Context) {
	var req returnRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	s.docStep(c, http.StatusOK, func(ctx context.Context, a casework.Actor, id uint) (*casework.DocumentView, error) {
		return s.work.Return(ctx, a, id, req.Comment)
	})
}

func (s *Server) handleServeDocument(c *gin.Context) {
	var in casework.ServiceInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	s.docStep(c, http.StatusOK, func(ctx context.Context, a casework.Actor, id uint) (*casework.DocumentView, error) {
		return s.work.Serve(ctx, a, id, in)
	})
}

// issueResponse is the issued document, with the party's access code shown
// this once and the receipt that prints it.
type issueResponse struct {
	documentJSON
	AccessCode       string `json:"access_code,omitempty"`
	ServiceReceiptID uint   `json:"service_receipt_id,omitempty"`
}

func (s *Server) handleIssueDocument(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.work.Issue(c.Request.Context(), s.actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, issueResponse{documentJSON: toDocumentJSON(out.DocumentView), AccessCode: out.AccessCode,
		ServiceReceiptID: out.ServiceReceiptID})
}
