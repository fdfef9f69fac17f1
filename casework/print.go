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
)

// MaxPrintBatch bounds one print job.
const MaxPrintBatch = 200

func init() { model.ConfigPath = "disable" } // pdfcpu must not write a config folder

// Print merges the issued documents ids (in that order; an id given twice
// prints twice) into one PDF from their frozen bytes, never re-rendered,
// and audits the print.
func (s *Service) Print(ctx context.Context, a Actor, ids []uint) ([]byte, error) {
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
	parts := make([]io.ReadSeeker, 0, len(docs))
	for i := range docs {
		if len(docs[i].PDF) == 0 {
			f.Add("ids", "文书"+itoa(docs[i].ID)+"尚未签发，不能打印正式文本")
			continue
		}
		parts = append(parts, bytes.NewReader(docs[i].PDF))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	merged, err := mergePDFs(parts)
	if err != nil {
		return nil, errs.Wrap(err, "merge PDFs")
	}
	for i := range docs {
		_ = s.store.Audit(ctx, a.record(), "print", "document", docs[i].ID, "batch of "+itoa(uint(len(docs))))
	}
	return merged, nil
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

// PrintList lists issued documents (with their receipts) for printing,
// newest first, matched by number or party name.
func (s *Service) PrintList(ctx context.Context, a Actor, q string) ([]models.DocumentRow, error) {
	return s.store.ListDocuments(ctx, models.DocumentQuery{
		Statuses: []string{models.DocIssued, models.DocServed}, Q: q, Newest: true, Limit: MaxPrintBatch, Scope: a.Scope})
}
