package models

import (
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"penaltydoc/errs"
)

// Scope is the authorities whose cases, documents, templates, users and
// audit entries an actor may see: every authority for the deployment's
// admins, else the listed ones. The zero Scope sees nothing, so that a
// caller who forgets to set it gets no one else's data.
type Scope struct {
	All         bool
	Authorities []uint
}

// Everything is the deployment's view (admins, background work, tests).
var Everything = Scope{All: true}

// Allows reports whether the scope sees authority id.
func (sc Scope) Allows(id uint) bool { return sc.All || slices.Contains(sc.Authorities, id) }

// filter restricts a query to the scope's authorities on column col.
func (sc Scope) filter(db *gorm.DB, col string) *gorm.DB {
	if sc.All {
		return db
	}
	if len(sc.Authorities) == 0 {
		return db.Where("1 = 0")
	}
	return db.Where(col+" IN ?", sc.Authorities)
}

// hide answers another authority's object as missing: not found, the same
// as a missing one.
func (sc Scope) hide(authorityID uint, what string) error {
	if sc.Allows(authorityID) {
		return nil
	}
	return errs.E(errs.NotFound, "%s不存在", what)
}

// AuthorityIDs are the authorities the user serves: AuthorityID first,
// then the further ones, without repeats.
func (u *User) AuthorityIDs() []uint {
	var ids []uint
	if u.AuthorityID != nil {
		ids = append(ids, *u.AuthorityID)
	}
	for _, n := range SplitIDs(u.Authorities) {
		if !slices.Contains(ids, n) {
			ids = append(ids, n)
		}
	}
	return ids
}

// Deployment reports whether the user is an admin of the whole deployment:
// an admin who belongs to no authority.
func (u *User) Deployment() bool { return u.HasRole(RoleAdmin) && len(u.AuthorityIDs()) == 0 }

// Scope is what the user may see: everything for the deployment's admins,
// else the authorities they serve (none for a staff member of no
// authority).
func (u *User) Scope() Scope {
	if u.Deployment() {
		return Everything
	}
	return Scope{Authorities: u.AuthorityIDs()}
}

// JoinIDs is ids as the users.authorities column keeps them.
func JoinIDs(ids []uint) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatUint(uint64(id), 10)
	}
	return strings.Join(parts, ",")
}
