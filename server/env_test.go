package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"penaltydoc/models"
	"penaltydoc/models/dbtest"
	"penaltydoc/render"
)

func init() { models.BcryptCost = bcrypt.MinCost }

func TestMain(m *testing.M) {
	code := dbtest.Main(m)
	stopBrowser()
	os.Exit(code)
}

// envDB is the database newEnv boots on, migrated and seeded once per test
// binary and copied for every test (newEnv's own Migrate and Seed then
// find nothing to do). Tests of migrating and seeding themselves use
// dbtest's fresh databases.
var envDB = &dbtest.Template{Name: "server", Prepare: func(ctx context.Context, dsn string) error {
	store, err := models.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	_, err = store.Seed(ctx, envSeed())
	return err
}}

// envSeed is what newEnv seeds with.
func envSeed() models.SeedOptions {
	return models.SeedOptions{AdminPassword: testAdminPassword, Templates: defaultTemplates(), Seal: render.SampleSeal()}
}

// testEnv is the real stack (store, migrations, seeding, handler) on one
// database, with a signed-in user per role.
type testEnv struct {
	t      testing.TB
	name   string
	store  *models.Store
	keys   *models.AccessKeys // the server secret's, random per env
	srv    *httptest.Server
	tokens map[string]string // role → token; "admin" is the seeded admin
	// officerIDs are the two certified officers (u-officer and its
	// partner u-officer2) that the officer's cases name unless a test
	// names its own (APL Art. 42: two officers at least).
	officerIDs []uint
}

const testAdminPassword = "admin-password-1"

// testSecret is this test process's server secret (hex), random: the
// servers a test starts as processes share it, as replicas do.
var testSecret = hex.EncodeToString(models.NewSecret())

// testKeys are access code keys under a random secret.
func testKeys(t testing.TB) *models.AccessKeys {
	t.Helper()
	k, err := models.NewAccessKeys(models.NewSecret())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// testSealBase64 is the sample seal as the API takes it (seal_png).
func testSealBase64() string { return base64.StdEncoding.EncodeToString(render.SampleSeal()) }

func newEnv(t testing.TB, db dbtest.DB) *testEnv {
	t.Helper()
	return newEnvWith(t, db, nil)
}

// newEnvWith is newEnv with the server's dependencies changed by change.
func newEnvWith(t testing.TB, db dbtest.DB, change func(*Deps)) *testEnv {
	t.Helper()
	return newEnvOpts(t, db, models.Options{}, change)
}

// newEnvOpts is newEnvWith with the store opened with opts.
func newEnvOpts(t testing.TB, db dbtest.DB, opts models.Options, change func(*Deps)) *testEnv {
	t.Helper()
	ctx := context.Background()
	store, err := models.OpenWith(ctx, db.DSN, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Seed(ctx, envSeed()); err != nil {
		t.Fatal(err)
	}
	deps := Deps{Store: store, Log: slog.New(slog.NewJSONHandler(io.Discard, nil)), BaseURL: "https://penaltydoc.example", AccessKeys: testKeys(t)}
	if change != nil {
		change(&deps)
	}
	h, err := NewServer(deps)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &testEnv{t: t, name: db.Name, store: store, keys: deps.AccessKeys, srv: srv, tokens: map[string]string{}}
	e.tokens[admin] = login(t, srv.URL, "admin", testAdminPassword)
	for _, role := range []string{officer, reviewer, approver, clerk, editor} {
		// Staff of the default authority who serve the seeded public
		// security and traffic authorities too.
		nu := models.NewUser{Username: "u-" + role, Password: "password-" + role, Roles: []string{role}, Authorities: []uint{2, 3}}
		if role == officer {
			nu.CertificateNumber = "33010000001"
		}
		u, err := store.CreateUser(ctx, nu)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[role] = login(t, srv.URL, "u-"+role, "password-"+role)
		if role == officer {
			partner, err := store.CreateUser(ctx, models.NewUser{Username: "u-officer2", Password: "password-officer2", DisplayName: "李执法",
				Roles: []string{officer}, Authorities: []uint{2, 3}, CertificateNumber: "33010000002"})
			if err != nil {
				t.Fatal(err)
			}
			e.officerIDs = []uint{u.ID, partner.ID}
		}
	}
	return e
}

// withOfficers adds the env's two certified officers to the body of a case
// the officer files, unless it names its officers itself.
func (e *testEnv) withOfficers(method, path, token string, body any) any {
	if method != "POST" || path != "/api/v1/cases" || token != e.tokens[officer] || token == "" {
		return body
	}
	var m map[string]any
	switch b := body.(type) {
	case []byte:
		if json.Unmarshal(b, &m) != nil {
			return body
		}
	case map[string]any:
		m = b
	default:
		j, err := json.Marshal(b)
		if err != nil || json.Unmarshal(j, &m) != nil {
			return body
		}
	}
	if m == nil {
		return body
	}
	if _, ok := m["officer_ids"]; ok {
		return body
	}
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out["officer_ids"] = e.officerIDs
	return out
}

// join makes the test users serve authority id too, through the API.
func (e *testEnv) join(id float64) {
	e.t.Helper()
	var list struct {
		Users []struct {
			ID          uint   `json:"id"`
			Username    string `json:"username"`
			AuthorityID *uint  `json:"authority_id"`
			Authorities []uint `json:"authorities"`
		} `json:"users"`
	}
	e.doJSON("GET", "/api/v1/users", e.tokens[admin], nil, 200, &list)
	for _, u := range list.Users {
		if u.AuthorityID == nil || !strings.HasPrefix(u.Username, "u-") {
			continue
		}
		further := append(slices.DeleteFunc(u.Authorities, func(a uint) bool { return a == *u.AuthorityID }), uint(id))
		e.doJSON("PUT", fmt.Sprintf("/api/v1/users/%d", u.ID), e.tokens[admin],
			map[string]any{"authority_id": *u.AuthorityID, "authorities": further}, 200, nil)
	}
}

// forEachDB runs fn against a fresh environment per configured database.
func forEachDB(t *testing.T, fn func(t *testing.T, e *testEnv)) {
	for _, db := range envDB.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) { fn(t, newEnv(t, db)) })
	}
}

// do sends a request; body may be nil, []byte (sent raw) or a value sent as JSON.
func (e *testEnv) do(method, path, token string, body any) (int, []byte, http.Header) {
	e.t.Helper()
	body = e.withOfficers(method, path, token, body)
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, out, resp.Header
}

// doJSON is do, decoding a JSON answer into out (when not nil) and failing
// the test unless the status is want.
func (e *testEnv) doJSON(method, path, token string, body any, want int, out any) []byte {
	e.t.Helper()
	st, b, _ := e.do(method, path, token, body)
	if st != want {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, path, st, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
	return b
}

type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}
