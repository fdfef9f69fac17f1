package casework

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
	"penaltydoc/rules/limits"
)

// Catalog is the active catalogue, by code.
func (s *Service) Catalog(ctx context.Context, _ Actor) ([]models.CatalogItem, error) {
	return s.store.ListItems(ctx)
}

// CatalogAll is the whole catalogue by code, retired items included.
func (s *Service) CatalogAll(ctx context.Context, _ Actor) ([]models.CatalogItem, error) {
	return s.store.ListAllItems(ctx)
}

// Item is one catalogue item, retired or not, for the deployment's admins
// who edit it.
func (s *Service) Item(ctx context.Context, a Actor, id uint) (*models.CatalogItem, error) {
	if err := a.deploymentOnly("违法行为目录"); err != nil {
		return nil, err
	}
	return s.store.ItemByID(ctx, id)
}

// UpdateItem replaces catalogue item id with it (the deployment's admins);
// its code cannot change, as cases name it.
func (s *Service) UpdateItem(ctx context.Context, a Actor, id uint, it rules.Item) (*models.CatalogItem, error) {
	if err := a.deploymentOnly("违法行为目录"); err != nil {
		return nil, err
	}
	old, err := s.store.ItemByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if it.Code == "" {
		it.Code = old.Code
	}
	if it.Code != old.Code {
		return nil, errs.Field("code", "事项编码不能修改（已有案件使用该编码）；如需新编码，请新增事项并停用本事项")
	}
	if err := rules.ValidateItem(&it); err != nil {
		return nil, err
	}
	row := models.ItemFromRule(it)
	if err := s.store.UpdateItem(ctx, a.record(), id, &row); err != nil {
		return nil, err
	}
	return s.store.ItemByID(ctx, id)
}

// SetItemActive retires (false) or reactivates (true) catalogue item id
// (the deployment's admins). A retired item stays for the cases that
// used it and is no longer offered for new cases.
func (s *Service) SetItemActive(ctx context.Context, a Actor, id uint, active bool) (*models.CatalogItem, error) {
	if err := a.deploymentOnly("违法行为目录"); err != nil {
		return nil, err
	}
	return s.store.SetItemActive(ctx, a.record(), id, active)
}

// CreateItem adds one catalogue item.
func (s *Service) CreateItem(ctx context.Context, a Actor, it rules.Item) (*models.CatalogItem, error) {
	if err := a.deploymentOnly("违法行为目录"); err != nil {
		return nil, err
	}
	if err := rules.ValidateItem(&it); err != nil {
		return nil, err
	}
	row := models.ItemFromRule(it)
	if err := s.store.CreateItem(ctx, &row); err != nil {
		return nil, err
	}
	_ = s.store.Audit(ctx, a.record(), "create_item", "catalog_item", row.ID, row.Code)
	return &row, nil
}

// Imported says what an import did.
type Imported struct {
	Created, Updated, Total int
}

// ImportCatalog reads an uploaded CSV or XLSX list in the layout published
// lists use (序号, 违法行为, 违反条款, 处罚依据, 适用条件, plus optional columns
// for every other item field) from r, checks every row and stores the
// items: all or none, audited. The file is read as a stream and refused
// past limits.MaxImportBytes or limits.MaxImportRows; an answer names at
// most limits.MaxImportErrors bad cells and counts the rest.
func (s *Service) ImportCatalog(ctx context.Context, a Actor, name string, r io.Reader, opts ImportOptions) (*Imported, error) {
	if err := a.deploymentOnly("违法行为目录"); err != nil {
		return nil, err
	}
	if msg := limits.ItemCode.Problem(opts.CodePrefix); msg != "" {
		return nil, errs.Field("code_prefix", "事项编码前缀："+msg)
	}
	br := bufio.NewReader(&capReader{r: r, left: limits.MaxImportBytes})
	var rows rowReader
	if head, _ := br.Peek(4); strings.EqualFold(filepath.Ext(name), ".xlsx") || bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		x, err := openXLSX(br)
		if err != nil {
			return nil, err
		}
		defer x.Close()
		rows = x
	} else {
		rows = openCSV(br)
	}
	items, err := parseCatalogRows(rows, opts)
	if err != nil {
		return nil, err
	}
	created, updated, err := s.store.UpsertItems(ctx, items)
	if err != nil {
		return nil, err
	}
	_ = s.store.Audit(ctx, a.record(), "import_catalog", "catalog_item", 0, fmt.Sprintf("%s: %d created, %d updated", fileLabel(name), created, updated))
	return &Imported{Created: created, Updated: updated, Total: len(items)}, nil
}

// fileLabel is an uploaded file's name as the audit log keeps it: the base
// name, printable, within limits.ImportFileName.
func fileLabel(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029 {
			return -1
		}
		return r
	}, strings.ToValidUTF8(filepath.Base(name), ""))
	if rs := []rune(name); len(rs) > limits.ImportFileName.Max {
		name = string(rs[:limits.ImportFileName.Max])
	}
	return name
}

// errTooBig is a file past limits.MaxImportBytes.
var errTooBig = errs.Field("file", fmt.Sprintf("文件超过%d MB上限，请分批导入", limits.MaxImportBytes>>20))

// capReader reads at most left bytes of r and fails with errTooBig past
// them.
type capReader struct {
	r    io.Reader
	left int
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, errTooBig
	}
	if len(p) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	if c.left -= n; c.left < 0 {
		return 0, errTooBig
	}
	return n, err
}

// rowReader gives the rows of a list one at a time, io.EOF at the end.
type rowReader interface {
	Next() ([]string, error)
}

type csvRows struct{ r *csv.Reader }

func openCSV(br *bufio.Reader) csvRows {
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.ReuseRecord = true
	return csvRows{r}
}

func (c csvRows) Next() ([]string, error) {
	row, err := c.r.Read()
	switch {
	case err == nil, err == io.EOF:
		return row, err
	case errors.Is(err, errTooBig):
		return nil, errTooBig
	}
	return nil, errs.E(errs.Invalid, "CSV文件格式有误：%v", err)
}

type xlsxRows struct {
	f    *excelize.File
	rows *excelize.Rows
}

// openXLSX opens a workbook (read whole: a zip needs random access, within
// the byte cap) and iterates over its first sheet. Unzipped sizes are
// capped too, against zip bombs.
func openXLSX(r io.Reader) (*xlsxRows, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		if errors.Is(err, errTooBig) {
			return nil, errTooBig
		}
		return nil, errs.Wrap(err, "read upload")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 20 * limits.MaxImportBytes, UnzipXMLSizeLimit: 4 * limits.MaxImportBytes})
	if err != nil {
		return nil, errs.E(errs.Invalid, "无法读取XLSX文件，请确认文件未损坏")
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errs.E(errs.Invalid, "XLSX文件没有工作表")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, errs.E(errs.Invalid, "无法读取XLSX工作表")
	}
	return &xlsxRows{f: f, rows: rows}, nil
}

func (x *xlsxRows) Next() ([]string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, errs.E(errs.Invalid, "无法读取XLSX工作表")
		}
		return nil, io.EOF
	}
	row, err := x.rows.Columns()
	if err != nil {
		return nil, errs.E(errs.Invalid, "无法读取XLSX工作表")
	}
	return row, nil
}

func (x *xlsxRows) Close() {
	x.rows.Close()
	x.f.Close()
}

// ImportOptions say what an imported list is: the code prefix of items
// without a code (prefix-序号), the domain of items without one, and which
// list it is.
type ImportOptions struct {
	CodePrefix string
	Domain     string
	ListType   string // first_offense, minor, warning or none
}

// importColumns maps header names (as published lists and our own export
// write them) to item fields.
var importColumns = map[string]string{
	"序号": "seq", "编号": "seq",
	"事项编码": "code", "编码": "code", "code": "code",
	"违法行为": "name", "违法行为名称": "name", "事项名称": "name", "name": "name",
	"违反条款": "violated_provision", "违法依据": "violated_provision", "violated_provision": "violated_provision",
	"处罚依据": "penalty_provision", "penalty_provision": "penalty_provision",
	"适用条件": "conditions", "conditions": "conditions",
	"领域": "domain", "domain": "domain",
	"处罚种类": "penalty_types", "penalty_types": "penalty_types",
	"罚款下限": "fine_min", "fine_min": "fine_min",
	"罚款上限": "fine_max", "fine_max": "fine_max",
	"首违不罚": "first_offense_eligible", "first_offense_eligible": "first_offense_eligible",
	"首违回溯月数": "first_offense_lookback_months", "first_offense_lookback_months": "first_offense_lookback_months",
	"首违警告": "warning_eligible", "warning_eligible": "warning_eligible",
	"警告回溯月数": "warning_lookback_months", "warning_lookback_months": "warning_lookback_months",
	"追责时效月数": "limitation_months", "limitation_months": "limitation_months",
	"涉及安全": "safety_related", "safety_related": "safety_related",
	"排除无过错": "no_fault_excluded", "no_fault_excluded": "no_fault_excluded",
}

var penaltyTypeNames = map[string]string{
	"警告": rules.PenaltyWarning, "罚款": rules.PenaltyFine, "没收": rules.PenaltyConfiscation, "没收违法所得": rules.PenaltyConfiscation,
	"暂扣": rules.PenaltySuspension, "责令停产停业": rules.PenaltySuspension, "吊销": rules.PenaltyRevocation, "拘留": rules.PenaltyDetention,
}

// importErrors collects an import's bad cells: the first
// limits.MaxImportErrors with their messages, the rest counted.
type importErrors struct {
	fe   errs.Fields
	more int
}

func (e *importErrors) add(field, msg string) {
	if _, dup := e.fe[field]; dup {
		return
	}
	if len(e.fe) < limits.MaxImportErrors {
		e.fe[field] = msg
	} else {
		e.more++
	}
}

func (e *importErrors) err() error {
	if len(e.fe) == 0 {
		return nil
	}
	err := &errs.Error{Code: errs.Invalid, Message: "提交的内容有误，请按提示修改", Fields: e.fe}
	if e.more > 0 {
		err.Message = fmt.Sprintf("文件中有%d处错误，以下列出前%d处…及其他%d处错误", len(e.fe)+e.more, len(e.fe), e.more)
		err.Fields["rows"] = fmt.Sprintf("…及其他%d处错误", e.more)
	}
	return err
}

func parseCatalogRows(rows rowReader, opt ImportOptions) ([]models.CatalogItem, error) {
	// The header is the first row naming 违法行为 (lists often have a title row above it).
	header := -1
	cols := map[string]int{}
	for i := 0; header < 0 && i <= 11; i++ {
		row, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		m := map[string]int{}
		for j, cell := range row {
			if f, ok := importColumns[strings.TrimSpace(cell)]; ok {
				m[f] = j
			}
		}
		if _, ok := m["name"]; ok {
			header, cols = i, m
		}
	}
	if header < 0 {
		return nil, errs.E(errs.Invalid, "未找到表头：应包含“违法行为”“违反条款”“处罚依据”等列")
	}
	for _, need := range []string{"violated_provision", "penalty_provision"} {
		if _, ok := cols[need]; !ok {
			return nil, errs.E(errs.Invalid, "表头缺少“违反条款”或“处罚依据”列")
		}
	}
	f := &importErrors{fe: errs.Fields{}}
	var items []models.CatalogItem
	seen := map[string]int{}
	for i := header + 1; ; i++ {
		row, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if i-header > limits.MaxImportRows {
			return nil, errs.Field("file", fmt.Sprintf("文件超过%d行上限，请分批导入", limits.MaxImportRows))
		}
		cell := func(field string) string {
			j, ok := cols[field]
			if !ok || j >= len(row) {
				return ""
			}
			return strings.TrimSpace(row[j])
		}
		if strings.Join(row, "") == "" {
			continue
		}
		line := i + 1
		prefix := fmt.Sprintf("rows[%d].", line)
		it := rules.Item{
			Code: cell("code"), Name: cell("name"), Domain: cell("domain"),
			ViolatedProvision: cell("violated_provision"), PenaltyProvision: cell("penalty_provision"),
			Conditions: cell("conditions"),
		}
		if it.Code == "" {
			seq := cell("seq")
			if _, err := strconv.Atoi(seq); err != nil {
				f.add(prefix+"code", fmt.Sprintf("第%d行：没有事项编码，序号也不是数字", line))
				continue
			}
			it.Code = fmt.Sprintf("%s-%03s", opt.CodePrefix, seq)
		}
		if it.Domain == "" {
			it.Domain = opt.Domain
		}
		switch opt.ListType {
		case "first_offense":
			it.FirstOffenseEligible = true
		case "warning":
			it.WarningEligible = true
		}
		if v := cell("penalty_types"); v != "" {
			for _, p := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(",，、;； ", r) }) {
				if code, ok := penaltyTypeNames[p]; ok {
					p = code
				}
				it.PenaltyTypes = append(it.PenaltyTypes, p)
			}
		}
		num := func(field string, dst *float64) {
			if v := cell(field); v != "" {
				n, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
				if err != nil {
					f.add(prefix+field, fmt.Sprintf("第%d行：%s不是数字", line, v))
				}
				*dst = n
			}
		}
		integer := func(field string, dst *int) {
			if v := cell(field); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					f.add(prefix+field, fmt.Sprintf("第%d行：%s不是整数", line, v))
				}
				*dst = n
			}
		}
		flag := func(field string, dst *bool) {
			switch v := cell(field); v {
			case "":
			case "是", "Y", "y", "true", "TRUE", "1", "√":
				*dst = true
			case "否", "N", "n", "false", "FALSE", "0":
				*dst = false
			default:
				f.add(prefix+field, fmt.Sprintf("第%d行：%s应填“是”或“否”", line, v))
			}
		}
		num("fine_min", &it.FineMin)
		num("fine_max", &it.FineMax)
		integer("first_offense_lookback_months", &it.FirstOffenseLookbackMonths)
		integer("warning_lookback_months", &it.WarningLookbackMonths)
		integer("limitation_months", &it.LimitationMonths)
		flag("first_offense_eligible", &it.FirstOffenseEligible)
		flag("warning_eligible", &it.WarningEligible)
		flag("safety_related", &it.SafetyRelated)
		flag("no_fault_excluded", &it.NoFaultExcluded)
		if len(it.PenaltyTypes) == 0 {
			it.PenaltyTypes = []string{rules.PenaltyWarning, rules.PenaltyFine}
		}
		if it.WarningEligible && !slices.Contains(it.PenaltyTypes, rules.PenaltyWarning) {
			it.PenaltyTypes = append(it.PenaltyTypes, rules.PenaltyWarning)
		}
		if err := rules.ValidateItem(&it); err != nil {
			if e, ok := err.(*errs.Error); ok {
				for k, v := range e.Fields {
					f.add(prefix+k, fmt.Sprintf("第%d行：%s", line, v))
				}
			}
			continue
		}
		if prev, dup := seen[it.Code]; dup {
			f.add(prefix+"code", fmt.Sprintf("第%d行：事项编码%s与第%d行重复", line, it.Code, prev))
			continue
		}
		seen[it.Code] = line
		if len(f.fe) == 0 { // after a bad row nothing is stored: keep no more
			items = append(items, models.ItemFromRule(it))
		}
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, errs.E(errs.Invalid, "文件中没有可导入的事项")
	}
	return items, nil
}
