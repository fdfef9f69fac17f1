package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"penaltydoc/models/dbtest"
	"penaltydoc/rules"
)

// auditDetails are what the fixture's entries say: text the hash must
// survive on both databases (NUL, astral characters, separators, trailing
// blanks, invalid UTF-8, a long text).
var auditDetails = []string{"web", "a\x00b", "😀 𠮷 \u2028\u202e 罚款", "trailing  ", "bad \xff\xfe utf-8", strings.Repeat("长", 5000)}

// writtenID stands for the id of the row a tampering step wrote (the
// database's next id: the chain's entries take theirs from the head, so
// after the chain was restarted the two differ).
const writtenID = ^uint(0)

func written([]AuditEntry) uint { return writtenID }

// auditChain appends one entry per auditDetails through Store.Audit, at
// times with nanoseconds, and returns the entries as stored, in order.
func auditChain(t *testing.T, s *Store) []AuditEntry {
	t.Helper()
	ctx := t.Context()
	base := time.Date(2026, 12, 1, 8, 30, 0, 123456789, time.UTC)
	for i, d := range auditDetails {
		s.Now = func() time.Time { return base.Add(time.Duration(i) * 1234567891) }
		if err := s.Audit(ctx, Actor{UserID: uint(i + 1), Username: "张三", IP: "10.0.0.1"}, "approve", "document", uint(100+i), d); err != nil {
			t.Fatal(err)
		}
	}
	s.Now = func() time.Time { return time.Now().UTC() }
	return storedAudit(t, s)
}

func storedAudit(t *testing.T, s *Store) []AuditEntry {
	t.Helper()
	var es []AuditEntry
	if err := s.conn(t.Context()).Order("seq").Find(&es).Error; err != nil {
		t.Fatal(err)
	}
	return es
}

// sqlExec returns a tamper step that runs statements (with their
// arguments) in turn.
func sqlExec(stmts ...string) func(*testing.T, *Store, []AuditEntry) {
	return func(t *testing.T, s *Store, _ []AuditEntry) {
		for _, q := range stmts {
			if err := s.conn(t.Context()).Exec(q).Error; err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
}

// swap exchanges column col of the entries at seq a and b through a
// free value.
func swap(col string, a, b int) func(*testing.T, *Store, []AuditEntry) {
	return func(t *testing.T, s *Store, es []AuditEntry) {
		val := func(i int) int64 {
			if col == "id" {
				return int64(es[i-1].ID)
			}
			return int64(i)
		}
		free := int64(1_000_000)
		sqlExec(
			fmt.Sprintf("UPDATE audit_log SET %s = %d WHERE %s = %d", col, free, col, val(a)),
			fmt.Sprintf("UPDATE audit_log SET %s = %d WHERE %s = %d", col, val(a), col, val(b)),
			fmt.Sprintf("UPDATE audit_log SET %s = %d WHERE %s = %d", col, val(b), col, free),
		)(t, s, es)
	}
}

// rewrite changes the detail of the entry at seq from and hashes it and
// every entry after it again; head moves the head along.
func rewrite(from int, head bool) func(*testing.T, *Store, []AuditEntry) {
	return func(t *testing.T, s *Store, es []AuditEntry) {
		db := s.conn(t.Context())
		prev := es[from-2]
		for i := from - 1; i < len(es); i++ {
			e := es[i]
			if i == from-1 {
				e.Detail = "改过的内容"
			}
			e.PrevHash = prev.Hash
			e.Hash = auditHash(&e)
			if err := db.Exec("UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?", e.Detail, e.PrevHash, e.Hash, e.ID).Error; err != nil {
				t.Fatal(err)
			}
			prev = e
			if !head {
				return
			}
		}
		if err := db.Exec("UPDATE audit_chain SET hash = ?", prev.Hash).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// TestVerifyAudit: a clean chain holds; each kind of tampering through
// raw SQL is found and the first bad entry named.
func TestVerifyAudit(t *testing.T) {
	at := func(seq int) func([]AuditEntry) uint { return func(es []AuditEntry) uint { return es[seq-1].ID } }
	none := func([]AuditEntry) uint { return 0 }
	cases := []struct {
		name   string
		tamper func(*testing.T, *Store, []AuditEntry)
		kind   string
		seq    int64
		id     func([]AuditEntry) uint
	}{
		{"clean", nil, "", 0, nil},
		{"field altered", sqlExec("UPDATE audit_log SET detail = 'changed' WHERE seq = 3"), AuditAltered, 3, at(3)},
		{"actor altered", sqlExec("UPDATE audit_log SET user_id = 9 WHERE seq = 3"), AuditAltered, 3, at(3)},
		{"time altered", func(t *testing.T, s *Store, es []AuditEntry) {
			if err := s.conn(t.Context()).Exec("UPDATE audit_log SET at = ? WHERE seq = 3", es[2].At.Add(time.Second)).Error; err != nil {
				t.Fatal(err)
			}
		}, AuditAltered, 3, at(3)},
		{"hash replaced", sqlExec("UPDATE audit_log SET hash = '" + strings.Repeat("a", 64) + "' WHERE seq = 3"), AuditAltered, 3, at(3)},
		{"altered and hashed again", rewrite(3, false), AuditAltered, 3, at(3)},
		{"middle deleted", sqlExec("DELETE FROM audit_log WHERE seq = 3"), AuditMissing, 3, at(3)},
		{"two in the middle deleted", sqlExec("DELETE FROM audit_log WHERE seq IN (3, 4)"), AuditMissing, 3, none},
		{"first deleted", sqlExec("DELETE FROM audit_log WHERE seq = 1"), AuditMissing, 1, at(1)},
		{"newest deleted", sqlExec("DELETE FROM audit_log WHERE seq = 6"), AuditMissing, 6, at(6)},
		{"two newest deleted", sqlExec("DELETE FROM audit_log WHERE seq >= 5"), AuditMissing, 5, none},
		{"places swapped", swap("seq", 3, 4), AuditReordered, 3, at(4)},
		{"distant places swapped", swap("seq", 2, 5), AuditReordered, 2, at(5)},
		{"ids swapped", swap("id", 3, 4), AuditReordered, 3, at(4)},
		{"forged entry", sqlExec("INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, detail) VALUES ('2026-12-01 09:00:00', 1, 'x', 'approve', 'document', 1, '')"),
			AuditInserted, 0, written},
		{"entry past the head", func(t *testing.T, s *Store, es []AuditEntry) {
			last := es[len(es)-1]
			e := AuditEntry{At: last.At, Username: "x", Action: "approve", Entity: "document", Seq: last.Seq + 1, PrevID: last.ID, PrevHash: last.Hash}
			db := s.conn(t.Context())
			if err := db.Create(&e).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Model(&e).Update("hash", auditHash(&e)).Error; err != nil {
				t.Fatal(err)
			}
		}, AuditInserted, 7, written},
		{"head altered", sqlExec("UPDATE audit_chain SET hash = '" + strings.Repeat("b", 64) + "'"), AuditHeadMismatch, 6, at(6)},
		{"head moved back", sqlExec("UPDATE audit_chain SET seq = 5"), AuditInserted, 6, at(6)},
		{"head deleted", sqlExec("DELETE FROM audit_chain"), AuditHeadMissing, 0, none},
		// Someone who can write the database and hashes the whole chain
		// again, head included, is not found without an anchor.
		{"chain hashed again", rewrite(3, true), "", 0, nil},
	}
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				// A new chain on the same database for each case.
				sqlExec("DELETE FROM audit_log", "DELETE FROM audit_chain", "INSERT INTO audit_chain (id, seq, entry_id, hash) VALUES (1, 0, 0, '')")(t, s, nil)
				es := auditChain(t, s)
				if len(es) != len(auditDetails) {
					t.Fatalf("%d entries stored", len(es))
				}
				if tc.tamper != nil {
					tc.tamper(t, s, es)
				}
				res, err := s.VerifyAudit(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				if tc.kind == "" {
					if res.Problem != nil {
						t.Fatalf("problem in a clean chain: %+v", res.Problem)
					}
					if res.Entries != 6 || res.Head.Seq != 6 {
						t.Fatalf("clean chain: %d entries, head %+v", res.Entries, res.Head)
					}
					return
				}
				p := res.Problem
				if p == nil {
					t.Fatalf("tampering not found (%d entries, head %+v)", res.Entries, res.Head)
				}
				id := tc.id(es)
				if id == writtenID { // the row the tampering wrote: the newest id
					if err := s.conn(t.Context()).Model(&AuditEntry{}).Select("MAX(id)").Scan(&id).Error; err != nil {
						t.Fatal(err)
					}
				}
				if p.Kind != tc.kind || p.Seq != tc.seq || p.ID != id || p.Detail == "" {
					t.Fatalf("problem %+v, want %s at seq %d id %d", p, tc.kind, tc.seq, id)
				}
			})
		}
		// Without its head the chain takes no entry (no new chain starts).
		sqlExec("DELETE FROM audit_chain")(t, s, nil)
		before := len(storedAudit(t, s))
		if err := s.Audit(t.Context(), officerActor, "login", "user", 1, ""); err == nil || len(storedAudit(t, s)) != before {
			t.Fatalf("append without a head: %v", err)
		}
	})
}

// TestAuditStoredAsHashed: the fixture's entries read back as written (the
// time at milliseconds, invalid UTF-8 replaced), so the hash holds.
func TestAuditStoredAsHashed(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		es := auditChain(t, s)
		for i, e := range es {
			want := strings.ToValidUTF8(auditDetails[i], "\uFFFD")
			if e.Detail != want || e.At.Nanosecond()%int(time.Millisecond) != 0 || e.Seq != int64(i+1) || auditHash(&e) != e.Hash {
				t.Errorf("entry %d: detail %.40q at %v seq %d", i, e.Detail, e.At, e.Seq)
			}
			if i > 0 && (e.PrevID != es[i-1].ID || e.PrevHash != es[i-1].Hash) {
				t.Errorf("entry %d links to %d %s", i, e.PrevID, e.PrevHash)
			}
		}
	})
}

// TestAuditAnchor: a head recorded elsewhere finds a chain hashed again
// after a change at or before it, and one cut short and hashed again.
func TestAuditAnchor(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := t.Context()
		es := auditChain(t, s)
		anchor := AuditAnchor{Seq: 4, Hash: es[3].Hash}
		if res, err := s.VerifyAudit(ctx, anchor); err != nil || res.Problem != nil {
			t.Fatalf("anchor of a clean chain: %+v %v", res, err)
		}
		rewrite(3, true)(t, s, es)
		res, err := s.VerifyAudit(ctx, anchor)
		if err != nil || res.Problem == nil || res.Problem.Kind != AuditAnchorMismatch || res.Problem.Seq != 4 {
			t.Fatalf("chain hashed again, against the anchor: %+v %v", res, err)
		}
		// Cut to two entries, head moved back: the anchor is past the end.
		sqlExec("DELETE FROM audit_log WHERE seq > 2")(t, s, es)
		if err := s.conn(ctx).Exec("UPDATE audit_chain SET seq = 2, entry_id = ?, hash = ?", es[1].ID, es[1].Hash).Error; err != nil {
			t.Fatal(err)
		}
		if res, err := s.VerifyAudit(ctx); err != nil || res.Problem != nil {
			t.Fatalf("a cut chain with its head moved back is not found without an anchor: %+v %v", res, err)
		}
		res, err = s.VerifyAudit(ctx, anchor)
		if err != nil || res.Problem == nil || res.Problem.Kind != AuditAnchorMismatch || res.Problem.Seq != 4 {
			t.Fatalf("cut chain against the anchor: %+v %v", res, err)
		}
	})
}

func TestParseAuditAnchor(t *testing.T) {
	h := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		in   string
		want AuditAnchor
		ok   bool
	}{
		{"12:" + h, AuditAnchor{12, h}, true},
		{" 12:" + strings.ToUpper(h) + " ", AuditAnchor{12, h}, true},
		{"0:" + h, AuditAnchor{}, false},
		{"12:" + h[:63], AuditAnchor{}, false},
		{"12:" + h[:63] + "g", AuditAnchor{}, false},
		{"x:" + h, AuditAnchor{}, false},
		{h, AuditAnchor{}, false},
	} {
		got, err := ParseAuditAnchor(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseAuditAnchor(%q) = %+v, %v", tc.in, got, err)
		}
	}
}

// TestAuditConcurrentAppends: entries written at once by many goroutines,
// through workflow steps (several entries in one transaction), case
// creation and Store.Audit, form one valid chain with no gap, the
// entries of one transaction stand together in their order, and checks
// running meanwhile find nothing wrong.
func TestAuditConcurrentAppends(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := t.Context()
		approved := approvedDocs(t, s, rules.KindAdvanceNotice, 8)
		// A step that fails leaves the chain as it was.
		before, err := s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		failed := func(context.Context, *DocumentContext) (*Rendered, error) { return nil, errors.New("render failed") }
		if _, err := issue(s, approved[0], failed); err == nil {
			t.Fatal("issue with a failing render passed")
		}
		if after, err := s.VerifyAudit(ctx); err != nil || after.Head != before.Head || after.Problem != nil {
			t.Fatalf("after a failed issue: %+v, before %+v (%v)", after, before, err)
		}
		drafts := draftDocs(t, s, rules.KindAdvanceNotice, 8)
		f := rules.Facts{AuthorityID: 1, ViolationCode: "X-1", ViolationDate: "2026-01-02", DiscoveredDate: "2026-01-05",
			Party: rules.Party{Kind: rules.PartyPerson, Name: "李某", IDNumber: "11010519491231002X"}}
		ev := rules.Evaluation{Outcome: rules.OutcomePenalty, DocumentKind: rules.KindPenaltyDecision}
		var wg sync.WaitGroup
		errc := make(chan error, 100)
		report := func(what string, err error) {
			if err != nil {
				errc <- fmt.Errorf("%s: %w", what, err)
			}
		}
		for i := range 8 {
			wg.Go(func() { _, err := issue(s, approved[i], fakeRender); report("issue", err) })
			wg.Go(func() { _, err := s.SubmitDocument(ctx, officerActor, drafts[i]); report("submit", err) })
			wg.Go(func() {
				report("create case", s.CreateCase(ctx, officerActor, &Case{AuthorityID: 1, ItemID: 1}, f, ev))
			})
			wg.Go(func() {
				for j := range 4 {
					report("audit", s.Audit(ctx, clerkActor, "print", "document", uint(i), fmt.Sprint(j)))
				}
			})
		}
		// Checks beside the appends find nothing wrong either.
		done := make(chan struct{})
		checked := make(chan error, 1)
		go func() {
			for {
				res, err := s.VerifyAudit(ctx)
				if err == nil && res.Problem != nil {
					err = fmt.Errorf("problem at %d entries: %+v", res.Entries, res.Problem)
				}
				select {
				case <-done:
					checked <- err
					return
				default:
				}
				if err != nil {
					checked <- err
					return
				}
			}
		}()
		wg.Wait()
		close(done)
		if err := <-checked; err != nil {
			t.Errorf("check during the appends: %v", err)
		}
		close(errc)
		for err := range errc {
			t.Error(err)
		}
		res, err := s.VerifyAudit(ctx)
		if err != nil || res.Problem != nil {
			t.Fatalf("chain after concurrent appends: %+v %v", res, err)
		}
		es := storedAudit(t, s)
		if res.Entries != int64(len(es)) || res.Head.Seq != int64(len(es)) {
			t.Fatalf("%d entries checked, head %d, %d stored", res.Entries, res.Head.Seq, len(es))
		}
		for i, e := range es {
			if e.Seq != int64(i+1) {
				t.Fatalf("entry %d has seq %d", i, e.Seq)
			}
			// Submitting opens the case and submits the document in one
			// transaction: the two entries follow each other.
			if e.Action == "submit" && (i == 0 || es[i-1].Action != "open_case") {
				t.Errorf("submit of document %d at seq %d does not follow its open_case", e.EntityID, e.Seq)
			}
		}
	})
}

// TestAuditChainMigration: the migration chains the entries already there
// in id order (ids with gaps, times with nanoseconds), later entries link
// on, and it rolls back and runs again.
func TestAuditChainMigration(t *testing.T) {
	t.Parallel() // its own fresh databases; DDL waits on the database, not the CPU
	for _, db := range dbtest.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			s := openAt(t, db.DSN, "202612010002_letters")
			conn := s.conn(ctx)
			for i, id := range []uint{2, 3, 7, 12} {
				at := time.Date(2026, 11, 30, 9, 0, i, 987654321, time.UTC)
				if err := conn.Exec("INSERT INTO audit_log (id, at, user_id, username, action, entity, entity_id, from_status, to_status, ip, detail, doc_sha256) VALUES (?, ?, 1, 'admin', 'approve', 'document', ?, 'reviewing', 'approved', '127.0.0.1', ?, '')",
					id, at, 40+id, fmt.Sprintf("旧记录 %d", id)).Error; err != nil {
					t.Fatal(err)
				}
			}
			check := func(want int) []AuditEntry {
				t.Helper()
				res, err := s.VerifyAudit(ctx)
				if err != nil || res.Problem != nil || res.Entries != int64(want) {
					t.Fatalf("after migration: %+v %v", res, err)
				}
				es := storedAudit(t, s)
				last := es[len(es)-1]
				if res.Head != (AuditHead{ID: auditHeadID, Seq: int64(want), EntryID: last.ID, Hash: last.Hash}) {
					t.Fatalf("head %+v, newest entry %+v", res.Head, last)
				}
				return es
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			es := check(4)
			for i, id := range []uint{2, 3, 7, 12} {
				if es[i].ID != id || es[i].Seq != int64(i+1) {
					t.Errorf("entry %d: id %d seq %d", i, es[i].ID, es[i].Seq)
				}
			}
			if err := s.Audit(ctx, officerActor, "login", "user", 1, ""); err != nil {
				t.Fatal(err)
			}
			if es = check(5); es[4].PrevID != 12 {
				t.Fatalf("new entry links to %d", es[4].PrevID)
			}
			if err := s.migrator(ctx).RollbackTo("202612010002_letters"); err != nil {
				t.Fatalf("rollback: %v", err)
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatalf("migrate again: %v", err)
			}
			check(5)
		})
	}
}

// TestAuditHeadLockedLast (MySQL; SQLite runs one writer at a time): a
// workflow transaction that audits and then locks a row does not hold the
// chain's head meanwhile, so another transaction holding that row can
// append its entry and commit: no deadlock.
func TestAuditHeadLockedLast(t *testing.T) {
	s := openMigrated(t, migratedDB.MySQL(t).DSN)
	ctx := t.Context()
	c := &Case{AuthorityID: 1, ItemID: 1}
	if err := s.conn(ctx).Create(c).Error; err != nil {
		t.Fatal(err)
	}
	audited, locked := make(chan struct{}), make(chan struct{})
	entry := AuditEntry{UserID: 1, Username: "tester", Action: "edit", Entity: "case", EntityID: c.ID}
	errc := make(chan error, 1)
	go func() {
		errc <- s.conn(ctx).Transaction(func(tx *gorm.DB) error {
			if err := s.lock(tx).First(&Case{}, c.ID).Error; err != nil {
				return err
			}
			close(locked)
			<-audited
			return s.audit(ctx, tx, entry)
		})
	}()
	err := s.auditedTx(ctx, func(tx *gorm.DB) error {
		if err := s.audit(ctx, tx, entry); err != nil {
			return err
		}
		close(audited)
		<-locked
		return s.lock(tx).First(&Case{}, c.ID).Error
	})
	if err != nil {
		t.Errorf("workflow transaction: %v", err)
	}
	if err := <-errc; err != nil {
		t.Errorf("transaction holding the row: %v", err)
	}
	if res, err := s.VerifyAudit(ctx); err != nil || res.Problem != nil || res.Entries != 2 {
		t.Fatalf("chain: %+v %v", res, err)
	}
}

// TestAuditIDTaken: the entries of a transaction take the ids after the
// head's in one insert; should such an id be taken (a row written past
// the head by hand), the append still succeeds, one entry at a time with
// the ids the database gives, and the chain links.
func TestAuditIDTaken(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := t.Context()
		es := auditChain(t, s)
		last := es[len(es)-1]
		if err := s.conn(ctx).Exec("INSERT INTO audit_log (id, at, user_id, username, action, entity, entity_id, detail, seq) VALUES (?, ?, 1, 'x', 'x', 'x', 1, '', ?)",
			last.ID+1, time.Now().UTC(), last.Seq+1000).Error; err != nil {
			t.Fatal(err)
		}
		err := s.auditedTx(ctx, func(tx *gorm.DB) error {
			for i := range 3 {
				if err := s.audit(ctx, tx, AuditEntry{UserID: 1, Username: "张三", Action: "approve", Entity: "document", EntityID: uint(200 + i)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []AuditEntry
		if err := s.conn(ctx).Where("entity_id >= 200").Order("seq").Find(&got).Error; err != nil {
			t.Fatal(err)
		}
		prev := last
		for i, e := range got {
			if e.ID == last.ID+1 || e.Seq != prev.Seq+1 || e.PrevID != prev.ID || e.PrevHash != prev.Hash || auditHash(&e) != e.Hash {
				t.Errorf("entry %d: id %d seq %d prev %d", i, e.ID, e.Seq, e.PrevID)
			}
			prev = e
		}
		var head AuditHead
		if err := s.conn(ctx).First(&head, auditHeadID).Error; err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || head.EntryID != prev.ID || head.Hash != prev.Hash {
			t.Errorf("%d entries, head %+v", len(got), head)
		}
	})
}
