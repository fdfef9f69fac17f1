package main

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

// caseForm is the case-facts form as typed: every value a string, so that a
// re-rendered form gives back exactly what the officer entered. Inputs are
// named by the facts' JSON paths, so the evaluation's field errors land next
// to their inputs.
type caseForm struct {
	AuthorityID         string
	ViolationCode       string
	PartyKind           string
	PartyName           string
	IDNumber            string
	CreditCode          string
	Address             string
	LegalRepresentative string
	Guardian            string
	Phone               string
	ViolationDate       string
	ViolationEndDate    string
	DiscoveredDate      string
	DecisionDate        string
	Facts               string
	Evidence            string // one item per line
	Harm                string
	Corrected           bool
	Minor               bool
	Major               bool
	NoFaultProven       bool
	MentalCapacity      string
	Mitigating          []string
	Aggravating         string // one per line
	PriorViolations     string // "code,date,handled" per line
	AffectedTraffic     bool
	ProposedFine        string
	IllegalGains        string
	GoodsValue          string
	IllegalProperty     string // "name,quantity" per line
	ProposedPenalties   []string
	Licence             string
	DetentionDays       string
	VehiclePlate        string
	ConditionsMet       bool
	// OfficerIDs are the officers chosen (user ids).
	OfficerIDs []string
}

// caseFormPage is the new-case and edit-case page.
type caseFormPage struct {
	uiBase
	Action      string
	CaseID      uint
	Form        caseForm
	Fields      map[string]string // input name → message
	Authorities []models.Authority
	Groups      []itemGroup
	Mitigating  []option
	Harms       []option
	Capacities  []option
	Proposable  []option
	// MitigatingHeading names the Art. 32 choices.
	MitigatingHeading string
	// Officers are the officers the case may name (certified officers of
	// its authority, and those it names already).
	Officers []models.User
	// Revision: the form edits a correction's revision of the facts
	// (document DocID), with its reason.
	Revision bool
	DocID    uint
	Reason   string
}

// HasOfficer reports whether the form names officer id.
func (f caseForm) HasOfficer(id uint) bool {
	return slices.Contains(f.OfficerIDs, strconv.FormatUint(uint64(id), 10))
}

type option struct{ Value, Label string }

type itemGroup struct {
	Label string
	Items []models.CatalogItem
}

func checked(v string) bool { return v != "" && v != "0" && v != "false" }

// readCaseForm reads the posted form.
func readCaseForm(v url.Values) caseForm {
	return caseForm{
		AuthorityID: v.Get("authority_id"), ViolationCode: v.Get("violation_code"),
		PartyKind: v.Get("party.kind"), PartyName: v.Get("party.name"), IDNumber: v.Get("party.id_number"),
		CreditCode: v.Get("party.credit_code"), Address: v.Get("party.address"),
		LegalRepresentative: v.Get("party.legal_representative"), Phone: v.Get("party.phone"), Guardian: v.Get("party.guardian"),
		ViolationDate: v.Get("violation_date"), ViolationEndDate: v.Get("violation_end_date"),
		DiscoveredDate: v.Get("discovered_date"), DecisionDate: v.Get("decision_date"),
		Facts: v.Get("facts"), Evidence: v.Get("evidence"), Harm: v.Get("harm"),
		Corrected: checked(v.Get("corrected")), Minor: checked(v.Get("minor")), Major: checked(v.Get("major")),
		NoFaultProven: checked(v.Get("no_fault_proven")), MentalCapacity: v.Get("mental_capacity"),
		Mitigating: v["mitigating"], Aggravating: v.Get("aggravating"), PriorViolations: v.Get("prior_violations"),
		AffectedTraffic: checked(v.Get("affected_traffic")), ProposedFine: v.Get("proposed_fine"), IllegalGains: v.Get("illegal_gains"),
		GoodsValue: v.Get("goods_value"), IllegalProperty: v.Get("illegal_property"), ProposedPenalties: v["proposed_penalties"],
		Licence: v.Get("licence"), DetentionDays: v.Get("detention_days"), VehiclePlate: v.Get("vehicle_plate"),
		ConditionsMet: checked(v.Get("conditions_met")), OfficerIDs: v["officer_ids"],
	}
}

// formFromFacts fills the form from stored facts (the edit page).
func formFromFacts(f rules.Facts) caseForm {
	money := func(x float64) string {
		if x == 0 {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	var prior []string
	for _, p := range f.PriorViolations {
		if p.Source != "" && p.Source != "request" {
			continue // from the database: evaluate adds it again
		}
		h := "否"
		if p.Handled {
			h = "是"
		}
		prior = append(prior, p.ViolationCode+","+p.Date+","+h)
	}
	var property []string
	for _, p := range f.IllegalProperty {
		property = append(property, strings.TrimSuffix(p.Name+","+p.Quantity, ","))
	}
	days := ""
	if f.DetentionDays > 0 {
		days = strconv.Itoa(f.DetentionDays)
	}
	return caseForm{
		AuthorityID: strconv.FormatUint(uint64(f.AuthorityID), 10), ViolationCode: f.ViolationCode,
		PartyKind: f.Party.Kind, PartyName: f.Party.Name, IDNumber: f.Party.IDNumber, CreditCode: f.Party.CreditCode,
		Address: f.Party.Address, LegalRepresentative: f.Party.LegalRepresentative, Phone: f.Party.Phone, Guardian: f.Party.Guardian,
		ViolationDate: f.ViolationDate, ViolationEndDate: f.ViolationEndDate, DiscoveredDate: f.DiscoveredDate,
		DecisionDate: f.DecisionDate, Facts: f.Facts, Evidence: strings.Join(f.Evidence, "\n"), Harm: f.Harm,
		Corrected: f.Corrected, Minor: f.Minor, Major: f.Major, NoFaultProven: f.NoFaultProven,
		MentalCapacity: f.MentalCapacity, Mitigating: f.Mitigating, Aggravating: strings.Join(f.Aggravating, "\n"),
		PriorViolations: strings.Join(prior, "\n"), AffectedTraffic: f.AffectedTraffic,
		ProposedFine: money(f.ProposedFine), IllegalGains: money(f.IllegalGains), GoodsValue: money(f.GoodsValue),
		IllegalProperty: strings.Join(property, "\n"), ProposedPenalties: f.ProposedPenalties, Licence: f.Licence,
		DetentionDays: days, VehiclePlate: f.VehiclePlate, ConditionsMet: f.ConditionsMet,
	}
}

// lines splits a textarea into its non-blank lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

var listSep = regexp.MustCompile(`\s*[,，、;；]\s*`)

// parseMoney reads an amount as people type it: "1,200", "¥200", "200元".
func parseMoney(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(s, "¥"), "￥"), "元")
	s = strings.ReplaceAll(strings.ReplaceAll(s, ",", ""), "，", "")
	if s == "" {
		return 0, true
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}

// input turns the form into the evaluation's input. Problems the form
// itself can see (a number that is not one, a malformed line) come back
// as field messages; the rest is evaluate's job.
func (f caseForm) input() (casework.CaseInput, errs.Fields) {
	fe := errs.Fields{}
	var in casework.CaseInput
	if a := strings.TrimSpace(f.AuthorityID); a != "" && a != "0" {
		id, err := strconv.ParseUint(a, 10, 32)
		if err != nil {
			fe.Add("authority_id", "请选择执法机关")
		}
		in.AuthorityID = uint(id)
	}
	in.ViolationCode = f.ViolationCode
	in.Party = rules.Party{Kind: f.PartyKind, Name: strings.TrimSpace(f.PartyName), Address: strings.TrimSpace(f.Address),
		Phone: strings.TrimSpace(f.Phone)}
	switch f.PartyKind {
	case rules.PartyPerson:
		in.Party.IDNumber, in.Party.Guardian = f.IDNumber, strings.TrimSpace(f.Guardian)
	case rules.PartyOrganization:
		in.Party.CreditCode, in.Party.LegalRepresentative = f.CreditCode, strings.TrimSpace(f.LegalRepresentative)
	}
	in.ViolationDate, in.ViolationEndDate, in.DiscoveredDate, in.DecisionDate = f.ViolationDate, f.ViolationEndDate, f.DiscoveredDate, f.DecisionDate
	in.Facts.Facts = strings.TrimSpace(f.Facts)
	in.Evidence = lines(f.Evidence)
	if in.Evidence == nil {
		in.Evidence = []string{}
	}
	in.Harm, in.MentalCapacity = f.Harm, f.MentalCapacity
	in.Corrected, in.Minor, in.Major, in.NoFaultProven, in.AffectedTraffic = f.Corrected, f.Minor, f.Major, f.NoFaultProven, f.AffectedTraffic
	in.Mitigating = []string{}
	for _, m := range f.Mitigating {
		if !slices.Contains(in.Mitigating, m) {
			in.Mitigating = append(in.Mitigating, m)
		}
	}
	in.Aggravating = lines(f.Aggravating)
	in.PriorViolations = []rules.PriorViolation{}
	for i, l := range lines(f.PriorViolations) {
		parts := listSep.Split(l, -1)
		if len(parts) < 2 || len(parts) > 3 {
			fe.Add("prior_violations", fmt.Sprintf("第%d行格式应为“事项编码,日期,是否已处理”，如 TR-001,2025-03-01,是", i+1))
			continue
		}
		p := rules.PriorViolation{ViolationCode: parts[0], Date: parts[1], Handled: true, Source: "request"}
		if len(parts) == 3 {
			switch strings.ToLower(parts[2]) {
			case "", "是", "已处理", "true", "1", "yes", "y":
			case "否", "未处理", "false", "0", "no", "n":
				p.Handled = false
			default:
				fe.Add("prior_violations", fmt.Sprintf("第%d行的处理情况应填“是”或“否”", i+1))
			}
		}
		in.PriorViolations = append(in.PriorViolations, p)
	}
	var ok bool
	if in.ProposedFine, ok = parseMoney(f.ProposedFine); !ok {
		fe.Add("proposed_fine", "请输入有效的金额（数字，单位为元，最多两位小数）")
	}
	if in.IllegalGains, ok = parseMoney(f.IllegalGains); !ok {
		fe.Add("illegal_gains", "请输入有效的金额（数字，单位为元，最多两位小数）")
	}
	if in.GoodsValue, ok = parseMoney(f.GoodsValue); !ok {
		fe.Add("goods_value", "请输入有效的金额（数字，单位为元，最多两位小数）")
	}
	for _, l := range lines(f.IllegalProperty) {
		name, qty, _ := strings.Cut(listSep.ReplaceAllString(l, ","), ",")
		in.IllegalProperty = append(in.IllegalProperty, rules.Property{Name: strings.TrimSpace(name), Quantity: strings.TrimSpace(qty)})
	}
	for _, p := range f.ProposedPenalties {
		if !slices.Contains(in.ProposedPenalties, p) {
			in.ProposedPenalties = append(in.ProposedPenalties, p)
		}
	}
	if d := strings.TrimSpace(f.DetentionDays); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			fe.Add("detention_days", "拘留天数应为整数")
		}
		in.DetentionDays = n
	}
	in.Licence, in.VehiclePlate, in.ConditionsMet = strings.TrimSpace(f.Licence), strings.TrimSpace(f.VehiclePlate), f.ConditionsMet
	in.OfficerIDs = []uint{}
	for _, o := range f.OfficerIDs {
		id, err := strconv.ParseUint(strings.TrimSpace(o), 10, 32)
		if err != nil || id == 0 {
			fe.Add("officer_ids", "请选择执法人员")
			continue
		}
		in.OfficerIDs = append(in.OfficerIDs, uint(id))
	}
	return in, fe
}

var indexedPath = regexp.MustCompile(`^([a-z_]+)\[(\d+)\](?:\.([a-z_]+))?$`)

// formFields maps the evaluation's field paths (party.id_number,
// evidence[0], prior_violations[1].date, …) to the form's inputs, with the
// line named for list items. Paths the form has no input for are kept
// under "" (shown above the form).
func formFields(fields map[string]string, into errs.Fields) {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	add := func(k, msg string) {
		if old, ok := into[k]; ok {
			if !strings.Contains(old, msg) {
				into[k] = old + "；" + msg
			}
			return
		}
		into[k] = msg
	}
	for _, k := range keys {
		msg := fields[k]
		if m := indexedPath.FindStringSubmatch(k); m != nil {
			n, _ := strconv.Atoi(m[2])
			switch m[1] {
			case "evidence", "aggravating", "prior_violations", "illegal_property":
				add(m[1], fmt.Sprintf("第%d行：%s", n+1, msg))
			case "mitigating", "proposed_penalties":
				add(m[1], msg)
			default:
				add("", msg)
			}
			continue
		}
		switch k {
		case "party.birth_date", "party.sex":
			add("party.id_number", msg)
		case "authority_id", "violation_code", "party.kind", "party.name", "party.id_number", "party.credit_code",
			"party.address", "party.legal_representative", "party.phone", "party.guardian", "violation_date", "violation_end_date",
			"discovered_date", "decision_date", "facts", "evidence", "harm", "mental_capacity", "mitigating",
			"aggravating", "prior_violations", "proposed_fine", "illegal_gains", "goods_value", "illegal_property",
			"proposed_penalties", "licence", "detention_days", "vehicle_plate", "officer_ids", "reason":
			add(k, msg)
		default:
			add("", msg)
		}
	}
}

// officerChoices lists the officers a case of authority id may name: the
// certified ones, and those named already.
func (s *Server) officerChoices(c *gin.Context, authorityID uint, named []uint) ([]models.User, error) {
	us, err := s.work.Officers(c.Request.Context(), s.actor(c), authorityID)
	if err != nil {
		return nil, err
	}
	out := us[:0]
	for _, u := range us {
		if u.CertificateNumber != "" || slices.Contains(named, u.ID) {
			out = append(out, u)
		}
	}
	return out, nil
}

// formOfficers fills the page's officer choices for the form's authority
// (the user's own when none is chosen).
func (s *Server) formOfficers(c *gin.Context, p *caseFormPage) error {
	auth, _ := strconv.ParseUint(p.Form.AuthorityID, 10, 32)
	if auth == 0 && len(p.Authorities) > 0 {
		auth = uint64(p.Authorities[0].ID)
		if h := s.actor(c).Home(); h != 0 {
			auth = uint64(h)
		}
	}
	in, _ := p.Form.input()
	var err error
	p.Officers, err = s.officerChoices(c, uint(auth), in.OfficerIDs)
	return err
}

// newCaseFormPage fills the page's choices.
func (s *Server) newCaseFormPage(c *gin.Context, title string) (caseFormPage, error) {
	ctx := c.Request.Context()
	p := caseFormPage{uiBase: s.base(c, title, "new"), MitigatingHeading: rules.MitigatingHeading}
	a := s.actor(c)
	var err error
	if p.Authorities, err = s.work.Authorities(ctx, a); err != nil {
		return p, err
	}
	items, err := s.work.Catalog(ctx, a)
	if err != nil {
		return p, err
	}
	byDomain := map[string]int{}
	for _, it := range items {
		i, ok := byDomain[it.Domain]
		if !ok {
			i = len(p.Groups)
			byDomain[it.Domain] = i
			p.Groups = append(p.Groups, itemGroup{Label: rules.DomainName(it.Domain)})
		}
		p.Groups[i].Items = append(p.Groups[i].Items, it)
	}
	for _, m := range rules.MitigatingOrder {
		p.Mitigating = append(p.Mitigating, option{m, rules.MitigatingName(m)})
	}
	for _, h := range rules.HarmOrder {
		p.Harms = append(p.Harms, option{h, rules.HarmName(h)})
	}
	for _, m := range rules.CapacityOrder {
		p.Capacities = append(p.Capacities, option{m, rules.CapacityName(m)})
	}
	for _, t := range rules.ProposableOrder {
		p.Proposable = append(p.Proposable, option{t, rules.PenaltyName(t)})
	}
	return p, nil
}

// handleNewCasePage shows an empty case-facts form.
func (s *Server) handleNewCasePage(c *gin.Context) {
	p, err := s.newCaseFormPage(c, "新建案件")
	if err != nil {
		s.uiError(c, err)
		return
	}
	today := s.work.Today()
	p.Action = "/cases/new"
	p.Form = caseForm{PartyKind: rules.PartyPerson, Harm: rules.HarmNone, MentalCapacity: rules.CapacityFull,
		DiscoveredDate: today, DecisionDate: today, OfficerIDs: []string{strconv.FormatUint(uint64(s.actor(c).UserID), 10)}}
	if err := s.formOfficers(c, &p); err != nil {
		s.uiError(c, err)
		return
	}
	s.ui(c, http.StatusOK, "ui_case_form", p)
}

// submitCaseForm stores the posted facts through save (which evaluates
// them); on any problem it re-renders the form with every message and
// every value kept.
func (s *Server) submitCaseForm(c *gin.Context, p caseFormPage, save func(in casework.CaseInput) (string, error), flash string) {
	p.Form = readCaseForm(c.Request.PostForm)
	p.Reason = c.Request.PostForm.Get("reason")
	in, fe := p.Form.input()
	var err error
	if len(fe) == 0 {
		var next string
		if next, err = save(in); err == nil {
			done(c, next, flash)
			return
		}
	} else {
		// Show the form's own messages with the evaluation's.
		_, err = s.work.Evaluate(c.Request.Context(), s.actor(c), in)
	}
	if err != nil {
		var e *errs.Error
		switch {
		case errors.As(err, &e) && (e.Code == errs.Invalid || e.Code == errs.BadRequest):
			formFields(e.Fields, fe)
			if len(e.Fields) == 0 {
				fe.Add("", e.Message)
			}
		case errors.As(err, &e) && e.Code == errs.Conflict:
			p.Error = e.Message
		default:
			s.uiError(c, err)
			return
		}
	}
	p.Fields = fe
	if p.Error == "" {
		p.Error = "提交的内容有误，请按各项下方的提示修改后重新提交。"
	}
	if msg, ok := fe[""]; ok {
		p.Error += " " + msg
	}
	if !p.Revision {
		if err := s.formOfficers(c, &p); err != nil {
			s.uiError(c, err)
			return
		}
	}
	s.ui(c, http.StatusUnprocessableEntity, "ui_case_form", p)
}

// handleNewCaseForm creates a case from the form.
func (s *Server) handleNewCaseForm(c *gin.Context) {
	p, err := s.newCaseFormPage(c, "新建案件")
	if err != nil {
		s.uiError(c, err)
		return
	}
	p.Action = "/cases/new"
	s.submitCaseForm(c, p, func(in casework.CaseInput) (string, error) {
		if len(in.OfficerIDs) == 0 {
			in.OfficerIDs = nil // none chosen: the officer filing it
		}
		cs, err := s.work.CreateCase(c.Request.Context(), s.actor(c), in)
		if err != nil {
			return "", err
		}
		return casePath(cs.ID), nil
	}, "created")
}

// draftCase loads a case whose facts the user may still change.
func (s *Server) draftCase(c *gin.Context) (*models.Case, bool) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return nil, false
	}
	cs, err := s.work.EditableCase(c.Request.Context(), s.actor(c), id)
	if err != nil {
		s.uiError(c, err)
		return nil, false
	}
	return cs, true
}

// handleEditCasePage shows the stored facts in the case form.
func (s *Server) handleEditCasePage(c *gin.Context) {
	cs, ok := s.draftCase(c)
	if !ok {
		return
	}
	p, err := s.newCaseFormPage(c, "修改案件事实（"+casework.CaseNumber(cs)+"）")
	if err != nil {
		s.uiError(c, err)
		return
	}
	p.Action, p.CaseID, p.Form = fmt.Sprintf("/cases/%d/edit", cs.ID), cs.ID, formFromFacts(cs.Facts)
	for _, id := range cs.Officers() {
		p.Form.OfficerIDs = append(p.Form.OfficerIDs, strconv.FormatUint(uint64(id), 10))
	}
	if err := s.formOfficers(c, &p); err != nil {
		s.uiError(c, err)
		return
	}
	s.ui(c, http.StatusOK, "ui_case_form", p)
}

// handleEditCaseForm stores changed facts, the same way as PUT /api/v1/cases/:id.
func (s *Server) handleEditCaseForm(c *gin.Context) {
	cs, ok := s.draftCase(c)
	if !ok {
		return
	}
	p, err := s.newCaseFormPage(c, "修改案件事实（"+casework.CaseNumber(cs)+"）")
	if err != nil {
		s.uiError(c, err)
		return
	}
	p.Action, p.CaseID = fmt.Sprintf("/cases/%d/edit", cs.ID), cs.ID
	s.submitCaseForm(c, p, func(in casework.CaseInput) (string, error) {
		if _, err := s.work.UpdateCase(c.Request.Context(), s.actor(c), cs.ID, in); err != nil {
			return "", err
		}
		return casePath(cs.ID), nil
	}, "updated")
}

// revisionDoc loads the correction draft whose revision the user may edit.
func (s *Server) revisionDoc(c *gin.Context) (*casework.DocumentView, bool) {
	d, ok := s.webDocument(c)
	if !ok {
		return nil, false
	}
	if !d.CanRevise {
		s.uiError(c, errs.E(errs.Conflict, "该文书不是可以修改的更正文书草稿"))
		return nil, false
	}
	return d, true
}

// revisionPage is the case form as a correction's revision of the facts.
func (s *Server) revisionPage(c *gin.Context, d *casework.DocumentView) (caseFormPage, error) {
	p, err := s.newCaseFormPage(c, fmt.Sprintf("更正文书#%d：修改需要更正的事实", d.ID))
	p.Revision, p.DocID, p.CaseID, p.Action = true, d.ID, d.CaseID, fmt.Sprintf("/documents/%d/revision", d.ID)
	p.Nav = "cases"
	return p, err
}

// handleRevisionPage shows a correction's revision of the facts in the
// case form, with the reason.
func (s *Server) handleRevisionPage(c *gin.Context) {
	d, ok := s.revisionDoc(c)
	if !ok {
		return
	}
	p, err := s.revisionPage(c, d)
	if err != nil {
		s.uiError(c, err)
		return
	}
	if d.RevisionFacts != nil {
		p.Form = formFromFacts(*d.RevisionFacts)
	}
	p.Reason = d.CorrectionReason
	s.ui(c, http.StatusOK, "ui_case_form", p)
}

// handleRevisionForm stores the revision like PUT /api/v1/documents/{id}/revision.
func (s *Server) handleRevisionForm(c *gin.Context) {
	d, ok := s.revisionDoc(c)
	if !ok {
		return
	}
	p, err := s.revisionPage(c, d)
	if err != nil {
		s.uiError(c, err)
		return
	}
	s.submitCaseForm(c, p, func(in casework.CaseInput) (string, error) {
		rv := casework.RevisionInput{CaseInput: in, Reason: c.Request.PostForm.Get("reason")}
		if _, err := s.work.Revise(c.Request.Context(), s.actor(c), d.ID, rv); err != nil {
			return "", err
		}
		return casePath(d.CaseID), nil
	}, "revised")
}
