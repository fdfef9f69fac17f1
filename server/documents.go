package main

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
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
	// The lifecycle (server/workflow.go).
	ReviewStage     int               `json:"review_stage"`
	LegalReviewDate string            `json:"legal_review_date,omitempty"`
	ServedDate      string            `json:"served_date,omitempty"`
	ServicePlace    string            `json:"service_place,omitempty"`
	ServesID        *uint             `json:"serves_id,omitempty"`
	VerifyURL       string            `json:"verify_url,omitempty"`
	Deadlines       *models.Deadlines `json:"deadlines,omitempty"`
}

// toDocumentJSON is a document's answer; deadlines follow cal.
func toDocumentJSON(d *models.Document, cal rules.Calendar) documentJSON {
	out := documentJSON{ID: d.ID, CaseID: d.CaseID, Kind: d.Kind, Status: d.Status, TemplateVersion: d.TemplateVersion,
		IssueDate: d.IssueDate, IssuedAt: d.IssuedAt, SHA256: d.SHA256, Comment: d.Comment, CorrectsID: d.CorrectsID,
		SupersededByID: d.SupersededByID, ServedAt: d.ServedAt, ServiceMethod: d.ServiceMethod, ServedTo: d.ServedTo,
		CreatedAt: d.CreatedAt, ReviewStage: d.ReviewStage, LegalReviewDate: d.LegalReviewDate, ServedDate: d.ServedDate,
		ServicePlace: d.ServicePlace, ServesID: d.ServesID, Deadlines: d.Deadlines(cal)}
	if d.Number != nil {
		out.Number = *d.Number
	}
	return out
}

type createDocumentRequest struct {
	Kind string `json:"kind"`
}

// allowedKinds are the document kinds an officer may draft for a case with
// this evaluation: its decision (the evaluation's document kind) and the
// advance notice before a penalty decision. Service receipts are issued
// with their document, carrying its number and the party's access code.
func allowedKinds(ev rules.Evaluation) []string {
	kinds := []string{ev.DocumentKind}
	if ev.Outcome == rules.OutcomePenalty && ev.DocumentKind == rules.KindPenaltyDecision {
		kinds = append(kinds, rules.KindAdvanceNotice)
	}
	return kinds
}

var kindNames = map[string]string{
	rules.KindPenaltyDecision:   "行政处罚决定书",
	rules.KindNoPenaltyDecision: "不予行政处罚决定书",
	rules.KindOnTheSpotDecision: "当场行政处罚决定书",
	rules.KindAdvanceNotice:     "行政处罚事先告知书",
	rules.KindServiceReceipt:    "送达回证",
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
	d, err := s.createDocument(c, id, req.Kind)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.docJSON(c, d))
}

// createDocument drafts a document of kind ("" for the evaluation's own)
// on a case, refusing kinds the case's evaluation does not allow. The API
// and the web UI both create documents through it.
func (s *Server) createDocument(c *gin.Context, caseID uint, kind string) (*models.Document, error) {
	ctx := c.Request.Context()
	cs, err := s.store.CaseByID(ctx, caseID)
	if err != nil {
		return nil, err
	}
	ev, err := cs.Evaluation()
	if err != nil {
		return nil, err
	}
	kind = strings.TrimSpace(kind)
	if kind == "" {
		kind = ev.DocumentKind
	}
	if !slices.Contains(render.Kinds(), kind) {
		return nil, &errs.Error{Code: errs.Invalid, Message: "文书种类无效", Fields: map[string]string{"kind": "文书种类无效，可选 " + strings.Join(render.Kinds(), "、")}}
	}
	if allowed := allowedKinds(ev); !slices.Contains(allowed, kind) {
		names := make([]string, len(allowed))
		for i, k := range allowed {
			names[i] = kindNames[k]
		}
		msg := "本案的处理结论不适用" + kindNames[kind] + "，可制作：" + strings.Join(names, "、")
		return nil, &errs.Error{Code: errs.Invalid, Message: msg, Fields: map[string]string{"kind": msg}}
	}
	d := &models.Document{CaseID: cs.ID, AuthorityID: cs.AuthorityID, Kind: kind}
	if err := s.store.CreateDocument(ctx, actor(c), d); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) handleGetDocument(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.store.DocumentByID(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.docJSON(c, d))
}

// handleDocumentPDF answers an issued document's frozen bytes, or renders a
// draft (样稿, no number) with the template version the document keeps.
func (s *Server) handleDocumentPDF(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	pdf, name, err := s.documentPDF(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendPDF(c, pdf, name)
}

// documentPDF is a document's PDF and file name: the frozen bytes once
// issued, else a draft rendered now. The API and the web UI share it.
func (s *Server) documentPDF(ctx context.Context, id uint) ([]byte, string, error) {
	d, err := s.store.DocumentPDF(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if len(d.PDF) > 0 {
		return d.PDF, documentFileName(d), nil
	}
	data, err := s.documentData(ctx, d)
	if err != nil {
		return nil, "", err
	}
	t, err := s.template(ctx, d.Kind, d.TemplateVersion)
	if err != nil {
		return nil, "", err
	}
	pdf, err := s.renderer.Render(ctx, t, data)
	if err != nil {
		return nil, "", renderError(err)
	}
	return pdf, documentFileName(d), nil
}

func documentFileName(d *models.Document) string {
	name := kindNames[d.Kind]
	if d.Number != nil {
		return name + "-" + *d.Number + ".pdf"
	}
	return name + "-样稿.pdf"
}

func (s *Server) sendPDF(c *gin.Context, pdf []byte, filename string) {
	c.Header("Content-Disposition", `inline; filename="document.pdf"; filename*=UTF-8''`+urlPathEscape(filename))
	c.Header("Cache-Control", "private, no-store")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "application/pdf", pdf)
}
