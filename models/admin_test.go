package models

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"penaltydoc/models/dbtest"
)

// TestAdminMigration: users stored before 202612020003_admin need no
// password change; their sessions still resolve.
func TestAdminMigration(t *testing.T) {
	t.Parallel() // its own fresh databases; DDL waits on the database, not the CPU
	for _, db := range dbtest.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			s := openAt(t, db.DSN, "202612020001_office")
			if err := s.conn(ctx).Exec("INSERT INTO users (username, password_hash, roles, active) VALUES ('old', 'x', 'officer', 1)").Error; err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			us, err := s.ListUsers(ctx, Everything)
			if err != nil || len(us) != 1 || us[0].MustChangePassword {
				t.Fatalf("users after the migration: %+v %v", us, err)
			}
		})
	}
}

// TestPasswordResetAndChange: a reset ends the user's sessions and sets
// the flag; the change checks the current password, clears the flag and
// ends the other sessions only; deactivating ends every session.
func TestPasswordResetAndChange(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		{
			ctx := context.Background()
			u, err := s.CreateUser(ctx, NewUser{Username: "admin2", Password: "password-1", Roles: []string{RoleAdmin}})
			if err != nil {
				t.Fatal(err)
			}
			admin := Actor{UserID: 1, Username: "admin", Scope: Everything}
			tok, _, err := s.CreateSession(ctx, u.ID, "api", "", "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.ResetPassword(ctx, admin, u.ID, "temporary-1"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.SessionUser(ctx, tok, "api"); err == nil {
				t.Error("a session survived the reset")
			}
			got, _ := s.UserByID(ctx, u.ID)
			if !got.MustChangePassword || bcrypt.CompareHashAndPassword([]byte(got.PasswordHash), []byte("temporary-1")) != nil {
				t.Fatalf("after the reset: must %t", got.MustChangePassword)
			}
			keep, keepSess, _ := s.CreateSession(ctx, u.ID, "web", "", "")
			other, _, _ := s.CreateSession(ctx, u.ID, "api", "", "")
			me := Actor{UserID: u.ID, Username: u.Username, Scope: Scope{Authorities: u.AuthorityIDs()}}
			if err := s.ChangePassword(ctx, me, keepSess.ID, "wrong", "password-2"); err == nil {
				t.Error("a wrong current password changed it")
			}
			if err := s.ChangePassword(ctx, me, keepSess.ID, "temporary-1", "password-2"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.SessionUser(ctx, keep, "web"); err != nil {
				t.Errorf("the session of the change ended: %v", err)
			}
			if _, _, err := s.SessionUser(ctx, other, "api"); err == nil {
				t.Error("another session survived the change")
			}
			got, _ = s.UserByID(ctx, u.ID)
			if got.MustChangePassword {
				t.Error("must_change_password still set")
			}
			off := false
			if _, err := s.UpdateUser(ctx, admin, u.ID, UserChange{Active: &off}); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.SessionUser(ctx, keep, "web"); err == nil {
				t.Error("a session survived deactivation")
			}
		}
	})
}
