package main

// Passwords: every user changes their own (the page /account/password and
// POST /api/v1/me/password); an admin resets another's (POST
// /admin/users/{id}/password, POST /api/v1/users/{id}/password), who must
// then change it before anything else (mustChangeGate).

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
)

// passwordChangeOpen are the routes a user whose password was reset may
// still call: the change itself and signing out.
var passwordChangeOpen = map[string]bool{
	"/account/password":   true,
	"/logout":             true,
	"/api/v1/me/password": true,
	"/api/v1/logout":      true,
}

// errPasswordChange answers the API while the user must change their
// password.
var errPasswordChange = errs.E(errs.PasswordChange, "管理员已重置您的密码，请先修改密码（POST /api/v1/me/password）后再使用")

// mustChange reports whether the signed-in user must change their password
// before calling this route.
func mustChange(c *gin.Context) bool {
	u := currentUser(c)
	return u != nil && u.MustChangePassword && !passwordChangeOpen[c.FullPath()]
}

type accountPasswordPage struct {
	uiBase
	Must   bool
	Fields map[string]string
}

func (s *Server) passwordPage(c *gin.Context, st int, p accountPasswordPage) {
	p.Must = currentUser(c).MustChangePassword
	s.ui(c, st, "ui_account_password", p)
}

func (s *Server) handleAccountPasswordPage(c *gin.Context) {
	s.passwordPage(c, http.StatusOK, accountPasswordPage{uiBase: s.base(c, "修改密码", "account")})
}

// sessionID is the id of the request's session (0: none).
func sessionID(c *gin.Context) uint {
	if sess := currentSession(c); sess != nil {
		return sess.ID
	}
	return 0
}

func (s *Server) handleAccountPasswordForm(c *gin.Context) {
	var err error
	if next := c.PostForm("new_password"); next != c.PostForm("confirm_password") {
		err = errs.Field("confirm_password", "两次输入的新密码不一致")
	} else {
		err = s.work.ChangePassword(c.Request.Context(), s.actor(c), sessionID(c), c.PostForm("current_password"), next)
	}
	if err == nil {
		done(c, "/cases", "password_changed")
		return
	}
	e := invalidError(err)
	if e == nil {
		s.uiError(c, err)
		return
	}
	p := accountPasswordPage{uiBase: s.base(c, "修改密码", "account"), Fields: e.Fields}
	p.Error = "密码未修改，请按提示修改。"
	s.passwordPage(c, status(e.Code), p)
}

// passwordInput is POST /api/v1/me/password's body.
type passwordInput struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (s *Server) handleChangePassword(c *gin.Context) {
	var in passwordInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.work.ChangePassword(c.Request.Context(), s.actor(c), sessionID(c), in.CurrentPassword, in.NewPassword); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// resetInput is POST /api/v1/users/{id}/password's body: the password the
// admin sets, or none for a temporary one.
type resetInput struct {
	Password string `json:"password"`
}

func (s *Server) handleResetPassword(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in resetInput
	if c.Request.ContentLength != 0 {
		if err := bindJSON(c, &in); err != nil {
			s.fail(c, err)
			return
		}
	}
	pw, err := s.work.ResetPassword(c.Request.Context(), s.actor(c), id, in.Password)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := gin.H{"must_change_password": true}
	if in.Password == "" {
		out["temporary_password"] = pw
	}
	c.JSON(http.StatusOK, out)
}

// handleAdminResetPassword resets a user's password from their page and
// shows the temporary password once, on the page the answer is (never in
// a URL).
func (s *Server) handleAdminResetPassword(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	set := c.PostForm("password")
	pw, err := s.work.ResetPassword(c.Request.Context(), s.actor(c), id, set)
	p := adminUserPage{uiBase: s.base(c, "用户", "admin")}
	st := http.StatusOK
	if err != nil {
		e := invalidError(err)
		if e == nil {
			s.uiError(c, err)
			return
		}
		st, p.Error = status(e.Code), "密码未重置："+e.Message
		if m := e.Fields["password"]; m != "" {
			p.Error = "密码未重置：" + m
		}
	} else {
		p.Flash = "密码已重置，该用户已被登出，下次登录时须修改密码。"
		if set == "" {
			p.TempPassword = pw
		}
	}
	s.userPage(c, st, p)
}

// handleAdminSetActive deactivates or reactivates a user like PUT
// /api/v1/users/{id} with "active": a deactivated user's sessions end at
// once.
func (s *Server) handleAdminSetActive(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	active := c.PostForm("active") == "1"
	if _, err := s.work.UpdateUser(c.Request.Context(), s.actor(c), id, casework.UserUpdate{Active: &active}); err != nil {
		if e := invalidError(err); e != nil {
			p := adminUserPage{uiBase: s.base(c, "用户", "admin")}
			p.Error = e.Message
			if m := e.Fields["active"]; m != "" {
				p.Error = m
			}
			s.userPage(c, status(e.Code), p)
			return
		}
		s.uiError(c, err)
		return
	}
	flash := "user_deactivated"
	if active {
		flash = "user_reactivated"
	}
	done(c, "/admin/users/"+strconv.FormatUint(uint64(id), 10), flash)
}
