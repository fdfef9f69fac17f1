package rules

import (
	"strings"
	"testing"
)

func TestComputeDeadlines(t *testing.T) {
	for _, tc := range []struct {
		name, kind, served string
		fine               float64
		want               Deadlines
	}{
		{"penalty", KindPenaltyDecision, "2026-11-02", 10000, Deadlines{ServedDate: "2026-11-02",
			PaymentDue: "2026-11-17", LateFeeFrom: "2026-11-18", LateFeePerDay: 300, LateFeeCap: 10000, LateFeeCapDate: "2026-12-21",
			ReconsiderationDue: "2027-01-01", LitigationDue: "2027-05-03"}}, // 2 May 2027 is a Sunday (official holidays are not known)
		{"month end", KindPenaltyDecision, "2026-08-31", 0, Deadlines{ServedDate: "2026-08-31",
			ReconsiderationDue: "2026-10-30", LitigationDue: "2027-03-01"}}, // 28 Feb 2027 is a Sunday
		{"on the spot", KindOnTheSpotDecision, "2026-11-02", 200, Deadlines{ServedDate: "2026-11-02",
			PaymentDue: "2026-11-17", LateFeeFrom: "2026-11-18", LateFeePerDay: 6, LateFeeCap: 200, LateFeeCapDate: "2026-12-21",
			ReconsiderationDue: "2027-01-01", ReconsiderationFirst: true}},
		{"notice", KindAdvanceNotice, "2026-11-27", 0, Deadlines{ServedDate: "2026-11-27", AnswerDue: "2026-12-04"}},
		// With the official calendar: the National Day week and its make-up Saturday.
		{"notice over the holiday", KindAdvanceNotice, "2026-09-29", 0, Deadlines{ServedDate: "2026-09-29", AnswerDue: "2026-10-12"}},
		// A last day that is a holiday moves to the next working day: 1 Jan 2027 (Friday) → 4 Jan.
		{"period ends on a holiday", KindOnTheSpotDecision, "2026-11-02", 0, Deadlines{ServedDate: "2026-11-02",
			ReconsiderationDue: "2027-01-04", ReconsiderationFirst: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cal := Calendar{}
			if strings.Contains(tc.name, "holiday") {
				var err error
				cal, err = NewCalendar([]string{"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07", "2027-01-01"}, []string{"2026-10-10"})
				if err != nil {
					t.Fatal(err)
				}
			}
			got := ComputeDeadlines(cal, tc.kind, tc.served, tc.fine, 0)
			got.LateFeeRule = ""
			if *got != tc.want {
				t.Errorf("got  %+v\nwant %+v", *got, tc.want)
			}
		})
	}
}
