package main

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/models"
	"penaltydoc/rules"
)

type casesPage struct {
	uiBase
	Q, Status        string
	Statuses         []option
	PaymentState     string
	PaymentStates    []option
	Cases            []models.Case
	Total            int64
	Page, Pages      int
	PrevURL, NextURL string
}

const casesPerPage = 20

// handleCasesPage lists cases, newest first, searched by party name, id
// number, credit code, item code or document number, and by status.
func (s *Server) handleCasesPage(c *gin.Context) {
	p := casesPage{uiBase: s.base(c, "案件", "cases"), Q: strings.TrimSpace(c.Query("q")), Status: c.Query("status")}
	for _, st := range rules.CaseStatusOrder {
		p.Statuses = append(p.Statuses, option{st, rules.CaseStatusName(st)})
	}
	if !slices.Contains(rules.CaseStatusOrder, p.Status) {
		p.Status = ""
	}
	for _, st := range rules.PaymentStates {
		p.PaymentStates = append(p.PaymentStates, option{st, rules.PaymentStateName(st)})
	}
	if p.PaymentState = c.Query("payment_state"); !rules.IsPaymentState(p.PaymentState) {
		p.PaymentState = ""
	}
	p.Page, _ = strconv.Atoi(c.Query("page"))
	if p.Page < 1 {
		p.Page = 1
	}
	var err error
	p.Cases, p.Total, err = s.work.ListCases(c.Request.Context(), s.actor(c), models.CaseQuery{Q: p.Q, Status: p.Status, PaymentState: p.PaymentState, Page: p.Page, PerPage: casesPerPage})
	if err != nil {
		s.uiError(c, err)
		return
	}
	p.Pages = int((p.Total + casesPerPage - 1) / casesPerPage)
	link := func(page int) string {
		v := url.Values{}
		if p.Q != "" {
			v.Set("q", p.Q)
		}
		if p.Status != "" {
			v.Set("status", p.Status)
		}
		if p.PaymentState != "" {
			v.Set("payment_state", p.PaymentState)
		}
		v.Set("page", strconv.Itoa(page))
		return "/cases?" + v.Encode()
	}
	if p.Page > 1 {
		p.PrevURL = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.NextURL = link(p.Page + 1)
	}
	s.ui(c, http.StatusOK, "ui_cases", p)
}
