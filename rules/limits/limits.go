// Package limits is the one table of field limits: how long each text a
// person enters may be, which characters it may hold, and how large an
// amount of money may be. Validation checks input against it (rules,
// casework: a 422 naming the field by its JSON path), and the models tests
// check the real schema against it on SQLite and MariaDB, so the two
// cannot drift. It knows no law: only sizes and characters.
package limits

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"penaltydoc/errs"
	"penaltydoc/fonts"
)

// Kind says which characters a text may hold. Every kind refuses invalid
// UTF-8, control characters, bidirectional controls, line and paragraph
// separators, other invisible format characters and characters the shipped
// fonts cannot draw.
type Kind uint8

const (
	// Line is one line: a name, an address, a phone number. No tab and no
	// line break.
	Line Kind = iota
	// Text is free text in paragraphs: line breaks (LF, CR) and tabs are
	// allowed.
	Text
	// Code is an identifier or prefix: one line without spaces.
	Code
)

// Field is the limit of one text field.
type Field struct {
	// Path is the field's JSON path as docs/api.md names it; "[]" stands
	// for each item of a list (evidence[] is checked as evidence[0], …).
	Path string
	// Label is the field's Chinese name in messages.
	Label string
	Kind  Kind
	// Max is the most characters (Unicode code points: what MySQL's
	// varchar(N) counts).
	Max int
}

// List is the limit of the number of items of a list field.
type List struct {
	Path  string
	Label string
	Max   int
}

// Money: every amount is yuan with at most two decimals, not negative, and
// at most MaxMoney: what a decimal(MoneyDigits, MoneyScale) column holds
// and what a letter can write in capital figures (render.Capital).
const (
	MoneyDigits = 14
	MoneyScale  = 2
	MaxMoney    = 999_999_999_999.99
)

// MaxTimes bounds a fine's multiple of the goods' value (value_fine's
// times_min and times_max).
const MaxTimes = 100

// Passwords: bcrypt uses the first 72 bytes only, and refuses longer ones.
const (
	MinPasswordRunes = 8
	MaxPasswordBytes = 72
)

// Catalogue import: the file's size, its rows and the row errors one
// answer lists (the rest are counted).
const (
	MaxImportBytes  = 5 << 20
	MaxImportRows   = 10000
	MaxImportErrors = 50
)

// The text fields, by the resource that takes them.
var (
	// Case facts.
	ViolationCode     = Field{"violation_code", "违法行为事项编码", Code, 64}
	PartyName         = Field{"party.name", "当事人姓名或名称", Line, 200}
	PartyIDNumber     = Field{"party.id_number", "公民身份号码", Code, 18}
	PartyCreditCode   = Field{"party.credit_code", "统一社会信用代码", Code, 18}
	PartyAddress      = Field{"party.address", "当事人住所（地址）", Line, 300}
	PartyLegalRep     = Field{"party.legal_representative", "法定代表人（负责人）", Line, 100}
	PartyPhone        = Field{"party.phone", "当事人联系电话", Line, 50}
	PartyGuardian     = Field{"party.guardian", "监护人", Line, 100}
	Facts             = Field{"facts", "违法事实", Text, 5000}
	Evidence          = Field{"evidence[]", "证据", Line, 150}
	Aggravating       = Field{"aggravating[]", "从重情节", Line, 200}
	PriorCode         = Field{"prior_violations[].violation_code", "以往违法行为的事项编码", Code, 64}
	PropertyName      = Field{"illegal_property[].name", "非法财物名称", Line, 100}
	PropertyQuantity  = Field{"illegal_property[].quantity", "非法财物数量", Line, 30}
	Licence           = Field{"licence", "许可证件", Line, 200}
	VehiclePlate      = Field{"vehicle_plate", "号牌号码", Line, 20}
	OverrideReason    = Field{"override.reason", "改变处理结果的理由", Text, 2000}
	Statement         = Field{"statement", "陈述、申辩内容", Text, 5000}
	StatementReason   = Field{"statement_reason", "复核理由", Text, 2000}
	HearingResult     = Field{"hearing_result", "听证情况及处理意见", Text, 3000}
	Participants      = Field{"participants", "参加集体讨论的负责人", Line, 300}
	Conclusion        = Field{"conclusion", "集体讨论结论", Text, 2000}
	PaymentReceipt    = Field{"receipt", "缴款书或者收据号码", Code, 100}
	ExecutionNote     = Field{"other_executed_note", "其他处罚执行情况", Text, 1000}
	HearingPlace      = Field{"hearing_place", "听证地点", Line, 300}
	HearingAttendees  = Field{"hearing_participants", "听证参加人", Line, 300}
	HearingSummary    = Field{"hearing_summary", "听证笔录摘要", Text, 5000}
	ReturnComment     = Field{"comment", "退回意见", Text, 2000}
	ServiceRecipient  = Field{"recipient", "受送达人", Line, 200}
	ServicePlace      = Field{"place", "送达地点", Line, 300}
	AuthorityName     = Field{"name", "机关名称", Line, 200}
	AuthorityShort    = Field{"short_name", "机关简称", Line, 100}
	NumberPrefix      = Field{"number_prefix", "文号前缀", Code, 100}
	NoPenaltyPrefix   = Field{"no_penalty_prefix", "不予处罚文号前缀", Code, 100}
	NoticePrefix      = Field{"notice_prefix", "告知书文号前缀", Code, 100}
	OnTheSpotPrefix   = Field{"on_the_spot_prefix", "当场处罚文号前缀", Code, 100}
	CasePrefix        = Field{"case_prefix", "立案编号前缀", Code, 100}
	Reconsideration   = Field{"reconsideration_body", "复议机关", Line, 200}
	Court             = Field{"court", "管辖法院", Line, 200}
	Payment           = Field{"payment_instructions", "缴款方式", Text, 2000}
	AuthorityAddress  = Field{"address", "地址", Line, 300}
	AuthorityPhone    = Field{"phone", "联系电话", Line, 50}
	Username          = Field{"username", "用户名", Code, 64}
	DisplayName       = Field{"display_name", "姓名", Line, 100}
	CertificateNumber = Field{"certificate_number", "执法证号", Code, 50}
	OfficerArea       = Field{"area", "执法区域（类别）", Line, 100}
	WithdrawReason    = Field{"reason", "撤回（作废）原因", Text, 2000}
	CorrectionReason  = Field{"reason", "更正原因", Text, 2000}
	ItemCode          = Field{"code", "事项编码", Code, 64}
	ItemName          = Field{"name", "违法行为名称", Line, 300}
	ViolatedProvision = Field{"violated_provision", "违反条款", Line, 500}
	PenaltyProvision  = Field{"penalty_provision", "处罚依据", Line, 500}
	Conditions        = Field{"conditions", "适用条件", Text, 5000}
	FineBasis         = Field{"fine_basis", "罚款幅度的法定表述", Text, 2000}
	ImportFileName    = Field{"file", "文件名", Line, 255}
	// Publication (行政执法公示): the authority's credit code, the names an
	// officer adds to mask, the reason of a withdrawal or early end.
	AuthorityCreditCode = Field{"credit_code", "机关统一社会信用代码", Code, 18}
	MaskName            = Field{"mask_names[]", "须遮蔽的姓名", Line, 50}
	PublicationReason   = Field{"reason", "撤回或提前结束公示的原因", Text, 2000}
)

// The list fields.
var (
	EvidenceItems    = List{"evidence", "证据", 30}
	AggravatingItems = List{"aggravating", "从重情节", 10}
	MitigatingItems  = List{"mitigating", "从轻减轻情节", 10}
	PriorItems       = List{"prior_violations", "以往违法行为", 100}
	PropertyItems    = List{"illegal_property", "非法财物", 30}
	ProposedItems    = List{"proposed_penalties", "拟给予的其他处罚", 10}
	PenaltyTypeItems = List{"penalty_types", "处罚种类", 6}
	DomainItems      = List{"domains", "执法领域", 4}
	RoleItems        = List{"roles", "角色", 10}
	// AuthorityItems: users.authorities (200 characters) holds 16 ids of
	// up to ten digits with their commas.
	AuthorityItems = List{"authorities", "兼管执法机关", 16}
	HolidayItems   = List{"holidays", "放假日期", 366}
	WorkdayItems   = List{"workdays", "调休上班日期", 366}
	MaskNameItems  = List{"mask_names", "须遮蔽的姓名", 30}
)

// Fields is every text field of the table, for the schema tests and the
// documentation.
var Fields = []Field{
	ViolationCode, PartyName, PartyIDNumber, PartyCreditCode, PartyAddress, PartyLegalRep, PartyPhone, PartyGuardian,
	Facts, Evidence, Aggravating, PriorCode, PropertyName, PropertyQuantity, Licence, VehiclePlate, OverrideReason,
	Statement, StatementReason, HearingResult, Participants, Conclusion,
	PaymentReceipt, ExecutionNote, HearingPlace, HearingAttendees, HearingSummary, ReturnComment, ServiceRecipient, ServicePlace,
	AuthorityName, AuthorityShort, NumberPrefix, NoPenaltyPrefix, NoticePrefix, OnTheSpotPrefix, CasePrefix, Reconsideration, Court,
	Payment, AuthorityAddress, AuthorityPhone, Username, DisplayName, CertificateNumber, OfficerArea, WithdrawReason, CorrectionReason,
	ItemCode, ItemName, ViolatedProvision, PenaltyProvision, Conditions, FineBasis, ImportFileName,
	AuthorityCreditCode, MaskName, PublicationReason,
}

// Lists is every list limit of the table.
var Lists = []List{
	EvidenceItems, AggravatingItems, MitigatingItems, PriorItems, PropertyItems, ProposedItems,
	PenaltyTypeItems, DomainItems, RoleItems, AuthorityItems, HolidayItems, WorkdayItems, MaskNameItems,
}

// Check adds a message under path (f.Path when path is "") when v breaks
// the limit, and reports whether v is within it.
func (f Field) Check(fe errs.Fields, path, v string) bool {
	msg := f.Problem(v)
	if msg == "" {
		return true
	}
	if path == "" {
		path = f.Path
	}
	fe.Add(path, msg)
	return false
}

// Problem is what is wrong with v (Chinese, naming the characters), or "".
func (f Field) Problem(v string) string {
	if !utf8.ValidString(v) {
		return f.Label + "含有无效的字符编码（应为UTF-8）"
	}
	if n := utf8.RuneCountInString(v); n > f.Max {
		return fmt.Sprintf("%s最长%d字，现有%d字", f.Label, f.Max, n)
	}
	return badChars(f.Label, f.Kind, v)
}

// Check adds a message under l.Path when a list has more than l.Max items.
func (l List) Check(fe errs.Fields, n int) bool {
	if n <= l.Max {
		return true
	}
	fe.Add(l.Path, fmt.Sprintf("%s最多%d项，现有%d项", l.Label, l.Max, n))
	return false
}

// Char classes a text may not hold, in the order messages name them.
const (
	classBreak     = iota // tab or line break in a one-line field
	classSpace            // a space in a code
	classControl          // other C0/C1 controls, DEL
	classBidi             // bidirectional controls
	classSeparator        // U+2028, U+2029
	classFormat           // other invisible format characters (zero width …)
	classFont             // what neither font can draw
	nClasses
)

var classMessages = [nClasses]string{
	classBreak:     "%s只能填写一行，不能含有换行符或制表符",
	classSpace:     "%s不能含有空格",
	classControl:   "%s含有控制字符%s，请删除",
	classBidi:      "%s含有文字方向控制字符%s，请删除",
	classSeparator: "%s含有行分隔符或段分隔符%s，请删除",
	classFormat:    "%s含有不可见的格式字符%s，请删除",
	classFont:      "%s含有字体中没有的字符%s，无法排版；请改用其他写法（如同音字加注说明）",
}

// class is the class of a character a text of kind k may not hold, or -1.
func class(k Kind, r rune) int {
	switch {
	case r == '\n' || r == '\r' || r == '\t':
		if k == Text {
			return -1
		}
		return classBreak
	case r < 0x20 || r >= 0x7f && r < 0xa0:
		return classControl
	case r == 0x061c || r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
		return classBidi
	case r == 0x2028 || r == 0x2029:
		return classSeparator
	case unicode.Is(unicode.Cf, r):
		return classFormat
	case k == Code && unicode.IsSpace(r):
		return classSpace
	}
	return -1
}

// badChars names the first class of characters v may not hold, with the
// characters, or "".
func badChars(label string, k Kind, v string) string {
	var found [nClasses][]rune
	bad := false
	for _, r := range v {
		if c := class(k, r); c >= 0 {
			found[c] = appendNew(found[c], r)
			bad = true
		}
	}
	if !bad {
		found[classFont] = missingGlyphs(v)
	}
	for c, rs := range found {
		if len(rs) == 0 {
			continue
		}
		if c == classBreak || c == classSpace {
			return fmt.Sprintf(classMessages[c], label)
		}
		return fmt.Sprintf(classMessages[c], label, describe(c, rs))
	}
	return ""
}

// missingGlyphs is fonts.Missing, skipping the fonts for printable ASCII
// (both fonts have it).
func missingGlyphs(s string) []rune {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return fonts.Missing(s)
		}
	}
	return nil
}

func appendNew(rs []rune, r rune) []rune {
	for _, x := range rs {
		if x == r {
			return rs
		}
	}
	return append(rs, r)
}

// describe names at most five characters: (U+0000、U+001B) for invisible
// ones, “𠮷”（U+20BB7） for the ones the fonts lack.
func describe(c int, rs []rune) string {
	more := ""
	if len(rs) > 5 {
		rs, more = rs[:5], "等"
	}
	names := make([]string, len(rs))
	for i, r := range rs {
		if c == classFont {
			names[i] = fonts.Describe(r)
		} else {
			names[i] = fmt.Sprintf("U+%04X", r)
		}
	}
	if c == classFont {
		return strings.Join(names, "、") + more
	}
	return "（" + strings.Join(names, "、") + "）" + more
}

// CheckMoney adds a message under path when x is not a lawful amount:
// finite, not negative, at most two decimals, at most MaxMoney. It reports
// whether x is one.
func CheckMoney(fe errs.Fields, path, label string, x float64) bool {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		fe.Add(path, label+"无效")
	case x < 0:
		fe.Add(path, label+"不得为负数")
	case x > MaxMoney:
		fe.Add(path, label+"超出允许范围（最高"+strconv.FormatFloat(MaxMoney, 'f', 2, 64)+"元）")
	case !TwoDecimals(x):
		fe.Add(path, label+"最多保留两位小数")
	default:
		return true
	}
	return false
}

// TwoDecimals reports whether the shortest decimal form of x (the form
// JSON carried) has at most two digits after the point.
func TwoDecimals(x float64) bool {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	i := strings.IndexByte(s, '.')
	return i < 0 || len(s)-i-1 <= 2
}

// CheckPassword adds a message under "password" unless p has at least
// MinPasswordRunes characters and at most MaxPasswordBytes bytes.
func CheckPassword(fe errs.Fields, p string) bool {
	switch n := len(p); {
	case utf8.RuneCountInString(p) < MinPasswordRunes:
		fe.Add("password", fmt.Sprintf("密码长度应为%d至%d位（最长%d字节，一个汉字占3字节）", MinPasswordRunes, MaxPasswordBytes, MaxPasswordBytes))
	case n > MaxPasswordBytes:
		fe.Add("password", fmt.Sprintf("密码最长%d字节（一个汉字占3字节），现有%d字节，请缩短", MaxPasswordBytes, n))
	case !utf8.ValidString(p):
		fe.Add("password", "密码含有无效的字符编码（应为UTF-8）")
	default:
		return true
	}
	return false
}
