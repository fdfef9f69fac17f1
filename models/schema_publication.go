package models

import (
	"time"

	"gorm.io/gorm"
)

// Migration 202612020016_publications: the publication of decisions
// (行政执法公示, issue 13 part 1): one record per issued penalty decision
// and the authority settings its rules need (较低数额罚款, the period
// outside market regulation, the authority's credit code for the credit
// platforms). Frozen like schema_v1.go.

type pubPublication struct {
	ID             uint   `gorm:"primaryKey"`
	DocumentID     uint   `gorm:"not null;uniqueIndex:idx_publications_document"`
	CaseID         uint   `gorm:"not null;index"`
	AuthorityID    uint   `gorm:"not null;index"`
	Status         string `gorm:"size:16;not null;index"`
	Reason         string `gorm:"type:text"`
	DecisionKind   string `gorm:"size:32;not null;default:''"`
	DecisionDate   string `gorm:"size:10;not null;default:'';index"`
	DueDate        string `gorm:"size:10;not null;default:'';index"`
	DueDays        int    `gorm:"not null;default:0"`
	Months         int    `gorm:"not null;default:0"`
	EarlyEnd       bool   `gorm:"not null;default:false"`
	Secret         string `gorm:"size:16;not null;default:''"`
	OtherProvince  bool   `gorm:"not null;default:false"`
	MaskNames      string `gorm:"column:mask_names_json;type:text"`
	Number         string `gorm:"size:150;not null;default:'';index"`
	PartyName      string `gorm:"size:200;not null;default:'';index"`
	ItemCode       string `gorm:"size:64;not null;default:'';index"`
	ItemName       string `gorm:"size:300;not null;default:''"`
	Penalties      string `gorm:"type:text"`
	PublishedDate  string `gorm:"size:10;not null;default:'';index"`
	EndDate        string `gorm:"size:10;not null;default:''"`
	PDF            []byte `gorm:"type:longblob"`
	SHA256         string `gorm:"size:64;not null;default:''"`
	MaskedData     string `gorm:"column:masked_data_json;type:longtext"`
	ReviewedByID   *uint
	ReviewedAt     *time.Time
	ApprovedByID   *uint
	ApprovedAt     *time.Time
	PublishedByID  *uint
	PublishedAt    *time.Time
	WithdrawDue    string `gorm:"size:10;not null;default:'';index"`
	WithdrawCause  string `gorm:"type:text"`
	ReplacedByID   *uint
	WithdrawReason string `gorm:"type:text"`
	WithdrawnByID  *uint
	WithdrawnAt    *time.Time
	EndReason      string `gorm:"type:text"`
	EndedByID      *uint
	EndedAt        *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (pubPublication) TableName() string { return "publications" }

type pubAuthority struct {
	LowerFine         float64 `gorm:"type:decimal(14,2);not null;default:0"`
	PublicationMonths int     `gorm:"not null;default:0"`
	CreditCode        string  `gorm:"size:18;not null;default:''"`
}

func (pubAuthority) TableName() string { return "authorities" }

var pubAuthorityColumns = []string{"LowerFine", "PublicationMonths", "CreditCode"}

func migratePublications(tx *gorm.DB) error {
	db := fresh(tx)
	m := db.Migrator()
	if !m.HasTable(&pubPublication{}) {
		if err := m.CreateTable(&pubPublication{}); err != nil {
			return err
		}
	}
	for _, col := range pubAuthorityColumns {
		if !m.HasColumn(&pubAuthority{}, col) {
			if err := m.AddColumn(&pubAuthority{}, col); err != nil {
				return err
			}
		}
	}
	return nil
}

func rollbackPublications(tx *gorm.DB) error {
	db := fresh(tx)
	m := db.Migrator()
	for _, col := range pubAuthorityColumns {
		if m.HasColumn(&pubAuthority{}, col) {
			// ALTER TABLE … DROP COLUMN on both databases (see rollbackEnforcement).
			if err := db.Exec("ALTER TABLE authorities DROP COLUMN " + db.NamingStrategy.ColumnName("authorities", col)).Error; err != nil {
				return err
			}
		}
	}
	return m.DropTable(&pubPublication{})
}
