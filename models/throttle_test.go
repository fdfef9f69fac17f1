package models

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"penaltydoc/errs"
)

// TestThrottleConcurrentNewKeys: many first events at once, each for a key
// of its own (a party's first download, a login failure from a new
// address), all succeed. On MariaDB the locking read of a missing row takes
// a gap lock and the inserts that follow deadlocked (Error 1213), answered
// 500; found by cmd/loadtest.
func TestThrottleConcurrentNewKeys(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		const workers, each = 16, 15
		var wg sync.WaitGroup
		errc := make(chan error, workers*each*2)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					if err := s.Fail(ctx, ThrottleKey("test", fmt.Sprint(w), fmt.Sprint(i)), Limit{Failures: 10, Window: time.Minute, LockFor: time.Minute}); err != nil {
						errc <- fmt.Errorf("fail: %w", err)
					}
					if _, err := s.Authenticate(ctx, fmt.Sprintf("nobody-%d-%d", w, i), "wrong", fmt.Sprintf("10.1.%d.%d", w, i)); !errs.Is(err, errs.Unauthorized) {
						errc <- fmt.Errorf("failed login: %w", err)
					}
				}
			})
		}
		wg.Wait()
		close(errc)
		n := 0
		for err := range errc {
			if n++; n <= 3 {
				t.Error(err)
			}
		}
		if n > 3 {
			t.Errorf("… %d errors in all", n)
		}
	})
}

// TestThrottleCounts: failures within the window count up to the lock, on
// one key from many goroutines at once (the upsert loses none), and a new
// window starts after the old one ends.
func TestThrottleCounts(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		key := ThrottleKey("test", "one")
		l := Limit{Failures: 40, Window: time.Hour, LockFor: 2 * time.Hour}
		var wg sync.WaitGroup
		for range 39 {
			wg.Go(func() {
				if err := s.Fail(ctx, key, l); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		var th Throttle
		if err := s.db.First(&th, "`key` = ?", key).Error; err != nil {
			t.Fatal(err)
		}
		if th.Failures != 39 {
			t.Fatalf("counted %d of 39 concurrent failures", th.Failures)
		}
		if locked, err := s.Locked(ctx, key); err != nil || locked {
			t.Fatalf("locked before the limit: %v %v", locked, err)
		}
		if err := s.Fail(ctx, key, l); err != nil {
			t.Fatal(err)
		}
		if locked, err := s.Locked(ctx, key, ThrottleKey("test", "other")); err != nil || !locked {
			t.Fatalf("not locked at the limit: %v %v", locked, err)
		}
		// After the window and the lock: one failure starts a new window.
		s.Now = func() time.Time { return time.Now().Add(l.LockFor + time.Minute) }
		if locked, err := s.Locked(ctx, key); err != nil || locked {
			t.Fatalf("still locked after the lock: %v %v", locked, err)
		}
		if err := s.Fail(ctx, key, l); err != nil {
			t.Fatal(err)
		}
		if err := s.db.First(&th, "`key` = ?", key).Error; err != nil {
			t.Fatal(err)
		}
		if th.Failures != 1 {
			t.Fatalf("new window counts %d", th.Failures)
		}
		if locked, _ := s.Locked(ctx, key); locked {
			t.Fatal("locked at the new window's first failure")
		}
	})
}
