package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"penaltydoc/rules"
)

// pageContents are the decoded content streams of a PDF's pages, in order.
func pageContents(t *testing.T, pdf []byte) [][]byte {
	t.Helper()
	ctx, err := api.ReadContext(bytes.NewReader(pdf), model.NewDefaultConfiguration())
	if err != nil {
		t.Fatalf("read PDF: %v", err)
	}
	if err := ctx.EnsurePageCount(); err != nil {
		t.Fatal(err)
	}
	out := make([][]byte, ctx.PageCount)
	for i := range out {
		r, err := pdfcpu.ExtractPageContent(ctx, i+1)
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		if r != nil {
			out[i], _ = io.ReadAll(r)
		}
	}
	return out
}

// checkPrint checks that merged holds the pages of documents ids in order
// (pages: each document's page contents), each unchanged, with a blank
// page after each document of odd page count when duplex.
func checkPrint(t *testing.T, what string, merged []byte, pages map[uint][][]byte, ids []uint, duplex bool) {
	t.Helper()
	var want [][]byte
	for _, id := range ids {
		want = append(want, pages[id]...)
		if duplex && len(pages[id])%2 == 1 {
			want = append(want, nil) // blank
		}
	}
	got := pageContents(t, merged)
	if n := pageCount(t, merged); n != len(want) || len(got) != len(want) {
		t.Errorf("print %s: %d pages, want %d", what, n, len(want))
		return
	}
	for i := range want {
		if !bytes.Equal(bytes.TrimSpace(got[i]), bytes.TrimSpace(want[i])) {
			t.Errorf("print %s: page %d differs from the document's (%d bytes, want %d)", what, i+1, len(got[i]), len(want[i]))
		}
	}
	if duplex && len(got)%2 != 0 {
		t.Errorf("print %s: %d pages for duplex printing", what, len(got))
	}
}

// TestBatchPrint: each receipt right after its document (chosen or added),
// a blank page after each document of odd page count for duplex printing,
// each document's pages unchanged inside the merged PDF, and the print
// marks with the print list's 未打印/已打印 filter; on both databases.
func TestBatchPrint(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		dec := issueDecision(t, e)
		docs, err := e.store.CaseDocuments(t.Context(), dec.CaseID)
		if err != nil {
			t.Fatal(err)
		}
		var notice, noticeReceipt uint
		for _, d := range docs {
			if d.Kind == rules.KindAdvanceNotice {
				notice = d.ID
			}
		}
		for _, d := range docs {
			if d.ServesID != nil && *d.ServesID == notice {
				noticeReceipt = d.ID
			}
		}
		if notice == 0 || noticeReceipt == 0 || dec.ReceiptID == 0 {
			t.Fatalf("documents %+v", docs)
		}
		pages := map[uint][][]byte{}
		for _, id := range []uint{dec.ID, dec.ReceiptID, notice, noticeReceipt} {
			_, pdf, _ := e.do("GET", e.docPath(id, "pdf"), e.tokens[clerk], nil)
			pages[id] = pageContents(t, pdf)
		}
		// The print list before: nothing printed.
		clk := e.signIn(t, clerk)
		_, page, _ := clk.get("/print?printed=no")
		if !strings.Contains(page, fmt.Sprintf(`id="row-%d"`, dec.ID)) || !strings.Contains(page, `id="select-all"`) {
			t.Fatalf("未打印 lacks the decision")
		}
		if _, page, _ = clk.get("/print?printed=yes"); strings.Contains(page, fmt.Sprintf(`id="row-%d"`, dec.ID)) {
			t.Errorf("已打印 lists the decision before it was printed")
		}

		for _, tc := range []struct {
			query  string
			want   []uint // documents, in order; 0 is a blank page
			duplex bool
		}{
			{fmt.Sprintf("ids=%d,%d", dec.ReceiptID, dec.ID), []uint{dec.ID, dec.ReceiptID}, false},
			{fmt.Sprintf("ids=%d,%d&receipts=1", dec.ID, notice), []uint{dec.ID, dec.ReceiptID, notice, noticeReceipt}, false},
			{fmt.Sprintf("ids=%d,%d,%d&receipts=1", noticeReceipt, dec.ID, notice), []uint{dec.ID, dec.ReceiptID, notice, noticeReceipt}, false},
			{fmt.Sprintf("ids=%d,%d&receipts=1&duplex=1", dec.ID, notice), []uint{dec.ID, dec.ReceiptID, notice, noticeReceipt}, true},
			{fmt.Sprintf("ids=%d&duplex=1", noticeReceipt), []uint{noticeReceipt}, true},
		} {
			st, merged, h := e.do("GET", "/api/v1/documents/print?"+tc.query, e.tokens[clerk], nil)
			if st != 200 || h.Get("Content-Type") != "application/pdf" {
				t.Fatalf("print %s: %d %s", tc.query, st, merged)
			}
			checkPrint(t, tc.query, merged, pages, tc.want, tc.duplex)
		}
		odd := 0
		for _, p := range pages {
			odd += len(p) % 2
		}
		if odd == 0 {
			t.Errorf("no document of odd page count: the duplex case tests nothing")
		}

		// The marks: who printed when, and the filter.
		_, page, _ = clk.get("/print?printed=yes")
		row := page[strings.Index(page, fmt.Sprintf(`id="printed-%d"`, dec.ID)):]
		row = row[:strings.Index(row, "</td>")]
		if !strings.Contains(row, "已打印") || !strings.Contains(row, rules.ChineseDate(e.store.Today())) || !strings.Contains(row, "u-clerk") {
			t.Errorf("the decision's mark: %s", text(row))
		}
		if _, page, _ = clk.get("/print?printed=no"); strings.Contains(page, fmt.Sprintf(`id="row-%d"`, dec.ID)) || strings.Contains(page, fmt.Sprintf(`id="row-%d"`, noticeReceipt)) {
			t.Errorf("未打印 still lists printed documents")
		}
		// The page's form: its options go with the ids.
		st, pdf, h := clk.get(fmt.Sprintf("/print/pdf?ids=%d&receipts=1&duplex=1", notice))
		if st != 200 || h.Get("Content-Type") != "application/pdf" {
			t.Fatalf("web print: %d", st)
		}
		want := len(pages[notice]) + len(pages[notice])%2 + len(pages[noticeReceipt]) + len(pages[noticeReceipt])%2
		if n := pageCount(t, []byte(pdf)); n != want {
			t.Errorf("web print: %d pages, want %d", n, want)
		}
		log, err := e.store.AuditLog(t.Context(), "document", dec.ID)
		if err != nil {
			t.Fatal(err)
		}
		prints := 0
		for _, l := range log {
			if l.Action == "print" && l.Username == "u-clerk" {
				prints++
			}
		}
		if prints != 4 {
			t.Errorf("%d print entries of the decision, want one per batch (4)", prints)
		}
	})
}
