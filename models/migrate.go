package models

import (
	"context"
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migrations lists every schema change in order. A migration, once
// released, never changes: it works on its own frozen copies of the
// models (schema_v1.go), so a later change to models.go cannot alter what
// an old migration creates. New columns and tables come as new entries.
var migrations = []*gormigrate.Migration{
	{
		ID: "202611280001_initial",
		Migrate: func(tx *gorm.DB) error {
			return fresh(tx).Migrator().CreateTable(schemaV1()...)
		},
		Rollback: func(tx *gorm.DB) error {
			return fresh(tx).Migrator().DropTable(schemaV1()...)
		},
	},
	{ID: "202612010001_document_figures", Migrate: migrateV2, Rollback: rollbackV2},
	{ID: "202612010002_letters", Migrate: migrateV3, Rollback: rollbackV3},
	{ID: "202612010003_scoping", Migrate: migrateV4, Rollback: rollbackV4},
	{ID: "202612010004_limits", Migrate: migrateLimits, Rollback: rollbackLimits},
	{ID: "202612010005_audit_chain", Migrate: migrateAuditChain, Rollback: rollbackAuditChain},
	{ID: "202612020001_office", Migrate: migrateV5, Rollback: rollbackV5},
	{ID: "202612020003_admin", Migrate: migrateAdmin, Rollback: rollbackAdmin},
	{ID: "202612020004_officers", Migrate: migrateOfficers, Rollback: rollbackOfficers},
	{ID: "202612020005_enforcement", Migrate: migrateEnforcement, Rollback: rollbackEnforcement},
	{ID: "202612020006_lists", Migrate: migrateLists, Rollback: rollbackLists},
	{ID: "202612020007_blobs", Migrate: migrateBlobs, Rollback: rollbackBlobs},
	{ID: "202612020008_issuing", Migrate: migrateIssuing, Rollback: rollbackIssuing},
	{ID: "202612020010_search", Migrate: migrateSearch, Rollback: rollbackSearch},
	{ID: "202612020016_publications", Migrate: migratePublications, Rollback: rollbackPublications},
	{ID: "202612020018_portal", Migrate: migratePortal, Rollback: rollbackPortal},
	{ID: "202612020019_email", Migrate: migrateEmail, Rollback: rollbackEmail},
	{ID: "202612020022_supervision", Migrate: migrateSupervision, Rollback: rollbackSupervision},
	{ID: "202612020023_signing", Migrate: migrateSigning, Rollback: rollbackSigning},
	{ID: "202612020028_case_legal_review", Migrate: migrateCaseLegalReview, Rollback: rollbackCaseLegalReview},
	{ID: "202612020029_calendar_version", Migrate: migrateCalendarVersion, Rollback: rollbackCalendarVersion},
	{ID: "202612020030_case_legal_review_fix", Migrate: migrateCaseLegalReviewFix, Rollback: rollbackCaseLegalReviewFix},
}

// Migrate brings the schema up to date. It is safe to run on every start.
// Its statements take no query deadline: altering a large table may take
// long.
func (s *Store) Migrate(ctx context.Context) error {
	if err := s.migrator(ctx).Migrate(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// migrator runs the migrations; tests stop it at one (MigrateTo).
func (s *Store) migrator(ctx context.Context) *gormigrate.Gormigrate {
	return gormigrate.New(s.conn(withoutQueryDeadline(ctx)), &gormigrate.Options{
		TableName:                 "schema_migrations",
		IDColumnName:              "id",
		IDColumnSize:              190,
		UseTransaction:            s.dialect == DialectSQLite, // MySQL DDL commits implicitly
		ValidateUnknownMigrations: true,
	}, migrations)
}

// fresh returns tx without the statement state gormigrate leaves on it, with
// InnoDB and utf8mb4 for MySQL tables.
func fresh(tx *gorm.DB) *gorm.DB {
	db := tx.Session(&gorm.Session{NewDB: true})
	if db.Dialector.Name() == DialectMySQL {
		// Set returns a one-statement handle; Session makes it reusable.
		db = db.Set("gorm:table_options", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci").Session(&gorm.Session{})
	}
	return db
}
