package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"penaltydoc/errs"
)

// sqliteErr has the driver's error's Code method.
type sqliteErr int

func (e sqliteErr) Error() string { return fmt.Sprintf("sqlite error %d", int(e)) }
func (e sqliteErr) Code() int     { return int(e) }

func TestUnavailableErrors(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, tc := range []struct {
		name    string
		dialect string
		err     error
		want    bool
	}{
		{"deadline", DialectMySQL, fmt.Errorf("query: %w", context.DeadlineExceeded), true},
		{"bad connection", DialectMySQL, driver.ErrBadConn, true},
		{"invalid connection", DialectMySQL, mysqldrv.ErrInvalidConn, true},
		{"connection done", DialectMySQL, sql.ErrConnDone, true},
		{"refused", DialectMySQL, refused, true},
		{"too many connections", DialectMySQL, &mysqldrv.MySQLError{Number: 1040}, true},
		{"lock wait timeout", DialectMySQL, &mysqldrv.MySQLError{Number: 1205}, true},
		{"closed pool", DialectSQLite, errors.New("sql: database is closed"), true},
		{"sqlite busy", DialectSQLite, sqliteErr(5), true},
		{"sqlite busy snapshot", DialectSQLite, sqliteErr(5 | 2<<8), true},
		{"sqlite interrupted", DialectSQLite, sqliteErr(9), true},
		{"sqlite disk full", DialectSQLite, sqliteErr(13), true},
		{"sqlite constraint", DialectSQLite, sqliteErr(19), false},
		{"a Code method is not SQLite's on MySQL", DialectMySQL, sqliteErr(5), false},
		{"duplicate key", DialectMySQL, &mysqldrv.MySQLError{Number: 1062}, false},
		{"not found", DialectMySQL, gorm.ErrRecordNotFound, false},
		{"cancelled by the client", DialectMySQL, context.Canceled, false},
		{"anything else", DialectSQLite, errors.New("no such table: cases"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := unavailable(tc.dialect, tc.err)
			if errs.Is(got, errs.Unavailable) != tc.want {
				t.Fatalf("unavailable(%v) = %v, want unavailable %v", tc.err, got, tc.want)
			}
			if !errors.Is(got, tc.err) {
				t.Errorf("the cause is lost: %v", got)
			}
			if tc.want && !strings.Contains(errs.Wrap(got, "load case").(*errs.Error).Message, "数据库") {
				t.Errorf("Wrap lost the message: %v", errs.Wrap(got, "load case"))
			}
		})
	}
}

// openWith opens a migrated store with opts.
func openWith(t testing.TB, dsn string, opts Options) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := OpenWith(ctx, dsn, opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s
}

// TestQueryDeadline: a statement that would run for ever ends at the query
// deadline as unavailable, whichever way gorm runs it (Exec, Scan, in a
// transaction), and the store answers again right after.
//
// On SQLite only statements that finish in one step (Exec) are cut short:
// the driver steps a SELECT's rows outside the context's watch. Its queries
// here are indexed look-ups, and its one outage, a write lock held
// elsewhere, is bounded by the busy timeout (TestSQLiteLocked).
func TestQueryDeadline(t *testing.T) {
	for _, db := range migratedDB.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := openWith(t, db.DSN, Options{QueryTimeout: 300 * time.Millisecond})
			// Endless on SQLite (a recursive count), five seconds on MySQL.
			slow := "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"
			if db.Name == DialectMySQL {
				slow = "SELECT SLEEP(5)"
			}
			type run struct {
				name string
				fn   func(db *gorm.DB) error
			}
			runs := []run{
				{"exec", func(db *gorm.DB) error { return db.Exec(slow).Error }},
				{"exec in a transaction", func(db *gorm.DB) error {
					return db.Transaction(func(tx *gorm.DB) error { return tx.Exec(slow).Error })
				}},
			}
			if db.Name == DialectMySQL {
				runs = append(runs,
					run{"scan", func(db *gorm.DB) error { var n int64; return db.Raw(slow).Scan(&n).Error }},
					run{"scan in a transaction", func(db *gorm.DB) error {
						return db.Transaction(func(tx *gorm.DB) error { var n int64; return tx.Raw(slow).Scan(&n).Error })
					}})
			}
			for _, run := range runs {
				// The test's own bound: before the query deadline existed,
				// the statement ended only here, and not as unavailable.
				ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
				err := run.fn(s.conn(ctx))
				late := ctx.Err()
				cancel()
				if !errs.Is(err, errs.Unavailable) || late != nil {
					t.Fatalf("%s: err %v (unavailable: %v), test bound reached: %v", run.name, err, errs.Is(err, errs.Unavailable), late)
				}
				if _, err := s.ListUsers(context.Background(), Everything); err != nil {
					t.Fatalf("%s: the store does not answer after the deadline: %v", run.name, err)
				}
			}
		})
	}
}

// TestSQLiteLocked: SQLite's one outage is a write lock held by another
// connection or process (a stuck writer, a backup). Writes answer
// unavailable within the query deadline instead of internal after a
// ten-second wait; reads go on (WAL); writes go through once it is let go.
func TestSQLiteLocked(t *testing.T) {
	db := migratedDB.SQLite(t)
	s := openWith(t, db.DSN, Options{QueryTimeout: 300 * time.Millisecond})
	path := strings.TrimPrefix(db.DSN, "sqlite:")
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	holder, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := holder.Exec("DELETE FROM throttles"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	_, err = s.CreateUser(ctx, NewUser{Username: "locked", Password: "password-1", Roles: []string{RoleOfficer}})
	if !errs.Is(err, errs.Unavailable) || ctx.Err() != nil {
		t.Fatalf("write under a held lock: %v (test bound reached: %v)", err, ctx.Err())
	}
	if _, err := s.ListUsers(ctx, Everything); err != nil {
		t.Fatalf("read under a held lock: %v", err)
	}
	if err := holder.Rollback(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, NewUser{Username: "locked", Password: "password-1", Roles: []string{RoleOfficer}}); err != nil {
		t.Fatalf("write after the lock is let go: %v", err)
	}
}
