package main

// The publication pages of the staff UI (行政执法公示): the list with the
// overdue ones and the export, and one record's review page (summary,
// plan, the officer's markings, the masked PDF's preview, the steps).
// They call the casework methods the JSON API calls.

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/rules"
)

func init() {
	uiPages = append(uiPages, "ui_publications", "ui_publication")
	for k, v := range map[string]string{
		"pub_saved":     "公示设置已保存，请重新预览遮蔽后的文书。",
		"pub_reviewed":  "公示内容已审核，等待负责人批准。",
		"pub_approved":  "公示已批准，遮蔽后的文书已固定，可以发布。",
		"pub_published": "已在行政处罚信息公示栏目发布。",
		"pub_withdrawn": "公示已撤回，公众已无法查看。",
		"pub_ended":     "公示已提前结束。",
	} {
		flashes[k] = v
	}
}

type publicationsPage struct {
	uiBase
	Status   string
	Q        string
	Statuses []option
	Rows     []casework.PublicationView
	Overdue  []casework.PublicationView
	Today    string
}

func (s *Server) handlePublicationsPage(c *gin.Context) {
	ctx, a := c.Request.Context(), s.actor(c)
	p := publicationsPage{uiBase: s.base(c, "行政处罚信息公示", "publications"), Status: c.Query("status"), Q: strings.TrimSpace(c.Query("q")), Today: s.work.Today()}
	for _, st := range []string{rules.PubPending, rules.PubReviewed, rules.PubApproved, rules.PubPublished, rules.PubWithdrawn, rules.PubEnded, rules.PubNotPublished} {
		p.Statuses = append(p.Statuses, option{st, rules.PubStatusName(st)})
	}
	var err error
	if p.Rows, err = s.work.Publications(ctx, a, casework.PublicationFilter{Status: p.Status, Q: p.Q}); err == nil {
		p.Overdue, err = s.work.OverduePublications(ctx, a)
	}
	if err != nil {
		s.uiError(c, err)
		return
	}
	s.ui(c, http.StatusOK, "ui_publications", p)
}

type publicationPage struct {
	uiBase
	Pub     *casework.PublicationView
	Names   string
	Secrets []option
	Fields  map[string]string
	Form    string // the form that was refused
}

func (s *Server) publicationPage(c *gin.Context, st int, p publicationPage) {
	p.Secrets = []option{{rules.SecretNone, "不涉及"}}
	for _, k := range []string{rules.SecretState, rules.SecretCommercial, rules.SecretPrivacy} {
		p.Secrets = append(p.Secrets, option{k, rules.SecretName(k)})
	}
	if p.Names == "" && p.Pub != nil {
		p.Names = strings.Join(p.Pub.MaskNames, "\n")
	}
	p.Title = "公示 " + p.Pub.Number
	s.ui(c, st, "ui_publication", p)
}

func (s *Server) handlePublicationPage(c *gin.Context) {
	id, err := pathID(c)
	var v *casework.PublicationView
	if err == nil {
		v, err = s.work.Publication(c.Request.Context(), s.actor(c), id)
	}
	if err != nil {
		s.uiError(c, err)
		return
	}
	s.publicationPage(c, http.StatusOK, publicationPage{uiBase: s.base(c, "", "publications"), Pub: v})
}

func (s *Server) handlePublicationPDFPage(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	pdf, name, err := s.work.PublicationPDF(c.Request.Context(), s.actor(c), id)
	if err != nil {
		s.uiError(c, err)
		return
	}
	sendPDF(c, pdf, name)
}

// pubForm runs a step from a form and redirects to the record with the
// flash; a refused step shows the page again with the message.
func (s *Server) pubForm(c *gin.Context, form, flash string, fn func(context.Context, casework.Actor, uint) (*casework.PublicationView, error)) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	ctx, a := c.Request.Context(), s.actor(c)
	if _, err = fn(ctx, a, id); err == nil {
		done(c, "/publications/"+itoa(id), flash)
		return
	}
	e := invalidError(err)
	if e == nil {
		var ee *errs.Error
		if !errors.As(err, &ee) || ee.Code != errs.Forbidden {
			s.uiError(c, err)
			return
		}
		e = ee
	}
	v, verr := s.work.Publication(ctx, a, id)
	if verr != nil {
		s.uiError(c, verr)
		return
	}
	p := publicationPage{uiBase: s.base(c, "", "publications"), Pub: v, Fields: e.Fields, Form: form}
	p.Error = e.Message
	if form == "settings" {
		p.Names = c.Request.PostForm.Get("mask_names")
	}
	s.publicationPage(c, status(e.Code), p)
}

// maskNamesOf reads the names to mask: one a line (or separated by 、，,).
func maskNamesOf(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' || r == '、' || r == '，' || r == ',' })
}

func (s *Server) handlePublicationSettingsForm(c *gin.Context) {
	f := c.Request.PostForm
	in := casework.PublicationSettings{Secret: f.Get("secret"), OtherProvince: f.Get("other_province") == "1", MaskNames: maskNamesOf(f.Get("mask_names"))}
	s.pubForm(c, "settings", "pub_saved", func(ctx context.Context, a casework.Actor, id uint) (*casework.PublicationView, error) {
		return s.work.UpdatePublication(ctx, a, id, in)
	})
}

func (s *Server) pubFormAction(form, flash string, fn func(*casework.Service, context.Context, casework.Actor, uint) (*casework.PublicationView, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		s.pubForm(c, form, flash, func(ctx context.Context, a casework.Actor, id uint) (*casework.PublicationView, error) {
			return fn(s.work, ctx, a, id)
		})
	}
}

func (s *Server) pubFormReasoned(form, flash string, fn func(*casework.Service, context.Context, casework.Actor, uint, string) (*casework.PublicationView, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		reason := c.Request.PostForm.Get("reason")
		s.pubForm(c, form, flash, func(ctx context.Context, a casework.Actor, id uint) (*casework.PublicationView, error) {
			return fn(s.work, ctx, a, id, reason)
		})
	}
}

func (s *Server) handleExportPublicationsPage(c *gin.Context) { s.exportPublications(c, s.uiError) }
