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
