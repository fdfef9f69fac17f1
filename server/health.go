package main

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthTimeout bounds the health check's ping, so that a probe has its
// answer within it even while the database hangs.
const healthTimeout = time.Second

type healthBody struct {
	Status   string         `json:"status"` // ok | unavailable
	Database healthDatabase `json:"database"`
}

type healthDatabase struct {
	Dialect string `json:"dialect"`
	State   string `json:"state"` // up | down
	PingMS  int64  `json:"ping_ms"`
	Open    int    `json:"open_connections"`
	InUse   int    `json:"in_use"`
	Idle    int    `json:"idle"`
}

// handleHealth answers 200 ok when the database answers within
// healthTimeout, else 503 "database unavailable" with Retry-After; with
// ?format=json the same status with the database's state and pool.
func (s *Server) handleHealth(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), healthTimeout)
	defer cancel()
	h := s.work.Health(ctx)
	st, text, body := http.StatusOK, "ok", healthBody{Status: "ok", Database: healthDatabase{
		Dialect: h.Dialect, State: "up", PingMS: h.Ping.Milliseconds(),
		Open: h.Pool.OpenConnections, InUse: h.Pool.InUse, Idle: h.Pool.Idle,
	}}
	if !h.Up {
		// A probe repeats every few seconds: warn, not error.
		reqLog(c).Warn("health check: database unavailable", "err", h.Err)
		c.Header("Retry-After", retryAfter)
		st, text, body.Status, body.Database.State = http.StatusServiceUnavailable, "database unavailable", "unavailable", "down"
	}
	if c.Query("format") == "json" {
		c.JSON(st, body)
		return
	}
	c.String(st, text)
}
