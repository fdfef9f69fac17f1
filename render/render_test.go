package render

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"penaltydoc/rules"
	"penaltydoc/templates"
)

var update = flag.Bool("update", false, "rewrite the golden PDFs in testdata/golden")

var parties = []string{rules.PartyPerson, rules.PartyOrganization}

var (
	testRenderer     *Renderer
	testRendererErr  error
	testRendererOnce sync.Once
)

func renderer(t testing.TB) *Renderer {
	t.Helper()
	testRendererOnce.Do(func() { testRenderer, testRendererErr = New() })
	if testRendererErr != nil {
		t.Fatal(testRendererErr)
	}
	return testRenderer
}

func defaultTemplate(t testing.TB, kind string) *Template {
	t.Helper()
	body, err := templates.Default(kind)
	if err != nil {
		t.Fatal(err)
	}
	tp, err := Parse(kind, body)
	if err != nil {
		t.Fatalf("%s: %v", kind, err)
	}
	return tp
}

func render(t testing.TB, kind string, d Data) []byte {
	t.Helper()
	pdf, err := renderer(t).Render(context.Background(), defaultTemplate(t, kind), d)
	if err != nil {
		t.Fatalf("%s: %v", kind, err)
	}
	return pdf
}

// artifact keeps a PDF for inspection (testdata/artifacts is git-ignored).
func artifact(t testing.TB, name string, pdf []byte) string {
	dir := filepath.Join("testdata", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGolden renders every kind for a person and an organisation and
// compares the bytes with testdata/golden (go test ./render -update
// rewrites them).
func TestGolden(t *testing.T) {
	for _, kind := range Kinds() {
		for _, party := range parties {
			name := kind + "_" + party + ".pdf"
			t.Run(name, func(t *testing.T) {
				pdf := render(t, kind, SampleData(kind, party))
				golden := filepath.Join("testdata", "golden", name)
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, pdf, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./render -update to create it)", err)
				}
				if !bytes.Equal(pdf, want) {
					artifact(t, name, pdf)
					t.Errorf("%s differs from the golden file (%d vs %d bytes); new one in testdata/artifacts; run -update if the change is intended", name, len(pdf), len(want))
				}
			})
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, kind := range Kinds() {
		d := SampleData(kind, rules.PartyOrganization)
		a := render(t, kind, d)
		b := render(t, kind, SampleData(kind, rules.PartyOrganization))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders of the same input differ", kind)
		}
		d.Draft = true
		c := render(t, kind, d)
		if bytes.Equal(a, c) {
			t.Errorf("%s: draft and issued renders are identical", kind)
		}
		if !bytes.Equal(c, render(t, kind, d)) {
			t.Errorf("%s: two draft renders differ", kind)
		}
	}
}

func TestConcurrent(t *testing.T) {
	want := map[string][]byte{}
	for _, kind := range Kinds() {
		want[kind] = render(t, kind, SampleData(kind, rules.PartyPerson))
	}
	var wg sync.WaitGroup
	for i := range 8 {
		kind := Kinds()[i%len(Kinds())]
		wg.Go(func() {
			for range 3 {
				pdf, err := renderer(t).Render(context.Background(), defaultTemplate(t, kind), SampleData(kind, rules.PartyPerson))
				if err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(pdf, want[kind]) {
					t.Errorf("%s: concurrent render differs", kind)
				}
			}
		})
	}
	wg.Wait()
}

// requiredSections are phrases each kind's text must contain (LEGAL.md).
var requiredSections = map[string][]string{
	rules.KindPenaltyDecision: {"江南市市场监督管理局", "行政处罚决定书", "江南市监处罚〔2026〕128号", "当事人：",
		"立案调查", "经查", "证据证明", "违反了", "应当从轻或者减轻行政处罚", "本局决定对当事人减轻处罚",
		"罚款人民币壹万贰仟元整（¥12,000.00）", "没收违法所得人民币壹佰贰拾陆元整（¥126.00）", "没收非法财物",
		"罚没款合计人民币壹万贰仟壹佰贰拾陆元整（¥12,126.00）",
		"十五日内", "百分之三", "每日按尚未缴纳的罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款数额", "六十日内", "江南市人民政府", "申请行政复议",
		"六个月内", "江南市西湖区人民法院", "不停止执行", "2026年11月27日"},
	rules.KindNoPenaltyDecision: {"不予行政处罚决定书", "江南市监不罚〔2026〕17号", "当事人：", "立案调查", "经查",
		"违反了", "第三十三条第一款", "不予行政处罚", "进行了教育", "保持改正状态", "六十日内", "六个月内",
		"2026年11月27日"},
	rules.KindOnTheSpotDecision: {"当场行政处罚决定书", "当事人：", "违法事实", "违反了", "简易程序", "处罚时间",
		"处罚地点", "先向", "申请行政复议", "第二十三条", "警告", "执法人员签名", "当事人签名"},
	rules.KindAdvanceNotice: {"行政处罚事先告知书", "江南市监罚告〔2026〕96号", "立案调查", "经查", "违反了",
		"拟对", "本局拟对当事人减轻处罚", "罚款人民币壹万贰仟元整（¥12,000.00）", "没收非法财物", "陈述、申辩",
		"五个工作日内", "视为放弃", "不因"},
	rules.KindServiceReceipt: {"送达回证", "送达文书名称及文号", "行政处罚决定书", "江南市监处罚〔2026〕128号",
		"受送达人", "送达地点", "送达方式", "直接送达", "送达时间", "送达人签名", "K7M4-Q9TX", "下载本文书的电子文本",
		"https://penaltydoc.example.gov.cn/public/download"},
}

const noLineStart = "，。、；：？！）》」』】"

func pdftotext(t *testing.T, pdf []byte, name string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
	}
	p := artifact(t, name, pdf)
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", p, err)
	}
	// drop page numbers and the QR caption, which interleave with the text
	var keep []string
	for _, l := range strings.Split(string(out), "\n") {
		if pageNumberRE.MatchString(strings.TrimSpace(l)) || strings.TrimSpace(l) == qrCaption {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

var pageNumberRE = regexp.MustCompile(`^[—\d ]+$`) // pdftotext may split "— 2 —" into three lines

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// isSubsequence reports whether the runes of want appear in got in order,
// and where the first missing one is.
func isSubsequence(want, got string) (bool, int) {
	g := []rune(got)
	j := 0
	for i, r := range []rune(want) {
		for j < len(g) && g[j] != r {
			j++
		}
		if j == len(g) {
			return false, i
		}
		j++
	}
	return true, -1
}

// TestTextExtraction: pdftotext gives back every character that went in,
// in order, each kind's sections, and no line starts with closing
// punctuation.
func TestTextExtraction(t *testing.T) {
	for _, kind := range Kinds() {
		for _, party := range parties {
			t.Run(kind+"_"+party, func(t *testing.T) {
				d := SampleData(kind, party)
				tp := defaultTemplate(t, kind)
				text := pdftotext(t, render(t, kind, d), "text_"+kind+"_"+party+".pdf")
				flat := squeeze(text)
				for _, s := range requiredSections[kind] {
					if !strings.Contains(flat, squeeze(s)) {
						t.Errorf("text lacks %q", s)
					}
				}
				blocks, err := tp.execute(context.Background(), &d, DefaultLimits)
				if err != nil {
					t.Fatal(err)
				}
				var in strings.Builder
				for _, b := range blocks {
					in.WriteString(b.text)
					for _, c := range b.cells {
						in.WriteString(c)
					}
					// table cells are read column by column: check each on its own
					for _, row := range b.rows {
						for _, c := range row {
							cell := squeeze(strings.NewReplacer("<br>", "", "^", "", ">", "").Replace(c))
							if ok, at := isSubsequence(cell, flat); !ok {
								t.Errorf("table cell %q: character %d missing from the extracted text", cell, at)
							}
						}
					}
				}
				want := squeeze(in.String())
				if ok, at := isSubsequence(want, flat); !ok {
					r := []rune(want)
					t.Errorf("character %d %q of the input (…%s…) is missing from the extracted text", at, r[at], string(r[max(0, at-10):min(len(r), at+10)]))
				}
				for i, line := range strings.Split(text, "\n") {
					line = strings.TrimSpace(line)
					if line != "" && strings.ContainsRune(noLineStart, []rune(line)[0]) {
						t.Errorf("line %d starts with closing punctuation: %q", i+1, line)
					}
				}
			})
		}
	}
}

func TestA4AndFonts(t *testing.T) {
	if _, err := exec.LookPath("pdffonts"); err != nil {
		t.Skip("pdffonts/pdfinfo (poppler-utils) are not installed")
	}
	p := artifact(t, "fonts.pdf", render(t, rules.KindPenaltyDecision, SampleData(rules.KindPenaltyDecision, rules.PartyPerson)))
	info, err := exec.Command("pdfinfo", p).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(info), "595.28 x 841.89 pts (A4)") {
		t.Errorf("not A4:\n%s", info)
	}
	out, err := exec.Command("pdffonts", p).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")[2:]
	if len(lines) != 2 { // FangSong and bold Song; Song only for characters the others lack
		t.Errorf("want 2 fonts, got:\n%s", out)
	}
	for _, l := range lines {
		f := strings.Fields(l)
		// name type… encoding emb sub uni id gen
		if n := len(f); n < 6 || f[n-5] != "yes" || f[n-4] != "yes" {
			t.Errorf("font not embedded as a subset: %s", l)
		}
	}
}

// TestRareChars: 䶮 (Ext-A, only in the Song font) renders; 𠮷 (U+20BB7,
// in neither font) is refused with its name and code point.
func TestRareChars(t *testing.T) {
	d := SampleData(rules.KindPenaltyDecision, rules.PartyPerson)
	d.Facts.Party.Name = "刘䶮"
	pdf := render(t, rules.KindPenaltyDecision, d)
	if _, err := exec.LookPath("pdftotext"); err == nil {
		if text := pdftotext(t, pdf, "rare.pdf"); !strings.Contains(text, "刘䶮") {
			t.Error("䶮 is missing from the extracted text")
		}
	}
	if err := CheckText("刘䶮"); err != nil {
		t.Errorf("CheckText(刘䶮) = %v", err)
	}

	d.Facts.Party.Name = "𠮷野家"
	_, err := renderer(t).Render(context.Background(), defaultTemplate(t, rules.KindPenaltyDecision), d)
	var uc *UnsupportedCharError
	if !errors.As(err, &uc) {
		t.Fatalf("want *UnsupportedCharError, got %v", err)
	}
	if uc.Field != "Facts.Party.Name" || len(uc.Runes) != 1 || uc.Runes[0] != 0x20BB7 {
		t.Errorf("got %+v", uc)
	}
	for _, s := range []string{"“𠮷”（U+20BB7）", "当事人名称"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("message %q lacks %q", err, s)
		}
	}
	if err := CheckText("𠮷野家"); !errors.As(err, &uc) || !strings.Contains(err.Error(), "U+20BB7") {
		t.Errorf("CheckText(𠮷野家) = %v", err)
	}
	d.Facts.Party.Name = "张\x01三"
	if _, err := renderer(t).Render(context.Background(), defaultTemplate(t, rules.KindPenaltyDecision), d); !errors.As(err, &uc) {
		t.Errorf("control character in data: want *UnsupportedCharError, got %v", err)
	}
	_, err = Parse(rules.KindPenaltyDecision, "第一行\n𠮷字\n")
	var te *TemplateError
	if !errors.As(err, &te) || te.Line != 2 || !strings.Contains(err.Error(), "U+20BB7") {
		t.Errorf("template with 𠮷: got %v", err)
	}
}

// TestDraft: a draft has no number and no QR code; each page carries 样稿,
// drawn diagonally in light grey and extractable as text.
func TestDraft(t *testing.T) {
	for _, kind := range []string{rules.KindPenaltyDecision, rules.KindServiceReceipt} {
		d := SampleData(kind, rules.PartyPerson)
		d.Draft = true
		pdf := render(t, kind, d)
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext is not installed")
		}
		text := pdftotext(t, pdf, "draft.pdf")
		if n, want := strings.Count(text, watermarkText), pageCount(pdf); n != want {
			t.Errorf("%s: 样稿 %d times in the extracted text, want %d (once a page)", kind, n, want)
		}
		if strings.Contains(text, "扫码核验") {
			t.Error("draft has a QR code")
		}
		if strings.Contains(text, "128号") && kind == rules.KindPenaltyDecision {
			t.Error("draft shows a number")
		}
		// as drawn: light grey (195) strokes across the middle of the page,
		// rising to the right
		out, err := exec.Command("pdftoppm", "-gray", "-aa", "no", "-aaVector", "no", "-r", "50", "-f", "1", "-l", "1",
			filepath.Join("testdata", "artifacts", "draft.pdf")).Output()
		if err != nil {
			t.Fatal(err)
		}
		w, h, pix := pgm(t, out)
		var n, sumX, sumY, upperX, upperN int
		for y := range h {
			for x := range w {
				if v := pix[y*w+x]; v > 180 && v < 210 {
					n++
					sumX += x
					sumY += y
					if y < h/2 {
						upperX += x
						upperN++
					}
				}
			}
		}
		if n < w*h/100 || upperN == 0 || upperN == n {
			t.Fatalf("%s: %d grey pixels (%d in the upper half)", kind, n, upperN)
		}
		cx, cy := float64(sumX)/float64(n)/float64(w), float64(sumY)/float64(n)/float64(h)
		lowerX := float64(sumX-upperX) / float64(n-upperN) / float64(w)
		if math.Abs(cx-0.5) > 0.1 || math.Abs(cy-0.5) > 0.1 || float64(upperX)/float64(upperN)/float64(w) < lowerX+0.1 {
			t.Errorf("%s: the watermark is not across the middle, rising to the right (centre %.2f, %.2f)", kind, cx, cy)
		}
	}
}

// TestRunaway: a template that loops or writes without end is refused
// within its limits, with a Chinese message: at Parse when its dry run
// against the sample data runs away, else at Render.
func TestRunaway(t *testing.T) {
	r := renderer(t)
	bodies := map[string]string{
		"endless range":   "开始\n{{range 1000000000}}{{end}}\n结束",
		"nested ranges":   "{{range 1000}}{{range 1000}}{{range 1000}}{{end}}{{end}}{{end}}",
		"huge output":     "{{range 100000}}{{$.Facts.Facts}}{{end}}",
		"range with trim": "{{range 1000000 -}}\n  {{- end}}",
		"huge printf":     `{{printf "%0999999999d" 1}}`,
		"many pages":      "{{range 5000}}\n@pagebreak\n一页\n{{end}}",
	}
	chinese := func(err error) bool {
		return strings.ContainsFunc(err.Error(), func(r rune) bool { return unicode.Is(unicode.Han, r) })
	}
	for name, body := range bodies {
		for _, trap := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/trap=%v", name, trap), func(t *testing.T) {
				d := SampleData(rules.KindPenaltyDecision, rules.PartyPerson)
				if trap { // runs away only on data unlike the samples': Parse passes, Render refuses
					body = "{{if eq .Facts.Party.Name \"陷阱\"}}\n" + body + "\n{{end}}"
					d.Facts.Party.Name = "陷阱"
				}
				start := time.Now()
				tp, err := Parse(rules.KindPenaltyDecision, body)
				if err == nil {
					if trap {
						_, err = r.Render(context.Background(), tp, d)
					} else if name != "many pages" {
						t.Fatal("Parse accepted a runaway template")
					} else {
						_, err = r.Render(context.Background(), tp, d)
					}
				} else if trap {
					t.Fatalf("Parse: %v", err)
				}
				if took := time.Since(start); took > DefaultLimits.Timeout+time.Second {
					t.Errorf("took %v", took)
				}
				var le *LimitError
				var te *TemplateError
				if !errors.As(err, &le) && !errors.As(err, &te) {
					t.Fatalf("want a limit error, got %v", err)
				}
				if !chinese(err) {
					t.Errorf("message not in Chinese: %v", err)
				}
			})
		}
	}
	// a short timeout stops a long but legal loop
	tp, err := Parse(rules.KindPenaltyDecision, "{{if eq .Facts.Party.Name \"慢\"}}{{range 9000}}{{range $.Facts.Evidence}}{{.}}{{end}}{{end}}{{end}}")
	if err != nil {
		t.Fatal(err)
	}
	short := r.WithLimits(Limits{Timeout: time.Millisecond, MaxIterations: 1 << 30, MaxOutput: 1 << 30})
	d := SampleData(rules.KindPenaltyDecision, rules.PartyPerson)
	d.Facts.Party.Name = "慢"
	_, err = short.Render(context.Background(), tp, d)
	var le *LimitError
	if !errors.As(err, &le) || !chinese(err) {
		t.Errorf("short timeout: got %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		body string
		line int
		want string
	}{
		{"第一行\n@titel 标题", 2, "未知的指令"},
		{"@title", 1, "后面要写内容"},
		{"@pagebreak 多余", 1, "不能有文字"},
		{"一\n二\n{{if .Draft}}\n三", 4, "{{end}}"},
		{"一\n{{.Nope}}", 2, "Nope"},
		{"{{nosuch .Fine}}", 1, "nosuch"},
		{"@table 3 x\n@end", 1, "列宽"},
		{"一\n@table\n甲|乙", 2, "@end"},
		{"@end", 1, "@table"},
		{"@table\n@title 表内标题\n@end", 2, "表格"},
		{"{{define \"x\"}}a{{end}}", 0, "define"},
		{"{{template \"penalty_decision\"}}", 1, "子模板"},
		{"一\n二{{\"unterminated}}", 2, ""},
		{"文字\x00", 1, "控制字符"},
		{"{{.Fine", 1, ""},
	}
	for _, tt := range tests {
		_, err := Parse(rules.KindPenaltyDecision, tt.body)
		var te *TemplateError
		if !errors.As(err, &te) {
			t.Errorf("%q: want *TemplateError, got %v", tt.body, err)
			continue
		}
		if te.Line != tt.line || !strings.Contains(te.Error(), tt.want) {
			t.Errorf("%q: got line %d %q; want line %d containing %q", tt.body, te.Line, te.Error(), tt.line, tt.want)
		}
	}
	// execution errors name the line too: at Parse (dry run) or at Render
	_, err := Parse(rules.KindPenaltyDecision, "一\n二\n{{date \"2026-13-45\"}}")
	var te *TemplateError
	if !errors.As(err, &te) || te.Line != 3 || !strings.Contains(err.Error(), "2026-13-45") {
		t.Errorf("execution error at Parse: got %v", err)
	}
	tp, err := Parse(rules.KindPenaltyDecision, "一\n二\n{{date .Notice.Served}}")
	if err != nil {
		t.Fatal(err)
	}
	d := SampleData(rules.KindPenaltyDecision, rules.PartyPerson)
	d.Notice.Served = "2026/10/21"
	_, err = renderer(t).Render(context.Background(), tp, d)
	if !errors.As(err, &te) || te.Line != 3 {
		t.Errorf("execution error at Render: got %v", err)
	}
	if _, err := Parse("nonsense", "x"); err == nil {
		t.Error("unknown kind accepted")
	}
}

// TestDirectives exercises every directive and function once.
func TestDirectives(t *testing.T) {
	body := `@title {{.Authority.Name}}
@title 测试文书
@number
@heading 一、标题
@center 居中 {{money 1234.5}}
@right 居右 {{capital 100.05}}
@left 顶格 {{rmb 0.5}} {{fine 10}}
@blank
普通段落 {{date .IssueDate}} {{dateCN .IssueDate}} {{maskID .Facts.Party.IDNumber}} {{maskName .Facts.Party.Name}}
{{articles .Evaluation.Articles}} {{join .Facts.Evidence "、"}} {{cnNum 15}} {{add 1 2}} {{label "under_age"}}
{{addDays .IssueDate 15}} {{addMonths .IssueDate 6}} {{addWorkdays .IssueDate 5}} {{nextWorkday "2026-11-28"}}
{{trim "  x  "}} {{trimSuffix "。" "句子。"}} {{if contains .Item.PenaltyTypes "fine"}}有罚款{{end}} {{.You}} {{.AnswerDays}}
@@at 开头
@table 1 2 3
甲|乙|丙
^居中|>居右|a\|b {{"x" | printf "%s"}}
只有一格
@end
@pagebreak
新页
@signature {{.Authority.Name}}|{{dateCN .IssueDate}}
`
	tp, err := Parse(rules.KindPenaltyDecision, body)
	if err != nil {
		t.Fatal(err)
	}
	d := SampleData(rules.KindPenaltyDecision, rules.PartyPerson)
	blocks, err := tp.execute(context.Background(), &d, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, b := range blocks {
		all.WriteString(string(b.kind) + ":" + b.text + strings.Join(b.cells, "/"))
		for _, r := range b.rows {
			all.WriteString("[" + strings.Join(r, "|") + "]")
		}
		all.WriteString("\n")
	}
	got := all.String()
	for _, want := range []string{
		"T:江南市市场监督管理局", "N:江南市监处罚〔2026〕128号", "H:一、标题", "C:居中 ¥1,234.50", "R:居右 壹佰元零伍分",
		"L:顶格 人民币伍角整（¥0.50） 罚款人民币壹拾元整（¥10.00）", "B:",
		"2026年11月27日 二〇二六年十一月二十七日 330106********1237 张*",
		"第一百二十四条第一款第五项、《中华人民共和国行政处罚法》第三十二条第一项", "十五 3 不满十四周岁",
		"2026-12-12 2027-05-27 2026-12-04 2026-11-30", "x 句子 有罚款 你 5", "P:@at 开头",
		"[甲|乙|丙][^居中|>居右|a|b x][只有一格]", "G:", "S:江南市市场监督管理局/二〇二六年十一月二十七日",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if _, err := renderer(t).Render(context.Background(), tp, d); err != nil {
		t.Fatal(err)
	}
}

// TestSignatureNotAlone: whatever the length of the text before it, the
// signature block never starts a page.
func TestSignatureNotAlone(t *testing.T) {
	ts := newTypesetter(testFaces())
	for n := 1; n <= 60; n++ {
		var bs []block
		for range n {
			bs = append(bs, block{kind: kPara, text: "一二三四五六七八九十"})
		}
		bs = append(bs, block{kind: kSignature, cells: []string{"江南市市场监督管理局", "2026年11月27日"}})
		pages, err := ts.layout(bs, &Data{}, false)
		if err != nil {
			t.Fatal(err)
		}
		last := pages[len(pages)-1]
		body := 0
		for _, o := range last {
			if o.kind == 't' && strings.HasPrefix(o.s, "一") {
				body++
			}
		}
		if body == 0 {
			t.Errorf("%d paragraphs: the signature is alone on page %d", n, len(pages))
		}
	}
}

// TestHostileTemplates: bodies that build huge strings or keep a core busy
// inside one line are refused within a second with a limit named, and
// nothing near their size is ever allocated.
func TestHostileTemplates(t *testing.T) {
	r := renderer(t)
	SampleData(rules.KindAdvanceNotice, rules.PartyPerson) // the samples load once, outside the timings
	double := strings.Repeat(`{{$s = print $s $s}}`, 34)
	twentyTwo := strings.Repeat(`{{$s = print $s $s}}`, 22)
	for _, tc := range []struct{ name, body, want string }{
		{"doubling in a loop", `{{$s := "0123456789abcdef"}}{{range 40}}{{$s = print $s $s}}{{end}}@title {{len $s}}`, "KB"},
		{"doubling on one line", `{{$s := "0123456789abcdef"}}` + double + "\n@title {{len $s}}", "KB"},
		{"printf doubling", `{{$s := "0123456789abcdef"}}` + strings.Repeat(`{{$s = printf "%s%s" $s $s}}`, 34) + "\n@title x", "KB"},
		{"copies of a big string", `{{$s := "0123456789abcdef"}}` + twentyTwo + strings.Repeat(`{{$t := print $s}}`, 2000) + "\n@title x", "KB"},
		{"many calls", `{{range 2000}}{{trim "a"}}{{trim "a"}}{{trim "a"}}{{trim "a"}}{{trim "a"}}{{trim "a"}}{{trim "a"}}{{trim "a"}}{{trim "a"}}{{trim "a"}}{{trim "a"}}{{trim "a"}}{{end}}@title x`, "次"},
		{"html of a big string", `{{$s := "0123456789abcdef"}}` + twentyTwo + `{{html $s}}` + "\n@title x", "KB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			// Parsing already test-executes the body; what passes that is
			// rendered.
			tp, err := Parse(rules.KindAdvanceNotice, tc.body)
			if err == nil {
				_, err = r.Render(context.Background(), tp, SampleData(rules.KindAdvanceNotice, rules.PartyPerson))
			}
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			var le *LimitError
			var te *TemplateError
			if !(errors.As(err, &le) || errors.As(err, &te)) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "超过") {
				t.Fatalf("want a limit naming %q, got %v", tc.want, err)
			}
			if took > time.Second {
				t.Errorf("refused after %v", took)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 256<<20 {
				t.Errorf("allocated %d MB before refusing", grew>>20)
			}
		})
	}
}

// TestKeepRendered: in every sample, each keep-together run of the text
// (document numbers, amounts, dates, short book titles) is on one line of
// the extracted text.
func TestKeepRendered(t *testing.T) {
	for _, kind := range Kinds() {
		for _, party := range parties {
			d := SampleData(kind, party)
			text := pdftotext(t, render(t, kind, d), "keep_"+kind+"_"+party+".pdf")
			var lines []string
			for _, l := range strings.Split(text, "\n") {
				lines = append(lines, squeeze(l))
			}
			blocks, err := defaultTemplate(t, kind).execute(context.Background(), &d, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			ts := newTypesetter(renderer(t).faces)
			n := 0
			var texts []string
			for _, b := range blocks {
				switch b.kind {
				case kPara, kLeft:
					texts = append(texts, b.text)
				case kTable:
					for _, row := range b.rows {
						for _, c := range row {
							texts = append(texts, splitBR(c)...)
						}
					}
				}
			}
			for _, text := range texts {
				gs := ts.shape(text, stBody, 0)
				for _, r := range keepRuns(gs, nil) {
					s := squeeze(lineText(gs, span{start: r.s, end: r.e}))
					n++
					if !slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, s) }) {
						t.Errorf("%s/%s: %q is split across lines", kind, party, s)
					}
				}
			}
			if n == 0 {
				t.Errorf("%s/%s: no keep-together runs in the sample", kind, party)
			}
		}
	}
}

// pgm decodes pdftoppm's -gray output: P5, width, height, 255, one
// whitespace, the pixels.
func pgm(t *testing.T, out []byte) (w, h int, pix []byte) {
	t.Helper()
	var hdr [4]int
	at := 2
	for i := 1; i < 4; i++ {
		for at < len(out) && (out[at] < '0' || out[at] > '9') {
			at++
		}
		for at < len(out) && out[at] >= '0' && out[at] <= '9' {
			hdr[i] = 10*hdr[i] + int(out[at]-'0')
			at++
		}
	}
	w, h = hdr[1], hdr[2]
	if !bytes.HasPrefix(out, []byte("P5")) || at >= len(out) || len(out[at+1:]) != w*h {
		t.Fatalf("pdftoppm: not a %dx%d PGM", w, h)
	}
	return w, h, out[at+1:]
}

// rasterLine renders body and returns the ink extents (mm from the left
// edge of the page) of the columns of the first body line of page 1, at
// 300 dpi.
func rasterLine(t *testing.T, body string) (text string, runs [][2]float64) {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) is not installed")
	}
	tp, err := Parse(rules.KindAdvanceNotice, body)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := renderer(t).Render(context.Background(), tp, Data{IssueDate: "2026-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	text = pdftotext(t, pdf, "raster.pdf")
	const dpi = 300
	px := func(mm float64) int { return int(mm / 25.4 * dpi) }
	out, err := exec.Command("pdftoppm", "-gray", "-r", strconv.Itoa(dpi), "-f", "1", "-l", "1",
		"-x", "0", "-y", strconv.Itoa(px(marginT)), "-W", strconv.Itoa(px(pageW)), "-H", strconv.Itoa(px(pitch)),
		filepath.Join("testdata", "artifacts", "raster.pdf")).Output()
	if err != nil {
		t.Fatal(err)
	}
	w, h, pix := pgm(t, out)
	start := -1
	for x := 0; x <= w; x++ {
		ink := false
		for y := 0; x < w && y < h && !ink; y++ {
			ink = pix[y*w+x] < 128
		}
		switch {
		case ink && start < 0:
			start = x
		case !ink && start >= 0:
			runs = append(runs, [2]float64{float64(start) * 25.4 / dpi, float64(x) * 25.4 / dpi})
			start = -1
		}
	}
	return text, runs
}

// TestSqueezeRendered: as drawn, a closing mark followed by an opening one
// share an em (their ink is about as far apart as in the fonts' em) and
// the text extracts in order.
func TestSqueezeRendered(t *testing.T) {
	for _, tt := range []struct {
		body     string
		gap      int     // the gap after the gap-th ink run (0-based)
		min, max float64 // mm
	}{
		{"@left 甲）（乙", 1, 0.5, 2.5},  // unsqueezed: 7 mm
		{"@left 甲）。乙", 1, 0.5, 2.5},  // unsqueezed: 5 mm
		{"@left 甲（《乙》", 1, -1, 1.5},  // （ and 《 may touch; unsqueezed: 4 mm
		{"@left 甲）乙（丙", 1, 4, 9},     // no squeeze
		{"@left 一二三，（四）", 3, 0.5, 3}, // unsqueezed: 5.8 mm
	} {
		text, runs := rasterLine(t, tt.body)
		want := strings.TrimPrefix(tt.body, "@left ")
		if !strings.Contains(squeeze(text), want) {
			t.Errorf("%q: extracted %q", want, text)
		}
		if len(runs) <= tt.gap+1 {
			t.Errorf("%q: ink runs %v", want, runs)
			continue
		}
		gap := runs[tt.gap+1][0] - runs[tt.gap][1]
		if tt.min < 0 && gap < 0.3 { // touching glyphs make one run
			continue
		}
		if gap < tt.min || gap > tt.max {
			t.Errorf("%q: %.2f mm of blank after ink run %d, want %.1f–%.1f (runs %v)", want, gap, tt.gap, tt.min, tt.max, runs)
		}
	}
}

// TestLeadIn: a paragraph ending with a colon is never the last line(s) of
// a page: it moves to the next page with the block it introduces.
func TestLeadIn(t *testing.T) {
	ts := newTypesetter(testFaces())
	leadIns := map[string]string{
		"one line":  "上述事实，有下列证据证明甲：",
		"two lines": strings.Repeat("综上", 14) + "作出如下行政处罚甲：",
		"left":      "附件甲：",
	}
	for name, lead := range leadIns {
		for n := 15; n <= 25; n++ {
			var bs []block
			for range n {
				bs = append(bs, block{kind: kPara, text: "一二三四五六七八九十"})
			}
			kind := byte(kPara)
			if name == "left" {
				kind = kLeft
			}
			bs = append(bs, block{kind: kind, text: lead}, block{kind: kPara, text: "（一）现场笔录乙；"}, block{kind: kPara, text: "（二）询问笔录。"})
			pages, err := ts.layout(bs, &Data{}, false)
			if err != nil {
				t.Fatal(err)
			}
			var leadPages, itemPage []int
			for p, ops := range pages {
				for _, o := range ops {
					if o.kind != 't' {
						continue
					}
					if strings.ContainsAny(o.s, "上综附") || strings.Contains(o.s, "甲") {
						leadPages = append(leadPages, p)
					}
					if strings.Contains(o.s, "乙") {
						itemPage = append(itemPage, p)
					}
				}
			}
			if len(leadPages) == 0 || len(itemPage) == 0 {
				t.Fatalf("%s, %d paragraphs: lead-in or item not found", name, n)
			}
			for _, p := range leadPages {
				if p != itemPage[0] {
					t.Errorf("%s after %d paragraphs: lead-in on page %d, the item after it on page %d", name, n, p+1, itemPage[0]+1)
					break
				}
			}
		}
	}
}

// TestLeadInRendered: in every sample, the end of each lead-in paragraph
// is on the page where the block after it starts.
func TestLeadInRendered(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	n := 0
	for _, kind := range Kinds() {
		for _, party := range parties {
			d := SampleData(kind, party)
			p := artifact(t, "leadin.pdf", render(t, kind, d))
			out, err := exec.Command("pdftotext", "-enc", "UTF-8", p, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			pages := strings.Split(squeeze(strings.ReplaceAll(string(out), "\f", "\x00")), "\x00")
			page := func(s string) int {
				for i, pg := range pages {
					if strings.Contains(pg, s) {
						return i
					}
				}
				return -1
			}
			blocks, err := defaultTemplate(t, kind).execute(context.Background(), &d, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			ts := newTypesetter(renderer(t).faces)
			for i, b := range blocks[:len(blocks)-1] {
				if (b.kind != kPara && b.kind != kLeft) || !leadIn(b.text) || blocks[i+1].text == "" {
					continue
				}
				r, next := []rune(squeeze(b.text)), []rune(squeeze(blocks[i+1].text))
				lead := string(r[max(0, len(r)-8):]) // its end
				if len(ts.paragraph(b.text, stBody, 0, areaW)) <= leadInLines {
					lead = string(r[:min(8, len(r))]) // all of it
				}
				start := string(next[:min(8, len(next))])
				n++
				if pl, ps := page(lead), page(start); pl < 0 || pl != ps {
					t.Errorf("%s/%s: lead-in (%s) on page %d, the block after it (%s…) on page %d", kind, party, lead, pl+1, start, ps+1)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no lead-ins in the samples")
	}
}

// pageNumbers returns, per page of pdf, the page number printed below the
// type area ("" for none) and whether it is in the right half of the page.
func pageNumbers(t *testing.T, pdf []byte) (nums []string, right []bool) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	p := artifact(t, "pageno.pdf", pdf)
	out, err := exec.Command("pdftotext", "-bbox", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	below := (marginT + areaH) / 25.4 * 72 // pt
	word := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>`)
	for _, page := range strings.Split(string(out), "<page ")[1:] {
		num, x := "", 0.0
		for _, m := range word.FindAllStringSubmatch(page, -1) {
			if y, _ := strconv.ParseFloat(m[2], 64); y > below {
				num += m[4]
				x, _ = strconv.ParseFloat(m[1], 64)
			}
		}
		nums = append(nums, num)
		right = append(right, x > pageW/2/25.4*72)
	}
	return nums, right
}

// TestPageNumbers: a letter of one page has no page number; longer ones
// have — N — on every page, odd pages right, even pages left.
func TestPageNumbers(t *testing.T) {
	tests := []struct {
		kind, party string
		pages       int
	}{
		{rules.KindServiceReceipt, rules.PartyPerson, 1},
		{rules.KindServiceReceipt, rules.PartyOrganization, 1},
		{rules.KindOnTheSpotDecision, rules.PartyPerson, 2},
		{rules.KindAdvanceNotice, rules.PartyPerson, 4}, // the officers line (APL Art. 42) moves the address and signature over
		{rules.KindPenaltyDecision, rules.PartyPerson, 4},
	}
	for _, tt := range tests {
		nums, right := pageNumbers(t, render(t, tt.kind, SampleData(tt.kind, tt.party)))
		if len(nums) != tt.pages {
			t.Errorf("%s/%s: %d pages, want %d", tt.kind, tt.party, len(nums), tt.pages)
			continue
		}
		for i, n := range nums {
			want := ""
			if tt.pages > 1 {
				want = "—" + strconv.Itoa(i+1) + "—"
			}
			if n != want {
				t.Errorf("%s/%s page %d: page number %q, want %q", tt.kind, tt.party, i+1, n, want)
			}
			if want != "" && right[i] != (i%2 == 0) {
				t.Errorf("%s/%s page %d: page number on the wrong side", tt.kind, tt.party, i+1)
			}
		}
	}
	// a body of titles only: one page, no body font, no page number
	tp, err := Parse(rules.KindAdvanceNotice, "@title 标题")
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := renderer(t).Render(context.Background(), tp, Data{IssueDate: "2026-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	if nums, _ := pageNumbers(t, pdf); len(nums) != 1 || nums[0] != "" {
		t.Errorf("titles only: page numbers %q", nums)
	}
}

// TestTitleClearOfTable: in the service receipt (titles, then a table) at
// least a body line of blank lies between the title's ink and the table's
// top rule, as rendered.
func TestTitleClearOfTable(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) is not installed")
	}
	const dpi = 150
	mm := func(px int) float64 { return float64(px) * 25.4 / dpi }
	for _, party := range parties {
		p := artifact(t, "receipt.pdf", render(t, rules.KindServiceReceipt, SampleData(rules.KindServiceReceipt, party)))
		out, err := exec.Command("pdftoppm", "-gray", "-r", strconv.Itoa(dpi), "-f", "1", "-l", "1", p).Output()
		if err != nil {
			t.Fatal(err)
		}
		w, h, pix := pgm(t, out)
		dark := func(y int) int {
			n := 0
			for x := range w {
				if pix[y*w+x] < 128 {
					n++
				}
			}
			return n
		}
		rule := -1 // the first row that is mostly a horizontal line
		for y := range h {
			if mm(dark(y)) > areaW*0.9 {
				rule = y
				break
			}
		}
		if rule < 0 {
			t.Fatal("no table rule found")
		}
		title := -1 // the last row of ink above it
		for y := rule - 1; y >= 0 && title < 0; y-- {
			if dark(y) > 0 {
				title = y
			}
		}
		if gap := mm(rule - title - 1); gap < pitch {
			t.Errorf("%s: %.1f mm between the title and the table, want at least %.1f", party, gap, pitch)
		}
	}
}
