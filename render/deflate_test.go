package render

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/adler32"
	"io"
	"math/rand/v2"
	"slices"
	"testing"

	"penaltydoc/fonts"
)

func inflate(t *testing.T, z []byte) []byte {
	t.Helper()
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr) // checks the Adler-32 too
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// deflateInputs are streams of the shapes that matter: empty, shorter than
// a match, long runs, text, noise, and more than the 32 KB window.
func deflateInputs() map[string][]byte {
	rnd := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 5000)
	for i := range noise {
		noise[i] = byte(rnd.IntN(256))
	}
	text := bytes.Repeat([]byte("BT 79.37 600.47 Td (\x00\x81\x00/\x003) Tj ET\n"), 40)
	big := make([]byte, 0, 80000)
	for len(big) < 80000 {
		big = append(big, noise[:rnd.IntN(300)]...)
		big = append(big, bytes.Repeat([]byte{byte(rnd.IntN(4))}, rnd.IntN(600))...)
	}
	return map[string][]byte{
		"empty": nil, "one": {7}, "three": []byte("abc"), "run": bytes.Repeat([]byte{0}, 1000),
		"text": text, "noise": noise, "big": big,
	}
}

// TestZlibFixed: the fixed-code streams inflate to their input.
func TestZlibFixed(t *testing.T) {
	for name, in := range deflateInputs() {
		z := appendZlibFixed([]byte("keep"), in)
		if !bytes.HasPrefix(z, []byte("keep")) {
			t.Fatalf("%s: prefix lost", name)
		}
		if got := inflate(t, z[4:]); !bytes.Equal(got, in) {
			t.Errorf("%s: inflates to %d bytes, want %d", name, len(got), len(in))
		}
	}
}

// TestFontCoderAnyData: a font's code encodes any bytes, not only the
// glyphs it was built from (every symbol has a code), with the greedy and
// the optimal parse, and the optimal one is never longer.
func TestFontCoderAnyData(t *testing.T) {
	c, err := coderFor(fonts.Song())
	if err != nil {
		t.Fatal(err)
	}
	z := lzPool.Get().(*lz)
	defer lzPool.Put(z)
	for name, in := range deflateInputs() {
		var bits [2]int
		for i, tokens := range []func([]byte) []token{z.tokenize, func(p []byte) []token { return c.h.optimalTokens(p, z) }} {
			w := bitWriter{b: []byte{0x78, 0x01}}
			w.writeBits(c.header, c.hbits)
			c.h.writeTokens(&w, tokens(in))
			bits[i] = 8*len(w.b) + int(w.n)
			e := c.h.lit[dfEOB]
			w.write(uint64(e.code), uint(e.len))
			w.align()
			out := binary.BigEndian.AppendUint32(w.b, adler32.Checksum(in))
			if got := inflate(t, out); !bytes.Equal(got, in) {
				t.Errorf("%s, tokenizer %d: inflates to %d bytes, want %d", name, i, len(got), len(in))
			}
		}
		if bits[1] > bits[0] {
			t.Errorf("%s: the optimal parse takes %d bits, the greedy one %d", name, bits[1], bits[0])
		}
	}
}

// TestWriteBits: a bit string appended at every bit offset is the same
// as writing its bits one by one.
func TestWriteBits(t *testing.T) {
	src := []byte{0xA5, 0x3C, 0xFF, 0x00, 0x81, 0x7E, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x0F, 0x55, 0xAA, 0x01}
	for off := range 8 {
		for _, nbits := range []int{0, 1, 7, 8, 9, 63, 64, 65, 8*len(src) - 3, 8 * len(src)} {
			var a, b bitWriter
			a.write(0x5&(1<<off-1), uint(off))
			b.write(0x5&(1<<off-1), uint(off))
			a.writeBits(src, nbits)
			for i := range nbits {
				b.write(uint64(src[i/8]>>(i%8)&1), 1)
			}
			a.align()
			b.align()
			if !bytes.Equal(a.b, b.b) {
				t.Errorf("offset %d, %d bits: % x, want % x", off, nbits, a.b, b.b)
			}
		}
	}
}

func TestAdlerCombine(t *testing.T) {
	in := deflateInputs()["big"]
	for _, cut := range []int{0, 1, 5552, 65521, 70000, len(in)} {
		a, b := in[:cut], in[cut:]
		if got, want := adlerCombine(adler32.Checksum(a), adler32.Checksum(b), len(b)), adler32.Checksum(in); got != want {
			t.Errorf("cut %d: %08x, want %08x", cut, got, want)
		}
	}
}

// TestContentCode: page content streams in the per-process code inflate
// to their input, whatever the data (every symbol has a code, the header's
// runs are read back).
func TestContentCode(t *testing.T) {
	ins := deflateInputs()
	ins["sample"] = contentSample
	for name, in := range ins {
		z := contentCode().appendZlib([]byte("keep"), in)
		if !bytes.HasPrefix(z, []byte("keep")) {
			t.Fatalf("%s: prefix lost", name)
		}
		if got := inflate(t, z[4:]); !bytes.Equal(got, in) {
			t.Errorf("%s: inflates to %d bytes, want %d", name, len(got), len(in))
		}
	}
}

// TestWriteGlyph: a glyph's shifted copies give the bits writeBits writes,
// at every bit offset.
func TestWriteGlyph(t *testing.T) {
	src := []byte{0xA5, 0x3C, 0xFF, 0x01, 0x80, 0x7E, 0x5A, 0xC3, 0x99, 0x42}
	for _, nbits := range []int{1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 8*len(src) - 3, 8 * len(src)} {
		b := slices.Clone(src[:(nbits+7)/8])
		if r := nbits % 8; r > 0 {
			b[len(b)-1] &= 1<<r - 1 // the bits past nbits are zero, as bitWriter leaves them
		}
		gb := &glyphBits{b: b, nbits: nbits}
		gb.shift()
		for off := range 20 {
			var a, w bitWriter
			a.write(0x5A5A5&(1<<off-1), uint(off))
			w.write(0x5A5A5&(1<<off-1), uint(off))
			a.writeBits(gb.b, nbits)
			w.writeGlyph(gb)
			a.write(0x3, 2)
			w.write(0x3, 2)
			a.align()
			w.align()
			if !bytes.Equal(a.b, w.b) {
				t.Fatalf("offset %d, %d bits: % x, want % x", off, nbits, w.b, a.b)
			}
		}
	}
}
