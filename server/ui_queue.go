package main

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/models"
	"penaltydoc/rules"
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

// queueTitles are each section's title, its empty text and its rows'
// status (by approval stage where it waits for one).
var queueTitles = map[string][3]string{
	casework.QueueReview:   {"待法制审核", "没有待法制审核的文书。", ""},
	casework.QueueApprove:  {"待批准", "没有待批准的文书。", ""},
	casework.QueueIssue:    {"待签发", "没有待签发的文书。", "已批准待签发"},
	casework.QueueServe:    {"待记录送达", "没有待记录送达的文书。", "已签发"},
	casework.QueueReturned: {"被退回的文书", "没有被退回的文书。", "已退回"},
}

// handleQueuePage shows what waits for the current user: documents to
// review or approve (by stage), to issue and to serve, and drafts that came
// back to the officer.
func (s *Server) handleQueuePage(c *gin.Context) {
	secs, err := s.work.Queue(c.Request.Context(), s.actor(c))
	if err != nil {
		s.uiError(c, err)
		return
	}
	p := queuePage{uiBase: s.base(c, "待办", "queue")}
	for _, sec := range secs {
		t := queueTitles[sec.ID]
		qs := queueSection{ID: "queue-" + sec.ID, Title: t[0], Empty: t[1]}
		for _, r := range sec.Rows {
			status := t[2]
			if st, ok := stageText(r.Stage, r.ReviewStage > 0); ok {
				status = st[0]
			}
			qs.Rows = append(qs.Rows, queueRow{DocumentRow: r.DocumentRow, Name: rules.KindName(r.Kind), StatusName: status})
		}
		p.Sections = append(p.Sections, qs)
	}
	s.ui(c, http.StatusOK, "ui_queue", p)
}
