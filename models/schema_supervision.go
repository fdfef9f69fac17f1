package models

import "gorm.io/gorm"

// Migration 202612020022_supervision: the head's extension of a case's
// decision period (APL Art. 60), which the supervision page's 90-day check
// reads: the new last day, the reason, who approved it and when. Frozen
// like schema_v1.go.

type supervisionCase struct {
	ExtensionDeadline string `gorm:"size:10;not null;default:''"`
	ExtensionReason   string `gorm:"type:text"`
	ExtensionByID     *uint
	ExtensionBy       string `gorm:"size:100;not null;default:''"`
	ExtensionApproved string `gorm:"size:10;not null;default:''"`
}

func (supervisionCase) TableName() string { return "cases" }

var supervisionColumns = []string{"ExtensionDeadline", "ExtensionReason", "ExtensionByID", "ExtensionBy", "ExtensionApproved"}

func migrateSupervision(tx *gorm.DB) error {
	m := fresh(tx).Migrator()
	for _, col := range supervisionColumns {
		if !m.HasColumn(&supervisionCase{}, col) {
			if err := m.AddColumn(&supervisionCase{}, col); err != nil {
				return err
			}
		}
	}
	return nil
}

// rollbackSupervision drops the columns with ALTER TABLE … DROP COLUMN on
// both databases (GORM's SQLite DropColumn rebuilds the table and loses
// the earlier migrations' indexes).
func rollbackSupervision(tx *gorm.DB) error {
	db := fresh(tx)
	m := db.Migrator()
	for _, col := range supervisionColumns {
		if m.HasColumn(&supervisionCase{}, col) {
			if err := db.Exec("ALTER TABLE cases DROP COLUMN " + db.NamingStrategy.ColumnName("cases", col)).Error; err != nil {
				return err
			}
		}
	}
	return nil
}
