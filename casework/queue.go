package casework

import (
	"context"

	"penaltydoc/models"
	"penaltydoc/rules"
)

// Queue sections, by what waits.
const (
	QueueReview   = "review"   // legal review (reviewers)
	QueueApprove  = "approve"  // approval (the head; single-stage: reviewers too)
	QueueIssue    = "issue"    // approved, to issue (clerks)
	QueueServe    = "serve"    // issued, service to record (clerks)
	QueueReturned = "returned" // drafts a reviewer sent back (officers)
)

// QueueSection is one list of work.
type QueueSection struct {
	ID   string
	Rows []QueueRow
}

// QueueRow is a document in a list, with the approval stage it waits for.
type QueueRow struct {
	models.DocumentRow
	Stage string
}

// Queue is what waits for the actor, section by section in the order the
// roles meet them: documents to review or approve, to issue and to serve,
// and drafts that came back.
func (s *Service) Queue(ctx context.Context, a Actor) ([]QueueSection, error) {
	var out []QueueSection
	who := a.staff()
	if who.Has(rules.RoleReviewer) || who.Has(rules.RoleApprover) {
		rows, err := s.store.ListDocuments(ctx, models.DocumentQuery{Scope: a.Scope, Statuses: []string{models.DocReviewing}})
		if err != nil {
			return nil, err
		}
		review, approve := QueueSection{ID: QueueReview}, QueueSection{ID: QueueApprove}
		for _, r := range rows {
			st := r.State()
			if rules.MayDocument(who, rules.ActApprove, st) != nil {
				continue
			}
			row := QueueRow{DocumentRow: r, Stage: st.Stage()}
			if row.Stage == rules.StageLegalReview {
				review.Rows = append(review.Rows, row)
			} else {
				approve.Rows = append(approve.Rows, row)
			}
		}
		if who.Has(rules.RoleReviewer) {
			out = append(out, review)
		}
		out = append(out, approve)
	}
	if who.Has(rules.RoleClerk) {
		approved, err := s.store.ListDocuments(ctx, models.DocumentQuery{Scope: a.Scope, Statuses: []string{models.DocApproved}})
		if err != nil {
			return nil, err
		}
		issued, err := s.store.ListDocuments(ctx, models.DocumentQuery{Scope: a.Scope, Statuses: []string{models.DocIssued}, Numbered: true})
		if err != nil {
			return nil, err
		}
		out = append(out, QueueSection{ID: QueueIssue, Rows: rowsOf(approved)}, QueueSection{ID: QueueServe, Rows: rowsOf(issued)})
	}
	if who.Has(rules.RoleOfficer) {
		rows, err := s.store.ListDocuments(ctx, models.DocumentQuery{Scope: a.Scope, Statuses: []string{models.DocDraft}, Returned: true})
		if err != nil {
			return nil, err
		}
		out = append(out, QueueSection{ID: QueueReturned, Rows: rowsOf(rows)})
	}
	return out, nil
}

func rowsOf(rs []models.DocumentRow) []QueueRow {
	out := make([]QueueRow, len(rs))
	for i, r := range rs {
		out[i] = QueueRow{DocumentRow: r}
	}
	return out
}
