package casework

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"penaltydoc/models"
	"penaltydoc/rules"
)

// fillRegister inserts n decided cases of authority 1 in one statement
// (fast enough on SQLite for a test or a benchmark).
func fillRegister(tb testing.TB, e *env, n int) {
	tb.Helper()
	ev, _ := json.Marshal(rules.Evaluation{Outcome: rules.OutcomePenalty, Ground: rules.GroundNone,
		Articles:  []string{"《中华人民共和国行政处罚法》第二十八条", "《易制毒化学品管理条例》第三十八条第一款"},
		Penalties: []rules.Penalty{{Type: rules.ImposeFine, Amount: 12000}, {Type: rules.ImposeConfiscateGains, Amount: 3456.5}}})
	if _, err := e.store.SQLDB().ExecContext(context.Background(), `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
		INSERT INTO cases (number, authority_id, item_id, violation_code, party_id, party_name, party_key, status, violation_date, discovered_date,
			outcome, ground, facts_json, evaluation_json, officer_id, created_at, updated_at)
		SELECT '杭市监立字〔2026〕' || i || '号', 1, 1, 'JG-001', 1, '杭州某某贸易有限公司第' || i || '号', '91330106MA2XXXXXX0', 'closed', '2026-01-01', '2026-01-02',
			'penalty', 'none', '{}', ?, 1, '2026-01-02 01:00:00', '2026-01-02 01:00:00' FROM seq`, n, string(ev)); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkExportRegister: a register of 100,000 cases (the cap as
// shipped) streamed to XLSX; reports the heap's growth while exporting
// (streamed: far below what the rows would take held whole).
//
//	go test ./casework -run '^$' -bench ExportRegister -benchtime 1x
func BenchmarkExportRegister(b *testing.B) {
	e := newEnv(b, envDB.SQLite(b))
	fillRegister(b, e, MaxExportRows)
	ctx := context.Background()
	for b.Loop() {
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		var peak atomic.Uint64
		done := make(chan struct{})
		go func() {
			var m runtime.MemStats
			for {
				select {
				case <-done:
					return
				case <-time.After(20 * time.Millisecond):
					runtime.ReadMemStats(&m)
					if m.HeapInuse > peak.Load() {
						peak.Store(m.HeapInuse)
					}
				}
			}
		}()
		var out bytes.Buffer
		rows, err := e.work.ExportCases(ctx, e.as(rules.RoleOfficer), models.CaseQuery{}, &out)
		close(done)
		if err != nil || rows != MaxExportRows {
			b.Fatalf("export: %d rows, %v", rows, err)
		}
		b.ReportMetric(float64(int64(peak.Load())-int64(base.HeapInuse))/(1<<20), "heap-growth-MB")
		b.ReportMetric(float64(out.Len())/(1<<20), "xlsx-MB")
	}
}

// TestExportRegister: a register of several reading chunks streams to an
// XLSX that reads back with every row, and one case over the cap is
// refused with the Chinese message (the cap lowered for the test; the
// shipped 100,000 is BenchmarkExportRegister's).
func TestExportRegister(t *testing.T) {
	defer func(m int) { MaxExportRows = m }(MaxExportRows)
	MaxExportRows = 2600
	e := newEnv(t, envDB.SQLite(t))
	ctx := context.Background()
	n := MaxExportRows
	fillRegister(t, e, n)
	db := e.store.SQLDB()
	var out bytes.Buffer
	rows, err := e.work.ExportCases(ctx, e.as(rules.RoleOfficer), models.CaseQuery{}, &out)
	if err != nil || rows != n {
		t.Fatalf("export: %d rows, %v", rows, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	it, err := f.Rows("案件登记")
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	var last []string
	for it.Next() {
		count++
		if last, err = it.Columns(); err != nil {
			t.Fatal(err)
		}
	}
	it.Close()
	if count != n+1 || last[0] != fmt.Sprintf("杭市监立字〔2026〕%d号", n) || last[7] != "12,000.00" || last[8] != "3,456.50" {
		t.Errorf("%d rows read back, the last %q", count, last)
	}
	// One more case is over the cap.
	if _, err := db.ExecContext(ctx, "INSERT INTO cases (authority_id, item_id, violation_code, party_id, party_name, party_key, status, violation_date, discovered_date, facts_json, evaluation_json, officer_id, created_at, updated_at) VALUES (1, 1, 'JG-001', 1, 'x', 'K', 'draft', '2026-01-01', '2026-01-02', '{}', '{}', 1, '2026-01-02 01:00:00', '2026-01-02 01:00:00')"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.work.ExportCases(ctx, e.as(rules.RoleOfficer), models.CaseQuery{}, &out); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("上限%d件", n)) {
		t.Errorf("over the cap: %v", err)
	}
}
