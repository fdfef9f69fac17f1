package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// startProcess runs a shell command as the service's process.
func startProcess(t *testing.T, script string) *service {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	if err := cmd.Start(); err != nil {
		t.Skipf("no sh: %v", err)
	}
	s := &service{cmd: cmd, exited: make(chan error, 1)}
	go func() { s.exited <- cmd.Wait() }()
	return s
}

// TestExitedEarly: a server that died by itself is noticed, one that runs
// is not, and kill works after either.
func TestExitedEarly(t *testing.T) {
	crashed := startProcess(t, "exit 3")
	deadline := time.Now().Add(5 * time.Second)
	ok, err := crashed.exitedEarly()
	for !ok && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		ok, err = crashed.exitedEarly()
	}
	if !ok || err == nil || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("crashed process: %v, %v", ok, err)
	}
	crashed.kill() // must not hang

	running := startProcess(t, "sleep 30")
	if ok, err := running.exitedEarly(); ok {
		t.Errorf("running process reported as exited: %v", err)
	}
	running.kill()
	if running.cmd != nil {
		t.Error("kill left the process")
	}
}

func TestErrorLines(t *testing.T) {
	path := t.TempDir() + "/server.log"
	log := `{"level":"INFO","msg":"request"}
{"level":"ERROR","msg":"internal error","err":"a"}
penaltydoc listening on 127.0.0.1:1
{"level":"ERROR","msg":"internal error","err":"b"}
{"level":"ERROR","msg":"internal error","err":"c"}
`
	if err := os.WriteFile(path, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	lines, n := errorLines(path, 2)
	if n != 3 || len(lines) != 2 || !strings.Contains(lines[0], `"a"`) || !strings.Contains(lines[1], `"b"`) {
		t.Errorf("errorLines = %q, %d", lines, n)
	}
}

func TestProcFields(t *testing.T) {
	// A /proc/PID/stat line whose command name holds a space and a ')'.
	stat := "4242 (pen alty)doc) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 566 0 0 20 0 12 0 100 0 0"
	if got := statCPU(stat); got != 18*time.Second {
		t.Errorf("statCPU = %v, want 18s (1234 + 566 ticks)", got)
	}
	if got := statCPU("garbage"); got != 0 {
		t.Errorf("statCPU(garbage) = %v", got)
	}
	status := "Name:\tpenaltydoc\nVmPeak:\t 2000000 kB\nVmHWM:\t  183424 kB\nVmRSS:\t  90000 kB\n"
	if got := statusHWM(status); got != 183424<<10 {
		t.Errorf("statusHWM = %d", got)
	}
	u := usage{CPU: time.Second, PeakRSS: 10 << 20}.plus(usage{CPU: 2 * time.Second, PeakRSS: 5 << 20})
	if u.CPU != 3*time.Second || u.PeakRSS != 10<<20 {
		t.Errorf("plus = %+v", u)
	}
	if got, want := usageText(u, 2*time.Second, 3, 0), "server: 3.0 s CPU in 2.0 s (1.50 cores), 1000 ms per flow, - per issued document; peak RSS 10 MB"; got != want {
		t.Errorf("usageText = %q\nwant %q", got, want)
	}
	// This process: some memory.
	if u := procUsage(os.Getpid()); u.PeakRSS <= 0 {
		t.Skipf("no /proc here: %+v", u)
	}
}
