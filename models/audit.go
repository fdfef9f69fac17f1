package models

import (
	"context"

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

// Audit appends one entry to the audit log inside tx (or on its own when tx
// is nil).
func (s *Store) audit(ctx context.Context, tx *gorm.DB, e AuditEntry) error {
	if tx == nil {
		tx = s.conn(ctx)
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	if err := tx.Create(&e).Error; err != nil {
		return errs.Wrap(err, "write audit log")
	}
	return nil
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
