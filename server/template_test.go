package main

import (
	"context"
	"testing"

	"penaltydoc/models/dbtest"
)

// TestTemplateClone: a copy of envDB has exactly the schema of a database
// migrated and seeded from scratch, on both databases, and exactly the
// template's rows (seeded rows hold times and password hashes, so a fresh
// seeding differs in them), so the shortcut newEnv takes cannot drift from
// what the migrations make.
func TestTemplateClone(t *testing.T) {
	for _, db := range dbtest.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			if err := envDB.Prepare(context.Background(), db.DSN); err != nil {
				t.Fatal(err)
			}
			clone := envDB.SQLite(t)
			if db.Name == "mysql" {
				clone = envDB.MySQL(t)
			}
			if got, want := dbtest.Schema(t, clone), dbtest.Schema(t, db); got != want {
				t.Errorf("the copy's schema differs from a fresh migration's:\ncopy:\n%s\nfresh:\n%s", got, want)
			}
			if got, want := dbtest.Rows(t, clone), dbtest.Rows(t, envDB.Original(t, db.Name)); got != want {
				t.Errorf("the copy's rows differ from the template's:\ncopy:\n%s\ntemplate:\n%s", got, want)
			}
			if dbtest.Rows(t, clone) == "" {
				t.Error("the copy has no tables")
			}
		})
	}
}
