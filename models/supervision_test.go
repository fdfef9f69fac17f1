package models

import (
	"context"
	"slices"
	"testing"
	"time"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// supervisionFixture stores, through the database, the cases the
// supervision and statistics reads are tested on: in authority 1 an open
// case filed on 2026-03-02 China time (01:30, still 1 March in UTC), a
// closed one, an executing one with its decision served and a payment; an
// open case of authority 2.
type supervisionFixture struct {
	open, closed, executing, other uint
	decision                       uint
}

func newSupervisionFixture(t *testing.T, s *Store) supervisionFixture {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates}); err != nil {
		t.Fatal(err)
	}
	mk := func(auth uint, status, code string, created time.Time, officers string) uint {
		ev := rules.Evaluation{Outcome: rules.OutcomePenalty, DocumentKind: rules.KindPenaltyDecision, Fine: rules.Fine{Min: 1000, Max: 5000},
			Penalties: []rules.Penalty{{Type: rules.ImposeFine, Amount: 3000}}, LegalReviewRequired: true, Ground: rules.GroundNone}
		c := &Case{AuthorityID: auth, ItemID: 1, ViolationCode: code, PartyID: 1, PartyName: "当事人", PartyKey: "K", Status: status,
			ViolationDate: "2026-02-20", DiscoveredDate: "2026-02-25", Outcome: ev.Outcome, Ground: ev.Ground, Evaluation: ev,
			OfficerID: 7, OfficerIDs: officers, CreatedAt: created, UpdatedAt: created}
		if err := s.db.Create(c).Error; err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	var f supervisionFixture
	f.open = mk(1, CaseOpen, "A-1", time.Date(2026, 3, 1, 17, 30, 0, 0, time.UTC), "7,8")
	f.closed = mk(1, CaseClosed, "A-1", time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC), "7")
	f.executing = mk(1, CaseExecuting, "A-2", time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC), "9")
	f.other = mk(2, CaseOpen, "A-1", time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC), "7")
	n := "甲市监罚〔2026〕1号"
	d := &Document{CaseID: f.executing, AuthorityID: 1, Kind: rules.KindPenaltyDecision, Status: DocServed, TemplateVersion: 1,
		Number: &n, IssueDate: "2026-03-10", ServedDate: "2026-03-12", Fine: 3000, LegalReviewDate: "2026-03-09", CreatedByID: 7}
	if err := s.db.Create(d).Error; err != nil {
		t.Fatal(err)
	}
	f.decision = d.ID
	if err := s.db.Create(&Document{CaseID: f.closed, AuthorityID: 1, Kind: rules.KindNoPenaltyDecision, Status: DocIssued, TemplateVersion: 1,
		IssueDate: "2026-04-02", CreatedByID: 7}).Error; err != nil {
		t.Fatal(err)
	}
	for _, p := range []Payment{{CaseID: f.executing, AuthorityID: 1, Date: "2026-03-15", Amount: 1000}, {CaseID: f.executing, AuthorityID: 1, Date: "2026-04-15", Amount: 500}} {
		p.RecordedByID, p.CreatedAt = 7, time.Now()
		if err := s.db.Create(&p).Error; err != nil {
			t.Fatal(err)
		}
	}
	at := func(day string, action, entity string, id uint) {
		tm, _ := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", China)
		s.Now = func() time.Time { return tm.UTC() }
		if err := s.Audit(ctx, officerActor, action, entity, id, ""); err != nil {
			t.Fatal(err)
		}
	}
	at("2026-03-20", "edit", "case", f.open)
	at("2026-03-10", "issue", "document", d.ID)
	at("2026-04-01", "print", "document", d.ID) // a read: no step
	s.Now = func() time.Time { return time.Date(2026, 4, 20, 2, 0, 0, 0, time.UTC) }
	return f
}

func supervised(t *testing.T, s *Store, q SupervisionQuery) map[uint]*SupervisionRecord {
	t.Helper()
	out := map[uint]*SupervisionRecord{}
	if err := s.Supervision(context.Background(), q, func(r *SupervisionRecord) error {
		out[r.Case.ID] = r
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSupervisionRead(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		f := newSupervisionFixture(t, s)
		one := Scope{Authorities: []uint{1}}
		got := supervised(t, s, SupervisionQuery{Scope: one})
		if len(got) != 2 || got[f.open] == nil || got[f.executing] == nil {
			t.Fatalf("in progress of authority 1: %v", keys(got))
		}
		o := got[f.open]
		if o.Filed != "2026-03-02" || o.LastStep != "2026-03-20" || o.AuthorityName == "" {
			t.Errorf("open case filed %s last step %s authority %q", o.Filed, o.LastStep, o.AuthorityName)
		}
		x := got[f.executing]
		if x.LastStep != "2026-03-10" {
			t.Errorf("executing case's last step %s: the print is no step", x.LastStep)
		}
		if x.Execution.Decision == nil || x.Execution.Decision.ID != f.decision || len(x.Execution.Payments) != 2 {
			t.Fatalf("execution record %+v", x.Execution)
		}
		if st := x.Execution.Status("2026-04-20"); st.Outstanding != 1500 || st.State != rules.PayPartial {
			t.Errorf("execution status %+v", st)
		}
		if len(x.Documents) != 1 {
			t.Errorf("documents %d", len(x.Documents))
		}
		if got := supervised(t, s, SupervisionQuery{Scope: one, Closed: true}); len(got) != 3 {
			t.Errorf("with closed: %v", keys(got))
		}
		if got := supervised(t, s, SupervisionQuery{Scope: one, FiledFrom: "2026-03-02", FiledTo: "2026-03-02"}); len(got) != 1 || got[f.open] == nil {
			t.Errorf("filed on 2 March (China): %v", keys(got))
		}
		if got := supervised(t, s, SupervisionQuery{Scope: one, FiledTo: "2026-03-01"}); len(got) != 0 {
			t.Errorf("filed by 1 March: %v", keys(got))
		}
		if got := supervised(t, s, SupervisionQuery{Scope: one, Officer: 8}); len(got) != 1 || got[f.open] == nil {
			t.Errorf("officer 8: %v", keys(got))
		}
		if got := supervised(t, s, SupervisionQuery{}); len(got) != 0 {
			t.Errorf("the zero scope sees %v", keys(got))
		}
		if got := supervised(t, s, SupervisionQuery{Scope: Everything}); len(got) != 3 || got[f.other] == nil {
			t.Errorf("everything: %v", keys(got))
		}
		if err := s.Supervision(context.Background(), SupervisionQuery{Scope: one, FiledFrom: "2026-3-1"}, func(*SupervisionRecord) error { return nil }); !errs.Is(err, errs.Invalid) {
			t.Errorf("bad date: %v", err)
		}
	})
}

func keys(m map[uint]*SupervisionRecord) []uint {
	var out []uint
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestStatisticsRead(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		f := newSupervisionFixture(t, s)
		ctx := context.Background()
		q := StatisticsQuery{Scope: Scope{Authorities: []uint{1}}, From: "2026-03-01", To: "2026-03-31"}
		filed, err := s.FiledCounts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if filed[CaseOpen] != 1 || filed[CaseClosed] != 1 || filed[CaseExecuting] != 1 || len(filed) != 3 {
			t.Errorf("filed %v", filed)
		}
		var decs []*StatDecision
		if err := s.StatDecisions(ctx, q, func(d *StatDecision) error { decs = append(decs, d); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(decs) != 1 || decs[0].CaseID != f.executing || decs[0].Fine != 3000 || decs[0].LegalReviewDate != "2026-03-09" ||
			decs[0].Evaluation.Outcome != rules.OutcomePenalty || decs[0].ViolationCode != "A-2" {
			t.Fatalf("decisions %+v", decs)
		}
		col, err := s.CollectedByItem(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(col) != 1 || col[0].ViolationCode != "A-2" || col[0].Amount != 1000 || col[0].Payments != 1 {
			t.Errorf("collected %+v", col)
		}
		q.To = "2026-04-30" // the no-penalty decision of 2 April and the second payment
		decs = nil
		if err := s.StatDecisions(ctx, q, func(d *StatDecision) error { decs = append(decs, d); return nil }); err != nil || len(decs) != 2 {
			t.Errorf("to April: %d decisions %v", len(decs), err)
		}
		if col, _ := s.CollectedByItem(ctx, q); len(col) != 1 || col[0].Amount != 1500 {
			t.Errorf("collected to April %+v", col)
		}
		other := StatisticsQuery{Scope: Scope{Authorities: []uint{2}}, From: "2026-03-01", To: "2026-04-30"}
		decs = nil
		if err := s.StatDecisions(ctx, other, func(d *StatDecision) error { decs = append(decs, d); return nil }); err != nil || len(decs) != 0 {
			t.Errorf("authority 2 sees %d decisions %v", len(decs), err)
		}
		if filed, _ := s.FiledCounts(ctx, other); filed[CaseOpen] != 1 || len(filed) != 1 {
			t.Errorf("authority 2 filed %v", filed)
		}
	})
}

func TestRecordExtension(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		f := newSupervisionFixture(t, s)
		ctx := context.Background()
		u, err := s.CreateUser(ctx, NewUser{Username: "head1", Password: "password-head", DisplayName: "王局长", Roles: []string{RoleApprover}, AuthorityID: ptr(uint(1))})
		if err != nil {
			t.Fatal(err)
		}
		head := Actor{UserID: u.ID, Username: "head1", Roles: []string{RoleApprover}, Scope: Scope{Authorities: []uint{1}}}
		reason := "案情复杂，需要补充检验检测报告"
		s.Now = func() time.Time { return time.Date(2026, 5, 20, 2, 0, 0, 0, time.UTC) }
		if _, err := s.RecordExtension(ctx, officerActor, f.open, ExtensionInput{Deadline: "2026-07-01", Reason: reason}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("officer: %v", err)
		}
		if _, err := s.RecordExtension(ctx, head, f.other, ExtensionInput{Deadline: "2026-07-01", Reason: reason}); !errs.Is(err, errs.NotFound) {
			t.Errorf("another office's case: %v", err)
		}
		if _, err := s.RecordExtension(ctx, head, f.executing, ExtensionInput{Deadline: "2026-07-01", Reason: reason}); !errs.Is(err, errs.Conflict) {
			t.Errorf("decided case: %v", err)
		}
		c, err := s.RecordExtension(ctx, head, f.open, ExtensionInput{Deadline: "2026-07-01", Reason: reason})
		if err != nil {
			t.Fatal(err)
		}
		if c.ExtensionDeadline != "2026-07-01" || c.ExtensionBy != "王局长" || c.ExtensionApproved != "2026-05-20" {
			t.Errorf("extension %+v", c)
		}
		got, _ := s.CaseByID(ctx, Everything, f.open)
		if got.ExtensionDeadline != "2026-07-01" || got.ExtensionReason != reason || got.ExtensionByID == nil || *got.ExtensionByID != u.ID {
			t.Errorf("stored %+v", got)
		}
		// The new last day is the extension's: an earlier one is refused.
		if _, err := s.RecordExtension(ctx, head, f.open, ExtensionInput{Deadline: "2026-06-20", Reason: reason}); !errs.Is(err, errs.Invalid) {
			t.Errorf("earlier than the extension: %v", err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestSupervisionMigration: the extension columns come and go with their
// migration, and the case number index stays.
func TestSupervisionMigration(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		m := s.db.Migrator()
		for _, col := range supervisionColumns {
			if !m.HasColumn(&supervisionCase{}, col) {
				t.Fatalf("no column %s", col)
			}
		}
		if err := s.migrator(ctx).RollbackTo(migrationBefore(t, "202612020022_supervision")); err != nil {
			t.Fatal(err)
		}
		for _, col := range supervisionColumns {
			if m.HasColumn(&supervisionCase{}, col) {
				t.Fatalf("rollback left column %s", col)
			}
		}
		if !m.HasIndex(&Case{}, "idx_cases_number") {
			t.Error("rollback lost the case number index")
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("migrating again: %v", err)
		}
	})
}
