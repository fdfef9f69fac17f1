package render

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
	"time"
	"unicode"
	"unicode/utf8"

	"penaltydoc/rules"
)

// A Template is a parsed template body. It is immutable and safe for
// concurrent use.
type Template struct {
	kind   string
	body   string
	tmpl   *template.Template
	tables map[int][]float64 // @table line → column widths (relative)
	// executors are ready clones for execute (see executor).
	executors sync.Pool
}

// Kind is the document kind the template is for.
func (t *Template) Kind() string { return t.kind }

// Body is the template's source text.
func (t *Template) Body() string { return t.body }

// Kinds lists the document kinds, in the order a case produces them.
func Kinds() []string {
	return []string{rules.KindAdvanceNotice, rules.KindPenaltyDecision, rules.KindNoPenaltyDecision,
		rules.KindOnTheSpotDecision, rules.KindServiceReceipt, rules.KindHearingNotice, rules.KindReminder, rules.KindClosingReport}
}

// Block kinds, one byte each in the executed output's markers.
const (
	kPara      = 'P'
	kTitle     = 'T'
	kNumber    = 'N'
	kHeading   = 'H'
	kCenter    = 'C'
	kRight     = 'R'
	kLeft      = 'L'
	kBlank     = 'B'
	kPageBreak = 'G'
	kSignature = 'S'
	kTable     = '['
	kRow       = 'W'
	kTableEnd  = ']'
)

// Markers in the executed output. Data cannot contain them: Render refuses
// control characters in every Data string before executing.
const (
	mLine = '\x01' // starts a source line: \x01 kind line \x02 text
	mText = '\x02'
	mCell = '\x03' // separates the cells of a table row or signature
)

type directive struct {
	kind    byte
	args    int    // 0: no text allowed, 1: text optional, 2: text required
	deflt   string // template text when none is given
	summary string
}

var directives = map[string]directive{
	"title":     {kTitle, 2, "", "标题（二号宋体，居中，可多行）"},
	"number":    {kNumber, 1, "{{.Number}}", "文号行（居右；样稿留空）"},
	"heading":   {kHeading, 2, "", "小标题（宋体，首行缩进二字）"},
	"center":    {kCenter, 2, "", "居中的一行"},
	"right":     {kRight, 2, "", "居右的一行"},
	"left":      {kLeft, 2, "", "顶格段落（不缩进）"},
	"blank":     {kBlank, 0, "", "空一行"},
	"pagebreak": {kPageBreak, 0, "", "另起一页"},
	"signature": {kSignature, 1, "{{.Authority.Name}}|{{date .IssueDate}}", "落款：机关名称、日期（与印章）"},
	"table":     {kTable, 1, "", "表格开始，可写各列宽度比例，如 @table 3 7"},
	"end":       {kTableEnd, 0, "", "表格结束"},
}

func directiveNames() string {
	names := make([]string, 0, len(directives))
	for n := range directives {
		names = append(names, "@"+n)
	}
	slices.Sort(names)
	return strings.Join(names, " ")
}

// Parse parses a template body for a document kind and executes it once
// against SampleData for a person and an organisation. A fault is reported
// as a *TemplateError naming the line (Line 0: not tied to a line). Parse
// does not typeset: Render the sample to see the pages.
func Parse(kind, body string) (*Template, error) {
	if !slices.Contains(Kinds(), kind) {
		return nil, &TemplateError{Msg: fmt.Sprintf("未知的文书种类“%s”", kind)}
	}
	if !utf8.ValidString(body) {
		return nil, &TemplateError{Msg: "模板不是有效的 UTF-8 文本"}
	}
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	if len(body) > maxBodyBytes {
		return nil, &TemplateError{Msg: fmt.Sprintf("模板过长（超过 %d KB）", maxBodyBytes/1024)}
	}
	t := &Template{kind: kind, body: body, tables: map[int][]float64{}}
	src, err := t.preprocess(body)
	if err != nil {
		return nil, err
	}
	tmpl, err := template.New(kind).Option("missingkey=error").Funcs(baseFuncs()).Parse(src)
	if err != nil {
		return nil, templateError(err)
	}
	if len(tmpl.Templates()) > 1 {
		return nil, &TemplateError{Msg: "模板中不能使用 define 或 block 定义子模板"}
	}
	if err := checkTree(tmpl.Tree.Root); err != nil {
		return nil, err
	}
	t.tmpl = tmpl
	// a dry run against the sample data of both party kinds reports a
	// misspelt field or a bad call now, with its line
	samples := []Data{SampleData(kind, rules.PartyPerson), SampleData(kind, rules.PartyOrganization)}
	ctx, cancel := context.WithTimeout(context.Background(), checkLimits.withDefaults().Timeout)
	defer cancel()
	for i := range samples { // the time limit is the body's, not the samples'
		if _, err := t.execute(ctx, &samples[i], checkLimits); err != nil {
			var te *TemplateError
			var le *LimitError
			switch {
			case errors.As(err, &te):
				return nil, te
			case errors.As(err, &le):
				return nil, &TemplateError{Line: le.Line, Msg: le.Msg}
			default:
				return nil, &TemplateError{Msg: err.Error()}
			}
		}
	}
	return t, nil
}

// checkLimits bound Parse's dry run.
var checkLimits = Limits{Timeout: time.Second, MaxOutput: DefaultLimits.MaxOutput, MaxIterations: DefaultLimits.MaxIterations}

const maxBodyBytes = 128 << 10

// scanState tracks whether a position is inside a {{ }} action.
type scanState struct {
	inAction  bool
	quote     rune // '"', '`' or '\'' inside an action, 0 otherwise
	inComment bool
}

// preprocess turns the body into a text/template source with the same
// lines: each line that starts outside an action gets a marker naming its
// block kind and line number; cells are separated by mCell; a tick is put
// at the head of every range body so that loops are bounded.
func (t *Template) preprocess(body string) (string, error) {
	lines := strings.Split(body, "\n")
	var out strings.Builder
	out.Grow(len(body) + 8*len(lines))
	var st scanState
	tableLine := 0
	for i, line := range lines {
		n := i + 1
		if err := checkLineChars(n, line); err != nil {
			return "", err
		}
		if i > 0 {
			out.WriteByte('\n')
		}
		if st.inAction { // continuation of a multi-line action
			rest, err := st.scan(line, false)
			if err != nil {
				return "", &TemplateError{Line: n, Msg: err.Error()}
			}
			out.WriteString(rest)
			continue
		}
		kind := byte(kPara)
		text := line
		cells := false
		trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
		switch {
		case strings.HasPrefix(trimmed, "@@"):
			text = trimmed[1:]
		case strings.HasPrefix(trimmed, "@"):
			name, args, _ := strings.Cut(trimmed[1:], " ")
			name = strings.TrimRightFunc(name, unicode.IsSpace)
			if j := strings.IndexFunc(name, unicode.IsSpace); j >= 0 {
				name, args = name[:j], name[j:]+" "+args
			}
			args = strings.TrimSpace(args)
			d, ok := directives[name]
			if !ok {
				return "", &TemplateError{Line: n, Msg: fmt.Sprintf("未知的指令“@%s”；可用的指令：%s；行首要写“@”字符本身时请写“@@”", name, directiveNames())}
			}
			if tableLine > 0 && d.kind != kTableEnd {
				return "", &TemplateError{Line: n, Msg: fmt.Sprintf("第%d行的表格还没有用 @end 结束，表格内只能写表格行", tableLine)}
			}
			switch {
			case d.args == 0 && args != "":
				return "", &TemplateError{Line: n, Msg: fmt.Sprintf("指令“@%s”后面不能有文字", name)}
			case d.args == 2 && args == "":
				return "", &TemplateError{Line: n, Msg: fmt.Sprintf("指令“@%s”后面要写内容", name)}
			case args == "":
				args = d.deflt
			}
			kind, text = d.kind, args
			switch d.kind {
			case kTable:
				w, err := parseWidths(args)
				if err != nil {
					return "", &TemplateError{Line: n, Msg: err.Error()}
				}
				t.tables[n] = w
				tableLine, text = n, ""
			case kTableEnd:
				if tableLine == 0 {
					return "", &TemplateError{Line: n, Msg: "@end 前面没有 @table"}
				}
				tableLine = 0
			case kSignature:
				cells = true
			}
		default:
			if tableLine > 0 {
				if strings.TrimSpace(line) == "" {
					kind, text = kRow, "" // blank lines in a table are ignored
				} else {
					kind, text, cells = kRow, strings.TrimSpace(line), true
				}
			}
		}
		out.WriteByte(mLine)
		out.WriteByte(kind)
		out.WriteString(strconv.Itoa(n))
		out.WriteByte(mText)
		rest, err := st.scan(text, cells)
		if err != nil {
			return "", &TemplateError{Line: n, Msg: err.Error()}
		}
		out.WriteString(rest)
	}
	if st.inAction {
		return "", &TemplateError{Line: len(lines), Msg: "“{{”没有对应的“}}”"}
	}
	if tableLine > 0 {
		return "", &TemplateError{Line: tableLine, Msg: "@table 没有用 @end 结束"}
	}
	return out.String(), nil
}

// scan copies a piece of a line, tracking actions. With cells, a '|'
// outside actions becomes a cell separator (and "\|" a literal bar). After
// every "{{range …}}" it inserts "{{_tick}}".
func (st *scanState) scan(s string, cells bool) (string, error) {
	var b strings.Builder
	b.Grow(len(s) + 16)
	actionStart := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !st.inAction {
			switch {
			case c == '{' && strings.HasPrefix(s[i:], "{{"):
				st.inAction = true
				b.WriteString("{{")
				i++
				actionStart = b.Len()
				if strings.HasPrefix(s[i+1:], "/*") || strings.HasPrefix(s[i+1:], "- /*") {
					st.inComment = true
				}
				continue
			case cells && c == '\\' && i+1 < len(s) && s[i+1] == '|':
				b.WriteByte('|')
				i++
				continue
			case cells && c == '|':
				b.WriteByte(mCell)
				continue
			}
			b.WriteByte(c)
			continue
		}
		// inside an action
		switch {
		case st.inComment:
			if c == '*' && strings.HasPrefix(s[i:], "*/") {
				st.inComment = false
				b.WriteString("*/")
				i++
				continue
			}
		case st.quote != 0:
			if c == '\\' && st.quote != '`' && i+1 < len(s) {
				b.WriteByte(c)
				b.WriteByte(s[i+1])
				i++
				continue
			}
			if rune(c) == st.quote {
				st.quote = 0
			}
		case c == '"' || c == '`' || c == '\'':
			st.quote = rune(c)
		case c == '}' && strings.HasPrefix(s[i:], "}}"):
			content := b.String()[actionStart:]
			st.inAction = false
			b.WriteString("}}")
			i++
			if isRangeAction(content) {
				if strings.HasSuffix(strings.TrimRightFunc(content, unicode.IsSpace), "-") ||
					strings.HasSuffix(content, " -") {
					b.WriteString("{{_tick -}}")
				} else {
					b.WriteString("{{_tick}}")
				}
			}
			continue
		}
		b.WriteByte(c)
	}
	if st.inAction && st.quote != 0 && st.quote != '`' {
		return "", errors.New("引号没有闭合")
	}
	return b.String(), nil
}

func isRangeAction(content string) bool {
	c := strings.TrimLeft(content, "- \t")
	return strings.HasPrefix(c, "range") && (len(c) == 5 || c[5] == ' ' || c[5] == '\t' || c[5] == '$')
}

// checkLineChars refuses control characters and characters the fonts lack.
func checkLineChars(n int, line string) error {
	for _, r := range line {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return &TemplateError{Line: n, Msg: fmt.Sprintf("含有控制字符（U+%04X）", r)}
		}
	}
	if m := missing(line); len(m) > 0 {
		e := &UnsupportedCharError{Runes: m}
		return &TemplateError{Line: n, Msg: e.Error()}
	}
	return nil
}

func parseWidths(s string) ([]float64, error) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '，' || r == '\t' })
	if len(f) == 0 {
		return nil, nil
	}
	if len(f) > 12 {
		return nil, errors.New("表格最多 12 列")
	}
	w := make([]float64, len(f))
	for i, x := range f {
		v, err := strconv.ParseFloat(x, 64)
		if err != nil || v <= 0 || v > 1000 {
			return nil, fmt.Errorf("表格列宽“%s”应是正数，如 @table 3 7", x)
		}
		w[i] = v
	}
	return w, nil
}

// checkTree refuses {{template}} calls and checks that every range body
// starts with the tick the preprocessor put there.
func checkTree(n parse.Node) error {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			if err := checkTree(c); err != nil {
				return err
			}
		}
	case *parse.TemplateNode:
		return &TemplateError{Line: lineOf(n), Msg: "模板中不能调用子模板（template）"}
	case *parse.IfNode:
		return checkBranch(&n.BranchNode)
	case *parse.WithNode:
		return checkBranch(&n.BranchNode)
	case *parse.RangeNode:
		if n.List == nil || len(n.List.Nodes) == 0 || !isTick(n.List.Nodes[0]) {
			return &TemplateError{Line: lineOf(n), Msg: "无法识别的 range 写法"}
		}
		return checkBranch(&n.BranchNode)
	}
	return nil
}

func checkBranch(b *parse.BranchNode) error {
	if err := checkTree(b.List); err != nil {
		return err
	}
	if b.ElseList != nil {
		return checkTree(b.ElseList)
	}
	return nil
}

func isTick(n parse.Node) bool {
	a, ok := n.(*parse.ActionNode)
	if !ok || a.Pipe == nil || len(a.Pipe.Cmds) != 1 || len(a.Pipe.Decl) != 0 {
		return false
	}
	cmd := a.Pipe.Cmds[0]
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	return ok && len(cmd.Args) == 1 && id.Ident == "_tick"
}

func lineOf(n parse.Node) int {
	switch n := n.(type) {
	case *parse.TemplateNode:
		return n.Line
	case *parse.RangeNode:
		return n.Line
	}
	return 0
}

var errLineRE = regexp.MustCompile(`^template: [^:]*:(\d+)(?::\d+)?: (?:executing "[^"]*" at <([^>]*)>: )?(.*)$`)

// templateError turns a text/template error into a *TemplateError.
func templateError(err error) error {
	var te *TemplateError
	if errors.As(err, &te) {
		return te
	}
	msg := err.Error()
	m := errLineRE.FindStringSubmatch(msg)
	if m == nil {
		return &TemplateError{Msg: "模板有误：" + msg}
	}
	line, _ := strconv.Atoi(m[1])
	return &TemplateError{Line: line, Msg: translate(m[2], m[3])}
}

var translations = []struct {
	re  *regexp.Regexp
	msg string
}{
	{regexp.MustCompile(`^function "([^"]*)" not defined$`), "没有名为“$1”的函数"},
	{regexp.MustCompile(`^can't evaluate field (\w+) in type (.*)$`), "没有名为“$1”的字段（在 $2 中）"},
	{regexp.MustCompile(`^unexpected EOF$`), "模板意外结束：有 {{if}}、{{range}} 或 {{with}} 没有用 {{end}} 结束"},
	{regexp.MustCompile(`^unexpected \{\{end\}\}$`), "多余的 {{end}}"},
	{regexp.MustCompile(`^unexpected (.*) in (.*)$`), "语法错误：$2 中出现了意外的 $1"},
	{regexp.MustCompile(`^unclosed action$`), "“{{”没有对应的“}}”"},
	{regexp.MustCompile(`^wrong number of args for (\w+): want (\d+) got (\d+)$`), "函数 $1 需要 $2 个参数，写了 $3 个"},
	{regexp.MustCompile(`^error calling (\w+): (.*)$`), "调用 $1 出错：$2"},
	{regexp.MustCompile(`^map has no entry for key "([^"]*)"$`), "没有名为“$1”的项"},
	{regexp.MustCompile(`^nil pointer evaluating (.*)$`), "取值为空：$1"},
}

func translate(at, msg string) string {
	for _, t := range translations {
		if t.re.MatchString(msg) {
			s := t.re.ReplaceAllString(msg, t.msg)
			if at != "" {
				s = "在 " + at + " 处" + s
			}
			return s
		}
	}
	if at != "" {
		return "在 " + at + " 处出错：" + msg
	}
	return "语法错误：" + msg
}
