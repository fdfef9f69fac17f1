package models

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"penaltydoc/rules"
)

const dateLayout = "2006-01-02"

func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return t, fmt.Errorf("date %q: %w", s, err)
	}
	return t, nil
}

func mustYear(date string) int {
	t, err := parseDate(date)
	if err != nil {
		panic(err)
	}
	return t.Year()
}

// periodEnd is the last day of a period of calendar days or months counted
// from the day after date; a last day that is a day off moves to the next
// working day of cal.
func periodEnd(cal rules.Calendar, date string, days, months int) string {
	t, err := parseDate(date)
	if err != nil {
		return ""
	}
	if months > 0 {
		// Month arithmetic clamps to the month's end (31 Aug + 6 months = 28/29 Feb).
		first := time.Date(t.Year(), t.Month()+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 1, -1).Day()
		t = time.Date(first.Year(), first.Month(), min(t.Day(), last), 0, 0, 0, 0, time.UTC)
	}
	end, err := cal.NextWorkday(t.AddDate(0, 0, days).Format(dateLayout))
	if err != nil {
		return ""
	}
	return end
}

// Procedure figures (shared/LEGAL.md).
const (
	PaymentDays         = 15   // APL Art. 67
	ReconsiderationDays = 60   // 行政复议法 Art. 20
	LitigationMonths    = 6    // 行政诉讼法 Art. 46
	LateFeeRate         = 0.03 // APL Art. 72 ¶1(1): 3% of the fine per day, never more than the fine
)

// Deadlines are the periods that run from service of a document.
type Deadlines struct {
	ServedDate string `json:"served_date"`
	// AnswerDue is the last day to state a case, defend or ask for a
	// hearing after an advance notice (working days).
	AnswerDue string `json:"answer_due,omitempty"`
	// PaymentDue is the last day to pay the fine.
	PaymentDue string `json:"payment_due,omitempty"`
	// LateFeeFrom is the first day of the late-payment surcharge;
	// LateFeePerDay is 3% of the fine; LateFeeCap is the fine itself,
	// reached on LateFeeCapDate.
	LateFeeFrom    string  `json:"late_fee_from,omitempty"`
	LateFeePerDay  float64 `json:"late_fee_per_day,omitempty"`
	LateFeeCap     float64 `json:"late_fee_cap,omitempty"`
	LateFeeCapDate string  `json:"late_fee_cap_date,omitempty"`
	LateFeeRule    string  `json:"late_fee_rule,omitempty"`
	// ReconsiderationDue and LitigationDue are the remedies' last days.
	// ReconsiderationFirst: an on-the-spot decision must go to
	// reconsideration before a lawsuit (行政复议法 2023 Art. 23).
	ReconsiderationDue   string `json:"reconsideration_due,omitempty"`
	LitigationDue        string `json:"litigation_due,omitempty"`
	ReconsiderationFirst bool   `json:"reconsideration_first,omitempty"`
}

// frozenFigures is the part of the frozen render data deadlines need.
type frozenFigures struct {
	Fine   float64
	Notice struct{ AnswerDays int }
}

// Deadlines computes the periods running from the document's service on the
// official calendar; nil until it is served (or for a service receipt).
func (d *Document) Deadlines(cal rules.Calendar) *Deadlines {
	if d.ServedDate == "" || !Numbered(d.Kind) {
		return nil
	}
	var f frozenFigures
	if d.DataJSON != "" {
		_ = json.Unmarshal([]byte(d.DataJSON), &f)
	}
	return ComputeDeadlines(cal, d.Kind, d.ServedDate, f.Fine, f.Notice.AnswerDays)
}

// ComputeDeadlines is Deadlines from plain values: the calendar, the
// document kind, the date of service, the fine (yuan, 0 for none) and the
// answer period of an advance notice (working days; 5 when 0).
func ComputeDeadlines(cal rules.Calendar, kind, served string, fine float64, answerDays int) *Deadlines {
	if _, err := parseDate(served); err != nil {
		return nil
	}
	dl := &Deadlines{ServedDate: served}
	if kind == rules.KindAdvanceNotice {
		if answerDays <= 0 {
			answerDays = 5
		}
		dl.AnswerDue, _ = cal.AddWorkdays(served, answerDays)
		return dl
	}
	dl.ReconsiderationDue = periodEnd(cal, served, ReconsiderationDays, 0)
	if kind == rules.KindOnTheSpotDecision {
		dl.ReconsiderationFirst = true
	} else {
		dl.LitigationDue = periodEnd(cal, served, 0, LitigationMonths)
	}
	if fine > 0 {
		dl.PaymentDue = periodEnd(cal, served, PaymentDays, 0)
		due, _ := parseDate(dl.PaymentDue)
		dl.LateFeeFrom = due.AddDate(0, 0, 1).Format(dateLayout)
		dl.LateFeePerDay = math.Round(fine*LateFeeRate*100) / 100
		dl.LateFeeCap = fine
		days := int(math.Ceil(1 / LateFeeRate)) // 34 days reach the fine
		dl.LateFeeCapDate = due.AddDate(0, 0, days).Format(dateLayout)
		dl.LateFeeRule = "到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额（《中华人民共和国行政处罚法》第七十二条第一款第一项）"
	}
	return dl
}
