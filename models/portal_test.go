package models

import (
	"context"
	"strings"
	"testing"
	"time"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// noticeRender renders an advance notice of 5 working days that offers a
// hearing (what the portal reads from the frozen data).
func noticeRender(_ context.Context, dc *DocumentContext) (*Rendered, error) {
	return &Rendered{PDF: []byte("%PDF-1.4 " + deref(dc.Document.Number)), Data: []byte(`{"Notice":{"Hearing":true}}`), AnswerDays: 5}, nil
}

// servedNotices issues n advance notices (each on its own case) and
// serves the first today; the others stay issued.
func servedNotices(t *testing.T, s *Store, n int) []*Document {
	t.Helper()
	var out []*Document
	for _, id := range approvedDocs(t, s, rules.KindAdvanceNotice, n) {
		d, err := issue(s, id, noticeRender)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	d, err := s.ServeDocument(t.Context(), clerkActor, out[0].ID, Service{Method: "直接送达", Date: s.Today(), Recipient: "张某"})
	if err != nil {
		t.Fatal(err)
	}
	out[0] = d
	return out
}

// TestPortalSubmissions: within the answer period the party's statement
// (with its files), hearing request and consent are stored, hashed and
// audited; a second hearing request and a waiver after it are refused;
// past the period a statement is refused naming the last day; the files
// reach only the case's office.
func TestPortalSubmissions(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := t.Context()
		n := servedNotices(t, s, 1)[0]
		st, err := s.PortalState(ctx, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		cal, _ := s.Calendar(ctx)
		due, _ := cal.AddWorkdays(n.ServedDate, 5)
		if !st.Open || st.Due != due || st.Days != 5 {
			t.Fatalf("state %+v, want open until %s", st, due)
		}
		files := []PortalFile{{Name: "照片.png", ContentType: "image/png", Size: 4, SHA256: "a1", Data: []byte("\x89PNG")},
			{Name: "合同.pdf", ContentType: "application/pdf", Size: 5, SHA256: "b2", Data: []byte("%PDF-")}}
		sub, err := s.Submit(ctx, n.ID, PortalInput{Kind: SubmitStatement, Text: "系初次违法", SHA256: strings.Repeat("c", 64), Files: files, IP: "10.0.0.9"})
		if err != nil {
			t.Fatal(err)
		}
		if len(sub.Files) != 2 || sub.Files[0].ID == 0 || sub.Files[0].Data != nil {
			t.Fatalf("stored files %+v", sub.Files)
		}
		f, err := s.PortalFileData(ctx, Scope{Authorities: []uint{1}}, sub.Files[1].ID)
		if err != nil || string(f.Data) != "%PDF-" || f.CaseID != n.CaseID {
			t.Fatalf("file %+v %v", f, err)
		}
		if _, err := s.PortalFileData(ctx, Scope{Authorities: []uint{99}}, sub.Files[1].ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("another office read the file: %v", err)
		}
		if _, _, err := s.CaseSubmissions(ctx, Scope{}, n.CaseID); !errs.Is(err, errs.NotFound) {
			t.Errorf("the zero scope saw the submissions: %v", err)
		}

		if _, err := s.Submit(ctx, n.ID, PortalInput{Kind: SubmitHearing, SHA256: "h1", Hearing: true}); err != nil {
			t.Fatal(err)
		}
		c, _ := s.CaseByID(ctx, Everything, n.CaseID)
		if c.HearingRequested != s.Today() {
			t.Errorf("hearing requested %q", c.HearingRequested)
		}
		for _, k := range []string{SubmitHearing, SubmitWaiver} {
			if _, err := s.Submit(ctx, n.ID, PortalInput{Kind: k, SHA256: "h2", Hearing: true}); !errs.Is(err, errs.Conflict) {
				t.Errorf("%s after a hearing request: %v", k, err)
			}
		}
		if _, err := s.Submit(ctx, n.ID, PortalInput{Kind: SubmitConsent, Email: "a@example.test", SHA256: "e1"}); err != nil {
			t.Fatal(err)
		}
		_, consent, err := s.CaseSubmissions(ctx, Everything, n.CaseID)
		if err != nil || consent == nil || consent.Email != "a@example.test" || consent.Source != ConsentPortal {
			t.Fatalf("consent %+v %v", consent, err)
		}
		var actions []string
		if err := s.conn(ctx).Model(&AuditEntry{}).Where("entity = ? AND entity_id = ? AND action IN ?", "case", n.CaseID, []string{"portal_statement", "portal_hearing", "portal_waiver", "portal_consent"}).
			Order("id").Pluck("action", &actions).Error; err != nil {
			t.Fatal(err)
		}
		if strings.Join(actions, " ") != "portal_statement portal_hearing portal_consent" {
			t.Errorf("audited %v", actions)
		}

		// Past the answer period.
		real := s.Now
		s.Now = func() time.Time { return real().Add(30 * 24 * time.Hour) }
		defer func() { s.Now = real }()
		_, err = s.Submit(ctx, n.ID, PortalInput{Kind: SubmitStatement, Text: "补充", SHA256: "late"})
		if !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), rules.ChineseDate(due)) {
			t.Errorf("late statement: %v (want the last day %s)", err, rules.ChineseDate(due))
		}
		var n2 int64
		s.conn(ctx).Model(&PortalSubmission{}).Where("case_id = ?", n.CaseID).Count(&n2)
		if n2 != 3 {
			t.Errorf("%d submissions stored, want 3", n2)
		}
	})
}

// TestServeByEmail: with a consent, the electronic service serves the
// document on the acceptance date, stores the receipt (served, proof in
// its data) and the proof; a consent replaced meanwhile refuses it and
// leaves the document issued.
func TestServeByEmail(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := t.Context()
		docs := servedNotices(t, s, 3)
		d, stale := docs[1], docs[2]
		if _, _, err := s.EmailConsent(ctx, Everything, d.ID); !errs.Is(err, errs.Conflict) {
			t.Fatalf("no consent: %v", err)
		}
		if _, err := s.RecordConsent(ctx, officerActor, d.CaseID, "p@example.test", s.Today()); err != nil {
			t.Fatal(err)
		}
		_, cs, err := s.EmailConsent(ctx, Everything, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		at := s.now()
		proof := EmailProof{Consent: cs, MessageID: "m1@penaltydoc", Reply: "250 2.0.0 OK: queued", AcceptedAt: at,
			Service: Service{Method: "电子送达", Date: s.Today(), Recipient: cs.Email, Place: "电子邮箱 " + cs.Email},
			Receipt: &Rendered{PDF: []byte("%PDF-1.4 receipt"), Data: []byte(`{}`), TemplateVersion: 1}}
		served, es, err := s.ServeByEmail(ctx, clerkActor, d.ID, proof)
		if err != nil {
			t.Fatal(err)
		}
		if served.Status != DocServed || served.ServedDate != s.Today() || served.ServiceMethod != "电子送达" || served.ServedTo != "p@example.test" {
			t.Errorf("served %+v", served)
		}
		rc, err := s.DocumentPDF(ctx, Everything, es.ReceiptID)
		if err != nil || rc.Kind != rules.KindServiceReceipt || rc.Status != DocServed || *rc.ServesID != d.ID || string(rc.PDF) != "%PDF-1.4 receipt" {
			t.Fatalf("receipt %+v %v", rc, err)
		}
		list, err := s.CaseEmailServices(ctx, Scope{Authorities: []uint{1}}, d.CaseID)
		if err != nil || len(list) != 1 || list[0].MessageID != "m1@penaltydoc" || list[0].ServerReply != proof.Reply {
			t.Fatalf("proofs %+v %v", list, err)
		}
		if other, _ := s.CaseEmailServices(ctx, Scope{Authorities: []uint{99}}, d.CaseID); len(other) != 0 {
			t.Errorf("another office sees the proof")
		}

		// A consent replaced after the check: refused, nothing served.
		if _, err := s.RecordConsent(ctx, officerActor, stale.CaseID, "old@example.test", s.Today()); err != nil {
			t.Fatal(err)
		}
		_, old, _ := s.EmailConsent(ctx, Everything, stale.ID)
		if _, err := s.RecordConsent(ctx, officerActor, stale.CaseID, "new@example.test", s.Today()); err != nil {
			t.Fatal(err)
		}
		proof.Consent = old
		if _, _, err := s.ServeByEmail(ctx, clerkActor, stale.ID, proof); !errs.Is(err, errs.Conflict) {
			t.Errorf("stale consent: %v", err)
		}
		after, _ := s.DocumentByID(ctx, Everything, stale.ID)
		if after.Status != DocIssued {
			t.Errorf("document %s after a refused e-mail service", after.Status)
		}
	})
}

// TestPortalMigration: the portal and e-mail tables come and go with
// their migrations.
func TestPortalMigration(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := t.Context()
		m := s.db.Migrator()
		for _, tb := range []string{"portal_sessions", "portal_submissions", "portal_files", "service_consents", "email_services"} {
			if !m.HasTable(tb) {
				t.Errorf("no table %s", tb)
			}
		}
		if err := s.migrator(ctx).RollbackTo(migrationBefore(t, "202612020018_portal")); err != nil {
			t.Fatal(err)
		}
		for _, tb := range []string{"portal_sessions", "portal_submissions", "portal_files", "service_consents", "email_services"} {
			if m.HasTable(tb) {
				t.Errorf("rollback left %s", tb)
			}
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestPortalSessions: a session resolves until it expires, then is
// refused and purged; a closed one is gone.
func TestPortalSessions(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := t.Context()
		n := servedNotices(t, s, 1)[0]
		token, csrf, err := s.OpenPortal(ctx, n, "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		ps, err := s.PortalSession(ctx, token)
		if err != nil || ps.NoticeID != n.ID || ps.CSRFToken != csrf || ps.CaseID != n.CaseID {
			t.Fatalf("session %+v %v", ps, err)
		}
		if _, err := s.PortalSession(ctx, token+"x"); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("a wrong token: %v", err)
		}
		other, _, _ := s.OpenPortal(ctx, n, "10.0.0.2")
		if err := s.ClosePortal(ctx, other); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PortalSession(ctx, other); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("a closed session: %v", err)
		}
		real := s.Now
		s.Now = func() time.Time { return real().Add(PortalSessionTTL + time.Minute) }
		defer func() { s.Now = real }()
		if _, err := s.PortalSession(ctx, token); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("an expired session: %v", err)
		}
		if purged, err := s.PurgePortal(ctx); err != nil || purged != 1 {
			t.Errorf("purged %d %v", purged, err)
		}
	})
}
