package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"penaltydoc/models/dbtest"
)

// access says who may call a route: "public" (anyone), "signed-in" (any
// role) or the roles listed.
var access = map[string][]string{
	"GET /healthz":                                            {"public"},
	"GET /metrics":                                            {"public"},
	"GET /static/*filepath":                                   {"public"},
	"HEAD /static/*filepath":                                  {"public"},
	"GET /public/download":                                    {"public"},
	"POST /public/download":                                   {"public"},
	"GET /verify/:token":                                      {"public"},
	"GET /api/v1/documents/print":                             {clerk},
	"POST /api/v1/login":                                      {"public"},
	"POST /api/v1/logout":                                     {"signed-in"},
	"GET /api/v1/me":                                          {"signed-in"},
	"GET /api/v1/users":                                       {admin},
	"POST /api/v1/users":                                      {admin},
	"GET /api/v1/authorities":                                 {admin},
	"POST /api/v1/authorities":                                {admin},
	"PUT /api/v1/authorities/:id":                             {admin},
	"GET /api/v1/catalog":                                     {"signed-in"},
	"POST /api/v1/catalog":                                    {admin},
	"POST /api/v1/catalog/import":                             {admin},
	"POST /api/v1/evaluate":                                   {"signed-in"},
	"GET /api/v1/cases":                                       {"signed-in"},
	"POST /api/v1/cases":                                      {officer},
	"GET /api/v1/cases/:id":                                   {"signed-in"},
	"PUT /api/v1/cases/:id":                                   {officer},
	"POST /api/v1/cases/:id/override":                         {officer},
	"POST /api/v1/cases/:id/documents":                        {officer},
	"GET /api/v1/documents/:id":                               {"signed-in"},
	"GET /api/v1/documents/:id/pdf":                           {"signed-in"},
	"POST /api/v1/documents/:id/submit":                       {officer},
	"POST /api/v1/documents/:id/approve":                      {reviewer, approver},
	"POST /api/v1/documents/:id/return":                       {reviewer, approver},
	"POST /api/v1/documents/:id/issue":                        {clerk},
	"POST /api/v1/documents/:id/serve":                        {clerk},
	"POST /api/v1/documents/:id/correct":                      {officer},
	"POST /api/v1/cases/:id/statement":                        {officer},
	"GET /api/v1/templates":                                   {"signed-in"},
	"GET /api/v1/templates/:kind":                             {"signed-in"},
	"GET /api/v1/templates/:kind/versions":                    {"signed-in"},
	"GET /api/v1/templates/:kind/versions/:version":           {"signed-in"},
	"POST /api/v1/templates/:kind/versions":                   {admin},
	"POST /api/v1/templates/:kind/versions/:version/activate": {admin},
	"POST /api/v1/templates/preview":                          {"signed-in"},
}

// TestAuthorizationMatrix calls every route as every role, anonymous
// included: 401 without a token, 403 for a role the route does not allow,
// neither for one it does. A route missing from the table fails the test.
func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	engine := e.srv.Config.Handler.(*gin.Engine)
	roles := []string{"", officer, reviewer, approver, clerk, admin}
	for _, rt := range engine.Routes() {
		key := rt.Method + " " + rt.Path
		allowed, ok := access[key]
		if !ok {
			t.Errorf("route %s has no entry in the authorization table", key)
			continue
		}
		path := strings.NewReplacer(":id", "1", ":kind", "penalty_decision", ":token", "no-such-token", ":version", "1", "*filepath", "app.css").Replace(rt.Path)
		for _, role := range roles {
			// Log-out ends the session: use a throwaway one.
			token := e.tokens[role]
			if key == "POST /api/v1/logout" && role != "" {
				token = login(t, e.srv.URL, usernameFor(role), passwordFor(role))
			}
			st, body, _ := e.do(rt.Method, path, token, []byte("{}"))
			public := slices.Contains(allowed, "public")
			permitted := public || (role != "" && (slices.Contains(allowed, "signed-in") || slices.Contains(allowed, role) || role == admin))
			switch {
			case !public && role == "":
				if st != 401 {
					t.Errorf("%s anonymous: %d, want 401: %s", key, st, body)
				}
			case !permitted:
				if st != 403 {
					t.Errorf("%s as %s: %d, want 403: %s", key, role, st, body)
				}
			default:
				if st == 401 || st == 403 {
					t.Errorf("%s as %q: %d, want access: %s", key, role, st, body)
				}
			}
		}
	}
}

func usernameFor(role string) string {
	if role == admin {
		return "admin"
	}
	return "u-" + role
}

func passwordFor(role string) string {
	if role == admin {
		return testAdminPassword
	}
	return "password-" + role
}
