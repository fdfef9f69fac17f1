package main

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

type printPage struct {
	uiBase
	Q        string
	Printed  string // models.PrintedYes, PrintedNo or "" (the filter)
	Rows     []queueRow
	Selected map[uint]bool
	// Receipts and Duplex are the print options as last chosen.
	Receipts, Duplex bool
}

// printList lists issued documents (with their receipts) for printing,
// newest first, with their print marks.
func (s *Server) printList(c *gin.Context, st int, p printPage) {
	rows, err := s.work.PrintList(c.Request.Context(), s.actor(c), casework.PrintQuery{Q: p.Q, Printed: p.Printed})
	if err != nil {
		s.uiError(c, err)
		return
	}
	for _, r := range rows {
		p.Rows = append(p.Rows, queueRow{DocumentRow: r, Name: rules.KindName(r.Kind), StatusName: rules.DocStatusName(r.Status)})
	}
	s.ui(c, st, "ui_print", p)
}

func newPrintPage(c *gin.Context, s *Server) printPage {
	p := printPage{uiBase: s.base(c, "批量打印", "print"), Q: strings.TrimSpace(c.Query("q")), Printed: c.Query("printed")}
	if p.Printed != models.PrintedYes && p.Printed != models.PrintedNo {
		p.Printed = ""
	}
	return p
}

// handlePrintPage lets a clerk choose issued documents to print, filtered
// by 未打印/已打印.
func (s *Server) handlePrintPage(c *gin.Context) {
	p := newPrintPage(c, s)
	p.Receipts = true // the default: each document with its receipt
	s.printList(c, http.StatusOK, p)
}

// handlePrintPDF answers the chosen documents as one PDF, merged from their
// frozen bytes like GET /api/v1/documents/print, with the options chosen.
func (s *Server) handlePrintPDF(c *gin.Context) {
	p := newPrintPage(c, s)
	p.Selected = map[uint]bool{}
	opt := printOptions(c)
	p.Receipts, p.Duplex = opt.Receipts, opt.Duplex
	ids, err := parseIDs(strings.Join(c.QueryArray("ids"), ","))
	if err == nil {
		var pdf []byte
		if pdf, err = s.work.Print(c.Request.Context(), s.actor(c), ids, opt); err == nil {
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
