package models

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"penaltydoc/errs"
)

// accessAlphabet has no characters that read alike (no 0/O, 1/I).
const accessAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// MinSecretBytes is the shortest server secret AccessKeys take: 256 bits.
const MinSecretBytes = 32

// accessTag is the stored form of an access code's keyed hash:
// "h1$" + hex(salt) + "$" + hex(HMAC-SHA256(key, salt ‖ code)), 92
// characters. Hashes written before it are bcrypt ("$2a$…", "$2b$…") and
// are still checked as such.
const (
	accessTag      = "h1$"
	accessSaltSize = 12
)

// AccessKeys checks and makes the parties' access codes with HMAC-SHA256
// keyed by the server secret, which lives outside the database: the
// database alone gives no way to test a guess, and a check costs
// microseconds instead of a bcrypt. The first key makes new codes; the
// others (a previous secret, kept while its codes are still used) only
// check them.
type AccessKeys struct {
	keys [][]byte // derived from the secrets, current first
	seal [][]byte // the keys that seal signing keys (SealKeys), current first
}

// NewAccessKeys derives the keys from the current secret and any previous
// ones, each at least MinSecretBytes long.
func NewAccessKeys(current []byte, previous ...[]byte) (*AccessKeys, error) {
	k := &AccessKeys{}
	for _, s := range append([][]byte{current}, previous...) {
		if len(s) < MinSecretBytes {
			return nil, fmt.Errorf("secret of %d bytes: want at least %d", len(s), MinSecretBytes)
		}
		// A key of its own for access codes, so that the same secret can
		// key other things later without the two meeting.
		m := hmac.New(sha256.New, s)
		m.Write([]byte("penaltydoc access code v1"))
		k.keys = append(k.keys, m.Sum(nil))
		m = hmac.New(sha256.New, s)
		m.Write([]byte("penaltydoc signing key seal v1"))
		k.seal = append(k.seal, m.Sum(nil))
	}
	return k, nil
}

// SealKeys are the AES-256 keys that encrypt the authorities' signing keys
// in the database, derived from the server secrets (current first, which
// seals; the others only open what they sealed).
func (k *AccessKeys) SealKeys() [][]byte { return k.seal }

// NewSecret returns MinSecretBytes random bytes: a fresh server secret.
func NewSecret() []byte {
	b := make([]byte, MinSecretBytes)
	rand.Read(b) // never fails (crypto/rand)
	return b
}

func accessMAC(key, salt []byte, code string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(salt)
	m.Write([]byte(code))
	return m.Sum(nil)
}

// NewAccessCode returns a random access code for the party, shown as
// XXXX-XXXX (8 characters of a 32-letter alphabet: 40 bits), and its keyed
// hash under the current key, which is all the database keeps of it. The
// random salt makes each document's hash its own: whoever held both the
// database and the secret would still guess document by document.
func (k *AccessKeys) NewAccessCode() (code, hash string, err error) {
	b := make([]byte, 8)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(accessAlphabet))))
		if err != nil {
			return "", "", fmt.Errorf("access code: %w", err)
		}
		b[i] = accessAlphabet[n.Int64()]
	}
	salt := make([]byte, accessSaltSize)
	rand.Read(salt)
	mac := accessMAC(k.keys[0], salt, string(b))
	return string(b[:4]) + "-" + string(b[4:]), accessTag + hex.EncodeToString(salt) + "$" + hex.EncodeToString(mac), nil
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

// dummySalt and dummyMAC stand in for a missing or unreadable hash, so
// that such a check does the same work as a wrong code.
var dummySalt, dummyMAC = make([]byte, accessSaltSize), make([]byte, sha256.Size)

// Check reports whether code is the access code whose stored hash is
// stored, with or without the dash, in any case. The keyed hash is
// computed under every key and compared in constant time, whether or not
// there is a stored hash (an empty one is a missing document: the same
// work, the same answer as a wrong code). A bcrypt hash from before the
// keyed hashes is checked with bcrypt.
func (k *AccessKeys) Check(stored, code string) bool {
	c := normalizeAccessCode(code)
	if strings.HasPrefix(stored, "$2") {
		return len(c) == 8 && bcrypt.CompareHashAndPassword([]byte(stored), []byte(c)) == nil
	}
	salt, mac, ok := parseAccessHash(stored)
	ok = ok && len(c) == 8
	if !ok {
		salt, mac = dummySalt, dummyMAC
	}
	match := false
	for _, key := range k.keys {
		match = hmac.Equal(accessMAC(key, salt, c), mac) || match
	}
	return ok && match
}

// parseAccessHash reads "h1$<salt>$<mac>".
func parseAccessHash(stored string) (salt, mac []byte, ok bool) {
	rest, ok := strings.CutPrefix(stored, accessTag)
	if !ok {
		return nil, nil, false
	}
	s, m, ok := strings.Cut(rest, "$")
	if !ok {
		return nil, nil, false
	}
	salt, err1 := hex.DecodeString(s)
	mac, err2 := hex.DecodeString(m)
	if err1 != nil || err2 != nil || len(salt) != accessSaltSize || len(mac) != sha256.Size {
		return nil, nil, false
	}
	return salt, mac, true
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
