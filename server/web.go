package main

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"
)

//go:embed web/templates/*.html web/static/*
var webFS embed.FS

// publicPages are the public pages, parsed with layout.html.
var publicPages = []string{"download", "verify", "portal_home", "portal"}

// pages are the HTML pages, each parsed with the layout once at start-up,
// so a broken page stops the service before it serves anything.
type pages map[string]*template.Template

func parsePages() (pages, error) {
	p := pages{}
	for _, name := range publicPages {
		t, err := template.New(name).Funcs(template.FuncMap{"cndate": pageDate, "cnday": chinaDay}).ParseFS(webFS, "web/templates/layout.html", "web/templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		p[name] = t
	}
	// The staff web UI: its own layout (navigation, user) and functions.
	for _, name := range uiPages {
		t, err := template.New(name).Funcs(uiFuncs).ParseFS(webFS, "web/templates/ui_layout.html", "web/templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		p[name] = t
	}
	return p, nil
}

// page renders a page into a buffer first, so a template error becomes a
// clean 500 instead of half a page.
func (s *Server) page(c *gin.Context, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		reqLog(c).Error("render page", "page", name, "err", err)
		c.String(http.StatusInternalServerError, "服务器内部错误，请稍后再试")
		return
	}
	// The security headers are everyone's (securityHeaders); pages are
	// per user and not kept by caches.
	if c.Writer.Header().Get("Cache-Control") == "" {
		c.Header("Cache-Control", "no-store")
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

func staticFS() http.FileSystem {
	sub, err := fs.Sub(webFS, "web/static")
	if err != nil {
		panic(err) // embedded at build time
	}
	return http.FS(sub)
}
