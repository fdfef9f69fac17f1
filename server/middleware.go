package main

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/models"
)

type ctxKey int

const (
	logKey ctxKey = iota
	userKey
	sessionKey
)

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID gives every request an id (the caller's X-Request-ID when it is
// sane) and a logger that carries it.
func (s *Server) requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-ID")
		if !validRequestID.MatchString(id) {
			id = models.NewToken(9)
		}
		c.Header("X-Request-ID", id)
		l := s.log.With("request_id", id)
		c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), logKey, l))
		c.Next()
	}
}

// reqLog returns the request's logger.
func reqLog(c *gin.Context) *slog.Logger {
	if l, ok := c.Request.Context().Value(logKey).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

func (s *Server) recoverer() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				s.fail(c, errs.Wrap(fmt.Errorf("panic: %v\n%s", v, debug.Stack()), "handler"))
			}
		}()
		c.Next()
	}
}

// deadline gives the request its deadline: the long one on longRoutes.
// Its end reaches every query through the request's context; what it cuts
// short is answered 503 (explain).
func (s *Server) deadline() gin.HandlerFunc {
	return func(c *gin.Context) {
		d := s.requestTimeout
		if longRoutes[c.FullPath()] {
			d = s.longTimeout
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

func (s *Server) accessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		attrs := []any{"method", c.Request.Method, "path", c.Request.URL.Path, "route", c.FullPath(),
			"status", c.Writer.Status(), "bytes", c.Writer.Size(), "duration_ms", time.Since(start).Milliseconds(),
			"ip", c.ClientIP()}
		if u := currentUser(c); u != nil {
			attrs = append(attrs, "user", u.Username)
		}
		reqLog(c).Info("request", attrs...)
	}
}

// authenticate resolves the bearer token (or the web session cookie) to a
// user and refuses the request with 401 when there is none, 403 when the
// user holds none of roles (Server.holds: an admin holds every role under the emergency setting only).
func (s *Server) authenticate(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		if u == nil {
			token, ok := bearerToken(c)
			if !ok {
				s.fail(c, errs.E(errs.Unauthorized, "请先登录"))
				return
			}
			sess, user, err := s.work.Session(c.Request.Context(), token, casework.SessionAPI) // a web cookie's token is not a bearer token
			if err != nil {
				s.fail(c, err)
				return
			}
			ctx := context.WithValue(c.Request.Context(), userKey, user)
			ctx = context.WithValue(ctx, sessionKey, sess)
			c.Request = c.Request.WithContext(ctx)
			u = user
		}
		if mustChange(c) {
			s.fail(c, errPasswordChange)
			return
		}
		if len(roles) > 0 && !s.holds(u, roles) {
			s.fail(c, errs.E(errs.Forbidden, "当前账号无权执行此操作"))
			return
		}
		c.Next()
	}
}

func bearerToken(c *gin.Context) (string, bool) {
	h := c.GetHeader("Authorization")
	if scheme, token, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(token) != "" {
		return strings.TrimSpace(token), true
	}
	return "", false
}

func currentUser(c *gin.Context) *models.User {
	u, _ := c.Request.Context().Value(userKey).(*models.User)
	return u
}

// actor is who is acting: the signed-in user with their roles and
// authority, from the request's address.
func (s *Server) actor(c *gin.Context) casework.Actor {
	if u := currentUser(c); u != nil {
		return s.work.ActorOf(u, c.ClientIP())
	}
	return casework.Actor{IP: c.ClientIP()}
}
