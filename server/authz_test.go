package main

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// access says who may call a route: "public" (anyone), "signed-in" (any
// role) or the roles listed.
var access = map[string][]string{
	"GET /healthz":                                            {"public"},
	"GET /favicon.ico":                                        {"public"},
	"GET /metrics":                                            {"public"},
	"GET /static/*filepath":                                   {"public"},
	"HEAD /static/*filepath":                                  {"public"},
	"GET /public/download":                                    {"public"},
	"GET /public/decisions":                                   {"public"},
	"GET /public/decisions/:id":                               {"public"},
	"GET /public/decisions/:id/pdf":                           {"public"},
	"GET /api/v1/publications":                                {"signed-in"},
	"GET /api/v1/publications/overdue":                        {"signed-in"},
	"GET /api/v1/publications/export.csv":                     {"signed-in"},
	"GET /api/v1/publications/export.xlsx":                    {"signed-in"},
	"GET /api/v1/publications/:id":                            {"signed-in"},
	"GET /api/v1/publications/:id/pdf":                        {"signed-in"},
	"PUT /api/v1/publications/:id":                            {officer},
	"POST /api/v1/publications/:id/review":                    {reviewer},
	"POST /api/v1/publications/:id/approve":                   {approver},
	"POST /api/v1/publications/:id/publish":                   {clerk, approver},
	"POST /api/v1/publications/:id/withdraw":                  {approver},
	"POST /api/v1/publications/:id/end":                       {approver},
	"POST /public/download":                                   {"public"},
	"GET /verify/:token":                                      {"public"},
	"POST /verify/:token/check":                               {"public"},
	"GET /api/v1/authorities/:id/signing":                     {admin},
	"POST /api/v1/authorities/:id/signing":                    {admin},
	"GET /public":                                             {"public"},
	"POST /public/portal/open":                                {"public"},
	"GET /public/portal":                                      {"public"},
	"GET /public/portal/notice.pdf":                           {"public"},
	"POST /public/portal/submit/:kind":                        {"public"},
	"POST /public/portal/close":                               {"public"},
	"GET /api/v1/cases/:id/submissions":                       {"signed-in"},
	"POST /api/v1/submissions/:sub/review":                    {officer},
	"POST /api/v1/cases/:id/consent":                          {officer},
	"POST /api/v1/documents/:id/serve-email":                  {clerk},
	"GET /api/v1/documents/print":                             {clerk},
	"POST /api/v1/login":                                      {"public"},
	"POST /api/v1/logout":                                     {"signed-in"},
	"GET /api/v1/me":                                          {"signed-in"},
	"POST /api/v1/me/password":                                {"signed-in"},
	"POST /api/v1/users/:id/password":                         {admin},
	"PUT /api/v1/catalog/:id":                                 {admin},
	"POST /api/v1/catalog/:id/retire":                         {admin},
	"POST /api/v1/catalog/:id/reactivate":                     {admin},
	"GET /api/v1/users":                                       {admin},
	"POST /api/v1/users":                                      {admin},
	"GET /api/v1/authorities":                                 {admin},
	"POST /api/v1/authorities":                                {admin},
	"PUT /api/v1/authorities/:id":                             {admin},
	"PUT /api/v1/users/:id":                                   {admin},
	"GET /api/v1/calendar":                                    {"signed-in"},
	"PUT /api/v1/calendar/:year":                              {admin},
	"GET /api/v1/catalog":                                     {"signed-in"},
	"POST /api/v1/catalog":                                    {admin},
	"POST /api/v1/catalog/import":                             {admin},
	"POST /api/v1/evaluate":                                   {"signed-in"},
	"GET /api/v1/officers":                                    {"signed-in"},
	"GET /api/v1/cases":                                       {"signed-in"},
	"GET /api/v1/cases/export.xlsx":                           {"signed-in"},
	"GET /api/v1/supervision":                                 {"signed-in"},
	"GET /api/v1/supervision/digest":                          {"signed-in"},
	"GET /api/v1/supervision/export.xlsx":                     {"signed-in"},
	"POST /api/v1/cases/:id/extension":                        {approver},
	"GET /api/v1/statistics":                                  {"signed-in"},
	"GET /api/v1/statistics/export.xlsx":                      {"signed-in"},
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
	"PUT /api/v1/documents/:id/revision":                      {officer},
	"POST /api/v1/documents/:id/withdraw":                     {officer},
	"POST /api/v1/cases/:id/withdraw":                         {officer, approver},
	"POST /api/v1/cases/:id/statement":                        {officer},
	"POST /api/v1/cases/:id/discussion":                       {officer, approver},
	"POST /api/v1/cases/:id/payments":                         {officer, clerk},
	"POST /api/v1/cases/:id/deferral":                         {officer},
	"POST /api/v1/cases/:id/execution":                        {officer},
	"POST /api/v1/cases/:id/hearing":                          {officer},
	"GET /api/v1/templates":                                   {"signed-in"},
	"GET /api/v1/templates/:kind":                             {"signed-in"},
	"GET /api/v1/templates/:kind/versions":                    {"signed-in"},
	"GET /api/v1/templates/:kind/versions/:version":           {"signed-in"},
	"POST /api/v1/templates/:kind/versions":                   {admin, editor},
	"POST /api/v1/templates/:kind/versions/:version/activate": {admin, editor},
	"POST /api/v1/templates/preview":                          {admin, editor},

	// The staff web UI: session cookie and CSRF token instead of a bearer
	// token ("web"); TestWebAuthorizationMatrix checks these.
	"GET /":                                                  {"web", "public"},
	"GET /login":                                             {"web", "public"},
	"POST /login":                                            {"web", "public"},
	"POST /logout":                                           {"web", "signed-in"},
	"GET /cases":                                             {"web", "signed-in"},
	"GET /cases/export.xlsx":                                 {"web", "signed-in"},
	"GET /cases/new":                                         {"web", officer},
	"POST /cases/new":                                        {"web", officer},
	"GET /cases/:id":                                         {"web", "signed-in"},
	"GET /cases/:id/edit":                                    {"web", officer},
	"POST /cases/:id/edit":                                   {"web", officer},
	"POST /cases/:id/documents":                              {"web", officer},
	"POST /cases/:id/statement":                              {"web", officer},
	"POST /cases/:id/discussion":                             {"web", officer, approver},
	"POST /cases/:id/payments":                               {"web", officer, clerk},
	"POST /cases/:id/deferral":                               {"web", officer},
	"POST /cases/:id/execution":                              {"web", officer},
	"POST /cases/:id/hearing":                                {"web", officer},
	"POST /cases/:id/override":                               {"web", officer},
	"GET /documents/:id/pdf":                                 {"web", "signed-in"},
	"POST /documents/:id/submit":                             {"web", officer},
	"POST /documents/:id/approve":                            {"web", reviewer, approver},
	"POST /documents/:id/return":                             {"web", reviewer, approver},
	"POST /documents/:id/issue":                              {"web", clerk},
	"POST /documents/:id/serve":                              {"web", clerk},
	"POST /documents/:id/correct":                            {"web", officer},
	"GET /documents/:id/revision":                            {"web", officer},
	"POST /documents/:id/revision":                           {"web", officer},
	"POST /documents/:id/withdraw":                           {"web", officer},
	"POST /cases/:id/withdraw":                               {"web", officer, approver},
	"GET /queue":                                             {"web", "signed-in"},
	"GET /supervision":                                       {"web", "signed-in"},
	"GET /supervision/export.xlsx":                           {"web", "signed-in"},
	"GET /cases/:id/extension":                               {"web", approver},
	"POST /cases/:id/extension":                              {"web", approver},
	"GET /statistics":                                        {"web", "signed-in"},
	"GET /statistics/export.xlsx":                            {"web", "signed-in"},
	"GET /publications":                                      {"web", officer, reviewer, approver, clerk},
	"GET /publications/export.csv":                           {"web", officer, reviewer, approver, clerk},
	"GET /publications/export.xlsx":                          {"web", officer, reviewer, approver, clerk},
	"GET /publications/:id":                                  {"web", officer, reviewer, approver, clerk},
	"GET /publications/:id/pdf":                              {"web", officer, reviewer, approver, clerk},
	"POST /publications/:id":                                 {"web", officer},
	"POST /publications/:id/review":                          {"web", reviewer},
	"POST /publications/:id/approve":                         {"web", approver},
	"POST /publications/:id/publish":                         {"web", clerk, approver},
	"POST /publications/:id/withdraw":                        {"web", approver},
	"POST /publications/:id/end":                             {"web", approver},
	"GET /print":                                             {"web", clerk},
	"GET /print/pdf":                                         {"web", clerk},
	"GET /admin/templates":                                   {"web", admin, editor},
	"GET /admin/templates/:kind":                             {"web", admin, editor},
	"POST /admin/templates/:kind":                            {"web", admin, editor},
	"POST /admin/templates/:kind/preview":                    {"web", admin, editor},
	"POST /admin/templates/:kind/versions/:version/activate": {"web", admin, editor},
	"GET /admin/catalog":                                     {"web", admin},
	"POST /admin/catalog/import":                             {"web", admin},
	"GET /admin/calendar":                                    {"web", admin},
	"POST /admin/calendar":                                   {"web", admin},
	"GET /admin/users":                                       {"web", admin},
	"POST /admin/users":                                      {"web", admin},
	"GET /admin/users/:id":                                   {"web", admin},
	"POST /admin/users/:id":                                  {"web", admin},

	"POST /admin/users/:id/password":             {"web", admin},
	"POST /admin/users/:id/active":               {"web", admin},
	"GET /account/password":                      {"web", "signed-in"},
	"POST /account/password":                     {"web", "signed-in"},
	"GET /admin/authorities":                     {"web", admin},
	"GET /admin/authorities/new":                 {"web", admin},
	"POST /admin/authorities":                    {"web", admin},
	"GET /admin/authorities/:id":                 {"web", admin},
	"POST /admin/authorities/:id":                {"web", admin},
	"GET /admin/authorities/:id/seal.png":        {"web", admin},
	"GET /admin/authorities/:id/preview.pdf":     {"web", admin},
	"POST /admin/authorities/:id/signing":        {"web", admin},
	"GET /admin/authorities/:id/certificate.pem": {"web", admin},
	"GET /admin/catalog/:id":                     {"web", admin},
	"POST /admin/catalog/:id":                    {"web", admin},
	"POST /admin/catalog/:id/retire":             {"web", admin},
	"POST /admin/catalog/:id/reactivate":         {"web", admin},
	"GET /admin/audit":                           {"web", admin},
	"POST /admin/audit/check":                    {"web", admin},
	"POST /submissions/:sub/review":              {"web", officer},
	"POST /cases/:id/consent":                    {"web", officer},
	"GET /portal-files/:file":                    {"web", "signed-in"},
	"POST /documents/:id/serve-email":            {"web", clerk},
}

// TestAuthorizationMatrix calls every route as every role, anonymous
// included: 401 without a token, 403 for a role the route does not allow,
// neither for one it does. A route missing from the table fails the test.
func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t, envDB.SQLite(t))
	engine := e.srv.Config.Handler.(*gin.Engine)
	roles := []string{"", officer, reviewer, approver, clerk, editor, admin}
	for _, rt := range engine.Routes() {
		key := rt.Method + " " + rt.Path
		allowed, ok := access[key]
		if !ok {
			t.Errorf("route %s has no entry in the authorization table", key)
			continue
		}
		if slices.Contains(allowed, "web") {
			continue // cookie routes: TestWebAuthorizationMatrix
		}
		path := strings.NewReplacer(":id", "1", ":kind", "penalty_decision", ":token", "no-such-token", ":version", "1", ":year", "2026", "*filepath", "app.css").Replace(rt.Path)
		for _, role := range roles {
			// Log-out ends the session: use a throwaway one.
			token := e.tokens[role]
			if key == "POST /api/v1/logout" && role != "" {
				token = login(t, e.srv.URL, usernameFor(role), passwordFor(role))
			}
			st, body, _ := e.do(rt.Method, path, token, []byte("{}"))
			public := slices.Contains(allowed, "public")
			permitted := public || (role != "" && (slices.Contains(allowed, "signed-in") || slices.Contains(allowed, role)))
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

// TestWebAuthorizationMatrix calls every staff web route as every role,
// signed in through the sign-in form: anonymous GETs go to the sign-in
// page (303, coming back afterwards), anonymous POSTs too; a role the route
// does not allow gets the 403 page, with or without the right CSRF token;
// a POST without the session's CSRF token gets the 403 page even for a role
// that is allowed; an allowed role gets through.
func TestWebAuthorizationMatrix(t *testing.T) {
	e := newEnv(t, envDB.SQLite(t))
	engine := e.srv.Config.Handler.(*gin.Engine)
	clients := map[string]*webClient{"": newWebClient(t, e.srv.URL)}
	for _, role := range []string{officer, reviewer, approver, clerk, editor, admin} {
		clients[role] = e.signIn(t, role)
	}
	n := 0
	for _, rt := range engine.Routes() {
		key := rt.Method + " " + rt.Path
		allowed, ok := access[key]
		if !ok || !slices.Contains(allowed, "web") {
			continue // TestAuthorizationMatrix reports missing routes
		}
		n++
		path := strings.NewReplacer(":id", "1", ":kind", "penalty_decision", ":version", "1").Replace(rt.Path)
		public := slices.Contains(allowed, "public")
		for _, role := range []string{"", officer, reviewer, approver, clerk, editor, admin} {
			w := clients[role]
			if key == "POST /logout" && role != "" {
				w = e.signIn(t, role) // a throwaway session
			}
			send := func(token string) (int, string, string) {
				if rt.Method == "GET" {
					st, body, h := w.get(path)
					return st, body, h.Get("Location")
				}
				st, body, h := w.post(path, url.Values{"csrf_token": {token}})
				return st, body, h.Get("Location")
			}
			token := w.csrf
			if rt.Method == "POST" && !public && role != "" {
				if st, body, _ := send("forged-" + token); st != 403 || !strings.Contains(body, "页面已过期") {
					t.Errorf("%s as %s with a forged CSRF token: %d, want 403", key, role, st)
				}
			}
			st, body, loc := send(token)
			permitted := public || (role != "" && (slices.Contains(allowed, "signed-in") || slices.Contains(allowed, role)))
			switch {
			case public:
				if st == 401 || (st == 403 && key != "POST /login") {
					t.Errorf("%s as %q: %d, want access", key, role, st)
				}
			case role == "":
				want := "/login"
				if rt.Method == "GET" {
					want = "/login?next=" + url.QueryEscape(path)
				}
				if st != 303 || loc != want {
					t.Errorf("%s anonymous: %d to %q, want 303 to %q", key, st, loc, want)
				}
			case !permitted:
				if st != 403 || !strings.Contains(body, "无权") && !strings.Contains(body, "页面已过期") {
					t.Errorf("%s as %s: %d, want the 403 page", key, role, st)
				}
			default:
				if st == 401 || st == 403 || (st == 303 && strings.HasPrefix(loc, "/login") && key != "POST /logout") {
					t.Errorf("%s as %s: %d %s, want access", key, role, st, loc)
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d web routes checked", n)
	}
}
