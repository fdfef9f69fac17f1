package models

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// Officers returns the ids of the officers case c names.
func (c *Case) Officers() []uint { return SplitIDs(c.OfficerIDs) }

// SplitIDs reads comma-separated ids, without repeats.
func SplitIDs(s string) []uint {
	var ids []uint
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 32); err == nil && n > 0 && !slices.Contains(ids, uint(n)) {
			ids = append(ids, uint(n))
		}
	}
	return ids
}

// Serves reports whether the user may be named an officer of a case of
// authority id: an active user holding the officer role itself (not
// through the admin role) who serves it.
func (u *User) Serves(authorityID uint) bool {
	return u.Active && slices.Contains(u.RoleList(), RoleOfficer) && slices.Contains(u.AuthorityIDs(), authorityID)
}

// officerState is what the officers rule knows of u in a case of
// authority id.
func officerState(u *User, authorityID uint) rules.Officer {
	return rules.Officer{Certified: strings.TrimSpace(u.CertificateNumber) != "", Serves: u.Serves(authorityID)}
}

// errOfficer answers an officer id that is not an officer of the case's
// authority: another authority's user and a missing one alike.
func errOfficer(id uint) error {
	return errs.Field("officer_ids", "所选执法人员（#"+strconv.FormatUint(uint64(id), 10)+"）不是本案执法机关的执法人员")
}

// MaxOfficers bounds the officers a case names (cases.officer_ids holds
// 200 characters).
const MaxOfficers = 16

// checkOfficers checks, in tx, that ids name officers of authority
// authorityID, and returns them in order.
func checkOfficers(tx *gorm.DB, authorityID uint, ids []uint) ([]User, error) {
	if len(ids) > MaxOfficers {
		return nil, errs.Field("officer_ids", "执法人员最多16名")
	}
	var us []User
	if len(ids) > 0 {
		if err := tx.Where("id IN ?", ids).Find(&us).Error; err != nil {
			return nil, errs.Wrap(err, "load officers")
		}
	}
	out := make([]User, 0, len(ids))
	for _, id := range ids {
		i := slices.IndexFunc(us, func(u User) bool { return u.ID == id })
		if i < 0 || !us[i].Serves(authorityID) {
			return nil, errOfficer(id)
		}
		out = append(out, us[i])
	}
	return out, nil
}

// defaultOfficers is what a case names when the officer names nobody:
// the officer filing it, when they serve its authority.
func defaultOfficers(tx *gorm.DB, a Actor, authorityID uint) []uint {
	var u User
	if err := tx.First(&u, a.UserID).Error; err == nil && u.Serves(authorityID) {
		return []uint{u.ID}
	}
	return nil
}

// enoughOfficers applies the officers rule to case c in tx.
func enoughOfficers(tx *gorm.DB, c *Case) error {
	ids := c.Officers()
	var us []User
	if len(ids) > 0 {
		if err := tx.Where("id IN ?", ids).Find(&us).Error; err != nil {
			return errs.Wrap(err, "load officers")
		}
	}
	os := make([]rules.Officer, len(us))
	for i := range us {
		os[i] = officerState(&us[i], c.AuthorityID)
	}
	var domain string
	if err := tx.Model(&CatalogItem{}).Where("id = ?", c.ItemID).Pluck("domain", &domain).Error; err != nil {
		return errs.Wrap(err, "load the case's item")
	}
	return rules.EnoughOfficers(os, c.Evaluation.DocumentKind, domain, c.Evaluation.Penalties)
}

// CaseOfficers loads the officers case c names, in its order (a user who
// has left is still named).
func (s *Store) CaseOfficers(ctx context.Context, c *Case) ([]User, error) {
	return caseOfficers(s.conn(ctx), c)
}

func caseOfficers(db *gorm.DB, c *Case) ([]User, error) {
	ids := c.Officers()
	if len(ids) == 0 {
		return nil, nil
	}
	var us []User
	if err := db.Where("id IN ?", ids).Find(&us).Error; err != nil {
		return nil, errs.Wrap(err, "load officers")
	}
	slices.SortFunc(us, func(a, b User) int { return slices.Index(ids, a.ID) - slices.Index(ids, b.ID) })
	return us, nil
}

// AuthorityOfficers lists by name the users who may be named officers of
// a case of authority id (within scope sc), certified or not.
func (s *Store) AuthorityOfficers(ctx context.Context, sc Scope, authorityID uint) ([]User, error) {
	if err := sc.hide(authorityID, "执法机关"); err != nil {
		return nil, err
	}
	var us []User
	if err := s.conn(ctx).Where("active = ?", true).Order("username").Find(&us).Error; err != nil {
		return nil, errs.Wrap(err, "list officers")
	}
	out := us[:0]
	for _, u := range us {
		if u.Serves(authorityID) {
			out = append(out, u)
		}
	}
	return out, nil
}
