package casework

import (
	"context"
	"strings"

	"penaltydoc/errs"
	"penaltydoc/models"
)

// Session kinds.
const (
	SessionAPI = "api" // a bearer token
	SessionWeb = "web" // the staff pages' cookie
)

// SignedIn is a new session: the raw token, shown once.
type SignedIn struct {
	Token   string
	Session *models.Session
	User    *models.User
}

// Login checks a user name and password against the sign-in throttles and
// starts a session of kind (SessionAPI or SessionWeb) with a new token.
// previous is the token the client held before, if any (the old cookie):
// it ends, so that no token survives a sign-in (rotation; a token planted
// before sign-in grants nothing after).
func (s *Service) Login(ctx context.Context, username, password, kind, ip, userAgent, previous string) (*SignedIn, error) {
	username = strings.TrimSpace(username)
	f := errs.Fields{}
	if username == "" {
		f.Add("username", "请输入用户名")
	}
	if password == "" {
		f.Add("password", "请输入密码")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	u, err := s.store.Authenticate(ctx, username, password, ip)
	if err != nil {
		return nil, err
	}
	if previous != "" {
		if err := s.store.DeleteSession(ctx, previous); err != nil {
			return nil, err
		}
	}
	token, sess, err := s.store.CreateSession(ctx, u.ID, kind, ip, userAgent)
	if err != nil {
		return nil, err
	}
	detail := ""
	if kind == SessionWeb {
		detail = "web"
	}
	_ = s.store.Audit(ctx, models.Actor{UserID: u.ID, Username: u.Username, IP: ip}, "login", "user", u.ID, detail)
	return &SignedIn{Token: token, Session: sess, User: u}, nil
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.store.DeleteSession(ctx, token)
}

// Session resolves a raw token of kind to its live session and active
// user; a token of the other kind is refused (models.SessionUser).
func (s *Service) Session(ctx context.Context, token, kind string) (*models.Session, *models.User, error) {
	return s.store.SessionUser(ctx, token, kind)
}

// Purge deletes ended sessions and spent throttle rows (models.Purge).
func (s *Service) Purge(ctx context.Context) (models.Purged, error) {
	return s.store.Purge(ctx)
}
