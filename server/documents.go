package main

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/rules"
)

type documentJSON struct {
	ID              uint       `json:"id"`
	CaseID          uint       `json:"case_id"`
	Kind            string     `json:"kind"`
	Status          string     `json:"status"`
	TemplateVersion int        `json:"template_version"`
	Number          string     `json:"number,omitempty"`
	IssueDate       string     `json:"issue_date,omitempty"`
	IssuedAt        *time.Time `json:"issued_at,omitempty"`
	SHA256          string     `json:"sha256,omitempty"`
	Comment         string     `json:"comment,omitempty"`
	CorrectsID      *uint      `json:"corrects_id,omitempty"`
	SupersededByID  *uint      `json:"superseded_by_id,omitempty"`
	ServedAt        *time.Time `json:"served_at,omitempty"`
	ServiceMethod   string     `json:"service_method,omitempty"`
	ServedTo        string     `json:"served_to,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	// The lifecycle.
	ReviewStage int `json:"review_stage"`
	// Stage is the approval a document under review waits for:
	// legal_review (a reviewer), head (an approver), single (an
	// on-the-spot decision's record: either).
	Stage           string           `json:"stage,omitempty"`
	LegalReviewDate string           `json:"legal_review_date,omitempty"`
	ServedDate      string           `json:"served_date,omitempty"`
	ServicePlace    string           `json:"service_place,omitempty"`
	ServesID        *uint            `json:"serves_id,omitempty"`
	VerifyURL       string           `json:"verify_url,omitempty"`
	Deadlines       *rules.Deadlines `json:"deadlines,omitempty"`
	// Basis is what a draft was made from; Stale, that the case's facts or
	// evaluation changed since (the draft can no longer go on).
	Basis *rules.Basis `json:"basis,omitempty"`
	Stale bool         `json:"stale,omitempty"`
	// A correction: why, and its revision of the facts (the facts and the
	// evaluation the correction prints).
	CorrectionReason   string            `json:"correction_reason,omitempty"`
	RevisionFacts      *rules.Facts      `json:"revision_facts,omitempty"`
	RevisionEvaluation *rules.Evaluation `json:"revision_evaluation,omitempty"`
	// A withdrawn draft (作废): why, by whom, when.
	WithdrawnReason string     `json:"withdrawn_reason,omitempty"`
	WithdrawnByID   *uint      `json:"withdrawn_by_id,omitempty"`
	WithdrawnAt     *time.Time `json:"withdrawn_at,omitempty"`
}

// toDocumentJSON is a document's answer.
func toDocumentJSON(v *casework.DocumentView) documentJSON {
	d := &v.Document
	out := documentJSON{ID: d.ID, CaseID: d.CaseID, Kind: d.Kind, Status: d.Status, TemplateVersion: d.TemplateVersion,
		IssueDate: d.IssueDate, IssuedAt: d.IssuedAt, SHA256: d.SHA256, Comment: d.Comment, CorrectsID: d.CorrectsID,
		SupersededByID: d.SupersededByID, ServedAt: d.ServedAt, ServiceMethod: d.ServiceMethod, ServedTo: d.ServedTo,
		CreatedAt: d.CreatedAt, ReviewStage: d.ReviewStage, LegalReviewDate: d.LegalReviewDate, ServedDate: d.ServedDate,
		ServicePlace: d.ServicePlace, ServesID: d.ServesID, VerifyURL: v.VerifyURL, Deadlines: v.Deadlines, Stale: v.Stale, Stage: v.Stage,
		CorrectionReason: d.CorrectionReason, RevisionFacts: d.RevisionFacts, RevisionEvaluation: d.RevisionEvaluation,
		WithdrawnReason: d.WithdrawnReason, WithdrawnByID: d.WithdrawnByID, WithdrawnAt: d.WithdrawnAt}
	if d.Basis.Hash != "" {
		b := d.Basis
		out.Basis = &b
	}
	if d.Number != nil {
		out.Number = *d.Number
	}
	return out
}

// respondDocument answers the document a step gave.
func (s *Server) respondDocument(c *gin.Context, st int, v *casework.DocumentView, err error) {
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(st, toDocumentJSON(v))
}

type createDocumentRequest struct {
	Kind string `json:"kind"`
}

func (s *Server) handleCreateDocument(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req createDocumentRequest
	if c.Request.ContentLength != 0 {
		if err := bindJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	v, err := s.work.Draft(c.Request.Context(), s.actor(c), id, req.Kind)
	s.respondDocument(c, http.StatusCreated, v, err)
}

func (s *Server) handleGetDocument(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.work.Document(c.Request.Context(), s.actor(c), id)
	s.respondDocument(c, http.StatusOK, v, err)
}

// handleDocumentPDF answers an issued document's frozen bytes, or renders a
// draft (样稿, no number) with the template version the document keeps.
func (s *Server) handleDocumentPDF(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	pdf, name, err := s.work.PDF(c.Request.Context(), s.actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	sendPDF(c, pdf, name)
}

func sendPDF(c *gin.Context, pdf []byte, filename string) {
	c.Header("Content-Disposition", `inline; filename="document.pdf"; filename*=UTF-8''`+urlPathEscape(filename))
	c.Header("Cache-Control", "private, no-store")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "application/pdf", pdf)
}
