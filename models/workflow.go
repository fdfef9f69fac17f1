package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// The document lifecycle: draft → reviewing → approved → issued → served,
// and issued/served → superseded when a correction is issued. Every step
// runs in one transaction that locks the document row first (then its case,
// then the number sequence: always in that order), checks the state it
// starts from, and writes an audit entry with a hash of the document.

// IsDecision reports whether kind decides a case.
func IsDecision(kind string) bool { return rules.IsDecision(kind) }

// PrefixFor is the number prefix (and series) of kind at authority a;
// "" for kinds without a number (service receipts). A kind whose own
// prefix is not set shares the penalty-decision series.
func (a *Authority) PrefixFor(kind string) string {
	p := ""
	switch kind {
	case rules.KindPenaltyDecision:
		return a.NumberPrefix
	case rules.KindNoPenaltyDecision:
		p = a.NoPenaltyPrefix
	case rules.KindAdvanceNotice:
		p = a.NoticePrefix
	case rules.KindOnTheSpotDecision:
		p = a.OnTheSpotPrefix
	case rules.KindHearingNotice, rules.KindReminder:
		return DerivePrefix(a.NumberPrefix, kind)
	default:
		return ""
	}
	if p == "" {
		p = a.NumberPrefix
	}
	return p
}

// Numbered reports whether documents of kind get a number, an access code
// and a verify token when issued.
func Numbered(kind string) bool { return rules.Numbered(kind) }

// FormatNumber writes a document number: 杭市监处罚〔2026〕12号.
func FormatNumber(prefix string, year int, serial int64) string {
	return fmt.Sprintf("%s〔%d〕%d号", prefix, year, serial)
}

// loadForUpdate locks and loads a document without its PDF.
// Another authority's document is not found, like a missing one.
func (s *Store) loadForUpdate(tx *gorm.DB, sc Scope, id uint) (*Document, error) {
	var d Document
	if err := s.lock(tx).Omit("pdf").First(&d, id).Error; err != nil {
		return nil, notFound(err, "文书")
	}
	if err := sc.hide(d.AuthorityID, "文书"); err != nil {
		return nil, err
	}
	return &d, nil
}

func (s *Store) caseForUpdate(tx *gorm.DB, id uint) (*Case, error) {
	var c Case
	if err := s.lock(tx).First(&c, id).Error; err != nil {
		return nil, notFound(err, "案件")
	}
	return &c, nil
}

// documentHash is the hash the audit log keeps of a document: the SHA-256
// of the PDF once issued; before that, of everything the draft is rendered
// from (kind, template version, the case's facts, evaluation, statement and
// the document it corrects), so that the log shows what was approved.
func documentHash(d *Document, c *Case) string {
	if d.SHA256 != "" {
		return d.SHA256
	}
	h := sha256.New()
	corrects := uint(0)
	if d.CorrectsID != nil {
		corrects = *d.CorrectsID
	}
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00", d.Kind, d.TemplateVersion, corrects)
	if c != nil {
		facts, _ := json.Marshal(c.Facts)
		eval, _ := json.Marshal(c.Evaluation)
		if d.RevisionFacts != nil { // a correction prints its revision of the facts
			facts, _ = json.Marshal(d.RevisionFacts)
			eval, _ = json.Marshal(d.RevisionEvaluation)
			fmt.Fprintf(h, "%s\x00", d.CorrectionReason)
		}
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%t\x00%s\x00%t", facts, eval, c.Statement, c.HearingHeld, c.HearingResult, c.Waived)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// docState is what the permission rule knows of document d of case c (c
// may be nil where the step does not depend on the case).
func docState(d *Document, c *Case) rules.DocState {
	st := rules.DocState{Kind: d.Kind, Status: d.Status, ReviewStage: d.ReviewStage, ServedDate: d.ServedDate, Number: deref(d.Number),
		CreatedBy: d.CreatedByID}
	if c != nil {
		st.LegalReview = c.Evaluation.LegalReviewRequired
		st.Major, st.Discussed = c.Facts.Major, c.DiscussionDate != ""
		st.Stale = !rules.IsFrozen(d.Status) && d.Basis.Hash != "" && c.BasisHash != "" && d.Basis.Hash != c.BasisHash
		if d.RevisionFacts != nil { // a correction is made from its own revision of the facts
			st.Stale = false
		}
	}
	st.Correction = d.CorrectsID != nil
	if d.ReviewedByID != nil {
		st.ReviewedBy = *d.ReviewedByID
	}
	return st
}

// DocState is docState for callers outside a transaction (the pages ask
// the permission rule which actions to show).
func DocState(d *Document, c *Case) rules.DocState { return docState(d, c) }

// CaseState is what the permission rule knows of a case.
func CaseState(c *Case) rules.CaseState {
	return rules.CaseState{Status: c.Status, Evaluation: c.Evaluation, Major: c.Facts.Major, HearingRequested: c.HearingRequested != ""}
}

// auditEmergency records a step that passed only through the emergency
// setting (an admin overriding the separation of duties).
func (s *Store) auditEmergency(ctx context.Context, tx *gorm.DB, a Actor, act rules.Action, d *Document, c *Case, st rules.DocState) error {
	if rules.Separated(a.Staff(), act, st) {
		return nil
	}
	return s.auditDoc(ctx, tx, a, "emergency_separation_override", d, c, d.Status, d.Status,
		fmt.Sprintf("%s by %s despite the separation of duties (drafter %d, legal reviewer %d)", act, a.Username, st.CreatedBy, st.ReviewedBy))
}

func (s *Store) auditDoc(ctx context.Context, tx *gorm.DB, a Actor, action string, d *Document, c *Case, from, to, detail string) error {
	return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: action,
		Entity: "document", EntityID: d.ID, FromStatus: from, ToStatus: to, Detail: detail, DocSHA256: documentHash(d, c)})
}

// transact runs fn in a transaction, again (up to 5 times) when MySQL
// reports a deadlock or a lock wait timeout, or SQLite stays busy, until the
// query deadline has passed since the first try (SQLite's busy error comes
// after a wait of that long: the lock is held, not contended). The audit
// entries fn writes join the chain at its end (auditedTx).
func (s *Store) transact(ctx context.Context, fn func(tx *gorm.DB) error) error {
	start := time.Now()
	for attempt := 0; ; attempt++ {
		err := s.auditedTx(ctx, fn)
		if err == nil || attempt == 5 || !retryable(err) || ctx.Err() != nil || time.Since(start) >= s.queryTimeout {
			return err
		}
		time.Sleep(time.Duration(5+rand.IntN(20*(attempt+1))) * time.Millisecond)
	}
}

// errRetry asks transact to run the transaction again: it met a row
// another transaction created at the same moment.
var errRetry = errs.E(errs.Conflict, "数据正被同时修改，请重试")

func retryable(err error) bool {
	if errors.Is(err, errRetry) {
		return true
	}
	var me *mysqldrv.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1213 || me.Number == 1205
	}
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}

// SubmitDocument sends a draft for review. The case leaves draft (open) with
// its first submitted document, and its facts can no longer be edited.
func (s *Store) SubmitDocument(ctx context.Context, a Actor, id uint) (*Document, error) {
	var d *Document
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if d, err = s.loadForUpdate(tx, a.Scope, id); err != nil {
			return err
		}
		c, err := s.caseForUpdate(tx, d.CaseID)
		if err != nil {
			return err
		}
		if err := rules.MayDocument(a.Staff(), rules.ActSubmit, docState(d, c)); err != nil {
			return err
		}
		if c.Status == CaseDraft {
			if err := enoughOfficers(tx, c); err != nil {
				return err
			}
		}
		if err := setDocument(tx, id, []string{DocDraft}, map[string]any{"status": DocReviewing, "review_stage": 0}); err != nil {
			return err
		}
		d.Status, d.ReviewStage = DocReviewing, 0
		if c.Status == CaseDraft {
			if err := tx.Model(&Case{}).Where("id = ? AND status = ?", c.ID, CaseDraft).Update("status", CaseOpen).Error; err != nil {
				return errs.Wrap(err, "open case")
			}
			if err := s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "open_case",
				Entity: "case", EntityID: c.ID, FromStatus: CaseDraft, ToStatus: CaseOpen, Detail: fmt.Sprintf("document %d submitted", id)}); err != nil {
				return err
			}
		}
		return s.auditDoc(ctx, tx, a, "submit", d, c, DocDraft, DocReviewing, "")
	})
	return d, err
}

// ApproveDocument approves a document under review as the permission rule
// allows the actor: a decision whose case requires legal review
// (evaluation.legal_review_required) takes two stages, a reviewer's legal
// review and then the head's approval by someone else; anything else takes
// one approval by either.
func (s *Store) ApproveDocument(ctx context.Context, a Actor, id uint) (*Document, error) {
	var d *Document
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if d, err = s.loadForUpdate(tx, a.Scope, id); err != nil {
			return err
		}
		c, err := s.caseForUpdate(tx, d.CaseID)
		if err != nil {
			return err
		}
		st := docState(d, c)
		if err := rules.MayDocument(a.Staff(), rules.ActApprove, st); err != nil {
			return err
		}
		if err := s.auditEmergency(ctx, tx, a, rules.ActApprove, d, c, st); err != nil {
			return err
		}
		if st.Stage() == rules.StageLegalReview {
			today := s.Today()
			if err := setDocument(tx, id, []string{DocReviewing}, map[string]any{"review_stage": 1, "legal_review_date": today, "reviewed_by_id": a.UserID}); err != nil {
				return err
			}
			d.ReviewStage, d.LegalReviewDate, d.ReviewedByID = 1, today, &a.UserID
			return s.auditDoc(ctx, tx, a, "legal_review", d, c, DocReviewing, DocReviewing, "法制审核通过")
		}
		stage := d.ReviewStage + 1
		if err := setDocument(tx, id, []string{DocReviewing}, map[string]any{"status": DocApproved, "review_stage": stage}); err != nil {
			return err
		}
		d.Status, d.ReviewStage = DocApproved, stage
		return s.auditDoc(ctx, tx, a, "approve", d, c, DocReviewing, DocApproved, "")
	})
	return d, err
}

// ReturnDocument sends a document under review (or approved, not yet
// issued) back to draft with the reviewer's comment.
func (s *Store) ReturnDocument(ctx context.Context, a Actor, id uint, comment string) (*Document, error) {
	comment = strings.TrimSpace(comment)
	if comment == "" {
		return nil, errs.Field("comment", "退回须写明意见")
	}
	var d *Document
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if d, err = s.loadForUpdate(tx, a.Scope, id); err != nil {
			return err
		}
		from := d.Status
		c, err := s.caseForUpdate(tx, d.CaseID)
		if err != nil {
			return err
		}
		if err := rules.MayDocument(a.Staff(), rules.ActReturn, docState(d, c)); err != nil {
			return err
		}
		if r, err := reserved(tx, id); err != nil {
			return err
		} else if r {
			return errs.E(errs.Conflict, "文书已取得编号、正在签发，不能退回；请再次签发以完成")
		}
		if err := setDocument(tx, id, []string{from}, map[string]any{"status": DocDraft, "review_stage": 0,
			"legal_review_date": "", "reviewed_by_id": nil, "comment": comment}); err != nil {
			return err
		}
		d.Status, d.ReviewStage, d.LegalReviewDate, d.ReviewedByID, d.Comment = DocDraft, 0, "", nil, comment
		if err := s.auditDoc(ctx, tx, a, "return", d, c, from, DocDraft, comment); err != nil {
			return err
		}
		return s.reopenIfOnlyDrafts(ctx, tx, a, c)
	})
	return d, err
}

// reopenIfOnlyDrafts takes an open case back to draft when none of its
// documents is past draft any more (the one submitted was returned):
// nothing has gone out or is under review, so the officer may correct the
// facts the return asks for (the drafts made from the old facts turn
// stale).
func (s *Store) reopenIfOnlyDrafts(ctx context.Context, tx *gorm.DB, a Actor, c *Case) error {
	if c.Status != CaseOpen {
		return nil
	}
	var beyond int64
	if err := tx.Model(&Document{}).Where("case_id = ? AND status NOT IN ?", c.ID, []string{DocDraft, DocWithdrawn}).Count(&beyond).Error; err != nil {
		return errs.Wrap(err, "count the case's documents")
	}
	if beyond > 0 {
		return nil
	}
	if err := tx.Model(&Case{}).Where("id = ? AND status = ?", c.ID, CaseOpen).Update("status", CaseDraft).Error; err != nil {
		return errs.Wrap(err, "reopen case")
	}
	c.Status = CaseDraft
	return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "reopen_case",
		Entity: "case", EntityID: c.ID, FromStatus: CaseOpen, ToStatus: CaseDraft, Detail: "returned: no document past draft"})
}

// Rendered is what the issuing callback produces: the final PDF and the
// render input it was made from (JSON), the figures the deadlines run on,
// and optionally the companion service receipt that prints the party's
// access code.
type Rendered struct {
	PDF  []byte
	Data []byte
	// Fine is the fine the document decides (yuan) and AnswerDays an
	// advance notice's answer period (working days): stored as typed
	// columns for the deadlines.
	Fine       float64
	AnswerDays int
	// Receipt is the service receipt (送达回证) issued with the document.
	Receipt *Rendered
	// TemplateVersion is the receipt's template version (Receipt only).
	TemplateVersion int
}

// IssueParams is what issuing takes. The access code hash and verify token
// are made before (hashing is slow). Render runs outside any transaction,
// after the number is taken, from what the first transaction read with the
// rows locked; it may run again when the case changed meanwhile.
type IssueParams struct {
	ID             uint
	AccessCodeHash string // numbered kinds only
	VerifyToken    string // numbered kinds only; a resumed issue keeps the one reserved
	// Render gets the document with Number, Series, Year, Serial and
	// IssueDate set and everything it prints, and returns its final bytes.
	Render func(ctx context.Context, dc *DocumentContext) (*Rendered, error)
}

// IssueReservation is a number issuing has taken for a document whose PDF
// is not stored yet: written with the increment of the sequence, deleted
// by the transaction that stores the PDF and turns the document issued.
// Until then the document is approved, without a number, to every reader;
// the next issue of it (a retry, or ResumeIssues at start-up) completes it
// with this number, so that a crash, a failed render or an outage between
// the two transactions leaves neither a gap nor a repeat.
type IssueReservation struct {
	DocumentID  uint   `gorm:"primaryKey;autoIncrement:false"`
	AuthorityID uint   `gorm:"not null"`
	CaseID      uint   `gorm:"not null;index:idx_issue_reservations_case"`
	Kind        string `gorm:"size:32;not null"`
	Series      string `gorm:"size:100;not null"`
	Year        int    `gorm:"not null"`
	Serial      int64  `gorm:"not null"`
	VerifyToken string `gorm:"size:64;not null"`
	IssueDate   string `gorm:"size:10;not null"`
	IssuedAt    time.Time
	UserID      uint `gorm:"not null"` // who took the number
	CreatedAt   time.Time
}

// issueFinishTimeout bounds rendering and storing once the number is
// taken; the client's cancel does not stop it.
const issueFinishTimeout = time.Minute

// errCaseChanged: the case changed between taking the number and storing
// the PDF, so the PDF may print what is no longer so: render again.
var errCaseChanged = errs.E(errs.Conflict, "案件在签发过程中被修改，请重试")

// IssueDocument issues an approved document in two short transactions
// with the render between them, outside any: the first checks the
// permission rule and the procedure on the locked rows and takes the next
// number of the document's series (the sequence row's lock, or SQLite's
// write lock, is held for that and for writing the reservation only); the
// second stores bytes, SHA-256, access code hash, verify token, render
// data and deadline figures, the companion service receipt, supersedes
// the document this one corrects and advances the case. Issuing twice is
// a conflict and changes nothing; an issue interrupted after the number
// was taken is completed by the next with the same number.
func (s *Store) IssueDocument(ctx context.Context, a Actor, p IssueParams) (*Document, error) {
	year := mustYear(s.Today())
	for attempt := 0; ; attempt++ {
		dc, fp, err := s.reserveIssue(ctx, a, p, year)
		var need needSequence
		if errors.As(err, &need) && attempt < 3 {
			// Sequences are never deleted: once one is known to exist, the
			// process asks no more (nextNumber creates it should it be
			// gone). It is made outside issuing's transaction: the row
			// exists but once a year, and the insert would wait on (MySQL)
			// or take (SQLite) the write lock an issuer holds.
			if err := s.ensureSequence(s.conn(ctx), need.authority, need.series, need.year); err != nil {
				return nil, err
			}
			s.sequences.Store(need.sequenceKey, true)
			continue
		}
		if err != nil {
			return nil, err
		}
		// The number is taken: finish whatever the client does meanwhile.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), issueFinishTimeout)
		d, err := s.finishIssue(fctx, a, p, dc, fp)
		cancel()
		if errors.Is(err, errCaseChanged) && attempt < 3 {
			continue
		}
		return d, err
	}
}

// needSequence stops issuing's first transaction before it takes a number
// from a sequence the process does not know to exist yet: IssueDocument
// makes sure of it outside the transaction and tries again.
type needSequence struct{ sequenceKey }

func (needSequence) Error() string { return "number sequence not known to exist" }

// issueTx runs one of issuing's transactions; on SQLite issuers queue on
// a mutex in the process rather than poll the busy handler.
func (s *Store) issueTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.dialect == DialectSQLite {
		s.issueMu.Lock()
		defer s.issueMu.Unlock()
	}
	return s.transact(ctx, fn)
}

// caseFingerprint is what a PDF printed from document d of case c depends
// on in the case: the second transaction refuses a case that changed
// since the first.
func caseFingerprint(d *Document, c *Case) string {
	return fmt.Sprintf("%s|%s|%s|%d", documentHash(&Document{Kind: d.Kind, TemplateVersion: d.TemplateVersion, CorrectsID: d.CorrectsID,
		RevisionFacts: d.RevisionFacts, RevisionEvaluation: d.RevisionEvaluation, CorrectionReason: d.CorrectionReason}, c),
		c.Status, c.PaymentState, c.UpdatedAt.UnixNano())
}

// reserveIssue is issuing's first transaction: everything that can
// refuse, then the number (a new one, or the one reserved for the
// document before), and what the document prints, read with the rows
// locked. It answers that and the case's fingerprint.
func (s *Store) reserveIssue(ctx context.Context, a Actor, p IssueParams, year int) (*DocumentContext, string, error) {
	var dc *DocumentContext
	var fp string
	err := s.issueTx(ctx, func(tx *gorm.DB) error {
		d, err := s.loadForUpdate(tx, a.Scope, p.ID)
		if err != nil {
			return err
		}
		c, err := s.caseForUpdate(tx, d.CaseID)
		if err != nil {
			return err
		}
		if err := rules.MayDocument(a.Staff(), rules.ActIssue, docState(d, c)); err != nil {
			return err
		}
		ev := c.Evaluation
		if d.RevisionEvaluation != nil {
			ev = *d.RevisionEvaluation
		}
		if (IsDecision(d.Kind) || d.Kind == rules.KindAdvanceNotice) && !slices.Contains(rules.AllowedKinds(ev), d.Kind) {
			return errs.E(errs.Conflict, "本案当前的处理结论（%s）不适用%s，不能签发；请按现在的处理结论重新制作文书",
				rules.OutcomeName(ev.Outcome), rules.KindName(d.Kind))
		}
		var old *Document
		if d.CorrectsID != nil {
			if old, err = s.loadForUpdate(tx, a.Scope, *d.CorrectsID); err != nil {
				return err
			}
			if old.Status != DocIssued && old.Status != DocServed {
				return errs.E(errs.Conflict, "被更正的文书已不是有效文书（当前状态：%s）", rules.DocStatusName(old.Status))
			}
			if d.RevisionEvaluation != nil {
				if err := rules.CheckCorrection(issuedEvaluation(old, c), *d.RevisionEvaluation); err != nil {
					return err
				}
			}
		}
		var rs []IssueReservation
		if err := tx.Where("document_id = ?", d.ID).Find(&rs).Error; err != nil {
			return errs.Wrap(err, "load issue reservation")
		}
		today := s.Today()
		if len(rs) == 1 { // resumed: print the day the number was taken
			today = rs[0].IssueDate
		}
		if dc, err = s.documentContext(tx, d, c); err != nil {
			return err
		}
		dc.Corrects = old
		// The series is the authority's as this transaction reads it.
		var prefix string
		if Numbered(d.Kind) {
			if dc.Authority.ID != d.AuthorityID {
				return errs.E(errs.Conflict, "文书与案件的执法机关不一致，不能签发")
			}
			if prefix = dc.Authority.PrefixFor(d.Kind); prefix == "" && len(rs) == 0 {
				return errs.E(errs.Invalid, "执法机关未设置文书编号前缀")
			}
		}
		if err := s.checkProcedure(tx, dc, today); err != nil {
			return err
		}
		fp = caseFingerprint(d, c)
		var r IssueReservation
		switch {
		case len(rs) == 1:
			r = rs[0]
		case Numbered(d.Kind):
			key := sequenceKey{d.AuthorityID, prefix, year}
			if _, ok := s.sequences.Load(key); !ok {
				return needSequence{key}
			}
			serial, err := s.nextNumber(tx, d.AuthorityID, prefix, year)
			if err != nil {
				return err
			}
			r = IssueReservation{DocumentID: d.ID, AuthorityID: d.AuthorityID, CaseID: d.CaseID, Kind: d.Kind, Series: prefix, Year: year,
				Serial: serial, VerifyToken: p.VerifyToken, IssueDate: today, IssuedAt: s.now(), UserID: a.UserID}
			if err := tx.Create(&r).Error; err != nil {
				return errs.Wrap(err, "reserve number")
			}
		default: // nothing to reserve: no number
			r = IssueReservation{IssueDate: today, IssuedAt: s.now()}
		}
		issuedAt := r.IssuedAt.UTC()
		d.IssueDate, d.IssuedAt = r.IssueDate, &issuedAt
		if r.Serial > 0 {
			num := FormatNumber(r.Series, r.Year, r.Serial)
			d.Series, d.Year, d.Serial, d.Number, d.VerifyToken = r.Series, r.Year, r.Serial, &num, &r.VerifyToken
			d.AccessCodeHash = p.AccessCodeHash
		}
		return nil
	})
	return dc, fp, err
}

// finishIssue renders document dc.Document (its number reserved), stores
// the bytes outside any transaction when the blob store keeps them
// elsewhere, and then, in issuing's second transaction, turns it issued.
func (s *Store) finishIssue(ctx context.Context, a Actor, p IssueParams, dc *DocumentContext, fp string) (*Document, error) {
	// The number is taken: a passing outage of the database (the render
	// reads the signing key, putFile may write) is waited out like the
	// second transaction's below, not answered with an error that leaves
	// the number reserved until a retry or resumeIssues.
	var out *Rendered
	if err := untilAvailable(ctx, func() (err error) { out, err = p.Render(ctx, dc); return err }); err != nil {
		return nil, err
	}
	var file, rfile *DocumentFile
	var sum, rsum string
	if err := untilAvailable(ctx, func() (err error) { file, sum, err = s.putFile(ctx, out.PDF, out.Data); return err }); err != nil {
		return nil, err
	}
	if out.Receipt != nil {
		if err := untilAvailable(ctx, func() (err error) {
			rfile, rsum, err = s.putFile(ctx, out.Receipt.PDF, out.Receipt.Data)
			return err
		}); err != nil {
			return nil, err
		}
	}
	d := dc.Document
	var final *Case // the case as the committed transaction left it
	store := func(tx *gorm.DB) error {
		final = nil
		cur, err := s.loadForUpdate(tx, a.Scope, d.ID)
		if err != nil {
			return err
		}
		if cur.Status != DocApproved {
			return errs.E(errs.Conflict, "文书状态已变化，请刷新后重试")
		}
		c, err := s.caseForUpdate(tx, d.CaseID)
		if err != nil {
			return err
		}
		if caseFingerprint(cur, c) != fp {
			return errCaseChanged
		}
		if err := s.auditEmergency(ctx, tx, a, rules.ActIssue, cur, c, docState(cur, c)); err != nil {
			return err
		}
		res := tx.Where("document_id = ?", d.ID).Delete(&IssueReservation{})
		if res.Error != nil {
			return errs.Wrap(res.Error, "complete issue reservation")
		}
		if d.Number != nil && res.RowsAffected != 1 {
			return errs.E(errs.Conflict, "文书状态已变化，请刷新后重试")
		}
		set := map[string]any{"status": DocIssued, "issue_date": d.IssueDate, "issued_at": *d.IssuedAt}
		if d.Number != nil {
			maps(set, "series", d.Series, "year", d.Year, "serial", d.Serial, "number", *d.Number,
				"access_code_hash", d.AccessCodeHash, "verify_token", *d.VerifyToken)
		}
		d.SHA256, d.Fine, d.AnswerDays = sum, out.Fine, out.AnswerDays
		maps(set, "sha256", sum, "fine", out.Fine, "answer_days", out.AnswerDays)
		if err := setDocument(tx, d.ID, []string{DocApproved}, set); err != nil {
			return err
		}
		file.DocumentID = d.ID
		if err := tx.Create(file).Error; err != nil {
			return errs.Wrap(err, "store PDF")
		}
		d.Status = DocIssued
		detail := "issue_date=" + d.IssueDate
		if d.Number != nil {
			detail = "number=" + *d.Number + " " + detail
		}
		if err := s.auditDoc(ctx, tx, a, "issue", d, c, DocApproved, DocIssued, detail); err != nil {
			return err
		}
		if out.Receipt != nil {
			if err := s.storeReceipt(ctx, tx, a, d, out.Receipt, rfile, rsum); err != nil {
				return err
			}
		}
		if old := dc.Corrects; old != nil {
			if err := setDocument(tx, old.ID, []string{DocIssued, DocServed}, map[string]any{"status": DocSuperseded, "superseded_by_id": d.ID}); err != nil {
				return err
			}
			if err := s.auditDoc(ctx, tx, a, "supersede", old, c, old.Status, DocSuperseded, fmt.Sprintf("superseded by document %d (%s)", d.ID, deref(d.Number))); err != nil {
				return err
			}
			if d.RevisionFacts != nil {
				if err := applyRevision(tx, d, c); err != nil {
					return err
				}
				if err := s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "correct_case",
					Entity: "case", EntityID: c.ID, FromStatus: c.Status, ToStatus: c.Status,
					Detail: fmt.Sprintf("facts corrected by document %d (%s) reason=%s", d.ID, deref(d.Number), d.CorrectionReason)}); err != nil {
					return err
				}
			}
		}
		if err := s.advanceCase(ctx, tx, a, d, c, out.Fine); err != nil {
			return err
		}
		final = c
		return nil
	}
	// The database going away (a restart) does not lose the number: try
	// again until it is back or the finishing time is up.
	if err := untilAvailable(ctx, func() error { return s.issueTx(ctx, store) }); err != nil {
		return nil, err
	}
	if final != nil {
		dc.Case = final // the caller's answer shows the case as issuing left it
	}
	d.PDF, d.DataJSON = out.PDF, string(out.Data)
	return d, nil
}

// untilAvailable runs fn, and again while it fails because the database
// is unavailable, with growing pauses, until ctx ends.
func untilAvailable(ctx context.Context, fn func() error) error {
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 2*time.Second) {
		err := fn()
		if !errs.Is(err, errs.Unavailable) || ctx.Err() != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// PendingIssues lists the numbers taken longer than age ago whose
// documents are not issued yet (ResumeIssues completes them).
func (s *Store) PendingIssues(ctx context.Context, age time.Duration) ([]IssueReservation, error) {
	var rs []IssueReservation
	if err := s.conn(ctx).Where("created_at <= ?", s.now().Add(-age)).Order("document_id").Find(&rs).Error; err != nil {
		return nil, errs.Wrap(err, "list issue reservations")
	}
	return rs, nil
}

// reserved reports whether document id has a number taken for it.
func reserved(tx *gorm.DB, id uint) (bool, error) {
	var n int64
	if err := tx.Model(&IssueReservation{}).Where("document_id = ?", id).Count(&n).Error; err != nil {
		return false, errs.Wrap(err, "load issue reservation")
	}
	return n > 0, nil
}

func maps(m map[string]any, kv ...any) {
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// storeReceipt inserts the service receipt issued with document d, its
// file (PDF stored already, SHA-256 sum).
func (s *Store) storeReceipt(ctx context.Context, tx *gorm.DB, a Actor, d *Document, r *Rendered, f *DocumentFile, sum string) error {
	rc := &Document{CaseID: d.CaseID, AuthorityID: d.AuthorityID, Kind: rules.KindServiceReceipt, Status: DocIssued,
		TemplateVersion: r.TemplateVersion, ServesID: &d.ID, IssueDate: d.IssueDate, IssuedAt: d.IssuedAt,
		SHA256: sum, CreatedByID: a.UserID}
	if err := tx.Create(rc).Error; err != nil {
		return errs.Wrap(err, "store service receipt")
	}
	f.DocumentID = rc.ID
	if err := tx.Create(f).Error; err != nil {
		return errs.Wrap(err, "store service receipt PDF")
	}
	d.ReceiptID = rc.ID
	return s.auditDoc(ctx, tx, a, "issue", rc, nil, "", DocIssued, fmt.Sprintf("service receipt of document %d (%s)", d.ID, deref(d.Number)))
}

// advanceCase moves case c on when document d is issued: a decision whose
// penalties need executing (anything but a warning) leaves the case
// executing, with the payment state of its fine; any other decision
// closes it, as does the closing report the head approved.
func (s *Store) advanceCase(ctx context.Context, tx *gorm.DB, a Actor, d *Document, c *Case, fine float64) error {
	to, state, action, detail := "", c.PaymentState, "close_case", "decision "+deref(d.Number)
	switch {
	case IsDecision(d.Kind) && c.Status != CaseClosed && rules.NeedsExecution(c.Evaluation.Penalties):
		to, action = CaseExecuting, "execute_case"
		if fine > 0 && state == "" {
			state = rules.PayUnpaid
		}
	case IsDecision(d.Kind) && c.Status != CaseClosed:
		to = CaseClosed
	case d.Kind == rules.KindClosingReport:
		to, detail = CaseClosed, fmt.Sprintf("closing report %d", d.ID)
	}
	if to == "" || to == c.Status {
		return nil
	}
	if err := tx.Model(&Case{}).Where("id = ?", c.ID).Updates(map[string]any{"status": to, "payment_state": state}).Error; err != nil {
		return errs.Wrap(err, "advance case")
	}
	from := c.Status
	c.Status, c.PaymentState = to, state
	return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: action,
		Entity: "case", EntityID: c.ID, FromStatus: from, ToStatus: to, Detail: detail})
}

// checkExecutionDocument refuses a reminder when nothing is overdue, a
// closing report while the case may not close, and a hearing notice that
// reaches the party less than 7 working days before the hearing.
func (s *Store) checkExecutionDocument(tx *gorm.DB, dc *DocumentContext, today string) error {
	d, c := dc.Document, dc.Case
	switch d.Kind {
	case rules.KindHearingNotice:
		if rules.Decided(c.Status) {
			return errs.E(errs.Conflict, "案件已作出决定，不能再签发听证通知书")
		}
		if c.HearingScheduled == "" || c.HearingPlace == "" || c.HearingHostID == nil {
			return errs.E(errs.Conflict, "请先在案件中记录听证的时间、地点和主持人")
		}
		return rules.CheckHearingDate(dc.Calendar, today, c.HearingScheduled)
	case rules.KindReminder, rules.KindClosingReport:
		r, err := s.execution(tx, c)
		if err != nil {
			return err
		}
		st := ExecutionCaseState(c, r, today)
		if !slices.Contains(rules.DraftKinds(st), d.Kind) {
			if d.Kind == rules.KindClosingReport {
				return rules.ErrNotClosable
			}
			return errs.E(errs.Conflict, "当事人没有逾期未履行的缴款义务，无需催告")
		}
	case rules.KindPenaltyDecision:
		if c.HearingRequested != "" && !c.HearingHeld {
			return rules.ErrHearingPending
		}
	}
	return nil
}

// checkProcedure refuses to issue what the law does not allow yet: a
// second decision of a case, a penalty decision before its advance notice
// was served and the answer period ran out (unless the party waived or was
// heard).
func (s *Store) checkProcedure(tx *gorm.DB, dc *DocumentContext, today string) error {
	d, c := dc.Document, dc.Case
	if err := rules.CheckSeal(len(dc.Authority.SealPNG) > 0); err != nil {
		return err
	}
	if err := s.checkExecutionDocument(tx, dc, today); err != nil {
		return err
	}
	if IsDecision(d.Kind) {
		// One decision per case; a correction replaces it.
		var others []Document
		if err := tx.Select("id", "number", "kind").Where("case_id = ? AND id <> ? AND kind IN ? AND status IN ?",
			c.ID, d.ID, rules.DecisionKinds, []string{DocIssued, DocServed}).Find(&others).Error; err != nil {
			return errs.Wrap(err, "load decisions of case")
		}
		for _, o := range others {
			if d.CorrectsID == nil || *d.CorrectsID != o.ID {
				return errs.E(errs.Conflict, "本案已作出决定（%s），不能再签发新的决定书；如需更正，请制作更正文书", deref(o.Number))
			}
		}
		var pending int64
		if err := tx.Model(&IssueReservation{}).Where("case_id = ? AND document_id <> ? AND kind IN ?", c.ID, d.ID, rules.DecisionKinds).
			Count(&pending).Error; err != nil {
			return errs.Wrap(err, "load issue reservations of case")
		}
		if pending > 0 {
			return errs.E(errs.Conflict, "本案另一份决定书正在签发，不能再签发新的决定书")
		}
	}
	if d.Kind != rules.KindPenaltyDecision {
		return nil
	}
	n := dc.Notice
	if n == nil {
		return rules.ErrNoticeNotServed
	}
	if c.Waived || c.HearingHeld {
		return nil
	}
	days := n.AnswerDays // the period the notice printed
	if days <= 0 {
		days = rules.AnswerPeriod(dc.Authority.AnswerPeriodDays, dc.Item.Domain)
	}
	due, err := dc.Calendar.AddWorkdays(n.ServedDate, days)
	if err != nil {
		return errs.Wrap(err, "answer period of notice %d", n.ID)
	}
	if today <= due {
		return errs.E(errs.Invalid, "事先告知书（%s）于%s送达，当事人陈述、申辩的期限（%d个工作日）至%s届满，期满后方可签发决定书；当事人明确放弃的，请先记录放弃",
			deref(n.Number), n.ServedDate, days, due)
	}
	return nil
}

// sequenceKey names a number sequence: authority, series, year.
type sequenceKey struct {
	authority uint
	series    string
	year      int
}

// ensureSequence creates the counter of (authority, series, year) when it
// does not exist yet; a concurrent creator's row wins, which is fine.
func (s *Store) ensureSequence(db *gorm.DB, authorityID uint, series string, year int) error {
	// Read first: the row exists but once a year, and the insert would wait
	// on (MySQL) or take (SQLite) the write lock an issuer holds.
	var n int64
	if err := db.Model(&NumberSequence{}).Where("authority_id = ? AND series = ? AND year = ?", authorityID, series, year).Count(&n).Error; err != nil {
		return errs.Wrap(err, "find number sequence")
	}
	if n > 0 {
		return nil
	}
	seq := NumberSequence{AuthorityID: authorityID, Series: series, Year: year}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&seq).Error; err != nil && !duplicate(err) {
		return errs.Wrap(err, "create number sequence")
	}
	return nil
}

// nextNumber takes the next serial of a series in tx, holding the sequence
// row's lock until tx ends.
func (s *Store) nextNumber(tx *gorm.DB, authorityID uint, series string, year int) (int64, error) {
	var seq NumberSequence
	q := func() error {
		return s.lock(tx).Where("authority_id = ? AND series = ? AND year = ?", authorityID, series, year).First(&seq).Error
	}
	err := q()
	if errors.Is(err, gorm.ErrRecordNotFound) { // the year turned since ensureSequence
		if err := s.ensureSequence(tx, authorityID, series, year); err != nil {
			return 0, err
		}
		err = q()
	}
	if err != nil {
		return 0, errs.Wrap(err, "lock number sequence")
	}
	res := tx.Model(&NumberSequence{}).Where("id = ? AND last = ?", seq.ID, seq.Last).Update("last", seq.Last+1)
	if res.Error != nil {
		return 0, errs.Wrap(res.Error, "advance number sequence")
	}
	if res.RowsAffected != 1 {
		return 0, errs.E(errs.Conflict, "文书编号被占用，请重试")
	}
	return seq.Last + 1, nil
}

// Service is how, when, where and to whom a document was served.
type Service struct {
	Method    string // 直接送达…
	Date      string // YYYY-MM-DD
	Recipient string
	Place     string
}

// checkHearingService refuses serving a hearing notice on date when the
// hearing lies less than 7 working days after it: the law counts from the
// party's notification ("举行听证的七日前，通知当事人", APL Art. 64 ¶1 (2)).
func (s *Store) checkHearingService(tx *gorm.DB, caseID uint, date string) error {
	var c Case
	if err := tx.Select("id", "hearing_scheduled").First(&c, caseID).Error; err != nil {
		return notFound(err, "案件")
	}
	cal, err := s.calendar(tx)
	if err != nil {
		return err
	}
	if err := rules.CheckHearingDate(cal, date, c.HearingScheduled); err != nil {
		var e *errs.Error
		if errors.As(err, &e) {
			return errs.Field("date", e.Message)
		}
		return err
	}
	return nil
}

// ServeDocument records service of an issued document (and of the service
// receipt issued with it): issued → served. The date may not lie before the
// issue date or in the future.
func (s *Store) ServeDocument(ctx context.Context, a Actor, id uint, sv Service) (*Document, error) {
	var d *Document
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		d, err = s.serve(ctx, tx, a, id, sv)
		return err
	})
	return d, err
}

// serve records service of document id (and of its receipts) in tx.
func (s *Store) serve(ctx context.Context, tx *gorm.DB, a Actor, id uint, sv Service) (*Document, error) {
	d, err := s.loadForUpdate(tx, a.Scope, id)
	if err != nil {
		return nil, err
	}
	err = func() error {
		if err := rules.MayDocument(a.Staff(), rules.ActServe, docState(d, nil)); err != nil {
			return err
		}
		if sv.Date < d.IssueDate {
			return errs.Field("date", "送达日期不能早于签发日期"+d.IssueDate)
		}
		if sv.Date > s.Today() {
			return errs.Field("date", "送达日期不能晚于今天")
		}
		if d.Kind == rules.KindHearingNotice {
			if err := s.checkHearingService(tx, d.CaseID, sv.Date); err != nil {
				return err
			}
		}
		now := s.now()
		set := map[string]any{"status": DocServed, "served_date": sv.Date, "served_at": now,
			"service_method": sv.Method, "served_to": sv.Recipient, "service_place": sv.Place}
		if err := setDocument(tx, id, []string{DocIssued}, set); err != nil {
			return err
		}
		d.Status, d.ServedDate, d.ServedAt, d.ServiceMethod, d.ServedTo, d.ServicePlace = DocServed, sv.Date, &now, sv.Method, sv.Recipient, sv.Place
		detail := fmt.Sprintf("method=%s date=%s recipient=%s place=%s", sv.Method, sv.Date, sv.Recipient, sv.Place)
		if err := s.auditDoc(ctx, tx, a, "serve", d, nil, DocIssued, DocServed, detail); err != nil {
			return err
		}
		var receipts []Document
		if err := tx.Select("id", "sha256", "kind").Where("serves_id = ? AND status = ?", id, DocIssued).Find(&receipts).Error; err != nil {
			return errs.Wrap(err, "load service receipts")
		}
		for i := range receipts {
			if err := setDocument(tx, receipts[i].ID, []string{DocIssued}, set); err != nil {
				return err
			}
			if err := s.auditDoc(ctx, tx, a, "serve", &receipts[i], nil, DocIssued, DocServed, detail); err != nil {
				return err
			}
		}
		return nil
	}()
	return d, err
}

// CorrectDocument starts the correction of an issued document, for reason:
// a new draft of the same kind and case that names the document it
// corrects and carries a revision of the case facts to edit (a copy of
// them until edited). When the correction is issued, the old document
// becomes superseded and the revision the case's facts.
func (s *Store) CorrectDocument(ctx context.Context, a Actor, id uint, reason string) (*Document, error) {
	var nd *Document
	err := s.transact(ctx, func(tx *gorm.DB) error {
		old, err := s.loadForUpdate(tx, a.Scope, id)
		if err != nil {
			return err
		}
		if err := rules.MayDocument(a.Staff(), rules.ActCorrect, docState(old, nil)); err != nil {
			return err
		}
		var open []Document
		if err := tx.Select("id").Where("corrects_id = ? AND status IN ?", id, openStatuses).Find(&open).Error; err != nil {
			return errs.Wrap(err, "load corrections")
		}
		if len(open) > 0 {
			return errs.E(errs.Conflict, "该文书已有未签发的更正文书（#%d）", open[0].ID)
		}
		var t TemplateVersion
		if err := tx.Select("version").Where("kind = ? AND active = ?", old.Kind, true).First(&t).Error; err != nil {
			return notFound(err, "该文书种类的模板")
		}
		c, err := s.caseForUpdate(tx, old.CaseID)
		if err != nil {
			return err
		}
		f, ev := c.Facts, c.Evaluation
		nd = &Document{CaseID: old.CaseID, AuthorityID: old.AuthorityID, Kind: old.Kind, Status: DocDraft,
			TemplateVersion: t.Version, CorrectsID: &old.ID, CreatedByID: a.UserID, Basis: rules.BasisOf(f, ev),
			RevisionFacts: &f, RevisionEvaluation: &ev, CorrectionReason: reason}
		if err := tx.Create(nd).Error; err != nil {
			return errs.Wrap(err, "create correction")
		}
		if err := s.auditDoc(ctx, tx, a, "create_correction", nd, nil, "", DocDraft, fmt.Sprintf("corrects document %d (%s) reason=%s", old.ID, deref(old.Number), reason)); err != nil {
			return err
		}
		return s.auditDoc(ctx, tx, a, "correction_started", old, nil, old.Status, old.Status, fmt.Sprintf("correction document %d", nd.ID))
	})
	return nd, err
}

// Statement is the party's statement and defence with the authority's
// review, the hearing, or the waiver.
type Statement struct {
	Statement     string
	Outcome       string // rules.Statement*
	Reason        string
	HearingHeld   bool
	HearingDate   string
	HearingResult string
	Waived        bool
}

// caseToAct locks case id for actor a to take act on it: another
// authority's case is not found, and the permission rule is checked on the
// locked row.
func (s *Store) caseToAct(tx *gorm.DB, a Actor, id uint, act rules.Action) (*Case, error) {
	c, err := s.caseForUpdate(tx, id)
	if err != nil {
		return nil, err
	}
	if err := a.Scope.hide(c.AuthorityID, "案件"); err != nil {
		return nil, err
	}
	if err := rules.MayCase(a.Staff(), act, CaseState(c)); err != nil {
		return nil, err
	}
	return c, nil
}

// RecordStatement stores what the party said (or that it waived its
// rights) on the case, until the case is decided.
func (s *Store) RecordStatement(ctx context.Context, a Actor, caseID uint, st Statement) (*Case, error) {
	var c *Case
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if c, err = s.caseToAct(tx, a, caseID, rules.ActStatement); err != nil {
			return err
		}
		if err := tx.Model(&Case{}).Where("id = ?", caseID).Updates(map[string]any{"statement": st.Statement,
			"statement_outcome": st.Outcome, "statement_reason": st.Reason, "hearing_held": st.HearingHeld,
			"hearing_date": st.HearingDate, "hearing_result": st.HearingResult, "waived": st.Waived}).Error; err != nil {
			return errs.Wrap(err, "record statement")
		}
		c.Statement, c.StatementOutcome, c.StatementReason = st.Statement, st.Outcome, st.Reason
		c.HearingHeld, c.HearingDate, c.HearingResult, c.Waived = st.HearingHeld, st.HearingDate, st.HearingResult, st.Waived
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "record_statement",
			Entity: "case", EntityID: caseID, FromStatus: c.Status, ToStatus: c.Status,
			Detail: fmt.Sprintf("hearing_held=%t hearing_date=%s waived=%t statement=%q outcome=%s reason=%q hearing_result=%q",
				st.HearingHeld, st.HearingDate, st.Waived, st.Statement, st.Outcome, st.Reason, st.HearingResult)})
	})
	return c, err
}

// Discussion is the heads' collective discussion of a case.
type Discussion struct {
	Date, Participants, Conclusion string
}

// RecordDiscussion stores the heads' collective discussion of a complex
// or major case, until the case is decided; a penalty decision of such a
// case is approved only after it.
func (s *Store) RecordDiscussion(ctx context.Context, a Actor, caseID uint, dd Discussion) (*Case, error) {
	var c *Case
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if c, err = s.caseToAct(tx, a, caseID, rules.ActDiscussion); err != nil {
			return err
		}
		if err := tx.Model(&Case{}).Where("id = ?", caseID).Updates(map[string]any{"discussion_date": dd.Date,
			"discussion_participants": dd.Participants, "discussion_conclusion": dd.Conclusion}).Error; err != nil {
			return errs.Wrap(err, "record discussion")
		}
		c.DiscussionDate, c.DiscussionParticipants, c.DiscussionConclusion = dd.Date, dd.Participants, dd.Conclusion
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "record_discussion",
			Entity: "case", EntityID: caseID, FromStatus: c.Status, ToStatus: c.Status,
			Detail: fmt.Sprintf("date=%s participants=%q conclusion=%q", dd.Date, dd.Participants, dd.Conclusion)})
	})
	return c, err
}

// DocumentContext is a document with everything it prints, read together:
// its case (facts, evaluation, statement), authority and item, the served
// advance notice a penalty decision follows, the document a correction
// corrects or a service receipt serves, and the official calendar.
type DocumentContext struct {
	Document  *Document
	Case      *Case
	Authority *Authority
	Item      *CatalogItem
	Notice    *Document
	Corrects  *Document
	Serves    *Document
	Calendar  rules.Calendar
	// Execution is the decided case's execution, for the reminder and the
	// closing report; Today the day it is figured on.
	Execution *ExecutionRecord
	Today     string
	// Officers are the enforcement officers the case names.
	Officers []User
}

// DocumentContext loads document id and what it prints, for a draft's
// render; issuing reads the same inside its transaction.
func (s *Store) DocumentContext(ctx context.Context, sc Scope, id uint) (*DocumentContext, error) {
	var dc *DocumentContext
	err := s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		var d Document
		if err := tx.Omit("pdf").First(&d, id).Error; err != nil {
			return notFound(err, "文书")
		}
		if err := sc.hide(d.AuthorityID, "文书"); err != nil {
			return err
		}
		var c Case
		if err := tx.First(&c, d.CaseID).Error; err != nil {
			return notFound(err, "案件")
		}
		var err error
		if dc, err = s.documentContext(tx, &d, &c); err != nil {
			return err
		}
		if d.CorrectsID != nil {
			var old Document
			if err := tx.Omit("pdf").First(&old, *d.CorrectsID).Error; err != nil {
				return notFound(err, "被更正的文书")
			}
			dc.Corrects = &old
		}
		return nil
	})
	return dc, err
}

// servedAdvanceNotice is the case's latest served advance notice, nil for
// none.
func servedAdvanceNotice(tx *gorm.DB, caseID uint) (*Document, error) {
	var n Document
	err := tx.Omit("pdf").Where("case_id = ? AND kind = ? AND status = ?", caseID, rules.KindAdvanceNotice, DocServed).
		Order("id DESC").First(&n).Error
	switch {
	case err == nil:
		return &n, nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return nil, nil
	}
	return nil, errs.Wrap(err, "load advance notice")
}

// documentContext reads, in tx, what document d of case c prints beside
// them (Corrects is the caller's: issuing has it locked already).
func (s *Store) documentContext(tx *gorm.DB, d *Document, c *Case) (*DocumentContext, error) {
	dc := &DocumentContext{Document: d, Case: c, Authority: &Authority{}, Item: &CatalogItem{}}
	if err := tx.First(dc.Authority, c.AuthorityID).Error; err != nil {
		return nil, notFound(err, "执法机关")
	}
	if err := tx.First(dc.Item, c.ItemID).Error; err != nil {
		return nil, notFound(err, "违法行为事项")
	}
	if d.Kind == rules.KindPenaltyDecision || d.Kind == rules.KindHearingNotice {
		n, err := servedAdvanceNotice(tx, c.ID)
		if err != nil {
			return nil, err
		}
		dc.Notice = n
	}
	if d.ServesID != nil {
		var sv Document
		if err := tx.Omit("pdf").First(&sv, *d.ServesID).Error; err != nil {
			return nil, notFound(err, "所送达的文书")
		}
		dc.Serves = &sv
	}
	var err error
	if dc.Calendar, err = s.calendar(tx); err != nil {
		return nil, err
	}
	if dc.Officers, err = caseOfficers(tx, c); err != nil {
		return nil, err
	}
	dc.Today = s.Today()
	if d.Kind == rules.KindReminder || d.Kind == rules.KindClosingReport {
		if dc.Execution, err = s.execution(tx, c); err != nil {
			return nil, err
		}
	}
	return dc, nil
}

// Reserved tells whether document id's number is still reserved: its
// issue took the number and did not finish (false also when that cannot
// be read).
func (s *Store) Reserved(ctx context.Context, id uint) bool {
	ok, err := reserved(s.conn(ctx), id)
	return err == nil && ok
}
