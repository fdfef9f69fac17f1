package rules

import (
	"regexp"
	"slices"

	"penaltydoc/errs"
)

// The path of a publication record (行政执法公示): drafted as the decision
// is issued, its masked text reviewed (法制审核人员) and approved (负责人)
// before it goes out, withdrawn after a revocation or correction, ended at
// the end of the period or earlier on credit repair.

// Publication statuses.
const (
	PubPending      = "pending"       // 待审核
	PubReviewed     = "reviewed"      // 已审核，待批准
	PubApproved     = "approved"      // 已批准，待发布
	PubPublished    = "published"     // 已公示
	PubWithdrawn    = "withdrawn"     // 已撤回
	PubEnded        = "ended"         // 已到期 (or ended early on credit repair)
	PubNotPublished = "not_published" // 不予公示
)

var pubStatusNames = map[string]string{PubPending: "待审核", PubReviewed: "待批准", PubApproved: "待发布",
	PubPublished: "已公示", PubWithdrawn: "已撤回", PubEnded: "已到期", PubNotPublished: "不予公示"}

// PubStatusName is a publication status's name: 已公示.
func PubStatusName(status string) string { return nameOf(pubStatusNames, status) }

// PubBeforeOut are the statuses of a record not yet out: still due.
var PubBeforeOut = []string{PubPending, PubReviewed, PubApproved}

// Actions on a publication.
const (
	ActPubEdit     Action = "pub_edit"     // the officer's settings: secrecy, province, names to mask
	ActPubReview   Action = "pub_review"   // the legal reviewer checks the masked text
	ActPubApprove  Action = "pub_approve"  // the head approves it (its bytes are frozen)
	ActPubPublish  Action = "pub_publish"  // it goes out on the public list
	ActPubWithdraw Action = "pub_withdraw" // withdrawn (revoked or corrected decision)
	ActPubEnd      Action = "pub_end"      // ended early on an approved credit-repair request
)

// PubState is what the permission rule needs to know of a publication.
type PubState struct {
	Status string
	// ReviewedBy is who passed the review (0: none yet).
	ReviewedBy uint
	// EarlyEnd: the plan lets publication end early (45号令 Art. 14).
	EarlyEnd bool
}

// MayPublication answers whether who may take act on a publication in
// state st: nil, or the reason in Chinese.
func MayPublication(who Staff, act Action, st PubState) error {
	role, states := "", []string(nil)
	switch act {
	case ActPubEdit:
		role, states = RoleOfficer, []string{PubPending, PubReviewed, PubApproved, PubNotPublished}
	case ActPubReview:
		role, states = RoleReviewer, []string{PubPending}
	case ActPubApprove:
		role, states = RoleApprover, []string{PubReviewed}
	case ActPubPublish:
		role, states = RoleClerk, []string{PubApproved}
		if who.Has(RoleApprover) {
			role = RoleApprover
		}
	case ActPubWithdraw:
		role, states = RoleApprover, []string{PubPublished}
	case ActPubEnd:
		role, states = RoleApprover, []string{PubPublished}
	default:
		return errs.E(errs.Invalid, "未知的操作")
	}
	if !who.Has(role) {
		return errs.E(errs.Forbidden, "此操作须由%s进行", RoleName(role))
	}
	if !slices.Contains(states, st.Status) {
		return errs.E(errs.Conflict, "公示记录%s，不能进行此操作", PubStatusName(st.Status))
	}
	if act == ActPubApprove && who.ID != 0 && who.ID == st.ReviewedBy && !who.emergencyAdmin() {
		return errs.E(errs.Forbidden, "审核人不能同时批准同一公示")
	}
	if act == ActPubEnd && !st.EarlyEnd {
		return errs.E(errs.Conflict, "受到责令停产停业、暂扣或者吊销许可证件等行政处罚的，不能提前结束公示（%s第十四条）", RuleMarketPublication)
	}
	return nil
}

// reISODate is a date as the service writes it (2026-10-01): kept by
// MaskText, though its digits run to eight.
var reISODate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// The audit log's names of the publication steps.
func init() {
	for k, v := range map[string]string{"create_publication": "生成公示记录", "publication_pub_edit": "修改公示设置",
		"publication_pub_review": "审核公示", "publication_pub_approve": "批准公示", "publication_pub_publish": "发布公示",
		"publication_pub_withdraw": "撤回公示", "publication_pub_end": "提前结束公示", "publication_stale": "公示应撤回（决定已更正或撤销）",
		"publication_expired": "公示期满", "export_publications": "导出公示信息"} {
		auditActionNames[k] = v
	}
	auditEntityNames["publication"] = "公示记录"
}
