package models

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"

	_ "github.com/glebarez/go-sqlite" // the patched driver (third_party/go-sqlite)
)

// The SQLite driver keeps a connection's prepared statements by their text
// (third_party/go-sqlite). These are the cases where a kept statement could
// go wrong: the schema changed under it, a read lock it might still hold, a
// failed run, stale bindings, the same text run twice at once, the errors
// of its first step and of its reset, and column types before the first
// row (the driver steps once before it answers).
func TestSQLiteStatementCache(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	open := func() *sql.Conn {
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		c, err := db.Conn(ctx) // one connection: its cache is what is tested
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	c1, c2 := open(), open()
	exec := func(c *sql.Conn, q string, args ...any) error {
		_, err := c.ExecContext(ctx, q, args...)
		return err
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(exec(c1, "CREATE TABLE t(a INTEGER)"))
	must(exec(c1, "CREATE TABLE u(x TEXT UNIQUE, y BLOB)"))
	must(exec(c1, "INSERT INTO t(a) VALUES (?)", 1))

	selectAll := func() []string {
		t.Helper()
		rows, err := c1.QueryContext(ctx, "SELECT * FROM t")
		must(err)
		defer rows.Close()
		cols, err := rows.Columns()
		must(err)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			must(rows.Scan(ptrs...))
		}
		must(rows.Err())
		return cols
	}
	if cols := selectAll(); len(cols) != 1 {
		t.Fatalf("columns %v, want [a]", cols)
	}

	t.Run("schema changed by another connection", func(t *testing.T) {
		must(exec(c2, "ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'"))
		if cols := selectAll(); len(cols) != 2 || cols[1] != "b" {
			t.Fatalf("columns after ALTER %v, want [a b]", cols)
		}
	})

	t.Run("a kept statement holds no lock", func(t *testing.T) {
		selectAll()
		must(exec(c1, "INSERT INTO t(a) VALUES (?)", 2))
		var busy, logged, done int
		must(c2.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &done))
		if busy != 0 {
			t.Fatalf("checkpoint busy: a kept statement still reads")
		}
		// And another connection can write at once.
		must(exec(c2, "INSERT INTO t(a) VALUES (3)"))
	})

	t.Run("a failed run does not stay", func(t *testing.T) {
		const ins = "INSERT INTO u(x, y) VALUES (?, ?)"
		must(exec(c1, ins, "one", []byte("blob one")))
		if err := exec(c1, ins, "one", []byte("again")); err == nil {
			t.Fatal("a duplicate x was accepted")
		}
		must(exec(c1, ins, "two", []byte("blob two")))
		var n int
		must(c1.QueryRowContext(ctx, "SELECT count(*) FROM u").Scan(&n))
		if n != 2 {
			t.Fatalf("%d rows in u, want 2", n)
		}
	})

	t.Run("bindings are the run's own", func(t *testing.T) {
		const q = "SELECT y FROM u WHERE x = ?"
		for _, tc := range []struct{ x, want string }{{"one", "blob one"}, {"two", "blob two"}, {"one", "blob one"}} {
			var y []byte
			must(c1.QueryRowContext(ctx, q, tc.x).Scan(&y))
			if string(y) != tc.want {
				t.Fatalf("x=%s: y=%q, want %q", tc.x, y, tc.want)
			}
		}
		if err := c1.QueryRowContext(ctx, q, "three").Scan(new([]byte)); err != sql.ErrNoRows {
			t.Fatalf("x=three: %v, want no rows", err)
		}
	})

	t.Run("the same text twice at once", func(t *testing.T) {
		const q = "SELECT a FROM t ORDER BY a"
		outer, err := c1.QueryContext(ctx, q)
		must(err)
		var got []int
		for outer.Next() {
			var a, n int
			must(outer.Scan(&a))
			inner, err := c1.QueryContext(ctx, q)
			if err == nil {
				for inner.Next() {
					n++
				}
				err = inner.Close()
			}
			must(err)
			got = append(got, a*10+n)
		}
		must(outer.Err())
		must(outer.Close())
		if len(got) != 3 || got[0] != 13 || got[2] != 33 {
			t.Fatalf("got %v, want [13 23 33]", got)
		}
	})

	t.Run("errors of the first step come back", func(t *testing.T) {
		// The driver takes a query's first step before it answers: an error
		// there is the query's error.
		if _, err := c1.QueryContext(ctx, "SELECT * FROM missing"); err == nil {
			t.Fatal("a query of a missing table answered")
		}
		// A constraint fails in the step (the statement is finalized, and
		// the connection goes on).
		const ret = "INSERT INTO u(x) VALUES (?) RETURNING rowid"
		for range 2 {
			if rows, err := c1.QueryContext(ctx, ret, "one"); err == nil {
				rows.Close()
				t.Fatal("a duplicate x was accepted")
			}
		}
		var id int64
		must(c1.QueryRowContext(ctx, ret, "three").Scan(&id))
		if cols := selectAll(); len(cols) != 2 {
			t.Fatalf("columns %v", cols)
		}
	})

	t.Run("errors of the reset come back", func(t *testing.T) {
		// A deferred foreign key fails at the autocommit's end, which for a
		// statement left at its row is the reset of a kept statement.
		must(exec(c1, "PRAGMA foreign_keys=ON"))
		must(exec(c1, "CREATE TABLE p(id INTEGER PRIMARY KEY)"))
		must(exec(c1, "CREATE TABLE ch(id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)"))
		const ins = "INSERT INTO ch(pid) VALUES (?) RETURNING id"
		for i := range 2 { // the second run is the kept statement's
			var id int64
			if err := c1.QueryRowContext(ctx, ins, 999).Scan(&id); err == nil {
				t.Fatalf("run %d: an insert without its parent was reported done", i)
			}
			if err := exec(c1, ins, 998); err == nil {
				t.Fatalf("run %d: an insert without its parent was reported done (Exec)", i)
			}
		}
		var n int
		must(c1.QueryRowContext(ctx, "SELECT count(*) FROM ch").Scan(&n))
		if n != 0 {
			t.Fatalf("%d rows in ch, want 0", n)
		}
	})

	t.Run("column types before the first row", func(t *testing.T) {
		// Generic scanners (gorm's maps) type their destinations before the
		// first Next: the first step the driver took must not decide them.
		must(exec(c1, "CREATE TABLE m(v NUMERIC, b BLOB)"))
		must(exec(c1, "INSERT INTO m(v, b) VALUES (1, x'0102'), (1.5, x'03'), ('abc', NULL)"))
		rows, err := c1.QueryContext(ctx, "SELECT v, b FROM m")
		must(err)
		defer rows.Close()
		types, err := rows.ColumnTypes()
		must(err)
		for _, ct := range types {
			if st := ct.ScanType(); st != nil && st.Kind() != reflect.Interface {
				t.Errorf("column %s: scan type %v before the first row, want none", ct.Name(), st)
			}
		}
		var vs []any
		for rows.Next() {
			var v, b any
			must(rows.Scan(&v, &b))
			vs = append(vs, v)
		}
		must(rows.Err())
		if len(vs) != 3 {
			t.Fatalf("rows %v", vs)
		}
	})
}
