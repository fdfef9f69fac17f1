package rules

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"penaltydoc/errs"
	"penaltydoc/rules/limits"
)

// Supervision (执法监督): the checks a supervisor runs over an authority's
// cases, each a named function of the case's record and the day, answering
// 正常, 临期, 超期 or 异常 with the last day and a note. SupervisionChecks
// is the table; a further check is one more entry (and, where it reads
// something new, one more field of SupervisedCase).

// Supervision states, in the order lists sort them (the worst first).
const (
	SupOverdue = "overdue" // 超期: a last day has passed with the step not taken (or taken late)
	SupDefect  = "defect"  // 异常: a requirement no period measures was not met
	SupDue     = "due"     // 临期: the step is due and its last day is near, or a step is pending
	SupOK      = "ok"      // 正常
)

// SupervisionStates lists the states in the order filters offer them.
var SupervisionStates = []string{SupOverdue, SupDefect, SupDue, SupOK}

var supStateNames = map[string]string{SupOverdue: "超期", SupDefect: "异常", SupDue: "临期", SupOK: "正常"}

// SupervisionStateName is 超期, 异常, 临期 or 正常.
func SupervisionStateName(s string) string { return nameOf(supStateNames, s) }

// Periods and thresholds of the checks.
const (
	// DecisionDays: the decision within 90 days of filing (APL Art. 60;
	// natural days: Art. 85 counts only the 2, 3, 5 and 7-day periods in
	// working days), unless an approved extension moves the last day.
	DecisionDays = 90
	// AbsentServiceDays: a decision the party did not receive when it was
	// announced is served within 7 days (APL Art. 61 ¶1), working days (Art. 85).
	AbsentServiceDays = 7
	// StaleDays: a case in progress with no recorded step for 30 days is
	// open too long. No statute sets it; it is the office's measure of a
	// stalled file, in natural days.
	StaleDays = 30
	// WarnWorkdays: a period counted in working days is 临期 in its last 3
	// working days.
	WarnWorkdays = 3
	// WarnFraction: a period of days or months is 临期 in its last sixth
	// (90 days: 15; 30 days: 5; 15 days: 3; 3 months: 15 days).
	WarnFraction = 6
)

// SupervisedDecision is the decision of a supervised case.
type SupervisedDecision struct {
	Kind   string
	Number string
	// Issued and Served are the original decision's dates (a correction
	// moves no period); Fine and LegalReviewed are the decision in force's.
	Issued, Served string
	Fine           float64
	LegalReviewed  string
}

// Extension is the head's approved extension of the decision period (APL
// Art. 60: "法律、法规、规章另有规定的，从其规定", e.g. 市场监督管理行政处罚
// 程序规定 Art. 64): the new last day, why, who approved it and when.
type Extension struct {
	Deadline   string `json:"deadline"`
	Reason     string `json:"reason"`
	ApprovedBy string `json:"approved_by"`
	Approved   string `json:"approved"`
}

// SupervisedCase is what the checks read of a case.
type SupervisedCase struct {
	Status     string
	Filed      string // the day the case was filed (立案)
	Evaluation Evaluation
	Extension  *Extension
	// NoticeServed is the day the advance notice was served, AnswerDue the
	// last day of its answer period; Waived: the party waived statement
	// and hearing.
	NoticeServed, AnswerDue string
	Waived                  bool
	// DecisionPending: a decision is drafted or under review.
	DecisionPending bool
	Decision        *SupervisedDecision
	// The hearing: asked for on HearingRequested, set for HearingScheduled,
	// HearingHeld once recorded.
	HearingRequested, HearingScheduled string
	HearingHeld                        bool
	// Execution is the execution's state on the day (nil before the
	// decision); ReminderServed the day the reminder was served.
	Execution      *ExecutionStatus
	ReminderServed string
	// LastStep is the day of the last recorded step on the case or its
	// documents.
	LastStep string
	// Publications are the publication records of its decisions.
	Publications []SupervisedPublication
}

// SupervisedPublication is what the publication check reads of one
// publication record: its status (Pub*), the last day to publish it and,
// once its decision was corrected or its case withdrawn, the last day to
// withdraw it.
type SupervisedPublication struct {
	Status, Number, DueDate, WithdrawDue string
}

// Finding is what a check found: the state, the last day it measured
// ("" for none) and a note in Chinese.
type Finding struct {
	State string `json:"state"`
	Due   string `json:"due,omitempty"`
	Note  string `json:"note"`
}

// Check is one supervision check: its code, name, basis and threshold as
// the page and docs/supervision.md give them, and its function, which
// answers false where the check does not apply to the case.
type Check struct {
	Code      string
	Name      string
	Basis     string
	Threshold string
	Eval      func(cal Calendar, c SupervisedCase, today string) (Finding, bool)
}

// SupervisionChecks is the table of checks, in the order the page lists
// them.
var SupervisionChecks = []Check{
	{"decision_period", "立案后九十日内作出决定", Article(LawAPL, 60, 0, 0), "立案之日起九十日（自然日，末日为节假日的顺延），经负责人批准延长的以延长后的期限为准；最后十五日为临期", checkDecisionPeriod},
	{"notice_before_decision", "决定前送达事先告知书", Article(LawAPL, 44, 0, 0) + "、第六十二条", "拟作出行政处罚决定的，决定书签发前告知书已送达且陈述申辩期已满（当事人放弃的除外）；决定书已送审而告知书未送达为临期", checkNoticeBeforeDecision},
	{"absent_service", "当事人不在场时七日内送达决定书", Article(LawAPL, 61, 1, 0) + "、第八十五条", "决定书未在签发当日交付的，签发后七个工作日内送达；最后三个工作日为临期", checkAbsentService},
	{"fine_range", "罚款在法定幅度内", "事项所列处罚依据的罚款幅度；减轻处罚：" + Article(LawAPL, 32, 0, 0), "罚款数额在事项的法定幅度内（依法减轻处罚的可低于下限），否则为异常", checkFineRange},
	{"legal_review", "依法进行法制审核", Article(LawAPL, 58, 0, 0), "需要法制审核的案件，决定书签发前已通过法制审核，否则为异常", checkLegalReview},
	{"override_reason", "首违可不罚而处罚的写明理由", Article(LawAPL, 33, 1, 0), "符合首次违法可以不予处罚条件而给予处罚的，写明不少于十个字的理由，否则为异常", checkOverrideReason},
	{"hearing", "当事人要求听证的依法举行", Article(LawAPL, 64, 0, 0) + "、第六十五条", "已要求听证而尚未举行为临期（听证日期前三个工作日内亦为临期），听证日期已过未记录听证为超期，未听证即作出决定为异常", checkHearing},
	{"payment", "罚款按期缴纳", Article(LawAPL, 67, 3, 0) + "、第七十二条", "缴款期限届满仍未缴清为超期；期限最后六分之一为临期", checkPayment},
	{"reminder", "逾期未缴的依法催告", Article(LawCoercion, 35, 0, 0) + "、第五十四条", "逾期未缴而未送达催告书为临期；已来不及在申请强制执行期限内满十个工作日催告期的为超期", checkReminder},
	{"court_application", "依法申请人民法院强制执行", Article(LawCoercion, 53, 0, 0), "催告期满、复议诉讼期限届满后可以申请的为临期；申请期限（三个月）届满仍未申请的为超期", checkCourtApplication},
	{"publication", "依法按期公示处罚决定", Article(LawAPL, 48, 0, 0) + "、" + RuleStateCouncilPublication, "应当公示的决定在公示期限（一般七个工作日，市场监管二十个工作日）内发布，被更正或案件撤回的在三个工作日内撤回；最后三个工作日为临期", checkPublication},
	{"stale", "案件长期无进展", "本机关执法监督要求", "办理中的案件三十日无任何办理记录为超期，最后五日（第二十六日起）为临期（等待当事人在缴款期限内履行的除外）", checkStale},
}

// CheckByCode finds a check of the table.
func CheckByCode(code string) (Check, bool) {
	for _, c := range SupervisionChecks {
		if c.Code == code {
			return c, true
		}
	}
	return Check{}, false
}

// Supervise runs every check of the table on c.
func Supervise(cal Calendar, c SupervisedCase, today string) map[string]Finding {
	out := map[string]Finding{}
	for _, ch := range SupervisionChecks {
		if f, ok := ch.Eval(cal, c, today); ok {
			out[ch.Code] = f
		}
	}
	return out
}

func daysBetween(a, b string) int {
	ta, err1 := time.Parse(calendarLayout, a)
	tb, err2 := time.Parse(calendarLayout, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}

// PeriodDays is the number of days from from to to, both included.
func PeriodDays(from, to string) int { return daysBetween(from, to) + 1 }

// workdaysUntil counts the working days after today up to due included.
func workdaysUntil(cal Calendar, today, due string) int {
	t, err1 := time.Parse(calendarLayout, today)
	d, err2 := time.Parse(calendarLayout, due)
	if err1 != nil || err2 != nil {
		return 0
	}
	n := 0
	for i := 0; t.Before(d) && i < maxDayShift; i++ {
		t = t.AddDate(0, 0, 1)
		if cal.IsWorkday(t) {
			n++
		}
	}
	return n
}

// DeadlineState is the state of a step not yet taken whose last day is
// due, on day today: 超期 after it; 临期 within its last WarnWorkdays
// working days (a period of working days) or its last sixth (a period of
// periodDays natural days); 正常 before.
func DeadlineState(cal Calendar, today, due string, workdays bool, periodDays int) string {
	switch {
	case due == "":
		return SupOK
	case today > due:
		return SupOverdue
	case workdays && workdaysUntil(cal, today, due) < WarnWorkdays:
		return SupDue
	case !workdays && daysBetween(today, due) < int(math.Ceil(float64(periodDays)/WarnFraction)):
		return SupDue
	}
	return SupOK
}

// DecisionDue is the last day of the decision period of a case filed on
// filed: 90 days (PeriodEnd), or the approved extension's.
func DecisionDue(cal Calendar, filed string, ext *Extension) string {
	if ext != nil && ext.Deadline != "" {
		return ext.Deadline
	}
	return cal.PeriodEnd(filed, DecisionDays, 0)
}

func checkDecisionPeriod(cal Calendar, c SupervisedCase, today string) (Finding, bool) {
	if c.Filed == "" || c.Status == CaseWithdrawn {
		return Finding{}, false
	}
	due := DecisionDue(cal, c.Filed, c.Extension)
	ext := ""
	if c.Extension != nil {
		ext = "（经" + c.Extension.ApprovedBy + "批准延长）"
	}
	if d := c.Decision; d != nil {
		if d.Issued > due {
			return Finding{SupOverdue, due, fmt.Sprintf("%s作出决定，超过期限%s%s", ChineseDate(d.Issued), ChineseDate(due), ext)}, true
		}
		return Finding{SupOK, due, "已于" + ChineseDate(d.Issued) + "作出决定" + ext}, true
	}
	if Decided(c.Status) || c.Status == CaseClosed {
		return Finding{SupOK, due, "已作出决定"}, true
	}
	st := DeadlineState(cal, today, due, false, DecisionDays)
	note := fmt.Sprintf("尚未作出决定，期限至%s%s", ChineseDate(due), ext)
	if st == SupOverdue {
		note = fmt.Sprintf("尚未作出决定，已超过期限%s%s", ChineseDate(due), ext)
	}
	return Finding{st, due, note}, true
}

// noticeRequired: a penalty decision in the general procedure follows an
// advance notice (APL Art. 44, 62).
func noticeRequired(ev Evaluation) bool {
	return ev.Outcome == OutcomePenalty && ev.DocumentKind == KindPenaltyDecision
}

func checkNoticeBeforeDecision(cal Calendar, c SupervisedCase, today string) (Finding, bool) {
	if !noticeRequired(c.Evaluation) || c.Status == CaseWithdrawn {
		return Finding{}, false
	}
	if d := c.Decision; d != nil {
		switch {
		case c.NoticeServed == "" || c.NoticeServed > d.Issued:
			return Finding{SupDefect, "", "决定书签发前未送达行政处罚事先告知书"}, true
		case !c.Waived && c.AnswerDue != "" && d.Issued <= c.AnswerDue && !c.HearingHeld:
			return Finding{SupDefect, c.AnswerDue, "陈述、申辩期限（至" + ChineseDate(c.AnswerDue) + "）未满即作出决定"}, true
		}
		return Finding{SupOK, "", "告知书于" + ChineseDate(c.NoticeServed) + "送达"}, true
	}
	switch {
	case c.NoticeServed != "":
		return Finding{SupOK, c.AnswerDue, "告知书于" + ChineseDate(c.NoticeServed) + "送达"}, true
	case c.DecisionPending:
		return Finding{SupDue, "", "决定书已制作或者送审，事先告知书尚未送达"}, true
	}
	return Finding{SupOK, "", "尚未作出决定，事先告知书尚未送达"}, true
}

// AbsentServiceDue is the last day to serve a decision issued on issued
// that the party did not receive that day: 7 working days later.
func AbsentServiceDue(cal Calendar, issued string) string {
	d, _ := cal.AddWorkdays(issued, AbsentServiceDays)
	return d
}

func checkAbsentService(cal Calendar, c SupervisedCase, today string) (Finding, bool) {
	d := c.Decision
	if d == nil || d.Issued == "" {
		return Finding{}, false
	}
	if d.Served == d.Issued {
		return Finding{SupOK, "", "决定书当场交付当事人"}, true
	}
	due := AbsentServiceDue(cal, d.Issued)
	if d.Served != "" {
		if d.Served > due {
			return Finding{SupOverdue, due, fmt.Sprintf("%s送达，超过七个工作日的期限%s", ChineseDate(d.Served), ChineseDate(due))}, true
		}
		return Finding{SupOK, due, "已于" + ChineseDate(d.Served) + "送达"}, true
	}
	st := DeadlineState(cal, today, due, true, 0)
	note := "决定书尚未送达，应于" + ChineseDate(due) + "前送达"
	if st == SupOverdue {
		note = "决定书尚未送达，已超过送达期限" + ChineseDate(due)
	}
	return Finding{st, due, note}, true
}

func fineOf(c SupervisedCase) float64 {
	if c.Decision != nil {
		return c.Decision.Fine
	}
	var f float64
	for _, p := range c.Evaluation.Penalties {
		if p.Type == ImposeFine {
			f += p.Amount
		}
	}
	return f
}

func checkFineRange(cal Calendar, c SupervisedCase, today string) (Finding, bool) {
	fine := fineOf(c)
	if fine <= 0 || c.Evaluation.Outcome != OutcomePenalty {
		return Finding{}, false
	}
	r := c.Evaluation.Fine
	rng := fmt.Sprintf("%.2f元至%.2f元", r.Min, r.Max)
	if c.Evaluation.Lighter {
		rng = fmt.Sprintf("减轻处罚，不超过%.2f元", r.Max)
	}
	if cents(fine) < cents(r.Min) || cents(fine) > cents(r.Max) {
		return Finding{SupDefect, "", fmt.Sprintf("罚款%.2f元，超出法定幅度（%s）", fine, rng)}, true
	}
	return Finding{SupOK, "", fmt.Sprintf("罚款%.2f元，在法定幅度（%s）内", fine, rng)}, true
}

func checkLegalReview(cal Calendar, c SupervisedCase, today string) (Finding, bool) {
	ev := c.Evaluation
	if !ev.LegalReviewRequired || (ev.DocumentKind != KindPenaltyDecision && ev.DocumentKind != KindNoPenaltyDecision) {
		return Finding{}, false
	}
	d := c.Decision
	switch {
	case d == nil:
		return Finding{SupOK, "", "须经法制审核，尚未作出决定"}, true
	case d.LegalReviewed == "" || d.LegalReviewed > d.Issued:
		return Finding{SupDefect, "", "决定书签发前未经法制审核"}, true
	}
	return Finding{SupOK, "", "已于" + ChineseDate(d.LegalReviewed) + "通过法制审核"}, true
}

func checkOverrideReason(cal Calendar, c SupervisedCase, today string) (Finding, bool) {
	ev := c.Evaluation
	if ev.Ground != GroundFirstOffense || ev.Outcome != OutcomePenalty {
		return Finding{}, false
	}
	if ev.Override == nil || utf8.RuneCountInString(strings.TrimSpace(ev.Override.Reason)) < MinOverrideReasonRunes {
		return Finding{SupDefect, "", "符合首次违法可以不予行政处罚的条件而给予处罚，未写明理由"}, true
	}
	return Finding{SupOK, "", "不适用首违不罚的理由：" + ev.Override.Reason}, true
}

func checkHearing(cal Calendar, c SupervisedCase, today string) (Finding, bool) {
	if c.HearingRequested == "" {
		return Finding{}, false
	}
	switch {
	case c.HearingHeld:
		return Finding{SupOK, c.HearingScheduled, "已举行听证"}, true
	case c.Decision != nil:
		return Finding{SupDefect, "", "当事人要求听证，未举行听证即作出决定"}, true
	case c.HearingScheduled == "":
		return Finding{SupDue, "", "当事人于" + ChineseDate(c.HearingRequested) + "要求听证，尚未通知听证的时间、地点"}, true
	case today > c.HearingScheduled:
		return Finding{SupOverdue, c.HearingScheduled, "听证日期" + ChineseDate(c.HearingScheduled) + "已过，尚未记录听证"}, true
	}
	return Finding{SupDue, c.HearingScheduled, "听证定于" + ChineseDate(c.HearingScheduled) + "举行"}, true
}

func checkPayment(cal Calendar, c SupervisedCase, today string) (Finding, bool) {
	x := c.Execution
	if x == nil || c.Decision == nil || c.Decision.Fine <= 0 {
		return Finding{}, false
	}
	switch {
	case x.State == PayEnforcement:
		return Finding{SupOK, x.FinalDue, "已申请人民法院强制执行"}, true
	case x.State == PayPaid:
		return Finding{SupOK, x.FinalDue, "罚款已缴清"}, true
	case x.FinalDue == "":
		return Finding{SupOK, "", "决定书尚未送达，缴款期限尚未起算"}, true
	case x.Overdue:
		return Finding{SupOverdue, x.FinalDue, fmt.Sprintf("缴款期限%s已过，尚欠罚款%.2f元、加处罚款%.2f元", ChineseDate(x.FinalDue), x.Outstanding, x.LateFeeOutstanding)}, true
	}
	return Finding{DeadlineState(cal, today, x.FinalDue, false, PaymentDays), x.FinalDue, fmt.Sprintf("尚欠罚款%.2f元，缴款期限至%s", x.Outstanding, ChineseDate(x.FinalDue))}, true
}

// ReminderLatest is the last day a reminder can be served so that its 10
// working days (行政强制法 Art. 54) end by courtLast, the last day to ask
// the court.
func ReminderLatest(cal Calendar, courtLast string) string {
	t, err := time.Parse(calendarLayout, courtLast)
	if err != nil {
		return ""
	}
	for i := 0; i < 60; i++ {
		d := t.AddDate(0, 0, -i).Format(calendarLayout)
		if end, _ := cal.AddWorkdays(d, ReminderDays); end <= courtLast {
			return d
		}
	}
	return ""
}

func checkReminder(cal Calendar, c SupervisedCase, today string) (Finding, bool) {
	x := c.Execution
	if x == nil || (!x.Overdue && c.ReminderServed == "") {
		return Finding{}, false
	}
	if c.ReminderServed != "" {
		return Finding{SupOK, "", "催告书于" + ChineseDate(c.ReminderServed) + "送达"}, true
	}
	latest := ReminderLatest(cal, x.CourtLast)
	if latest != "" && today > latest {
		return Finding{SupOverdue, latest, "逾期未缴，未催告；催告最迟应于" + ChineseDate(latest) + "送达"}, true
	}
	return Finding{SupDue, latest, "逾期未缴，应当催告（最迟" + ChineseDate(latest) + "送达催告书）"}, true
}

func checkCourtApplication(cal Calendar, c SupervisedCase, today string) (Finding, bool) {
	x := c.Execution
	if x == nil || c.ReminderServed == "" && !x.CourtLapsed {
		return Finding{}, false
	}
	switch {
	case x.State == PayEnforcement:
		return Finding{SupOK, x.CourtLast, "已申请人民法院强制执行"}, true
	case x.CourtLapsed:
		return Finding{SupOverdue, x.CourtLast, "申请人民法院强制执行的期限已于" + ChineseDate(x.CourtLast) + "届满"}, true
	case x.CourtDue:
		return Finding{SupDue, x.CourtLast, "可以申请人民法院强制执行，期限至" + ChineseDate(x.CourtLast)}, true
	case x.Executed:
		return Finding{SupOK, "", "处罚已执行完毕"}, true
	}
	return Finding{SupOK, x.CourtLast, "催告期或者复议、诉讼期限未满，" + ChineseDate(x.CourtFrom) + "起可以申请"}, true
}

func checkStale(cal Calendar, c SupervisedCase, today string) (Finding, bool) {
	if c.Status != CaseDraft && c.Status != CaseOpen && c.Status != CaseExecuting || c.LastStep == "" {
		return Finding{}, false
	}
	if x := c.Execution; c.Status == CaseExecuting && x != nil && !x.Overdue && !x.Closable && x.FinalDue >= today {
		return Finding{SupOK, "", "等待当事人在缴款期限内履行"}, true
	}
	t, err := time.Parse(calendarLayout, c.LastStep)
	if err != nil {
		return Finding{}, false
	}
	due := t.AddDate(0, 0, StaleDays).Format(calendarLayout)
	st := DeadlineState(cal, today, due, false, StaleDays)
	return Finding{st, due, fmt.Sprintf("最近一次办理记录在%s（%d日前）", ChineseDate(c.LastStep), max(0, daysBetween(c.LastStep, today)))}, true
}

// MinExtensionReasonRunes is the shortest reason an extension takes.
const MinExtensionReasonRunes = 10

// extensionReason is the limit of an extension's reason (a text column).
var extensionReason = limits.Field{Path: "reason", Label: "延长办案期限的理由", Kind: limits.Text, Max: 2000}

// ErrExtensionNeedsHead refuses an extension by anyone but the head.
var ErrExtensionNeedsHead = errs.E(errs.Forbidden, "延长办案期限须经行政机关负责人批准，请由负责人办理")

// CheckExtension checks the head's extension of a case's decision period
// on day today: by an approver, on an undecided case in progress, before
// the current last day has passed, to a later day, with a reason.
func CheckExtension(who Staff, c CaseState, current, deadline, reason, today string) error {
	if !who.Has(RoleApprover) {
		return ErrExtensionNeedsHead
	}
	switch {
	case c.Status == CaseWithdrawn:
		return errCaseGone
	case c.Status != CaseDraft && c.Status != CaseOpen:
		return errs.E(errs.Conflict, "案件已作出决定，无需延长办案期限")
	}
	f := errs.Fields{}
	switch {
	case !ValidDate(deadline):
		f.Add("deadline", "延长后的期限应为YYYY-MM-DD")
	case deadline <= current:
		f.Add("deadline", "延长后的期限应晚于现在的期限"+ChineseDate(current))
	}
	if current != "" && today > current {
		f.Add("deadline", "办案期限已于"+ChineseDate(current)+"届满，不能事后延长")
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) < MinExtensionReasonRunes {
		f.Add("reason", "请写明延长的理由（不少于十个字）")
	}
	extensionReason.Check(f, "", reason)
	return f.Err()
}

func checkPublication(cal Calendar, c SupervisedCase, today string) (Finding, bool) {
	worst, found := Finding{}, false
	for _, p := range c.Publications {
		var f Finding
		switch {
		case p.WithdrawDue != "" && p.Status != PubWithdrawn && p.Status != PubEnded && p.Status != PubNotPublished:
			f = Finding{DeadlineState(cal, today, p.WithdrawDue, true, WithdrawDays), p.WithdrawDue,
				fmt.Sprintf("决定%s已被更正或案件已撤回，应于%s前撤回公示", p.Number, ChineseDate(p.WithdrawDue))}
		case p.Status == PubPending || p.Status == PubReviewed || p.Status == PubApproved:
			f = Finding{DeadlineState(cal, today, p.DueDate, true, PublishDays), p.DueDate,
				fmt.Sprintf("决定%s尚未公示，公示期限至%s", p.Number, ChineseDate(p.DueDate))}
		case p.Status == PubPublished:
			f = Finding{SupOK, "", "决定" + p.Number + "已公示"}
		default:
			continue
		}
		if !found || StateRank(f.State) < StateRank(worst.State) {
			worst, found = f, true
		}
	}
	return worst, found
}

// stateRanks order the states worst first.
var stateRanks = map[string]int{SupOverdue: 0, SupDefect: 1, SupDue: 2, SupOK: 3}

// StateRank is a state's place, worst (超期) first.
func StateRank(s string) int { return stateRanks[s] }
