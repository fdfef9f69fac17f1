package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
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
	grams []seedGram // the name index rows of the batches written
	// owned: the handle holds the file (own); indexes are those dropped
	// for the load; finished: finish ran.
	owned, finished bool
	indexes         [][2]string
	// gramTime and indexTime are finish's: writing the name index,
	// building the indexes.
	gramTime, indexTime time.Duration
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
	rc := sqlite3.Xsqlite3_open_v2(b.tls, cpath, pdb, sqlite3.SQLITE_OPEN_READWRITE|sqlite3.SQLITE_OPEN_NOMUTEX, 0)
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
// database/sql converts them). Text is copied into one C buffer, the
// row's arena, and bound static: SQLite reads it there when the row is
// stepped (bound transient, SQLite made its own copy of each value, an
// allocation and a copy per value). The arena is reused for the next row,
// when every parameter is bound again.
func (b *bulkSQLite) bindRow(stmt uintptr, r []any) error {
	need := 1
	for _, v := range r {
		switch x := v.(type) {
		case string:
			need += len(x)
		case time.Time:
			need += maxTimeText
		}
	}
	p := b.buffer(need)
	arena := libc.GoBytes(p, need)[:0] // the C memory itself: appends stay within it
	for i, v := range r {
		n := int32(i + 1)
		var rc int32
		switch x := v.(type) {
		case string:
			rc = sqlite3.Xsqlite3_bind_text(b.tls, stmt, n, p+uintptr(len(arena)), int32(len(x)), sqliteStatic)
			arena = append(arena, x...)
		case time.Time:
			at := len(arena)
			arena = x.AppendFormat(arena, sqliteTimeFormat)
			if len(arena)-at > maxTimeText {
				return fmt.Errorf("time %v longer than %d bytes", x, maxTimeText)
			}
			rc = sqlite3.Xsqlite3_bind_text(b.tls, stmt, n, p+uintptr(at), int32(len(arena)-at), sqliteStatic)
		default:
			if err := b.bind(stmt, n, v, true); err != nil {
				return err
			}
			continue
		}
		if rc != sqlite3.SQLITE_OK {
			return b.err(rc, "bind")
		}
	}
	return nil
}

// maxTimeText bounds a time in sqliteTimeFormat (35 bytes for a year of
// four digits).
const maxTimeText = 40

// bind binds a value other than text or a time (bindRow binds those).
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
		// A converted value: copied by SQLite (the arena is the row's).
		cs, err := libc.CString(x)
		if err != nil {
			return err
		}
		rc = sqlite3.Xsqlite3_bind_text(b.tls, stmt, n, cs, int32(len(x)), sqliteTransient)
		libc.Xfree(b.tls, cs)
	case time.Time:
		return b.bind(stmt, n, x.Format(sqliteTimeFormat), false)
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

// write inserts batch in one transaction, all but its name index rows,
// which it keeps for writeGrams once the transaction is committed.
func (b *bulkSQLite) write(batch *seedBatch) error {
	if err := b.exec("BEGIN IMMEDIATE"); err != nil {
		return err
	}
	for _, t := range batch.tables(false) {
		if err := b.insert(t.table, t.cols, t.rows); err != nil {
			b.exec("ROLLBACK") //nolint:errcheck // the insert's error is the one to report
			return err
		}
	}
	if err := b.exec("COMMIT"); err != nil {
		return err
	}
	b.grams = append(b.grams, batch.grams...)
	return nil
}

// writeGrams writes the name index rows of the batches written, in the
// order of case_grams' primary key, in one transaction: appended in order,
// the rows fill the table's pages left to right (in the order they were
// made, each row went to a random page of the table, and the inserting
// cost more than all the other tables').
func (b *bulkSQLite) writeGrams() error {
	if len(b.grams) == 0 {
		return nil
	}
	slices.SortFunc(b.grams, compareGrams)
	stmt, err := b.prepare("case_grams", gramCols, 3)
	if err != nil {
		return err
	}
	if err := b.exec("BEGIN IMMEDIATE"); err != nil {
		return err
	}
	p := b.buffer(8)
	for _, g := range b.grams {
		binary.BigEndian.PutUint64(libc.GoBytes(p, 8), g.key)
		n := int32(8)
		for n > 0 && g.key>>(8*(8-n))&0xff == 0 {
			n--
		}
		rc := sqlite3.Xsqlite3_bind_text(b.tls, stmt, 1, p, n, sqliteStatic)
		if rc == sqlite3.SQLITE_OK {
			rc = sqlite3.Xsqlite3_bind_int64(b.tls, stmt, 2, int64(g.authority))
		}
		if rc == sqlite3.SQLITE_OK {
			rc = sqlite3.Xsqlite3_bind_int64(b.tls, stmt, 3, int64(g.cas))
		}
		if rc == sqlite3.SQLITE_OK {
			rc = sqlite3.Xsqlite3_step(b.tls, stmt)
			sqlite3.Xsqlite3_reset(b.tls, stmt)
			if rc == sqlite3.SQLITE_DONE {
				rc = sqlite3.SQLITE_OK
			}
		}
		if rc != sqlite3.SQLITE_OK {
			err := b.err(rc, "insert into case_grams")
			b.exec("ROLLBACK") //nolint:errcheck // the insert's error is the one to report
			return err
		}
	}
	b.grams = nil
	return b.exec("COMMIT")
}

// own makes the handle the file's only user until finish: the rollback
// journal in memory instead of the WAL (each page is written once, into
// the file, not into the WAL and again by the checkpoint) and an
// exclusive lock held from the first write (any other connection waits).
// A crash during the load may leave a damaged file, a seeded demo
// database to make again; an error rolls back as ever. The WAL comes
// back at finish. Another connection having the file open, the journal
// stays the WAL: the seed runs as before, slower.
func (b *bulkSQLite) own() error {
	mode, err := b.pragma("PRAGMA journal_mode=MEMORY")
	if err != nil || mode != "memory" {
		return nil //nolint:nilerr // the file is in use: the WAL stays
	}
	b.owned = true
	if err := b.exec("PRAGMA locking_mode=EXCLUSIVE"); err != nil {
		return err
	}
	return nil
}

// release gives the file back: the lock released and the WAL journal,
// the app's, again.
func (b *bulkSQLite) release() error {
	if !b.owned {
		return nil
	}
	if _, err := b.pragma("PRAGMA locking_mode=NORMAL"); err != nil {
		return err
	}
	if _, err := b.pragma("SELECT COUNT(*) FROM sqlite_master"); err != nil { // releases the lock
		return err
	}
	mode, err := b.pragma("PRAGMA journal_mode=WAL")
	if err != nil {
		return err
	}
	if mode != "wal" {
		return errs.Wrap(fmt.Errorf("journal mode %s", mode), "seed: back to the WAL")
	}
	b.owned = false
	return nil
}

// dropIndexes drops the secondary indexes of the tables the seed fills,
// for finish to build again: building an index once over the loaded
// rows costs a quarter to a third of keeping it in step row by row, even
// an index whose keys come in order (measured on 100,000 cases: 18.6 s
// of CPU all dropped, 26 s keeping the 18 indexes of rising or few keys,
// 30 s keeping all).
func (b *bulkSQLite) dropIndexes() error {
	defs, err := b.rows("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('cases', 'documents', 'parties') ORDER BY tbl_name, name")
	if err != nil {
		return errs.Wrap(err, "read indexes")
	}
	for _, d := range defs {
		if err := b.exec("DROP INDEX \"" + d[0] + "\""); err != nil {
			return errs.Wrap(err, "drop index %s", d[0])
		}
		b.indexes = append(b.indexes, d)
	}
	return nil
}

// finish writes the name index rows, builds the indexes dropped (table
// by table: the table's pages stay in the cache from one index to the
// next) and gives the file back. It runs once.
func (b *bulkSQLite) finish() error {
	if b.finished {
		return nil
	}
	b.finished = true
	t0 := time.Now()
	err := b.writeGrams()
	t1 := time.Now()
	for _, d := range b.indexes {
		if ierr := b.exec(d[1]); ierr != nil {
			err = errors.Join(err, errs.Wrap(ierr, "build index %s", d[0]))
		}
	}
	b.gramTime, b.indexTime = t1.Sub(t0), time.Since(t1)
	return errors.Join(err, b.release())
}

// pragma runs q and answers the first column of its first row.
func (b *bulkSQLite) pragma(q string) (string, error) {
	rows, err := b.rows(q)
	if err != nil || len(rows) == 0 {
		return "", err
	}
	return rows[0][0], nil
}

// rows runs q and answers the first two columns of its rows as text.
func (b *bulkSQLite) rows(q string) ([][2]string, error) {
	cq, err := libc.CString(q)
	if err != nil {
		return nil, err
	}
	defer libc.Xfree(b.tls, cq)
	ps := libc.Xmalloc(b.tls, 8)
	defer libc.Xfree(b.tls, ps)
	if rc := sqlite3.Xsqlite3_prepare_v2(b.tls, b.db, cq, -1, ps, 0); rc != sqlite3.SQLITE_OK {
		return nil, b.err(rc, q)
	}
	stmt := libc.AtomicLoadPUintptr(ps)
	defer sqlite3.Xsqlite3_finalize(b.tls, stmt)
	var out [][2]string
	for {
		switch rc := sqlite3.Xsqlite3_step(b.tls, stmt); rc {
		case sqlite3.SQLITE_ROW:
			var r [2]string
			for i := range min(2, int(sqlite3.Xsqlite3_column_count(b.tls, stmt))) {
				if p := sqlite3.Xsqlite3_column_text(b.tls, stmt, int32(i)); p != 0 {
					r[i] = libc.GoString(p)
				}
			}
			out = append(out, r)
		case sqlite3.SQLITE_DONE:
			return out, nil
		default:
			return nil, b.err(rc, q)
		}
	}
}

// sqliteStatic is SQLITE_STATIC: SQLite reads the bound text where it is
// until the parameter is bound again.
const sqliteStatic = 0
