package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
	"penaltydoc/templates"
)

// defaultTemplates returns the bodies loaded as version 1 on first start.
func defaultTemplates() map[string]string { return templates.All() }

// templateCache keeps parsed template versions; a version never changes.
type templateCache struct{ m sync.Map }

type templateKey struct {
	kind    string
	version int
}

// template returns a parsed version of a kind's template.
func (s *Server) template(ctx context.Context, kind string, version int) (*render.Template, error) {
	key := templateKey{kind, version}
	if t, ok := s.templates.m.Load(key); ok {
		return t.(*render.Template), nil
	}
	tv, err := s.store.Template(ctx, kind, version)
	if err != nil {
		return nil, err
	}
	t, err := render.Parse(kind, tv.Body)
	if err != nil {
		return nil, errs.Wrap(err, "stored template %s v%d", kind, version)
	}
	s.templates.m.Store(key, t)
	return t, nil
}

// renderError maps the renderer's errors: a template fault, a limit or a
// character the fonts lack is the user's to fix (422); anything else is
// internal.
func renderError(err error) error {
	var te *render.TemplateError
	var le *render.LimitError
	var uc *render.UnsupportedCharError
	switch {
	case errors.As(err, &te):
		fields := map[string]string{"body": te.Error()}
		if te.Line > 0 {
			fields["line"] = strconv.Itoa(te.Line)
		}
		return &errs.Error{Code: errs.Invalid, Message: te.Error(), Fields: fields}
	case errors.As(err, &le):
		fields := map[string]string{"body": le.Error()}
		if le.Line > 0 {
			fields["line"] = strconv.Itoa(le.Line)
		}
		return &errs.Error{Code: errs.Invalid, Message: le.Error(), Fields: fields}
	case errors.As(err, &uc):
		field := uc.Field
		if field == "" {
			field = "text"
		}
		return &errs.Error{Code: errs.Invalid, Message: uc.Error(), Fields: map[string]string{field: uc.Error()}}
	case errors.Is(err, context.DeadlineExceeded):
		return errs.E(errs.Invalid, "文书生成超时，请简化模板")
	}
	return errs.Wrap(err, "render")
}

func urlPathEscape(s string) string { return strings.ReplaceAll(url.PathEscape(s), "+", "%2B") }

type templateJSON struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Version   int    `json:"version"`
	Active    bool   `json:"active"`
	Author    string `json:"author"`
	CreatedAt string `json:"created_at"`
	Body      string `json:"body,omitempty"`
}

func toTemplateJSON(t *models.TemplateVersion, body bool) templateJSON {
	out := templateJSON{Kind: t.Kind, Name: kindNames[t.Kind], Version: t.Version, Active: t.Active, Author: t.Author,
		CreatedAt: t.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")}
	if body {
		out.Body = t.Body
	}
	return out
}

func kindParam(c *gin.Context) (string, error) {
	kind := c.Param("kind")
	if !slices.Contains(render.Kinds(), kind) {
		return "", errs.E(errs.NotFound, "没有这种文书模板")
	}
	return kind, nil
}

// toTemplateList answers template versions without their bodies.
func toTemplateList(ts []models.TemplateVersion) []templateJSON {
	out := make([]templateJSON, len(ts))
	for i := range ts {
		out[i] = toTemplateJSON(&ts[i], false)
	}
	return out
}

// versionParams reads the :kind and :version of a template version route.
func versionParams(c *gin.Context) (string, int, error) {
	kind, err := kindParam(c)
	if err != nil {
		return "", 0, err
	}
	v, err := strconv.Atoi(c.Param("version"))
	if err != nil || v < 1 {
		return "", 0, errNotFound
	}
	return kind, v, nil
}

func (s *Server) handleListTemplates(c *gin.Context) {
	ts, err := s.store.ActiveTemplates(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"templates": toTemplateList(ts)})
}

func (s *Server) handleGetTemplate(c *gin.Context) {
	kind, err := kindParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	t, err := s.store.ActiveTemplate(c.Request.Context(), kind)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toTemplateJSON(t, true))
}

func (s *Server) handleTemplateVersions(c *gin.Context) {
	kind, err := kindParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ts, err := s.store.TemplateVersions(c.Request.Context(), kind)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"versions": toTemplateList(ts)})
}

func (s *Server) handleGetTemplateVersion(c *gin.Context) {
	kind, v, err := versionParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	t, err := s.store.Template(c.Request.Context(), kind, v)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toTemplateJSON(t, true))
}

type templateBody struct {
	Body     string `json:"body"`
	Activate *bool  `json:"activate"`
}

// checkTemplate parses a body and test-renders it against sample cases of
// its kind, for a person and an organisation, so a saved template is known
// to work.
func (s *Server) checkTemplate(ctx context.Context, kind, body string) (*render.Template, error) {
	if strings.TrimSpace(body) == "" {
		return nil, &errs.Error{Code: errs.Invalid, Message: "模板内容不能为空", Fields: map[string]string{"body": "模板内容不能为空"}}
	}
	t, err := render.Parse(kind, body)
	if err != nil {
		return nil, renderError(err)
	}
	for _, party := range []string{rules.PartyPerson, rules.PartyOrganization} {
		if _, err := s.renderer.Render(ctx, t, render.SampleData(kind, party)); err != nil {
			return nil, renderError(fmt.Errorf("试排版（%s样例）：%w", map[string]string{rules.PartyPerson: "自然人", rules.PartyOrganization: "单位"}[party], err))
		}
	}
	return t, nil
}

func (s *Server) handleCreateTemplateVersion(c *gin.Context) {
	kind, err := kindParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req templateBody
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if _, err := s.checkTemplate(ctx, kind, req.Body); err != nil {
		s.fail(c, err)
		return
	}
	activate := req.Activate == nil || *req.Activate
	t, err := s.store.CreateTemplateVersion(ctx, actor(c), kind, req.Body, activate)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toTemplateJSON(t, false))
}

func (s *Server) handleActivateTemplate(c *gin.Context) {
	kind, v, err := versionParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	t, err := s.store.ActivateTemplate(c.Request.Context(), actor(c), kind, v)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toTemplateJSON(t, false))
}

type previewRequest struct {
	Kind string     `json:"kind"`
	Body string     `json:"body"`
	Case *caseInput `json:"case"`
}

// handlePreview renders an unsaved body (or the active one when body is
// empty) against given case facts, or the sample case, as a draft PDF.
func (s *Server) handlePreview(c *gin.Context) {
	var req previewRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if !slices.Contains(render.Kinds(), req.Kind) {
		s.fail(c, &errs.Error{Code: errs.Invalid, Message: "文书种类无效", Fields: map[string]string{"kind": "文书种类无效，可选 " + strings.Join(render.Kinds(), "、")}})
		return
	}
	data := render.SampleData(req.Kind, rules.PartyPerson)
	if req.Case != nil {
		ev, err := s.evaluate(c, *req.Case, 0)
		if err != nil {
			s.fail(c, prefixFields(err, "case."))
			return
		}
		data = caseData(ev.authority, nil, ev.facts, ev.item.Rule(), ev.eval)
		data.Kind = req.Kind
	}
	pdf, err := s.previewPDF(ctx, req.Kind, req.Body, data)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendPDF(c, pdf, kindNames[req.Kind]+"-预览.pdf")
}

// previewPDF renders body (the kind's active template when body is blank)
// against data as a draft PDF; template faults come back as 422 errors
// with the line. POST /api/v1/templates/preview and the template editor
// use it.
func (s *Server) previewPDF(ctx context.Context, kind, body string, data render.Data) ([]byte, error) {
	if strings.TrimSpace(body) == "" {
		tv, err := s.store.ActiveTemplate(ctx, kind)
		if err != nil {
			return nil, err
		}
		body = tv.Body
	}
	t, err := render.Parse(kind, body)
	if err != nil {
		return nil, renderError(err)
	}
	data.Draft = true
	pdf, err := s.renderer.Render(ctx, t, data)
	if err != nil {
		return nil, renderError(err)
	}
	return pdf, nil
}

// prefixFields moves an invalid error's fields under prefix.
func prefixFields(err error, prefix string) error {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := &errs.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{}, Err: e.Err}
	for k, v := range e.Fields {
		out.Fields[prefix+k] = v
	}
	return out
}
