package main

import (
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"penaltydoc/models"
)

func TestParseSecret(t *testing.T) {
	raw := models.NewSecret()
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"hex", hex.EncodeToString(raw), true},
		{"hex, upper case, newline", strings.ToUpper(hex.EncodeToString(raw)) + "\n", true},
		{"base64", base64.StdEncoding.EncodeToString(raw), true},
		{"base64 url, unpadded", base64.RawURLEncoding.EncodeToString(raw), true},
		{"hex, 31 bytes", hex.EncodeToString(raw[:31]), false},
		{"base64, 31 bytes", base64.StdEncoding.EncodeToString(raw[:31]), false},
		{"a pass phrase", "correct horse battery staple, twice: correct horse battery staple", false},
		{"empty", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := parseSecret(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("parseSecret: %v, want ok %v", err, tc.ok)
			}
			if err != nil && tc.in != "" && strings.Contains(err.Error(), strings.TrimSpace(tc.in)) {
				t.Errorf("the error shows the secret: %v", err)
			}
			if tc.ok && len(b) != len(raw) {
				t.Errorf("%d bytes", len(b))
			}
		})
	}
}

// sameKeys reports whether a code issued under keys verifies under other.
func sameKeys(t *testing.T, keys, other *models.AccessKeys) bool {
	t.Helper()
	code, hash, err := keys.NewAccessCode()
	if err != nil {
		t.Fatal(err)
	}
	return other.Check(hash, code)
}

// TestSecretSources: where the server secret comes from and when the
// start is refused.
func TestSecretSources(t *testing.T) {
	dir := t.TempDir()
	sqlite := "sqlite:" + filepath.Join(dir, "data", "penaltydoc.db")
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o750); err != nil {
		t.Fatal(err)
	}
	value := hex.EncodeToString(models.NewSecret())
	file := filepath.Join(dir, "mounted.key")
	if err := os.WriteFile(file, []byte(value+"\n"), 0o400); err != nil {
		t.Fatal(err)
	}
	loose := filepath.Join(dir, "loose.key")
	if err := os.WriteFile(loose, []byte(value), 0o640); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.key")
	if err := os.WriteFile(bad, []byte("not a secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	const mysql = "mysql:root@tcp(127.0.0.1:3306)/test"
	fromValue, _, err := accessKeys(mysql, secretSource{Value: value}, secretSource{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name          string
		dsn           string
		cur, prev     secretSource
		err           string // part of the refusal; "" for a start
		sameAsValue   bool
		keepsPrevious bool
	}{
		{name: "value, MySQL", dsn: mysql, cur: secretSource{Value: value}, sameAsValue: true},
		{name: "file, MySQL", dsn: mysql, cur: secretSource{File: file}, sameAsValue: true},
		{name: "file, SQLite", dsn: sqlite, cur: secretSource{File: file}, sameAsValue: true},
		{name: "SQLite, none: secret.key created", dsn: sqlite},
		{name: "SQLite in memory: a random one", dsn: "sqlite::memory:"},
		{name: "rotated: previous value", dsn: mysql, cur: secretSource{Value: hex.EncodeToString(models.NewSecret())}, prev: secretSource{Value: value}, keepsPrevious: true},
		{name: "rotated: previous file", dsn: mysql, cur: secretSource{Value: hex.EncodeToString(models.NewSecret())}, prev: secretSource{File: file}, keepsPrevious: true},
		{name: "MySQL, none", dsn: mysql, err: "every replica"},
		{name: "value and file", dsn: mysql, cur: secretSource{Value: value, File: file}, err: "give one"},
		{name: "short value", dsn: mysql, cur: secretSource{Value: value[:62]}, err: "at least 32 bytes"},
		{name: "file readable by the group", dsn: mysql, cur: secretSource{File: loose}, err: "chmod 600"},
		{name: "malformed file", dsn: sqlite, cur: secretSource{File: bad}, err: "at least 32 bytes"},
		{name: "missing file", dsn: mysql, cur: secretSource{File: filepath.Join(dir, "none.key")}, err: "no such file"},
		{name: "a folder", dsn: mysql, cur: secretSource{File: dir}, err: "not a small regular file"},
		{name: "bad previous", dsn: mysql, cur: secretSource{Value: value}, prev: secretSource{File: loose}, err: "chmod 600"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keys, note, err := accessKeys(tc.dsn, tc.cur, tc.prev)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want one saying %q", err, tc.err)
				}
				if strings.Contains(err.Error(), value[:16]) {
					t.Errorf("the error shows the secret: %v", err)
				}
				return
			}
			if err != nil || note == "" {
				t.Fatalf("%v (%q)", err, note)
			}
			if got := sameKeys(t, fromValue, keys); got != (tc.sameAsValue || tc.keepsPrevious) {
				t.Errorf("a code of the value's secret verifies: %v", got)
			}
		})
	}
}

// TestSecretFileCreated: on SQLite the first start writes secret.key
// (0600, hex), later starts read the same secret, and starts racing on a
// fresh folder agree on one.
func TestSecretFileCreated(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "penaltydoc.db") + "?_pragma=foo"
	const starts = 8
	keys := make([]*models.AccessKeys, starts)
	errs := make([]error, starts)
	var wg sync.WaitGroup
	for i := range starts {
		wg.Go(func() { keys[i], _, errs[i] = accessKeys(dsn, secretSource{}, secretSource{}) })
	}
	wg.Wait()
	for i := range starts {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !sameKeys(t, keys[0], keys[i]) {
			t.Fatalf("start %d has another secret", i)
		}
	}
	file := filepath.Join(dir, "secret.key")
	fi, err := os.Stat(file)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("%v %v", fi, err)
	}
	b, _ := os.ReadFile(file)
	if raw, err := hex.DecodeString(strings.TrimSpace(string(b))); err != nil || len(raw) != 32 {
		t.Fatalf("secret.key holds %d bytes: %v", len(raw), err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "secret.key.*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	again, note, err := accessKeys(dsn, secretSource{}, secretSource{})
	if err != nil || !sameKeys(t, keys[0], again) || strings.Contains(note, "created") {
		t.Fatalf("second start: %v %q", err, note)
	}
}
