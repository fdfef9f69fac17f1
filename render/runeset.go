package render

import (
	"slices"
	"sync"
)

// usedSet is a set of runes: a bitmap for the BMP, a list beyond it (the
// squeezed punctuation's variants), and the members in the order added.
// A letter adds each character of its text to one; a map cost a hash and
// an assignment per character.
type usedSet struct {
	bmp  [0x10000 / 64]uint64
	list []rune // the members, in the order added
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
