package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// handleHealth answers 200 ok when the database answers.
func (s *Server) handleHealth(c *gin.Context) {
	if err := s.work.Ping(c.Request.Context()); err != nil {
		reqLog(c).Error("health check", "err", err)
		c.String(http.StatusServiceUnavailable, "database unavailable")
		return
	}
	c.String(http.StatusOK, "ok")
}
