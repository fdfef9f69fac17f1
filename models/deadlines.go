package models

import (
	"fmt"
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

// Deadlines computes the periods running from the document's service on the
// official calendar, from the figures stored at issue; nil until it is
// served (or for a service receipt).
func (d *Document) Deadlines(cal rules.Calendar) *rules.Deadlines {
	if d.ServedDate == "" || !Numbered(d.Kind) {
		return nil
	}
	return rules.ComputeDeadlines(cal, d.Kind, d.ServedDate, d.Fine, d.AnswerDays)
}
