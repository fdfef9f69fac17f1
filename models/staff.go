package models

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"

	"penaltydoc/errs"
)

// UserChange is what an admin changes of a user; nil fields stay.
type UserChange struct {
	DisplayName *string
	Roles       []string
	// AuthorityID and Authorities change together: the user's authority
	// and the further ones they serve.
	AuthorityID *uint
	Authorities *[]uint
	Active      *bool
	// CertificateNumber and Area: an enforcement officer's certificate.
	CertificateNumber, Area *string
}

// UpdateUser changes user id as admin a may: a user of a's scope (the
// deployment's admins only by such an admin), given authorities of a's
// scope only. Sessions follow at once: every request reloads the user.
func (s *Store) UpdateUser(ctx context.Context, a Actor, id uint, ch UserChange) (*User, error) {
	var u User
	err := s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lock(tx).First(&u, id).Error; err != nil {
			return notFound(err, "用户")
		}
		if !a.Scope.All && !slices.ContainsFunc(u.AuthorityIDs(), a.Scope.Allows) {
			return errs.E(errs.NotFound, "用户不存在")
		}
		if ch.DisplayName != nil {
			u.DisplayName = *ch.DisplayName
		}
		if ch.Roles != nil {
			roles := slices.Clone(ch.Roles)
			slices.Sort(roles)
			u.Roles = strings.Join(slices.Compact(roles), ",")
		}
		if ch.Authorities != nil {
			u.AuthorityID, u.Authorities = ch.AuthorityID, JoinIDs(*ch.Authorities)
		}
		if ch.Active != nil {
			u.Active = *ch.Active
		}
		if ch.CertificateNumber != nil {
			u.CertificateNumber = *ch.CertificateNumber
		}
		if ch.Area != nil {
			u.Area = *ch.Area
		}
		if ch.Authorities != nil {
			for _, aid := range u.AuthorityIDs() {
				if !a.Scope.Allows(aid) {
					return errs.Field("authorities", "执法机关不存在")
				}
			}
		}
		if len(u.AuthorityIDs()) == 0 && !a.Scope.All {
			return errs.Field("authority_id", "请选择用户所属的执法机关")
		}
		if len(u.AuthorityIDs()) == 0 && !u.HasRole(RoleAdmin) {
			return errs.Field("authority_id", "执法人员须属于一个执法机关")
		}
		if err := tx.Model(&User{}).Where("id = ?", id).Select("display_name", "roles", "authority_id", "authorities", "active", "certificate_number", "area", "updated_at").
			Updates(&u).Error; err != nil {
			return errs.Wrap(err, "update user")
		}
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "update_user",
			Entity: "user", EntityID: id, Detail: "roles=" + u.Roles + " authorities=" + JoinIDs(u.AuthorityIDs()) + " active=" + boolWord(u.Active) + " certificate=" + u.CertificateNumber})
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func boolWord(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
