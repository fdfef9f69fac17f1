// Command renderloop renders many letters in one process and reports time,
// allocation and peak memory (VmHWM), for docs/performance.md:
//
//	go run ./render/cmd/renderloop -n 1000
//	go run ./render/cmd/renderloop -kind penalty_decision -html /tmp/letter.html -pdf /tmp/letter.pdf
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"penaltydoc/render"
	"penaltydoc/rules"
	"penaltydoc/templates"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "renderloop:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("renderloop", flag.ContinueOnError)
	n := fs.Int("n", 1000, "letters to render")
	kind := fs.String("kind", "", "only this kind (default: all kinds in turn)")
	party := fs.String("party", "", "person or organization (default: alternate)")
	pdfOut := fs.String("pdf", "", "write the first letter's PDF here")
	htmlOut := fs.String("html", "", "write the first letter as HTML here (for the Chromium comparison)")
	fontDir := fs.String("fontdir", "fonts", "directory with the TTF files, for the HTML's @font-face")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r, err := render.New()
	if err != nil {
		return err
	}
	kinds := render.Kinds()
	if *kind != "" {
		kinds = []string{*kind}
	}
	tmpls := map[string]*render.Template{}
	for _, k := range kinds {
		body, err := templates.Default(k)
		if err != nil {
			return err
		}
		if tmpls[k], err = render.Parse(k, body); err != nil {
			return err
		}
	}
	ctx := context.Background()
	parties := []string{rules.PartyPerson, rules.PartyOrganization}
	if *party != "" {
		parties = []string{*party}
	}
	first := render.SampleData(kinds[0], parties[0])
	if *pdfOut != "" {
		pdf, err := r.Render(ctx, tmpls[kinds[0]], first)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*pdfOut, pdf, 0o644); err != nil {
			return err
		}
	}
	if *htmlOut != "" {
		html, err := r.RenderHTML(ctx, tmpls[kinds[0]], first, strings.TrimSuffix(*fontDir, "/"))
		if err != nil {
			return err
		}
		if err := os.WriteFile(*htmlOut, html, 0o644); err != nil {
			return err
		}
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	bytesOut := 0
	for i := range *n {
		k := kinds[i%len(kinds)]
		d := render.SampleData(k, parties[(i/len(kinds))%len(parties)])
		pdf, err := r.Render(ctx, tmpls[k], d)
		if err != nil {
			return fmt.Errorf("letter %d (%s): %w", i, k, err)
		}
		bytesOut += len(pdf)
	}
	took := time.Since(start)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if *n > 0 {
		fmt.Printf("letters: %d (%s)\n", *n, strings.Join(kinds, ", "))
		fmt.Printf("time: %v total, %.2f ms/letter (GOMAXPROCS=%d, one goroutine)\n", took.Round(time.Millisecond), float64(took.Microseconds())/1000/float64(*n), runtime.GOMAXPROCS(0))
		fmt.Printf("allocated: %.1f MB/letter\n", float64(after.TotalAlloc-before.TotalAlloc)/float64(*n)/1e6)
		fmt.Printf("output: %.0f KB/letter\n", float64(bytesOut)/float64(*n)/1e3)
	}
	fmt.Printf("peak RSS (VmHWM): %s\n", vmHWM())
	return nil
}

// vmHWM reads the peak resident set size from /proc/self/status.
func vmHWM() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	for l := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
