package casework

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"penaltydoc/errs"
	"penaltydoc/render"
	"penaltydoc/rules"
)

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestCheckSeal: the seal is a whole PNG of sensible size; a transparent
// background is fine.
func TestCheckSeal(t *testing.T) {
	seal := render.SampleSeal()
	for _, c := range []struct {
		name string
		b    []byte
		want string // a part of the message; "" accepted
	}{
		{"the sample seal", seal, ""},
		{"transparent, 64 px", pngOf(t, 64, 64), ""},
		{"a GIF", []byte("GIF89a\x01\x00\x01\x00"), "PNG格式"},
		{"empty", nil, "PNG格式"},
		{"cut short", seal[:len(seal)/2], "无法读取"},
		{"only the signature", []byte("\x89PNG\r\n\x1a\n"), "无法读取"},
		{"too small", pngOf(t, 10, 10), "像素"},
		{"too wide", pngOf(t, MaxSealPixels+1, 100), "像素"},
		{"too large a file", append(bytes.Clone(seal), make([]byte, MaxSealBytes)...), "MB"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := CheckSeal(c.b)
			if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
				t.Errorf("CheckSeal = %q, want %q", got, c.want)
			}
		})
	}
	if rules.CheckSeal(true) != nil || !errs.Is(rules.CheckSeal(false), errs.Conflict) || !strings.Contains(rules.CheckSeal(false).Error(), "本机关尚未设置印章") {
		t.Errorf("rules.CheckSeal: %v / %v", rules.CheckSeal(true), rules.CheckSeal(false))
	}
}
