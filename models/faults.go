package models

// Faults of the database answered cleanly: every statement runs under a
// deadline, a database that cannot be reached or does not answer in time
// is an errs.Unavailable error (503 for the HTTP layer), and connections
// are opened under a deadline of their own, so a hanging server never
// holds the pool.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"penaltydoc/errs"
)

// Defaults of Options.
const (
	DefaultQueryTimeout   = 5 * time.Second
	DefaultConnectTimeout = 2 * time.Second
)

// Options tune how the store talks to its database; zero values take the
// defaults.
type Options struct {
	// QueryTimeout bounds every statement (and, on SQLite, the wait for
	// the write lock: the busy timeout). Migrations are exempt.
	QueryTimeout time.Duration
	// ConnectTimeout bounds opening one connection (dial and handshake);
	// MySQL only.
	ConnectTimeout time.Duration
	// Blobs keeps the issued PDFs; nil keeps them in the database.
	Blobs BlobStore
}

func (o Options) withDefaults() Options {
	if o.QueryTimeout <= 0 {
		o.QueryTimeout = DefaultQueryTimeout
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.Blobs == nil {
		o.Blobs = DatabaseBlobs{}
	}
	return o
}

// msgUnavailable is the message users see.
const msgUnavailable = "数据库暂时无法访问或响应超时，请稍后再试"

// unavailable turns err into an errs.Unavailable error when it says the
// database cannot be reached, broke the connection, is locked or did not
// answer in time; anything else is returned as it is.
func unavailable(dialect string, err error) error {
	if err == nil || errs.Is(err, errs.Unavailable) || !isUnavailable(dialect, err) {
		return err
	}
	return &errs.Error{Code: errs.Unavailable, Message: msgUnavailable, Err: err}
}

func isUnavailable(dialect string, err error) bool {
	var (
		ne net.Error
		me *mysqldrv.MySQLError
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, mysqldrv.ErrInvalidConn), errors.Is(err, sql.ErrConnDone), errors.As(err, &ne):
		return true
	case errors.As(err, &me):
		switch me.Number {
		case 1040, // too many connections
			1053, // server shutdown in progress
			1205, // lock wait timeout
			1317, // query interrupted
			1927, // connection killed
			3024: // maximum statement execution time exceeded
			return true
		}
	case strings.Contains(err.Error(), "sql: database is closed"):
		return true // shutting down
	}
	if dialect == DialectSQLite {
		var se interface{ Code() int } // *sqlite.Error of the driver
		if errors.As(err, &se) {
			switch se.Code() & 0xff {
			case 5, // SQLITE_BUSY: the write lock is held past the busy timeout
				6,  // SQLITE_LOCKED
				9,  // SQLITE_INTERRUPT: the statement's context ended
				10, // SQLITE_IOERR
				13, // SQLITE_FULL
				14: // SQLITE_CANTOPEN
				return true
			}
		}
	}
	return false
}

// faultDialector is the driver's dialector with unavailability added to
// its error translation: gorm passes every error through Translate
// (statements, Begin, Commit), so every query answers the same code.
type faultDialector struct {
	gorm.Dialector
}

func (d faultDialector) Translate(err error) error {
	if t, ok := d.Dialector.(gorm.ErrorTranslator); ok {
		err = t.Translate(err)
	}
	return unavailable(d.Name(), err)
}

func (d faultDialector) SavePoint(tx *gorm.DB, name string) error {
	if sp, ok := d.Dialector.(gorm.SavePointerDialectorInterface); ok {
		return sp.SavePoint(tx, name)
	}
	return gorm.ErrUnsupportedDriver
}

func (d faultDialector) RollbackTo(tx *gorm.DB, name string) error {
	if sp, ok := d.Dialector.(gorm.SavePointerDialectorInterface); ok {
		return sp.RollbackTo(tx, name)
	}
	return gorm.ErrUnsupportedDriver
}

// noDeadline marks a context whose statements take no query deadline.
type noDeadline struct{}

// withoutQueryDeadline exempts ctx's statements from the query deadline
// (migrations: an ALTER of a large table may take long).
func withoutQueryDeadline(ctx context.Context) context.Context {
	return context.WithValue(ctx, noDeadline{}, true)
}

const deadlineKey = "penaltydoc:deadline"

type deadlineState struct {
	parent context.Context
	cancel context.CancelFunc
}

// registerDeadlines puts every statement under timeout: a callback first in
// each chain binds the statement to a context with the deadline, one last
// gives the statement its own context back, ends the deadline's timer and
// translates the error the chain left.
func registerDeadlines(db *gorm.DB, timeout time.Duration) error {
	start := func(tx *gorm.DB) {
		ctx := tx.Statement.Context
		if ctx == nil {
			ctx = context.Background()
		}
		if ctx.Value(noDeadline{}) != nil {
			return
		}
		dctx, cancel := context.WithTimeout(ctx, timeout)
		tx.Statement.Context = dctx
		tx.InstanceSet(deadlineKey, &deadlineState{parent: ctx, cancel: cancel})
	}
	end := func(keepOnSuccess bool) func(*gorm.DB) {
		return func(tx *gorm.DB) {
			// The row callback sets its error without Translate.
			tx.Error = unavailable(tx.Dialector.Name(), tx.Error)
			v, ok := tx.InstanceGet(deadlineKey)
			st, _ := v.(*deadlineState)
			if !ok || st == nil {
				return
			}
			tx.InstanceSet(deadlineKey, (*deadlineState)(nil))
			tx.Statement.Context = st.parent
			// Row and Rows hand their rows to the caller, who reads them
			// after this chain: the deadline stays on them and its timer
			// ends it (at the latest) when it falls due.
			if !keepOnSuccess || tx.Error != nil {
				st.cancel()
			}
		}
	}
	cb := db.Callback()
	type register = func(name string, fn func(*gorm.DB)) error
	for _, p := range []struct {
		name        string
		first, last register
		keep        bool
	}{
		{"create", cb.Create().Before("*").Register, cb.Create().After("*").Register, false},
		{"query", cb.Query().Before("*").Register, cb.Query().After("*").Register, false},
		{"update", cb.Update().Before("*").Register, cb.Update().After("*").Register, false},
		{"delete", cb.Delete().Before("*").Register, cb.Delete().After("*").Register, false},
		{"raw", cb.Raw().Before("*").Register, cb.Raw().After("*").Register, false},
		{"row", cb.Row().Before("*").Register, cb.Row().After("*").Register, true},
	} {
		if err := p.first("penaltydoc:deadline_start_"+p.name, start); err != nil {
			return err
		}
		if err := p.last("penaltydoc:deadline_end_"+p.name, end(p.keep)); err != nil {
			return err
		}
	}
	return nil
}

// countStatements counts every statement gorm runs on db.
func countStatements(db *gorm.DB) (*atomic.Int64, error) {
	n := new(atomic.Int64)
	count := func(*gorm.DB) { n.Add(1) }
	cb := db.Callback()
	for _, reg := range []func(string, func(*gorm.DB)) error{
		cb.Create().After("*").Register, cb.Query().After("*").Register, cb.Update().After("*").Register,
		cb.Delete().After("*").Register, cb.Raw().After("*").Register, cb.Row().After("*").Register,
	} {
		if err := reg("penaltydoc:count_statements", count); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// connectTimeout opens each connection under its own deadline, whatever
// the caller's context: database/sql also opens connections in the
// background with no deadline at all, and a server that accepts the
// connection but never answers would hold such an open, and its place in
// the pool, for as long as the TCP connection lives.
type connectTimeout struct {
	driver.Connector
	timeout time.Duration
}

func (c connectTimeout) Connect(ctx context.Context) (driver.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	return c.Connector.Connect(ctx)
}

// Health is the database's state as a health check reports it.
type Health struct {
	Dialect string
	Up      bool
	Ping    time.Duration
	Err     error // why it is down
	Pool    sql.DBStats
}

// Health pings the database (within ctx) and reads the pool's figures.
func (s *Store) Health(ctx context.Context) Health {
	start := time.Now()
	err := s.Ping(ctx)
	return Health{Dialect: s.dialect, Up: err == nil, Ping: time.Since(start), Err: err, Pool: s.SQLDB().Stats()}
}
