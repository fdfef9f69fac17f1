package rules

import (
	"strings"
	"testing"
)

func TestLateFee(t *testing.T) {
	cal := Calendar{}
	dl := ComputeDeadlines(cal, KindPenaltyDecision, "2026-03-02", 1000, 0)
	if dl.PaymentDue != "2026-03-17" {
		t.Fatalf("payment due %s", dl.PaymentDue)
	}
	pay := func(date string, amount float64) Payment { return Payment{Date: date, Amount: amount} }
	for _, tc := range []struct {
		name        string
		today       string
		payments    []Payment
		plan        []Instalment
		fee         float64
		days        int
		outstanding float64
		feeDue      float64
		state       string
		capped      bool
		overdue     bool
	}{
		{"paid on the last day", "2026-04-01", []Payment{pay("2026-03-17", 1000)}, nil, 0, 0, 0, 0, PayPaid, false, false},
		{"due day itself", "2026-03-17", nil, nil, 0, 0, 1000, 0, PayUnpaid, false, false},
		{"one day late", "2026-03-18", nil, nil, 30, 1, 1000, 30, PayUnpaid, false, true},
		{"ten days late", "2026-03-27", nil, nil, 300, 10, 1000, 300, PayUnpaid, false, true},
		{"33 days below the cap", "2026-04-19", nil, nil, 990, 33, 1000, 990, PayUnpaid, false, true},
		{"capped at the fine", "2026-05-01", nil, nil, 1000, 34, 1000, 1000, PayUnpaid, true, true},
		{"partial in time", "2026-03-27", []Payment{pay("2026-03-17", 400)}, nil, 180, 10, 600, 180, PayPartial, false, true},
		{"partial late", "2026-03-27", []Payment{pay("2026-03-20", 500)}, nil, 195, 10, 500, 195, PayPartial, false, true},
		{"fine paid late, fee owed", "2026-03-25", []Payment{pay("2026-03-20", 1000)}, nil, 90, 3, 0, 90, PayPartial, false, true},
		{"fine and fee paid", "2026-03-25", []Payment{pay("2026-03-20", 1000), pay("2026-03-21", 90)}, nil, 90, 3, 0, 0, PayPaid, false, false},
		{"deferral not yet due", "2026-04-30", nil, []Instalment{{"2026-04-30", 1000}}, 0, 0, 1000, 0, PayInstalments, false, false},
		{"deferral overdue", "2026-05-02", nil, []Instalment{{"2026-04-30", 1000}}, 60, 2, 1000, 60, PayInstalments, false, true},
		{"instalments, second late", "2026-05-20", []Payment{pay("2026-04-15", 500)},
			[]Instalment{{"2026-05-15", 500}, {"2026-04-15", 500}}, 75, 5, 500, 75, PayInstalments, false, true},
		{"instalments paid", "2026-05-20", []Payment{pay("2026-04-15", 500), pay("2026-05-15", 500)},
			[]Instalment{{"2026-04-15", 500}, {"2026-05-15", 500}}, 0, 0, 0, 0, PayPaid, false, false},
		{"paid part before the instalments", "2026-05-20", []Payment{pay("2026-03-10", 400), pay("2026-04-15", 300)},
			[]Instalment{{"2026-04-15", 300}, {"2026-05-15", 300}}, 45, 5, 300, 45, PayInstalments, false, true},
		{"odd cents", "2026-03-18", []Payment{pay("2026-03-17", 999.67)}, nil, 0.01, 1, 0.33, 0.01, PayPartial, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := ComputeExecution(cal, Execution{Fine: 1000, Deadlines: dl, Payments: tc.payments, Instalments: tc.plan}, tc.today)
			if x.LateFee != tc.fee || x.LateFeeDays != tc.days || x.Outstanding != tc.outstanding || x.LateFeeOutstanding != tc.feeDue ||
				x.State != tc.state || x.LateFeeCapped != tc.capped || x.Overdue != tc.overdue {
				t.Errorf("got fee %.2f (%d days, capped %v) outstanding %.2f fee due %.2f state %s overdue %v; want %.2f (%d, %v) %.2f %.2f %s %v",
					x.LateFee, x.LateFeeDays, x.LateFeeCapped, x.Outstanding, x.LateFeeOutstanding, x.State, x.Overdue,
					tc.fee, tc.days, tc.capped, tc.outstanding, tc.feeDue, tc.state, tc.overdue)
			}
			if x.Closable != (tc.state == PayPaid) {
				t.Errorf("closable %v with state %s", x.Closable, x.State)
			}
		})
	}
}

func TestEnforcementDates(t *testing.T) {
	cal := Calendar{}
	dl := ComputeDeadlines(cal, KindPenaltyDecision, "2026-03-02", 1000, 0)
	for _, tc := range []struct {
		name                              string
		e                                 Execution
		today                             string
		reminderDue                       bool
		reminderEnds, courtFrom, courtEnd string
		courtDue, lapsed, closable        bool
		state                             string
	}{
		{"unpaid, no reminder yet", Execution{}, "2026-04-01", true, "", "2026-09-03", "2026-12-02", false, false, false, PayUnpaid},
		{"reminder served, remedies running", Execution{ReminderServed: "2026-04-01"}, "2026-06-01", false, "2026-04-15", "2026-09-03", "2026-12-02", false, false, false, PayUnpaid},
		{"court due", Execution{ReminderServed: "2026-04-01"}, "2026-10-01", false, "2026-04-15", "2026-09-03", "2026-12-02", true, false, false, PayUnpaid},
		{"court due on the last day", Execution{ReminderServed: "2026-04-01"}, "2026-12-02", false, "2026-04-15", "2026-09-03", "2026-12-02", true, false, false, PayUnpaid},
		{"window lapsed", Execution{ReminderServed: "2026-04-01"}, "2026-12-03", false, "2026-04-15", "2026-09-03", "2026-12-02", false, true, false, PayUnpaid},
		{"late reminder: 10 working days first", Execution{ReminderServed: "2026-09-01"}, "2026-09-10", false, "2026-09-15", "2026-09-16", "2026-12-02", false, false, false, PayUnpaid},
		{"deferral moves the window (APL Art. 72 ¶2)", Execution{Instalments: []Instalment{{"2026-10-30", 1000}}, ReminderServed: "2026-11-02"},
			"2026-11-20", false, "2026-11-16", "2026-11-17", "2027-02-01", true, false, false, PayInstalments},
		{"enforcement applied", Execution{ReminderServed: "2026-04-01", EnforcementApplied: "2026-10-01"}, "2026-10-02", false, "2026-04-15", "2026-09-03", "2026-12-02", false, false, true, PayEnforcement},
		{"confiscation pending", Execution{Payments: []Payment{{"2026-03-10", 1000}}, OtherPenalties: true}, "2026-04-01", false, "", "2026-09-03", "2026-12-02", false, false, false, PayPaid},
		{"confiscation done", Execution{Payments: []Payment{{"2026-03-10", 1000}}, OtherPenalties: true, OtherExecuted: "2026-03-12"}, "2026-04-01", false, "", "2026-09-03", "2026-12-02", false, false, true, PayPaid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.e
			e.Fine, e.Deadlines = 1000, dl
			x := ComputeExecution(cal, e, tc.today)
			if x.ReminderDue != tc.reminderDue || x.ReminderEnds != tc.reminderEnds || x.CourtFrom != tc.courtFrom || x.CourtLast != tc.courtEnd ||
				x.CourtDue != tc.courtDue || x.CourtLapsed != tc.lapsed || x.Closable != tc.closable || x.State != tc.state {
				t.Errorf("got %+v", x)
			}
		})
	}
	// A holiday on the reminder's 10th working day moves it.
	hol, _ := NewCalendar([]string{"2026-04-15"}, nil)
	if x := ComputeExecution(hol, Execution{Fine: 1000, Deadlines: dl, ReminderServed: "2026-04-01"}, "2026-05-01"); x.ReminderEnds != "2026-04-16" {
		t.Errorf("reminder ends %s with a holiday, want 2026-04-16", x.ReminderEnds)
	}
}

func TestCheckHearingDate(t *testing.T) {
	hol, _ := NewCalendar([]string{"2026-03-05"}, nil)
	for _, tc := range []struct {
		cal               Calendar
		notified, hearing string
		ok                bool
	}{
		{Calendar{}, "2026-03-02", "2026-03-11", true},
		{Calendar{}, "2026-03-02", "2026-03-10", false},
		{hol, "2026-03-02", "2026-03-11", false},
		{hol, "2026-03-02", "2026-03-12", true},
		{Calendar{}, "2026-03-02", "soon", false},
	} {
		err := CheckHearingDate(tc.cal, tc.notified, tc.hearing)
		if (err == nil) != tc.ok {
			t.Errorf("%s → %s: %v", tc.notified, tc.hearing, err)
		}
		if err != nil && tc.hearing != "soon" && !strings.Contains(err.Error(), "七日") {
			t.Errorf("message %q", err)
		}
	}
}

func TestCheckInstalments(t *testing.T) {
	for _, tc := range []struct {
		plan []Instalment
		ok   bool
	}{
		{[]Instalment{{"2026-04-30", 1000}}, true},
		{[]Instalment{{"2026-04-15", 500}, {"2026-05-15", 500}}, true},
		{[]Instalment{{"2026-04-15", 500}, {"2026-05-15", 400}}, false},
		{[]Instalment{{"2026-05-15", 500}, {"2026-04-15", 500}}, false},
		{[]Instalment{{"2026-03-10", 1000}}, false},
		{nil, false},
	} {
		err := CheckInstalments("2026-03-05", "2026-03-10", tc.plan, "2026-03-02", "2026-03-20", 1000)
		if (err == nil) != tc.ok {
			t.Errorf("%v: %v", tc.plan, err)
		}
	}
}

func TestDraftKinds(t *testing.T) {
	pen := Evaluation{Outcome: OutcomePenalty, DocumentKind: KindPenaltyDecision}
	for _, tc := range []struct {
		c    CaseState
		want string
	}{
		{CaseState{Status: CaseOpen, Evaluation: pen}, "advance_notice penalty_decision"},
		{CaseState{Status: CaseOpen, Evaluation: pen, HearingRequested: true}, "advance_notice hearing_notice penalty_decision"},
		{CaseState{Status: CaseExecuting, Evaluation: pen}, ""},
		{CaseState{Status: CaseExecuting, Evaluation: pen, Overdue: true}, "reminder"},
		{CaseState{Status: CaseExecuting, Evaluation: pen, Closable: true}, "closing_report"},
		{CaseState{Status: CaseClosed, Evaluation: pen, Closable: true}, ""},
	} {
		if got := strings.Join(DraftKinds(tc.c), " "); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
	}
}

func TestCheckHearingHost(t *testing.T) {
	for _, tc := range []struct {
		host          uint
		investigators []uint
		ok            bool
	}{
		{5, []uint{1, 2}, true},
		{1, []uint{1, 2}, false},
		{2, []uint{1, 2}, false}, // the second named officer investigated too
		{3, nil, true},
	} {
		err := CheckHearingHost(tc.host, tc.investigators)
		if (err == nil) != tc.ok {
			t.Errorf("host %d of %v: %v", tc.host, tc.investigators, err)
		}
		if err != nil && !strings.Contains(err.Error(), "第六十四条第一款第四项") {
			t.Errorf("message %q does not cite Art. 64 ¶1 (4)", err)
		}
	}
}

func TestCheckHearingRequest(t *testing.T) {
	hol, _ := NewCalendar([]string{"2026-03-05"}, nil)
	for _, tc := range []struct {
		cal               Calendar
		served, requested string
		ok                bool
		last              string
	}{
		{Calendar{}, "2026-03-02", "2026-03-09", true, ""}, // Mon + 5 working days = next Mon
		{Calendar{}, "2026-03-02", "2026-03-10", false, "2026年3月9日"},
		{hol, "2026-03-02", "2026-03-10", true, ""}, // a holiday moves the last day
		{hol, "2026-03-02", "2026-03-11", false, "2026年3月10日"},
		{Calendar{}, "2026-03-02", "2026-03-01", false, ""},
		{Calendar{}, "", "2026-05-01", true, ""}, // no served notice
	} {
		err := CheckHearingRequest(tc.cal, tc.served, tc.requested)
		if (err == nil) != tc.ok {
			t.Errorf("%s → %s: %v", tc.served, tc.requested, err)
		}
		if tc.last != "" && (err == nil || !strings.Contains(err.Error(), tc.last)) {
			t.Errorf("%s → %s: message %v does not name %s", tc.served, tc.requested, err, tc.last)
		}
	}
}

// A deferral approved after the due date keeps the late fee accrued up to
// the approval (行政强制法 Art. 42 alone may reduce 加处罚款).
func TestDeferralAfterDue(t *testing.T) {
	cal := Calendar{}
	dl := ComputeDeadlines(cal, KindPenaltyDecision, "2026-03-02", 1000, 0) // due 2026-03-17
	for _, tc := range []struct {
		name, approved, today string
		plan                  []Instalment
		payments              []Payment
		fee                   float64
		days                  int
	}{
		{"approved in time", "2026-03-10", "2026-04-20", []Instalment{{"2026-04-30", 1000}}, nil, 0, 0},
		{"approved late: 20 days stay", "2026-04-06", "2026-04-20", []Instalment{{"2026-04-30", 1000}}, nil, 600, 20},
		{"approved late, deferral overdue too", "2026-04-06", "2026-05-02", []Instalment{{"2026-04-30", 1000}}, nil, 660, 22},
		{"approved late after a part paid", "2026-04-06", "2026-04-20", []Instalment{{"2026-04-30", 500}}, []Payment{{"2026-03-27", 500}},
			450, 20}, // 10 days of 1,000 yuan, then 10 of 500
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := ComputeExecution(cal, Execution{Fine: 1000, Deadlines: dl, Instalments: tc.plan, DeferralApproved: tc.approved, Payments: tc.payments}, tc.today)
			if x.LateFee != tc.fee || x.LateFeeDays != tc.days {
				t.Errorf("fee %.2f over %d days, want %.2f over %d", x.LateFee, x.LateFeeDays, tc.fee, tc.days)
			}
		})
	}
}

// The periods pages and messages print follow the numbers the rules count.
func TestPeriodTexts(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{HearingNoticePeriod, "七个工作日"},
		{ReminderPeriod, "十个工作日"},
		{CourtPeriod, "三个月"},
		{ReminderArticle, LawCoercion + "第五十四条"},
	} {
		if tc.got != tc.want {
			t.Errorf("%q, want %q", tc.got, tc.want)
		}
	}
}
