package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"penaltydoc/errs"
	"penaltydoc/models/dbtest"
	"penaltydoc/rules"
)

// TestBlobsMigration: the PDFs and render data of issued documents move
// to document_files and back (Rollback), bytes unchanged.
func TestBlobsMigration(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		ids := approvedDocs(t, s, rules.KindAdvanceNotice, 2)
		d, err := issue(s, ids[0], fakeRender)
		if err != nil {
			t.Fatal(err)
		}
		want := "%PDF-1.4 " + deref(d.Number)
		if err := s.migrator(ctx).RollbackTo(migrationBefore(t, "202612020007_blobs")); err != nil {
			t.Fatalf("rollback: %v", err)
		}
		m := s.db.Migrator()
		if m.HasTable("document_files") || m.HasTable("issue_reservations") || !m.HasColumn(&blobsDocument{}, "pdf") {
			t.Fatal("rollback left document_files or no documents.pdf")
		}
		var back struct {
			PDF      []byte
			DataJSON string
		}
		if err := s.db.Raw("SELECT pdf, data_json FROM documents WHERE id = ?", ids[0]).Scan(&back).Error; err != nil ||
			string(back.PDF) != want || back.DataJSON != `{"Fine":1000}` {
			t.Fatalf("after rollback: %q %q %v", back.PDF, back.DataJSON, err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("migrate again: %v", err)
		}
		if m.HasColumn(&blobsDocument{}, "pdf") || m.HasColumn(&blobsDocument{}, "data_json") {
			t.Fatal("documents keeps pdf or data_json")
		}
		got, err := s.DocumentPDF(ctx, Everything, ids[0])
		if err != nil || string(got.PDF) != want || got.DataJSON != `{"Fine":1000}` || got.SHA256 != d.SHA256 {
			t.Fatalf("after migrating again: %q %q %v", got.PDF, got.DataJSON, err)
		}
		// Numbering goes on; the other document had none.
		if d2, err := issue(s, ids[1], fakeRender); err != nil || d2.Serial != 2 {
			t.Fatalf("next issue: %v", err)
		}
	})
}

func TestDirBlobs(t *testing.T) {
	ctx := context.Background()
	b := DirBlobs{Dir: t.TempDir()}
	pdf := []byte("%PDF-1.4 test")
	h := sha256.Sum256(pdf)
	sum := hex.EncodeToString(h[:])
	for range 2 { // the same bytes twice: one file
		inline, err := b.Put(ctx, sum, pdf)
		if err != nil || inline != nil {
			t.Fatalf("put: %q %v", inline, err)
		}
	}
	got, err := b.Get(ctx, sum, nil)
	if err != nil || string(got) != string(pdf) {
		t.Fatalf("get: %q %v", got, err)
	}
	if _, err := b.Put(ctx, sum, []byte("other bytes")); err == nil {
		t.Error("put of bytes that do not match the key")
	}
	if _, err := b.Get(ctx, "../../etc/passwd", nil); err == nil {
		t.Error("get of a bad key")
	}
	p := filepath.Join(b.Dir, sum[:2], sum)
	if err := os.WriteFile(p, []byte("forged"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(ctx, sum, nil); !errs.Is(err, errs.Internal) {
		t.Errorf("tampered file: %v", err)
	}
	for _, c := range []struct {
		in string
		ok bool
	}{{"", true}, {"db", true}, {"dir:" + t.TempDir(), true}, {"dir:", false}, {"s3:bucket", false}} {
		if _, err := ParseBlobStore(c.in); (err == nil) != c.ok {
			t.Errorf("ParseBlobStore(%q): %v", c.in, err)
		}
	}
}

// TestIssueIntoDirBlobs: with a blob directory the database keeps the
// render data and the hash, the directory the bytes.
func TestIssueIntoDirBlobs(t *testing.T) {
	for _, db := range dbtest.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) {
			dir := t.TempDir()
			s := openWith(t, db.DSN, Options{Blobs: DirBlobs{Dir: dir}})
			ids := approvedDocs(t, s, rules.KindAdvanceNotice, 1)
			d, err := issue(s, ids[0], fakeRender)
			if err != nil {
				t.Fatal(err)
			}
			var f DocumentFile
			if err := s.db.First(&f, "document_id = ?", d.ID).Error; err != nil || len(f.PDF) != 0 || f.DataJSON != `{"Fine":1000}` {
				t.Fatalf("document_files row %+v %v", f, err)
			}
			if _, err := os.Stat(filepath.Join(dir, d.SHA256[:2], d.SHA256)); err != nil {
				t.Fatal(err)
			}
			got, err := s.DocumentByNumber(t.Context(), *d.Number)
			if err != nil || string(got.PDF) != "%PDF-1.4 "+*d.Number {
				t.Fatalf("by number: %q %v", got.PDF, err)
			}
		})
	}
}

// TestIssueRendersAgainWhenCaseChanges: a change of the case between
// taking the number and storing the PDF makes issuing render again from
// the new rows, with the same number.
func TestIssueRendersAgainWhenCaseChanges(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ids := approvedDocs(t, s, rules.KindAdvanceNotice, 1)
		var statements []string
		d, err := issue(s, ids[0], func(ctx context.Context, dc *DocumentContext) (*Rendered, error) {
			statements = append(statements, dc.Case.Statement)
			if len(statements) == 1 {
				if _, err := s.RecordStatement(ctx, officerActor, dc.Case.ID, Statement{Statement: "当事人称不知情"}); err != nil {
					return nil, err
				}
			}
			return fakeRender(ctx, dc)
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(statements) != 2 || statements[1] != "当事人称不知情" || d.Serial != 1 {
			t.Fatalf("renders saw %q, serial %d", statements, d.Serial)
		}
	})
}

// TestIssueWaitsOutAnOutageDuringTheRender: the number is taken when the
// render runs; a render that meets the database unavailable (signing
// reads the key) is tried again, so the issue completes with its number
// and leaves no reservation behind (no gap seen by readers).
func TestIssueWaitsOutAnOutageDuringTheRender(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ids := approvedDocs(t, s, rules.KindAdvanceNotice, 2)
		renders := 0
		d, err := issue(s, ids[0], func(ctx context.Context, dc *DocumentContext) (*Rendered, error) {
			if renders++; renders < 3 {
				return nil, errs.Wrap(errs.E(errs.Unavailable, "数据库暂时无法访问"), "load signing key")
			}
			return fakeRender(ctx, dc)
		})
		if err != nil {
			t.Fatal(err)
		}
		if renders != 3 || d.Serial != 1 || d.Status != DocIssued {
			t.Fatalf("renders %d, serial %d, status %s", renders, d.Serial, d.Status)
		}
		pending, err := s.PendingIssues(context.Background(), 0)
		if err != nil || len(pending) != 0 {
			t.Fatalf("pending reservations %v, %v", pending, err)
		}
		// Another error still ends the issue at once (the number stays
		// reserved for the document's next issue).
		renders = 0
		_, err = issue(s, ids[1], func(context.Context, *DocumentContext) (*Rendered, error) {
			renders++
			return nil, errs.E(errs.Internal, "render failed")
		})
		if err == nil || renders != 1 {
			t.Fatalf("err %v after %d renders", err, renders)
		}
	})
}
