package render

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDumpEquiv(t *testing.T) {
	dir := os.Getenv("DUMPDIR")
	if dir == "" {
		t.Skip()
	}
	r := renderer(t)
	urls := []string{"", "https://penaltydoc.example.gov.cn/verify/8Fq2kZr7TmXw3Lp9", "12345", "HTTP://A.B/C", "https://x.cn/v/" + strings.Repeat("a", 120), "https://x.cn/v/(paren)\\"}
	for _, kind := range Kinds() {
		for _, party := range parties {
			tp := defaultTemplate(t, kind)
			for mode := range 3 {
				for ui, u := range urls {
					if mode > 0 && ui > 0 {
						continue
					}
					d := SampleData(kind, party)
					d.Draft, d.Specimen = mode == 1, mode == 2
					if ui > 0 || mode == 0 {
						d.VerifyURL = u
					}
					pdf, err := r.Render(context.Background(), tp, d)
					if err != nil {
						t.Fatal(err)
					}
					os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s_%s_%d_%d.pdf", kind, party, mode, ui)), pdf, 0o644)
				}
			}
		}
	}
	tp := defaultTemplate(t, "penalty_decision")
	d := twoPageData(t, r, tp)
	pdf, _ := r.Render(context.Background(), tp, d)
	os.WriteFile(filepath.Join(dir, "twopage.pdf"), pdf, 0o644)
}
