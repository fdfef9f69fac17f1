package models

import (
	"context"
	"time"

	"penaltydoc/errs"
)

// AuditQuery filters the audit log: by the acting user's name, a case (its
// own entries and its documents'), a document, an action, and a range of
// China dates (From, To inclusive, YYYY-MM-DD); Before pages backwards (the
// entries with a smaller id), Limit caps the page (at most MaxAuditPage).
type AuditQuery struct {
	Username   string
	CaseID     uint
	DocumentID uint
	Action     string
	From, To   string
	Before     uint
	Limit      int
}

// MaxAuditPage is the largest page of the audit log.
const MaxAuditPage = 200

// ListAudit returns the newest entries of scope sc matching q, newest
// first, and whether older ones match too. An authority's view holds the
// entries on its cases, documents and itself and those its users made;
// the deployment's view holds every entry.
func (s *Store) ListAudit(ctx context.Context, sc Scope, q AuditQuery) ([]AuditEntry, bool, error) {
	db := s.conn(ctx).Model(&AuditEntry{})
	if !sc.All {
		if len(sc.Authorities) == 0 {
			return nil, false, nil
		}
		ids := sc.Authorities
		conn := s.conn(ctx)
		db = db.Where(conn.Where("entity = ? AND entity_id IN (?)", "case", conn.Model(&Case{}).Select("id").Where("authority_id IN ?", ids)).
			Or("entity = ? AND entity_id IN (?)", "document", conn.Model(&Document{}).Select("id").Where("authority_id IN ?", ids)).
			Or("entity = ? AND entity_id IN ?", "authority", ids).
			Or("user_id IN (?)", conn.Model(&User{}).Select("id").Where("authority_id IN ?", ids)))
	}
	if q.Username != "" {
		db = db.Where("username = ?", q.Username)
	}
	if q.CaseID != 0 {
		conn := s.conn(ctx)
		db = db.Where(conn.Where("entity = ? AND entity_id = ?", "case", q.CaseID).
			Or("entity = ? AND entity_id IN (?)", "document", conn.Model(&Document{}).Select("id").Where("case_id = ?", q.CaseID)))
	}
	if q.DocumentID != 0 {
		db = db.Where("entity = ? AND entity_id = ?", "document", q.DocumentID)
	}
	if q.Action != "" {
		db = db.Where("action = ?", q.Action)
	}
	day := func(d string) (time.Time, error) {
		t, err := time.ParseInLocation("2006-01-02", d, China)
		if err != nil {
			return t, errs.E(errs.Invalid, "日期应为YYYY-MM-DD")
		}
		return t.UTC(), nil
	}
	if q.From != "" {
		t, err := day(q.From)
		if err != nil {
			return nil, false, errs.Field("from", "起始日期应为YYYY-MM-DD")
		}
		db = db.Where("at >= ?", t)
	}
	if q.To != "" {
		t, err := day(q.To)
		if err != nil {
			return nil, false, errs.Field("to", "截止日期应为YYYY-MM-DD")
		}
		db = db.Where("at < ?", t.AddDate(0, 0, 1))
	}
	if q.Before != 0 {
		db = db.Where("id < ?", q.Before)
	}
	limit := q.Limit
	if limit <= 0 || limit > MaxAuditPage {
		limit = 50
	}
	var out []AuditEntry
	if err := db.Order("id DESC").Limit(limit + 1).Find(&out).Error; err != nil {
		return nil, false, errs.Wrap(err, "list audit log")
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}
