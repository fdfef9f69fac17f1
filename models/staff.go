package models

import (
	"context"
	"slices"
	"strings"

	"golang.org/x/crypto/bcrypt"
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
		if !u.Active { // a deactivated user's sign-ins end now
			if err := tx.Where("user_id = ?", id).Delete(&Session{}).Error; err != nil {
				return errs.Wrap(err, "end sessions of user")
			}
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

// ResetPassword sets the password of user id (of admin a's scope) to
// password, which the user must change at their next sign-in, and ends
// the user's sessions: whoever held the old password is signed out.
func (s *Store) ResetPassword(ctx context.Context, a Actor, id uint, password string) (*User, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), BcryptCost)
	if err != nil {
		return nil, errs.Wrap(err, "hash password")
	}
	var u User
	err = s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lock(tx).First(&u, id).Error; err != nil {
			return notFound(err, "用户")
		}
		if !a.Scope.All && !slices.ContainsFunc(u.AuthorityIDs(), a.Scope.Allows) {
			return errs.E(errs.NotFound, "用户不存在")
		}
		if err := tx.Model(&User{}).Where("id = ?", id).
			Updates(map[string]any{"password_hash": string(hash), "must_change_password": true, "updated_at": s.now()}).Error; err != nil {
			return errs.Wrap(err, "reset password")
		}
		if err := tx.Where("user_id = ?", id).Delete(&Session{}).Error; err != nil {
			return errs.Wrap(err, "end sessions of user")
		}
		u.MustChangePassword = true
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "reset_password",
			Entity: "user", EntityID: id, Detail: "must_change_password=true"})
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// ChangePassword sets a's own password to next when current is their
// password now, clears must_change_password and ends their other sessions
// (keep is the session the change came from). A wrong current password
// is the field's error.
func (s *Store) ChangePassword(ctx context.Context, a Actor, keep uint, current, next string) error {
	var u User
	if err := s.conn(ctx).First(&u, a.UserID).Error; err != nil {
		return notFound(err, "用户")
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
		return errs.Field("current_password", "当前密码不正确")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(next), BcryptCost)
	if err != nil {
		return errs.Wrap(err, "hash password")
	}
	return s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		// Only the hash read above is replaced: two changes at once, the
		// second finds its current password gone.
		res := tx.Model(&User{}).Where("id = ? AND password_hash = ?", u.ID, u.PasswordHash).
			Updates(map[string]any{"password_hash": string(hash), "must_change_password": false, "updated_at": s.now()})
		if res.Error != nil {
			return errs.Wrap(res.Error, "change password")
		}
		if res.RowsAffected == 0 {
			return errs.Field("current_password", "当前密码不正确")
		}
		if err := tx.Where("user_id = ? AND id <> ?", u.ID, keep).Delete(&Session{}).Error; err != nil {
			return errs.Wrap(err, "end other sessions")
		}
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "change_password",
			Entity: "user", EntityID: u.ID})
	})
}
