package main

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"penaltydoc/models"
)

// queueSection is one list of work on the queue page.
type queueSection struct {
	ID, Title, Empty string
	Rows             []queueRow
}

type queueRow struct {
	models.DocumentRow
	Name, StatusName string
}

type queuePage struct {
	uiBase
	Sections []queueSection
}

// handleQueuePage shows what waits for the current user: documents to
// review or approve (by stage), to issue and to serve, and drafts that came
// back to the officer.
func (s *Server) handleQueuePage(c *gin.Context) {
	ctx := c.Request.Context()
	u := currentUser(c)
	p := queuePage{uiBase: s.base(c, "待办", "queue")}
	list := func(q models.DocumentQuery) ([]models.DocumentRow, bool) {
		rows, err := s.store.ListDocuments(ctx, q)
		if err != nil {
			s.uiError(c, err)
			return nil, false
		}
		return rows, true
	}
	row := func(r models.DocumentRow, status string) queueRow {
		return queueRow{DocumentRow: r, Name: kindNames[r.Kind], StatusName: status}
	}
	if u.HasRole(reviewer) || u.HasRole(approver) {
		rows, ok := list(models.DocumentQuery{Statuses: []string{models.DocReviewing}})
		if !ok {
			return
		}
		review := queueSection{ID: "queue-review", Title: "待法制审核", Empty: "没有待法制审核的文书。"}
		approve := queueSection{ID: "queue-approve", Title: "待批准", Empty: "没有待批准的文书。"}
		for _, r := range rows {
			switch {
			case r.TwoStage() && r.ReviewStage == 0:
				if u.HasRole(reviewer) {
					review.Rows = append(review.Rows, row(r, "待法制审核"))
				}
			case r.TwoStage():
				if u.HasRole(approver) {
					approve.Rows = append(approve.Rows, row(r, "法制审核已通过，待负责人批准"))
				}
			default:
				approve.Rows = append(approve.Rows, row(r, "待审批"))
			}
		}
		if u.HasRole(reviewer) {
			p.Sections = append(p.Sections, review)
		}
		p.Sections = append(p.Sections, approve)
	}
	if u.HasRole(clerk) {
		approved, ok := list(models.DocumentQuery{Statuses: []string{models.DocApproved}})
		if !ok {
			return
		}
		issued, ok := list(models.DocumentQuery{Statuses: []string{models.DocIssued}, Numbered: true})
		if !ok {
			return
		}
		sec := queueSection{ID: "queue-issue", Title: "待签发", Empty: "没有待签发的文书。"}
		for _, r := range approved {
			sec.Rows = append(sec.Rows, row(r, "已批准待签发"))
		}
		serve := queueSection{ID: "queue-serve", Title: "待记录送达", Empty: "没有待记录送达的文书。"}
		for _, r := range issued {
			serve.Rows = append(serve.Rows, row(r, "已签发"))
		}
		p.Sections = append(p.Sections, sec, serve)
	}
	if u.HasRole(officer) {
		rows, ok := list(models.DocumentQuery{Statuses: []string{models.DocDraft}, Returned: true})
		if !ok {
			return
		}
		sec := queueSection{ID: "queue-returned", Title: "被退回的文书", Empty: "没有被退回的文书。"}
		for _, r := range rows {
			sec.Rows = append(sec.Rows, row(r, "已退回"))
		}
		p.Sections = append(p.Sections, sec)
	}
	s.ui(c, http.StatusOK, "ui_queue", p)
}
