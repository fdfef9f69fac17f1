package main

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/models"
)

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
	// The PDF goes out whole (its length announced, flushed) before the
	// download's audit entry is written: the party has it without waiting
	// for that commit.
	err := s.work.Download(c.Request.Context(), casework.Public(c.ClientIP()), req.Number, req.AccessCode, func(doc *models.Document) {
		c.Header("Content-Disposition", `attachment; filename="document.pdf"; filename*=UTF-8''`+urlPathEscape(casework.FileName(doc)))
		c.Header("Cache-Control", "private, no-store")
		c.Header("X-Content-Type-Options", "nosniff")
		c.Header("Content-Length", strconv.Itoa(len(doc.PDF)))
		c.Data(http.StatusOK, "application/pdf", doc.PDF)
		c.Writer.Flush()
	})
	if err != nil {
		s.downloadFailed(c, asJSON, req.Number, err)
	}
}

func (s *Server) downloadFailed(c *gin.Context, asJSON bool, number string, err error) {
	if asJSON {
		s.fail(c, err)
		return
	}
	e := explain(c, err)
	if clientGone(c, e) {
		return
	}
	s.page(c, status(e.Code), "download", downloadPage{Title: "文书下载", Error: e.Message, Number: number})
}

type verifyPage struct {
	Title       string
	Found       bool
	Verdict     string
	Doc         casework.Verification
	Unavailable string // the database could not be asked
	// Check is what checking an uploaded copy found, CheckError why it
	// could not be checked (handleVerifyCheck).
	Check      *casework.FileCheck
	CheckError string
}

// verdictOf is the verify page's one-line answer: the status and the
// stored document's signature.
func verdictOf(v *casework.Verification) string {
	if v.Status == models.DocSuperseded {
		return "该文书已被更正，请以更正后的文书为准。"
	}
	verdict := "该文书由" + v.Authority + "签发，真实有效。"
	switch sg := v.Signature; {
	case sg.Valid && sg.TestCertificate:
		verdict += "其数字签名完好（签发后未被改动），但签名所用的是系统自动生成的测试证书，该数字签名不具法律效力。"
	case sg.Valid:
		verdict += "文书带有" + sg.Signer + "的数字签名，签名有效。"
	case sg.Signed:
		verdict = "警告：本系统保存的该文书数字签名无效（" + sg.Problem + "），请联系" + v.Authority + "核实。"
	}
	return verdict
}

// handleVerify shows an issued document's authenticity facts for its
// verify token (the QR code on the document).
func (s *Server) handleVerify(c *gin.Context) {
	asJSON := strings.Contains(c.GetHeader("Accept"), "application/json")
	view, err := s.work.Verify(c.Request.Context(), c.Param("token"))
	if err != nil {
		if !errs.Is(err, errs.NotFound) {
			e := explain(c, err)
			switch {
			case clientGone(c, e):
				return
			case e.Code == errs.Unavailable && asJSON:
				answer(c, e)
				return
			case e.Code == errs.Unavailable:
				// No verdict on the document: never "not found".
				s.page(c, http.StatusServiceUnavailable, "verify", verifyPage{Title: "文书核验", Unavailable: e.Message})
				return
			}
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
	s.page(c, http.StatusOK, "verify", verifyPage{Title: "文书核验", Found: true, Verdict: verdictOf(view), Doc: *view})
}
