package casework

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules/limits"
)

// TestCapReader: a file of exactly the cap reads whole; one byte more is
// errTooBig, however the reads are cut.
func TestCapReader(t *testing.T) {
	for _, c := range []struct {
		size, cap int
		tooBig    bool
	}{{0, 0, false}, {10, 10, false}, {11, 10, true}, {9, 10, false}, {5000, 4096, true}, {4096, 4096, false}} {
		for _, one := range []bool{false, true} {
			var r io.Reader = bytes.NewReader(bytes.Repeat([]byte("a"), c.size))
			if one {
				r = iotest.OneByteReader(r)
			}
			b, err := io.ReadAll(&capReader{r: r, left: c.cap})
			if c.tooBig != errors.Is(err, errTooBig) || (!c.tooBig && (err != nil || len(b) != c.size)) {
				t.Errorf("size %d cap %d (one byte a read: %v): %d bytes, %v", c.size, c.cap, one, len(b), err)
			}
		}
	}
}

// TestImportCounts: an answer names at most MaxImportErrors cells and
// counts the rest, in its message and under "rows".
func TestImportCounts(t *testing.T) {
	_, err := (&Service{}).ImportCatalog(t.Context(), Actor{Scope: models.Everything}, "bad.csv", bytes.NewReader(badCatalog(60, "坏行")), ImportOptions{CodePrefix: "QD", Domain: "other"})
	var e *errs.Error
	// 60 rows with two bad provisions each: 120 cells, 50 named.
	if !errors.As(err, &e) || len(e.Fields) != limits.MaxImportErrors+1 || e.Fields["rows"] != "…及其他70处错误" ||
		!strings.Contains(e.Message, "文件中有120处错误") {
		t.Fatalf("%v", err)
	}
}
