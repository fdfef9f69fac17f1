package models

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Migration 202612020004_officers: enforcement officers (APL Art. 42):
// users carry their enforcement certificate number and area, a case names
// its officers (cases.officer_ids, comma-separated user ids); corrections
// that correct: a correction draft keeps its revision of the case facts
// and evaluation and the reason; withdrawn drafts and cases (撤回/作废)
// keep the reason, who withdrew them and when. Frozen like schema_v1.go.

type vOfficersUser struct {
	CertificateNumber string `gorm:"size:50;not null;default:''"`
	Area              string `gorm:"size:100;not null;default:''"`
}

func (vOfficersUser) TableName() string { return "users" }

type vOfficersCase struct {
	OfficerIDs      string `gorm:"size:200;not null;default:''"`
	WithdrawnReason string `gorm:"type:text"`
	WithdrawnByID   *uint
	WithdrawnAt     *time.Time
}

func (vOfficersCase) TableName() string { return "cases" }

type vOfficersDocument struct {
	RevisionFacts      string `gorm:"column:revision_facts_json;type:longtext"`
	RevisionEvaluation string `gorm:"column:revision_evaluation_json;type:longtext"`
	CorrectionReason   string `gorm:"type:text"`
	WithdrawnReason    string `gorm:"type:text"`
	WithdrawnByID      *uint
	WithdrawnAt        *time.Time
}

func (vOfficersDocument) TableName() string { return "documents" }

var officersColumns = []struct {
	model any
	cols  []string
}{
	{&vOfficersUser{}, []string{"CertificateNumber", "Area"}},
	{&vOfficersCase{}, []string{"OfficerIDs", "WithdrawnReason", "WithdrawnByID", "WithdrawnAt"}},
	{&vOfficersDocument{}, []string{"RevisionFacts", "RevisionEvaluation", "CorrectionReason", "WithdrawnReason", "WithdrawnByID", "WithdrawnAt"}},
}

func migrateOfficers(tx *gorm.DB) error {
	m := fresh(tx).Migrator()
	for _, t := range officersColumns {
		for _, col := range t.cols {
			if !m.HasColumn(t.model, col) {
				if err := m.AddColumn(t.model, col); err != nil {
					return err
				}
			}
		}
	}
	// A case filed before names its creating officer.
	return fresh(tx).Exec("UPDATE cases SET officer_ids = " + castText(tx) + " WHERE officer_ids = '' AND officer_id <> 0").Error
}

// rollbackOfficers drops the columns with ALTER TABLE … DROP COLUMN on
// both databases (the SQLite migrator's DropColumn rebuilds the table and
// loses its indexes; none of these columns is indexed).
func rollbackOfficers(tx *gorm.DB) error {
	db := fresh(tx)
	m := db.Migrator()
	for _, t := range officersColumns {
		st := &gorm.Statement{DB: db}
		if err := st.Parse(t.model); err != nil {
			return err
		}
		for _, col := range t.cols {
			if m.HasColumn(t.model, col) {
				if err := db.Exec("ALTER TABLE ? DROP COLUMN ?", clause.Table{Name: st.Schema.Table}, clause.Column{Name: st.Schema.LookUpField(col).DBName}).Error; err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// castText writes officer_id as text in the dialect of tx.
func castText(tx *gorm.DB) string {
	if tx.Dialector.Name() == DialectMySQL {
		return "CAST(officer_id AS CHAR)"
	}
	return "CAST(officer_id AS TEXT)"
}
