package render

import (
	_ "embed"
	"encoding/binary"
	"hash/adler32"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"

	"penaltydoc/fonts"
)

// A small deflate (RFC 1951) encoder for what is the same in every
// document. compress/flate builds Huffman tables for every block it writes,
// which is most of its cost on small streams, and a font file assembled
// from separately flushed pieces pays a table (~80 bytes) per glyph.
//
// Here a font file is one dynamic block whose Huffman code is fixed per
// font and process (a coder, built from a constant sample of the font), so
// each glyph's bits can be computed once and cached, and a document's font
// file is the code's header, its tables' tokens, the cached bits of its
// glyphs and the end-of-block code, concatenated at bit level. Matches stay
// within a glyph (or a table), so the bits do not depend on what precedes
// them and the bytes do not depend on the cache. Small streams (ToUnicode,
// CIDToGIDMap) use the fixed code of RFC 1951, which needs no table.

const (
	dfMinMatch = 3
	dfMaxMatch = 258
	dfWindow   = 1 << 15
	dfHashBits = 12
	dfEOB      = 256
	dfNumLit   = 286
	dfNumDist  = 30
	dfMaxChain = 16
	dfOptChain = 64
	// contentChain is the candidates looked at per position in page
	// contents: their matches are short and near
	contentChain = 2
	// fixedChain is the same for the streams in the fixed code (ToUnicode
	// CMaps, short page contents): 16 candidates made the CMaps 0.3 %
	// shorter than 4 and cost 2 % of a letter's time
	fixedChain = 4
)

// Length and distance code tables (RFC 1951, 3.2.5).
var (
	lenBase   = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra  = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase  = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	// lenCode[l-3] and distCode (by distance-1 below 256, else by (d-1)>>7 + 256)
	lenCode  [256]uint8
	distCode [512]uint8
)

func init() {
	for c := range 28 {
		for l := int(lenBase[c]); l < int(lenBase[c])+1<<lenExtra[c]; l++ {
			lenCode[l-3] = uint8(c)
		}
	}
	lenCode[258-3] = 28
	for c := range 30 {
		for d := int(distBase[c]); d < int(distBase[c])+1<<distExtra[c] && d <= dfWindow; d++ {
			if d <= 256 {
				distCode[d-1] = uint8(c)
			} else {
				distCode[256+(d-1)>>7] = uint8(c)
			}
		}
	}
}

func distSym(d int) int {
	if d <= 256 {
		return int(distCode[d-1])
	}
	return int(distCode[256+(d-1)>>7])
}

// token is a literal (len 0) or a match.
type token struct {
	len  uint16 // 0 for a literal
	val  uint16 // the literal byte or the distance
	_pad uint32
}

// lz is a tokenizer's state, reused across calls: hash chains whose
// entries are positions offset by a base that grows with every call, so
// that entries of earlier calls (below the base) need no clearing.
type lz struct {
	head [1 << dfHashBits]int32
	prev [dfWindow]int32
	base int32
	ts   []token
	// optimalTokens' state: heads as above (entries above optBase are
	// this call's), the chain by position, the shortest path
	optHead [1 << dfHashBits]int32
	optBase int32
	optPrev []int32
	path    []step
}

// step is a position of optimalTokens' shortest path: its cost and the
// token that reaches it.
type step struct {
	cost      uint32
	len, dist uint16
}

var lzPool = sync.Pool{New: func() any { return &lz{ts: make([]token, 0, 4096)} }}

// tokenize sets z.ts to p's LZ77 tokens (greedy, hash chains, matches
// inside p only).
func (z *lz) tokenize(p []byte) []token { return z.tokenizeChain(p, dfMaxChain) }

// tokenizeChain is tokenize looking at most chain candidates per position.
func (z *lz) tokenizeChain(p []byte, chain int) []token {
	ts := z.ts[:0]
	if len(p) < dfMinMatch+1 {
		for _, c := range p {
			ts = append(ts, token{val: uint16(c)})
		}
		z.ts = ts
		return ts
	}
	if z.base > 1<<30 {
		clear(z.head[:])
		z.base = 0
	}
	base := z.base
	z.base += int32(len(p)) + 1
	head, prev := &z.head, &z.prev
	n := len(p)
	for i := 0; i < n; {
		if i+dfMinMatch > n {
			ts = append(ts, token{val: uint16(p[i])})
			i++
			continue
		}
		best, bestD := 0, 0
		maxLen := min(dfMaxMatch, n-i)
		h := hash3(p[i : i+3])
		for c, k := head[h], 0; c > base && k < chain; k++ {
			j := int(c - base - 1)
			if i-j > dfWindow-1 {
				break
			}
			c = prev[j&(dfWindow-1)]
			if p[j+best] != p[i+best] {
				continue
			}
			l := matchLen(p[j:j+maxLen], p[i:i+maxLen])
			if l > best {
				best, bestD = l, i-j
				if l == maxLen {
					break
				}
			}
		}
		prev[i&(dfWindow-1)] = head[h]
		head[h] = base + int32(i) + 1
		if best >= dfMinMatch {
			ts = append(ts, token{len: uint16(best), val: uint16(bestD)})
			end := min(i+best, n-dfMinMatch+1) // positions with three bytes
			for k := i + 1; k < end; k++ {
				h := hash3(p[k : k+3])
				prev[k&(dfWindow-1)] = head[h]
				head[h] = base + int32(k) + 1
			}
			i += best
			continue
		}
		ts = append(ts, token{val: uint16(p[i])})
		i++
	}
	z.ts = ts
	return ts
}

// hash3 is the hash chains' hash of b's three bytes.
func hash3(b []byte) uint32 {
	_ = b[2]
	return (uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16) * 2654435761 >> (32 - dfHashBits)
}

// matchLen is the length of a and b's common prefix (len(a) == len(b)),
// eight bytes at a time.
func matchLen(a, b []byte) int {
	l := 0
	for l+8 <= len(a) {
		if x := binary.LittleEndian.Uint64(a[l:]) ^ binary.LittleEndian.Uint64(b[l:]); x != 0 {
			return l + bits.TrailingZeros64(x)/8
		}
		l += 8
	}
	for l < len(a) && a[l] == b[l] {
		l++
	}
	return l
}

// hcode is a Huffman code word, bit-reversed for LSB-first output.
type hcode struct {
	code uint16
	len  uint8
}

// huffLengths returns code lengths (at most maxLen bits) for freq; every
// symbol with a non-zero frequency gets a code.
func huffLengths(freq []int, maxLen int) []uint8 {
	f := slices.Clone(freq)
	for {
		l := huffLengthsOnce(f)
		if slices.Max(l) <= uint8(maxLen) {
			return l
		}
		for i := range f {
			if f[i] > 0 {
				f[i] = f[i]/2 + 1
			}
		}
	}
}

func huffLengthsOnce(freq []int) []uint8 {
	type node struct {
		w           int
		left, right int // -1 for a leaf
		sym         int
	}
	var nodes []node
	var live []int
	for s, w := range freq {
		if w > 0 {
			nodes = append(nodes, node{w: w, left: -1, right: -1, sym: s})
			live = append(live, len(nodes)-1)
		}
	}
	lens := make([]uint8, len(freq))
	if len(live) == 1 {
		lens[nodes[0].sym] = 1
		return lens
	}
	// deterministic: ties by node index
	less := func(a, b int) int {
		if nodes[a].w != nodes[b].w {
			return nodes[a].w - nodes[b].w
		}
		return a - b
	}
	for len(live) > 1 {
		slices.SortFunc(live, less)
		a, b := live[0], live[1]
		nodes = append(nodes, node{w: nodes[a].w + nodes[b].w, left: a, right: b})
		live = append(live[2:], len(nodes)-1)
	}
	var walk func(n int, d uint8)
	walk = func(n int, d uint8) {
		if nodes[n].left < 0 {
			lens[nodes[n].sym] = d
			return
		}
		walk(nodes[n].left, d+1)
		walk(nodes[n].right, d+1)
	}
	walk(live[0], 0)
	return lens
}

// canonical returns the canonical codes for lens (RFC 1951, 3.2.2).
func canonical(lens []uint8) []hcode {
	var count [16]int
	for _, l := range lens {
		count[l]++
	}
	count[0] = 0
	var next [16]int
	code := 0
	for b := 1; b < 16; b++ {
		code = (code + count[b-1]) << 1
		next[b] = code
	}
	out := make([]hcode, len(lens))
	for s, l := range lens {
		if l == 0 {
			continue
		}
		out[s] = hcode{code: bits.Reverse16(uint16(next[l])) >> (16 - l), len: l}
		next[l]++
	}
	return out
}

// bitWriter writes deflate's LSB-first bit stream. Bits gather in acc
// and go to b six bytes at a time; 8*len(b)+n is the number of bits
// written. Hot loops copy the writer into a local variable (see
// writeTokens): a store of b through a pointer costs a write barrier
// while the garbage collector runs.
type bitWriter struct {
	b   []byte
	acc uint64
	n   uint // bits in acc, < 48 after each write
}

// write writes the n (at most 16) low bits of v.
func (w *bitWriter) write(v uint64, n uint) {
	w.acc |= v << w.n
	w.n += n
	if w.n >= 48 {
		a := w.acc
		w.b = append(w.b, byte(a), byte(a>>8), byte(a>>16), byte(a>>24), byte(a>>32), byte(a>>40))
		w.acc >>= 48
		w.n -= 48
	}
}

// flushBytes moves acc's whole bytes to b: afterwards n < 8.
func (w *bitWriter) flushBytes() {
	for w.n >= 8 {
		w.b = append(w.b, byte(w.acc))
		w.acc >>= 8
		w.n -= 8
	}
}

// writeBits appends nbits bits from src (LSB-first, as bitWriter packs them).
func (w *bitWriter) writeBits(src []byte, nbits int) {
	w.flushBytes()
	full := nbits / 8
	b := w.b
	if w.n == 0 {
		b = append(b, src[:full]...)
	} else {
		k := w.n
		acc := w.acc
		b = slices.Grow(b, full+8)
		o := len(b)
		b = b[:o+full]
		out := b[o:]
		i := 0
		for ; i+8 <= full; i += 8 {
			x := binary.LittleEndian.Uint64(src[i:])
			binary.LittleEndian.PutUint64(out[i:], acc|x<<k)
			acc = x >> (64 - k)
		}
		for ; i < full; i++ {
			x := uint64(src[i])
			out[i] = byte(acc | x<<k)
			acc = x >> (8 - k)
		}
		w.acc = acc
	}
	w.b = b
	if r := uint(nbits % 8); r > 0 {
		w.write(uint64(src[full])&(1<<r-1), r)
	}
}

// align pads to a byte boundary.
func (w *bitWriter) align() {
	w.flushBytes()
	if w.n > 0 {
		w.b = append(w.b, byte(w.acc))
		w.acc, w.n = 0, 0
	}
}

// huffman is one literal/length and distance code.
type huffman struct {
	lit  [dfNumLit]hcode
	dist [dfNumDist]hcode
}

func (h *huffman) writeTokens(pw *bitWriter, ts []token) {
	w := *pw // a local: no write barriers (bitWriter)
	for _, t := range ts {
		if t.len == 0 {
			c := h.lit[t.val]
			w.write(uint64(c.code), uint(c.len))
			continue
		}
		lc := int(lenCode[t.len-3])
		c := h.lit[257+lc]
		w.write(uint64(c.code), uint(c.len))
		if e := lenExtra[lc]; e > 0 {
			w.write(uint64(int(t.len)-int(lenBase[lc])), uint(e))
		}
		dc := distSym(int(t.val))
		c = h.dist[dc]
		w.write(uint64(c.code), uint(c.len))
		if e := distExtra[dc]; e > 0 {
			w.write(uint64(int(t.val)-int(distBase[dc])), uint(e))
		}
	}
	*pw = w
}

// fixedHuffman is RFC 1951's fixed code (3.2.6).
var fixedHuffman = func() *huffman {
	lens := make([]uint8, 288)
	for i := range lens {
		switch {
		case i < 144:
			lens[i] = 8
		case i < 256:
			lens[i] = 9
		case i < 280:
			lens[i] = 7
		default:
			lens[i] = 8
		}
	}
	h := &huffman{}
	copy(h.lit[:], canonical(lens))
	dl := make([]uint8, dfNumDist)
	for i := range dl {
		dl[i] = 5
	}
	copy(h.dist[:], canonical(dl))
	return h
}()

// appendZlibFixed appends data as a zlib stream of one block with the
// fixed code: for small streams, where a table would cost more than it
// saves.
func appendZlibFixed(dst, data []byte) []byte {
	z := lzPool.Get().(*lz)
	w := bitWriter{b: append(dst, 0x78, 0x01)}
	w.write(1|1<<1, 3) // BFINAL, BTYPE 01
	fixedHuffman.writeTokens(&w, z.tokenizeChain(data, fixedChain))
	c := fixedHuffman.lit[dfEOB]
	w.write(uint64(c.code), uint(c.len))
	w.align()
	lzPool.Put(z)
	return binary.BigEndian.AppendUint32(w.b, adler32.Checksum(data))
}

// fontCoder is a font's fixed dynamic code and its cache of glyph bits,
// by the font's glyph id.
type fontCoder struct {
	h      huffman
	header []byte // BFINAL, BTYPE 10 and the code, as bits
	hbits  int
	glyphs []atomic.Pointer[glyphBits]
}

type glyphBits struct {
	b     []byte
	nbits int
	adler uint32 // of the glyph's bytes
	data  int    // the glyph's length
	// shifted, for a cached glyph: b's bits shifted left by k (0 to 7)
	// at shifted[k*stride:], the bits beyond nbits+k zero, so that
	// appending the glyph at any bit position is a copy (writeGlyph)
	shifted []byte
	stride  int
}

// shift fills gb.shifted.
func (gb *glyphBits) shift() {
	gb.stride = (gb.nbits+7)/8 + 1
	gb.shifted = make([]byte, 8*gb.stride)
	for k := range 8 {
		v := gb.shifted[k*gb.stride : (k+1)*gb.stride]
		carry := byte(0)
		for i, x := range gb.b {
			v[i] = x<<k | carry
			carry = byte(uint16(x) >> (8 - k))
		}
		v[len(gb.b)] = carry
	}
}

// writeGlyph appends gb's bits.
func (w *bitWriter) writeGlyph(gb *glyphBits) {
	if gb.shifted == nil {
		w.writeBits(gb.b, gb.nbits)
		return
	}
	w.flushBytes()
	k := int(w.n)
	tot := k + gb.nbits
	v := gb.shifted[k*gb.stride : (k+1)*gb.stride]
	full := tot / 8
	if full == 0 {
		w.acc |= uint64(v[0])
		w.n = uint(tot)
		return
	}
	b := append(w.b, byte(w.acc)|v[0])
	b = append(b, v[1:full]...)
	w.b = b
	w.acc, w.n = uint64(v[full]), uint(tot%8) // v[full] is 0 when tot%8 == 0
}

// adlerCombine is the Adler-32 of a's data followed by b's data of n bytes
// (zlib's adler32_combine).
func adlerCombine(a, b uint32, n int) uint32 {
	const base = 65521
	rem := uint32(n % base)
	s1 := a & 0xffff
	s2 := rem * s1 % base
	s1 += (b & 0xffff) + base - 1
	s2 += (a >> 16) + (b >> 16) + base - rem
	if s1 >= base {
		s1 -= base
	}
	if s1 >= base {
		s1 -= base
	}
	if s2 >= 2*base {
		s2 -= 2 * base
	}
	if s2 >= base {
		s2 -= base
	}
	return s1 | s2<<16
}

// glyphCacheSize is the bytes held by all coders' caches; past
// glyphCacheMax, glyphs are encoded per document.
var glyphCacheSize atomic.Int64

const glyphCacheMax = 32 << 20

// clOrder is the order of the code length code's lengths in the header.
var clOrder = [19]int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// tokenFreqs returns symbol frequencies, each 1 to begin with (so that
// every symbol gets a code), and a function that counts tokens into them.
func tokenFreqs() (litF, distF []int, count func([]token)) {
	litF, distF = make([]int, dfNumLit), make([]int, dfNumDist)
	for i := range litF {
		litF[i] = 1
	}
	for i := range distF {
		distF[i] = 1
	}
	return litF, distF, func(ts []token) {
		for _, t := range ts {
			if t.len == 0 {
				litF[t.val]++
			} else {
				litF[257+int(lenCode[t.len-3])]++
				distF[distSym(int(t.val))]++
			}
		}
	}
}

// newFontCoder builds a code from sample (a subset of the font with many
// glyphs): the frequencies of its tokens, glyph by glyph as documents
// encode them, plus one for every symbol, so that any data can be encoded.
func newFontCoder(sample []byte, numGlyphs int) (*fontCoder, error) {
	glyphs, err := glyphRanges(sample)
	if err != nil {
		return nil, err
	}
	litF, distF, count := tokenFreqs()
	z := lzPool.Get().(*lz)
	defer lzPool.Put(z)
	for i := 1; i < len(glyphs); i++ {
		count(z.tokenize(sample[glyphs[i-1]:glyphs[i]]))
	}
	if len(glyphs) == 0 {
		count(z.tokenize(sample))
	}
	litL, distL := huffLengths(litF, 15), huffLengths(distF, 15)
	c := &fontCoder{glyphs: make([]atomic.Pointer[glyphBits], numGlyphs)}
	copy(c.h.lit[:], canonical(litL))
	copy(c.h.dist[:], canonical(distL))

	// the header: every length written with the code length code (no runs)
	all := append(slices.Clone(litL), distL...)
	clF := make([]int, 19)
	for _, l := range all {
		clF[l]++
	}
	clL := huffLengths(clF, 7)
	clC := canonical(clL)
	w := bitWriter{}
	w.write(1|2<<1, 3) // BFINAL, BTYPE 10
	w.write(dfNumLit-257, 5)
	w.write(dfNumDist-1, 5)
	w.write(19-4, 4)
	for _, s := range clOrder {
		w.write(uint64(clL[s]), 3)
	}
	for _, l := range all {
		w.write(uint64(clC[l].code), uint(clC[l].len))
	}
	c.hbits = 8*len(w.b) + int(w.n)
	w.align()
	c.header = w.b
	return c, nil
}

// glyph returns the bits of g, glyph src of the font (fonts.NoSource or
// beyond the font: not cached).
func (c *fontCoder) glyph(g []byte, src uint16, z *lz) *glyphBits {
	cached := int(src) < len(c.glyphs)
	if cached {
		if gb := c.glyphs[src].Load(); gb != nil && gb.data == len(g) {
			return gb
		}
	}
	w := bitWriter{b: make([]byte, 0, len(g))}
	c.h.writeTokens(&w, c.h.optimalTokens(g, z))
	gb := &glyphBits{nbits: 8*len(w.b) + int(w.n), adler: adler32.Checksum(g), data: len(g)}
	w.align()
	gb.b = slices.Clip(w.b)
	if cached && glyphCacheSize.Load()+9*int64(len(gb.b)) <= glyphCacheMax {
		gb.shift()
		if c.glyphs[src].CompareAndSwap(nil, gb) {
			glyphCacheSize.Add(int64(len(gb.b) + len(gb.shifted)))
		}
	}
	return gb
}

// appendFontFile appends ttf as a zlib stream in c's code: the tables
// before the first glyph, each glyph (its bits cached by source, the
// font's id of each glyph whose data is the font's), the rest, then the
// Adler-32 of the whole file. The bytes do not depend on the cache.
func (c *fontCoder) appendFontFile(dst, ttf []byte, source []uint16) ([]byte, error) {
	glyphs, err := glyphRanges(ttf)
	if err != nil {
		return nil, err
	}
	z := lzPool.Get().(*lz)
	defer lzPool.Put(z)
	w := bitWriter{b: append(dst, 0x78, 0x01)}
	w.writeBits(c.header, c.hbits)
	pos := len(ttf)
	if len(glyphs) > 0 {
		pos = glyphs[0]
	}
	c.h.writeTokens(&w, z.tokenize(ttf[:pos]))
	sum := adler32.Checksum(ttf[:pos])
	for i := 1; i < len(glyphs); i++ {
		if g := ttf[glyphs[i-1]:glyphs[i]]; len(g) > 0 {
			src := uint16(fonts.NoSource)
			if i-1 < len(source) {
				src = source[i-1]
			}
			gb := c.glyph(g, src, z)
			w.writeGlyph(gb)
			sum = adlerCombine(sum, gb.adler, len(g))
		}
	}
	if len(glyphs) > 0 {
		rest := ttf[glyphs[len(glyphs)-1]:]
		c.h.writeTokens(&w, z.tokenize(rest))
		sum = adlerCombine(sum, adler32.Checksum(rest), len(rest))
	}
	e := c.h.lit[dfEOB]
	w.write(uint64(e.code), uint(e.len))
	w.align()
	return binary.BigEndian.AppendUint32(w.b, sum), nil
}

// optimalTokens returns LZ77 tokens of p (matches inside p only) that take
// close to the fewest bits in h: a shortest path over p's positions, each
// step a literal or one of the matches that the hash chains find there (at
// most dfOptChain candidates). About twice tokenize's time (15 µs for a
// FangSong glyph); for glyphs, whose bits are computed once and cached.
// FangSong's file is 0.6 % smaller than with the greedy parse.
func (h *huffman) optimalTokens(p []byte, z *lz) []token {
	n := len(p)
	if n < dfMinMatch+1 {
		return z.tokenize(p)
	}
	path := slices.Grow(z.path[:0], n+1)[:n+1]
	z.path = path
	path[0] = step{}
	for i := 1; i <= n; i++ {
		path[i] = step{cost: ^uint32(0)}
	}
	if z.optBase > 1<<30 {
		clear(z.optHead[:])
		z.optBase = 0
	}
	base := z.optBase
	z.optBase += int32(n) + 1
	head := &z.optHead
	prev := slices.Grow(z.optPrev[:0], n)[:n]
	z.optPrev = prev
	hash := func(i int) uint32 {
		return (uint32(p[i]) | uint32(p[i+1])<<8 | uint32(p[i+2])<<16) * 2654435761 >> (32 - dfHashBits)
	}
	var lenBits [dfMaxMatch + 1]uint32
	for l := dfMinMatch; l <= dfMaxMatch; l++ {
		lc := lenCode[l-3]
		lenBits[l] = uint32(h.lit[257+int(lc)].len) + uint32(lenExtra[lc])
	}
	for i := range n {
		c := path[i].cost
		if lit := c + uint32(h.lit[p[i]].len); lit < path[i+1].cost {
			path[i+1] = step{cost: lit}
		}
		if i+dfMinMatch > n {
			continue
		}
		hv := hash(i)
		maxLen := min(dfMaxMatch, n-i)
		// candidates come nearest first; each relaxes only the lengths
		// beyond the nearer ones' (done), as if a nearer distance never
		// cost more bits (true of the extra bits, nearly so of the codes;
		// on the letters' glyphs the bytes are the same as relaxing all)
		done := dfMinMatch - 1
		first := int32(-1) // the chain's nearest position
		if h := head[hv]; h > base {
			first = h - base - 1
		}
		for j, k := first, 0; j >= 0 && k < dfOptChain && i-int(j) < dfWindow; j, k = prev[j], k+1 {
			l := 0
			for l < maxLen && p[int(j)+l] == p[i+l] {
				l++
			}
			if l <= done {
				continue
			}
			d := i - int(j)
			dc := distSym(d)
			db := c + uint32(h.dist[dc].len) + uint32(distExtra[dc])
			for m := done + 1; m <= l; m++ {
				if v := db + lenBits[m]; v < path[i+m].cost {
					path[i+m] = step{cost: v, len: uint16(m), dist: uint16(d)}
				}
			}
			if done = l; l == maxLen {
				break // no farther candidate is longer
			}
		}
		prev[i] = first
		head[hv] = base + int32(i) + 1
	}
	ts := z.ts[:0]
	for i := n; i > 0; {
		s := path[i]
		if s.len == 0 {
			ts = append(ts, token{val: uint16(p[i-1])})
			i--
		} else {
			ts = append(ts, token{len: s.len, val: s.dist})
			i -= int(s.len)
		}
	}
	slices.Reverse(ts)
	z.ts = ts
	return ts
}

// A page content stream is one dynamic block in a code fixed per process,
// built from content_sample.bin (the page contents of a 4-page penalty
// decision and a service receipt as rendered when the code was made; a
// constant, so the bytes of a stream do not depend on anything but its
// data), every symbol given a code. Page contents have the same statistics
// in every letter (operators, two-decimal coordinates, two-byte CIDs), so a
// table per page, which compress/flate computes at a third of a letter's
// compression time, buys nothing; the fixed table's header (RLE-coded,
// written once per stream) is about as long as compress/flate's.
//
//go:embed content_sample.bin
var contentSample []byte

// streamCode is a code with its header's bits (BFINAL, BTYPE and the code
// lengths), ready to be copied into a stream.
type streamCode struct {
	h      huffman
	header []byte
	hbits  int
}

var contentCode = sync.OnceValue(func() *streamCode {
	litF, distF, count := tokenFreqs()
	z := lzPool.Get().(*lz)
	defer lzPool.Put(z)
	count(z.tokenize(contentSample))
	return newStreamCode(litF, distF)
})

// newStreamCode is the code of symbol frequencies litF and distF.
func newStreamCode(litF, distF []int) *streamCode {
	litL, distL := huffLengths(litF, 15), huffLengths(distF, 15)
	c := &streamCode{}
	copy(c.h.lit[:], canonical(litL))
	copy(c.h.dist[:], canonical(distL))
	c.header, c.hbits = rleHeader(litL, distL)
	return c
}

// rleHeader returns the bits of a dynamic block's header for the code
// lengths lit (286) and dist (30), runs of a length written with the code
// length code's symbol 16 (RFC 1951, 3.2.7; no length is zero).
func rleHeader(lit, dist []uint8) ([]byte, int) {
	type sym struct{ s, extra uint8 }
	all := append(slices.Clone(lit), dist...)
	var syms []sym
	for i := 0; i < len(all); {
		syms = append(syms, sym{s: all[i]})
		j := i + 1
		for j < len(all) && all[j] == all[i] {
			j++
		}
		run := j - i - 1 // repeats of all[i] after the first
		for run >= 3 {
			k := min(run, 6)
			syms = append(syms, sym{s: 16, extra: uint8(k - 3)})
			run -= k
		}
		for range run {
			syms = append(syms, sym{s: all[i]})
		}
		i = j
	}
	clF := make([]int, 19)
	for _, s := range syms {
		clF[s.s]++
	}
	clL := huffLengths(clF, 7)
	clC := canonical(clL)
	n := 19
	for n > 4 && clL[clOrder[n-1]] == 0 {
		n--
	}
	w := bitWriter{}
	w.write(1|2<<1, 3) // BFINAL, BTYPE 10
	w.write(dfNumLit-257, 5)
	w.write(dfNumDist-1, 5)
	w.write(uint64(n-4), 4)
	for _, s := range clOrder[:n] {
		w.write(uint64(clL[s]), 3)
	}
	for _, s := range syms {
		w.write(uint64(clC[s.s].code), uint(clC[s.s].len))
		if s.s == 16 {
			w.write(uint64(s.extra), 2)
		}
	}
	hbits := 8*len(w.b) + int(w.n)
	w.align()
	return w.b, hbits
}

// appendZlib appends data as a zlib stream of one block in c.
func (c *streamCode) appendZlib(dst, data []byte) []byte {
	w := bitWriter{b: append(dst, 0x78, 0x01)}
	w.writeBits(c.header, c.hbits)
	z := lzPool.Get().(*lz)
	c.h.writeTokens(&w, z.tokenizeChain(data, contentChain))
	lzPool.Put(z)
	e := c.h.lit[dfEOB]
	w.write(uint64(e.code), uint(e.len))
	w.align()
	return binary.BigEndian.AppendUint32(w.b, adler32.Checksum(data))
}

// gidMapCode is the code of the CIDToGIDMaps: big-endian glyph ids of a
// subset, nearly always the identity (CID i is glyph i) of a few hundred
// glyphs (high bytes 0 or 1, low bytes all different), coded as literals
// only (the maps have no repeats to match); compress/flate's dynamic
// table per map cost 6 % of a letter. Its frequencies are those of the
// map 0, 1, …, 319 plus one for every symbol, a constant, so a map's bytes
// depend on nothing but the map (about 16 bytes longer than with a table
// of its own).
var gidMapCode = sync.OnceValue(func() *streamCode {
	litF, distF, _ := tokenFreqs()
	for g := range 320 {
		litF[g>>8]++
		litF[g&0xFF]++
	}
	return newStreamCode(litF, distF)
})

// appendZlibLiterals appends data as a zlib stream of one block in c,
// every byte a literal.
func (c *streamCode) appendZlibLiterals(dst, data []byte) []byte {
	w := bitWriter{b: append(dst, 0x78, 0x01)}
	w.writeBits(c.header, c.hbits)
	for _, b := range data {
		l := c.h.lit[b]
		w.write(uint64(l.code), uint(l.len))
	}
	e := c.h.lit[dfEOB]
	w.write(uint64(e.code), uint(e.len))
	w.align()
	return binary.BigEndian.AppendUint32(w.b, adler32.Checksum(data))
}
