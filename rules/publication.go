package rules

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Publication of penalty decisions (行政执法公示): whether a decision is
// published, by when, for how long, and what of it is masked. docs/rules.md
// cites the texts.

// The rules publication rests on.
const (
	RuleStateCouncilPublication = "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）"
	RuleMarketPublication       = "《市场监督管理行政处罚信息公示规定》（国家市场监督管理总局令第45号）"
	RuleZhejiangPublication     = "《浙江省行政处罚结果信息网上公开暂行办法》"
	RuleCourtPublication        = "《最高人民法院关于人民法院在互联网公布裁判文书的规定》（法释〔2016〕19号）"
)

// Publication periods and deadlines, in working days (APL Art. 85 counts
// the law's "三日" in working days).
const (
	// PublishDays: 国办发〔2018〕118号 — penalty decisions within 7
	// working days of the decision.
	PublishDays = 7
	// PublishDaysMarket: 总局令第45号 Art. 9 — 20 working days where the
	// party is registered in the authority's province; Art. 10 — 10 working
	// days to pass it on where it is not.
	PublishDaysMarket       = 20
	PublishDaysMarketRelay  = 10
	WithdrawDays            = 3 // APL Art. 48 ¶2 (三日, Art. 85), 45号令 Art. 11
	PublishMonthsLower      = 3
	PublishMonthsOther      = 36
	publishMonthsNonMarket  = 36
	maxPublicationRestrictM = 1200
)

// Secrecy markings an officer sets on a publication (the facts are …).
const (
	SecretNone       = ""
	SecretState      = "state"      // 国家秘密
	SecretCommercial = "commercial" // 商业秘密
	SecretPrivacy    = "privacy"    // 个人隐私
)

var secretNames = map[string]string{SecretState: "国家秘密", SecretCommercial: "商业秘密", SecretPrivacy: "个人隐私"}

// SecretName is the Chinese name of a secrecy marking.
func SecretName(s string) string { return nameOf(secretNames, s) }

// PublicationInput is what publication depends on.
type PublicationInput struct {
	Kind       string // the decision's kind
	Domain     string // the authority's domain: market regulation publishes under 45号令
	Simplified bool   // decided in the simplified procedure (当场处罚)
	Facts      Facts  // party, violation date, decision date
	Penalties  []Penalty
	// Secret marks the main facts as a state or commercial secret or
	// personal privacy (the officer's finding).
	Secret string
	// LowerFine is the province's "较低数额罚款" (45号令 Art. 13 ¶2): a
	// fine up to it is published for 3 months. 0: not set (3 years).
	LowerFine float64
	// OtherProvince: the party is registered outside the authority's
	// province (45号令 Art. 10).
	OtherProvince bool
	// RestrictionMonths is a restriction of business or practice longer
	// than 3 years, in months (45号令 Art. 13 ¶3); 0 when none.
	RestrictionMonths int
	// PeriodMonths is the authority's publication period outside market
	// regulation, where no national rule sets one; 0: 36 months.
	PeriodMonths int
}

// PublicationPlan is whether and how a decision is published.
type PublicationPlan struct {
	Publish bool
	// Reason says why it is not published (or on what it is).
	Reason   string
	Articles []string
	// DueDays are the working days from the decision to publish it.
	DueDays int
	// Months is the publication period, counted from publication.
	Months int
	// EarlyEnd: the party may ask to end publication early after credit
	// repair (45号令 Art. 14); never after the graver penalties.
	EarlyEnd bool
}

// PlanPublication decides whether the decision in is published, within
// how many working days and for how long.
func PlanPublication(in PublicationInput) PublicationPlan {
	market := in.Domain == DomainMarketRegulation
	not := func(reason string, arts ...string) PublicationPlan {
		return PublicationPlan{Reason: reason, Articles: arts}
	}
	if in.Kind != KindPenaltyDecision && in.Kind != KindOnTheSpotDecision {
		return not("不予行政处罚决定不属于应当公示的行政处罚决定信息", RuleStateCouncilPublication)
	}
	if market && (in.Simplified || in.Kind == KindOnTheSpotDecision) {
		return not("市场监管部门仅公示适用普通程序作出的行政处罚决定", RuleMarketPublication+"第二条第一款")
	}
	if market && onlyWarning(in.Penalties) {
		return not("仅受到警告行政处罚的不予公示", RuleMarketPublication+"第二条第二款")
	}
	if p := in.Facts.Party; p.Kind == PartyPerson {
		if birth, ok := parseDate(p.BirthDate); ok {
			if act, ok := parseDate(in.Facts.ViolationDate); ok && act.before(anniversary(birth, 18)) {
				return not("被处罚人是未成年人，不予公开", RuleZhejiangPublication+"第五条第（一）项")
			}
		}
	}
	if in.Secret != SecretNone {
		return not("案件主要事实涉及"+SecretName(in.Secret)+"，不予公开", RuleZhejiangPublication+"第五条第（二）项")
	}
	months := in.PeriodMonths
	if months <= 0 {
		months = publishMonthsNonMarket
	}
	plan := PublicationPlan{Publish: true, DueDays: PublishDays, Months: months, EarlyEnd: true,
		Articles: []string{RuleStateCouncilPublication, Article(LawAPL, 48, 1, 0)}}
	if !market {
		return plan
	}
	plan.Articles = []string{RuleMarketPublication + "第九条", Article(LawAPL, 48, 1, 0)}
	plan.DueDays = PublishDaysMarket
	if in.OtherProvince {
		plan.DueDays = PublishDaysMarketRelay
		plan.Articles[0] = RuleMarketPublication + "第十条"
	}
	plan.Months = PublishMonthsOther
	if lowerOnly(in.Penalties, in.LowerFine) {
		plan.Months = PublishMonthsLower
	}
	if m := in.RestrictionMonths; m > PublishMonthsOther {
		plan.Months = min(m, maxPublicationRestrictM)
	}
	plan.EarlyEnd = !graver(in.Penalties) && in.RestrictionMonths == 0
	return plan
}

func onlyWarning(ps []Penalty) bool {
	return len(ps) > 0 && !slices.ContainsFunc(ps, func(p Penalty) bool { return p.Type != ImposeWarning })
}

// lowerOnly: only warnings and a fine up to the lower amount (通报批评 is
// not a penalty this service imposes).
func lowerOnly(ps []Penalty, lower float64) bool {
	if lower <= 0 || len(ps) == 0 {
		return false
	}
	for _, p := range ps {
		switch {
		case p.Type == ImposeWarning:
		case p.Type == ImposeFine && p.Amount <= lower:
		default:
			return false
		}
	}
	return true
}

// graver are the penalties after which publication never ends early
// (45号令 Art. 14 ¶3).
func graver(ps []Penalty) bool {
	return slices.ContainsFunc(ps, func(p Penalty) bool {
		return p.Type == ImposeSuspendBusiness || p.Type == ImposeRevokeLicence || p.Type == ImposeSuspendLicence
	})
}

// PublicationDue is the last working day to publish a decision of date.
func PublicationDue(cal Calendar, decisionDate string, plan PublicationPlan) (string, error) {
	return cal.AddWorkdays(decisionDate, plan.DueDays)
}

// WithdrawalDue is the last working day to withdraw a publication after
// the decision was revoked or corrected on date.
func WithdrawalDue(cal Calendar, date string) (string, error) {
	return cal.AddWorkdays(date, WithdrawDays)
}

// PublicationEnd is the day publication stops: months after the day it
// began.
func PublicationEnd(published string, months int) string {
	d, ok := parseDate(published)
	if !ok {
		return ""
	}
	return addMonths(d, months).String()
}

// compoundSurnames are the two-character surnames kept whole when a name
// is masked.
var compoundSurnames = []string{
	"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "令狐",
	"夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "万俟", "闻人", "澹台", "公冶", "宗政", "濮阳", "淳于",
	"单于", "太叔", "申屠", "钟离", "百里", "呼延", "赫连", "拓跋", "司空", "第五",
}

// MaskName masks a natural person's name: the surname kept, the given
// name 某 (张三 → 张某, 欧阳娜娜 → 欧阳某); a name not in Chinese characters
// keeps its first letter (法释〔2016〕19号 Art. 9).
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	for _, s := range compoundSurnames {
		if strings.HasPrefix(name, s) && utf8.RuneCountInString(name) > 2 {
			return s + "某"
		}
	}
	r, _ := utf8.DecodeRuneInString(name)
	return string(r) + "某"
}

// PublicParty is what the publication prints of the party: a natural
// person's home address, phone, id number and birth date are removed; an
// organisation keeps its registration data (name, credit code, legal
// representative, address) but not its phone (Zhejiang Art. 7, 法释〔2016〕19号
// Art. 10).
func PublicParty(p Party) Party {
	out := Party{Kind: p.Kind, Name: p.Name}
	if p.Kind == PartyOrganization {
		out.CreditCode, out.LegalRepresentative, out.Address = p.CreditCode, p.LegalRepresentative, p.Address
	}
	return out
}

// rePlate is a vehicle plate (号牌号码).
var rePlate = regexp.MustCompile(`[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·.]?[A-Z0-9]{5,6}`)

// minRemovedDigits: a run of this many digits or more is an id number,
// bank account or phone number (amounts are followed by their unit).
const minRemovedDigits = 7

// Removed stands for a removed piece of personal data.
const Removed = "×××"

// MaskOptions are what a published text removes beyond the patterns.
type MaskOptions struct {
	// Party is the party (a person's address and phone, an
	// organisation's bank account, found literally, are removed).
	Party Party
	// Names are natural persons other than the party named in the text:
	// each becomes its surname and 某.
	Names []string
	// Person: the party is a natural person (its plates go too).
	Person bool
}

// MaskText masks a published text: other persons' names become 姓+某, and
// id numbers, bank accounts, phone numbers, a person's address and plates
// are replaced by ×××. Digits that are part of amounts, dates or
// document numbers are left: the patterns need 7 or more digits in a row.
func MaskText(text string, o MaskOptions) string {
	names := slices.Clone(o.Names)
	for _, s := range []string{o.Party.Guardian} {
		if n := guardianName(s); n != "" {
			names = append(names, n)
		}
	}
	// Longest first, so 张三丰 is masked before 张三.
	slices.SortFunc(names, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	for _, n := range names {
		if n = strings.TrimSpace(n); utf8.RuneCountInString(n) >= 2 {
			text = strings.ReplaceAll(text, n, MaskName(n))
		}
	}
	if o.Person {
		for _, s := range []string{o.Party.Address, o.Party.Phone} {
			if s = strings.TrimSpace(s); utf8.RuneCountInString(s) >= 4 {
				text = strings.ReplaceAll(text, s, Removed)
			}
		}
		text = rePlate.ReplaceAllString(text, Removed)
	}
	return removeNumbers(text)
}

// units follow a number that is an amount or a quantity, not an
// identifier.
const units = "元万亿%‰件个次台辆吨斤克米平方份人户天日月年号"

// removeNumbers replaces each run of minRemovedDigits or more digits
// (spaces, dashes and a leading +86 between them allowed, an id number's
// final X included) by Removed, unless a decimal point or a unit follows
// or the run is a date (2026-10-01).
func removeNumbers(text string) string {
	var b strings.Builder
	rs := []rune(text)
	for i := 0; i < len(rs); {
		if !unicode.IsDigit(rs[i]) && !(rs[i] == '+' && i+1 < len(rs) && unicode.IsDigit(rs[i+1])) {
			b.WriteRune(rs[i])
			i++
			continue
		}
		j, n := i, 0
		if rs[j] == '+' {
			j++
		}
	scan:
		for j < len(rs) {
			switch {
			case unicode.IsDigit(rs[j]):
				n++
			case (rs[j] == ' ' || rs[j] == '-') && n > 0 && j+1 < len(rs) && unicode.IsDigit(rs[j+1]):
			case (rs[j] == 'X' || rs[j] == 'x') && n == 17:
				n++
				j++
				break scan
			default:
				break scan
			}
			j++
		}
		next := ' '
		if j < len(rs) {
			next = rs[j]
		}
		if n >= minRemovedDigits && next != '.' && !strings.ContainsRune(units, next) && !reISODate.MatchString(string(rs[i:j])) {
			b.WriteString(Removed)
		} else {
			b.WriteString(string(rs[i:j]))
		}
		i = j
	}
	return b.String()
}

// guardianName is the name in a guardian entry 林某（父亲）.
func guardianName(s string) string {
	if i := strings.IndexAny(s, "（("); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
