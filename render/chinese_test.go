package render

import "testing"

func TestCapital(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "零元整"},
		{0.5, "伍角整"},
		{0.05, "伍分"},
		{0.55, "伍角伍分"},
		{1, "壹元整"},
		{10, "壹拾元整"},
		{10.5, "壹拾元伍角整"},
		{15, "壹拾伍元整"},
		{100, "壹佰元整"},
		{100.05, "壹佰元零伍分"},
		{110, "壹佰壹拾元整"},
		{200, "贰佰元整"},
		{1005, "壹仟零伍元整"},
		{1050, "壹仟零伍拾元整"},
		{3000, "叁仟元整"},
		{10000, "壹万元整"},
		{12000, "壹万贰仟元整"},
		{16409.02, "壹万陆仟肆佰零玖元零贰分"},
		{100010, "壹拾万零壹拾元整"},
		{1001000, "壹佰万壹仟元整"},
		{1010000, "壹佰零壹万元整"},
		{10000100, "壹仟万零壹佰元整"},
		{100000000, "壹亿元整"},
		{100000005, "壹亿零伍元整"},
		{100010000, "壹亿零壹万元整"},
		{123456789.12, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"},
		{1.2, "壹元贰角整"},
		{1.02, "壹元零贰分"},
		{0.1 + 0.2, "叁角整"},
	}
	for _, tt := range tests {
		got, err := Capital(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Capital(%v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []float64{-1, 1e13} {
		if _, err := Capital(bad); err == nil {
			t.Errorf("Capital(%v): want error", bad)
		}
	}
}

func TestMoneyAndFine(t *testing.T) {
	tests := []struct {
		in         float64
		money, fin string
	}{
		{12000, "¥12,000.00", "罚款人民币壹万贰仟元整（¥12,000.00）"},
		{0.5, "¥0.50", "罚款人民币伍角整（¥0.50）"},
		{16409.02, "¥16,409.02", "罚款人民币壹万陆仟肆佰零玖元零贰分（¥16,409.02）"},
		{100000000, "¥100,000,000.00", "罚款人民币壹亿元整（¥100,000,000.00）"},
		{999, "¥999.00", "罚款人民币玖佰玖拾玖元整（¥999.00）"},
	}
	for _, tt := range tests {
		if got := Money(tt.in); got != tt.money {
			t.Errorf("Money(%v) = %q, want %q", tt.in, got, tt.money)
		}
		if got, _ := FineText(tt.in); got != tt.fin {
			t.Errorf("FineText(%v) = %q, want %q", tt.in, got, tt.fin)
		}
	}
}

func TestDates(t *testing.T) {
	tests := []struct{ in, arabic, chinese string }{
		{"2026-11-28", "2026年11月28日", "二〇二六年十一月二十八日"},
		{"2026-01-01", "2026年1月1日", "二〇二六年一月一日"},
		{"2020-10-10", "2020年10月10日", "二〇二〇年十月十日"},
		{"2009-12-20", "2009年12月20日", "二〇〇九年十二月二十日"},
		{"2031-03-31", "2031年3月31日", "二〇三一年三月三十一日"},
		{"", "", ""},
	}
	for _, tt := range tests {
		a, err := DateArabic(tt.in)
		if err != nil || a != tt.arabic {
			t.Errorf("DateArabic(%q) = %q, %v; want %q", tt.in, a, err, tt.arabic)
		}
		c, err := DateChinese(tt.in)
		if err != nil || c != tt.chinese {
			t.Errorf("DateChinese(%q) = %q, %v; want %q", tt.in, c, err, tt.chinese)
		}
	}
	for _, bad := range []string{"2026-13-01", "28/11/2026", "2026-02-30"} {
		if _, err := DateArabic(bad); err == nil {
			t.Errorf("DateArabic(%q): want error", bad)
		}
	}
}

func TestChineseNumber(t *testing.T) {
	tests := map[int]string{0: "零", 3: "三", 5: "五", 10: "十", 15: "十五", 20: "二十", 60: "六十",
		90: "九十", 100: "一百", 105: "一百零五", 110: "一百一十", 1000: "一千", 1005: "一千零五",
		10000: "一万", 10005: "一万零五", 12000: "一万二千"}
	for in, want := range tests {
		if got := ChineseNumber(in); got != want {
			t.Errorf("ChineseNumber(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestWorkdays(t *testing.T) {
	plain := Calendar{}
	cal, err := NewCalendar([]string{"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"}, []string{"2026-10-10"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cal        Calendar
		date       string
		n          int
		want, next string
	}{
		{plain, "2026-11-27", 5, "2026-12-04", "2026-11-27"}, // Friday: Mon..Fri
		{plain, "2026-11-28", 5, "2026-12-04", "2026-11-30"}, // Saturday
		{plain, "2026-11-30", 3, "2026-12-03", "2026-11-30"}, // Monday
		{plain, "2026-11-30", 0, "2026-11-30", "2026-11-30"},
		{plain, "2026-12-31", 7, "2027-01-11", "2026-12-31"},
		{cal, "2026-09-30", 5, "2026-10-13", "2026-09-30"}, // 8, 9, 10 (调休), 12, 13
		{cal, "2026-10-01", 1, "2026-10-08", "2026-10-08"},
	}
	for _, tt := range tests {
		got, err := tt.cal.AddWorkdays(tt.date, tt.n)
		if err != nil || got != tt.want {
			t.Errorf("AddWorkdays(%s, %d) = %s, %v; want %s", tt.date, tt.n, got, err, tt.want)
		}
		next, err := tt.cal.NextWorkday(tt.date)
		if err != nil || next != tt.next {
			t.Errorf("NextWorkday(%s) = %s, %v; want %s", tt.date, next, err, tt.next)
		}
	}
}

func TestCalendarDeadlines(t *testing.T) {
	tests := []struct {
		fn   func(string, int) (string, error)
		date string
		n    int
		want string
	}{
		{AddDays, "2026-11-28", 15, "2026-12-13"},
		{AddDays, "2026-12-20", 15, "2027-01-04"},
		{AddDays, "2026-11-28", 60, "2027-01-27"},
		{AddMonths, "2026-11-28", 6, "2027-05-28"},
		{AddMonths, "2026-08-31", 6, "2027-02-28"},
		{AddMonths, "2027-08-31", 6, "2028-02-29"},
	}
	for _, tt := range tests {
		got, err := tt.fn(tt.date, tt.n)
		if err != nil || got != tt.want {
			t.Errorf("(%s, %d) = %s, %v; want %s", tt.date, tt.n, got, err, tt.want)
		}
	}
}

func TestMaskAndArticles(t *testing.T) {
	if got := MaskID("330106199001011234"); got != "330106********1234" {
		t.Errorf("MaskID = %q", got)
	}
	if got := MaskName("张三"); got != "张*" {
		t.Errorf("MaskName = %q", got)
	}
	got := Articles([]string{"《中华人民共和国行政处罚法》第三十三条第一款", "《中华人民共和国行政处罚法》第二十八条", "《中华人民共和国价格法》第十三条"})
	want := "《中华人民共和国行政处罚法》第三十三条第一款、第二十八条、《中华人民共和国价格法》第十三条"
	if got != want {
		t.Errorf("Articles = %q, want %q", got, want)
	}
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"《中华人民共和国行政处罚法》第三十三条第一款", "《中华人民共和国行政处罚法》第三十三条第三款", "《中华人民共和国行政处罚法》第二十八条第一款"},
			"《中华人民共和国行政处罚法》第三十三条第一款、第三款、第二十八条第一款"},
		{[]string{"《中华人民共和国行政处罚法》第三十二条第一项", "《中华人民共和国行政处罚法》第三十二条第三项"},
			"《中华人民共和国行政处罚法》第三十二条第一项、第三项"},
		{[]string{"《中华人民共和国价格法》第四十二条", "《价格违法行为行政处罚规定》第十三条", "《中华人民共和国行政处罚法》第二十八条第二款"},
			"《中华人民共和国价格法》第四十二条、《价格违法行为行政处罚规定》第十三条、《中华人民共和国行政处罚法》第二十八条第二款"},
		{[]string{"《中华人民共和国道路交通安全法》第十一条第一款、第十九条第四款", "《中华人民共和国道路交通安全法》第九十条"},
			"《中华人民共和国道路交通安全法》第十一条第一款、第十九条第四款、第九十条"},
		{[]string{"《中华人民共和国行政处罚法》第三十三条", "《中华人民共和国行政处罚法》第三十三条"}, // a repeat is not merged away
			"《中华人民共和国行政处罚法》第三十三条、第三十三条"},
	} {
		if got := Articles(tc.in); got != tc.want {
			t.Errorf("Articles(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
