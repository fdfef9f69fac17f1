package main

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/models"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type userJSON struct {
	ID          uint     `json:"id"`
	Username    string   `json:"username"`
	DisplayName string   `json:"display_name"`
	Roles       []string `json:"roles"`
	AuthorityID *uint    `json:"authority_id,omitempty"`
	// Authorities are every authority the user serves (authority_id
	// first); empty for the deployment's admins.
	Authorities []uint `json:"authorities"`
	Active      bool   `json:"active"`
	// MustChangePassword: an admin reset the password (POST
	// /api/v1/me/password first).
	MustChangePassword bool `json:"must_change_password"`
	// CertificateNumber (执法证号) and Area (执法区域/执法类别).
	CertificateNumber string `json:"certificate_number"`
	Area              string `json:"area"`
}

func toUserJSON(u *models.User) userJSON {
	ids := u.AuthorityIDs()
	if ids == nil {
		ids = []uint{}
	}
	return userJSON{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Roles: u.RoleList(), AuthorityID: u.AuthorityID,
		Authorities: ids, Active: u.Active, MustChangePassword: u.MustChangePassword, CertificateNumber: u.CertificateNumber, Area: u.Area}
}

// handleLogin signs in with a user name and password and returns a bearer
// token.
func (s *Server) handleLogin(c *gin.Context) {
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	previous, _ := bearerToken(c)
	in, err := s.work.Login(c.Request.Context(), req.Username, req.Password, casework.SessionAPI, c.ClientIP(), c.Request.UserAgent(), previous)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": in.Token, "expires_at": in.Session.ExpiresAt, "user": toUserJSON(in.User)})
}

func (s *Server) handleLogout(c *gin.Context) {
	if token, ok := bearerToken(c); ok {
		if err := s.work.Logout(c.Request.Context(), token); err != nil {
			s.fail(c, err)
			return
		}
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) handleMe(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"user": toUserJSON(currentUser(c))})
}

func (s *Server) handleCreateUser(c *gin.Context) {
	var req casework.UserInput
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.work.CreateUser(c.Request.Context(), s.actor(c), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toUserJSON(u))
}

func (s *Server) handleUpdateUser(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req casework.UserUpdate
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.work.UpdateUser(c.Request.Context(), s.actor(c), id, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toUserJSON(u))
}

func (s *Server) handleListUsers(c *gin.Context) {
	us, err := s.work.Users(c.Request.Context(), s.actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]userJSON, len(us))
	for i := range us {
		out[i] = toUserJSON(&us[i])
	}
	c.JSON(http.StatusOK, gin.H{"users": out})
}
