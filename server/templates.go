package main

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/models"
	"penaltydoc/rules"
	"penaltydoc/templates"
)

// defaultTemplates returns the bodies loaded as version 1 on first start.
func defaultTemplates() map[string]string { return templates.All() }

func urlPathEscape(s string) string { return strings.ReplaceAll(url.PathEscape(s), "+", "%2B") }

type templateJSON struct {
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Version int    `json:"version"`
	// AuthorityID is the authority whose own version this is; absent for
	// the standard templates.
	AuthorityID *uint  `json:"authority_id,omitempty"`
	Active      bool   `json:"active"`
	Author      string `json:"author"`
	CreatedAt   string `json:"created_at"`
	Body        string `json:"body,omitempty"`
}

func toTemplateJSON(t *models.TemplateVersion, body bool) templateJSON {
	out := templateJSON{Kind: t.Kind, Name: rules.KindName(t.Kind), Version: t.Version, AuthorityID: t.AuthorityID, Active: t.Active, Author: t.Author,
		CreatedAt: t.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")}
	if body {
		out.Body = t.Body
	}
	return out
}

// kindParam reads the :kind of a template route; an unknown kind is not
// found.
func kindParam(c *gin.Context) (string, error) {
	kind := c.Param("kind")
	if !rules.IsKind(kind) {
		return "", errNoTemplate
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
	ts, err := s.work.Templates(c.Request.Context(), s.actor(c))
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
	t, err := s.work.ActiveTemplate(c.Request.Context(), s.actor(c), kind)
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
	ts, err := s.work.TemplateVersions(c.Request.Context(), s.actor(c), kind)
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
	t, err := s.work.TemplateVersion(c.Request.Context(), s.actor(c), kind, v)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toTemplateJSON(t, true))
}

type templateBody struct {
	Body     string `json:"body"`
	Activate *bool  `json:"activate"`
	// AuthorityID names the authority whose template this is (absent:
	// the actor's own; the standard for the deployment's admins).
	AuthorityID uint `json:"authority_id"`
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
	t, err := s.work.SaveTemplate(c.Request.Context(), s.actor(c), req.AuthorityID, kind, req.Body, req.Activate == nil || *req.Activate)
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
	var req struct {
		AuthorityID uint `json:"authority_id"`
	}
	if c.Request.ContentLength != 0 {
		if err := bindJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	t, err := s.work.ActivateTemplate(c.Request.Context(), s.actor(c), req.AuthorityID, kind, v)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toTemplateJSON(t, false))
}

// handlePreview renders an unsaved body (or the active one when body is
// empty) against given case facts, or the sample case, as a draft PDF.
func (s *Server) handlePreview(c *gin.Context) {
	var in casework.PreviewInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	pdf, err := s.work.PreviewTemplate(c.Request.Context(), s.actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	sendPDF(c, pdf, rules.KindName(in.Kind)+"-预览.pdf")
}
