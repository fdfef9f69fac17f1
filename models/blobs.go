package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gorm.io/gorm"

	"penaltydoc/errs"
)

// DocumentFile is what an issued document is made of beyond its row: the
// PDF (inline, or nil when a BlobStore keeps it elsewhere) and the render
// input frozen at issue. One row per issued document, written in the
// transaction that issues it and never changed or deleted after.
type DocumentFile struct {
	DocumentID uint   `gorm:"primaryKey;autoIncrement:false"`
	PDF        []byte `gorm:"type:longblob"`
	DataJSON   string `gorm:"type:longtext"`
}

// BeforeUpdate: an issued document's bytes never change.
func (*DocumentFile) BeforeUpdate(*gorm.DB) error { return ErrFrozen }

// BeforeDelete: nor go away.
func (*DocumentFile) BeforeDelete(*gorm.DB) error { return ErrFrozen }

// BlobStore keeps issued PDFs, addressed by their SHA-256 (the documents
// row holds it: documents.sha256). Put runs before the transaction that
// issues the document and must have made the bytes durable when it
// returns; what it answers is what document_files.pdf keeps (the bytes for
// the database store, nil for a store of its own). Get answers the bytes
// of sum, given what the row kept, and checks them against sum.
type BlobStore interface {
	Put(ctx context.Context, sum string, pdf []byte) (inline []byte, err error)
	Get(ctx context.Context, sum string, inline []byte) ([]byte, error)
}

// DatabaseBlobs keeps the PDFs in document_files.pdf: the default.
type DatabaseBlobs struct{}

// Put keeps pdf inline.
func (DatabaseBlobs) Put(_ context.Context, _ string, pdf []byte) ([]byte, error) { return pdf, nil }

// Get answers the inline bytes.
func (DatabaseBlobs) Get(_ context.Context, _ string, inline []byte) ([]byte, error) {
	return inline, nil
}

// DirBlobs keeps the PDFs as files in a directory, named by their SHA-256
// (Dir/ab/abcdef…), written to a temporary file, fsync'd, renamed into
// place and the directory fsync'd: once Put returns the file survives a
// crash. The same bytes are stored once. It shows the shape an object
// store (S3 and the like) takes behind BlobStore: PUT by key before the
// commit, GET by key, the database holding the key.
type DirBlobs struct{ Dir string }

func (b DirBlobs) path(sum string) (string, error) {
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return "", errs.E(errs.Internal, "bad blob key %q", sum)
	}
	return filepath.Join(b.Dir, sum[:2], sum), nil
}

// Put writes pdf under its hash unless it is there already.
func (b DirBlobs) Put(_ context.Context, sum string, pdf []byte) ([]byte, error) {
	if got := sha256.Sum256(pdf); hex.EncodeToString(got[:]) != sum {
		return nil, errs.E(errs.Internal, "blob %s: bytes do not match the key", sum)
	}
	p, err := b.path(sum)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(p); err == nil {
		return nil, nil
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("blob dir: %w", err)
	}
	f, err := os.CreateTemp(dir, ".put-*")
	if err != nil {
		return nil, fmt.Errorf("blob temp: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after the rename: nothing
	if _, err := f.Write(pdf); err != nil {
		f.Close()
		return nil, fmt.Errorf("write blob: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("sync blob: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("close blob: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return nil, fmt.Errorf("rename blob: %w", err)
	}
	return nil, syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open blob dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync blob dir: %w", err)
	}
	return nil
}

// Get reads the file of sum and checks its hash.
func (b DirBlobs) Get(_ context.Context, sum string, inline []byte) ([]byte, error) {
	if len(inline) > 0 { // stored before the directory was configured
		return inline, nil
	}
	p, err := b.path(sum)
	if err != nil {
		return nil, err
	}
	pdf, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", sum, err)
	}
	if got := sha256.Sum256(pdf); hex.EncodeToString(got[:]) != sum {
		return nil, errs.E(errs.Internal, "blob %s: stored bytes do not match their hash", sum)
	}
	return pdf, nil
}

// ParseBlobStore reads the blob store setting: "" or "db" for the
// database, "dir:PATH" for a directory.
func ParseBlobStore(v string) (BlobStore, error) {
	switch {
	case v == "" || v == "db":
		return DatabaseBlobs{}, nil
	case strings.HasPrefix(v, "dir:") && len(v) > len("dir:"):
		dir := strings.TrimPrefix(v, "dir:")
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("blob dir: %w", err)
		}
		return DirBlobs{Dir: dir}, nil
	}
	return nil, fmt.Errorf("blob store %q: want db or dir:PATH", v)
}

// putFile makes the bytes of a document about to be issued durable and
// answers its row of document_files (to insert in the issuing
// transaction) and the SHA-256.
func (s *Store) putFile(ctx context.Context, pdf, data []byte) (*DocumentFile, string, error) {
	if len(pdf) == 0 {
		return nil, "", errs.E(errs.Internal, "渲染结果为空")
	}
	h := sha256.Sum256(pdf)
	sum := hex.EncodeToString(h[:])
	inline, err := s.blobs.Put(ctx, sum, pdf)
	if err != nil {
		return nil, "", errs.Wrap(err, "store PDF")
	}
	return &DocumentFile{PDF: inline, DataJSON: string(data)}, sum, nil
}

// attachFiles fills the PDF and render data of ds from document_files
// (documents without a row, drafts, keep none).
func (s *Store) attachFiles(ctx context.Context, db *gorm.DB, ds []Document) error {
	if len(ds) == 0 {
		return nil
	}
	ids := make([]uint, len(ds))
	for i := range ds {
		ids[i] = ds[i].ID
	}
	var fs []DocumentFile
	if err := db.Session(&gorm.Session{NewDB: true}).Where("document_id IN ?", ids).Find(&fs).Error; err != nil {
		return errs.Wrap(err, "load document files")
	}
	byID := make(map[uint]*DocumentFile, len(fs))
	for i := range fs {
		byID[fs[i].DocumentID] = &fs[i]
	}
	for i := range ds {
		f := byID[ds[i].ID]
		if f == nil {
			continue
		}
		pdf, err := s.blobs.Get(ctx, ds[i].SHA256, f.PDF)
		if err != nil {
			return errs.Wrap(err, "load PDF of document %d", ds[i].ID)
		}
		ds[i].PDF, ds[i].DataJSON = pdf, f.DataJSON
	}
	return nil
}
