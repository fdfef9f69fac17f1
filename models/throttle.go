package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"penaltydoc/errs"
)

// A Limit is how many failures a throttle key may have within Window
// before it is locked for LockFor.
type Limit struct {
	Failures int
	Window   time.Duration
	LockFor  time.Duration
}

// ThrottleKey is the stored key of a throttle: the kind (a short constant)
// and the SHA-256 of its parts (a user name, an address, a document
// number), so that a key has a fixed length (kind + 65 bytes) whatever a
// client sends, and the table holds no user name or address in clear.
func ThrottleKey(kind string, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return kind + ":" + hex.EncodeToString(sum[:])
}

// Locked reports whether any of keys is locked now.
func (s *Store) Locked(ctx context.Context, keys ...string) (bool, error) {
	locked, _, err := s.throttled(ctx, keys...)
	return locked, err
}

// throttled reports whether any of keys is locked now, and which of them
// have a row at all (failures counted).
func (s *Store) throttled(ctx context.Context, keys ...string) (locked bool, counted map[string]bool, err error) {
	var rows []Throttle
	if err := s.conn(ctx).Where("`key` IN ?", keys).Find(&rows).Error; err != nil {
		return false, nil, errs.Wrap(err, "read throttle")
	}
	now := s.now()
	counted = make(map[string]bool, len(rows))
	for _, r := range rows {
		counted[r.Key] = true
		locked = locked || r.LockedUntil.After(now)
	}
	return locked, counted, nil
}

// Fail counts one failure for key: a window starts at a key's first
// failure (or the first after its window ended), and the failure that
// reaches l.Failures within it locks the key for l.LockFor. One upsert,
// no locking read: on MariaDB a locking read of a missing key takes a gap
// lock, and two first failures in one gap deadlocked on their inserts.
//
// The assignments read only the row's old values, in an order that gives
// the same result on SQLite (every SET expression sees the old row) and
// MariaDB (each sees the columns assigned before it): locked_until first,
// then failures, then window_start.
func (s *Store) Fail(ctx context.Context, key string, l Limit) error {
	now := s.now()
	cutoff := now.Add(-l.Window)
	fresh := Throttle{Key: key, Failures: 1, WindowStart: now, LockedUntil: time.Unix(0, 0).UTC()}
	if l.Failures <= 1 {
		fresh.LockedUntil = now.Add(l.LockFor)
	}
	set := clause.Set{
		{Column: clause.Column{Name: "locked_until"}, Value: gorm.Expr(
			"CASE WHEN (CASE WHEN window_start < ? THEN 1 ELSE failures + 1 END) >= ? THEN ? ELSE locked_until END", cutoff, l.Failures, now.Add(l.LockFor))},
		{Column: clause.Column{Name: "failures"}, Value: gorm.Expr("CASE WHEN window_start < ? THEN 1 ELSE failures + 1 END", cutoff)},
		{Column: clause.Column{Name: "window_start"}, Value: gorm.Expr("CASE WHEN window_start < ? THEN ? ELSE window_start END", cutoff, now)},
	}
	defer s.serialThrottle()()
	err := s.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoUpdates: set}).Create(&fresh).Error
	if err != nil {
		return errs.Wrap(err, "record throttle failure")
	}
	return nil
}

// Clear forgets key's failures (a success).
func (s *Store) Clear(ctx context.Context, key string) error {
	defer s.serialThrottle()()
	if err := s.conn(ctx).Where("`key` = ?", key).Delete(&Throttle{}).Error; err != nil {
		return errs.Wrap(err, "clear throttle")
	}
	return nil
}

// MaxThrottleWindow is the longest window or lock of any limit: a row
// whose window started before it and whose lock has ended counts nothing.
const MaxThrottleWindow = 24 * time.Hour

// Purged counts what Purge deleted.
type Purged struct {
	Sessions, Throttles int64
}

// Purge deletes what counts no more: sessions past their lifetime or idle
// timeout, throttle rows whose window and lock are over. Run now and then
// (the server does every few minutes); nothing depends on it for
// correctness, only the tables' size.
func (s *Store) Purge(ctx context.Context) (Purged, error) {
	now := s.now()
	var p Purged
	res := s.conn(ctx).Where("expires_at <= ? OR (kind = ? AND last_seen_at < ?) OR (kind = ? AND last_seen_at < ?)",
		now, "web", now.Add(-WebSessionIdle), "api", now.Add(-APISessionIdle)).Delete(&Session{})
	if res.Error != nil {
		return p, errs.Wrap(res.Error, "purge sessions")
	}
	p.Sessions = res.RowsAffected
	res = s.conn(ctx).Where("locked_until <= ? AND window_start < ?", now, now.Add(-MaxThrottleWindow)).Delete(&Throttle{})
	if res.Error != nil {
		return p, errs.Wrap(res.Error, "purge throttles")
	}
	p.Throttles = res.RowsAffected
	return p, nil
}

// serialThrottle takes throttleMu on SQLite (see Store.throttleMu) and
// returns its release; on MariaDB, whose row locks queue fairly, nothing.
func (s *Store) serialThrottle() func() {
	if s.dialect != DialectSQLite {
		return func() {}
	}
	s.throttleMu.Lock()
	return s.throttleMu.Unlock
}
