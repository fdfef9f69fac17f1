package models

import "gorm.io/gorm"

// Migration 202612020003_admin: what the administration pages add (issue
// 11): users.must_change_password, set when an admin resets a password and
// cleared when the user chooses their own. Frozen like schema_v1.go.

type adminUser struct {
	MustChangePassword bool `gorm:"not null;default:false"`
}

func (adminUser) TableName() string { return "users" }

func migrateAdmin(tx *gorm.DB) error {
	m := fresh(tx).Migrator()
	if m.HasColumn(&adminUser{}, "MustChangePassword") {
		return nil
	}
	return m.AddColumn(&adminUser{}, "MustChangePassword")
}

func rollbackAdmin(tx *gorm.DB) error {
	return fresh(tx).Migrator().DropColumn(&adminUser{}, "MustChangePassword")
}
