package models

import (
	"encoding/json"

	"gorm.io/gorm"
)

// Migration 202612020030_case_legal_review_fix: 202612020028 set
// legal_review where the evaluation JSON holds "legal_review_required":true
// anywhere, which also matched the flag of a discretionary no-penalty
// evaluation's penalty_alternative (what a penalty would need), not the
// evaluation's own. The cases it flagged with a penalty alternative get
// the flag of the evaluation itself. Frozen like schema_v1.go.

func migrateCaseLegalReviewFix(tx *gorm.DB) error {
	db := fresh(tx)
	var rows []struct {
		ID             uint
		EvaluationJSON string
	}
	if err := db.Table("cases").Select("id", "evaluation_json").
		Where("legal_review = ? AND evaluation_json LIKE ?", true, `%"penalty_alternative":{%`).Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		var ev struct {
			LegalReviewRequired bool `json:"legal_review_required"`
		}
		if err := json.Unmarshal([]byte(r.EvaluationJSON), &ev); err != nil {
			continue // not the JSON SetFacts writes: left as the LIKE set it
		}
		if !ev.LegalReviewRequired {
			if err := db.Table("cases").Where("id = ?", r.ID).Update("legal_review", false).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// rollbackCaseLegalReviewFix leaves the corrected flags: 202612020028's
// rollback drops the column.
func rollbackCaseLegalReviewFix(*gorm.DB) error { return nil }
