package main

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"penaltydoc/models"
)

// secretFileName is the secret's file beside a SQLite database, created at
// first start when no secret is configured.
const secretFileName = "secret.key"

// secretSource says where the server secret comes from (config, not the
// secret itself): the environment's value, or a file.
type secretSource struct {
	Value, File string
}

// accessKeys loads the server secret that keys the parties' access codes,
// and the previous one when given:
//
//   - PENALTYDOC_SECRET (the value), or -secret-file / PENALTYDOC_SECRET_FILE
//     (a file holding it), not both;
//   - else, on SQLite, the file secret.key beside the database, created
//     (mode 0600) at first start; an in-memory database gets a random one,
//     since its documents end with the process;
//   - else (MySQL) the start is refused: every replica needs the same secret.
//
// A secret is at least 32 bytes, written in hex or base64. A file must be a
// regular file readable by its owner only (0600 or 0400). It answers what
// it did, for the log.
func accessKeys(dsn string, current, previous secretSource) (*models.AccessKeys, string, error) {
	cur, note, err := loadSecret(dsn, current)
	if err != nil {
		return nil, "", err
	}
	var prev [][]byte
	if previous.Value != "" || previous.File != "" {
		p, err := readSecret("PENALTYDOC_SECRET_PREVIOUS", previous)
		if err != nil {
			return nil, "", err
		}
		prev = append(prev, p)
		note += "; the previous secret still verifies the codes issued under it"
	}
	keys, err := models.NewAccessKeys(cur, prev...)
	return keys, note, err
}

func loadSecret(dsn string, src secretSource) ([]byte, string, error) {
	if src.Value != "" || src.File != "" {
		b, err := readSecret("PENALTYDOC_SECRET", src)
		if src.File != "" {
			return b, "server secret from " + src.File, err
		}
		return b, "server secret from PENALTYDOC_SECRET", err
	}
	dialect, rest, _ := strings.Cut(dsn, ":")
	if dialect != models.DialectSQLite {
		return nil, "", errors.New("no server secret: set PENALTYDOC_SECRET (at least 32 bytes in hex or base64, e.g. the output of `openssl rand -hex 32`) " +
			"or PENALTYDOC_SECRET_FILE (-secret-file) to a file holding it, readable by the service's user only; " +
			"every replica on this database must have the same secret")
	}
	path, _, _ := strings.Cut(rest, "?")
	if path == ":memory:" {
		return models.NewSecret(), "random server secret for the in-memory database", nil
	}
	file := filepath.Join(filepath.Dir(path), secretFileName)
	created, err := createSecretFile(file)
	if err != nil {
		return nil, "", err
	}
	b, err := readSecretFile(file)
	if created {
		return b, "created the server secret " + file + " (back it up with the database; without it no access code issued can be checked)", err
	}
	return b, "server secret from " + file, err
}

// readSecret reads a configured secret: the value, or the file's.
func readSecret(name string, src secretSource) ([]byte, error) {
	switch {
	case src.Value != "" && src.File != "":
		return nil, fmt.Errorf("both %s and %s_FILE are set: give one", name, name)
	case src.File != "":
		return readSecretFile(src.File)
	}
	b, err := parseSecret(src.Value)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}

// parseSecret reads a secret written in hex (when it is only hex digits)
// or else in base64 (standard or URL alphabet, padded or not).
func parseSecret(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err = enc.DecodeString(s); err == nil {
				break
			}
		}
	}
	if err != nil || len(b) < models.MinSecretBytes {
		// Never the value itself in the message.
		return nil, fmt.Errorf("want at least %d bytes written in hex (%d hex digits) or base64, e.g. the output of `openssl rand -hex 32`",
			models.MinSecretBytes, 2*models.MinSecretBytes)
	}
	return b, nil
}

// readSecretFile reads a secret file, refusing one that others may read.
func readSecretFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("server secret: %w", err)
	}
	if !fi.Mode().IsRegular() || fi.Size() > 4096 {
		return nil, fmt.Errorf("server secret %s: not a small regular file", path)
	}
	// Windows has no such mode bits (its ACLs are the administrator's).
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("server secret %s has mode %04o, readable by others: make it readable by the service's user only (chmod 600 %s)", path, perm, path)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("server secret: %w", err)
	}
	b, err := parseSecret(string(raw))
	if err != nil {
		return nil, fmt.Errorf("server secret %s: %w", path, err)
	}
	return b, nil
}

// createSecretFile writes a new random secret (hex, mode 0600) to path
// unless a file is there. It writes a temporary file and links it into
// place, which fails when path exists: two processes starting at once keep
// one secret, and nobody reads a half-written file.
func createSecretFile(path string) (bool, error) {
	if _, err := os.Lstat(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return false, nil // there (or unreadable: readSecretFile says why)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, secretFileName+".*")
	if err != nil {
		return false, fmt.Errorf("create server secret: %w", err)
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes it 0600; say so anyway, whatever the umask.
	if err := tmp.Chmod(0o600); err == nil {
		_, err = tmp.WriteString(hex.EncodeToString(models.NewSecret()) + "\n")
		if err == nil {
			err = tmp.Sync()
		}
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("create server secret: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil // another process was first
		}
		return false, fmt.Errorf("create server secret: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // the new name durable, as far as the file system lets us
		d.Close()
	}
	return true, nil
}
