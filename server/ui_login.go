package main

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/models"
)

type loginPage struct {
	uiBase
	Username string
	Next     string
	Fields   map[string]string
}

// loginToken returns the sign-in form's CSRF token, setting its cookie when
// the browser has none.
func (s *Server) loginToken(c *gin.Context) string {
	if t, err := c.Cookie(loginCookie); err == nil && len(t) >= 16 && len(t) <= 64 {
		return t
	}
	t := models.NewToken(18)
	s.setCookie(c, loginCookie, t, 3600)
	return t
}

// handleLoginPage shows the sign-in form, or goes on when signed in.
func (s *Server) handleLoginPage(c *gin.Context) {
	next := safeNext(c.Query("next"))
	// With the session unreadable (the database is unavailable) the form
	// is shown: signing in then says why it cannot.
	if _, u, _ := s.webSession(c); u != nil {
		c.Redirect(http.StatusSeeOther, next)
		return
	}
	b := uiBase{Title: "登录", CSRF: s.loginToken(c), Flash: flashes[c.Query("done")]}
	s.ui(c, http.StatusOK, "ui_login", loginPage{uiBase: b, Next: c.Query("next")})
}

// handleLoginForm signs in through the same throttled check as the API and
// starts a web session.
func (s *Server) handleLoginForm(c *gin.Context) {
	if err := parseForm(c); err != nil {
		s.uiError(c, err)
		return
	}
	form := c.Request.PostForm
	p := loginPage{Username: strings.TrimSpace(form.Get("username")), Next: form.Get("next"), Fields: map[string]string{}}
	p.Title = "登录"
	cookieToken, _ := c.Cookie(loginCookie)
	if !tokenEqual(form.Get("csrf_token"), cookieToken) {
		p.CSRF, p.Error = s.loginToken(c), "登录页面已过期，请重新输入后登录。"
		s.ui(c, http.StatusForbidden, "ui_login", p)
		return
	}
	p.CSRF = cookieToken
	password := form.Get("password")
	if p.Username == "" {
		p.Fields["username"] = "请输入用户名"
	}
	if password == "" {
		p.Fields["password"] = "请输入密码"
	}
	if len(p.Fields) > 0 {
		s.ui(c, http.StatusUnprocessableEntity, "ui_login", p)
		return
	}
	previous, _ := c.Cookie(sessionCookie)
	if len(previous) > 100 {
		previous = ""
	}
	in, err := s.work.Login(c.Request.Context(), p.Username, password, casework.SessionWeb, c.ClientIP(), c.Request.UserAgent(), previous)
	if err == nil {
		s.setCookie(c, sessionCookie, in.Token, int(models.WebSessionTTL.Seconds()))
		s.setCookie(c, loginCookie, "", -1)
		c.Redirect(http.StatusSeeOther, safeNext(p.Next))
		return
	}
	e := explain(c, err)
	if clientGone(c, e) {
		return
	}
	p.Error = e.Message
	s.ui(c, status(e.Code), "ui_login", p)
}

// handleLogoutForm ends the web session.
func (s *Server) handleLogoutForm(c *gin.Context) {
	if token, err := c.Cookie(sessionCookie); err == nil {
		if err := s.work.Logout(c.Request.Context(), token); err != nil {
			s.uiError(c, err)
			return
		}
	}
	s.setCookie(c, sessionCookie, "", -1)
	done(c, "/login", "logout")
}

// handleHome sends staff to the case list, anyone else to sign in.
func (s *Server) handleHome(c *gin.Context) {
	if _, u, _ := s.webSession(c); u != nil {
		c.Redirect(http.StatusSeeOther, "/cases")
		return
	}
	c.Redirect(http.StatusSeeOther, "/login")
}
