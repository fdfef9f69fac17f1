package main

// The party's portal at /public (docs/portal.md): the number and access
// code of the advance notice open a short session (its own cookie, its
// own CSRF token); the party reads the notice and sends a statement with
// evidence files, a hearing request, a waiver or its e-mail address for
// electronic service.

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

const (
	portalCookie = "penaltydoc_portal"
	// maxPortalBody caps a portal form: the files and the text.
	maxPortalBody = casework.MaxEvidenceFiles*casework.MaxEvidenceSize + 1<<20
)

type portalPage struct {
	Title   string
	Error   string
	Number  string
	Flash   string
	Receipt string // the SHA-256 of the submission just stored
	CSRF    string
	View    *casework.PortalView
	Kinds   map[string]string
	Form    map[string]string
	Fields  map[string]string
	MaxMB   int
	MaxN    int
}

var portalKinds = map[string]string{models.SubmitStatement: "陈述、申辩", models.SubmitHearing: "要求听证",
	models.SubmitWaiver: "放弃陈述、申辩和听证", models.SubmitConsent: "确认电子送达地址"}

var portalFlashes = map[string]string{
	models.SubmitStatement: "您的陈述、申辩已提交，执法机关将进行复核。",
	models.SubmitHearing:   "您的听证要求已提交，执法机关将书面通知听证的时间和地点。",
	models.SubmitWaiver:    "您放弃陈述、申辩和听证权利的声明已提交。",
	models.SubmitConsent:   "您的电子送达地址已确认，今后的文书可通过该邮箱送达。",
}

// handlePortalHome is the portal's start: the notice's number and code.
func (s *Server) handlePortalHome(c *gin.Context) {
	s.page(c, http.StatusOK, "portal_home", portalPage{Title: "网上陈述申辩"})
}

// handlePortalOpen checks the number and access code (the download's
// limits) and opens a portal session.
func (s *Server) handlePortalOpen(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 16<<10)
	if err := c.Request.ParseForm(); err != nil {
		s.page(c, http.StatusBadRequest, "portal_home", portalPage{Title: "网上陈述申辩", Error: "表单内容有误，请重新填写"})
		return
	}
	number := c.Request.PostForm.Get("number")
	token, _, err := s.work.OpenPortal(c.Request.Context(), casework.Public(c.ClientIP()), number, c.Request.PostForm.Get("access_code"))
	if err != nil {
		e := explain(c, err)
		if clientGone(c, e) {
			return
		}
		s.page(c, status(e.Code), "portal_home", portalPage{Title: "网上陈述申辩", Error: e.Message, Number: number})
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: portalCookie, Value: token, Path: "/public", MaxAge: int(models.PortalSessionTTL.Seconds()),
		HttpOnly: true, Secure: s.secureRequest(c), SameSite: http.SameSiteStrictMode})
	c.Redirect(http.StatusSeeOther, "/public/portal")
}

// portalSession resolves the portal cookie, or sends the party back to
// the start with the reason.
func (s *Server) portalSession(c *gin.Context) (*models.PortalSession, bool) {
	token, _ := c.Cookie(portalCookie)
	ps, err := s.work.PortalSession(c.Request.Context(), token)
	if err != nil {
		e := explain(c, err)
		if !clientGone(c, e) {
			st := status(e.Code)
			if e.Code == errs.Unauthorized {
				st = http.StatusOK
			}
			s.page(c, st, "portal_home", portalPage{Title: "网上陈述申辩", Error: e.Message})
		}
		return nil, false
	}
	return ps, true
}

// handlePortal shows the notice, the answer period and the forms.
func (s *Server) handlePortal(c *gin.Context) {
	ps, ok := s.portalSession(c)
	if !ok {
		return
	}
	p := portalPage{Flash: portalFlashes[c.Query("done")]}
	if p.Flash != "" {
		p.Receipt = c.Query("sha256")
		if len(p.Receipt) != 64 || strings.Trim(p.Receipt, "0123456789abcdef") != "" {
			p.Receipt = ""
		}
	}
	s.renderPortal(c, ps, http.StatusOK, p)
}

func (s *Server) renderPortal(c *gin.Context, ps *models.PortalSession, st int, p portalPage) {
	v, err := s.work.Portal(c.Request.Context(), ps)
	if err != nil {
		e := explain(c, err)
		if !clientGone(c, e) {
			s.page(c, status(e.Code), "portal_home", portalPage{Title: "网上陈述申辩", Error: e.Message})
		}
		return
	}
	p.Title, p.View, p.CSRF, p.Kinds = "网上陈述申辩", v, ps.CSRFToken, portalKinds
	p.MaxMB, p.MaxN = casework.MaxEvidenceSize>>20, casework.MaxEvidenceFiles
	if p.Form == nil {
		p.Form = map[string]string{}
	}
	c.Header("Cache-Control", "private, no-store")
	s.page(c, st, "portal", p)
}

// handlePortalNotice answers the notice's frozen PDF to its session.
func (s *Server) handlePortalNotice(c *gin.Context) {
	ps, ok := s.portalSession(c)
	if !ok {
		return
	}
	d, err := s.work.PortalNotice(c.Request.Context(), casework.Public(c.ClientIP()), ps)
	if err != nil {
		s.downloadFailed(c, false, "", err)
		return
	}
	c.Header("Content-Disposition", `inline; filename="notice.pdf"; filename*=UTF-8''`+urlPathEscape(casework.FileName(d)))
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "application/pdf", d.PDF)
}

// handlePortalSubmit takes one of the portal's forms (:kind): the CSRF
// token of the session, the fields, the files of a statement.
func (s *Server) handlePortalSubmit(c *gin.Context) {
	ps, ok := s.portalSession(c)
	if !ok {
		return
	}
	kind := c.Param("kind")
	if _, known := portalKinds[kind]; !known {
		s.handleNotFound(c)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxPortalBody)
	in := casework.PortalInput{Kind: kind}
	var err error
	if strings.HasPrefix(c.ContentType(), "multipart/") {
		err = c.Request.ParseMultipartForm(8 << 20)
	} else {
		err = c.Request.ParseForm()
	}
	p := portalPage{Form: map[string]string{"kind": kind}, Fields: map[string]string{}}
	if err != nil {
		var tooBig *http.MaxBytesError
		p.Error = "表单内容有误，请重新填写"
		if errors.As(err, &tooBig) {
			p.Error = "上传的文件总量过大，请减少文件后重试"
		}
		s.renderPortal(c, ps, http.StatusBadRequest, p)
		return
	}
	if c.Request.MultipartForm != nil {
		defer func() { _ = c.Request.MultipartForm.RemoveAll() }()
	}
	f := c.Request.PostForm
	for _, k := range []string{"text", "email", "email_confirm"} {
		p.Form[k] = f.Get(k)
	}
	if !tokenEqual(f.Get("csrf_token"), ps.CSRFToken) {
		p.Error = "页面已过期，请刷新后重新提交。"
		s.renderPortal(c, ps, http.StatusForbidden, p)
		return
	}
	in.Text, in.Email, in.EmailConfirm, in.Confirmed = f.Get("text"), f.Get("email"), f.Get("email_confirm"), checked(f.Get("confirm"))
	if c.Request.MultipartForm != nil {
		for _, fh := range c.Request.MultipartForm.File["files"] {
			if fh.Size == 0 && fh.Filename == "" {
				continue
			}
			r, err := fh.Open()
			if err != nil {
				s.renderPortal(c, ps, http.StatusBadRequest, portalPage{Error: "读取上传的文件失败，请重试", Form: p.Form})
				return
			}
			data, err := io.ReadAll(io.LimitReader(r, casework.MaxEvidenceSize+1)) // one byte past the limit: refused as too large
			_ = r.Close()
			if err != nil {
				s.renderPortal(c, ps, http.StatusBadRequest, portalPage{Error: "读取上传的文件失败，请重试", Form: p.Form})
				return
			}
			in.Files = append(in.Files, casework.Upload{Name: fh.Filename, Data: data})
		}
	}
	sub, err := s.work.PortalSubmit(c.Request.Context(), casework.Public(c.ClientIP()), ps, in)
	if err != nil {
		e := explain(c, err)
		if clientGone(c, e) {
			return
		}
		p.Error = e.Message
		for k, msg := range e.Fields {
			p.Fields[k] = msg
		}
		if p.Error == "" {
			p.Error = "提交未成功，请按提示修改后重新提交。"
		}
		s.renderPortal(c, ps, status(e.Code), p)
		return
	}
	c.Redirect(http.StatusSeeOther, "/public/portal?done="+kind+"&sha256="+sub.SHA256)
}

// handlePortalClose ends the portal session.
func (s *Server) handlePortalClose(c *gin.Context) {
	if token, _ := c.Cookie(portalCookie); token != "" {
		if ps, err := s.work.PortalSession(c.Request.Context(), token); err == nil {
			_ = c.Request.ParseForm()
			if tokenEqual(c.Request.PostForm.Get("csrf_token"), ps.CSRFToken) {
				_ = s.work.ClosePortal(c.Request.Context(), token)
			}
		}
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: portalCookie, Value: "", Path: "/public", MaxAge: -1, HttpOnly: true,
		Secure: s.secureRequest(c), SameSite: http.SameSiteStrictMode})
	c.Redirect(http.StatusSeeOther, "/public")
}

// chinaDay is a moment's China date, YYYY-MM-DD.
func chinaDay(t time.Time) string { return t.In(rules.China).Format("2006-01-02") }
