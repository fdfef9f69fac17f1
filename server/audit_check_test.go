package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestCheckAudit: -check-audit through run() reports a clean chain with
// its head, checks an anchor, and names the first bad entry of a chain
// altered through raw SQL with a non-nil error; it starts no server.
func TestCheckAudit(t *testing.T) {
	for _, db := range envDB.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := newEnv(t, db) // seeding and the sign-ins write entries
			check := func(args ...string) (string, error) {
				t.Helper()
				ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
				defer cancel()
				env := map[string]string{"PENALTYDOC_DB": db.DSN, "PENALTYDOC_ADDR": freeAddr(t)}
				stdout, stderr := newSyncBuffer(), newSyncBuffer()
				err := run(ctx, append([]string{"penaltydoc", "-check-audit"}, args...), func(k string) string { return env[k] }, stdout, stderr)
				if out := stdout.String() + stderr.String(); strings.Contains(out, "listening") {
					t.Fatalf("-check-audit started the server: %s", out)
				}
				return stdout.String(), err
			}
			out, err := check()
			m := regexp.MustCompile(`以 -audit-anchor 核对）：(\d+:[0-9a-f]{64})`).FindStringSubmatch(out)
			if err != nil || !strings.Contains(out, "审计日志链完好") || m == nil {
				t.Fatalf("clean chain: %v\n%s", err, out)
			}
			if out, err := check("-audit-anchor", m[1]); err != nil || !strings.Contains(out, "与留存的 1 个链头相符") {
				t.Fatalf("with its anchor: %v\n%s", err, out)
			}
			if out, err := check("-audit-anchor", "12:abc"); err == nil || out != "" {
				t.Fatalf("a bad anchor: %v\n%s", err, out)
			}

			var id uint
			if err := e.store.SQLDB().QueryRow("SELECT id FROM audit_log WHERE seq = 2").Scan(&id); err != nil {
				t.Fatal(err)
			}
			if _, err := e.store.SQLDB().Exec("UPDATE audit_log SET detail = 'changed' WHERE seq = 2"); err != nil {
				t.Fatal(err)
			}
			out, err = check()
			if !errors.Is(err, errAuditBroken) || !strings.Contains(out, fmt.Sprintf("首个问题记录：id %d，序号 2，altered：", id)) {
				t.Fatalf("altered chain: %v\n%s", err, out)
			}
		})
	}
}

// TestCheckAuditUnmigrated: a database the service never ran on is an
// error, and -check-audit does not migrate it.
func TestCheckAuditUnmigrated(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "empty.db")
	var stdout, stderr strings.Builder
	err := run(t.Context(), []string{"penaltydoc", "-check-audit"}, func(k string) string {
		return map[string]string{"PENALTYDOC_DB": dsn}[k]
	}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "no audit chain") || stdout.Len() != 0 {
		t.Fatalf("unmigrated database: %v %q", err, stdout.String())
	}
}
