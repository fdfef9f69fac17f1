package rules

import (
	"strconv"
	"strings"
)

// Statute names as decisions cite them.
const (
	LawAPL     = "《中华人民共和国行政处罚法》"
	LawTraffic = "《中华人民共和国道路交通安全法》"
)

var cnDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// ChineseNumeral writes n in Chinese numerals as statutes number articles:
// 10 十, 33 三十三, 107 一百零七, 110 一百一十, 1001 一千零一, 10000 一万.
// Negative numbers get a leading 负.
func ChineseNumeral(n int) string {
	if n < 0 {
		return "负" + chineseUint(uint64(-(n+1))+1)
	}
	return chineseUint(uint64(n))
}

func chineseUint(n uint64) string {
	if n == 0 {
		return "零"
	}
	units := []string{"", "万", "亿", "万亿", "亿亿"}
	var groups []uint64
	for m := n; m > 0; m /= 10000 {
		groups = append(groups, m%10000)
	}
	var b strings.Builder
	zero := false
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		if g == 0 {
			zero = true
			continue
		}
		if b.Len() > 0 && (zero || g < 1000) {
			b.WriteString("零")
		}
		b.WriteString(below10000(g))
		b.WriteString(units[i])
		zero = false
	}
	// 10-19, 100000-199999 …: 十, not 一十, at the start.
	s := b.String()
	if strings.HasPrefix(s, "一十") {
		s = strings.TrimPrefix(s, "一")
	}
	return s
}

// below10000 writes 1..9999 with inner zeros: 1010 一千零一十.
func below10000(n uint64) string {
	names := []string{"千", "百", "十", ""}
	div := []uint64{1000, 100, 10, 1}
	var b strings.Builder
	pendingZero := false
	for i, d := range div {
		digit := n / d % 10
		if digit == 0 {
			if b.Len() > 0 {
				pendingZero = true
			}
			continue
		}
		if pendingZero {
			b.WriteString("零")
			pendingZero = false
		}
		b.WriteString(cnDigits[digit])
		b.WriteString(names[i])
	}
	return b.String()
}

// Article cites a statute: Article(LawAPL, 33, 1, 0) is
// 《中华人民共和国行政处罚法》第三十三条第一款; para and item are left out when 0.
func Article(law string, article, para, item int) string {
	var b strings.Builder
	b.WriteString(law)
	b.WriteString("第" + ChineseNumeral(article) + "条")
	if para > 0 {
		b.WriteString("第" + ChineseNumeral(para) + "款")
	}
	if item > 0 {
		b.WriteString("第" + ChineseNumeral(item) + "项")
	}
	return b.String()
}

// yuan writes an amount for a reason sentence: 10000元, 200.5元.
func yuan(x float64) string {
	return strconv.FormatFloat(x, 'f', -1, 64) + "元"
}
