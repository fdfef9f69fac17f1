package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
)

// The document lifecycle over HTTP: submit, approve, return, issue, serve,
// correct, and the party's statement on the case. Handlers bind and check
// input; the store does every step in one transaction.

// docAction answers the document a store step returns.
func (s *Server) docAction(c *gin.Context, step func(ctx context.Context, a models.Actor, id uint) (*models.Document, error)) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := step(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.docJSON(c, d))
}

// docJSON is toDocumentJSON with the verify URL and the deadlines on the
// official calendar (without deadlines when the calendar cannot be read:
// the action itself succeeded).
func (s *Server) docJSON(c *gin.Context, d *models.Document) documentJSON {
	cal, err := s.store.Calendar(c.Request.Context())
	if err != nil {
		reqLog(c).Error("load calendar", "err", err)
	}
	out := toDocumentJSON(d, cal)
	out.VerifyURL = s.verifyURL(d)
	return out
}

func (s *Server) verifyURL(d *models.Document) string {
	if d.VerifyToken == nil || *d.VerifyToken == "" {
		return ""
	}
	return strings.TrimRight(s.baseURL, "/") + "/verify/" + *d.VerifyToken
}

func (s *Server) handleSubmitDocument(c *gin.Context) { s.docAction(c, s.store.SubmitDocument) }

func (s *Server) handleApproveDocument(c *gin.Context) {
	u := currentUser(c)
	as := models.Approval{Reviewer: u.HasRole(reviewer), Approver: u.HasRole(approver), Admin: u.HasRole(admin)}
	s.docAction(c, func(ctx context.Context, a models.Actor, id uint) (*models.Document, error) {
		return s.store.ApproveDocument(ctx, a, as, id)
	})
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
	if err := checkReturnComment(req.Comment); err != nil {
		s.fail(c, err)
		return
	}
	s.docAction(c, func(ctx context.Context, a models.Actor, id uint) (*models.Document, error) {
		return s.store.ReturnDocument(ctx, a, id, req.Comment)
	})
}

// checkReturnComment bounds a reviewer's comment (the store requires one).
func checkReturnComment(comment string) error {
	if utf8.RuneCountInString(comment) > 2000 {
		return &errs.Error{Code: errs.Invalid, Message: "退回意见过长", Fields: map[string]string{"comment": "不超过2000字"}}
	}
	return nil
}

func (s *Server) handleCorrectDocument(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.store.CorrectDocument(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.docJSON(c, d))
}

// issueResponse is the issued document, with the party's access code shown
// this once and the receipt that prints it.
type issueResponse struct {
	documentJSON
	AccessCode       string `json:"access_code,omitempty"`
	ServiceReceiptID uint   `json:"service_receipt_id,omitempty"`
}

// handleIssueDocument issues an approved document. The data is assembled
// before the transaction; inside it the store takes the number and calls
// back to render the final PDF (number, date, QR code to the verify URL) and
// the service receipt that prints the access code.
func (s *Server) handleIssueDocument(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	resp, err := s.issueDocument(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, resp)
}

// issueDocument is issuing for the API and the web UI: it answers the
// issued document with the access code, which exists only in this answer.
func (s *Server) issueDocument(c *gin.Context, id uint) (*issueResponse, error) {
	ctx := c.Request.Context()
	d, err := s.store.DocumentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.Status == models.DocIssued || d.Status == models.DocServed || d.Status == models.DocSuperseded {
		return nil, errs.E(errs.Conflict, "文书已签发，不能重复签发")
	}
	data, err := s.documentData(ctx, d)
	if err != nil {
		return nil, err
	}
	t, err := s.template(ctx, d.Kind, d.TemplateVersion)
	if err != nil {
		return nil, err
	}
	p := models.IssueParams{ID: id}
	var code string
	var receipt *render.Template
	var receiptVersion int
	if models.Numbered(d.Kind) {
		if code, p.AccessCodeHash, err = models.NewAccessCode(); err != nil {
			return nil, err
		}
		p.VerifyToken = models.NewToken(24) // 192 bits
		tv, err := s.store.ActiveTemplate(ctx, rules.KindServiceReceipt)
		if err != nil {
			return nil, err
		}
		receiptVersion = tv.Version
		if receipt, err = s.template(ctx, rules.KindServiceReceipt, tv.Version); err != nil {
			return nil, err
		}
	}
	verifyBase := strings.TrimRight(s.baseURL, "/") + "/verify/"
	p.Render = func(ctx context.Context, doc *models.Document) (*models.Rendered, error) {
		dd := data
		dd.Draft, dd.IssueDate, dd.Kind = false, doc.IssueDate, doc.Kind
		if doc.Number != nil {
			dd.Number, dd.VerifyURL = *doc.Number, verifyBase+*doc.VerifyToken
			if doc.Kind == rules.KindAdvanceNotice {
				dd.Notice.Number, dd.Notice.Date = dd.Number, dd.IssueDate
			}
		}
		pdf, err := s.renderer.Render(ctx, t, dd)
		if err != nil {
			return nil, renderError(err)
		}
		out := &models.Rendered{PDF: pdf}
		if out.Data, err = json.Marshal(dd); err != nil {
			return nil, errs.Wrap(err, "encode render data")
		}
		if receipt == nil {
			return out, nil
		}
		rd := data
		rd.Draft, rd.IssueDate, rd.Kind, rd.Number, rd.VerifyURL = false, doc.IssueDate, rules.KindServiceReceipt, "", ""
		rd.Service = render.Service{DocumentName: kindNames[doc.Kind], DocumentNumber: dd.Number}
		rd.AccessCode, rd.DownloadURL = code, strings.TrimRight(s.baseURL, "/")+"/public/download"
		rpdf, err := s.renderer.Render(ctx, receipt, rd)
		if err != nil {
			return nil, renderError(err)
		}
		rd.AccessCode = "" // the database keeps only the hash (and the printed receipt)
		rdata, err := json.Marshal(rd)
		if err != nil {
			return nil, errs.Wrap(err, "encode receipt data")
		}
		out.Receipt = &models.Rendered{PDF: rpdf, Data: rdata, TemplateVersion: receiptVersion}
		return out, nil
	}
	issued, err := s.store.IssueDocument(ctx, actor(c), p)
	if err != nil {
		return nil, err
	}
	resp := &issueResponse{documentJSON: s.docJSON(c, issued), AccessCode: code}
	if receipt != nil {
		rs, err := s.store.ServiceReceipts(ctx, issued.ID)
		if err != nil {
			return nil, err
		}
		if len(rs) > 0 {
			resp.ServiceReceiptID = rs[len(rs)-1].ID
		}
	}
	return resp, nil
}

type serveRequest struct {
	Method    string `json:"method"`
	Date      string `json:"date"`
	Recipient string `json:"recipient"`
	Place     string `json:"place"`
}

// serviceMethods are the lawful ways of service (民事诉讼法 Ch. 7, applied
// through APL Art. 61), by code and by name.
var serviceMethods = map[string]string{
	"direct": "直接送达", "lodged": "留置送达", "mail": "邮寄送达", "electronic": "电子送达",
	"entrusted": "委托送达", "transferred": "转交送达", "public_notice": "公告送达",
}

func serviceMethod(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if n, ok := serviceMethods[v]; ok {
		return n, true
	}
	for _, n := range serviceMethods {
		if n == v {
			return n, true
		}
	}
	return "", false
}

func (s *Server) handleServeDocument(c *gin.Context) {
	var req serveRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	sv, err := req.service()
	if err != nil {
		s.fail(c, err)
		return
	}
	s.docAction(c, func(ctx context.Context, a models.Actor, id uint) (*models.Document, error) {
		return s.store.ServeDocument(ctx, a, id, sv)
	})
}

// service checks a service record (API and web UI).
func (req serveRequest) service() (models.Service, error) {
	f := errs.Fields{}
	method, ok := serviceMethod(req.Method)
	if !ok {
		f.Add("method", "送达方式无效，可选：直接送达、留置送达、邮寄送达、电子送达、委托送达、转交送达、公告送达")
	}
	if !rules.ValidDate(req.Date) {
		f.Add("date", "送达日期应为YYYY-MM-DD")
	}
	req.Recipient, req.Place = strings.TrimSpace(req.Recipient), strings.TrimSpace(req.Place)
	if req.Recipient == "" && method != "公告送达" {
		f.Add("recipient", "请填写受送达人")
	}
	checkText(f, "recipient", req.Recipient, 200)
	checkText(f, "place", req.Place, 300)
	if err := f.Err(); err != nil {
		return models.Service{}, err
	}
	return models.Service{Method: method, Date: req.Date, Recipient: req.Recipient, Place: req.Place}, nil
}

// checkText refuses over-long text and characters the fonts cannot draw.
func checkText(f errs.Fields, field, v string, max int) {
	if utf8.RuneCountInString(v) > max {
		f.Add(field, "内容过长")
		return
	}
	if err := render.CheckText(v); err != nil {
		f.Add(field, strings.TrimSpace(err.Error()))
	}
}

type statementRequest struct {
	Statement     string `json:"statement"`
	HearingHeld   bool   `json:"hearing_held"`
	HearingResult string `json:"hearing_result"`
	Waived        bool   `json:"waived"`
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
	var req statementRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	st, err := req.statement()
	if err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.store.RecordStatement(c.Request.Context(), actor(c), id, st)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.respondCase(c, http.StatusOK, cs)
}

// statement checks the party's statement, hearing or waiver (API and web UI).
func (req statementRequest) statement() (models.Statement, error) {
	req.Statement, req.HearingResult = strings.TrimSpace(req.Statement), strings.TrimSpace(req.HearingResult)
	f := errs.Fields{}
	if req.HearingHeld && req.HearingResult == "" {
		f.Add("hearing_result", "举行了听证的，请填写听证情况及处理意见")
	}
	if !req.HearingHeld && req.HearingResult != "" {
		f.Add("hearing_held", "填写了听证情况，但未标明举行了听证")
	}
	checkText(f, "statement", req.Statement, 5000)
	checkText(f, "hearing_result", req.HearingResult, 5000)
	if err := f.Err(); err != nil {
		return models.Statement{}, err
	}
	return models.Statement{Statement: req.Statement, HearingHeld: req.HearingHeld, HearingResult: req.HearingResult, Waived: req.Waived}, nil
}

// lifecycleData adds what the document's place in the procedure prints:
// the advance notice a decision follows, the document a correction
// corrects, the legal review date and, for a service receipt, the document
// it serves.
func (s *Server) lifecycleData(ctx context.Context, d *models.Document, data *render.Data) error {
	data.LegalReview = d.LegalReviewDate
	switch d.Kind {
	case rules.KindAdvanceNotice:
		if d.Number != nil {
			data.Notice.Number, data.Notice.Date = *d.Number, d.IssueDate
		}
		data.Notice.Served = d.ServedDate
	case rules.KindPenaltyDecision:
		n, err := s.store.ServedNotice(ctx, d.CaseID)
		if err != nil {
			return err
		}
		if n != nil && n.Number != nil {
			data.Notice.Number, data.Notice.Date, data.Notice.Served = *n.Number, n.IssueDate, n.ServedDate
		}
	case rules.KindServiceReceipt:
		if d.ServesID != nil {
			sd, err := s.store.DocumentByID(ctx, *d.ServesID)
			if err != nil {
				return err
			}
			data.Service = render.Service{DocumentName: kindNames[sd.Kind], DocumentNumber: derefStr(sd.Number),
				Method: sd.ServiceMethod, Place: sd.ServicePlace, Date: sd.ServedDate, Recipient: sd.ServedTo}
		}
	}
	if d.CorrectsID != nil {
		old, err := s.store.DocumentByID(ctx, *d.CorrectsID)
		if err != nil {
			return err
		}
		data.Corrects = derefStr(old.Number)
	}
	return nil
}

func derefStr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
