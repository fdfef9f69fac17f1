package render

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// Chinese line breaking (GB/T 15834 and common office practice):
//   - no line starts with closing punctuation, none ends with opening
//     punctuation: the character next to it moves with it to the next line
//     (pull-back; the line is then justified);
//   - Latin words, numbers with their unit (12,000.00元, 2026年, 50%) and
//     URLs stay whole; a run longer than a line is cut where the line ends;
//   - a space between Latin words is a break and disappears at a line end.

// glyph is one character as laid out.
type glyph struct {
	r    rune
	font uint8
	tie  bool    // this glyph and the next are in one keep-together run
	half bool    // a closing mark with its blank right half squeezed away
	w    float64 // advance on the line, mm (the font's plus tracking, less squeezing)
	nat  float64 // the font's own advance, mm
	off  float64 // an opening mark's blank left half squeezed away (mm), given back at a line start
}

// span is a line: glyphs [start, end). A loose line ends early because a
// keep-together run did not fit after it; it is justified whatever its
// slack.
type span struct {
	start, end int
	loose      bool
}

const (
	closingPunct = "，。、；：？！）》」』】〕〉］｝〗〙”’…‥·・％%)]}.,;:!?℃‰°〃々～"
	openingPunct = "（《「『【〔〈［｛〖〘“‘([{¥￥$€£#№"
	unitChars    = "元角分万亿千百年月日时秒岁周天个件次条款项号人名家辆台份张页倍米克吨升度斤亩户期%％℃‰"
	wordPunct    = "._-/:@#&+=~%*'\\?!,;"
)

// The classes of the BMP's characters, a bit per class (a table, not
// maps: the line breaker asks for every character).
const (
	classClosing = 1 << iota
	classOpening
	classUnit
	classWord
)

var runeClasses = func() *[0x10000]uint8 {
	var t [0x10000]uint8
	for class, s := range map[uint8]string{classClosing: closingPunct, classOpening: openingPunct, classUnit: unitChars, classWord: wordPunct} {
		for _, r := range s {
			t[r] |= class
		}
	}
	return &t
}()

// inClass reports whether r is in class (characters beyond the BMP are in none).
func inClass(r rune, class uint8) bool {
	return r >= 0 && r < 0x10000 && runeClasses[r]&class != 0
}

func isClosing(r rune) bool { return inClass(r, classClosing) }
func isOpening(r rune) bool { return inClass(r, classOpening) }

// Punctuation compression (GB/T 15834, JLREQ 3.1.4): a full-width mark is
// ink on one half of its em and blank on the other, the right half for
// closing marks (and the pause and stop marks, set to the left in Chinese
// fonts), the left half for opening marks. Between two marks in a row the
// blank half that faces the other mark is squeezed: a closing mark followed
// by an opening one share one em, a closing mark followed by another
// closing mark is half wide, an opening mark after another opening mark
// is half wide. The squeezed marks are drawn with half-wide variants of
// their glyphs (see embed.go). TestSqueezableInk checks the fonts' glyphs.

// squeezable returns 'c' for a closing mark that may be squeezed, 'o' for
// an opening one, 0 for any other character.
func squeezable(r rune) byte {
	switch r {
	case '，', '。', '、', '；', '：', '）', '》', '」', '』', '】', '〕', '〉', '〗', '”', '’':
		return 'c'
	case '（', '《', '「', '『', '【', '〔', '〈', '〖', '“', '‘':
		return 'o'
	}
	return 0
}

// squeezePunct compresses adjacent full-width punctuation in gs (set at
// size pt).
func squeezePunct(gs []glyph, size float64) {
	full := 0.9 * size * mmPerPt // a full-width glyph's natural advance is about one em
	for i := 0; i+1 < len(gs); i++ {
		a, b := &gs[i], &gs[i+1]
		if a.nat < full || b.nat < full || a.r < 0x2018 || b.r < 0x2018 {
			continue
		}
		sa, sb := squeezable(a.r), squeezable(b.r)
		if sa == 0 || sb == 0 {
			continue
		}
		if sa == 'c' {
			a.w /= 2 // the blank right half of a
			a.half = true
		}
		if sb == 'o' {
			b.off = b.w / 2 // the blank left half of b
			b.w -= b.off
		}
	}
}

// isWordChar: part of a Latin word, number or URL.
func isWordChar(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || inClass(r, classWord)
	}
	return r < 0x0530 && unicode.IsLetter(r) // Latin, Greek, Cyrillic
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// atoms returns the boundaries of the unbreakable units of gs: atom k is
// gs[b[k]:b[k+1]]. A space is an atom of its own.
func atoms(gs []glyph) []int {
	b := make([]int, 0, len(gs)+1)
	b = append(b, 0)
	prevSpace := true // no atom yet
	for i := 0; i < len(gs); {
		r := gs[i].r
		j := i + 1
		switch {
		case r == ' ':
		case isWordChar(r):
			for j < len(gs) && isWordChar(gs[j].r) {
				j++
			}
			if isDigit(gs[j-1].r) {
				for k := 0; k < 2 && j < len(gs) && inClass(gs[j].r, classUnit); k++ {
					j++
				}
			}
		case r == '—' || r == '…' || r == '─':
			for j < len(gs) && gs[j].r == r {
				j++
			}
		}
		space := r == ' '
		glue := !prevSpace && !space && len(b) > 1 && (isClosing(r) || isOpening(gs[i-1].r))
		if glue {
			b[len(b)-1] = j
		} else {
			b = append(b, j)
		}
		prevSpace = space
		i = j
	}
	if len(b) == 1 {
		return b
	}
	return b
}

const eps = 0.01 // mm

// softCuts are the characters after which an over-long run (a URL, a path)
// is cut in preference to cutting it wherever the line ends.
const softCuts = "/?&=-_"

// softCut returns the position after the last soft-cut character of
// gs[start:i] that still leaves the line at least half full, or 0.
func softCut(gs []glyph, start, i int, avail float64) int {
	w := 0.0
	for k := start; k < i; k++ {
		w += gs[k].w
	}
	for p := i; p > start+1; p-- {
		if w < avail/2 {
			return 0
		}
		if strings.ContainsRune(softCuts, gs[p-1].r) {
			return p
		}
		w -= gs[p-1].w
	}
	return 0
}

// breakLines splits gs into lines of at most width mm; the first line has
// indent mm less. Spaces at the ends of lines are left out of the spans.
// A keep-together run (glyphs tied by markKeeps) that does not fit the
// rest of a line starts the next one, and the line before it is loose
// (justified however wide its gaps); a run longer than a line breaks
// between its atoms. An opening mark squeezed after another mark gets its
// blank half back at the start of a line.
func breakLines(gs []glyph, width, indent float64) []span {
	b := atoms(gs)
	if lines, ok := bestLines(gs, b, width, indent); ok {
		return lines
	}
	return greedyLines(gs, b, width, indent)
}

// bestLines breaks the paragraph where the sum of the lines' badness is
// least (total fit, as TeX does, over the break points the punctuation
// rules and the keep-together runs allow): a run that would leave one line
// loose pulls the breaks before it forward instead, so the slack is shared
// by several lines. The last line is free. False when some unit is longer
// than a line (then breakLines cuts greedily).
func bestLines(gs []glyph, b []int, width, indent float64) ([]span, bool) {
	n := len(b) - 1 // atoms
	if n <= 0 {
		return nil, true
	}
	// A break may fall at atom boundary k (before atom k) unless it is
	// inside a keep-together run. Per atom, once: whether it is a space,
	// whether a break may fall before it, its width (the sum of its
	// glyphs' in order, as the line's width adds them).
	const (
		space = 1 << iota
		breakable
	)
	sc := bestPool.Get().(*bestScratch)
	defer bestPool.Put(sc)
	sc.flags = slices.Grow(sc.flags[:0], n+1)[:n+1]
	clear(sc.flags)
	sc.f = slices.Grow(sc.f[:0], 2*(n+1))[:2*(n+1)]
	sc.prev = slices.Grow(sc.prev[:0], n+1)[:n+1]
	flags, prev := sc.flags, sc.prev
	cost, atomW := sc.f[:n+1], sc.f[n+1:]
	for k := range n + 1 {
		if k == 0 || k == n || !gs[b[k]-1].tie {
			flags[k] |= breakable
		}
		if k == n {
			break
		}
		if gs[b[k]].r == ' ' {
			flags[k] |= space
		}
		aw := 0.0
		for _, g := range gs[b[k]:b[k+1]] {
			aw += g.w
		}
		atomW[k] = aw
	}
	canBreak := func(k int) bool { return flags[k]&breakable != 0 }
	isSpace := func(k int) bool { return flags[k]&space != 0 }
	const inf = math.MaxFloat64
	for i := range cost {
		cost[i] = inf
	}
	cost[0] = 0
	for i := 0; i < n; i++ {
		if cost[i] == inf || !canBreak(i) {
			continue
		}
		first := i
		for first < n && isSpace(first) { // spaces at a line's start vanish
			first++
		}
		if first == n {
			if cost[i] < cost[n] {
				cost[n], prev[n] = cost[i], i
			}
			continue
		}
		avail := width
		if i == 0 {
			avail = width - indent
		}
		w := gs[b[first]].off // an opening mark at a line's start is full width
		trail := 0.0          // spaces since the last atom that is not one
		ci, limit := cost[i], avail+eps
		fl, aws, cs := flags[:n+1], atomW[:n], cost[:n+1]
		for j := first; j < n; j++ {
			aw := aws[j]
			if fl[j]&space != 0 {
				trail += aw
				continue
			}
			w += trail + aw
			trail = 0
			if w > limit {
				if j == first {
					return nil, false // a unit longer than a line
				}
				break
			}
			if fl[j+1]&breakable == 0 {
				continue
			}
			c := 0.0
			if j+1 < n {
				r := (avail - w) / avail
				c = 1 + 100*r*r*r
			}
			if v := ci + c; v <= cs[j+1] { // on a tie, the fuller earlier lines
				cs[j+1], prev[j+1] = v, i
			}
		}
	}
	if cost[n] == inf {
		return nil, false
	}
	var ks []int
	for k := n; k > 0; k = prev[k] {
		ks = append(ks, k)
	}
	lines := make([]span, 0, len(ks))
	start := 0
	for i := len(ks) - 1; i >= 0; i-- {
		end := ks[i]
		s, e := start, end
		for s < e && isSpace(s) {
			s++
		}
		for e > s && isSpace(e-1) {
			e--
		}
		if e > s {
			// justified however wide when a keep-together run moved to the next line
			loose := end < n && gs[b[end]].tie
			lines = append(lines, span{start: b[s], end: b[e], loose: loose})
		}
		start = end
	}
	return lines, true
}

// bestScratch is bestLines' room, reused across paragraphs.
type bestScratch struct {
	flags []uint8
	f     []float64 // cost, then the atoms' widths
	prev  []int
}

var bestPool = sync.Pool{New: func() any { return new(bestScratch) }}

// greedyLines is the first-fit breaker, for paragraphs with a unit longer
// than a line.
func greedyLines(gs []glyph, b []int, width, indent float64) []span {
	var lines []span
	avail := width - indent
	start, end := -1, -1 // current line; end is after its last non-space atom
	x := 0.0
	flush := func(loose bool) {
		if start >= 0 && end > start {
			lines = append(lines, span{start, end, loose})
		}
		start, end, x = -1, -1, 0
		avail = width
	}
	kEnd := -1 // end of the keep-together run being laid out atom by atom
	for k := 0; k+1 < len(b); k++ {
		s, e := b[k], b[k+1]
		if gs[s].r == ' ' {
			if start >= 0 {
				x += gs[s].w
			}
			continue
		}
		if s >= kEnd && gs[e-1].tie {
			// a keep-together run goes on into the next atom: take its atoms whole
			k2 := k + 1
			for k2+1 < len(b) && gs[b[k2]-1].tie {
				k2++
			}
			w := 0.0
			for _, g := range gs[s:b[k2]] {
				w += g.w
			}
			if start >= 0 && x+w > avail+eps && gs[s].off+w <= width+eps {
				flush(true)
			}
			if start >= 0 && x+w <= avail+eps || start < 0 && gs[s].off+w <= avail+eps {
				if start < 0 {
					start, x = s, gs[s].off
				}
				x += w
				end = b[k2]
				k = k2 - 1
				continue
			}
			kEnd = b[k2] // longer than a line: atom by atom
		}
		w := 0.0
		for _, g := range gs[s:e] {
			w += g.w
		}
		if start >= 0 && x+w > avail+eps {
			flush(false)
		}
		if start < 0 && gs[s].off+w > avail+eps {
			// longer than a line: cut it where lines end
			for i := s; i < e; i++ {
				if start >= 0 && x+gs[i].w > avail+eps {
					// cut before i, or before i-1 so that no line starts
					// with closing or ends with opening punctuation
					cut := i
					if p := softCut(gs, start, i, avail); p > 0 {
						cut = p
					}
					for cut-1 > start && (isClosing(gs[cut].r) || isOpening(gs[cut-1].r)) {
						cut--
					}
					lines = append(lines, span{start: start, end: cut})
					start, avail, x = cut, width, gs[cut].off
					for j := cut; j < i; j++ {
						x += gs[j].w
					}
					if start < i && x+gs[i].w > avail+eps {
						// what moved with i does not fit with it (a
						// squeezed mark is full width again): a line of its own
						lines = append(lines, span{start: start, end: i})
						start, x = i, gs[i].off
					}
				}
				if start < 0 {
					start, x = i, gs[i].off
				}
				x += gs[i].w
				end = i + 1
			}
			continue
		}
		if start < 0 {
			start, x = s, gs[s].off
		}
		x += w
		end = e
	}
	flush(false)
	return lines
}

// maxGap caps the space justification adds at one gap (mm); a line that
// would need more is set ragged, unless it is loose.
const maxGap = 4.0

// comfortGap is the widest gap justification adds outside keep-together
// runs before it spreads the slack into them too (mm).
const comfortGap = 1.5

// place returns the x offset of each glyph of line sp from the line's
// start. With justify, the slack is spread over the gaps between
// characters (stretch), never inside Latin words and numbers, and inside
// keep-together runs only when the other gaps would get more than maxGap.
// A line whose gaps would all get more than maxGap is set ragged, unless it
// is loose.
func place(gs []glyph, sp span, avail float64, justify bool, xs []float64) []float64 {
	xs = xs[:0]
	total := 0.0
	if sp.end > sp.start {
		total = gs[sp.start].off
	}
	for i := sp.start; i < sp.end; i++ {
		total += gs[i].w
	}
	var gaps [3]int // by stretch level
	if justify {
		for i := sp.start; i+1 < sp.end; i++ {
			gaps[stretch(gs[i], gs[i+1])]++
		}
	}
	add, level := 0.0, 0
	if slack := avail - total; justify && slack > 0 {
		switch n := float64(gaps[2]); {
		case n > 0 && slack/n <= comfortGap:
			add, level = slack/n, 2
		case gaps[1] > 0 && (sp.loose || slack/(n+float64(gaps[1])) <= maxGap):
			// wide gaps outside a run: share the slack with the run's gaps
			add, level = slack/(n+float64(gaps[1])), 1
		case n > 0 && slack/n <= maxGap:
			add, level = slack/n, 2
		case gaps[1]+gaps[2] > 0 && (sp.loose || slack/(n+float64(gaps[1])) <= maxGap):
			add, level = slack/(n+float64(gaps[1])), 1
		}
	}
	x := 0.0
	for i := sp.start; i < sp.end; i++ {
		xs = append(xs, x)
		if i == sp.start {
			x += gs[i].off // not squeezed at the start of a line
		}
		x += gs[i].w
		if add > 0 && i+1 < sp.end && stretch(gs[i], gs[i+1]) >= level {
			x += add
		}
	}
	return xs
}

// lineWidth is the width of line sp placed at xs.
func lineWidth(gs []glyph, sp span, xs []float64) float64 {
	switch n := sp.end - sp.start; {
	case n <= 0:
		return 0
	case n == 1:
		return gs[sp.start].w + gs[sp.start].off
	}
	return xs[len(xs)-1] + gs[sp.end-1].w
}

// drawn is the character a glyph is drawn with and its advance as drawn
// (mm): a squeezed mark's half-wide variant, except an opening mark at the
// start of a line.
func (g glyph) drawn(lineStart bool) (rune, float64) {
	switch {
	case g.half:
		return halfVariant + g.r, g.nat / 2
	case g.off > 0 && !lineStart:
		return shiftVariant + g.r, g.nat / 2
	}
	return g.r, g.nat
}

// stretch is how readily justification widens the gap between a and b:
// 0 never (inside a Latin word or number, between two marks that may be
// squeezed), 1 when it must (inside a keep-together run), 2 first.
func stretch(a, b glyph) int {
	switch {
	case isWordChar(a.r) && isWordChar(b.r), a.r >= 0x2018 && squeezable(a.r) != 0 && squeezable(b.r) != 0:
		return 0
	case a.tie:
		return 1
	}
	return 2
}

// lineText returns the characters of a line (for tests and debugging).
func lineText(gs []glyph, sp span) string {
	var sb strings.Builder
	for _, g := range gs[sp.start:sp.end] {
		sb.WriteRune(g.r)
	}
	return sb.String()
}
