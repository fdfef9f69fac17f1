package main

// Unknown paths: a Chinese page for a browser, JSON for the API and for
// clients that do not ask for HTML; the favicon.

import (
	"context"
	_ "embed"
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"
)

// wantsHTML: a browser's request outside the API.
func wantsHTML(c *gin.Context) bool {
	p := c.Request.URL.Path
	return p != "/api" && !strings.HasPrefix(p, "/api/") && strings.Contains(c.GetHeader("Accept"), "text/html")
}

func (s *Server) handleNotFound(c *gin.Context) {
	if !wantsHTML(c) {
		s.fail(c, errNotFound)
		return
	}
	s.htmlRefusal(c, http.StatusNotFound, "页面不存在", "您要访问的页面不存在，可能是地址输入有误，或该页面已被移除。")
}

// casePathRE finds the case of a step's address (/cases/12/issue …).
var casePathRE = regexp.MustCompile(`^/cases/(\d+)/`)

// handleMethodNotAllowed answers a route that exists for another method.
// A browser gets there by reloading, bookmarking or going back to the
// address a form posted to (/documents/3/issue): a case's step goes back
// to the case page, anything else gets a Chinese page, never JSON.
func (s *Server) handleMethodNotAllowed(c *gin.Context) {
	if !wantsHTML(c) {
		s.failStatus(c, http.StatusMethodNotAllowed, "method_not_allowed", "不支持该请求方法")
		return
	}
	if m := casePathRE.FindStringSubmatch(c.Request.URL.Path); m != nil && c.Request.Method == http.MethodGet {
		c.Redirect(http.StatusSeeOther, "/cases/"+m[1])
		return
	}
	s.htmlRefusal(c, http.StatusMethodNotAllowed, "请从页面上的按钮办理",
		"这个地址是页面上某个按钮提交的操作，不能直接打开（刷新、收藏或者后退到这里都会如此）。操作如已完成，其结果可在案件页面或待办中查看。")
}

// htmlRefusal is the Chinese error page with the navigation of a signed-in
// user, when the cookie names a live session (nothing is refused here).
func (s *Server) htmlRefusal(c *gin.Context, status int, title, message string) {
	if sess, u, err := s.webSession(c); err == nil && u != nil {
		ctx := context.WithValue(c.Request.Context(), userKey, u)
		c.Request = c.Request.WithContext(context.WithValue(ctx, sessionKey, sess))
	}
	b := s.base(c, title, "")
	b.Error = message
	s.ui(c, status, "ui_error", uiErrorPage{uiBase: b, Status: status})
}

//go:embed web/static/favicon.ico
var faviconICO []byte

// handleFavicon serves the embedded icon.
func (s *Server) handleFavicon(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=86400")
	c.Data(http.StatusOK, "image/x-icon", faviconICO)
}
