package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"penaltydoc/rules/limits"
)

// TestCatalogImportCaps: a huge file of bad rows is refused quickly with
// a short answer: at most limits.MaxImportErrors rows named, the rest
// counted; an oversize file is refused before it is parsed.
func TestCatalogImportCaps(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		tok := e.tokens[admin]
		header := "序号,违法行为,违反条款,处罚依据,适用条件\n"
		var b bytes.Buffer
		b.WriteString(header)
		for i := 1; i <= 5000; i++ {
			fmt.Fprintf(&b, "%d,坏行,没有书名号,也没有,\n", i)
		}
		start := time.Now()
		st, body, _ := e.do("POST", "/api/v1/catalog/import", tok, b.Bytes())
		var ae apiError
		_ = json.Unmarshal(body, &ae)
		if st != 422 || len(ae.Error.Fields) > limits.MaxImportErrors+1 || !strings.Contains(ae.Error.Message, "及其他") || len(body) > 32<<10 {
			t.Fatalf("5,000 bad rows: %d, %d fields, %d bytes: %.300s", st, len(ae.Error.Fields), len(body), body)
		}
		t.Logf("5,000 bad rows answered in %v with %d bytes", time.Since(start), len(body))

		b.Reset()
		b.WriteString(header)
		for b.Len() <= limits.MaxImportBytes {
			b.WriteString("1,坏行,没有书名号,也没有,\n")
		}
		e.wantField(t, "POST", "/api/v1/catalog/import", tok, b.Bytes(), 422, "file")

		b.Reset()
		b.WriteString(header)
		for i := 1; i <= limits.MaxImportRows+1; i++ {
			fmt.Fprintf(&b, "%d,事项%d,《某条例》第一条,《某条例》第九条,\n", i, i)
		}
		e.wantField(t, "POST", "/api/v1/catalog/import", tok, b.Bytes(), 422, "file")

		// A file whose rows are not UTF-8 (a GBK export) is named as such.
		gbk := []byte(header + "1,\xb2\xe2\xca\xd4,《某条例》第一条,《某条例》第九条,\n")
		e.wantField(t, "POST", "/api/v1/catalog/import", tok, gbk, 422, "rows[2].name")
		var list struct{ Items []map[string]any }
		e.doJSON("GET", "/api/v1/catalog", tok, nil, 200, &list)
		for _, it := range list.Items {
			if strings.HasPrefix(it["code"].(string), "QD-") {
				t.Fatalf("a refused import stored %v", it["code"])
			}
		}
	})
}

// TestCatalogImportXLSX: a workbook streams through the same checks; the
// rows are named by their spreadsheet row, blank rows counted.
func TestCatalogImportXLSX(t *testing.T) {
	e := newEnv(t, envDB.SQLite(t))
	book := func(rows [][]any) []byte {
		f := excelize.NewFile()
		defer f.Close()
		for i, r := range rows {
			if r == nil {
				continue // a blank row
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
				t.Fatal(err)
			}
		}
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	header := []any{"序号", "违法行为", "违反条款", "处罚依据", "适用条件"}
	good := book([][]any{{"某局首违不罚清单"}, header, {1, "未按规定公示", "《某条例》第一条", "《某条例》第九条", "初次违法"},
		nil, {2, "未按规定备案", "《某条例》第二条", "《某条例》第九条", ""}})
	var res struct{ Created, Total int }
	st, body, _ := e.do("POST", "/api/v1/catalog/import?code_prefix=XL", e.tokens[admin], good)
	if err := json.Unmarshal(body, &res); st != 200 || err != nil || res.Created != 2 {
		t.Fatalf("good workbook: %d %s", st, body)
	}
	bad := book([][]any{header, nil, {1, "坏\u202e行", "《某条例》第一条", "《某条例》第九条", ""}})
	e.wantField(t, "POST", "/api/v1/catalog/import?code_prefix=XB", e.tokens[admin], bad, 422, "rows[3].name")
}
