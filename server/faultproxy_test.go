package main

import (
	"net"
	"sync"
	"testing"
	"time"
)

// proxyMode is what a faultProxy does with connections.
type proxyMode int

const (
	proxyPass   proxyMode = iota // forward bytes both ways
	proxyRefuse                  // nothing listens: connections are refused
	proxyDrop                    // accept, then close at once
	proxyHang                    // accept and forward nothing, answer nothing
)

func (m proxyMode) String() string {
	return [...]string{"pass", "refuse", "drop", "hang"}[m]
}

// faultProxy is a TCP proxy in front of a database server that a test
// switches between passing, refusing, dropping and hanging: the faults of
// a database host, a network or a server that stopped answering. Refusing
// and dropping cut the connections open at the time; a hang holds them,
// silent, and cuts them when it ends (what a client sent meanwhile is
// lost, as when a server comes back).
type faultProxy struct {
	t      testing.TB
	target string
	addr   string // the proxy's address, the same after refusing

	mu      sync.Mutex
	mode    proxyMode
	ln      net.Listener
	conns   map[net.Conn]bool
	release chan struct{} // closed when a hang ends
	wg      sync.WaitGroup
}

func newFaultProxy(t testing.TB, target string) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{t: t, target: target, addr: ln.Addr().String(), ln: ln, conns: map[net.Conn]bool{}, release: make(chan struct{})}
	p.wg.Add(1)
	go p.serve(ln)
	t.Cleanup(p.close)
	return p
}

// close stops the proxy: it listens no more, ends a hang and cuts every
// connection. A test whose server may be waiting on the proxy closes it
// before the server (httptest's Close waits for the requests in flight).
func (p *faultProxy) close() {
	p.mu.Lock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	if p.mode == proxyHang {
		close(p.release)
		p.release = make(chan struct{})
	}
	p.mode = proxyDrop
	p.cutLocked()
	p.mu.Unlock()
	p.wg.Wait()
}

// set switches the proxy to mode.
func (p *faultProxy) set(mode proxyMode) {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if mode == p.mode {
		return
	}
	was := p.mode
	p.mode = mode
	if was == proxyHang {
		close(p.release)
		p.release = make(chan struct{})
	}
	if was == proxyHang || (was == proxyPass && mode != proxyHang) {
		p.cutLocked()
	}
	switch {
	case mode == proxyRefuse:
		p.ln.Close()
		p.ln = nil
	case p.ln == nil:
		// Listen again on the same port (SO_REUSEADDR lets it be taken
		// again at once).
		var err error
		for i := 0; i < 50; i++ {
			if p.ln, err = net.Listen("tcp", p.addr); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err != nil {
			p.t.Fatalf("proxy: listen again on %s: %v", p.addr, err)
		}
		p.wg.Add(1)
		go p.serve(p.ln)
	}
}

// cutLocked closes every open connection.
func (p *faultProxy) cutLocked() {
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *faultProxy) serve(ln net.Listener) {
	defer p.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		mode := p.mode
		if mode != proxyDrop {
			p.conns[c] = true
		}
		p.mu.Unlock()
		switch mode {
		case proxyDrop:
			c.Close()
		case proxyPass:
			p.wg.Add(1)
			go p.forward(c)
		}
		// proxyHang: held open and silent until the hang ends.
	}
}

func (p *faultProxy) forward(c net.Conn) {
	defer p.wg.Done()
	up, err := net.DialTimeout("tcp", p.target, 2*time.Second)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if !p.conns[c] { // cut while dialling
		p.mu.Unlock()
		up.Close()
		return
	}
	p.conns[up] = true
	p.mu.Unlock()
	p.wg.Add(2)
	go p.pipe(up, c)
	go p.pipe(c, up)
}

// pipe copies src to dst, holding each chunk while the proxy hangs.
func (p *faultProxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.waitHang()
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// waitHang blocks while the proxy hangs.
func (p *faultProxy) waitHang() {
	p.mu.Lock()
	for p.mode == proxyHang {
		ch := p.release
		p.mu.Unlock()
		<-ch
		p.mu.Lock()
	}
	p.mu.Unlock()
}
