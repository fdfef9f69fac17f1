package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"
)

// api speaks the service's public HTTP API and records every request.
type api struct {
	base    string // http://host:port, no trailing slash
	staff   *http.Client
	public  *http.Client // the parties' requests, each from its own address when spread
	rec     *recorder
	timeout time.Duration
}

// statusError is a request that got an answer other than the one wanted.
type statusError struct {
	Op     string
	Status int
	Body   string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s: HTTP %d: %s", e.Op, e.Status, e.Body)
}

// reqError is a request that got no answer.
type reqError struct {
	Op    string
	Class string
	Err   error
}

func (e *reqError) Error() string { return fmt.Sprintf("%s: %s: %v", e.Op, e.Class, e.Err) }
func (e *reqError) Unwrap() error { return e.Err }

func newAPI(base string, rec *recorder, clients int, timeout time.Duration, spread bool) *api {
	staff := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        4 * clients,
		MaxIdleConnsPerHost: 4 * clients,
		IdleConnTimeout:     90 * time.Second,
	}
	public := &http.Transport{Proxy: nil, DisableKeepAlives: true,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	if spread {
		public.DialContext = spreadDialer()
	}
	return &api{base: base, rec: rec, timeout: timeout,
		staff: &http.Client{Transport: staff}, public: &http.Client{Transport: public}}
}

// spreadDialer dials every connection from the next loopback address
// (127.0.0.2, 127.0.0.3, … 127.255.255.254): each party of the load is a
// client of its own, as the download throttle (per client address) expects.
// It works only against a service on a loopback address.
func spreadDialer() func(ctx context.Context, network, addr string) (net.Conn, error) {
	var n atomic.Uint32
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: loopbackAddr(n.Add(1))}}
		return d.DialContext(ctx, network, addr)
	}
}

// loopbackAddr is the i-th address of 127.0.0.2 … 127.255.255.254, round
// and round.
func loopbackAddr(i uint32) net.IP {
	const span = 1<<24 - 3 // 127.0.0.2 … 127.255.255.254
	v := 2 + (i-1)%span
	return net.IPv4(127, byte(v>>16), byte(v>>8), byte(v))
}

// isLoopback reports whether the service's URL names an IPv4 loopback
// address (the only case in which spreading source addresses works).
func isLoopback(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.To4() != nil && ip.IsLoopback()
}

// call sends one request and decodes the answer into out (JSON, or the raw
// bytes when out is *[]byte). want is the status that counts as success.
// body is sent as JSON unless it is url.Values (a form).
func (a *api) call(ctx context.Context, op, method, path, token string, body any, want int, out any) error {
	return a.do(ctx, a.staff, op, method, path, token, body, want, out, nil)
}

func (a *api) do(ctx context.Context, hc *http.Client, op, method, path, token string, body any, want int, out any, header http.Header) error {
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		rd, ctype = bytes.NewBufferString(b.Encode()), "application/x-www-form-urlencoded"
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			return fmt.Errorf("%s: encode: %w", op, err)
		}
		rd, ctype = bytes.NewReader(buf), "application/json"
	}
	rctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, method, a.base+path, rd)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	resp, err := hc.Do(req)
	var data []byte
	if err == nil {
		data, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	elapsed := time.Since(start)
	if err != nil {
		class := classNet
		switch {
		case ctx.Err() != nil:
			class = classCanceled
		case errors.Is(err, context.DeadlineExceeded):
			class = classTimeout
		}
		a.rec.fail(op, class, time.Now())
		return &reqError{Op: op, Class: class, Err: err}
	}
	if resp.StatusCode != want {
		a.rec.fail(op, strconv.Itoa(resp.StatusCode), time.Now())
		return &statusError{Op: op, Status: resp.StatusCode, Body: snippet(data)}
	}
	a.rec.ok(op, elapsed)
	switch o := out.(type) {
	case nil:
	case *[]byte:
		*o = data
	default:
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s: decode answer: %w", op, err)
		}
	}
	return nil
}

// snippet is the start of a body, for messages.
func snippet(b []byte) string {
	const n = 300
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
