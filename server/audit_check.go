package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"penaltydoc/models"
)

// errAuditBroken is what -check-audit answers for a broken chain, after
// printing where.
var errAuditBroken = errors.New("audit chain broken")

// checkAudit verifies the audit chain (and the anchors, "SEQ:HASH,…"),
// prints the result to stdout and answers errAuditBroken when it is
// broken. It neither migrates nor writes.
func checkAudit(ctx context.Context, store *models.Store, anchors string, stdout io.Writer) error {
	var as []models.AuditAnchor
	for _, a := range strings.Split(anchors, ",") {
		if strings.TrimSpace(a) == "" {
			continue
		}
		anchor, err := models.ParseAuditAnchor(a)
		if err != nil {
			return err
		}
		as = append(as, anchor)
	}
	res, err := store.VerifyAudit(ctx, as...)
	if err != nil {
		return fmt.Errorf("check audit: %w", err)
	}
	if p := res.Problem; p != nil {
		fmt.Fprintf(stdout, "审计日志链已被破坏（此前 %d 条记录完好）\n首个问题记录：id %d，序号 %d，%s：%s\n", res.Entries, p.ID, p.Seq, p.Kind, p.Detail)
		return fmt.Errorf("%w: %s at entry id %d (seq %d)", errAuditBroken, p.Kind, p.ID, p.Seq)
	}
	h := res.Head
	fmt.Fprintf(stdout, "审计日志链完好：共 %d 条记录，链头为序号 %d（id %d），哈希 %s", res.Entries, h.Seq, h.EntryID, h.Hash)
	if len(as) > 0 {
		fmt.Fprintf(stdout, "；与留存的 %d 个链头相符", len(as))
	}
	fmt.Fprintln(stdout)
	if h.Seq > 0 {
		fmt.Fprintf(stdout, "留存链头（打印或导出保存，日后以 -audit-anchor 核对）：%d:%s\n", h.Seq, h.Hash)
	}
	return nil
}
