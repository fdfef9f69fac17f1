package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"penaltydoc/errs"
)

// RoleList returns the user's roles.
func (u *User) RoleList() []string {
	if u.Roles == "" {
		return nil
	}
	return strings.Split(u.Roles, ",")
}

// HasRole reports whether the user holds role. The admin role is
// administration only: an admin who also cases, reviews or issues holds
// those roles too (the server's role gates let an admin through every gate
// only under the emergency setting).
func (u *User) HasRole(role string) bool {
	return slices.Contains(u.RoleList(), role)
}

// NewUser is what creating a user takes.
type NewUser struct {
	Username    string
	Password    string
	DisplayName string
	Roles       []string
	AuthorityID *uint
	// Authorities are further authorities the user serves.
	Authorities []uint
	// CertificateNumber and Area: an enforcement officer's certificate.
	CertificateNumber, Area string
	// MustChangePassword: the password is the admin's; the user chooses
	// their own at the first sign-in.
	MustChangePassword bool
}

// BcryptCost is the work factor; tests lower it.
var BcryptCost = bcrypt.DefaultCost

// CreateUser stores a user with a bcrypt hash of the password. A user who
// is not an admin belongs to an authority: the first one when none is named.
func (s *Store) CreateUser(ctx context.Context, nu NewUser) (*User, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(nu.Password), BcryptCost)
	if err != nil {
		return nil, errs.Wrap(err, "hash password")
	}
	roles := slices.Clone(nu.Roles)
	slices.Sort(roles)
	roles = slices.Compact(roles)
	if nu.AuthorityID == nil && !slices.Contains(roles, RoleAdmin) {
		// Staff belong to an authority: none named, the default one.
		var first Authority
		if err := s.conn(ctx).Select("id").Order("id").Limit(1).Find(&first).Error; err != nil {
			return nil, errs.Wrap(err, "load default authority")
		}
		if first.ID != 0 {
			nu.AuthorityID = &first.ID
		}
	}
	u := &User{
		Username:     nu.Username,
		PasswordHash: string(hash),
		DisplayName:  nu.DisplayName,
		Roles:        strings.Join(roles, ","),
		AuthorityID:  nu.AuthorityID,
		Authorities:  JoinIDs(nu.Authorities),
		Active:       true,
		// The admin knows it: the user's own comes first.
		MustChangePassword: nu.MustChangePassword,

		CertificateNumber: nu.CertificateNumber,
		Area:              nu.Area,
	}
	if err := s.conn(ctx).Create(u).Error; err != nil {
		if duplicate(err) {
			return nil, &errs.Error{Code: errs.Conflict, Message: "用户名已存在", Fields: map[string]string{"username": "用户名已存在"}}
		}
		return nil, errs.Wrap(err, "create user")
	}
	return u, nil
}

// UserByID loads a user.
func (s *Store) UserByID(ctx context.Context, id uint) (*User, error) {
	var u User
	return &u, notFound(s.conn(ctx).First(&u, id).Error, "用户")
}

// ListUsers returns by name the users of scope sc: those who belong to
// one of its authorities (every user for the deployment's view).
func (s *Store) ListUsers(ctx context.Context, sc Scope) ([]User, error) {
	var us []User
	if err := sc.filter(s.conn(ctx), "authority_id").Order("username").Find(&us).Error; err != nil {
		return nil, errs.Wrap(err, "list users")
	}
	return us, nil
}

// Sign-in throttles. Failures are counted per user name and client address
// together, so that a stranger cannot lock someone out from elsewhere and
// one office behind one address is not locked by one colleague's typing;
// an address as such has a much higher ceiling, against guessing many
// names from one place.
var (
	LoginPerUserAddress = Limit{Failures: 5, Window: 15 * time.Minute, LockFor: 15 * time.Minute}
	LoginPerAddress     = Limit{Failures: 100, Window: 15 * time.Minute, LockFor: 15 * time.Minute}
)

// ErrThrottled answers sign-ins while a key is locked.
var ErrThrottled = errs.E(errs.TooManyRequests, "登录失败次数过多，请15分钟后再试")

// LoginKeys are the throttle keys of a sign-in: user and address, address.
func LoginKeys(username, ip string) (pair, addr string) {
	return ThrottleKey("login", strings.ToLower(username), ip), ThrottleKey("login-ip", ip)
}

// Authenticate checks a user name and password against the throttles of the
// user and address pair and of the address. It answers the same
// unauthorized error, after the same work, for an unknown user, an inactive
// one and a wrong password.
func (s *Store) Authenticate(ctx context.Context, username, password, ip string) (*User, error) {
	pair, addr := LoginKeys(username, ip)
	locked, counted, err := s.throttled(ctx, pair, addr)
	if err != nil {
		return nil, err
	}
	if locked {
		return nil, ErrThrottled
	}
	var u User
	err = s.conn(ctx).Where("username = ?", username).First(&u).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.Wrap(err, "load user")
	}
	hash := []byte(u.PasswordHash)
	if err != nil {
		hash = dummyHash() // the same time as a real comparison
	}
	ok := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil && err == nil && u.Active
	if !ok {
		if err := s.Fail(ctx, pair, LoginPerUserAddress); err != nil {
			return nil, err
		}
		if err := s.Fail(ctx, addr, LoginPerAddress); err != nil {
			return nil, err
		}
		return nil, errs.E(errs.Unauthorized, "用户名或密码错误")
	}
	if counted[pair] { // no write for a sign-in without earlier failures
		if err := s.Clear(ctx, pair); err != nil {
			return nil, err
		}
	}
	return &u, nil
}

// dummyHash is compared for unknown users: made at the cost real hashes
// are made at (BcryptCost), so that the answer's time does not tell
// whether a user name exists.
func dummyHash() []byte {
	dummyMu.Lock()
	defer dummyMu.Unlock()
	if h, ok := dummyHashes[BcryptCost]; ok {
		return h
	}
	h, _ := bcrypt.GenerateFromPassword([]byte("penaltydoc-dummy"), BcryptCost)
	dummyHashes[BcryptCost] = h
	return h
}

var (
	dummyMu     sync.Mutex
	dummyHashes = map[int][]byte{}
)

// lock adds FOR UPDATE on MySQL; SQLite's immediate transactions already
// hold the write lock.
func (s *Store) lock(tx *gorm.DB) *gorm.DB {
	if s.dialect == DialectMySQL {
		return tx.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return tx
}

// Session lifetimes: an absolute lifetime from sign-in and an idle
// timeout from the last request. A web session ends sooner when idle: a
// desk left open; an API token is a program's.
const (
	APISessionTTL  = 12 * time.Hour
	APISessionIdle = 2 * time.Hour
	WebSessionTTL  = 8 * time.Hour
	WebSessionIdle = 30 * time.Minute
	// touchEvery: a session's last_seen_at is written at most this often,
	// so that a busy user does not write a row on every request.
	touchEvery = time.Minute
)

// sessionIdle is the idle timeout of a session kind.
func sessionIdle(kind string) time.Duration {
	if kind == "web" {
		return WebSessionIdle
	}
	return APISessionIdle
}

// NewToken returns a random URL-safe token of n bytes of entropy.
func NewToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how tokens are stored.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession signs a user in and returns the raw token (shown once).
func (s *Store) CreateSession(ctx context.Context, userID uint, kind, ip, userAgent string) (string, *Session, error) {
	ttl := APISessionTTL
	if kind == "web" {
		ttl = WebSessionTTL
	}
	token := NewToken(32)
	now := s.now()
	if len(userAgent) > 300 {
		userAgent = strings.ToValidUTF8(userAgent[:300], "")
	}
	sess := &Session{
		TokenHash: HashToken(token), UserID: userID, Kind: kind, CSRFToken: NewToken(24),
		IP: ip, UserAgent: userAgent, ExpiresAt: now.Add(ttl), CreatedAt: now, LastSeenAt: now,
	}
	if err := s.conn(ctx).Create(sess).Error; err != nil {
		return "", nil, errs.Wrap(err, "create session")
	}
	return token, sess, nil
}

// ErrSessionEnded answers a token that is unknown, expired, idle too
// long, of another kind, or of a deactivated user: one answer for all.
var ErrSessionEnded = errs.E(errs.Unauthorized, "登录已失效，请重新登录")

// SessionUser resolves a raw token of kind ("api" or "web") to its live
// session and active user, and notes the request (idle timeout). A token
// of the other kind is refused: a web cookie is not a bearer token and an
// API token is not a cookie.
func (s *Store) SessionUser(ctx context.Context, token, kind string) (*Session, *User, error) {
	var sess Session
	now := s.now()
	err := s.conn(ctx).Where("token_hash = ? AND expires_at > ?", HashToken(token), now).First(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrSessionEnded
	}
	if err != nil {
		return nil, nil, errs.Wrap(err, "load session")
	}
	if sess.Kind != kind || !now.Before(sess.LastSeenAt.Add(sessionIdle(sess.Kind))) {
		return nil, nil, ErrSessionEnded
	}
	var u User
	err = s.conn(ctx).Where("id = ? AND active = ?", sess.UserID, true).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrSessionEnded
	}
	if err != nil {
		return nil, nil, errs.Wrap(err, "load session user")
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if err := s.conn(ctx).Model(&Session{}).Where("id = ?", sess.ID).Update("last_seen_at", now).Error; err != nil {
			return nil, nil, errs.Wrap(err, "note session")
		}
		sess.LastSeenAt = now
	}
	return &sess, &u, nil
}

// DeleteSession signs out.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if err := s.conn(ctx).Where("token_hash = ?", HashToken(token)).Delete(&Session{}).Error; err != nil {
		return errs.Wrap(err, "delete session")
	}
	return nil
}
