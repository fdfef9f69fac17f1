package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// What can be wrong with the audit chain.
const (
	AuditAltered        = "altered"         // an entry no longer matches its hash, or was rewritten
	AuditMissing        = "missing"         // entries deleted: a gap, or the newest ones
	AuditReordered      = "reordered"       // entries out of their chain order
	AuditInserted       = "inserted"        // an entry that is no part of the chain
	AuditHeadMismatch   = "head_mismatch"   // the head does not name the newest entry
	AuditHeadMissing    = "head_missing"    // the head row is gone
	AuditAnchorMismatch = "anchor_mismatch" // the chain no longer holds a head recorded elsewhere
)

// AuditProblem is the first bad place in the chain.
type AuditProblem struct {
	Kind   string
	ID     uint   // the entry concerned; 0 when it is gone and its id unknown
	Seq    int64  // its place in the chain
	Detail string // for the office, in Chinese
}

// AuditCheck is what VerifyAudit found: the entries checked, the head as
// stored, and the first problem (nil when the chain holds).
type AuditCheck struct {
	Entries int64
	Head    AuditHead
	Problem *AuditProblem
}

// AuditAnchor is a head recorded outside the database (printed, exported):
// the entry at Seq must still have Hash.
type AuditAnchor struct {
	Seq  int64
	Hash string
}

// ParseAuditAnchor reads "SEQ:HASH", as -check-audit prints a head.
func ParseAuditAnchor(s string) (AuditAnchor, error) {
	seq, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	if !ok || err != nil || n < 1 || len(hash) != 64 || strings.Trim(strings.ToLower(hash), "0123456789abcdef") != "" {
		return AuditAnchor{}, fmt.Errorf("audit anchor %q: want SEQ:HASH (a place and a 64-digit hex hash)", s)
	}
	return AuditAnchor{Seq: n, Hash: strings.ToLower(hash)}, nil
}

// auditBatch is how many entries VerifyAudit reads at a time.
const auditBatch = 1000

// VerifyAudit walks the audit chain in its order and reports the first bad
// entry: altered (fields or hash changed), missing (deleted; the newest
// ones through the head), reordered, inserted, a head that does not name
// the newest entry, or a recorded anchor the chain no longer holds. It
// runs beside the service: entries appended while it walks are walked too.
// The error is for the database failing, never for the chain.
func (s *Store) VerifyAudit(ctx context.Context, anchors ...AuditAnchor) (*AuditCheck, error) {
	db := s.conn(ctx)
	if !db.Migrator().HasTable(&AuditHead{}) {
		return nil, errors.New("the database has no audit chain yet (audit_chain): start the service once to migrate it")
	}
	w := &chainWalk{db: db, anchors: map[int64]string{}}
	for _, a := range anchors {
		w.anchors[a.Seq] = a.Hash
	}
	res := &AuditCheck{}
	var cursor *AuditEntry // the last entry read
	for {
		var batch []AuditEntry
		if err := pastEntry(db, cursor).Order("seq, id").Limit(auditBatch).Find(&batch).Error; err != nil {
			return nil, fmt.Errorf("read audit log: %w", err)
		}
		for i := range batch {
			p, err := w.step(&batch[i])
			if err != nil {
				return nil, err
			}
			if p != nil {
				res.Entries, res.Problem = w.n, p
				return res, nil
			}
			cursor = &batch[i]
		}
		if len(batch) == auditBatch {
			continue
		}
		// The head is read after the entries: whatever it names was
		// committed before it, so a head ahead of the walk means entries
		// appended meanwhile (read on) or deleted ones.
		var head AuditHead
		err := db.First(&head, auditHeadID).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			res.Entries, res.Problem = w.n, &AuditProblem{Kind: AuditHeadMissing, Detail: "链头记录（audit_chain）不存在：已被删除"}
			return res, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read audit chain head: %w", err)
		}
		res.Head = head
		if head.Seq > w.prev.Seq {
			var more int64
			if err := pastEntry(db.Model(&AuditEntry{}), cursor).Limit(1).Count(&more).Error; err != nil {
				return nil, fmt.Errorf("read audit log: %w", err)
			}
			if more > 0 {
				continue
			}
		}
		if res.Problem, err = w.atHead(head); err != nil {
			return nil, err
		}
		res.Entries = w.n
		return res, nil
	}
}

// pastEntry limits q to the entries after e in chain order (all of them
// when e is nil).
func pastEntry(q *gorm.DB, e *AuditEntry) *gorm.DB {
	if e == nil {
		return q
	}
	return q.Where("(seq > ? OR (seq = ? AND id > ?))", e.Seq, e.Seq, e.ID)
}

// chainWalk checks entries one after the other against the one before.
type chainWalk struct {
	db      *gorm.DB
	prev    AuditEntry // the last good entry; the zero entry before the first
	n       int64
	anchors map[int64]string
}

// step checks e, the next entry in chain order.
func (w *chainWalk) step(e *AuditEntry) (*AuditProblem, error) {
	p := &w.prev
	if e.Seq <= p.Seq {
		return &AuditProblem{Kind: AuditInserted, ID: e.ID, Seq: e.Seq,
			Detail: fmt.Sprintf("序号 %d 不在链中或与前一条重复：记录被插入或序号被改动", e.Seq)}, nil
	}
	if auditHash(e) != e.Hash {
		return w.broken(e)
	}
	if e.Seq > p.Seq+1 {
		pr := &AuditProblem{Kind: AuditMissing, Seq: p.Seq + 1}
		where := fmt.Sprintf("位于 id %d 与 id %d 之间", p.ID, e.ID)
		if p.Seq == 0 {
			where = fmt.Sprintf("位于 id %d 之前", e.ID)
		}
		if e.Seq == p.Seq+2 {
			pr.ID = e.PrevID
			pr.Detail = fmt.Sprintf("序号 %d（id %d）的记录缺失：已被删除（%s）", p.Seq+1, e.PrevID, where)
		} else {
			pr.Detail = fmt.Sprintf("序号 %d 至 %d 的 %d 条记录缺失：已被删除（%s，最后一条 id %d）", p.Seq+1, e.Seq-1, e.Seq-p.Seq-1, where, e.PrevID)
		}
		return pr, nil
	}
	if e.PrevHash != p.Hash || e.PrevID != p.ID {
		if p.Seq == 0 {
			return &AuditProblem{Kind: AuditAltered, ID: e.ID, Seq: e.Seq,
				Detail: fmt.Sprintf("链中最早的记录链接到不存在的前一条（id %d）：记录被改动且重算了哈希，或其前的记录被删除", e.PrevID)}, nil
		}
		return &AuditProblem{Kind: AuditAltered, ID: p.ID, Seq: p.Seq,
			Detail: fmt.Sprintf("记录被改动或替换且重算了哈希：下一条记录（id %d）链接的不是它", e.ID)}, nil
	}
	if e.ID <= p.ID {
		return &AuditProblem{Kind: AuditReordered, ID: e.ID, Seq: e.Seq,
			Detail: fmt.Sprintf("记录编号顺序被改动：id %d 排在 id %d 之后", e.ID, p.ID)}, nil
	}
	if h, ok := w.anchors[e.Seq]; ok && h != e.Hash {
		return &AuditProblem{Kind: AuditAnchorMismatch, ID: e.ID, Seq: e.Seq,
			Detail: fmt.Sprintf("与留存的链头不符：序号 %d 留存的哈希为 %s，现为 %s；该序号及以前的记录被改动后整条链被重算", e.Seq, h, e.Hash)}, nil
	}
	w.prev = *e
	w.n++
	return nil, nil
}

// broken names what happened to e, whose fields do not give its hash: it
// was moved (the entry it links to comes after it, or a later entry has a
// smaller id) or else altered.
func (w *chainWalk) broken(e *AuditEntry) (*AuditProblem, error) {
	if e.PrevHash != "" && e.PrevHash != w.prev.Hash {
		f, err := w.after(e, "hash = ?", e.PrevHash)
		if err != nil || f.ID != 0 {
			return &AuditProblem{Kind: AuditReordered, ID: e.ID, Seq: e.Seq,
				Detail: fmt.Sprintf("记录顺序被调换：它的前一条记录（id %d）排在它之后（序号 %d）", f.ID, f.Seq)}, err
		}
	}
	f, err := w.after(e, "id < ?", e.ID)
	if err != nil || f.ID != 0 {
		return &AuditProblem{Kind: AuditReordered, ID: e.ID, Seq: e.Seq,
			Detail: fmt.Sprintf("记录顺序被调换：其后的记录 id %d（序号 %d）编号比它小", f.ID, f.Seq)}, err
	}
	return &AuditProblem{Kind: AuditAltered, ID: e.ID, Seq: e.Seq,
		Detail: "记录内容与其哈希不符：记录被改动"}, nil
}

// after finds the first entry after e in chain order that meets cond (its
// id and place only; a zero entry when there is none).
func (w *chainWalk) after(e *AuditEntry, cond string, args ...any) (AuditEntry, error) {
	var f AuditEntry
	err := pastEntry(w.db.Select("id", "seq").Where(cond, args...), e).Order("seq, id").Limit(1).Find(&f).Error
	if err != nil {
		return f, fmt.Errorf("read audit log: %w", err)
	}
	return f, nil
}

// atHead checks the end of the walk against the head and the anchors.
func (w *chainWalk) atHead(head AuditHead) (*AuditProblem, error) {
	last := &w.prev
	switch {
	case head.Seq > last.Seq:
		pr := &AuditProblem{Kind: AuditMissing, Seq: last.Seq + 1}
		if head.Seq == last.Seq+1 {
			pr.ID = head.EntryID
			pr.Detail = fmt.Sprintf("最新的记录（序号 %d，id %d）缺失：已被删除", head.Seq, head.EntryID)
		} else {
			pr.Detail = fmt.Sprintf("最新的 %d 条记录（序号 %d 至 %d，最后一条 id %d）缺失：已被删除", head.Seq-last.Seq, last.Seq+1, head.Seq, head.EntryID)
		}
		return pr, nil
	case head.Seq < last.Seq:
		var e AuditEntry
		if err := w.db.Select("id", "seq").Where("seq > ?", head.Seq).Order("seq, id").Limit(1).Find(&e).Error; err != nil {
			return nil, fmt.Errorf("read audit log: %w", err)
		}
		return &AuditProblem{Kind: AuditInserted, ID: e.ID, Seq: e.Seq,
			Detail: fmt.Sprintf("记录在链头（序号 %d）之后：写入时未经链头，或链头被改回", head.Seq)}, nil
	case head.Hash != last.Hash || head.EntryID != last.ID:
		return &AuditProblem{Kind: AuditHeadMismatch, ID: last.ID, Seq: last.Seq,
			Detail: fmt.Sprintf("链头（序号 %d，id %d，哈希 %s）与最新的记录（id %d，哈希 %s）不符", head.Seq, head.EntryID, head.Hash, last.ID, last.Hash)}, nil
	}
	beyond := int64(0)
	for seq := range w.anchors {
		if seq > last.Seq && (beyond == 0 || seq < beyond) {
			beyond = seq
		}
	}
	if beyond > 0 {
		return &AuditProblem{Kind: AuditAnchorMismatch, Seq: beyond,
			Detail: fmt.Sprintf("留存的链头序号 %d 不在链中（链只到序号 %d）：记录被删除后链被重算", beyond, last.Seq)}, nil
	}
	return nil, nil
}
