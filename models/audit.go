package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// Actor is who does something, with which roles, and from where.
type Actor struct {
	UserID   uint
	Username string
	Roles    []string
	IP       string
	// Emergency: the deployment's emergency setting lets this admin
	// override the separation of duties (audited).
	Emergency bool
	// Scope is what the actor may see and change; the zero Scope sees
	// nothing.
	Scope Scope
}

// Staff is the actor as the permission rule sees them.
func (a Actor) Staff() rules.Staff {
	return rules.Staff{ID: a.UserID, Roles: a.Roles, Emergency: a.Emergency}
}

// The audit log is a hash chain. Entry n carries Seq n, the id and hash of
// entry n-1 (PrevID, PrevHash; 0 and "" for the first) and its own Hash:
// SHA-256 over auditChainTag and the entry's fields (auditFields). The one
// row of audit_chain, the head, holds the last Seq, id and hash, so that
// deleting the newest entries shows too. Appending locks the head, so
// entries get their places one after the other on every replica.

// AuditHead is the chain's head: the newest entry's place, id and hash.
type AuditHead struct {
	ID      uint   `gorm:"primaryKey"`
	Seq     int64  `gorm:"not null;default:0"`
	EntryID uint   `gorm:"not null;default:0"`
	Hash    string `gorm:"size:64;not null;default:''"`
}

// TableName keeps the head's table name plain.
func (AuditHead) TableName() string { return "audit_chain" }

// auditHeadID is the id of the head row, the only one.
const auditHeadID = 1

// auditChainTag opens every hashed entry: the encoding's name and version.
const auditChainTag = "penaltydoc audit chain v1"

// auditTimeLayout is the entry time as hashed: UTC, milliseconds, the
// precision both SQLite and MariaDB's datetime(3) keep.
const auditTimeLayout = "2006-01-02T15:04:05.000Z"

// auditFields are the fields an entry's hash covers, as name and value, in
// this order. Numbers are decimal with 0 as "", and empty values are left
// out of the hash, so a column added later (empty on old rows) leaves the
// old hashes as they were: a new field goes at the end of this list.
func auditFields(e *AuditEntry) [][2]string {
	return [][2]string{
		{"seq", num(e.Seq)}, {"id", num(int64(e.ID))}, {"prev_id", num(int64(e.PrevID))}, {"prev_hash", e.PrevHash},
		{"at", e.At.UTC().Format(auditTimeLayout)}, {"user_id", num(int64(e.UserID))}, {"username", e.Username},
		{"action", e.Action}, {"entity", e.Entity}, {"entity_id", num(int64(e.EntityID))},
		{"from_status", e.FromStatus}, {"to_status", e.ToStatus}, {"ip", e.IP}, {"detail", e.Detail},
		{"doc_sha256", e.DocSHA256},
	}
}

func num(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// auditHash is the hash entry e should carry: SHA-256 of auditChainTag
// followed, for each non-empty field, by NUL, the name, NUL, the value's
// length in bytes (decimal), NUL and the value. Names hold no NUL and
// lengths are explicit, so no two entries share an encoding.
func auditHash(e *AuditEntry) string {
	h := sha256.New()
	_, _ = io.WriteString(h, auditChainTag)
	for _, f := range auditFields(e) {
		if f[1] != "" {
			_, _ = fmt.Fprintf(h, "\x00%s\x00%d\x00%s", f[0], len(f[1]), f[1])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// auditBuffer holds the entries a transaction run by transact writes, to
// be appended when it ends.
type auditBuffer struct{ entries []AuditEntry }

type auditBufferKey struct{}

// audit writes one entry to the audit log inside tx (or on its own when tx
// is nil). Inside transact the entry waits for the end of the transaction
// (auditedTx), so the chain's head is the last lock a workflow step takes
// and is held only until it commits; in any other transaction it is
// appended at once, so call it last there.
func (s *Store) audit(ctx context.Context, tx *gorm.DB, e AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	if tx == nil {
		return s.conn(ctx).Transaction(func(tx *gorm.DB) error { return s.appendAudit(tx, []AuditEntry{e}) })
	}
	if b, ok := tx.Statement.Context.Value(auditBufferKey{}).(*auditBuffer); ok {
		b.entries = append(b.entries, e)
		return nil
	}
	return s.appendAudit(tx, []AuditEntry{e})
}

// auditedTx runs fn in one transaction and appends the audit entries fn
// wrote at its end, in their order.
func (s *Store) auditedTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	b := &auditBuffer{}
	return s.conn(context.WithValue(ctx, auditBufferKey{}, b)).Transaction(func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		return s.appendAudit(tx, b.entries)
	})
}

// appendAudit links es to the chain in tx: it locks the head (FOR UPDATE on
// MySQL; SQLite's immediate transaction already holds the write lock),
// inserts the entries with their places, ids and hashes in one statement
// and moves the head: three statements however many entries. The id is
// part of the hash, so the entries get theirs here, the head's id plus
// one onwards: only this function writes the audit log, under the head's
// lock, so those ids are free. Should one be taken all the same (a row
// written by hand past the head), the entries are inserted one by one
// with the ids the database gives, as before.
func (s *Store) appendAudit(tx *gorm.DB, es []AuditEntry) error {
	if len(es) == 0 {
		return nil
	}
	var head AuditHead
	if err := s.lock(tx).First(&head, auditHeadID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			err = errors.New("the audit chain head (audit_chain) is missing")
		}
		return errs.Wrap(err, "lock audit chain head")
	}
	for i := range es {
		e := &es[i]
		// What the database stores is what is hashed: valid UTF-8, the
		// time at the precision kept.
		for _, p := range []*string{&e.Username, &e.Action, &e.Entity, &e.FromStatus, &e.ToStatus, &e.IP, &e.Detail, &e.DocSHA256} {
			*p = strings.ToValidUTF8(*p, "\uFFFD")
		}
		e.At = e.At.UTC().Truncate(time.Millisecond)
	}
	link := func(prev AuditHead) AuditHead {
		for i := range es {
			e := &es[i]
			e.ID = prev.EntryID + 1
			e.Seq, e.PrevID, e.PrevHash = prev.Seq+1, prev.EntryID, prev.Hash
			e.Hash = auditHash(e)
			prev = AuditHead{ID: auditHeadID, Seq: e.Seq, EntryID: e.ID, Hash: e.Hash}
		}
		return prev
	}
	last := link(head)
	err := tx.Create(&es).Error
	if duplicate(err) {
		last, err = s.appendAuditEach(tx, head, es)
	}
	if err != nil {
		return errs.Wrap(err, "write audit log")
	}
	if err := tx.Model(&AuditHead{}).Where("id = ?", auditHeadID).
		Updates(map[string]any{"seq": last.Seq, "entry_id": last.EntryID, "hash": last.Hash}).Error; err != nil {
		return errs.Wrap(err, "move audit chain head")
	}
	return nil
}

// appendAuditEach inserts es after head one by one, each with the id the
// database gives it and then its hash, and answers the new head.
func (s *Store) appendAuditEach(tx *gorm.DB, head AuditHead, es []AuditEntry) (AuditHead, error) {
	for i := range es {
		e := &es[i]
		e.ID, e.Seq, e.PrevID, e.PrevHash, e.Hash = 0, head.Seq+1, head.EntryID, head.Hash, ""
		if err := tx.Create(e).Error; err != nil {
			return head, err
		}
		e.Hash = auditHash(e)
		if err := tx.Model(&AuditEntry{}).Where("id = ?", e.ID).Update("hash", e.Hash).Error; err != nil {
			return head, fmt.Errorf("write audit hash: %w", err)
		}
		head = AuditHead{ID: auditHeadID, Seq: e.Seq, EntryID: e.ID, Hash: e.Hash}
	}
	return head, nil
}

// Audit records an action outside any other transaction.
func (s *Store) Audit(ctx context.Context, a Actor, action, entity string, id uint, detail string) error {
	return s.audit(ctx, nil, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP,
		Action: action, Entity: entity, EntityID: id, Detail: detail})
}

// AuditLog returns the entries for one entity, oldest first.
func (s *Store) AuditLog(ctx context.Context, entity string, id uint) ([]AuditEntry, error) {
	var es []AuditEntry
	if err := s.conn(ctx).Where("entity = ? AND entity_id = ?", entity, id).Order("id").Find(&es).Error; err != nil {
		return nil, errs.Wrap(err, "read audit log")
	}
	return es, nil
}
