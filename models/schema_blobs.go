package models

import (
	"time"

	"gorm.io/gorm"
)

// Migration 202612020007_blobs: an issued document's PDF and render data
// leave the documents row for a side table, document_files (issue 12 item
// 5), so that lists and the workflow's locking reads never touch them;
// the rows move over and back (Rollback). Migration 202612020008_issuing:
// the numbers issuing has taken but not yet stored a PDF for
// (issue_reservations, see IssueDocument). Frozen like schema_v1.go.

type blobsDocumentFile struct {
	DocumentID uint   `gorm:"primaryKey;autoIncrement:false"`
	PDF        []byte `gorm:"type:longblob"`
	DataJSON   string `gorm:"type:longtext"`
}

func (blobsDocumentFile) TableName() string { return "document_files" }

type blobsDocument struct {
	PDF      []byte `gorm:"type:longblob"`
	DataJSON string `gorm:"type:longtext"`
}

func (blobsDocument) TableName() string { return "documents" }

func migrateBlobs(tx *gorm.DB) error {
	db := fresh(tx)
	m := db.Migrator()
	if err := m.CreateTable(&blobsDocumentFile{}); err != nil {
		return err
	}
	if err := db.Exec(`INSERT INTO document_files (document_id, pdf, data_json)
		SELECT id, pdf, data_json FROM documents WHERE pdf IS NOT NULL OR (data_json IS NOT NULL AND data_json <> '')`).Error; err != nil {
		return err
	}
	// ALTER TABLE … DROP COLUMN on both (SQLite ≥ 3.35): gorm's SQLite
	// migrator would rebuild the table and lose its indexes.
	for _, c := range []string{"pdf", "data_json"} {
		if err := db.Exec("ALTER TABLE documents DROP COLUMN " + c).Error; err != nil {
			return err
		}
	}
	return nil
}

func rollbackBlobs(tx *gorm.DB) error {
	db := fresh(tx)
	m := db.Migrator()
	for _, c := range []string{"PDF", "DataJSON"} {
		if err := m.AddColumn(&blobsDocument{}, c); err != nil {
			return err
		}
	}
	// Rows whose PDF lives outside the database (a blob directory) come
	// back without it: copy those files back first.
	if err := db.Exec(`UPDATE documents SET
		pdf = (SELECT f.pdf FROM document_files f WHERE f.document_id = documents.id),
		data_json = (SELECT f.data_json FROM document_files f WHERE f.document_id = documents.id)
		WHERE id IN (SELECT document_id FROM document_files)`).Error; err != nil {
		return err
	}
	return m.DropTable(&blobsDocumentFile{})
}

type issuingReservation struct {
	DocumentID  uint   `gorm:"primaryKey;autoIncrement:false"`
	AuthorityID uint   `gorm:"not null"`
	CaseID      uint   `gorm:"not null;index:idx_issue_reservations_case"`
	Kind        string `gorm:"size:32;not null"`
	Series      string `gorm:"size:100;not null"`
	Year        int    `gorm:"not null"`
	Serial      int64  `gorm:"not null"`
	VerifyToken string `gorm:"size:64;not null"`
	IssueDate   string `gorm:"size:10;not null"`
	IssuedAt    time.Time
	UserID      uint `gorm:"not null"`
	CreatedAt   time.Time
}

func (issuingReservation) TableName() string { return "issue_reservations" }

func migrateIssuing(tx *gorm.DB) error {
	return fresh(tx).Migrator().CreateTable(&issuingReservation{})
}

func rollbackIssuing(tx *gorm.DB) error {
	return fresh(tx).Migrator().DropTable(&issuingReservation{})
}
