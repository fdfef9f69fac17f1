package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestAuthorityFor(t *testing.T) {
	as := []authority{
		{ID: 1, Domains: []string{"market_regulation"}, Jurisdiction: []string{"market_regulation"}},
		{ID: 2, Domains: []string{"public_security"}, Jurisdiction: []string{"public_security", "traffic"}},
		{ID: 3, Domains: []string{"traffic"}, Jurisdiction: []string{"traffic"}},
	}
	tests := []struct {
		domain string
		want   uint
		ok     bool
	}{
		{"market_regulation", 1, true},
		{"traffic", 3, true}, // its own authority before the one whose jurisdiction covers it
		{"public_security", 2, true},
		{"other", 0, false},
	}
	for _, tt := range tests {
		got, ok := authorityFor(as, tt.domain)
		if got.ID != tt.want || ok != tt.ok {
			t.Errorf("authorityFor(%s) = %d, %v; want %d, %v", tt.domain, got.ID, ok, tt.want, tt.ok)
		}
	}
	if got, ok := authorityFor(as[:2], "traffic"); !ok || got.ID != 2 {
		t.Errorf("without the traffic police: %d, %v; want 2 (jurisdiction)", got.ID, ok)
	}
}

// TestAccountSignsInAgainOn401: a 401 signs in once, however many clients
// saw it, and the request goes again with the new token.
func TestAccountSignsInAgainOn401(t *testing.T) {
	var logins atomic.Int32
	valid := "t0"
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == "/api/v1/login" {
			n := logins.Add(1)
			valid = "t" + string(rune('0'+n))
			json.NewEncoder(w).Encode(loginAnswer{Token: valid})
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+valid {
			http.Error(w, "{}", 401)
			return
		}
		w.Write([]byte("{}"))
	}))
	defer srv.Close()
	a := newAPI(srv.URL, newRecorder(), 4, 5*time.Second, false)
	acc := &account{username: "u", password: "p", token: "stale"}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if err := acc.call(t.Context(), a, "me", "GET", "/api/v1/me", nil, 200, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := logins.Load(); n != 1 {
		t.Errorf("%d sign-ins, want 1", n)
	}
	if acc.current() != "t1" {
		t.Errorf("token %q", acc.current())
	}
}
