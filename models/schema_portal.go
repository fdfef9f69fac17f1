package models

import (
	"time"

	"gorm.io/gorm"
)

// Migration 202612020018_portal: the party's portal (issue 13 part 2):
// portal sessions, submissions with their evidence files, and consents to
// electronic service. Migration 202612020019_email: the proof of each
// electronic service. Frozen like schema_v1.go.

type portalSessionV1 struct {
	ID        uint      `gorm:"primaryKey"`
	TokenHash string    `gorm:"size:64;not null;uniqueIndex:idx_portal_sessions_token"`
	NoticeID  uint      `gorm:"not null"`
	CaseID    uint      `gorm:"not null"`
	CSRFToken string    `gorm:"size:64;not null"`
	IP        string    `gorm:"size:64;not null;default:''"`
	ExpiresAt time.Time `gorm:"not null;index:idx_portal_sessions_expires"`
	CreatedAt time.Time
}

func (portalSessionV1) TableName() string { return "portal_sessions" }

type portalSubmissionV1 struct {
	ID           uint   `gorm:"primaryKey"`
	CaseID       uint   `gorm:"not null;index:idx_portal_submissions_case"`
	AuthorityID  uint   `gorm:"not null;index:idx_portal_submissions_authority"`
	NoticeID     uint   `gorm:"not null"`
	Kind         string `gorm:"size:16;not null"`
	Text         string `gorm:"type:text"`
	Email        string `gorm:"size:200;not null;default:''"`
	SHA256       string `gorm:"size:64;not null"`
	IP           string `gorm:"size:64;not null;default:''"`
	Outcome      string `gorm:"size:16;not null;default:''"`
	Reason       string `gorm:"type:text"`
	ReviewedByID *uint
	ReviewedAt   *time.Time
	CreatedAt    time.Time `gorm:"not null"`
}

func (portalSubmissionV1) TableName() string { return "portal_submissions" }

type portalFileV1 struct {
	ID           uint      `gorm:"primaryKey"`
	SubmissionID uint      `gorm:"not null;index:idx_portal_files_submission"`
	CaseID       uint      `gorm:"not null;index:idx_portal_files_case"`
	Name         string    `gorm:"size:200;not null"`
	ContentType  string    `gorm:"size:50;not null"`
	Size         int64     `gorm:"not null"`
	SHA256       string    `gorm:"size:64;not null"`
	Data         []byte    `gorm:"type:longblob"`
	CreatedAt    time.Time `gorm:"not null"`
}

func (portalFileV1) TableName() string { return "portal_files" }

type serviceConsentV1 struct {
	ID           uint   `gorm:"primaryKey"`
	CaseID       uint   `gorm:"not null;index:idx_service_consents_case"`
	AuthorityID  uint   `gorm:"not null;index:idx_service_consents_authority"`
	Email        string `gorm:"size:200;not null"`
	Source       string `gorm:"size:16;not null"`
	SignedDate   string `gorm:"size:10;not null"`
	RecordedByID uint   `gorm:"not null;default:0"`
	SubmissionID *uint
	CreatedAt    time.Time `gorm:"not null"`
}

func (serviceConsentV1) TableName() string { return "service_consents" }

type emailServiceV1 struct {
	ID          uint      `gorm:"primaryKey"`
	DocumentID  uint      `gorm:"not null;index:idx_email_services_document"`
	CaseID      uint      `gorm:"not null;index:idx_email_services_case"`
	AuthorityID uint      `gorm:"not null"`
	ReceiptID   uint      `gorm:"not null"`
	ConsentID   uint      `gorm:"not null"`
	To          string    `gorm:"column:to_address;size:200;not null"`
	MessageID   string    `gorm:"size:300;not null"`
	ServerReply string    `gorm:"type:text"`
	AcceptedAt  time.Time `gorm:"not null"`
	ServedDate  string    `gorm:"size:10;not null"`
	SentByID    uint      `gorm:"not null"`
	CreatedAt   time.Time `gorm:"not null"`
}

func (emailServiceV1) TableName() string { return "email_services" }

func portalTables() []any {
	return []any{&portalSessionV1{}, &portalSubmissionV1{}, &portalFileV1{}, &serviceConsentV1{}}
}

func createMissing(tx *gorm.DB, tables ...any) error {
	m := fresh(tx).Migrator()
	for _, t := range tables {
		if !m.HasTable(t) {
			if err := m.CreateTable(t); err != nil {
				return err
			}
		}
	}
	return nil
}

func migratePortal(tx *gorm.DB) error  { return createMissing(tx, portalTables()...) }
func rollbackPortal(tx *gorm.DB) error { return fresh(tx).Migrator().DropTable(portalTables()...) }
func migrateEmail(tx *gorm.DB) error   { return createMissing(tx, &emailServiceV1{}) }
func rollbackEmail(tx *gorm.DB) error  { return fresh(tx).Migrator().DropTable(&emailServiceV1{}) }
