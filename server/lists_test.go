package main

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"penaltydoc/casework"
	"penaltydoc/models"
)

// listWorld is the scope world (A: the issued decision's case and a draft
// case of u-officer; B: a case of b-officer) with a third case of A filed
// by a second officer of A, under another item and in another year.
type listWorld struct {
	*scopeWorld
	case2   uint // 王二's case (PUB-ORDER, filed 2026-05-02)
	officer string
	today   string
}

func newListWorld(t *testing.T, e *testEnv) *listWorld {
	t.Helper()
	w := &listWorld{scopeWorld: newScopeWorld(t, e)}
	a := w.a
	if _, err := e.store.CreateUser(t.Context(), models.NewUser{Username: "u-wanger", Password: "password-wanger", DisplayName: "王二",
		Roles: []string{officer}, AuthorityID: &a}); err != nil {
		t.Fatal(err)
	}
	w.officer = login(t, e.srv.URL, "u-wanger", "password-wanger")
	facts := loadPublicCases(t).Cases[4].Facts
	facts["authority_id"] = w.a
	var c struct {
		ID uint `json:"id"`
	}
	e.doJSON("POST", "/api/v1/cases", w.officer, facts, 201, &c)
	w.case2 = c.ID
	w.today = e.store.Today()
	return w
}

type listedCase struct {
	ID        uint     `json:"id"`
	Number    string   `json:"number"`
	Status    string   `json:"status"`
	Authority string   `json:"authority"`
	Officers  []string `json:"officer_names"`
	OfficerID uint     `json:"officer_id"`
}

func (e *testEnv) listCases(t *testing.T, token, query string) ([]uint, []listedCase, int) {
	t.Helper()
	var out struct {
		Cases []listedCase `json:"cases"`
		Total int          `json:"total"`
	}
	e.doJSON("GET", "/api/v1/cases?"+query, token, nil, 200, &out)
	ids := []uint{}
	for _, c := range out.Cases {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	return ids, out.Cases, out.Total
}

func sorted(ids ...uint) []uint { slices.Sort(ids); return ids }

// TestCaseListFilters: my cases, status, item, filing and decision dates
// and the search, alone and combined, through the API and the page, on
// both databases; another office's cases never appear, whatever the
// filter; the list names each case's officer and authority.
func TestCaseListFilters(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		w := newListWorld(t, e)
		yesterday := time.Now().In(models.China).AddDate(0, 0, -1).Format("2006-01-02")
		if w.today != time.Now().In(models.China).Format("2006-01-02") {
			yesterday = w.today // the clock moved: no case is decided before today anyway
		}
		issued, draft := w.issued.CaseID, w.caseA
		for _, tc := range []struct {
			query string
			want  []uint // as A's officer
			wantB []uint // as B's officer (nil: none)
		}{
			{"", sorted(issued, draft, w.case2), []uint{w.caseB}},
			{"mine=0", sorted(issued, draft, w.case2), []uint{w.caseB}},
			{"mine=1", sorted(issued, draft), []uint{w.caseB}},
			{"status=draft", sorted(draft, w.case2), []uint{w.caseB}},
			{"status=draft&mine=1", []uint{draft}, []uint{w.caseB}},
			{"status=executing", []uint{issued}, nil}, // a decided fine is being executed
			{"status=closed", []uint{}, nil},
			{"item=PUB-ORDER", []uint{w.case2}, nil},
			{"item=PUB-YZD", sorted(issued, draft), []uint{w.caseB}},
			{"from=2026-01-01", []uint{w.case2}, nil},
			{"to=2022-12-31", sorted(issued, draft), []uint{w.caseB}},
			{"from=2022-05-12&to=2022-05-12", sorted(issued, draft), []uint{w.caseB}},
			{"decided_from=" + w.today, []uint{issued}, nil},
			{"decided_from=" + w.today + "&decided_to=" + w.today, []uint{issued}, nil},
			{"decided_to=" + yesterday, []uint{}, nil},
			{"q=" + url.QueryEscape("示例化工") + "&status=draft", []uint{draft}, []uint{w.caseB}},
			{"q=" + url.QueryEscape(w.issued.Number) + "&item=PUB-YZD&decided_from=" + w.today, []uint{issued}, nil},
			{"q=" + url.QueryEscape(w.issued.Number) + "&item=PUB-ORDER", []uint{}, nil},
		} {
			got, _, total := e.listCases(t, e.tokens[officer], tc.query)
			if !slices.Equal(got, tc.want) || total != len(tc.want) {
				t.Errorf("A's officer, %q: %v (total %d), want %v", tc.query, got, total, tc.want)
			}
			q := tc.query
			if !strings.Contains(q, "mine=") {
				q += "&mine=0"
			}
			gotB, _, _ := e.listCases(t, w.tokens[officer], q)
			if tc.wantB == nil {
				tc.wantB = []uint{}
			}
			if !slices.Equal(gotB, tc.wantB) {
				t.Errorf("B's officer, %q: %v, want %v", q, gotB, tc.wantB)
			}
			// A's admin of the deployment sees A's and B's alike.
		}
		// Columns: the officer and the authority.
		_, rows, _ := e.listCases(t, e.tokens[officer], "mine=0")
		for _, r := range rows {
			want := []string{"u-officer", "李执法"} // the two officers the env's cases name
			if r.ID == w.case2 {
				want = []string{"王二"} // filed naming nobody: its filing officer
			}
			if !slices.Equal(r.Officers, want) || r.Authority != "示例县公安局" || r.OfficerID == 0 {
				t.Errorf("case %d: officers %v authority %q", r.ID, r.Officers, r.Authority)
			}
		}
		// My cases are also the cases that name me: 李执法 is named on the
		// env's cases, not on 王二's.
		partner := login(t, e.srv.URL, "u-officer2", "password-officer2")
		if got, _, _ := e.listCases(t, partner, "mine=1"); !slices.Equal(got, sorted(issued, draft)) {
			t.Errorf("the named officer's cases: %v, want %v", got, sorted(issued, draft))
		}
		// Pages.
		got, rows, total := e.listCases(t, e.tokens[officer], "mine=0&per_page=1&page=2")
		if total != 3 || len(got) != 1 || got[0] != draft {
			t.Errorf("page 2 of 1: %v of %d, want the second newest (%d)", got, total, draft)
		}
		var past struct {
			Cases []listedCase `json:"cases"`
			Page  int          `json:"page"`
		}
		e.doJSON("GET", "/api/v1/cases?mine=0&per_page=1&page=99999999", e.tokens[officer], nil, 200, &past)
		if len(past.Cases) != 1 || past.Cases[0].ID != issued || past.Page != 3 {
			t.Errorf("a page past the end: %+v, want the last (3)", past)
		}
		var ae apiError
		e.doJSON("GET", "/api/v1/cases?decided_from=2026-13-01", e.tokens[officer], nil, 422, &ae)
		if ae.Error.Fields["decided_from"] == "" {
			t.Errorf("bad decided_from: %+v", ae.Error)
		}

		// The page: my cases by default for an officer, the tabs and the
		// export keep the filters, another office's cases never show.
		web := e.signIn(t, officer)
		st, page, _ := web.get("/cases")
		if st != 200 || !strings.Contains(page, fmt.Sprintf(`id="case-%d"`, issued)) || strings.Contains(page, fmt.Sprintf(`id="case-%d"`, w.case2)) ||
			!strings.Contains(page, `id="tab-mine" href="/cases?mine=1" class="active"`) {
			t.Errorf("/cases as an officer: %d, want my cases only", st)
		}
		st, page, _ = web.get("/cases?mine=0&item=PUB-ORDER&from=2026-01-01")
		if st != 200 || !strings.Contains(page, fmt.Sprintf(`id="case-%d"`, w.case2)) || strings.Contains(page, fmt.Sprintf(`id="case-%d"`, issued)) ||
			!strings.Contains(page, "王二") || !strings.Contains(text(page), "示例县公安局") {
			t.Errorf("/cases filtered: %d %s", st, text(page))
		}
		for _, link := range []string{`href="/cases/export.xlsx?from=2026-01-01&amp;item=PUB-ORDER&amp;mine=0"`, `href="/cases?from=2026-01-01&amp;item=PUB-ORDER&amp;mine=1"`} {
			if !strings.Contains(page, link) {
				t.Errorf("the page lacks the link %s", link)
			}
		}
		if inputValue(page, "from") != "2026-01-01" || !strings.Contains(page, `<option value="PUB-ORDER" selected>`) {
			t.Errorf("the filters are not shown back")
		}
		st, page, _ = web.get("/cases?mine=0&decided_from=bad&item=PUB-ORDER")
		if st != 200 || !strings.Contains(page, `id="error"`) || inputValue(page, "decided_from") != "bad" || !strings.Contains(page, fmt.Sprintf(`id="case-%d"`, w.case2)) {
			t.Errorf("a bad date: %d, want the list with the message and the value kept", st)
		}
		clerkB := newWebClient(t, e.srv.URL)
		clerkB.login("b-clerk", "password-b-clerk")
		st, page, _ = clerkB.get("/cases?item=PUB-YZD")
		if st != 200 || !strings.Contains(page, fmt.Sprintf(`id="case-%d"`, w.caseB)) || strings.Contains(page, fmt.Sprintf(`id="case-%d"`, issued)) ||
			!strings.Contains(page, `id="tab-all" href="/cases?item=PUB-YZD&amp;mine=0" class="active"`) {
			t.Errorf("/cases as B's clerk (all cases by default): %d", st)
		}
	})
}

// readRegister reads an exported register back with excelize.
func readRegister(t *testing.T, b []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open the register: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("案件登记")
	if err != nil {
		t.Fatalf("read the register: %v", err)
	}
	return rows
}

// TestCaseRegisterExport: the register of the list's filters as XLSX, read
// back with excelize: the columns offices report, the full id number or
// credit code, the decision's number and dates, the fine, the officer;
// scoped, audited, capped with a message.
func TestCaseRegisterExport(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		w := newListWorld(t, e)
		st, b, h := e.do("GET", "/api/v1/cases/export.xlsx?mine=0", e.tokens[officer], nil)
		if st != 200 || h.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
			!strings.Contains(h.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export: %d %s %s", st, h.Get("Content-Type"), b)
		}
		rows := readRegister(t, b)
		if !slices.Equal(rows[0], casework.RegisterColumns) {
			t.Errorf("head %v", rows[0])
		}
		if len(rows) != 4 {
			t.Fatalf("%d rows, want the head and A's 3 cases: %v", len(rows), rows)
		}
		var cs struct {
			Number     string `json:"number"`
			Evaluation struct {
				Penalties []struct {
					Type   string  `json:"type"`
					Amount float64 `json:"amount"`
				} `json:"penalties"`
			} `json:"evaluation"`
		}
		e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d", w.issued.CaseID), e.tokens[officer], nil, 200, &cs)
		fine := 0.0
		for _, p := range cs.Evaluation.Penalties {
			if p.Type == "fine" {
				fine += p.Amount
			}
		}
		r := rows[1]                                                                                                                                                       // filing order: the issued case first
		want := map[int]string{0: cs.Number, 1: "示例化工有限公司", 2: "91330421MA28ABCDE4", 9: "2022-05-12", 10: w.issued.IssueDate, 11: w.issued.IssueDate, 12: "u-officer、李执法"} // the two officers the case names
		for i, v := range want {
			if r[i] != v {
				t.Errorf("register column %s = %q, want %q", casework.RegisterColumns[i], r[i], v)
			}
		}
		if !strings.Contains(r[3], "PUB-YZD") || !strings.Contains(r[4], w.issued.Number) || !strings.Contains(r[5], "《") ||
			!strings.Contains(r[6], "罚款") || fine == 0 || r[7] != fmt.Sprintf("%s", excelMoney(fine)) {
			t.Errorf("register row %q (fine %v)", r, fine)
		}
		if d := rows[3]; d[0] == "" || d[12] != "王二" || d[10] != "" || !strings.Contains(d[4], "尚未决定") {
			t.Errorf("the undecided case's row %q", d)
		}
		// The same filters as the list.
		st, b, _ = e.do("GET", "/api/v1/cases/export.xlsx?item=PUB-ORDER&from=2026-01-01", e.tokens[officer], nil)
		if rows := readRegister(t, b); st != 200 || len(rows) != 2 || rows[1][12] != "王二" {
			t.Errorf("filtered export: %d %v", st, rows)
		}
		st, b, _ = e.do("GET", "/api/v1/cases/export.xlsx?mine=1&decided_from="+w.today, e.tokens[officer], nil)
		if rows := readRegister(t, b); st != 200 || len(rows) != 2 || rows[1][0] != cs.Number {
			t.Errorf("my decided cases: %d %v", st, rows)
		}
		// Scoped: B's staff export B's case only.
		st, b, _ = e.do("GET", "/api/v1/cases/export.xlsx", w.tokens[clerk], nil)
		if rows := readRegister(t, b); st != 200 || len(rows) != 2 || strings.Contains(fmt.Sprint(rows), cs.Number) {
			t.Errorf("B's export: %d %v", st, rows)
		}
		// The page's button: the same file through the session.
		web := e.signIn(t, officer)
		st, page, h := web.get("/cases/export.xlsx?mine=0&status=executing")
		if rows := readRegister(t, []byte(page)); st != 200 || len(rows) != 2 || rows[1][0] != cs.Number || !strings.Contains(h.Get("Content-Disposition"), "filename*=UTF-8''") {
			t.Errorf("web export: %d %v", st, rows)
		}
		// Audited.
		log, err := e.store.AuditLog(t.Context(), "case", 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, l := range log {
			if l.Action == "export_cases" {
				n++
				if l.Username == "u-officer" && strings.Contains(l.Detail, "item=PUB-ORDER") && !strings.Contains(l.Detail, "rows=1") {
					t.Errorf("audit detail %q", l.Detail)
				}
			}
		}
		if n != 5 {
			t.Errorf("%d export entries in the audit log, want 5", n)
		}
		// Capped, with a message; bad dates named.
		old := casework.MaxExportRows
		casework.MaxExportRows = 2
		defer func() { casework.MaxExportRows = old }()
		var ae apiError
		e.doJSON("GET", "/api/v1/cases/export.xlsx?mine=0", e.tokens[officer], nil, 422, &ae)
		if !strings.Contains(ae.Error.Message, "共3件") || !strings.Contains(ae.Error.Message, "上限2件") {
			t.Errorf("over the cap: %+v", ae.Error)
		}
		e.doJSON("GET", "/api/v1/cases/export.xlsx?mine=0&item=PUB-YZD", e.tokens[officer], nil, 200, nil)
		if st, page, _ := web.get("/cases/export.xlsx?mine=0"); st != 422 || !strings.Contains(page, "缩小筛选范围") {
			t.Errorf("web export over the cap: %d", st)
		}
		e.doJSON("GET", "/api/v1/cases/export.xlsx?to=2026-02-30", e.tokens[officer], nil, 422, &ae)
	})
}

// excelMoney is an amount as excelize reads back a cell of format 4.
func excelMoney(x float64) string {
	s := fmt.Sprintf("%.2f", x)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String() + "." + frac
}
