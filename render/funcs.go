package render

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"text/template"
)

// baseFuncs are the functions a template may call (documented in
// docs/templates.md). Functions that need the execution's state (_tick,
// the working-day functions) are placeholders here and bound per execution
// by execFuncs.
func baseFuncs() template.FuncMap {
	return template.FuncMap{
		"capital":     fnCapital,
		"rmb":         fnRMB,
		"fine":        fnFine,
		"money":       fnMoney,
		"date":        DateArabic,
		"dateCN":      DateChinese,
		"addDays":     fnAddDays,
		"addMonths":   fnAddMonths,
		"addWorkdays": func(string, any) (string, error) { return "", nil },
		"nextWorkday": func(string) (string, error) { return "", nil },
		"maskID":      MaskID,
		"maskName":    MaskName,
		"articles":    fnArticles,
		"join":        fnJoin,
		"cnNum":       fnCNNum,
		"add":         fnAdd,
		"trim":        strings.TrimSpace,
		"trimSuffix":  func(suffix, s string) string { return strings.TrimSuffix(s, suffix) },
		"contains":    fnContains,
		"label":       Label,
		"_tick":       func() (string, error) { return "", nil },
		// builtins replaced with bounded or disabled versions
		"printf": fnPrintf,
		"call":   func(...any) (string, error) { return "", errors.New("模板中不能使用 call") },
	}
}

func toFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case uint:
		return float64(x), nil
	case string:
		f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(x), ",", ""), 64)
		if err != nil {
			return 0, fmt.Errorf("“%s”不是金额", x)
		}
		return f, nil
	}
	return 0, fmt.Errorf("%v 不是数字", v)
}

func toInt(v any) (int, error) {
	switch x := v.(type) {
	case int:
		return x, nil
	case int64:
		return int(x), nil
	case uint:
		return int(x), nil
	case float64:
		if x == float64(int(x)) {
			return int(x), nil
		}
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(x))
		if err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("%v 不是整数", v)
}

func fnCapital(v any) (string, error) {
	f, err := toFloat(v)
	if err != nil {
		return "", err
	}
	return Capital(f)
}

func fnRMB(v any) (string, error) {
	f, err := toFloat(v)
	if err != nil {
		return "", err
	}
	return RMB(f)
}

func fnFine(v any) (string, error) {
	f, err := toFloat(v)
	if err != nil {
		return "", err
	}
	return FineText(f)
}

func fnMoney(v any) (string, error) {
	f, err := toFloat(v)
	if err != nil {
		return "", err
	}
	return Money(f), nil
}

func fnAddDays(date string, n any) (string, error) {
	k, err := toInt(n)
	if err != nil {
		return "", err
	}
	return AddDays(date, k)
}

func fnAddMonths(date string, n any) (string, error) {
	k, err := toInt(n)
	if err != nil {
		return "", err
	}
	return AddMonths(date, k)
}

const maxInt = 100000 // the largest number add gives: loops stay small

func fnAdd(a, b any) (int, error) {
	x, err := toInt(a)
	if err != nil {
		return 0, err
	}
	y, err := toInt(b)
	if err != nil {
		return 0, err
	}
	if s := x + y; s <= maxInt && s >= -maxInt {
		return s, nil
	}
	return 0, fmt.Errorf("结果超过 %d", maxInt)
}

func fnCNNum(n any) (string, error) {
	k, err := toInt(n)
	if err != nil {
		return "", err
	}
	return ChineseNumber(k), nil
}

// toStrings accepts []string or any slice of strings.
func toStrings(v any) ([]string, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []string:
		return x, nil
	case string:
		if x == "" {
			return nil, nil
		}
		return []string{x}, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, fmt.Errorf("%T 不是列表", v)
	}
	out := make([]string, rv.Len())
	for i := range out {
		out[i] = fmt.Sprint(rv.Index(i).Interface())
	}
	return out, nil
}

func fnArticles(v any) (string, error) {
	l, err := toStrings(v)
	if err != nil {
		return "", err
	}
	return Articles(l), nil
}

func fnJoin(v any, sep string) (string, error) {
	l, err := toStrings(v)
	if err != nil {
		return "", err
	}
	var keep []string
	for _, s := range l {
		if s = strings.TrimSpace(s); s != "" {
			keep = append(keep, s)
		}
	}
	return strings.Join(keep, sep), nil
}

func fnContains(list any, item string) (bool, error) {
	if s, ok := list.(string); ok {
		return strings.Contains(s, item), nil
	}
	l, err := toStrings(list)
	if err != nil {
		return false, err
	}
	for _, x := range l {
		if x == item {
			return true, nil
		}
	}
	return false, nil
}

var bigWidth = regexp.MustCompile(`%[-+# 0]*(\*|\d{3,}|\.\*|\.\d{3,}|\d*\.\d{3,}|\[)`)

// fnPrintf is fmt.Sprintf without huge widths or precisions.
func fnPrintf(format string, args ...any) (string, error) {
	if bigWidth.MatchString(format) {
		return "", errors.New("printf 的宽度或精度过大")
	}
	return fmt.Sprintf(format, args...), nil
}

var labels = map[string]string{
	// grounds
	"limitation":              "超过行政处罚追责时效",
	"under_age":               "不满十四周岁",
	"mental_incapacity":       "精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为",
	"no_fault":                "有证据足以证明没有主观过错",
	"minor_corrected":         "违法行为轻微并及时改正，没有造成危害后果",
	"first_offense":           "初次违法且危害后果轻微并及时改正",
	"first_violation_warning": "首次违法，未影响道路通行",
	// outcomes
	"penalty":    "行政处罚",
	"no_penalty": "不予行政处罚",
	"warning":    "警告",
	// penalty types
	"fine":         "罚款",
	"confiscation": "没收违法所得、没收非法财物",
	"suspension":   "暂扣许可证件、降低资质等级",
	"revocation":   "吊销许可证件",
	"detention":    "行政拘留",
	// mitigating grounds (APL Art. 32)
	"eliminated_harm":     "主动消除或者减轻违法行为危害后果",
	"coerced_or_deceived": "受他人胁迫或者诱骗实施违法行为",
	"confessed_unknown":   "主动供述行政机关尚未掌握的违法行为",
	"meritorious_service": "配合行政机关查处违法行为有立功表现",
	// harm
	"none":    "没有造成危害后果",
	"minor":   "危害后果轻微",
	"serious": "危害后果严重",
	// party kinds
	"person":       "自然人",
	"organization": "单位",
	// document kinds
	"penalty_decision":     "行政处罚决定书",
	"no_penalty_decision":  "不予行政处罚决定书",
	"on_the_spot_decision": "当场行政处罚决定书",
	"advance_notice":       "行政处罚事先告知书",
	"service_receipt":      "送达回证",
}

// Label gives the Chinese words for a code the rules package uses (a
// ground, outcome, penalty type, mitigating ground, harm level, party or
// document kind). An unknown code comes back unchanged.
func Label(code string) string {
	if l, ok := labels[code]; ok {
		return l
	}
	return code
}
