package models

import (
	"context"
	"sync"
	"testing"
	"time"

	"penaltydoc/errs"
	"penaltydoc/models/dbtest"
	"penaltydoc/rules"
)

// TestEnforcementMigration: a penalty case the old rule closed at its
// decision while a fine was decided is executing and unpaid after the
// migration; a no-penalty case stays closed; the new columns and the
// payments table work, and the rollback takes them away.
func TestEnforcementMigration(t *testing.T) {
	t.Parallel() // its own fresh databases; DDL waits on the database, not the CPU
	for _, db := range dbtest.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			s := openAt(t, db.DSN, "202612020001_office")
			raw := s.conn(ctx)
			for _, q := range []string{
				"INSERT INTO authorities (name, short_name, domain, number_prefix, reconsideration_body, court) VALUES ('甲局', '甲', 'other', '甲市监处罚', '甲政府', '甲法院')",
				"INSERT INTO cases (id, authority_id, item_id, violation_code, party_id, party_name, party_key, status, violation_date, discovered_date, facts_json, evaluation_json, officer_id, created_at, updated_at) VALUES (1, 1, 1, 'X', 1, '甲', 'K1', 'closed', '2026-01-01', '2026-01-02', '{}', '{}', 1, '2026-01-02 00:00:00', '2026-01-02 00:00:00')",
				"INSERT INTO cases (id, authority_id, item_id, violation_code, party_id, party_name, party_key, status, violation_date, discovered_date, facts_json, evaluation_json, officer_id, created_at, updated_at) VALUES (2, 1, 1, 'X', 1, '乙', 'K2', 'closed', '2026-01-01', '2026-01-02', '{}', '{}', 1, '2026-01-02 00:00:00', '2026-01-02 00:00:00')",
				"INSERT INTO documents (case_id, authority_id, kind, status, template_version, fine, created_by_id, created_at, updated_at) VALUES (1, 1, 'penalty_decision', 'served', 1, 3000, 1, '2026-02-01 00:00:00', '2026-02-01 00:00:00')",
				"INSERT INTO documents (case_id, authority_id, kind, status, template_version, fine, created_by_id, created_at, updated_at) VALUES (2, 1, 'no_penalty_decision', 'issued', 1, 0, 1, '2026-02-01 00:00:00', '2026-02-01 00:00:00')",
			} {
				if err := raw.Exec(q).Error; err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var cs []Case
			if err := s.db.Order("id").Find(&cs).Error; err != nil {
				t.Fatal(err)
			}
			if cs[0].Status != CaseExecuting || cs[0].PaymentState != rules.PayUnpaid || cs[1].Status != CaseClosed || cs[1].PaymentState != "" {
				t.Fatalf("after the migration: %s/%s and %s/%q", cs[0].Status, cs[0].PaymentState, cs[1].Status, cs[1].PaymentState)
			}
			if err := s.db.Create(&Payment{CaseID: 1, AuthorityID: 1, Date: "2026-02-10", Amount: 1000, Receipt: "A1", RecordedByID: 1, CreatedAt: s.now()}).Error; err != nil {
				t.Fatal(err)
			}
			if err := s.migrator(ctx).RollbackTo(migrationBefore(t, "202612020005_enforcement")); err != nil {
				t.Fatal(err)
			}
			m := s.db.Migrator()
			if m.HasTable("payments") || m.HasColumn(&Case{}, "payment_state") || m.HasColumn(&Case{}, "instalments_json") {
				t.Fatal("rollback left the payments table or the new columns")
			}
			var status string
			if err := s.db.Raw("SELECT status FROM cases WHERE id = 1").Scan(&status).Error; err != nil || status != CaseClosed {
				t.Fatalf("status after rollback %q %v", status, err)
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatalf("migrating again: %v", err)
			}
		})
	}
}

// TestRecordPaymentConcurrent: two payments that together exceed the fine
// cannot both pass: the case row is locked while the owed sum is checked.
func TestRecordPaymentConcurrent(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates}); err != nil {
			t.Fatal(err)
		}
		ev := rules.Evaluation{Outcome: rules.OutcomePenalty, DocumentKind: rules.KindPenaltyDecision,
			Penalties: []rules.Penalty{{Type: rules.ImposeFine, Amount: 1000}}}
		f := rules.Facts{AuthorityID: 1, ViolationCode: "X-1", ViolationDate: "2026-01-02", DiscoveredDate: "2026-01-05",
			Party: rules.Party{Kind: rules.PartyPerson, Name: "当事人", IDNumber: "11010519491231002X"}}
		c := &Case{AuthorityID: 1, ItemID: 1}
		if err := s.CreateCase(ctx, officerActor, c, f, ev); err != nil {
			t.Fatal(err)
		}
		today := s.Today()
		if err := s.db.Model(&Case{}).Where("id = ?", c.ID).Updates(map[string]any{"status": CaseExecuting, "payment_state": rules.PayUnpaid}).Error; err != nil {
			t.Fatal(err)
		}
		if err := s.db.Create(&Document{CaseID: c.ID, AuthorityID: 1, Kind: rules.KindPenaltyDecision, Status: DocServed, TemplateVersion: 1,
			Fine: 1000, IssueDate: today, ServedDate: today, CreatedByID: 1}).Error; err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errc := make(chan error, 2)
		for range 2 {
			wg.Go(func() {
				_, err := s.RecordPayment(ctx, clerkActor, c.ID, PaymentInput{Date: today, Amount: 600, Receipt: "R"})
				errc <- err
			})
		}
		wg.Wait()
		close(errc)
		ok, refused := 0, 0
		for err := range errc {
			switch {
			case err == nil:
				ok++
			case errs.Is(err, errs.Invalid):
				refused++
			default:
				t.Errorf("payment: %v", err)
			}
		}
		var ps []Payment
		s.conn(ctx).Where("case_id = ?", c.ID).Find(&ps)
		if ok != 1 || refused != 1 || len(ps) != 1 {
			t.Fatalf("%d passed, %d refused, %d stored", ok, refused, len(ps))
		}
		got, err := s.CaseByID(ctx, Everything, c.ID)
		if err != nil || got.PaymentState != rules.PayPartial {
			t.Fatalf("state %q %v", got.PaymentState, err)
		}
		// Another office's staff: missing.
		other := clerkActor
		other.Scope = Scope{Authorities: []uint{2}}
		if _, err := s.RecordPayment(ctx, other, c.ID, PaymentInput{Date: today, Amount: 1, Receipt: "R"}); !errs.Is(err, errs.NotFound) {
			t.Fatalf("another office's payment: %v", err)
		}
	})
}

// migrationBefore is the id of the migration registered before id: rolling
// back to it undoes id and every later one.
func migrationBefore(t *testing.T, id string) string {
	t.Helper()
	for i, m := range migrations {
		if m.ID == id && i > 0 {
			return migrations[i-1].ID
		}
	}
	t.Fatalf("no migration before %s", id)
	return ""
}

// TestCorrectionMovesNoPeriod: a correction of a decision, issued and
// served later, fixes the record and moves no period: the payment due
// date, the late fee and the remedy period still run from the original
// decision's service, and a payment dated before the correction's service
// (after the original's) is accepted.
func TestCorrectionMovesNoPeriod(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		s.Now = func() time.Time { return time.Date(2026, 6, 30, 4, 0, 0, 0, time.UTC) }
		if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates}); err != nil {
			t.Fatal(err)
		}
		ev := rules.Evaluation{Outcome: rules.OutcomePenalty, DocumentKind: rules.KindPenaltyDecision,
			Penalties: []rules.Penalty{{Type: rules.ImposeFine, Amount: 1000}}}
		f := rules.Facts{AuthorityID: 1, ViolationCode: "X-1", ViolationDate: "2026-01-02", DiscoveredDate: "2026-01-05",
			Party: rules.Party{Kind: rules.PartyPerson, Name: "当事人", IDNumber: "11010519491231002X"}}
		c := &Case{AuthorityID: 1, ItemID: 1}
		if err := s.CreateCase(ctx, officerActor, c, f, ev); err != nil {
			t.Fatal(err)
		}
		if err := s.db.Model(&Case{}).Where("id = ?", c.ID).Updates(map[string]any{"status": CaseExecuting, "payment_state": rules.PayUnpaid}).Error; err != nil {
			t.Fatal(err)
		}
		orig := &Document{CaseID: c.ID, AuthorityID: 1, Kind: rules.KindPenaltyDecision, Status: DocServed, TemplateVersion: 1,
			Fine: 1000, IssueDate: "2026-05-04", ServedDate: "2026-05-06", CreatedByID: 1}
		if err := s.db.Create(orig).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordPayment(ctx, clerkActor, c.ID, PaymentInput{Date: "2026-05-10", Amount: 300, Receipt: "R1"}); err != nil {
			t.Fatal(err)
		}
		status := func() rules.ExecutionStatus {
			got, err := s.CaseByID(ctx, Everything, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.CaseExecution(ctx, got)
			if err != nil {
				t.Fatal(err)
			}
			return r.Status(s.Today())
		}
		before := status()
		if before.FinalDue == "" || before.LateFee == 0 {
			t.Fatalf("before the correction: %+v", before)
		}
		// The correction, issued and served in June, supersedes the original.
		corr := &Document{CaseID: c.ID, AuthorityID: 1, Kind: rules.KindPenaltyDecision, Status: DocServed, TemplateVersion: 1,
			Fine: 1000, IssueDate: "2026-06-20", ServedDate: "2026-06-22", CreatedByID: 1, CorrectsID: &orig.ID}
		if err := s.db.Create(corr).Error; err != nil {
			t.Fatal(err)
		}
		if err := s.db.Model(&Document{}).Where("id = ?", orig.ID).Updates(map[string]any{"status": DocSuperseded, "superseded_by_id": corr.ID}).Error; err != nil {
			t.Fatal(err)
		}
		after := status()
		if after.FinalDue != before.FinalDue || after.LateFee != before.LateFee || after.RemedyEnd != before.RemedyEnd || after.Outstanding != before.Outstanding {
			t.Errorf("the correction moved the periods: before %+v, after %+v", before, after)
		}
		if _, err := s.RecordPayment(ctx, clerkActor, c.ID, PaymentInput{Date: "2026-06-01", Amount: 100, Receipt: "R2"}); err != nil {
			t.Errorf("a payment dated after the original's service, before the correction's: %v", err)
		}
		if _, err := s.RecordPayment(ctx, clerkActor, c.ID, PaymentInput{Date: "2026-05-01", Amount: 1, Receipt: "R3"}); !errs.Is(err, errs.Invalid) {
			t.Errorf("a payment before the original's service: %v", err)
		}
	})
}
