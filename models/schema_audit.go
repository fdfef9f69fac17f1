package models

import (
	"time"

	"gorm.io/gorm"
)

// Migration 202612010005_audit_chain: the audit log as a hash chain
// (audit.go): each entry's place, the entry before it and its hash, and
// the chain's head; the entries already there are chained in id order.
// Frozen like schema_v1.go; the hash is the chain's own encoding
// (auditHash, version auditChainTag), which never changes for the entries
// it has hashed.

type auditChainEntry struct {
	ID         uint      `gorm:"primaryKey"`
	At         time.Time `gorm:"not null"`
	UserID     uint      `gorm:"not null"`
	Username   string    `gorm:"size:64;not null"`
	Action     string    `gorm:"size:64;not null"`
	Entity     string    `gorm:"size:32;not null"`
	EntityID   uint      `gorm:"not null"`
	FromStatus string    `gorm:"size:16;not null;default:''"`
	ToStatus   string    `gorm:"size:16;not null;default:''"`
	IP         string    `gorm:"size:64;not null;default:''"`
	Detail     string    `gorm:"type:text"`
	DocSHA256  string    `gorm:"size:64;not null;default:''"`
	Seq        int64     `gorm:"not null;default:0;uniqueIndex:idx_audit_log_seq"`
	PrevID     uint      `gorm:"not null;default:0"`
	PrevHash   string    `gorm:"size:64;not null;default:''"`
	Hash       string    `gorm:"size:64;not null;default:''"`
}

func (auditChainEntry) TableName() string { return "audit_log" }

type auditChainHead struct {
	ID      uint   `gorm:"primaryKey"`
	Seq     int64  `gorm:"not null;default:0"`
	EntryID uint   `gorm:"not null;default:0"`
	Hash    string `gorm:"size:64;not null;default:''"`
}

func (auditChainHead) TableName() string { return "audit_chain" }

var auditChainColumns = []string{"Seq", "PrevID", "PrevHash", "Hash"}

// migrateAuditChain adds the columns and the head, chains the entries
// there are in id order (in batches, in one transaction) and indexes the
// places. Run again after a failure on MySQL (where DDL commits at once),
// it picks up where it stopped and chains every entry anew.
func migrateAuditChain(tx *gorm.DB) error {
	db := fresh(tx)
	m := db.Migrator()
	for _, col := range auditChainColumns {
		if !m.HasColumn(&auditChainEntry{}, col) {
			if err := m.AddColumn(&auditChainEntry{}, col); err != nil {
				return err
			}
		}
	}
	if !m.HasTable(&auditChainHead{}) {
		if err := m.CreateTable(&auditChainHead{}); err != nil {
			return err
		}
	}
	if m.HasIndex(&auditChainEntry{}, "idx_audit_log_seq") {
		if err := m.DropIndex(&auditChainEntry{}, "idx_audit_log_seq"); err != nil {
			return err
		}
	}
	err := db.Transaction(func(db *gorm.DB) error {
		head := auditChainHead{ID: auditHeadID}
		var batch []auditChainEntry
		err := db.FindInBatches(&batch, 500, func(db *gorm.DB, _ int) error { // in id order
			for i := range batch {
				r := &batch[i]
				e := AuditEntry{ID: r.ID, At: r.At, UserID: r.UserID, Username: r.Username, Action: r.Action,
					Entity: r.Entity, EntityID: r.EntityID, FromStatus: r.FromStatus, ToStatus: r.ToStatus, IP: r.IP,
					Detail: r.Detail, DocSHA256: r.DocSHA256, Seq: head.Seq + 1, PrevID: head.EntryID, PrevHash: head.Hash}
				e.Hash = auditHash(&e)
				if err := db.Exec("UPDATE audit_log SET seq = ?, prev_id = ?, prev_hash = ?, hash = ? WHERE id = ?",
					e.Seq, e.PrevID, e.PrevHash, e.Hash, e.ID).Error; err != nil {
					return err
				}
				head.Seq, head.EntryID, head.Hash = e.Seq, e.ID, e.Hash
			}
			return nil
		}).Error
		if err != nil {
			return err
		}
		if err := db.Exec("DELETE FROM audit_chain").Error; err != nil {
			return err
		}
		return db.Create(&head).Error
	})
	if err != nil {
		return err
	}
	return m.CreateIndex(&auditChainEntry{}, "idx_audit_log_seq")
}

func rollbackAuditChain(tx *gorm.DB) error {
	m := fresh(tx).Migrator()
	if err := m.DropTable(&auditChainHead{}); err != nil {
		return err
	}
	if m.HasIndex(&auditChainEntry{}, "idx_audit_log_seq") {
		if err := m.DropIndex(&auditChainEntry{}, "idx_audit_log_seq"); err != nil {
			return err
		}
	}
	for _, col := range auditChainColumns {
		if err := m.DropColumn(&auditChainEntry{}, col); err != nil {
			return err
		}
	}
	return nil
}
