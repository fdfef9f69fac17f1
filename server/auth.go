package main

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/errs"
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
	Active      bool     `json:"active"`
}

func toUserJSON(u *models.User) userJSON {
	return userJSON{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Roles: u.RoleList(), AuthorityID: u.AuthorityID, Active: u.Active}
}

// handleLogin signs in with a user name and password and returns a bearer
// token.
func (s *Server) handleLogin(c *gin.Context) {
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	f := errs.Fields{}
	if strings.TrimSpace(req.Username) == "" {
		f.Add("username", "请输入用户名")
	}
	if req.Password == "" {
		f.Add("password", "请输入密码")
	}
	if err := f.Err(); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	u, err := s.store.Authenticate(ctx, strings.TrimSpace(req.Username), req.Password, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	token, sess, err := s.store.CreateSession(ctx, u.ID, "api", c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		s.fail(c, err)
		return
	}
	_ = s.store.Audit(ctx, models.Actor{UserID: u.ID, Username: u.Username, IP: c.ClientIP()}, "login", "user", u.ID, "")
	c.JSON(http.StatusOK, gin.H{"token": token, "expires_at": sess.ExpiresAt, "user": toUserJSON(u)})
}

func (s *Server) handleLogout(c *gin.Context) {
	if token, ok := bearerToken(c); ok {
		if err := s.store.DeleteSession(c.Request.Context(), token); err != nil {
			s.fail(c, err)
			return
		}
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) handleMe(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"user": toUserJSON(currentUser(c))})
}

type createUserRequest struct {
	Username    string   `json:"username"`
	Password    string   `json:"password"`
	DisplayName string   `json:"display_name"`
	Roles       []string `json:"roles"`
	AuthorityID *uint    `json:"authority_id"`
}

func (r *createUserRequest) validate() error {
	f := errs.Fields{}
	r.Username = strings.TrimSpace(r.Username)
	if !validUsername(r.Username) {
		f.Add("username", "用户名为3至64位字母、数字、点、横线或下划线")
	}
	if n := len([]rune(r.Password)); n < 8 || n > 72 {
		f.Add("password", "密码长度应为8至72位")
	}
	if len([]rune(r.DisplayName)) > 100 {
		f.Add("display_name", "姓名最长100字")
	}
	if len(r.Roles) == 0 {
		f.Add("roles", "至少选择一个角色")
	}
	for _, role := range r.Roles {
		if !slices.Contains(models.AllRoles, role) {
			f.Add("roles", "角色“"+role+"”无效，可选 officer、reviewer、approver、clerk、admin")
		}
	}
	return f.Err()
}

func validUsername(s string) bool {
	if len(s) < 3 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func (s *Server) handleCreateUser(c *gin.Context) {
	var req createUserRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if err := req.validate(); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if req.AuthorityID != nil {
		if _, err := s.store.Authority(ctx, *req.AuthorityID); err != nil {
			s.fail(c, invalidIfNotFound(err, "authority_id", "执法机关不存在"))
			return
		}
	}
	u, err := s.store.CreateUser(ctx, models.NewUser{Username: req.Username, Password: req.Password,
		DisplayName: req.DisplayName, Roles: req.Roles, AuthorityID: req.AuthorityID})
	if err != nil {
		s.fail(c, err)
		return
	}
	_ = s.store.Audit(ctx, actor(c), "create_user", "user", u.ID, "roles="+u.Roles)
	c.JSON(http.StatusCreated, toUserJSON(u))
}

func (s *Server) handleListUsers(c *gin.Context) {
	us, err := s.store.ListUsers(c.Request.Context())
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

// invalidIfNotFound turns a lookup's not_found into a field error.
func invalidIfNotFound(err error, field, msg string) error {
	if errs.Is(err, errs.NotFound) {
		return &errs.Error{Code: errs.Invalid, Message: msg, Fields: map[string]string{field: msg}}
	}
	return err
}
