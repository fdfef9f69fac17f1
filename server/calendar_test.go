package main

import (
	"strings"
	"testing"
	"time"
)

// at moves the test clock to noon (China time) of a date.
func (c *testClock) at(date string) {
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		panic(err)
	}
	c.set(time.Until(d.Add(4 * time.Hour)))
}

// TestCalendarAnswerPeriod: the official calendar an admin enters makes the
// answer period of an advance notice count working days correctly, so a
// decision cannot be issued while the party's period still runs over the
// National Day week.
func TestCalendarAnswerPeriod(t *testing.T) {
	e := newEnv(t, envDB.SQLite(t))
	clock := useClock(e)
	clock.at("2026-09-28")

	var ae apiError
	e.doJSON("PUT", "/api/v1/calendar/2026", e.tokens[admin], map[string]any{
		"holidays": []string{"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-09"},
		"workdays": []string{"2026-10-07"}}, 422, &ae) // 7 Oct is a Wednesday
	if ae.Error.Fields["workdays[0]"] == "" {
		t.Fatalf("make-up day on a weekday accepted: %+v", ae)
	}
	national := map[string]any{
		"holidays": []string{"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"},
		"workdays": []string{"2026-10-10"}}
	e.doJSON("PUT", "/api/v1/calendar/2026", e.tokens[admin], national, 200, nil)
	e.doJSON("PUT", "/api/v1/calendar/2026", e.tokens[officer], national, 403, nil)
	var cal calendarJSON
	e.doJSON("GET", "/api/v1/calendar?year=2026", e.tokens[clerk], nil, 200, &cal)
	if len(cal.Holidays) != 5 || len(cal.Workdays) != 1 || cal.Workdays[0] != "2026-10-10" {
		t.Fatalf("calendar %+v", cal)
	}

	caseID := newPenaltyCase(t, e)
	notice := e.moveToApproved(t, caseID, "advance_notice")
	e.doJSON("POST", e.docPath(notice.ID, "issue"), e.tokens[clerk], nil, 200, &notice)
	clock.at("2026-09-29")
	e.doJSON("POST", e.docPath(notice.ID, "serve"), e.tokens[clerk],
		map[string]string{"method": "direct", "date": "2026-09-29", "recipient": "陈某"}, 200, &notice)
	if notice.Deadlines == nil || notice.Deadlines.AnswerDue != "2026-10-12" {
		t.Fatalf("answer due %+v, want 2026-10-12 (weekends only would give 2026-10-06)", notice.Deadlines)
	}
	dec := e.moveToApproved(t, caseID, "penalty_decision")
	clock.at("2026-10-09") // past 6 Oct, inside the real period
	e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 422, &ae)
	if !strings.Contains(ae.Error.Message, "2026-10-12") {
		t.Fatalf("refusal %q does not name the last day", ae.Error.Message)
	}
	clock.at("2026-10-13")
	var issued docResp
	e.doJSON("POST", e.docPath(dec.ID, "issue"), e.tokens[clerk], nil, 200, &issued)
	if issued.Number == "" || issued.IssueDate != "2026-10-13" {
		t.Fatalf("issued %+v", issued)
	}
	log, _ := e.store.AuditLog(t.Context(), "calendar", 2026)
	if len(log) != 1 || log[0].Action != "set_calendar" {
		t.Errorf("calendar audit %+v", log)
	}
}
