package main

// The authority pages of the staff UI: the list, the form that edits every
// field of an authority or creates one, the seal upload with its image and
// a sample letter printed with it. They call the casework methods the JSON
// API (server/authorities.go) calls.

import (
	"encoding/base64"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

type adminAuthoritiesPage struct {
	uiBase
	Authorities []models.Authority
	Deployment  bool
}

func (s *Server) handleAdminAuthoritiesPage(c *gin.Context) {
	a := s.actor(c)
	as, err := s.work.Authorities(c.Request.Context(), a)
	if err != nil {
		s.uiError(c, err)
		return
	}
	s.ui(c, http.StatusOK, "ui_admin_authorities", adminAuthoritiesPage{uiBase: s.base(c, "执法机关", "admin"),
		Authorities: as, Deployment: a.Deployment()})
}

// authorityForm is what the authority form shows: the stored authority or
// what was typed (the amounts and the period as typed).
type authorityForm struct {
	casework.AuthorityInput
	HearingPerson, HearingOrg, AnswerDays string
	LowerFineText, PublicationMonthsText  string
}

type adminAuthorityPage struct {
	uiBase
	ID      uint // 0: a new authority
	HasSeal bool
	Form    authorityForm
	Fields  map[string]string
	Domains []option
	// SealLimit describes the seal file's limits.
	SealLimit string
	// Signing is the signing certificate's facts (nil: none yet; the first
	// issue makes a test one), SigningError why an upload was refused.
	Signing      *models.SigningKey
	SigningError string
}

func amount(v float64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func authorityFormOf(a *models.Authority) authorityForm {
	f := authorityForm{AuthorityInput: casework.AuthorityInput{Name: a.Name, ShortName: a.ShortName, Domain: a.Domain,
		Domains: a.DomainList(), NumberPrefix: a.NumberPrefix, NoPenaltyPrefix: a.NoPenaltyPrefix, NoticePrefix: a.NoticePrefix,
		OnTheSpotPrefix: a.OnTheSpotPrefix, CasePrefix: a.CasePrefix, ReconsiderationBody: a.ReconsiderationBody,
		Court: a.Court, PaymentInstructions: a.PaymentInstructions, Address: a.Address, Phone: a.Phone,
		LowerFine: a.LowerFine, PublicationMonths: a.PublicationMonths, CreditCode: a.CreditCode},
		HearingPerson: amount(a.HearingFinePerson), HearingOrg: amount(a.HearingFineOrg),
		AnswerDays: strconv.Itoa(a.AnswerPeriodDays), LowerFineText: amount(a.LowerFine)}
	if a.PublicationMonths > 0 {
		f.PublicationMonthsText = strconv.Itoa(a.PublicationMonths)
	}
	return f
}

func (s *Server) authorityPage(c *gin.Context, st int, p adminAuthorityPage) {
	for _, d := range rules.DomainOrder {
		p.Domains = append(p.Domains, option{d, rules.DomainName(d)})
	}
	p.SealLimit = "PNG格式，不超过" + strconv.Itoa(casework.MaxSealBytes>>20) + " MB，宽和高" +
		strconv.Itoa(casework.MinSealPixels) + "至" + strconv.Itoa(casework.MaxSealPixels) + "像素；红色印文、透明背景为宜"
	if p.ID == 0 {
		p.Title = "新建执法机关"
	} else {
		p.Title = "执法机关 " + p.Form.Name
	}
	s.ui(c, st, "ui_admin_authority", p)
}

func (s *Server) handleAdminAuthorityPage(c *gin.Context) {
	id, err := pathID(c)
	var a *models.Authority
	if err == nil {
		a, err = s.work.Authority(c.Request.Context(), s.actor(c), id)
	}
	if err != nil {
		s.uiError(c, err)
		return
	}
	b := s.base(c, "", "admin")
	p := adminAuthorityPage{uiBase: b, ID: id, HasSeal: len(a.SealPNG) > 0, Form: authorityFormOf(a)}
	if p.Signing, err = s.work.SigningCertificate(c.Request.Context(), s.actor(c), id); err != nil {
		s.uiError(c, err)
		return
	}
	s.authorityPage(c, http.StatusOK, p)
}

func (s *Server) handleAdminNewAuthorityPage(c *gin.Context) {
	if !s.actor(c).Deployment() {
		s.uiError(c, errWebForbidden)
		return
	}
	f := authorityForm{AuthorityInput: casework.AuthorityInput{Domain: rules.DomainOther}}
	s.authorityPage(c, http.StatusOK, adminAuthorityPage{uiBase: s.base(c, "", "admin"), Form: f})
}

// authorityInput reads the authority form: the texts, the domains, the
// amounts and the period (a bad number is the field's error) and the seal
// file when one was chosen.
func authorityInput(c *gin.Context, fe errs.Fields) authorityForm {
	f := authorityForm{AuthorityInput: casework.AuthorityInput{
		Name: c.PostForm("name"), ShortName: c.PostForm("short_name"), Domain: c.PostForm("domain"),
		Domains: c.PostFormArray("domains"), NumberPrefix: c.PostForm("number_prefix"),
		NoPenaltyPrefix: c.PostForm("no_penalty_prefix"), NoticePrefix: c.PostForm("notice_prefix"),
		OnTheSpotPrefix: c.PostForm("on_the_spot_prefix"), CasePrefix: c.PostForm("case_prefix"),
		ReconsiderationBody: c.PostForm("reconsideration_body"), Court: c.PostForm("court"),
		PaymentInstructions: strings.ReplaceAll(c.PostForm("payment_instructions"), "\r\n", "\n"),
		Address:             c.PostForm("address"), Phone: c.PostForm("phone"), CreditCode: c.PostForm("credit_code")},
		LowerFineText:         strings.TrimSpace(c.PostForm("lower_fine")),
		PublicationMonthsText: strings.TrimSpace(c.PostForm("publication_months")),
		HearingPerson:         strings.TrimSpace(c.PostForm("hearing_fine_person")),
		HearingOrg:            strings.TrimSpace(c.PostForm("hearing_fine_org")),
		AnswerDays:            strings.TrimSpace(c.PostForm("answer_period_days"))}
	if f.Domain == "" {
		f.Domain = rules.DomainOther
	}
	money := func(field, v string, out *float64) {
		if v == "" {
			return
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			fe.Add(field, "请填写金额（元），如 10000")
			return
		}
		*out = x
	}
	money("hearing_fine_person", f.HearingPerson, &f.HearingFinePerson)
	money("hearing_fine_org", f.HearingOrg, &f.HearingFineOrg)
	money("lower_fine", f.LowerFineText, &f.LowerFine)
	if f.PublicationMonthsText != "" {
		n, err := strconv.Atoi(f.PublicationMonthsText)
		if err != nil {
			fe.Add("publication_months", "公示期限应为1至120个月（不设置填0，即三年）")
		} else {
			f.PublicationMonths = n
		}
	}
	if f.AnswerDays != "" {
		n, err := strconv.Atoi(f.AnswerDays)
		if err != nil || n == 0 {
			fe.Add("answer_period_days", "陈述申辩期限应为1至30个工作日")
		} else {
			f.AnswerPeriodDays = n
		}
	}
	if mf := c.Request.MultipartForm; mf != nil && len(mf.File["seal"]) > 0 && mf.File["seal"][0].Size > 0 {
		file, err := mf.File["seal"][0].Open()
		if err != nil {
			fe.Add("seal_png", "印章图片无法读取，请重新选择")
			return f
		}
		defer file.Close()
		b, err := io.ReadAll(io.LimitReader(file, casework.MaxSealBytes+1))
		if err != nil {
			fe.Add("seal_png", "印章图片无法读取，请重新选择")
			return f
		}
		seal := base64.StdEncoding.EncodeToString(b)
		f.SealPNG = &seal
	}
	return f
}

// saveAuthority creates (id 0) or updates an authority from the form;
// a refused form is shown again with what was typed (a chosen seal file
// must be chosen again: browsers never refill a file field).
func (s *Server) saveAuthority(c *gin.Context, id uint) {
	if mf := c.Request.MultipartForm; mf != nil {
		defer mf.RemoveAll()
	}
	fe := errs.Fields{}
	f := authorityInput(c, fe)
	err := fe.Err()
	ctx, a := c.Request.Context(), s.actor(c)
	var au *models.Authority
	if err == nil {
		in := f.AuthorityInput
		in.Domains = slices.Clone(in.Domains)
		if id == 0 {
			au, err = s.work.CreateAuthority(ctx, a, in)
		} else {
			au, err = s.work.UpdateAuthority(ctx, a, id, in)
		}
	}
	if err == nil {
		flash := "authority_saved"
		if id == 0 {
			flash = "authority_created"
		}
		done(c, "/admin/authorities/"+strconv.FormatUint(uint64(au.ID), 10), flash)
		return
	}
	e := invalidError(err)
	if e == nil {
		s.uiError(c, err)
		return
	}
	p := adminAuthorityPage{uiBase: s.base(c, "", "admin"), ID: id, Form: f, Fields: e.Fields}
	if id != 0 {
		if stored, err := s.work.Authority(ctx, a, id); err == nil {
			p.HasSeal = len(stored.SealPNG) > 0
		}
	}
	p.Error = "执法机关未保存，请按提示修改。"
	if len(e.Fields) == 0 {
		p.Error = e.Message
	}
	s.authorityPage(c, status(e.Code), p)
}

func (s *Server) handleAdminCreateAuthority(c *gin.Context) { s.saveAuthority(c, 0) }

func (s *Server) handleAdminUpdateAuthority(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	s.saveAuthority(c, id)
}

// handleAdminAuthoritySeal shows the stored seal image.
func (s *Server) handleAdminAuthoritySeal(c *gin.Context) {
	id, err := pathID(c)
	var a *models.Authority
	if err == nil {
		a, err = s.work.Authority(c.Request.Context(), s.actor(c), id)
	}
	if err == nil && len(a.SealPNG) == 0 {
		err = errs.E(errs.NotFound, "本机关尚未设置印章")
	}
	if err != nil {
		s.uiError(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "image/png", a.SealPNG)
}

// handleAdminAuthorityPreview renders the sample decision as the
// authority would issue it, seal included.
func (s *Server) handleAdminAuthorityPreview(c *gin.Context) {
	id, err := pathID(c)
	var pdf []byte
	if err == nil {
		pdf, err = s.work.AuthorityPreview(c.Request.Context(), s.actor(c), id)
	}
	if err != nil {
		s.uiError(c, err)
		return
	}
	sendPDF(c, pdf, "印章效果-样例决定书.pdf")
}
