package main

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"
)

// The faults the harness can inject mid-run.
const (
	faultServerKill     = "server-kill"     // SIGKILL the spawned server, start it again on the same data
	faultMariaDBRestart = "mariadb-restart" // stop MariaDB, start it again, wait until it answers
)

// Default MariaDB commands (the Debian package's server). The stop
// command's host and port are taken from the DSN.
const (
	defaultMariaDBStop  = "mariadb-admin -h{host} -P{port} -uroot shutdown"
	defaultMariaDBStart = "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd"
)

// parseFaults reads "server-kill,mariadb-restart" (either, both or "").
func parseFaults(s string) ([]string, error) {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		switch f {
		case "":
		case faultServerKill, faultMariaDBRestart:
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		default:
			return nil, fmt.Errorf("unknown fault %q (want %s or %s)", f, faultServerKill, faultMariaDBRestart)
		}
	}
	return out, nil
}

// schedule is when the n faults of a run of length d start, after the
// run's start: spread evenly, none in the first or last part of the run.
func schedule(d time.Duration, n int) []time.Duration {
	out := make([]time.Duration, n)
	for k := range n {
		out[k] = d * time.Duration(k+1) / time.Duration(n+1)
	}
	return out
}

// expandCommand fills {host} and {port} of a command from host:port.
func expandCommand(cmd, addr string) string {
	host, port, ok := strings.Cut(addr, ":")
	if !ok {
		port = "3306"
	}
	return strings.NewReplacer("{host}", host, "{port}", port).Replace(cmd)
}

// injector runs the faults of a run and keeps the windows in which
// failures are expected: from the fault until the service answers again
// and a grace period has passed.
type injector struct {
	kinds      []string
	svc        *service // the spawned server (server-kill), else nil
	base       string   // the service's URL
	dsn        string   // MariaDB (mariadb-restart)
	stop       string   // shell commands for MariaDB
	start      string
	down       time.Duration // how long the server or MariaDB stays down
	grace      time.Duration
	out        io.Writer
	mu         sync.Mutex
	windows    []window
	failures   []string // faults that did not go as they should (the service did not recover …)
	runStarted time.Time
}

func (in *injector) logf(format string, args ...any) {
	in.mu.Lock()
	defer in.mu.Unlock()
	fmt.Fprintf(in.out, "%s fault: %s\n", time.Since(in.runStarted).Round(100*time.Millisecond), fmt.Sprintf(format, args...))
}

func (in *injector) failed(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	in.logf("%s", msg)
	in.mu.Lock()
	in.failures = append(in.failures, msg)
	in.mu.Unlock()
}

// run injects n faults over a run of length d that started at start,
// kind after kind, and returns when the last has recovered. It does not
// heed the end of the run: a fault under way is seen through.
func (in *injector) run(ctx context.Context, start time.Time, d time.Duration, n int) {
	in.runStarted = start
	for k, at := range schedule(d, n) {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(start.Add(at))):
		}
		from := time.Now()
		switch kind := in.kinds[k%len(in.kinds)]; kind {
		case faultServerKill:
			in.killServer(context.WithoutCancel(ctx))
		case faultMariaDBRestart:
			in.restartMariaDB(context.WithoutCancel(ctx))
		}
		in.mu.Lock()
		in.windows = append(in.windows, window{from: from, to: time.Now().Add(in.grace)})
		in.mu.Unlock()
	}
}

func (in *injector) killServer(ctx context.Context) {
	in.logf("SIGKILL the server (pid %d)", in.svc.cmd.Process.Pid)
	in.svc.kill()
	time.Sleep(in.down)
	t := time.Now()
	if err := in.svc.start(ctx); err != nil {
		in.failed("the server did not start again on its data: %v", err)
		return
	}
	in.logf("server up again after %s (pid %d)", time.Since(t).Round(10*time.Millisecond), in.svc.cmd.Process.Pid)
}

func (in *injector) restartMariaDB(ctx context.Context) {
	addr, _ := mysqlAddr(in.dsn)
	stop := expandCommand(in.stop, addr)
	in.logf("stop MariaDB at %s: %s", addr, stop)
	if out, err := exec.CommandContext(ctx, "sh", "-c", stop).CombinedOutput(); err != nil {
		in.failed("MariaDB stop command: %v: %s", err, out)
		return
	}
	if !waitFor(ctx, 60*time.Second, func() bool { return pingMySQL(ctx, in.dsn) != nil }) {
		in.failed("MariaDB still answers 60 s after the stop command")
		return
	}
	time.Sleep(in.down)
	start := expandCommand(in.start, addr)
	in.logf("start MariaDB: %s", start)
	cmd := exec.CommandContext(ctx, "sh", "-c", start)
	if out, err := cmd.CombinedOutput(); err != nil {
		in.failed("MariaDB start command: %v: %s", err, out)
		return
	}
	t := time.Now()
	if !waitFor(ctx, 60*time.Second, func() bool { return pingMySQL(ctx, in.dsn) == nil }) {
		in.failed("MariaDB does not answer 60 s after the start command")
		return
	}
	in.logf("MariaDB answers again after %s", time.Since(t).Round(10*time.Millisecond))
	t = time.Now()
	if err := waitHealthy(ctx, in.base, 30*time.Second, nil); err != nil {
		in.failed("the service did not recover after MariaDB came back: %v", err)
		return
	}
	in.logf("service healthy %s after MariaDB", time.Since(t).Round(10*time.Millisecond))
}

// waitFor polls cond every 200 ms until it holds or limit passes.
func waitFor(ctx context.Context, limit time.Duration, cond func() bool) bool {
	end := time.Now().Add(limit)
	for time.Now().Before(end) && ctx.Err() == nil {
		if cond() {
			return true
		}
		time.Sleep(200 * time.Millisecond)
	}
	return false
}

// allWindows is a copy of the fault windows so far.
func (in *injector) allWindows() []window {
	in.mu.Lock()
	defer in.mu.Unlock()
	return slices.Clone(in.windows)
}
