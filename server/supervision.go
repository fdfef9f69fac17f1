package main

// Supervision and statistics (执法监督, 统计): the staff pages /supervision
// and /statistics, their JSON (/api/v1/supervision, /api/v1/statistics)
// and XLSX exports, the head's extension of a case's decision period, and
// the digest on the start page.

import (
	"context"
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

// supervisionFilterOf reads the filters from the URL: check, state,
// officer (a user id), from and to (filing dates), closed, page.
func supervisionFilterOf(c *gin.Context) (casework.SupervisionFilter, error) {
	f := casework.SupervisionFilter{Check: strings.TrimSpace(c.Query("check")), State: strings.TrimSpace(c.Query("state")),
		FiledFrom: strings.TrimSpace(c.Query("from")), FiledTo: strings.TrimSpace(c.Query("to"))}
	f.Closed = c.Query("closed") == "1" || c.Query("closed") == "true"
	f.Page, _ = strconv.Atoi(c.DefaultQuery("page", "1"))
	if o := strings.TrimSpace(c.Query("officer")); o != "" {
		id, err := strconv.ParseUint(o, 10, 32)
		if err != nil {
			return f, errs.Field("officer", "承办人编号应为数字")
		}
		f.Officer = uint(id)
	}
	return f, nil
}

func supervisionValues(f casework.SupervisionFilter) url.Values {
	v := url.Values{}
	for _, kv := range [][2]string{{"check", f.Check}, {"state", f.State}, {"from", f.FiledFrom}, {"to", f.FiledTo}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	if f.Officer != 0 {
		v.Set("officer", strconv.FormatUint(uint64(f.Officer), 10))
	}
	if f.Closed {
		v.Set("closed", "1")
	}
	return v
}

// handleSupervision answers GET /api/v1/supervision.
func (s *Server) handleSupervision(c *gin.Context) {
	f, err := supervisionFilterOf(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	rep, err := s.work.Supervision(c.Request.Context(), s.actor(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	if rep.Rows == nil {
		rep.Rows = []casework.SupervisionRow{}
	}
	c.JSON(http.StatusOK, rep)
}

const supervisionFileName = "执法监督.xlsx"

// handleExportSupervision answers GET /api/v1/supervision/export.xlsx.
func (s *Server) handleExportSupervision(c *gin.Context) {
	s.exportSupervision(c, s.fail)
}

// handleExportSupervisionPage is the page's export button.
func (s *Server) handleExportSupervisionPage(c *gin.Context) {
	s.exportSupervision(c, s.uiError)
}

func (s *Server) exportSupervision(c *gin.Context, fail func(*gin.Context, error)) {
	f, err := supervisionFilterOf(c)
	if err != nil {
		fail(c, err)
		return
	}
	w := &xlsxWriter{c: c, name: supervisionFileName}
	if err := s.work.ExportSupervision(c.Request.Context(), s.actor(c), f, w); err != nil && !w.wrote {
		fail(c, err)
	}
}

type supervisionPage struct {
	uiBase
	Report   *casework.SupervisionReport
	Filter   casework.SupervisionFilter
	Checks   []option
	States   []option
	Officers []option
	// CheckURL links each check's count to its rows; StateURL each state.
	CheckURL                    map[string]string
	ExportURL, PrevURL, NextURL string
	Pages                       int
	Approver                    bool
}

// handleSupervisionPage shows GET /supervision.
func (s *Server) handleSupervisionPage(c *gin.Context) {
	a := s.actor(c)
	f, err := supervisionFilterOf(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	p := supervisionPage{uiBase: s.base(c, "执法监督", "supervision"), Filter: f, CheckURL: map[string]string{}, Approver: a.Has(rules.RoleApprover)}
	for _, ch := range rules.SupervisionChecks {
		p.Checks = append(p.Checks, option{ch.Code, ch.Name})
	}
	for _, st := range rules.SupervisionStates {
		p.States = append(p.States, option{st, rules.SupervisionStateName(st)})
	}
	officers, err := s.work.Officers(c.Request.Context(), a, 0)
	if err != nil {
		s.uiError(c, err)
		return
	}
	for _, u := range officers {
		name := u.DisplayName
		if name == "" {
			name = u.Username
		}
		p.Officers = append(p.Officers, option{strconv.FormatUint(uint64(u.ID), 10), name})
	}
	rep, err := s.work.Supervision(c.Request.Context(), a, f)
	if e := invalidError(err); e != nil {
		p.Error = e.Message
		if p.Error == "" {
			for _, m := range e.Fields {
				p.Error = m
			}
		}
		f = casework.SupervisionFilter{}
		p.Filter = f
		rep, err = s.work.Supervision(c.Request.Context(), a, f)
	}
	if err != nil {
		s.uiError(c, err)
		return
	}
	p.Report = rep
	p.Pages = (rep.Total + rep.PerPage - 1) / rep.PerPage
	link := func(path string, change func(url.Values)) string {
		v := supervisionValues(f)
		change(v)
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	for _, ch := range rules.SupervisionChecks {
		p.CheckURL[ch.Code] = link("/supervision", func(v url.Values) { v.Set("check", ch.Code); v.Del("state") })
	}
	p.ExportURL = link("/supervision/export.xlsx", func(url.Values) {})
	if rep.Page > 1 {
		p.PrevURL = link("/supervision", func(v url.Values) { v.Set("page", strconv.Itoa(rep.Page-1)) })
	}
	if rep.Page < p.Pages {
		p.NextURL = link("/supervision", func(v url.Values) { v.Set("page", strconv.Itoa(rep.Page+1)) })
	}
	s.ui(c, http.StatusOK, "ui_supervision", p)
}

// handleDigest answers GET /api/v1/supervision/digest.
func (s *Server) handleDigest(c *gin.Context) {
	d, err := s.work.DigestOf(c.Request.Context(), s.actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

// startDigest is the start page's line; nil when it cannot be read (the
// list still shows: the digest is a convenience, its failure is logged).
func (s *Server) startDigest(c *gin.Context) *casework.Digest {
	d, err := s.work.DigestOf(c.Request.Context(), s.actor(c))
	if err != nil {
		explain(c, err)
		return nil
	}
	return &d
}

// ---- the head's extension ----

// caseExtensionJSON is a case's extension as the case JSON shows it.
type caseExtensionJSON struct {
	Deadline     string `json:"deadline"`
	Reason       string `json:"reason"`
	ApprovedByID *uint  `json:"approved_by_id"`
	ApprovedBy   string `json:"approved_by"`
	Approved     string `json:"approved"`
}

func extensionOf(cs *models.Case) *caseExtensionJSON {
	if cs.ExtensionDeadline == "" {
		return nil
	}
	return &caseExtensionJSON{Deadline: cs.ExtensionDeadline, Reason: cs.ExtensionReason, ApprovedByID: cs.ExtensionByID,
		ApprovedBy: cs.ExtensionBy, Approved: cs.ExtensionApproved}
}

type extensionJSON struct {
	Deadline string `json:"deadline"`
	Reason   string `json:"reason"`
}

// handleExtension answers POST /api/v1/cases/{id}/extension.
func (s *Server) handleExtension(c *gin.Context) {
	caseStep(s, c, "deadline", func(ctx context.Context, a casework.Actor, id uint, in extensionJSON) (*models.Case, error) {
		return s.work.ExtendCase(ctx, a, id, in.Deadline, in.Reason)
	})
}

type extensionPage struct {
	uiBase
	CaseID     uint
	CaseNumber string
	Party      string
	Due        string
	Deadline   string
	Reason     string
	Extended   string
	Basis      string
	Fields     map[string]string
}

func (s *Server) extensionPage(c *gin.Context, st int, p extensionPage) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	cs, due, err := s.work.CaseDecisionDue(c.Request.Context(), s.actor(c), id)
	if err != nil {
		s.uiError(c, err)
		return
	}
	p.uiBase.Title, p.uiBase.Nav = "延长办案期限", "supervision"
	p.CaseID, p.CaseNumber, p.Party, p.Due = cs.ID, casework.CaseNumber(cs), cs.PartyName, due
	if ch, ok := rules.CheckByCode("decision_period"); ok {
		p.Basis = ch.Basis
	}
	if cs.ExtensionDeadline != "" {
		p.Extended = cs.ExtensionBy + "于" + pageDate(cs.ExtensionApproved) + "批准延长至" + pageDate(cs.ExtensionDeadline) + "，理由：" + cs.ExtensionReason
	}
	s.ui(c, st, "ui_extension", p)
}

// handleExtensionPage shows GET /cases/{id}/extension (approvers).
func (s *Server) handleExtensionPage(c *gin.Context) {
	s.extensionPage(c, http.StatusOK, extensionPage{uiBase: s.base(c, "", "")})
}

// handleExtensionForm records POST /cases/{id}/extension.
func (s *Server) handleExtensionForm(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	deadline, reason := c.PostForm("deadline"), c.PostForm("reason")
	_, err = s.work.ExtendCase(c.Request.Context(), s.actor(c), id, deadline, reason)
	if err == nil {
		done(c, "/supervision", "extended")
		return
	}
	e := invalidError(err)
	if e == nil {
		s.uiError(c, err)
		return
	}
	p := extensionPage{uiBase: s.base(c, "", ""), Deadline: deadline, Reason: reason, Fields: e.Fields}
	p.Error = e.Message
	s.extensionPage(c, status(e.Code), p)
}

// ---- statistics ----

// periodOf reads from and to; the default is the current year to today.
func (s *Server) periodOf(c *gin.Context) (string, string) {
	from, to := strings.TrimSpace(c.Query("from")), strings.TrimSpace(c.Query("to"))
	dfrom, dto := s.defaultPeriod()
	if from == "" {
		from = dfrom
	}
	if to == "" {
		to = dto
	}
	return from, to
}

// defaultPeriod is the current year to today.
func (s *Server) defaultPeriod() (string, string) {
	today := s.work.Today()
	return today[:4] + "-01-01", today
}

// handleStatistics answers GET /api/v1/statistics.
func (s *Server) handleStatistics(c *gin.Context) {
	from, to := s.periodOf(c)
	st, err := s.work.Statistics(c.Request.Context(), s.actor(c), from, to)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

const statisticsFileName = "行政处罚统计.xlsx"

func (s *Server) exportStatistics(c *gin.Context, fail func(*gin.Context, error)) {
	from, to := s.periodOf(c)
	w := &xlsxWriter{c: c, name: statisticsFileName}
	if err := s.work.ExportStatistics(c.Request.Context(), s.actor(c), from, to, w); err != nil && !w.wrote {
		fail(c, err)
	}
}

// handleExportStatistics answers GET /api/v1/statistics/export.xlsx.
func (s *Server) handleExportStatistics(c *gin.Context) { s.exportStatistics(c, s.fail) }

// handleExportStatisticsPage is the statistics page's export button.
func (s *Server) handleExportStatisticsPage(c *gin.Context) { s.exportStatistics(c, s.uiError) }

type statisticsPage struct {
	uiBase
	From, To  string
	Stats     *casework.Statistics
	Charts    []chart
	ExportURL string
	Annual    []string
}

// handleStatisticsPage shows GET /statistics with its charts.
func (s *Server) handleStatisticsPage(c *gin.Context) {
	from, to := s.periodOf(c)
	p := statisticsPage{uiBase: s.base(c, "统计", "statistics"), From: from, To: to, Annual: casework.AnnualColumns}
	st, err := s.work.Statistics(c.Request.Context(), s.actor(c), from, to)
	if e := invalidError(err); e != nil {
		for _, m := range e.Fields {
			p.Error = m
		}
		p.From, p.To = s.defaultPeriod()
		st, err = s.work.Statistics(c.Request.Context(), s.actor(c), p.From, p.To)
	}
	if err != nil {
		s.uiError(c, err)
		return
	}
	p.Stats = st
	p.Charts = []chart{
		barChart("chart-outcome", "决定按处理结果", st.ByOutcome, 0),
		barChart("chart-ground", "决定按依据情形（首违不罚、首违警告等）", st.ByGround, 0),
		barChart("chart-procedure", "决定按程序", st.ByProcedure, 0),
		barChart("chart-item", "决定按违法行为（前十项）", st.ByItem, 10),
		barChart("chart-officer", "决定按承办人（前十名）", st.ByOfficer, 10),
	}
	v := url.Values{"from": {p.From}, "to": {p.To}}
	p.ExportURL = "/statistics/export.xlsx?" + v.Encode()
	s.ui(c, http.StatusOK, "ui_statistics", p)
}
