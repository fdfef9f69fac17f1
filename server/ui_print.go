package main

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

type printPage struct {
	uiBase
	Q        string
	Rows     []queueRow
	Selected map[uint]bool
}

// printList lists issued documents (with their receipts) for printing,
// newest first.
func (s *Server) printList(c *gin.Context, st int, p printPage) {
	rows, err := s.work.PrintList(c.Request.Context(), s.actor(c), p.Q)
	if err != nil {
		s.uiError(c, err)
		return
	}
	for _, r := range rows {
		p.Rows = append(p.Rows, queueRow{DocumentRow: r, Name: rules.KindName(r.Kind), StatusName: rules.DocStatusName(r.Status)})
	}
	s.ui(c, st, "ui_print", p)
}

// handlePrintPage lets a clerk choose issued documents to print.
func (s *Server) handlePrintPage(c *gin.Context) {
	s.printList(c, http.StatusOK, printPage{uiBase: s.base(c, "批量打印", "print"), Q: strings.TrimSpace(c.Query("q"))})
}

// handlePrintPDF answers the chosen documents as one PDF, merged from their
// frozen bytes like GET /api/v1/documents/print.
func (s *Server) handlePrintPDF(c *gin.Context) {
	p := printPage{uiBase: s.base(c, "批量打印", "print"), Q: strings.TrimSpace(c.Query("q")), Selected: map[uint]bool{}}
	ids, err := parseIDs(strings.Join(c.QueryArray("ids"), ","))
	if err == nil {
		var pdf []byte
		if pdf, err = s.work.Print(c.Request.Context(), s.actor(c), ids); err == nil {
			sendPDF(c, pdf, "批量打印.pdf")
			return
		}
	}
	for _, id := range ids {
		p.Selected[id] = true
	}
	var e *errs.Error
	if !errors.As(err, &e) || e.Code == errs.Internal || e.Code == errs.Unavailable {
		s.uiError(c, err)
		return
	}
	p.Error = e.Message
	if m := e.Fields["ids"]; m != "" {
		p.Error = m
	}
	s.printList(c, status(e.Code), p)
}
