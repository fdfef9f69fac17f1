package models

import "gorm.io/gorm"

// Migration 202612010002_letters: what a draft was made from, the party's
// statement in parts, the vehicle in traffic cases, an authority's
// domains and the catalogue's statute figures. Frozen like schema_v1.go.

type v3Case struct {
	StatementOutcome string `gorm:"size:16;not null;default:''"`
	StatementReason  string `gorm:"type:text"`
	HearingDate      string `gorm:"size:10;not null;default:''"`
	VehiclePlate     string `gorm:"size:20;not null;default:'';index"`
	BasisHash        string `gorm:"size:64;not null;default:''"`
}

func (v3Case) TableName() string { return "cases" }

type v3Document struct {
	BasisJSON string `gorm:"column:basis_json;type:text"`
}

func (v3Document) TableName() string { return "documents" }

type v3Authority struct {
	Domains string `gorm:"size:200;not null;default:''"`
}

func (v3Authority) TableName() string { return "authorities" }

type v3CatalogItem struct {
	ValueFine         string  `gorm:"type:text"`
	FineBasis         string  `gorm:"type:text"`
	HearingFinePerson float64 `gorm:"type:decimal(14,2);not null;default:0"`
	HearingFineOrg    float64 `gorm:"type:decimal(14,2);not null;default:0"`
	DetentionMaxDays  int     `gorm:"not null;default:0"`
	ValidFrom         string  `gorm:"size:10;not null;default:''"`
	ValidUntil        string  `gorm:"size:10;not null;default:''"`
}

func (v3CatalogItem) TableName() string { return "catalog_items" }

var v3Columns = []struct {
	model any
	cols  []string
}{
	{&v3Case{}, []string{"StatementOutcome", "StatementReason", "HearingDate", "VehiclePlate", "BasisHash"}},
	{&v3Document{}, []string{"BasisJSON"}},
	{&v3Authority{}, []string{"Domains"}},
	{&v3CatalogItem{}, []string{"ValueFine", "FineBasis", "HearingFinePerson", "HearingFineOrg", "DetentionMaxDays", "ValidFrom", "ValidUntil"}},
}

func migrateV3(tx *gorm.DB) error {
	m := fresh(tx).Migrator()
	for _, t := range v3Columns {
		for _, col := range t.cols {
			if !m.HasColumn(t.model, col) {
				if err := m.AddColumn(t.model, col); err != nil {
					return err
				}
			}
		}
	}
	if !m.HasIndex(&v3Case{}, "VehiclePlate") {
		if err := m.CreateIndex(&v3Case{}, "VehiclePlate"); err != nil {
			return err
		}
	}
	return nil
}

func rollbackV3(tx *gorm.DB) error {
	m := fresh(tx).Migrator()
	for _, t := range v3Columns {
		for _, col := range t.cols {
			if err := m.DropColumn(t.model, col); err != nil {
				return err
			}
		}
	}
	return nil
}
