package models

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// Supervision (执法监督): what the checks of rules.SupervisionChecks read of
// an authority's cases, read in chunks by key so that an office of any size
// is read in bounded memory and each statement with its own deadline; and
// the head's extension of the decision period.

// SupervisionQuery selects the cases the supervision page examines: the
// cases in progress (draft, open, executing) of the scope, and the closed
// ones too with Closed; filed between FiledFrom and FiledTo (China dates,
// either may be empty); naming Officer (0: anyone).
type SupervisionQuery struct {
	Scope              Scope
	Officer            uint
	FiledFrom, FiledTo string
	Closed             bool
}

// SupervisionRecord is one case with what the checks read: its documents
// (without their bytes), its execution record, the day it was filed and the
// day of its last recorded step.
type SupervisionRecord struct {
	Case          Case
	AuthorityName string
	Officers      []string
	Documents     []Document
	Execution     *ExecutionRecord
	Filed         string
	LastStep      string
	Publications  []Publication
}

// supervisionChunk is how many cases one statement reads.
const supervisionChunk = 500

// readActions are audited reads: no step of the case.
var readActions = []string{"public_download", "receipt_open", "print", "export_cases", "export_supervision"}

// chinaDay is t's China date.
func chinaDay(t time.Time) string { return t.In(China).Format(dateLayout) }

// chinaStart is the instant (UTC) China day d begins.
func chinaStart(d string) (time.Time, error) {
	t, err := time.ParseInLocation(dateLayout, d, China)
	if err != nil {
		return time.Time{}, errs.E(errs.Invalid, "日期应为YYYY-MM-DD")
	}
	return t.UTC(), nil
}

// supervisionWhere is q's cases: the scope first (cases.authority_id), the
// status (indexed), then the filing instant and the officer.
func (s *Store) supervisionWhere(ctx context.Context, q SupervisionQuery) (*gorm.DB, error) {
	db := q.Scope.filter(s.conn(ctx).Model(&Case{}), "cases.authority_id")
	statuses := []string{CaseDraft, CaseOpen, CaseExecuting}
	if q.Closed {
		statuses = append(statuses, CaseClosed)
	}
	db = db.Where("cases.status IN ?", statuses)
	if q.FiledFrom != "" {
		t, err := chinaStart(q.FiledFrom)
		if err != nil {
			return nil, err
		}
		db = db.Where("cases.created_at >= ?", t)
	}
	if q.FiledTo != "" {
		t, err := chinaStart(q.FiledTo)
		if err != nil {
			return nil, err
		}
		db = db.Where("cases.created_at < ?", t.AddDate(0, 0, 1))
	}
	if q.Officer != 0 {
		db = s.mine(db, q.Officer)
	}
	return db, nil
}

// Supervision calls fn with every case q selects, in filing order, with
// its documents, execution and last step, reading supervisionChunk cases
// (and their documents, payments and audit dates in three more
// statements) at a time.
func (s *Store) Supervision(ctx context.Context, q SupervisionQuery, fn func(*SupervisionRecord) error) error {
	users, err := s.userNames(ctx)
	if err != nil {
		return err
	}
	auths, err := s.authorityNames(ctx)
	if err != nil {
		return err
	}
	cal, err := s.calendar(s.conn(ctx))
	if err != nil {
		return err
	}
	var after uint
	for {
		where, err := s.supervisionWhere(ctx, q)
		if err != nil {
			return err
		}
		var cs []Case
		if err := where.Omit("facts_json").Where("cases.id > ?", after).Order("cases.id").Limit(supervisionChunk).Find(&cs).Error; err != nil {
			return errs.Wrap(err, "read supervised cases")
		}
		if len(cs) == 0 {
			return nil
		}
		ids := make([]uint, len(cs))
		for i := range cs {
			ids[i] = cs[i].ID
		}
		var docs []Document
		if err := s.conn(ctx).Omit("pdf", "data_json", "basis_json", "revision_facts_json", "revision_evaluation_json").
			Where("case_id IN ? AND status <> ?", ids, DocWithdrawn).Order("id").Find(&docs).Error; err != nil {
			return errs.Wrap(err, "read supervised documents")
		}
		var pays []Payment
		if err := s.conn(ctx).Where("case_id IN ?", ids).Order("date, id").Find(&pays).Error; err != nil {
			return errs.Wrap(err, "read supervised payments")
		}
		docsOf := map[uint][]Document{}
		docCase := map[uint]uint{}
		docIDs := make([]uint, 0, len(docs))
		for _, d := range docs {
			docsOf[d.CaseID] = append(docsOf[d.CaseID], d)
			docCase[d.ID] = d.CaseID
			docIDs = append(docIDs, d.ID)
		}
		var pubs []Publication
		if err := s.conn(ctx).Select("id", "case_id", "status", "number", "due_date", "withdraw_due").
			Where("case_id IN ?", ids).Order("id").Find(&pubs).Error; err != nil {
			return errs.Wrap(err, "read supervised publications")
		}
		pubsOf := map[uint][]Publication{}
		for _, p := range pubs {
			pubsOf[p.CaseID] = append(pubsOf[p.CaseID], p)
		}
		paysOf := map[uint][]Payment{}
		for _, p := range pays {
			paysOf[p.CaseID] = append(paysOf[p.CaseID], p)
		}
		last, err := s.lastSteps(ctx, ids, docIDs, docCase)
		if err != nil {
			return err
		}
		for i := range cs {
			c := &cs[i]
			r := &SupervisionRecord{Case: *c, AuthorityName: auths[c.AuthorityID], Officers: officerNames(users, c),
				Documents: docsOf[c.ID], Execution: executionOf(cal, c, docsOf[c.ID], paysOf[c.ID]), Filed: chinaDay(c.CreatedAt),
				Publications: pubsOf[c.ID]}
			if t, ok := last[c.ID]; ok {
				r.LastStep = chinaDay(t)
			} else {
				r.LastStep = r.Filed
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		after = cs[len(cs)-1].ID
	}
}

// lastSteps is the time of the newest audited step (reads left out) on
// each case of caseIDs or on its documents (docIDs, whose cases docCase
// names), through the audit log's entity_id index.
func (s *Store) lastSteps(ctx context.Context, caseIDs, docIDs []uint, docCase map[uint]uint) (map[uint]time.Time, error) {
	out := map[uint]time.Time{}
	var rows []struct {
		EntityID uint
		At       timeValue
	}
	read := func(entity string, ids []uint, caseOf func(uint) uint) error {
		for start := 0; start < len(ids); start += supervisionChunk {
			part := ids[start:min(len(ids), start+supervisionChunk)]
			rows = rows[:0]
			if err := s.conn(ctx).Table("audit_log").Select("entity_id, MAX(at) AS at").
				Where("entity = ? AND entity_id IN ? AND action NOT IN ?", entity, part, readActions).
				Group("entity_id").Scan(&rows).Error; err != nil {
				return errs.Wrap(err, "read last steps")
			}
			for _, r := range rows {
				id := caseOf(r.EntityID)
				if t := r.At.t; t.After(out[id]) {
					out[id] = t
				}
			}
		}
		return nil
	}
	if err := read("case", caseIDs, func(id uint) uint { return id }); err != nil {
		return nil, err
	}
	if err := read("document", docIDs, func(id uint) uint { return docCase[id] }); err != nil {
		return nil, err
	}
	return out, nil
}

// timeValue scans an aggregate's time: MySQL gives a time.Time, SQLite's
// MAX over a datetime column text.
type timeValue struct{ t time.Time }

// Scan reads a time.Time, or text in one of SQLite's layouts.
func (v *timeValue) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		v.t = time.Time{}
	case time.Time:
		v.t = x.UTC()
	case []byte:
		return v.parse(string(x))
	case string:
		return v.parse(x)
	default:
		return fmt.Errorf("scan time from %T", src)
	}
	return nil
}

// Value writes the time (gorm's schema wants both directions).
func (v timeValue) Value() (driver.Value, error) { return v.t, nil }

func (v *timeValue) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			v.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("scan time from %q", s)
}

// ExtensionInput is the head's extension of a case's decision period.
type ExtensionInput struct {
	Deadline string
	Reason   string
}

// RecordExtension stores the head's extension of case caseID's decision
// period (rules.CheckExtension on the locked case: an approver, an
// undecided case, before the current last day has passed, to a later day,
// with a reason), and audits it. A later extension replaces the earlier
// one, which the audit log keeps.
func (s *Store) RecordExtension(ctx context.Context, a Actor, caseID uint, in ExtensionInput) (*Case, error) {
	var c *Case
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if c, err = s.caseForUpdate(tx, caseID); err != nil {
			return err
		}
		if err := a.Scope.hide(c.AuthorityID, "案件"); err != nil {
			return err
		}
		cal, err := s.calendar(tx)
		if err != nil {
			return err
		}
		var cur *rules.Extension
		if c.ExtensionDeadline != "" {
			cur = &rules.Extension{Deadline: c.ExtensionDeadline}
		}
		current := rules.DecisionDue(cal, chinaDay(c.CreatedAt), cur)
		in.Reason = strings.TrimSpace(in.Reason)
		if err := rules.CheckExtension(a.Staff(), CaseState(c), current, in.Deadline, in.Reason, s.Today()); err != nil {
			return err
		}
		var u User
		if err := tx.First(&u, a.UserID).Error; err != nil {
			return notFound(err, "用户")
		}
		name := u.DisplayName
		if name == "" {
			name = u.Username
		}
		set := map[string]any{"extension_deadline": in.Deadline, "extension_reason": in.Reason, "extension_by_id": a.UserID,
			"extension_by": name, "extension_approved": s.Today()}
		if err := tx.Model(&Case{}).Where("id = ?", caseID).Updates(set).Error; err != nil {
			return errs.Wrap(err, "record extension")
		}
		id := a.UserID
		c.ExtensionDeadline, c.ExtensionReason, c.ExtensionByID, c.ExtensionBy, c.ExtensionApproved = in.Deadline, in.Reason, &id, name, s.Today()
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "extend_case",
			Entity: "case", EntityID: caseID, FromStatus: c.Status, ToStatus: c.Status,
			Detail: fmt.Sprintf("from=%s deadline=%s reason=%q", current, in.Deadline, in.Reason)})
	})
	return c, err
}
