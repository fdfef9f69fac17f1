package rules

import (
	"strings"
	"testing"

	"penaltydoc/errs"
)

// 2026-03-02 is a Monday; the calendar knows weekends only, and a
// make-up working day and a holiday where a case says so.
func TestSupervisionChecks(t *testing.T) {
	cal := Calendar{}
	penalty := Evaluation{Outcome: OutcomePenalty, DocumentKind: KindPenaltyDecision, Fine: Fine{Min: 1000, Max: 5000},
		Penalties: []Penalty{{Type: ImposeFine, Amount: 3000}}, LegalReviewRequired: true}
	decided := func(issued, served string) *SupervisedDecision {
		return &SupervisedDecision{Kind: KindPenaltyDecision, Issued: issued, Served: served, Fine: 3000, LegalReviewed: issued}
	}
	unpaid := func(due string, overdue bool) *ExecutionStatus {
		return &ExecutionStatus{State: PayUnpaid, FinalDue: due, Outstanding: 3000, Overdue: overdue}
	}
	cases := []struct {
		name, check, today string
		c                  SupervisedCase
		want, due          string // want "" : the check does not apply
		note               string
	}{
		// decision period: filed 03-02 + 90 days = 05-31, a Sunday: 06-01.
		{"decision: early", "decision_period", "2026-05-17", SupervisedCase{Status: CaseOpen, Filed: "2026-03-02"}, SupOK, "2026-06-01", "尚未作出决定"},
		{"decision: last 15 days", "decision_period", "2026-05-18", SupervisedCase{Status: CaseOpen, Filed: "2026-03-02"}, SupDue, "2026-06-01", ""},
		{"decision: last day", "decision_period", "2026-06-01", SupervisedCase{Status: CaseOpen, Filed: "2026-03-02"}, SupDue, "2026-06-01", ""},
		{"decision: passed", "decision_period", "2026-06-02", SupervisedCase{Status: CaseOpen, Filed: "2026-03-02"}, SupOverdue, "2026-06-01", "已超过期限"},
		{"decision: extended", "decision_period", "2026-06-02", SupervisedCase{Status: CaseOpen, Filed: "2026-03-02",
			Extension: &Extension{Deadline: "2026-07-01", ApprovedBy: "王局长"}}, SupOK, "2026-07-01", "王局长"},
		{"decision: in time", "decision_period", "2026-09-01", SupervisedCase{Status: CaseExecuting, Filed: "2026-03-02", Decision: decided("2026-05-29", "2026-05-29")}, SupOK, "2026-06-01", ""},
		{"decision: late", "decision_period", "2026-09-01", SupervisedCase{Status: CaseExecuting, Filed: "2026-03-02", Decision: decided("2026-06-02", "2026-06-02")}, SupOverdue, "2026-06-01", "超过期限"},
		{"decision: withdrawn", "decision_period", "2026-09-01", SupervisedCase{Status: CaseWithdrawn, Filed: "2026-03-02"}, "", "", ""},

		// publication: due 2026-03-11 (Wed); 3 working days before it is 临期.
		{"publication: none", "publication", "2026-03-02", SupervisedCase{Status: CaseClosed}, "", "", ""},
		{"publication: early", "publication", "2026-03-05", SupervisedCase{Status: CaseClosed, Publications: []SupervisedPublication{{Status: PubPending, Number: "杭市监罚〔2026〕1号", DueDate: "2026-03-11"}}}, SupOK, "2026-03-11", "尚未公示"},
		{"publication: due", "publication", "2026-03-09", SupervisedCase{Status: CaseClosed, Publications: []SupervisedPublication{{Status: PubApproved, Number: "杭市监罚〔2026〕1号", DueDate: "2026-03-11"}}}, SupDue, "2026-03-11", "2026年3月11日"},
		{"publication: overdue", "publication", "2026-03-12", SupervisedCase{Status: CaseClosed, Publications: []SupervisedPublication{{Status: PubReviewed, Number: "杭市监罚〔2026〕1号", DueDate: "2026-03-11"}}}, SupOverdue, "2026-03-11", ""},
		{"publication: published", "publication", "2026-03-12", SupervisedCase{Status: CaseClosed, Publications: []SupervisedPublication{{Status: PubPublished, Number: "杭市监罚〔2026〕1号", DueDate: "2026-03-11"}}}, SupOK, "", "已公示"},
		{"publication: withdrawal overdue beats the new one", "publication", "2026-03-20", SupervisedCase{Status: CaseClosed, Publications: []SupervisedPublication{
			{Status: PubPublished, Number: "杭市监罚〔2026〕1号", DueDate: "2026-03-11", WithdrawDue: "2026-03-19"},
			{Status: PubPending, Number: "杭市监罚〔2026〕9号", DueDate: "2026-03-27"}}}, SupOverdue, "2026-03-19", "撤回公示"},
		{"publication: withdrawn", "publication", "2026-03-20", SupervisedCase{Status: CaseClosed, Publications: []SupervisedPublication{{Status: PubWithdrawn, WithdrawDue: "2026-03-19"}}}, "", "", ""},

		// advance notice
		{"notice: not a penalty", "notice_before_decision", "2026-03-10", SupervisedCase{Status: CaseOpen, Evaluation: Evaluation{Outcome: OutcomeNoPenalty, DocumentKind: KindNoPenaltyDecision}}, "", "", ""},
		{"notice: decision in review without it", "notice_before_decision", "2026-03-10", SupervisedCase{Status: CaseOpen, Evaluation: penalty, DecisionPending: true}, SupDue, "", "尚未送达"},
		{"notice: served", "notice_before_decision", "2026-03-10", SupervisedCase{Status: CaseOpen, Evaluation: penalty, NoticeServed: "2026-03-03", AnswerDue: "2026-03-10"}, SupOK, "2026-03-10", ""},
		{"notice: decided without it", "notice_before_decision", "2026-03-20", SupervisedCase{Status: CaseExecuting, Evaluation: penalty, Decision: decided("2026-03-12", "")}, SupDefect, "", "未送达"},
		{"notice: decided within the answer period", "notice_before_decision", "2026-03-20", SupervisedCase{Status: CaseExecuting, Evaluation: penalty,
			NoticeServed: "2026-03-03", AnswerDue: "2026-03-10", Decision: decided("2026-03-09", "")}, SupDefect, "2026-03-10", "未满"},
		{"notice: waived", "notice_before_decision", "2026-03-20", SupervisedCase{Status: CaseExecuting, Evaluation: penalty, Waived: true,
			NoticeServed: "2026-03-03", AnswerDue: "2026-03-10", Decision: decided("2026-03-04", "")}, SupOK, "", ""},

		// absent service: issued Monday 03-02, 7 working days: 03-11.
		{"service: handed over", "absent_service", "2026-03-20", SupervisedCase{Decision: decided("2026-03-02", "2026-03-02")}, SupOK, "", "当场交付"},
		{"service: early", "absent_service", "2026-03-08", SupervisedCase{Decision: decided("2026-03-02", "")}, SupOK, "2026-03-11", ""},
		{"service: last 3 working days", "absent_service", "2026-03-09", SupervisedCase{Decision: decided("2026-03-02", "")}, SupDue, "2026-03-11", ""},
		{"service: passed", "absent_service", "2026-03-12", SupervisedCase{Decision: decided("2026-03-02", "")}, SupOverdue, "2026-03-11", "已超过"},
		{"service: served late", "absent_service", "2026-03-20", SupervisedCase{Decision: decided("2026-03-02", "2026-03-12")}, SupOverdue, "2026-03-11", ""},
		{"service: served in time", "absent_service", "2026-03-20", SupervisedCase{Decision: decided("2026-03-02", "2026-03-11")}, SupOK, "2026-03-11", ""},
		{"service: not decided", "absent_service", "2026-03-20", SupervisedCase{}, "", "", ""},

		// fine range
		{"fine: within", "fine_range", "2026-03-20", SupervisedCase{Evaluation: penalty}, SupOK, "", "在法定幅度"},
		{"fine: above", "fine_range", "2026-03-20", SupervisedCase{Evaluation: penalty, Decision: &SupervisedDecision{Issued: "2026-03-02", Fine: 5000.01}}, SupDefect, "", "超出"},
		{"fine: below", "fine_range", "2026-03-20", SupervisedCase{Evaluation: penalty, Decision: &SupervisedDecision{Issued: "2026-03-02", Fine: 999.99}}, SupDefect, "", ""},
		{"fine: lighter below the minimum", "fine_range", "2026-03-20", SupervisedCase{Evaluation: Evaluation{Outcome: OutcomePenalty, Lighter: true, Fine: Fine{Min: 0, Max: 5000}},
			Decision: &SupervisedDecision{Issued: "2026-03-02", Fine: 500}}, SupOK, "", "减轻"},
		{"fine: none", "fine_range", "2026-03-20", SupervisedCase{Evaluation: Evaluation{Outcome: OutcomeWarning}}, "", "", ""},

		// legal review
		{"review: not required", "legal_review", "2026-03-20", SupervisedCase{Evaluation: Evaluation{Outcome: OutcomePenalty, DocumentKind: KindPenaltyDecision}}, "", "", ""},
		{"review: pending", "legal_review", "2026-03-20", SupervisedCase{Evaluation: penalty}, SupOK, "", ""},
		{"review: done", "legal_review", "2026-03-20", SupervisedCase{Evaluation: penalty, Decision: decided("2026-03-02", "")}, SupOK, "", "通过"},
		{"review: missing", "legal_review", "2026-03-20", SupervisedCase{Evaluation: penalty, Decision: &SupervisedDecision{Issued: "2026-03-02"}}, SupDefect, "", "未经"},

		// override reason
		{"override: given", "override_reason", "2026-03-20", SupervisedCase{Evaluation: Evaluation{Outcome: OutcomePenalty, Ground: GroundFirstOffense,
			Override: &Override{Outcome: OutcomePenalty, Reason: "当事人拒不配合调查且隐匿证据"}}}, SupOK, "", "隐匿证据"},
		{"override: missing", "override_reason", "2026-03-20", SupervisedCase{Evaluation: Evaluation{Outcome: OutcomePenalty, Ground: GroundFirstOffense}}, SupDefect, "", ""},
		{"override: too short", "override_reason", "2026-03-20", SupervisedCase{Evaluation: Evaluation{Outcome: OutcomePenalty, Ground: GroundFirstOffense,
			Override: &Override{Reason: "不配合"}}}, SupDefect, "", ""},
		{"override: not penalised", "override_reason", "2026-03-20", SupervisedCase{Evaluation: Evaluation{Outcome: OutcomeNoPenalty, Ground: GroundFirstOffense}}, "", "", ""},

		// hearing
		{"hearing: none asked", "hearing", "2026-03-20", SupervisedCase{}, "", "", ""},
		{"hearing: asked, not noticed", "hearing", "2026-03-20", SupervisedCase{HearingRequested: "2026-03-05"}, SupDue, "", "尚未通知"},
		{"hearing: scheduled", "hearing", "2026-03-20", SupervisedCase{HearingRequested: "2026-03-05", HearingScheduled: "2026-03-25"}, SupDue, "2026-03-25", ""},
		{"hearing: date passed", "hearing", "2026-03-26", SupervisedCase{HearingRequested: "2026-03-05", HearingScheduled: "2026-03-25"}, SupOverdue, "2026-03-25", ""},
		{"hearing: held", "hearing", "2026-03-26", SupervisedCase{HearingRequested: "2026-03-05", HearingScheduled: "2026-03-25", HearingHeld: true}, SupOK, "2026-03-25", ""},
		{"hearing: decided without it", "hearing", "2026-03-26", SupervisedCase{HearingRequested: "2026-03-05", Decision: decided("2026-03-20", "")}, SupDefect, "", ""},

		// payment: 15 days, the last 3 临期.
		{"payment: running", "payment", "2026-03-10", SupervisedCase{Decision: decided("2026-03-02", "2026-03-02"), Execution: unpaid("2026-03-17", false)}, SupOK, "2026-03-17", ""},
		{"payment: last days", "payment", "2026-03-15", SupervisedCase{Decision: decided("2026-03-02", "2026-03-02"), Execution: unpaid("2026-03-17", false)}, SupDue, "2026-03-17", ""},
		{"payment: overdue", "payment", "2026-03-18", SupervisedCase{Decision: decided("2026-03-02", "2026-03-02"), Execution: unpaid("2026-03-17", true)}, SupOverdue, "2026-03-17", "尚欠罚款3000.00元"},
		{"payment: paid", "payment", "2026-03-18", SupervisedCase{Decision: decided("2026-03-02", "2026-03-02"), Execution: &ExecutionStatus{State: PayPaid, FinalDue: "2026-03-17"}}, SupOK, "2026-03-17", ""},
		{"payment: no fine", "payment", "2026-03-18", SupervisedCase{Decision: &SupervisedDecision{Issued: "2026-03-02"}, Execution: &ExecutionStatus{}}, "", "", ""},

		// reminder: the court window ends 2026-12-31 (Thursday); 10 working
		// days back: 2026-12-17.
		{"reminder: not overdue", "reminder", "2026-03-18", SupervisedCase{Execution: unpaid("2026-03-17", false)}, "", "", ""},
		{"reminder: due", "reminder", "2026-03-18", SupervisedCase{Execution: &ExecutionStatus{Overdue: true, CourtLast: "2026-12-31"}}, SupDue, "2026-12-17", ""},
		{"reminder: too late", "reminder", "2026-12-18", SupervisedCase{Execution: &ExecutionStatus{Overdue: true, CourtLast: "2026-12-31"}}, SupOverdue, "2026-12-17", ""},
		{"reminder: served", "reminder", "2026-03-25", SupervisedCase{ReminderServed: "2026-03-20", Execution: &ExecutionStatus{Overdue: true, CourtLast: "2026-12-31"}}, SupOK, "", ""},

		// court application
		{"court: not reminded", "court_application", "2026-03-25", SupervisedCase{Execution: &ExecutionStatus{Overdue: true}}, "", "", ""},
		{"court: waiting", "court_application", "2026-03-25", SupervisedCase{ReminderServed: "2026-03-20", Execution: &ExecutionStatus{Overdue: true, CourtFrom: "2026-09-03", CourtLast: "2026-12-02"}}, SupOK, "2026-12-02", ""},
		{"court: due", "court_application", "2026-10-01", SupervisedCase{ReminderServed: "2026-03-20", Execution: &ExecutionStatus{Overdue: true, CourtDue: true, CourtLast: "2026-12-02"}}, SupDue, "2026-12-02", ""},
		{"court: lapsed", "court_application", "2026-12-03", SupervisedCase{Execution: &ExecutionStatus{Overdue: true, CourtLapsed: true, CourtLast: "2026-12-02"}}, SupOverdue, "2026-12-02", "届满"},
		{"court: applied", "court_application", "2026-12-03", SupervisedCase{ReminderServed: "2026-03-20", Execution: &ExecutionStatus{State: PayEnforcement, CourtLast: "2026-12-02"}}, SupOK, "2026-12-02", ""},

		// stale: 30 days, the last 5 临期.
		{"stale: 25 days", "stale", "2026-03-26", SupervisedCase{Status: CaseOpen, LastStep: "2026-03-01"}, SupOK, "2026-03-31", "25日前"},
		{"stale: 26 days", "stale", "2026-03-27", SupervisedCase{Status: CaseOpen, LastStep: "2026-03-01"}, SupDue, "2026-03-31", ""},
		{"stale: 31 days", "stale", "2026-04-01", SupervisedCase{Status: CaseDraft, LastStep: "2026-03-01"}, SupOverdue, "2026-03-31", ""},
		{"stale: closed", "stale", "2026-04-01", SupervisedCase{Status: CaseClosed, LastStep: "2026-03-01"}, "", "", ""},
		{"stale: party's turn", "stale", "2026-04-01", SupervisedCase{Status: CaseExecuting, LastStep: "2026-03-01", Execution: unpaid("2026-04-10", false)}, SupOK, "", "等待"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ch, ok := CheckByCode(tc.check)
			if !ok {
				t.Fatalf("no check %s", tc.check)
			}
			f, applies := ch.Eval(cal, tc.c, tc.today)
			if tc.want == "" {
				if applies {
					t.Fatalf("applies: %+v", f)
				}
				return
			}
			if !applies {
				t.Fatalf("does not apply")
			}
			if f.State != tc.want || f.Due != tc.due {
				t.Errorf("state %s due %s, want %s due %s (%s)", f.State, f.Due, tc.want, tc.due, f.Note)
			}
			if !strings.Contains(f.Note, tc.note) || f.Note == "" {
				t.Errorf("note %q, want it to contain %q", f.Note, tc.note)
			}
		})
	}
}

func TestDeadlineStateHolidays(t *testing.T) {
	// A holiday on Tuesday 03-10 and a make-up working day on Saturday
	// 03-14: 7 working days after Monday 03-02 end on Thursday 03-12.
	cal, err := NewCalendar([]string{"2026-03-10"}, []string{"2026-03-14"})
	if err != nil {
		t.Fatal(err)
	}
	if got := AbsentServiceDue(cal, "2026-03-02"); got != "2026-03-12" {
		t.Fatalf("due %s", got)
	}
	for today, want := range map[string]string{"2026-03-06": SupOK, "2026-03-09": SupDue, "2026-03-12": SupDue, "2026-03-13": SupOverdue} {
		if got := DeadlineState(cal, today, "2026-03-12", true, 0); got != want {
			t.Errorf("%s: %s, want %s", today, got, want)
		}
	}
	// 90 days ending on a holiday move to the next working day.
	cal2, _ := NewCalendar([]string{"2026-06-01"}, nil)
	if got := DecisionDue(cal2, "2026-03-02", nil); got != "2026-06-02" {
		t.Errorf("decision due %s, want 2026-06-02", got)
	}
	if got := ReminderLatest(Calendar{}, "2026-12-31"); got != "2026-12-17" {
		t.Errorf("reminder latest %s", got)
	}
}

func TestSupervisionTable(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range SupervisionChecks {
		if c.Code == "" || c.Name == "" || c.Basis == "" || c.Threshold == "" || c.Eval == nil || seen[c.Code] {
			t.Errorf("check %+v incomplete or repeated", c.Code)
		}
		seen[c.Code] = true
	}
	for _, s := range SupervisionStates {
		if SupervisionStateName(s) == s {
			t.Errorf("state %s has no name", s)
		}
	}
}

func TestCheckExtension(t *testing.T) {
	head := Staff{ID: 1, Roles: []string{RoleApprover}}
	open := CaseState{Status: CaseOpen}
	reason := "案情复杂，需要补充鉴定意见"
	cases := []struct {
		name     string
		who      Staff
		c        CaseState
		deadline string
		reason   string
		today    string
		want     string // "" ok, else a fragment of the error
	}{
		{"ok", head, open, "2026-07-01", reason, "2026-05-20", ""},
		{"officer", Staff{Roles: []string{RoleOfficer}}, open, "2026-07-01", reason, "2026-05-20", "负责人"},
		{"decided", head, CaseState{Status: CaseExecuting}, "2026-07-01", reason, "2026-05-20", "已作出决定"},
		{"not later", head, open, "2026-06-01", reason, "2026-05-20", "应晚于"},
		{"after the last day", head, open, "2026-07-01", reason, "2026-06-02", "不能事后延长"},
		{"short reason", head, open, "2026-07-01", "复杂", "2026-05-20", "理由"},
		{"bad date", head, open, "2026-7-1", reason, "2026-05-20", "YYYY-MM-DD"},
	}
	for _, tc := range cases {
		err := CheckExtension(tc.who, tc.c, "2026-06-01", tc.deadline, tc.reason, tc.today)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(errText(err), tc.want)):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// errText is an error's message with its fields' messages.
func errText(err error) string {
	var b strings.Builder
	b.WriteString(err.Error())
	if e, ok := err.(*errs.Error); ok {
		for _, m := range e.Fields {
			b.WriteString(" " + m)
		}
	}
	return b.String()
}
