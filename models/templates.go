package models

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"penaltydoc/errs"
)

// Templates belong to the deployment (the standard ones, AuthorityID nil)
// or to one authority. An authority uses its own active version of a kind
// and, where it has none, the standard's.

// ownedBy restricts a template query to the standard versions (id nil) or
// to one authority's.
func ownedBy(db *gorm.DB, authorityID *uint) *gorm.DB {
	if authorityID == nil {
		return db.Where("authority_id IS NULL")
	}
	return db.Where("authority_id = ?", *authorityID)
}

// activeTemplate is the version of kind that authority (0: none, the
// standard) uses now.
func activeTemplate(db *gorm.DB, authorityID uint, kind string) (*TemplateVersion, error) {
	var t TemplateVersion
	if authorityID != 0 {
		err := db.Where("kind = ? AND active = ? AND authority_id = ?", kind, true, authorityID).First(&t).Error
		if err == nil {
			return &t, nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, errs.Wrap(err, "load template")
		}
	}
	err := db.Where("kind = ? AND active = ? AND authority_id IS NULL", kind, true).First(&t).Error
	return &t, notFound(err, "该文书种类的模板")
}

// ActiveTemplate is the version of kind that authority (0: the standard)
// uses now, with its body.
func (s *Store) ActiveTemplate(ctx context.Context, authorityID uint, kind string) (*TemplateVersion, error) {
	return activeTemplate(s.conn(ctx), authorityID, kind)
}

// ActiveTemplateVersion is the version number of kind that authority (0:
// the standard) uses now, as ActiveTemplate chooses it, in one statement
// and without the body (a version's body never changes: callers keep the
// parsed bodies by kind and version).
func (s *Store) ActiveTemplateVersion(ctx context.Context, authorityID uint, kind string) (int, error) {
	var ts []TemplateVersion
	q := s.conn(ctx).Select("version", "authority_id").Where("kind = ? AND active = ?", kind, true)
	if authorityID != 0 {
		q = q.Where("authority_id = ? OR authority_id IS NULL", authorityID)
	} else {
		q = q.Where("authority_id IS NULL")
	}
	if err := q.Find(&ts).Error; err != nil {
		return 0, errs.Wrap(err, "load template")
	}
	version := 0
	for _, t := range ts {
		switch {
		case t.AuthorityID != nil: // the authority's own wins over the standard
			return t.Version, nil
		case version == 0:
			version = t.Version
		}
	}
	if version == 0 {
		return 0, errs.E(errs.NotFound, "该文书种类的模板不存在")
	}
	return version, nil
}

// ActiveTemplates returns the version of every kind that authority (0: the
// standard) uses now, by kind.
func (s *Store) ActiveTemplates(ctx context.Context, authorityID uint) ([]TemplateVersion, error) {
	var ts []TemplateVersion
	q := s.conn(ctx).Where("active = ?", true)
	if authorityID != 0 {
		q = q.Where("authority_id IS NULL OR authority_id = ?", authorityID)
	} else {
		q = q.Where("authority_id IS NULL")
	}
	if err := q.Order("kind").Find(&ts).Error; err != nil {
		return nil, errs.Wrap(err, "list templates")
	}
	byKind := map[string]int{}
	var out []TemplateVersion
	for _, t := range ts {
		i, seen := byKind[t.Kind]
		switch {
		case !seen:
			byKind[t.Kind] = len(out)
			out = append(out, t)
		case t.AuthorityID != nil: // the authority's own wins over the standard
			out[i] = t
		}
	}
	return out, nil
}

// TemplateVersions lists, newest first and without bodies, the versions of
// kind that scope sc sees: the standard ones and its authorities' own.
func (s *Store) TemplateVersions(ctx context.Context, sc Scope, kind string) ([]TemplateVersion, error) {
	var ts []TemplateVersion
	q := s.conn(ctx).Omit("body").Where("kind = ?", kind)
	if !sc.All {
		ids := append([]uint{0}, sc.Authorities...)
		q = q.Where("authority_id IS NULL OR authority_id IN ?", ids)
	}
	if err := q.Order("version DESC").Find(&ts).Error; err != nil {
		return nil, errs.Wrap(err, "list template versions")
	}
	return ts, nil
}

// Template returns one version of a kind, whoever owns it: the version a
// document keeps (the document's scope was checked when it was loaded).
func (s *Store) Template(ctx context.Context, kind string, version int) (*TemplateVersion, error) {
	var t TemplateVersion
	return &t, notFound(s.conn(ctx).Where("kind = ? AND version = ?", kind, version).First(&t).Error, "模板版本")
}

// TemplateIn returns one version of a kind as scope sc sees it: another
// authority's own version is not found.
func (s *Store) TemplateIn(ctx context.Context, sc Scope, kind string, version int) (*TemplateVersion, error) {
	t, err := s.Template(ctx, kind, version)
	if err != nil {
		return nil, err
	}
	if t.AuthorityID != nil {
		if err := sc.hide(*t.AuthorityID, "模板版本"); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// mayOwn checks that actor a may change the templates of owner (nil: the
// standard ones, the deployment's).
func mayOwn(a Actor, owner *uint) error {
	if owner == nil {
		if !a.Scope.All {
			return errs.E(errs.Forbidden, "标准模板由系统管理员维护；请在本机关的模板中修改")
		}
		return nil
	}
	return a.Scope.hide(*owner, "执法机关")
}

// CreateTemplateVersion stores body as the next version of kind for owner
// (nil: the standard; version numbers run across all owners and never
// repeat), active for that owner when activate is set. Old versions stay.
func (s *Store) CreateTemplateVersion(ctx context.Context, a Actor, owner *uint, kind, body string, activate bool) (*TemplateVersion, error) {
	if err := mayOwn(a, owner); err != nil {
		return nil, err
	}
	var t TemplateVersion
	err := s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		var last TemplateVersion
		err := s.lock(tx).Select("id, version").Where("kind = ?", kind).Order("version DESC").Limit(1).Find(&last).Error
		if err != nil {
			return errs.Wrap(err, "read template versions")
		}
		t = TemplateVersion{Kind: kind, Version: last.Version + 1, AuthorityID: owner, Body: body, Author: a.Username, Active: activate}
		if activate {
			if err := ownedBy(tx.Model(&TemplateVersion{}), owner).Where("kind = ? AND active = ?", kind, true).Update("active", false).Error; err != nil {
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
			Entity: "template", EntityID: t.ID, Detail: templateDetail(kind, owner)})
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func templateDetail(kind string, owner *uint) string {
	if owner == nil {
		return kind
	}
	return kind + " authority=" + JoinIDs([]uint{*owner})
}

// ActivateTemplate makes version of kind the one owner (nil: the standard)
// uses. For an authority, the version is one of its own, or the standard's
// active one: the authority then drops its own and uses the standard again.
func (s *Store) ActivateTemplate(ctx context.Context, a Actor, owner *uint, kind string, version int) (*TemplateVersion, error) {
	if err := mayOwn(a, owner); err != nil {
		return nil, err
	}
	var t TemplateVersion
	err := s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("kind = ? AND version = ?", kind, version).First(&t).Error; err != nil {
			return notFound(err, "模板版本")
		}
		switch {
		case t.AuthorityID != nil && (owner == nil || *t.AuthorityID != *owner):
			if owner != nil {
				if err := a.Scope.hide(*t.AuthorityID, "模板版本"); err != nil {
					return err
				}
			}
			return errs.Field("version", "该版本属于其他执法机关，不能启用")
		case t.AuthorityID == nil && owner != nil && !t.Active:
			return errs.Field("version", "只能启用本机关的模板版本，或恢复使用标准模板的现行版本")
		}
		if err := ownedBy(tx.Model(&TemplateVersion{}), owner).Where("kind = ? AND active = ?", kind, true).Update("active", false).Error; err != nil {
			return errs.Wrap(err, "deactivate template")
		}
		if t.AuthorityID == nil && owner != nil { // back to the standard
			return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "activate_template",
				Entity: "template", EntityID: t.ID, Detail: templateDetail(kind, owner) + " standard"})
		}
		if err := tx.Model(&TemplateVersion{}).Where("id = ?", t.ID).Update("active", true).Error; err != nil {
			return errs.Wrap(err, "activate template")
		}
		t.Active = true
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "activate_template",
			Entity: "template", EntityID: t.ID, Detail: templateDetail(kind, owner)})
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}
