package main

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"penaltydoc/models"
)

// trafficCase is the TR-001 first-violation warning (an on-the-spot
// decision of the seeded traffic police) with the officers given.
func trafficCase(officers []uint) map[string]any {
	c := map[string]any{
		"authority_id": 3, "violation_code": "TR-001",
		"party":          map[string]any{"kind": "person", "name": "张某", "id_number": "33110219880719016X", "address": "丽水市莲都区某路3号"},
		"violation_date": "2026-10-08", "discovered_date": "2026-10-08", "decision_date": "2026-10-12",
		"facts": "当事人驾驶浙K·A1234号小型轿车在右转车道内直行，未影响其他车辆正常通行。", "harm": "none",
	}
	if officers != nil {
		c["officer_ids"] = officers
	}
	return c
}

type caseResp struct {
	ID         uint   `json:"id"`
	Status     string `json:"status"`
	OfficerIDs []uint `json:"officer_ids"`
	Officers   []struct {
		ID                uint   `json:"id"`
		CertificateNumber string `json:"certificate_number"`
	} `json:"officers"`
	Facts struct {
		Facts string `json:"facts"`
		Party struct {
			Address string `json:"address"`
		} `json:"party"`
	} `json:"facts"`
	WithdrawnReason string `json:"withdrawn_reason"`
}

// newUser creates a user through the API and returns its id.
func (e *testEnv) newUser(t *testing.T, body map[string]any) uint {
	t.Helper()
	var u struct {
		ID                uint   `json:"id"`
		CertificateNumber string `json:"certificate_number"`
		Area              string `json:"area"`
	}
	e.doJSON("POST", "/api/v1/users", e.tokens[admin], body, 201, &u)
	if u.CertificateNumber != fmt.Sprint(body["certificate_number"]) && body["certificate_number"] != nil {
		t.Fatalf("user %+v: certificate number not kept", u)
	}
	return u.ID
}

// TestOfficersRule: a case names officers of its authority only (422
// otherwise, another authority's alike), and is not submitted before two
// of them hold a certificate (APL Art. 42); the case answers its officers.
func TestOfficersRule(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		me, partner := e.officerIDs[0], e.officerIDs[1]
		// Another authority's certified officer; an uncertified officer of
		// the traffic police; a clerk (not an officer) of it.
		stranger := e.newUser(t, map[string]any{"username": "x-officer", "password": "password-x-1", "roles": []string{"officer"},
			"authority_id": 1, "certificate_number": "33019999999", "area": "西湖区"})
		uncertified := e.newUser(t, map[string]any{"username": "n-officer", "password": "password-n-1", "roles": []string{"officer"}, "authority_id": 3})
		clerkID := e.newUser(t, map[string]any{"username": "c-clerk", "password": "password-c-1", "roles": []string{"clerk"},
			"authority_id": 3, "certificate_number": "33118888888"})
		// The traffic police's cases: the env officers serve it too.
		for _, tc := range []struct {
			name     string
			officers []uint
			create   int    // status of filing
			submit   int    // status of the first submit (0: not tried)
			field    string // the field a 422 names
		}{
			{"two certified officers", []uint{me, partner}, 201, 200, ""},
			// A traffic warning on the spot: one certified officer (道路交通安全法 Art. 107).
			{"the filing officer by default", nil, 201, 200, ""},
			{"one certified, one not", []uint{me, uncertified}, 201, 200, ""},
			{"none certified", []uint{uncertified}, 201, 409, ""},
			{"another authority's officer", []uint{me, stranger}, 422, 0, "officer_ids"},
			{"a clerk is no officer", []uint{me, clerkID}, 422, 0, "officer_ids"},
			{"a missing user", []uint{me, 999999}, 422, 0, "officer_ids"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				body := trafficCase(tc.officers)
				if tc.officers == nil {
					body["officer_ids"] = []uint{} // explicit: none named, so the default applies
				}
				if tc.create == 422 {
					ae := e.wantField(t, "POST", "/api/v1/cases", e.tokens[officer], body, 422, tc.field)
					if !strings.Contains(ae.Error.Fields[tc.field], "不是本案执法机关的执法人员") {
						t.Errorf("message %q", ae.Error.Fields[tc.field])
					}
					return
				}
				var cs caseResp
				e.doJSON("POST", "/api/v1/cases", e.tokens[officer], body, 201, &cs)
				want := tc.officers
				if want == nil {
					want = []uint{me}
				}
				if fmt.Sprint(cs.OfficerIDs) != fmt.Sprint(want) || len(cs.Officers) != len(want) {
					t.Fatalf("officers %v %+v, want %v", cs.OfficerIDs, cs.Officers, want)
				}
				if want[0] == me && cs.Officers[0].CertificateNumber != "33010000001" {
					t.Errorf("officer %+v lacks the certificate", cs.Officers[0])
				}
				var d docResp
				e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], nil, 201, &d)
				st, b, _ := e.do("POST", e.docPath(d.ID, "submit"), e.tokens[officer], nil)
				if st != tc.submit {
					t.Fatalf("submit: %d %s, want %d", st, b, tc.submit)
				}
				if st == 409 && !strings.Contains(string(b), "当场处罚决定须由持有执法证件的交通警察作出") {
					t.Errorf("submit refused with %s", b)
				}
				if st == 409 { // naming a second certified officer lets it go
					e.doJSON("PUT", fmt.Sprintf("/api/v1/cases/%d", cs.ID), e.tokens[officer], trafficCase([]uint{me, partner}), 200, &cs)
					e.doJSON("GET", e.docPath(d.ID, ""), e.tokens[officer], nil, 200, &d)
					if d.Status == "draft" { // an edit keeps the draft current when the facts are the same
						e.doJSON("POST", e.docPath(d.ID, "submit"), e.tokens[officer], nil, 200, &d)
					}
				}
			})
		}
		// The certificate is edited through the user API.
		e.doJSON("PUT", fmt.Sprintf("/api/v1/users/%d", uncertified), e.tokens[admin], map[string]any{"certificate_number": "33117777777", "area": "莲都区"}, 200, nil)
		var cs caseResp
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], trafficCase([]uint{me, uncertified}), 201, &cs)
		var d docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], nil, 201, &d)
		d = e.approve(t, d.ID)
		e.doJSON("POST", e.docPath(d.ID, "issue"), e.tokens[clerk], nil, 200, &d)
		pdf, _ := e.store.DocumentPDF(t.Context(), models.Everything, d.ID)
		for _, want := range []string{"33010000001", "33117777777", "执法证号"} {
			if !strings.Contains(pdf.DataJSON, want) {
				t.Errorf("the issued decision's data lacks %q", want)
			}
		}
		// The admin form keeps the certificate too.
		w := e.signIn(t, admin)
		st, page, _ := w.get(fmt.Sprintf("/admin/users/%d", uncertified))
		if st != 200 || inputValue(page, "certificate_number") != "33117777777" || inputValue(page, "area") != "莲都区" {
			t.Errorf("user page: %d, certificate %q", st, inputValue(page, "certificate_number"))
		}
		if st, _, h := w.post(fmt.Sprintf("/admin/users/%d", uncertified), url.Values{"display_name": {"赵警官"}, "roles": {"officer"},
			"authority_id": {"3"}, "active": {"1"}, "certificate_number": {"33116666666"}, "area": {"莲都区"}}); st != 303 {
			t.Errorf("user form: %d %s", st, h.Get("Location"))
		}
		u, err := e.store.UserByID(t.Context(), uncertified)
		if err != nil || u.CertificateNumber != "33116666666" || u.DisplayName != "赵警官" {
			t.Errorf("after the form: %+v %v", u, err)
		}
	})
}

// TestWithdraw: a draft document and a case not yet submitted are
// withdrawn with a reason: kept, marked, audited, out of the default list,
// never submitted afterwards; a submitted case is not withdrawn.
func TestWithdraw(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		var cs caseResp
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], trafficCase(nil), 201, &cs)
		var d, d2 docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], nil, 201, &d)
		for _, tc := range []struct {
			name, path, token string
			body              any
			status            int
		}{
			{"no reason", e.docPath(d.ID, "withdraw"), e.tokens[officer], map[string]string{"reason": " "}, 422},
			{"a clerk may not", e.docPath(d.ID, "withdraw"), e.tokens[clerk], map[string]string{"reason": "重复制作"}, 403},
			{"the officer withdraws the draft", e.docPath(d.ID, "withdraw"), e.tokens[officer], map[string]string{"reason": "重复制作"}, 200},
			{"twice", e.docPath(d.ID, "withdraw"), e.tokens[officer], map[string]string{"reason": "重复制作"}, 409},
			{"a withdrawn draft is not submitted", e.docPath(d.ID, "submit"), e.tokens[officer], nil, 409},
		} {
			if st, b, _ := e.do("POST", tc.path, tc.token, tc.body); st != tc.status {
				t.Errorf("%s: %d %s, want %d", tc.name, st, b, tc.status)
			}
		}
		e.doJSON("GET", e.docPath(d.ID, ""), e.tokens[officer], nil, 200, &d)
		if d.Status != "withdrawn" {
			t.Errorf("document %s", d.Status)
		}
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], nil, 201, &d2)
		// The case: withdrawn (撤案) by the head, not the officer alone, with
		// its remaining draft.
		if st, b, _ := e.do("POST", fmt.Sprintf("/api/v1/cases/%d/withdraw", cs.ID), e.tokens[officer], map[string]string{"reason": "当事人身份录入错误"}); st != 403 ||
			!strings.Contains(string(b), "须经行政机关负责人批准") {
			t.Errorf("the officer withdraws the case: %d %s", st, b)
		}
		e.wantField(t, "POST", fmt.Sprintf("/api/v1/cases/%d/withdraw", cs.ID), e.tokens[approver], map[string]string{}, 422, "reason")
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/withdraw", cs.ID), e.tokens[approver], map[string]string{"reason": "当事人身份录入错误，重新立案"}, 200, &cs)
		if cs.Status != "withdrawn" || cs.WithdrawnReason != "当事人身份录入错误，重新立案" {
			t.Fatalf("case %+v", cs)
		}
		e.doJSON("GET", e.docPath(d2.ID, ""), e.tokens[officer], nil, 200, &d2)
		if d2.Status != "withdrawn" {
			t.Errorf("the case's draft is %s", d2.Status)
		}
		for _, tc := range []struct {
			name, method, path string
			body               any
		}{
			{"edit", "PUT", fmt.Sprintf("/api/v1/cases/%d", cs.ID), trafficCase(nil)},
			{"draft", "POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), nil},
			{"submit", "POST", e.docPath(d2.ID, "submit"), nil},
			{"withdraw again", "POST", fmt.Sprintf("/api/v1/cases/%d/withdraw", cs.ID), map[string]string{"reason": "再次撤回"}},
		} {
			token := e.tokens[officer]
			if tc.name == "withdraw again" {
				token = e.tokens[approver]
			}
			if st, b, _ := e.do(tc.method, tc.path, token, tc.body); st != 409 {
				t.Errorf("%s of a withdrawn case: %d %s", tc.name, st, b)
			}
		}
		// Out of the default list; the filter shows it.
		var list struct {
			Cases []struct {
				ID uint `json:"id"`
			} `json:"cases"`
		}
		listed := func(q string) bool {
			e.doJSON("GET", "/api/v1/cases"+q, e.tokens[officer], nil, 200, &list)
			for _, c := range list.Cases {
				if c.ID == cs.ID {
					return true
				}
			}
			return false
		}
		if listed("") || !listed("?status=withdrawn") {
			t.Errorf("withdrawn case listed by default %v / not under the filter", listed(""))
		}
		log, err := e.store.AuditLog(t.Context(), "case", cs.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, a := range log {
			found = found || (a.Action == "withdraw_case" && a.ToStatus == "withdrawn" && strings.Contains(a.Detail, "重新立案"))
		}
		if !found {
			t.Errorf("no withdraw_case audit entry in %+v", log)
		}
		// A submitted case is not withdrawn.
		var open caseResp
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], trafficCase(nil), 201, &open)
		var od docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", open.ID), e.tokens[officer], nil, 201, &od)
		e.doJSON("POST", e.docPath(od.ID, "submit"), e.tokens[officer], nil, 200, &od)
		if st, b, _ := e.do("POST", fmt.Sprintf("/api/v1/cases/%d/withdraw", open.ID), e.tokens[approver], map[string]string{"reason": "x"}); st != 409 {
			t.Errorf("withdrawing a submitted case: %d %s", st, b)
		}
		if st, b, _ := e.do("POST", e.docPath(od.ID, "withdraw"), e.tokens[officer], map[string]string{"reason": "x"}); st != 409 {
			t.Errorf("withdrawing a document under review: %d %s", st, b)
		}
	})
}

// TestCorrectionChangesFacts: a correction opens a revision of the facts
// with its reason; the revision is edited; the issued correction states
// each change (before → after) and the reason, supersedes the original
// (which stays downloadable and verifiable) and becomes the case's facts.
func TestCorrectionChangesFacts(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		var cs caseResp
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], trafficCase(nil), 201, &cs)
		var orig docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], nil, 201, &orig)
		orig = e.approve(t, orig.ID)
		e.doJSON("POST", e.docPath(orig.ID, "issue"), e.tokens[clerk], nil, 200, &orig)
		var corr struct {
			docResp
			CorrectionReason string `json:"correction_reason"`
			RevisionFacts    *struct {
				Facts string `json:"facts"`
			} `json:"revision_facts"`
		}
		e.doJSON("POST", e.docPath(orig.ID, "correct"), e.tokens[officer], map[string]string{"reason": "住址录入有误"}, 201, &corr)
		if corr.RevisionFacts == nil || corr.RevisionFacts.Facts != cs.Facts.Facts || corr.CorrectionReason != "住址录入有误" {
			t.Fatalf("correction %+v", corr)
		}
		revised := trafficCase(nil)
		revised["party"].(map[string]any)["address"] = "丽水市莲都区某路33号"
		revised["facts"] = "当事人驾驶浙K·A1234号小型轿车在右转专用车道内直行，未影响其他车辆正常通行。"
		for _, tc := range []struct {
			name   string
			body   map[string]any
			token  string
			status int
		}{
			{"no reason", map[string]any{"reason": ""}, e.tokens[officer], 422},
			{"another item", merge(trafficCase(nil), map[string]any{"violation_code": "TR-002", "reason": "改为其他事项"}), e.tokens[officer], 422},
			{"the penalty changes", merge(revised, map[string]any{"affected_traffic": true, "reason": "是否影响通行认定有误"}), e.tokens[officer], 409},
			{"a clerk may not", merge(revised, map[string]any{"reason": "住址及违法事实录入有误"}), e.tokens[clerk], 403},
			{"the officer revises", merge(revised, map[string]any{"reason": "住址及违法事实录入有误"}), e.tokens[officer], 200},
		} {
			if st, b, _ := e.do("PUT", e.docPath(corr.ID, "revision"), tc.token, tc.body); st != tc.status {
				t.Errorf("%s: %d %s, want %d", tc.name, st, b, tc.status)
			}
		}
		// The original stays valid until the correction is issued.
		var o docResp
		e.doJSON("GET", e.docPath(orig.ID, ""), e.tokens[officer], nil, 200, &o)
		if o.Status != "issued" {
			t.Fatalf("original %s before the correction is issued", o.Status)
		}
		e.approve(t, corr.ID)
		if st, b, _ := e.do("PUT", e.docPath(corr.ID, "revision"), e.tokens[officer], merge(revised, map[string]any{"reason": "再改"})); st != 409 {
			t.Errorf("revising a submitted correction: %d %s", st, b)
		}
		var issued docResp
		e.doJSON("POST", e.docPath(corr.ID, "issue"), e.tokens[clerk], nil, 200, &issued)
		e.doJSON("GET", e.docPath(orig.ID, ""), e.tokens[officer], nil, 200, &o)
		if o.Status != "superseded" || o.SupersededByID == nil || *o.SupersededByID != corr.ID || o.SHA256 != orig.SHA256 {
			t.Errorf("original after the correction: %+v", o)
		}
		pdf, _ := e.store.DocumentPDF(t.Context(), models.Everything, corr.ID)
		for _, want := range []string{"住址及违法事实录入有误", "丽水市莲都区某路3号", "丽水市莲都区某路33号", "右转专用车道", orig.Number} {
			if !strings.Contains(pdf.DataJSON, want) {
				t.Errorf("the correction's data lacks %q", want)
			}
		}
		e.doJSON("GET", fmt.Sprintf("/api/v1/cases/%d", cs.ID), e.tokens[officer], nil, 200, &cs)
		if cs.Facts.Party.Address != "丽水市莲都区某路33号" {
			t.Errorf("the case's facts after the correction: %+v", cs.Facts)
		}
		// Both are downloadable and verifiable.
		for _, d := range []docResp{orig, issued} {
			st, body, _ := e.do("GET", strings.TrimPrefix(d.VerifyURL, "https://penaltydoc.example"), "", nil)
			if st != 200 || !strings.Contains(string(body), d.Number) {
				t.Errorf("verify %s: %d", d.Number, st)
			}
			dl, b, _ := e.do("POST", "/public/download", "", map[string]string{"number": d.Number, "access_code": d.AccessCode})
			if dl != 200 || !strings.HasPrefix(string(b), "%PDF") {
				t.Errorf("download %s: %d", d.Number, dl)
			}
		}
	})
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// TestWebOfficersWithdrawCorrect: the staff pages for the same steps: the
// case form's officers (a stranger refused with every value kept), the
// withdrawal of a draft and of a case with their reasons, a correction's
// reason and its revision form.
func TestWebOfficersWithdrawCorrect(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		w := e.signIn(t, officer)
		id := func(u uint) string { return fmt.Sprint(u) }
		st, page, _ := w.get("/cases/new")
		if st != 200 || !strings.Contains(page, `<option value="`+id(e.officerIDs[0])+`" selected>`) ||
			!strings.Contains(page, `<option value="`+id(e.officerIDs[1])+`">`) || !strings.Contains(page, "33010000002") {
			t.Fatalf("new case form: %d, officers not offered as expected", st)
		}
		stranger := e.newUser(t, map[string]any{"username": "x-officer", "password": "password-x-1", "roles": []string{"officer"},
			"authority_id": 1, "certificate_number": "33019999999"})
		form := trafficForm(goodID)
		form["officer_ids"] = []string{id(e.officerIDs[0]), id(stranger)}
		st, page, _ = w.post("/cases/new", form)
		if st != 422 || !strings.Contains(page, "不是本案执法机关的执法人员") || inputValue(page, "party.name") != "李四" {
			t.Fatalf("a stranger named: %d %.300s", st, text(page))
		}
		form["officer_ids"] = []string{id(e.officerIDs[0]), id(e.officerIDs[1])}
		st, _, h := w.post("/cases/new", form)
		if st != 303 {
			t.Fatalf("new case: %d", st)
		}
		cp := strings.Split(h.Get("Location"), "?")[0]
		if st, _, _ = w.post(cp+"/documents", nil); st != 303 {
			t.Fatalf("draft: %d", st)
		}
		_, page, _ = w.get(cp)
		dp := "/documents/" + lastDoc(t, page)
		for _, tc := range []struct {
			name, path, reason string
			status             int
			flash, shows       string
		}{
			{"draft, no reason", dp + "/withdraw", "", 422, "", "请写明撤回（作废）原因"},
			{"draft", dp + "/withdraw", "重复制作", 303, "withdrawn", ""},
			{"case, by the officer", cp + "/withdraw", "当事人信息有误，重新立案", 403, "", "须经行政机关负责人批准"},
		} {
			st, page, h := w.post(tc.path, url.Values{"reason": {tc.reason}})
			if st != tc.status || (tc.flash != "" && !flashMatch(h.Get("Location"), tc.flash)) || !strings.Contains(page, tc.shows) {
				t.Errorf("%s: %d %s %.300s", tc.name, st, h.Get("Location"), text(page))
			}
		}
		// The officer's page offers no 撤回案件; the head's does, and the head withdraws.
		if _, page, _ = w.get(cp); strings.Contains(page, `id="case-withdraw"`) {
			t.Errorf("the officer is offered to withdraw the case")
		}
		hw := e.signIn(t, approver)
		if _, page, _ = hw.get(cp); !strings.Contains(page, `id="case-withdraw"`) {
			t.Errorf("the head is not offered to withdraw the case: %.300s", text(page))
		}
		for _, tc := range []struct {
			name, path, reason string
			status             int
			flash, shows       string
		}{
			{"case, no reason", cp + "/withdraw", "", 422, "", "请写明撤回（作废）原因"},
			{"case", cp + "/withdraw", "当事人信息有误，重新立案", 303, "case_withdrawn", ""},
		} {
			st, page, h := hw.post(tc.path, url.Values{"reason": {tc.reason}})
			if st != tc.status || (tc.flash != "" && !flashMatch(h.Get("Location"), tc.flash)) || !strings.Contains(page, tc.shows) {
				t.Errorf("%s: %d %s %.300s", tc.name, st, h.Get("Location"), text(page))
			}
		}
		_, page, _ = w.get(cp)
		if !strings.Contains(page, `id="case-withdrawn"`) || !strings.Contains(page, "作废原因：重复制作") || strings.Contains(page, `action="`+cp+`/withdraw"`) {
			t.Errorf("withdrawn case page: %.500s", text(page))
		}

		// A correction: the reason first, then the revision form.
		var cs caseResp
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], trafficCase(nil), 201, &cs)
		var orig docResp
		e.doJSON("POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), e.tokens[officer], nil, 201, &orig)
		orig = e.approve(t, orig.ID)
		e.doJSON("POST", e.docPath(orig.ID, "issue"), e.tokens[clerk], nil, 200, &orig)
		op := fmt.Sprintf("/documents/%d", orig.ID)
		if st, page, _ := w.post(op+"/correct", url.Values{"reason": {""}}); st != 422 || !strings.Contains(page, "请写明更正原因") {
			t.Errorf("correction without a reason: %d", st)
		}
		st, _, h = w.post(op+"/correct", url.Values{"reason": {"住址有误"}})
		if st != 303 || !strings.HasSuffix(strings.Split(h.Get("Location"), "?")[0], "/revision") {
			t.Fatalf("correct: %d %s", st, h.Get("Location"))
		}
		rp := strings.Split(h.Get("Location"), "?")[0]
		st, page, _ = w.get(rp)
		if st != 200 || inputValue(page, "party.address") != "丽水市莲都区某路3号" || !strings.Contains(page, "住址有误") {
			t.Fatalf("revision form: %d", st)
		}
		rev := trafficForm(goodID)
		rev.Set("party.name", "张某")
		rev.Set("party.id_number", "33110219880719016X")
		rev.Set("party.address", "丽水市莲都区某路33号")
		rev.Set("violation_date", "2026-10-08")
		rev.Set("discovered_date", "2026-10-08")
		rev.Set("decision_date", "2026-10-12")
		rev.Set("reason", "")
		if st, page, _ := w.post(rp, rev); st != 422 || !strings.Contains(page, "请写明更正原因") || inputValue(page, "party.address") != "丽水市莲都区某路33号" {
			t.Errorf("revision without a reason: %d, values kept %q", st, inputValue(page, "party.address"))
		}
		rev.Set("reason", "住址录入有误")
		if st, _, h := w.post(rp, rev); st != 303 || !flashMatch(h.Get("Location"), "revised") {
			t.Errorf("revision: %d %s", st, h.Get("Location"))
		}
		corrID := strings.TrimSuffix(strings.TrimPrefix(rp, "/documents/"), "/revision")
		var corr struct {
			RevisionFacts struct {
				Party struct {
					Address string `json:"address"`
				} `json:"party"`
			} `json:"revision_facts"`
			CorrectionReason string `json:"correction_reason"`
		}
		e.doJSON("GET", "/api/v1/documents/"+corrID, e.tokens[officer], nil, 200, &corr)
		if corr.RevisionFacts.Party.Address != "丽水市莲都区某路33号" || corr.CorrectionReason != "住址录入有误" {
			t.Errorf("stored revision %+v", corr)
		}
	})
}

// TestOfficersList: the officers a case may name, for an authority the
// user serves; another office's answers 404 like a missing one.
func TestOfficersList(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		stranger := e.newUser(t, map[string]any{"username": "x-officer", "password": "password-x-1", "roles": []string{"officer"}, "authority_id": 1})
		other := e.newUser(t, map[string]any{"username": "y-officer", "password": "password-y-1", "roles": []string{"officer"}, "authority_id": 2,
			"certificate_number": "Y1"})
		var list struct {
			Officers []struct {
				ID                uint   `json:"id"`
				CertificateNumber string `json:"certificate_number"`
			} `json:"officers"`
		}
		e.doJSON("GET", "/api/v1/officers?authority_id=3", e.tokens[officer], nil, 200, &list)
		var ids []uint
		for _, o := range list.Officers {
			ids = append(ids, o.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(e.officerIDs) {
			t.Errorf("officers of the traffic police %v, want %v (not %d, %d)", ids, e.officerIDs, stranger, other)
		}
		// An officer of authority 1 only does not see the officers of 2.
		tok := login(t, e.srv.URL, "x-officer", "password-x-1")
		st1, b1, _ := e.do("GET", "/api/v1/officers?authority_id=2", tok, nil)
		st2, b2, _ := e.do("GET", "/api/v1/officers?authority_id=999999", tok, nil)
		if st1 != 404 || st1 != st2 || string(b1) != string(b2) {
			t.Errorf("another office: %d %s; a missing one: %d %s", st1, b1, st2, b2)
		}
	})
}
