package models

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"

	"gorm.io/gorm"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

//go:embed seeddata/catalog.json
var defaultCatalogJSON []byte

// DefaultCatalog returns the catalogue a new installation starts with.
func DefaultCatalog() ([]rules.Item, error) {
	var items []rules.Item
	if err := json.Unmarshal(defaultCatalogJSON, &items); err != nil {
		return nil, fmt.Errorf("default catalogue: %w", err)
	}
	return items, nil
}

// DefaultAuthorities are the offices a new installation starts with: a
// market regulation bureau (the default, first), a public security bureau
// and its traffic police. They are examples to edit: their names, seals,
// remedies and payment instructions must be the office's own.
func DefaultAuthorities() []Authority {
	return []Authority{{
		Name:                "杭州市市场监督管理局",
		ShortName:           "杭州市市场监管局",
		Domain:              rules.DomainMarketRegulation,
		Domains:             rules.DomainMarketRegulation,
		NumberPrefix:        "杭市监处罚",
		NoPenaltyPrefix:     "杭市监不罚",
		NoticePrefix:        "杭市监罚告",
		OnTheSpotPrefix:     "杭市监当罚",
		CasePrefix:          "杭市监立字",
		ReconsiderationBody: "杭州市人民政府",
		Court:               "杭州市西湖区人民法院",
		PaymentInstructions: "缴款方式：持本决定书到杭州银行各营业网点缴纳，或者通过“浙里办”政务服务平台在线缴纳。",
		Address:             "杭州市上城区解放东路18号",
		Phone:               "0571-12315",
		HearingFinePerson:   10000,
		HearingFineOrg:      100000,
		AnswerPeriodDays:    5,
	}, {
		Name:                "杭州市公安局",
		ShortName:           "杭州市公安局",
		Domain:              rules.DomainPublicSecurity,
		Domains:             rules.DomainPublicSecurity,
		NumberPrefix:        "杭公（治）行罚决字",
		NoPenaltyPrefix:     "杭公（治）不罚决字",
		NoticePrefix:        "杭公（治）罚告字",
		OnTheSpotPrefix:     "杭公（治）当罚决字",
		CasePrefix:          "杭公（治）立字",
		ReconsiderationBody: "杭州市人民政府",
		Court:               "杭州市上城区人民法院",
		PaymentInstructions: "缴款方式：持本决定书到指定银行缴纳，或者通过“浙里办”政务服务平台在线缴纳。",
		Address:             "杭州市上城区华光路35号",
		Phone:               "0571-110",
		HearingFinePerson:   2000,
		HearingFineOrg:      10000,
		AnswerPeriodDays:    3,
	}, {
		Name:                "杭州市公安局交通警察支队",
		ShortName:           "杭州交警支队",
		Domain:              rules.DomainTraffic,
		Domains:             rules.DomainTraffic,
		NumberPrefix:        "杭公交（决）字",
		NoPenaltyPrefix:     "杭公交（不罚）字",
		NoticePrefix:        "杭公交（告）字",
		OnTheSpotPrefix:     "杭公交（简）字",
		CasePrefix:          "杭公交（立）字",
		ReconsiderationBody: "杭州市公安局",
		Court:               "杭州市上城区人民法院",
		PaymentInstructions: "缴款方式：通过“交管12123”或者到指定银行缴纳。",
		Address:             "杭州市上城区环城东路1号",
		Phone:               "0571-122",
		HearingFinePerson:   2000,
		HearingFineOrg:      10000,
		AnswerPeriodDays:    3,
	}}
}

// SeedOptions are the first-start inputs.
type SeedOptions struct {
	// AdminPassword is used when the admin user is created.
	AdminPassword string
	// Templates are the default template bodies by kind, stored as version 1
	// of every kind that has no version yet.
	Templates map[string]string
	// Seal, when set, is the seal image of the seeded authorities (tests
	// and demonstrations; an office uploads its own on the authority page,
	// and issuing waits for it).
	Seal []byte
}

// SeedResult says what seeding created.
type SeedResult struct {
	AdminCreated bool
	Authority    bool
	Items        int
	Templates    int
}

// Seed fills an empty database: the admin user, the default authorities, the
// default catalogue and version 1 of every template. Anything already there
// is left alone, so a restart changes nothing.
func (s *Store) Seed(ctx context.Context, opt SeedOptions) (SeedResult, error) {
	var res SeedResult
	items, err := DefaultCatalog()
	if err != nil {
		return res, err
	}
	var users int64
	if err := s.conn(ctx).Model(&User{}).Count(&users).Error; err != nil {
		return res, errs.Wrap(err, "count users")
	}
	if users == 0 {
		if opt.AdminPassword == "" {
			return res, fmt.Errorf("seed: an admin password is required")
		}
		_, err := s.CreateUser(ctx, NewUser{Username: "admin", Password: opt.AdminPassword, DisplayName: "系统管理员", Roles: []string{RoleAdmin}})
		if err != nil && !errs.Is(err, errs.Conflict) { // another replica won the race
			return res, err
		}
		res.AdminCreated = err == nil
	}
	err = s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Authority{}).Count(&n).Error; err != nil {
			return errs.Wrap(err, "count authorities")
		}
		if n == 0 {
			as := DefaultAuthorities()
			for i := range as {
				as[i].SealPNG = opt.Seal
			}
			if err := tx.Create(&as).Error; err != nil {
				return errs.Wrap(err, "seed authorities")
			}
			res.Authority = true
		}
		if err := tx.Model(&CatalogItem{}).Count(&n).Error; err != nil {
			return errs.Wrap(err, "count catalogue")
		}
		if n == 0 {
			rows := make([]CatalogItem, len(items))
			for i, it := range items {
				rows[i] = ItemFromRule(it)
			}
			if err := tx.Create(&rows).Error; err != nil {
				return errs.Wrap(err, "seed catalogue")
			}
			res.Items = len(rows)
		}
		kinds := make([]string, 0, len(opt.Templates))
		for k := range opt.Templates {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		for _, kind := range kinds {
			if err := tx.Model(&TemplateVersion{}).Where("kind = ?", kind).Count(&n).Error; err != nil {
				return errs.Wrap(err, "count templates")
			}
			if n > 0 {
				continue
			}
			tv := TemplateVersion{Kind: kind, Version: 1, Body: opt.Templates[kind], Author: "system", Active: true}
			if err := tx.Create(&tv).Error; err != nil {
				return errs.Wrap(err, "seed template %s", kind)
			}
			res.Templates++
		}
		return nil
	})
	return res, err
}
