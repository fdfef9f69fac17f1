package models

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// The execution of a decision (rules/enforcement.go): payments, the
// approved deferral or instalments, the other penalties, the application
// to the court; and the hearing before the decision. Each step locks the
// case, checks the scope and the permission rule on the locked row,
// writes, recomputes the payment state the lists show and audits.

// ExecutionRecord is what a case holds of its execution: the decision in
// force, the payments, the reminder's service, and the rule's input.
type ExecutionRecord struct {
	// Decision is the decision in force (a correction when one was
	// issued); Original is the decision its correction chain starts from,
	// whose service starts the periods: a correction fixes the record and
	// moves no period (rules.CheckCorrection keeps the fine).
	Decision, Original *Document
	Payments           []Payment
	// Input is what rules.ComputeExecution takes.
	Input    rules.Execution
	Calendar rules.Calendar
}

// Status is the execution's state on day today.
func (r *ExecutionRecord) Status(today string) rules.ExecutionStatus {
	return rules.ComputeExecution(r.Calendar, r.Input, today)
}

// CaseExecution reads case c's execution record.
func (s *Store) CaseExecution(ctx context.Context, c *Case) (*ExecutionRecord, error) {
	return s.execution(s.conn(ctx), c)
}

func (s *Store) execution(db *gorm.DB, c *Case) (*ExecutionRecord, error) {
	cal, err := s.calendar(db)
	if err != nil {
		return nil, err
	}
	var docs []Document
	if err := db.Omit("pdf", "data_json").Where("case_id = ? AND kind IN ? AND status IN ?", c.ID,
		executionKinds(), []string{DocIssued, DocServed, DocSuperseded}).Order("id").Find(&docs).Error; err != nil {
		return nil, errs.Wrap(err, "load decision of case")
	}
	var pays []Payment
	if err := db.Where("case_id = ?", c.ID).Order("date, id").Find(&pays).Error; err != nil {
		return nil, errs.Wrap(err, "load payments")
	}
	return executionOf(cal, c, docs, pays), nil
}

// executionKinds are the kinds of the documents an execution record reads:
// the decisions and the reminder.
func executionKinds() []string { return append(slices.Clone(rules.DecisionKinds), rules.KindReminder) }

// executionOf is case c's execution record from its issued decisions and
// reminders (docs, by id; other documents are skipped) and its payments
// (by date): the one reading of them, for a case and for lists.
func executionOf(cal rules.Calendar, c *Case, docs []Document, pays []Payment) *ExecutionRecord {
	r := &ExecutionRecord{Calendar: cal, Payments: pays}
	byID := map[uint]*Document{}
	for i := range docs {
		d := &docs[i]
		if !slices.Contains(executionKinds(), d.Kind) || !rules.IsFrozen(d.Status) {
			continue
		}
		byID[d.ID] = d
		switch {
		case d.Kind == rules.KindReminder: // the first served, corrected or not
			if d.ServedDate != "" && r.Input.ReminderServed == "" {
				r.Input.ReminderServed = d.ServedDate
			}
		case d.Status != DocSuperseded:
			r.Decision = d
		}
	}
	r.Original = r.Decision
	for r.Original != nil && r.Original.CorrectsID != nil && byID[*r.Original.CorrectsID] != nil {
		r.Original = byID[*r.Original.CorrectsID]
	}
	for _, p := range r.Payments {
		r.Input.Payments = append(r.Input.Payments, rules.Payment{Date: p.Date, Amount: p.Amount})
	}
	if r.Decision != nil {
		r.Input.Fine = r.Decision.Fine
		r.Input.Deadlines = rules.ComputeDeadlines(r.Calendar, r.Original.Kind, r.Original.ServedDate, r.Decision.Fine, 0)
	}
	r.Input.Instalments, r.Input.DeferralApproved = c.Instalments, c.DeferralApproved
	r.Input.EnforcementApplied = c.EnforcementApplied
	r.Input.OtherPenalties, r.Input.OtherExecuted = rules.OtherPenalties(c.Evaluation.Penalties), c.OtherExecuted
	return r
}

// ExecutionCaseState is CaseState with what the execution adds on day
// today (whether payment is overdue, whether the case may close).
func ExecutionCaseState(c *Case, r *ExecutionRecord, today string) rules.CaseState {
	st := CaseState(c)
	if r != nil && c.Status == CaseExecuting {
		x := r.Status(today)
		st.Overdue, st.Closable = x.Overdue, x.Closable
	}
	return st
}

// executionStep runs fn on the locked case after the scope and permission
// checks, then stores the payment state and audits action with detail.
func (s *Store) executionStep(ctx context.Context, a Actor, caseID uint, act rules.Action, action string,
	fn func(tx *gorm.DB, c *Case, r *ExecutionRecord) (string, error)) (*Case, error) {
	var c *Case
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if c, err = s.caseToAct(tx, a, caseID, act); err != nil {
			return err
		}
		r, err := s.execution(tx, c)
		if err != nil {
			return err
		}
		detail, err := fn(tx, c, r)
		if err != nil {
			return err
		}
		if r, err = s.execution(tx, c); err != nil {
			return err
		}
		state := r.Status(s.Today()).State
		if err := tx.Model(&Case{}).Where("id = ?", caseID).Update("payment_state", state).Error; err != nil {
			return errs.Wrap(err, "store payment state")
		}
		c.PaymentState = state
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: action,
			Entity: "case", EntityID: caseID, FromStatus: c.Status, ToStatus: c.Status, Detail: detail + " payment_state=" + state})
	})
	return c, err
}

// PaymentInput is a payment as recorded.
type PaymentInput struct {
	Date    string
	Amount  float64
	Receipt string
}

// RecordPayment records a payment on case caseID: not before the
// decision's service, not after today, not beyond what is owed then.
func (s *Store) RecordPayment(ctx context.Context, a Actor, caseID uint, p PaymentInput) (*Case, error) {
	return s.executionStep(ctx, a, caseID, rules.ActPayment, "record_payment", func(tx *gorm.DB, c *Case, r *ExecutionRecord) (string, error) {
		served := ""
		if r.Original != nil {
			served = r.Original.ServedDate
			if served == "" {
				served = r.Original.IssueDate
			}
		}
		if r.Input.Fine <= 0 {
			return "", errs.E(errs.Conflict, "本案处罚决定未处以罚款，无需记录缴款")
		}
		x := rules.ComputeExecution(r.Calendar, r.Input, p.Date)
		if err := rules.CheckPayment(rules.Payment{Date: p.Date, Amount: p.Amount}, served, s.Today(), x.Outstanding+x.LateFeeOutstanding); err != nil {
			return "", err
		}
		row := &Payment{CaseID: c.ID, AuthorityID: c.AuthorityID, Date: p.Date, Amount: p.Amount, Receipt: p.Receipt,
			RecordedByID: a.UserID, CreatedAt: s.now()}
		if err := tx.Create(row).Error; err != nil {
			return "", errs.Wrap(err, "record payment")
		}
		return fmt.Sprintf("payment %d date=%s amount=%.2f receipt=%q", row.ID, p.Date, p.Amount, p.Receipt), nil
	})
}

// DeferralInput is an approved deferral (one due date) or instalment plan.
type DeferralInput struct {
	Applied, Approved string
	Instalments       []rules.Instalment
}

// RecordDeferral stores the approved deferral or instalments (APL Art. 66
// ¶2) of the fine still unpaid on the approval day; it replaces an earlier
// one.
func (s *Store) RecordDeferral(ctx context.Context, a Actor, caseID uint, in DeferralInput) (*Case, error) {
	return s.executionStep(ctx, a, caseID, rules.ActExecution, "record_deferral", func(tx *gorm.DB, c *Case, r *ExecutionRecord) (string, error) {
		if r.Input.Fine <= 0 || r.Original == nil || r.Original.ServedDate == "" {
			return "", errs.E(errs.Conflict, "处罚决定书送达后，方可记录暂缓或者分期缴纳罚款")
		}
		plan := r.Input
		plan.Instalments = nil
		x := rules.ComputeExecution(r.Calendar, plan, in.Approved)
		if err := rules.CheckInstalments(in.Applied, in.Approved, in.Instalments, r.Original.ServedDate, s.Today(), x.Outstanding); err != nil {
			return "", err
		}
		if err := tx.Model(&Case{}).Where("id = ?", c.ID).Updates(map[string]any{"deferral_applied": in.Applied,
			"deferral_approved": in.Approved, "instalments_json": plainJSON(in.Instalments)}).Error; err != nil {
			return "", errs.Wrap(err, "record deferral")
		}
		c.DeferralApplied, c.DeferralApproved, c.Instalments = in.Applied, in.Approved, in.Instalments
		return fmt.Sprintf("applied=%s approved=%s instalments=%s", in.Applied, in.Approved, plainJSON(in.Instalments)), nil
	})
}

// ExecutionInput records the other penalties' execution and the
// application to the court; empty fields stay as they were.
type ExecutionInput struct {
	OtherExecuted, OtherExecutedNote string
	EnforcementApplied               string
}

// RecordExecution stores when the other penalties were executed and when
// the court was asked to enforce.
func (s *Store) RecordExecution(ctx context.Context, a Actor, caseID uint, in ExecutionInput) (*Case, error) {
	return s.executionStep(ctx, a, caseID, rules.ActExecution, "record_execution", func(tx *gorm.DB, c *Case, r *ExecutionRecord) (string, error) {
		f := errs.Fields{}
		today := s.Today()
		after := ""
		if r.Original != nil {
			after = r.Original.IssueDate
		}
		for _, d := range []struct{ key, v string }{{"other_executed", in.OtherExecuted}, {"enforcement_applied", in.EnforcementApplied}} {
			switch {
			case d.v == "":
			case !rules.ValidDate(d.v):
				f.Add(d.key, "日期应为YYYY-MM-DD")
			case d.v > today:
				f.Add(d.key, "日期不得晚于今天")
			case d.v < after:
				f.Add(d.key, "日期不得早于处罚决定书签发之日"+after)
			}
		}
		if in.OtherExecuted != "" && !r.Input.OtherPenalties {
			f.Add("other_executed", "本案除罚款、警告外没有其他需要执行的处罚")
		}
		if in.EnforcementApplied != "" {
			x := r.Status(in.EnforcementApplied)
			switch {
			case r.Input.ReminderServed == "":
				f.Add("enforcement_applied", "申请人民法院强制执行前，应当催告当事人履行义务（"+rules.ReminderArticle+"）：请先签发并送达催告书")
			case in.EnforcementApplied < x.CourtFrom:
				f.Add("enforcement_applied", "催告书送达"+rules.ReminderPeriod+"后、复议和诉讼期限届满后方可申请，最早为"+x.CourtFrom)
			case in.EnforcementApplied > x.CourtLast:
				f.Add("enforcement_applied", "申请人民法院强制执行的期限已于"+x.CourtLast+"届满（"+rules.CourtArticle+"）")
			case x.Executed:
				f.Add("enforcement_applied", "本案处罚已执行完毕，无需申请强制执行")
			}
		}
		if in.OtherExecuted == "" && in.EnforcementApplied == "" {
			f.Add("other_executed", "请填写执行日期或者申请强制执行日期")
		}
		if err := f.Err(); err != nil {
			return "", err
		}
		set := map[string]any{}
		if in.OtherExecuted != "" {
			set["other_executed"], set["other_executed_note"] = in.OtherExecuted, in.OtherExecutedNote
			c.OtherExecuted, c.OtherExecutedNote = in.OtherExecuted, in.OtherExecutedNote
		}
		if in.EnforcementApplied != "" {
			set["enforcement_applied"] = in.EnforcementApplied
			c.EnforcementApplied = in.EnforcementApplied
		}
		if err := tx.Model(&Case{}).Where("id = ?", c.ID).Updates(set).Error; err != nil {
			return "", errs.Wrap(err, "record execution")
		}
		return fmt.Sprintf("other_executed=%s note=%q enforcement_applied=%s", in.OtherExecuted, in.OtherExecutedNote, in.EnforcementApplied), nil
	})
}

// Hearing is the party's hearing: the request, the notice's time, place
// and host, and the record once held.
type Hearing struct {
	Requested, Scheduled, Time, Place string
	HostID                            *uint
	Held                              bool
	Date, Participants, Summary       string
	Result                            string
}

// RecordHearing stores the hearing on case caseID until it is decided.
// The host is a user of the case's authority and not its investigator
// (APL Art. 64 ¶1 (4)); a hearing not yet noticed is at least 7 working
// days away (Art. 64 ¶1 (2)).
func (s *Store) RecordHearing(ctx context.Context, a Actor, caseID uint, h Hearing) (*Case, error) {
	var c *Case
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if c, err = s.caseToAct(tx, a, caseID, rules.ActHearing); err != nil {
			return err
		}
		host := ""
		if h.HostID != nil {
			var u User
			if err := tx.First(&u, *h.HostID).Error; err != nil || !u.Active || !u.Scope().Allows(c.AuthorityID) {
				return errs.Field("host_id", "听证主持人应为本机关在职的工作人员")
			}
			if err := rules.CheckHearingHost(u.ID, append(c.Officers(), c.OfficerID)); err != nil {
				return err
			}
			host = u.DisplayName
			if host == "" {
				host = u.Username
			}
		}
		if h.Requested != c.HearingRequested {
			notice, err := servedAdvanceNotice(tx, c.ID)
			if err != nil {
				return err
			}
			if notice != nil {
				cal, err := s.calendar(tx)
				if err != nil {
					return err
				}
				if err := rules.CheckHearingRequest(cal, notice.ServedDate, h.Requested); err != nil {
					return err
				}
			}
		}
		if changed := noticedChanges(c, h); len(changed) > 0 {
			noticed, err := s.hearingNoticed(tx, c.ID)
			if err != nil {
				return err
			}
			if noticed {
				f := errs.Fields{}
				for _, k := range changed {
					f.Add(k, "听证通知书已签发，改变听证的时间、地点或者主持人须重新制作听证通知书；请先更正听证通知书")
				}
				return f.Err()
			}
		}
		if h.Scheduled != "" && h.Scheduled != c.HearingScheduled {
			cal, err := s.calendar(tx)
			if err != nil {
				return err
			}
			if err := rules.CheckHearingDate(cal, s.Today(), h.Scheduled); err != nil {
				f := errs.Fields{}
				f.Add("hearing_scheduled", err.(*errs.Error).Message)
				return f.Err()
			}
		}
		set := map[string]any{"hearing_requested": h.Requested, "hearing_scheduled": h.Scheduled, "hearing_time": h.Time,
			"hearing_place": h.Place, "hearing_host_id": h.HostID, "hearing_host": host, "hearing_participants": h.Participants,
			"hearing_summary": h.Summary, "hearing_held": h.Held, "hearing_date": h.Date, "hearing_result": h.Result}
		if err := tx.Model(&Case{}).Where("id = ?", caseID).Updates(set).Error; err != nil {
			return errs.Wrap(err, "record hearing")
		}
		c.HearingRequested, c.HearingScheduled, c.HearingTime, c.HearingPlace = h.Requested, h.Scheduled, h.Time, h.Place
		c.HearingHostID, c.HearingHost, c.HearingParticipants, c.HearingSummary = h.HostID, host, h.Participants, h.Summary
		c.HearingHeld, c.HearingDate, c.HearingResult = h.Held, h.Date, h.Result
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "record_hearing",
			Entity: "case", EntityID: caseID, FromStatus: c.Status, ToStatus: c.Status,
			Detail: fmt.Sprintf("requested=%s scheduled=%s %s place=%q host=%q held=%t date=%s participants=%q", h.Requested, h.Scheduled, h.Time, h.Place, host, h.Held, h.Date, h.Participants)})
	})
	return c, err
}

// noticedChanges lists the fields h changes that an issued hearing notice
// told the party: the date, time, place and host.
func noticedChanges(c *Case, h Hearing) []string {
	var out []string
	if h.Scheduled != c.HearingScheduled {
		out = append(out, "hearing_scheduled")
	}
	if h.Time != c.HearingTime {
		out = append(out, "hearing_time")
	}
	if h.Place != c.HearingPlace {
		out = append(out, "hearing_place")
	}
	if (h.HostID == nil) != (c.HearingHostID == nil) || h.HostID != nil && *h.HostID != *c.HearingHostID {
		out = append(out, "host_id")
	}
	return out
}

// hearingNoticed reports whether a hearing notice of the case is issued.
func (s *Store) hearingNoticed(tx *gorm.DB, caseID uint) (bool, error) {
	var n int64
	if err := tx.Model(&Document{}).Where("case_id = ? AND kind = ? AND status IN ?", caseID, rules.KindHearingNotice,
		[]string{DocIssued, DocServed}).Count(&n).Error; err != nil {
		return false, errs.Wrap(err, "count hearing notices")
	}
	return n > 0, nil
}

func plainJSON(v any) string {
	b, _ := json.Marshal(v) // plain values: it cannot fail
	return string(b)
}
