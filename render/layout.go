package render

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Page geometry (GB/T 9704-2012), in mm.
const (
	pageW     = 210.0
	pageH     = 297.0
	marginL   = 28.0
	marginT   = 37.0
	areaW     = 156.0
	areaH     = 225.0
	linesPage = 22
	charsLine = 28
	pitch     = areaH / linesPage // 10.227 mm: 22 lines fill the type area
	mmPerPt   = 25.4 / 72

	bodyPt   = 16.0 // 三号
	titlePt  = 22.0 // 二号
	tablePt  = 14.0 // 四号
	pagenoPt = 14.0 // 四号

	cellPad    = 1.6 // mm inside table cells
	tablePitch = 7.6 // mm per line in tables
	sealSize   = 40.0
	qrSize     = 20.0
)

// charPitch is the advance of a full-width character in the body: 28 fill
// the 156 mm line exactly (a 16 pt character is 5.644 mm; the grid tracks
// it by -0.073 mm, as word processors do).
const charPitch = areaW / charsLine

// Font slots.
const (
	fontBody = iota // FangSong, falls back to Song
	fontSong        // Song
	fontBold        // bold Song (titles, headings), falls back to Song
	nFonts
)

// face is what layout needs of a font (fonts.Font satisfies it).
type face interface {
	Has(r rune) bool
	Advance(r rune) float64 // 1/1000 em
}

// style is how a kind of text is set.
type style struct {
	font    uint8
	size    float64 // pt
	track   bool    // full-width characters on the 28-a-line grid
	pitch   float64 // line height, mm
	indent  float64 // first-line indent, mm
	justify bool
	align   byte // 'L', 'C', 'R'
}

var (
	stBody    = style{font: fontBody, size: bodyPt, track: true, pitch: pitch, indent: 2 * charPitch, justify: true, align: 'L'}
	stLeft    = style{font: fontBody, size: bodyPt, track: true, pitch: pitch, justify: true, align: 'L'}
	stHeading = style{font: fontBold, size: bodyPt, track: true, pitch: pitch, indent: 2 * charPitch, align: 'L'}
	stTitle   = style{font: fontBold, size: titlePt, pitch: pitch, align: 'C'}
	stCenter  = style{font: fontBody, size: bodyPt, track: true, pitch: pitch, align: 'C'}
	stRight   = style{font: fontBody, size: bodyPt, track: true, pitch: pitch, align: 'R'}
	stTable   = style{font: fontBody, size: tablePt, pitch: tablePitch, align: 'L'}
)

// op is one drawing operation on a page.
type op struct {
	kind   byte // 't' text, 'l' line, 's' seal, 'q' QR, 'w' watermark
	font   uint8
	size   float64
	x, y   float64 // text: baseline start; line: from; seal/QR: top-left
	x2, y2 float64 // line: to; seal/QR: size in w
	tc     float64 // text: extra advance per character, mm
	s      string
}

// box is a unit of pagination: one line, one table row, one title line.
type box struct {
	h            float64
	keepWithPrev bool // move to the next page with the box before it
	breakBefore  bool // @pagebreak
	blank        bool // dropped at the top of a page
	draw         func(ops []op, y float64) []op
}

// typesetter turns blocks into pages for one document.
type typesetter struct {
	faces    [nFonts]face
	decoFont uint8            // page numbers and QR caption: FangSong when it has them
	used     *[nFonts]usedSet // pooled; see release
	// glyphs is room for shape's glyphs, carved off in order (the boxes
	// keep them until pagination); a new chunk when one is full
	glyphs []glyph
	// floats is the same for the glyphs' positions (place)
	floats  []float64
	missing []rune
	misLine int
}

func newTypesetter(faces [nFonts]face) *typesetter {
	ts := &typesetter{faces: faces, decoFont: fontBody}
	for _, r := range "—0123456789" + qrCaption {
		if !faces[fontBody].Has(r) {
			ts.decoFont = fontSong
		}
	}
	ts.used = usedPool.Get().(*[nFonts]usedSet)
	ts.glyphs = (*glyphPool.Get().(*[]glyph))[:0]
	ts.floats = (*floatPool.Get().(*[]float64))[:0]
	return ts
}

// floatRoom returns room for n positions, kept until ts is released.
func (ts *typesetter) floatRoom(n int) []float64 {
	if cap(ts.floats)-len(ts.floats) < n {
		ts.floats = make([]float64, 0, max(n, glyphChunk))
	}
	k := len(ts.floats)
	ts.floats = ts.floats[:k+n]
	return ts.floats[k : k : k+n]
}

var floatPool = sync.Pool{New: func() any { b := make([]float64, 0, glyphChunk); return &b }}

// glyphChunk is the glyphs of a chunk of typesetter.glyphs (a letter of
// a few pages fits in one).
const glyphChunk = 4096

var glyphPool = sync.Pool{New: func() any { b := make([]glyph, 0, glyphChunk); return &b }}

// release returns ts's rune sets to their pool; ts is unusable afterwards.
func (ts *typesetter) release() {
	for i := range ts.used {
		ts.used[i].reset()
	}
	usedPool.Put(ts.used)
	ts.used = nil
	if cap(ts.glyphs) == glyphChunk {
		b := ts.glyphs[:0]
		glyphPool.Put(&b)
	}
	if cap(ts.floats) == glyphChunk {
		b := ts.floats[:0]
		floatPool.Put(&b)
	}
	ts.glyphs, ts.floats = nil, nil
}

// shape measures s in a style, choosing a font per character.
func (ts *typesetter) shape(s string, st style, line int) []glyph {
	n := utf8.RuneCountInString(s)
	if cap(ts.glyphs)-len(ts.glyphs) < n {
		ts.glyphs = make([]glyph, 0, max(n, glyphChunk))
	}
	k := len(ts.glyphs)
	gs := ts.glyphs[k : k : k+n]
	ts.glyphs = ts.glyphs[:k+n]
	for _, r := range s {
		if r < ' ' {
			continue
		}
		f := st.font
		if r > 0xffff {
			f = fontSong // neither font can be used above the BMP: refused below
		}
		if !ts.faces[f].Has(r) {
			f = fontSong
			if !ts.faces[f].Has(r) || r > 0xffff {
				if !slices.Contains(ts.missing, r) {
					ts.missing = append(ts.missing, r)
					if ts.misLine == 0 {
						ts.misLine = line
					}
				}
				continue
			}
		}
		adv := ts.faces[f].Advance(r)
		nat := adv * st.size / 1000 * mmPerPt
		w := nat
		if st.track && adv >= 900 {
			w = charPitch * adv / 1000
		}
		ts.used[f].add(r)
		gs = append(gs, glyph{r: r, font: f, w: w, nat: nat})
	}
	squeezePunct(gs, st.size)
	markKeeps(gs)
	return gs
}

// textOps appends the text of one line: runs of one font and one spacing.
func (ts *typesetter) textOps(ops []op, gs []glyph, sp span, xs []float64, x0, baseline, size float64) []op {
	var sb strings.Builder
	for i := sp.start; i < sp.end; {
		used := &ts.used[gs[i].font]
		r, nat := gs[i].drawn(i == sp.start)
		if r != gs[i].r {
			used.add(r)
		}
		j := i + 1
		tc := 0.0
		if j < sp.end && gs[j].font == gs[i].font {
			tc = xs[j-sp.start] - xs[i-sp.start] - nat
		}
		sb.Reset()
		sb.WriteRune(r)
		spaces := r == ' '
		for ; j < sp.end && gs[j].font == gs[i].font; j++ {
			if math.Abs(xs[j-sp.start]-xs[j-1-sp.start]-nat-tc) >= 0.001 {
				break
			}
			r, nat = gs[j].drawn(false)
			if r != gs[j].r {
				used.add(r)
			}
			sb.WriteRune(r)
			spaces = spaces && r == ' '
		}
		if !spaces {
			ops = append(ops, op{kind: 't', font: gs[i].font, size: size, x: x0 + xs[i-sp.start], y: baseline, tc: tc, s: sb.String()})
		}
		i = j
	}
	return ops
}

// baselineOffset places a line's baseline in its box: the em box centred.
func baselineOffset(st style) float64 {
	return st.pitch/2 + 0.38*st.size*mmPerPt
}

// paragraph lays out text as lines in a style; each line a box.
func (ts *typesetter) paragraph(text string, st style, line int, width float64) []box {
	gs := ts.shape(text, st, line)
	spans := breakLines(gs, width, st.indent)
	boxes := make([]box, 0, len(spans))
	for i, sp := range spans {
		indent := 0.0
		if i == 0 {
			indent = st.indent
		}
		avail := width - indent
		justify := st.justify && i < len(spans)-1
		xs := place(gs, sp, avail, justify, ts.floatRoom(sp.end-sp.start+1))
		w := lineWidth(gs, sp, xs)
		x0 := marginL + indent
		switch st.align {
		case 'C':
			x0 = marginL + (width-w)/2
		case 'R':
			x0 = marginL + width - w
		}
		sp := sp
		boxes = append(boxes, box{h: st.pitch, draw: func(ops []op, y float64) []op {
			return ts.textOps(ops, gs, sp, xs, x0, y+baselineOffset(st), st.size)
		}})
	}
	return boxes
}

// layout lays out blocks and paginates them.
func (ts *typesetter) layout(bs []block, d *Data, sealed bool) ([][]op, error) {
	var boxes []box
	keepNext := false
	prev := byte(0)
	add := func(nb []box) {
		if len(nb) == 0 {
			return
		}
		if keepNext {
			nb[0].keepWithPrev = true
			keepNext = false
		}
		boxes = append(boxes, nb...)
	}
	for _, b := range bs {
		kind := b.kind
		switch kind {
		case kPara, kLeft:
			st := stBody
			if kind == kLeft {
				st = stLeft
			}
			nb := ts.paragraph(b.text, st, b.line, areaW)
			if leadIn(b.text) {
				// a lead-in stays with what it introduces: its last lines
				// move to the next page with the first line of the next block
				for i := max(1, len(nb)-leadInLines+1); i < len(nb); i++ {
					nb[i].keepWithPrev = true
				}
				add(nb)
				keepNext = true
				break
			}
			add(nb)
		case kHeading:
			add(ts.paragraph(b.text, stHeading, b.line, areaW))
			keepNext = true
		case kTitle:
			nb := ts.paragraph(b.text, stTitle, b.line, areaW)
			for i := range nb {
				nb[i].keepWithPrev = i > 0 || prev == kTitle
			}
			add(nb)
			keepNext = true
		case kNumber:
			add(ts.paragraph(b.text, stRight, b.line, areaW))
		case kCenter:
			add(ts.paragraph(b.text, stCenter, b.line, areaW))
		case kRight:
			add(ts.paragraph(b.text, stRight, b.line, areaW))
		case kBlank:
			add([]box{{h: pitch, blank: true}})
		case kPageBreak:
			add([]box{{breakBefore: true}})
		case kSignature:
			add(ts.signature(b, d, sealed))
		case kTable:
			nb := ts.table(b)
			if prev == kTitle && len(nb) > 0 {
				// a body line of space between the title and the top rule
				nb[0].keepWithPrev = true
				nb = append([]box{{h: pitch}}, nb...)
			}
			add(nb)
		}
		prev = kind
	}
	if len(ts.missing) > 0 {
		return nil, &UnsupportedCharError{Field: fmt.Sprintf("模板第%d行", ts.misLine), Runes: ts.missing}
	}
	return paginate(boxes), nil
}

// leadInLines is how many last lines of a lead-in paragraph stay together
// with the next block.
const leadInLines = 3

// leadIn reports whether a paragraph is a lead-in to the block after it:
// it ends with a colon (上述事实，有下列证据证明：).
func leadIn(text string) bool {
	text = strings.TrimRight(text, " \u3000")
	return strings.HasSuffix(text, "：") || strings.HasSuffix(text, ":")
}

// paginate places boxes on pages of areaH, honouring keepWithPrev chains
// and page breaks; blank boxes at the top of a page (but the first) are
// dropped.
func paginate(boxes []box) [][]op {
	type placed struct {
		idx int
		y   float64
	}
	var pages [][]op
	var cur []op
	var drawn []placed
	y := 0.0
	pageStart := 0
	newPage := func(at int) {
		pages = append(pages, cur)
		cur, drawn = nil, drawn[:0]
		y = 0
		pageStart = at
	}
	for i := 0; i < len(boxes); i++ {
		b := boxes[i]
		if b.breakBefore {
			if y > 0 {
				newPage(i + 1)
			}
			continue
		}
		if y == 0 && b.blank && len(pages) > 0 {
			continue
		}
		if y > 0 && y+b.h > areaH+eps {
			j := i
			for j > pageStart && boxes[j].keepWithPrev {
				j--
			}
			if j > pageStart && j < i {
				// carry boxes j..i-1 over: draw this page again without them
				cur = nil
				for _, p := range drawn {
					if p.idx < j && boxes[p.idx].draw != nil {
						cur = boxes[p.idx].draw(cur, marginT+p.y)
					}
				}
				newPage(j)
				i = j - 1
				continue
			}
			newPage(i)
			if b.blank {
				continue
			}
		}
		if b.draw != nil {
			cur = b.draw(cur, marginT+y)
		}
		drawn = append(drawn, placed{i, y})
		y += b.h
	}
	if len(cur) > 0 || len(pages) == 0 {
		pages = append(pages, cur)
	}
	return pages
}

// signature is the authority's name and the date, right-aligned four
// characters from the right edge, each line centred on the last (the date);
// a blank line above; the seal over them. The block keeps with the line
// before it so that it never starts a page alone.
func (ts *typesetter) signature(b block, d *Data, sealed bool) []box {
	type sigLine struct {
		gs []glyph
		xs []float64
		w  float64
	}
	lines := make([]sigLine, len(b.cells))
	for i, c := range b.cells {
		gs := ts.shape(c, stBody, b.line)
		sp := span{start: 0, end: len(gs)}
		xs := place(gs, sp, 0, false, ts.floatRoom(sp.end-sp.start+1))
		lines[i] = sigLine{gs, xs, lineWidth(gs, sp, xs)}
	}
	last := lines[len(lines)-1]
	right := marginL + areaW - 4*charPitch
	cx := right - last.w/2
	maxW := 0.0
	for _, l := range lines {
		maxW = max(maxW, l.w)
	}
	if cx+maxW/2 > marginL+areaW {
		cx = marginL + areaW - maxW/2
	}
	boxes := []box{{h: pitch, keepWithPrev: true}}
	for i, l := range lines {
		l := l
		x0 := cx - l.w/2
		sp, xs := span{start: 0, end: len(l.gs)}, l.xs
		bx := box{h: pitch, keepWithPrev: true, draw: func(ops []op, y float64) []op {
			return ts.textOps(ops, l.gs, sp, xs, x0, y+baselineOffset(stBody), stBody.size)
		}}
		if i == len(lines)-1 && sealed {
			n := float64(len(lines))
			bx.draw = func(ops []op, y float64) []op {
				ops = ts.textOps(ops, l.gs, sp, xs, x0, y+baselineOffset(stBody), stBody.size)
				// centre the seal a little above the middle of the block
				top := y + pitch - n*pitch
				cy := top + n*pitch/2 - 3
				return append(ops, op{kind: 's', x: cx - sealSize/2, y: cy - sealSize/2, x2: sealSize})
			}
		}
		boxes = append(boxes, bx)
	}
	return boxes
}

// table lays out a table block: each row a box with its borders; cells wrap.
func (ts *typesetter) table(b block) []box {
	ncol := len(b.widths)
	for _, r := range b.rows {
		ncol = max(ncol, len(r))
	}
	ws := make([]float64, ncol)
	sum := 0.0
	for i := range ws {
		ws[i] = 1
		if i < len(b.widths) {
			ws[i] = b.widths[i]
		}
		sum += ws[i]
	}
	colX := make([]float64, ncol+1)
	colX[0] = marginL
	for i := range ws {
		colX[i+1] = colX[i] + ws[i]/sum*areaW
	}
	colX[ncol] = marginL + areaW
	type cellLine struct {
		gs    []glyph
		sp    span
		xs    []float64
		x0    float64
		lineY int
	}
	var boxes []box
	first := true
	for _, row := range b.rows {
		var cells [][]cellLine
		var bounds [][2]float64
		nlines := 1
		for c := 0; c < len(row) && c < ncol; c++ {
			x1 := colX[c]
			x2 := colX[c+1]
			if c == len(row)-1 {
				x2 = colX[ncol] // the last cell spans the rest of the row
			}
			bounds = append(bounds, [2]float64{x1, x2})
			inner := x2 - x1 - 2*cellPad
			var cl []cellLine
			align := byte('L')
			for _, part := range splitBR(row[c]) {
				// a part may start with ^ (centre) or > (right); it holds for the rest of the cell
				if strings.HasPrefix(part, "^") {
					align, part = 'C', strings.TrimSpace(part[1:])
				} else if strings.HasPrefix(part, ">") {
					align, part = 'R', strings.TrimSpace(part[1:])
				}
				gs := ts.shape(part, stTable, b.line)
				spans := breakLines(gs, inner, 0)
				if len(spans) == 0 {
					cl = append(cl, cellLine{lineY: len(cl)})
					continue
				}
				for _, sp := range spans {
					xs := place(gs, sp, inner, false, ts.floatRoom(sp.end-sp.start+1))
					w := lineWidth(gs, sp, xs)
					x0 := x1 + cellPad
					switch align {
					case 'C':
						x0 = x1 + (x2-x1-w)/2
					case 'R':
						x0 = x2 - cellPad - w
					}
					cl = append(cl, cellLine{gs, sp, xs, x0, len(cl)})
				}
			}
			nlines = max(nlines, len(cl))
			cells = append(cells, cl)
		}
		// split rows taller than a page
		maxLines := int(math.Floor((areaH - 2*cellPad) / tablePitch))
		for from := 0; from < nlines; from += maxLines {
			to := min(nlines, from+maxLines)
			h := float64(to-from)*tablePitch + 2*cellPad
			cells, bounds, from, to, topRule := cells, bounds, from, to, first
			first = false
			boxes = append(boxes, box{h: h, draw: func(ops []op, y float64) []op {
				for c, cl := range cells {
					used := 0
					for _, l := range cl {
						if l.lineY >= from && l.lineY < to {
							used = max(used, l.lineY-from+1)
						}
					}
					// centre the cell's lines vertically
					off := (float64(to-from-used) * tablePitch) / 2
					for _, l := range cl {
						if l.lineY < from || l.lineY >= to || l.gs == nil {
							continue
						}
						base := y + cellPad + off + float64(l.lineY-from)*tablePitch + baselineOffset(stTable)
						ops = ts.textOps(ops, l.gs, l.sp, l.xs, l.x0, base, stTable.size)
					}
					x1, x2 := bounds[c][0], bounds[c][1]
					ops = append(ops, op{kind: 'l', x: x1, y: y, x2: x1, y2: y + h})
					if c == len(cells)-1 {
						ops = append(ops, op{kind: 'l', x: x2, y: y, x2: x2, y2: y + h})
					}
				}
				ops = append(ops, op{kind: 'l', x: marginL, y: y, x2: marginL + areaW, y2: y})
				_ = topRule
				return append(ops, op{kind: 'l', x: marginL, y: y + h, x2: marginL + areaW, y2: y + h})
			}})
		}
	}
	return boxes
}

// splitBR splits a cell's text at <br> and line breaks.
func splitBR(s string) []string {
	s = strings.ReplaceAll(s, "<br/>", "<br>")
	s = strings.ReplaceAll(s, "<br />", "<br>")
	s = strings.ReplaceAll(s, "<br>", "\n")
	parts := strings.Split(s, "\n")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
