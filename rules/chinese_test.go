package rules

import "testing"

func TestChineseNumeral(t *testing.T) {
	tests := map[int]string{
		0: "零", 1: "一", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十", 28: "二十八",
		33: "三十三", 36: "三十六", 87: "八十七", 100: "一百", 101: "一百零一", 107: "一百零七",
		110: "一百一十", 111: "一百一十一", 120: "一百二十", 999: "九百九十九", 1000: "一千",
		1001: "一千零一", 1010: "一千零一十", 1100: "一千一百", 10000: "一万", 10001: "一万零一",
		10010: "一万零一十", 11000: "一万一千", 100000: "十万", 150000: "十五万", 1000000: "一百万",
		100000000: "一亿", 100010000: "一亿零一万", -5: "负五",
	}
	for n, want := range tests {
		if got := ChineseNumeral(n); got != want {
			t.Errorf("ChineseNumeral(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestArticle(t *testing.T) {
	tests := []struct {
		law             string
		art, para, item int
		want            string
	}{
		{LawAPL, 33, 1, 0, "《中华人民共和国行政处罚法》第三十三条第一款"},
		{LawAPL, 32, 0, 4, "《中华人民共和国行政处罚法》第三十二条第四项"},
		{LawAPL, 36, 2, 0, "《中华人民共和国行政处罚法》第三十六条第二款"},
		{LawTraffic, 107, 0, 0, "《中华人民共和国道路交通安全法》第一百零七条"},
		{LawAPL, 30, 0, 0, "《中华人民共和国行政处罚法》第三十条"},
	}
	for _, tc := range tests {
		if got := Article(tc.law, tc.art, tc.para, tc.item); got != tc.want {
			t.Errorf("Article(%d,%d,%d) = %q, want %q", tc.art, tc.para, tc.item, got, tc.want)
		}
	}
}

func TestChineseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2026-05-02": "2026年5月2日", "2026-11-28": "2026年11月28日", "2026-13-01": "2026-13-01", "": "",
	} {
		if got := ChineseDate(in); got != want {
			t.Errorf("ChineseDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDates(t *testing.T) {
	valid := []string{"2024-02-29", "2000-02-29", "2026-12-31", "1900-01-01"}
	invalid := []string{"2023-02-29", "1900-02-29", "1999-02-30", "2026-04-31", "2026-13-01", "2026-00-10",
		"2026-1-01", "2026/01/01", "20260101", "2026-01-1 ", "+026-01-01", "2026-01-0a", ""}
	for _, s := range valid {
		if !ValidDate(s) {
			t.Errorf("ValidDate(%q) = false", s)
		}
	}
	for _, s := range invalid {
		if ValidDate(s) {
			t.Errorf("ValidDate(%q) = true", s)
		}
	}
	months := []struct {
		from string
		n    int
		want string
	}{
		{"2024-01-31", 1, "2024-02-29"},
		{"2023-01-31", 1, "2023-02-28"},
		{"2024-03-31", -1, "2024-02-29"},
		{"2024-08-31", 1, "2024-09-30"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2024-05-02", 24, "2026-05-02"},
		{"2025-09-01", 6, "2026-03-01"},
		{"2026-01-15", -1, "2025-12-15"},
		{"2026-01-15", -13, "2024-12-15"},
		{"2026-12-31", 0, "2026-12-31"},
	}
	for _, tc := range months {
		d, _ := parseDate(tc.from)
		if got := addMonths(d, tc.n).String(); got != tc.want {
			t.Errorf("addMonths(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
	ann := []struct {
		birth string
		years int
		want  string
	}{
		{"2012-02-29", 14, "2026-03-01"}, // common year: 1 March
		{"2012-02-29", 16, "2028-02-29"}, // leap year
		{"2012-05-01", 14, "2026-05-01"},
		{"2008-12-31", 18, "2026-12-31"},
	}
	for _, tc := range ann {
		d, _ := parseDate(tc.birth)
		if got := anniversary(d, tc.years).String(); got != tc.want {
			t.Errorf("anniversary(%s, %d) = %s, want %s", tc.birth, tc.years, got, tc.want)
		}
	}
}
