// Package dbtest gives tests real databases: a fresh SQLite file always and,
// when PENALTYDOC_TEST_MYSQL_DSN is set, a fresh MySQL/MariaDB database that
// is dropped when the test ends.
package dbtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-sql-driver/mysql"
)

// EnvMySQL names the variable with the MySQL server's DSN.
const EnvMySQL = "PENALTYDOC_TEST_MYSQL_DSN"

// DB is one database a test may run on.
type DB struct {
	Name string // "sqlite" or "mysql"
	DSN  string // for models.Open
}

// DSNs returns a fresh SQLite database and, when configured, a fresh MySQL
// one. Each call makes new databases.
func DSNs(t testing.TB) []DB {
	t.Helper()
	dbs := []DB{SQLite(t)}
	if os.Getenv(EnvMySQL) != "" {
		dbs = append(dbs, MySQL(t))
	} else {
		t.Logf("%s not set: MySQL/MariaDB variant not run", EnvMySQL)
	}
	return dbs
}

// SQLite returns a DSN for a new SQLite file in t.TempDir().
func SQLite(t testing.TB) DB {
	t.Helper()
	return DB{Name: "sqlite", DSN: "sqlite:" + filepath.Join(t.TempDir(), "test.db")}
}

// MySQL creates a new database on the configured server and returns its DSN.
func MySQL(t testing.TB) DB {
	t.Helper()
	raw := os.Getenv(EnvMySQL)
	if raw == "" {
		t.Skipf("%s not set", EnvMySQL)
	}
	cfg, err := mysql.ParseDSN(raw)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvMySQL, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "pdtest_" + hex.EncodeToString(b)
	admin := cfg.Clone()
	admin.DBName = ""
	db, err := sql.Open("mysql", admin.FormatDSN())
	if err != nil {
		t.Fatalf("connect to mysql: %v", err)
	}
	if _, err := db.Exec("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		db.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		_, _ = db.Exec("DROP DATABASE `" + name + "`")
		db.Close()
	})
	cfg.DBName = name
	return DB{Name: "mysql", DSN: "mysql:" + cfg.FormatDSN()}
}
