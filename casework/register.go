package casework

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
)

// MaxExportRows bounds one export of the case register; a larger selection
// is refused with a message asking for narrower filters. A variable so
// that tests can lower it.
var MaxExportRows = 100_000

// RegisterColumns are the case register's columns, as offices report them.
var RegisterColumns = []string{"立案编号", "当事人", "统一社会信用代码/身份证号", "违法行为（事项）", "处理结果", "依据/理由",
	"处罚种类与内容", "罚款金额（元）", "没收金额（元）", "立案日期", "决定日期", "送达日期", "承办人"}

var registerWidths = []float64{26, 24, 22, 36, 24, 48, 40, 14, 14, 12, 12, 12, 14}

// ExportCases writes the case register of the cases q selects (its page
// ignored), in filing order, as an XLSX workbook to w, and audits it. The
// rows stream through excelize's StreamWriter (kept on disk past its
// buffer) and are read from the database in chunks, so the register's
// length costs no memory; w is written only once every row is in, so an
// error leaves it untouched. The party's id number or credit code is
// given in full: the register is the office's own record (docs/api.md).
// It answers the number of cases written.
func (s *Service) ExportCases(ctx context.Context, a Actor, q models.CaseQuery, w io.Writer) (int, error) {
	if err := checkCaseQuery(&q, a); err != nil {
		return 0, err
	}
	total, err := s.store.CountCases(ctx, q)
	if err != nil {
		return 0, err
	}
	if total > int64(MaxExportRows) {
		return 0, errs.E(errs.Invalid, "符合条件的案件共%d件，超过一次导出的上限%d件，请缩小筛选范围（例如按立案日期分段导出）", total, MaxExportRows)
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "案件登记"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return 0, errs.Wrap(err, "register sheet")
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return 0, errs.Wrap(err, "register stream")
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return 0, errs.Wrap(err, "register style")
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return 0, errs.Wrap(err, "register style")
	}
	for i, wd := range registerWidths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return 0, errs.Wrap(err, "register width")
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return 0, errs.Wrap(err, "register panes")
	}
	head := make([]any, len(RegisterColumns))
	for i, c := range RegisterColumns {
		head[i] = excelize.Cell{StyleID: bold, Value: c}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return 0, errs.Wrap(err, "register head")
	}
	n := 0
	err = s.store.CaseRegister(ctx, q, func(r *models.RegisterRow) error {
		if n == MaxExportRows { // filed since the count
			return errs.E(errs.Invalid, "符合条件的案件超过一次导出的上限%d件，请缩小筛选范围（例如按立案日期分段导出）", MaxExportRows)
		}
		n++
		row := registerRow(r)
		row[7] = excelize.Cell{StyleID: money, Value: row[7]}
		row[8] = excelize.Cell{StyleID: money, Value: row[8]}
		cell, _ := excelize.CoordinatesToCellName(1, n+1)
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return 0, err
	}
	if err := sw.Flush(); err != nil {
		return 0, errs.Wrap(err, "register flush")
	}
	if err := s.store.Audit(ctx, a.record(), "export_cases", "case", 0, fmt.Sprintf("rows=%d %s", n, describeQuery(q))); err != nil {
		return 0, err
	}
	if err := f.Write(w); err != nil {
		return 0, errs.Wrap(err, "write register")
	}
	return n, nil
}

// registerRow is one case as the register's columns give it.
func registerRow(r *models.RegisterRow) []any {
	c := &r.Case
	ev := c.Evaluation
	result := rules.OutcomeName(c.Outcome)
	if r.DecisionNumber != "" {
		result += "（" + r.DecisionNumber + "）"
	} else if r.DecisionKind == "" {
		result = "拟" + result + "（尚未决定）"
	}
	var ground []string
	if c.Ground != "" && c.Ground != rules.GroundNone {
		ground = append(ground, rules.GroundName(c.Ground))
	}
	if len(ev.Articles) > 0 {
		ground = append(ground, strings.Join(ev.Articles, "、"))
	}
	var pens []string
	var fine, confiscated float64
	for _, p := range ev.Penalties {
		pens = append(pens, render.PenaltyText(p))
		switch p.Type {
		case rules.ImposeFine:
			fine += p.Amount
		case rules.ImposeConfiscateGains, rules.ImposeConfiscateProperty:
			confiscated += p.Amount
		}
	}
	item := c.ViolationCode
	if r.ItemName != "" {
		item = r.ItemName + "（" + c.ViolationCode + "）"
	}
	return []any{CaseNumber(c), c.PartyName, c.PartyKey, item, result, strings.Join(ground, "；"), strings.Join(pens, "；"),
		fine, confiscated, c.DiscoveredDate, r.DecisionDate, r.ServedDate, strings.Join(r.Officers, "、")}
}

// describeQuery is q's filters for the audit log.
func describeQuery(q models.CaseQuery) string {
	var b []string
	for _, kv := range [][2]string{{"q", q.Q}, {"status", q.Status}, {"item", q.ViolationCode}, {"from", q.From}, {"to", q.To},
		{"decided_from", q.DecidedFrom}, {"decided_to", q.DecidedTo}} {
		if kv[1] != "" {
			b = append(b, kv[0]+"="+kv[1])
		}
	}
	if q.Mine != 0 {
		b = append(b, fmt.Sprintf("mine=%d", q.Mine))
	}
	return strings.Join(b, " ")
}
