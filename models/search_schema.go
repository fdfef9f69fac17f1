package models

import (
	"strings"

	"gorm.io/gorm"
)

// Migration 202612020010_search (issue 12 item 4): the name index
// case_grams (a gram of a party's name, the case's authority, the case),
// filled for the cases already there, and the composite indexes the lists
// start from: cases and documents by (authority, status), in id order
// (SQLite's rowid and InnoDB's primary key end every index, so the id
// order comes with them).

const (
	gramsSQLite = "CREATE TABLE case_grams (gram TEXT NOT NULL, authority_id INTEGER NOT NULL, case_id INTEGER NOT NULL, " +
		"PRIMARY KEY (gram, authority_id, case_id)) WITHOUT ROWID"
	// utf8mb4_bin: grams are folded before they are stored, and compared
	// as they are.
	gramsMySQL = "CREATE TABLE case_grams (gram VARCHAR(2) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, " +
		"authority_id BIGINT UNSIGNED NOT NULL, case_id BIGINT UNSIGNED NOT NULL, PRIMARY KEY (gram, authority_id, case_id)) " +
		"ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
)

// searchIndexes are the lists' composite indexes.
var searchIndexes = [][2]string{
	{"idx_cases_authority_status", "cases (authority_id, status)"},
	{"idx_documents_authority_status", "documents (authority_id, status)"},
	{"idx_documents_status", "documents (status)"},
}

func migrateSearch(tx *gorm.DB) error {
	db := fresh(tx)
	if !db.Migrator().HasTable("case_grams") {
		ddl := gramsSQLite
		if db.Dialector.Name() == DialectMySQL {
			ddl = gramsMySQL
		}
		if err := db.Exec(ddl).Error; err != nil {
			return err
		}
	}
	for _, ix := range searchIndexes {
		table, _, _ := strings.Cut(ix[1], " ")
		if db.Migrator().HasIndex(table, ix[0]) {
			continue
		}
		if err := db.Exec("CREATE INDEX " + ix[0] + " ON " + ix[1]).Error; err != nil {
			return err
		}
	}
	return buildNameIndex(db)
}

// buildNameIndex fills the name index from the cases, by key in chunks.
func buildNameIndex(db *gorm.DB) error {
	if err := db.Exec("DELETE FROM case_grams").Error; err != nil {
		return err
	}
	var after uint
	for {
		var cs []struct {
			ID          uint
			AuthorityID uint
			PartyName   string
		}
		if err := db.Table("cases").Select("id, authority_id, party_name").Where("id > ?", after).Order("id").Limit(5000).Find(&cs).Error; err != nil {
			return err
		}
		if len(cs) == 0 {
			return nil
		}
		rows := make([]gramRow, len(cs))
		for i, c := range cs {
			rows[i] = gramRow{c.ID, c.AuthorityID, c.PartyName}
		}
		if err := insertGrams(db, rows); err != nil {
			return err
		}
		after = cs[len(cs)-1].ID
	}
}

func rollbackSearch(tx *gorm.DB) error {
	db := fresh(tx)
	for _, ix := range searchIndexes {
		table, _, _ := strings.Cut(ix[1], " ")
		if db.Migrator().HasIndex(table, ix[0]) {
			if err := db.Migrator().DropIndex(table, ix[0]); err != nil {
				return err
			}
		}
	}
	return db.Migrator().DropTable("case_grams")
}
