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
					if _, err := s.Allow(ctx, fmt.Sprintf("test:%d:%d", w, i), 10, time.Minute); err != nil {
						errc <- fmt.Errorf("allow: %w", err)
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
