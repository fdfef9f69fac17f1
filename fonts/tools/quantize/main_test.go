package main

import (
	"bytes"
	"os"
	"testing"
)

// The shipped FandolFang is the tool's output: quantising it again
// changes nothing.
func TestShippedFangSongIsQuantized(t *testing.T) {
	in, err := os.ReadFile("../../FandolFang-Regular.ttf")
	if err != nil {
		t.Fatal(err)
	}
	out, err := quantize(in, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(in, out) {
		t.Fatalf("quantize changes the shipped file (%d -> %d bytes): run fonts/tools/build-fonts.sh fang", len(in), len(out))
	}
}

func TestSimplify(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in, want []point
	}{
		{"snapped", []point{{1, 2, true}, {5, 7, true}, {10, 1, true}}, []point{{0, 4, true}, {4, 8, true}, {12, 0, true}}},
		{"equal neighbours merged", []point{{0, 0, true}, {1, 1, true}, {100, 0, true}, {100, 100, true}}, []point{{0, 0, true}, {100, 0, true}, {100, 100, true}}},
		{"near-implied point dropped", []point{{0, 0, true}, {100, 0, false}, {152, 48, true}, {200, 100, false}, {200, 200, true}},
			[]point{{0, 0, true}, {100, 0, false}, {200, 100, false}, {200, 200, true}}},
		{"far point kept", []point{{0, 0, true}, {100, 0, false}, {160, 40, true}, {200, 100, false}, {200, 200, true}},
			[]point{{0, 0, true}, {100, 0, false}, {160, 40, true}, {200, 100, false}, {200, 200, true}}},
	} {
		got := simplify([][]point{tc.in}, 4, 2)
		if !equal(got, [][]point{tc.want}) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestDecodeEncodeRoundTrip(t *testing.T) {
	cont := [][]point{{{0, 0, true}, {300, 0, false}, {300, 300, true}, {-400, 20, true}}, {{8, 8, true}, {8, 9, false}, {1000, 9, true}}}
	got, err := decode(encode(cont))
	if err != nil {
		t.Fatal(err)
	}
	if !equal(got, cont) {
		t.Fatalf("got %v, want %v", got, cont)
	}
}
