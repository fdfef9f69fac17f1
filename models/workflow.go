package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
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

// china is the offices' time zone, for issue dates and deadlines.
var china = time.FixedZone("CST", 8*3600)

// Today is the current date in China, YYYY-MM-DD.
func (s *Store) Today() string { return s.now().In(china).Format(dateLayout) }

// IsDecision reports whether kind decides a case.
func IsDecision(kind string) bool { return slices.Contains(decisionKinds, kind) }

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
func Numbered(kind string) bool { return kind != rules.KindServiceReceipt }

// FormatNumber writes a document number: 杭市监处罚〔2026〕12号.
func FormatNumber(prefix string, year int, serial int64) string {
	return fmt.Sprintf("%s〔%d〕%d号", prefix, year, serial)
}

// loadForUpdate locks and loads a document without its PDF.
func (s *Store) loadForUpdate(tx *gorm.DB, id uint) (*Document, error) {
	var d Document
	if err := s.lock(tx).Omit("pdf").First(&d, id).Error; err != nil {
		return nil, notFound(err, "文书")
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
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%t\x00%s\x00%t", c.FactsJSON, c.EvaluationJSON, c.Statement, c.HearingHeld, c.HearingResult, c.Waived)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (s *Store) auditDoc(ctx context.Context, tx *gorm.DB, a Actor, action string, d *Document, c *Case, from, to, detail string) error {
	return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: action,
		Entity: "document", EntityID: d.ID, FromStatus: from, ToStatus: to, Detail: detail, DocSHA256: documentHash(d, c)})
}

// transact runs fn in a transaction, again (up to 5 times) when MySQL
// reports a deadlock or a lock wait timeout, or SQLite stays busy.
func (s *Store) transact(ctx context.Context, fn func(tx *gorm.DB) error) error {
	for attempt := 0; ; attempt++ {
		err := s.conn(ctx).Transaction(fn)
		if err == nil || attempt == 5 || !retryable(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(5+rand.IntN(20*(attempt+1))) * time.Millisecond)
	}
}

func retryable(err error) bool {
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
		if d, err = s.loadForUpdate(tx, id); err != nil {
			return err
		}
		if d.Status != DocDraft {
			return errs.E(errs.Conflict, "只有草稿可以提交审核（当前状态：%s）", statusName(d.Status))
		}
		c, err := s.caseForUpdate(tx, d.CaseID)
		if err != nil {
			return err
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

// Approval says in which capacity the caller may approve: as a legal
// reviewer (法制审核), as the approving head (负责人), or both (admin).
type Approval struct {
	Reviewer bool
	Approver bool
	// Admin may take both stages; anyone else may not approve what they
	// reviewed, so legal review and approval are two people's work.
	Admin bool
}

// ApproveDocument approves a document under review. A decision whose case
// requires legal review (evaluation.legal_review_required) takes two
// stages: a reviewer first, then an approver; anything else takes one
// approval by either.
func (s *Store) ApproveDocument(ctx context.Context, a Actor, as Approval, id uint) (*Document, error) {
	var d *Document
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if d, err = s.loadForUpdate(tx, id); err != nil {
			return err
		}
		if d.Status != DocReviewing {
			return errs.E(errs.Conflict, "只有审核中的文书可以批准（当前状态：%s）", statusName(d.Status))
		}
		c, err := s.caseForUpdate(tx, d.CaseID)
		if err != nil {
			return err
		}
		ev, err := c.Evaluation()
		if err != nil {
			return err
		}
		twoStage := IsDecision(d.Kind) && ev.LegalReviewRequired
		switch {
		case twoStage && d.ReviewStage == 0:
			if !as.Reviewer {
				return errs.E(errs.Forbidden, "本案须经法制审核：请先由审核人员审核，再由负责人批准")
			}
			today := s.Today()
			if err := setDocument(tx, id, []string{DocReviewing}, map[string]any{"review_stage": 1, "legal_review_date": today}); err != nil {
				return err
			}
			d.ReviewStage, d.LegalReviewDate = 1, today
			return s.auditDoc(ctx, tx, a, "legal_review", d, c, DocReviewing, DocReviewing, "法制审核通过")
		case twoStage:
			if !as.Approver {
				return errs.E(errs.Forbidden, "法制审核已通过，须由负责人批准")
			}
			if !as.Admin {
				var rev AuditEntry
				if err := tx.Where("entity = ? AND entity_id = ? AND action = ?", "document", id, "legal_review").
					Order("id DESC").Limit(1).Find(&rev).Error; err != nil {
					return errs.Wrap(err, "read legal review")
				}
				if rev.ID != 0 && rev.UserID == a.UserID {
					return errs.E(errs.Forbidden, "法制审核和负责人批准不能由同一人完成")
				}
			}
		default:
			if !as.Reviewer && !as.Approver {
				return errs.E(errs.Forbidden, "当前账号无权批准文书")
			}
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
		return nil, &errs.Error{Code: errs.Invalid, Message: "退回须写明意见", Fields: map[string]string{"comment": "退回须写明意见"}}
	}
	var d *Document
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if d, err = s.loadForUpdate(tx, id); err != nil {
			return err
		}
		from := d.Status
		if from != DocReviewing && from != DocApproved {
			return errs.E(errs.Conflict, "只有审核中或已批准未签发的文书可以退回（当前状态：%s）", statusName(from))
		}
		c, err := s.caseForUpdate(tx, d.CaseID)
		if err != nil {
			return err
		}
		if err := setDocument(tx, id, []string{from}, map[string]any{"status": DocDraft, "review_stage": 0,
			"legal_review_date": "", "comment": comment}); err != nil {
			return err
		}
		d.Status, d.ReviewStage, d.LegalReviewDate, d.Comment = DocDraft, 0, "", comment
		return s.auditDoc(ctx, tx, a, "return", d, c, from, DocDraft, comment)
	})
	return d, err
}

// Rendered is what the issuing callback produces: the final PDF and the
// render input it was made from (JSON), and optionally the companion
// service receipt that prints the party's access code.
type Rendered struct {
	PDF  []byte
	Data []byte
	// Receipt is the service receipt (送达回证) issued with the document.
	Receipt *Rendered
	// TemplateVersion is the receipt's template version (Receipt only).
	TemplateVersion int
}

// IssueParams is what issuing takes. The access code hash and verify token
// are made before the transaction (bcrypt is slow); Render runs inside it,
// after the number is taken, so a failed render leaves no gap.
type IssueParams struct {
	ID             uint
	AccessCodeHash string // numbered kinds only
	VerifyToken    string // numbered kinds only
	// Render gets the document with Number, Series, Year, Serial and
	// IssueDate set, and returns its final bytes.
	Render func(ctx context.Context, d *Document) (*Rendered, error)
}

// sqliteIssue serialises issuing per SQLite store inside the process, so
// that concurrent issuers queue on a mutex instead of polling the busy
// handler; processes sharing a file still exclude each other through the
// immediate write transaction.
var sqliteIssue sync.Map // *Store → *sync.Mutex

// IssueDocument issues an approved document in one transaction: it checks
// the procedure, takes the next number of the document's series (locking
// the sequence row), renders the final PDF through p.Render, stores bytes,
// SHA-256, access code hash, verify token and render data, stores the
// companion service receipt, supersedes the document this one corrects and
// closes the case when a decision is issued. Issuing twice is a conflict
// and changes nothing.
func (s *Store) IssueDocument(ctx context.Context, a Actor, p IssueParams) (*Document, error) {
	var pre Document
	if err := s.conn(ctx).Select("id", "authority_id", "kind", "status").First(&pre, p.ID).Error; err != nil {
		return nil, notFound(err, "文书")
	}
	if isFrozen(pre.Status) {
		return nil, errs.E(errs.Conflict, "文书已签发，不能重复签发")
	}
	today := s.Today()
	year := mustYear(today)
	var prefix string
	if Numbered(pre.Kind) {
		auth, err := s.Authority(ctx, pre.AuthorityID)
		if err != nil {
			return nil, err
		}
		if prefix = auth.PrefixFor(pre.Kind); prefix == "" {
			return nil, errs.E(errs.Invalid, "执法机关未设置文书编号前缀")
		}
		if err := s.ensureSequence(s.conn(ctx), pre.AuthorityID, prefix, year); err != nil {
			return nil, err
		}
	}
	if s.dialect == DialectSQLite {
		mu, _ := sqliteIssue.LoadOrStore(s, &sync.Mutex{})
		mu.(*sync.Mutex).Lock()
		defer mu.(*sync.Mutex).Unlock()
	}
	var d *Document
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if d, err = s.loadForUpdate(tx, p.ID); err != nil {
			return err
		}
		if isFrozen(d.Status) {
			return errs.E(errs.Conflict, "文书已签发（%s），不能重复签发", deref(d.Number))
		}
		if d.Status != DocApproved {
			return errs.E(errs.Conflict, "文书尚未审批通过，不能签发（当前状态：%s）", statusName(d.Status))
		}
		c, err := s.caseForUpdate(tx, d.CaseID)
		if err != nil {
			return err
		}
		var old *Document
		if d.CorrectsID != nil {
			if old, err = s.loadForUpdate(tx, *d.CorrectsID); err != nil {
				return err
			}
			if old.Status != DocIssued && old.Status != DocServed {
				return errs.E(errs.Conflict, "被更正的文书已不是有效文书（当前状态：%s）", statusName(old.Status))
			}
		}
		if err := s.checkProcedure(tx, d, c, today); err != nil {
			return err
		}
		now := s.now()
		d.IssueDate, d.IssuedAt = today, &now
		set := map[string]any{"status": DocIssued, "issue_date": today, "issued_at": now}
		if Numbered(d.Kind) {
			serial, err := s.nextNumber(tx, d.AuthorityID, prefix, year)
			if err != nil {
				return err
			}
			num := FormatNumber(prefix, year, serial)
			d.Series, d.Year, d.Serial, d.Number = prefix, year, serial, &num
			d.AccessCodeHash, d.VerifyToken = p.AccessCodeHash, &p.VerifyToken
			maps(set, "series", prefix, "year", year, "serial", serial, "number", num,
				"access_code_hash", p.AccessCodeHash, "verify_token", p.VerifyToken)
		}
		out, err := p.Render(ctx, d)
		if err != nil {
			return err
		}
		if len(out.PDF) == 0 {
			return errs.E(errs.Internal, "渲染结果为空")
		}
		sum := sha256.Sum256(out.PDF)
		d.SHA256, d.DataJSON = hex.EncodeToString(sum[:]), string(out.Data)
		maps(set, "pdf", out.PDF, "sha256", d.SHA256, "data_json", d.DataJSON)
		if err := setDocument(tx, d.ID, []string{DocApproved}, set); err != nil {
			return err
		}
		d.Status = DocIssued
		detail := "issue_date=" + today
		if d.Number != nil {
			detail = "number=" + *d.Number + " " + detail
		}
		if err := s.auditDoc(ctx, tx, a, "issue", d, c, DocApproved, DocIssued, detail); err != nil {
			return err
		}
		if out.Receipt != nil {
			if err := s.storeReceipt(ctx, tx, a, d, out.Receipt, now); err != nil {
				return err
			}
		}
		if old != nil {
			if err := setDocument(tx, old.ID, []string{DocIssued, DocServed}, map[string]any{"status": DocSuperseded, "superseded_by_id": d.ID}); err != nil {
				return err
			}
			if err := s.auditDoc(ctx, tx, a, "supersede", old, c, old.Status, DocSuperseded, fmt.Sprintf("superseded by document %d (%s)", d.ID, deref(d.Number))); err != nil {
				return err
			}
		}
		if IsDecision(d.Kind) && c.Status != CaseClosed {
			if err := tx.Model(&Case{}).Where("id = ?", c.ID).Update("status", CaseClosed).Error; err != nil {
				return errs.Wrap(err, "close case")
			}
			if err := s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "close_case",
				Entity: "case", EntityID: c.ID, FromStatus: c.Status, ToStatus: CaseClosed, Detail: "decision " + deref(d.Number)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
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

// storeReceipt inserts the service receipt issued with document d.
func (s *Store) storeReceipt(ctx context.Context, tx *gorm.DB, a Actor, d *Document, r *Rendered, now time.Time) error {
	sum := sha256.Sum256(r.PDF)
	rc := &Document{CaseID: d.CaseID, AuthorityID: d.AuthorityID, Kind: rules.KindServiceReceipt, Status: DocIssued,
		TemplateVersion: r.TemplateVersion, ServesID: &d.ID, IssueDate: d.IssueDate, IssuedAt: &now,
		PDF: r.PDF, SHA256: hex.EncodeToString(sum[:]), DataJSON: string(r.Data), CreatedByID: a.UserID}
	if err := tx.Create(rc).Error; err != nil {
		return errs.Wrap(err, "store service receipt")
	}
	return s.auditDoc(ctx, tx, a, "issue", rc, nil, "", DocIssued, fmt.Sprintf("service receipt of document %d (%s)", d.ID, deref(d.Number)))
}

// checkProcedure refuses to issue what the law does not allow yet.
func (s *Store) checkProcedure(tx *gorm.DB, d *Document, c *Case, today string) error {
	if IsDecision(d.Kind) {
		// One decision per case; a correction replaces it.
		var others []Document
		if err := tx.Select("id", "number", "kind").Where("case_id = ? AND id <> ? AND kind IN ? AND status IN ?",
			c.ID, d.ID, decisionKinds, []string{DocIssued, DocServed}).Find(&others).Error; err != nil {
			return errs.Wrap(err, "load decisions of case")
		}
		for _, o := range others {
			if d.CorrectsID == nil || *d.CorrectsID != o.ID {
				return errs.E(errs.Conflict, "本案已作出决定（%s），不能再签发新的决定书；如需更正，请制作更正文书", deref(o.Number))
			}
		}
	}
	if d.Kind != rules.KindPenaltyDecision {
		return nil
	}
	var notice Document
	err := tx.Select("id", "number", "served_date", "status").
		Where("case_id = ? AND kind = ? AND status = ?", c.ID, rules.KindAdvanceNotice, DocServed).
		Order("id DESC").First(&notice).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errs.E(errs.Invalid, "签发行政处罚决定书前，须先签发并送达本案的行政处罚事先告知书（《行政处罚法》第四十四条）")
	}
	if err != nil {
		return errs.Wrap(err, "load advance notice")
	}
	if c.Waived || c.HearingHeld {
		return nil
	}
	var auth Authority
	if err := tx.Select("id", "answer_period_days").First(&auth, c.AuthorityID).Error; err != nil {
		return notFound(err, "执法机关")
	}
	days := auth.AnswerPeriodDays
	if days <= 0 {
		days = 5
	}
	cal, err := s.calendar(tx)
	if err != nil {
		return err
	}
	due, err := cal.AddWorkdays(notice.ServedDate, days)
	if err != nil {
		return errs.Wrap(err, "answer period of notice %d", notice.ID)
	}
	if today <= due {
		return errs.E(errs.Invalid, "事先告知书（%s）于%s送达，当事人陈述、申辩的期限（%d个工作日）至%s届满，期满后方可签发决定书；当事人明确放弃的，请先记录放弃",
			deref(notice.Number), notice.ServedDate, days, due)
	}
	return nil
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

// ServeDocument records service of an issued document (and of the service
// receipt issued with it): issued → served. The date may not lie before the
// issue date or in the future.
func (s *Store) ServeDocument(ctx context.Context, a Actor, id uint, sv Service) (*Document, error) {
	var d *Document
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if d, err = s.loadForUpdate(tx, id); err != nil {
			return err
		}
		switch d.Status {
		case DocIssued:
		case DocServed:
			return errs.E(errs.Conflict, "文书已于%s送达，不能重复记录", d.ServedDate)
		default:
			return errs.E(errs.Conflict, "只有已签发的有效文书可以记录送达（当前状态：%s）", statusName(d.Status))
		}
		if sv.Date < d.IssueDate {
			return &errs.Error{Code: errs.Invalid, Message: "送达日期不能早于签发日期" + d.IssueDate, Fields: map[string]string{"date": "送达日期不能早于签发日期" + d.IssueDate}}
		}
		if sv.Date > s.Today() {
			return &errs.Error{Code: errs.Invalid, Message: "送达日期不能晚于今天", Fields: map[string]string{"date": "送达日期不能晚于今天"}}
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
	})
	return d, err
}

// CorrectDocument starts the correction of an issued document: a new draft
// of the same kind and case that names the document it corrects. When the
// correction is issued, the old document becomes superseded.
func (s *Store) CorrectDocument(ctx context.Context, a Actor, id uint) (*Document, error) {
	var nd *Document
	err := s.transact(ctx, func(tx *gorm.DB) error {
		old, err := s.loadForUpdate(tx, id)
		if err != nil {
			return err
		}
		if old.Status != DocIssued && old.Status != DocServed {
			return errs.E(errs.Conflict, "只有已签发的有效文书可以更正（当前状态：%s）", statusName(old.Status))
		}
		if !Numbered(old.Kind) {
			return errs.E(errs.Invalid, "送达回证不能更正，请重新记录送达")
		}
		var open []Document
		if err := tx.Select("id").Where("corrects_id = ? AND status NOT IN ?", id, frozenStatuses).Find(&open).Error; err != nil {
			return errs.Wrap(err, "load corrections")
		}
		if len(open) > 0 {
			return errs.E(errs.Conflict, "该文书已有未签发的更正文书（#%d）", open[0].ID)
		}
		var t TemplateVersion
		if err := tx.Select("version").Where("kind = ? AND active = ?", old.Kind, true).First(&t).Error; err != nil {
			return notFound(err, "该文书种类的模板")
		}
		nd = &Document{CaseID: old.CaseID, AuthorityID: old.AuthorityID, Kind: old.Kind, Status: DocDraft,
			TemplateVersion: t.Version, CorrectsID: &old.ID, CreatedByID: a.UserID}
		if err := tx.Omit("PDF").Create(nd).Error; err != nil {
			return errs.Wrap(err, "create correction")
		}
		if err := s.auditDoc(ctx, tx, a, "create_correction", nd, nil, "", DocDraft, fmt.Sprintf("corrects document %d (%s)", old.ID, deref(old.Number))); err != nil {
			return err
		}
		return s.auditDoc(ctx, tx, a, "correction_started", old, nil, old.Status, old.Status, fmt.Sprintf("correction document %d", nd.ID))
	})
	return nd, err
}

// Statement is the party's statement and defence, hearing or waiver.
type Statement struct {
	Statement     string
	HearingHeld   bool
	HearingResult string
	Waived        bool
}

// RecordStatement stores what the party said (or that it waived its
// rights) on the case, until the case is decided.
func (s *Store) RecordStatement(ctx context.Context, a Actor, caseID uint, st Statement) (*Case, error) {
	var c *Case
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if c, err = s.caseForUpdate(tx, caseID); err != nil {
			return err
		}
		if c.Status == CaseClosed {
			return errs.E(errs.Conflict, "案件已作出决定，不能再记录陈述、申辩")
		}
		if err := tx.Model(&Case{}).Where("id = ?", caseID).Updates(map[string]any{"statement": st.Statement,
			"hearing_held": st.HearingHeld, "hearing_result": st.HearingResult, "waived": st.Waived}).Error; err != nil {
			return errs.Wrap(err, "record statement")
		}
		c.Statement, c.HearingHeld, c.HearingResult, c.Waived = st.Statement, st.HearingHeld, st.HearingResult, st.Waived
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "record_statement",
			Entity: "case", EntityID: caseID, FromStatus: c.Status, ToStatus: c.Status,
			Detail: fmt.Sprintf("hearing_held=%t waived=%t statement=%q hearing_result=%q", st.HearingHeld, st.Waived, st.Statement, st.HearingResult)})
	})
	return c, err
}

// ServedNotice returns the case's latest served advance notice, or nil.
func (s *Store) ServedNotice(ctx context.Context, caseID uint) (*Document, error) {
	var n Document
	err := s.conn(ctx).Omit("pdf").Where("case_id = ? AND kind = ? AND status = ?", caseID, rules.KindAdvanceNotice, DocServed).
		Order("id DESC").First(&n).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, errs.Wrap(err, "load advance notice")
	}
	return &n, nil
}

var statusNames = map[string]string{
	DocDraft: "草稿", DocReviewing: "审核中", DocApproved: "已批准", DocIssued: "已签发",
	DocServed: "已送达", DocSuperseded: "已被更正",
}

func statusName(s string) string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return s
}
