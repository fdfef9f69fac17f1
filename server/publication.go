package main

// The publication of decisions (行政执法公示) over the JSON API
// (docs/api.md, docs/publication.md): the list, one record, the officer's
// markings, review, approval, publication, withdrawal, early end, the
// masked PDF and the credit platforms' export. Every call is scoped to the
// actor's authorities in the store.

import (
	"bytes"
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
)

func (s *Server) handleListPublications(c *gin.Context) {
	ps, err := s.work.Publications(c.Request.Context(), s.actor(c), casework.PublicationFilter{Status: c.Query("status"), Q: c.Query("q")})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"publications": ps})
}

func (s *Server) handleOverduePublications(c *gin.Context) {
	ps, err := s.work.OverduePublications(c.Request.Context(), s.actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"publications": ps})
}

func (s *Server) handleGetPublication(c *gin.Context) {
	s.pubStep(c, func(ctx context.Context, a casework.Actor, id uint) (*casework.PublicationView, error) {
		return s.work.Publication(ctx, a, id)
	})
}

func (s *Server) handlePublicationPDF(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	pdf, name, err := s.work.PublicationPDF(c.Request.Context(), s.actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	sendPDF(c, pdf, name)
}

func (s *Server) handleUpdatePublication(c *gin.Context) {
	var in casework.PublicationSettings
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	s.pubStep(c, func(ctx context.Context, a casework.Actor, id uint) (*casework.PublicationView, error) {
		return s.work.UpdatePublication(ctx, a, id, in)
	})
}

// pubAction is a step without a body (review, approve, publish).
func (s *Server) pubAction(fn func(*casework.Service, context.Context, casework.Actor, uint) (*casework.PublicationView, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		s.pubStep(c, func(ctx context.Context, a casework.Actor, id uint) (*casework.PublicationView, error) {
			return fn(s.work, ctx, a, id)
		})
	}
}

// pubReasoned is a step with a reason (withdraw, end).
func (s *Server) pubReasoned(fn func(*casework.Service, context.Context, casework.Actor, uint, string) (*casework.PublicationView, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req reasonRequest
		if err := bindJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
		s.pubStep(c, func(ctx context.Context, a casework.Actor, id uint) (*casework.PublicationView, error) {
			return fn(s.work, ctx, a, id, req.Reason)
		})
	}
}

func (s *Server) pubStep(c *gin.Context, fn func(context.Context, casework.Actor, uint) (*casework.PublicationView, error)) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := fn(c.Request.Context(), s.actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// exportPublications writes the credit platforms' export (CSV or XLSX by
// the path) of the publication dates from..to; fail answers an error.
func (s *Server) exportPublications(c *gin.Context, fail func(*gin.Context, error)) {
	var buf bytes.Buffer
	ctx, a, from, to := c.Request.Context(), s.actor(c), strings.TrimSpace(c.Query("from")), strings.TrimSpace(c.Query("to"))
	csv := strings.HasSuffix(c.Request.URL.Path, ".csv")
	var err error
	if csv {
		err = s.work.ExportPublicationsCSV(ctx, a, from, to, &buf)
	} else {
		err = s.work.ExportPublicationsXLSX(ctx, a, from, to, &buf)
	}
	if err != nil {
		fail(c, err)
		return
	}
	typ, name, ascii := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "行政处罚公示信息.xlsx", "publications.xlsx"
	if csv {
		typ, name, ascii = "text/csv; charset=utf-8", "行政处罚公示信息.csv", "publications.csv"
	}
	h := c.Writer.Header()
	h.Set("Content-Disposition", `attachment; filename="`+ascii+`"; filename*=UTF-8''`+urlPathEscape(name))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, typ, buf.Bytes())
}

func (s *Server) handleExportPublications(c *gin.Context) { s.exportPublications(c, s.fail) }
