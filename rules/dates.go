package rules

import (
	"fmt"
	"strconv"
	"time"
)

// China is the time zone of the law's dates (UTC+8, no daylight saving):
// an act, a decision, a day of service are China dates. The clock itself
// is the store's (models.Store.Today); rules only names the zone.
var China = time.FixedZone("CST", 8*3600)

// date is a calendar day with no time zone: the law counts days, not instants.
type date struct{ y, m, d int }

// parseDate reads a strict "YYYY-MM-DD" calendar date (years 1000-9999).
func parseDate(s string) (date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return date{}, false
	}
	y, ok1 := atoiDigits(s[0:4])
	m, ok2 := atoiDigits(s[5:7])
	d, ok3 := atoiDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1000 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return date{}, false
	}
	return date{y, m, d}, true
}

// atoiDigits parses a string of ASCII digits only (no sign, no spaces).
func atoiDigits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// ValidDate reports whether s is a real calendar date written YYYY-MM-DD.
func ValidDate(s string) bool {
	_, ok := parseDate(s)
	return ok
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func (a date) String() string { return fmt.Sprintf("%04d-%02d-%02d", a.y, a.m, a.d) }

// chinese writes the date as GB/T 9704 prints it: 2026年5月2日.
func (a date) chinese() string { return fmt.Sprintf("%d年%d月%d日", a.y, a.m, a.d) }

func (a date) cmp(b date) int {
	switch {
	case a.y != b.y:
		return sign(a.y - b.y)
	case a.m != b.m:
		return sign(a.m - b.m)
	}
	return sign(a.d - b.d)
}

func (a date) before(b date) bool { return a.cmp(b) < 0 }
func (a date) after(b date) bool  { return a.cmp(b) > 0 }

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// addMonths adds n calendar months (n may be negative). When the target
// month is shorter than the start day, the day is clamped to the month's
// last day: 2024-01-31 + 1 = 2024-02-29, 2023-01-31 + 1 = 2023-02-28,
// 2024-03-31 - 1 = 2024-02-29.
func addMonths(a date, n int) date {
	t := a.y*12 + (a.m - 1) + n
	y, m := t/12, t%12+1
	if t < 0 { // not reachable for years >= 1000 and sane n; keep it total
		y, m = (t-11)/12, ((t%12)+12)%12+1
	}
	d := a.d
	if dm := daysIn(y, m); d > dm {
		d = dm
	}
	return date{y, m, d}
}

// anniversary is the day a person born on a reaches the given age. A
// 29 February birthday is reached on 1 March in common years (the person
// has not yet lived through 29 February of that year on the 28th).
func anniversary(a date, years int) date {
	y := a.y + years
	if a.m == 2 && a.d == 29 && !isLeap(y) {
		return date{y, 3, 1}
	}
	return date{y, a.m, a.d}
}

// ChineseDate writes a YYYY-MM-DD date as 2026年5月2日; it returns s
// unchanged when s is not a valid date.
func ChineseDate(s string) string {
	a, ok := parseDate(s)
	if !ok {
		return s
	}
	return a.chinese()
}
