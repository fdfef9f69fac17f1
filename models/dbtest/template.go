package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/glebarez/go-sqlite" // the "sqlite" database/sql driver (the one models uses)
	"github.com/go-sql-driver/mysql"
)

// Template is a database prepared once per test binary and dialect
// (migrated and, if Prepare does so, seeded) that tests get copies of:
// running every migration for every test costs seconds on MariaDB, a copy
// a fraction of that. A copy is the template exactly (TestTemplateClone in
// models and server compares a copy's schema and rows with a freshly
// prepared database), so code under test cannot tell it from a database
// it migrated itself. Tests of the migrations use DSNs, SQLite and MySQL.
//
// A package using templates calls Main from its TestMain, which drops the
// template databases when the tests end.
type Template struct {
	// Name tells a binary's templates apart in logs.
	Name string
	// Prepare makes the empty database dsn names into the template. It
	// must close what it opened.
	Prepare func(ctx context.Context, dsn string) error

	mu     sync.Mutex
	sqlite *built
	mysql  *built
}

// built is one dialect's template, or why it could not be made.
type built struct {
	err error
	// path is the SQLite template file.
	path string
	// name is the MySQL template database; tables its base tables (in
	// creation order); filled the tables with rows, with the columns to
	// copy.
	name   string
	tables []string
	filled map[string]string
}

var (
	mainRunning bool
	registryMu  sync.Mutex
	templates   []*Template
	drops       sync.WaitGroup
	adminOnce   = sync.OnceValues(openAdmin)
)

// Main runs the tests, then drops the templates' databases and waits for
// the copies' drops. Call it from TestMain: os.Exit(dbtest.Main(m)).
func Main(m *testing.M) int {
	mainRunning = true
	code := m.Run()
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, tp := range templates {
		tp.mu.Lock()
		if tp.sqlite != nil && tp.sqlite.path != "" {
			_ = os.RemoveAll(filepath.Dir(tp.sqlite.path))
		}
		if tp.mysql != nil && tp.mysql.name != "" {
			if db, err := adminOnce(); err == nil {
				_, _ = db.Exec("DROP DATABASE IF EXISTS `" + tp.mysql.name + "`")
			}
		}
		tp.mu.Unlock()
	}
	drops.Wait()
	return code
}

// DSNs is DSNs with copies of the template.
func (tp *Template) DSNs(t testing.TB) []DB {
	t.Helper()
	dbs := []DB{tp.SQLite(t)}
	if os.Getenv(EnvMySQL) != "" {
		dbs = append(dbs, tp.MySQL(t))
	} else {
		t.Logf("%s not set: MySQL/MariaDB variant not run", EnvMySQL)
	}
	return dbs
}

// SQLite returns a copy of the SQLite template in t.TempDir().
func (tp *Template) SQLite(t testing.TB) DB {
	t.Helper()
	b := tp.build(t, "sqlite")
	dst := filepath.Join(t.TempDir(), "test.db")
	for _, suffix := range []string{"", "-wal"} { // -shm is rebuilt on open
		if err := copyFile(b.path+suffix, dst+suffix); err != nil && !(suffix != "" && errors.Is(err, os.ErrNotExist)) {
			t.Fatalf("copy template %s: %v", tp.Name, err)
		}
	}
	return DB{Name: "sqlite", DSN: "sqlite:" + dst}
}

// MySQL returns a new database on the configured server with the
// template's tables and rows; it is dropped when the test ends.
func (tp *Template) MySQL(t testing.TB) DB {
	t.Helper()
	if os.Getenv(EnvMySQL) == "" {
		t.Skipf("%s not set", EnvMySQL)
	}
	b := tp.build(t, "mysql")
	admin, err := adminOnce()
	if err != nil {
		t.Fatal(err)
	}
	name := newName("pdtest_")
	if _, err := admin.Exec("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() { dropLater(admin, name) })
	for _, tbl := range b.tables {
		if _, err := admin.Exec(fmt.Sprintf("CREATE TABLE `%s`.`%s` LIKE `%s`.`%s`", name, tbl, b.name, tbl)); err != nil {
			t.Fatalf("copy table %s of template %s: %v", tbl, tp.Name, err)
		}
		if cols, ok := b.filled[tbl]; ok {
			if _, err := admin.Exec(fmt.Sprintf("INSERT INTO `%s`.`%s` (%s) SELECT %s FROM `%s`.`%s`", name, tbl, cols, cols, b.name, tbl)); err != nil {
				t.Fatalf("copy rows of %s of template %s: %v", tbl, tp.Name, err)
			}
		}
	}
	return DB{Name: "mysql", DSN: "mysql:" + dsnFor(name)}
}

// build makes the dialect's template on first use.
func (tp *Template) build(t testing.TB, dialect string) *built {
	t.Helper()
	if !mainRunning {
		t.Fatalf("dbtest: template %s used without dbtest.Main in TestMain (its databases would be left behind)", tp.Name)
	}
	tp.mu.Lock()
	defer tp.mu.Unlock()
	slot := &tp.sqlite
	if dialect == "mysql" {
		slot = &tp.mysql
	}
	if *slot == nil {
		registryMu.Lock()
		if tp.sqlite == nil && tp.mysql == nil {
			templates = append(templates, tp)
		}
		registryMu.Unlock()
		if dialect == "mysql" {
			*slot = tp.buildMySQL()
		} else {
			*slot = tp.buildSQLite()
		}
	}
	if (*slot).err != nil {
		t.Fatalf("dbtest: template %s on %s: %v", tp.Name, dialect, (*slot).err)
	}
	return *slot
}

func (tp *Template) buildSQLite() *built {
	dir, err := os.MkdirTemp("", "pdtmpl-")
	if err != nil {
		return &built{err: err}
	}
	b := &built{path: filepath.Join(dir, "template.db")}
	if err := tp.Prepare(context.Background(), "sqlite:"+b.path); err != nil {
		b.err = fmt.Errorf("prepare: %w", err)
		return b
	}
	db, err := sql.Open("sqlite", "file:"+b.path)
	if err != nil {
		b.err = err
		return b
	}
	defer db.Close()
	// Triggers and views live in the file like tables: a copy has them.
	var n int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		b.err = err
	} else if n == 0 {
		b.err = errors.New("prepare created nothing")
	}
	return b
}

func (tp *Template) buildMySQL() *built {
	admin, err := adminOnce()
	if err != nil {
		return &built{err: err}
	}
	b := &built{name: newName("pdtmpl_"), filled: map[string]string{}}
	if _, err := admin.Exec("CREATE DATABASE `" + b.name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		b.err = err
		return b
	}
	if err := tp.Prepare(context.Background(), "mysql:"+dsnFor(b.name)); err != nil {
		b.err = fmt.Errorf("prepare: %w", err)
		return b
	}
	// CREATE TABLE ... LIKE copies a table's columns, indexes and options,
	// not triggers, views, routines or foreign keys: a template with any
	// of them cannot be copied this way.
	var extra int
	if err := admin.QueryRow(`SELECT
		(SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = ?) +
		(SELECT count(*) FROM information_schema.routines WHERE routine_schema = ?) +
		(SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_type <> 'BASE TABLE') +
		(SELECT count(*) FROM information_schema.referential_constraints WHERE constraint_schema = ?)`,
		b.name, b.name, b.name, b.name).Scan(&extra); err != nil {
		b.err = err
		return b
	}
	if extra > 0 {
		b.err = errors.New("the template has triggers, routines, views or foreign keys, which CREATE TABLE ... LIKE does not copy: teach dbtest to copy them")
		return b
	}
	rows, err := admin.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY create_time, table_name", b.name)
	if err != nil {
		b.err = err
		return b
	}
	for rows.Next() {
		var tbl string
		if err := rows.Scan(&tbl); err != nil {
			rows.Close()
			b.err = err
			return b
		}
		b.tables = append(b.tables, tbl)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		b.err = err
		return b
	}
	for _, tbl := range b.tables {
		var any int
		if err := admin.QueryRow(fmt.Sprintf("SELECT EXISTS (SELECT 1 FROM `%s`.`%s`)", b.name, tbl)).Scan(&any); err != nil {
			b.err = err
			return b
		}
		if any == 0 {
			continue
		}
		// Generated columns take no values.
		var cols sql.NullString
		if err := admin.QueryRow(`SELECT GROUP_CONCAT(CONCAT('`+"`"+`', column_name, '`+"`"+`') ORDER BY ordinal_position SEPARATOR ', ')
			FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND extra NOT LIKE '%GENERATED%'`, b.name, tbl).Scan(&cols); err != nil {
			b.err = err
			return b
		}
		b.filled[tbl] = cols.String
	}
	if len(b.tables) == 0 {
		b.err = errors.New("prepare created nothing")
	}
	return b
}

// openAdmin connects to the configured server without a database.
func openAdmin() (*sql.DB, error) {
	cfg, err := mysql.ParseDSN(os.Getenv(EnvMySQL))
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", EnvMySQL, err)
	}
	cfg.DBName = ""
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, fmt.Errorf("connect to mysql: %w", err)
	}
	return db, nil
}

// dsnFor is the configured DSN with the database name.
func dsnFor(name string) string {
	cfg, _ := mysql.ParseDSN(os.Getenv(EnvMySQL)) // openAdmin parsed it
	cfg.DBName = name
	return cfg.FormatDSN()
}

func newName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// dropLater drops a test's database in the background: the next test need
// not wait for the files to go. Main waits for every drop.
func dropLater(admin *sql.DB, name string) {
	drops.Add(1)
	go func() {
		defer drops.Done()
		_, _ = admin.Exec("DROP DATABASE IF EXISTS `" + name + "`")
	}()
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Original returns the template itself on dialect ("sqlite" or "mysql"),
// for TestTemplateClone to compare a copy's rows with: a test must not
// change it.
func (tp *Template) Original(t testing.TB, dialect string) DB {
	t.Helper()
	if dialect == "mysql" && os.Getenv(EnvMySQL) == "" {
		t.Skipf("%s not set", EnvMySQL)
	}
	b := tp.build(t, dialect)
	if dialect == "mysql" {
		return DB{Name: "mysql", DSN: "mysql:" + dsnFor(b.name)}
	}
	return DB{Name: "sqlite", DSN: "sqlite:" + b.path}
}

// Schema describes db's schema as text: on SQLite every sqlite_master
// entry, on MySQL every table's SHOW CREATE TABLE (its AUTO_INCREMENT
// counter too) and the triggers, routines, views and foreign keys.
func Schema(t testing.TB, db DB) string {
	t.Helper()
	var out strings.Builder
	if db.Name == "sqlite" {
		for _, r := range query(t, db, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name") {
			fmt.Fprintf(&out, "%s\n", join(r))
		}
		return out.String()
	}
	for _, tbl := range tableNames(t, db) {
		for _, r := range query(t, db, "SHOW CREATE TABLE `"+tbl+"`") {
			fmt.Fprintf(&out, "%s\n", join(r))
		}
	}
	for _, q := range []string{
		"SELECT trigger_name, action_statement FROM information_schema.triggers WHERE trigger_schema = DATABASE() ORDER BY trigger_name",
		"SELECT routine_name, routine_definition FROM information_schema.routines WHERE routine_schema = DATABASE() ORDER BY routine_name",
		"SELECT table_name, view_definition FROM information_schema.views WHERE table_schema = DATABASE() ORDER BY table_name",
		"SELECT constraint_name, table_name, referenced_table_name FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE() ORDER BY constraint_name",
	} {
		for _, r := range query(t, db, q) {
			fmt.Fprintf(&out, "%s\n", join(r))
		}
	}
	return out.String()
}

// Rows lists every row of every table of db as text, in the order of the
// first column (the primary key).
func Rows(t testing.TB, db DB) string {
	t.Helper()
	var out strings.Builder
	for _, tbl := range tableNames(t, db) {
		fmt.Fprintf(&out, "rows of %s:\n", tbl)
		quoted := "`" + tbl + "`"
		if db.Name == "sqlite" {
			quoted = `"` + tbl + `"`
		}
		for _, r := range query(t, db, "SELECT * FROM "+quoted+" ORDER BY 1") {
			for _, v := range r {
				if v.Valid {
					fmt.Fprintf(&out, " %q", v.String)
				} else {
					out.WriteString(" NULL")
				}
			}
			out.WriteString("\n")
		}
	}
	return out.String()
}

// tableNames lists db's tables (SQLite's own left out).
func tableNames(t testing.TB, db DB) []string {
	t.Helper()
	q := "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name"
	if db.Name == "sqlite" {
		q = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	}
	var names []string
	for _, r := range query(t, db, q) {
		names = append(names, r[0].String)
	}
	return names
}

// query runs q on db, every value as text.
func query(t testing.TB, db DB, q string) [][]sql.NullString {
	t.Helper()
	driver, dsn, _ := strings.Cut(db.DSN, ":")
	if driver == "sqlite" {
		dsn = "file:" + dsn
	}
	conn, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var all [][]sql.NullString
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		all = append(all, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return all
}

// join joins a row's values with tabs, NULL as NULL.
func join(r []sql.NullString) string {
	parts := make([]string, len(r))
	for i, v := range r {
		parts[i] = "NULL"
		if v.Valid {
			parts[i] = v.String
		}
	}
	return strings.Join(parts, "\t")
}
