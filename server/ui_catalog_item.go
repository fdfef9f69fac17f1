package main

// The catalogue item page: every field of an item but its code (cases name
// it) and its value-dependent fine (kept as stored; the API edits it),
// through the casework method PUT /api/v1/catalog/{id} calls.

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

// itemForm is the item as the form shows it: the numbers as typed.
type itemForm struct {
	rules.Item
	FineMin, FineMax, HearingPerson, HearingOrg           string
	FirstLookback, WarningLookback, Limitation, Detention string
}

type adminItemPage struct {
	uiBase
	ID           uint
	Active       bool
	Form         itemForm
	Fields       map[string]string
	Domains      []option
	PenaltyTypes []option
}

func itemFormOf(ci *models.CatalogItem) itemForm {
	it := ci.Rule()
	n := func(v int) string { return strconv.Itoa(v) }
	return itemForm{Item: it, FineMin: amount(it.FineMin), FineMax: amount(it.FineMax),
		HearingPerson: amount(it.HearingFinePerson), HearingOrg: amount(it.HearingFineOrg),
		FirstLookback: n(it.FirstOffenseLookbackMonths), WarningLookback: n(it.WarningLookbackMonths),
		Limitation: n(it.LimitationMonths), Detention: n(it.DetentionMaxDays)}
}

func (s *Server) itemPage(c *gin.Context, st int, p adminItemPage) {
	for _, d := range rules.DomainOrder {
		p.Domains = append(p.Domains, option{d, rules.DomainName(d)})
	}
	for _, t := range rules.PenaltyTypeOrder {
		p.PenaltyTypes = append(p.PenaltyTypes, option{t, rules.PenaltyTypeName(t)})
	}
	p.Title = "事项 " + p.Form.Code
	s.ui(c, st, "ui_admin_item", p)
}

// webItem loads the item the path names, or answers the error page.
func (s *Server) webItem(c *gin.Context) (uint, *models.CatalogItem, bool) {
	id, err := pathID(c)
	var ci *models.CatalogItem
	if err == nil {
		ci, err = s.work.Item(c.Request.Context(), s.actor(c), id)
	}
	if err != nil {
		s.uiError(c, err)
		return 0, nil, false
	}
	return id, ci, true
}

func (s *Server) handleAdminItemPage(c *gin.Context) {
	id, ci, ok := s.webItem(c)
	if !ok {
		return
	}
	s.itemPage(c, http.StatusOK, adminItemPage{uiBase: s.base(c, "", "admin"), ID: id, Active: ci.Active, Form: itemFormOf(ci)})
}

// handleAdminSaveItem replaces the item's fields like PUT
// /api/v1/catalog/{id}; the value-dependent fine stays as stored.
func (s *Server) handleAdminSaveItem(c *gin.Context) {
	id, ci, ok := s.webItem(c)
	if !ok {
		return
	}
	fe := errs.Fields{}
	f := itemForm{Item: rules.Item{Code: ci.Code, Name: c.PostForm("name"), Domain: c.PostForm("domain"),
		ViolatedProvision: c.PostForm("violated_provision"), PenaltyProvision: c.PostForm("penalty_provision"),
		PenaltyTypes: c.PostFormArray("penalty_types"), FirstOffenseEligible: c.PostForm("first_offense_eligible") == "1",
		WarningEligible: c.PostForm("warning_eligible") == "1", SafetyRelated: c.PostForm("safety_related") == "1",
		NoFaultExcluded: c.PostForm("no_fault_excluded") == "1",
		Conditions:      strings.ReplaceAll(c.PostForm("conditions"), "\r\n", "\n"),
		FineBasis:       strings.ReplaceAll(c.PostForm("fine_basis"), "\r\n", "\n"),
		ValueFine:       ci.ValueFine, ValidFrom: strings.TrimSpace(c.PostForm("valid_from")), ValidUntil: strings.TrimSpace(c.PostForm("valid_until"))},
		FineMin: strings.TrimSpace(c.PostForm("fine_min")), FineMax: strings.TrimSpace(c.PostForm("fine_max")),
		HearingPerson: strings.TrimSpace(c.PostForm("hearing_fine_person")), HearingOrg: strings.TrimSpace(c.PostForm("hearing_fine_org")),
		FirstLookback: strings.TrimSpace(c.PostForm("first_offense_lookback_months")), WarningLookback: strings.TrimSpace(c.PostForm("warning_lookback_months")),
		Limitation: strings.TrimSpace(c.PostForm("limitation_months")), Detention: strings.TrimSpace(c.PostForm("detention_max_days"))}
	money := func(field, v string, out *float64) {
		if v == "" {
			return
		}
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			*out = x
		} else {
			fe.Add(field, "请填写金额（元）")
		}
	}
	whole := func(field, v string, out *int) {
		if v == "" {
			return
		}
		if n, err := strconv.Atoi(v); err == nil {
			*out = n
		} else {
			fe.Add(field, "请填写整数")
		}
	}
	money("fine_min", f.FineMin, &f.Item.FineMin)
	money("fine_max", f.FineMax, &f.Item.FineMax)
	money("hearing_fine_person", f.HearingPerson, &f.Item.HearingFinePerson)
	money("hearing_fine_org", f.HearingOrg, &f.Item.HearingFineOrg)
	whole("first_offense_lookback_months", f.FirstLookback, &f.Item.FirstOffenseLookbackMonths)
	whole("warning_lookback_months", f.WarningLookback, &f.Item.WarningLookbackMonths)
	whole("limitation_months", f.Limitation, &f.Item.LimitationMonths)
	whole("detention_max_days", f.Detention, &f.Item.DetentionMaxDays)
	err := fe.Err()
	if err == nil {
		_, err = s.work.UpdateItem(c.Request.Context(), s.actor(c), id, f.Item)
	}
	if err == nil {
		done(c, "/admin/catalog", "item_saved")
		return
	}
	e := invalidError(err)
	if e == nil {
		s.uiError(c, err)
		return
	}
	p := adminItemPage{uiBase: s.base(c, "", "admin"), ID: id, Active: ci.Active, Form: f, Fields: e.Fields}
	p.Error = "事项未保存，请按提示修改。"
	s.itemPage(c, status(e.Code), p)
}
