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
	verdict := "该文书由" + view.Authority + "签发，真实有效。"
	if view.Status == models.DocSuperseded {
		verdict = "该文书已被更正，请以更正后的文书为准。"
	}
	s.page(c, http.StatusOK, "verify", verifyPage{Title: "文书核验", Found: true, Verdict: verdict, Doc: *view})
}
