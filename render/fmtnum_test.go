package render

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestAppendFixed2(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), -0.004, -0.005, -0.006, 0.005, 0.015, 0.025, 0.125, 0.375, 1.005, 2.675,
		1e11, -1e11, 1e13, math.NaN(), math.Inf(1), math.Inf(-1), 595.28, 841.89, 123.455, 99.995, -99.995}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2_000_000 {
		vals = append(vals, (r.Float64()-0.2)*1000)
	}
	for k := range 200_000 { // decimal halves and their neighbours
		h := (float64(k) + 0.5) / 100
		vals = append(vals, h, math.Nextafter(h, 0), math.Nextafter(h, 1e9), -h)
	}
	for _, v := range vals {
		want := strconv.AppendFloat(nil, v, 'f', 2, 64)
		if got := appendFixed2(nil, v); string(got) != string(want) {
			t.Fatalf("appendFixed2(%v) = %s, want %s", v, got, want)
		}
	}
}
