package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestLoopbackAddr(t *testing.T) {
	tests := []struct {
		i    uint32
		want string
	}{
		{1, "127.0.0.2"},
		{2, "127.0.0.3"},
		{255, "127.0.1.0"},
		{1<<24 - 3, "127.255.255.254"},
		{1<<24 - 2, "127.0.0.2"}, // round again
	}
	for _, tt := range tests {
		if got := loopbackAddr(tt.i).String(); got != tt.want {
			t.Errorf("loopbackAddr(%d) = %s, want %s", tt.i, got, tt.want)
		}
	}
	for _, tt := range []struct {
		url  string
		want bool
	}{{"http://127.0.0.1:8080", true}, {"http://127.0.0.9", true}, {"http://localhost:8080", false}, {"http://[::1]:80", false}, {"https://penaltydoc.example", false}} {
		if got := isLoopback(tt.url); got != tt.want {
			t.Errorf("isLoopback(%q) = %v", tt.url, got)
		}
	}
}

// TestSpreadDialer: the service sees each party's request from an address
// of its own.
func TestSpreadDialer(t *testing.T) {
	seen := make(chan string, 3)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		seen <- host
	}))
	defer srv.Close()
	a := newAPI(srv.URL, newRecorder(), 1, 5*time.Second, true)
	for range 3 {
		if err := a.do(t.Context(), a.public, "verify", "GET", "/", "", nil, 200, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]bool{<-seen: true, <-seen: true, <-seen: true}
	if len(got) != 3 || got["127.0.0.1"] {
		t.Errorf("the service saw %v: want three addresses, none 127.0.0.1", got)
	}
}

// TestCallOutcomes: each kind of outcome is recorded in its class.
func TestCallOutcomes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			w.Write([]byte(`{"token":"t"}`))
		case "/conflict":
			http.Error(w, `{"error":{"code":"conflict"}}`, 409)
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}
	}))
	defer srv.Close()
	rec := newRecorder()
	a := newAPI(srv.URL, rec, 1, 200*time.Millisecond, false)
	ctx := t.Context()

	var out loginAnswer
	if err := a.call(ctx, "ok", "POST", "/ok", "tok", map[string]string{"a": "b"}, 200, &out); err != nil || out.Token != "t" {
		t.Errorf("ok: %v, %+v", err, out)
	}
	var se *statusError
	if err := a.call(ctx, "conflict", "GET", "/conflict", "", nil, 200, nil); !errors.As(err, &se) || se.Status != 409 {
		t.Errorf("conflict: %v", err)
	}
	var re *reqError
	if err := a.call(ctx, "slow", "GET", "/slow", "", nil, 200, nil); !errors.As(err, &re) || re.Class != classTimeout {
		t.Errorf("slow: %v, want a timeout", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(50*time.Millisecond, cancel)
	if err := a.call(cctx, "slow", "GET", "/slow", "", nil, 200, nil); !errors.As(err, &re) || re.Class != classCanceled {
		t.Errorf("canceled: %v", err)
	}
	down := newAPI("http://"+closedAddr(t), rec, 1, time.Second, false)
	if err := down.call(ctx, "down", "GET", "/", "", nil, 200, nil); !errors.As(err, &re) || re.Class != classNet {
		t.Errorf("down: %v, want a network error", err)
	}
	rows, _ := rec.summary(time.Second, nil)
	got := map[string]opSummary{}
	for _, r := range rows {
		got[r.Op] = r
	}
	if got["ok"].OK != 1 || got["conflict"].Failures["409"] != 1 || got["slow"].Failures[classTimeout] != 1 ||
		got["slow"].Canceled != 1 || got["down"].Failures[classNet] != 1 {
		t.Errorf("recorded %+v", got)
	}
}

// closedAddr is a loopback address nobody listens on.
func closedAddr(t *testing.T) string {
	addr, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}
