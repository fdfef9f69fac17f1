package main

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
)

// Public download limits: per client address, and per document number (a
// distributed guess at one number's access code meets the second).
const (
	downloadPerClient       = 20
	downloadPerClientWindow = 10 * time.Minute
	downloadPerNumber       = 10
	downloadPerNumberWindow = time.Hour
)

// errNoDocument is the one answer for every failed download: no hint which
// part was wrong.
var errNoDocument = errs.E(errs.NotFound, "未找到匹配的文书，请核对文号和查询码")

type downloadPage struct {
	Title  string
	Error  string
	Number string
}

func (s *Server) handleDownloadPage(c *gin.Context) {
	s.page(c, http.StatusOK, "download", downloadPage{Title: "文书下载"})
}

type downloadRequest struct {
	Number     string `json:"number"`
	AccessCode string `json:"access_code"`
}

// yearBrackets finds the year written with other brackets than 〔〕.
var yearBrackets = regexp.MustCompile(`[\[［(（【〔](\d{4})[\]］)）】〕]`)

// normalizeNumber accepts the number as people type it: spaces dropped and
// the year's brackets written any common way.
func normalizeNumber(s string) string {
	s = strings.Join(strings.Fields(s), "")
	return yearBrackets.ReplaceAllString(s, "〔$1〕")
}

// handleDownload answers an issued document's frozen PDF for its number and
// access code. Every failure is the same 404; attempts are limited per
// client and per number (429).
func (s *Server) handleDownload(c *gin.Context) {
	asJSON := strings.HasPrefix(c.ContentType(), "application/json")
	var req downloadRequest
	if asJSON {
		if err := bindJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	} else {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 16<<10)
		if err := c.Request.ParseForm(); err != nil {
			s.downloadFailed(c, false, "", errs.E(errs.BadRequest, "表单内容有误，请重新填写"))
			return
		}
		req.Number, req.AccessCode = c.Request.PostForm.Get("number"), c.Request.PostForm.Get("access_code")
	}
	ctx := c.Request.Context()
	number := normalizeNumber(req.Number)
	ok, err := s.store.Allow(ctx, "dl:ip:"+c.ClientIP(), downloadPerClient, downloadPerClientWindow)
	if err == nil && ok && number != "" {
		ok, err = s.store.Allow(ctx, "dl:no:"+number, downloadPerNumber, downloadPerNumberWindow)
	}
	if err != nil {
		s.downloadFailed(c, asJSON, req.Number, err)
		return
	}
	if !ok {
		s.downloadFailed(c, asJSON, req.Number, errs.E(errs.TooManyRequests, "尝试次数过多，请稍后再试"))
		return
	}
	doc, err := s.store.DocumentByNumber(ctx, number)
	if err != nil && !errs.Is(err, errs.NotFound) {
		s.downloadFailed(c, asJSON, req.Number, err)
		return
	}
	// Compare the code even when there is no document, so the answer takes
	// as long either way.
	if doc == nil || err != nil {
		doc = &models.Document{}
	}
	if !doc.CheckAccessCode(req.AccessCode) || len(doc.PDF) == 0 {
		s.downloadFailed(c, asJSON, req.Number, errNoDocument)
		return
	}
	_ = s.store.Audit(ctx, models.Actor{IP: c.ClientIP(), Username: "public"}, "public_download", "document", doc.ID, *doc.Number)
	c.Header("Content-Disposition", `attachment; filename="document.pdf"; filename*=UTF-8''`+urlPathEscape(documentFileName(doc)))
	c.Header("Cache-Control", "private, no-store")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "application/pdf", doc.PDF)
}

func (s *Server) downloadFailed(c *gin.Context, asJSON bool, number string, err error) {
	if asJSON {
		s.fail(c, err)
		return
	}
	var e *errs.Error
	if !errors.As(err, &e) || e.Code == errs.Internal {
		reqLog(c).Error("public download", "err", err)
		e = errs.E(errs.Internal, "服务器内部错误，请稍后再试")
	}
	s.page(c, status(e.Code), "download", downloadPage{Title: "文书下载", Error: e.Message, Number: number})
}

// verifyView is what the verify page shows of a document: nothing the
// party would not want public (the name is masked).
type verifyView struct {
	Number       string `json:"number"`
	Kind         string `json:"kind"`
	KindName     string `json:"kind_name"`
	Authority    string `json:"authority"`
	Party        string `json:"party"`
	IssueDate    string `json:"issue_date"`
	SHA256       string `json:"sha256"`
	Status       string `json:"status"`
	StatusName   string `json:"status_name"`
	SupersededBy string `json:"superseded_by,omitempty"`
}

type verifyPage struct {
	Title   string
	Found   bool
	Verdict string
	Doc     verifyView
}

var statusNames = map[string]string{
	models.DocIssued:     "已签发",
	models.DocServed:     "已送达",
	models.DocSuperseded: "已被更正（本文书已作废，以更正后的文书为准）",
}

// handleVerify shows an issued document's authenticity facts for its
// verify token (the QR code on the document).
func (s *Server) handleVerify(c *gin.Context) {
	asJSON := strings.Contains(c.GetHeader("Accept"), "application/json")
	view, err := s.verifyView(c, c.Param("token"))
	if err != nil {
		if !errs.Is(err, errs.NotFound) {
			reqLog(c).Error("verify", "err", err)
		}
		if asJSON {
			s.fail(c, errs.E(errs.NotFound, "未找到该文书"))
			return
		}
		s.page(c, http.StatusNotFound, "verify", verifyPage{Title: "文书核验"})
		return
	}
	if asJSON {
		c.JSON(http.StatusOK, view)
		return
	}
	verdict := "该文书由" + view.Authority + "签发，真实有效。"
	if view.Status == models.DocSuperseded {
		verdict = "该文书已被更正，请以更正后的文书为准。"
	}
	s.page(c, http.StatusOK, "verify", verifyPage{Title: "文书核验", Found: true, Verdict: verdict, Doc: *view})
}

func (s *Server) verifyView(c *gin.Context, token string) (*verifyView, error) {
	ctx := c.Request.Context()
	if len(token) < 16 || len(token) > 64 {
		return nil, errNoDocument
	}
	doc, err := s.store.DocumentByVerifyToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if doc.Number == nil || (doc.Status != models.DocIssued && doc.Status != models.DocServed && doc.Status != models.DocSuperseded) {
		return nil, errNoDocument
	}
	cs, err := s.store.CaseByID(ctx, doc.CaseID)
	if err != nil {
		return nil, err
	}
	auth, err := s.store.Authority(ctx, doc.AuthorityID)
	if err != nil {
		return nil, err
	}
	v := &verifyView{Number: *doc.Number, Kind: doc.Kind, KindName: kindNames[doc.Kind], Authority: auth.Name,
		Party: render.MaskName(cs.PartyName), IssueDate: doc.IssueDate, SHA256: doc.SHA256, Status: doc.Status,
		StatusName: statusNames[doc.Status]}
	if doc.SupersededByID != nil {
		if by, err := s.store.DocumentByID(ctx, *doc.SupersededByID); err == nil && by.Number != nil {
			v.SupersededBy = *by.Number
		}
	}
	return v, nil
}

// handlePrint answers one PDF of the stored documents in the order given,
// merged from their frozen bytes (never re-rendered), and logs the print.
func (s *Server) handlePrint(c *gin.Context) {
	ids, err := parseIDs(c.Query("ids"))
	if err != nil {
		s.fail(c, err)
		return
	}
	merged, err := s.printPDF(c, ids)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendPDF(c, merged, "批量打印.pdf")
}

// printPDF merges the issued documents ids (in that order) into one PDF and
// audits the print. The API and the web UI share it.
func (s *Server) printPDF(c *gin.Context, ids []uint) ([]byte, error) {
	ctx := c.Request.Context()
	docs, err := s.store.DocumentsPDF(ctx, ids)
	if err != nil {
		return nil, err
	}
	f := errs.Fields{}
	parts := make([]io.ReadSeeker, 0, len(docs))
	for i := range docs {
		if len(docs[i].PDF) == 0 {
			f.Add("ids", "文书"+itoa(docs[i].ID)+"尚未签发，不能打印正式文本")
			continue
		}
		parts = append(parts, bytes.NewReader(docs[i].PDF))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	merged, err := mergePDFs(parts)
	if err != nil {
		return nil, errs.Wrap(err, "merge PDFs")
	}
	a := actor(c)
	for i := range docs {
		_ = s.store.Audit(ctx, a, "print", "document", docs[i].ID, "batch of "+itoa(uint(len(docs))))
	}
	return merged, nil
}
