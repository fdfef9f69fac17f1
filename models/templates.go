package models

import (
	"context"

	"gorm.io/gorm"

	"penaltydoc/errs"
)

// ActiveTemplates returns the active version of every kind.
func (s *Store) ActiveTemplates(ctx context.Context) ([]TemplateVersion, error) {
	var ts []TemplateVersion
	if err := s.conn(ctx).Where("active = ?", true).Order("kind").Find(&ts).Error; err != nil {
		return nil, errs.Wrap(err, "list templates")
	}
	return ts, nil
}

// TemplateVersions lists a kind's versions, newest first, without bodies.
func (s *Store) TemplateVersions(ctx context.Context, kind string) ([]TemplateVersion, error) {
	var ts []TemplateVersion
	if err := s.conn(ctx).Omit("body").Where("kind = ?", kind).Order("version DESC").Find(&ts).Error; err != nil {
		return nil, errs.Wrap(err, "list template versions")
	}
	return ts, nil
}

// ActiveTemplate returns the active version of a kind.
func (s *Store) ActiveTemplate(ctx context.Context, kind string) (*TemplateVersion, error) {
	var t TemplateVersion
	return &t, notFound(s.conn(ctx).Where("kind = ? AND active = ?", kind, true).First(&t).Error, "模板")
}

// Template returns one version of a kind.
func (s *Store) Template(ctx context.Context, kind string, version int) (*TemplateVersion, error) {
	var t TemplateVersion
	return &t, notFound(s.conn(ctx).Where("kind = ? AND version = ?", kind, version).First(&t).Error, "模板版本")
}

// CreateTemplateVersion stores body as the next version of kind (numbers
// never repeat), active when activate is set. Old versions stay.
func (s *Store) CreateTemplateVersion(ctx context.Context, a Actor, kind, body string, activate bool) (*TemplateVersion, error) {
	var t TemplateVersion
	err := s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		var last TemplateVersion
		err := s.lock(tx).Select("id, version").Where("kind = ?", kind).Order("version DESC").Limit(1).Find(&last).Error
		if err != nil {
			return errs.Wrap(err, "read template versions")
		}
		t = TemplateVersion{Kind: kind, Version: last.Version + 1, Body: body, Author: a.Username, Active: activate}
		if activate {
			if err := tx.Model(&TemplateVersion{}).Where("kind = ? AND active = ?", kind, true).Update("active", false).Error; err != nil {
				return errs.Wrap(err, "deactivate template")
			}
		}
		if err := tx.Create(&t).Error; err != nil {
			if duplicate(err) {
				return errs.E(errs.Conflict, "模板版本冲突，请重试")
			}
			return errs.Wrap(err, "create template version")
		}
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "create_template",
			Entity: "template", EntityID: t.ID, Detail: kind})
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// ActivateTemplate makes one version of a kind the active one.
func (s *Store) ActivateTemplate(ctx context.Context, a Actor, kind string, version int) (*TemplateVersion, error) {
	var t TemplateVersion
	err := s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("kind = ? AND version = ?", kind, version).First(&t).Error; err != nil {
			return notFound(err, "模板版本")
		}
		if err := tx.Model(&TemplateVersion{}).Where("kind = ? AND active = ?", kind, true).Update("active", false).Error; err != nil {
			return errs.Wrap(err, "deactivate template")
		}
		if err := tx.Model(&TemplateVersion{}).Where("id = ?", t.ID).Update("active", true).Error; err != nil {
			return errs.Wrap(err, "activate template")
		}
		t.Active = true
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "activate_template",
			Entity: "template", EntityID: t.ID, Detail: kind})
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}
