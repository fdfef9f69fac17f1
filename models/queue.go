package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// DocumentRow is a document in a list (work queue, print list), without
// its PDF, with what the list shows of its case.
type DocumentRow struct {
	Document
	PartyName       string `gorm:"column:party_name"`
	ViolationCode   string `gorm:"column:violation_code"`
	CaseLegalReview bool   `gorm:"column:case_legal_review"`
	CaseBasisHash   string `gorm:"column:case_basis_hash"`
	// LastPrintID is the newest print mark's id (0: never printed);
	// PrintedAt and PrintedBy are that print's time and user.
	LastPrintID uint       `gorm:"column:last_print_id"`
	PrintedAt   *time.Time `gorm:"-"`
	PrintedBy   string     `gorm:"-"`
}

// State is what the permission rule knows of the row's document.
func (r *DocumentRow) State() rules.DocState {
	return docState(&r.Document, &Case{Evaluation: rules.Evaluation{LegalReviewRequired: r.CaseLegalReview}, BasisHash: r.CaseBasisHash})
}

// DocumentQuery filters ListDocuments.
type DocumentQuery struct {
	Statuses []string
	// Numbered keeps documents that carry a number (no service receipts).
	Numbered bool
	// Returned keeps drafts that a reviewer sent back (with a comment).
	Returned bool
	// Q matches the number or the party's name.
	Q string
	// Newest lists the newest first (else the oldest: a queue's order).
	Newest bool
	// Printed keeps the documents printed before (PrintedYes) or never
	// printed (PrintedNo); empty keeps both.
	Printed string
	Limit   int
	// Before and After are the cursors: documents with an id below
	// Before, above After (newest first: the page just before After).
	Before, After uint
	// Scope is the authorities whose documents are listed.
	Scope Scope
}

// The print list's filter by print marks.
const (
	PrintedYes = "yes" // 已打印
	PrintedNo  = "no"  // 未打印
)

// documentListColumns are the columns a document list reads: not the
// PDF, the render data or a correction's revision; the case's legal
// review flag and basis hash for the permission rule (State), not its
// evaluation JSON.
const documentListColumns = "documents.id, documents.case_id, documents.authority_id, documents.kind, documents.status, " +
	"documents.template_version, documents.review_stage, documents.comment, documents.number, documents.issue_date, " +
	"documents.issued_at, documents.served_date, documents.corrects_id, documents.serves_id, documents.reviewed_by_id, documents.created_at, documents.updated_at, " +
	"documents.basis_json, cases.party_name, cases.violation_code, cases.legal_review AS case_legal_review, cases.basis_hash AS case_basis_hash, " +
	"(SELECT MAX(print_marks.id) FROM print_marks WHERE print_marks.document_id = documents.id) AS last_print_id"

// ListDocuments returns documents by status with their case's party,
// oldest first (the work queue's order) or newest first, at most Limit
// (default 200), after the cursor (q.Before newest first, q.After oldest
// first). Each (authority, status) of the query is read from its own
// range of the index idx_documents_authority_status, in id order, and the
// ranges merged: no list sorts or scans the table.
func (s *Store) ListDocuments(ctx context.Context, q DocumentQuery) ([]DocumentRow, error) {
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 200
	}
	auths, err := s.scopeAuthorities(s.conn(ctx), q.Scope)
	if err != nil {
		return nil, err
	}
	statuses := q.Statuses
	if len(statuses) == 0 {
		statuses = []string{DocDraft, DocReviewing, DocApproved, DocIssued, DocServed, DocSuperseded, DocWithdrawn}
	}
	sr := classify(q.Q)
	ids, err := s.searchCaseIDs(ctx, sr, q.Scope, auths)
	if err != nil {
		return nil, err
	}
	// back: the page before After of a newest-first list, read upwards
	// and turned.
	back := q.Newest && q.After != 0 && q.Before == 0
	order := "documents.id"
	if q.Newest && !back {
		order += " DESC"
	}
	var parts [][]DocumentRow
	for _, a := range auths {
		for _, st := range statuses {
			db := s.conn(ctx).Table("documents").Select(documentListColumns).
				Joins("JOIN cases ON cases.id = documents.case_id").
				Where("documents.authority_id = ? AND documents.status = ?", a, st)
			if q.Numbered {
				db = db.Where("documents.number IS NOT NULL")
			}
			if q.Returned {
				db = db.Where("documents.comment <> ''")
			}
			switch {
			case sr.kind == searchNumber:
				db = db.Where("documents.number = ?", sr.value)
			case sr.kind != searchNone:
				db = db.Where("documents.case_id IN ?", append(ids, 0))
			}
			switch q.Printed {
			case PrintedYes:
				db = db.Where("EXISTS (SELECT 1 FROM print_marks WHERE print_marks.document_id = documents.id)")
			case PrintedNo:
				db = db.Where("NOT EXISTS (SELECT 1 FROM print_marks WHERE print_marks.document_id = documents.id)")
			}
			if q.Before != 0 {
				db = db.Where("documents.id < ?", q.Before)
			}
			if q.After != 0 {
				db = db.Where("documents.id > ?", q.After)
			}
			var rows []DocumentRow
			if err := db.Order(order).Limit(q.Limit).Scan(&rows).Error; err != nil {
				return nil, errs.Wrap(err, "list documents")
			}
			parts = append(parts, rows)
		}
	}
	rows := mergeByID(parts, func(r *DocumentRow) uint { return r.ID }, q.Newest && !back, q.Limit)
	if back {
		slices.Reverse(rows)
	}
	return rows, s.lastPrints(ctx, rows)
}

// searchCaseIDs are the newest cases (at most maxSearchCases) a search
// other than by number finds in scope sc, whatever their status.
func (s *Store) searchCaseIDs(ctx context.Context, sr search, sc Scope, auths []uint) ([]uint, error) {
	var ids []uint
	switch sr.kind {
	case searchNone, searchNumber:
		return nil, nil
	case searchName:
		gram, err := s.rarestGram(s.conn(ctx), sr.value, auths)
		if err != nil {
			return nil, err
		}
		err = s.conn(ctx).Table("case_grams AS g").Joins("JOIN cases ON cases.id = g.case_id").
			Where("g.gram = ? AND g.authority_id IN ? AND cases.party_name LIKE ? ESCAPE '!'", gram, auths, "%"+escapeLike(sr.value)+"%").
			Order("g.case_id DESC").Limit(maxSearchCases).Pluck("g.case_id", &ids).Error
		if err != nil {
			return nil, errs.Wrap(err, "search documents by party")
		}
		return ids, nil
	}
	db := searchWhere(sc.filter(s.conn(ctx).Table("cases"), "cases.authority_id"), sr)
	if err := db.Order("cases.id DESC").Limit(maxSearchCases).Pluck("cases.id", &ids).Error; err != nil {
		return nil, errs.Wrap(err, "search documents by case")
	}
	return ids, nil
}

// maxSearchCases bounds the cases a document list's search by party looks
// among (the newest).
const maxSearchCases = 1000

// lastPrints fills in who printed each row last, and when.
func (s *Store) lastPrints(ctx context.Context, rows []DocumentRow) error {
	var ids []uint
	for _, r := range rows {
		if r.LastPrintID != 0 {
			ids = append(ids, r.LastPrintID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var marks []PrintMark
	if err := s.conn(ctx).Where("id IN ?", ids).Find(&marks).Error; err != nil {
		return errs.Wrap(err, "load print marks")
	}
	byID := make(map[uint]*PrintMark, len(marks))
	for i := range marks {
		byID[marks[i].ID] = &marks[i]
	}
	names, err := s.userNames(ctx) // the printer's name, as the lists show officers
	if err != nil {
		return err
	}
	for i := range rows {
		if m := byID[rows[i].LastPrintID]; m != nil {
			at := m.PrintedAt
			rows[i].PrintedAt, rows[i].PrintedBy = &at, m.Username
			if n, ok := names[m.UserID]; ok {
				rows[i].PrintedBy = n
			}
		}
	}
	return nil
}

// MarkPrinted records that the actor printed documents (in the batch's
// order, an id given twice printed twice): one print mark per document and
// one audit entry per copy, in one transaction.
func (s *Store) MarkPrinted(ctx context.Context, a Actor, docs []uint) error {
	return s.transact(ctx, func(tx *gorm.DB) error {
		at := s.now()
		marked := map[uint]bool{}
		for _, id := range docs {
			if !marked[id] {
				marked[id] = true
				if err := tx.Create(&PrintMark{DocumentID: id, UserID: a.UserID, Username: a.Username, PrintedAt: at}).Error; err != nil {
					return errs.Wrap(err, "mark printed")
				}
			}
			if err := s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "print",
				Entity: "document", EntityID: id, Detail: fmt.Sprintf("batch of %d", len(docs))}); err != nil {
				return err
			}
		}
		return nil
	})
}
