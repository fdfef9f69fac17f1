package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"penaltydoc/errs"
	"penaltydoc/rules/limits"
)

// MsgUnknownItem is the field message for a violation_code that names no
// catalogue item; the server, which looks items up, reports it.
const MsgUnknownItem = "未找到该违法行为事项，请从事项清单中选择"

// MaxMoney is the largest amount (yuan) the engine accepts: what the
// database's decimal(14,2) columns hold (rules/limits).
const MaxMoney = limits.MaxMoney

// provisionRe: a provision starts with the name of a law in 《》.
var provisionRe = regexp.MustCompile(`^《[^《》]+》\S`)

// Validate checks case facts and normalises them in place. decisionDate is
// the day of the decision (YYYY-MM-DD); when empty, f.DecisionDate is used,
// and when that is empty too, nothing is checked against "the future".
// item may be nil: then the proposed fine is not checked against a range.
//
// Normalisation: surrounding spaces are trimmed from codes, ids and dates;
// id numbers and credit codes are upper-cased; an empty harm becomes
// "none" and an empty mental_capacity "full"; for a person with a valid id
// number, Sex is set from the 17th digit and an empty BirthDate from digits
// 7-14. Errors name each bad field by its JSON path (party.id_number,
// prior_violations[0].date, …) with a Chinese message.
func Validate(f *Facts, item *Item, decisionDate string) error {
	fe := errs.Fields{}
	normalise(f)
	v := &validation{fe: fe}
	if decisionDate == "" {
		decisionDate = f.DecisionDate
	}
	if decisionDate != "" {
		var ok bool
		if v.dec, ok = parseDate(decisionDate); ok {
			v.hasDec = true
		} else {
			fe.Add("decision_date", "决定日期应为有效日期，格式为YYYY-MM-DD")
		}
	}
	if f.DecisionDate != "" && f.DecisionDate != decisionDate && !ValidDate(f.DecisionDate) {
		fe.Add("decision_date", "决定日期应为有效日期，格式为YYYY-MM-DD")
	}
	if f.ViolationCode == "" {
		fe.Add("violation_code", "请选择违法行为事项")
	}
	v.party(&f.Party)
	v.texts(f)
	v.dates(f)
	v.enumerations(f)
	v.money(f, item)
	v.penalties(f, item)
	v.itemPeriod(f, item)
	return fe.Err()
}

// validation is the state of one Validate call: the field messages, the
// decision date that later dates are checked against, and the dates the
// money rules need.
type validation struct {
	fe       errs.Fields
	dec      date
	hasDec   bool
	birth    date
	hasBirth bool
	act      date
	okAct    bool
}

// notFuture refuses a date after the decision date.
func (v *validation) notFuture(field, label string, d date) {
	if v.hasDec && d.after(v.dec) {
		v.fe.Add(field, fmt.Sprintf("%s不得晚于决定日期（%s）", label, v.dec.chinese()))
	}
}

// party checks the party: name, guardian, id number or credit code, birth
// date; it sets Sex and an empty BirthDate from a valid id number.
func (v *validation) party(p *Party) {
	fe := v.fe
	if strings.TrimSpace(p.Name) == "" {
		fe.Add("party.name", "请填写当事人姓名或名称")
	}
	p.Guardian = strings.TrimSpace(p.Guardian)
	if p.Guardian != "" && p.Kind == PartyOrganization {
		fe.Add("party.guardian", "单位当事人没有监护人")
	}
	switch p.Kind {
	case PartyPerson:
		idBirth, sex, ok := "", "", false
		if p.IDNumber == "" {
			fe.Add("party.id_number", "请填写公民身份号码")
		} else if msg := idProblem(p.IDNumber); msg != "" {
			fe.Add("party.id_number", msg)
		} else if idBirth, sex, ok = ValidIDNumber(p.IDNumber); ok {
			p.Sex = sex
		}
		switch {
		case p.BirthDate == "" && ok:
			p.BirthDate = idBirth
		case p.BirthDate == "":
		case !ValidDate(p.BirthDate):
			fe.Add("party.birth_date", "出生日期应为有效日期，格式为YYYY-MM-DD")
		case ok && p.BirthDate != idBirth:
			fe.Add("party.birth_date", "出生日期与公民身份号码中的出生日期不一致")
		}
		if b, okB := parseDate(p.BirthDate); okB {
			v.birth, v.hasBirth = b, true
			field := "party.birth_date"
			if ok && p.BirthDate == idBirth {
				field = "party.id_number"
			}
			v.notFuture(field, "出生日期", b)
		}
	case PartyOrganization:
		if p.CreditCode == "" {
			fe.Add("party.credit_code", "请填写统一社会信用代码")
		} else if msg := creditProblem(p.CreditCode); msg != "" {
			fe.Add("party.credit_code", msg)
		}
	case "":
		fe.Add("party.kind", "请选择当事人类型（个人或单位）")
	default:
		fe.Add("party.kind", "当事人类型只能是个人（person）或单位（organization）")
	}
}

// texts checks every text and list of the facts against the table of
// field limits: length, characters (one-line fields take no line break),
// and what the fonts can print.
func (v *validation) texts(f *Facts) {
	fe := v.fe
	p := &f.Party
	for _, t := range []struct {
		l limits.Field
		v string
	}{
		{limits.ViolationCode, f.ViolationCode}, {limits.PartyName, p.Name}, {limits.PartyAddress, p.Address},
		{limits.PartyLegalRep, p.LegalRepresentative}, {limits.PartyPhone, p.Phone}, {limits.PartyGuardian, p.Guardian},
		{limits.Facts, f.Facts}, {limits.Licence, f.Licence}, {limits.VehiclePlate, f.VehiclePlate},
	} {
		t.l.Check(fe, "", t.v)
	}
	item := func(l limits.Field, i int, v string) {
		l.Check(fe, strings.Replace(l.Path, "[]", fmt.Sprintf("[%d]", i), 1), v)
	}
	if limits.EvidenceItems.Check(fe, len(f.Evidence)) {
		for i, e := range f.Evidence {
			item(limits.Evidence, i, e)
		}
	}
	if limits.AggravatingItems.Check(fe, len(f.Aggravating)) {
		for i, a := range f.Aggravating {
			item(limits.Aggravating, i, a)
		}
	}
	if limits.PropertyItems.Check(fe, len(f.IllegalProperty)) {
		for i, pr := range f.IllegalProperty {
			item(limits.PropertyName, i, pr.Name)
			item(limits.PropertyQuantity, i, pr.Quantity)
		}
	}
	if limits.PriorItems.Check(fe, len(f.PriorViolations)) {
		for i, pv := range f.PriorViolations {
			item(limits.PriorCode, i, pv.ViolationCode)
		}
	}
	limits.MitigatingItems.Check(fe, len(f.Mitigating))
	limits.ProposedItems.Check(fe, len(f.ProposedPenalties))
}

// dates checks the act, its end, the discovery and the prior violations
// against each other, the party's birth and the decision date.
func (v *validation) dates(f *Facts) {
	fe := v.fe
	act, okAct := requiredDate(fe, "violation_date", "违法行为发生日期", f.ViolationDate)
	disc, okDisc := requiredDate(fe, "discovered_date", "发现（立案）日期", f.DiscoveredDate)
	v.act, v.okAct = act, okAct
	var end date
	okEnd := false
	if f.ViolationEndDate != "" {
		if end, okEnd = parseDate(f.ViolationEndDate); !okEnd {
			fe.Add("violation_end_date", "违法行为终了日期应为有效日期，格式为YYYY-MM-DD")
		}
	}
	if okAct && okDisc && act.after(disc) {
		fe.Add("violation_date", "违法行为发生日期不得晚于发现（立案）日期")
	}
	if okEnd && okAct && end.before(act) {
		fe.Add("violation_end_date", "违法行为终了日期不得早于发生日期")
	}
	if okEnd && okDisc && end.after(disc) {
		fe.Add("violation_end_date", "违法行为终了日期不得晚于发现（立案）日期")
	}
	if okAct && v.hasBirth && act.before(v.birth) {
		fe.Add("violation_date", "违法行为发生日期不得早于当事人出生日期")
	}
	if okAct {
		v.notFuture("violation_date", "违法行为发生日期", act)
	}
	if okEnd {
		v.notFuture("violation_end_date", "违法行为终了日期", end)
	}
	if okDisc {
		v.notFuture("discovered_date", "发现（立案）日期", disc)
	}
	for i, pv := range f.PriorViolations {
		key := fmt.Sprintf("prior_violations[%d]", i)
		if pv.ViolationCode == "" {
			fe.Add(key+".violation_code", "请填写以往违法行为的事项编码")
		}
		if d, ok := requiredDate(fe, key+".date", "以往违法行为日期", pv.Date); ok {
			v.notFuture(key+".date", "以往违法行为日期", d)
		}
	}
}

// enumerations checks harm, capacity and the mitigating circumstances.
func (v *validation) enumerations(f *Facts) {
	fe := v.fe
	switch f.Harm {
	case HarmNone, HarmMinor, HarmSerious:
	default:
		fe.Add("harm", "危害后果只能是无（none）、轻微（minor）或严重（serious）")
	}
	switch f.MentalCapacity {
	case CapacityFull, CapacityLimited, CapacityNone:
	default:
		fe.Add("mental_capacity", "辨认控制能力只能是完全（full）、限制（limited）或无（none）")
	}
	for i, m := range f.Mitigating {
		if _, ok := mitigatingItem[m]; !ok {
			fe.Add(fmt.Sprintf("mitigating[%d]", i), "从轻减轻情节只能是 eliminated_harm、coerced_or_deceived、confessed_unknown、meritorious_service 之一")
		}
	}
}

// money checks the amounts and the proposed fine against the item's range
// (a lighter penalty may go below the minimum).
func (v *validation) money(f *Facts, item *Item) {
	fe := v.fe
	okFine := limits.CheckMoney(fe, "proposed_fine", "拟罚款金额", f.ProposedFine)
	limits.CheckMoney(fe, "illegal_gains", "违法所得金额", f.IllegalGains)
	if item == nil || !okFine || f.ProposedFine <= 0 {
		return
	}
	lighter := len(lighterGrounds(f, v.act, v.okAct, v.birth, v.hasBirth)) > 0
	if item.ValueFine != nil && f.GoodsValue <= 0 {
		return // the range is not known yet: goods_value is reported
	}
	min, max, _ := fineRange(item, f)
	switch {
	case max <= 0:
		fe.Add("proposed_fine", "本事项不设罚款，不得提出罚款金额")
	case f.ProposedFine > max:
		fe.Add("proposed_fine", fmt.Sprintf("拟罚款金额不得超过本事项罚款上限%s", yuan(max)))
	case !lighter && f.ProposedFine < min:
		fe.Add("proposed_fine", fmt.Sprintf("拟罚款金额应在%s至%s之间；无从轻、减轻情节的，不得低于下限", yuan(min), yuan(max)))
	}
}

// itemPeriod refuses an item whose provisions do not govern the act's date
// (the version of the law in force when the act was committed applies, APL
// Art. 37).
func (v *validation) itemPeriod(f *Facts, item *Item) {
	if item == nil || !v.okAct {
		return
	}
	from, okFrom := parseDate(item.ValidFrom)
	until, okUntil := parseDate(item.ValidUntil)
	switch {
	case okFrom && v.act.before(from):
		v.fe.Add("violation_code", fmt.Sprintf("本事项依据%s起施行的规定，违法行为发生于%s，应当适用违法行为发生时的规定（%s），请选择相应的事项",
			from.chinese(), v.act.chinese(), Article(LawAPL, 37, 0, 0)))
	case okUntil && v.act.after(until):
		v.fe.Add("violation_code", fmt.Sprintf("本事项依据的规定适用于%s以前的违法行为，违法行为发生于%s，请选择依据现行规定的事项", until.chinese(), v.act.chinese()))
	}
}

// CheckNotAfter refuses facts dated after today. The decision date may lie
// ahead (a decision being drafted for a planned day); what happened may
// not.
func CheckNotAfter(fe errs.Fields, f *Facts, today string) {
	check := func(field, label, d string) {
		if ValidDate(d) && d > today {
			fe.Add(field, fmt.Sprintf("%s不得晚于今天（%s）", label, ChineseDate(today)))
		}
	}
	check("violation_date", "违法行为发生日期", f.ViolationDate)
	check("violation_end_date", "违法行为终了日期", f.ViolationEndDate)
	check("discovered_date", "立案（发现）日期", f.DiscoveredDate)
	for i, p := range f.PriorViolations {
		check(fmt.Sprintf("prior_violations[%d].date", i), "既往违法日期", p.Date)
	}
}

// normalise trims and upper-cases what the officer may have typed loosely.
func normalise(f *Facts) {
	f.ViolationCode = strings.TrimSpace(f.ViolationCode)
	f.Party.Kind = strings.TrimSpace(f.Party.Kind)
	f.Party.IDNumber = strings.ToUpper(strings.TrimSpace(f.Party.IDNumber))
	f.Party.CreditCode = strings.ToUpper(strings.TrimSpace(f.Party.CreditCode))
	f.Party.BirthDate = strings.TrimSpace(f.Party.BirthDate)
	f.ViolationDate = strings.TrimSpace(f.ViolationDate)
	f.ViolationEndDate = strings.TrimSpace(f.ViolationEndDate)
	f.DiscoveredDate = strings.TrimSpace(f.DiscoveredDate)
	f.DecisionDate = strings.TrimSpace(f.DecisionDate)
	f.Harm = strings.TrimSpace(f.Harm)
	if f.Harm == "" {
		f.Harm = HarmNone
	}
	f.Facts = trimFindingLead(f.Facts)
	f.MentalCapacity = strings.TrimSpace(f.MentalCapacity)
	if f.MentalCapacity == "" {
		f.MentalCapacity = CapacityFull
	}
	for i := range f.PriorViolations {
		f.PriorViolations[i].ViolationCode = strings.TrimSpace(f.PriorViolations[i].ViolationCode)
		f.PriorViolations[i].Date = strings.TrimSpace(f.PriorViolations[i].Date)
	}
}

// findingLeads are the words officers open the facts with that every
// letter already prints before them ("经查，{{facts}}"): kept, the letter
// read "经查，经查，".
var findingLeads = []string{"经查明", "经调查", "经查"}

// trimFindingLead drops a leading 经查 (经查明, 经调查) and the comma or
// colon after it from the facts.
func trimFindingLead(s string) string {
	t := strings.TrimSpace(s)
	for _, lead := range findingLeads {
		rest, ok := strings.CutPrefix(t, lead)
		if !ok || !strings.ContainsAny(firstRune(rest), "，,：:") { // 经查验… is not the lead
			continue
		}
		if rest = strings.TrimLeft(rest, "，,：: \t"); rest != "" {
			return rest
		}
	}
	return s
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

func requiredDate(fe errs.Fields, field, label, s string) (date, bool) {
	if s == "" {
		fe.Add(field, "请填写"+label)
		return date{}, false
	}
	d, ok := parseDate(s)
	if !ok {
		fe.Add(field, label+"应为有效日期，格式为YYYY-MM-DD")
	}
	return d, ok
}

func idProblem(s string) string {
	if len(s) != 18 {
		return "公民身份号码应为18位"
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "公民身份号码前17位应为数字"
		}
	}
	if c := s[17]; (c < '0' || c > '9') && c != 'X' {
		return "公民身份号码最后一位应为数字或X"
	}
	if b, ok := parseDate(s[6:10] + "-" + s[10:12] + "-" + s[12:14]); !ok || b.y < 1900 {
		return "公民身份号码中的出生日期无效"
	}
	if IDCheckChar(s[:17]) != s[17] {
		return "公民身份号码校验位不正确"
	}
	return ""
}

func creditProblem(s string) string {
	if len(s) != 18 {
		return "统一社会信用代码应为18位"
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(creditCharset, s[i]) < 0 {
			return "统一社会信用代码含有无效字符（只能使用数字和除I、O、Z、S、V以外的大写字母）"
		}
	}
	if !ValidCreditCode(s) {
		return "统一社会信用代码校验位不正确"
	}
	return ""
}

// ValidateItem checks a catalogue item: a code and a name, known domain and
// penalty types, a lawful fine range, and month settings that are not
// negative (first_offense_lookback_months and warning_lookback_months may be
// negative: "no limit", see docs/rules.md). Field keys are the item's JSON
// names.
func ValidateItem(it *Item) error {
	fe := errs.Fields{}
	it.Code = strings.TrimSpace(it.Code)
	if it.Code == "" {
		fe.Add("code", "请填写事项编码")
	}
	if strings.TrimSpace(it.Name) == "" {
		fe.Add("name", "请填写违法行为名称")
	}
	for _, t := range []struct {
		l limits.Field
		v string
	}{
		{limits.ItemCode, it.Code}, {limits.ItemName, it.Name}, {limits.ViolatedProvision, it.ViolatedProvision},
		{limits.PenaltyProvision, it.PenaltyProvision}, {limits.Conditions, it.Conditions}, {limits.FineBasis, it.FineBasis},
	} {
		t.l.Check(fe, "", t.v)
	}
	switch it.Domain {
	case "", DomainPublicSecurity, DomainMarketRegulation, DomainTraffic, DomainOther:
	default:
		fe.Add("domain", "领域只能是 public_security、market_regulation、traffic 或 other")
	}
	for i, t := range it.PenaltyTypes {
		switch t {
		case PenaltyWarning, PenaltyFine, PenaltyConfiscation, PenaltySuspension, PenaltyRevocation, PenaltyDetention:
			if slices.Contains(it.PenaltyTypes[:i], t) {
				fe.Add(fmt.Sprintf("penalty_types[%d]", i), "处罚种类重复")
			}
		default:
			fe.Add(fmt.Sprintf("penalty_types[%d]", i), "处罚种类只能是 warning、fine、confiscation、suspension、revocation、detention 之一")
		}
	}
	limits.PenaltyTypeItems.Check(fe, len(it.PenaltyTypes))
	for _, p := range []struct{ field, label, v string }{
		{"violated_provision", "违反条款", it.ViolatedProvision},
		{"penalty_provision", "处罚依据", it.PenaltyProvision},
	} {
		if !provisionRe.MatchString(strings.TrimSpace(p.v)) {
			fe.Add(p.field, p.label+"应以法律文件名称开头，如《中华人民共和国价格法》第十三条")
		}
	}
	if len(it.PenaltyTypes) == 0 {
		fe.Add("penalty_types", "请至少选择一种处罚种类")
	}
	hasType := func(t string) bool {
		for _, x := range it.PenaltyTypes {
			if x == t {
				return true
			}
		}
		return false
	}
	if it.FineMax > 0 && !hasType(PenaltyFine) {
		fe.Add("penalty_types", "设置了罚款幅度的事项，处罚种类应包含罚款（fine）")
	}
	if it.WarningEligible && !hasType(PenaltyWarning) {
		fe.Add("warning_eligible", "适用首违警告的事项，处罚种类应包含警告（warning）")
	}
	okMin := limits.CheckMoney(fe, "fine_min", "罚款下限", it.FineMin)
	okMax := limits.CheckMoney(fe, "fine_max", "罚款上限", it.FineMax)
	if okMin && okMax && it.FineMin > it.FineMax {
		fe.Add("fine_min", "罚款下限不得高于上限")
	}
	if it.LimitationMonths < 0 {
		fe.Add("limitation_months", "追责时效月数不得为负数")
	}
	if it.LimitationMonths > 1200 {
		fe.Add("limitation_months", "追责时效月数过大")
	}
	if it.FirstOffenseLookbackMonths > 1200 {
		fe.Add("first_offense_lookback_months", "首违回溯月数过大")
	}
	if it.WarningLookbackMonths > 1200 {
		fe.Add("warning_lookback_months", "首违警告回溯月数过大")
	}
	if vf := it.ValueFine; vf != nil {
		okMoney := true
		for _, m := range []struct {
			field string
			v     float64
		}{{"threshold", vf.Threshold}, {"below_min", vf.BelowMin}, {"below_max", vf.BelowMax}, {"floor", vf.Floor}} {
			okMoney = limits.CheckMoney(fe, "value_fine", "按货值金额计算罚款的金额（"+m.field+"）", m.v) && okMoney
		}
		switch {
		case !okMoney:
		case vf.TimesMin <= 0 || vf.TimesMax < vf.TimesMin:
			fe.Add("value_fine", "按货值金额计算的罚款倍数无效（times_min、times_max）")
		case vf.TimesMax > limits.MaxTimes || !limits.TwoDecimals(vf.TimesMin) || !limits.TwoDecimals(vf.TimesMax):
			fe.Add("value_fine", fmt.Sprintf("按货值金额计算的罚款倍数应在0至%d之间，最多两位小数（times_min、times_max）", limits.MaxTimes))
		case vf.Threshold > 0 && (vf.BelowMax <= 0 || vf.BelowMin > vf.BelowMax):
			fe.Add("value_fine", "货值金额不足起算标准时的罚款幅度无效（below_min、below_max）")
		case !hasType(PenaltyFine):
			fe.Add("value_fine", "按货值金额计算罚款的事项，处罚种类应包含罚款（fine）")
		}
	}
	for _, h := range []struct {
		field string
		v     float64
	}{{"hearing_fine_person", it.HearingFinePerson}, {"hearing_fine_org", it.HearingFineOrg}} {
		limits.CheckMoney(fe, h.field, "听证金额标准", h.v)
	}
	switch {
	case it.DetentionMaxDays < 0 || it.DetentionMaxDays > DefaultDetentionMaxDays:
		fe.Add("detention_max_days", fmt.Sprintf("拘留天数上限应在1至%d日之间", DefaultDetentionMaxDays))
	case it.DetentionMaxDays > 0 && !hasType(PenaltyDetention):
		fe.Add("detention_max_days", "设置了拘留天数上限的事项，处罚种类应包含行政拘留（detention）")
	}
	if hasType(PenaltyDetention) && it.Domain != DomainPublicSecurity && it.Domain != "" {
		fe.Add("penalty_types", "行政拘留只能由公安机关决定，事项领域应为治安管理（public_security）")
	}
	for _, d := range []struct{ field, v string }{{"valid_from", it.ValidFrom}, {"valid_until", it.ValidUntil}} {
		if d.v != "" && !ValidDate(d.v) {
			fe.Add(d.field, "日期应为YYYY-MM-DD")
		}
	}
	if it.ValidFrom != "" && it.ValidUntil != "" && it.ValidFrom > it.ValidUntil {
		fe.Add("valid_until", "适用期间的终止日期不得早于起始日期")
	}
	return fe.Err()
}
