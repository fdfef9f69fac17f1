package models

import (
	"context"
	"strings"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// Settings returns the figures the criteria engine needs.
func (a *Authority) Settings() rules.AuthoritySettings {
	return rules.AuthoritySettings{HearingFinePerson: a.HearingFinePerson, HearingFineOrg: a.HearingFineOrg}
}

// DomainList is the domains the authority names: Domains, or else its one
// legacy Domain (none for "other").
func (a *Authority) DomainList() []string {
	if a.Domains != "" {
		return strings.Split(a.Domains, ",")
	}
	if a.Domain != "" && a.Domain != rules.DomainOther {
		return []string{a.Domain}
	}
	return nil
}

// ListAuthorities returns the authorities of scope sc by id.
func (s *Store) ListAuthorities(ctx context.Context, sc Scope) ([]Authority, error) {
	var as []Authority
	if err := sc.filter(s.conn(ctx), "id").Order("id").Find(&as).Error; err != nil {
		return nil, errs.Wrap(err, "list authorities")
	}
	return as, nil
}

// Authority loads one authority; id 0 means the default (the first).
func (s *Store) Authority(ctx context.Context, id uint) (*Authority, error) {
	var a Authority
	q := s.conn(ctx).Order("id")
	if id != 0 {
		q = q.Where("id = ?", id)
	}
	return &a, notFound(q.First(&a).Error, "执法机关")
}

// CreateAuthority stores a new authority.
func (s *Store) CreateAuthority(ctx context.Context, a *Authority) error {
	if err := s.conn(ctx).Create(a).Error; err != nil {
		return errs.Wrap(err, "create authority")
	}
	return nil
}

// UpdateAuthority replaces every editable field of an authority; the seal is
// kept when keepSeal is true.
func (s *Store) UpdateAuthority(ctx context.Context, a *Authority, keepSeal bool) error {
	cols := []string{"name", "short_name", "domain", "domains", "number_prefix", "no_penalty_prefix", "notice_prefix",
		"on_the_spot_prefix", "case_prefix", "reconsideration_body", "court", "payment_instructions", "address", "phone",
		"hearing_fine_person", "hearing_fine_org", "answer_period_days", "lower_fine", "publication_months", "credit_code", "updated_at"}
	if !keepSeal {
		cols = append(cols, "seal_png")
	}
	res := s.conn(ctx).Model(&Authority{ID: a.ID}).Select(cols).Updates(a)
	if res.Error != nil {
		return errs.Wrap(res.Error, "update authority")
	}
	if res.RowsAffected == 0 {
		if _, err := s.Authority(ctx, a.ID); err != nil {
			return err
		}
	}
	return nil
}

// DeriveCasePrefix is the case file series an authority gets when it names
// none, from its decision prefix: 杭市监处罚 → 杭市监立字, 示公（治）行罚决字 →
// 示公（治）立字, 杭公交（决）字 → 杭公交（立）字, anything else + 立字.
func DeriveCasePrefix(numberPrefix string) string {
	for _, r := range [][2]string{{"行罚决字", "立字"}, {"处罚", "立字"}, {"（决）字", "（立）字"}} {
		if base, ok := strings.CutSuffix(numberPrefix, r[0]); ok {
			return base + r[1]
		}
	}
	return numberPrefix + "立字"
}

// DerivePrefix is the series of a hearing notice (听告) or reminder (催告)
// from the decision prefix, as DeriveCasePrefix does: 杭市监处罚 → 杭市监听告,
// 杭公交（决）字 → 杭公交（听告）字.
func DerivePrefix(numberPrefix, kind string) string {
	word := "听告"
	if kind == rules.KindReminder {
		word = "催告"
	}
	for _, r := range [][2]string{{"行罚决字", word + "字"}, {"处罚", word}, {"（决）字", "（" + word + "）字"}} {
		if base, ok := strings.CutSuffix(numberPrefix, r[0]); ok {
			return base + r[1]
		}
	}
	return numberPrefix + word
}

// CaseNumberPrefix is the authority's case file series.
func (a *Authority) CaseNumberPrefix() string {
	if a.CasePrefix != "" {
		return a.CasePrefix
	}
	return DeriveCasePrefix(a.NumberPrefix)
}
