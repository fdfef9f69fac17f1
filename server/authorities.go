package main

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

type authorityRequest struct {
	Name                string  `json:"name"`
	ShortName           string  `json:"short_name"`
	Domain              string  `json:"domain"`
	NumberPrefix        string  `json:"number_prefix"`
	NoPenaltyPrefix     string  `json:"no_penalty_prefix"`
	NoticePrefix        string  `json:"notice_prefix"`
	OnTheSpotPrefix     string  `json:"on_the_spot_prefix"`
	ReconsiderationBody string  `json:"reconsideration_body"`
	Court               string  `json:"court"`
	PaymentInstructions string  `json:"payment_instructions"`
	Address             string  `json:"address"`
	Phone               string  `json:"phone"`
	HearingFinePerson   float64 `json:"hearing_fine_person"`
	HearingFineOrg      float64 `json:"hearing_fine_org"`
	AnswerPeriodDays    int     `json:"answer_period_days"`
	SealPNG             *string `json:"seal_png"`
}

type authorityJSON struct {
	models.Authority
	HasSeal bool `json:"has_seal"`
}

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// toModel validates the request and builds the authority. Prefixes left
// empty derive from the decision prefix; the answer period defaults to 5
// working days (3 for public security).
func (r *authorityRequest) toModel() (*models.Authority, []byte, error) {
	f := errs.Fields{}
	text := func(field, label string, v *string, max int, required bool) {
		*v = strings.TrimSpace(*v)
		if required && *v == "" {
			f.Add(field, "请填写"+label)
		} else if len([]rune(*v)) > max {
			f.Add(field, label+"最长"+strconv.Itoa(max)+"字")
		}
	}
	text("name", "机关名称", &r.Name, 200, true)
	text("short_name", "机关简称", &r.ShortName, 100, true)
	text("number_prefix", "文号前缀", &r.NumberPrefix, 100, true)
	text("no_penalty_prefix", "不予处罚文号前缀", &r.NoPenaltyPrefix, 100, false)
	text("notice_prefix", "告知书文号前缀", &r.NoticePrefix, 100, false)
	text("on_the_spot_prefix", "当场处罚文号前缀", &r.OnTheSpotPrefix, 100, false)
	text("reconsideration_body", "复议机关", &r.ReconsiderationBody, 200, true)
	text("court", "管辖法院", &r.Court, 200, true)
	text("payment_instructions", "缴款方式", &r.PaymentInstructions, 2000, true)
	text("address", "地址", &r.Address, 300, false)
	text("phone", "联系电话", &r.Phone, 50, false)
	for _, p := range []struct{ field, v string }{{"number_prefix", r.NumberPrefix}, {"no_penalty_prefix", r.NoPenaltyPrefix},
		{"notice_prefix", r.NoticePrefix}, {"on_the_spot_prefix", r.OnTheSpotPrefix}} {
		if strings.ContainsAny(p.v, "〔〕[] ") {
			f.Add(p.field, "文号前缀只填机关代字，如“杭市监处罚”，年份和序号由系统生成")
		}
	}
	if r.Domain == "" {
		r.Domain = rules.DomainOther
	}
	if !slices.Contains([]string{rules.DomainPublicSecurity, rules.DomainMarketRegulation, rules.DomainTraffic, rules.DomainOther}, r.Domain) {
		f.Add("domain", "执法领域应为 public_security、market_regulation、traffic 或 other")
	}
	for _, m := range []struct {
		field string
		v     float64
	}{{"hearing_fine_person", r.HearingFinePerson}, {"hearing_fine_org", r.HearingFineOrg}} {
		if m.v < 0 {
			f.Add(m.field, "听证金额标准不能为负数")
		} else if !twoDecimals(m.v) {
			f.Add(m.field, "金额最多保留两位小数")
		}
	}
	if r.AnswerPeriodDays == 0 {
		r.AnswerPeriodDays = 5
		if r.Domain == rules.DomainPublicSecurity {
			r.AnswerPeriodDays = 3
		}
	}
	if r.AnswerPeriodDays < 1 || r.AnswerPeriodDays > 30 {
		f.Add("answer_period_days", "陈述申辩期限应为1至30个工作日")
	}
	var seal []byte
	if r.SealPNG != nil && *r.SealPNG != "" {
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(*r.SealPNG))
		switch {
		case err != nil:
			f.Add("seal_png", "印章图片应为base64编码的PNG")
		case len(b) > 2<<20:
			f.Add("seal_png", "印章图片不能超过2 MB")
		case len(b) < 8 || string(b[:8]) != string(pngMagic):
			f.Add("seal_png", "印章图片应为PNG格式")
		default:
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
	a := &models.Authority{
		Name: r.Name, ShortName: r.ShortName, Domain: r.Domain, NumberPrefix: r.NumberPrefix,
		NoPenaltyPrefix:     orDefault(r.NoPenaltyPrefix, map[string]string{"行罚决字": "不罚决字", "处罚": "不罚"}),
		NoticePrefix:        orDefault(r.NoticePrefix, map[string]string{"行罚决字": "罚告字", "处罚": "罚告"}),
		OnTheSpotPrefix:     orDefault(r.OnTheSpotPrefix, map[string]string{"行罚决字": "当罚决字", "处罚": "当罚"}),
		ReconsiderationBody: r.ReconsiderationBody, Court: r.Court, PaymentInstructions: r.PaymentInstructions,
		Address: r.Address, Phone: r.Phone, HearingFinePerson: r.HearingFinePerson, HearingFineOrg: r.HearingFineOrg,
		AnswerPeriodDays: r.AnswerPeriodDays, SealPNG: seal,
	}
	return a, seal, nil
}

func twoDecimals(v float64) bool {
	c := v * 100
	return c-float64(int64(c+0.5)) < 1e-6 && float64(int64(c+0.5))-c < 1e-6
}

func toAuthorityJSON(a *models.Authority) authorityJSON {
	return authorityJSON{Authority: *a, HasSeal: len(a.SealPNG) > 0}
}

func (s *Server) handleListAuthorities(c *gin.Context) {
	as, err := s.store.ListAuthorities(c.Request.Context())
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
	var req authorityRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	a, _, err := req.toModel()
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if err := s.store.CreateAuthority(ctx, a); err != nil {
		s.fail(c, err)
		return
	}
	_ = s.store.Audit(ctx, actor(c), "create_authority", "authority", a.ID, a.Name)
	c.JSON(http.StatusCreated, toAuthorityJSON(a))
}

func (s *Server) handleUpdateAuthority(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req authorityRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	a, seal, err := req.toModel()
	if err != nil {
		s.fail(c, err)
		return
	}
	a.ID = id
	ctx := c.Request.Context()
	if err := s.store.UpdateAuthority(ctx, a, seal == nil && req.SealPNG == nil); err != nil {
		s.fail(c, err)
		return
	}
	_ = s.store.Audit(ctx, actor(c), "update_authority", "authority", a.ID, a.Name)
	got, err := s.store.Authority(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toAuthorityJSON(got))
}

// pathID parses the :id path parameter.
func pathID(c *gin.Context) (uint, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if err != nil || id == 0 {
		return 0, errNotFound
	}
	return uint(id), nil
}
