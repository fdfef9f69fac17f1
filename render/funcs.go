package render

import (
	"errors"
	"fmt"
	"penaltydoc/rules"
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
		// builtins replaced with bounded or disabled versions (each call is
		// guarded at execution: counted, timed, its text charged)
		"printf":   fnPrintf,
		"print":    fmt.Sprint,
		"println":  fmt.Sprintln,
		"html":     template.HTMLEscaper,
		"js":       template.JSEscaper,
		"urlquery": template.URLQueryEscaper,
		"call":     func(...any) (string, error) { return "", errors.New("模板中不能使用 call") },
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

// Label gives the Chinese words for a code the rules package uses (a
// ground, outcome, penalty type, mitigating ground, harm level, party or
// document kind): rules.Label. An unknown code comes back unchanged.
func Label(code string) string { return rules.Label(code) }
