// Package fonts holds the CJK fonts the PDFs embed: FandolFang (FangSong,
// body text) and Noto Serif CJK SC (Song, titles and per-character fallback),
// converted to TrueType so that fpdf can load them (see README.md).
//
// Each font is parsed once. For every document, Subset builds a small
// TrueType file with just the characters the document uses; fpdf loads that
// in microseconds, where parsing the whole font would cost milliseconds.
package fonts

import (
	_ "embed"
	"fmt"
	"sync"
	"unicode"
)

var (
	//go:embed FandolFang-Regular.ttf
	fangSongTTF []byte
	//go:embed NotoSerifSC-Regular.ttf
	songTTF []byte
	//go:embed NotoSerifSC-Bold.ttf
	songBoldTTF []byte
)

// FangSong is FandolFang Regular, the body font. It covers GB2312 and some
// more; Song fills the gaps.
func FangSong() *Font { return fangSong() }

// Song is Noto Serif CJK SC Regular, the title and fallback font: CJK
// Unified Ideographs with Extension A, Latin, punctuation and symbols.
func Song() *Font { return song() }

// SongBold is Noto Serif CJK SC Bold, for titles. It has no Extension A.
func SongBold() *Font { return songBold() }

var (
	fangSong = lazy("FandolFang", fangSongTTF)
	song     = lazy("NotoSerifSC", songTTF)
	songBold = lazy("NotoSerifSCBold", songBoldTTF)
)

// lazy returns a function that parses the embedded file on first use and
// panics if it is broken (the package tests parse every font).
func lazy(name string, data []byte) func() *Font {
	return sync.OnceValue(func() *Font {
		f, err := parse(name, data)
		if err != nil {
			panic(fmt.Sprintf("fonts: embedded %s is broken: %v", name, err))
		}
		return f
	})
}

// Missing returns the runes of s that neither FangSong nor Song can draw, in
// order of first appearance, without duplicates. Line breaks and tabs are
// ignored; a space counts as drawable; other control characters are missing.
func Missing(s string) []rune {
	var missing []rune
	fs, song := FangSong(), Song()
	for _, r := range s {
		switch r {
		case '\n', '\r', '\t', ' ':
			continue
		}
		if !unicode.IsControl(r) && (fs.Has(r) || song.Has(r)) {
			continue
		}
		found := false
		for _, m := range missing {
			if m == r {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, r)
		}
	}
	return missing
}

// Describe names a character for a Chinese error message: “𠮷”（U+20BB7）.
// Invisible characters are named by code point alone.
func Describe(r rune) string {
	if !unicode.IsGraphic(r) || unicode.IsSpace(r) {
		return fmt.Sprintf("不可见字符（U+%04X）", r)
	}
	return fmt.Sprintf("“%c”（U+%04X）", r, r)
}
