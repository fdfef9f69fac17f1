package main

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/models"
)

// Deps is everything the HTTP layer needs.
type Deps struct {
	Store   *models.Store
	Log     *slog.Logger
	BaseURL string
	// EmergencyAdmin: see casework.Config.
	EmergencyAdmin bool
}

// Server holds the dependencies the handlers share: the case work they
// call, the logger, the metrics and the parsed pages.
type Server struct {
	work    *casework.Service
	log     *slog.Logger
	metrics *metrics
	pages   pages
}

// NewServer wires the routes and middleware and returns the handler.
func NewServer(d Deps) (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	work, err := casework.New(casework.Config{Store: d.Store, BaseURL: d.BaseURL, EmergencyAdmin: d.EmergencyAdmin})
	if err != nil {
		return nil, err
	}
	s := &Server{work: work, log: d.Log}
	if s.metrics, err = newMetrics(d.Store); err != nil {
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
