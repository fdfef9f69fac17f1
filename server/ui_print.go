package main

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
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
	// PrevURL and NextURL are the pager's links (上一页/下一页), with the
	// filters and a cursor.
	PrevURL, NextURL string
}

// printList lists issued documents (with their receipts) for printing,
// newest first, with their print marks.
func (s *Server) printList(c *gin.Context, st int, p printPage) {
	before, _ := strconv.ParseUint(c.Query("before"), 10, 64)
	after, _ := strconv.ParseUint(c.Query("after"), 10, 64)
	rows, err := s.work.PrintList(c.Request.Context(), s.actor(c), casework.PrintQuery{Q: p.Q, Printed: p.Printed, Before: uint(before), After: uint(after)})
	if err != nil {
		s.uiError(c, err)
		return
	}
	for _, r := range rows {
		p.Rows = append(p.Rows, queueRow{DocumentRow: r, Name: rules.KindName(r.Kind), StatusName: rules.DocStatusName(r.Status)})
	}
	// The pager: a full page has one after it; a page reached by a cursor
	// (or a back page that came full) one before it.
	link := func(name string, id uint) string {
		v := url.Values{}
		if p.Q != "" {
			v.Set("q", p.Q)
		}
		if p.Printed != "" {
			v.Set("printed", p.Printed)
		}
		v.Set(name, itoa(id))
		return "/print?" + v.Encode()
	}
	if n := len(rows); n > 0 {
		full := n == casework.MaxPrintBatch
		if full || after != 0 {
			p.NextURL = link("before", rows[n-1].ID)
		}
		if before != 0 || (after != 0 && full) {
			p.PrevURL = link("after", rows[0].ID)
		}
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
