package casework

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

// MaxPrintBatch bounds one print job.
const MaxPrintBatch = 200

func init() { model.ConfigPath = "disable" } // pdfcpu must not write a config folder

// PrintOptions shape a batch print.
type PrintOptions struct {
	// Receipts adds each document's service receipts (送达回证) right after
	// it, also those not chosen.
	Receipts bool
	// Duplex adds a blank page after every document with an odd number of
	// pages, so that on a duplex printer each document starts on a new sheet.
	Duplex bool
}

// Print merges the issued documents ids into one PDF from their frozen
// bytes, never re-rendered: in the order given (an id given twice prints
// twice), except that a service receipt comes right after the document it
// serves when that is in the batch too; opt adds receipts and blank pages.
// Every document printed gets a print mark, every copy an audit entry.
func (s *Service) Print(ctx context.Context, a Actor, ids []uint, opt PrintOptions) ([]byte, error) {
	switch {
	case len(ids) == 0:
		return nil, errs.Field("ids", "请选择要打印的文书")
	case len(ids) > MaxPrintBatch:
		return nil, errs.Field("ids", fmt.Sprintf("一次最多打印%d份文书", MaxPrintBatch))
	}
	docs, err := s.store.DocumentsPDF(ctx, a.Scope, ids)
	if err != nil {
		return nil, err
	}
	f := errs.Fields{}
	for i := range docs {
		switch {
		case len(docs[i].PDF) == 0 && rules.IsFrozen(docs[i].Status):
			f.Add("ids", "文书"+itoa(docs[i].ID)+"为批量生成的演示数据，没有存储正式文本")
		case len(docs[i].PDF) == 0:
			f.Add("ids", "文书"+itoa(docs[i].ID)+"尚未签发，不能打印正式文本")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var extra []models.Document
	if opt.Receipts {
		if extra, err = s.store.ReceiptsPDF(ctx, a.Scope, ids); err != nil {
			return nil, err
		}
	}
	batch := printOrder(docs, extra)
	parts := make([]io.ReadSeeker, 0, 2*len(batch))
	printed := make([]uint, 0, len(batch))
	for _, d := range batch {
		parts = append(parts, bytes.NewReader(d.PDF))
		printed = append(printed, d.ID)
		if !opt.Duplex {
			continue
		}
		blank, err := blankAfter(d.PDF)
		if err != nil {
			return nil, errs.Wrap(err, "count pages of document %d", d.ID)
		}
		if blank != nil {
			parts = append(parts, bytes.NewReader(blank))
		}
	}
	merged, err := mergePDFs(parts)
	if err != nil {
		return nil, errs.Wrap(err, "merge PDFs")
	}
	if err := s.store.MarkPrinted(ctx, a.record(), printed); err != nil {
		return nil, err
	}
	return merged, nil
}

// printOrder is the batch's order: docs as chosen, each followed by its
// service receipts (those chosen, then those of extra not chosen, by id);
// a chosen receipt whose document is in the batch moves there.
func printOrder(docs, extra []models.Document) []models.Document {
	chosen := map[uint]bool{}
	for _, d := range docs {
		chosen[d.ID] = true
	}
	receipts := map[uint][]models.Document{} // by the document served
	taken := map[uint]bool{}
	add := func(r models.Document) {
		if r.ServesID != nil && chosen[*r.ServesID] && !taken[r.ID] {
			taken[r.ID] = true
			receipts[*r.ServesID] = append(receipts[*r.ServesID], r)
		}
	}
	for _, d := range docs {
		add(d)
	}
	for _, r := range extra {
		add(r)
	}
	out := make([]models.Document, 0, len(docs)+len(extra))
	for _, d := range docs {
		if taken[d.ID] {
			continue // printed after its document
		}
		out = append(out, d)
		out = append(out, receipts[d.ID]...)
	}
	return out
}

// blankAfter is the blank page to print after pdf on a duplex printer: a
// page of its last page's size when it has an odd number of pages, else
// nil.
func blankAfter(pdf []byte) ([]byte, error) {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	dims, err := api.PageDims(bytes.NewReader(pdf), conf)
	if err != nil {
		return nil, err
	}
	if len(dims)%2 == 0 {
		return nil, nil
	}
	last := dims[len(dims)-1]
	return blankPage(last.Width, last.Height), nil
}

// blankPage is a PDF of one empty page of w × h points.
func blankPage(w, h float64) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << >> /Contents 4 0 R >>", w, h),
		"<< /Length 0 >>\nstream\n\nendstream",
	}
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// mergePDFs concatenates PDFs in order; a single one is answered as is.
func mergePDFs(parts []io.ReadSeeker) ([]byte, error) {
	if len(parts) == 1 {
		return io.ReadAll(parts[0])
	}
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	var out bytes.Buffer
	if err := api.MergeRaw(parts, &out, false, conf); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }

// PrintQuery filters the print list.
type PrintQuery struct {
	Q string // number or party name
	// Printed is models.PrintedYes (已打印), models.PrintedNo (未打印) or
	// empty (both).
	Printed string
	// Before and After are the pager's cursors (document ids): the page
	// after the one ending at Before, the page before the one starting at
	// After.
	Before, After uint
}

// PrintList lists issued documents (with their receipts) for printing,
// newest first, matched by number or party name, with their last print.
func (s *Service) PrintList(ctx context.Context, a Actor, q PrintQuery) ([]models.DocumentRow, error) {
	if q.Printed != models.PrintedYes && q.Printed != models.PrintedNo {
		q.Printed = ""
	}
	return s.store.ListDocuments(ctx, models.DocumentQuery{
		Statuses: []string{models.DocIssued, models.DocServed}, Q: q.Q, Printed: q.Printed, Newest: true, Limit: MaxPrintBatch, Scope: a.Scope,
		Before: q.Before, After: q.After})
}
