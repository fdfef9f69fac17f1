package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// The people of these tests: the drafter, the head who approves (a
// reviewer too) and the clerk who issues are three (the separation of
// duties).
var (
	officerActor  = Actor{UserID: 1, Username: "tester", IP: "127.0.0.1", Roles: []string{RoleOfficer}, Scope: Everything}
	reviewerActor = Actor{UserID: 2, Username: "head", IP: "127.0.0.1", Roles: []string{RoleReviewer, RoleApprover}, Scope: Everything}
	clerkActor    = Actor{UserID: 3, Username: "clerk", IP: "127.0.0.1", Roles: []string{RoleClerk}, Scope: Everything}
)

// draftDocs seeds s and returns n draft documents of kind, each on its
// own draft penalty case.
func draftDocs(t testing.TB, s *Store, kind string, n int) []uint {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: testTemplates, Seal: testSeal}); err != nil {
		t.Fatal(err)
	}
	f := rules.Facts{AuthorityID: 1, ViolationCode: "X-1", ViolationDate: "2026-01-02", DiscoveredDate: "2026-01-05",
		Party: rules.Party{Kind: rules.PartyPerson, Name: "张某", IDNumber: "11010519491231002X"}}
	ev := rules.Evaluation{Outcome: rules.OutcomePenalty, DocumentKind: rules.KindPenaltyDecision}
	ids := make([]uint, n)
	officers := certifiedOfficers(t, s, 1)
	for i := range ids {
		// One case per document: issuing locks the case row, and the
		// sequence lock alone must keep the numbers straight.
		c := &Case{AuthorityID: 1, ItemID: 1, OfficerIDs: officers}
		if err := s.CreateCase(ctx, officerActor, c, f, ev); err != nil {
			t.Fatal(err)
		}
		d := &Document{CaseID: c.ID, AuthorityID: 1, Kind: kind}
		if err := s.CreateDocument(ctx, officerActor, d); err != nil {
			t.Fatal(err)
		}
		ids[i] = d.ID
	}
	return ids
}

// certifiedOfficers creates (once) two certified officers of authority
// auth and returns their ids as a case names them (APL Art. 42).
func certifiedOfficers(t testing.TB, s *Store, auth uint) string {
	t.Helper()
	ctx := context.Background()
	var ids []uint
	for i := 1; i <= 2; i++ {
		name := fmt.Sprintf("officer-%d-%d", auth, i)
		var u User
		if err := s.conn(ctx).Where("username = ?", name).Limit(1).Find(&u).Error; err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 {
			nu, err := s.CreateUser(ctx, NewUser{Username: name, Password: "password-1", Roles: []string{RoleOfficer}, AuthorityID: &auth,
				CertificateNumber: fmt.Sprintf("3301%04d%02d", auth, i)})
			if err != nil {
				t.Fatal(err)
			}
			u = *nu
		}
		ids = append(ids, u.ID)
	}
	return JoinIDs(ids)
}

// approvedDocs is draftDocs with each document submitted and approved.
func approvedDocs(t testing.TB, s *Store, kind string, n int) []uint {
	t.Helper()
	ctx := context.Background()
	ids := draftDocs(t, s, kind, n)
	for _, id := range ids {
		if _, err := s.SubmitDocument(ctx, officerActor, id); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApproveDocument(ctx, reviewerActor, id); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// fakeRender stands in for the renderer: the PDF names the number.
func fakeRender(_ context.Context, dc *DocumentContext) (*Rendered, error) {
	time.Sleep(time.Millisecond) // widen the window a race would need
	return &Rendered{PDF: []byte("%PDF-1.4 " + deref(dc.Document.Number)), Data: []byte(`{"Fine":1000}`), Fine: 1000}, nil
}

func issue(s *Store, id uint, render func(context.Context, *DocumentContext) (*Rendered, error)) (*Document, error) {
	return s.IssueDocument(context.Background(), clerkActor, IssueParams{ID: id, AccessCodeHash: "h", VerifyToken: NewToken(24), Render: render})
}

// TestIssueConcurrentNumbers: 50 goroutines issue 50 documents of one
// series; the numbers are exactly 1-50.
func TestIssueConcurrentNumbers(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ids := approvedDocs(t, s, rules.KindAdvanceNotice, 50)
		var wg sync.WaitGroup
		errc := make(chan error, len(ids))
		for _, id := range ids {
			wg.Go(func() {
				if _, err := issue(s, id, fakeRender); err != nil {
					errc <- fmt.Errorf("issue %d: %w", id, err)
				}
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Error(err)
		}
		year := mustYear(s.Today())
		seen := map[int64]bool{}
		docs, err := s.DocumentsPDF(t.Context(), Everything, ids)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if d.Status != DocIssued || seen[d.Serial] || deref(d.Number) != FormatNumber("杭市监罚告", year, d.Serial) ||
				string(d.PDF) != "%PDF-1.4 "+deref(d.Number) || len(d.SHA256) != 64 {
				t.Errorf("document %d: status %s serial %d number %s", d.ID, d.Status, d.Serial, deref(d.Number))
			}
			seen[d.Serial] = true
		}
		for n := int64(1); n <= 50; n++ {
			if !seen[n] {
				t.Errorf("number %d missing", n)
			}
		}
		var seq NumberSequence
		if err := s.conn(t.Context()).Where("series = ?", "杭市监罚告").First(&seq).Error; err != nil || seq.Last != 50 {
			t.Errorf("sequence %+v %v", seq, err)
		}
	})
}

// TestIssueFailuresLeaveNoTrace: a failed render leaves the document
// approved without a number to every reader, its number reserved, and the
// next issue of it completes it with that number; issuing the same
// document from many goroutines succeeds once.
func TestIssueFailuresLeaveNoTrace(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ids := approvedDocs(t, s, rules.KindAdvanceNotice, 2)
		boom := errors.New("render failed")
		if _, err := issue(s, ids[0], func(context.Context, *DocumentContext) (*Rendered, error) { return nil, boom }); !errors.Is(err, boom) {
			t.Fatalf("failed render: %v", err)
		}
		d, _ := s.DocumentPDF(t.Context(), Everything, ids[0])
		if d.Status != DocApproved || d.Number != nil || d.Serial != 0 || len(d.PDF) != 0 {
			t.Fatalf("failed issue left %s %v serial %d, %d bytes", d.Status, d.Number, d.Serial, len(d.PDF))
		}
		if _, err := s.DocumentByNumber(t.Context(), FormatNumber("杭市监罚告", mustYear(s.Today()), 1)); !errs.Is(err, errs.NotFound) {
			t.Fatalf("the reserved number is found: %v", err)
		}
		if _, err := s.ReturnDocument(t.Context(), reviewerActor, ids[0], "改"); !errs.Is(err, errs.Conflict) {
			t.Fatalf("return of a document with its number taken: %v", err)
		}
		pending, err := s.PendingIssues(t.Context(), 0)
		if err != nil || len(pending) != 1 || pending[0].DocumentID != ids[0] || pending[0].Serial != 1 {
			t.Fatalf("pending issues %+v %v", pending, err)
		}
		if d, err := issue(s, ids[0], fakeRender); err != nil || d.Serial != 1 {
			t.Fatalf("resumed issue: %v", err)
		}
		if pending, err := s.PendingIssues(t.Context(), 0); err != nil || len(pending) != 0 {
			t.Fatalf("pending issues after the resume %+v %v", pending, err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, conflicts := 0, 0
		for range 10 {
			wg.Go(func() {
				_, err := issue(s, ids[1], fakeRender)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errs.Is(err, errs.Conflict):
					conflicts++
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if ok != 1 || conflicts != 9 {
			t.Fatalf("10 concurrent issues of one document: %d ok, %d conflicts", ok, conflicts)
		}
		d, _ = s.DocumentByID(t.Context(), Everything, ids[1])
		if d.Serial != 2 {
			t.Errorf("after the resumed issue the next number is %d, want 2", d.Serial)
		}
	})
}

// TestIssuedDocumentFrozen: the model layer refuses every change to an
// issued document except the allowed transitions.
func TestIssuedDocumentFrozen(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ids := approvedDocs(t, s, rules.KindAdvanceNotice, 2)
		orig, err := issue(s, ids[0], fakeRender)
		if err != nil {
			t.Fatal(err)
		}
		db := s.conn(t.Context())
		load := func() Document {
			d, err := s.DocumentPDF(t.Context(), Everything, ids[0])
			if err != nil {
				t.Fatal(err)
			}
			return *d
		}
		attempts := []struct {
			name string
			fn   func() error
		}{
			{"save", func() error { d := load(); d.PDF = []byte("forged"); return db.Save(&d).Error }},
			{"updates struct", func() error { d := load(); return db.Model(&d).Updates(Document{SHA256: "forged"}).Error }},
			{"update column", func() error { d := load(); return db.Model(&d).Update("number", "forged").Error }},
			{"status back", func() error { d := load(); return db.Model(&d).Update("status", DocDraft).Error }},
			{"delete", func() error { d := load(); return db.Delete(&d).Error }},
			{"file save", func() error {
				return db.Save(&DocumentFile{DocumentID: ids[0], PDF: []byte("forged")}).Error
			}},
			{"file update", func() error {
				return db.Model(&DocumentFile{DocumentID: ids[0]}).Update("pdf", []byte("forged")).Error
			}},
			{"file batch update", func() error {
				return db.Model(&DocumentFile{}).Where("1 = 1").Update("data_json", "{}").Error
			}},
			{"file delete", func() error { return db.Delete(&DocumentFile{DocumentID: ids[0]}).Error }},
			{"file batch delete", func() error { return db.Where("1 = 1").Delete(&DocumentFile{}).Error }},
			{"transition with data", func() error {
				return setDocument(db, ids[0], []string{DocIssued}, map[string]any{"status": DocServed, "pdf": []byte("forged")})
			}},
		}
		for _, a := range attempts {
			if err := a.fn(); !errors.Is(err, ErrFrozen) {
				t.Errorf("%s: %v, want ErrFrozen", a.name, err)
			}
		}
		// A batch update cannot reach it either.
		if err := db.Model(&Document{}).Where("1 = 1").Update("comment", "batch").Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Where("1 = 1").Delete(&Document{}).Error; err != nil {
			t.Fatal(err)
		}
		d := load()
		if string(d.PDF) != "%PDF-1.4 "+deref(orig.Number) || d.SHA256 != orig.SHA256 || d.Comment != "" || d.Status != DocIssued ||
			d.DataJSON != `{"Fine":1000}` {
			t.Fatalf("issued document changed: %+v", d)
		}
		var other Document
		if err := db.Unscoped().First(&other, ids[1]).Error; err == nil {
			t.Errorf("the batch delete should have removed the unissued document")
		}
		// The allowed transition still works.
		if _, err := s.ServeDocument(t.Context(), clerkActor, ids[0], Service{Method: "直接送达", Date: s.Today(), Recipient: "张某"}); err != nil {
			t.Fatal(err)
		}
		if d := load(); d.Status != DocServed || d.SHA256 != orig.SHA256 {
			t.Fatalf("after service: %s", d.Status)
		}
	})
}

// testKeys are access code keys under a random secret.
func testKeys(t testing.TB, previous ...[]byte) *AccessKeys {
	t.Helper()
	k, err := NewAccessKeys(NewSecret(), previous...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestAccessCode(t *testing.T) {
	keys := testKeys(t)
	code, hash, err := keys.NewAccessCode()
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != 9 || code[4] != '-' || strings.ContainsAny(code, "01IO") {
		t.Fatalf("code %q", code)
	}
	if !strings.HasPrefix(hash, "h1$") || len(hash) != 92 || strings.Contains(hash, code[:4]) {
		t.Fatalf("hash %q", hash)
	}
	if _, again, _ := keys.NewAccessCode(); again == hash {
		t.Fatal("two codes with one hash")
	}
	// A hash written before the keyed hashes (bcrypt, at cost 8 then).
	legacyCode := "K7PQ-3MXA"
	legacy, err := bcrypt.GenerateFromPassword([]byte("K7PQ3MXA"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, stored, in string
		want             bool
	}{
		{"as issued", hash, code, true},
		{"no dash", hash, strings.ReplaceAll(code, "-", ""), true},
		{"lower case", hash, strings.ToLower(code), true},
		{"spaces", hash, " " + code[:4] + " " + code[5:] + " ", true},
		{"short", hash, code[:8], false},
		{"long", hash, code + "A", false},
		{"empty code", hash, "", false},
		{"other code", hash, "ABCD-EFGH", code == "ABCD-EFGH"},
		{"no document", "", code, false},
		{"no document, empty code", "", "", false},
		{"bcrypt hash", string(legacy), legacyCode, true},
		{"bcrypt hash, lower case", string(legacy), "k7pq3mxa", true},
		{"bcrypt hash, other code", string(legacy), "K7PQ-3MXB", false},
		{"malformed", "h1$zz$" + hash[28:], code, false},
		{"truncated", hash[:len(hash)-2], code, false},
		{"unknown version", "h2" + hash[2:], code, false},
		{"test placeholder", "h", code, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := keys.Check(tc.stored, tc.in); got != tc.want {
				t.Errorf("Check(%q, %q) = %v, want %v", tc.stored, tc.in, got, tc.want)
			}
		})
	}
}

// TestAccessKeyRotation: after the secret changes, codes issued under the
// previous one verify while it is kept as previous, and not after; new
// codes use the new secret.
func TestAccessKeyRotation(t *testing.T) {
	old := NewSecret()
	before, err := NewAccessKeys(old)
	if err != nil {
		t.Fatal(err)
	}
	code, hash, err := before.NewAccessCode()
	if err != nil {
		t.Fatal(err)
	}
	next := NewSecret()
	rotated, err := NewAccessKeys(next, old)
	if err != nil {
		t.Fatal(err)
	}
	newCode, newHash, err := rotated.NewAccessCode()
	if err != nil {
		t.Fatal(err)
	}
	alone, err := NewAccessKeys(next)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		keys       *AccessKeys
		stored, in string
		want       bool
	}{
		{"old code, old secret", before, hash, code, true},
		{"old code, new secret with the old as previous", rotated, hash, code, true},
		{"old code, new secret alone", alone, hash, code, false},
		{"new code, rotated", rotated, newHash, newCode, true},
		{"new code, new secret alone", alone, newHash, newCode, true},
		{"new code, old secret", before, newHash, newCode, false},
	} {
		if got := tc.keys.Check(tc.stored, tc.in); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestAccessHashFormat pins the stored format: a hash written today must
// verify under every later version. The vector was computed outside Go
// (Python's hmac): key = HMAC-SHA256(secret, "penaltydoc access code v1"),
// hash = HMAC-SHA256(key, salt ‖ code), with the secret the bytes 0…31 (a
// test vector, no deployment's secret).
func TestAccessHashFormat(t *testing.T) {
	secret := make([]byte, 32)
	for i := range secret {
		secret[i] = byte(i)
	}
	keys, err := NewAccessKeys(secret)
	if err != nil {
		t.Fatal(err)
	}
	const stored = "h1$6465666768696a6b6c6d6e6f$44c093afe153ac2047671203ba5f12a3f5e2a0db1e08b9d47d6461df5cf64d1a"
	if !keys.Check(stored, "K7PQ-3MXA") || keys.Check(stored, "K7PQ-3MXB") {
		t.Fatal("the pinned vector does not verify as it should")
	}
	for _, n := range []int{0, 16, 31} {
		if _, err := NewAccessKeys(make([]byte, n)); err == nil {
			t.Errorf("a %d-byte secret was taken", n)
		}
	}
	if _, err := NewAccessKeys(secret, secret[:31]); err == nil {
		t.Error("a short previous secret was taken")
	}
}

// BenchmarkAccessCheck is one check of a wrong code (what each guess costs
// whoever holds the secret, and what a download adds), against bcrypt at
// the cost 8 codes had before:
//
//	go test ./models -run '^$' -bench BenchmarkAccessCheck -count 5
func BenchmarkAccessCheck(b *testing.B) {
	keys := testKeys(b)
	_, hash, err := keys.NewAccessCode()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("hmac", func(b *testing.B) {
		for b.Loop() {
			keys.Check(hash, "AAAA-AAAA")
		}
	})
	b.Run("bcrypt-8", func(b *testing.B) {
		legacy, err := bcrypt.GenerateFromPassword([]byte("K7PQ3MXA"), 8)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			keys.Check(string(legacy), "AAAA-AAAA")
		}
	})
}

// TestIssueChecksTheCaseNow: issuing checks, inside its transaction, that
// the document still fits its case: a draft whose case's evaluation changed
// under it (stale), or a kind the current evaluation no longer allows, is
// refused and takes no number.
func TestIssueChecksTheCaseNow(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		tpl := map[string]string{rules.KindNoPenaltyDecision: "@title 不予行政处罚决定书"}
		if _, err := s.Seed(ctx, SeedOptions{AdminPassword: "admin-password-1", Templates: tpl, Seal: testSeal}); err != nil {
			t.Fatal(err)
		}
		f := rules.Facts{AuthorityID: 1, ViolationCode: "JG-001", ViolationDate: "2026-01-02", DiscoveredDate: "2026-01-05",
			Party: rules.Party{Kind: rules.PartyPerson, Name: "张某", IDNumber: "11010519491231002X"}}
		noPenalty := rules.Evaluation{Outcome: rules.OutcomeNoPenalty, Ground: rules.GroundFirstOffense, DocumentKind: rules.KindNoPenaltyDecision}
		c := &Case{AuthorityID: 1, ItemID: 1, OfficerIDs: certifiedOfficers(t, s, 1)}
		if err := s.CreateCase(ctx, officerActor, c, f, noPenalty); err != nil {
			t.Fatal(err)
		}
		d := &Document{CaseID: c.ID, AuthorityID: 1, Kind: rules.KindNoPenaltyDecision}
		if err := s.CreateDocument(ctx, officerActor, d); err != nil {
			t.Fatal(err)
		}
		if d.Basis.Hash == "" || d.Basis.Hash != c.BasisHash || d.Basis.Outcome != rules.OutcomeNoPenalty {
			t.Fatalf("basis %+v, case hash %s", d.Basis, c.BasisHash)
		}
		if _, err := s.SubmitDocument(ctx, officerActor, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApproveDocument(ctx, reviewerActor, d.ID); err != nil {
			t.Fatal(err)
		}
		// The case's evaluation changes under the approved document (as a
		// concurrent writer could): a penalty now.
		penalty := rules.Evaluation{Outcome: rules.OutcomePenalty, Ground: rules.GroundNone, DocumentKind: rules.KindPenaltyDecision}
		var changed Case
		changed.SetFacts(f, penalty)
		if err := s.db.Model(&Case{}).Where("id = ?", c.ID).Updates(map[string]any{"evaluation_json": mustJSON(t, penalty),
			"outcome": penalty.Outcome, "basis_hash": changed.BasisHash}).Error; err != nil {
			t.Fatal(err)
		}
		_, err := issue(s, d.ID, fakeRender)
		if errs.Code(err) != errs.Conflict || !strings.Contains(err.Error(), "已失效") {
			t.Fatalf("stale document issued: %v", err)
		}
		// Without the stale mark (a draft older than the basis), the kind
		// check still refuses it.
		if err := s.db.Model(&Document{}).Where("id = ?", d.ID).Update("basis_json", "{}").Error; err != nil {
			t.Fatal(err)
		}
		_, err = issue(s, d.ID, fakeRender)
		if errs.Code(err) != errs.Conflict || !strings.Contains(err.Error(), "不适用不予行政处罚决定书") {
			t.Fatalf("a kind the evaluation no longer allows was issued: %v", err)
		}
		var seq []NumberSequence
		if err := s.db.Where("series NOT LIKE ?", "%立字").Find(&seq).Error; err != nil { // case numbers apart
			t.Fatal(err)
		}
		for _, q := range seq {
			if q.Last != 0 {
				t.Errorf("a refused issue took number %d of %s", q.Last, q.Series)
			}
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestIssueCorrectionKeepsTheDisposition: a correction whose stored
// revision (as a concurrent writer could leave it) changes the penalties
// of the document it corrects is refused at issue, in the transaction, and
// the original stays in force (APL Art. 62).
func TestIssueCorrectionKeepsTheDisposition(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		id := approvedDocs(t, s, rules.KindAdvanceNotice, 1)[0]
		if _, err := issue(s, id, fakeRender); err != nil {
			t.Fatal(err)
		}
		corr, err := s.CorrectDocument(ctx, officerActor, id, "金额录入有误")
		if err != nil {
			t.Fatal(err)
		}
		ev := *corr.RevisionEvaluation
		ev.Penalties = append(slices.Clone(ev.Penalties), rules.Penalty{Type: rules.ImposeFine, Amount: 5000})
		if err := s.db.Model(&Document{}).Where("id = ?", corr.ID).Update("revision_evaluation_json", mustJSON(t, ev)).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitDocument(ctx, officerActor, corr.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApproveDocument(ctx, reviewerActor, corr.ID); err != nil {
			t.Fatal(err)
		}
		_, err = issue(s, corr.ID, fakeRender)
		if errs.Code(err) != errs.Conflict || !strings.Contains(err.Error(), "更正不能改变处罚内容") {
			t.Fatalf("a correction changing the penalties was issued: %v", err)
		}
		if d, _ := s.DocumentByID(ctx, Everything, id); d.Status != DocIssued || d.SupersededByID != nil {
			t.Errorf("the original after the refused correction: %s %v", d.Status, d.SupersededByID)
		}
	})
}
