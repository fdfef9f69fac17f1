package render

import "unicode"

// Keep-together runs: units of meaning that a line break must not split.
// The line breaker moves such a run whole to the next line when it does
// not fit the rest of a line; only a run longer than a whole line breaks,
// between its atoms.
//
//   - document numbers: an agency code of up to maxCodeLen CJK characters,
//     a year in 〔〕, the serial number and 号 (江南市监处罚〔2026〕128号);
//   - amounts with their unit, in figures or in capitals, with 人民币
//     before them (¥12,000.00, 人民币壹万贰仟元整, 人民币12,000.00元, 五万元;
//     12000元 is one atom already, see atoms);
//   - dates and their year-month and month-day parts, in Arabic or
//     Chinese numerals (2026年11月28日, 二〇二六年十一月二十八日, 9月18日);
//   - book titles of up to maxKeepTitle characters between 《》.

const (
	maxCodeLen   = 8  // characters of an agency code before 〔
	maxKeepTitle = 10 // characters between 《 and 》: a short title (a document's, a rule's); a law's full name may break
)

// Character classes of the runs, by code point (all are in the BMP).
const (
	clCapital = 1 << iota // 零壹贰…仟: capital numerals
	clLower               // 〇一二…千两: lower-case numerals
	clBig                 // 万亿
	clMoney               // 元圆角分整
	clYear                // numerals of a year in Chinese
	clMonth               // numerals of a month in Chinese
	clDay                 // numerals of a day in Chinese
	clStop                // words of running text, never part of an agency code
)

var keepClass = func() (t [1 << 16]uint8) {
	for cl, set := range map[uint8]string{
		clCapital: "零壹贰叁肆伍陆柒捌玖拾佰仟",
		clLower:   "〇一二三四五六七八九十百千两",
		clBig:     "万亿",
		clMoney:   "元圆角分整",
		clYear:    "〇零一二三四五六七八九",
		clMonth:   "一二三四五六七八九十",
		clDay:     "一二三四五六七八九十廿卅",
		clStop:    "的了于和及与向对将即为是",
	} {
		for _, r := range set {
			t[r] |= cl
		}
	}
	return t
}()

// is reports whether r is in one of the classes cl.
func is(r rune, cl uint8) bool { return r < 1<<16 && keepClass[r]&cl != 0 }

// markKeeps ties the glyphs of each keep-together run of gs.
func markKeeps(gs []glyph) {
	var buf [16]run
	for _, r := range keepRuns(gs, buf[:0]) {
		for i := r.s; i < r.e-1; i++ {
			gs[i].tie = true
		}
	}
}

// run is a range of glyphs [s, e).
type run struct{ s, e int }

// keepRuns appends to dst the keep-together runs of gs, sorted and not
// overlapping.
func keepRuns(gs []glyph, dst []run) []run {
	for i := 0; i < len(gs); i++ {
		s, e := -1, -1
		switch r := gs[i].r; {
		case r == '〔':
			s, e = docNumber(gs, i)
		case r == '《':
			s, e = bookTitle(gs, i)
		case r == '年':
			s, e = dateFromYear(gs, i)
		case r == '月':
			s, e = dateFromMonth(gs, i)
		case r == '¥' || r == '￥' || isDigit(r) && hasRMB(gs, i):
			s, e = figures(gs, i)
		case is(r, clCapital|clLower|clBig) && (i == 0 || !is(gs[i-1].r, clCapital|clLower|clBig|clMoney)):
			s, e = capitals(gs, i)
		}
		if s < 0 || e-s < 2 {
			continue
		}
		// merge with the runs it overlaps (an agency code looks backwards)
		for len(dst) > 0 && s < dst[len(dst)-1].e {
			last := dst[len(dst)-1]
			s, e = min(s, last.s), max(e, last.e)
			dst = dst[:len(dst)-1]
		}
		dst = append(dst, run{s, e})
		i = e - 1
	}
	return dst
}

// count returns how many glyphs from i on are in set, at most n.
func count(gs []glyph, i, n int, set func(rune) bool) int {
	k := 0
	for k < n && i+k < len(gs) && set(gs[i+k].r) {
		k++
	}
	return k
}

func isClass(cl uint8) func(rune) bool { return func(r rune) bool { return is(r, cl) } }

// docNumber: an agency code, 〔 at i, four digits, 〕, [第] digits, 号.
func docNumber(gs []glyph, i int) (int, int) {
	j := i + 1
	if count(gs, j, 5, isDigit) != 4 || j+4 >= len(gs) || gs[j+4].r != '〕' {
		return -1, -1
	}
	j += 5
	if j < len(gs) && gs[j].r == '第' {
		j++
	}
	n := count(gs, j, 10, isDigit)
	if n == 0 || j+n >= len(gs) || gs[j+n].r != '号' {
		return -1, -1
	}
	s := i
	for s > 0 && i-s < maxCodeLen && unicode.Is(unicode.Han, gs[s-1].r) && !is(gs[s-1].r, clStop) {
		s--
	}
	return s, j + n + 1
}

// bookTitle: 《 at i and its 》 at most maxKeepTitle characters on.
func bookTitle(gs []glyph, i int) (int, int) {
	for j := i + 1; j < len(gs) && j <= i+maxKeepTitle+1; j++ {
		switch gs[j].r {
		case '》':
			return i, j + 1
		case '《':
			return -1, -1
		}
	}
	return -1, -1
}

// dateFromYear: four numerals, 年 at i, and the month and day after it.
func dateFromYear(gs []glyph, i int) (int, int) {
	if i < 4 {
		return -1, -1
	}
	arabic := count(gs, i-4, 4, isDigit) == 4 && (i == 4 || !isDigit(gs[i-5].r))
	if !arabic && count(gs, i-4, 4, isClass(clYear)) != 4 {
		return -1, -1
	}
	e := i + 1
	if m := monthDay(gs, e); m > e {
		e = m
	}
	return i - 4, e
}

// dateFromMonth: a month's numerals, 月 at i, and the day after it.
func dateFromMonth(gs []glyph, i int) (int, int) {
	s := i
	if i > 0 && isDigit(gs[i-1].r) {
		for s > 0 && i-s < 2 && isDigit(gs[s-1].r) {
			s--
		}
	} else {
		for s > 0 && i-s < 2 && is(gs[s-1].r, clMonth) {
			s--
		}
	}
	if s == i {
		return -1, -1
	}
	e := i + 1
	if d := day(gs, e); d > 0 {
		e = d
	}
	return s, e
}

// monthDay returns the end of the month (and day) starting at j, or j.
func monthDay(gs []glyph, j int) int {
	n := count(gs, j, 2, isDigit)
	if n == 0 {
		n = count(gs, j, 2, isClass(clMonth))
	}
	if n == 0 || j+n >= len(gs) || gs[j+n].r != '月' {
		return j
	}
	e := j + n + 1
	if d := day(gs, e); d > 0 {
		e = d
	}
	return e
}

// day returns the end of the day (numerals and 日) starting at j, or 0.
func day(gs []glyph, j int) int {
	n := count(gs, j, 2, isDigit)
	if n == 0 {
		n = count(gs, j, 3, isClass(clDay))
	}
	if n == 0 || j+n >= len(gs) || gs[j+n].r != '日' {
		return 0
	}
	return j + n + 1
}

// hasRMB reports whether 人民币 ends right before i.
func hasRMB(gs []glyph, i int) bool {
	return i >= 3 && gs[i-3].r == '人' && gs[i-2].r == '民' && gs[i-1].r == '币'
}

// withRMB extends a run starting at s over a 人民币 before it.
func withRMB(gs []glyph, s int) int {
	if hasRMB(gs, s) {
		return s - 3
	}
	return s
}

// figures: an amount in figures from i (¥, digits, separators) with its
// unit (万元, 元, 元整).
func figures(gs []glyph, i int) (int, int) {
	j := i
	if !isDigit(gs[j].r) {
		j++
	}
	digits := 0
	for j < len(gs) && (isDigit(gs[j].r) || gs[j].r == ',' || gs[j].r == '.') {
		if isDigit(gs[j].r) {
			digits++
		}
		j++
	}
	if digits == 0 {
		return -1, -1
	}
	for j > i && !isDigit(gs[j-1].r) { // a trailing comma or full stop is punctuation
		j--
	}
	if j < len(gs) && is(gs[j].r, clBig) {
		j++
	}
	if j < len(gs) && gs[j].r == '元' {
		j++
		if j < len(gs) && gs[j].r == '整' {
			j++
		}
	}
	return withRMB(gs, i), j
}

// capitals: an amount in Chinese numerals from i ending with its unit:
// 壹万贰仟元整, 伍角整, 五万元. Lower-case numerals count only before 元
// (十分 is a word).
func capitals(gs []glyph, i int) (int, int) {
	lastUnit := -1
	numerals, lower, minor := 0, false, false
scan:
	for j := i; j < len(gs); j++ {
		r := gs[j].r
		switch {
		case is(r, clCapital):
			numerals++
		case is(r, clLower):
			numerals++
			lower = true
		case is(r, clBig):
		case is(r, clMoney):
			lastUnit = j
			minor = minor || r == '角' || r == '分'
		default:
			break scan
		}
	}
	if lastUnit < 0 || numerals == 0 || lower && minor {
		return -1, -1
	}
	e := lastUnit + 1
	if gs[lastUnit].r == '整' && (lastUnit == i || !is(gs[lastUnit-1].r, clMoney)) {
		return -1, -1
	}
	return withRMB(gs, i), e
}
