package render

import (
	"bytes"
	"strings"
	"testing"

	"rsc.io/qr"
)

// TestQREncodeSame checks that qrEncode's modules are qr.Encode's, for
// texts of each encoding and of lengths across the versions.
func TestQREncodeSame(t *testing.T) {
	var texts []string
	for n := 1; n < 1200; n += 7 {
		texts = append(texts,
			strings.Repeat("7", n),
			strings.Repeat("AB-1", n/4+1),
			"https://penaltydoc.example.gov.cn/verify/"+strings.Repeat("8Fq2kZr7", n/8+1)[:n])
	}
	for _, s := range texts {
		want, werr := qr.Encode(s, qr.M)
		got, gerr := qrEncode(s)
		if (werr != nil) != (gerr != nil) {
			t.Fatalf("%d bytes: errors %v, %v", len(s), gerr, werr)
		}
		if werr != nil {
			continue
		}
		if got.Size != want.Size || got.Stride != want.Stride || !bytes.Equal(got.Bitmap, want.Bitmap) {
			t.Fatalf("%q: modules differ from qr.Encode's", s)
		}
	}
}
