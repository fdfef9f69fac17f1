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

// HasRole reports whether the user holds role; admin holds every role.
func (u *User) HasRole(role string) bool {
	roles := u.RoleList()
	return slices.Contains(roles, role) || slices.Contains(roles, RoleAdmin)
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

// Login throttling: after maxFailures failures within failureWindow for one
// key (a user name or an address), the key is locked for lockFor.
const (
	maxFailures   = 5
	failureWindow = 15 * time.Minute
	lockFor       = 15 * time.Minute
)

// ErrThrottled answers sign-ins while a key is locked.
var ErrThrottled = errs.E(errs.TooManyRequests, "登录失败次数过多，请15分钟后再试")

// Authenticate checks a user name and password against the throttles of the
// user and of the client address. It answers the same unauthorized error for
// an unknown user and a wrong password.
func (s *Store) Authenticate(ctx context.Context, username, password, ip string) (*User, error) {
	keys := []string{"user:" + strings.ToLower(username), "ip:" + ip}
	now := s.now()
	var locked []Throttle
	if err := s.conn(ctx).Where("`key` IN ? AND locked_until > ?", keys, now).Find(&locked).Error; err != nil {
		return nil, errs.Wrap(err, "read login throttle")
	}
	if len(locked) > 0 {
		return nil, ErrThrottled
	}
	var u User
	err := s.conn(ctx).Where("username = ?", username).First(&u).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.Wrap(err, "load user")
	}
	ok := err == nil && u.Active && bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) == nil
	if err != nil {
		// Spend the same time as a real comparison.
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
	}
	if !ok {
		for _, k := range keys {
			if err := s.recordFailure(ctx, k, now); err != nil {
				return nil, err
			}
		}
		return nil, errs.E(errs.Unauthorized, "用户名或密码错误")
	}
	if err := s.conn(ctx).Where("`key` = ?", keys[0]).Delete(&Throttle{}).Error; err != nil {
		return nil, errs.Wrap(err, "clear login throttle")
	}
	return &u, nil
}

var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("penaltydoc-dummy"), bcrypt.MinCost)

func (s *Store) recordFailure(ctx context.Context, key string, now time.Time) error {
	return s.transact(ctx, func(tx *gorm.DB) error { // retried on deadlock, as in Allow
		var t Throttle
		err := s.lock(tx).Where("`key` = ?", key).First(&t).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			t = Throttle{Key: key, Failures: 1, WindowStart: now, LockedUntil: time.Unix(0, 0).UTC()}
			if err := tx.Create(&t).Error; err != nil && !duplicate(err) {
				return errs.Wrap(err, "record login failure")
			}
			return nil
		case err != nil:
			return errs.Wrap(err, "read login throttle")
		}
		if now.Sub(t.WindowStart) > failureWindow {
			t.Failures, t.WindowStart = 0, now
		}
		t.Failures++
		if t.Failures >= maxFailures {
			t.LockedUntil = now.Add(lockFor)
			t.Failures, t.WindowStart = 0, now
		}
		return tx.Model(&Throttle{}).Where("`key` = ?", key).
			Updates(map[string]any{"failures": t.Failures, "window_start": t.WindowStart, "locked_until": t.LockedUntil}).Error
	})
}

// lock adds FOR UPDATE on MySQL; SQLite's immediate transactions already
// hold the write lock.
func (s *Store) lock(tx *gorm.DB) *gorm.DB {
	if s.dialect == DialectMySQL {
		return tx.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return tx
}

// Session lifetimes.
const (
	APISessionTTL = 12 * time.Hour
	WebSessionTTL = 8 * time.Hour
)

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
		userAgent = userAgent[:300]
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

// SessionUser resolves a raw token to its live session and active user.
func (s *Store) SessionUser(ctx context.Context, token string) (*Session, *User, error) {
	var sess Session
	err := s.conn(ctx).Where("token_hash = ? AND expires_at > ?", HashToken(token), s.now()).First(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, errs.E(errs.Unauthorized, "登录已失效，请重新登录")
	}
	if err != nil {
		return nil, nil, errs.Wrap(err, "load session")
	}
	var u User
	err = s.conn(ctx).Where("id = ? AND active = ?", sess.UserID, true).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, errs.E(errs.Unauthorized, "登录已失效，请重新登录")
	}
	if err != nil {
		return nil, nil, errs.Wrap(err, "load session user")
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
