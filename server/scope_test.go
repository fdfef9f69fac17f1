package main

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"penaltydoc/models"
	"penaltydoc/rules"
)

// scopeWorld is one deployment with two offices: A (the public cases'
// authority, served by the test users u-*) with an issued decision, a
// draft and an authority template of its staff's own; and B, a second
// office with a full staff of its own (b-officer … b-admin, an admin of B
// only) and a draft case.
type scopeWorld struct {
	a, b       uint
	issued     issuedDoc
	draftDoc   uint
	caseA      uint
	userA      uint
	versionA   int
	caseB      uint
	docB       uint
	userB      uint
	pubA, pubB uint              // A's publication record (of its decision), B's (published)
	tokens     map[string]string // role → B's token
	partyAName string
}

func newScopeWorld(t *testing.T, e *testEnv) *scopeWorld {
	t.Helper()
	w := &scopeWorld{tokens: map[string]string{}}
	w.issued = issueDecision(t, e)
	var cs map[string]any
	e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d", w.issued.CaseID), e.tokens[officer], nil, 200, &cs)
	w.a = uint(cs["authority_id"].(float64))
	w.partyAName = cs["party_name"].(string)

	// A second case of A with a draft decision.
	pc := loadPublicCases(t)
	facts := pc.Cases[1].Facts
	facts["authority_id"] = w.a
	var c2 struct {
		ID uint `json:"id"`
	}
	e.doJSON("POST", "/api/v1/cases", e.tokens[officer], facts, 201, &c2)
	w.caseA = c2.ID
	var d docResp
	e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", w.caseA), e.tokens[officer], map[string]string{"kind": "penalty_decision"}, 201, &d)
	w.draftDoc = d.ID

	// A template version of the editor's own authority.
	var tv struct {
		Version int `json:"version"`
	}
	var body map[string]any
	e.doJSON("GET", "/api/v1/templates/advance_notice", e.tokens[editor], nil, 200, &body)
	e.doJSON("POST", "/api/v1/templates/advance_notice/versions", e.tokens[editor], map[string]any{"body": body["body"], "activate": false}, 201, &tv)
	w.versionA = tv.Version

	// Office B and its staff.
	auth := map[string]any{}
	for k, v := range pc.Authority {
		auth[k] = v
	}
	auth["name"], auth["short_name"], auth["number_prefix"] = "乙县公安局", "乙县公安", "乙公（治）行罚决字"
	auth["seal_png"] = testSealBase64()
	var b map[string]any
	e.doJSON("POST", "/api/v1/authorities", e.tokens[admin], auth, 201, &b)
	w.b = uint(b["id"].(float64))
	for _, role := range []string{officer, reviewer, approver, clerk, editor, admin} {
		var u map[string]any
		e.doJSON("POST", "/api/v1/users", e.tokens[admin], map[string]any{"username": "b-" + role, "password": "password-b-" + role,
			"roles": []string{role}, "authority_id": w.b}, 201, &u)
		w.tokens[role] = login(t, e.srv.URL, "b-"+role, "password-b-"+role)
	}
	// B's user the user routes name: one nobody signs in as, as resetting
	// the password or deactivating signs the user out.
	var spare map[string]any
	e.doJSON("POST", "/api/v1/users", e.tokens[admin], map[string]any{"username": "b-spare", "password": "password-b-spare",
		"roles": []string{officer}, "authority_id": w.b}, 201, &spare)
	w.userB = uint(spare["id"].(float64))
	var ua struct {
		Users []struct {
			ID       uint   `json:"id"`
			Username string `json:"username"`
		} `json:"users"`
	}
	e.doJSON("GET", "/api/v1/users", e.tokens[admin], nil, 200, &ua)
	for _, u := range ua.Users {
		if u.Username == "u-"+officer {
			w.userA = u.ID
		}
	}
	facts["authority_id"] = w.b
	e.doJSON("POST", "/api/v1/cases", w.tokens[officer], facts, 201, &c2)
	w.caseB = c2.ID
	e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", w.caseB), w.tokens[officer], map[string]string{"kind": "advance_notice"}, 201, &d)
	w.docB = d.ID
	pa, err := e.store.PublicationOf(context.Background(), w.issued.ID)
	if err != nil || pa == nil {
		t.Fatalf("A's publication: %v %v", pa, err)
	}
	w.pubA = pa.ID
	pb := &models.Publication{DocumentID: 999990, CaseID: w.caseB, AuthorityID: w.b, Status: rules.PubPublished, Number: "乙公（治）行罚决字〔2026〕1号",
		PublishedDate: "2026-01-01", EndDate: "2099-01-01", PDF: []byte("%PDF-1.4 B"), SHA256: strings.Repeat("0", 64), MaskNames: []string{}}
	if _, err := e.store.CreatePublication(context.Background(), models.Actor{Username: "test", Scope: models.Everything}, pb); err != nil {
		t.Fatal(err)
	}
	w.pubB = pb.ID
	return w
}

// ids is what a route's parameters stand for: another office's objects
// (other), missing ones (missing) or the caller's own (own).
func (w *scopeWorld) path(route string, which string) string {
	var c, d, u, a, v, p string
	switch which {
	case "other":
		c, d, u, a, v, p = itoa(w.caseA), itoa(w.draftDoc), itoa(w.userA), itoa(w.a), strconv.Itoa(w.versionA), itoa(w.pubA)
	case "missing":
		c, d, u, a, v, p = "999999", "999999", "999999", "999999", "999999", "999999"
	default:
		c, d, u, a, v, p = itoa(w.caseB), itoa(w.docB), itoa(w.userB), itoa(w.b), "1", itoa(w.pubB)
	}
	id := c
	switch {
	case strings.Contains(route, "/publications/") || strings.Contains(route, "/decisions/"):
		id = p
	case strings.Contains(route, "/documents/"):
		id = d
	case strings.Contains(route, "/users/"):
		id = u
	case strings.Contains(route, "/authorities/"):
		id = a
	}
	return strings.NewReplacer(":id", id, ":kind", "advance_notice", ":version", v).Replace(route)
}

// bodies are valid inputs, so that an answer is about the object and not
// about the input.
func scopeBody(route string) map[string]any {
	switch {
	case strings.HasSuffix(route, "/return"):
		return map[string]any{"comment": "请补充证据"}
	case strings.HasSuffix(route, "/serve"):
		return map[string]any{"method": "direct", "date": "2026-10-20", "recipient": "张某"}
	case strings.HasSuffix(route, "/override"):
		return map[string]any{"reason": "当事人拒不改正，依法给予处罚", "outcome": "penalty"}
	case strings.HasSuffix(route, "/documents"):
		return map[string]any{"kind": "advance_notice"}
	case strings.HasSuffix(route, "/statement"):
		return map[string]any{"waived": true}
	case strings.HasSuffix(route, "/withdraw"): // no reason: the own object is found (422) and left as it is
		return map[string]any{"reason": ""}
	case strings.HasSuffix(route, "/correct"), strings.HasSuffix(route, "/revision"):
		return map[string]any{"reason": "录入有误"}
	}
	return map[string]any{}
}

var digitsRE = regexp.MustCompile(`\d+`)

// TestAuthorityScopingMatrix calls every route that names an object, as
// the other office's staff holding the route's role: another office's
// case, document, user, authority or template version answers exactly as
// a missing one does (404 for every GET), and the caller's own is found.
// Lists, the print list, the queue, the history and case filing show
// nothing of the other office.
func TestAuthorityScopingMatrix(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		w := newScopeWorld(t, e)
		engine := e.srv.Config.Handler.(*gin.Engine)
		webB := map[string]*webClient{}
		for _, role := range []string{officer, reviewer, approver, clerk, editor, admin} {
			c := newWebClient(t, e.srv.URL)
			c.login("b-"+role, "password-b-"+role)
			webB[role] = c
		}
		// B's office has a signing certificate (its download is found; one
		// without answers 404 and makes no key).
		p12, _ := testP12(t, "B局", "pw")
		if st, _, _ := webB[admin].postMultipart(fmt.Sprintf("/admin/authorities/%d/signing", w.b), url.Values{"password": {"pw"}}, "p12", "b.p12", p12); st != 303 {
			t.Fatalf("B's certificate upload: %d", st)
		}
		n := 0
		for _, rt := range engine.Routes() {
			key := rt.Method + " " + rt.Path
			if !strings.Contains(rt.Path, ":id") && !strings.Contains(rt.Path, ":version") {
				continue
			}
			if strings.Contains(rt.Path, "/catalog/:id") {
				continue // the shared catalogue, no office's object: deployment admins only (403 for B's)
			}
			allowed := access[key]
			role := officer
			for _, r := range allowed {
				if slices.Contains([]string{officer, reviewer, approver, clerk, editor, admin}, r) {
					role = r
					break
				}
			}
			web := slices.Contains(allowed, "web")
			call := func(which string) (int, string) {
				path := w.path(rt.Path, which)
				if web {
					c := webB[role]
					if rt.Method == "GET" {
						st, body, _ := c.get(path)
						return st, body
					}
					form := url.Values{"csrf_token": {c.csrf}}
					for k, v := range scopeBody(rt.Path) {
						form.Set(k, fmt.Sprint(v))
					}
					st, body, _ := c.post(path, form)
					return st, body
				}
				st, body, _ := e.do(rt.Method, path, w.tokens[role], scopeBody(rt.Path))
				return st, string(body)
			}
			n++
			stOther, bodyOther := call("other")
			stMissing, bodyMissing := call("missing")
			if stOther >= 500 || stOther != stMissing ||
				digitsRE.ReplaceAllString(bodyOther, "#") != digitsRE.ReplaceAllString(bodyMissing, "#") {
				t.Errorf("%s as B's %s: the other office's object answers %d %.200s; a missing one %d %.200s", key, role, stOther, bodyOther, stMissing, bodyMissing)
			}
			if rt.Method == "GET" && stOther != 404 {
				t.Errorf("%s as B's %s: the other office's object answers %d, want 404", key, role, stOther)
			}
			if st, body := call("own"); st == 404 || st >= 500 {
				t.Errorf("%s as B's %s on B's own: %d %.300s", key, role, st, body)
			}
		}
		if n < 25 {
			t.Errorf("only %d object routes checked", n)
		}

		// Lists.
		var cases struct {
			Cases []struct {
				ID uint `json:"id"`
			} `json:"cases"`
		}
		e.doJSON("GET", "/api/v1/cases?per_page=100", w.tokens[officer], nil, 200, &cases)
		if len(cases.Cases) != 1 || cases.Cases[0].ID != w.caseB {
			t.Errorf("B's case list: %+v, want B's case %d only", cases.Cases, w.caseB)
		}
		// The case register: B's case only, through the API and the page.
		for _, get := range []func() (int, []byte){
			func() (int, []byte) {
				st, b, _ := e.do("GET", "/api/v1/cases/export.xlsx?mine=0&item=PUB-YZD", w.tokens[officer], nil)
				return st, b
			},
			func() (int, []byte) {
				st, b, _ := webB[approver].get("/cases/export.xlsx?mine=0")
				return st, []byte(b)
			},
		} {
			st, b := get()
			if st != 200 {
				t.Fatalf("B's export: %d %s", st, b)
			}
			rows := readRegister(t, b)
			if len(rows) != 2 || strings.Contains(fmt.Sprint(rows), w.issued.Number) || strings.Contains(fmt.Sprint(rows), "u-officer") {
				t.Errorf("B's register shows another office's cases: %v", rows)
			}
		}
		var users struct {
			Users []struct {
				Username string `json:"username"`
			} `json:"users"`
		}
		e.doJSON("GET", "/api/v1/users", w.tokens[admin], nil, 200, &users)
		for _, u := range users.Users {
			if !strings.HasPrefix(u.Username, "b-") {
				t.Errorf("B's admin lists user %s of another office", u.Username)
			}
		}
		var auths struct {
			Authorities []struct {
				ID uint `json:"id"`
			} `json:"authorities"`
		}
		e.doJSON("GET", "/api/v1/authorities", w.tokens[admin], nil, 200, &auths)
		if len(auths.Authorities) != 1 || auths.Authorities[0].ID != w.b {
			t.Errorf("B's admin lists authorities %+v", auths.Authorities)
		}
		var versions struct {
			Versions []struct {
				Version int `json:"version"`
			} `json:"versions"`
		}
		e.doJSON("GET", "/api/v1/templates/advance_notice/versions", w.tokens[editor], nil, 200, &versions)
		for _, v := range versions.Versions {
			if v.Version == w.versionA {
				t.Errorf("B's editor lists A's own template version %d", v.Version)
			}
		}
		if st, body, _ := e.do("GET", "/api/v1/documents/print?ids="+itoa(w.issued.ID), w.tokens[clerk], nil); st != 404 {
			t.Errorf("B's clerk prints A's decision: %d %.200s", st, body)
		}
		for _, page := range []string{"/cases", "/cases?mine=0&item=PUB-YZD", "/queue", "/print?q=" + url.QueryEscape(w.issued.Number), "/print?printed=no", "/print?printed=yes"} {
			role := officer
			if !strings.HasPrefix(page, "/cases") {
				role = clerk
			}
			st, body, _ := webB[role].get(page)
			if st != 200 || strings.Contains(body, fmt.Sprintf("/documents/%d/", w.issued.ID)) || strings.Contains(body, fmt.Sprintf("/cases/%d\"", w.caseA)) {
				t.Errorf("%s as B's %s: %d, shows A's decision", page, role, st)
			}
		}
		st, body, _ := webB[admin].get("/admin/users")
		if st != 200 || strings.Contains(body, "u-officer") {
			t.Errorf("B's admin users page shows A's staff (%d)", st)
		}

		// Filing for another office is refused like a missing authority.
		pc := loadPublicCases(t)
		facts := pc.Cases[1].Facts
		facts["authority_id"] = w.a
		var ae apiError
		e.doJSON("POST", "/api/v1/cases", w.tokens[officer], facts, 422, &ae)
		if ae.Error.Fields["authority_id"] != "执法机关不存在" {
			t.Errorf("filing for A as B: %+v", ae.Error)
		}
		// B's admin neither creates deployment admins nor shared data.
		e.doJSON("POST", "/api/v1/users", w.tokens[admin], map[string]any{"username": "b-root", "password": "password-b-root",
			"roles": []string{admin}}, 201, nil) // an admin of B
		e.doJSON("POST", "/api/v1/users", w.tokens[admin], map[string]any{"username": "b-intruder", "password": "password-b-x",
			"roles": []string{officer}, "authority_id": w.a}, 422, nil)
		e.doJSON("POST", "/api/v1/authorities", w.tokens[admin], auth(pc), 403, nil)
		e.doJSON("PUT", "/api/v1/calendar/2027", w.tokens[admin], map[string]any{"holidays": []string{}, "workdays": []string{}}, 403, nil)
		e.doJSON("POST", "/api/v1/catalog", w.tokens[admin], pc.Items[0], 403, nil)
		var root struct {
			Users []struct {
				Username    string `json:"username"`
				Authorities []uint `json:"authorities"`
			} `json:"users"`
		}
		e.doJSON("GET", "/api/v1/users", w.tokens[admin], nil, 200, &root)
		for _, u := range root.Users {
			if u.Username == "b-root" && !slices.Equal(u.Authorities, []uint{w.b}) {
				t.Errorf("an admin created by B's admin serves %v, want B only", u.Authorities)
			}
		}

		// The history counts A's decision for B's officer, showing its
		// number, date and authority, never its id.
		facts = pc.Cases[1].Facts
		facts["authority_id"] = w.b
		var ev struct {
			History []map[string]any `json:"history"`
		}
		e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d", w.caseB), w.tokens[officer], nil, 200, &ev)
		found := false
		for _, h := range ev.History {
			if h["number"] == w.issued.Number {
				found = true
				if h["source"] != "other_authority" || strings.Contains(fmt.Sprint(h), "document:") {
					t.Errorf("A's decision in B's history: %v", h)
				}
			}
		}
		if !found {
			t.Errorf("B's history lacks A's decision %s: %v", w.issued.Number, ev.History)
		}
	})
}

func auth(pc publicCases) map[string]any {
	out := map[string]any{}
	for k, v := range pc.Authority {
		out[k] = v
	}
	out["name"] = "丙县公安局"
	return out
}

// TestAuthorityTemplates: an office's own template version is what its
// documents use, another office keeps the standard, and activating the
// standard's version takes the office back to it. The standard templates
// are the deployment admins' to change.
func TestAuthorityTemplates(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		w := newScopeWorld(t, e)
		var std map[string]any
		e.doJSON("GET", "/api/v1/templates/advance_notice", w.tokens[officer], nil, 200, &std)
		stdVersion := int(std["version"].(float64))
		body := std["body"].(string) + "\n本告知书由乙县公安局专用模板制作。"
		var own struct {
			Version     int   `json:"version"`
			AuthorityID *uint `json:"authority_id"`
		}
		e.doJSON("POST", "/api/v1/templates/advance_notice/versions", w.tokens[editor], map[string]any{"body": body}, 201, &own)
		if own.AuthorityID == nil || *own.AuthorityID != w.b {
			t.Fatalf("B's editor saved a version of %v, want B's", own.AuthorityID)
		}
		var list struct {
			Templates []struct {
				Kind    string `json:"kind"`
				Version int    `json:"version"`
			} `json:"templates"`
		}
		e.doJSON("GET", "/api/v1/templates", w.tokens[officer], nil, 200, &list)
		for _, tv := range list.Templates {
			if tv.Kind == "advance_notice" && tv.Version != own.Version {
				t.Errorf("B's templates list advance_notice v%d, want B's own v%d", tv.Version, own.Version)
			}
		}
		e.doJSON("GET", "/api/v1/templates/advance_notice", e.tokens[officer], nil, 200, &std)
		if int(std["version"].(float64)) == own.Version {
			t.Errorf("A's staff use B's template")
		}
		var d docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", w.caseB), w.tokens[officer], map[string]string{"kind": "advance_notice"}, 201, &d)
		var got map[string]any
		e.doJSON("GET", e.docPath(d.ID, ""), w.tokens[officer], nil, 200, &got)
		if int(got["template_version"].(float64)) != own.Version {
			t.Errorf("B's new notice uses v%v, want B's own v%d", got["template_version"], own.Version)
		}
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", w.caseA), e.tokens[officer], map[string]string{"kind": "advance_notice"}, 201, &d)
		e.doJSON("GET", e.docPath(d.ID, ""), e.tokens[officer], nil, 200, &got)
		if int(got["template_version"].(float64)) != stdVersion {
			t.Errorf("A's new notice uses v%v, want the standard v%d", got["template_version"], stdVersion)
		}
		// Only the deployment's admins change the standard.
		var ae apiError
		e.doJSON("POST", "/api/v1/templates/advance_notice/versions", w.tokens[admin], map[string]any{"body": body, "authority_id": w.a}, 404, &ae)
		e.doJSON("POST", fmt.Sprintf("/api/v1/templates/advance_notice/versions/%d/activate", stdVersion), w.tokens[editor], nil, 200, nil)
		e.doJSON("GET", "/api/v1/templates/advance_notice", w.tokens[officer], nil, 200, &std)
		if int(std["version"].(float64)) != stdVersion {
			t.Errorf("after going back to the standard B uses v%v", std["version"])
		}
		e.doJSON("POST", fmt.Sprintf("/api/v1/templates/advance_notice/versions/%d/activate", own.Version), w.tokens[editor], nil, 200, nil)
		own.AuthorityID = nil
		e.doJSON("POST", "/api/v1/templates/advance_notice/versions", e.tokens[admin], map[string]any{"body": body, "activate": false}, 201, &own)
		if own.AuthorityID != nil {
			t.Errorf("the deployment admin's version belongs to %v, want the standard", *own.AuthorityID)
		}
		e.doJSON("POST", fmt.Sprintf("/api/v1/templates/advance_notice/versions/%d/activate", own.Version), w.tokens[editor], nil, 422, &ae)
	})
}
