package main

// The admin pages of the staff UI: document templates, the catalogue of
// violations, the official calendar and users. They call the same checks
// and store functions as the JSON API; no business logic lives here.

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
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

// invalidError is err as a 422 the form can show, or nil when err is
// anything else (which goes to the error page).
func invalidError(err error) *errs.Error {
	var e *errs.Error
	if errors.As(err, &e) && (e.Code == errs.Invalid || e.Code == errs.BadRequest || e.Code == errs.Conflict) {
		return e
	}
	return nil
}

// ---- templates ----

// directiveHelp is the editor's cheat-sheet (docs/templates.md has the rest).
var directiveHelp = []option{
	{"@title 文字", "标题行：二号宋体加粗、居中"},
	{"@number", "文号行（右对齐；草稿留空）"},
	{"@heading 文字", "小标题：三号宋体加粗，缩进两字"},
	{"@left 文字", "不缩进的段落（当事人信息、抬头）"},
	{"@center 文字", "居中的一行"},
	{"@right 文字", "右对齐的一行"},
	{"@blank", "空一行"},
	{"@table 宽 宽 …", "表格开始，其后每行一行表格，单元格以 | 分隔；以 @end 结束"},
	{"@end", "表格结束"},
	{"@signature", "落款（执法机关、日期；签发后加盖印章）"},
	{"@pagebreak", "其后内容另起一页"},
	{"@@", "以字符 @ 开头的段落"},
	{"{{.Facts.Party.Name}}", "插入案件数据，如当事人姓名"},
}

type adminTemplatesPage struct {
	uiBase
	Templates []models.TemplateVersion
}

func (s *Server) handleAdminTemplatesPage(c *gin.Context) {
	ts, err := s.work.Templates(c.Request.Context(), s.actor(c))
	if err != nil {
		s.uiError(c, err)
		return
	}
	s.ui(c, http.StatusOK, "ui_admin_templates", adminTemplatesPage{uiBase: s.base(c, "文书模板", "admin"), Templates: ts})
}

type adminTemplatePage struct {
	uiBase
	Kind, Name string
	Body       string
	Active     int // the active version
	Versions   []models.TemplateVersion
	BodyError  string
	Line       string
	Help       []option
}

// templatePage shows the editor with body (the active one when the caller
// passes none) and an optional error.
func (s *Server) templatePage(c *gin.Context, st int, kind string, body *string, fail *errs.Error) {
	name := rules.KindName(kind)
	p := adminTemplatePage{uiBase: s.base(c, name+"模板", "admin"), Kind: kind, Name: name, Help: directiveHelp}
	active, versions, err := s.work.TemplateEditor(c.Request.Context(), s.actor(c), kind)
	if err != nil {
		s.uiError(c, err)
		return
	}
	p.Active, p.Body, p.Versions = active.Version, active.Body, versions
	if body != nil {
		p.Body = *body
	}
	if fail != nil {
		p.Error = "模板未保存，请按提示修改。"
		p.BodyError, p.Line = fail.Message, fail.Fields["line"]
	}
	s.ui(c, st, "ui_admin_template", p)
}

func (s *Server) handleAdminTemplatePage(c *gin.Context) {
	kind, err := kindParam(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	s.templatePage(c, http.StatusOK, kind, nil, nil)
}

// formBody is the editor's textarea, with the browser's CRLF made LF.
func formBody(c *gin.Context) string {
	return strings.ReplaceAll(c.PostForm("body"), "\r\n", "\n")
}

// handleAdminSaveTemplate stores the typed body as the new active version,
// after the same test render as POST /api/v1/templates/:kind/versions.
func (s *Server) handleAdminSaveTemplate(c *gin.Context) {
	kind, err := kindParam(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	body := formBody(c)
	if _, err = s.work.SaveTemplate(c.Request.Context(), s.actor(c), 0, kind, body, true); err != nil {
		if e := invalidError(err); e != nil {
			s.templatePage(c, status(e.Code), kind, &body, e)
			return
		}
		s.uiError(c, err)
		return
	}
	done(c, "/admin/templates/"+kind, "template_saved")
}

// handleAdminActivateTemplate makes an earlier version active again.
func (s *Server) handleAdminActivateTemplate(c *gin.Context) {
	kind, v, err := versionParams(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	if _, err := s.work.ActivateTemplate(c.Request.Context(), s.actor(c), 0, kind, v); err != nil {
		s.uiError(c, err)
		return
	}
	done(c, "/admin/templates/"+kind, "template_activated")
}

// handleAdminPreviewTemplate renders the typed (unsaved) body against the
// sample case as a draft PDF; a template fault shows the editor instead.
func (s *Server) handleAdminPreviewTemplate(c *gin.Context) {
	kind, err := kindParam(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	body := formBody(c)
	pdf, err := s.work.PreviewTemplate(c.Request.Context(), s.actor(c), casework.PreviewInput{Kind: kind, Body: body})
	if err != nil {
		if e := invalidError(err); e != nil {
			s.templatePage(c, status(e.Code), kind, &body, e)
			return
		}
		s.uiError(c, err)
		return
	}
	sendPDF(c, pdf, rules.KindName(kind)+"-预览.pdf")
}

// ---- catalogue ----

type adminCatalogPage struct {
	uiBase
	Items      []models.CatalogItem
	Errors     []string
	CodePrefix string
	Domain     string
	ListType   string
	Domains    []option
	ListTypes  []option
}

var listTypeOptions = []option{
	{"first_offense", "首违不罚清单（导入的事项标记为首违不罚）"},
	{"warning", "首违警告清单（导入的事项标记为首违警告）"},
	{"none", "普通事项（不标记）"},
}

func (s *Server) catalogPage(c *gin.Context, st int, p adminCatalogPage) {
	var err error
	if p.Items, err = s.work.CatalogAll(c.Request.Context(), s.actor(c)); err != nil {
		s.uiError(c, err)
		return
	}
	for _, d := range rules.DomainOrder {
		p.Domains = append(p.Domains, option{d, rules.DomainName(d)})
	}
	p.ListTypes = listTypeOptions
	s.ui(c, st, "ui_admin_catalog", p)
}

func (s *Server) handleAdminCatalogPage(c *gin.Context) {
	b := s.base(c, "违法行为事项", "admin")
	if n, err := strconv.Atoi(c.Query("n")); err == nil && c.Query("done") == "imported" {
		b.Flash = fmt.Sprintf("导入完成：共%d项。", n)
	}
	s.catalogPage(c, http.StatusOK, adminCatalogPage{uiBase: b, CodePrefix: "QD", Domain: rules.DomainOther, ListType: "first_offense"})
}

// adminItemActive retires or reactivates an item from the catalogue page.
func (s *Server) adminItemActive(active bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c)
		if err == nil {
			_, err = s.work.SetItemActive(c.Request.Context(), s.actor(c), id, active)
		}
		if err != nil {
			s.uiError(c, err)
			return
		}
		flash := "item_retired"
		if active {
			flash = "item_reactivated"
		}
		done(c, "/admin/catalog", flash)
	}
}

var rowField = regexp.MustCompile(`^rows\[(\d+)\]`)

// importMessages lists an import's field errors by row.
func importMessages(e *errs.Error) []string {
	type msg struct {
		row  int
		text string
	}
	var ms []msg
	for k, v := range e.Fields {
		row := math.MaxInt // a count of further errors ("rows") comes last
		if m := rowField.FindStringSubmatch(k); m != nil {
			row, _ = strconv.Atoi(m[1])
		}
		ms = append(ms, msg{row, v})
	}
	slices.SortFunc(ms, func(a, b msg) int {
		if a.row != b.row {
			return cmp.Compare(a.row, b.row)
		}
		return strings.Compare(a.text, b.text)
	})
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.text
	}
	return out
}

// handleAdminImportCatalog imports an uploaded list like
// POST /api/v1/catalog/import.
func (s *Server) handleAdminImportCatalog(c *gin.Context) {
	p := adminCatalogPage{uiBase: s.base(c, "违法行为事项", "admin"),
		CodePrefix: strings.TrimSpace(c.PostForm("code_prefix")), Domain: c.PostForm("domain"), ListType: c.PostForm("list_type")}
	if p.CodePrefix == "" {
		p.CodePrefix = "QD"
	}
	if !slices.Contains(rules.DomainOrder, p.Domain) {
		p.Domain = rules.DomainOther
	}
	if !slices.ContainsFunc(listTypeOptions, func(o option) bool { return o.Value == p.ListType }) {
		p.ListType = "first_offense"
	}
	if mf := c.Request.MultipartForm; mf != nil {
		defer mf.RemoveAll()
	}
	file, name, err := formFile(c)
	if err == nil {
		defer file.Close()
		var res *casework.Imported
		res, err = s.work.ImportCatalog(c.Request.Context(), s.actor(c), name, file,
			casework.ImportOptions{CodePrefix: p.CodePrefix, Domain: p.Domain, ListType: p.ListType})
		if err == nil {
			c.Redirect(http.StatusSeeOther, "/admin/catalog?done=imported&n="+strconv.Itoa(res.Total))
			return
		}
	}
	e := invalidError(err)
	if e == nil {
		s.uiError(c, err)
		return
	}
	p.Error = "导入失败，未保存任何事项：" + e.Message
	p.Errors = importMessages(e)
	s.catalogPage(c, status(e.Code), p)
}

// formFile reads the uploaded "file" of a multipart form the web gate
// has parsed.
func formFile(c *gin.Context) (io.ReadCloser, string, error) {
	const missing = "请选择要上传的CSV或XLSX文件"
	if c.Request.MultipartForm == nil {
		return nil, "", errs.E(errs.BadRequest, missing)
	}
	return multipartFile(c, missing)
}

// ---- calendar ----

type adminCalendarPage struct {
	uiBase
	Year               int
	Years              []int
	Holidays, Workdays string
	Fields             map[string]string
}

func (s *Server) calendarPage(c *gin.Context, st int, p adminCalendarPage) {
	this, _ := strconv.Atoi(s.work.Today()[:4])
	for y := this - 1; y <= this+1; y++ {
		p.Years = append(p.Years, y)
	}
	if !slices.Contains(p.Years, p.Year) {
		p.Years = append(p.Years, p.Year)
		slices.Sort(p.Years)
	}
	s.ui(c, st, "ui_admin_calendar", p)
}

func (s *Server) handleAdminCalendarPage(c *gin.Context) {
	y, err := calendarYear(c.DefaultQuery("year", s.work.Today()[:4]))
	if err != nil {
		s.uiError(c, err)
		return
	}
	h, w, err := s.work.Calendar(c.Request.Context(), s.actor(c), y)
	if err != nil {
		s.uiError(c, err)
		return
	}
	s.calendarPage(c, http.StatusOK, adminCalendarPage{uiBase: s.base(c, "法定节假日", "admin"), Year: y,
		Holidays: strings.Join(h, "\n"), Workdays: strings.Join(w, "\n")})
}

var listItemField = regexp.MustCompile(`^(holidays|workdays)\[(\d+)\]$`)

// handleAdminSaveCalendar replaces a year's calendar like
// PUT /api/v1/calendar/:year.
func (s *Server) handleAdminSaveCalendar(c *gin.Context) {
	p := adminCalendarPage{uiBase: s.base(c, "法定节假日", "admin"),
		Holidays: c.PostForm("holidays"), Workdays: c.PostForm("workdays"), Fields: map[string]string{}}
	y, err := calendarYear(c.PostForm("year"))
	if err != nil {
		s.uiError(c, err)
		return
	}
	p.Year = y
	holidays, workdays := lines(p.Holidays), lines(p.Workdays)
	if holidays == nil {
		holidays = []string{}
	}
	if workdays == nil {
		workdays = []string{}
	}
	err = s.work.SetCalendar(c.Request.Context(), s.actor(c), y, slices.Clone(holidays), slices.Clone(workdays))
	if err == nil {
		c.Redirect(http.StatusSeeOther, "/admin/calendar?done=calendar&year="+strconv.Itoa(y))
		return
	}
	e := invalidError(err)
	if e == nil {
		s.uiError(c, err)
		return
	}
	// holidays[3] → the holidays textarea, naming the date.
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	// In list order: holidays[2] before holidays[10].
	order := func(k string) string {
		if m := listItemField.FindStringSubmatch(k); m != nil {
			return fmt.Sprintf("%s[%06s]", m[1], m[2])
		}
		return k
	}
	slices.SortFunc(keys, func(a, b string) int { return strings.Compare(order(a), order(b)) })
	for _, k := range keys {
		msg := e.Fields[k]
		if m := listItemField.FindStringSubmatch(k); m != nil {
			i, _ := strconv.Atoi(m[2])
			list := holidays
			if m[1] == "workdays" {
				list = workdays
			}
			if i < len(list) {
				msg = fmt.Sprintf("“%s”：%s", list[i], msg)
			}
			k = m[1]
		}
		if prev := p.Fields[k]; prev != "" {
			msg = prev + "；" + msg
		}
		p.Fields[k] = msg
	}
	p.Error = "日历未保存，请按提示修改。"
	s.calendarPage(c, status(e.Code), p)
}

// ---- users ----

type adminUsersPage struct {
	uiBase
	Users       []userRow
	Roles       []option
	Authorities []models.Authority
	// Deployment: the admin may create admins of no authority.
	Deployment bool
	Form       casework.UserInput
	Fields     map[string]string
}

// SelectedAuthority and FurtherAuthorities are what the form's authority
// fields show.
func (p adminUsersPage) SelectedAuthority() uint {
	if p.Form.AuthorityID == nil {
		return 0
	}
	return *p.Form.AuthorityID
}

// FurtherAuthorities: see SelectedAuthority.
func (p adminUsersPage) FurtherAuthorities() []uint { return p.Form.Authorities }

// userRow is a user with the names of the authorities they serve.
type userRow struct {
	*models.User
	AuthorityNames string
}

func authorityNames(as []models.Authority, ids []uint) string {
	var names []string
	for _, id := range ids {
		for i := range as {
			if as[i].ID == id {
				names = append(names, as[i].ShortName)
			}
		}
	}
	if len(names) == 0 {
		return "—"
	}
	return strings.Join(names, "、")
}

func roleOptions() []option {
	var out []option
	for _, r := range rules.AllRoles {
		out = append(out, option{r, rules.RoleName(r)})
	}
	return out
}

func (s *Server) usersPage(c *gin.Context, st int, p adminUsersPage) {
	ctx, a := c.Request.Context(), s.actor(c)
	us, err := s.work.Users(ctx, a)
	if err != nil {
		s.uiError(c, err)
		return
	}
	if p.Authorities, err = s.work.Authorities(ctx, a); err != nil {
		s.uiError(c, err)
		return
	}
	for i := range us {
		p.Users = append(p.Users, userRow{User: &us[i], AuthorityNames: authorityNames(p.Authorities, us[i].AuthorityIDs())})
	}
	p.Roles, p.Deployment = roleOptions(), a.Deployment()
	s.ui(c, st, "ui_admin_users", p)
}

func (s *Server) handleAdminUsersPage(c *gin.Context) {
	s.usersPage(c, http.StatusOK, adminUsersPage{uiBase: s.base(c, "用户", "admin"), Form: casework.UserInput{MustChangePassword: true}})
}

// formAuthorities reads the authority_id select and the authorities
// checkboxes of a user form; a bad value is the field's error.
func formAuthorities(c *gin.Context, fe errs.Fields) (*uint, []uint) {
	var home *uint
	if v := strings.TrimSpace(c.PostForm("authority_id")); v != "" {
		if n, err := strconv.ParseUint(v, 10, 32); err == nil && n > 0 {
			id := uint(n)
			home = &id
		} else {
			fe.Add("authority_id", "请选择执法机关")
		}
	}
	var further []uint
	for _, v := range c.PostFormArray("authorities") {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n == 0 {
			fe.Add("authorities", "执法机关无效")
			continue
		}
		if home == nil || uint(n) != *home {
			further = append(further, uint(n))
		}
	}
	return home, further
}

// handleAdminCreateUser creates a user like POST /api/v1/users.
func (s *Server) handleAdminCreateUser(c *gin.Context) {
	req := casework.UserInput{Username: c.PostForm("username"), Password: c.PostForm("password"),
		DisplayName: strings.TrimSpace(c.PostForm("display_name")), Roles: c.PostFormArray("roles"),
		CertificateNumber: c.PostForm("certificate_number"), Area: c.PostForm("area"),
		MustChangePassword: c.PostForm("must_change_password") != ""}
	fe := errs.Fields{}
	req.AuthorityID, req.Authorities = formAuthorities(c, fe)
	err := fe.Err()
	if err == nil {
		_, err = s.work.CreateUser(c.Request.Context(), s.actor(c), req)
	}
	if err == nil {
		done(c, "/admin/users", "user_created")
		return
	}
	e := invalidError(err)
	if e == nil {
		s.uiError(c, err)
		return
	}
	req.Password = "" // never echoed back
	p := adminUsersPage{uiBase: s.base(c, "用户", "admin"), Form: req, Fields: e.Fields}
	p.Error = e.Message
	s.usersPage(c, status(e.Code), p)
}

type adminUserPage struct {
	uiBase
	Account     *models.User
	Roles       []option
	Authorities []models.Authority
	Deployment  bool
	// Form is what the form shows: the stored user or what was typed.
	Form struct {
		DisplayName string
		Roles       []string
		AuthorityID uint
		Authorities []uint
		Active      bool

		CertificateNumber, Area string
	}
	Fields map[string]string
	// TempPassword is the temporary password of a reset, shown once.
	TempPassword string
}

// SelectedAuthority and FurtherAuthorities are what the form's authority
// fields show.
func (p adminUserPage) SelectedAuthority() uint { return p.Form.AuthorityID }

// FurtherAuthorities: see SelectedAuthority.
func (p adminUserPage) FurtherAuthorities() []uint { return p.Form.Authorities }

func (s *Server) userPage(c *gin.Context, st int, p adminUserPage) {
	ctx, a := c.Request.Context(), s.actor(c)
	id, err := pathID(c)
	if err == nil {
		p.Account, err = s.work.User(ctx, a, id)
	}
	if err == nil {
		p.Authorities, err = s.work.Authorities(ctx, a)
	}
	if err != nil {
		s.uiError(c, err)
		return
	}
	if p.Fields == nil { // the stored values
		u := p.Account
		p.Form.DisplayName, p.Form.Roles, p.Form.Active = u.DisplayName, u.RoleList(), u.Active
		p.Form.CertificateNumber, p.Form.Area = u.CertificateNumber, u.Area
		if ids := u.AuthorityIDs(); len(ids) > 0 {
			if u.AuthorityID != nil {
				p.Form.AuthorityID, ids = ids[0], ids[1:]
			}
			p.Form.Authorities = ids
		}
	}
	p.Roles, p.Deployment = roleOptions(), a.Deployment()
	p.Title = "用户 " + p.Account.Username
	s.ui(c, st, "ui_admin_user", p)
}

func (s *Server) handleAdminUserPage(c *gin.Context) {
	s.userPage(c, http.StatusOK, adminUserPage{uiBase: s.base(c, "用户", "admin")})
}

// handleAdminUpdateUser changes a user like PUT /api/v1/users/{id}.
func (s *Server) handleAdminUpdateUser(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.uiError(c, err)
		return
	}
	fe := errs.Fields{}
	home, further := formAuthorities(c, fe)
	display, roles, active := strings.TrimSpace(c.PostForm("display_name")), c.PostFormArray("roles"), c.PostForm("active") == "1"
	cert, area := c.PostForm("certificate_number"), c.PostForm("area")
	in := casework.UserUpdate{DisplayName: &display, Roles: &roles, AuthorityID: home, Authorities: &further, Active: &active,
		CertificateNumber: &cert, Area: &area}
	err = fe.Err()
	if err == nil {
		_, err = s.work.UpdateUser(c.Request.Context(), s.actor(c), id, in)
	}
	if err == nil {
		done(c, "/admin/users", "user_updated")
		return
	}
	e := invalidError(err)
	if e == nil {
		s.uiError(c, err)
		return
	}
	p := adminUserPage{uiBase: s.base(c, "用户", "admin"), Fields: e.Fields}
	p.Form.DisplayName, p.Form.Roles, p.Form.Authorities, p.Form.Active = display, roles, further, active
	p.Form.CertificateNumber, p.Form.Area = cert, area
	if home != nil {
		p.Form.AuthorityID = *home
	}
	p.Error = e.Message
	s.userPage(c, status(e.Code), p)
}
