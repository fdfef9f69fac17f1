package render

import (
	"strings"
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
	w    float64 // advance on the line, mm (the font's plus tracking)
	nat  float64 // the font's own advance, mm
}

// span is a line: glyphs [start, end).
type span struct{ start, end int }

const (
	closingPunct = "，。、；：？！）》」』】〕〉］｝〗〙”’…‥·・％%)]}.,;:!?℃‰°〃々～"
	openingPunct = "（《「『【〔〈［｛〖〘“‘([{¥￥$€£#№"
	unitChars    = "元角分万亿千百年月日时秒岁周天个件次条款项号人名家辆台份张页倍米克吨升度斤亩户期%％℃‰"
	wordPunct    = "._-/:@#&+=~%*'\\?!,;"
)

var (
	closingSet = runeSet(closingPunct)
	openingSet = runeSet(openingPunct)
	unitSet    = runeSet(unitChars)
	wordSet    = runeSet(wordPunct)
)

func runeSet(s string) map[rune]bool {
	m := make(map[rune]bool, len(s))
	for _, r := range s {
		m[r] = true
	}
	return m
}

func isClosing(r rune) bool { return closingSet[r] }
func isOpening(r rune) bool { return openingSet[r] }

// isWordChar: part of a Latin word, number or URL.
func isWordChar(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || wordSet[r]
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
				for k := 0; k < 2 && j < len(gs) && unitSet[gs[j].r]; k++ {
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
func breakLines(gs []glyph, width, indent float64) []span {
	b := atoms(gs)
	var lines []span
	avail := width - indent
	start, end := -1, -1 // current line; end is after its last non-space atom
	x := 0.0
	flush := func() {
		if start >= 0 && end > start {
			lines = append(lines, span{start, end})
		}
		start, end, x = -1, -1, 0
		avail = width
	}
	for k := 0; k+1 < len(b); k++ {
		s, e := b[k], b[k+1]
		if gs[s].r == ' ' {
			if start >= 0 {
				x += gs[s].w
			}
			continue
		}
		w := 0.0
		for _, g := range gs[s:e] {
			w += g.w
		}
		if start >= 0 && x+w > avail+eps {
			flush()
		}
		if start < 0 && w > avail+eps {
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
					lines = append(lines, span{start, cut})
					start, avail, x = cut, width, 0
					for j := cut; j < i; j++ {
						x += gs[j].w
					}
				}
				if start < 0 {
					start = i
				}
				x += gs[i].w
				end = i + 1
			}
			continue
		}
		if start < 0 {
			start = s
		}
		x += w
		end = e
	}
	flush()
	return lines
}

// maxGap caps the space justification adds at one gap (mm); a line that
// would need more is set ragged.
const maxGap = 4.0

// place returns the x offset of each glyph of line sp from the line's
// start. With justify, the slack is spread over the gaps between
// characters, except inside Latin words and numbers.
func place(gs []glyph, sp span, avail float64, justify bool, xs []float64) []float64 {
	xs = xs[:0]
	total := 0.0
	for i := sp.start; i < sp.end; i++ {
		total += gs[i].w
	}
	gaps := 0
	if justify {
		for i := sp.start; i+1 < sp.end; i++ {
			if stretchable(gs[i].r, gs[i+1].r) {
				gaps++
			}
		}
	}
	add := 0.0
	if slack := avail - total; justify && gaps > 0 && slack > 0 && slack/float64(gaps) <= maxGap {
		add = slack / float64(gaps)
	}
	x := 0.0
	for i := sp.start; i < sp.end; i++ {
		xs = append(xs, x)
		x += gs[i].w
		if add > 0 && i+1 < sp.end && stretchable(gs[i].r, gs[i+1].r) {
			x += add
		}
	}
	return xs
}

func stretchable(a, b rune) bool { return !(isWordChar(a) && isWordChar(b)) }

// lineText returns the characters of a line (for tests and debugging).
func lineText(gs []glyph, sp span) string {
	var sb strings.Builder
	for _, g := range gs[sp.start:sp.end] {
		sb.WriteRune(g.r)
	}
	return sb.String()
}
