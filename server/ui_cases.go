package main

import (
	"errors"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

type casesPage struct {
	uiBase
	Query    models.CaseQuery
	Mine     bool
	Statuses []option
	Items    []option
	// PaymentStates are the payment-state filter's options.
	PaymentStates []option
	Cases         []models.CaseRow
	Total         int64
	Capped        bool // Total is TotalCap: 10000+ cases
	Page          int
	Pages         int
	// MineURL and AllURL are the two tabs, ExportURL the register of the
	// filters, PrevURL and NextURL the pager: each keeps the filters.
	MineURL, AllURL, ExportURL, PrevURL, NextURL string
	// Digest is today's supervision line (supervision.go).
	Digest *casework.Digest
}

const casesPerPage = 20

// handleCasesPage lists cases, newest first: my cases (the default for
// officers) or all of the offices the user serves, searched by party name,
// id number, credit code, item code or number, and filtered by status,
// item, filing and decision dates; every filter lives in the URL.
func (s *Server) handleCasesPage(c *gin.Context) {
	a := s.actor(c)
	q := caseQueryOf(c, a, myCasesDefault(currentUser(c)))
	q.PerPage = casesPerPage
	p := casesPage{uiBase: s.base(c, "案件", "cases"), Mine: q.Mine != 0}
	for _, st := range rules.CaseStatusOrder {
		p.Statuses = append(p.Statuses, option{st, rules.CaseStatusName(st)})
	}
	if q.Status != "" && !slices.Contains(rules.CaseStatusOrder, q.Status) {
		q.Status = ""
	}
	for _, st := range rules.PaymentStates {
		p.PaymentStates = append(p.PaymentStates, option{st, rules.PaymentStateName(st)})
	}
	if !rules.IsPaymentState(q.PaymentState) {
		q.PaymentState = ""
	}
	items, err := s.work.Catalog(c.Request.Context(), a)
	if err != nil {
		s.uiError(c, err)
		return
	}
	for _, it := range items {
		p.Items = append(p.Items, option{it.Code, it.Code + " " + it.Name})
	}
	list, err := s.work.ListCases(c.Request.Context(), a, q)
	var e *errs.Error
	if errors.As(err, &e) && e.Code == errs.Invalid {
		// A date typed by hand into the URL: the list without the bad dates,
		// the typed values kept in the form with the message.
		p.Error = "日期格式应为YYYY-MM-DD，未按有误的日期筛选。"
		clean := q
		for name, d := range map[string]*string{"from": &clean.From, "to": &clean.To, "decided_from": &clean.DecidedFrom, "decided_to": &clean.DecidedTo} {
			if e.Fields[name] != "" {
				*d = ""
			}
		}
		list, err = s.work.ListCases(c.Request.Context(), a, clean)
	}
	if err != nil {
		s.uiError(c, err)
		return
	}
	p.Query = q
	p.Cases, p.Total, p.Capped, p.Page = list.Cases, list.Total, list.Capped, list.Page
	p.Pages = int((p.Total + casesPerPage - 1) / casesPerPage)
	link := func(path string, change func(v map[string][]string)) string {
		v := caseFilterValues(q)
		change(v)
		return path + "?" + v.Encode()
	}
	p.MineURL = link("/cases", func(v map[string][]string) { v["mine"] = []string{"1"} })
	p.AllURL = link("/cases", func(v map[string][]string) { v["mine"] = []string{"0"} })
	p.ExportURL = link("/cases/export.xlsx", func(map[string][]string) {})
	// The pager carries the cursor (before/after) with the filters, and the
	// page number only to show it.
	cursor := func(name string, id uint, page int) func(v map[string][]string) {
		return func(v map[string][]string) {
			v[name], v["page"] = []string{itoa(id)}, []string{itoa(uint(max(page, 1)))}
		}
	}
	if list.Prev {
		p.PrevURL = link("/cases", cursor("after", list.PrevAfter, p.Page-1))
	}
	if list.More {
		p.NextURL = link("/cases", cursor("before", list.NextBefore, p.Page+1))
	}
	p.Digest = s.startDigest(c)
	s.ui(c, http.StatusOK, "ui_cases", p)
}
