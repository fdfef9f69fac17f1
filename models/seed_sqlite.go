package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"

	"penaltydoc/errs"
)

// bulkSQLite is the seed's own handle on an SQLite file, through the
// SQLite library under the driver: the driver (glebarez/go-sqlite) parses
// a statement anew on every execution, prepared or not, and binds
// parameters in quadratic time, which made the seed's parsing and binding
// cost more than SQLite's inserting. Here each table's one-row INSERT is
// prepared once and executed per row (bind, step, reset), as SQLite's C
// interface is meant to be used. It is for the bulk seed only: nothing
// else runs on this handle, and it writes in its own transactions.
type bulkSQLite struct {
	tls   *libc.TLS
	db    uintptr
	stmts map[string]uintptr
	buf   uintptr // a C buffer the text values are copied into
	bufN  int
}

// openBulkSQLite opens the file the store's connection conn has open;
// fast turns fsync off.
func openBulkSQLite(ctx context.Context, conn *sql.Conn, fast bool) (*bulkSQLite, error) {
	var (
		seq        int
		name, path string
	)
	if err := conn.QueryRowContext(ctx, "PRAGMA database_list").Scan(&seq, &name, &path); err != nil {
		return nil, errs.Wrap(err, "seed: database file")
	}
	if path == "" {
		return nil, errs.E(errs.Conflict, "批量生成需要数据库文件（内存数据库不支持）")
	}
	b := &bulkSQLite{tls: libc.NewTLS(), stmts: map[string]uintptr{}}
	cpath, err := libc.CString(path)
	if err != nil {
		b.tls.Close()
		return nil, err
	}
	defer libc.Xfree(b.tls, cpath)
	pdb := libc.Xmalloc(b.tls, 8)
	defer libc.Xfree(b.tls, pdb)
	rc := sqlite3.Xsqlite3_open_v2(b.tls, cpath, pdb, sqlite3.SQLITE_OPEN_READWRITE|sqlite3.SQLITE_OPEN_FULLMUTEX, 0)
	b.db = libc.AtomicLoadPUintptr(pdb)
	if rc != sqlite3.SQLITE_OK {
		err := b.err(rc, "open")
		b.close()
		return nil, err
	}
	// The seed's connection only: a 256 MB page cache, a wait for the
	// write lock and, fast, no fsync (a crash loses the seed run, nothing
	// else).
	pragmas := "PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY"
	if fast {
		pragmas += "; PRAGMA synchronous=OFF"
	}
	if err := b.exec(pragmas); err != nil {
		b.close()
		return nil, err
	}
	return b, nil
}

func (b *bulkSQLite) err(rc int32, what string) error {
	msg := "?"
	if b.db != 0 {
		msg = libc.GoString(sqlite3.Xsqlite3_errmsg(b.tls, b.db))
	}
	return errs.Wrap(fmt.Errorf("sqlite %d: %s", rc, msg), "seed %s", what)
}

func (b *bulkSQLite) exec(q string) error {
	cq, err := libc.CString(q)
	if err != nil {
		return err
	}
	defer libc.Xfree(b.tls, cq)
	if rc := sqlite3.Xsqlite3_exec(b.tls, b.db, cq, 0, 0, 0); rc != sqlite3.SQLITE_OK {
		return b.err(rc, q)
	}
	return nil
}

// insert writes rows into table with a prepared one-row INSERT.
func (b *bulkSQLite) insert(table, cols string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	stmt, err := b.prepare(table, cols, len(rows[0]))
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := b.bindRow(stmt, r); err != nil {
			return errs.Wrap(err, "seed %s", table)
		}
		rc := sqlite3.Xsqlite3_step(b.tls, stmt)
		sqlite3.Xsqlite3_reset(b.tls, stmt)
		if rc != sqlite3.SQLITE_DONE {
			return b.err(rc, "insert into "+table)
		}
	}
	return nil
}

func (b *bulkSQLite) prepare(table, cols string, width int) (uintptr, error) {
	if s, ok := b.stmts[table]; ok {
		return s, nil
	}
	q := "INSERT INTO " + table + " (" + cols + ") VALUES (?" + strings.Repeat(",?", width-1) + ")"
	cq, err := libc.CString(q)
	if err != nil {
		return 0, err
	}
	defer libc.Xfree(b.tls, cq)
	ps := libc.Xmalloc(b.tls, 8)
	defer libc.Xfree(b.tls, ps)
	if rc := sqlite3.Xsqlite3_prepare_v2(b.tls, b.db, cq, -1, ps, 0); rc != sqlite3.SQLITE_OK {
		return 0, b.err(rc, "prepare "+table)
	}
	s := libc.AtomicLoadPUintptr(ps)
	b.stmts[table] = s
	return s, nil
}

// bindRow binds one row's values as the driver would bind them (times
// in its text format, booleans as 0/1, other types converted as
// database/sql converts them). Text is copied into one C buffer and bound
// transient (SQLite copies it).
func (b *bulkSQLite) bindRow(stmt uintptr, r []any) error {
	for i, v := range r {
		if err := b.bind(stmt, int32(i+1), v, true); err != nil {
			return err
		}
	}
	return nil
}

func (b *bulkSQLite) bind(stmt uintptr, n int32, v any, convert bool) error {
	var rc int32
	switch x := v.(type) {
	case nil:
		rc = sqlite3.Xsqlite3_bind_null(b.tls, stmt, n)
	case int:
		rc = sqlite3.Xsqlite3_bind_int64(b.tls, stmt, n, int64(x))
	case int64:
		rc = sqlite3.Xsqlite3_bind_int64(b.tls, stmt, n, x)
	case uint:
		rc = sqlite3.Xsqlite3_bind_int64(b.tls, stmt, n, int64(x))
	case float64:
		rc = sqlite3.Xsqlite3_bind_double(b.tls, stmt, n, x)
	case bool:
		var i64 int64
		if x {
			i64 = 1
		}
		rc = sqlite3.Xsqlite3_bind_int64(b.tls, stmt, n, i64)
	case string:
		rc = b.bindText(stmt, n, x)
	case time.Time:
		var tbuf [40]byte
		rc = b.bindText(stmt, n, string(x.AppendFormat(tbuf[:0], sqliteTimeFormat)))
	default:
		cv, err := driver.DefaultParameterConverter.ConvertValue(v)
		if err != nil || !convert {
			return fmt.Errorf("no SQLite value for %T", v)
		}
		return b.bind(stmt, n, cv, false)
	}
	if rc != sqlite3.SQLITE_OK {
		return b.err(rc, "bind")
	}
	return nil
}

// sqliteTimeFormat is the format the SQLite driver writes a bound
// time.Time in (glebarez/go-sqlite's default).
const sqliteTimeFormat = "2006-01-02 15:04:05.999999999-07:00"

// sqliteTransient is SQLITE_TRANSIENT: SQLite copies the bound text.
const sqliteTransient = ^uintptr(0)

func (b *bulkSQLite) bindText(stmt uintptr, n int32, s string) int32 {
	if len(s) == 0 {
		return sqlite3.Xsqlite3_bind_text(b.tls, stmt, n, b.buffer(1), 0, sqliteTransient)
	}
	p := b.buffer(len(s))
	copy(libc.GoBytes(p, len(s)), s) // GoBytes is the C memory itself
	return sqlite3.Xsqlite3_bind_text(b.tls, stmt, n, p, int32(len(s)), sqliteTransient)
}

func (b *bulkSQLite) buffer(n int) uintptr {
	if n > b.bufN {
		if b.buf != 0 {
			libc.Xfree(b.tls, b.buf)
		}
		b.bufN = max(n, 64<<10)
		b.buf = libc.Xmalloc(b.tls, uint64(b.bufN))
	}
	return b.buf
}

func (b *bulkSQLite) close() {
	for _, s := range b.stmts {
		sqlite3.Xsqlite3_finalize(b.tls, s)
	}
	if b.db != 0 {
		sqlite3.Xsqlite3_close_v2(b.tls, b.db)
	}
	if b.buf != 0 {
		libc.Xfree(b.tls, b.buf)
	}
	b.tls.Close()
}

// write inserts batch in one transaction.
func (b *bulkSQLite) write(batch *seedBatch) error {
	if err := b.exec("BEGIN IMMEDIATE"); err != nil {
		return err
	}
	for _, t := range batch.tables() {
		if err := b.insert(t.table, t.cols, t.rows); err != nil {
			b.exec("ROLLBACK") //nolint:errcheck // the insert's error is the one to report
			return err
		}
	}
	return b.exec("COMMIT")
}
