package main

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"penaltydoc/models"
	"penaltydoc/render"
)

// Deps is everything the HTTP layer needs.
type Deps struct {
	Store   *models.Store
	Log     *slog.Logger
	BaseURL string
}

// Server holds the dependencies the handlers share.
type Server struct {
	store     *models.Store
	log       *slog.Logger
	baseURL   string
	metrics   *metrics
	renderer  *render.Renderer
	templates templateCache
	pages     pages
}

// NewServer wires the routes and middleware and returns the handler.
func NewServer(d Deps) (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{store: d.Store, log: d.Log, baseURL: d.BaseURL}
	m, err := newMetrics(d.Store)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	if s.renderer, err = render.New(); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	r := gin.New()
	if err := r.SetTrustedProxies(nil); err != nil {
		return nil, err
	}
	r.HandleMethodNotAllowed = true
	r.Use(s.requestID(), s.recoverer(), s.accessLog(), s.metrics.middleware())
	r.NoRoute(func(c *gin.Context) { s.fail(c, errNotFound) })
	r.NoMethod(func(c *gin.Context) {
		s.failStatus(c, http.StatusMethodNotAllowed, "method_not_allowed", "不支持该请求方法")
	})
	s.routes(r)
	return r, nil
}
