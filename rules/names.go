package rules

// The one vocabulary: the Chinese names of kinds, statuses, grounds,
// outcomes and circumstances, used by the staff pages, the letters and the
// API's messages alike.

import (
	"slices"
	"strings"
)

var kindNames = map[string]string{
	KindAdvanceNotice:     "行政处罚事先告知书",
	KindPenaltyDecision:   "行政处罚决定书",
	KindNoPenaltyDecision: "不予行政处罚决定书",
	KindOnTheSpotDecision: "当场行政处罚决定书",
	KindServiceReceipt:    "送达回证",
	KindHearingNotice:     "听证通知书",
	KindReminder:          "催告书",
	KindClosingReport:     "结案审批表",
}

var docStatusNames = map[string]string{
	DocDraft: "草稿", DocReviewing: "审核中", DocApproved: "已批准待签发",
	DocIssued: "已签发", DocServed: "已送达", DocSuperseded: "已被更正", DocWithdrawn: "已作废",
}

var caseStatusNames = map[string]string{
	CaseDraft: "草稿（可修改事实）", CaseOpen: "办理中", CaseExecuting: "执行中", CaseClosed: "已结案", CaseWithdrawn: "已撤回",
}

var outcomeNames = map[string]string{
	OutcomePenalty: "给予行政处罚", OutcomeNoPenalty: "不予行政处罚", OutcomeWarning: "警告",
}

var groundNames = map[string]string{
	GroundLimitation:            "超过追责时效",
	GroundUnderAge:              "不满十四周岁",
	GroundMentalIncapacity:      "不能辨认或者不能控制自己的行为",
	GroundNoFault:               "有证据足以证明没有主观过错",
	GroundMinorCorrected:        "违法行为轻微并及时改正，没有造成危害后果",
	GroundFirstOffense:          "初次违法且危害后果轻微并及时改正（首违不罚）",
	GroundFirstViolationWarning: "首次违法，给予警告（首违警告）",
	GroundNone:                  "无不予处罚或警告的情形",
}

var harmNames = map[string]string{
	HarmNone: "无危害后果", HarmMinor: "危害后果轻微", HarmSerious: "危害后果严重",
}

var capacityNames = map[string]string{
	CapacityFull: "完全辨认控制能力", CapacityLimited: "尚未完全丧失辨认或者控制能力", CapacityNone: "不能辨认或者不能控制",
}

var mitigatingNames = map[string]string{
	MitigatingEliminatedHarm:     "主动消除或者减轻违法行为危害后果",
	MitigatingCoercedOrDeceived:  "受他人胁迫或者诱骗实施违法行为",
	MitigatingConfessedUnknown:   "主动供述行政机关尚未掌握的违法行为",
	MitigatingMeritoriousService: "配合行政机关查处违法行为有立功表现",
}

var domainNames = map[string]string{
	DomainPublicSecurity: "治安管理", DomainMarketRegulation: "市场监管", DomainTraffic: "道路交通", DomainOther: "其他",
}

var partyKindNames = map[string]string{PartyPerson: "自然人", PartyOrganization: "单位"}

var roleNames = map[string]string{
	RoleOfficer:  "承办人",
	RoleReviewer: "法制审核人员",
	RoleApprover: "负责人",
	RoleClerk:    "文书管理员",
	RoleAdmin:    "系统管理员",

	RoleTemplateEditor: "模板管理员",
}

func nameOf(m map[string]string, code string) string {
	if n, ok := m[code]; ok {
		return n
	}
	return code
}

// KindName is a document kind's title: 行政处罚决定书.
func KindName(kind string) string { return nameOf(kindNames, kind) }

// DocStatusName is a document status's name: 已签发.
func DocStatusName(status string) string { return nameOf(docStatusNames, status) }

// CaseStatusName is a case status's name: 办理中.
func CaseStatusName(status string) string { return nameOf(caseStatusNames, status) }

// OutcomeName is an outcome's name: 不予行政处罚.
func OutcomeName(outcome string) string { return nameOf(outcomeNames, outcome) }

// GroundName is a ground's name as the staff pages show it.
func GroundName(ground string) string { return nameOf(groundNames, ground) }

// HarmName is a harm level's name.
func HarmName(harm string) string { return nameOf(harmNames, harm) }

// CapacityName is a mental capacity value's name.
func CapacityName(c string) string { return nameOf(capacityNames, c) }

// MitigatingName is an Art. 32 circumstance's name.
func MitigatingName(m string) string { return nameOf(mitigatingNames, m) }

// DomainName is a catalogue domain's name.
func DomainName(d string) string { return nameOf(domainNames, d) }

// PartyKindName is 自然人 or 单位.
func PartyKindName(k string) string { return nameOf(partyKindNames, k) }

// RoleName is a staff role's name: 法制审核人员.
func RoleName(r string) string { return nameOf(roleNames, r) }

// PenaltyTypeName is a penalty type's name: 没收违法所得、没收非法财物.
func PenaltyTypeName(t string) string { return nameOf(typeNames, t) }

// IsKind reports whether kind is a document kind.
func IsKind(kind string) bool { _, ok := kindNames[kind]; return ok }

// Kinds lists the document kinds, in the order a case produces them.
func Kinds() []string {
	return []string{KindAdvanceNotice, KindHearingNotice, KindPenaltyDecision, KindNoPenaltyDecision, KindOnTheSpotDecision,
		KindServiceReceipt, KindReminder, KindClosingReport}
}

// Orders of choices on forms.
var (
	// MitigatingOrder is Art. 32's order.
	MitigatingOrder = []string{MitigatingEliminatedHarm, MitigatingCoercedOrDeceived, MitigatingConfessedUnknown, MitigatingMeritoriousService}
	HarmOrder       = []string{HarmNone, HarmMinor, HarmSerious}
	CapacityOrder   = []string{CapacityFull, CapacityLimited, CapacityNone}
	DomainOrder     = []string{DomainPublicSecurity, DomainMarketRegulation, DomainTraffic, DomainOther}
	CaseStatusOrder = []string{CaseDraft, CaseOpen, CaseExecuting, CaseClosed, CaseWithdrawn}
	// AllRoles lists every role in a stable order.
	AllRoles = []string{RoleOfficer, RoleReviewer, RoleApprover, RoleClerk, RoleTemplateEditor, RoleAdmin}
)

// MitigatingHeading heads the Art. 32 choices on the case form.
var MitigatingHeading = "从轻、减轻情节（" + Article(LawAPL, 32, 0, 0) + "）"

// Label gives the words a letter uses for a code of this package (a
// ground, outcome, penalty type, mitigating ground, harm level, party or
// document kind); templates call it as {{label "…"}}. An unknown code
// comes back unchanged ("none" reads as the harm level).
func Label(code string) string { return nameOf(letterLabels, code) }

var letterLabels = map[string]string{
	GroundLimitation:             "超过行政处罚追责时效",
	GroundUnderAge:               "不满十四周岁",
	GroundMentalIncapacity:       "精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为",
	GroundNoFault:                "有证据足以证明没有主观过错",
	GroundMinorCorrected:         "违法行为轻微并及时改正，没有造成危害后果",
	GroundFirstOffense:           "初次违法且危害后果轻微并及时改正",
	GroundFirstViolationWarning:  "首次违法，未影响道路通行",
	OutcomePenalty:               "行政处罚",
	OutcomeNoPenalty:             "不予行政处罚",
	OutcomeWarning:               "警告",
	PenaltyFine:                  "罚款",
	PenaltyConfiscation:          "没收违法所得、没收非法财物",
	PenaltySuspension:            "暂扣许可证件、降低资质等级",
	PenaltyRevocation:            "吊销许可证件",
	PenaltyDetention:             "行政拘留",
	MitigatingEliminatedHarm:     "主动消除或者减轻违法行为危害后果",
	MitigatingCoercedOrDeceived:  "受他人胁迫或者诱骗实施违法行为",
	MitigatingConfessedUnknown:   "主动供述行政机关尚未掌握的违法行为",
	MitigatingMeritoriousService: "配合行政机关查处违法行为有立功表现",
	HarmNone:                     "没有造成危害后果",
	HarmMinor:                    "危害后果轻微",
	HarmSerious:                  "危害后果严重",
	PartyPerson:                  "自然人",
	PartyOrganization:            "单位",
	KindPenaltyDecision:          "行政处罚决定书",
	KindNoPenaltyDecision:        "不予行政处罚决定书",
	KindOnTheSpotDecision:        "当场行政处罚决定书",
	KindAdvanceNotice:            "行政处罚事先告知书",
	KindServiceReceipt:           "送达回证",
	KindHearingNotice:            "听证通知书",
	KindReminder:                 "催告书",
	KindClosingReport:            "结案审批表",
}

// auditActionNames are the audit log's actions in Chinese (the audit log
// page; the log stores the codes).
var auditActionNames = map[string]string{
	"login": "登录", "change_password": "修改密码", "reset_password": "重置密码",
	"create_user": "新建用户", "update_user": "修改用户",
	"create_authority": "新建执法机关", "update_authority": "修改执法机关",
	"create_item": "新建违法行为事项", "update_item": "修改违法行为事项", "retire_item": "停用事项", "reactivate_item": "恢复事项",
	"import_catalog": "导入事项清单", "set_calendar": "设置节假日",
	"create_template": "保存模板版本", "activate_template": "启用模板版本",
	"create_case": "立案", "edit": "修改案件事实", "open_case": "案件进入办理", "reopen_case": "退回后恢复修改事实", "correct_case": "按更正文书修改案件",
	"withdraw_case": "撤回案件", "close_case": "结案", "execute_case": "进入执行",
	"record_statement": "记录陈述申辩", "record_discussion": "记录集体讨论", "record_hearing": "记录听证",
	"record_payment": "记录缴款", "record_deferral": "记录延期（分期）缴纳", "record_execution": "记录执行情况",
	"create_document": "制作文书", "create_correction": "制作更正文书", "correction_started": "开始更正",
	"revise_correction": "修改更正内容", "submit": "提交审核", "legal_review": "法制审核通过", "approve": "负责人批准",
	"return": "退回修改", "issue": "签发", "serve": "记录送达", "supersede": "被更正", "withdraw": "作废文书",
	"print": "打印", "receipt_open": "查看送达回证（查询码）", "public_download": "当事人下载", "export_cases": "导出案件登记表",
	"extend_case": "延长办案期限", "export_supervision": "导出执法监督表", "export_statistics": "导出统计表",
	"check_audit": "校验审计链", "emergency_separation_override": "紧急设置下越过职责分离",
}

// AuditActionName is an audit action's Chinese name (the code itself when
// it has none).
func AuditActionName(action string) string {
	if n, ok := auditActionNames[action]; ok {
		return n
	}
	return action
}

// AuditActionCode finds the action a user typed by its Chinese name or
// code (the audit log page's filter); "" when it names none.
func AuditActionCode(typed string) string {
	typed = strings.TrimSpace(typed)
	if _, ok := auditActionNames[typed]; ok {
		return typed
	}
	for code, name := range auditActionNames {
		if name == typed {
			return code
		}
	}
	return typed
}

// AuditActions are the actions with their names, for the filter's list.
func AuditActions() [][2]string {
	out := make([][2]string, 0, len(auditActionNames))
	for code, name := range auditActionNames {
		out = append(out, [2]string{code, name})
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return out
}

// auditEntityNames are what an audit entry is about, in Chinese.
var auditEntityNames = map[string]string{
	"case": "案件", "document": "文书", "user": "用户", "authority": "执法机关", "catalog_item": "违法行为事项",
	"item": "违法行为事项", "template": "模板", "calendar": "节假日", "audit": "审计日志",
}

// AuditEntityName is an audit entity's Chinese name.
func AuditEntityName(entity string) string {
	if n, ok := auditEntityNames[entity]; ok {
		return n
	}
	return entity
}
