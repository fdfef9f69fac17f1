package main

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/models"
	"penaltydoc/rules"
)

type authorityJSON struct {
	models.Authority
	Domains []string `json:"domains"`
	// Jurisdiction is what the domains cover (public security covers
	// traffic); empty: not checked.
	Jurisdiction []string `json:"jurisdiction"`
	HasSeal      bool     `json:"has_seal"`
}

func toAuthorityJSON(a *models.Authority) authorityJSON {
	d := a.DomainList()
	if d == nil {
		d = []string{}
	}
	j := rules.Jurisdiction(d)
	if j == nil {
		j = []string{}
	}
	return authorityJSON{Authority: *a, Domains: d, Jurisdiction: j, HasSeal: len(a.SealPNG) > 0}
}

func (s *Server) handleListAuthorities(c *gin.Context) {
	as, err := s.work.Authorities(c.Request.Context(), s.actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]authorityJSON, len(as))
	for i := range as {
		out[i] = toAuthorityJSON(&as[i])
	}
	c.JSON(http.StatusOK, gin.H{"authorities": out})
}

func (s *Server) handleCreateAuthority(c *gin.Context) {
	var in casework.AuthorityInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.work.CreateAuthority(c.Request.Context(), s.actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toAuthorityJSON(a))
}

func (s *Server) handleUpdateAuthority(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in casework.AuthorityInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.work.UpdateAuthority(c.Request.Context(), s.actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toAuthorityJSON(a))
}

// pathID parses the :id path parameter.
func pathID(c *gin.Context) (uint, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if err != nil || id == 0 {
		return 0, errNotFound
	}
	return uint(id), nil
}
