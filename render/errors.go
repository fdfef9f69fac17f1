package render

import (
	"fmt"
	"strings"

	"penaltydoc/fonts"
)

// TemplateError is a fault in a template body: a parse error, or an error
// while executing it against a document's data. Line is 1-based (0 when the
// fault is not tied to a line). Msg is Chinese, for the template's author.
type TemplateError struct {
	Line int
	Msg  string
}

func (e *TemplateError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("模板第%d行：%s", e.Line, e.Msg)
	}
	return "模板错误：" + e.Msg
}

// UnsupportedCharError reports characters that neither font can draw. Field
// names where they came from: a Data field path (Facts.Party.Name), or
// "模板第N行" for text the template produced.
type UnsupportedCharError struct {
	Field string
	Runes []rune
}

func (e *UnsupportedCharError) Error() string {
	names := make([]string, len(e.Runes))
	for i, r := range e.Runes {
		names[i] = fonts.Describe(r)
	}
	where := ""
	if e.Field != "" {
		where = fieldLabel(e.Field)
	}
	return fmt.Sprintf("%s含有字体中没有的字符%s，无法排版；请改用其他写法（如同音字加注说明）", where, strings.Join(names, "、"))
}

// LimitError reports that executing a template went past a limit (time,
// output size, loop iterations): the template is at fault, not the data.
type LimitError struct {
	Line int
	Msg  string
}

func (e *LimitError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("模板第%d行：%s", e.Line, e.Msg)
	}
	return "模板执行超出限制：" + e.Msg
}

// fieldLabels names the Data fields a user is likely to fill.
var fieldLabels = map[string]string{
	"Facts.Party.Name":                "当事人名称（姓名）",
	"Facts.Party.Address":             "当事人住所（地址）",
	"Facts.Party.LegalRepresentative": "法定代表人（负责人）",
	"Facts.Party.IDNumber":            "身份证件号码",
	"Facts.Party.CreditCode":          "统一社会信用代码",
	"Facts.Party.Phone":               "联系电话",
	"Facts.Facts":                     "违法事实",
	"Facts.Evidence":                  "证据",
	"Statement":                       "陈述申辩情况",
	"HearingResult":                   "听证情况",
	"Authority.Name":                  "执法机关名称",
	"Case.Source":                     "案件来源",
	"Service.Recipient":               "受送达人",
	"Service.Place":                   "送达地点",
}

func fieldLabel(path string) string {
	if strings.HasPrefix(path, "模板") {
		return path
	}
	base := path
	if i := strings.IndexByte(base, '['); i >= 0 {
		base = base[:i]
	}
	if l, ok := fieldLabels[base]; ok {
		return l + "（" + path + "）"
	}
	return "字段 " + path + " "
}

// CheckText returns nil when both fonts together can draw every character
// of s (line breaks and tabs allowed), else an *UnsupportedCharError. The
// server calls it to refuse such input when a case is saved.
func CheckText(s string) error {
	if m := missing(s); len(m) > 0 {
		return &UnsupportedCharError{Runes: m}
	}
	return nil
}

// missing is fonts.Missing with a fast path for the common characters.
func missing(s string) []rune {
	for _, r := range s {
		if r >= 0x80 || r < 0x20 {
			return fonts.Missing(s)
		}
	}
	return nil // printable ASCII: both fonts have it
}
