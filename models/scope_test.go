package models

import (
	"context"
	"testing"

	"penaltydoc/models/dbtest"
)

// TestScopingMigration: staff who belonged to no authority before
// 202612010003 join the first authority; admins without one stay the
// deployment's admins.
func TestScopingMigration(t *testing.T) {
	t.Parallel() // its own fresh databases; DDL waits on the database, not the CPU
	for _, db := range dbtest.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			s := openAt(t, db.DSN, "202612010002_letters")
			raw := s.conn(ctx)
			for _, q := range []string{
				"INSERT INTO authorities (name, short_name, domain, number_prefix, reconsideration_body, court) VALUES ('甲局', '甲', 'other', '甲罚', '甲政府', '甲法院')",
				"INSERT INTO authorities (name, short_name, domain, number_prefix, reconsideration_body, court) VALUES ('乙局', '乙', 'other', '乙罚', '乙政府', '乙法院')",
				"INSERT INTO users (username, password_hash, roles, active) VALUES ('officer', 'x', 'officer', 1)",
				"INSERT INTO users (username, password_hash, roles, active) VALUES ('root', 'x', 'admin', 1)",
				"INSERT INTO users (username, password_hash, roles, active) VALUES ('head', 'x', 'admin,approver', 1)",
				"INSERT INTO users (username, password_hash, roles, active, authority_id) VALUES ('other', 'x', 'clerk', 1, 2)",
			} {
				if err := raw.Exec(q).Error; err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			want := map[string]Scope{"officer": {Authorities: []uint{1}}, "root": Everything, "head": Everything, "other": {Authorities: []uint{2}}}
			us, err := s.ListUsers(ctx, Everything)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range us {
				got := u.Scope()
				if w := want[u.Username]; got.All != w.All || len(got.Authorities) != len(w.Authorities) || (len(w.Authorities) > 0 && got.Authorities[0] != w.Authorities[0]) {
					t.Errorf("%s: scope %+v, want %+v", u.Username, got, w)
				}
			}
		})
	}
}

// openAt opens dsn migrated up to migration id only, for a test of a later
// migration over rows of the schema then.
func openAt(t *testing.T, dsn, id string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.migrator(context.Background()).MigrateTo(id); err != nil {
		t.Fatal(err)
	}
	return s
}
