package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// Calendar returns the official working-day calendar (every year entered).
func (s *Store) Calendar(ctx context.Context) (rules.Calendar, error) {
	return s.calendar(s.conn(ctx))
}

// calendarEntry is a calendar and the version token it was read under.
type calendarEntry struct {
	token string
	cal   rules.Calendar
}

// calendar is the official calendar as db sees it now (in a transaction:
// as of its snapshot). The process keeps the days it read with the
// version token (CalendarVersion) and answers them again while db shows
// the same token: one primary-key read instead of every day. The calendar
// answered is shared: callers must not change its maps.
func (s *Store) calendar(db *gorm.DB) (rules.Calendar, error) {
	token, err := calendarToken(db)
	if err != nil {
		return rules.Calendar{}, err
	}
	if e := s.calendarCache.Load(); e != nil && token != "" && e.token == token {
		return e.cal, nil
	}
	cal, err := calendarDays(db)
	if err != nil {
		return rules.Calendar{}, err
	}
	if token == "" {
		return cal, nil // no version row (removed by hand): nothing to keep
	}
	// Outside a transaction the days may be newer than the token read
	// before them: keep them only when the token read after them is the
	// same (a change writes days and token in one transaction).
	if after, err := calendarToken(db); err == nil && after == token {
		s.calendarCache.Store(&calendarEntry{token: token, cal: cal})
	}
	return cal, nil
}

// calendarToken is the calendar's version token, "" when the row is
// missing.
func calendarToken(db *gorm.DB) (string, error) {
	var tokens []string
	if err := db.Model(&CalendarVersion{}).Where("id = ?", calendarVersionID).Limit(1).Pluck("token", &tokens).Error; err != nil {
		return "", errs.Wrap(err, "load calendar version")
	}
	if len(tokens) == 0 {
		return "", nil
	}
	return tokens[0], nil
}

// calendarDays reads every day of the calendar.
func calendarDays(db *gorm.DB) (rules.Calendar, error) {
	var days []CalendarDay
	if err := db.Select("date", "kind").Find(&days).Error; err != nil {
		return rules.Calendar{}, errs.Wrap(err, "load calendar")
	}
	cal := rules.Calendar{Holidays: map[string]bool{}, Workdays: map[string]bool{}}
	for _, d := range days {
		if d.Kind == DayWorkday {
			cal.Workdays[d.Date] = true
		} else {
			cal.Holidays[d.Date] = true
		}
	}
	return cal, nil
}

// CalendarYear returns one year's official days off and make-up working
// days.
func (s *Store) CalendarYear(ctx context.Context, year int) (holidays, workdays []string, err error) {
	var days []CalendarDay
	if err := s.conn(ctx).Where("year = ?", year).Order("date").Find(&days).Error; err != nil {
		return nil, nil, errs.Wrap(err, "load calendar %d", year)
	}
	holidays, workdays = []string{}, []string{}
	for _, d := range days {
		if d.Kind == DayWorkday {
			workdays = append(workdays, d.Date)
		} else {
			holidays = append(holidays, d.Date)
		}
	}
	return holidays, workdays, nil
}

// SetCalendarYear replaces one year's entries (validated by
// rules.ValidateCalendarYear) and audits the change.
func (s *Store) SetCalendarYear(ctx context.Context, a Actor, year int, holidays, workdays []string) error {
	if err := rules.ValidateCalendarYear(year, holidays, workdays); err != nil {
		return err
	}
	for _, list := range [][]string{holidays, workdays} {
		for i := range list {
			list[i] = strings.TrimSpace(list[i])
		}
	}
	return s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("year = ?", year).Delete(&CalendarDay{}).Error; err != nil {
			return errs.Wrap(err, "clear calendar %d", year)
		}
		rows := make([]CalendarDay, 0, len(holidays)+len(workdays))
		seen := map[string]bool{}
		for _, list := range []struct {
			kind  string
			dates []string
		}{{DayHoliday, holidays}, {DayWorkday, workdays}} {
			for _, d := range list.dates {
				if !seen[d] {
					seen[d] = true
					rows = append(rows, CalendarDay{Date: d, Year: year, Kind: list.kind})
				}
			}
		}
		if len(rows) > 0 {
			if err := tx.Create(&rows).Error; err != nil {
				return errs.Wrap(err, "store calendar %d", year)
			}
		}
		// A new version token with the days: every process reads them again.
		v := CalendarVersion{ID: calendarVersionID, Token: NewToken(16)}
		if err := tx.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns([]string{"token"})}).Create(&v).Error; err != nil {
			return errs.Wrap(err, "store calendar version")
		}
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "set_calendar",
			Entity: "calendar", EntityID: uint(year), Detail: fmt.Sprintf("%d holidays, %d make-up working days", len(holidays), len(workdays))})
	})
}
