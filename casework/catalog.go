package casework

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

// Catalog is the active catalogue, by code.
func (s *Service) Catalog(ctx context.Context, _ Actor) ([]models.CatalogItem, error) {
	return s.store.ListItems(ctx)
}

// CreateItem adds one catalogue item.
func (s *Service) CreateItem(ctx context.Context, a Actor, it rules.Item) (*models.CatalogItem, error) {
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
// for every other item field), checks every row and stores the items: all
// or none, audited.
func (s *Service) ImportCatalog(ctx context.Context, a Actor, name string, data []byte, opts ImportOptions) (*Imported, error) {
	var rows [][]string
	var err error
	if strings.EqualFold(filepath.Ext(name), ".xlsx") || bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		rows, err = readXLSX(data)
	} else {
		rows, err = readCSV(data)
	}
	if err != nil {
		return nil, err
	}
	items, err := parseCatalogRows(rows, opts)
	if err != nil {
		return nil, err
	}
	created, updated, err := s.store.UpsertItems(ctx, items)
	if err != nil {
		return nil, err
	}
	_ = s.store.Audit(ctx, a.record(), "import_catalog", "catalog_item", 0, fmt.Sprintf("%s: %d created, %d updated", name, created, updated))
	return &Imported{Created: created, Updated: updated, Total: len(items)}, nil
}

func readCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) { // Excel's plain "CSV" is GBK; MySQL would refuse the bytes
		return nil, errs.E(errs.Invalid, "CSV文件不是UTF-8编码：请在Excel中另存为“CSV UTF-8（逗号分隔）”或XLSX后再导入")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	rows, err := r.ReadAll()
	if err != nil {
		return nil, errs.E(errs.Invalid, "CSV文件格式有误：%v", err)
	}
	return rows, nil
}

func readXLSX(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, errs.E(errs.Invalid, "无法读取XLSX文件，请确认文件未损坏")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errs.E(errs.Invalid, "XLSX文件没有工作表")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, errs.E(errs.Invalid, "无法读取XLSX工作表")
	}
	return rows, nil
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

func parseCatalogRows(rows [][]string, opt ImportOptions) ([]models.CatalogItem, error) {
	// The header is the first row naming 违法行为 (lists often have a title row above it).
	header := -1
	cols := map[string]int{}
	for i, row := range rows {
		m := map[string]int{}
		for j, cell := range row {
			if f, ok := importColumns[strings.TrimSpace(cell)]; ok {
				m[f] = j
			}
		}
		if _, ok := m["name"]; ok {
			header, cols = i, m
			break
		}
		if i > 10 {
			break
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
	f := errs.Fields{}
	var items []models.CatalogItem
	seen := map[string]int{}
	for i := header + 1; i < len(rows); i++ {
		row := rows[i]
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
				f.Add(prefix+"code", fmt.Sprintf("第%d行：没有事项编码，序号也不是数字", line))
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
					f.Add(prefix+field, fmt.Sprintf("第%d行：%s不是数字", line, v))
				}
				*dst = n
			}
		}
		integer := func(field string, dst *int) {
			if v := cell(field); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					f.Add(prefix+field, fmt.Sprintf("第%d行：%s不是整数", line, v))
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
				f.Add(prefix+field, fmt.Sprintf("第%d行：%s应填“是”或“否”", line, v))
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
					f.Add(prefix+k, fmt.Sprintf("第%d行：%s", line, v))
				}
			}
			continue
		}
		if prev, dup := seen[it.Code]; dup {
			f.Add(prefix+"code", fmt.Sprintf("第%d行：事项编码%s与第%d行重复", line, it.Code, prev))
			continue
		}
		seen[it.Code] = line
		items = append(items, models.ItemFromRule(it))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, errs.E(errs.Invalid, "文件中没有可导入的事项")
	}
	return items, nil
}
