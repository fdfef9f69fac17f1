package models

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Migration 202612020029_calendar_version: one row whose token changes,
// in the same transaction, with every change of the official calendar
// (SetCalendarYear). A process keeps the calendar it read with the token
// it read it under and reads the days again only when the token differs:
// one primary-key read instead of every calendar day on each issue, and
// correct across processes sharing the database, since every reader asks
// the database for the token. A random token, not a counter: a database
// restored from a copy never shows a token a process saw with other
// days. The first token is a digest of the days there are when the
// migration runs (so that a fresh database's is always the same, as its
// copies are). Frozen like schema_v1.go.

type calendarVersionV1 struct {
	ID    uint   `gorm:"primaryKey;autoIncrement:false"`
	Token string `gorm:"size:32;not null"`
}

func (calendarVersionV1) TableName() string { return "calendar_version" }

func migrateCalendarVersion(tx *gorm.DB) error {
	db := fresh(tx)
	if !db.Migrator().HasTable(&calendarVersionV1{}) {
		if err := db.Migrator().CreateTable(&calendarVersionV1{}); err != nil {
			return err
		}
	}
	var days []struct{ Date, Kind string }
	if err := db.Table("calendar_days").Select("date", "kind").Order("date").Find(&days).Error; err != nil {
		return err
	}
	h := sha256.New()
	for _, d := range days {
		fmt.Fprintf(h, "%s %s\n", d.Date, d.Kind)
	}
	token := base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
	return db.Clauses(clause.OnConflict{DoNothing: true}).Create(&calendarVersionV1{ID: calendarVersionID, Token: token}).Error
}

func rollbackCalendarVersion(tx *gorm.DB) error {
	return fresh(tx).Migrator().DropTable(&calendarVersionV1{})
}
