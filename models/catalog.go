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

// ListAllItems returns the whole catalogue by code, retired items
// included (the admin's list).
func (s *Store) ListAllItems(ctx context.Context) ([]CatalogItem, error) {
	var items []CatalogItem
	if err := s.conn(ctx).Order("code").Find(&items).Error; err != nil {
		return nil, errs.Wrap(err, "list catalogue")
	}
	return items, nil
}

// ItemByID loads one catalogue item, retired or not.
func (s *Store) ItemByID(ctx context.Context, id uint) (*CatalogItem, error) {
	var it CatalogItem
	return &it, notFound(s.conn(ctx).First(&it, id).Error, "违法行为事项")
}

// UpdateItem replaces the fields of item id (its code stays: cases name
// it) with it's, keeping whether it is retired, audited.
func (s *Store) UpdateItem(ctx context.Context, a Actor, id uint, it *CatalogItem) error {
	return s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		var old CatalogItem
		if err := s.lock(tx).First(&old, id).Error; err != nil {
			return notFound(err, "违法行为事项")
		}
		it.ID, it.Code, it.Active, it.CreatedAt = id, old.Code, old.Active, old.CreatedAt
		it.UpdatedAt = s.now()
		if err := tx.Model(&CatalogItem{ID: id}).Select(itemColumns).Updates(it).Error; err != nil {
			return errs.Wrap(err, "update item %s", old.Code)
		}
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "update_item",
			Entity: "catalog_item", EntityID: id, Detail: old.Code})
	})
}

// SetItemActive retires (active false) or reactivates item id, audited. A
// retired item stays for the cases that name it; new cases cannot.
func (s *Store) SetItemActive(ctx context.Context, a Actor, id uint, active bool) (*CatalogItem, error) {
	var it CatalogItem
	err := s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lock(tx).First(&it, id).Error; err != nil {
			return notFound(err, "违法行为事项")
		}
		from := it.Active
		it.Active = active
		if err := tx.Model(&CatalogItem{ID: id}).Updates(map[string]any{"active": active, "updated_at": s.now()}).Error; err != nil {
			return errs.Wrap(err, "set item active")
		}
		action := "retire_item"
		if active {
			action = "reactivate_item"
		}
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: action,
			Entity: "catalog_item", EntityID: id, FromStatus: activeWord(from), ToStatus: activeWord(active), Detail: it.Code})
	})
	if err != nil {
		return nil, err
	}
	return &it, nil
}

func activeWord(b bool) string {
	if b {
		return "active"
	}
	return "retired"
}
