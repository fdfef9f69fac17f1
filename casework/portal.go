package casework

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
	"penaltydoc/rules/limits"
)

// Evidence file limits on the portal.
const (
	MaxEvidenceSize  = 10 << 20 // bytes per file
	MaxEvidenceFiles = 10
)

// PortalSubmitLimit counts every submission per address: a party sends a
// few, a script many.
var PortalSubmitLimit = models.Limit{Failures: 30, Window: time.Hour, LockFor: time.Hour}

// evidenceTypes are the accepted types: the content's first bytes, the
// names' extensions.
var evidenceTypes = []struct {
	magic, mime string
	exts        []string
}{
	{"%PDF-", "application/pdf", []string{".pdf"}},
	{"\x89PNG\r\n\x1a\n", "image/png", []string{".png"}},
	{"\xff\xd8\xff", "image/jpeg", []string{".jpg", ".jpeg"}},
}

// CheckEvidence answers the type of an evidence file from its content
// (PDF, PNG or JPEG, at most MaxEvidenceSize), refusing anything else and
// a name whose extension says another type than the content, in Chinese.
func CheckEvidence(name string, data []byte) (string, error) {
	if len(data) == 0 {
		return "", errs.Field("files", fmt.Sprintf("文件“%s”是空文件", name))
	}
	if len(data) > MaxEvidenceSize {
		return "", errs.Field("files", fmt.Sprintf("文件“%s”超过%d MB，请压缩或拆分后再上传", name, MaxEvidenceSize>>20))
	}
	ext := strings.ToLower(filepath.Ext(name))
	for _, t := range evidenceTypes {
		if bytes.HasPrefix(data, []byte(t.magic)) {
			if !slices.Contains(t.exts, ext) {
				return "", errs.Field("files", fmt.Sprintf("文件“%s”的扩展名与内容不符（内容为%s），请核对后重新选择", name, typeName(t.mime)))
			}
			return t.mime, nil
		}
	}
	return "", errs.Field("files", fmt.Sprintf("文件“%s”不是PDF、JPEG或PNG文件，只能上传这三种格式", name))
}

func typeName(mime string) string {
	return map[string]string{"application/pdf": "PDF", "image/png": "PNG图片", "image/jpeg": "JPEG图片"}[mime]
}

// Upload is one file the party chose.
type Upload struct {
	Name string
	Data []byte
}

// PortalInput is what the party sent from one of the portal's forms.
type PortalInput struct {
	Kind         string // models.Submit*
	Text         string
	Email        string
	EmailConfirm string
	Confirmed    bool // the party ticked its confirmation
	Files        []Upload
}

// PortalView is what the portal shows the party.
type PortalView struct {
	NoticeID     uint
	Number       string
	Authority    string
	Phone        string
	Party        string // masked
	IssueDate    string
	ServedDate   string
	Due          string
	Days         int
	Hearing      bool // the notice offers a hearing
	Open         bool
	Closed       string
	Requested    string // hearing requested on
	Waived       bool
	Submissions  []models.PortalSubmission
	Consent      *models.ServiceConsent
	StatementTip string
}

// OpenPortal checks an advance notice's number and access code under the
// download's limits and starts a portal session: the cookie token and
// the forms' CSRF token.
func (s *Service) OpenPortal(ctx context.Context, a Actor, number, accessCode string) (token, csrf string, err error) {
	doc, err := s.checkAccess(ctx, a, number, accessCode)
	if err != nil {
		return "", "", err
	}
	if doc.Kind != rules.KindAdvanceNotice {
		return "", "", errs.E(errs.NotFound, "网上陈述、申辩须使用行政处罚事先告知书的文号和查询码；其他文书请在“文书下载”页面下载")
	}
	if token, csrf, err = s.store.OpenPortal(ctx, doc, a.IP); err != nil {
		return "", "", err
	}
	_ = s.store.Audit(ctx, a.record(), "portal_open", "document", doc.ID, *doc.Number)
	return token, csrf, nil
}

// PortalSession resolves a portal cookie.
func (s *Service) PortalSession(ctx context.Context, token string) (*models.PortalSession, error) {
	return s.store.PortalSession(ctx, token)
}

// ClosePortal ends a portal session.
func (s *Service) ClosePortal(ctx context.Context, token string) error {
	return s.store.ClosePortal(ctx, token)
}

// Portal is the portal's view of session ps's notice.
func (s *Service) Portal(ctx context.Context, ps *models.PortalSession) (*PortalView, error) {
	st, err := s.store.PortalState(ctx, ps.NoticeID)
	if err != nil {
		return nil, err
	}
	auth, err := s.store.Authority(ctx, st.Notice.AuthorityID)
	if err != nil {
		return nil, err
	}
	n, c := st.Notice, st.Case
	return &PortalView{NoticeID: n.ID, Number: deref(n.Number), Authority: auth.Name, Phone: auth.Phone, Party: render.MaskName(c.PartyName),
		IssueDate: n.IssueDate, ServedDate: n.ServedDate, Due: st.Due, Days: st.Days, Hearing: noticeHearing(n), Open: st.Open,
		Closed: st.Closed, Requested: c.HearingRequested, Waived: c.Waived, Submissions: st.Submissions, Consent: st.Consent,
		StatementTip: rules.PortalStatementNote}, nil
}

// noticeHearing reads from a notice's frozen render data whether it
// offered the party a hearing.
func noticeHearing(n *models.Document) bool {
	var d struct{ Notice struct{ Hearing bool } }
	return json.Unmarshal([]byte(n.DataJSON), &d) == nil && d.Notice.Hearing
}

// PortalNotice is the notice's frozen PDF, for its session.
func (s *Service) PortalNotice(ctx context.Context, a Actor, ps *models.PortalSession) (*models.Document, error) {
	d, err := s.store.DocumentPDF(ctx, models.Everything, ps.NoticeID) // the session is the right to see it
	if err != nil {
		return nil, err
	}
	_ = s.store.Audit(ctx, a.record(), "portal_read_notice", "document", d.ID, deref(d.Number))
	return d, nil
}

// PortalSubmit checks and stores one submission of the party on session
// ps's case: a statement (text and evidence files), a hearing request, a
// waiver, or a consent to electronic service. It answers the stored
// submission with its SHA-256, the party's receipt.
func (s *Service) PortalSubmit(ctx context.Context, a Actor, ps *models.PortalSession, in PortalInput) (*models.PortalSubmission, error) {
	key := models.ThrottleKey("portal-sub", a.IP)
	if locked, err := s.store.Locked(ctx, key); err != nil {
		return nil, err
	} else if locked {
		return nil, errs.E(errs.TooManyRequests, "提交次数过多，请稍后再试")
	}
	mi, err := checkPortal(in)
	if err != nil {
		return nil, err
	}
	st, err := s.store.PortalState(ctx, ps.NoticeID)
	if err != nil {
		return nil, err
	}
	mi.Hearing, mi.IP = noticeHearing(st.Notice), a.IP
	if err := s.store.Fail(ctx, key, PortalSubmitLimit); err != nil {
		return nil, err
	}
	return s.store.Submit(ctx, ps.NoticeID, mi)
}

// checkPortal checks a submission's fields and files and hashes it.
func checkPortal(in PortalInput) (models.PortalInput, error) {
	f := errs.Fields{}
	text, email := strings.TrimSpace(in.Text), strings.TrimSpace(in.Email)
	out := models.PortalInput{Kind: in.Kind, Text: text}
	switch in.Kind {
	case models.SubmitStatement:
		if text == "" {
			f.Add("text", "请填写陈述、申辩的事实和理由")
		}
		limits.Statement.Check(f, "text", text)
		if len(in.Files) > MaxEvidenceFiles {
			f.Add("files", fmt.Sprintf("一次最多上传%d个文件", MaxEvidenceFiles))
		}
		for _, u := range in.Files {
			name := strings.TrimSpace(filepath.Base(strings.ReplaceAll(u.Name, `\`, "/")))
			if msg := limits.ServiceRecipient.Problem(name); msg != "" || name == "" || len([]rune(name)) > 200 {
				f.Add("files", "文件名无效，请重命名后再上传")
				continue
			}
			mime, err := CheckEvidence(name, u.Data)
			if err != nil {
				var e *errs.Error
				if errors.As(err, &e) {
					f.Add("files", e.Fields["files"])
				}
				continue
			}
			sum := sha256.Sum256(u.Data)
			out.Files = append(out.Files, models.PortalFile{Name: name, ContentType: mime, Size: int64(len(u.Data)),
				SHA256: hex.EncodeToString(sum[:]), Data: u.Data})
		}
	case models.SubmitHearing, models.SubmitWaiver:
		if !in.Confirmed {
			f.Add("confirm", "请勾选确认")
		}
		limits.Statement.Check(f, "text", text)
	case models.SubmitConsent:
		addr, err := mail.ParseAddress(email)
		if email == "" || err != nil || addr.Address != email || len(email) > 200 {
			f.Add("email", "请填写有效的电子邮箱地址，如 name@example.com")
		} else if !strings.EqualFold(email, strings.TrimSpace(in.EmailConfirm)) {
			f.Add("email_confirm", "两次填写的邮箱地址不一致")
		}
		if !in.Confirmed {
			f.Add("confirm", "请阅读并勾选送达地址确认")
		}
		out.Email, out.Text = email, ""
	default:
		return out, errs.E(errs.Invalid, "提交类型无效")
	}
	if err := f.Err(); err != nil {
		return out, err
	}
	h := sha256.New()
	fmt.Fprintf(h, "penaltydoc portal v1\x00%s\x00%s\x00%s", out.Kind, out.Text, out.Email)
	for _, pf := range out.Files {
		fmt.Fprintf(h, "\x00%s\x00%s", pf.Name, pf.SHA256)
	}
	out.SHA256 = hex.EncodeToString(h.Sum(nil))
	return out, nil
}

// Submissions are a case's portal submissions and its latest consent to
// electronic service, for its staff.
func (s *Service) Submissions(ctx context.Context, a Actor, caseID uint) ([]models.PortalSubmission, *models.ServiceConsent, error) {
	return s.store.CaseSubmissions(ctx, a.Scope, caseID)
}

// Submission is one portal submission, for the staff of its case.
func (s *Service) Submission(ctx context.Context, a Actor, id uint) (*models.PortalSubmission, error) {
	return s.store.Submission(ctx, a.Scope, id)
}

// EvidenceFile is one evidence file with its bytes, for the case's staff.
func (s *Service) EvidenceFile(ctx context.Context, a Actor, id uint) (*models.PortalFile, error) {
	f, err := s.store.PortalFileData(ctx, a.Scope, id)
	if err != nil {
		return nil, err
	}
	_ = s.store.Audit(ctx, a.record(), "read_evidence", "portal_file", f.ID, f.Name)
	return f, nil
}

// ReviewSubmission records the authority's review of a statement the party
// sent through the portal: the statement and the outcome go on the case
// (RecordStatement, so the decision prints them) and on the submission.
func (s *Service) ReviewSubmission(ctx context.Context, a Actor, subID uint, outcome, reason string) (*models.Case, error) {
	sub, err := s.store.Submission(ctx, a.Scope, subID)
	if err != nil {
		return nil, err
	}
	if sub.Kind != models.SubmitStatement {
		return nil, errs.E(errs.Conflict, "只有陈述、申辩需要记录复核结论")
	}
	caseID := sub.CaseID
	cs, err := s.store.CaseByID(ctx, a.Scope, caseID)
	if err != nil {
		return nil, err
	}
	if outcome == "" {
		return nil, errs.Field("statement_outcome", "请选择复核结论")
	}
	c, err := s.RecordStatement(ctx, a, caseID, StatementInput{Statement: sub.Text, Outcome: outcome, Reason: reason,
		HearingHeld: cs.HearingHeld, HearingDate: cs.HearingDate, HearingResult: cs.HearingResult})
	if err != nil {
		return nil, err
	}
	if err := s.store.MarkReviewed(ctx, a.record(), subID, c.StatementOutcome, c.StatementReason); err != nil {
		return nil, err
	}
	return c, nil
}

// ConsentInput is a consent to electronic service signed on paper.
type ConsentInput struct {
	Email      string `json:"email"`
	SignedDate string `json:"signed_date"`
}

// RecordConsent records the party's paper consent to electronic service
// (送达地址确认书) on case id.
func (s *Service) RecordConsent(ctx context.Context, a Actor, id uint, in ConsentInput) (*models.ServiceConsent, error) {
	f := errs.Fields{}
	email := strings.TrimSpace(in.Email)
	if addr, err := mail.ParseAddress(email); email == "" || err != nil || addr.Address != email || len(email) > 200 {
		f.Add("email", "请填写有效的电子邮箱地址")
	}
	if !rules.ValidDate(in.SignedDate) {
		f.Add("signed_date", "签署日期应为YYYY-MM-DD")
	} else if in.SignedDate > s.Today() {
		f.Add("signed_date", "签署日期不能晚于今天")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return s.store.RecordConsent(ctx, a.record(), id, email, in.SignedDate)
}
