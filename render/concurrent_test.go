package render

import (
	"bytes"
	"context"
	"sync"
	"testing"
)

// TestConcurrentRendersSame renders letters of every kind on several
// goroutines at once (the pooled buffers, glyph arenas and rune sets, the
// glyph cache) and checks each against the same letter rendered alone.
func TestConcurrentRendersSame(t *testing.T) {
	r := renderer(t).WithLimits(Limits{})
	r.slots = make(chan struct{}, 4)
	type job struct {
		tp   *Template
		d    Data
		want []byte
	}
	var jobs []job
	for _, kind := range Kinds() {
		for _, party := range parties {
			for _, draft := range []bool{false, true} {
				tp := defaultTemplate(t, kind)
				d := SampleData(kind, party)
				d.Draft = draft
				want, err := r.Render(context.Background(), tp, d)
				if err != nil {
					t.Fatal(err)
				}
				jobs = append(jobs, job{tp, d, want})
			}
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 3 * len(jobs) {
				j := jobs[(i+g*7)%len(jobs)]
				got, err := r.Render(context.Background(), j.tp, j.d)
				if err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(got, j.want) {
					t.Errorf("%s: a concurrent render differs", j.d.Kind)
					return
				}
			}
		})
	}
	wg.Wait()
}
