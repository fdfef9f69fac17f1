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
	p.Cases, p.Total, err = s.work.ListCases(c.Request.Context(), a, q)
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
		p.Cases, p.Total, err = s.work.ListCases(c.Request.Context(), a, clean)
	}
	if err != nil {
		s.uiError(c, err)
		return
	}
	p.Query = q
	p.Page, _ = models.PageOf(q.Page, casesPerPage, p.Total)
	p.Pages = int((p.Total + casesPerPage - 1) / casesPerPage)
	link := func(path string, change func(v map[string][]string)) string {
		v := caseFilterValues(q)
		change(v)
		return path + "?" + v.Encode()
	}
	p.MineURL = link("/cases", func(v map[string][]string) { v["mine"] = []string{"1"} })
	p.AllURL = link("/cases", func(v map[string][]string) { v["mine"] = []string{"0"} })
	p.ExportURL = link("/cases/export.xlsx", func(map[string][]string) {})
	page := func(n int) func(v map[string][]string) {
		return func(v map[string][]string) { v["page"] = []string{itoa(uint(n))} }
	}
	if p.Page > 1 {
		p.PrevURL = link("/cases", page(p.Page-1))
	}
	if p.Page < p.Pages {
		p.NextURL = link("/cases", page(p.Page+1))
	}
	p.Digest = s.startDigest(c)
	s.ui(c, http.StatusOK, "ui_cases", p)
}
