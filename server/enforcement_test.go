package main

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"
)

type execCase struct {
	Status       string `json:"status"`
	PaymentState string `json:"payment_state"`
	Execution    *struct {
		Fine        float64 `json:"fine"`
		Outstanding float64 `json:"outstanding"`
		PaidFine    float64 `json:"paid_fine"`
		State       string  `json:"state"`
		FinalDue    string  `json:"final_due"`
		CourtLast   string  `json:"court_last"`
		Closable    bool    `json:"closable"`
		Payments    []struct {
			Receipt string `json:"receipt"`
		} `json:"payments"`
	} `json:"execution"`
	Hearing *struct {
		Host string `json:"host"`
	} `json:"hearing"`
}

// TestEnforcementAPI takes a served penalty decision through payments, an
// approved instalment plan and closing by the head's approval, with the
// list's payment-state filter; and a hearing's notice before a decision.
func TestEnforcementAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		dec := issueDecision(t, e)
		path := fmt.Sprintf("/api/v1/cases/%d", dec.CaseID)
		var cs execCase
		e.doJSON("GET", path, e.tokens[officer], nil, 200, &cs)
		if cs.Status != "executing" || cs.PaymentState != "unpaid" || cs.Execution == nil || cs.Execution.Fine <= 0 || cs.Execution.CourtLast == "" {
			t.Fatalf("case after the decision: %+v %+v", cs, cs.Execution)
		}
		fine := cs.Execution.Fine
		listed := func(state string) bool {
			var l struct {
				Cases []struct {
					ID           uint   `json:"id"`
					PaymentState string `json:"payment_state"`
				} `json:"cases"`
			}
			e.doJSON("GET", "/api/v1/cases?payment_state="+state, e.tokens[officer], nil, 200, &l)
			for _, c := range l.Cases {
				if c.ID == dec.CaseID {
					return c.PaymentState == state
				}
			}
			return false
		}
		if !listed("unpaid") || listed("paid") {
			t.Errorf("payment-state filter: unpaid %v paid %v", listed("unpaid"), listed("paid"))
		}
		e.doJSON("GET", "/api/v1/cases?payment_state=nonsense", e.tokens[officer], nil, 422, nil)

		today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
		body := e.doJSON("POST", path+"/payments", e.tokens[clerk], map[string]any{"date": today, "amount": 0, "receipt": "X1"}, 422, nil)
		if !strings.Contains(string(body), "amount") {
			t.Errorf("zero payment: %s", body)
		}
		e.doJSON("POST", path+"/payments", e.tokens[reviewer], map[string]any{"date": today, "amount": 100, "receipt": "X1"}, 403, nil)
		e.doJSON("POST", path+"/payments", e.tokens[clerk], map[string]any{"date": today, "amount": 100, "receipt": "3301000001"}, 200, &cs)
		if cs.PaymentState != "partial" || cs.Execution.PaidFine != 100 || len(cs.Execution.Payments) != 1 {
			t.Fatalf("after a partial payment: %+v %+v", cs.PaymentState, cs.Execution)
		}
		e.doJSON("POST", path+"/deferral", e.tokens[clerk], map[string]any{}, 403, nil)
		due := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
		e.doJSON("POST", path+"/deferral", e.tokens[officer], map[string]any{"applied_date": today, "approved_date": today,
			"instalments": []map[string]any{{"due": due, "amount": fine - 200}}}, 422, nil)
		e.doJSON("POST", path+"/deferral", e.tokens[officer], map[string]any{"applied_date": today, "approved_date": today,
			"instalments": []map[string]any{{"due": due, "amount": fine - 100}}}, 200, &cs)
		if cs.PaymentState != "instalments" || cs.Execution.FinalDue != due {
			t.Fatalf("after the deferral: %s %+v", cs.PaymentState, cs.Execution)
		}
		e.doJSON("POST", path+"/documents", e.tokens[officer], map[string]string{"kind": "closing_report"}, 409, nil)
		e.doJSON("POST", path+"/payments", e.tokens[officer], map[string]any{"date": today, "amount": fine - 100, "receipt": "3301000002"}, 200, &cs)
		if cs.PaymentState != "paid" || !cs.Execution.Closable {
			t.Fatalf("after paying in full: %s %+v", cs.PaymentState, cs.Execution)
		}
		cl := e.moveToApproved(t, dec.CaseID, "closing_report")
		var issued docResp
		e.doJSON("POST", e.docPath(cl.ID, "issue"), e.tokens[clerk], nil, 200, &issued)
		if issued.Number != "" || issued.AccessCode != "" {
			t.Errorf("closing report issued with number %q code %q", issued.Number, issued.AccessCode)
		}
		e.doJSON("GET", path, e.tokens[officer], nil, 200, &cs)
		if cs.Status != "closed" {
			t.Fatalf("case after the closing report: %s", cs.Status)
		}
		e.doJSON("POST", path+"/payments", e.tokens[clerk], map[string]any{"date": today, "amount": 1, "receipt": "X"}, 409, nil)

		// The hearing of another case, before its decision.
		var first struct {
			AuthorityID uint `json:"authority_id"`
		}
		e.doJSON("GET", path, e.tokens[officer], nil, 200, &first)
		facts := loadPublicCases(t).Cases[1].Facts
		facts["authority_id"] = first.AuthorityID
		var second struct {
			ID uint `json:"id"`
		}
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], facts, 201, &second)
		caseID := second.ID
		hp := fmt.Sprintf("/api/v1/cases/%d/hearing", caseID)
		var me, off struct {
			User struct {
				ID uint `json:"id"`
			} `json:"user"`
		}
		e.doJSON("GET", "/api/v1/me", e.tokens[reviewer], nil, 200, &me)
		e.doJSON("GET", "/api/v1/me", e.tokens[officer], nil, 200, &off)
		// The hearing is arranged 22 days ago (sessions outlive a clock set back).
		clock := useClock(e)
		clock.set(-22 * 24 * time.Hour)
		cst := time.FixedZone("CST", 8*3600)
		then := time.Now().In(cst).AddDate(0, 0, -22)
		today = then.Format("2006-01-02")
		soon := then.AddDate(0, 0, 3).Format("2006-01-02")
		later := then.AddDate(0, 0, 21).Format("2006-01-02")
		h := map[string]any{"requested_date": today, "hearing_scheduled": soon, "hearing_time": "09:30", "hearing_place": "本局听证室", "host_id": me.User.ID}
		if body := e.doJSON("POST", hp, e.tokens[officer], h, 422, nil); !strings.Contains(string(body), "七日") {
			t.Errorf("a hearing 3 days away: %s", body)
		}
		h["hearing_scheduled"], h["host_id"] = later, off.User.ID
		if body := e.doJSON("POST", hp, e.tokens[officer], h, 422, nil); !strings.Contains(string(body), "非本案调查人员") {
			t.Errorf("the investigator as host: %s", body)
		}
		h["host_id"] = e.officerIDs[1] // the second officer the case names investigated too
		if body := e.doJSON("POST", hp, e.tokens[officer], h, 422, nil); !strings.Contains(string(body), "非本案调查人员") {
			t.Errorf("the second named officer as host: %s", body)
		}
		h["host_id"] = me.User.ID
		e.doJSON("POST", hp, e.tokens[officer], h, 200, &cs)
		if cs.Hearing == nil || cs.Hearing.Host == "" {
			t.Fatalf("hearing not recorded: %+v", cs.Hearing)
		}
		notice := e.moveToApproved(t, caseID, "advance_notice")
		e.doJSON("POST", e.docPath(notice.ID, "issue"), e.tokens[clerk], nil, 200, nil)
		hn := e.moveToApproved(t, caseID, "hearing_notice")
		var hi docResp
		e.doJSON("POST", e.docPath(hn.ID, "issue"), e.tokens[clerk], nil, 200, &hi)
		if !strings.Contains(hi.Number, "听告") {
			t.Errorf("hearing notice number %q", hi.Number)
		}
		// The issued notice locks what it told the party: date, time, place, host.
		var clk struct {
			User struct {
				ID uint `json:"id"`
			} `json:"user"`
		}
		e.doJSON("GET", "/api/v1/me", e.tokens[clerk], nil, 200, &clk)
		for _, ch := range []struct {
			key   string
			value any
		}{
			{"hearing_scheduled", then.AddDate(0, 0, 28).Format("2006-01-02")},
			{"hearing_time", "14:00"},
			{"hearing_place", "另一听证室"},
			{"host_id", clk.User.ID},
		} {
			moved := maps.Clone(h)
			moved[ch.key] = ch.value
			if body := e.doJSON("POST", hp, e.tokens[officer], moved, 422, nil); !strings.Contains(string(body), "听证通知书已签发") {
				t.Errorf("%s changed after the notice: %s", ch.key, body)
			}
		}
		// No decision before the hearing's record (APL Art. 65).
		pd := e.moveToApproved(t, caseID, "penalty_decision")
		if body := e.doJSON("POST", e.docPath(pd.ID, "issue"), e.tokens[clerk], nil, 409, nil); !strings.Contains(string(body), "听证笔录") {
			t.Errorf("decision before the hearing: %s", body)
		}
		h["hearing_held"], h["hearing_date"], h["hearing_participants"] = true, today, "当事人及其代理人"
		h["hearing_summary"], h["hearing_result"] = "当事人对违法事实无异议。", "维持拟作出的处罚"
		e.doJSON("POST", hp, e.tokens[officer], h, 422, nil) // the hearing's date lies ahead
		h["hearing_date"] = later
		e.doJSON("POST", hp, e.tokens[officer], h, 422, nil) // and a record cannot be dated in the future
		e.doJSON("POST", e.docPath(notice.ID, "serve"), e.tokens[clerk], map[string]string{"method": "direct", "date": today, "recipient": "陈某"}, 200, nil)
		clock.set(0) // the hearing was held yesterday
		// Seven working days count from the notice's service, not its issue.
		lateServe := then.AddDate(0, 0, 18).Format("2006-01-02")
		if body := e.doJSON("POST", e.docPath(hn.ID, "serve"), e.tokens[clerk], map[string]string{"method": "direct", "date": lateServe, "recipient": "陈某"}, 422, nil); !strings.Contains(string(body), "七日") {
			t.Errorf("hearing notice served 3 days before the hearing: %s", body)
		}
		e.doJSON("POST", e.docPath(hn.ID, "serve"), e.tokens[clerk], map[string]string{"method": "direct", "date": today, "recipient": "陈某"}, 200, nil)
		// A request later than 5 working days after the advance notice's service.
		late := maps.Clone(h)
		late["requested_date"] = then.AddDate(0, 0, 14).Format("2006-01-02")
		if body := e.doJSON("POST", hp, e.tokens[officer], late, 422, nil); !strings.Contains(string(body), "五日（工作日）内") {
			t.Errorf("a hearing request 14 days after the notice: %s", body)
		}
		e.doJSON("POST", hp, e.tokens[officer], h, 200, &cs)
		e.doJSON("POST", e.docPath(pd.ID, "issue"), e.tokens[clerk], nil, 200, nil)
		e.doJSON("POST", hp, e.tokens[officer], h, 409, nil) // decided
	})
}
