package models

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"penaltydoc/rules/limits"
)

// columnLimits ties each column that stores an entered text to the field of
// the table of limits (rules/limits) that validation holds it to.
var columnLimits = []struct {
	column string
	field  limits.Field
}{
	{"parties.name", limits.PartyName},
	{"parties.key", limits.PartyIDNumber},
	{"parties.key", limits.PartyCreditCode},
	{"parties.address", limits.PartyAddress},
	{"parties.legal_representative", limits.PartyLegalRep},
	{"parties.phone", limits.PartyPhone},
	{"cases.party_name", limits.PartyName},
	{"cases.party_key", limits.PartyIDNumber},
	{"cases.party_key", limits.PartyCreditCode},
	{"cases.violation_code", limits.ViolationCode},
	{"cases.violation_code", limits.ItemCode},
	{"cases.vehicle_plate", limits.VehiclePlate},
	{"cases.statement", limits.Statement},
	{"cases.statement_reason", limits.StatementReason},
	{"cases.hearing_result", limits.HearingResult},
	{"cases.discussion_participants", limits.Participants},
	{"cases.discussion_conclusion", limits.Conclusion},
	{"payments.receipt", limits.PaymentReceipt},
	{"cases.other_executed_note", limits.ExecutionNote},
	{"cases.hearing_place", limits.HearingPlace},
	{"cases.hearing_participants", limits.HearingAttendees},
	{"cases.hearing_summary", limits.HearingSummary},
	{"documents.comment", limits.ReturnComment},
	{"documents.served_to", limits.ServiceRecipient},
	{"documents.service_place", limits.ServicePlace},
	{"documents.series", limits.NumberPrefix},
	{"number_sequences.series", limits.NumberPrefix},
	{"number_sequences.series", limits.NoPenaltyPrefix},
	{"number_sequences.series", limits.NoticePrefix},
	{"number_sequences.series", limits.OnTheSpotPrefix},
	{"number_sequences.series", limits.CasePrefix},
	{"authorities.case_prefix", limits.CasePrefix},
	{"authorities.name", limits.AuthorityName},
	{"authorities.short_name", limits.AuthorityShort},
	{"authorities.number_prefix", limits.NumberPrefix},
	{"authorities.no_penalty_prefix", limits.NoPenaltyPrefix},
	{"authorities.notice_prefix", limits.NoticePrefix},
	{"authorities.on_the_spot_prefix", limits.OnTheSpotPrefix},
	{"authorities.reconsideration_body", limits.Reconsideration},
	{"authorities.court", limits.Court},
	{"authorities.payment_instructions", limits.Payment},
	{"authorities.address", limits.AuthorityAddress},
	{"authorities.phone", limits.AuthorityPhone},
	{"users.username", limits.Username},
	{"users.display_name", limits.DisplayName},
	{"users.certificate_number", limits.CertificateNumber},
	{"users.area", limits.OfficerArea},
	{"cases.withdrawn_reason", limits.WithdrawReason},
	{"documents.withdrawn_reason", limits.WithdrawReason},
	{"documents.correction_reason", limits.CorrectionReason},
	{"audit_log.detail", limits.WithdrawReason},
	{"audit_log.detail", limits.CorrectionReason},
	{"template_versions.author", limits.Username},
	{"audit_log.username", limits.Username},
	{"audit_log.detail", limits.OverrideReason}, // "reason=…", the longest entered text an entry quotes
	{"audit_log.detail", limits.ReturnComment},
	{"audit_log.detail", limits.ImportFileName},
	{"catalog_items.code", limits.ItemCode},
	{"catalog_items.name", limits.ItemName},
	{"catalog_items.violated_provision", limits.ViolatedProvision},
	{"catalog_items.penalty_provision", limits.PenaltyProvision},
	{"catalog_items.conditions", limits.Conditions},
	{"catalog_items.fine_basis", limits.FineBasis},
	{"authorities.credit_code", limits.AuthorityCreditCode},
	{"publications.withdraw_reason", limits.PublicationReason},
	{"publications.end_reason", limits.PublicationReason},
}

// inJSON are the fields stored only inside the JSON columns (the case's
// facts and evaluation, a document's render data and basis).
var inJSON = []limits.Field{
	limits.PartyGuardian, limits.Facts, limits.Evidence, limits.Aggravating, limits.PriorCode,
	limits.PropertyName, limits.PropertyQuantity, limits.Licence, limits.OverrideReason,
	limits.MaskName, // publications.mask_names_json
}

var jsonColumns = []string{"cases.facts_json", "cases.evaluation_json", "document_files.data_json", "documents.basis_json", "publications.masked_data_json"}

var moneyColumns = []string{
	"authorities.hearing_fine_person", "authorities.hearing_fine_org",
	"catalog_items.fine_min", "catalog_items.fine_max", "catalog_items.hearing_fine_person", "catalog_items.hearing_fine_org",
	"documents.fine", "authorities.lower_fine",
}

// columns reads the real schema: table.column → its type.
func columns(t *testing.T, db *gorm.DB) map[string]gorm.ColumnType {
	t.Helper()
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]gorm.ColumnType{}
	for _, tb := range tables {
		cts, err := db.Migrator().ColumnTypes(tb)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cts {
			out[tb+"."+c.Name()] = c
		}
	}
	return out
}

// capacity is how many characters a text column holds (MySQL's varchar
// counts characters, its TEXT types bytes: 4 per utf8mb4 character), or
// -1 for no limit (SQLite's TEXT affinity).
func capacity(c gorm.ColumnType) int64 {
	n, ok := c.Length()
	typ := strings.ToLower(c.DatabaseTypeName())
	switch {
	case !ok || n <= 0:
		return -1
	case strings.Contains(typ, "char"):
		return n
	default: // tinytext, text, mediumtext, longtext: bytes
		return n / 4
	}
}

// TestSchemaHoldsLimits: on every database, each column is at least as
// large as the limit validation holds its values to, every field of the
// table is stored somewhere the test knows, and the largest amount fits the
// money columns.
func TestSchemaHoldsLimits(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		cols := columns(t, s.conn(context.Background()))
		known := map[string]bool{}
		for _, cl := range columnLimits {
			known[cl.field.Path+"/"+cl.field.Label] = true
			c, ok := cols[cl.column]
			if !ok {
				t.Errorf("no column %s", cl.column)
				continue
			}
			if n := capacity(c); n >= 0 && n < int64(cl.field.Max) {
				t.Errorf("%s (%s, %d characters) cannot hold %s: up to %d characters", cl.column, c.DatabaseTypeName(), n, cl.field.Path, cl.field.Max)
			}
			if typ := strings.ToLower(c.DatabaseTypeName()); !strings.Contains(typ, "char") && !strings.Contains(typ, "text") {
				t.Errorf("%s is %s, not text", cl.column, typ)
			}
		}
		for _, f := range inJSON {
			known[f.Path+"/"+f.Label] = true
		}
		for _, f := range limits.Fields {
			if !known[f.Path+"/"+f.Label] {
				t.Errorf("field %s (%s) of the table: no column known to hold it", f.Path, f.Label)
			}
		}
		// The JSON columns hold a whole body of the largest texts.
		for _, name := range jsonColumns {
			if n := capacity(cols[name]); n >= 0 && n < 16<<20 {
				t.Errorf("%s (%s) holds %d characters: JSON with entered text needs LONGTEXT", name, cols[name].DatabaseTypeName(), n)
			}
		}
		// A number is the prefix, 〔YYYY〕, up to 19 digits and 号.
		if n := capacity(cols["documents.number"]); n >= 0 && n < int64(limits.NumberPrefix.Max+6+19+1) {
			t.Errorf("documents.number holds %d characters", n)
		}
		for _, name := range moneyColumns {
			c := cols[name]
			if p, sc, ok := c.DecimalSize(); ok && (p-sc < limits.MoneyDigits-limits.MoneyScale || sc < limits.MoneyScale) {
				t.Errorf("%s is decimal(%d,%d), the table's money is decimal(%d,%d)", name, p, sc, limits.MoneyDigits, limits.MoneyScale)
			}
			if typ := strings.ToLower(c.DatabaseTypeName()); typ != "decimal" && typ != "numeric" {
				t.Errorf("%s is %s, not decimal", name, typ)
			}
		}
		// The largest amount goes in and comes out as it was.
		it := CatalogItem{Code: "MAX-1", Name: "最大金额", Domain: "other", ViolatedProvision: "《某条例》第一条", PenaltyProvision: "《某条例》第九条",
			PenaltyTypes: "fine", FineMax: limits.MaxMoney, HearingFinePerson: limits.MaxMoney, HearingFineOrg: limits.MaxMoney}
		if err := s.CreateItem(context.Background(), &it); err != nil {
			t.Fatalf("store the largest amount: %v", err)
		}
		got, err := s.ItemByCode(context.Background(), "MAX-1")
		if err != nil || got.FineMax != limits.MaxMoney || got.HearingFineOrg != limits.MaxMoney {
			t.Fatalf("largest amount read back as %+v %v", got, err)
		}
	})
}

// TestLimitsMigrationRollback: 202612010004_limits widens basis_json on
// MySQL and its rollback narrows it again; on SQLite it changes nothing.
func TestLimitsMigrationRollback(t *testing.T) {
	t.Parallel() // its own fresh databases; DDL waits on the database, not the CPU
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		db := s.conn(context.Background())
		typ := func() string { return strings.ToLower(columns(t, db)["documents.basis_json"].DatabaseTypeName()) }
		want := map[string][2]string{DialectMySQL: {"longtext", "text"}, DialectSQLite: {"text", "text"}}[s.dialect]
		if got := typ(); got != want[0] {
			t.Fatalf("migrated basis_json is %s, want %s", got, want[0])
		}
		if err := rollbackLimits(db); err != nil {
			t.Fatal(err)
		}
		if got := typ(); got != want[1] {
			t.Fatalf("rolled back basis_json is %s, want %s", got, want[1])
		}
		if err := migrateLimits(db); err != nil {
			t.Fatal(err)
		}
		if got := typ(); got != want[0] {
			t.Fatalf("migrated again: basis_json is %s", got)
		}
	})
}
