package main

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Outcome classes of a request that got no 2xx answer.
const (
	classNet      = "net"      // no answer: connection refused or reset, EOF
	classTimeout  = "timeout"  // the harness's own per-request deadline passed
	classCanceled = "canceled" // the run ended (or was interrupted) while waiting
)

// event is one failed request: when, which operation, and its status or
// class (HTTP status as text, or one of the classes above).
type event struct {
	at    time.Time
	op    string
	class string
}

// opStats is what the recorder keeps of one operation.
type opStats struct {
	ok       []time.Duration // latencies of 2xx answers
	failures map[string]int  // by status or class, cancellations included
}

// recorder collects every request's outcome; safe for concurrent use.
type recorder struct {
	mu     sync.Mutex
	ops    map[string]*opStats
	events []event
	flows  map[string]int // completed flows by kind
}

func newRecorder() *recorder {
	return &recorder{ops: map[string]*opStats{}, flows: map[string]int{}}
}

func (r *recorder) stats(op string) *opStats {
	s := r.ops[op]
	if s == nil {
		s = &opStats{failures: map[string]int{}}
		r.ops[op] = s
	}
	return s
}

// ok records a 2xx answer and its latency.
func (r *recorder) ok(op string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stats(op)
	s.ok = append(s.ok, d)
}

// fail records a request that got no 2xx answer; class is the HTTP status
// ("500") or one of classNet, classTimeout, classCanceled.
func (r *recorder) fail(op, class string, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats(op).failures[class]++
	if class != classCanceled {
		r.events = append(r.events, event{at: at, op: op, class: class})
	}
}

// flowDone counts a flow that ran to its end.
func (r *recorder) flowDone(kind string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.flows[kind]++
}

// flowCount is the number of completed flows.
func (r *recorder) flowCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.flows {
		n += c
	}
	return n
}

// okCount is the number of 2xx answers of op.
func (r *recorder) okCount(op string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if s := r.ops[op]; s != nil {
		return len(s.ok)
	}
	return 0
}

// percentile is the nearest-rank p-th percentile (0 < p <= 100) of sorted.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(len(sorted))*p/100+0.999999999) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

// opSummary is one line of the report.
type opSummary struct {
	Op            string
	OK            int
	Rate          float64 // 2xx answers per second
	P50, P95, P99 time.Duration
	Failures      map[string]int // cancellations excluded
	Canceled      int
}

// summary answers one line per operation, in the order of ops (then any
// other operation by name), and the totals.
func (r *recorder) summary(elapsed time.Duration, order []string) ([]opSummary, opSummary) {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.ops))
	for op := range r.ops {
		names = append(names, op)
	}
	rank := func(op string) int {
		if i := slices.Index(order, op); i >= 0 {
			return i
		}
		return len(order)
	}
	sort.Slice(names, func(i, j int) bool {
		if ri, rj := rank(names[i]), rank(names[j]); ri != rj {
			return ri < rj
		}
		return names[i] < names[j]
	})
	secs := elapsed.Seconds()
	total := opSummary{Op: "all", Failures: map[string]int{}}
	var all []time.Duration
	var rows []opSummary
	for _, op := range names {
		s := r.ops[op]
		lat := slices.Clone(s.ok)
		slices.Sort(lat)
		all = append(all, lat...)
		row := opSummary{Op: op, OK: len(lat), P50: percentile(lat, 50), P95: percentile(lat, 95), P99: percentile(lat, 99),
			Failures: map[string]int{}}
		for class, n := range s.failures {
			if class == classCanceled {
				row.Canceled += n
				continue
			}
			row.Failures[class] += n
			total.Failures[class] += n
		}
		total.Canceled += row.Canceled
		if secs > 0 {
			row.Rate = float64(row.OK) / secs
		}
		rows = append(rows, row)
	}
	slices.Sort(all)
	total.OK = len(all)
	total.P50, total.P95, total.P99 = percentile(all, 50), percentile(all, 95), percentile(all, 99)
	if secs > 0 {
		total.Rate = float64(total.OK) / secs
	}
	return rows, total
}

// failuresText is "500×2 net×5", classes in a stable order.
func failuresText(f map[string]int) string {
	if len(f) == 0 {
		return "-"
	}
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s×%d", k, f[k])
	}
	return strings.Join(parts, " ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

// writeReport prints the table of operations and the flows.
func (r *recorder) writeReport(w io.Writer, elapsed time.Duration, order []string) {
	rows, total := r.summary(elapsed, order)
	fmt.Fprintf(w, "%-18s %7s %8s %8s %8s %8s  %-9s %s\n", "operation", "ok", "ok/s", "p50 ms", "p95 ms", "p99 ms", "canceled", "errors")
	for _, row := range append(rows, total) {
		fmt.Fprintf(w, "%-18s %7d %8.1f %8s %8s %8s  %-9d %s\n", row.Op, row.OK, row.Rate, ms(row.P50), ms(row.P95), ms(row.P99),
			row.Canceled, failuresText(row.Failures))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	kinds := make([]string, 0, len(r.flows))
	done := 0
	for k, n := range r.flows {
		kinds = append(kinds, k)
		done += n
	}
	slices.Sort(kinds)
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s %d", k, r.flows[k])
	}
	fmt.Fprintf(w, "flows completed: %d (%.2f/s): %s\n", done, float64(done)/max(elapsed.Seconds(), 1e-9), strings.Join(parts, ", "))
}

// window is a span of time in which failures are expected (a fault and
// the recovery after it).
type window struct{ from, to time.Time }

// outside answers the failures that fall in none of the windows.
func outside(events []event, ws []window) []event {
	var out []event
	for _, e := range events {
		in := false
		for _, w := range ws {
			if !e.at.Before(w.from) && !e.at.After(w.to) {
				in = true
				break
			}
		}
		if !in {
			out = append(out, e)
		}
	}
	return out
}

// failureEvents is a copy of the recorded failures (cancellations excluded).
func (r *recorder) failureEvents() []event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}
