package rules

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"penaltydoc/errs"
)

// Execution of a decision (APL Ch. 6, 行政强制法 Ch. 4-5): payments, the
// late fee (加处罚款), deferral and instalments, the reminder (催告), the
// application to the court, and when a case may be closed (结案).

// LawCoercion is the administrative coercion law.
const LawCoercion = "《中华人民共和国行政强制法》"

// Further document kinds: the hearing notice to the party (APL Art. 64),
// the reminder before enforcement (行政强制法 Art. 35, 54) and the internal
// closing approval form (结案审批表).
const (
	KindHearingNotice = "hearing_notice"
	KindReminder      = "reminder"
	KindClosingReport = "closing_report"
)

// Internal reports whether documents of kind stay in the authority: no
// number, access code or verify token, no service.
func Internal(kind string) bool { return kind == KindClosingReport }

// CaseExecuting is the status of a decided case whose penalties are still
// to be executed; it closes by the head's approval of its closing report.
const CaseExecuting = "executing"

// Decided reports whether a case in status has its decision.
func Decided(status string) bool { return status == CaseExecuting || status == CaseClosed }

// Periods of execution.
const (
	// HearingNoticeDays: the party is told the hearing's time and place at
	// least 7 days before it (APL Art. 64 ¶1 (2)), working days (Art. 85).
	HearingNoticeDays = 7
	// ReminderDays: after the reminder is served the party has 10 days
	// before the court may be asked (行政强制法 Art. 54), working days
	// (Art. 69: periods of ten days or less).
	ReminderDays = 10
	// CourtMonths: the application to the court lies within 3 months of
	// the end of the remedy periods (行政强制法 Art. 53), or of the
	// deferral or the instalments (APL Art. 72 ¶2).
	CourtMonths = 3
	// HearingRequestDays: the party asks for a hearing within 5 days of
	// the advance notice (APL Art. 64 ¶1 (1)), working days (Art. 85).
	HearingRequestDays = 5
)

// Payment states of a decided fine, as lists show them.
const (
	PayUnpaid      = "unpaid"
	PayPartial     = "partial"
	PayPaid        = "paid"
	PayEnforcement = "enforcement"
	PayInstalments = "instalments"
)

// PaymentStates lists them in the order filters offer them.
var PaymentStates = []string{PayUnpaid, PayPartial, PayPaid, PayInstalments, PayEnforcement}

var paymentStateNames = map[string]string{
	PayUnpaid: "未缴", PayPartial: "部分缴纳", PayPaid: "已缴清", PayEnforcement: "已申请强制执行", PayInstalments: "分期",
}

// PaymentStateName is 未缴, 部分缴纳, 已缴清, 已申请强制执行 or 分期 ("" for none).
func PaymentStateName(s string) string { return nameOf(paymentStateNames, s) }

// IsPaymentState reports whether s is a payment state.
func IsPaymentState(s string) bool { _, ok := paymentStateNames[s]; return ok }

// Payment is one payment of the party: its date and amount (yuan).
type Payment struct {
	Date   string  `json:"date"`
	Amount float64 `json:"amount"`
}

// Instalment is one due date of an approved deferral or instalment plan
// and the part of the fine due on it.
type Instalment struct {
	Due    string  `json:"due"`
	Amount float64 `json:"amount"`
}

// Execution is what a decided case records of its execution.
type Execution struct {
	// Fine is the fine decided (0: none); Deadlines the periods that run
	// from the decision's service (nil until served).
	Fine      float64
	Deadlines *Deadlines
	Payments  []Payment
	// Instalments are the approved deferral (one date) or instalments (APL
	// Art. 66 ¶2); nil for none. DeferralApproved is the day they were
	// approved: the late fee accrued on the decision's own due date up to
	// that day stays owed (only an execution agreement, 行政强制法 Art.
	// 42, may reduce it).
	Instalments      []Instalment
	DeferralApproved string
	// ReminderServed is the day the reminder (催告书) was served.
	ReminderServed string
	// EnforcementApplied is the day the court was asked to enforce.
	EnforcementApplied string
	// OtherPenalties: the decision imposes more than a fine and a warning
	// (confiscation, suspension, revocation, detention); OtherExecuted is
	// the day they were executed.
	OtherPenalties bool
	OtherExecuted  string
}

// ExecutionStatus is what the case page and lists show of the execution
// on a given day.
type ExecutionStatus struct {
	State string `json:"state"`
	// Schedule is what is due when: the decision's payment period or the
	// approved deferral or instalments; FinalDue is its last day.
	Schedule []Instalment `json:"schedule,omitempty"`
	FinalDue string       `json:"final_due,omitempty"`
	// PaidFine and PaidLateFee are what the payments covered (the fine
	// first, then the late fee); Outstanding is the fine still unpaid.
	PaidFine    float64 `json:"paid_fine"`
	PaidLateFee float64 `json:"paid_late_fee"`
	Outstanding float64 `json:"outstanding"`
	// LateFee is the late fee accrued to the day (3% of the overdue fine a
	// day, never more than the fine); LateFeeDays the days it accrued;
	// LateFeeOutstanding what of it is unpaid.
	LateFee            float64 `json:"late_fee"`
	LateFeeDays        int     `json:"late_fee_days"`
	LateFeeOutstanding float64 `json:"late_fee_outstanding"`
	LateFeeCapped      bool    `json:"late_fee_capped,omitempty"`
	// Overdue: the last due date has passed with money unpaid (a reminder
	// may be drafted); ReminderDue: and no reminder was served yet.
	Overdue     bool `json:"overdue,omitempty"`
	ReminderDue bool `json:"reminder_due,omitempty"`
	// ReminderEnds is the last of the 10 working days after the reminder's
	// service.
	ReminderEnds string `json:"reminder_ends,omitempty"`
	// RemedyEnd is the last day of reconsideration and litigation; the
	// court may be asked from CourtFrom to CourtLast; CourtDue says it is
	// time, CourtLapsed that the window has passed.
	RemedyEnd   string `json:"remedy_end,omitempty"`
	CourtFrom   string `json:"court_from,omitempty"`
	CourtLast   string `json:"court_last,omitempty"`
	CourtDue    bool   `json:"court_due,omitempty"`
	CourtLapsed bool   `json:"court_lapsed,omitempty"`
	// Executed: every penalty is executed (the fine and late fee paid,
	// the other penalties done); Closable: executed or enforcement applied
	// for, so the case may be closed.
	Executed bool `json:"executed"`
	Closable bool `json:"closable"`
}

func cents(yuan float64) int64 { return int64(math.Round(yuan * 100)) }

func fromCents(c int64) float64 { return float64(c) / 100 }

// NeedsExecution reports whether penalties need executing after the
// decision: anything but a warning.
func NeedsExecution(ps []Penalty) bool {
	for _, p := range ps {
		if p.Type != ImposeWarning {
			return true
		}
	}
	return false
}

// OtherPenalties reports whether penalties hold more than a fine and a
// warning.
func OtherPenalties(ps []Penalty) bool {
	for _, p := range ps {
		if p.Type != ImposeWarning && p.Type != ImposeFine {
			return true
		}
	}
	return false
}

// ComputeExecution gives the state of execution e on day today, on cal.
//
// The late fee runs from the day after each amount's due date to the day it
// is paid, both included, at 3% of the overdue unpaid fine a day (APL Art.
// 72 ¶1 (1); natural days), and stops at the fine's amount. A payment
// covers the unpaid fine first (the earliest instalment first), then the
// late fee. Deferral and instalments move the due dates (Art. 66 ¶2) and
// the start of the court window (Art. 72 ¶2); approved after the due date,
// they leave the fee accrued up to the approval day (included) owed.
func ComputeExecution(cal Calendar, e Execution, today string) ExecutionStatus {
	var st ExecutionStatus
	fine := cents(e.Fine)
	var sched []Instalment
	if len(e.Instalments) > 0 {
		sched = slices.Clone(e.Instalments)
		sort.SliceStable(sched, func(i, j int) bool { return sched[i].Due < sched[j].Due })
		// The plan covers what was unpaid when it was approved; the rest
		// (paid before) stays due on the decision's own date.
		var planned int64
		for _, in := range sched {
			planned += cents(in.Amount)
		}
		if rest := fine - planned; rest > 0 && e.Deadlines != nil && e.Deadlines.PaymentDue != "" {
			sched = append([]Instalment{{Due: e.Deadlines.PaymentDue, Amount: fromCents(rest)}}, sched...)
		}
	} else if e.Deadlines != nil && e.Deadlines.PaymentDue != "" && fine > 0 {
		sched = []Instalment{{Due: e.Deadlines.PaymentDue, Amount: e.Fine}}
	}
	st.Schedule = sched
	if len(sched) > 0 {
		st.FinalDue = sched[len(sched)-1].Due
	}
	pays := slices.Clone(e.Payments)
	sort.SliceStable(pays, func(i, j int) bool { return pays[i].Date < pays[j].Date })

	// unpaid[i] is what of instalment i is unpaid (cents); fee in 1/100 cent.
	unpaid := make([]int64, len(sched))
	for i, in := range sched {
		unpaid[i] = cents(in.Amount)
	}
	var paidFine, paidFee, fee, extra int64
	capFee := fine * 100
	apply := func(amount int64) {
		for i := range unpaid {
			n := min(unpaid[i], amount)
			unpaid[i] -= n
			amount -= n
			paidFine += n
		}
		extra += amount // beyond the fine: the late fee
	}
	days := 0
	end := today
	if e.EnforcementApplied != "" && e.EnforcementApplied < end {
		end = e.EnforcementApplied // the court takes over the sum then
	}
	pi := 0
	if len(sched) > 0 {
		start := sched[0].Due
		// A deferral approved after the decision's due date leaves the
		// whole unpaid fine overdue from then to the approval.
		origDue := ""
		if len(e.Instalments) > 0 && e.DeferralApproved != "" && e.Deadlines != nil && e.Deadlines.PaymentDue != "" &&
			e.Deadlines.PaymentDue < e.DeferralApproved {
			origDue = e.Deadlines.PaymentDue
			start = min(start, origDue)
		}
		for pi < len(pays) && pays[pi].Date <= start { // before the first late day
			apply(cents(pays[pi].Amount))
			pi++
		}
		last := end
		if len(pays) > 0 {
			last = max(last, pays[len(pays)-1].Date)
		}
		d, _ := time.Parse(calendarLayout, start)
		for i := 0; i < maxDayShift; i++ {
			d = d.AddDate(0, 0, 1)
			day := d.Format(calendarLayout)
			if day > last {
				break
			}
			if day <= end && fee < capFee {
				var overdue int64
				for k, in := range sched {
					if in.Due < day || origDue != "" && day <= e.DeferralApproved {
						overdue += unpaid[k]
					}
				}
				if overdue > 0 {
					fee = min(capFee, fee+overdue*3) // 3% of cents, in 1/100 cent
					days++
				}
			}
			for pi < len(pays) && pays[pi].Date == day {
				apply(cents(pays[pi].Amount))
				pi++
			}
		}
	}
	for ; pi < len(pays); pi++ { // no schedule yet (not served)
		apply(cents(pays[pi].Amount))
	}
	feeCents := (fee + 50) / 100
	paidFee = min(extra, feeCents)
	var outstanding int64
	for _, u := range unpaid {
		outstanding += u
	}
	if len(sched) == 0 {
		outstanding = max(0, fine-paidFine)
	}
	st.PaidFine, st.PaidLateFee, st.Outstanding = fromCents(paidFine), fromCents(paidFee), fromCents(outstanding)
	st.LateFee, st.LateFeeDays, st.LateFeeOutstanding = fromCents(feeCents), days, fromCents(feeCents-paidFee)
	st.LateFeeCapped = fine > 0 && fee >= capFee

	settled := outstanding == 0 && feeCents == paidFee
	switch {
	case e.EnforcementApplied != "":
		st.State = PayEnforcement
	case fine == 0:
		st.State = ""
	case settled:
		st.State = PayPaid
	case len(e.Instalments) > 0:
		st.State = PayInstalments
	case paidFine > 0:
		st.State = PayPartial
	default:
		st.State = PayUnpaid
	}
	st.Executed = (fine == 0 || settled) && (!e.OtherPenalties || e.OtherExecuted != "")
	st.Closable = st.Executed || e.EnforcementApplied != ""

	st.Overdue = fine > 0 && !settled && e.EnforcementApplied == "" && st.FinalDue != "" && today > st.FinalDue
	st.ReminderDue = st.Overdue && e.ReminderServed == ""
	if e.ReminderServed != "" {
		st.ReminderEnds, _ = cal.AddWorkdays(e.ReminderServed, ReminderDays)
	}
	if dl := e.Deadlines; dl != nil {
		st.RemedyEnd = max(dl.ReconsiderationDue, dl.LitigationDue)
		base := st.RemedyEnd
		if len(e.Instalments) > 0 {
			base = max(base, st.FinalDue) // APL Art. 72 ¶2
		}
		st.CourtLast = cal.PeriodEnd(base, 0, CourtMonths)
		st.CourtFrom = dayAfter(base)
		if st.ReminderEnds != "" {
			st.CourtFrom = max(st.CourtFrom, dayAfter(st.ReminderEnds))
		}
		open := !st.Executed && e.EnforcementApplied == "" && (fine > 0 && !settled || e.OtherPenalties && e.OtherExecuted == "")
		st.CourtDue = open && e.ReminderServed != "" && today >= st.CourtFrom && today <= st.CourtLast
		st.CourtLapsed = open && today > st.CourtLast
	}
	return st
}

func dayAfter(date string) string {
	t, err := time.Parse(calendarLayout, date)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, 1).Format(calendarLayout)
}

// CheckPayment checks a payment: a real date not before the decision's
// service nor after today, an amount above zero and not beyond what is
// owed (fine and late fee).
func CheckPayment(p Payment, served, today string, owed float64) error {
	f := errs.Fields{}
	switch {
	case !ValidDate(p.Date):
		f.Add("date", "缴款日期应为YYYY-MM-DD")
	case p.Date > today:
		f.Add("date", "缴款日期不得晚于今天")
	case served != "" && p.Date < served:
		f.Add("date", "缴款日期不得早于处罚决定书送达之日"+served)
	}
	switch {
	case p.Amount <= 0 || math.IsNaN(p.Amount):
		f.Add("amount", "缴款金额应大于零")
	case cents(p.Amount) > cents(owed):
		f.Add("amount", fmt.Sprintf("缴款金额超过尚欠的罚款和加处罚款（%.2f元）", owed))
	}
	return f.Err()
}

// CheckInstalments checks an approved deferral or instalment plan: the
// application and approval dates in order, due dates after the approval in
// order, the amounts adding up to the fine still unpaid.
func CheckInstalments(applied, approved string, plan []Instalment, served, today string, outstanding float64) error {
	f := errs.Fields{}
	switch {
	case !ValidDate(applied):
		f.Add("applied_date", "申请日期应为YYYY-MM-DD")
	case applied < served:
		f.Add("applied_date", "申请日期不得早于处罚决定书送达之日"+served)
	}
	switch {
	case !ValidDate(approved):
		f.Add("approved_date", "批准日期应为YYYY-MM-DD")
	case approved > today:
		f.Add("approved_date", "批准日期不得晚于今天")
	case ValidDate(applied) && approved < applied:
		f.Add("approved_date", "批准日期不得早于申请日期")
	}
	if len(plan) == 0 {
		f.Add("instalments", "请填写暂缓或者分期缴纳的期限和金额")
	}
	if len(plan) > 24 {
		f.Add("instalments", "分期最多24期")
	}
	var sum int64
	prev := approved
	for i, in := range plan {
		key := fmt.Sprintf("instalments[%d]", i)
		switch {
		case !ValidDate(in.Due):
			f.Add(key+".due", "缴纳期限应为YYYY-MM-DD")
		case in.Due <= prev:
			f.Add(key+".due", "各期缴纳期限应晚于批准日期并依次在后")
		default:
			prev = in.Due
		}
		if in.Amount <= 0 || math.IsNaN(in.Amount) {
			f.Add(key+".amount", "每期金额应大于零")
		}
		sum += cents(in.Amount)
	}
	if len(plan) > 0 && sum != cents(outstanding) {
		f.Add("instalments", fmt.Sprintf("各期金额合计（%.2f元）应等于尚未缴纳的罚款（%.2f元）", fromCents(sum), outstanding))
	}
	return f.Err()
}

// CheckHearingDate refuses a hearing less than 7 working days after the
// day the party is notified (APL Art. 64 ¶1 (2), Art. 85).
func CheckHearingDate(cal Calendar, notified, hearing string) error {
	if !ValidDate(hearing) {
		return errs.Field("hearing_date", "听证日期应为YYYY-MM-DD")
	}
	earliest, err := cal.AddWorkdays(notified, HearingNoticeDays)
	if err != nil {
		return errs.Field("hearing_date", "听证日期无效")
	}
	if hearing < earliest {
		return errs.Field("hearing_date", fmt.Sprintf("行政机关应当在举行听证的七日（工作日）前通知当事人听证的时间、地点（%s、第八十五条）：于%s通知的，听证日期最早为%s",
			Article(LawAPL, 64, 1, 2), ChineseDate(notified), ChineseDate(earliest)))
	}
	return nil
}

// HearingHostArticle: the hearing is held by staff the authority names who
// are not investigators of the case.
var HearingHostArticle = Article(LawAPL, 64, 1, 4)

// CheckHearingHost refuses a hearing host who investigated the case: every
// officer the case names is an investigator (APL Art. 64 ¶1 (4):
// "听证由行政机关指定的非本案调查人员主持").
func CheckHearingHost(hostID uint, investigators []uint) error {
	if slices.Contains(investigators, hostID) {
		return errs.Field("host_id", "听证由行政机关指定的非本案调查人员主持（"+HearingHostArticle+"）：本案的执法人员不能主持听证")
	}
	return nil
}

// HearingRequestLast is the last day the party may ask for a hearing: the
// 5th working day after the day the advance notice was served (APL Art. 64
// ¶1 (1), Art. 85).
func HearingRequestLast(cal Calendar, noticeServed string) (string, error) {
	return cal.AddWorkdays(noticeServed, HearingRequestDays)
}

// CheckHearingRequest refuses a hearing request made after the 5 working
// days that follow the service of the advance notice (APL Art. 64 ¶1 (1):
// "当事人要求听证的，应当在行政机关告知后五日内提出"; Art. 85). No served
// notice: nothing to check against.
func CheckHearingRequest(cal Calendar, noticeServed, requested string) error {
	if noticeServed == "" || !ValidDate(requested) {
		return nil
	}
	last, err := HearingRequestLast(cal, noticeServed)
	if err != nil {
		return errs.Field("requested_date", "要求听证的日期无效")
	}
	if requested < noticeServed {
		return errs.Field("requested_date", "要求听证的日期不得早于告知书送达之日"+ChineseDate(noticeServed))
	}
	if requested > last {
		return errs.Field("requested_date", fmt.Sprintf("当事人要求听证的，应当在行政机关告知后五日（工作日）内提出（%s、第八十五条）：告知书于%s送达，最后一日为%s",
			Article(LawAPL, 64, 1, 1), ChineseDate(noticeServed), ChineseDate(last)))
	}
	return nil
}

// The periods of execution as letters, messages and pages write them.
var (
	// HearingNoticePeriod: 七个工作日 (HearingNoticeDays).
	HearingNoticePeriod = ChineseNumeral(HearingNoticeDays) + "个工作日"
	// ReminderPeriod: 十个工作日 (ReminderDays).
	ReminderPeriod = ChineseNumeral(ReminderDays) + "个工作日"
	// CourtPeriod: 三个月 (CourtMonths).
	CourtPeriod = ChineseNumeral(CourtMonths) + "个月"
)

// ReminderArticle: the reminder comes before the application to the court
// (行政强制法 Art. 54).
var ReminderArticle = Article(LawCoercion, 54, 0, 0)

// Articles the execution documents cite.
var (
	// HearingArticles: the hearing's procedure and the right to recusal.
	HearingArticles = []string{Article(LawAPL, 64, 0, 0)}
	// ReminderArticles: the reminder before enforcement and the court.
	ReminderArticles = []string{Article(LawCoercion, 35, 0, 0), Article(LawCoercion, 45, 0, 0), ReminderArticle}
	// LateFeeArticle: the late fee.
	LateFeeArticle = Article(LawAPL, 72, 1, 1)
	// CourtArticle: the court window.
	CourtArticle = Article(LawCoercion, 53, 0, 0)
)

// ErrNotClosable refuses closing a case whose penalties are not executed
// and for which no enforcement was applied for.
var ErrNotClosable = errs.E(errs.Conflict, "本案行政处罚尚未执行完毕（罚款及加处罚款未缴清或者其他处罚未执行），也未申请人民法院强制执行，不能结案")

// ErrHearingPending refuses the decision of a case whose party asked for
// a hearing before the hearing is recorded.
var ErrHearingPending = errs.E(errs.Conflict, "当事人已要求听证：须举行听证并记录听证笔录和听证结论后，方可签发处罚决定书（%s）", Article(LawAPL, 65, 0, 0))

// DraftKinds are the documents that may be drafted for a case now: before
// the decision the kinds its evaluation allows, with the hearing notice
// after the advance notice when the party asked for a hearing; while the
// decision is executed, the reminder once payment is overdue and the
// closing report once the case may be closed; nothing once closed.
func DraftKinds(c CaseState) []string {
	switch c.Status {
	case CaseClosed:
		return nil
	case CaseExecuting:
		var out []string
		if c.Overdue {
			out = append(out, KindReminder)
		}
		if c.Closable {
			out = append(out, KindClosingReport)
		}
		return out
	}
	out := AllowedKinds(c.Evaluation)
	if c.HearingRequested && len(out) > 1 && out[0] == KindAdvanceNotice {
		out = []string{KindAdvanceNotice, KindHearingNotice, out[1]}
	}
	return out
}

// mayExecute says whether who may record payments (act ActPayment: an
// officer or a clerk) or the rest of the execution (ActExecution: the
// deferral, the other penalties, the application to the court; an
// officer) on a case in state c.
func mayExecute(who Staff, act Action, c CaseState) error {
	switch {
	case act == ActPayment && !who.Has(RoleOfficer) && !who.Has(RoleClerk):
		return errNoRole
	case act == ActExecution && !who.Has(RoleOfficer):
		return errNoRole
	case c.Status == CaseClosed:
		return errs.E(errs.Conflict, "案件已结案，不能再记录执行情况")
	case c.Status != CaseExecuting:
		return errs.E(errs.Conflict, "处罚决定书签发后，方可记录缴款和执行情况")
	}
	return nil
}

// mayHearing says whether who may record the hearing (request, notice,
// record) on a case in state c: an officer, before the decision, where the
// party may ask for one.
func mayHearing(who Staff, c CaseState) error {
	switch {
	case !who.Has(RoleOfficer):
		return errNoRole
	case Decided(c.Status):
		return errs.E(errs.Conflict, "案件已作出决定，不能再记录听证")
	case c.Evaluation.Outcome != OutcomePenalty || c.Evaluation.DocumentKind != KindPenaltyDecision || !c.Evaluation.HearingRequired:
		return errs.E(errs.Conflict, "本案拟作出的处罚不属于当事人可以要求听证的情形（%s）", Article(LawAPL, 63, 0, 0))
	}
	return nil
}
