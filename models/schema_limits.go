package models

import "gorm.io/gorm"

// Migration 202612010004_limits: the columns agree with the table of field
// limits (rules/limits). Every column that stores a field the table bounds
// already holds its limit (limits_test.go checks the real schema on SQLite
// and MariaDB); what is left is documents.basis_json, the one JSON column
// carrying entered text (the penalties' objects: property, licence) that
// was still TEXT (64 KB on MySQL) beside its LONGTEXT siblings. SQLite
// columns of TEXT affinity have no length: nothing to change there.
// Frozen like schema_v1.go.

type limitsDocument struct {
	BasisJSON string `gorm:"column:basis_json;type:longtext"`
}

func (limitsDocument) TableName() string { return "documents" }

// limitsDocumentBefore is the column as schema_v3.go made it.
type limitsDocumentBefore struct {
	BasisJSON string `gorm:"column:basis_json;type:text"`
}

func (limitsDocumentBefore) TableName() string { return "documents" }

func migrateLimits(tx *gorm.DB) error {
	if tx.Dialector.Name() != DialectMySQL {
		return nil
	}
	return fresh(tx).Migrator().AlterColumn(&limitsDocument{}, "BasisJSON")
}

func rollbackLimits(tx *gorm.DB) error {
	if tx.Dialector.Name() != DialectMySQL {
		return nil
	}
	return fresh(tx).Migrator().AlterColumn(&limitsDocumentBefore{}, "BasisJSON")
}
