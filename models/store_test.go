package models

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"penaltydoc/errs"
	"penaltydoc/models/dbtest"
)

func init() { BcryptCost = bcrypt.MinCost }

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// migratedDB is a database with every migration run, made once per test
// binary and copied for every test that needs one (openMigrated's own
// Migrate then finds nothing to do). The tests of the migrations
// themselves run them on dbtest's fresh databases.
var migratedDB = &dbtest.Template{Name: "migrated", Prepare: func(ctx context.Context, dsn string) error {
	s, err := Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Migrate(ctx)
}}

// forEachDB runs fn on a migrated store per configured database.
func forEachDB(t *testing.T, fn func(t *testing.T, s *Store, dsn string)) {
	for _, db := range migratedDB.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := openMigrated(t, db.DSN)
			fn(t, s, db.DSN)
		})
	}
}

func openMigrated(t testing.TB, dsn string) *Store {
	t.Helper()
	return openWith(t, dsn, Options{})
}

var testTemplates = map[string]string{"penalty_decision": "@title 行政处罚决定书", "advance_notice": "@title 行政处罚事先告知书"}

// testSeal is the seal the test authorities are seeded with (issuing
// needs one): the PNG signature and nothing else, as the store keeps the
// bytes without reading them.
var testSeal = []byte("\x89PNG\r\n\x1a\n")

type counts struct{ users, authorities, items, templates, migrations int64 }

func countRows(t *testing.T, s *Store) counts {
	t.Helper()
	var c counts
	db := s.conn(context.Background())
	for _, q := range []struct {
		n     *int64
		model any
	}{{&c.users, &User{}}, {&c.authorities, &Authority{}}, {&c.items, &CatalogItem{}}, {&c.templates, &TemplateVersion{}}} {
		if err := db.Model(q.model).Count(q.n).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Table("schema_migrations").Count(&c.migrations).Error; err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMigrateSeedRestart(t *testing.T) {
	for _, db := range dbtest.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			s := openMigrated(t, db.DSN)
			res, err := s.Seed(ctx, SeedOptions{AdminPassword: "first-password", Templates: testTemplates})
			if err != nil {
				t.Fatal(err)
			}
			if !res.AdminCreated || !res.Authority || res.Items < 12 || res.Templates != 2 {
				t.Fatalf("first seed = %+v", res)
			}
			it := CatalogItem{Code: "X-1", Name: "测试事项", Domain: "other", ViolatedProvision: "《某法》第一条",
				PenaltyProvision: "《某法》第二条", PenaltyTypes: "fine", FineMax: 100, LimitationMonths: 24}
			if err := s.CreateItem(ctx, &it); err != nil {
				t.Fatal(err)
			}
			before := countRows(t, s)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}

			// Restart: migrate and seed again on the same database.
			s2 := openMigrated(t, db.DSN)
			res, err = s2.Seed(ctx, SeedOptions{AdminPassword: "second-password", Templates: testTemplates})
			if err != nil {
				t.Fatal(err)
			}
			if res != (SeedResult{}) {
				t.Fatalf("second seed created %+v, want nothing", res)
			}
			if after := countRows(t, s2); after != before {
				t.Fatalf("rows after restart %+v, before %+v", after, before)
			}
			if _, err := s2.Authenticate(ctx, "admin", "first-password", "127.0.0.1"); err != nil {
				t.Fatalf("admin keeps the first password: %v", err)
			}
			got, err := s2.ItemByCode(ctx, "X-1")
			if err != nil || got.Name != "测试事项" || got.FineMax != 100 {
				t.Fatalf("item after restart = %+v, %v", got, err)
			}
		})
	}
}

func TestDefaultCatalogValid(t *testing.T) {
	items, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	if len(items) < 12 {
		t.Fatalf("default catalogue has %d items, want at least 12", len(items))
	}
	seen := map[string]bool{}
	var warn, first, sixMonths int
	for _, it := range items {
		if seen[it.Code] {
			t.Errorf("duplicate code %s", it.Code)
		}
		seen[it.Code] = true
		if it.FineMin > it.FineMax || it.Name == "" || it.ViolatedProvision == "" || it.PenaltyProvision == "" {
			t.Errorf("item %s incomplete: %+v", it.Code, it)
		}
		if it.WarningEligible {
			warn++
		}
		if it.FirstOffenseEligible {
			first++
		}
		if it.LimitationMonths == 6 {
			sixMonths++
		}
	}
	if warn < 2 || first < 5 || sixMonths < 1 {
		t.Errorf("catalogue lacks list items: %d warning, %d first-offense, %d six-month", warn, first, sixMonths)
	}
}

func TestSessionsAndThrottle(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, NewUser{Username: "li", Password: "secret-123", Roles: []string{RoleOfficer}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, NewUser{Username: "li", Password: "x", Roles: []string{RoleOfficer}}); !errs.Is(err, errs.Conflict) {
			t.Fatalf("duplicate user: %v", err)
		}
		token, _, err := s.CreateSession(ctx, u.ID, "api", "10.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		_, got, err := s.SessionUser(ctx, token, "api")
		if err != nil || got.ID != u.ID || !got.HasRole(RoleOfficer) || got.HasRole(RoleClerk) {
			t.Fatalf("session user = %+v, %v", got, err)
		}
		if _, _, err := s.SessionUser(ctx, token+"x", "api"); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("bad token: %v", err)
		}
		// An API token is not a web session's, and a web one not a bearer.
		if _, _, err := s.SessionUser(ctx, token, "web"); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("api token as web session: %v", err)
		}
		web, _, err := s.CreateSession(ctx, u.ID, "web", "10.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, web, "api"); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("web token as bearer: %v", err)
		}
		// Idle timeout: a request keeps a session alive, silence ends it.
		start := time.Now()
		at := func(d time.Duration) { s.Now = func() time.Time { return start.Add(d) } }
		at(WebSessionIdle - time.Minute)
		if _, _, err := s.SessionUser(ctx, web, "web"); err != nil {
			t.Fatalf("web session before idle timeout: %v", err)
		}
		at(2*WebSessionIdle - 3*time.Minute) // idle since the last request only
		if _, _, err := s.SessionUser(ctx, web, "web"); err != nil {
			t.Fatalf("web session kept alive: %v", err)
		}
		at(3*WebSessionIdle - 2*time.Minute)
		if _, _, err := s.SessionUser(ctx, web, "web"); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("idle web session: %v", err)
		}
		// Absolute lifetime: even a session in use ends.
		at(0)
		api2, _, err := s.CreateSession(ctx, u.ID, "api", "10.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		for d := time.Duration(0); d < APISessionTTL; d += APISessionIdle / 2 {
			at(d)
			if _, _, err := s.SessionUser(ctx, api2, "api"); err != nil {
				t.Fatalf("api session in use at %s: %v", d, err)
			}
		}
		at(APISessionTTL + time.Minute)
		if _, _, err := s.SessionUser(ctx, api2, "api"); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("expired token: %v", err)
		}
		// Purge deletes the ended sessions (expired, idle) and keeps the live one.
		at(APISessionTTL)
		fresh, _, err := s.CreateSession(ctx, u.ID, "web", "10.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		at(APISessionTTL + time.Minute)
		p, err := s.Purge(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var left int64
		s.db.Model(&Session{}).Count(&left)
		if p.Sessions != 3 || left != 1 {
			t.Fatalf("purged %+v, %d sessions left; want 3 purged, 1 left", p, left)
		}
		if _, _, err := s.SessionUser(ctx, fresh, "web"); err != nil {
			t.Fatalf("purge ended a live session: %v", err)
		}
		s.Now = time.Now
	})
}

// TestLoginThrottle: failures count per user and address pair, so five
// wrong passwords lock that pair only: the rightful user signs in from
// elsewhere, and an office behind one address is not locked by one
// colleague; one address guessing many names meets its own, higher
// ceiling. The lock ends by itself.
func TestLoginThrottle(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		for _, n := range []string{"li", "wang"} {
			if _, err := s.CreateUser(ctx, NewUser{Username: n, Password: "secret-123", Roles: []string{RoleOfficer}}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range LoginPerUserAddress.Failures {
			if _, err := s.Authenticate(ctx, "li", "wrong", "10.0.0.2"); !errs.Is(err, errs.Unauthorized) {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		if _, err := s.Authenticate(ctx, "li", "secret-123", "10.0.0.2"); !errs.Is(err, errs.TooManyRequests) {
			t.Fatalf("locked pair: %v", err)
		}
		if _, err := s.Authenticate(ctx, "li", "secret-123", "10.0.0.3"); err != nil {
			t.Fatalf("the user from another address: %v", err)
		}
		if _, err := s.Authenticate(ctx, "wang", "secret-123", "10.0.0.2"); err != nil {
			t.Fatalf("a colleague behind the same address: %v", err)
		}
		// The lock ends.
		s.Now = func() time.Time { return time.Now().Add(LoginPerUserAddress.LockFor + time.Minute) }
		if _, err := s.Authenticate(ctx, "li", "secret-123", "10.0.0.2"); err != nil {
			t.Fatalf("after lock: %v", err)
		}
		s.Now = time.Now
		// One address, many names: its ceiling.
		for i := range LoginPerAddress.Failures {
			if _, err := s.Authenticate(ctx, fmt.Sprintf("guess-%d", i), "wrong", "10.0.0.9"); !errs.Is(err, errs.Unauthorized) {
				t.Fatalf("guess %d: %v", i, err)
			}
		}
		if _, err := s.Authenticate(ctx, "wang", "secret-123", "10.0.0.9"); !errs.Is(err, errs.TooManyRequests) {
			t.Fatalf("address over its ceiling: %v", err)
		}
		// Keys are fixed-length hashes: a 1 MB user name is one short row.
		long := strings.Repeat("名", 1<<18)
		if _, err := s.Authenticate(ctx, long, "wrong", "10.0.0.4"); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("long name: %v", err)
		}
		var keys []string
		s.db.Model(&Throttle{}).Pluck("key", &keys)
		for _, k := range keys {
			if len(k) > 80 || strings.Contains(k, "li") || strings.Contains(k, "10.0") {
				t.Fatalf("throttle key %q is not a fixed-length hash", k)
			}
		}
		// Spent rows are purged.
		s.Now = func() time.Time { return time.Now().Add(MaxThrottleWindow + time.Hour) }
		p, err := s.Purge(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		s.db.Model(&Throttle{}).Count(&n)
		if p.Throttles == 0 || n != 0 {
			t.Fatalf("purged %+v, %d throttle rows left", p, n)
		}
	})
}

// TestDummyHashCost: an unknown user name is compared against a hash of the
// cost real passwords have (it was MinCost: 2 ms against 59 ms told which
// names exist).
func TestDummyHashCost(t *testing.T) {
	defer func(c int) { BcryptCost = c }(BcryptCost)
	for _, c := range []int{bcrypt.MinCost, bcrypt.MinCost + 2} {
		BcryptCost = c
		if got, err := bcrypt.Cost(dummyHash()); err != nil || got != c {
			t.Fatalf("dummy hash cost %d, want %d (%v)", got, c, err)
		}
	}
}

// TestTemplateClone: a copy of migratedDB has exactly the schema and rows
// of a database migrated from scratch, on both databases, so the shortcut
// forEachDB takes cannot drift from what the migrations make.
func TestTemplateClone(t *testing.T) {
	for _, db := range dbtest.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			if err := migratedDB.Prepare(context.Background(), db.DSN); err != nil {
				t.Fatal(err)
			}
			clone := migratedDB.SQLite(t)
			if db.Name == DialectMySQL {
				clone = migratedDB.MySQL(t)
			}
			if got, want := dbtest.Schema(t, clone), dbtest.Schema(t, db); got != want || got == "" {
				t.Errorf("the copy's schema differs from a fresh migration's:\ncopy:\n%s\nfresh:\n%s", got, want)
			}
			// schema_migrations holds the migrations' ids and nothing that
			// changes from run to run.
			if got, want := dbtest.Rows(t, clone), dbtest.Rows(t, db); got != want {
				t.Errorf("the copy's rows differ from a fresh migration's:\ncopy:\n%s\nfresh:\n%s", got, want)
			}
		})
	}
}
