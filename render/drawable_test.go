package render

import (
	"math/rand/v2"
	"testing"
	"unicode"

	"penaltydoc/fonts"
)

// TestDrawable: drawable's one pass agrees with checkField's slow path
// (its character tests and fonts.Missing) on strings of assorted
// characters.
func TestDrawable(t *testing.T) {
	pool := []rune("江南市场监督管理局，。、（）《》“”¥1aZ \n\r\t\x00\x1f\x7f\u0085\u00a0\ue000\uf8ff\U00020bb7\u4dc0\u9fff\u3400\u2028\ufffd")
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		rs := make([]rune, 1+r.IntN(6))
		for i := range rs {
			rs[i] = pool[r.IntN(len(pool))]
		}
		s := string(rs)
		slow := len(fonts.Missing(s)) == 0
		for _, c := range s {
			if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f || c > 0xffff || unicode.Is(unicode.Co, c) {
				slow = false
			}
		}
		if got := drawable(s); got != slow {
			t.Fatalf("drawable(%q) = %v, want %v", s, got, slow)
		}
	}
}
