package models

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"penaltydoc/errs"
)

// accessAlphabet has no characters that read alike (no 0/O, 1/I).
const accessAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// AccessCodeCost is the bcrypt work factor of access codes: 8 (about 15 ms
// on one core) keeps issuing and public downloads cheap while a stolen hash
// of a 40-bit code still takes hundreds of thousands of CPU-years to guess.
const AccessCodeCost = 8

// NewAccessCode returns a random access code for the party, shown as
// XXXX-XXXX (8 characters of a 32-letter alphabet: 40 bits), and its
// bcrypt hash, which is all the database keeps of it.
func NewAccessCode() (code, hash string, err error) {
	b := make([]byte, 8)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(accessAlphabet))))
		if err != nil {
			return "", "", fmt.Errorf("access code: %w", err)
		}
		b[i] = accessAlphabet[n.Int64()]
	}
	h, err := bcrypt.GenerateFromPassword(b, min(BcryptCost, AccessCodeCost))
	if err != nil {
		return "", "", fmt.Errorf("hash access code: %w", err)
	}
	return string(b[:4]) + "-" + string(b[4:]), string(h), nil
}

// normalizeAccessCode drops dashes and spaces and upper-cases.
func normalizeAccessCode(code string) string {
	code = strings.ToUpper(code)
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '－' || r == '—' {
			return -1
		}
		return r
	}, code)
}

var dummyAccessHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("XXXXXXXX"), min(BcryptCost, AccessCodeCost))
	return h
})

// CheckAccessCode reports whether code is the document's access code, with
// or without the dash, in any case. The comparison is bcrypt's (constant
// time); a document without a code still spends the same time.
func (d *Document) CheckAccessCode(code string) bool {
	c := normalizeAccessCode(code)
	hash := []byte(d.AccessCodeHash)
	ok := d.AccessCodeHash != "" && len(c) == 8
	if !ok {
		hash = dummyAccessHash()
	}
	err := bcrypt.CompareHashAndPassword(hash, []byte(c))
	return ok && err == nil
}

// DocumentByNumber returns the issued (served, superseded) document with
// that number, with its PDF bytes.
func (s *Store) DocumentByNumber(ctx context.Context, number string) (*Document, error) {
	number = strings.TrimSpace(number)
	if number == "" {
		return nil, errs.E(errs.NotFound, "文书不存在")
	}
	var d Document
	err := s.conn(ctx).Where("number = ? AND status IN ?", number, frozenStatuses).First(&d).Error
	if err != nil {
		return nil, notFound(err, "文书")
	}
	ds := []Document{d}
	if err := s.attachFiles(ctx, s.conn(ctx), ds); err != nil {
		return nil, err
	}
	return &ds[0], nil
}

// DocumentByVerifyToken returns the issued document with that verify token,
// without its PDF bytes.
func (s *Store) DocumentByVerifyToken(ctx context.Context, token string) (*Document, error) {
	if token == "" || len(token) > 64 {
		return nil, errs.E(errs.NotFound, "文书不存在")
	}
	var d Document
	err := s.conn(ctx).Where("verify_token = ? AND status IN ?", token, frozenStatuses).First(&d).Error
	if err != nil {
		return nil, notFound(err, "文书")
	}
	return &d, nil
}

// DocumentsPDF returns the documents with those ids, with their PDF bytes,
// in the order given (an id given twice comes twice). A missing id is
// not found.
func (s *Store) DocumentsPDF(ctx context.Context, sc Scope, ids []uint) ([]Document, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []Document
	if err := sc.filter(s.conn(ctx), "authority_id").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, errs.Wrap(err, "load documents")
	}
	if err := s.attachFiles(ctx, s.conn(ctx), rows); err != nil {
		return nil, err
	}
	byID := make(map[uint]int, len(rows))
	for i := range rows {
		byID[rows[i].ID] = i
	}
	out := make([]Document, 0, len(ids))
	for _, id := range ids {
		i, ok := byID[id]
		if !ok {
			return nil, errs.E(errs.NotFound, "文书%d不存在", id)
		}
		out = append(out, rows[i])
	}
	return out, nil
}

// ServiceReceipts returns the service receipts issued with document id,
// without PDFs.
func (s *Store) ServiceReceipts(ctx context.Context, id uint) ([]Document, error) {
	var ds []Document
	if err := s.conn(ctx).Where("serves_id = ?", id).Order("id").Find(&ds).Error; err != nil {
		return nil, errs.Wrap(err, "load service receipts")
	}
	return ds, nil
}

// ReceiptsPDF returns the service receipts of documents ids within scope
// sc, with their PDF bytes, oldest first.
func (s *Store) ReceiptsPDF(ctx context.Context, sc Scope, ids []uint) ([]Document, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []Document
	if err := sc.filter(s.conn(ctx), "authority_id").Where("serves_id IN ? AND status IN ?", ids, []string{DocIssued, DocServed}).
		Order("id").Find(&rows).Error; err != nil {
		return nil, errs.Wrap(err, "load service receipts")
	}
	if err := s.attachFiles(ctx, s.conn(ctx), rows); err != nil {
		return nil, err
	}
	return rows, nil
}
