package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// Calendar returns the official working-day calendar (every year entered).
func (s *Store) Calendar(ctx context.Context) (rules.Calendar, error) {
	return s.calendar(s.conn(ctx))
}

func (s *Store) calendar(db *gorm.DB) (rules.Calendar, error) {
	var days []CalendarDay
	if err := db.Order("date").Find(&days).Error; err != nil {
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
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "set_calendar",
			Entity: "calendar", EntityID: uint(year), Detail: fmt.Sprintf("%d holidays, %d make-up working days", len(holidays), len(workdays))})
	})
}
