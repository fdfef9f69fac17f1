package limits

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"penaltydoc/errs"
)

func TestFieldProblem(t *testing.T) {
	line := Field{"party.name", "当事人姓名或名称", Line, 10}
	text := Field{"facts", "违法事实", Text, 10}
	code := Field{"code", "事项编码", Code, 10}
	for _, c := range []struct {
		name string
		f    Field
		v    string
		want string // a part of the message; "" for none
	}{
		{"plain", line, "示例化工有限公司", ""},
		{"at the limit", line, strings.Repeat("张", 10), ""},
		{"over the limit", line, strings.Repeat("张", 11), "最长10字，现有11字"},
		{"rare CJK the Song font has", line, "刘䶮", ""},
		{"middle dot and full-width", line, "浙A·1234（挂）", ""},
		{"tab in a line", line, "张\t三", "只能填写一行"},
		{"newline in a line", line, "张\n三", "只能填写一行"},
		{"newline in a text", text, "第一段\n第二段", ""},
		{"tab in a text", text, "甲\t乙", ""},
		{"NUL", text, "a\x00b", "控制字符（U+0000）"},
		{"ESC", line, "a\x1bb", "控制字符（U+001B）"},
		{"DEL", line, "a\x7fb", "控制字符（U+007F）"},
		{"C1", line, "a\u0085b", "控制字符（U+0085）"},
		{"RLO", line, "abc\u202edef", "文字方向控制字符（U+202E）"},
		{"isolate", text, "\u2066x\u2069", "文字方向控制字符（U+2066、U+2069）"},
		{"ALM", line, "\u061c", "文字方向控制字符（U+061C）"},
		{"line separator", text, "a\u2028b", "行分隔符或段分隔符（U+2028）"},
		{"zero width space", line, "张\u200b三", "不可见的格式字符（U+200B）"},
		{"BOM", line, "\ufeff张三", "不可见的格式字符（U+FEFF）"},
		{"emoji", line, "张三😀", "字体中没有的字符“😀”（U+1F600）"},
		{"outside the BMP", line, "𠮷野家", "“𠮷”（U+20BB7）"},
		{"private use", line, "\ue000", "字体中没有的字符"},
		{"invalid UTF-8", line, "\xff\xfe", "无效的字符编码"},
		{"space in a code", code, "QD 001", "不能含有空格"},
		{"ideographic space in a code", code, "QD\u3000001", "不能含有空格"},
		{"code", code, "YZD-001", ""},
		{"Chinese code", code, "杭市监处罚", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := c.f.Problem(c.v)
			switch {
			case c.want == "" && got != "":
				t.Errorf("Problem(%q) = %q, want none", c.v, got)
			case c.want != "" && !strings.Contains(got, c.want):
				t.Errorf("Problem(%q) = %q, want it to contain %q", c.v, got, c.want)
			case c.want != "" && !strings.HasPrefix(got, c.f.Label):
				t.Errorf("Problem(%q) = %q does not name the field", c.v, got)
			}
		})
	}
}

func TestCheckPaths(t *testing.T) {
	fe := errs.Fields{}
	if Evidence.Check(fe, "evidence[3]", "ok") != true || len(fe) != 0 {
		t.Fatal("a good value reported")
	}
	Evidence.Check(fe, "evidence[3]", "a\nb")
	PartyName.Check(fe, "", "a\tb")
	EvidenceItems.Check(fe, 51)
	for _, k := range []string{"evidence[3]", "party.name", "evidence"} {
		if fe[k] == "" {
			t.Errorf("no message for %s: %v", k, fe)
		}
	}
}

func TestMoney(t *testing.T) {
	// MaxMoney is what decimal(MoneyDigits, MoneyScale) holds.
	if want := math.Pow10(MoneyDigits-MoneyScale) - math.Pow10(-MoneyScale); MaxMoney != want {
		t.Fatalf("MaxMoney %v, decimal(%d,%d) holds %v", MaxMoney, MoneyDigits, MoneyScale, want)
	}
	for _, c := range []struct {
		x  float64
		ok bool
	}{{0, true}, {0.01, true}, {12.5, true}, {MaxMoney, true}, {1e12, false}, {1e13, false}, {-1, false},
		{0.001, false}, {math.NaN(), false}, {math.Inf(1), false}} {
		fe := errs.Fields{}
		if got := CheckMoney(fe, "fine_max", "罚款上限", c.x); got != c.ok || got == (fe["fine_max"] != "") {
			t.Errorf("CheckMoney(%v) = %v %v", c.x, got, fe)
		}
	}
}

func TestPassword(t *testing.T) {
	for _, c := range []struct {
		p    string
		want string
	}{
		{"password-1", ""},
		{"short", "8至72位"},
		{strings.Repeat("a", 72), ""},
		{strings.Repeat("a", 73), "最长72字节"},
		{strings.Repeat("密", 24), ""},           // 72 bytes
		{strings.Repeat("密", 30), "现有90字节"},     // 90 bytes
		{strings.Repeat("\xff", 10), "无效的字符编码"}, // not UTF-8
	} {
		fe := errs.Fields{}
		ok := CheckPassword(fe, c.p)
		if ok != (c.want == "") || !strings.Contains(fe["password"], c.want) {
			t.Errorf("CheckPassword(%d bytes) = %v %q, want %q", len(c.p), ok, fe["password"], c.want)
		}
	}
}

// TestTable: every field has a path, a Chinese label and a positive
// maximum; no path appears twice within its resource.
func TestTable(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Fields {
		key := f.Path + "/" + f.Label
		if f.Path == "" || f.Label == "" || f.Max <= 0 || seen[key] {
			t.Errorf("bad entry %+v", f)
		}
		seen[key] = true
	}
	for _, l := range Lists {
		if l.Path == "" || l.Label == "" || l.Max <= 0 {
			t.Errorf("bad list %+v", l)
		}
	}
	if s := strconv.FormatFloat(MaxMoney, 'f', -1, 64); s != "999999999999.99" {
		t.Errorf("MaxMoney prints as %s", s)
	}
}

// TestDocumented: docs/api.md's section on field limits lists the table as
// it is (each field and list with its maximum), so the contract cannot
// drift from the code.
func TestDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "## 字段限制 / Field limits\n")
	if !ok {
		t.Fatal("docs/api.md has no section 字段限制 / Field limits")
	}
	sec, _, _ = strings.Cut(sec, "\n## ")
	kinds := map[Kind]string{Line: "一行", Text: "多行", Code: "编码"}
	for _, f := range Fields {
		if row := fmt.Sprintf("| `%s` | %s | %s | %d |", f.Path, f.Label, kinds[f.Kind], f.Max); !strings.Contains(sec, row) {
			t.Errorf("docs/api.md lacks %s", row)
		}
	}
	for _, l := range Lists {
		if row := fmt.Sprintf("| `%s` | %s | %d |", l.Path, l.Label, l.Max); !strings.Contains(sec, row) {
			t.Errorf("docs/api.md lacks %s", row)
		}
	}
	for _, s := range []string{"999,999,999,999.99", "decimal(14,2)", fmt.Sprintf("at most %d", MaxTimes),
		fmt.Sprintf("%d bytes", MaxPasswordBytes), fmt.Sprintf("%d MB", MaxImportBytes>>20), fmt.Sprintf("%d,%03d rows", MaxImportRows/1000, MaxImportRows%1000),
		fmt.Sprintf("at most %d bad cells", MaxImportErrors)} {
		if !strings.Contains(sec, s) {
			t.Errorf("docs/api.md's field limits do not say %q", s)
		}
	}
}
