package render

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"penaltydoc/rules"
)

// Chinese formatting helpers. Each is a template function as well (see
// funcs.go and docs/templates.md); they are exported for the server's own
// pages.

const dateLayout = "2006-01-02"

var (
	capitalDigits = []string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}
	capitalUnits  = []string{"", "拾", "佰", "仟"}
	capitalGroups = []string{"", "万", "亿", "万亿"}
	lowerDigits   = []string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
)

// maxAmount is the largest amount Capital accepts (just under 一万亿 yuan).
const maxAmount = 999_999_999_999.99

// Capital writes an amount of yuan in capital figures, as on a fine or a
// cheque: 12000 → 壹万贰仟元整, 16409.02 → 壹万陆仟肆佰零玖元零贰分,
// 0.5 → 伍角整. A ten at the head of a number is written 壹拾 (bank
// practice). The amount is rounded to the fen.
func Capital(amount float64) (string, error) {
	if math.IsNaN(amount) || amount < 0 || amount > maxAmount {
		return "", fmt.Errorf("金额 %v 超出可以大写的范围", amount)
	}
	fen := int64(math.Round(amount * 100))
	yuan, jiao, f := fen/100, fen/10%10, fen%10
	var b strings.Builder
	if yuan > 0 {
		writeCapitalInt(&b, yuan)
		b.WriteString("元")
	}
	switch {
	case jiao == 0 && f == 0:
		if yuan == 0 {
			b.WriteString("零元")
		}
		b.WriteString("整")
	case f == 0:
		b.WriteString(capitalDigits[jiao])
		b.WriteString("角整")
	default:
		if jiao > 0 {
			b.WriteString(capitalDigits[jiao])
			b.WriteString("角")
		} else if yuan > 0 {
			b.WriteString("零")
		}
		b.WriteString(capitalDigits[f])
		b.WriteString("分")
	}
	return b.String(), nil
}

// writeCapitalInt writes n > 0 in capital figures. A 零 stands for any run
// of zeros between two non-zero digits, except zeros that end a 万 or 亿
// group (1,001,000 → 壹佰万壹仟).
func writeCapitalInt(b *strings.Builder, n int64) {
	var groups []int64 // least significant first
	for ; n > 0; n /= 10000 {
		groups = append(groups, n%10000)
	}
	started, owed := false, false
	for k := len(groups) - 1; k >= 0; k-- {
		g := groups[k]
		if g == 0 {
			owed = started
			continue
		}
		if started && (owed || g < 1000) {
			b.WriteString("零")
		}
		owed = false
		zero := false
		written := false
		for pos, div := 3, int64(1000); pos >= 0; pos, div = pos-1, div/10 {
			d := g / div % 10
			if d == 0 {
				zero = written
				continue
			}
			if zero {
				b.WriteString("零")
				zero = false
			}
			b.WriteString(capitalDigits[d])
			b.WriteString(capitalUnits[pos])
			written = true
		}
		b.WriteString(capitalGroups[k])
		started = true
	}
}

// Money writes an amount as ¥12,000.00.
func Money(amount float64) string {
	neg := amount < 0
	fen := int64(math.Round(math.Abs(amount) * 100))
	s := groupThousands(strconv.FormatInt(fen/100, 10)) + fmt.Sprintf(".%02d", fen%100)
	if neg {
		return "-¥" + s
	}
	return "¥" + s
}

func groupThousands(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	head := len(s) % 3
	if head > 0 {
		b.WriteString(s[:head])
	}
	for i := head; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// FineText writes a fine as the decision states it:
// 罚款人民币壹万贰仟元整（¥12,000.00）.
func FineText(amount float64) (string, error) {
	s, err := RMB(amount)
	if err != nil {
		return "", err
	}
	return "罚款" + s, nil
}

// RMB writes an amount as 人民币壹万贰仟元整（¥12,000.00）.
func RMB(amount float64) (string, error) {
	c, err := Capital(amount)
	if err != nil {
		return "", err
	}
	return "人民币" + c + "（" + Money(amount) + "）", nil
}

// ParseDate reads a YYYY-MM-DD date.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(dateLayout, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("日期“%s”不是 YYYY-MM-DD 格式", s)
	}
	return t, nil
}

// DateArabic writes 2026-11-28 as 2026年11月28日 (GB/T 9704-2012). An empty
// date gives an empty string.
func DateArabic(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	t, err := ParseDate(s)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day()), nil
}

// DateChinese writes 2026-11-28 as 二〇二六年十一月二十八日. An empty date
// gives an empty string.
func DateChinese(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	t, err := ParseDate(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, c := range strconv.Itoa(t.Year()) {
		b.WriteString(lowerDigits[c-'0'])
	}
	b.WriteString("年")
	b.WriteString(ChineseNumber(int(t.Month())))
	b.WriteString("月")
	b.WriteString(ChineseNumber(t.Day()))
	b.WriteString("日")
	return b.String(), nil
}

// ChineseNumber writes a whole number in lower-case Chinese numerals as a
// count is spoken: 5 → 五, 15 → 十五, 60 → 六十, 105 → 一百零五. It is the
// criteria engine's rules.ChineseNumeral, so articles and counts read alike.
func ChineseNumber(n int) string { return rules.ChineseNumeral(n) }

// MaskID hides the middle of an identity number or credit code for public
// pages: 330106199001011234 → 330106********1234.
func MaskID(s string) string {
	r := []rune(strings.TrimSpace(s))
	switch n := len(r); {
	case n == 0:
		return ""
	case n >= 12:
		return string(r[:6]) + strings.Repeat("*", n-10) + string(r[n-4:])
	case n >= 3:
		return string(r[:1]) + strings.Repeat("*", n-2) + string(r[n-1:])
	default:
		return strings.Repeat("*", n)
	}
}

// MaskName hides all but the first character of a person's name (张三 →
// 张*, 欧阳小明 → 欧***) and the middle of a long organisation name.
func MaskName(s string) string {
	r := []rune(strings.TrimSpace(s))
	switch n := len(r); {
	case n == 0:
		return ""
	case n <= 4:
		return string(r[:1]) + strings.Repeat("*", n-1)
	default:
		return string(r[:2]) + strings.Repeat("*", n-4) + string(r[n-2:])
	}
}

// Articles joins article citations with 、 and, where a citation repeats
// the previous one's law, drops the law's name, and where it repeats its
// article too, the article: 《中华人民共和国行政处罚法》第三十三条第一款、第三款、
// 第二十八条第一款.
func Articles(list []string) string {
	var b strings.Builder
	prevLaw, prevArt := "", ""
	for _, a := range list {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		law, rest := "", a
		if strings.HasPrefix(a, "《") {
			if end := strings.Index(a, "》"); end > 0 {
				law, rest = a[:end+len("》")], a[end+len("》"):]
			}
		}
		art, tail := rest, ""
		if i := strings.Index(rest, "条"); i >= 0 && strings.HasPrefix(rest, "第") {
			art, tail = rest[:i+len("条")], rest[i+len("条"):]
		}
		if b.Len() > 0 {
			b.WriteString("、")
		}
		switch {
		case law != "" && law == prevLaw && art == prevArt && tail != "" && !strings.Contains(tail, "、"):
			b.WriteString(tail)
		case law != "" && law == prevLaw && rest != "":
			b.WriteString(rest)
		default:
			b.WriteString(a)
		}
		if law != "" {
			prevLaw, prevArt = law, art
		}
	}
	return b.String()
}

// Calendar is the working-day calendar of package rules, for the
// working-day template functions.
type Calendar = rules.Calendar

// NewCalendar builds a calendar from lists of YYYY-MM-DD dates.
func NewCalendar(holidays, workdays []string) (Calendar, error) {
	return rules.NewCalendar(holidays, workdays)
}

const maxDayShift = 36600 // a century: keeps deadline loops bounded

var errShift = errors.New("期限天数超出范围")

// AddDays returns the date n calendar days after date.
func AddDays(date string, n int) (string, error) {
	t, err := ParseDate(date)
	if err != nil {
		return "", err
	}
	if n > maxDayShift || n < -maxDayShift {
		return "", errShift
	}
	return t.AddDate(0, 0, n).Format(dateLayout), nil
}

// AddMonths returns the date n months after date; a day the target month
// lacks becomes its last day (01-31 + 1 month → 02-28).
func AddMonths(date string, n int) (string, error) {
	t, err := ParseDate(date)
	if err != nil {
		return "", err
	}
	if n > 1200 || n < -1200 {
		return "", errShift
	}
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	d := min(t.Day(), last)
	return time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, time.UTC).Format(dateLayout), nil
}
