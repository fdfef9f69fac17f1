package main

// The public list of penalty decisions (/public/decisions): search by
// authority, party, number, item and publication dates, the summary of
// each and its masked PDF. Only what is published is reachable; a
// publication taken down answers a page saying so.

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/models"
)

func init() { publicPages = append(publicPages, "public_decisions", "public_decision") }

type publicDecisionsPage struct {
	Title       string
	Q           casework.PublicSearch
	Authorities []models.Authority
	Rows        []casework.PublicDecision
	Total       int64
	Page, Pages int
	Prev, Next  string
	Error       string
}

func (s *Server) handlePublicDecisions(c *gin.Context) {
	q := casework.PublicSearch{Party: c.Query("party"), Number: c.Query("number"), Item: c.Query("item"),
		From: c.Query("from"), To: c.Query("to")}
	if n, err := strconv.ParseUint(c.Query("authority"), 10, 32); err == nil {
		q.AuthorityID = uint(n)
	}
	q.Page, _ = strconv.Atoi(c.Query("page"))
	q.Page = max(q.Page, 1)
	p := publicDecisionsPage{Title: "行政处罚信息公示", Q: q, Page: q.Page}
	rows, total, as, err := s.work.PublicDecisions(c.Request.Context(), q)
	st := http.StatusOK
	if err != nil {
		var e *errs.Error
		if e = invalidError(err); e == nil {
			s.publicError(c, err)
			return
		}
		p.Error, st = e.Message, status(e.Code)
	}
	p.Rows, p.Total, p.Authorities = rows, total, as
	p.Pages = int(math.Ceil(float64(total) / models.PublicPageSize))
	link := func(page int) string {
		v := url.Values{}
		for k, x := range map[string]string{"party": q.Party, "number": q.Number, "item": q.Item, "from": q.From, "to": q.To} {
			if x = strings.TrimSpace(x); x != "" {
				v.Set(k, x)
			}
		}
		if q.AuthorityID != 0 {
			v.Set("authority", itoa(q.AuthorityID))
		}
		v.Set("page", strconv.Itoa(page))
		return "/public/decisions?" + v.Encode()
	}
	if p.Page > 1 {
		p.Prev = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.Next = link(p.Page + 1)
	}
	s.page(c, st, "public_decisions", p)
}

type publicDecisionPage struct {
	Title string
	D     *casework.PublicDecision
}

func (s *Server) handlePublicDecision(c *gin.Context) {
	id, err := pathID(c)
	var d *casework.PublicDecision
	if err == nil {
		d, err = s.work.PublicDecision(c.Request.Context(), id)
	}
	if err != nil {
		s.publicError(c, err)
		return
	}
	st := http.StatusOK
	title := "行政处罚信息 " + d.Number
	if d.Gone != "" {
		st, title = http.StatusGone, "行政处罚信息已不再公示"
	}
	s.page(c, st, "public_decision", publicDecisionPage{Title: title, D: d})
}

func (s *Server) handlePublicDecisionPDF(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.publicError(c, err)
		return
	}
	pdf, name, err := s.work.PublicDecisionPDF(c.Request.Context(), id)
	if err != nil {
		s.publicError(c, err)
		return
	}
	sendPDF(c, pdf, name)
}

// publicError answers a public page's error as a page: missing as 404,
// the rest as explain says.
func (s *Server) publicError(c *gin.Context, err error) {
	e := explain(c, err)
	if clientGone(c, e) {
		return
	}
	s.page(c, status(e.Code), "public_decision", publicDecisionPage{Title: "行政处罚信息公示", D: &casework.PublicDecision{Gone: e.Message}})
}
