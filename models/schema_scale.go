package models

import "gorm.io/gorm"

// Migration 202612020028_case_legal_review: the one flag of a case's
// evaluation that the document lists' permission rule reads (legal review
// required, DocState.LegalReview) as a column of its own, so that the work
// queue and the print list read list columns only, not every row's
// evaluation JSON. Filled from the JSON here; kept in step by SetFacts,
// through which every write of the evaluation passes. Frozen like
// schema_v1.go.

type scaleCase struct {
	LegalReview bool `gorm:"not null;default:false"`
}

func (scaleCase) TableName() string { return "cases" }

func migrateCaseLegalReview(tx *gorm.DB) error {
	db := fresh(tx)
	m := db.Migrator()
	if !m.HasColumn(&scaleCase{}, "LegalReview") {
		if err := m.AddColumn(&scaleCase{}, "LegalReview"); err != nil {
			return err
		}
	}
	// encoding/json writes the flag exactly so (no spaces), as the
	// evaluation column was always written.
	return db.Exec(`UPDATE cases SET legal_review = ? WHERE evaluation_json LIKE ?`, true, `%"legal_review_required":true%`).Error
}

// rollbackCaseLegalReview drops the column with ALTER TABLE … DROP COLUMN
// on both databases (GORM's SQLite DropColumn rebuilds the table).
func rollbackCaseLegalReview(tx *gorm.DB) error {
	db := fresh(tx)
	if db.Migrator().HasColumn(&scaleCase{}, "LegalReview") {
		return db.Exec("ALTER TABLE cases DROP COLUMN legal_review").Error
	}
	return nil
}
