// Package render knows layout: the document template language (a body is
// parsed, executed against a document's Data and refused with its line
// when it is at fault), the Chinese typesetter (GB/T 9704 page, line
// breaking by the punctuation rules, pagination, page numbers, seal, QR
// code, the 样稿 watermark) and the PDF writer, which embeds subsets of the
// shipped fonts. It knows nothing of the database or HTTP; given the same
// template and data it writes the same bytes. The Chinese formatting
// helpers (capital amounts, dates, masked names) live here too.
package render

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"

	"penaltydoc/fonts"
)

// Renderer turns templates and data into PDFs. It is safe for concurrent
// use.
type Renderer struct {
	faces  [nFonts]face
	limits Limits
	// slots bounds the renders that run at once (the rest wait, as long as
	// their context lets them): a burst of requests cannot make the
	// process hold more letters in memory than the machine has cores for.
	slots chan struct{}
}

// Workers is how many renders run at once: the number of CPUs the Go
// scheduler uses (a render is CPU work).
func Workers() int { return max(1, runtime.GOMAXPROCS(0)) }

// New returns a Renderer with the embedded fonts and DefaultLimits. It
// parses the fonts, builds their deflate codes (deflate.go) and renders a
// test letter, so a broken font shows at start-up rather than in a
// document.
func New() (*Renderer, error) {
	r := &Renderer{
		faces:  [nFonts]face{fonts.FangSong(), fonts.Song(), fonts.SongBold()},
		limits: DefaultLimits,
		slots:  make(chan struct{}, Workers()),
	}
	for _, f := range r.faces {
		if e, ok := f.(embedder); ok {
			if _, err := coderFor(e); err != nil { // once per process: not in a letter's time
				return nil, fmt.Errorf("render self-test: %w", err)
			}
		}
	}
	t, err := Parse("advance_notice", "@title 字体自检\n检查字体：永、。（¥1,000.00）")
	if err != nil {
		return nil, fmt.Errorf("render self-test: %w", err)
	}
	if _, err := r.Render(context.Background(), t, Data{Draft: true, IssueDate: "2026-01-01"}); err != nil {
		return nil, fmt.Errorf("render self-test: %w", err)
	}
	return r, nil
}

// WithLimits returns a copy of r with other limits (zero fields keep
// their defaults).
func (r *Renderer) WithLimits(l Limits) *Renderer {
	c := *r
	c.limits = l.withDefaults()
	return &c
}

// Render executes t against d and typesets the result as a PDF. It fails
// with a *TemplateError (the template is at fault, with its line), a
// *LimitError (time, size or loop limit), an *UnsupportedCharError (a
// character neither font has, naming the field), or the context's error.
// The same template and data always give the same bytes.
func (r *Renderer) Render(ctx context.Context, t *Template, d Data) (pdf []byte, err error) {
	if t == nil || t.tmpl == nil {
		return nil, errors.New("render: nil template")
	}
	defer func() {
		if p := recover(); p != nil {
			pdf, err = nil, fmt.Errorf("render: panic: %v\n%s", p, debug.Stack())
		}
	}()
	if d.Draft || d.Specimen {
		d.Number = "" // a draft has no number, whatever the caller passed
	}
	if d.Specimen {
		d.VerifyURL = ""
	}
	lim := r.limits.withDefaults()
	select {
	case r.slots <- struct{}{}:
		defer func() { <-r.slots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()

	blocks, err := t.execute(ctx, &d, lim)
	if err != nil {
		return nil, err
	}
	ts := newTypesetter(r.faces)
	defer ts.release()
	sealed := (!d.Draft || d.Specimen) && len(d.Authority.SealPNG) > 0
	pages, err := ts.layout(blocks, &d, sealed)
	if err != nil {
		return nil, err
	}
	if len(pages) > lim.MaxPages {
		return nil, &LimitError{Msg: fmt.Sprintf("文书超过 %d 页", lim.MaxPages)}
	}
	if err := ctx.Err(); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, errTimeout
		}
		return nil, err
	}
	return ts.writePDF(pages, &d, t.kind)
}
