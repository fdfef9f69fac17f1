package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// The party's portal (远程办案): with the number and access code of its
// advance notice the party opens a short session, reads the notice and,
// within the answer period, submits a statement with evidence files, asks
// for a hearing, waives, or consents to electronic service.

// Portal submission kinds.
const (
	SubmitStatement = "statement" // 陈述、申辩
	SubmitHearing   = "hearing"   // 要求听证
	SubmitWaiver    = "waiver"    // 放弃陈述、申辩和听证
	SubmitConsent   = "consent"   // 送达地址确认书（电子送达）
)

// PortalSessionTTL is how long a portal session lives after it opens.
const PortalSessionTTL = 30 * time.Minute

// PortalSession is a party's session on the portal: the advance notice it
// opened with its number and access code, and the forms' CSRF token.
type PortalSession struct {
	ID        uint      `gorm:"primaryKey"`
	TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
	NoticeID  uint      `gorm:"not null"`
	CaseID    uint      `gorm:"not null"`
	CSRFToken string    `gorm:"size:64;not null"`
	IP        string    `gorm:"size:64;not null;default:''"`
	ExpiresAt time.Time `gorm:"not null;index"`
	CreatedAt time.Time
}

// PortalSubmission is one thing the party sent through the portal, with
// the SHA-256 it was given as its receipt and, for a statement, what the
// authority made of it.
type PortalSubmission struct {
	ID          uint   `gorm:"primaryKey" json:"id"`
	CaseID      uint   `gorm:"not null;index" json:"case_id"`
	AuthorityID uint   `gorm:"not null;index" json:"authority_id"`
	NoticeID    uint   `gorm:"not null" json:"notice_id"`
	Kind        string `gorm:"size:16;not null" json:"kind"`
	Text        string `gorm:"type:text" json:"text"`
	Email       string `gorm:"size:200;not null;default:''" json:"email,omitempty"`
	SHA256      string `gorm:"size:64;not null" json:"sha256"`
	IP          string `gorm:"size:64;not null;default:''" json:"-"`
	// Outcome and Reason: the officer's review of a statement
	// (rules.Statement*), recorded on the case too.
	Outcome      string       `gorm:"size:16;not null;default:''" json:"outcome,omitempty"`
	Reason       string       `gorm:"type:text" json:"reason,omitempty"`
	ReviewedByID *uint        `json:"reviewed_by_id,omitempty"`
	ReviewedAt   *time.Time   `json:"reviewed_at,omitempty"`
	CreatedAt    time.Time    `gorm:"not null" json:"created_at"`
	Files        []PortalFile `gorm:"foreignKey:SubmissionID" json:"files"`
}

// PortalFile is one evidence file of a submission; Data is omitted from
// lists and read only by PortalFileData.
type PortalFile struct {
	ID           uint      `gorm:"primaryKey" json:"id"`
	SubmissionID uint      `gorm:"not null;index" json:"submission_id"`
	CaseID       uint      `gorm:"not null;index" json:"case_id"`
	Name         string    `gorm:"size:200;not null" json:"name"`
	ContentType  string    `gorm:"size:50;not null" json:"content_type"`
	Size         int64     `gorm:"not null" json:"size"`
	SHA256       string    `gorm:"size:64;not null" json:"sha256"`
	Data         []byte    `gorm:"type:longblob" json:"-"`
	CreatedAt    time.Time `gorm:"not null" json:"created_at"`
}

// ServiceConsent is the party's consent to electronic service (送达地址确认书):
// the e-mail address, confirmed by the party on the portal or signed on
// paper and recorded by an officer.
type ServiceConsent struct {
	ID           uint      `gorm:"primaryKey" json:"id"`
	CaseID       uint      `gorm:"not null;index" json:"case_id"`
	AuthorityID  uint      `gorm:"not null;index" json:"authority_id"`
	Email        string    `gorm:"size:200;not null" json:"email"`
	Source       string    `gorm:"size:16;not null" json:"source"` // portal or paper
	SignedDate   string    `gorm:"size:10;not null" json:"signed_date"`
	RecordedByID uint      `gorm:"not null;default:0" json:"recorded_by_id"`
	SubmissionID *uint     `json:"submission_id,omitempty"`
	CreatedAt    time.Time `gorm:"not null" json:"created_at"`
}

// Consent sources.
const (
	ConsentPortal = "portal"
	ConsentPaper  = "paper"
)

// OpenPortal starts a portal session for advance notice n (the caller
// checked its number and access code) and answers the cookie token and the
// forms' CSRF token.
func (s *Store) OpenPortal(ctx context.Context, n *Document, ip string) (token, csrf string, err error) {
	token, csrf = NewToken(32), NewToken(18)
	now := s.now()
	ps := PortalSession{TokenHash: HashToken(token), NoticeID: n.ID, CaseID: n.CaseID, CSRFToken: csrf, IP: ip,
		ExpiresAt: now.Add(PortalSessionTTL), CreatedAt: now}
	if err := s.conn(ctx).Create(&ps).Error; err != nil {
		return "", "", errs.Wrap(err, "open portal session")
	}
	return token, csrf, nil
}

// errPortalSession is every unusable portal session: the party opens the
// notice again.
var errPortalSession = errs.E(errs.Unauthorized, "查询已过期，请重新输入告知书文号和查询码")

// PortalSession resolves a portal cookie token to its live session.
func (s *Store) PortalSession(ctx context.Context, token string) (*PortalSession, error) {
	if token == "" || len(token) > 100 {
		return nil, errPortalSession
	}
	var ps PortalSession
	err := s.conn(ctx).Where("token_hash = ? AND expires_at > ?", HashToken(token), s.now()).First(&ps).Error
	if err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, errPortalSession
		}
		return nil, errs.Wrap(err, "read portal session")
	}
	return &ps, nil
}

// ClosePortal ends a portal session.
func (s *Store) ClosePortal(ctx context.Context, token string) error {
	if err := s.conn(ctx).Where("token_hash = ?", HashToken(token)).Delete(&PortalSession{}).Error; err != nil {
		return errs.Wrap(err, "close portal session")
	}
	return nil
}

// PurgePortal deletes ended portal sessions.
func (s *Store) PurgePortal(ctx context.Context) (int64, error) {
	res := s.conn(ctx).Where("expires_at <= ?", s.now()).Delete(&PortalSession{})
	return res.RowsAffected, errs.Wrap(res.Error, "purge portal sessions")
}

// PortalState is what the portal shows of a notice's case: the notice,
// the answer period, what the party may still do, and what it sent.
type PortalState struct {
	Notice *Document
	Case   *Case
	// Due is the answer period's last day ("" while the notice's service
	// is not recorded: the period has not begun); Days its length.
	Due  string
	Days int
	// Open: the party may still submit (the period runs and the case is
	// not decided); Closed says why not.
	Open        bool
	Closed      string
	Submissions []PortalSubmission
	Consent     *ServiceConsent
	cal         rules.Calendar
}

// portalState reads the state of notice id's case in tx.
func (s *Store) portalState(tx *gorm.DB, noticeID uint, lock bool) (*PortalState, error) {
	var n Document
	if err := tx.Omit("pdf").First(&n, noticeID).Error; err != nil {
		return nil, notFound(err, "事先告知书")
	}
	if n.Kind != rules.KindAdvanceNotice || !isFrozen(n.Status) {
		return nil, errs.E(errs.NotFound, "未找到事先告知书")
	}
	var c *Case
	var err error
	if lock {
		c, err = s.caseForUpdate(tx, n.CaseID)
	} else {
		c = &Case{}
		err = notFound(tx.First(c, n.CaseID).Error, "案件")
	}
	if err != nil {
		return nil, err
	}
	st := &PortalState{Notice: &n, Case: c, Days: n.AnswerDays, Open: true}
	if st.cal, err = s.calendar(tx); err != nil {
		return nil, err
	}
	if n.ServedDate != "" {
		if st.Due, err = st.cal.AddWorkdays(n.ServedDate, st.Days); err != nil {
			return nil, errs.Wrap(err, "answer period of notice %d", n.ID)
		}
	}
	switch {
	case n.Status == DocSuperseded:
		st.Open, st.Closed = false, "该告知书已被更正，请以更正后的告知书为准。"
	case rules.Decided(c.Status) || c.Status == CaseWithdrawn:
		st.Open, st.Closed = false, "本案已作出处理决定，不再接收陈述、申辩。"
	case st.Due != "" && s.Today() > st.Due:
		st.Open, st.Closed = false, fmt.Sprintf("陈述、申辩期限已于%s届满（告知书于%s送达，期限%d个工作日），不能再在网上提交。如有正当理由，请与执法机关联系。",
			rules.ChineseDate(st.Due), rules.ChineseDate(n.ServedDate), st.Days)
	}
	if err := tx.Preload("Files", func(db *gorm.DB) *gorm.DB { return db.Omit("data").Order("id") }).
		Where("case_id = ?", c.ID).Order("id").Find(&st.Submissions).Error; err != nil {
		return nil, errs.Wrap(err, "load portal submissions")
	}
	if st.Consent, err = latestConsent(tx, c.ID); err != nil {
		return nil, err
	}
	return st, nil
}

// PortalState reads what the portal shows for advance notice id.
func (s *Store) PortalState(ctx context.Context, noticeID uint) (*PortalState, error) {
	return s.portalState(s.conn(ctx), noticeID, false)
}

func latestConsent(tx *gorm.DB, caseID uint) (*ServiceConsent, error) {
	var cs []ServiceConsent
	if err := tx.Where("case_id = ?", caseID).Order("id DESC").Limit(1).Find(&cs).Error; err != nil {
		return nil, errs.Wrap(err, "load service consent")
	}
	if len(cs) == 0 {
		return nil, nil
	}
	return &cs[0], nil
}

// PortalInput is one submission as the portal checked it.
type PortalInput struct {
	Kind   string
	Text   string
	Email  string
	SHA256 string // over the kind, text, address and files (casework)
	Files  []PortalFile
	// Hearing: the notice offered a hearing (its frozen render data).
	Hearing bool
	IP      string
}

// Submit stores the party's submission on the case of notice id in one
// transaction, within the answer period on the official calendar and
// before the case is decided: a statement with its files; a hearing
// request (the case's hearing_requested, today); a waiver (waived); a
// consent to electronic service (a ServiceConsent). Audited as the party.
func (s *Store) Submit(ctx context.Context, noticeID uint, in PortalInput) (*PortalSubmission, error) {
	var sub *PortalSubmission
	err := s.transact(ctx, func(tx *gorm.DB) error {
		st, err := s.portalState(tx, noticeID, true)
		if err != nil {
			return err
		}
		c, today := st.Case, s.Today()
		if !st.Open && in.Kind != SubmitConsent {
			return errs.E(errs.Conflict, "%s", st.Closed)
		}
		if in.Kind == SubmitConsent && (c.Status == CaseClosed || c.Status == CaseWithdrawn) {
			return errs.E(errs.Conflict, "本案已办结，无需再确认送达地址。")
		}
		set := map[string]any{}
		switch in.Kind {
		case SubmitStatement:
			if c.Waived {
				return errs.E(errs.Conflict, "您已声明放弃陈述、申辩的权利，不能再提交。")
			}
		case SubmitHearing:
			if !in.Hearing {
				return errs.E(errs.Conflict, "本案告知书未告知听证权利，不能在网上要求听证。")
			}
			if c.HearingRequested != "" {
				return errs.E(errs.Conflict, "您已于%s要求举行听证，执法机关将另行通知听证的时间和地点。", rules.ChineseDate(c.HearingRequested))
			}
			if c.Waived {
				return errs.E(errs.Conflict, "您已声明放弃陈述、申辩和听证的权利。")
			}
			if err := rules.CheckHearingRequest(st.cal, st.Notice.ServedDate, today); err != nil {
				var e *errs.Error
				if errors.As(err, &e) && len(e.Fields) > 0 {
					return errs.E(errs.Conflict, "%s", e.Fields["requested_date"])
				}
				return err
			}
			set["hearing_requested"] = today
		case SubmitWaiver:
			if c.Waived {
				return errs.E(errs.Conflict, "您已声明放弃，无需重复提交。")
			}
			if c.HearingRequested != "" || c.HearingHeld {
				return errs.E(errs.Conflict, "您已要求举行听证，不能在网上声明放弃；如需撤回听证要求，请与执法机关联系。")
			}
			set["waived"] = true
		case SubmitConsent:
		default:
			return errs.E(errs.Invalid, "提交类型无效")
		}
		now := s.now()
		sub = &PortalSubmission{CaseID: c.ID, AuthorityID: c.AuthorityID, NoticeID: noticeID, Kind: in.Kind, Text: in.Text,
			Email: in.Email, SHA256: in.SHA256, IP: in.IP, CreatedAt: now}
		if err := tx.Create(sub).Error; err != nil {
			return errs.Wrap(err, "store portal submission")
		}
		for i := range in.Files {
			f := in.Files[i]
			f.SubmissionID, f.CaseID, f.CreatedAt = sub.ID, c.ID, now
			if err := storePortalFile(tx, &f); err != nil {
				return err
			}
			f.Data = nil
			sub.Files = append(sub.Files, f)
		}
		if len(set) > 0 {
			if err := tx.Model(&Case{}).Where("id = ?", c.ID).Updates(set).Error; err != nil {
				return errs.Wrap(err, "record portal submission on case")
			}
		}
		if in.Kind == SubmitConsent {
			cs := ServiceConsent{CaseID: c.ID, AuthorityID: c.AuthorityID, Email: in.Email, Source: ConsentPortal,
				SignedDate: today, SubmissionID: &sub.ID, CreatedAt: now}
			if err := tx.Create(&cs).Error; err != nil {
				return errs.Wrap(err, "store service consent")
			}
		}
		names := make([]string, len(sub.Files))
		for i, f := range sub.Files {
			names[i] = f.Name + " " + f.SHA256
		}
		return s.audit(ctx, tx, AuditEntry{Username: "party", IP: in.IP, Action: "portal_" + in.Kind, Entity: "case", EntityID: c.ID,
			FromStatus: c.Status, ToStatus: c.Status, DocSHA256: sub.SHA256,
			Detail: fmt.Sprintf("submission=%d notice=%d email=%s files=[%s] text=%q", sub.ID, noticeID, in.Email, strings.Join(names, "; "), in.Text)})
	})
	return sub, err
}

// storePortalFile is the one place evidence files are stored (in the
// database today; a blob store would take Data here and keep a key).
func storePortalFile(tx *gorm.DB, f *PortalFile) error {
	if err := tx.Create(f).Error; err != nil {
		return errs.Wrap(err, "store evidence file")
	}
	return nil
}

// PortalFileData is one evidence file with its bytes, for the staff of
// the case's authority.
func (s *Store) PortalFileData(ctx context.Context, sc Scope, id uint) (*PortalFile, error) {
	var f PortalFile
	if err := s.conn(ctx).First(&f, id).Error; err != nil {
		return nil, notFound(err, "证据文件")
	}
	var c Case
	if err := s.conn(ctx).Select("id", "authority_id").First(&c, f.CaseID).Error; err != nil {
		return nil, notFound(err, "证据文件")
	}
	if err := sc.hide(c.AuthorityID, "证据文件"); err != nil {
		return nil, err
	}
	return &f, nil
}

// CaseSubmissions lists the portal submissions of a case (files without
// their bytes) and its latest consent to electronic service, scoped.
func (s *Store) CaseSubmissions(ctx context.Context, sc Scope, caseID uint) ([]PortalSubmission, *ServiceConsent, error) {
	var c Case
	if err := s.conn(ctx).Select("id", "authority_id").First(&c, caseID).Error; err != nil {
		return nil, nil, notFound(err, "案件")
	}
	if err := sc.hide(c.AuthorityID, "案件"); err != nil {
		return nil, nil, err
	}
	var subs []PortalSubmission
	if err := s.conn(ctx).Preload("Files", func(db *gorm.DB) *gorm.DB { return db.Omit("data").Order("id") }).
		Where("case_id = ?", caseID).Order("id").Find(&subs).Error; err != nil {
		return nil, nil, errs.Wrap(err, "load portal submissions")
	}
	consent, err := latestConsent(s.conn(ctx), caseID)
	return subs, consent, err
}

// Submission is one portal submission of a case, scoped.
func (s *Store) Submission(ctx context.Context, sc Scope, id uint) (*PortalSubmission, error) {
	var sub PortalSubmission
	if err := s.conn(ctx).First(&sub, id).Error; err != nil {
		return nil, notFound(err, "当事人提交的材料")
	}
	if err := sc.hide(sub.AuthorityID, "当事人提交的材料"); err != nil {
		return nil, err
	}
	return &sub, nil
}

// MarkReviewed records on submission id the outcome the officer recorded
// on its case (RecordStatement) and who reviewed it.
func (s *Store) MarkReviewed(ctx context.Context, a Actor, id uint, outcome, reason string) error {
	now := s.now()
	res := s.conn(ctx).Model(&PortalSubmission{}).Where("id = ? AND kind = ?", id, SubmitStatement).
		Updates(map[string]any{"outcome": outcome, "reason": reason, "reviewed_by_id": a.UserID, "reviewed_at": now})
	if res.Error != nil {
		return errs.Wrap(res.Error, "mark submission reviewed")
	}
	return s.Audit(ctx, a, "review_submission", "portal_submission", id, fmt.Sprintf("outcome=%s reason=%q", outcome, reason))
}

// RecordConsent records a consent to electronic service the party signed
// on paper (送达地址确认书), on case caseID.
func (s *Store) RecordConsent(ctx context.Context, a Actor, caseID uint, email, signed string) (*ServiceConsent, error) {
	var cs *ServiceConsent
	err := s.transact(ctx, func(tx *gorm.DB) error {
		c, err := s.caseForUpdate(tx, caseID)
		if err != nil {
			return err
		}
		if err := a.Scope.hide(c.AuthorityID, "案件"); err != nil {
			return err
		}
		if c.Status == CaseWithdrawn {
			return errs.E(errs.Conflict, "案件已撤回")
		}
		cs = &ServiceConsent{CaseID: c.ID, AuthorityID: c.AuthorityID, Email: email, Source: ConsentPaper, SignedDate: signed,
			RecordedByID: a.UserID, CreatedAt: s.now()}
		if err := tx.Create(cs).Error; err != nil {
			return errs.Wrap(err, "store service consent")
		}
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "record_consent",
			Entity: "case", EntityID: c.ID, FromStatus: c.Status, ToStatus: c.Status,
			Detail: fmt.Sprintf("email=%s signed=%s source=paper", email, signed)})
	})
	return cs, err
}
