package models

import (
	"time"

	"gorm.io/gorm"
)

// Migration 202612020006_lists: the lists an office works from (issue 11
// item 9): print marks (who printed a document when, one row per print, so
// issued documents stay untouched) and the indexes the list filters use
// (a document's issue date for "decided between"). Frozen like
// schema_v1.go.

type listsPrintMark struct {
	ID         uint      `gorm:"primaryKey"`
	DocumentID uint      `gorm:"not null;index:idx_print_marks_document"`
	UserID     uint      `gorm:"not null"`
	Username   string    `gorm:"size:64;not null"`
	PrintedAt  time.Time `gorm:"not null"`
}

func (listsPrintMark) TableName() string { return "print_marks" }

type listsDocument struct {
	IssueDate string `gorm:"size:10;not null;default:'';index:idx_documents_issue_date"`
}

func (listsDocument) TableName() string { return "documents" }

func migrateLists(tx *gorm.DB) error {
	db := fresh(tx)
	m := db.Migrator()
	if !m.HasTable(&listsPrintMark{}) {
		if err := m.CreateTable(&listsPrintMark{}); err != nil {
			return err
		}
	}
	if !m.HasIndex(&listsDocument{}, "idx_documents_issue_date") {
		return m.CreateIndex(&listsDocument{}, "idx_documents_issue_date")
	}
	return nil
}

func rollbackLists(tx *gorm.DB) error {
	m := fresh(tx).Migrator()
	if err := m.DropIndex(&listsDocument{}, "idx_documents_issue_date"); err != nil {
		return err
	}
	return m.DropTable(&listsPrintMark{})
}
