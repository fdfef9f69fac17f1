package rules

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"penaltydoc/errs"
)

// RuleSetVersion names the rules Evaluate applies: the APL revision date and
// a counter bumped whenever a ground, a default, the fine rule or a flag
// changes. Stored with every evaluation, it tells which rules made it.
const RuleSetVersion = "2021-07-15/2"

// Defaults for item settings left at 0.
const (
	DefaultLimitationMonths   = 24 // APL Art. 36 ¶1: two years
	SafetyLimitationMonths    = 60 // APL Art. 36 ¶1: five years (life, health, financial safety, with harm)
	DefaultFirstOffenseMonths = 24
	DefaultWarningMonths      = 6
)

// Simplified (on-the-spot) procedure limits, APL Art. 51.
const (
	SimplifiedFinePerson = 200.0
	SimplifiedFineOrg    = 3000.0
)

// Art. 32 items and the sentence each gives.
var mitigatingItem = map[string]int{
	MitigatingEliminatedHarm:     1,
	MitigatingCoercedOrDeceived:  2,
	MitigatingConfessedUnknown:   3,
	MitigatingMeritoriousService: 4,
}

var mitigatingReason = map[string]string{
	MitigatingEliminatedHarm:     "当事人主动消除或者减轻违法行为危害后果，依法应当从轻或者减轻行政处罚。",
	MitigatingCoercedOrDeceived:  "当事人受他人胁迫或者诱骗实施违法行为，依法应当从轻或者减轻行政处罚。",
	MitigatingConfessedUnknown:   "当事人主动供述行政机关尚未掌握的违法行为，依法应当从轻或者减轻行政处罚。",
	MitigatingMeritoriousService: "当事人配合行政机关查处违法行为有立功表现，依法应当从轻或者减轻行政处罚。",
}

// Canonical articles.
var (
	artLimitation     = Article(LawAPL, 36, 1, 0)
	artContinuing     = Article(LawAPL, 36, 2, 0)
	artAge            = Article(LawAPL, 30, 0, 0)
	artCapacity       = Article(LawAPL, 31, 0, 0)
	artNoFault        = Article(LawAPL, 33, 2, 0)
	artMinor          = Article(LawAPL, 33, 1, 0)
	artEducate        = Article(LawAPL, 33, 3, 0)
	artCorrect        = Article(LawAPL, 28, 1, 0)
	artTrafficWarning = Article(LawTraffic, 87, 0, 0)
	artTrafficPenalty = Article(LawTraffic, 107, 0, 0)
)

// lighterGround is one reason the penalty must or may be lighter: its
// article, the officer's reason and the letter's finding.
type lighterGround struct{ article, reason, finding string }

// lighterGrounds lists the Art. 30/31/32 grounds that hold, in article order.
func lighterGrounds(f *Facts, act date, okAct bool, birth date, hasBirth bool) []lighterGround {
	var out []lighterGround
	if f.Party.Kind == PartyPerson {
		if okAct && hasBirth && !act.before(anniversary(birth, 14)) && act.before(anniversary(birth, 18)) {
			out = append(out, lighterGround{artAge, "当事人于违法行为发生时已满十四周岁不满十八周岁，依法应当从轻或者减轻行政处罚。",
				"当事人实施违法行为时已满十四周岁不满十八周岁，依照" + artAge + "的规定，应当从轻或者减轻行政处罚。"})
		}
		if f.MentalCapacity == CapacityLimited {
			out = append(out, lighterGround{artCapacity, "当事人系尚未完全丧失辨认或者控制自己行为能力的精神病人、智力残疾人，可以从轻或者减轻行政处罚。",
				"当事人系尚未完全丧失辨认或者控制自己行为能力的精神病人、智力残疾人，依照" + artCapacity + "的规定，可以从轻或者减轻行政处罚。"})
		}
	}
	seen := map[string]bool{}
	var ms []string
	for _, m := range f.Mitigating {
		if _, ok := mitigatingItem[m]; ok && !seen[m] {
			seen[m] = true
			ms = append(ms, m)
		}
	}
	sort.Slice(ms, func(i, j int) bool { return mitigatingItem[ms[i]] < mitigatingItem[ms[j]] })
	for _, m := range ms {
		art := Article(LawAPL, 32, 0, mitigatingItem[m])
		out = append(out, lighterGround{art, mitigatingReason[m], "当事人" + MitigatingName(m) + "，依照" + art + "的规定，应当从轻或者减轻行政处罚。"})
	}
	return out
}

// evaluation is the working state of one Evaluate call.
type evaluation struct {
	f       Facts
	item    Item
	auth    AuthoritySettings
	act     date
	end     date
	hasEnd  bool
	disc    date
	birth   date
	hasBirt bool
	records []PriorViolation // merged, deduplicated, sorted
	used    map[int]bool     // indexes into records the decision relied on
	reasons []string         // facts noted on the way (excluded defences, failed conditions)
}

// Evaluate applies the grounds of shared/LEGAL.md, in order, to valid facts.
// history is the party's record from issued decisions (Source
// "document:<id>"); it is merged with f.PriorViolations (Source "request").
// decisionDate (YYYY-MM-DD) defaults to f.DecisionDate and is required.
// Invalid facts or an invalid item give an errs invalid error naming the
// fields; a malformed history record gives an internal error.
func Evaluate(f Facts, item Item, history []PriorViolation, auth AuthoritySettings, decisionDate string) (Evaluation, error) {
	f.PriorViolations = append([]PriorViolation(nil), f.PriorViolations...)
	f.Mitigating = append([]string(nil), f.Mitigating...)
	if err := ValidateItem(&item); err != nil {
		return Evaluation{}, err
	}
	if decisionDate == "" {
		decisionDate = f.DecisionDate
	}
	if decisionDate == "" {
		return Evaluation{}, errs.Fields{"decision_date": "缺少决定日期"}.Err()
	}
	if err := Validate(&f, &item, decisionDate); err != nil {
		return Evaluation{}, err
	}
	for i, h := range history {
		if !ValidDate(strings.TrimSpace(h.Date)) {
			return Evaluation{}, errs.Wrap(fmt.Errorf("history[%d] (%s): bad date %q", i, h.Source, h.Date), "rules: evaluate")
		}
	}
	e := &evaluation{f: f, item: item, auth: auth, used: map[int]bool{}}
	if e.hearingThreshold() <= 0 {
		// Never "no hearing" by omission: 0 is a missing setting.
		return Evaluation{}, errs.Field("authority_id", "执法机关尚未设置听证金额标准（hearing_fine_person、hearing_fine_org），请先在执法机关设置中填写")
	}
	e.act, _ = parseDate(f.ViolationDate)
	e.disc, _ = parseDate(f.DiscoveredDate)
	e.end, e.hasEnd = parseDate(f.ViolationEndDate)
	if f.Party.Kind == PartyPerson {
		e.birth, e.hasBirt = parseDate(f.Party.BirthDate)
	}
	e.records = mergeHistory(history, f.PriorViolations)
	return e.run(), nil
}

// mergeHistory puts database records first, then the request's, drops
// repeated (code, date) pairs (codes compared case-insensitively; the first
// record is kept, handled if either was) and sorts by date, then code.
func mergeHistory(history, request []PriorViolation) []PriorViolation {
	out := make([]PriorViolation, 0, len(history)+len(request))
	index := map[string]int{}
	add := func(pv PriorViolation, source string) {
		pv.ViolationCode = strings.TrimSpace(pv.ViolationCode)
		pv.Date = strings.TrimSpace(pv.Date)
		if source != "" {
			pv.Source = source
		}
		key := strings.ToUpper(pv.ViolationCode) + "|" + pv.Date
		if i, ok := index[key]; ok {
			out[i].Handled = out[i].Handled || pv.Handled
			return
		}
		index[key] = len(out)
		out = append(out, pv)
	}
	for _, h := range history {
		add(h, "")
	}
	for _, r := range request {
		add(r, "request")
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date < out[j].Date
		}
		return out[i].ViolationCode < out[j].ViolationCode
	})
	return out
}

func (e *evaluation) person() bool { return e.f.Party.Kind == PartyPerson }

func (e *evaluation) run() Evaluation {
	f, it := &e.f, &e.item
	lighter := lighterGrounds(f, e.act, true, e.birth, e.hasBirt)

	// 1 limitation (APL Art. 36).
	start, startLabel := e.act, "违法行为发生之日"
	if e.hasEnd {
		start, startLabel = e.end, "违法行为终了之日"
	}
	n := limitationMonths(it, f.Harm)
	if e.disc.after(addMonths(start, n)) {
		arts := []string{artLimitation}
		if e.hasEnd {
			arts = append(arts, artContinuing)
		}
		ev := e.noPenalty(GroundLimitation, true, lighter, arts,
			fmt.Sprintf("%s（%s）至被发现之日（%s）已超过%d个月的追责时效，依法不再给予行政处罚。", startLabel, start.chinese(), e.disc.chinese(), n))
		verb := "发生"
		if e.hasEnd {
			verb = "终了"
		}
		ev.Findings = []string{fmt.Sprintf("当事人的违法行为%s于%s，本局于%s发现，已超过%s个月的追责时效。", verb, start.chinese(), e.disc.chinese(), ChineseNumeral(n))}
		return ev
	}

	// 2 under 14 (Art. 30).
	if e.person() && e.hasBirt && e.act.before(anniversary(e.birth, 14)) {
		ev := e.noPenalty(GroundUnderAge, true, lighter, []string{artAge},
			fmt.Sprintf("当事人%s出生，违法行为发生时（%s）未满十四周岁，依法不予行政处罚，责令其监护人加以管教。", e.birth.chinese(), e.act.chinese()))
		ev.Findings = []string{fmt.Sprintf("当事人于%s出生，实施违法行为时未满十四周岁。", e.birth.chinese())}
		return ev
	}

	// 3 unable to recognise or control the conduct (Art. 31).
	if e.person() && f.MentalCapacity == CapacityNone {
		ev := e.noPenalty(GroundMentalIncapacity, true, lighter, []string{artCapacity},
			"当事人在违法行为发生时不能辨认或者不能控制自己的行为，依法不予行政处罚，责令其监护人严加看管和治疗。")
		ev.Findings = []string{"当事人在实施违法行为时不能辨认或者不能控制自己的行为。"}
		return ev
	}

	// 4 no subjective fault (Art. 33 ¶2).
	if f.NoFaultProven {
		if !it.NoFaultExcluded {
			ev := e.noPenalty(GroundNoFault, true, lighter, []string{artNoFault},
				"当事人有证据足以证明没有主观过错，依法不予行政处罚。")
			ev.Findings = []string{"当事人有证据足以证明其没有主观过错。"}
			return ev
		}
		e.reasons = append(e.reasons, "当事人主张没有主观过错，但本事项所依据的法律、行政法规另有规定，不适用无主观过错不予行政处罚的规定。")
	}

	// 5 minor, corrected in time, no harm (Art. 33 ¶1, first sentence).
	if f.Minor && f.Corrected && f.Harm == HarmNone {
		ev := e.noPenalty(GroundMinorCorrected, true, lighter, []string{artMinor},
			"当事人违法行为轻微并及时改正，没有造成危害后果，依法不予行政处罚。")
		ev.Findings = []string{"当事人的违法行为轻微，已及时改正，没有造成危害后果。"}
		return ev
	}

	// 6 first offense (Art. 33 ¶1, second sentence).
	if it.FirstOffenseEligible {
		if ev, ok := e.firstOffense(lighter); ok {
			return ev
		}
	}

	// 7 traffic first-violation warning.
	if it.WarningEligible {
		if ev, ok := e.warning(lighter); ok {
			return ev
		}
	}

	// 8 penalty.
	p := e.penalty(lighter, false)
	ev := e.base(OutcomePenalty, GroundNone, false, lighter)
	ev.DocumentKind = p.DocumentKind
	ev.Articles = p.Articles
	ev.Reasons = append(append([]string{}, e.reasons...), p.Reasons...)
	ev.Fine = p.Fine
	ev.Penalties = p.Penalties
	ev.Findings = p.Findings
	ev.HearingRequired = p.HearingRequired
	ev.LegalReviewRequired = p.LegalReviewRequired
	ev.SimplifiedProcedure = p.SimplifiedProcedure
	return ev
}

func limitationMonths(it *Item, harm string) int {
	n := it.LimitationMonths
	if n <= 0 {
		n = DefaultLimitationMonths
	}
	if it.SafetyRelated && harm != HarmNone && n < SafetyLimitationMonths {
		n = SafetyLimitationMonths
	}
	return n
}

// lookback returns the months of a window setting: 0 means def, a negative
// value means no limit (every earlier record counts).
func lookback(months, def int) (int, bool) {
	if months == 0 {
		return def, true
	}
	if months < 0 {
		return 0, false
	}
	return months, true
}

// inWindow lists the records dated from act minus months (inclusive, month
// end clamped) to the act date (inclusive) that match.
func (e *evaluation) inWindow(months int, limited bool, match func(PriorViolation) bool) []int {
	from := addMonths(e.act, -months)
	var out []int
	for i, r := range e.records {
		d, _ := parseDate(r.Date)
		if d.after(e.act) || (limited && d.before(from)) || !match(r) {
			continue
		}
		out = append(out, i)
	}
	return out
}

func (e *evaluation) dates(idx []int) string {
	s := make([]string, len(idx))
	for k, i := range idx {
		s[k] = ChineseDate(e.records[i].Date)
	}
	return strings.Join(s, "、")
}

func windowText(months int, limited bool) string {
	if !limited {
		return "此前"
	}
	return fmt.Sprintf("违法行为发生前%d个月内", months)
}

// windowWords is windowText as a letter writes it: 违法行为发生前二十四个月内.
func windowWords(months int, limited bool) string {
	if !limited {
		return "此前"
	}
	return fmt.Sprintf("违法行为发生前%s个月内", ChineseNumeral(months))
}

func (e *evaluation) firstOffense(lighter []lighterGround) (Evaluation, bool) {
	f, it := &e.f, &e.item
	months, limited := lookback(it.FirstOffenseLookbackMonths, DefaultFirstOffenseMonths)
	same := e.inWindow(months, limited, func(r PriorViolation) bool {
		return strings.EqualFold(r.ViolationCode, it.Code)
	})
	for _, i := range same {
		e.used[i] = true
	}
	const notApply = "，不适用首次违法可以不予行政处罚的规定。"
	ok := true
	if len(same) > 0 {
		ok = false
		e.reasons = append(e.reasons, fmt.Sprintf("当事人%s有同类违法记录（%s）%s", windowText(months, limited), e.dates(same), notApply))
	}
	if f.Harm == HarmSerious {
		ok = false
		e.reasons = append(e.reasons, "违法行为造成严重危害后果"+notApply)
	}
	if !f.Corrected {
		ok = false
		e.reasons = append(e.reasons, "当事人未及时改正违法行为"+notApply)
	}
	if !ok {
		return Evaluation{}, false
	}
	first := fmt.Sprintf("当事人系初次违法，%s无同类违法记录。", windowText(months, limited))
	harm := "违法行为未造成危害后果，当事人已及时改正。"
	harmWords := "违法行为未造成危害后果"
	if f.Harm == HarmMinor {
		harm = "违法行为危害后果轻微，当事人已及时改正。"
		harmWords = "违法行为危害后果轻微"
	}
	ev := e.noPenalty(GroundFirstOffense, false, lighter, []string{artMinor}, first, harm)
	ev.Findings = []string{fmt.Sprintf("当事人系初次违法，%s无同类违法记录；%s，当事人已及时改正。", windowWords(months, limited), harmWords)}
	if c := strings.TrimRight(strings.TrimSpace(it.Conditions), "。；;."); c != "" {
		if f.ConditionsMet {
			ev.Reasons = append(ev.Reasons, "本事项列入首次违法可以不予行政处罚清单，承办人认定当事人的情形符合清单所列适用条件："+c+"。")
			ev.Findings = append(ev.Findings, "本事项列入首次违法可以不予行政处罚事项清单，当事人的情形符合清单所列适用条件："+c+"。")
		} else {
			ev.Reasons = append(ev.Reasons, "本事项列入首次违法可以不予行政处罚清单，适用条件为："+c+"。承办人尚未确认当事人的情形符合上述条件（案件表单“当事人的情形符合清单所列适用条件”一项未勾选），文书不引用清单条件。")
		}
	}
	p := e.penalty(lighter, true)
	ev.PenaltyAlternative = &p
	return ev, true
}

// countsForWarning: the warning window counts traffic violations only (the
// driver's and the vehicle's); a record of unknown domain counts.
func countsForWarning(r PriorViolation) bool { return r.Domain == "" || r.Domain == DomainTraffic }

func (e *evaluation) warning(lighter []lighterGround) (Evaluation, bool) {
	f, it := &e.f, &e.item
	months, limited := lookback(it.WarningLookbackMonths, DefaultWarningMonths)
	recent := e.inWindow(months, limited, countsForWarning)
	unhandled := e.inWindow(0, false, func(r PriorViolation) bool { return !r.Handled && countsForWarning(r) })
	for _, i := range append(append([]int{}, recent...), unhandled...) {
		e.used[i] = true
	}
	const notApply = "，不适用首次违法警告的规定。"
	ok := true
	if f.AffectedTraffic {
		ok = false
		e.reasons = append(e.reasons, "当事人的违法行为影响了其他车辆、行人正常通行"+notApply)
	}
	if len(recent) > 0 {
		ok = false
		e.reasons = append(e.reasons, fmt.Sprintf("当事人（或者所驾驶的车辆）%s有交通违法记录（%s）%s", windowText(months, limited), e.dates(recent), notApply))
	}
	if len(unhandled) > 0 {
		ok = false
		e.reasons = append(e.reasons, fmt.Sprintf("当事人（或者所驾驶的车辆）以往的交通违法行为（%s）尚未处理完毕%s", e.dates(unhandled), notApply))
	}
	if !ok {
		return Evaluation{}, false
	}
	ev := e.base(OutcomeWarning, GroundFirstViolationWarning, false, lighter)
	ev.DocumentKind = KindOnTheSpotDecision
	ev.SimplifiedProcedure = true
	ev.LegalReviewRequired = f.Major
	ev.Articles = dedupe(it.ViolatedProvision, it.PenaltyProvision, artTrafficWarning, artTrafficPenalty)
	ev.Reasons = append(append([]string{}, e.reasons...),
		"当事人的违法行为未影响其他车辆、行人正常通行。",
		fmt.Sprintf("当事人及其所驾驶的车辆%s无交通违法记录，以往的交通违法行为均已处理完毕，属于首次违法，依法给予警告。", windowText(months, limited)))
	ev.Penalties = append([]Penalty{{Type: ImposeWarning, Basis: it.PenaltyProvision}}, e.confiscations()...)
	ev.Findings = []string{fmt.Sprintf("当事人的违法行为未影响其他车辆、行人正常通行，当事人及其所驾驶的车辆%s无交通违法记录，以往的交通违法行为均已处理完毕，属于首次违法。", windowWords(months, limited))}
	return ev, true
}

// base fills what every outcome shares.
func (e *evaluation) base(outcome, ground string, mandatory bool, lighter []lighterGround) Evaluation {
	min, max, _ := fineRange(&e.item, &e.f)
	if len(lighter) > 0 {
		min = 0
	}
	var used []PriorViolation
	for i, r := range e.records {
		if e.used[i] {
			used = append(used, r)
		}
	}
	if used == nil {
		used = []PriorViolation{}
	}
	return Evaluation{
		Outcome:        outcome,
		Ground:         ground,
		Mandatory:      mandatory,
		Lighter:        len(lighter) > 0,
		Fine:           Fine{Min: min, Max: max},
		RuleSetVersion: RuleSetVersion,
		HistoryUsed:    used,
		Penalties:      []Penalty{},
		Findings:       []string{},
	}
}

func (e *evaluation) noPenalty(ground string, mandatory bool, lighter []lighterGround, arts []string, reasons ...string) Evaluation {
	ev := e.base(OutcomeNoPenalty, ground, mandatory, lighter)
	ev.DocumentKind = KindNoPenaltyDecision
	ev.LegalReviewRequired = e.f.Major
	all := append([]string{e.item.ViolatedProvision, e.item.PenaltyProvision}, arts...)
	ev.Penalties = e.confiscations()
	if GainsOf(ev.Penalties) > 0 && !hasType(&e.item, PenaltyConfiscation) {
		all = append(all, artGains)
	}
	ev.Articles = dedupe(append(all, artEducate, artCorrect)...)
	ev.Reasons = append(append([]string{}, e.reasons...), reasons...)
	return ev
}

// penalty works out the penalty: the fine and every other penalty, flags,
// articles, the officer's reasons and the letter's findings. alternative
// marks the penalty side of a discretionary ground, where "no ground
// holds" would be untrue.
func (e *evaluation) penalty(lighter []lighterGround, alternative bool) PenaltyAlternative {
	f, it := &e.f, &e.item
	p := PenaltyAlternative{Lighter: len(lighter) > 0}
	min, max, valueText := fineRange(it, f)
	p.Fine.Min, p.Fine.Max = min, max
	if p.Lighter {
		p.Fine.Min = 0
	}
	arts := []string{it.ViolatedProvision, it.PenaltyProvision}
	if !alternative {
		p.Reasons = append(p.Reasons, "当事人的违法行为不具有依法不予行政处罚的情形，应当依法给予行政处罚。")
	}
	if valueText != "" {
		p.Reasons = append(p.Reasons, fmt.Sprintf("%s，依照%s的规定，罚款幅度为%s。", valueText, it.PenaltyProvision, rangeWords(min, max)))
		p.Findings = append(p.Findings, fmt.Sprintf("%s，依照%s的规定，应当处%s。", valueText, it.PenaltyProvision, rangeWords(min, max)))
	}
	switch f.Harm {
	case HarmSerious:
		p.Findings = append(p.Findings, "当事人的违法行为造成了严重危害后果。")
	case HarmMinor:
		p.Findings = append(p.Findings, "当事人的违法行为危害后果轻微。")
	}
	for _, a := range f.Aggravating {
		if a = strings.TrimRight(strings.TrimSpace(a), "。；;."); a != "" {
			p.Reasons = append(p.Reasons, "存在从重情节："+a+"。")
			p.Findings = append(p.Findings, "当事人"+strings.TrimPrefix(a, "当事人")+"，本局在裁量时予以考虑。")
		}
	}
	for _, g := range lighter {
		arts = append(arts, g.article)
		p.Reasons = append(p.Reasons, g.reason)
		p.Findings = append(p.Findings, g.finding)
	}
	rec, why := recommendFine(f, it, min, max, p.Lighter, e.proposed())
	p.Fine.Recommended = rec
	p.Reasons = append(p.Reasons, why)
	p.Penalties = e.penaltiesFor(rec)
	if GainsOf(p.Penalties) > 0 && !hasType(it, PenaltyConfiscation) {
		arts = append(arts, artGains)
	}
	p.Articles = dedupe(arts...)

	threshold, simpleLimit := e.hearingThreshold(), SimplifiedFinePerson
	if f.Party.Kind == PartyOrganization {
		simpleLimit = SimplifiedFineOrg
	}
	large := func(x float64) bool { return x >= threshold }
	imposes := func(t string) bool {
		return slices.ContainsFunc(p.Penalties, func(x Penalty) bool { return x.Type == t })
	}
	p.HearingRequired = large(rec) || hasType(it, PenaltyRevocation) || hasType(it, PenaltySuspension) ||
		imposes(ImposeRevokeLicence) || imposes(ImposeSuspendBusiness) || large(GainsOf(p.Penalties))
	p.LegalReviewRequired = p.HearingRequired || f.Major
	// APL Art. 51: a warning or a small fine, and nothing else the item or
	// the decision imposes.
	p.SimplifiedProcedure = itemFineOrWarning(it) && onlyFineOrWarning(p.Penalties) && len(p.Penalties) > 0 && rec <= simpleLimit
	p.DocumentKind = KindPenaltyDecision
	if p.SimplifiedProcedure {
		p.DocumentKind = KindOnTheSpotDecision
	}
	return p
}

// itemFineOrWarning reports whether the item's penalty types are a fine
// and/or a warning only.
func itemFineOrWarning(it *Item) bool {
	for _, t := range it.PenaltyTypes {
		if t != PenaltyFine && t != PenaltyWarning {
			return false
		}
	}
	return true
}

// hearingThreshold is the fine at which a hearing must be offered for the
// party's kind: the item's own threshold (a special law's), else the
// authority's.
func (e *evaluation) hearingThreshold() float64 {
	person := e.f.Party.Kind != PartyOrganization
	it, a := &e.item, e.auth
	switch {
	case person && it.HearingFinePerson > 0:
		return it.HearingFinePerson
	case !person && it.HearingFineOrg > 0:
		return it.HearingFineOrg
	case person:
		return a.HearingFinePerson
	default:
		return a.HearingFineOrg
	}
}

// Recommended-fine factors by harm, as a share of the span above the
// item's minimum (docs/rules.md).
var harmShare = map[string]float64{HarmNone: 0, HarmMinor: 0.3, HarmSerious: 0.7}

// recommendFine returns the recommended fine within [min, max] (the
// statutory range for the facts) and the sentence explaining it. Where the
// officer proposed detention and no fine, none is recommended.
func recommendFine(f *Facts, it *Item, min, max float64, lighter bool, extra []string) (float64, string) {
	statMin := min
	if lighter {
		min = 0
	}
	if max <= 0 {
		return 0, "本事项不设罚款，依法给予" + typesText(it) + "。"
	}
	if f.ProposedFine > 0 && f.ProposedFine >= min && f.ProposedFine <= max {
		return f.ProposedFine, fmt.Sprintf("承办人拟罚款%s，在法定罚款幅度（%s至%s）内。", yuan(f.ProposedFine), yuan(min), yuan(max))
	}
	if slices.Contains(extra, ImposeDetention) {
		return 0, "承办人拟给予行政拘留，未提出罚款。"
	}
	var rec float64
	var why string
	switch {
	case lighter:
		rec = statMin
		why = "依法从轻或者减轻处罚，按罚款幅度下限裁量"
	case f.Harm == HarmSerious:
		rec = statMin + (max-statMin)*harmShare[HarmSerious]
		why = "违法行为造成严重危害后果，在罚款幅度上部裁量"
	case f.Harm == HarmMinor:
		rec = statMin + (max-statMin)*harmShare[HarmMinor]
		why = "违法行为危害后果轻微，在罚款幅度中下部裁量"
	default:
		rec = statMin
		why = "违法行为未造成危害后果，按罚款幅度下限裁量"
	}
	rec = math.Round(rec)
	if rec == 0 && !hasType(it, PenaltyWarning) {
		// A fine-only item must impose something: a tenth of the maximum.
		rec = math.Max(1, math.Ceil(max/10))
	}
	rec = math.Min(math.Max(rec, min), max)
	if rec == 0 {
		return 0, why + "，建议给予警告，不予罚款。"
	}
	return rec, fmt.Sprintf("%s，建议罚款%s（法定罚款幅度%s至%s）。", why, yuan(rec), yuan(min), yuan(max))
}

var typeNames = map[string]string{
	PenaltyWarning:      "警告",
	PenaltyFine:         "罚款",
	PenaltyConfiscation: "没收违法所得、没收非法财物",
	PenaltySuspension:   "暂扣许可证件、责令停产停业",
	PenaltyRevocation:   "吊销许可证件",
	PenaltyDetention:    "行政拘留",
}

func typesText(it *Item) string {
	var s []string
	for _, t := range it.PenaltyTypes {
		if n, ok := typeNames[t]; ok && t != PenaltyFine {
			s = append(s, n)
		}
	}
	if len(s) == 0 {
		return "行政处罚"
	}
	return strings.Join(dedupe(s...), "、")
}

// dedupe drops empty and repeated strings, keeping the first of each.
func dedupe(xs ...string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, x := range xs {
		x = strings.TrimSpace(x)
		if x == "" || seen[x] {
			continue
		}
		seen[x] = true
		out = append(out, x)
	}
	return out
}
