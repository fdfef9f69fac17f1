// Command quantize snaps the outline coordinates of a TrueType font to a
// coarser grid and drops the on-curve points that the snapping made (nearly)
// implied, to make the glyphs smaller in the PDFs that embed them.
//
// Usage: go run ./fonts/tools/quantize -grid 4 -tol 2 IN.ttf OUT.ttf
//
// Each point of a simple glyph is rounded to the nearest multiple of -grid
// font units (at most grid/2 units off in x and y); then consecutive equal
// points are merged, and an on-curve point between two off-curve points is
// dropped when it is within -tol units (in x and y) of their midpoint, where
// a TrueType rasteriser puts the implied point (the curve moves by at most
// tol units there). Contours left with fewer than two points are dropped.
// Composite glyphs, advance widths and every other table are kept; glyph
// bounding boxes, left side bearings (xMin), head's bounding box and maxp's
// point and contour maxima are recomputed, and table checksums and head's
// checkSumAdjustment are written anew. The glyph data is encoded compactly
// (short vectors, repeated flags). Running the tool on its own output
// changes nothing.
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
)

var be = binary.BigEndian

func main() {
	grid := flag.Int("grid", 4, "grid in font units")
	tol := flag.Int("tol", 2, "how far (font units) an on-curve point may be from its implied position to be dropped")
	flag.Parse()
	if flag.NArg() != 2 || *grid < 1 || *tol < 0 {
		fmt.Fprintln(os.Stderr, "usage: quantize [-grid N] [-tol N] IN.ttf OUT.ttf")
		os.Exit(2)
	}
	in, err := os.ReadFile(flag.Arg(0))
	if err == nil {
		var out []byte
		out, err = quantize(in, *grid, *tol)
		if err == nil {
			err = os.WriteFile(flag.Arg(1), out, 0o644)
			fmt.Fprintf(os.Stderr, "quantize: %d -> %d bytes\n", len(in), len(out))
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "quantize:", err)
		os.Exit(1)
	}
}

type point struct {
	x, y int
	on   bool
}

func quantize(data []byte, grid, tol int) ([]byte, error) {
	if len(data) < 12 || be.Uint32(data) != 0x00010000 {
		return nil, errors.New("not a TrueType file")
	}
	n := int(be.Uint16(data[4:]))
	tables := map[string][]byte{}
	var tags []string
	for i := range n {
		rec := data[12+16*i:]
		tag := string(rec[:4])
		off, length := be.Uint32(rec[8:]), be.Uint32(rec[12:])
		if int(off)+int(length) > len(data) {
			return nil, fmt.Errorf("table %q out of bounds", tag)
		}
		tables[tag] = append([]byte(nil), data[off:off+length]...)
		tags = append(tags, tag)
	}
	head, maxp, hhea, hmtx, loca, glyf := tables["head"], tables["maxp"], tables["hhea"], tables["hmtx"], tables["loca"], tables["glyf"]
	if head == nil || maxp == nil || hhea == nil || hmtx == nil || loca == nil || glyf == nil {
		return nil, errors.New("missing head, maxp, hhea, hmtx, loca or glyf")
	}
	numGlyphs := int(be.Uint16(maxp[4:]))
	numHMetrics := int(be.Uint16(hhea[34:]))
	longLoca := be.Uint16(head[50:]) == 1
	offs := make([]int, numGlyphs+1)
	for i := range offs {
		if longLoca {
			offs[i] = int(be.Uint32(loca[4*i:]))
		} else {
			offs[i] = 2 * int(be.Uint16(loca[2*i:]))
		}
	}
	var newGlyf []byte
	newOffs := make([]int, numGlyphs+1)
	bbox := [4]int{math.MaxInt, math.MaxInt, math.MinInt, math.MinInt}
	maxPts, maxCont := 0, 0
	for g := range numGlyphs {
		d := glyf[offs[g]:offs[g+1]]
		newOffs[g] = len(newGlyf)
		if len(d) == 0 {
			continue
		}
		if int16(be.Uint16(d)) < 0 { // composite: kept as it is
			newGlyf = append(newGlyf, d...)
		} else {
			cont, err := decode(d)
			if err != nil {
				return nil, fmt.Errorf("glyph %d: %w", g, err)
			}
			for { // until nothing changes, so that a second run is a no-op
				next := simplify(cont, grid, tol)
				if equal(next, cont) {
					break
				}
				cont = next
			}
			np := 0
			for _, c := range cont {
				np += len(c)
			}
			maxPts, maxCont = max(maxPts, np), max(maxCont, len(cont))
			enc := encode(cont)
			if len(enc) > 0 {
				xMin := int16(be.Uint16(enc[2:]))
				if g < numHMetrics {
					be.PutUint16(hmtx[4*g+2:], uint16(xMin))
				} else {
					be.PutUint16(hmtx[4*numHMetrics+2*(g-numHMetrics):], uint16(xMin))
				}
			}
			newGlyf = append(newGlyf, enc...)
		}
		if len(newGlyf) > newOffs[g] {
			e := newGlyf[newOffs[g]:]
			for i := range 4 {
				v := int(int16(be.Uint16(e[2+2*i:])))
				if i < 2 {
					bbox[i] = min(bbox[i], v)
				} else {
					bbox[i] = max(bbox[i], v)
				}
			}
		}
		for len(newGlyf)%4 != 0 {
			newGlyf = append(newGlyf, 0)
		}
	}
	newOffs[numGlyphs] = len(newGlyf)
	newLoca := make([]byte, 0, 4*(numGlyphs+1))
	for _, o := range newOffs {
		newLoca = be.AppendUint32(newLoca, uint32(o))
	}
	be.PutUint16(head[50:], 1)
	for i, v := range bbox {
		be.PutUint16(head[36+2*i:], uint16(int16(v)))
	}
	be.PutUint32(head[8:], 0) // checkSumAdjustment, set below
	if len(maxp) >= 10 {
		// Keep the maxima no smaller than the composite glyphs need: only
		// the simple-glyph fields are lowered to what remains, never raised past the old values.
		be.PutUint16(maxp[6:], uint16(min(int(be.Uint16(maxp[6:])), max(maxPts, 1))))
		be.PutUint16(maxp[8:], uint16(min(int(be.Uint16(maxp[8:])), max(maxCont, 1))))
	}
	tables["glyf"], tables["loca"] = newGlyf, newLoca
	return assemble(tags, tables), nil
}

// simplify snaps the points of each contour to the grid, merges equal
// neighbours and drops nearly implied on-curve points.
func simplify(cont [][]point, grid, tol int) [][]point {
	var out [][]point
	for _, c := range cont {
		m := make([]point, 0, len(c))
		for _, q := range c {
			q.x, q.y = snapTo(q.x, grid), snapTo(q.y, grid)
			if len(m) > 0 && q == m[len(m)-1] {
				continue
			}
			m = append(m, q)
		}
		for len(m) > 1 && m[0] == m[len(m)-1] {
			m = m[:len(m)-1]
		}
		for changed := true; changed && len(m) > 3; {
			changed = false
			for i := 0; i < len(m) && len(m) > 3; i++ {
				a, q, b := m[(i+len(m)-1)%len(m)], m[i], m[(i+1)%len(m)]
				if q.on && !a.on && !b.on && abs(a.x+b.x-2*q.x) <= 2*tol && abs(a.y+b.y-2*q.y) <= 2*tol {
					m = append(m[:i], m[i+1:]...)
					changed = true
				}
			}
		}
		if len(m) >= 2 {
			out = append(out, m)
		}
	}
	return out
}

func equal(a, b [][]point) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

func snapTo(v, grid int) int {
	return int(math.Round(float64(v)/float64(grid))) * grid
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func decode(d []byte) ([][]point, error) {
	errShort := errors.New("glyph data truncated")
	if len(d) < 12 {
		return nil, errShort
	}
	nc := int(be.Uint16(d))
	p := 10
	if len(d) < p+2*nc+2 {
		return nil, errShort
	}
	ends := make([]int, nc)
	for i := range ends {
		ends[i] = int(be.Uint16(d[p:]))
		p += 2
	}
	p += 2 + int(be.Uint16(d[p:])) // instructions are dropped
	np := 0
	if nc > 0 {
		np = ends[nc-1] + 1
	}
	flags := make([]byte, 0, np)
	for len(flags) < np {
		if p >= len(d) {
			return nil, errShort
		}
		f := d[p]
		p++
		flags = append(flags, f)
		if f&8 != 0 {
			if p >= len(d) {
				return nil, errShort
			}
			for range int(d[p]) {
				flags = append(flags, f)
			}
			p++
		}
	}
	flags = flags[:np]
	coord := func(short, same byte) ([]int, error) {
		vs := make([]int, np)
		v := 0
		for i, f := range flags {
			switch {
			case f&short != 0:
				if p >= len(d) {
					return nil, errShort
				}
				if f&same != 0 {
					v += int(d[p])
				} else {
					v -= int(d[p])
				}
				p++
			case f&same == 0:
				if p+2 > len(d) {
					return nil, errShort
				}
				v += int(int16(be.Uint16(d[p:])))
				p += 2
			}
			vs[i] = v
		}
		return vs, nil
	}
	xs, err := coord(2, 16)
	if err != nil {
		return nil, err
	}
	ys, err := coord(4, 32)
	if err != nil {
		return nil, err
	}
	var cont [][]point
	s := 0
	for _, e := range ends {
		if e < s || e >= np {
			return nil, errors.New("bad contour ends")
		}
		c := make([]point, 0, e-s+1)
		for i := s; i <= e; i++ {
			c = append(c, point{xs[i], ys[i], flags[i]&1 != 0})
		}
		cont = append(cont, c)
		s = e + 1
	}
	return cont, nil
}

// encode writes a simple glyph with no instructions (empty for no contours).
func encode(cont [][]point) []byte {
	var pts []point
	var ends []int
	for _, c := range cont {
		pts = append(pts, c...)
		ends = append(ends, len(pts)-1)
	}
	if len(pts) == 0 {
		return nil
	}
	minx, miny, maxx, maxy := pts[0].x, pts[0].y, pts[0].x, pts[0].y
	for _, q := range pts {
		minx, maxx = min(minx, q.x), max(maxx, q.x)
		miny, maxy = min(miny, q.y), max(maxy, q.y)
	}
	b := be.AppendUint16(nil, uint16(len(cont)))
	for _, v := range []int{minx, miny, maxx, maxy} {
		b = be.AppendUint16(b, uint16(int16(v)))
	}
	for _, e := range ends {
		b = be.AppendUint16(b, uint16(e))
	}
	b = be.AppendUint16(b, 0)
	flags := make([]byte, len(pts))
	var xb, yb []byte
	delta := func(dv int, short, same byte, buf []byte) (byte, []byte) {
		switch {
		case dv == 0:
			return same, buf
		case dv > 0 && dv < 256:
			return short | same, append(buf, byte(dv))
		case dv < 0 && dv > -256:
			return short, append(buf, byte(-dv))
		}
		return 0, be.AppendUint16(buf, uint16(int16(dv)))
	}
	px, py := 0, 0
	for i, q := range pts {
		var fx, fy byte
		fx, xb = delta(q.x-px, 2, 16, xb)
		fy, yb = delta(q.y-py, 4, 32, yb)
		px, py = q.x, q.y
		flags[i] = fx | fy
		if q.on {
			flags[i] |= 1
		}
	}
	for i := 0; i < len(flags); {
		j := i + 1
		for j < len(flags) && flags[j] == flags[i] && j-i <= 255 {
			j++
		}
		if j-i > 1 {
			b = append(b, flags[i]|8, byte(j-i-1))
		} else {
			b = append(b, flags[i])
		}
		i = j
	}
	b = append(b, xb...)
	return append(b, yb...)
}

// assemble writes an sfnt file with the tables in tag order, checksums and
// head's checkSumAdjustment.
func assemble(tags []string, tables map[string][]byte) []byte {
	sort.Strings(tags)
	n := len(tags)
	es, sr := 0, 1
	for sr*2 <= n {
		sr *= 2
		es++
	}
	out := be.AppendUint32(nil, 0x00010000)
	out = be.AppendUint16(out, uint16(n))
	out = be.AppendUint16(out, uint16(sr*16))
	out = be.AppendUint16(out, uint16(es))
	out = be.AppendUint16(out, uint16(n*16-sr*16))
	off := 12 + 16*n
	dir := len(out)
	out = append(out, make([]byte, 16*n)...)
	headOff := 0
	for i, tag := range tags {
		t := tables[tag]
		rec := out[dir+16*i:]
		copy(rec, tag)
		be.PutUint32(rec[4:], checksum(t))
		be.PutUint32(rec[8:], uint32(off))
		be.PutUint32(rec[12:], uint32(len(t)))
		if tag == "head" {
			headOff = off
		}
		out = append(out, t...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		off = len(out)
	}
	be.PutUint32(out[headOff+8:], 0xB1B0AFBA-checksum(out))
	return out
}

func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		s += be.Uint32(w[:])
	}
	return s
}
