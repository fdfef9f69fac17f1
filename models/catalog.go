package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// Rule converts the stored item to the criteria engine's value.
func (c *CatalogItem) Rule() rules.Item {
	var types []string
	if c.PenaltyTypes != "" {
		types = strings.Split(c.PenaltyTypes, ",")
	}
	return rules.Item{
		Code: c.Code, Name: c.Name, Domain: c.Domain,
		ViolatedProvision: c.ViolatedProvision, PenaltyProvision: c.PenaltyProvision,
		PenaltyTypes: types, FineMin: c.FineMin, FineMax: c.FineMax,
		FirstOffenseEligible: c.FirstOffenseEligible, FirstOffenseLookbackMonths: c.FirstOffenseLookbackMonths,
		WarningEligible: c.WarningEligible, WarningLookbackMonths: c.WarningLookbackMonths,
		LimitationMonths: c.LimitationMonths, SafetyRelated: c.SafetyRelated,
		NoFaultExcluded: c.NoFaultExcluded, Conditions: c.Conditions,
		ValueFine: c.ValueFine, FineBasis: c.FineBasis, HearingFinePerson: c.HearingFinePerson, HearingFineOrg: c.HearingFineOrg,
		DetentionMaxDays: c.DetentionMaxDays, ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil,
	}
}

// ItemFromRule converts a validated rules.Item for storage.
func ItemFromRule(it rules.Item) CatalogItem {
	return CatalogItem{
		Code: it.Code, Name: it.Name, Domain: it.Domain,
		ViolatedProvision: it.ViolatedProvision, PenaltyProvision: it.PenaltyProvision,
		PenaltyTypes: strings.Join(it.PenaltyTypes, ","), FineMin: it.FineMin, FineMax: it.FineMax,
		FirstOffenseEligible: it.FirstOffenseEligible, FirstOffenseLookbackMonths: it.FirstOffenseLookbackMonths,
		WarningEligible: it.WarningEligible, WarningLookbackMonths: it.WarningLookbackMonths,
		LimitationMonths: it.LimitationMonths, SafetyRelated: it.SafetyRelated,
		NoFaultExcluded: it.NoFaultExcluded, Conditions: it.Conditions, Active: true,
		ValueFine: it.ValueFine, FineBasis: it.FineBasis, HearingFinePerson: it.HearingFinePerson, HearingFineOrg: it.HearingFineOrg,
		DetentionMaxDays: it.DetentionMaxDays, ValidFrom: it.ValidFrom, ValidUntil: it.ValidUntil,
	}
}

// ListItems returns the active catalogue, by code.
func (s *Store) ListItems(ctx context.Context) ([]CatalogItem, error) {
	var items []CatalogItem
	if err := s.conn(ctx).Where("active = ?", true).Order("code").Find(&items).Error; err != nil {
		return nil, errs.Wrap(err, "list catalogue")
	}
	return items, nil
}

// ItemByCode loads one catalogue item.
func (s *Store) ItemByCode(ctx context.Context, code string) (*CatalogItem, error) {
	var it CatalogItem
	return &it, notFound(s.conn(ctx).Where("code = ?", code).First(&it).Error, "违法行为事项")
}

// CreateItem adds one item; a taken code is a conflict.
func (s *Store) CreateItem(ctx context.Context, it *CatalogItem) error {
	if err := s.conn(ctx).Create(it).Error; err != nil {
		if duplicate(err) {
			return &errs.Error{Code: errs.Conflict, Message: "事项编码已存在", Fields: map[string]string{"code": "事项编码已存在"}}
		}
		return errs.Wrap(err, "create catalogue item")
	}
	return nil
}

// itemColumns are the columns an import or update may change.
var itemColumns = []string{"name", "domain", "violated_provision", "penalty_provision", "penalty_types",
	"fine_min", "fine_max", "first_offense_eligible", "first_offense_lookback_months", "warning_eligible",
	"warning_lookback_months", "limitation_months", "safety_related", "no_fault_excluded", "conditions",
	"value_fine", "fine_basis", "hearing_fine_person", "hearing_fine_org", "detention_max_days", "valid_from", "valid_until",
	"active", "updated_at"}

// UpsertItems stores items by code in one transaction: new codes are added,
// known ones updated. It returns how many were created and updated.
func (s *Store) UpsertItems(ctx context.Context, items []CatalogItem) (created, updated int, err error) {
	err = s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		for i := range items {
			var n int64
			if err := tx.Model(&CatalogItem{}).Where("code = ?", items[i].Code).Count(&n).Error; err != nil {
				return errs.Wrap(err, "look up item")
			}
			if n == 0 {
				created++
			} else {
				updated++
			}
			items[i].Active = true
			if err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "code"}},
				DoUpdates: clause.AssignmentColumns(itemColumns),
			}).Create(&items[i]).Error; err != nil {
				return errs.Wrap(err, "store item %s", items[i].Code)
			}
		}
		return nil
	})
	return created, updated, err
}
