package models

import (
	"context"
	"strings"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// DocumentRow is a document in a list (work queue, print list), without
// its PDF, with what the list shows of its case.
type DocumentRow struct {
	Document
	PartyName      string           `gorm:"column:party_name"`
	ViolationCode  string           `gorm:"column:violation_code"`
	CaseEvaluation rules.Evaluation `gorm:"column:case_evaluation;serializer:json"`
	CaseBasisHash  string           `gorm:"column:case_basis_hash"`
}

// State is what the permission rule knows of the row's document.
func (r *DocumentRow) State() rules.DocState {
	return docState(&r.Document, &Case{Evaluation: r.CaseEvaluation, BasisHash: r.CaseBasisHash})
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
	Limit  int
	// Scope is the authorities whose documents are listed.
	Scope Scope
}

// ListDocuments returns documents by status with their case's party,
// oldest first (the work queue's order), at most Limit (default 200).
func (s *Store) ListDocuments(ctx context.Context, q DocumentQuery) ([]DocumentRow, error) {
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 200
	}
	db := s.conn(ctx).Table("documents").
		Select("documents.id, documents.case_id, documents.authority_id, documents.kind, documents.status, " +
			"documents.template_version, documents.review_stage, documents.comment, documents.number, documents.issue_date, " +
			"documents.issued_at, documents.served_date, documents.corrects_id, documents.serves_id, documents.reviewed_by_id, documents.created_at, documents.updated_at, " +
			"documents.basis_json, cases.party_name, cases.violation_code, cases.evaluation_json AS case_evaluation, cases.basis_hash AS case_basis_hash").
		Joins("JOIN cases ON cases.id = documents.case_id")
	db = q.Scope.filter(db, "documents.authority_id")
	if len(q.Statuses) > 0 {
		db = db.Where("documents.status IN ?", q.Statuses)
	}
	if q.Numbered {
		db = db.Where("documents.number IS NOT NULL")
	}
	if q.Returned {
		db = db.Where("documents.comment <> ''")
	}
	if t := strings.TrimSpace(q.Q); t != "" {
		like := "%" + escapeLike(t) + "%"
		db = db.Where("documents.number LIKE ? ESCAPE '!' OR cases.party_name LIKE ? ESCAPE '!'", like, like)
	}
	var rows []DocumentRow
	order := "documents.id"
	if q.Newest {
		order += " DESC"
	}
	if err := db.Order(order).Limit(q.Limit).Scan(&rows).Error; err != nil {
		return nil, errs.Wrap(err, "list documents")
	}
	return rows, nil
}
