package render

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// monoFace is a test font: ASCII half width, everything else full width.
type monoFace struct{}

func (monoFace) Has(r rune) bool { return r <= 0xffff && r >= ' ' }
func (monoFace) Advance(r rune) float64 {
	if r < 0x80 {
		return 500
	}
	return 1000
}
func (monoFace) Subset([]rune) ([]byte, error) { return nil, errors.New("test font") }

func testFaces() [nFonts]face { return [nFonts]face{monoFace{}, monoFace{}, monoFace{}} }

// breakText breaks s on a line of n full-width characters (indent in
// characters) and returns the lines.
func breakText(s string, n, indent int) []string {
	ts := newTypesetter(testFaces())
	gs := ts.shape(s, stBody, 0)
	var out []string
	for _, sp := range breakLines(gs, float64(n)*charPitch, float64(indent)*charPitch) {
		out = append(out, lineText(gs, sp))
	}
	return out
}

func TestBreakLines(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		n, ind int
		want   []string
	}{
		{"fits", "一二三四五", 5, 0, []string{"一二三四五"}},
		{"plain", "一二三四五六七", 5, 0, []string{"一二三四五", "六七"}},
		{"indent", "一二三四五六七", 5, 2, []string{"一二三", "四五六七"}},
		{"comma pulls back", "一二三四五，六七", 5, 0, []string{"一二三四", "五，六七"}},
		{"full stop pulls back", "一二三四五。", 5, 0, []string{"一二三四", "五。"}},
		{"two closers", "一二三四五。”六", 5, 0, []string{"一二三四", "五。”六"}},
		{"closing bracket", "一二三四（五）六", 5, 0, []string{"一二三四", "（五）六"}},
		{"opening at end", "一二三四《五六》", 5, 0, []string{"一二三四", "《五六》"}},
		{"opening quote", "一二三四“五”", 5, 0, []string{"一二三四", "“五”"}},
		{"number stays whole", "一二三12,000.00元", 8, 0, []string{"一二三", "12,000.00元"}},
		{"number with unit", "一二三四五六100元整", 7, 0, []string{"一二三四五六", "100元整"}},
		{"date parts", "一二三四五2026年11月28日", 6, 0, []string{"一二三四五", "2026年11月", "28日"}},
		{"latin word", "一二三abcdef", 5, 0, []string{"一二三", "abcdef"}},
		{"spaces vanish at breaks", "ab cd ef gh", 3, 0, []string{"ab cd", "ef gh"}},
		{"long run cut", "一abcdefghijklmnop", 4, 0, []string{"一", "abcdefg", "hijklmn", "op"}},
		{"url cut after slash", "一https://ab.cn/public/download", 8, 0, []string{"一", "https://ab.cn/", "public/download"}},
		{"url slash too early", "一ab/cdefghijklmnop", 4, 0, []string{"一", "ab/cdef", "ghijklm", "nop"}},
		{"percent", "一二三四50%的", 5, 0, []string{"一二三四", "50%的"}},
		{"yuan sign", "一二三四¥12", 5, 0, []string{"一二三四", "¥12"}},
		{"ellipsis pair", "一二三四……", 5, 0, []string{"一二三", "四……"}},
		{"dash pair", "一二三四——五", 5, 0, []string{"一二三四", "——五"}},
		{"enumeration", "（一）现场笔录；（二）询问笔录。", 6, 0, []string{"（一）现场笔", "录；（二）询问", "笔录。"}}, // ；（ share an em
		{"empty", "", 5, 0, nil},
		{"only spaces", "   ", 5, 0, nil},
	}
	for _, tt := range tests {
		got := breakText(tt.in, tt.n, tt.ind)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: breakText(%q, %d) = %q, want %q", tt.name, tt.in, tt.n, got, tt.want)
		}
	}
}

func TestLine28(t *testing.T) {
	// 28 full-width characters fill a body line exactly; the 29th wraps
	s := strings.Repeat("永", 29)
	got := breakText(s, charsLine, 0)
	if len(got) != 2 || utf8.RuneCountInString(got[0]) != 28 {
		t.Errorf("got %q", got)
	}
	got = breakText(s, charsLine, 2)
	if utf8.RuneCountInString(got[0]) != 26 {
		t.Errorf("indented first line: got %d chars", utf8.RuneCountInString(got[0]))
	}
}

func TestJustify(t *testing.T) {
	ts := newTypesetter(testFaces())
	gs := ts.shape("一二三四五，六七八abc九", stBody, 0)
	width := 6 * charPitch
	spans := breakLines(gs, width, 0)
	for i, sp := range spans[:len(spans)-1] {
		xs := place(gs, sp, width, true, nil)
		end := xs[len(xs)-1] + gs[sp.end-1].w
		if d := end - width; d > 0.001 || d < -0.001 {
			t.Errorf("line %d %q ends at %.3f, want %.3f", i, lineText(gs, sp), end, width)
		}
	}
	// inside a Latin word nothing stretches
	gs = ts.shape("一abc二", stBody, 0)
	natural := 0.0
	for _, g := range gs {
		natural += g.w
	}
	xs := place(gs, span{start: 0, end: len(gs)}, natural+2, true, nil)
	near := func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
	if !near(xs[2]-xs[1], gs[1].w) || !near(xs[3]-xs[2], gs[2].w) {
		t.Errorf("a Latin word was stretched: %v", xs)
	}
	if !near(xs[1]-xs[0], gs[0].w+1) || !near(xs[4]-xs[3], gs[3].w+1) {
		t.Errorf("the slack did not go to the gaps around the word: %v", xs)
	}
}

// checkLines asserts the line breaker's invariants.
func checkLines(t *testing.T, s string, n, indent int) {
	ts := newTypesetter(testFaces())
	gs := ts.shape(s, stBody, 0)
	width, ind := float64(n)*charPitch, float64(indent)*charPitch
	spans := breakLines(gs, width, ind)
	prev := 0
	for i, sp := range spans {
		if sp.start < prev || sp.end <= sp.start || sp.end > len(gs) {
			t.Fatalf("%q: bad span %v after %d", s, sp, prev)
		}
		for _, g := range gs[prev:sp.start] { // only spaces are dropped
			if g.r != ' ' {
				t.Fatalf("%q: %q dropped between lines", s, g.r)
			}
		}
		w := gs[sp.start].off
		for _, g := range gs[sp.start:sp.end] {
			w += g.w
		}
		avail := width
		if i == 0 {
			avail -= ind
		}
		if w > avail+eps && sp.end-sp.start > 1 {
			t.Fatalf("%q: line %d %q is %.2f wide, room %.2f", s, i, lineText(gs, sp), w, avail)
		}
		if gs[sp.start].r == ' ' || gs[sp.end-1].r == ' ' {
			t.Fatalf("%q: line %d has a space at an end", s, i)
		}
		prev = sp.end
	}
	for _, g := range gs[prev:] {
		if g.r != ' ' {
			t.Fatalf("%q: %q lost at the end", s, g.r)
		}
	}
}

func TestBreakLinesInvariants(t *testing.T) {
	for _, s := range []string{"", " ", "一", "，，，，，，，，", "（（（（（（（", "aaaaaaaaaaaaaaaaaaaaa", "一 二 三 ， 。",
		strings.Repeat("经查，当事人（张三）于2026年3月1日销售¥12,000.00元的“牛奶”。", 5)} {
		for n := 1; n <= 12; n++ {
			checkLines(t, s, n, 0)
			checkLines(t, s, n+2, 2)
		}
	}
}

func FuzzBreakLines(f *testing.F) {
	f.Add("经查，当事人（张三）于2026年3月1日销售¥12,000.00元的“牛奶”。", uint8(10), uint8(2))
	f.Add("ab cd ef  gh……——《》", uint8(3), uint8(0))
	f.Add("https://penaltydoc.example.gov.cn/verify/8Fq2kZr7TmXw3Lp9", uint8(5), uint8(1))
	f.Fuzz(func(t *testing.T, s string, n, indent uint8) {
		if !utf8.ValidString(s) || len(s) > 2000 {
			return
		}
		w := int(n%40) + 1
		ind := int(indent) % w
		checkLines(t, s, w, ind)
		// no line starts with closing or ends with opening punctuation,
		// except when the paragraph itself starts that way or a run had to
		// be cut
		lines := breakText(s, w, ind)
		for i, l := range lines {
			r := []rune(l)
			if i > 0 && isClosing(r[0]) && !isClosing([]rune(lines[i-1])[len([]rune(lines[i-1]))-1]) &&
				utf8.RuneCountInString(lines[i-1]) > 1 && !strings.Contains(s, " "+string(r[0])) {
				t.Errorf("%q: line %d %q starts with closing punctuation", s, i, l)
			}
		}
	})
}

// TestKeepRuns: which runs keepRuns finds.
func TestKeepRuns(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"送达了（杭市监罚告〔2026〕1号），", []string{"杭市监罚告〔2026〕1号"}},
		{"更正本局江南市监处罚〔2026〕128号行政处罚决定书", []string{"本局江南市监处罚〔2026〕128号"}},
		{"的国办发〔2012〕第10号", []string{"国办发〔2012〕第10号"}},
		{"〔2026〕号", nil},
		{"〔26〕1号", nil},
		{"罚款人民币壹万贰仟元整（¥12,000.00）", []string{"人民币壹万贰仟元整", "¥12,000.00"}},
		{"壹万陆仟肆佰零玖元零贰分，伍角整", []string{"壹万陆仟肆佰零玖元零贰分", "伍角整"}},
		{"货值金额12000元，人民币12,000.00元整。", []string{"人民币12,000.00元整"}}, // 12000元 is one atom already,
		{"并处五万元以上十万元以下罚款", []string{"五万元", "十万元"}},
		{"十分严重，第一百二十四条，零售", nil},
		{"于2026年11月28日，二〇二六年十一月二十八日", []string{"2026年11月28日", "二〇二六年十一月二十八日"}},
		{"2026年9月18日、9月25日，2026年11月", []string{"2026年9月18日", "9月25日", "2026年11月"}},
		{"十二月三日前，一个月", []string{"十二月三日"}},
		{"依照《行政处罚事先告知书》第七十二条", []string{"《行政处罚事先告知书》"}},
		{"依照《中华人民共和国行政处罚法》第七十二条", nil}, // a law's full name may break
		{"《关于进一步规范市场监督管理行政处罚裁量权的指导意见》", nil},
		{"《行政处罚事先告知书》（江南市监罚告〔2026〕96号）", []string{"《行政处罚事先告知书》", "江南市监罚告〔2026〕96号"}},
	}
	ts := newTypesetter(testFaces())
	for _, tt := range tests {
		gs := ts.shape(tt.in, stBody, 0)
		var got []string
		for _, r := range keepRuns(gs, nil) {
			got = append(got, lineText(gs, span{start: r.s, end: r.e}))
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("keepRuns(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestKeepTogether: document numbers, amounts, dates and short book titles
// move whole to the next line; longer titles and runs longer than a line
// break.
func TestKeepTogether(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		n, ind int
		want   []string
	}{
		{"document number", "一二三四五六七八送达（杭市监罚告〔2026〕1号），告知", 20, 0,
			[]string{"一二三四五六七八送达", "（杭市监罚告〔2026〕1号），告知"}},
		{"date", "一二三四五六七八九十2026年11月28日", 14, 0, []string{"一二三四五六七八九十", "2026年11月28日"}},
		{"date in Chinese", "甲乙丙丁戊己庚辛二〇二六年十一月二十八日", 16, 0, []string{"甲乙丙丁戊己庚辛", "二〇二六年十一月二十八日"}},
		{"month and day", "一二三四五六七八九十9月18日", 13, 0, []string{"一二三四五六七八九十", "9月18日"}},
		{"capitals", "一二三四五六七八罚款人民币壹万贰仟元整（¥12,000.00）。", 14, 0,
			[]string{"一二三四五六七八罚款", "人民币壹万贰仟元整", "（¥12,000.00）。"}},
		{"figures", "一二三四五六七八九十人民币12,000.00元", 14, 0, []string{"一二三四五六七八九十", "人民币12,000.00元"}},
		{"figures with yuan", "一二三四五六七八九十12000元", 13, 0, []string{"一二三四五六七八九十", "12000元"}},
		{"title", "一二三四五六七八依照《行政处罚事先告知书》第七十二条", 20, 0,
			[]string{"一二三四五六七八依照", "《行政处罚事先告知书》第七十二条"}},
		{"title with comma", "一二三四五六七八九十一二三《食品安全法》，", 18, 0, []string{"一二三四五六七八九十一二三", "《食品安全法》，"}},
		{"long title breaks", "一二三四五《关于进一步规范市场监督管理行政处罚裁量权的指导意见》", 20, 0,
			[]string{"一二三四五《关于进一步规范市场监督管理行", "政处罚裁量权的指导意见》"}},
		{"longer than a line", "一杭市监罚告〔2026〕1号", 8, 0, []string{"一杭市监罚告", "〔2026〕1号"}},
		{"indented first line", "杭市监罚告〔2026〕1号告知", 12, 2, []string{"杭市监罚告〔2026〕", "1号告知"}},
		{"two runs", "一二三2026年11月28日至2026年12月12日", 10, 0, []string{"一二三", "2026年11月28日至", "2026年12月12日"}},
	}
	for _, tt := range tests {
		got := breakText(tt.in, tt.n, tt.ind)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: breakText(%q, %d) = %q, want %q", tt.name, tt.in, tt.n, got, tt.want)
		}
	}
}

// TestKeepJustified: the line before a run that moved whole is justified
// even when its gaps get wider than maxGap.
func TestKeepJustified(t *testing.T) {
	ts := newTypesetter(testFaces())
	gs := ts.shape("一二三四五六七八依照《行政处罚事先告知书》第七十二条", stBody, 0)
	width := 20 * charPitch
	spans := breakLines(gs, width, 0)
	sp := spans[0]
	if lineText(gs, sp) != "一二三四五六七八依照" || !sp.loose {
		t.Fatalf("first line %q (loose %v)", lineText(gs, sp), sp.loose)
	}
	xs := place(gs, sp, width, true, nil)
	if end := xs[len(xs)-1] + gs[sp.end-1].w; math.Abs(end-width) > 0.001 {
		t.Errorf("line before the title ends at %.2f mm, want %.2f", end, width)
	}
	// an ordinary line broken before a long number stays ragged
	gs = ts.shape("一二三12,000,000,000,000.00", stBody, 0)
	sp = breakLines(gs, 12*charPitch, 0)[0]
	xs = place(gs, sp, 12*charPitch, true, nil)
	if end := xs[len(xs)-1] + gs[sp.end-1].w; end > 4*charPitch {
		t.Errorf("ragged line stretched to %.2f mm", end)
	}
}

// TestSqueeze: two full-width marks in a row take less than two ems.
func TestSqueeze(t *testing.T) {
	tests := []struct {
		in   string
		want float64 // ems
	}{
		{"》（", 1},   // closing + opening share an em
		{"，（", 1},   //
		{"：“", 1},   //
		{"）。", 1.5}, // closing + closing: the first is half wide
		{"。”", 1.5}, //
		{"（《", 1.5}, // opening + opening: the second is half wide
		{"）。”", 2},
		{"》）。", 2},
		{"（）", 2}, // opening + closing: nothing to squeeze
		{"一，二", 3},
		{"（一）", 3},
		{"？”", 2},          // ？ is centred in FangSong
		{"，,", 1 + 0.5066}, // an ASCII comma is not full width
	}
	ts := newTypesetter(testFaces())
	for _, tt := range tests {
		gs := ts.shape(tt.in, stBody, 0)
		sp := span{start: 0, end: len(gs)}
		got := lineWidth(gs, sp, place(gs, sp, 0, false, nil)) / charPitch
		if math.Abs(got-tt.want) > 0.01 {
			t.Errorf("%q is %.3f em wide, want %.3f", tt.in, got, tt.want)
		}
	}

	// an opening mark gets its blank half back at the start of a line
	gs := ts.shape("一二三四五》（六）", stBody, 0)
	spans := breakLines(gs, 6*charPitch, 0)
	if len(spans) != 2 || lineText(gs, spans[1]) != "（六）" {
		t.Fatalf("lines %v", spans)
	}
	sp := spans[1]
	xs := place(gs, sp, 6*charPitch, false, nil)
	if w := lineWidth(gs, sp, xs); math.Abs(w-3*charPitch) > 0.001 || math.Abs(xs[1]-charPitch) > 0.001 {
		t.Errorf("line %q: width %.2f, 六 at %.2f", lineText(gs, sp), w, xs[1])
	}
	if r, _ := gs[sp.start].drawn(true); r != '（' {
		t.Errorf("（ at a line start drawn as %U", r)
	}
	if r, nat := gs[sp.start].drawn(false); r != shiftVariant+'（' || math.Abs(nat-gs[sp.start].nat/2) > 1e-9 {
		t.Errorf("squeezed （ drawn as %U, %.2f mm", r, nat)
	}
	if r, _ := gs[5].drawn(false); r != halfVariant+'》' {
		t.Errorf("squeezed 》 drawn as %U", r)
	}
}

// TestSqueezeJustify: justification does not widen the space between two
// squeezed marks; the slack goes to the other gaps.
func TestSqueezeJustify(t *testing.T) {
	ts := newTypesetter(testFaces())
	gs := ts.shape("甲）。乙丙", stBody, 0)
	sp := span{start: 0, end: len(gs)}
	avail := 5.5 * charPitch // natural 4.5 em: 1 em of slack over three gaps
	xs := place(gs, sp, avail, true, nil)
	if d := xs[2] - xs[1]; math.Abs(d-gs[1].w) > 1e-9 {
		t.Errorf("）。 stretched: 。 is %.3f mm after ）, want %.3f", d, gs[1].w)
	}
	add := charPitch / 3
	for _, i := range []int{1, 3, 4} {
		if d := xs[i] - xs[i-1] - gs[i-1].w; math.Abs(d-add) > 1e-9 {
			t.Errorf("gap before %q is %.3f mm, want %.3f", gs[i].r, d, add)
		}
	}
	if end := lineWidth(gs, sp, xs); math.Abs(end-avail) > 1e-9 {
		t.Errorf("line ends at %.3f, want %.3f", end, avail)
	}
}
