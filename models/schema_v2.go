package models

import (
	"encoding/json"

	"gorm.io/gorm"
)

// Migration 202612010001_document_figures: the figures deadlines run on and
// the legal reviewer, as typed columns of documents. Frozen like
// schema_v1.go.

type v2DocumentFigures struct {
	ReviewedByID *uint
	Fine         float64 `gorm:"type:decimal(14,2);not null;default:0"`
	AnswerDays   int     `gorm:"not null;default:0"`
}

func (v2DocumentFigures) TableName() string { return "documents" }

var v2FigureColumns = []string{"ReviewedByID", "Fine", "AnswerDays"}

func migrateV2(tx *gorm.DB) error {
	db := fresh(tx)
	m := db.Migrator()
	for _, col := range v2FigureColumns {
		if !m.HasColumn(&v2DocumentFigures{}, col) {
			if err := m.AddColumn(&v2DocumentFigures{}, col); err != nil {
				return err
			}
		}
	}
	// Backfill issued documents from the render data frozen with them, and
	// the legal reviewer from the audit log. Plain UPDATEs: the frozen-row
	// hooks belong to the Document model, not to this migration.
	type row struct {
		ID       uint
		DataJSON string
	}
	var rows []row
	if err := db.Table("documents").Select("id, data_json").Where("data_json IS NOT NULL AND data_json <> ''").Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		var f struct {
			Fine   float64
			Notice struct{ AnswerDays int }
		}
		if json.Unmarshal([]byte(r.DataJSON), &f) != nil {
			continue
		}
		if err := db.Exec("UPDATE documents SET fine = ?, answer_days = ? WHERE id = ?", f.Fine, f.Notice.AnswerDays, r.ID).Error; err != nil {
			return err
		}
	}
	var reviews []struct {
		EntityID uint
		UserID   uint
	}
	if err := db.Table("audit_log").Select("entity_id, user_id").Where("entity = ? AND action = ?", "document", "legal_review").
		Order("id").Find(&reviews).Error; err != nil {
		return err
	}
	for _, r := range reviews {
		if err := db.Exec("UPDATE documents SET reviewed_by_id = ? WHERE id = ? AND review_stage > 0", r.UserID, r.EntityID).Error; err != nil {
			return err
		}
	}
	return nil
}

func rollbackV2(tx *gorm.DB) error {
	m := fresh(tx).Migrator()
	for _, col := range v2FigureColumns {
		if err := m.DropColumn(&v2DocumentFigures{}, col); err != nil {
			return err
		}
	}
	return nil
}
