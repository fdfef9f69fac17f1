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

	"penaltydoc/models"
	"penaltydoc/models/dbtest"
	"penaltydoc/rules"
)

type supRow struct {
	CaseID uint   `json:"case_id"`
	Check  string `json:"check"`
	State  string `json:"state"`
	Due    string `json:"due"`
	Note   string `json:"note"`
}

type supReport struct {
	Today  string         `json:"today"`
	Cases  int            `json:"cases"`
	Totals map[string]int `json:"totals"`
	Total  int            `json:"total"`
	Rows   []supRow       `json:"rows"`
	Counts []struct {
		Check   string `json:"check"`
		Overdue int    `json:"overdue"`
		Due     int    `json:"due"`
		OK      int    `json:"ok"`
	} `json:"counts"`
}

// supervisionCases: a decided, served penalty case (issueDecision) and an
// open case filed today of the same authority; answers both ids.
func supervisionCases(t *testing.T, e *testEnv) (decided issuedDoc, open uint) {
	t.Helper()
	decided = issueDecision(t, e)
	var cs struct {
		AuthorityID float64 `json:"authority_id"`
	}
	e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d", decided.CaseID), e.tokens[officer], nil, 200, &cs)
	facts := loadPublicCases(t).Cases[1].Facts
	facts["authority_id"] = cs.AuthorityID
	var created struct {
		ID uint `json:"id"`
	}
	e.doJSON("POST", "/api/v1/cases", e.tokens[officer], facts, 201, &created)
	return decided, created.ID
}

func rowOf(rep supReport, caseID uint, check string) *supRow {
	for i := range rep.Rows {
		if rep.Rows[i].CaseID == caseID && rep.Rows[i].Check == check {
			return &rep.Rows[i]
		}
	}
	return nil
}

// TestSupervisionAPI: the JSON rows turn 临期 and 超期 as the clock moves;
// the filters; the head's extension moves the last day and only the head
// may record it; another office's staff see none of it; the XLSX exports
// read back.
func TestSupervisionAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		dec, open := supervisionCases(t, e)
		clock := useClock(e)
		// Moving the clock ends the sessions: sign in again after each move.
		move := func(d time.Duration) {
			t.Helper()
			clock.set(d)
			for _, role := range []string{officer, approver} {
				e.tokens[role] = login(t, e.srv.URL, "u-"+role, "password-"+role)
			}
		}
		get := func(q string) supReport {
			t.Helper()
			var rep supReport
			e.doJSON("GET", "/api/v1/supervision"+q, e.tokens[approver], nil, 200, &rep)
			return rep
		}
		rep := get("?check=decision_period")
		r := rowOf(rep, open, "decision_period")
		if r == nil || r.State != "ok" || rep.Cases < 2 {
			t.Fatalf("today: %+v (%d cases)", r, rep.Cases)
		}
		if d := rowOf(rep, dec.CaseID, "decision_period"); d == nil || d.State != "ok" || !strings.Contains(d.Note, "已于") {
			t.Errorf("decided case: %+v", d)
		}
		for _, row := range rep.Rows {
			if row.Check != "decision_period" {
				t.Errorf("check filter let %s through", row.Check)
			}
		}
		move(80 * 24 * time.Hour)
		if r := rowOf(get("?check=decision_period"), open, "decision_period"); r == nil || r.State != "due" {
			t.Fatalf("day 80: %+v", r)
		}
		if r := rowOf(get("?check=payment"), dec.CaseID, "payment"); r == nil || r.State != "overdue" {
			t.Errorf("payment on day 80: %+v", r)
		}
		if r := rowOf(get("?check=reminder"), dec.CaseID, "reminder"); r == nil || r.State != "due" {
			t.Errorf("reminder on day 80: %+v", r)
		}
		// Only the head extends; then the last day is the extension's.
		body := map[string]string{"deadline": time.Now().In(chinaZone).Add(130 * 24 * time.Hour).Format("2006-01-02"), "reason": "案情复杂，需要补充检验检测报告"}
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/extension", open), e.tokens[officer], body, 403, nil)
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/extension", open), e.tokens[approver], map[string]string{"deadline": "2020-01-01", "reason": "案情复杂，需要补充检验检测报告"}, 422, nil)
		var extended struct {
			Extension struct {
				Deadline string `json:"deadline"`
			} `json:"extension"`
		}
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/extension", open), e.tokens[approver], body, 200, &extended)
		if extended.Extension.Deadline != body["deadline"] {
			t.Errorf("the case answered: %+v", extended)
		}
		if r := rowOf(get("?check=decision_period"), open, "decision_period"); r == nil || r.State != "ok" || r.Due != body["deadline"] || !strings.Contains(r.Note, "批准延长") {
			t.Fatalf("extended: %+v", r)
		}
		move(140 * 24 * time.Hour)
		rep = get("?state=overdue")
		if r := rowOf(rep, open, "decision_period"); r == nil || r.State != "overdue" {
			t.Fatalf("day 140: %+v", r)
		}
		for _, row := range rep.Rows {
			if row.State != "overdue" {
				t.Errorf("state filter let %s through", row.State)
			}
		}
		if rep.Totals["overdue"] != rep.Total || rep.Total == 0 {
			t.Errorf("totals %v of %d", rep.Totals, rep.Total)
		}
		var digest struct{ Overdue, Due int }
		e.doJSON("GET", "/api/v1/supervision/digest", e.tokens[approver], nil, 200, &digest)
		if digest.Overdue != 2 {
			t.Errorf("digest %+v: want both cases overdue", digest)
		}
		e.doJSON("GET", "/api/v1/supervision?state=late", e.tokens[approver], nil, 422, nil)
		e.doJSON("GET", "/api/v1/supervision?from=2026-13-01", e.tokens[approver], nil, 422, nil)

		// The export: every row of the filters, the counts on a sheet.
		st, b, h := e.do("GET", "/api/v1/supervision/export.xlsx?state=overdue", e.tokens[approver], nil)
		if st != 200 || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export %d %s", st, b)
		}
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows("执法监督")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rows[0], []string{"监督事项", "状态", "期限", "说明", "立案编号", "当事人", "执法机关", "承办人", "案件状态"}) || len(rows) != rep.Total+1 {
			t.Fatalf("export head %v, %d rows for %d", rows[0], len(rows)-1, rep.Total)
		}
		found := false
		for _, row := range rows[1:] {
			if row[0] == "立案后九十日内作出决定" && row[1] == "超期" {
				found = true
			}
			if row[1] != "超期" {
				t.Errorf("exported row %v", row)
			}
		}
		if !found {
			t.Errorf("no overdue decision period row in %v", rows)
		}
		counts, err := x.GetRows("监督事项统计")
		if err != nil || len(counts) != 1+len(rules.SupervisionChecks) || counts[1][0] != "立案后九十日内作出决定" {
			t.Errorf("counts sheet %v %v", counts, err)
		}
	})
}

// TestStatisticsAPI: the period's figures and the annual table, in JSON
// and as XLSX read back.
func TestStatisticsAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		dec, _ := supervisionCases(t, e)
		today := time.Now().In(chinaZone).Format("2006-01-02")
		from := today[:4] + "-01-01"
		var st struct {
			Filed        int     `json:"filed"`
			Decisions    int     `json:"decisions"`
			FinesImposed float64 `json:"fines_imposed"`
			LegalReviews int     `json:"legal_reviews"`
			ByProcedure  []struct {
				Key   string `json:"key"`
				Count int    `json:"count"`
			} `json:"by_procedure"`
			ByOutcome []struct {
				Key   string `json:"key"`
				Label string `json:"label"`
				Count int    `json:"count"`
			} `json:"by_outcome"`
			Annual []struct {
				Code       string  `json:"code"`
				Decisions  int     `json:"decisions"`
				FineAmount float64 `json:"fine_amount"`
			} `json:"annual"`
		}
		e.doJSON("GET", "/api/v1/statistics?from="+from+"&to="+today, e.tokens[reviewer], nil, 200, &st)
		if st.Decisions != 1 || st.Filed != 2 || st.FinesImposed <= 0 || st.LegalReviews != 1 {
			t.Fatalf("statistics %+v", st)
		}
		if len(st.ByOutcome) != 1 || st.ByOutcome[0].Key != "penalty" || st.ByOutcome[0].Label != "给予行政处罚" || len(st.ByProcedure) != 1 || st.ByProcedure[0].Key != "general" {
			t.Errorf("breakdowns %+v %+v", st.ByOutcome, st.ByProcedure)
		}
		if len(st.Annual) != 1 || st.Annual[0].Decisions != 1 || st.Annual[0].FineAmount != st.FinesImposed {
			t.Errorf("annual %+v", st.Annual)
		}
		e.doJSON("GET", "/api/v1/statistics?from="+today+"&to="+from+"x", e.tokens[reviewer], nil, 422, nil)
		e.doJSON("GET", "/api/v1/statistics?from=2020-01-01&to=2026-12-31", e.tokens[reviewer], nil, 422, nil)
		st2, b, _ := e.do("GET", "/api/v1/statistics/export.xlsx?from="+from+"&to="+today, e.tokens[reviewer], nil)
		if st2 != 200 {
			t.Fatalf("export %d %s", st2, b)
		}
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows("行政处罚统计年报")
		if err != nil || len(rows) != 3 {
			t.Fatalf("annual sheet %v %v", rows, err)
		}
		if rows[0][2] != "违法行为（事项）" || rows[1][1] != st.Annual[0].Code || rows[1][4] != "1" || rows[2][2] != "合计" || rows[2][4] != "1" {
			t.Errorf("annual rows %v", rows)
		}
		if _, err := x.GetRows("分类统计"); err != nil {
			t.Error(err)
		}
		_ = dec
		// Another office sees nothing of it.
		var other struct{ Decisions int }
		e.doJSON("GET", "/api/v1/statistics?from="+from+"&to="+today, otherOfficeToken(t, e), nil, 200, &other)
		if other.Decisions != 0 {
			t.Errorf("another office sees %d decisions", other.Decisions)
		}
	})
}

// TestSupervisionPages: the pages render for each role and the start page
// carries the digest.
func TestSupervisionPages(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	_, open := supervisionCases(t, e)
	ext := fmt.Sprintf("/cases/%d/extension", open)
	if st, b := e.page(t, approver, ext); st != 200 || !strings.Contains(b, "第六十条") || !strings.Contains(b, `id="extension-form"`) {
		t.Errorf("extension page %d", st)
	}
	if st, _ := e.page(t, officer, ext); st != 403 {
		t.Errorf("extension page for an officer: %d", st)
	}
	head := e.signIn(t, approver)
	if st, b, _ := head.post(ext, url.Values{"csrf_token": {head.csrf}, "deadline": {"2020-01-01"}, "reason": {"案情复杂，需要补充检验检测报告"}}); st != 422 || !strings.Contains(b, "应晚于") {
		t.Errorf("an earlier deadline: %d", st)
	}
	later := time.Now().In(chinaZone).AddDate(0, 4, 0).Format("2006-01-02")
	if st, _, h := head.post(ext, url.Values{"csrf_token": {head.csrf}, "deadline": {later}, "reason": {"案情复杂，需要补充检验检测报告"}}); st != 303 || h.Get("Location") != "/supervision?done=extended" {
		t.Errorf("extension: %d %s", st, h.Get("Location"))
	}
	if st, b := e.page(t, approver, ext); st != 200 || !strings.Contains(b, "批准延长至") {
		t.Errorf("extension page after: %d", st)
	}
	for _, role := range []string{officer, reviewer, approver, clerk} {
		for _, path := range []string{"/supervision", "/statistics", "/cases"} {
			st, b := e.page(t, role, path)
			if st != 200 {
				t.Fatalf("%s %s: %d", role, path, st)
			}
			switch path {
			case "/supervision":
				if !strings.Contains(b, `id="sup-counts"`) || !strings.Contains(b, "立案后九十日内作出决定") {
					t.Errorf("%s supervision page", role)
				}
			case "/statistics":
				if !strings.Contains(b, "<svg") || !strings.Contains(b, "行政处罚") {
					t.Errorf("%s statistics page without its chart", role)
				}
			case "/cases":
				if !strings.Contains(b, `id="digest"`) {
					t.Errorf("%s start page without the digest", role)
				}
			}
		}
	}
}

var chinaZone = models.China

// otherOfficeToken signs in a reviewer of a new office of its own.
func otherOfficeToken(t *testing.T, e *testEnv) string {
	t.Helper()
	auth := map[string]any{}
	for k, v := range loadPublicCases(t).Authority {
		auth[k] = v
	}
	auth["name"], auth["short_name"], auth["number_prefix"] = "丙县市场监管局", "丙县市监", "丙市监处罚"
	var b map[string]any
	e.doJSON("POST", "/api/v1/authorities", e.tokens[admin], auth, 201, &b)
	e.doJSON("POST", "/api/v1/users", e.tokens[admin], map[string]any{"username": "c-reviewer", "password": "password-c-reviewer",
		"roles": []string{reviewer}, "authority_id": b["id"]}, 201, nil)
	return login(t, e.srv.URL, "c-reviewer", "password-c-reviewer")
}

// page fetches a staff page as role's user.
func (e *testEnv) page(t *testing.T, role, path string) (int, string) {
	t.Helper()
	st, b, _ := e.signIn(t, role).get(path)
	return st, b
}
