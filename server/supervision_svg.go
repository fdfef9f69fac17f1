package main

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"unicode/utf8"

	"penaltydoc/casework"
)

// Charts drawn on the server as inline SVG: horizontal bars with their
// Chinese labels and counts, no script (the CSP allows none inline).

// chart is one chart of a page: its id, title and SVG.
type chart struct {
	ID, Title string
	SVG       template.HTML
	Empty     bool
}

// Bar chart geometry (SVG user units).
const (
	chartWidth  = 460
	chartLabel  = 170 // the label column
	chartBarH   = 22
	chartGap    = 8
	chartPadTop = 8
)

// barChart draws counts as horizontal bars, the largest full width; top
// keeps the first top bars (0: all). Labels longer than the column are
// cut with an ellipsis (the title attribute keeps the whole).
func barChart(id, title string, counts []casework.StatCount, top int) chart {
	if top > 0 && len(counts) > top {
		counts = counts[:top]
	}
	ch := chart{ID: id, Title: title, Empty: len(counts) == 0}
	if ch.Empty {
		return ch
	}
	maxN := 1
	for _, c := range counts {
		maxN = max(maxN, c.Count)
	}
	height := chartPadTop*2 + len(counts)*(chartBarH+chartGap)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="chart" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s">`,
		id, chartWidth, height, html.EscapeString(title))
	barMax := chartWidth - chartLabel - 70
	for i, c := range counts {
		y := chartPadTop + i*(chartBarH+chartGap)
		w := max(2, c.Count*barMax/maxN)
		label := c.Label
		if utf8.RuneCountInString(label) > 11 {
			label = string([]rune(label)[:10]) + "…"
		}
		fmt.Fprintf(&b, `<g class="bar"><title>%s：%d件</title>`, html.EscapeString(c.Label), c.Count)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="14" fill="#24292f">%s</text>`, chartLabel-8, y+16, html.EscapeString(label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="3" fill="#0969da"></rect>`, chartLabel, y, w, chartBarH)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="14" fill="#24292f">%d件</text></g>`, chartLabel+w+6, y+16, c.Count)
	}
	b.WriteString(`</svg>`)
	ch.SVG = template.HTML(b.String()) // every text above is escaped
	return ch
}
