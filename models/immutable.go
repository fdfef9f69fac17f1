package models

import (
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"penaltydoc/errs"
)

// frozenStatuses are the statuses of an issued document: its PDF, hash,
// number, template version and render data never change again.
var frozenStatuses = []string{DocIssued, DocServed, DocSuperseded}

func isFrozen(status string) bool { return slices.Contains(frozenStatuses, status) }

// allowFrozenKey marks, on a statement, one of the transitions an issued row
// may still take (issued → served, issued/served → superseded). Only the
// store's own transition helper sets it.
const allowFrozenKey = "penaltydoc:frozen_transition"

// frozenTransitionColumns are the only columns such a transition may set.
var frozenTransitionColumns = map[string]bool{
	"status": true, "superseded_by_id": true, "served_date": true, "served_at": true,
	"service_method": true, "served_to": true, "service_place": true, "updated_at": true,
}

// ErrFrozen is what changing an issued document answers.
var ErrFrozen = errs.E(errs.Conflict, "文书已签发，内容不能再修改；如需更正，请制作更正文书")

// BeforeUpdate keeps issued documents frozen at the model layer, whatever
// the caller does: an update of a row whose stored status is issued, served
// or superseded is refused (Save and Updates alike), and every update is
// guarded by "status NOT IN (…)" so that a batch update cannot reach a
// frozen row either. The allowed transitions of a frozen row pass only with
// a map of the columns listed in frozenTransitionColumns.
func (d *Document) BeforeUpdate(tx *gorm.DB) error {
	if v, ok := tx.Get(allowFrozenKey); ok && v == true {
		m, ok := tx.Statement.Dest.(map[string]any)
		if !ok {
			return ErrFrozen
		}
		for k := range m {
			if !frozenTransitionColumns[k] {
				return ErrFrozen
			}
		}
		return nil
	}
	return guardFrozen(tx, d)
}

// BeforeDelete refuses to delete an issued document, and guards every
// delete of documents in the same way as updates.
func (d *Document) BeforeDelete(tx *gorm.DB) error { return guardFrozen(tx, d) }

func guardFrozen(tx *gorm.DB, d *Document) error {
	if d != nil && d.ID != 0 {
		var st []string
		if err := tx.Session(&gorm.Session{NewDB: true}).Model(&Document{}).Where("id = ?", d.ID).Pluck("status", &st).Error; err != nil {
			return errs.Wrap(err, "check document status")
		}
		if len(st) == 1 && isFrozen(st[0]) {
			return ErrFrozen
		}
	}
	tx.Statement.AddClause(clause.Where{Exprs: []clause.Expression{
		clause.Expr{SQL: "status NOT IN ?", Vars: []any{frozenStatuses}},
	}})
	return nil
}

// setDocument moves document id from one of the statuses from to the values
// in set (status included), in tx. Zero rows means someone else moved it
// first: a conflict.
func setDocument(tx *gorm.DB, id uint, from []string, set map[string]any) error {
	db := tx.Model(&Document{}).Where("id = ? AND status IN ?", id, from)
	if slices.ContainsFunc(from, isFrozen) {
		db = db.Set(allowFrozenKey, true)
	}
	res := db.Updates(set)
	if res.Error != nil {
		if errs.Code(res.Error) == errs.Conflict {
			return res.Error
		}
		return errs.Wrap(res.Error, "update document %d", id)
	}
	if res.RowsAffected != 1 {
		return errs.E(errs.Conflict, "文书状态已变化，请刷新后重试")
	}
	return nil
}
