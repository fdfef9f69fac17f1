package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one", ms(7), 99, 7 * time.Millisecond},
		{"median of four is the second", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p95 of 1..100", ms(hundred...), 95, 95 * time.Millisecond},
		{"p99 of 1..100", ms(hundred...), 99, 99 * time.Millisecond},
		{"p100 is the largest", ms(1, 2, 3), 100, 3 * time.Millisecond},
		{"p99 of ten is the largest", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

// TestSummaryKeepsCancellationsApart: canceled requests are neither
// successes nor errors, and the totals add up.
func TestSummaryKeepsCancellationsApart(t *testing.T) {
	r := newRecorder()
	now := time.Now()
	r.ok("issue", 30*time.Millisecond)
	r.ok("issue", 10*time.Millisecond)
	r.ok("login", 100*time.Millisecond)
	r.fail("issue", "500", now)
	r.fail("issue", classCanceled, now)
	r.fail("login", classNet, now)
	rows, total := r.summary(2*time.Second, []string{"login", "issue"})
	if len(rows) != 2 || rows[0].Op != "login" || rows[1].Op != "issue" {
		t.Fatalf("rows %+v, want login then issue", rows)
	}
	issue := rows[1]
	if issue.OK != 2 || issue.Rate != 1 || issue.P50 != 10*time.Millisecond || issue.P99 != 30*time.Millisecond ||
		issue.Canceled != 1 || issue.Failures["500"] != 1 || len(issue.Failures) != 1 {
		t.Errorf("issue row %+v", issue)
	}
	if total.OK != 3 || total.Canceled != 1 || total.Failures["500"] != 1 || total.Failures[classNet] != 1 || total.P99 != 100*time.Millisecond {
		t.Errorf("total %+v", total)
	}
	if got := failuresText(total.Failures); got != "500×1 net×1" {
		t.Errorf("failuresText = %q", got)
	}
	if ev := r.failureEvents(); len(ev) != 2 {
		t.Errorf("failure events %+v: want the 500 and the net error, not the cancellation", ev)
	}
}

func TestOutsideWindows(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	ws := []window{{at(10), at(15)}, {at(30), at(31)}}
	events := []event{{at: at(5), op: "a"}, {at: at(10), op: "b"}, {at: at(15), op: "c"}, {at: at(16), op: "d"}, {at: at(30), op: "e"}, {at: at(40), op: "f"}}
	var got []string
	for _, e := range outside(events, ws) {
		got = append(got, e.op)
	}
	if want := []string{"a", "d", "f"}; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("outside = %v, want %v", got, want)
	}
	if n := len(outside(events, nil)); n != len(events) {
		t.Errorf("without windows %d of %d outside", n, len(events))
	}
}
