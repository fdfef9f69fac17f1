package casework

import (
	"context"
	"regexp"
	"strings"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
	"penaltydoc/rules/limits"
)

// PaymentInput is a payment of the party: its date, amount (yuan) and the
// receipt or payment notice (缴款书) number.
type PaymentInput struct {
	Date    string  `json:"date"`
	Amount  float64 `json:"amount"`
	Receipt string  `json:"receipt"`
}

// RecordPayment records a payment on case id (its fine first, then the
// late fee).
func (s *Service) RecordPayment(ctx context.Context, a Actor, id uint, in PaymentInput) (*models.Case, error) {
	in.Date, in.Receipt = strings.TrimSpace(in.Date), strings.TrimSpace(in.Receipt)
	f := errs.Fields{}
	if in.Receipt == "" {
		f.Add("receipt", "请填写缴款书或者收据号码")
	}
	limits.PaymentReceipt.Check(f, "", in.Receipt)
	if err := f.Err(); err != nil {
		return nil, err
	}
	return s.store.RecordPayment(ctx, a.record(), id, models.PaymentInput{Date: in.Date, Amount: in.Amount, Receipt: in.Receipt})
}

// DeferralInput is an approved deferral or instalment plan (APL Art. 66
// ¶2): when the party applied, when it was approved, and the new due
// dates with their amounts (one for a deferral).
type DeferralInput struct {
	AppliedDate  string             `json:"applied_date"`
	ApprovedDate string             `json:"approved_date"`
	Instalments  []rules.Instalment `json:"instalments"`
}

// RecordDeferral records the approved deferral or instalments on case id.
func (s *Service) RecordDeferral(ctx context.Context, a Actor, id uint, in DeferralInput) (*models.Case, error) {
	for i := range in.Instalments {
		in.Instalments[i].Due = strings.TrimSpace(in.Instalments[i].Due)
	}
	return s.store.RecordDeferral(ctx, a.record(), id, models.DeferralInput{Applied: strings.TrimSpace(in.AppliedDate),
		Approved: strings.TrimSpace(in.ApprovedDate), Instalments: in.Instalments})
}

// ExecutionInput records when the penalties other than the fine were
// executed and when the court was asked to enforce.
type ExecutionInput struct {
	OtherExecuted      string `json:"other_executed"`
	OtherExecutedNote  string `json:"other_executed_note"`
	EnforcementApplied string `json:"enforcement_applied"`
}

// RecordExecution records the other penalties' execution or the
// application to the court on case id.
func (s *Service) RecordExecution(ctx context.Context, a Actor, id uint, in ExecutionInput) (*models.Case, error) {
	in.OtherExecuted, in.EnforcementApplied = strings.TrimSpace(in.OtherExecuted), strings.TrimSpace(in.EnforcementApplied)
	in.OtherExecutedNote = strings.TrimSpace(in.OtherExecutedNote)
	f := errs.Fields{}
	limits.ExecutionNote.Check(f, "", in.OtherExecutedNote)
	if err := f.Err(); err != nil {
		return nil, err
	}
	return s.store.RecordExecution(ctx, a.record(), id, models.ExecutionInput{OtherExecuted: in.OtherExecuted,
		OtherExecutedNote: in.OtherExecutedNote, EnforcementApplied: in.EnforcementApplied})
}

// HearingInput is the party's hearing: when it asked, when, where and by
// whom the hearing is held (the notice prints them), and its record once
// held (date, participants, summary, result).
type HearingInput struct {
	RequestedDate string `json:"requested_date"`
	Scheduled     string `json:"hearing_scheduled"`
	Time          string `json:"hearing_time"`
	Place         string `json:"hearing_place"`
	HostID        uint   `json:"host_id"`
	Held          bool   `json:"hearing_held"`
	Date          string `json:"hearing_date"`
	Participants  string `json:"hearing_participants"`
	Summary       string `json:"hearing_summary"`
	Result        string `json:"hearing_result"`
}

var clock = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

func (in HearingInput) check(today string) (models.Hearing, error) {
	t := strings.TrimSpace
	in.RequestedDate, in.Scheduled, in.Time, in.Place = t(in.RequestedDate), t(in.Scheduled), t(in.Time), t(in.Place)
	in.Date, in.Participants, in.Summary, in.Result = t(in.Date), t(in.Participants), t(in.Summary), t(in.Result)
	f := errs.Fields{}
	switch {
	case !rules.ValidDate(in.RequestedDate):
		f.Add("requested_date", "请填写当事人要求听证的日期（YYYY-MM-DD）")
	case in.RequestedDate > today:
		f.Add("requested_date", "要求听证的日期不得晚于今天")
	}
	if in.Scheduled != "" {
		if in.Time == "" || !clock.MatchString(in.Time) {
			f.Add("hearing_time", "请填写听证时间（时:分，如 09:30）")
		}
		if in.Place == "" {
			f.Add("hearing_place", "请填写听证地点")
		}
		if in.HostID == 0 {
			f.Add("host_id", "请指定听证主持人")
		}
	} else if in.Time != "" || in.Place != "" {
		f.Add("hearing_scheduled", "请填写听证日期")
	}
	if in.Held {
		switch {
		case in.Scheduled == "":
			f.Add("hearing_held", "请先安排听证（日期、地点、主持人）")
		case !rules.ValidDate(in.Date):
			f.Add("hearing_date", "请填写举行听证的日期（YYYY-MM-DD）")
		case in.Date > today:
			f.Add("hearing_date", "听证日期不得晚于今天")
		case in.Date < in.Scheduled:
			f.Add("hearing_date", "举行听证的日期不得早于通知当事人的听证日期")
		}
		if in.Participants == "" {
			f.Add("hearing_participants", "请填写听证参加人")
		}
		if in.Summary == "" {
			f.Add("hearing_summary", "请填写听证笔录摘要")
		}
		if in.Result == "" {
			f.Add("hearing_result", "请填写听证结论及处理意见")
		}
	} else if in.Date != "" || in.Summary != "" || in.Result != "" {
		f.Add("hearing_held", "填写了听证笔录，但未标明已举行听证")
	}
	limits.HearingPlace.Check(f, "", in.Place)
	limits.HearingAttendees.Check(f, "", in.Participants)
	limits.HearingSummary.Check(f, "", in.Summary)
	limits.HearingResult.Check(f, "", in.Result)
	if err := f.Err(); err != nil {
		return models.Hearing{}, err
	}
	h := models.Hearing{Requested: in.RequestedDate, Scheduled: in.Scheduled, Time: in.Time, Place: in.Place,
		Held: in.Held, Date: in.Date, Participants: in.Participants, Summary: in.Summary, Result: in.Result}
	if in.HostID != 0 {
		id := in.HostID
		h.HostID = &id
	}
	return h, nil
}

// RecordHearing records the party's hearing on case id until it is
// decided.
func (s *Service) RecordHearing(ctx context.Context, a Actor, id uint, in HearingInput) (*models.Case, error) {
	h, err := in.check(s.Today())
	if err != nil {
		return nil, err
	}
	return s.store.RecordHearing(ctx, a.record(), id, h)
}

// ExecutionView is a decided case's execution as its page and API show it.
type ExecutionView struct {
	rules.ExecutionStatus
	Fine           float64          `json:"fine"`
	PaymentDue     string           `json:"payment_due,omitempty"`
	ReminderServed string           `json:"reminder_served,omitempty"`
	Payments       []models.Payment `json:"payments"`
	OtherPenalties bool             `json:"other_penalties,omitempty"`
}

func executionView(r *models.ExecutionRecord, today string) *ExecutionView {
	v := &ExecutionView{ExecutionStatus: r.Status(today), Fine: r.Input.Fine, ReminderServed: r.Input.ReminderServed,
		Payments: r.Payments, OtherPenalties: r.Input.OtherPenalties}
	if r.Input.Deadlines != nil {
		v.PaymentDue = r.Input.Deadlines.PaymentDue
	}
	if v.Payments == nil {
		v.Payments = []models.Payment{}
	}
	return v
}
