package rules

import (
	"strings"
	"testing"
)

func TestCalendarAddWorkdays(t *testing.T) {
	national, err := NewCalendar([]string{"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"}, []string{"2026-10-10"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cal  Calendar
		date string
		n    int
		want string
	}{
		{"Monday → next Monday", Calendar{}, "2026-11-23", 5, "2026-11-30"},
		{"Friday → next Friday", Calendar{}, "2026-11-27", 5, "2026-12-04"},
		{"from Saturday", Calendar{}, "2026-11-28", 3, "2026-12-02"},
		{"one day over a weekend", Calendar{}, "2026-11-27", 1, "2026-11-30"},
		{"zero", Calendar{}, "2026-11-27", 0, "2026-11-27"},
		{"weekends only", Calendar{}, "2026-09-29", 5, "2026-10-06"},
		{"over the National Day week", national, "2026-09-29", 5, "2026-10-12"}, // 30 Sep, 8, 9, 10 (make-up Saturday), 12 Oct
		{"starting in the holiday", national, "2026-10-02", 1, "2026-10-08"},
	} {
		got, err := tc.cal.AddWorkdays(tc.date, tc.n)
		if err != nil || got != tc.want {
			t.Errorf("%s: AddWorkdays(%s, %d) = %s, %v; want %s", tc.name, tc.date, tc.n, got, err, tc.want)
		}
	}
	if _, err := (Calendar{}).AddWorkdays("2026-02-30", 1); err == nil {
		t.Error("bad date accepted")
	}
	if got, _ := national.NextWorkday("2026-10-03"); got != "2026-10-08" {
		t.Errorf("NextWorkday in the holiday = %s", got)
	}
	if got, _ := national.NextWorkday("2026-10-10"); got != "2026-10-10" {
		t.Errorf("NextWorkday on a make-up Saturday = %s", got)
	}
}

func TestValidateCalendarYear(t *testing.T) {
	for _, tc := range []struct {
		name               string
		year               int
		holidays, workdays []string
		bad                []string // field keys expected
	}{
		{"fine", 2026, []string{"2026-10-01", "2026-10-03"}, []string{"2026-10-10"}, nil},
		{"empty", 2026, nil, nil, nil},
		{"wrong year", 2026, []string{"2027-01-01"}, nil, []string{"holidays[0]"}},
		{"bad date", 2026, []string{"2026-02-30"}, nil, []string{"holidays[0]"}},
		{"make-up day on a weekday", 2026, nil, []string{"2026-10-09"}, []string{"workdays[0]"}},
		{"both lists", 2026, []string{"2026-10-10"}, []string{"2026-10-10"}, []string{"workdays[0]"}},
		{"year out of range", 1999, nil, nil, []string{"year"}},
	} {
		err := ValidateCalendarYear(tc.year, tc.holidays, tc.workdays)
		if len(tc.bad) == 0 {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		for _, f := range tc.bad {
			if !strings.Contains(err.Error(), f+": ") {
				t.Errorf("%s: %v does not name %s", tc.name, err, f)
			}
		}
	}
}
