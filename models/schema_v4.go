package models

import "gorm.io/gorm"

// Migration 202612010003_scoping: the further authorities a user serves,
// and templates of one authority beside the deployment's standard ones.
// Users who act on cases but belong to no authority join the first one
// (the default authority, which their cases used). Frozen like
// schema_v1.go.

type v4User struct {
	Authorities string `gorm:"size:200;not null;default:''"`
}

func (v4User) TableName() string { return "users" }

type v4TemplateVersion struct {
	AuthorityID *uint `gorm:"index"`
}

func (v4TemplateVersion) TableName() string { return "template_versions" }

func migrateV4(tx *gorm.DB) error {
	db := fresh(tx)
	m := db.Migrator()
	if !m.HasColumn(&v4User{}, "Authorities") {
		if err := m.AddColumn(&v4User{}, "Authorities"); err != nil {
			return err
		}
	}
	if !m.HasColumn(&v4TemplateVersion{}, "AuthorityID") {
		if err := m.AddColumn(&v4TemplateVersion{}, "AuthorityID"); err != nil {
			return err
		}
	}
	if !m.HasIndex(&v4TemplateVersion{}, "AuthorityID") {
		if err := m.CreateIndex(&v4TemplateVersion{}, "AuthorityID"); err != nil {
			return err
		}
	}
	var first struct{ ID uint }
	if err := db.Table("authorities").Select("id").Order("id").Limit(1).Scan(&first).Error; err != nil {
		return err
	}
	if first.ID == 0 {
		return nil
	}
	// Admins without an authority stay the deployment's admins.
	return db.Exec("UPDATE users SET authority_id = ? WHERE authority_id IS NULL AND NOT "+
		"(roles = 'admin' OR roles LIKE 'admin,%' OR roles LIKE '%,admin' OR roles LIKE '%,admin,%')", first.ID).Error
}

func rollbackV4(tx *gorm.DB) error {
	m := fresh(tx).Migrator()
	if err := m.DropIndex(&v4TemplateVersion{}, "AuthorityID"); err != nil {
		return err
	}
	if err := m.DropColumn(&v4TemplateVersion{}, "AuthorityID"); err != nil {
		return err
	}
	return m.DropColumn(&v4User{}, "Authorities")
}
