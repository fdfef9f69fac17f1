package render

import (
	"math/bits"
	"slices"
	"sync"
)

func onesCount(x uint64) int { return bits.OnesCount64(x) }

// usedSet is a set of runes: a bitmap for the BMP, a list beyond it (the
// squeezed punctuation's variants), and the members in the order added.
// A letter adds each character of its text to one; a map cost a hash and
// an assignment per character.
type usedSet struct {
	bmp  [0x10000 / 64]uint64
	list []rune // the members, in the order added
	// below[w] is the number of members below rune 64·w (rank)
	below [0x10000 / 64]uint16
}

func (s *usedSet) add(r rune) {
	if r >= 0 && r < 0x10000 {
		w, m := &s.bmp[r>>6], uint64(1)<<(r&63)
		if *w&m != 0 {
			return
		}
		*w |= m
	} else if slices.Contains(s.list, r) {
		return
	}
	s.list = append(s.list, r)
}

func (s *usedSet) len() int { return len(s.list) }

// sorted returns the members in ascending order, in a new slice.
func (s *usedSet) sorted() []rune {
	rs := slices.Clone(s.list)
	slices.Sort(rs)
	return rs
}

// rank prepares s for index: no member may be added afterwards.
func (s *usedSet) rank() {
	n := 0
	for w, bits := range s.bmp {
		s.below[w] = uint16(n)
		n += onesCount(bits)
	}
}

// index returns the position of r, a member in the BMP, among the members
// in ascending order, and whether r is one (after rank).
func (s *usedSet) index(r rune) (int, bool) {
	if r < 0 || r >= 0x10000 {
		return 0, false
	}
	w, bit := s.bmp[r>>6], uint64(1)<<(r&63)
	if w&bit == 0 {
		return 0, false
	}
	return int(s.below[r>>6]) + onesCount(w&(bit-1)), true
}

// reset empties s.
func (s *usedSet) reset() {
	for _, r := range s.list {
		if r >= 0 && r < 0x10000 {
			s.bmp[r>>6] = 0
		}
	}
	s.list = s.list[:0]
}

// usedPool holds the typesetters' rune sets, empty.
var usedPool = sync.Pool{New: func() any { return new([nFonts]usedSet) }}
