// Package models owns the database: the GORM models, the versioned
// migrations, first-start seeding and every query. Transactions live here.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	mysqldrv "github.com/go-sql-driver/mysql"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// Dialects.
const (
	DialectSQLite = "sqlite"
	DialectMySQL  = "mysql"
)

// Store is the database handle every query hangs off.
type Store struct {
	db      *gorm.DB
	dialect string
	// Now is the clock; tests replace it.
	Now func() time.Time
	// issueMu serialises issuing on SQLite inside the process, so that
	// concurrent issuers queue on a mutex instead of polling the busy
	// handler; processes sharing a file still exclude each other through
	// the immediate write transaction.
	issueMu sync.Mutex
	// throttleMu does the same for the throttles' one-statement writes: a
	// burst of failed sign-ins from many clients queues here in order
	// instead of starving in SQLite's sleeping busy handler.
	throttleMu sync.Mutex
	// queryTimeout bounds every statement (Options.QueryTimeout).
	queryTimeout time.Duration
	// blobs keeps the issued PDFs (Options.Blobs).
	blobs BlobStore
	// sequences are the number sequences known to exist (IssueDocument).
	sequences sync.Map
	// statements counts the statements gorm ran (Statements).
	statements *atomic.Int64
	// calendarCache is the calendar last read and the version token it
	// was read under (calendar).
	calendarCache atomic.Pointer[calendarEntry]
}

// Statements is how many SQL statements the store has run since it was
// opened (every gorm statement, in or out of a transaction; not BEGIN and
// COMMIT): what the benchmarks report per issue and per download.
func (s *Store) Statements() int64 { return s.statements.Load() }

// SQLiteConns bounds the SQLite pool. Every connection has its own page
// cache and statement caches; writers queue on the one write lock anyway
// (and on the store's mutexes in the process), so more connections add
// memory, not throughput. A transaction must not wait for a second
// connection (every query of a transaction runs on its tx).
const SQLiteConns = 6

// China is the offices' time zone (rules.China): issue dates, deadlines and
// "today" are China dates.
var China = rules.China

// Today is the current date in China, YYYY-MM-DD: the one clock every
// date of the service is read from.
func (s *Store) Today() string { return s.now().In(China).Format(dateLayout) }

// Open connects to dsn: "sqlite:PATH" (the folder is created when missing)
// or "mysql:DSN" (a Go MySQL driver DSN), with the default Options. It does
// not migrate.
func Open(ctx context.Context, dsn string) (*Store, error) { return OpenWith(ctx, dsn, Options{}) }

// OpenWith is Open with opts.
func OpenWith(ctx context.Context, dsn string, opts Options) (*Store, error) {
	opts = opts.withDefaults()
	dialect, rest, ok := strings.Cut(dsn, ":")
	if !ok {
		return nil, fmt.Errorf("database %q: want sqlite:PATH or mysql:DSN", dsn)
	}
	cfg := &gorm.Config{
		Logger:                                   logger.Discard,
		NowFunc:                                  func() time.Time { return time.Now().UTC() },
		DisableForeignKeyConstraintWhenMigrating: true,
		TranslateError:                           true,
	}
	var (
		db  *gorm.DB
		err error
	)
	switch dialect {
	case DialectSQLite:
		path, query, _ := strings.Cut(rest, "?")
		if path == "" {
			return nil, fmt.Errorf("database %q: empty sqlite path", dsn)
		}
		if path != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
		// The wait for the write lock (the busy timeout) is the query
		// deadline: the driver's busy wait does not see the context.
		// temp_store=MEMORY keeps a statement's journal (the undo of one
		// statement inside a transaction) in 1 KB pieces: otherwise each
		// writing statement allocates 64 KB for it, which the pure-Go
		// allocator maps and unmaps every time (19 % of issuing's CPU).
		// The service's sorts are small (lists read an index in order).
		params := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_txlock=immediate",
			opts.QueryTimeout.Milliseconds())
		if query != "" {
			params = query + "&" + params
		}
		db, err = gorm.Open(faultDialector{sqlite.Open("file:" + path + "?" + params)}, cfg)
	case DialectMySQL:
		mc, perr := mysqldrv.ParseDSN(rest)
		if perr != nil {
			return nil, fmt.Errorf("parse mysql dsn: %w", perr)
		}
		mc.ParseTime = true
		if mc.Loc == nil || mc.Loc == time.Local {
			mc.Loc = time.UTC
		}
		if mc.Params == nil {
			mc.Params = map[string]string{}
		}
		if _, ok := mc.Params["charset"]; !ok {
			mc.Params["charset"] = "utf8mb4"
		}
		// The driver puts the arguments into the statement itself: one
		// round trip a statement instead of three (prepare, execute,
		// close), safe with utf8mb4 (the driver refuses it for the few
		// charsets where escaping is not).
		mc.InterpolateParams = true
		conn, cerr := mysqldrv.NewConnector(mc)
		if cerr != nil {
			return nil, fmt.Errorf("mysql connector: %w", cerr)
		}
		pool := sql.OpenDB(connectTimeout{Connector: conn, timeout: opts.ConnectTimeout})
		db, err = gorm.Open(faultDialector{mysql.New(mysql.Config{DSN: mc.FormatDSN(), Conn: pool})}, cfg)
		if err != nil {
			pool.Close()
		}
	default:
		return nil, fmt.Errorf("database %q: unknown driver %q (want sqlite or mysql)", dsn, dialect)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("database handle: %w", err)
	}
	if dialect == DialectSQLite {
		sqlDB.SetMaxOpenConns(SQLiteConns)
		sqlDB.SetMaxIdleConns(SQLiteConns)
	}
	if dialect == DialectMySQL {
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(8)
		sqlDB.SetConnMaxLifetime(5 * time.Minute)
		// Idle connections go after a minute: after an outage the pool
		// holds no connection older than that (the driver also checks a
		// connection's liveness before it reuses it).
		sqlDB.SetConnMaxIdleTime(time.Minute)
	}
	if err := registerDeadlines(db, opts.QueryTimeout); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("register query deadlines: %w", err)
	}
	statements, err := countStatements(db)
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("register statement counter: %w", err)
	}
	s := &Store{db: db, dialect: dialect, Now: func() time.Time { return time.Now().UTC() }, queryTimeout: opts.QueryTimeout, blobs: opts.Blobs,
		statements: statements}
	if err := s.Ping(ctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	return s, nil
}

// Dialect returns "sqlite" or "mysql".
func (s *Store) Dialect() string { return s.dialect }

// SQLDB exposes the pool for metrics.
func (s *Store) SQLDB() *sql.DB {
	d, _ := s.db.DB()
	return d
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	d, err := s.db.DB()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := d.PingContext(ctx); err != nil {
		return fmt.Errorf("ping database: %w", unavailable(s.dialect, err))
	}
	return nil
}

// QueryTimeout is the deadline of every statement.
func (s *Store) QueryTimeout() time.Duration { return s.queryTimeout }

// Close closes the pool; on SQLite it checkpoints the WAL first.
func (s *Store) Close() error {
	d, err := s.db.DB()
	if err != nil {
		return err
	}
	if s.dialect == DialectSQLite {
		_ = s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
	}
	return d.Close()
}

func (s *Store) now() time.Time { return s.Now().UTC() }

// conn returns the database bound to ctx.
func (s *Store) conn(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// notFound turns gorm's not-found into the app's code, and wraps anything else.
func notFound(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errs.E(errs.NotFound, "%s不存在", what)
	}
	return errs.Wrap(err, "load %s", what)
}

// duplicate reports whether err is a unique-key violation.
func duplicate(err error) bool { return errors.Is(err, gorm.ErrDuplicatedKey) }
