package casework

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

// Supervision (执法监督): every check of rules.SupervisionChecks run on
// every case in progress of the actor's scope, on the store's today.

// SupervisionFilter selects the rows: the check and state (empty: all),
// the officer named on the case, the filing dates, closed cases too.
type SupervisionFilter struct {
	Check, State       string
	Officer            uint
	FiledFrom, FiledTo string
	Closed             bool
	Page               int
}

// SupervisionRow is one check of one case.
type SupervisionRow struct {
	CaseID     uint     `json:"case_id"`
	CaseNumber string   `json:"case_number"`
	Party      string   `json:"party"`
	Authority  string   `json:"authority"`
	Officers   []string `json:"officers"`
	CaseStatus string   `json:"case_status"`
	Check      string   `json:"check"`
	CheckName  string   `json:"check_name"`
	State      string   `json:"state"`
	StateName  string   `json:"state_name"`
	Due        string   `json:"due,omitempty"`
	Note       string   `json:"note"`
}

// SupervisionCount is one check's rows by state.
type SupervisionCount struct {
	Check     string `json:"check"`
	Name      string `json:"name"`
	Basis     string `json:"basis"`
	Threshold string `json:"threshold"`
	Overdue   int    `json:"overdue"`
	Defect    int    `json:"defect"`
	Due       int    `json:"due"`
	OK        int    `json:"ok"`
}

func (c *SupervisionCount) add(state string) {
	switch state {
	case rules.SupOverdue:
		c.Overdue++
	case rules.SupDefect:
		c.Defect++
	case rules.SupDue:
		c.Due++
	default:
		c.OK++
	}
}

// SupervisionReport is the page: the day, the counts per check (of the
// officer and date filters, before the check and state filters), the
// totals by state, and a page of the filtered rows, the worst first.
type SupervisionReport struct {
	Today   string             `json:"today"`
	Cases   int                `json:"cases"`
	Counts  []SupervisionCount `json:"counts"`
	Totals  map[string]int     `json:"totals"`
	Total   int                `json:"total"`
	Page    int                `json:"page"`
	PerPage int                `json:"per_page"`
	Rows    []SupervisionRow   `json:"rows"`
}

// SupervisionPerPage is a page of rows.
const SupervisionPerPage = 100

func checkSupervisionFilter(f *SupervisionFilter) error {
	fe := errs.Fields{}
	if f.Check != "" {
		if _, ok := rules.CheckByCode(f.Check); !ok {
			fe.Add("check", "没有这一监督事项")
		}
	}
	if f.State != "" && !slices.Contains(rules.SupervisionStates, f.State) {
		fe.Add("state", "状态只能是 overdue、defect、due 或 ok")
	}
	for _, d := range []struct{ name, v string }{{"from", f.FiledFrom}, {"to", f.FiledTo}} {
		if d.v != "" && !rules.ValidDate(d.v) {
			fe.Add(d.name, "日期格式应为YYYY-MM-DD")
		}
	}
	return fe.Err()
}

// supervisedCase is what the checks read of record r on day today.
func supervisedCase(r *models.SupervisionRecord, today string) rules.SupervisedCase {
	c := &r.Case
	x := r.Execution
	sc := rules.SupervisedCase{Status: c.Status, Filed: r.Filed, Evaluation: c.Evaluation, Waived: c.Waived,
		HearingRequested: c.HearingRequested, HearingScheduled: c.HearingScheduled, HearingHeld: c.HearingHeld,
		ReminderServed: x.Input.ReminderServed, LastStep: r.LastStep}
	if c.ExtensionDeadline != "" {
		sc.Extension = &rules.Extension{Deadline: c.ExtensionDeadline, Reason: c.ExtensionReason, ApprovedBy: c.ExtensionBy, Approved: c.ExtensionApproved}
	}
	for _, p := range r.Publications {
		sc.Publications = append(sc.Publications, rules.SupervisedPublication{Status: p.Status, Number: p.Number, DueDate: p.DueDate, WithdrawDue: p.WithdrawDue})
	}
	for _, d := range r.Documents {
		switch {
		case d.Kind == rules.KindAdvanceNotice && d.ServedDate != "" && rules.IsFrozen(d.Status):
			if sc.NoticeServed == "" || d.ServedDate < sc.NoticeServed {
				sc.NoticeServed = d.ServedDate
				if dl := rules.ComputeDeadlines(x.Calendar, d.Kind, d.ServedDate, 0, d.AnswerDays); dl != nil {
					sc.AnswerDue = dl.AnswerDue
				}
			}
		case rules.IsDecision(d.Kind) && !rules.IsFrozen(d.Status):
			sc.DecisionPending = true
		}
	}
	if x.Decision != nil {
		o := x.Original
		sc.Decision = &rules.SupervisedDecision{Kind: x.Decision.Kind, Issued: o.IssueDate, Served: o.ServedDate, Fine: x.Decision.Fine,
			LegalReviewed: x.Decision.LegalReviewDate}
		if sc.Decision.LegalReviewed == "" {
			sc.Decision.LegalReviewed = o.LegalReviewDate
		}
		if x.Decision.Number != nil {
			sc.Decision.Number = *x.Decision.Number
		}
		st := x.Status(today)
		sc.Execution = &st
	}
	return sc
}

// superviseAll runs the checks on every case f selects and calls fn with
// each row, in the table's order per case.
func (s *Service) superviseAll(ctx context.Context, a Actor, f SupervisionFilter, fn func(SupervisionRow)) (int, error) {
	q := models.SupervisionQuery{Scope: a.Scope, Officer: f.Officer, FiledFrom: f.FiledFrom, FiledTo: f.FiledTo, Closed: f.Closed}
	today := s.store.Today()
	n := 0
	err := s.store.Supervision(ctx, q, func(r *models.SupervisionRecord) error {
		n++
		sc := supervisedCase(r, today)
		for _, ch := range rules.SupervisionChecks {
			fd, ok := ch.Eval(r.Execution.Calendar, sc, today)
			if !ok {
				continue
			}
			fn(SupervisionRow{CaseID: r.Case.ID, CaseNumber: CaseNumber(&r.Case), Party: r.Case.PartyName, Authority: r.AuthorityName,
				Officers: r.Officers, CaseStatus: rules.CaseStatusName(r.Case.Status), Check: ch.Code, CheckName: ch.Name,
				State: fd.State, StateName: rules.SupervisionStateName(fd.State), Due: fd.Due, Note: fd.Note})
		}
		return nil
	})
	return n, err
}

// Supervision answers the supervision page of the actor's scope.
func (s *Service) Supervision(ctx context.Context, a Actor, f SupervisionFilter) (*SupervisionReport, error) {
	if err := checkSupervisionFilter(&f); err != nil {
		return nil, err
	}
	rep := &SupervisionReport{Today: s.store.Today(), Totals: map[string]int{}, PerPage: SupervisionPerPage}
	counts := map[string]*SupervisionCount{}
	for _, ch := range rules.SupervisionChecks {
		c := &SupervisionCount{Check: ch.Code, Name: ch.Name, Basis: ch.Basis, Threshold: ch.Threshold}
		counts[ch.Code] = c
		rep.Counts = append(rep.Counts, *c)
	}
	var rows []SupervisionRow
	n, err := s.superviseAll(ctx, a, f, func(r SupervisionRow) {
		c := counts[r.Check]
		c.add(r.State)
		if (f.Check == "" || r.Check == f.Check) && (f.State == "" || r.State == f.State) {
			rows = append(rows, r)
			rep.Totals[r.State]++
		}
	})
	if err != nil {
		return nil, err
	}
	rep.Cases = n
	for i := range rep.Counts {
		rep.Counts[i] = *counts[rep.Counts[i].Check]
	}
	sortRows(rows)
	rep.Total = len(rows)
	rep.Page, _ = models.PageOf(f.Page, SupervisionPerPage, int64(len(rows)))
	start := (rep.Page - 1) * SupervisionPerPage
	rep.Rows = rows[start:min(len(rows), start+SupervisionPerPage)]
	return rep, nil
}

// sortRows puts the worst first, then the nearest last day, then the case.
func sortRows(rows []SupervisionRow) {
	slices.SortStableFunc(rows, func(x, y SupervisionRow) int {
		if d := rules.StateRank(x.State) - rules.StateRank(y.State); d != 0 {
			return d
		}
		if x.Due != y.Due {
			switch {
			case x.Due == "":
				return 1
			case y.Due == "":
				return -1
			}
			return strings.Compare(x.Due, y.Due)
		}
		return int(x.CaseID) - int(y.CaseID)
	})
}

// Digest is the start page's line: the cases with a row 超期, 异常 or 临期
// (a case counts once under each state it shows) in the actor's scope today (an officer's own cases when they hold no other
// role that supervises).
type Digest struct {
	Today   string `json:"today"`
	Mine    bool   `json:"mine"`
	Overdue int    `json:"overdue"`
	Defect  int    `json:"defect"`
	Due     int    `json:"due"`
}

// digestTTL is how long a digest is served from the cache: the start
// page is loaded often, the digest changes by the day.
const digestTTL = time.Minute

type digestKey struct {
	scope   string
	officer uint
	today   string
}

type digestEntry struct {
	d  Digest
	at time.Time
}

// DigestOf is the actor's digest, computed at most once a minute per
// scope, officer and day.
func (s *Service) DigestOf(ctx context.Context, a Actor) (Digest, error) {
	d := Digest{Today: s.store.Today()}
	f := SupervisionFilter{}
	if a.Has(rules.RoleOfficer) && !a.Has(rules.RoleApprover) && !a.Has(rules.RoleReviewer) {
		f.Officer, d.Mine = a.UserID, true
	}
	key := digestKey{scope: fmt.Sprint(a.Scope.All, a.Scope.Authorities), officer: f.Officer, today: d.Today}
	if e, ok := s.digests.Load(key); ok && time.Since(e.(digestEntry).at) < digestTTL {
		return e.(digestEntry).d, nil
	}
	cases := map[string]map[uint]bool{rules.SupOverdue: {}, rules.SupDefect: {}, rules.SupDue: {}}
	_, err := s.superviseAll(ctx, a, f, func(r SupervisionRow) {
		if m, ok := cases[r.State]; ok {
			m[r.CaseID] = true
		}
	})
	d.Overdue, d.Defect, d.Due = len(cases[rules.SupOverdue]), len(cases[rules.SupDefect]), len(cases[rules.SupDue])
	if err == nil {
		s.digests.Range(func(k, _ any) bool { // yesterday's are never asked again
			if k.(digestKey).today != key.today {
				s.digests.Delete(k)
			}
			return true
		})
		s.digests.Store(key, digestEntry{d, time.Now()})
	}
	return d, err
}

// SupervisionColumns are the export's columns.
var SupervisionColumns = []string{"监督事项", "状态", "期限", "说明", "立案编号", "当事人", "执法机关", "承办人", "案件状态"}

var supervisionWidths = []float64{30, 8, 12, 60, 26, 24, 24, 16, 10}

// ExportSupervision writes every row f selects (all pages) and the counts
// per check as an XLSX workbook to w, and audits it.
func (s *Service) ExportSupervision(ctx context.Context, a Actor, f SupervisionFilter, w io.Writer) error {
	if err := checkSupervisionFilter(&f); err != nil {
		return err
	}
	f.Page = 0
	var rows []SupervisionRow
	counts := map[string]*SupervisionCount{}
	n, err := s.superviseAll(ctx, a, f, func(r SupervisionRow) {
		c := counts[r.Check]
		if c == nil {
			c = &SupervisionCount{}
			counts[r.Check] = c
		}
		c.add(r.State)
		if (f.Check == "" || r.Check == f.Check) && (f.State == "" || r.State == f.State) {
			rows = append(rows, r)
		}
	})
	if err != nil {
		return err
	}
	if len(rows) > MaxExportRows {
		return errs.E(errs.Invalid, "符合条件的监督记录共%d条，超过一次导出的上限%d条，请缩小筛选范围", len(rows), MaxExportRows)
	}
	sortRows(rows)
	x := excelize.NewFile()
	defer x.Close()
	const sheet, countSheet = "执法监督", "监督事项统计"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return errs.Wrap(err, "supervision sheet")
	}
	table := [][]any{anyRow(SupervisionColumns)}
	for _, r := range rows {
		table = append(table, []any{r.CheckName, r.StateName, r.Due, r.Note, r.CaseNumber, r.Party, r.Authority, strings.Join(r.Officers, "、"), r.CaseStatus})
	}
	if err := writeSheet(x, sheet, table, supervisionWidths); err != nil {
		return err
	}
	if _, err := x.NewSheet(countSheet); err != nil {
		return errs.Wrap(err, "supervision counts sheet")
	}
	ct := [][]any{{"监督事项", "依据", "标准", "超期", "异常", "临期", "正常"}}
	for _, ch := range rules.SupervisionChecks {
		c := counts[ch.Code]
		if c == nil {
			c = &SupervisionCount{}
		}
		ct = append(ct, []any{ch.Name, ch.Basis, ch.Threshold, c.Overdue, c.Defect, c.Due, c.OK})
	}
	if err := writeSheet(x, countSheet, ct, []float64{30, 36, 60, 8, 8, 8, 8}); err != nil {
		return err
	}
	if err := s.store.Audit(ctx, a.record(), "export_supervision", "case", 0, fmt.Sprintf("rows=%d cases=%d check=%s state=%s officer=%d from=%s to=%s closed=%t",
		len(rows), n, f.Check, f.State, f.Officer, f.FiledFrom, f.FiledTo, f.Closed)); err != nil {
		return err
	}
	if err := x.Write(w); err != nil {
		return errs.Wrap(err, "write supervision")
	}
	return nil
}

func anyRow(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// writeSheet writes table (its first row the bold head) to sheet with the
// column widths, the head frozen.
func writeSheet(x *excelize.File, sheet string, table [][]any, widths []float64) error {
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return errs.Wrap(err, "sheet style")
	}
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := x.SetColWidth(sheet, col, col, wd); err != nil {
			return errs.Wrap(err, "sheet width")
		}
	}
	for i, row := range table {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(sheet, cell, &row); err != nil {
			return errs.Wrap(err, "sheet row")
		}
	}
	if len(table) > 0 {
		end, _ := excelize.CoordinatesToCellName(len(table[0]), 1)
		if err := x.SetCellStyle(sheet, "A1", end, bold); err != nil {
			return errs.Wrap(err, "sheet head")
		}
	}
	return x.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// ExtendCase records the head's extension of case id's decision period.
func (s *Service) ExtendCase(ctx context.Context, a Actor, id uint, deadline, reason string) (*models.Case, error) {
	return s.store.RecordExtension(ctx, a.record(), id, models.ExtensionInput{Deadline: strings.TrimSpace(deadline), Reason: reason})
}

// CaseDecisionDue is the last day of case c's decision period (the
// extension's when one is recorded): the extension page shows it.
func (s *Service) CaseDecisionDue(ctx context.Context, a Actor, id uint) (*models.Case, string, error) {
	c, err := s.store.CaseByID(ctx, a.Scope, id)
	if err != nil {
		return nil, "", err
	}
	cal, err := s.store.Calendar(ctx)
	if err != nil {
		return nil, "", err
	}
	var ext *rules.Extension
	if c.ExtensionDeadline != "" {
		ext = &rules.Extension{Deadline: c.ExtensionDeadline}
	}
	return c, rules.DecisionDue(cal, c.CreatedAt.In(rules.China).Format("2006-01-02"), ext), nil
}
