package main

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"penaltydoc/errs"
)

// maxPrintBatch bounds one print job.
const maxPrintBatch = 200

func init() { model.ConfigPath = "disable" } // pdfcpu must not write a config folder

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

// parseIDs reads "1,2,3" (duplicates kept: a clerk may print a copy twice).
func parseIDs(s string) ([]uint, error) {
	var ids []uint
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		n, err := strconv.ParseUint(p, 10, 32)
		if err != nil || n == 0 {
			return nil, &errs.Error{Code: errs.Invalid, Message: "文书编号列表有误", Fields: map[string]string{"ids": "“" + p + "”不是有效的文书编号"}}
		}
		ids = append(ids, uint(n))
	}
	if len(ids) == 0 {
		return nil, &errs.Error{Code: errs.Invalid, Message: "请选择要打印的文书", Fields: map[string]string{"ids": "请选择要打印的文书"}}
	}
	if len(ids) > maxPrintBatch {
		return nil, &errs.Error{Code: errs.Invalid, Message: "一次最多打印200份文书", Fields: map[string]string{"ids": "一次最多打印200份文书"}}
	}
	return ids, nil
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }
