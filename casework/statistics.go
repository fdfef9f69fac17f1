package casework

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

// Statistics for a period (行政处罚统计): what was filed, decided and
// collected between two dates in the actor's scope; docs/supervision.md
// defines each figure.

// StatCount is one bar of a breakdown: a key, its Chinese label, the
// decisions and the fines they imposed.
type StatCount struct {
	Key   string  `json:"key"`
	Label string  `json:"label"`
	Count int     `json:"count"`
	Fine  float64 `json:"fine"`
}

// AnnualRow is one line of the annual table (行政处罚统计年报): an item,
// with its domain.
type AnnualRow struct {
	Domain           string  `json:"domain"`
	DomainName       string  `json:"domain_name"`
	Code             string  `json:"code"`
	Item             string  `json:"item"`
	Filed            int     `json:"filed"`
	Decisions        int     `json:"decisions"`
	Penalties        int     `json:"penalties"`
	Warnings         int     `json:"warnings"`
	NoPenalty        int     `json:"no_penalty"`
	FirstOffense     int     `json:"first_offense"`
	FirstWarning     int     `json:"first_violation_warning"`
	Fines            int     `json:"fines"`
	FineAmount       float64 `json:"fine_amount"`
	ConfiscatedGains float64 `json:"confiscated_gains"`
	Property         int     `json:"confiscated_property"`
	Licences         int     `json:"licences"`
	Hearings         int     `json:"hearings"`
	LegalReviews     int     `json:"legal_reviews"`
	Simplified       int     `json:"simplified"`
	Collected        float64 `json:"collected"`
}

// Statistics is the period's figures.
type Statistics struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Filed int    `json:"filed"`
	// FiledByStatus: the cases filed in the period, by their status now.
	FiledByStatus []StatCount `json:"filed_by_status"`
	Decisions     int         `json:"decisions"`
	ByOutcome     []StatCount `json:"by_outcome"`
	ByGround      []StatCount `json:"by_ground"`
	ByItem        []StatCount `json:"by_item"`
	ByOfficer     []StatCount `json:"by_officer"`
	ByProcedure   []StatCount `json:"by_procedure"`
	// FirstOffense and FirstViolationWarning: how often 首违不罚 and 首违警告
	// were applied (decisions on those grounds, outcome as the law gave it);
	// FirstOffenseOverridden: eligible, but penalised with a reason.
	FirstOffense           int     `json:"first_offense"`
	FirstViolationWarning  int     `json:"first_violation_warning"`
	FirstOffenseOverridden int     `json:"first_offense_overridden"`
	HearingsRequested      int     `json:"hearings_requested"`
	HearingsHeld           int     `json:"hearings_held"`
	LegalReviews           int     `json:"legal_reviews"`
	FinesImposed           float64 `json:"fines_imposed"`
	FinesCollected         float64 `json:"fines_collected"`
	Payments               int     `json:"payments"`
	ConfiscatedGains       float64 `json:"confiscated_gains"`
	ConfiscatedProperty    int     `json:"confiscated_property"`
	// Annual is the annual table's rows, by domain and item, and its total.
	Annual      []AnnualRow `json:"annual"`
	AnnualTotal AnnualRow   `json:"annual_total"`
}

// MaxStatisticsDays bounds a period (about five years).
const MaxStatisticsDays = 5*366 + 1

func checkPeriod(from, to string) error {
	f := errs.Fields{}
	if !rules.ValidDate(from) {
		f.Add("from", "起始日期应为YYYY-MM-DD")
	}
	if !rules.ValidDate(to) {
		f.Add("to", "截止日期应为YYYY-MM-DD")
	}
	if err := f.Err(); err != nil {
		return err
	}
	if to < from {
		f.Add("to", "截止日期不得早于起始日期")
	} else if rules.PeriodDays(from, to) > MaxStatisticsDays {
		f.Add("to", "统计期间最长五年")
	}
	return f.Err()
}

// counter accumulates a breakdown in first-seen order.
type counter struct {
	order []string
	m     map[string]*StatCount
}

func (c *counter) add(key, label string, fine float64) {
	if c.m == nil {
		c.m = map[string]*StatCount{}
	}
	x := c.m[key]
	if x == nil {
		x = &StatCount{Key: key, Label: label}
		c.m[key] = x
		c.order = append(c.order, key)
	}
	x.Count++
	x.Fine += fine
}

// list is the breakdown in the order of keys (those first, in order),
// then by count.
func (c *counter) list(keys ...string) []StatCount {
	out := make([]StatCount, 0, len(c.order))
	for _, k := range c.order {
		out = append(out, *c.m[k])
	}
	rank := func(k string) int {
		if i := slices.Index(keys, k); i >= 0 {
			return i
		}
		return len(keys)
	}
	slices.SortStableFunc(out, func(a, b StatCount) int {
		if d := rank(a.Key) - rank(b.Key); d != 0 {
			return d
		}
		return b.Count - a.Count
	})
	return out
}

// Statistics answers the figures of the period from-to (China dates,
// both included) in the actor's scope.
func (s *Service) Statistics(ctx context.Context, a Actor, from, to string) (*Statistics, error) {
	if err := checkPeriod(from, to); err != nil {
		return nil, err
	}
	q := models.StatisticsQuery{Scope: a.Scope, From: from, To: to}
	st := &Statistics{From: from, To: to}
	filed, err := s.store.FiledCounts(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, status := range rules.CaseStatusOrder {
		if n := filed[status]; n > 0 {
			st.FiledByStatus = append(st.FiledByStatus, StatCount{Key: status, Label: rules.CaseStatusName(status), Count: int(n)})
			st.Filed += int(n)
		}
	}
	var outcome, ground, item, officer, procedure counter
	annual := map[string]*AnnualRow{}
	row := func(code, name, domain string) *AnnualRow {
		r := annual[code]
		if r == nil {
			r = &AnnualRow{Code: code, Item: name, Domain: domain, DomainName: rules.DomainName(domain)}
			annual[code] = r
		}
		if r.Item == "" {
			r.Item, r.Domain, r.DomainName = name, domain, rules.DomainName(domain)
		}
		return r
	}
	err = s.store.StatDecisions(ctx, q, func(d *models.StatDecision) error {
		st.Decisions++
		ev := d.Evaluation
		outcome.add(d.Outcome, rules.OutcomeName(d.Outcome), d.Fine)
		g := d.Ground
		if g == "" {
			g = rules.GroundNone
		}
		ground.add(g, groundLabel(g), d.Fine)
		itemLabel := d.ViolationCode
		if d.ItemName != "" {
			itemLabel = d.ItemName + "（" + d.ViolationCode + "）"
		}
		item.add(d.ViolationCode, itemLabel, d.Fine)
		for _, o := range d.Officers {
			officer.add(o, o, d.Fine)
		}
		simplified := d.Kind == rules.KindOnTheSpotDecision
		if simplified {
			procedure.add("simplified", "简易程序", d.Fine)
		} else {
			procedure.add("general", "普通程序", d.Fine)
		}
		r := row(d.ViolationCode, d.ItemName, d.Domain)
		r.Decisions++
		switch d.Outcome {
		case rules.OutcomePenalty:
			r.Penalties++
		case rules.OutcomeWarning:
			r.Warnings++
		case rules.OutcomeNoPenalty:
			r.NoPenalty++
		}
		switch {
		case d.Ground == rules.GroundFirstOffense && d.Outcome == rules.OutcomeNoPenalty:
			st.FirstOffense++
			r.FirstOffense++
		case d.Ground == rules.GroundFirstOffense:
			st.FirstOffenseOverridden++
		case d.Ground == rules.GroundFirstViolationWarning:
			st.FirstViolationWarning++
			r.FirstWarning++
		}
		if simplified {
			r.Simplified++
		}
		if d.HearingRequested {
			st.HearingsRequested++
		}
		if d.HearingHeld {
			st.HearingsHeld++
			r.Hearings++
		}
		if d.LegalReviewDate != "" {
			st.LegalReviews++
			r.LegalReviews++
		}
		if d.Fine > 0 {
			st.FinesImposed += d.Fine
			r.Fines++
			r.FineAmount += d.Fine
		}
		property := false
		for _, p := range ev.Penalties {
			switch p.Type {
			case rules.ImposeConfiscateGains:
				st.ConfiscatedGains += p.Amount
				r.ConfiscatedGains += p.Amount
			case rules.ImposeConfiscateProperty:
				property = true
			case rules.ImposeSuspendLicence, rules.ImposeRevokeLicence:
				r.Licences++
			}
		}
		if property {
			st.ConfiscatedProperty++
			r.Property++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	collected, err := s.store.CollectedByItem(ctx, q)
	if err != nil {
		return nil, err
	}
	items, err := s.store.ListAllItems(ctx)
	if err != nil {
		return nil, err
	}
	byCode := map[string]models.CatalogItem{}
	for _, it := range items {
		byCode[it.Code] = it
	}
	for _, c := range collected {
		it := byCode[c.ViolationCode]
		r := row(c.ViolationCode, it.Name, it.Domain)
		r.Collected += c.Amount
		st.FinesCollected += c.Amount
		st.Payments += int(c.Payments)
	}
	filedByItem, err := s.store.FiledByItem(ctx, q)
	if err != nil {
		return nil, err
	}
	for code, n := range filedByItem {
		it := byCode[code]
		row(code, it.Name, it.Domain).Filed += int(n)
	}
	st.ByOutcome = outcome.list(rules.OutcomePenalty, rules.OutcomeWarning, rules.OutcomeNoPenalty)
	st.ByGround = ground.list(rules.GroundNone, rules.GroundFirstOffense, rules.GroundFirstViolationWarning, rules.GroundMinorCorrected)
	st.ByItem = item.list()
	st.ByOfficer = officer.list()
	st.ByProcedure = procedure.list("general", "simplified")
	for _, r := range annual {
		st.Annual = append(st.Annual, *r)
	}
	slices.SortFunc(st.Annual, func(a, b AnnualRow) int {
		if c := strings.Compare(a.Domain, b.Domain); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	t := &st.AnnualTotal
	t.Item = "合计"
	for _, r := range st.Annual {
		t.Filed += r.Filed
		t.Decisions += r.Decisions
		t.Penalties += r.Penalties
		t.Warnings += r.Warnings
		t.NoPenalty += r.NoPenalty
		t.FirstOffense += r.FirstOffense
		t.FirstWarning += r.FirstWarning
		t.Fines += r.Fines
		t.FineAmount += r.FineAmount
		t.ConfiscatedGains += r.ConfiscatedGains
		t.Property += r.Property
		t.Licences += r.Licences
		t.Hearings += r.Hearings
		t.LegalReviews += r.LegalReviews
		t.Simplified += r.Simplified
		t.Collected += r.Collected
	}
	return st, nil
}

// groundLabel is a ground's short name; "none" is 一般处罚情形.
func groundLabel(g string) string {
	if g == rules.GroundNone {
		return "无不予处罚情形（依法处罚）"
	}
	return rules.GroundName(g)
}

// AnnualColumns are the annual table's columns.
var AnnualColumns = []string{"执法领域", "事项编码", "违法行为（事项）", "立案数", "决定数", "给予处罚", "警告", "不予处罚", "其中首违不罚",
	"首违警告", "罚款（件）", "罚款金额（元）", "没收违法所得（元）", "没收非法财物（件）", "暂扣、吊销证照（件）", "听证（件）", "法制审核（件）", "简易程序（件）", "罚没款入库（元）"}

func annualCells(r AnnualRow) []any {
	return []any{r.DomainName, r.Code, r.Item, r.Filed, r.Decisions, r.Penalties, r.Warnings, r.NoPenalty, r.FirstOffense, r.FirstWarning,
		r.Fines, r.FineAmount, r.ConfiscatedGains, r.Property, r.Licences, r.Hearings, r.LegalReviews, r.Simplified, r.Collected}
}

// ExportStatistics writes the period's figures as an XLSX workbook: the
// annual table (行政处罚统计年报) by domain and item with its total, and
// the breakdowns; and audits it.
func (s *Service) ExportStatistics(ctx context.Context, a Actor, from, to string, w io.Writer) error {
	st, err := s.Statistics(ctx, a, from, to)
	if err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	const annualSheet, summarySheet = "行政处罚统计年报", "分类统计"
	if err := x.SetSheetName("Sheet1", annualSheet); err != nil {
		return errs.Wrap(err, "statistics sheet")
	}
	table := [][]any{anyRow(AnnualColumns)}
	for _, r := range st.Annual {
		table = append(table, annualCells(r))
	}
	table = append(table, annualCells(st.AnnualTotal))
	widths := []float64{14, 14, 36}
	for range AnnualColumns[3:] {
		widths = append(widths, 12)
	}
	if err := writeSheet(x, annualSheet, table, widths); err != nil {
		return err
	}
	if _, err := x.NewSheet(summarySheet); err != nil {
		return errs.Wrap(err, "statistics sheet")
	}
	sum := [][]any{{"分类", "项目", "件数", "罚款金额（元）"}}
	add := func(group string, cs []StatCount) {
		for _, c := range cs {
			sum = append(sum, []any{group, c.Label, c.Count, c.Fine})
		}
	}
	sum = append(sum, []any{"统计期间", st.From + " 至 " + st.To, "", ""})
	add("立案（按现在状态）", st.FiledByStatus)
	add("决定（按处理结果）", st.ByOutcome)
	add("决定（按依据情形）", st.ByGround)
	add("决定（按程序）", st.ByProcedure)
	add("决定（按违法行为）", st.ByItem)
	add("决定（按承办人）", st.ByOfficer)
	for _, kv := range []struct {
		label string
		n     any
	}{{"首违不罚", st.FirstOffense}, {"首违警告", st.FirstViolationWarning}, {"符合首违不罚条件而处罚", st.FirstOffenseOverridden},
		{"要求听证", st.HearingsRequested}, {"举行听证", st.HearingsHeld}, {"法制审核", st.LegalReviews},
		{"罚款金额（元）", st.FinesImposed}, {"缴款金额（元）", st.FinesCollected}, {"缴款笔数", st.Payments},
		{"没收违法所得（元）", st.ConfiscatedGains}, {"没收非法财物（件）", st.ConfiscatedProperty}} {
		sum = append(sum, []any{"合计", kv.label, kv.n, ""})
	}
	if err := writeSheet(x, summarySheet, sum, []float64{20, 40, 12, 16}); err != nil {
		return err
	}
	if err := s.store.Audit(ctx, a.record(), "export_statistics", "case", 0, fmt.Sprintf("from=%s to=%s decisions=%d", from, to, st.Decisions)); err != nil {
		return err
	}
	if err := x.Write(w); err != nil {
		return errs.Wrap(err, "write statistics")
	}
	return nil
}
