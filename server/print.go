package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
)

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
		return nil, errs.Field("ids", "请选择要打印的文书")
	}
	if len(ids) > casework.MaxPrintBatch {
		return nil, errs.Field("ids", fmt.Sprintf("一次最多打印%d份文书", casework.MaxPrintBatch))
	}
	return ids, nil
}

// handlePrint answers one PDF of the stored documents in the order given,
// merged from their frozen bytes (never re-rendered), and logs the print.
func (s *Server) handlePrint(c *gin.Context) {
	ids, err := parseIDs(c.Query("ids"))
	if err != nil {
		s.fail(c, err)
		return
	}
	merged, err := s.work.Print(c.Request.Context(), s.actor(c), ids, printOptions(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	sendPDF(c, merged, "批量打印.pdf")
}

// printOptions reads receipts=1 (each document's service receipts after
// it) and duplex=1 (a blank page after a document of odd page count).
func printOptions(c *gin.Context) casework.PrintOptions {
	on := func(k string) bool { v := c.Query(k); return v == "1" || v == "true" || v == "on" }
	return casework.PrintOptions{Receipts: on("receipts"), Duplex: on("duplex")}
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }
