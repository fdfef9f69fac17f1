package render

import (
	"slices"
	"strings"

	"penaltydoc/rules"
)

// Data is everything a template can print. The server fills it from the
// database; templates see it as their dot ({{.Facts.Party.Name}}). All dates
// are YYYY-MM-DD strings; money is in yuan.
type Data struct {
	// Kind is the document kind (rules.Kind*). Render uses the template's
	// kind; Kind is here for templates that share text.
	Kind string
	// Draft marks an unissued document: a 样稿 watermark on every page, no
	// QR code, no seal. The template's @number line stays empty (the space
	// is kept, so a draft paginates as the issued document will).
	Draft bool
	// Specimen: a sample letter that shows how the authority's seal prints
	// (the seal preview): the seal and a watermark, no number, no QR code,
	// so it can never pass for an issued document.
	Specimen bool
	// Approved: the head approved the document (approved, issued or
	// served); an internal form prints the approval in its box then.
	Approved bool
	// Number is the document number, e.g. 江市监处罚〔2026〕12号; empty on drafts.
	Number string
	// IssueDate is the decision (or issue) date; for drafts the planned
	// date. It is also the PDF's creation date.
	IssueDate string
	// VerifyURL is encoded in the QR code on issued documents.
	VerifyURL string
	// AccessCode and DownloadURL let the party download the issued PDF.
	AccessCode  string
	DownloadURL string

	Authority Authority
	Case      Case
	Facts     rules.Facts
	Item      rules.Item
	// Evaluation is what the criteria engine decided (reasons, articles,
	// ground, fine range, override).
	Evaluation rules.Evaluation
	// Fine is the decided fine in yuan (Evaluation.Fine.Recommended by
	// default; 0 for no fine).
	Fine float64
	// Confiscation is the illegal gains confiscated, in yuan (0: none).
	Confiscation float64

	// Statement is the party's statement and defence; empty means the party
	// did not state or defend in time. StatementOutcome (rules.Statement*:
	// accepted, partly, rejected) and StatementReason are the authority's
	// review of it; an old record without an outcome holds the whole
	// paragraph in Statement.
	Statement        string
	StatementOutcome string
	StatementReason  string
	// Waived: the party expressly waived its rights to state, defend and
	// ask for a hearing.
	Waived bool
	// HearingHeld, HearingDate and HearingResult describe a hearing, if
	// one was held.
	HearingHeld   bool
	HearingDate   string
	HearingResult string
	// LegalReview is the date of the legal review (法制审核), if any.
	LegalReview string
	// Discussion is the heads' collective discussion of a complex or major
	// case (APL Art. 57 ¶2), if it was held.
	Discussion Discussion

	// Hearing is the hearing a hearing notice (听证通知书) announces and a
	// closing report records.
	Hearing Hearing
	// Execution is the decision in force and its execution, for the
	// reminder (催告书) and the closing report (结案审批表).
	Execution Execution

	// Notice is the advance notice this decision follows (or, for
	// advance_notice, the notice itself).
	Notice Notice
	// Service is what service_receipt records.
	Service Service
	// Corrects is the number of the document this one corrects, if any.
	Corrects string
	// Correction is what a correction corrects and why.
	Correction Correction

	// Holidays and Workdays are the official days off on weekdays and the
	// make-up working weekends (调休), YYYY-MM-DD, for the working-day
	// functions. Without them only Saturdays and Sundays are days off.
	Holidays []string
	Workdays []string
}

// Correction is what a correction corrects (each changed item, before and
// after, in the letter's words) and why (更正原因).
type Correction struct {
	Reason  string
	Changes []rules.Change
}

// Authority is the issuing authority and its settings.
type Authority struct {
	Name                string // 江南市市场监督管理局
	ShortName           string // 江南市监
	ReconsiderationBody string // 江南市人民政府
	Court               string // 江南市西湖区人民法院
	PaymentInstructions string // how and where to pay
	Address             string
	Phone               string
	// SealPNG is the seal image (red, transparent background), printed over
	// the signature on issued documents. Optional.
	SealPNG []byte
}

// Case is the case file's own data.
type Case struct {
	ID        string // the authority's case file number (案号)
	FiledDate string // 立案日期; Facts.DiscoveredDate by default
	Source    string // how the case came: 根据消费者投诉举报，
	Place     string // where the act happened (on-the-spot decisions)
	Officers  string // the officers in charge, with certificate numbers
}

// Notice is an advance notice (事先告知书).
type Notice struct {
	Number string
	Date   string // date of the notice
	Served string // date it was served
	// AnswerDays is the period to state, defend and ask for a hearing:
	// 5 working days, 3 for public security.
	AnswerDays int
	// Hearing says whether the party may ask for a hearing (APL Art. 63).
	Hearing bool
	// Contact and Phone are whom to state a case to.
	Contact string
	Phone   string
	// Articles are what the notice cites for the party's rights
	// (rules.NoticeArticles).
	Articles []string
}

// Hearing is a hearing the party asked for (APL Art. 63-65).
type Hearing struct {
	Requested string // the day the party asked for it
	Date      string // the day it is held
	Time      string // HH:MM
	Place     string
	Host      string // 主持人, not the case's investigator
	// Participants, Summary and Result are its record, once held.
	Participants string
	Summary      string
	Result       string
	// Articles are what the notice cites (APL Art. 64).
	Articles []string
}

// Execution is the decision in force and what became of it.
type Execution struct {
	DecisionName   string // 行政处罚决定书
	DecisionNumber string
	DecisionDate   string
	DecisionServed string
	// Fine, PaidFine and Outstanding (the fine unpaid) in yuan; LateFee is
	// the late fee accrued to AsOf, LateFeeOutstanding what of it is
	// unpaid, Total what is owed on AsOf.
	Fine               float64
	PaidFine           float64
	PaidLateFee        float64
	Outstanding        float64
	LateFee            float64
	LateFeeDays        int
	LateFeeOutstanding float64
	Total              float64
	AsOf               string
	PaymentDue         string
	// ReminderDays is the period a reminder gives (10 working days);
	// Articles what it cites; LateFeeArticle the late fee's article.
	ReminderDays   int
	Articles       []string
	LateFeeArticle string
	// Payments are the payments recorded; State the payment state's name.
	Payments []ExecutionPayment
	State    string
	// OtherExecuted and OtherExecutedNote: the other penalties' execution;
	// EnforcementApplied: the day the court was asked.
	OtherExecuted      string
	OtherExecutedNote  string
	EnforcementApplied string
	Instalments        []rules.Instalment
}

// ExecutionPayment is one payment as a closing report lists it.
type ExecutionPayment struct {
	Date    string
	Amount  float64
	Receipt string
}

// Service is what a service receipt (送达回证) records.
type Service struct {
	DocumentName   string // 行政处罚决定书
	DocumentNumber string
	Method         string // 直接送达、留置送达、邮寄送达、电子送达…
	Place          string
	Date           string
	Recipient      string // who received it (the party or an adult family member…)
	Server         string // the officers who served it
	Witness        string
	Note           string
}

// Party is a shortcut for .Facts.Party.
func (d Data) Party() rules.Party { return d.Facts.Party }

// IsPerson reports whether the party is a natural person.
func (d Data) IsPerson() bool { return d.Facts.Party.Kind != rules.PartyOrganization }

// IsOrganization reports whether the party is an organisation.
func (d Data) IsOrganization() bool { return d.Facts.Party.Kind == rules.PartyOrganization }

// You is how a notice addresses the party: 你 or 你单位.
func (d Data) You() string {
	if d.IsOrganization() {
		return "你单位"
	}
	return "你"
}

// PublicSecurity reports whether the item is a public-security matter
// (traffic included: 3 working days to answer an advance notice instead of
// 5).
func (d Data) PublicSecurity() bool {
	return d.Item.Domain == rules.DomainPublicSecurity || d.Item.Domain == rules.DomainTraffic
}

// AnswerDays is the period to answer an advance notice, by rules.AnswerPeriod:
// Notice.AnswerDays, else 3 working days for public security and 5
// otherwise.
func (d Data) AnswerDays() int { return rules.AnswerPeriod(d.Notice.AnswerDays, d.Item.Domain) }

// FiledDate is Case.FiledDate, else Facts.DiscoveredDate.
func (d Data) FiledDate() string {
	if d.Case.FiledDate != "" {
		return d.Case.FiledDate
	}
	return d.Facts.DiscoveredDate
}

// BirthDate is the party's birth date, from BirthDate or digits 7-14 of an
// 18-character identity number.
func (d Data) BirthDate() string {
	p := d.Facts.Party
	if p.BirthDate != "" {
		return p.BirthDate
	}
	id := strings.TrimSpace(p.IDNumber)
	if len(id) == 18 {
		s := id[6:10] + "-" + id[10:12] + "-" + id[12:14]
		if _, err := ParseDate(s); err == nil {
			return s
		}
	}
	return ""
}

// Sex is the party's sex, from Sex or the 17th digit of the id number.
func (d Data) Sex() string {
	p := d.Facts.Party
	if p.Sex != "" {
		return p.Sex
	}
	if id := strings.TrimSpace(p.IDNumber); len(id) == 18 && id[16] >= '0' && id[16] <= '9' {
		if (id[16]-'0')%2 == 1 {
			return "男"
		}
		return "女"
	}
	return ""
}

// Penalties lists the decided penalties (Evaluation.Penalties) in the
// words of a decision, one line each: 警告 / 罚款人民币…（¥…） /
// 没收违法所得人民币…（¥…） / 没收非法财物：… / 吊销…. Data made before
// penalties were itemised falls back to Fine and Confiscation.
func (d Data) Penalties() []string {
	ps := d.Evaluation.Penalties
	if len(ps) == 0 {
		ps = d.legacyPenalties()
	}
	var out []string
	for _, p := range ps {
		if s := PenaltyText(p); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (d Data) legacyPenalties() []rules.Penalty {
	var ps []rules.Penalty
	if d.Evaluation.Outcome == rules.OutcomeWarning || (d.Fine == 0 && d.Confiscation == 0 && slices.Contains(d.Item.PenaltyTypes, rules.PenaltyWarning)) {
		ps = append(ps, rules.Penalty{Type: rules.ImposeWarning})
	}
	if d.Confiscation > 0 {
		ps = append(ps, rules.Penalty{Type: rules.ImposeConfiscateGains, Amount: d.Confiscation})
	}
	if d.Fine > 0 {
		ps = append(ps, rules.Penalty{Type: rules.ImposeFine, Amount: d.Fine})
	}
	return ps
}

// PenaltyText is one penalty as a decision lists it.
func PenaltyText(p rules.Penalty) string {
	name := rules.PenaltyName(p.Type)
	switch p.Type {
	case rules.ImposeFine, rules.ImposeConfiscateGains:
		s, err := RMB(p.Amount)
		if err != nil {
			return ""
		}
		return name + s
	case rules.ImposeConfiscateProperty:
		return name + "：" + p.Object
	case rules.ImposeSuspendLicence, rules.ImposeRevokeLicence:
		if p.Object != "" {
			return strings.TrimSuffix(name, "许可证件") + p.Object
		}
		return name
	case rules.ImposeDetention:
		return name + rules.ChineseNumeral(p.Days) + "日"
	}
	return name
}

// Total is what the party is to pay: the fine and the confiscated gains.
func (d Data) Total() float64 {
	if len(d.Evaluation.Penalties) == 0 {
		return d.Fine + d.Confiscation
	}
	return rules.Total(d.Evaluation.Penalties)
}

// Imposes reports whether the decision imposes a penalty of type t
// (rules.Impose*).
func (d Data) Imposes(t string) bool {
	return slices.ContainsFunc(d.Evaluation.Penalties, func(p rules.Penalty) bool { return p.Type == t })
}

// Findings are the letter's sentences on discretion (Evaluation.Findings);
// they speak of the party as 当事人, as the facts do.
func (d Data) Findings() []string { return d.Evaluation.Findings }

// DecisionArticles is what the decision states it rests on when it decides
// (rules.DecisionBasis).
func (d Data) DecisionArticles() []string { return rules.DecisionBasis(d.Evaluation, d.Item) }

// PenaltyArticles are the provisions the penalties rest on.
func (d Data) PenaltyArticles() []string { return rules.PenaltyBasis(d.Evaluation.Penalties) }

// ShowTotal reports whether the decision has more than one sum to pay, so
// that it states their total.
func (d Data) ShowTotal() bool {
	n := 0
	for _, p := range d.Evaluation.Penalties {
		if p.Type == rules.ImposeFine || p.Type == rules.ImposeConfiscateGains {
			n++
		}
	}
	return n > 1
}

// StatementOutcomeName is 予以采纳, 部分予以采纳 or 不予采纳.
func (d Data) StatementOutcomeName() string { return rules.StatementOutcomeName(d.StatementOutcome) }

// NoticeArticles is what a notice cites for the party's rights: Notice.Articles,
// else by the item (rules.NoticeArticles).
func (d Data) NoticeArticles() []string {
	if len(d.Notice.Articles) > 0 {
		return d.Notice.Articles
	}
	return rules.NoticeArticles(d.Item, d.Notice.Hearing, d.IssueDate)
}

// Reduced reports whether the fine lies below the statutory minimum (减轻
// rather than 从轻, for a lighter penalty).
func (d Data) Reduced() bool { return rules.Reduced(d.Item, d.Facts, d.Fine) }

// Discussion is the heads' collective discussion: when, who, what they
// concluded. A decision says it was discussed when Date is set.
type Discussion struct {
	Date         string
	Participants string
	Conclusion   string
}
