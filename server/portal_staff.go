package main

// The staff's side of the portal and of electronic service: the case
// page's panel, the review of a statement sent online, a paper consent,
// the evidence files (to the case's staff only), and service by e-mail.

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

// portalPanel is the case page's panel of what the party sent online.
type portalPanel struct {
	Submissions []models.PortalSubmission
	Consent     *models.ServiceConsent
	Emails      []models.EmailService
	Kinds       map[string]string
	Outcomes    map[string]string
	PortalURL   string
}

func init() {
	formInputs["review"] = []string{"statement_outcome", "statement_reason"}
	formInputs["consent"] = []string{"email", "signed_date"}
	formInputs["serve_email"] = []string{"access_code"}
}

func (s *Server) portalPanel(c *gin.Context, caseID uint) (*portalPanel, error) {
	a := s.actor(c)
	subs, consent, err := s.work.Submissions(c.Request.Context(), a, caseID)
	if err != nil {
		return nil, err
	}
	emails, err := s.work.EmailServices(c.Request.Context(), a, caseID)
	if err != nil {
		return nil, err
	}
	p := &portalPanel{Submissions: subs, Consent: consent, Emails: emails, Kinds: portalKinds, Outcomes: map[string]string{},
		PortalURL: s.work.PublicURL("/public")}
	for _, o := range rules.StatementOutcomes {
		p.Outcomes[o] = rules.StatementOutcomeName(o)
	}
	return p, nil
}

func paramID(c *gin.Context, name string) (uint, error) {
	id, err := strconv.ParseUint(c.Param(name), 10, 32)
	if err != nil || id == 0 {
		return 0, errNotFound
	}
	return uint(id), nil
}

// handleReviewSubmissionForm records 采纳/不采纳 of a statement sent online.
func (s *Server) handleReviewSubmissionForm(c *gin.Context) {
	sid, err := paramID(c, "sub")
	if err != nil {
		s.uiError(c, err)
		return
	}
	sub, err := s.work.Submission(c.Request.Context(), s.actor(c), sid)
	if err != nil {
		s.uiError(c, err)
		return
	}
	id := sub.CaseID
	f := c.Request.PostForm
	if _, err := s.work.ReviewSubmission(c.Request.Context(), s.actor(c), sid, f.Get("statement_outcome"), f.Get("statement_reason")); err != nil {
		s.actionFailed(c, id, err, "review", sid)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s?done=reviewed_sub#submission-%d", casePath(id), sid))
}

// handleConsentForm records a consent to electronic service signed on paper.
func (s *Server) handleConsentForm(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	f := c.Request.PostForm
	if _, err := s.work.RecordConsent(c.Request.Context(), s.actor(c), id, casework.ConsentInput{Email: f.Get("email"), SignedDate: f.Get("signed_date")}); err != nil {
		s.actionFailed(c, id, err, "consent", 0)
		return
	}
	done(c, casePath(id), "consent")
}

// handleEvidenceFile answers an evidence file to the staff of its case's
// authority (another office's file is missing), as an attachment.
func (s *Server) handleEvidenceFile(c *gin.Context) {
	id, err := paramID(c, "file")
	if err != nil {
		s.uiError(c, err)
		return
	}
	f, err := s.work.EvidenceFile(c.Request.Context(), s.actor(c), id)
	if err != nil {
		s.uiError(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="evidence"; filename*=UTF-8''`+urlPathEscape(f.Name))
	c.Header("Cache-Control", "private, no-store")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Content-Security-Policy", "sandbox")
	c.Data(http.StatusOK, f.ContentType, f.Data)
}

// handleServeEmailForm serves an issued document by e-mail.
func (s *Server) handleServeEmailForm(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	out, err := s.work.ServeByEmail(c.Request.Context(), s.actor(c), id, c.Request.PostForm.Get("access_code"))
	if err != nil {
		if d, derr := s.work.Document(c.Request.Context(), s.actor(c), id); derr == nil && !errs.Is(err, errs.Unavailable) {
			s.actionFailed(c, d.CaseID, err, "serve_email", id)
			return
		}
		s.uiError(c, err)
		return
	}
	done(c, casePath(out.CaseID), "email_served")
}

// API: the portal's submissions of a case, a paper consent, e-mail service.

func (s *Server) handleListSubmissions(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.portalPanel(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"submissions": p.Submissions, "consent": p.Consent, "email_services": p.Emails})
}

type reviewRequest struct {
	Outcome string `json:"statement_outcome"`
	Reason  string `json:"statement_reason"`
}

func (s *Server) handleReviewSubmission(c *gin.Context) {
	sid, err := paramID(c, "sub")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req reviewRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.work.ReviewSubmission(c.Request.Context(), s.actor(c), sid, req.Outcome, req.Reason)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"case_id": cs.ID, "statement": cs.Statement, "statement_outcome": cs.StatementOutcome, "statement_reason": cs.StatementReason})
}

func (s *Server) handleRecordConsent(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in casework.ConsentInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.work.RecordConsent(c.Request.Context(), s.actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, cs)
}

type serveEmailRequest struct {
	AccessCode string `json:"access_code"`
}

func (s *Server) handleServeEmail(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req serveEmailRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.work.ServeByEmail(c.Request.Context(), s.actor(c), id, req.AccessCode)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"document": out.DocumentView, "email_service": out.Proof, "receipt_id": out.ReceiptID})
}
