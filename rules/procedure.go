package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"

	"penaltydoc/errs"
)

// Procedure law: the states a case and its documents pass through, the
// periods that run from service, which documents an outcome allows, the
// lawful ways of service. The workflow in models enforces these; the pages
// and letters print them.

// Case statuses.
const (
	CaseDraft  = "draft"
	CaseOpen   = "open" // documents in progress
	CaseClosed = "closed"
	// CaseWithdrawn: withdrawn before it was submitted (撤回); kept and
	// audited, out of the default lists.
	CaseWithdrawn = "withdrawn"
)

// Document statuses: draft → reviewing → approved → issued → served, and
// issued/served → superseded when a correction is issued.
const (
	DocDraft      = "draft"
	DocReviewing  = "reviewing"
	DocApproved   = "approved"
	DocIssued     = "issued"
	DocServed     = "served"
	DocSuperseded = "superseded"
	// DocWithdrawn: a draft withdrawn (作废); kept and audited, never
	// submitted again.
	DocWithdrawn = "withdrawn"
)

// FrozenStatuses are the statuses of an issued document: its bytes never
// change again.
var FrozenStatuses = []string{DocIssued, DocServed, DocSuperseded}

// IsFrozen reports whether a document in status is issued.
func IsFrozen(status string) bool {
	return status == DocIssued || status == DocServed || status == DocSuperseded
}

// DecisionKinds are the document kinds that decide a case.
var DecisionKinds = []string{KindPenaltyDecision, KindOnTheSpotDecision, KindNoPenaltyDecision}

// IsDecision reports whether kind decides a case.
func IsDecision(kind string) bool {
	return kind == KindPenaltyDecision || kind == KindOnTheSpotDecision || kind == KindNoPenaltyDecision
}

// Numbered reports whether documents of kind get a number, an access code
// and a verify token when issued (a service receipt is issued with the
// document it serves and carries that one's number).
func Numbered(kind string) bool { return IsKind(kind) && kind != KindServiceReceipt && !Internal(kind) }

// AllowedKinds are the documents an officer may draft for a case with this
// evaluation, in the order the case produces them: the advance notice
// before a penalty decision (APL Art. 44), then the decision the
// evaluation names. Service receipts are issued with their document.
func AllowedKinds(ev Evaluation) []string {
	if ev.Outcome == OutcomePenalty && ev.DocumentKind == KindPenaltyDecision {
		return []string{KindAdvanceNotice, KindPenaltyDecision}
	}
	return []string{ev.DocumentKind}
}

// Procedure periods (shared/LEGAL.md).
const (
	// AnswerDays is the period to state a case, defend and ask for a
	// hearing after an advance notice, in working days (APL Art. 64 ¶1 (1)
	// for hearings; the office's practice for statements).
	AnswerDays = 5
	// AnswerDaysPublicSecurity is public security organs' period (公安机关办理
	// 行政案件程序规定), traffic police included.
	AnswerDaysPublicSecurity = 3
	PaymentDays              = 15   // APL Art. 67 ¶3
	ReconsiderationDays      = 60   // 行政复议法 Art. 20
	LitigationMonths         = 6    // 行政诉讼法 Art. 46
	LateFeeRate              = 0.03 // APL Art. 72 ¶1 (1): 3% a day of the unpaid fine (LateFeeText), never more than the fine
)

// AnswerPeriod is the answer period after an advance notice, in working
// days: the authority's setting when it has one, else 3 for public
// security matters (the item's domain public_security or traffic) and 5
// otherwise. It is the one rule the workflow, the deadlines and the letters
// use.
func AnswerPeriod(authorityDays int, itemDomain string) int {
	if authorityDays > 0 {
		return authorityDays
	}
	if itemDomain == DomainPublicSecurity || itemDomain == DomainTraffic {
		return AnswerDaysPublicSecurity
	}
	return AnswerDays
}

// LateFeeText says what ComputeExecution computes: 3% a day of the part of
// the fine still unpaid, never more than the fine. APL Art. 72 ¶1 (1) says
// "每日按罚款数额的百分之三"; reading the base as the unpaid fine favours the
// party and needs the office's legal sign-off (docs/rules.md §6d).
const LateFeeText = "每日按尚未缴纳的罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款数额"

// LateFeeRule is the sentence a letter prints for the late-payment
// surcharge: exactly what is computed.
var LateFeeRule = "到期不缴纳罚款的，自缴纳期限届满的次日起，" + LateFeeText + "（" + Article(LawAPL, 72, 1, 1) + "）"

// Deadlines are the periods that run from service of a document.
type Deadlines struct {
	ServedDate string `json:"served_date"`
	// AnswerDue is the last day to state a case, defend or ask for a
	// hearing after an advance notice (working days).
	AnswerDue string `json:"answer_due,omitempty"`
	// PaymentDue is the last day to pay the fine.
	PaymentDue string `json:"payment_due,omitempty"`
	// LateFeeFrom is the first day of the late-payment surcharge;
	// LateFeePerDay is the surcharge of a day on which the whole fine is
	// unpaid: 3% of the unpaid fine, which is then the fine (a part paid
	// lowers it, LateFeeText); LateFeeCap is the fine itself, reached on
	// LateFeeCapDate if nothing is paid.
	LateFeeFrom    string  `json:"late_fee_from,omitempty"`
	LateFeePerDay  float64 `json:"late_fee_per_day,omitempty"`
	LateFeeCap     float64 `json:"late_fee_cap,omitempty"`
	LateFeeCapDate string  `json:"late_fee_cap_date,omitempty"`
	LateFeeRule    string  `json:"late_fee_rule,omitempty"`
	// ReconsiderationDue and LitigationDue are the remedies' last days.
	// ReconsiderationFirst: an on-the-spot decision must go to
	// reconsideration before a lawsuit (行政复议法 2023 Art. 23).
	ReconsiderationDue   string `json:"reconsideration_due,omitempty"`
	LitigationDue        string `json:"litigation_due,omitempty"`
	ReconsiderationFirst bool   `json:"reconsideration_first,omitempty"`
}

// ComputeDeadlines gives the periods running from service on cal: kind is
// the document kind, served the date of service, fine the fine (yuan, 0 for
// none) and answerDays the advance notice's answer period (working days;
// AnswerDays when 0). Nil for a date that is not one.
func ComputeDeadlines(cal Calendar, kind, served string, fine float64, answerDays int) *Deadlines {
	if _, ok := parseDate(served); !ok {
		return nil
	}
	dl := &Deadlines{ServedDate: served}
	if kind == KindAdvanceNotice {
		if answerDays <= 0 {
			answerDays = AnswerDays
		}
		dl.AnswerDue, _ = cal.AddWorkdays(served, answerDays)
		return dl
	}
	dl.ReconsiderationDue = cal.PeriodEnd(served, ReconsiderationDays, 0)
	if kind == KindOnTheSpotDecision {
		dl.ReconsiderationFirst = true
	} else {
		dl.LitigationDue = cal.PeriodEnd(served, 0, LitigationMonths)
	}
	if fine > 0 {
		dl.PaymentDue = cal.PeriodEnd(served, PaymentDays, 0)
		due, _ := time.Parse(calendarLayout, dl.PaymentDue)
		dl.LateFeeFrom = due.AddDate(0, 0, 1).Format(calendarLayout)
		dl.LateFeePerDay = math.Round(fine*LateFeeRate*100) / 100 // nothing is paid yet: the unpaid fine is the fine
		dl.LateFeeCap = fine
		days := int(math.Ceil(1 / LateFeeRate)) // 34 days reach the fine
		dl.LateFeeCapDate = due.AddDate(0, 0, days).Format(calendarLayout)
		dl.LateFeeRule = LateFeeRule
	}
	return dl
}

// ServiceMethod is a lawful way of service (民事诉讼法 Ch. 7, applied
// through APL Art. 61).
type ServiceMethod struct{ Code, Name string }

// ServiceMethods lists them in the order forms offer them.
var ServiceMethods = []ServiceMethod{
	{"direct", "直接送达"}, {"lodged", "留置送达"}, {"mail", "邮寄送达"}, {"electronic", "电子送达"},
	{"entrusted", "委托送达"}, {"transferred", "转交送达"}, {"public_notice", "公告送达"},
}

// ServiceMethodPublicNotice is service by public notice, which names no
// recipient.
const ServiceMethodPublicNotice = "公告送达"

// ServiceMethodName finds a method by code or by name and answers its name.
func ServiceMethodName(v string) (string, bool) {
	v = strings.TrimSpace(v)
	for _, m := range ServiceMethods {
		if m.Code == v || m.Name == v {
			return m.Name, true
		}
	}
	return "", false
}

// ServiceMethodChoices is the list of names for a message.
func ServiceMethodChoices() string {
	names := make([]string, len(ServiceMethods))
	for i, m := range ServiceMethods {
		names[i] = m.Name
	}
	return strings.Join(names, "、")
}

// ErrNoticeNotServed refuses a penalty decision whose advance notice was
// not served (APL Art. 44, 62).
var ErrNoticeNotServed = errs.E(errs.Invalid, "签发行政处罚决定书前，须先签发并送达本案的行政处罚事先告知书（%s）", Article(LawAPL, 44, 0, 0))

// ErrNoSeal refuses to issue a document while its authority has no seal:
// a decision must bear the seal of the authority that made it (APL Art.
// 59 ¶2), and penaltydoc prints every issued letter's seal from the image
// an admin sets on the authority page.
var ErrNoSeal = errs.E(errs.Conflict, "本机关尚未设置印章，不能签发文书（%s）；请系统管理员在“执法机关”页面上传本机关的印章图片后再签发", Article(LawAPL, 59, 2, 0))

// CheckSeal is nil when the authority has a seal to print, else ErrNoSeal.
func CheckSeal(hasSeal bool) error {
	if hasSeal {
		return nil
	}
	return ErrNoSeal
}

// Basis is what a draft document was made from: the case's outcome,
// ground, document kind and penalties, and a hash of the facts and the
// evaluation. A draft whose basis no longer matches its case is stale.
type Basis struct {
	Outcome      string    `json:"outcome"`
	Ground       string    `json:"ground"`
	DocumentKind string    `json:"document_kind"`
	Penalties    []Penalty `json:"penalties"`
	Hash         string    `json:"hash"`
}

// BasisOf is the basis of a draft made now from facts f and evaluation ev.
func BasisOf(f Facts, ev Evaluation) Basis {
	h := sha256.New()
	fb, _ := json.Marshal(f)
	eb, _ := json.Marshal(ev)
	h.Write(fb)
	h.Write([]byte{0})
	h.Write(eb)
	return Basis{Outcome: ev.Outcome, Ground: ev.Ground, DocumentKind: ev.DocumentKind,
		Penalties: ev.Penalties, Hash: hex.EncodeToString(h.Sum(nil))}
}

// ErrStale refuses a draft made from facts or an evaluation the case no
// longer has.
var ErrStale = errs.E(errs.Conflict, "该文书草稿制作后，案件事实或者处理结论已经改变，草稿已失效，不能提交、审批或者签发；请重新制作文书")

// Jurisdiction expands the domains an authority names into the domains it
// enforces: public security covers traffic (traffic police are public
// security organs). "other" names no domain of its own.
func Jurisdiction(domains []string) []string {
	var out []string
	add := func(d string) {
		if d != "" && d != DomainOther && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	for _, d := range domains {
		add(d)
		if d == DomainPublicSecurity {
			add(DomainTraffic)
		}
	}
	return out
}

// Covers reports whether an authority naming domains may decide an item of
// domain itemDomain. An authority that names no domain is not checked (the
// evaluation warns); an item of domain "other" is any authority's.
func Covers(domains []string, itemDomain string) bool {
	j := Jurisdiction(domains)
	return len(j) == 0 || itemDomain == "" || itemDomain == DomainOther || slices.Contains(j, itemDomain)
}

// What the authority made of the party's statement and defence (APL Art.
// 45: the authority shall review it and adopt what holds).
const (
	StatementAccepted = "accepted"
	StatementPartly   = "partly"
	StatementRejected = "rejected"
)

var statementOutcomeNames = map[string]string{
	StatementAccepted: "予以采纳", StatementPartly: "部分予以采纳", StatementRejected: "不予采纳",
}

// StatementOutcomeName is 予以采纳, 部分予以采纳 or 不予采纳.
func StatementOutcomeName(o string) string { return nameOf(statementOutcomeNames, o) }

// StatementOutcomes lists them in the order forms offer them.
var StatementOutcomes = []string{StatementAccepted, StatementPartly, StatementRejected}

// DecisionBasis is what a decision states it rests on when it decides: the
// penalty provision and the articles of the lighter circumstances and
// confiscations (a penalty or warning), or the ground's articles (no
// penalty); the violated provision is cited as such, and the education and
// correction articles of a no-penalty decision have sentences of their
// own.
func DecisionBasis(ev Evaluation, it Item) []string {
	skip := map[string]bool{strings.TrimSpace(it.ViolatedProvision): true}
	if ev.Outcome == OutcomeNoPenalty {
		skip[strings.TrimSpace(it.PenaltyProvision)], skip[artEducate], skip[artCorrect], skip[artGains] = true, true, true, true
	}
	var out []string
	for _, a := range ev.Articles {
		if !skip[strings.TrimSpace(a)] {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		out = append(out, it.PenaltyProvision)
	}
	return out
}

// PenaltyBasis lists the provisions the penalties rest on, once each.
func PenaltyBasis(ps []Penalty) []string {
	var out []string
	for _, p := range ps {
		if p.Basis != "" && !slices.Contains(out, p.Basis) {
			out = append(out, p.Basis)
		}
	}
	return out
}

// Statute names of the public-order law, in force since 2026-01-01 and as
// revised in 2012.
const (
	LawPublicOrder     = "《中华人民共和国治安管理处罚法》"
	LawPublicOrder2012 = "《中华人民共和国治安管理处罚法》（2012年修正）"
)

// PublicOrderRevised is the day the revised public-order law took effect.
// Its procedure (notice, hearing) governs every decision from that day,
// whatever law the act is judged under (实体从旧、程序从新).
const PublicOrderRevised = "2026-01-01"

// NoticeArticles is what an advance notice cites for the party's rights:
// for public-order items the public-order law's own articles (decided from
// 2026-01-01: Art. 112, and Art. 117 for a hearing; before: the 2012
// text's Art. 94 and 98), else APL Art. 44 and 45 (and Art. 63 and 64 for
// a hearing).
func NoticeArticles(it Item, hearing bool, decisionDate string) []string {
	p := it.PenaltyProvision
	if strings.HasPrefix(p, LawPublicOrder) { // the 2012 name starts the same
		law, notice, hear := LawPublicOrder, 112, 117
		if decisionDate != "" && decisionDate < PublicOrderRevised {
			law, notice, hear = LawPublicOrder2012, 94, 98
		}
		if hearing {
			return []string{Article(law, notice, 0, 0), Article(law, hear, 0, 0)}
		}
		return []string{Article(law, notice, 0, 0)}
	}
	if hearing {
		return []string{Article(LawAPL, 44, 0, 0), Article(LawAPL, 45, 0, 0), Article(LawAPL, 63, 0, 0), Article(LawAPL, 64, 0, 0)}
	}
	return []string{Article(LawAPL, 44, 0, 0), Article(LawAPL, 45, 0, 0)}
}
