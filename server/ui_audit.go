package main

// The audit log page: the entries the admin sees (their authorities', or
// every one for the deployment's admins), filtered and paged by id, and the
// chain check -check-audit runs.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

type auditFilter struct {
	User, Case, Document, Action, From, To string
}

type adminAuditPage struct {
	uiBase
	// Actions are the filter's choices: code and Chinese name.
	Actions    [][2]string
	Filter     auditFilter
	Entries    []models.AuditEntry
	More       string // the next page's URL
	Fields     map[string]string
	Deployment bool
	Check      *models.AuditCheck
}

// auditQuery reads the filters; a bad number or date is the field's error.
func auditQuery(c *gin.Context, fe errs.Fields) (auditFilter, models.AuditQuery) {
	f := auditFilter{User: strings.TrimSpace(c.Query("user")), Case: strings.TrimSpace(c.Query("case")),
		Document: strings.TrimSpace(c.Query("document")), Action: strings.TrimSpace(c.Query("action")),
		From: strings.TrimSpace(c.Query("from")), To: strings.TrimSpace(c.Query("to"))}
	q := models.AuditQuery{Username: f.User, Action: rules.AuditActionCode(f.Action)}
	id := func(field, v string) uint {
		if v == "" {
			return 0
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n == 0 {
			fe.Add(field, "请填写编号（数字）")
		}
		return uint(n)
	}
	q.CaseID, q.DocumentID, q.Before = id("case", f.Case), id("document", f.Document), id("before", c.Query("before"))
	for _, d := range []struct {
		field, v string
		to       *string
	}{{"from", f.From, &q.From}, {"to", f.To, &q.To}} {
		if d.v != "" && !rules.ValidDate(d.v) {
			fe.Add(d.field, "日期应为YYYY-MM-DD，如2026-12-02")
			continue
		}
		*d.to = d.v
	}
	return f, q
}

func (s *Server) auditPage(c *gin.Context, st int, p adminAuditPage) {
	fe := errs.Fields{}
	var q models.AuditQuery
	p.Filter, q = auditQuery(c, fe)
	p.Actions = rules.AuditActions()
	p.Deployment = s.actor(c).Deployment()
	if len(fe) > 0 {
		p.Fields, p.Error = fe, "筛选条件有误，请按提示修改。"
		st = http.StatusUnprocessableEntity
	} else {
		var more bool
		var err error
		p.Entries, more, err = s.work.AuditLog(c.Request.Context(), s.actor(c), q)
		if err != nil {
			s.uiError(c, err)
			return
		}
		if more && len(p.Entries) > 0 {
			v := url.Values{}
			for k, x := range map[string]string{"user": p.Filter.User, "case": p.Filter.Case, "document": p.Filter.Document,
				"action": p.Filter.Action, "from": p.Filter.From, "to": p.Filter.To} {
				if x != "" {
					v.Set(k, x)
				}
			}
			v.Set("before", strconv.FormatUint(uint64(p.Entries[len(p.Entries)-1].ID), 10))
			p.More = "/admin/audit?" + v.Encode()
		}
	}
	s.ui(c, st, "ui_admin_audit", p)
}

func (s *Server) handleAdminAuditPage(c *gin.Context) {
	s.auditPage(c, http.StatusOK, adminAuditPage{uiBase: s.base(c, "审计日志", "admin")})
}

// handleAdminAuditCheck runs the chain check and shows its answer above
// the log.
func (s *Server) handleAdminAuditCheck(c *gin.Context) {
	res, err := s.work.CheckAudit(c.Request.Context(), s.actor(c))
	if err != nil {
		s.uiError(c, err)
		return
	}
	s.auditPage(c, http.StatusOK, adminAuditPage{uiBase: s.base(c, "审计日志", "admin"), Check: res})
}
