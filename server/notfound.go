package main

// Unknown paths: a Chinese page for a browser, JSON for the API and for
// clients that do not ask for HTML; the favicon.

import (
	"context"
	_ "embed"
	"net/http"
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
	// The navigation of a signed-in user, when the cookie names a live
	// session; nothing is refused here.
	if sess, u, err := s.webSession(c); err == nil && u != nil {
		ctx := context.WithValue(c.Request.Context(), userKey, u)
		c.Request = c.Request.WithContext(context.WithValue(ctx, sessionKey, sess))
	}
	b := s.base(c, "页面不存在", "")
	b.Error = "您要访问的页面不存在，可能是地址输入有误，或该页面已被移除。"
	s.ui(c, http.StatusNotFound, "ui_error", uiErrorPage{uiBase: b, Status: http.StatusNotFound})
}

//go:embed web/static/favicon.ico
var faviconICO []byte

// handleFavicon serves the embedded icon.
func (s *Server) handleFavicon(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=86400")
	c.Data(http.StatusOK, "image/x-icon", faviconICO)
}
