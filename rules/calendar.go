package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"penaltydoc/errs"
)

// Calendar knows which days are working days (APL Art. 85: the 2, 3, 5 and
// 7-day periods are working days): Monday to Friday, less the official
// holidays that fall on weekdays, plus the make-up working days on
// weekends (调休). The State Council publishes both lists every year; with
// empty lists only weekends are days off.
type Calendar struct {
	Holidays map[string]bool // YYYY-MM-DD days off on a weekday
	Workdays map[string]bool // YYYY-MM-DD working days on a weekend
}

const calendarLayout = "2006-01-02"

// maxDayShift bounds deadline loops (a century).
const maxDayShift = 36600

var errDayShift = errors.New("期限天数超出范围")

func parseCalendarDate(s string) (time.Time, error) {
	t, err := time.Parse(calendarLayout, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("日期“%s”不是 YYYY-MM-DD 格式", s)
	}
	return t, nil
}

// NewCalendar builds a calendar from lists of YYYY-MM-DD dates.
func NewCalendar(holidays, workdays []string) (Calendar, error) {
	c := Calendar{Holidays: map[string]bool{}, Workdays: map[string]bool{}}
	for _, d := range holidays {
		t, err := parseCalendarDate(d)
		if err != nil {
			return c, err
		}
		c.Holidays[t.Format(calendarLayout)] = true
	}
	for _, d := range workdays {
		t, err := parseCalendarDate(d)
		if err != nil {
			return c, err
		}
		c.Workdays[t.Format(calendarLayout)] = true
	}
	return c, nil
}

// Lists gives the calendar's days as sorted lists (templates' working-day
// functions take them so).
func (c Calendar) Lists() (holidays, workdays []string) {
	for d := range c.Holidays {
		holidays = append(holidays, d)
	}
	for d := range c.Workdays {
		workdays = append(workdays, d)
	}
	slices.Sort(holidays)
	slices.Sort(workdays)
	return holidays, workdays
}

// IsWorkday reports whether t is a working day.
func (c Calendar) IsWorkday(t time.Time) bool {
	k := t.Format(calendarLayout)
	if c.Workdays[k] {
		return true
	}
	if c.Holidays[k] {
		return false
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkdays returns the date n working days after date; the start day
// does not count. n ≤ 0 gives date itself.
func (c Calendar) AddWorkdays(date string, n int) (string, error) {
	t, err := parseCalendarDate(date)
	if err != nil {
		return "", err
	}
	if n > maxDayShift/2 {
		return "", errDayShift
	}
	for i := 0; i < n; {
		t = t.AddDate(0, 0, 1)
		if c.IsWorkday(t) {
			i++
		}
	}
	return t.Format(calendarLayout), nil
}

// NextWorkday returns date when it is a working day, else the next working
// day: a period whose last day is a day off ends on the next working day.
func (c Calendar) NextWorkday(date string) (string, error) {
	t, err := parseCalendarDate(date)
	if err != nil {
		return "", err
	}
	for i := 0; !c.IsWorkday(t) && i < 366; i++ {
		t = t.AddDate(0, 0, 1)
	}
	return t.Format(calendarLayout), nil
}

// ValidateCalendarYear checks one year's official days off on weekdays
// (holidays) and make-up working days on weekends (workdays): real dates of
// that year, make-up days on a Saturday or Sunday, no day in both lists.
// Holidays on a weekend are accepted (the State Council's notice lists whole
// holiday periods) and change nothing.
func ValidateCalendarYear(year int, holidays, workdays []string) error {
	fe := errs.Fields{}
	if year < 2000 || year > 2100 {
		fe.Add("year", "年份应在2000至2100之间")
		return fe.Err()
	}
	seen := map[string]string{}
	check := func(field string, list []string, weekendOnly bool) {
		if len(list) > 120 {
			fe.Add(field, "日期过多（每年最多120个）")
			return
		}
		for i, d := range list {
			key := fmt.Sprintf("%s[%d]", field, i)
			t, err := parseCalendarDate(d)
			switch {
			case err != nil:
				fe.Add(key, "日期应为YYYY-MM-DD格式的有效日期")
			case t.Year() != year:
				fe.Add(key, fmt.Sprintf("日期不在%d年", year))
			case weekendOnly && t.Weekday() != time.Saturday && t.Weekday() != time.Sunday:
				fe.Add(key, "调休上班日应为星期六或星期日")
			case seen[t.Format(calendarLayout)] != "" && seen[t.Format(calendarLayout)] != field:
				fe.Add(key, "同一天不能既是放假日又是调休上班日")
			default:
				seen[t.Format(calendarLayout)] = field
			}
		}
	}
	check("holidays", holidays, false)
	check("workdays", workdays, true)
	return fe.Err()
}

// PeriodEnd is the last day of a period of calendar days or months counted
// from the day after date; a last day that is a day off moves to the next
// working day. Month arithmetic clamps to the month's end (31 August plus
// six months is the last day of February). "" when date is not one.
func (c Calendar) PeriodEnd(date string, days, months int) string {
	t, err := parseCalendarDate(date)
	if err != nil {
		return ""
	}
	if months > 0 {
		first := time.Date(t.Year(), t.Month()+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 1, -1).Day()
		t = time.Date(first.Year(), first.Month(), min(t.Day(), last), 0, 0, 0, 0, time.UTC)
	}
	end, err := c.NextWorkday(t.AddDate(0, 0, days).Format(calendarLayout))
	if err != nil {
		return ""
	}
	return end
}
