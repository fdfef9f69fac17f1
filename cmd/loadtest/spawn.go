package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
)

// service is a server process the harness spawned: built once, started on
// a fixed loopback port with its data in dir (or a fresh MariaDB database),
// killed and started again on the same data.
type service struct {
	bin, addr, db, adminPassword string
	secret                       string // PENALTYDOC_SECRET, when set
	logPath                      string
	cmd                          *exec.Cmd
	exited                       chan error
	spent                        usage // of the processes killed or stopped so far
}

// usage is what server processes used: CPU time (user and system) and the
// peak resident set of the largest.
type usage struct {
	CPU     time.Duration
	PeakRSS int64 // bytes
}

func (u usage) plus(v usage) usage {
	return usage{CPU: u.CPU + v.CPU, PeakRSS: max(u.PeakRSS, v.PeakRSS)}
}

// procUsage reads a process's usage from /proc (Linux; zero elsewhere).
func procUsage(pid int) usage {
	var u usage
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		u.CPU = statCPU(string(b))
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		u.PeakRSS = statusHWM(string(b))
	}
	return u
}

// statCPU is utime + stime of a /proc/PID/stat line (clock ticks of
// 1/100 s, the value on every Linux the harness runs on).
func statCPU(stat string) time.Duration {
	// The command name in parentheses may hold spaces: count from after it.
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 13 {
		return 0
	}
	var ticks int64
	for _, s := range f[11:13] { // fields 14 and 15: utime, stime
		var n int64
		fmt.Sscan(s, &n)
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// statusHWM is VmHWM of /proc/PID/status, in bytes.
func statusHWM(status string) int64 {
	for line := range strings.Lines(status) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), &kb)
			return kb << 10
		}
	}
	return 0
}

// usage is what the server processes used so far, the running one included.
func (s *service) usage() usage {
	if s.cmd == nil {
		return s.spent
	}
	return s.spent.plus(procUsage(s.cmd.Process.Pid))
}

// reap notes the usage of the process about to end.
func (s *service) reap() {
	s.spent = s.spent.plus(procUsage(s.cmd.Process.Pid))
}

// buildServer compiles pkg (./server) into dir once.
func buildServer(ctx context.Context, pkg, dir string) (string, error) {
	bin := filepath.Join(dir, "penaltydoc")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %w\n%s", pkg, err, out)
	}
	return bin, nil
}

// freeAddr is a loopback address with a port nobody listens on now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func (s *service) url() string { return "http://" + s.addr }

// start runs the binary and waits until /healthz answers 200.
func (s *service) start(ctx context.Context) error {
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close() // the child keeps its own descriptor
	cmd := exec.Command(s.bin)
	cmd.Env = append(os.Environ(), "PENALTYDOC_DB="+s.db, "PENALTYDOC_ADDR="+s.addr,
		"PENALTYDOC_ADMIN_PASSWORD="+s.adminPassword, "PENALTYDOC_BASE_URL="+s.url())
	if s.secret != "" {
		cmd.Env = append(cmd.Env, "PENALTYDOC_SECRET="+s.secret)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group: a Ctrl-C to the harness does not reach it; the
	// harness stops it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start server: %w", err)
	}
	s.cmd, s.exited = cmd, make(chan error, 1)
	go func() { s.exited <- cmd.Wait() }()
	if err := waitHealthy(ctx, s.url(), 90*time.Second, s.exited); err != nil {
		return fmt.Errorf("%w\n%s", err, s.logTail(20))
	}
	return nil
}

// exitedEarly reports whether the process ended by itself (a crash) and how.
func (s *service) exitedEarly() (bool, error) {
	if s.cmd == nil {
		return false, nil
	}
	select {
	case err := <-s.exited:
		s.exited <- err // kill and stop wait on it
		return true, err
	default:
		return false, nil
	}
}

// kill ends the process with SIGKILL: no shutdown, no checkpoint.
func (s *service) kill() {
	if s.cmd == nil {
		return
	}
	s.reap()
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
	s.cmd = nil
}

// stop ends the process gracefully (SIGTERM, then SIGKILL after 30 s).
func (s *service) stop() {
	if s.cmd == nil {
		return
	}
	s.reap()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.exited
	}
	s.cmd = nil
}

// waitHealthy polls base/healthz until it answers 200, the time is up or
// exited delivers (the process died).
func waitHealthy(ctx context.Context, base string, limit time.Duration, exited <-chan error) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	hc := &http.Client{Timeout: 2 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"/healthz", nil)
		if resp, err := hc.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("server exited: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("%s/healthz did not answer 200 within %s", base, limit)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// logTail is the last n lines of the server's log.
func (s *service) logTail(n int) string {
	b, _ := os.ReadFile(s.logPath)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// errorLines are the log lines at level ERROR (the server's JSON logs),
// at most n of them, and how many there were.
func errorLines(path string, n int) ([]string, int) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0
	}
	defer f.Close()
	var out []string
	count := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"level":"ERROR"`) {
			count++
			if len(out) < n {
				out = append(out, sc.Text())
			}
		}
	}
	return out, count
}

// The driver's own log lines (a connection reset while MariaDB restarts)
// would only interleave with the report.
func init() { _ = mysql.SetLogger(log.New(io.Discard, "", 0)) }

// mysqlDSN is the Go MySQL driver DSN of a PENALTYDOC_DB value ("mysql:…"),
// or "" for SQLite.
func mysqlDSN(db string) string {
	if dsn, ok := strings.CutPrefix(db, "mysql:"); ok {
		return dsn
	}
	return ""
}

// freshDatabase creates the database name on the server of dsn and answers
// the DSN naming it.
func freshDatabase(ctx context.Context, dsn, name string) (string, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "", fmt.Errorf("MariaDB DSN: %w", err)
	}
	if err := execMySQL(ctx, dsn, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		return "", err
	}
	cfg.DBName = name
	return cfg.FormatDSN(), nil
}

// execMySQL runs one statement on the server of dsn, outside any database.
func execMySQL(ctx context.Context, dsn, stmt string) error {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return fmt.Errorf("MariaDB DSN: %w", err)
	}
	cfg.DBName = ""
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("MariaDB: %s: %w", stmt, err)
	}
	return nil
}

// pingMySQL reports whether the server of dsn answers within two seconds.
func pingMySQL(ctx context.Context, dsn string) error {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return err
	}
	cfg.DBName, cfg.Timeout = "", 2*time.Second
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// mysqlAddr is host:port of a DSN (tcp only).
func mysqlAddr(dsn string) (string, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "", err
	}
	if cfg.Net != "tcp" {
		return "", errors.New("only tcp(host:port) DSNs are supported")
	}
	return cfg.Addr, nil
}
