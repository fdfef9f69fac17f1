package casework

import (
	"context"
	"regexp"
	"strings"
	"time"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
)

// Public download limits, on failures only (a right code never counts):
// per document number and client address together, so that nobody can
// lock the rightful party out of its document from elsewhere; and per
// address, against guessing many numbers from one place. There is no
// ceiling per number alone: it would let a stranger lock the party out,
// and the code's 40 bits need none (SECURITY.md does the sums).
var (
	DownloadPerNumberAddress = models.Limit{Failures: 10, Window: time.Hour, LockFor: time.Hour}
	DownloadPerAddress       = models.Limit{Failures: 30, Window: 10 * time.Minute, LockFor: 10 * time.Minute}
)

// ErrDownloadThrottled answers a locked download.
var ErrDownloadThrottled = errs.E(errs.TooManyRequests, "尝试次数过多，请稍后再试")

// ErrNoDocument is the one answer for every failed download or
// verification: no hint which part was wrong.
var ErrNoDocument = errs.E(errs.NotFound, "未找到匹配的文书，请核对文号和查询码")

// yearBrackets finds the year written with other brackets than 〔〕.
var yearBrackets = regexp.MustCompile(`[\[［(（【〔](\d{4})[\]］)）】〕]`)

// NormalizeNumber accepts a number as people type it: spaces dropped and
// the year's brackets written any common way.
func NormalizeNumber(s string) string {
	s = strings.Join(strings.Fields(s), "")
	return yearBrackets.ReplaceAllString(s, "〔$1〕")
}

// Download hands an issued document's frozen PDF for its number and
// access code to send, which writes it to the party, and then records the
// download in the audit log: the entry's transaction (the chain's head,
// and on MariaDB the log flush of its commit) is not part of the party's
// wait. Every failure is ErrNoDocument; attempts are limited per client
// and per number (too many requests). The entry is written, as before,
// by this call and before it returns, whether or not the party is still
// connected; its error is not the party's (as before, it is ignored).
func (s *Service) Download(ctx context.Context, a Actor, number, accessCode string, send func(*models.Document)) error {
	doc, err := s.checkAccess(ctx, a, number, accessCode)
	if err != nil {
		return err
	}
	send(doc)
	_ = s.store.Audit(context.WithoutCancel(ctx), a.record(), "public_download", "document", doc.ID, *doc.Number)
	return nil
}

// checkAccess is the issued document with that number and access code,
// under the download limits; every failure is ErrNoDocument.
func (s *Service) checkAccess(ctx context.Context, a Actor, number, accessCode string) (*models.Document, error) {
	number = NormalizeNumber(number)
	pair, addr := models.ThrottleKey("dl", number, a.IP), models.ThrottleKey("dl-ip", a.IP)
	locked, err := s.store.Locked(ctx, pair, addr)
	if err != nil {
		return nil, err
	}
	if locked {
		return nil, ErrDownloadThrottled
	}
	doc, err := s.store.DocumentByNumber(ctx, number)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	// Compare the code even when there is no document (an empty hash), so
	// the answer takes as long either way.
	if doc == nil || err != nil {
		doc = &models.Document{}
	}
	if !s.codes.Check(doc.AccessCodeHash, accessCode) || len(doc.PDF) == 0 {
		if err := s.store.Fail(ctx, pair, DownloadPerNumberAddress); err != nil {
			return nil, err
		}
		if err := s.store.Fail(ctx, addr, DownloadPerAddress); err != nil {
			return nil, err
		}
		return nil, ErrNoDocument
	}
	return doc, nil
}

// Verification is what the verify page shows of a document: nothing the
// party would not want public (the name is masked).
type Verification struct {
	Number       string `json:"number"`
	Kind         string `json:"kind"`
	KindName     string `json:"kind_name"`
	Authority    string `json:"authority"`
	Party        string `json:"party"`
	IssueDate    string `json:"issue_date"`
	SHA256       string `json:"sha256"`
	Status       string `json:"status"`
	StatusName   string `json:"status_name"`
	SupersededBy string `json:"superseded_by,omitempty"`
	// Signature is the check of the stored document's digital signature.
	Signature SignatureCheck `json:"signature"`
	// Token is the verify token asked with (the page's check form).
	Token string `json:"-"`
}

var verifyStatusNames = map[string]string{
	models.DocIssued:     "已签发",
	models.DocServed:     "已送达",
	models.DocSuperseded: "已被更正（本文书已作废，以更正后的文书为准）",
}

// Verify gives an issued document's authenticity facts for its verify
// token (the QR code on the document).
func (s *Service) Verify(ctx context.Context, token string) (*Verification, error) {
	if len(token) < 16 || len(token) > 64 {
		return nil, ErrNoDocument
	}
	doc, err := s.store.DocumentByVerifyToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if doc.Number == nil || !rules.IsFrozen(doc.Status) {
		return nil, ErrNoDocument
	}
	cs, err := s.store.CaseByID(ctx, models.Everything, doc.CaseID) // the verify token is the right to see it
	if err != nil {
		return nil, err
	}
	auth, err := s.store.Authority(ctx, doc.AuthorityID)
	if err != nil {
		return nil, err
	}
	v := &Verification{Number: *doc.Number, Kind: doc.Kind, KindName: rules.KindName(doc.Kind), Authority: auth.Name,
		Party: render.MaskName(cs.PartyName), IssueDate: doc.IssueDate, SHA256: doc.SHA256, Status: doc.Status,
		StatusName: verifyStatusNames[doc.Status], Token: token}
	if doc.SupersededByID != nil {
		if by, err := s.store.DocumentByID(ctx, models.Everything, *doc.SupersededByID); err == nil && by.Number != nil {
			v.SupersededBy = *by.Number
		}
	}
	if v.Signature, err = s.documentSignature(ctx, doc); err != nil {
		return nil, err
	}
	return v, nil
}
