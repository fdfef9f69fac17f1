package casework

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"image/png"
	"slices"
	"strings"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
	"penaltydoc/rules/limits"
)

// Administration: authorities, users and the official calendar.

// deploymentOnly refuses what only the deployment's admins may do: what
// every authority shares (authorities, the catalogue, the calendar, the
// standard templates).
func (a Actor) deploymentOnly(what string) error {
	if a.Deployment() {
		return nil
	}
	return errs.E(errs.Forbidden, "%s为各执法机关共用，须由系统管理员维护", what)
}

// Authorities lists the authorities the actor sees.
func (s *Service) Authorities(ctx context.Context, a Actor) ([]models.Authority, error) {
	return s.store.ListAuthorities(ctx, a.Scope)
}

// Authority is one authority the actor sees; another office's answers as
// missing.
func (s *Service) Authority(ctx context.Context, a Actor, id uint) (*models.Authority, error) {
	if id == 0 || !a.Scope.Allows(id) {
		return nil, errs.E(errs.NotFound, "执法机关不存在")
	}
	return s.store.Authority(ctx, id)
}

// AuthorityPreview renders the sample penalty decision (an organisation's)
// as authority id would issue it: its names, remedies, payment text,
// number series and seal, through the template it uses and the real
// renderer, so an admin sees how the seal prints on the signature.
func (s *Service) AuthorityPreview(ctx context.Context, a Actor, id uint) ([]byte, error) {
	au, err := s.Authority(ctx, a, id)
	if err != nil {
		return nil, err
	}
	kind := rules.KindPenaltyDecision
	tv, err := s.store.ActiveTemplate(ctx, au.ID, kind)
	if err != nil {
		return nil, err
	}
	t, err := s.template(ctx, kind, tv.Version)
	if err != nil {
		return nil, err
	}
	data := render.SampleData(kind, rules.PartyOrganization)
	data.Authority = authorityData(au)
	// A specimen: the seal under a 样稿 watermark, with no number and no QR
	// code, so that it can never pass for an issued decision.
	data.Specimen, data.Draft = true, false
	pdf, err := s.renderer.Render(ctx, t, data)
	if err != nil {
		return nil, renderError(err)
	}
	return pdf, nil
}

// CreateAuthority validates and stores a new authority (the deployment's
// admins).
func (s *Service) CreateAuthority(ctx context.Context, a Actor, in AuthorityInput) (*models.Authority, error) {
	if err := a.deploymentOnly("执法机关名录"); err != nil {
		return nil, err
	}
	au, _, err := in.toModel()
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateAuthority(ctx, au); err != nil {
		return nil, err
	}
	_ = s.store.Audit(ctx, a.record(), "create_authority", "authority", au.ID, au.Name)
	return au, nil
}

// UpdateAuthority replaces every field of authority id; the seal is kept
// when the input names none (seal_png absent).
func (s *Service) UpdateAuthority(ctx context.Context, a Actor, id uint, in AuthorityInput) (*models.Authority, error) {
	if !a.Scope.Allows(id) {
		return nil, errs.E(errs.NotFound, "执法机关不存在")
	}
	au, seal, err := in.toModel()
	if err != nil {
		return nil, err
	}
	au.ID = id
	if err := s.store.UpdateAuthority(ctx, au, seal == nil && in.SealPNG == nil); err != nil {
		return nil, err
	}
	_ = s.store.Audit(ctx, a.record(), "update_authority", "authority", au.ID, au.Name)
	return s.store.Authority(ctx, id)
}

// AuthorityInput is an authority as an admin enters it.
type AuthorityInput struct {
	Name                string   `json:"name"`
	ShortName           string   `json:"short_name"`
	Domain              string   `json:"domain"`
	Domains             []string `json:"domains"`
	NumberPrefix        string   `json:"number_prefix"`
	NoPenaltyPrefix     string   `json:"no_penalty_prefix"`
	NoticePrefix        string   `json:"notice_prefix"`
	OnTheSpotPrefix     string   `json:"on_the_spot_prefix"`
	CasePrefix          string   `json:"case_prefix"`
	ReconsiderationBody string   `json:"reconsideration_body"`
	Court               string   `json:"court"`
	PaymentInstructions string   `json:"payment_instructions"`
	Address             string   `json:"address"`
	Phone               string   `json:"phone"`
	HearingFinePerson   float64  `json:"hearing_fine_person"`
	HearingFineOrg      float64  `json:"hearing_fine_org"`
	AnswerPeriodDays    int      `json:"answer_period_days"`
	SealPNG             *string  `json:"seal_png"`
	// Publication settings (docs/publication.md): 较低数额罚款 (yuan, 0:
	// none), the period outside market regulation (months, 0: 36), the
	// authority's 统一社会信用代码.
	LowerFine         float64 `json:"lower_fine"`
	PublicationMonths int     `json:"publication_months"`
	CreditCode        string  `json:"credit_code"`
}

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// Seal image limits: the file's size and the picture's sides in pixels
// (a seal of 42 mm scanned at 600 dpi is about 1,000 pixels).
const (
	MaxSealBytes  = 2 << 20
	MaxSealPixels = 2000
	MinSealPixels = 64
)

// CheckSeal says what is wrong with a seal image ("" when nothing): it
// must be a PNG that decodes whole (a transparent background is welcome),
// at most MaxSealBytes, between MinSealPixels and MaxSealPixels a side.
func CheckSeal(b []byte) string {
	switch {
	case len(b) > MaxSealBytes:
		return fmt.Sprintf("印章图片不能超过%d MB", MaxSealBytes>>20)
	case len(b) < 8 || string(b[:8]) != string(pngMagic):
		return "印章图片应为PNG格式"
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return "印章图片无法读取，请上传有效的PNG文件"
	}
	if cfg.Width < MinSealPixels || cfg.Height < MinSealPixels || cfg.Width > MaxSealPixels || cfg.Height > MaxSealPixels {
		return fmt.Sprintf("印章图片的宽和高应在%d至%d像素之间（现为%d×%d）", MinSealPixels, MaxSealPixels, cfg.Width, cfg.Height)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		return "印章图片无法读取，请上传有效的PNG文件"
	}
	return ""
}

// toModel validates the input and builds the authority. Prefixes left
// empty derive from the decision prefix; the answer period defaults to 5
// working days (3 for public security).
func (r *AuthorityInput) toModel() (*models.Authority, []byte, error) {
	f := errs.Fields{}
	text := func(l limits.Field, v *string, required bool) {
		*v = strings.TrimSpace(*v)
		if required && *v == "" {
			f.Add(l.Path, "请填写"+l.Label)
		} else {
			l.Check(f, "", *v)
		}
	}
	text(limits.AuthorityName, &r.Name, true)
	text(limits.AuthorityShort, &r.ShortName, true)
	text(limits.NumberPrefix, &r.NumberPrefix, true)
	text(limits.NoPenaltyPrefix, &r.NoPenaltyPrefix, false)
	text(limits.NoticePrefix, &r.NoticePrefix, false)
	text(limits.OnTheSpotPrefix, &r.OnTheSpotPrefix, false)
	text(limits.CasePrefix, &r.CasePrefix, false)
	text(limits.Reconsideration, &r.ReconsiderationBody, true)
	text(limits.Court, &r.Court, true)
	text(limits.Payment, &r.PaymentInstructions, true)
	text(limits.AuthorityAddress, &r.Address, false)
	text(limits.AuthorityPhone, &r.Phone, false)
	for _, p := range []struct{ field, v string }{{"number_prefix", r.NumberPrefix}, {"no_penalty_prefix", r.NoPenaltyPrefix},
		{"notice_prefix", r.NoticePrefix}, {"on_the_spot_prefix", r.OnTheSpotPrefix}, {"case_prefix", r.CasePrefix}} {
		if strings.ContainsAny(p.v, "〔〕[] ") {
			f.Add(p.field, "文号前缀只填机关代字，如“杭市监处罚”，年份和序号由系统生成")
		}
	}
	if r.Domain == "" {
		r.Domain = rules.DomainOther
	}
	if !slices.Contains(rules.DomainOrder, r.Domain) {
		f.Add("domain", "执法领域应为 public_security、market_regulation、traffic 或 other")
	}
	var domains []string
	limits.DomainItems.Check(f, len(r.Domains))
	for i, d := range r.Domains {
		d = strings.TrimSpace(d)
		switch {
		case !slices.Contains(rules.DomainOrder, d):
			f.Add(fmt.Sprintf("domains[%d]", i), "执法领域应为 public_security、market_regulation、traffic 或 other")
		case !slices.Contains(domains, d):
			domains = append(domains, d)
		}
	}
	if len(domains) == 0 && r.Domain != rules.DomainOther {
		domains = []string{r.Domain}
	}
	if len(domains) > 0 && r.Domain == rules.DomainOther {
		r.Domain = domains[0]
	}
	for _, m := range []struct {
		field, label string
		v            float64
	}{{"hearing_fine_person", "对个人", r.HearingFinePerson}, {"hearing_fine_org", "对单位", r.HearingFineOrg}} {
		if m.v <= 0 {
			// A missing threshold would mean "never a hearing" (APL Art. 63).
			f.Add(m.field, "请填写"+m.label+"罚款应当告知听证权利的金额标准（大于0）")
		} else {
			limits.CheckMoney(f, m.field, "金额", m.v)
		}
	}
	if r.AnswerPeriodDays == 0 {
		r.AnswerPeriodDays = rules.AnswerPeriod(0, r.Domain)
	}
	if r.AnswerPeriodDays < 1 || r.AnswerPeriodDays > 30 {
		f.Add("answer_period_days", "陈述申辩期限应为1至30个工作日")
	}
	if r.LowerFine < 0 {
		f.Add("lower_fine", "较低数额罚款不能为负数（不设置填0）")
	} else if r.LowerFine > 0 {
		limits.CheckMoney(f, "lower_fine", "金额", r.LowerFine)
	}
	if r.PublicationMonths < 0 || r.PublicationMonths > 120 {
		f.Add("publication_months", "公示期限应为1至120个月（不设置填0，即三年）")
	}
	text(limits.AuthorityCreditCode, &r.CreditCode, false)
	if r.CreditCode != "" && !rules.ValidCreditCode(r.CreditCode) {
		f.Add("credit_code", "统一社会信用代码应为18位且校验码正确")
	}
	var seal []byte
	if r.SealPNG != nil && *r.SealPNG != "" {
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(*r.SealPNG))
		if err != nil {
			f.Add("seal_png", "印章图片应为base64编码的PNG")
		} else if msg := CheckSeal(b); msg != "" {
			f.Add("seal_png", msg)
		} else {
			seal = b
		}
	}
	if err := f.Err(); err != nil {
		return nil, nil, err
	}
	// Series prefixes left empty derive from the decision prefix:
	// 杭市监处罚 → 杭市监不罚, 杭市监罚告, 杭市监当罚;
	// 示公（治）行罚决字 → 示公（治）不罚决字, 示公（治）罚告字, 示公（治）当罚决字.
	orDefault := func(v string, suffixes map[string]string) string {
		if v != "" {
			return v
		}
		for _, from := range []string{"行罚决字", "处罚"} {
			if base, ok := strings.CutSuffix(r.NumberPrefix, from); ok {
				return base + suffixes[from]
			}
		}
		return r.NumberPrefix + suffixes["处罚"]
	}
	if r.CasePrefix == "" {
		r.CasePrefix = models.DeriveCasePrefix(r.NumberPrefix)
	}
	a := &models.Authority{
		Name: r.Name, ShortName: r.ShortName, Domain: r.Domain, Domains: strings.Join(domains, ","), NumberPrefix: r.NumberPrefix,
		NoPenaltyPrefix:     orDefault(r.NoPenaltyPrefix, map[string]string{"行罚决字": "不罚决字", "处罚": "不罚"}),
		NoticePrefix:        orDefault(r.NoticePrefix, map[string]string{"行罚决字": "罚告字", "处罚": "罚告"}),
		OnTheSpotPrefix:     orDefault(r.OnTheSpotPrefix, map[string]string{"行罚决字": "当罚决字", "处罚": "当罚"}),
		CasePrefix:          r.CasePrefix,
		ReconsiderationBody: r.ReconsiderationBody, Court: r.Court, PaymentInstructions: r.PaymentInstructions,
		Address: r.Address, Phone: r.Phone, HearingFinePerson: r.HearingFinePerson, HearingFineOrg: r.HearingFineOrg,
		AnswerPeriodDays: r.AnswerPeriodDays, SealPNG: seal,
		LowerFine: r.LowerFine, PublicationMonths: r.PublicationMonths, CreditCode: r.CreditCode,
	}
	return a, seal, nil
}

// Users lists by name the users of the authorities the actor sees.
func (s *Service) Users(ctx context.Context, a Actor) ([]models.User, error) {
	return s.store.ListUsers(ctx, a.Scope)
}

// CreateUser validates and stores a new user. A user belongs to an
// authority (authority_id; none given: the creating admin's own, or the
// first authority) and may serve further ones (authorities); an admin of
// no authority is an admin of the whole deployment, whom only such an
// admin creates (an authority's admin creating an admin makes one of their
// own authority). An authority's admin creates users of their authorities
// only.
func (s *Service) CreateUser(ctx context.Context, a Actor, in UserInput) (*models.User, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	deployment := slices.Contains(in.Roles, rules.RoleAdmin) && in.AuthorityID == nil && len(in.Authorities) == 0 && a.Deployment()
	if in.AuthorityID == nil && !deployment {
		home := a.Home()
		if home == 0 {
			def, err := s.store.Authority(ctx, 0)
			if err != nil {
				return nil, err
			}
			home = def.ID
		}
		in.AuthorityID = &home
	}
	check := func(field string, id uint) error {
		if !a.Scope.Allows(id) {
			return errs.Field(field, "执法机关不存在")
		}
		if _, err := s.store.Authority(ctx, id); err != nil {
			if errs.Is(err, errs.NotFound) {
				return errs.Field(field, "执法机关不存在")
			}
			return err
		}
		return nil
	}
	if in.AuthorityID != nil {
		if err := check("authority_id", *in.AuthorityID); err != nil {
			return nil, err
		}
	}
	if fe := (errs.Fields{}); !limits.AuthorityItems.Check(fe, len(in.Authorities)) {
		return nil, fe.Err()
	}
	for _, id := range in.Authorities {
		if err := check("authorities", id); err != nil {
			return nil, err
		}
	}
	u, err := s.store.CreateUser(ctx, models.NewUser{Username: in.Username, Password: in.Password,
		DisplayName: in.DisplayName, Roles: in.Roles, AuthorityID: in.AuthorityID, Authorities: in.Authorities,
		CertificateNumber: in.CertificateNumber, Area: in.Area, MustChangePassword: in.MustChangePassword})
	if err != nil {
		return nil, err
	}
	_ = s.store.Audit(ctx, a.record(), "create_user", "user", u.ID, "roles="+u.Roles)
	return u, nil
}

// User is one user the actor sees (of their authorities).
func (s *Service) User(ctx context.Context, a Actor, id uint) (*models.User, error) {
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.Scope.All && !slices.ContainsFunc(u.AuthorityIDs(), a.Scope.Allows) {
		return nil, errs.E(errs.NotFound, "用户不存在")
	}
	return u, nil
}

// UserUpdate is what an admin changes of a user; absent fields stay.
// authority_id and authorities change together (one given, the other is
// taken as none).
type UserUpdate struct {
	DisplayName *string   `json:"display_name"`
	Roles       *[]string `json:"roles"`
	AuthorityID *uint     `json:"authority_id"`
	Authorities *[]uint   `json:"authorities"`
	Active      *bool     `json:"active"`
	// CertificateNumber (执法证号) and Area (执法区域/执法类别) of an
	// enforcement officer.
	CertificateNumber *string `json:"certificate_number"`
	Area              *string `json:"area"`
}

// UpdateUser changes user id: roles, display name, authorities, active.
// The admin's own account keeps the admin role and stays active, so that
// nobody locks the deployment out by mistake.
func (s *Service) UpdateUser(ctx context.Context, a Actor, id uint, in UserUpdate) (*models.User, error) {
	f := errs.Fields{}
	ch := models.UserChange{DisplayName: in.DisplayName, Active: in.Active}
	if in.DisplayName != nil {
		d := strings.TrimSpace(*in.DisplayName)
		limits.DisplayName.Check(f, "", d)
		ch.DisplayName = &d
	}
	ch.CertificateNumber, ch.Area = trimChecked(f, limits.CertificateNumber, in.CertificateNumber), trimChecked(f, limits.OfficerArea, in.Area)
	if in.Roles != nil {
		checkRoles(f, *in.Roles)
		ch.Roles = *in.Roles
		if id == a.UserID && !slices.Contains(ch.Roles, rules.RoleAdmin) {
			f.Add("roles", "不能取消自己的管理员角色")
		}
	}
	if in.Active != nil && !*in.Active && id == a.UserID {
		f.Add("active", "不能停用自己的账户")
	}
	if in.AuthorityID != nil || in.Authorities != nil {
		ch.AuthorityID, ch.Authorities = in.AuthorityID, &[]uint{}
		if in.Authorities != nil {
			ch.Authorities = in.Authorities
		}
		ids := *ch.Authorities
		limits.AuthorityItems.Check(f, len(ids))
		if in.AuthorityID != nil {
			ids = append([]uint{*in.AuthorityID}, ids...)
		}
		for _, aid := range ids {
			if _, err := s.store.Authority(ctx, aid); aid == 0 || errs.Is(err, errs.NotFound) {
				f.Add("authorities", "执法机关不存在")
			} else if err != nil {
				return nil, err
			}
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return s.store.UpdateUser(ctx, a.record(), id, ch)
}

// UserInput is a new user as an admin enters them.
type UserInput struct {
	Username    string   `json:"username"`
	Password    string   `json:"password"`
	DisplayName string   `json:"display_name"`
	Roles       []string `json:"roles"`
	AuthorityID *uint    `json:"authority_id"`
	// Authorities are further authorities the user serves (an officer of
	// several offices, a reviewer for a district's bureaus).
	Authorities []uint `json:"authorities"`
	// CertificateNumber (执法证号) and Area (执法区域/执法类别) of an
	// enforcement officer (APL Art. 42, 55).
	CertificateNumber string `json:"certificate_number"`
	Area              string `json:"area"`
	// MustChangePassword: the user changes the password the admin set at
	// the first sign-in (the admin pages' default; the API's is false).
	MustChangePassword bool `json:"must_change_password"`
}

// trimChecked trims *v and checks it against field (nil stays nil).
func trimChecked(fe errs.Fields, field limits.Field, v *string) *string {
	if v == nil {
		return nil
	}
	t := strings.TrimSpace(*v)
	field.Check(fe, "", t)
	return &t
}

func (r *UserInput) validate() error {
	f := errs.Fields{}
	r.Username = strings.TrimSpace(r.Username)
	if !validUsername(r.Username) {
		f.Add("username", "用户名为3至64位字母、数字、点、横线或下划线")
	}
	limits.CheckPassword(f, r.Password)
	r.DisplayName = strings.TrimSpace(r.DisplayName)
	limits.DisplayName.Check(f, "", r.DisplayName)
	r.CertificateNumber, r.Area = *trimChecked(f, limits.CertificateNumber, &r.CertificateNumber), *trimChecked(f, limits.OfficerArea, &r.Area)
	checkRoles(f, r.Roles)
	return f.Err()
}

func checkRoles(f errs.Fields, roles []string) {
	if len(roles) == 0 {
		f.Add("roles", "至少选择一个角色")
	}
	limits.RoleItems.Check(f, len(roles))
	for _, role := range roles {
		if !slices.Contains(rules.AllRoles, role) {
			f.Add("roles", "角色“"+role+"”无效，可选 officer、reviewer、approver、clerk、template_editor、admin")
		}
	}
}

func validUsername(s string) bool {
	if len(s) < 3 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Calendar is one year's official days off on weekdays and make-up
// working days.
func (s *Service) Calendar(ctx context.Context, _ Actor, year int) (holidays, workdays []string, err error) {
	if err := checkYear(year); err != nil {
		return nil, nil, err
	}
	return s.store.CalendarYear(ctx, year)
}

// SetCalendar replaces one year's calendar with the State Council's
// holiday arrangement.
func (s *Service) SetCalendar(ctx context.Context, a Actor, year int, holidays, workdays []string) error {
	if err := a.deploymentOnly("工作日历"); err != nil {
		return err
	}
	if err := checkYear(year); err != nil {
		return err
	}
	f := errs.Fields{}
	limits.HolidayItems.Check(f, len(holidays))
	limits.WorkdayItems.Check(f, len(workdays))
	if err := f.Err(); err != nil {
		return err
	}
	return s.store.SetCalendarYear(ctx, a.record(), year, holidays, workdays)
}

func checkYear(y int) error {
	if y < 2000 || y > 2100 {
		return errs.Field("year", "年份应在2000至2100之间")
	}
	return nil
}

// tempPasswordAlphabet leaves out the characters read alike (0/O, 1/l/I).
const tempPasswordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// TempPassword is a random temporary password of 12 characters.
func TempPassword() string {
	const n = len(tempPasswordAlphabet)
	out := make([]byte, 0, 12)
	buf := make([]byte, 32)
	for len(out) < cap(out) {
		_, _ = rand.Read(buf)
		for _, c := range buf {
			// Bytes past the last whole multiple of n are skipped: no bias.
			if int(c) < 256/n*n && len(out) < cap(out) {
				out = append(out, tempPasswordAlphabet[int(c)%n])
			}
		}
	}
	return string(out)
}

// ResetPassword gives user id a new password, which they must change at
// their next sign-in, and signs them out: password as the admin set it,
// or, when empty, a temporary one the answer returns (shown once, never
// stored in clear). An admin changes their own password as every user
// does (ChangePassword).
func (s *Service) ResetPassword(ctx context.Context, a Actor, id uint, password string) (string, error) {
	if id == a.UserID {
		return "", errs.E(errs.Conflict, "请在“修改密码”页面修改自己的密码")
	}
	if password == "" {
		password = TempPassword()
	}
	if fe := (errs.Fields{}); !limits.CheckPassword(fe, password) {
		return "", fe.Err()
	}
	if _, err := s.store.ResetPassword(ctx, a.record(), id, password); err != nil {
		return "", err
	}
	return password, nil
}

// ChangePassword changes the actor's own password from current to next,
// which must differ; the actor's other sessions end, session (the one the
// change came from) stays.
func (s *Service) ChangePassword(ctx context.Context, a Actor, session uint, current, next string) error {
	f := errs.Fields{}
	if current == "" {
		f.Add("current_password", "请填写当前密码")
	}
	pf := errs.Fields{}
	if !limits.CheckPassword(pf, next) {
		f.Add("new_password", pf["password"])
	} else if next == current {
		f.Add("new_password", "新密码不能与当前密码相同")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.store.ChangePassword(ctx, a.record(), session, current, next)
}

// AuditLog is a page of the audit log the actor sees (models.ListAudit),
// newest first, and whether older entries match.
func (s *Service) AuditLog(ctx context.Context, a Actor, q models.AuditQuery) ([]models.AuditEntry, bool, error) {
	return s.store.ListAudit(ctx, a.Scope, q)
}

// CheckAudit walks the whole audit chain (the deployment's admins: it
// spans every authority) and answers what -check-audit prints.
func (s *Service) CheckAudit(ctx context.Context, a Actor) (*models.AuditCheck, error) {
	if err := a.deploymentOnly("审计日志链"); err != nil {
		return nil, err
	}
	res, err := s.store.VerifyAudit(ctx)
	if err != nil {
		return nil, err
	}
	_ = s.store.Audit(ctx, a.record(), "check_audit", "audit", 0, fmt.Sprintf("entries=%d ok=%t", res.Entries, res.Problem == nil))
	return res, nil
}
