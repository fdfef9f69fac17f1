package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"penaltydoc/errs"
)

// Allow counts one event for key and reports whether it stays within limit
// events per window (a fixed window that starts at the key's first event).
// Over the limit the key stays refused until the window ends. The count
// lives in the database, so every replica enforces the same limit.
func (s *Store) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error) {
	now := s.now()
	allowed := true
	// transact: on MySQL the locking read of a missing key takes a gap lock,
	// and two first events in one gap deadlock on their inserts; retried.
	err := s.transact(ctx, func(tx *gorm.DB) error {
		allowed = true
		var t Throttle
		err := s.lock(tx).Where("`key` = ?", key).First(&t).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			t = Throttle{Key: key, Failures: 1, WindowStart: now, LockedUntil: now.Add(window)}
			if err := tx.Create(&t).Error; err != nil {
				if duplicate(err) { // another request created it: count on it next time
					return nil
				}
				return errs.Wrap(err, "create throttle")
			}
			return nil
		case err != nil:
			return errs.Wrap(err, "read throttle")
		}
		if !now.Before(t.LockedUntil) { // window over: start a new one
			t.Failures, t.WindowStart, t.LockedUntil = 0, now, now.Add(window)
		}
		t.Failures++
		allowed = t.Failures <= limit
		return tx.Model(&Throttle{}).Where("`key` = ?", key).
			Updates(map[string]any{"failures": t.Failures, "window_start": t.WindowStart, "locked_until": t.LockedUntil}).Error
	})
	if err != nil {
		return false, err
	}
	return allowed, nil
}
