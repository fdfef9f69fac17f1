package main

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/models"
	"penaltydoc/rules"
)

// caseQueryOf reads the case list's filters from the URL, the same for the
// API, the page and the register: q, status, item, from/to (filed),
// decided_from/decided_to, mine, before and after (the cursors), page, per_page. mine is "1" (my cases) or
// "0" (all); absent, it is myDefault.
func caseQueryOf(c *gin.Context, a casework.Actor, myDefault bool) models.CaseQuery {
	q := models.CaseQuery{Q: strings.TrimSpace(c.Query("q")), Status: strings.TrimSpace(c.Query("status")),
		PaymentState:  strings.TrimSpace(c.Query("payment_state")),
		ViolationCode: strings.TrimSpace(c.Query("item")),
		From:          strings.TrimSpace(c.Query("from")), To: strings.TrimSpace(c.Query("to")),
		DecidedFrom: strings.TrimSpace(c.Query("decided_from")), DecidedTo: strings.TrimSpace(c.Query("decided_to"))}
	q.Page, _ = strconv.Atoi(c.DefaultQuery("page", "1"))
	q.PerPage, _ = strconv.Atoi(c.DefaultQuery("per_page", "20"))
	if b, err := strconv.ParseUint(c.Query("before"), 10, 64); err == nil {
		q.Before = uint(b)
	}
	if b, err := strconv.ParseUint(c.Query("after"), 10, 64); err == nil {
		q.After = uint(b)
	}
	mine := myDefault
	switch c.Query("mine") {
	case "1", "true":
		mine = true
	case "0", "false":
		mine = false
	}
	if mine {
		q.Mine = a.UserID
	}
	return q
}

// caseFilterValues is q as URL parameters (without page), so that a link
// keeps the filters.
func caseFilterValues(q models.CaseQuery) url.Values {
	v := url.Values{}
	for _, kv := range [][2]string{{"q", q.Q}, {"status", q.Status}, {"payment_state", q.PaymentState}, {"item", q.ViolationCode}, {"from", q.From}, {"to", q.To},
		{"decided_from", q.DecidedFrom}, {"decided_to", q.DecidedTo}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	if q.Mine != 0 {
		v.Set("mine", "1")
	} else {
		v.Set("mine", "0")
	}
	return v
}

// myCasesDefault: officers see their own cases first; others (reviewers,
// heads, clerks, admins) the office's.
func myCasesDefault(u *models.User) bool {
	return u != nil && slices.Contains(u.RoleList(), rules.RoleOfficer)
}

// xlsxWriter answers the register as an attachment once the first byte is
// written, so that an error before that still answers as an error.
type xlsxWriter struct {
	c     *gin.Context
	name  string
	wrote bool
}

func (w *xlsxWriter) Write(p []byte) (int, error) {
	if !w.wrote {
		w.wrote = true
		h := w.c.Writer.Header()
		h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		h.Set("Content-Disposition", `attachment; filename="cases.xlsx"; filename*=UTF-8''`+urlPathEscape(w.name))
		h.Set("Cache-Control", "private, no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		w.c.Status(http.StatusOK)
	}
	return w.c.Writer.Write(p)
}

const registerFileName = "案件登记.xlsx"

// handleExportCases answers the case register of the list's filters as
// XLSX (GET /api/v1/cases/export.xlsx).
func (s *Server) handleExportCases(c *gin.Context) {
	a := s.actor(c)
	w := &xlsxWriter{c: c, name: registerFileName}
	if _, err := s.work.ExportCases(c.Request.Context(), a, caseQueryOf(c, a, false), w); err != nil && !w.wrote {
		s.fail(c, err)
	}
}

// handleExportCasesPage is the list page's export button (GET
// /cases/export.xlsx): the page's filters, my cases by the page's default.
func (s *Server) handleExportCasesPage(c *gin.Context) {
	a := s.actor(c)
	w := &xlsxWriter{c: c, name: registerFileName}
	if _, err := s.work.ExportCases(c.Request.Context(), a, caseQueryOf(c, a, myCasesDefault(currentUser(c))), w); err != nil && !w.wrote {
		s.uiError(c, err)
	}
}
