package models

import (
	"context"
	"encoding/json"
	"time"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// Statistics for a period (行政处罚统计): the cases filed, the decisions
// issued and the payments received between two China dates, within a
// scope. The counting is casework's; these are the reads.

// StatisticsQuery is the period (From to To, both included) and the scope.
type StatisticsQuery struct {
	Scope    Scope
	From, To string
}

// StatDecision is one decision in force issued in the period, with what
// the statistics count of it and of its case.
type StatDecision struct {
	DocumentID       uint
	CaseID           uint
	AuthorityID      uint
	Kind             string
	IssueDate        string
	Fine             float64
	LegalReviewDate  string
	Outcome          string
	Ground           string
	ViolationCode    string
	ItemName         string
	Domain           string
	Officers         []string
	HearingRequested bool
	HearingHeld      bool
	Evaluation       rules.Evaluation
}

// instants are the period's bounds as instants: from the start of From
// (China) to the start of the day after To.
func (q StatisticsQuery) instants() (time.Time, time.Time, error) {
	from, err := chinaStart(q.From)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	to, err := chinaStart(q.To)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	return from, to.AddDate(0, 0, 1), nil
}

// FiledCounts counts the cases filed in the period (their creation, China
// dates) by status, withdrawn ones included.
func (s *Store) FiledCounts(ctx context.Context, q StatisticsQuery) (map[string]int64, error) {
	from, to, err := q.instants()
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Status string
		N      int64
	}
	if err := q.Scope.filter(s.conn(ctx).Table("cases"), "authority_id").Select("status, COUNT(*) AS n").
		Where("created_at >= ? AND created_at < ?", from, to).Group("status").Scan(&rows).Error; err != nil {
		return nil, errs.Wrap(err, "count filed cases")
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// FiledByItem counts the cases filed in the period (withdrawn ones left
// out) by item code.
func (s *Store) FiledByItem(ctx context.Context, q StatisticsQuery) (map[string]int64, error) {
	from, to, err := q.instants()
	if err != nil {
		return nil, err
	}
	var rows []struct {
		ViolationCode string
		N             int64
	}
	if err := q.Scope.filter(s.conn(ctx).Table("cases"), "authority_id").Select("violation_code, COUNT(*) AS n").
		Where("created_at >= ? AND created_at < ? AND status <> ?", from, to, CaseWithdrawn).
		Group("violation_code").Scan(&rows).Error; err != nil {
		return nil, errs.Wrap(err, "count filed cases by item")
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.ViolationCode] = r.N
	}
	return out, nil
}

// statChunk is how many decisions one statement reads.
const statChunk = 500

// StatDecisions calls fn with every decision in force (issued or served,
// of a decision kind) whose issue date is in the period, by id, reading
// statChunk at a time through documents' issue-date index.
func (s *Store) StatDecisions(ctx context.Context, q StatisticsQuery, fn func(*StatDecision) error) error {
	users, err := s.userNames(ctx)
	if err != nil {
		return err
	}
	var after uint
	for {
		var rows []struct {
			DocumentID       uint
			CaseID           uint
			AuthorityID      uint
			Kind             string
			IssueDate        string
			Fine             float64
			LegalReviewDate  string
			Outcome          string
			Ground           string
			ViolationCode    string
			OfficerID        uint
			OfficerIDs       string
			HearingRequested string
			HearingHeld      bool
			EvaluationJSON   string
			ItemName         *string
			Domain           *string
		}
		db := q.Scope.filter(s.conn(ctx).Table("documents"), "documents.authority_id").
			Select("documents.id AS document_id, documents.case_id, documents.authority_id, documents.kind, documents.issue_date, documents.fine, "+
				"documents.legal_review_date, cases.outcome, cases.ground, cases.violation_code, cases.officer_id, cases.officer_ids, "+
				"cases.hearing_requested, cases.hearing_held, cases.evaluation_json, catalog_items.name AS item_name, catalog_items.domain").
			Joins("JOIN cases ON cases.id = documents.case_id").
			Joins("LEFT JOIN catalog_items ON catalog_items.id = cases.item_id").
			Where("documents.issue_date >= ? AND documents.issue_date <= ? AND documents.kind IN ? AND documents.status IN ? AND documents.id > ?",
				q.From, q.To, rules.DecisionKinds, decidedStatuses, after).
			Order("documents.id").Limit(statChunk)
		if err := db.Scan(&rows).Error; err != nil {
			return errs.Wrap(err, "read decisions of the period")
		}
		if len(rows) == 0 {
			return nil
		}
		for _, r := range rows {
			d := &StatDecision{DocumentID: r.DocumentID, CaseID: r.CaseID, AuthorityID: r.AuthorityID, Kind: r.Kind, IssueDate: r.IssueDate,
				Fine: r.Fine, LegalReviewDate: r.LegalReviewDate, Outcome: r.Outcome, Ground: r.Ground, ViolationCode: r.ViolationCode,
				HearingRequested: r.HearingRequested != "", HearingHeld: r.HearingHeld}
			if r.ItemName != nil {
				d.ItemName = *r.ItemName
			}
			if r.Domain != nil {
				d.Domain = *r.Domain
			}
			if err := json.Unmarshal([]byte(r.EvaluationJSON), &d.Evaluation); err != nil {
				return errs.Wrap(err, "decode evaluation of case %d", r.CaseID)
			}
			c := Case{OfficerID: r.OfficerID, OfficerIDs: r.OfficerIDs}
			d.Officers = officerNames(users, &c)
			if err := fn(d); err != nil {
				return err
			}
		}
		after = rows[len(rows)-1].DocumentID
	}
}

// Collected is what the payments dated in the period brought in, by the
// case's item.
type Collected struct {
	ViolationCode string
	Payments      int64
	Amount        float64
}

// CollectedByItem sums the payments (fines and late fees) dated in the
// period, by the item of their case.
func (s *Store) CollectedByItem(ctx context.Context, q StatisticsQuery) ([]Collected, error) {
	var rows []Collected
	if err := q.Scope.filter(s.conn(ctx).Table("payments"), "payments.authority_id").
		Select("cases.violation_code, COUNT(*) AS payments, SUM(payments.amount) AS amount").
		Joins("JOIN cases ON cases.id = payments.case_id").
		Where("payments.date >= ? AND payments.date <= ?", q.From, q.To).
		Group("cases.violation_code").Order("cases.violation_code").Scan(&rows).Error; err != nil {
		return nil, errs.Wrap(err, "sum payments of the period")
	}
	return rows, nil
}
