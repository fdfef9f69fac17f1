package models

import (
	"time"

	"gorm.io/gorm"
)

// Migration 202612020005_enforcement: the execution of a decision and the
// hearing (issue 11, items 7 and 8): payments, the approved deferral or
// instalments, the other penalties' execution, the application to the
// court, the payment state lists filter on, and the hearing's request,
// notice and record. Penalty cases the old rule closed at the decision
// while a fine was decided are executing again, unpaid. Frozen like
// schema_v1.go.

type v6Payment struct {
	ID           uint      `gorm:"primaryKey"`
	CaseID       uint      `gorm:"not null;index"`
	AuthorityID  uint      `gorm:"not null;index"`
	Date         string    `gorm:"size:10;not null"`
	Amount       float64   `gorm:"type:decimal(14,2);not null"`
	Receipt      string    `gorm:"size:100;not null;default:''"`
	RecordedByID uint      `gorm:"not null"`
	CreatedAt    time.Time `gorm:"not null"`
}

func (v6Payment) TableName() string { return "payments" }

type v6Case struct {
	PaymentState        string `gorm:"size:16;not null;default:'';index"`
	DeferralApplied     string `gorm:"size:10;not null;default:''"`
	DeferralApproved    string `gorm:"size:10;not null;default:''"`
	InstalmentsJSON     string `gorm:"column:instalments_json;type:text"`
	EnforcementApplied  string `gorm:"size:10;not null;default:''"`
	OtherExecuted       string `gorm:"size:10;not null;default:''"`
	OtherExecutedNote   string `gorm:"type:text"`
	HearingRequested    string `gorm:"size:10;not null;default:''"`
	HearingScheduled    string `gorm:"size:10;not null;default:''"`
	HearingTime         string `gorm:"size:5;not null;default:''"`
	HearingPlace        string `gorm:"size:300;not null;default:''"`
	HearingHostID       *uint
	HearingHost         string `gorm:"size:100;not null;default:''"`
	HearingParticipants string `gorm:"size:300;not null;default:''"`
	HearingSummary      string `gorm:"type:text"`
}

func (v6Case) TableName() string { return "cases" }

var v6CaseColumns = []string{"PaymentState", "DeferralApplied", "DeferralApproved", "InstalmentsJSON", "EnforcementApplied",
	"OtherExecuted", "OtherExecutedNote", "HearingRequested", "HearingScheduled", "HearingTime", "HearingPlace", "HearingHostID",
	"HearingHost", "HearingParticipants", "HearingSummary"}

func migrateEnforcement(tx *gorm.DB) error {
	db := fresh(tx)
	m := db.Migrator()
	if !m.HasTable(&v6Payment{}) {
		if err := m.CreateTable(&v6Payment{}); err != nil {
			return err
		}
	}
	for _, col := range v6CaseColumns {
		if !m.HasColumn(&v6Case{}, col) {
			if err := m.AddColumn(&v6Case{}, col); err != nil {
				return err
			}
		}
	}
	if !m.HasIndex(&v6Case{}, "PaymentState") {
		if err := m.CreateIndex(&v6Case{}, "PaymentState"); err != nil {
			return err
		}
	}
	// Decided with a fine, "closed" by the old rule: executing, unpaid.
	return db.Exec(`UPDATE cases SET status = 'executing', payment_state = 'unpaid' WHERE status = 'closed' AND id IN
		(SELECT case_id FROM documents WHERE kind IN ('penalty_decision', 'on_the_spot_decision') AND status IN ('issued', 'served') AND fine > 0)`).Error
}

func rollbackEnforcement(tx *gorm.DB) error {
	db := fresh(tx)
	if err := db.Exec(`UPDATE cases SET status = 'closed' WHERE status = 'executing'`).Error; err != nil {
		return err
	}
	m := db.Migrator()
	if m.HasIndex(&v6Case{}, "PaymentState") {
		if err := m.DropIndex(&v6Case{}, "PaymentState"); err != nil {
			return err
		}
	}
	// ALTER TABLE … DROP COLUMN on both databases: GORM's SQLite
	// DropColumn rebuilds the table and loses the indexes of the
	// migrations before (which their rollbacks then drop).
	for _, col := range v6CaseColumns {
		name := db.NamingStrategy.ColumnName("cases", col)
		if col == "InstalmentsJSON" {
			name = "instalments_json"
		}
		if m.HasColumn(&v6Case{}, col) {
			if err := db.Exec("ALTER TABLE cases DROP COLUMN " + name).Error; err != nil {
				return err
			}
		}
	}
	return m.DropTable(&v6Payment{})
}
