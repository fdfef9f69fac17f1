package render

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"penaltydoc/rules"
)

// The letters a legal reviewer signs: every branch of each default template
// (kind × party × statement branch × penalty set × ground), rendered by the
// real renderer, its text extracted by pdftotext, and checked for the
// sentences it must and must not contain.

// engineWords never appear in a letter: they are the engine's explanation
// to the officer, not the authority's wording.
var engineWords = []string{"建议", "按罚款幅度", "法定罚款幅度", "承办人", "裁量说明", "（当事人已经改正的", "不超出", "系统"}

// letterCase is one branch.
type letterCase struct {
	name    string
	kind    string
	party   string
	change  func(d *Data) // facts, item, statement; the evaluation is redone
	want    []string
	notWant []string
	once    []string // sentences that must appear exactly once
}

// evaluateSample redoes the evaluation of d as casework does.
func evaluateSample(t *testing.T, d *Data) {
	t.Helper()
	ev, err := rules.Evaluate(d.Facts, d.Item, nil, sampleThresholds, d.Facts.DecisionDate)
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	_ = rules.Validate(&d.Facts, &d.Item, d.Facts.DecisionDate)
	d.Evaluation = ev
	d.Fine, d.Confiscation = rules.FineOf(ev.Penalties), rules.GainsOf(ev.Penalties)
	d.Notice.Hearing = ev.HearingRequired
	d.Notice.Articles = rules.NoticeArticles(d.Item, ev.HearingRequired, d.Facts.DecisionDate)
}

func TestLetterBranches(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
	}
	child := "林某某"
	cases := []letterCase{
		// Penalty decisions: the statement branches.
		{name: "no answer", kind: rules.KindPenaltyDecision, party: rules.PartyOrganization,
			change:  func(d *Data) { d.Waived = false },
			want:    []string{"当事人在法定期限内未提出陈述、申辩，也未要求举行听证。"},
			notWant: []string{"放弃陈述", "采纳"}},
		{name: "waiver", kind: rules.KindPenaltyDecision, party: rules.PartyOrganization,
			want:    []string{"当事人明确表示放弃陈述、申辩和听证的权利。"},
			notWant: []string{"未提出陈述", "视为放弃"}},
		{name: "statement rejected", kind: rules.KindPenaltyDecision, party: rules.PartyPerson,
			want:    []string{"当事人在法定期限内提出陈述、申辩，称：", "经复核，本局认为，", "对当事人的陈述、申辩意见不予采纳。"},
			notWant: []string{"未提出陈述", "放弃"}},
		{name: "statement accepted", kind: rules.KindPenaltyDecision, party: rules.PartyPerson,
			change:  func(d *Data) { d.StatementOutcome, d.StatementReason = rules.StatementAccepted, "" },
			want:    []string{"经复核，本局对当事人的陈述、申辩意见予以采纳。"},
			notWant: []string{"不予采纳"}},
		{name: "statement partly accepted", kind: rules.KindPenaltyDecision, party: rules.PartyPerson,
			change:  func(d *Data) { d.StatementOutcome = rules.StatementPartly },
			want:    []string{"部分予以采纳"},
			notWant: []string{"不予采纳"}},
		{name: "hearing held", kind: rules.KindPenaltyDecision, party: rules.PartyPerson,
			change: func(d *Data) {
				d.Statement, d.StatementOutcome, d.StatementReason = "", "", ""
				d.HearingHeld, d.HearingDate = true, "2026-11-05"
				d.HearingResult = "听证中，当事人对违法事实无异议，请求减轻处罚。经复核，本局认为当事人主动消除违法行为危害后果的情节属实，予以采纳。"
			},
			want:    []string{"当事人要求举行听证，本局于2026年11月5日依法举行了听证。听证中"},
			notWant: []string{"未提出陈述", "放弃"}},
		// Penalty sets.
		{name: "fine, gains and property", kind: rules.KindPenaltyDecision, party: rules.PartyPerson,
			want: []string{"（一）罚款人民币壹万贰仟元整（¥12,000.00）；", "（二）没收违法所得人民币壹佰贰拾陆元整（¥126.00）；",
				"（三）没收非法财物：超过保质期的“鲜牧场”牌纯牛奶48盒、超过保质期的“麦香坊”牌全麦面包15袋。",
				"以上罚没款合计人民币壹万贰仟壹佰贰拾陆元整（¥12,126.00）。", "当事人应当自收到本决定书之日起十五日内缴纳罚没款。",
				"涉案货值金额为860.60元，不足一万元", "应当处五万元以上十万元以下罚款",
				"依照《中华人民共和国行政处罚法》第三十二条第一项的规定，应当从轻或者减轻行政处罚。", "本局决定对当事人减轻处罚。"},
			once: []string{"十五日内", "百分之三"}},
		{name: "fine only", kind: rules.KindPenaltyDecision, party: rules.PartyPerson,
			change: func(d *Data) {
				d.Facts.IllegalGains, d.Facts.IllegalProperty, d.Facts.Mitigating, d.Facts.ProposedFine = 0, nil, nil, 60000
			},
			want:    []string{"罚款人民币陆万元整（¥60,000.00）。", "十五日内缴纳罚款。"},
			notWant: []string{"没收", "合计", "减轻", "从轻"}},
		{name: "revocation", kind: rules.KindPenaltyDecision, party: rules.PartyOrganization,
			change: func(d *Data) {
				d.Facts.ProposedPenalties, d.Facts.Licence = []string{rules.ImposeRevokeLicence}, "食品经营许可证（编号：JY13301060012345）"
			},
			want: []string{"吊销食品经营许可证（编号：JY13301060012345）"}},
		{name: "detention", kind: rules.KindPenaltyDecision, party: rules.PartyPerson,
			change: func(d *Data) {
				d.Item = rules.Item{Code: "ZA-002", Name: "殴打他人（情节较轻）", Domain: rules.DomainPublicSecurity,
					ViolatedProvision: "《中华人民共和国治安管理处罚法》第五十一条第一款", PenaltyProvision: "《中华人民共和国治安管理处罚法》第五十一条第一款",
					PenaltyTypes: []string{rules.PenaltyDetention, rules.PenaltyFine}, FineMax: 1000, DetentionMaxDays: 5,
					HearingFinePerson: 4000, HearingFineOrg: 4000, LimitationMonths: 6, ValidFrom: "2026-01-01"}
				d.Facts.ViolationCode, d.Facts.ViolationDate, d.Facts.ViolationEndDate, d.Facts.DiscoveredDate = "ZA-002", "2026-09-10", "", "2026-09-10"
				d.Facts.GoodsValue, d.Facts.IllegalGains, d.Facts.IllegalProperty, d.Facts.Mitigating, d.Facts.ProposedFine = 0, 0, nil, nil, 0
				d.Facts.DetentionDays = 3
			},
			want:    []string{"行政拘留三日", "《中华人民共和国治安管理处罚法》第五十一条第一款"},
			notWant: []string{"罚款人民币", "十五日内"}},
		// The advance notice proposes; it speaks of the party as 当事人.
		{name: "notice", kind: rules.KindAdvanceNotice, party: rules.PartyOrganization,
			want:    []string{"本局拟对当事人作出如下行政处罚：", "本局拟对当事人减轻处罚。", "第六十三条、第六十四条", "当事人享有陈述、申辩和要求举行听证的权利。"},
			notWant: []string{"你", "本局决定"}},
		{name: "public-order notice", kind: rules.KindAdvanceNotice, party: rules.PartyPerson,
			change: func(d *Data) {
				d.Item = rules.Item{Code: "ZA-001", Name: "扰乱公共场所秩序", Domain: rules.DomainPublicSecurity,
					ViolatedProvision: "《中华人民共和国治安管理处罚法》第二十六条第一款第二项", PenaltyProvision: "《中华人民共和国治安管理处罚法》第二十六条第一款",
					PenaltyTypes: []string{rules.PenaltyWarning, rules.PenaltyFine}, FineMax: 500, HearingFinePerson: 4000, HearingFineOrg: 4000, LimitationMonths: 6}
				d.Facts.ViolationCode, d.Facts.ViolationDate, d.Facts.ViolationEndDate, d.Facts.DiscoveredDate = "ZA-001", "2026-09-10", "", "2026-09-10"
				d.Facts.GoodsValue, d.Facts.IllegalGains, d.Facts.IllegalProperty, d.Facts.Mitigating, d.Facts.ProposedFine = 0, 0, nil, nil, 400
			},
			want:    []string{"依据《中华人民共和国治安管理处罚法》第一百一十二条的规定，当事人享有陈述、申辩的权利。"},
			notWant: []string{"听证", "第四十四条"}},
		// No-penalty decisions, by ground.
		{name: "first offense, conditions met, gains", kind: rules.KindNoPenaltyDecision, party: rules.PartyPerson,
			want: []string{"当事人系初次违法，违法行为发生前二十四个月内无同类违法记录", "当事人的情形符合清单所列适用条件：首次被发现",
				"初次违法且危害后果轻微并及时改正的，可以不予行政处罚。本局决定对当事人不予行政处罚。",
				"没收违法所得人民币叁拾伍元伍角整（¥35.50）", "当事人已经改正违法行为，应当保持改正状态"}},
		{name: "first offense, conditions not confirmed", kind: rules.KindNoPenaltyDecision, party: rules.PartyOrganization,
			notWant: []string{"适用条件", "没收", "缴纳"}},
		{name: "minor and corrected", kind: rules.KindNoPenaltyDecision, party: rules.PartyOrganization,
			change: func(d *Data) { d.Facts.Minor, d.Facts.Harm = true, rules.HarmNone },
			want:   []string{"当事人的违法行为轻微，已及时改正，没有造成危害后果。", "《中华人民共和国行政处罚法》第三十三条第一款"}},
		{name: "no fault", kind: rules.KindNoPenaltyDecision, party: rules.PartyOrganization,
			change: func(d *Data) { d.Facts.NoFaultProven = true },
			want:   []string{"当事人有证据足以证明其没有主观过错。", "第三十三条第二款"}},
		{name: "limitation", kind: rules.KindNoPenaltyDecision, party: rules.PartyOrganization,
			change:  func(d *Data) { d.Facts.ViolationDate = "2023-06-01" },
			want:    []string{"已超过二十四个月的追责时效", "不再给予行政处罚", "第三十六条第一款"},
			notWant: []string{"构成"}},
		{name: "under age", kind: rules.KindNoPenaltyDecision, party: rules.PartyPerson,
			change: func(d *Data) {
				d.Facts.Party.Name, d.Facts.Party.IDNumber, d.Facts.Party.BirthDate, d.Facts.Party.Sex = child, "330102201309300278", "", ""
				d.Facts.Party.Guardian = "林某（父亲）"
			},
			want:    []string{"监护人：林某（父亲）", "实施违法行为时未满十四周岁", "责令其监护人加以管教", "对当事人及其监护人进行了教育"},
			notWant: []string{"构成"}},
		{name: "mental incapacity", kind: rules.KindNoPenaltyDecision, party: rules.PartyPerson,
			change: func(d *Data) {
				d.Facts.MentalCapacity, d.Facts.Party.Guardian = rules.CapacityNone, "张某（配偶）"
			},
			want: []string{"不能辨认或者不能控制自己的行为", "责令其监护人严加看管和治疗"}},
		// The override of a first offense prints the authority's reason.
		{name: "first offense overridden", kind: rules.KindPenaltyDecision, party: rules.PartyOrganization,
			change: func(d *Data) {
				d.Item.FirstOffenseEligible, d.Facts.Mitigating, d.Facts.ProposedFine = true, nil, 0
				evaluateSample(t, d)
				ev, err := rules.ApplyOverride(d.Evaluation, rules.Override{Outcome: rules.OutcomePenalty, Reason: "当事人销售的超过保质期食品数量较多、持续时间较长，社会影响较大"})
				if err != nil {
					t.Fatal(err)
				}
				d.Evaluation = ev
			},
			want: []string{"依照《中华人民共和国行政处罚法》第三十三条第一款的规定，可以不予行政处罚。本局认为，当事人销售的超过保质期食品数量较多、持续时间较长，社会影响较大，依法应当给予行政处罚。"}},
		// On the spot.
		{name: "traffic warning", kind: rules.KindOnTheSpotDecision, party: rules.PartyPerson,
			want:    []string{"当场作出如下行政处罚：警告。", "号牌号码：浙A·12345", "先向江南市公安局申请行政复议"},
			notWant: []string{"罚款人民币", "十五日内缴纳"}},
		{name: "warning on the spot", kind: rules.KindOnTheSpotDecision, party: rules.PartyOrganization,
			want: []string{"当场作出如下行政处罚：警告。同时责令当事人立即改正上述违法行为。"}},
		// Execution and hearing documents.
		{name: "hearing notice", kind: rules.KindHearingNotice, party: rules.PartyOrganization,
			want: []string{"本次听证由陈立新主持。", "有权申请回避", "营业执照和法定代表人身份证明", "《中华人民共和国行政处罚法》第六十四条"}},
		{name: "reminder", kind: rules.KindReminder, party: rules.PartyPerson,
			want: []string{"自收到本催告书之日起十个工作日内", "有权进行陈述和申辩", "《中华人民共和国行政强制法》第三十五条、第四十五条、第五十四条",
				"自缴纳期限届满的次日起，每日按尚未缴纳的罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款数额", "作出行政处罚决定（江南市监处罚〔2026〕97号）", "但仅缴纳了罚款"},
			notWant: []string{"每日按罚款数额的百分之三", "作出行政处罚决定书"}},
		{name: "reminder, fine paid late, fee owed", kind: rules.KindReminder, party: rules.PartyPerson,
			change: func(d *Data) {
				d.Execution.PaidFine, d.Execution.Outstanding, d.Execution.LateFeeOutstanding = d.Execution.Fine, 0, 90
				d.Execution.Total = 90
			},
			want:    []string{"当事人逾期缴纳了罚款", "但未缴清依法加处的罚款", "当事人尚欠加处罚款"},
			notWant: []string{"仅缴纳了", "尚欠罚款", "零元"}},
		{name: "hearing notice prints the advance notice's service", kind: rules.KindHearingNotice, party: rules.PartyPerson,
			change: func(d *Data) {
				d.Notice.Number, d.Notice.Date, d.Notice.Served = "江南市监告〔2026〕5号", "2026-03-02", "2026-03-04"
			},
			want:    []string{"本局于2026年3月4日向当事人送达了《行政处罚事先告知书》（江南市监告〔2026〕5号）"},
			notWant: []string{"2026年3月2日"}},
		{name: "closing report paid", kind: rules.KindClosingReport, party: rules.PartyPerson,
			want: []string{"结案审批表", "罚款：已缴清", "执法人员签名："}, notWant: []string{"拟予结案", "同意结案"}},
		{name: "closing report approved", kind: rules.KindClosingReport, party: rules.PartyPerson,
			change: func(d *Data) { d.Approved = true },
			want:   []string{"同意结案。"}},
		{name: "closing report without a fine", kind: rules.KindClosingReport, party: rules.PartyOrganization,
			change: func(d *Data) {
				d.Execution.Fine, d.Execution.State, d.Execution.OtherExecuted = 0, "", "2026-03-12"
			},
			want: []string{"无罚款；其他行政处罚已于2026年3月12日执行完毕"}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%s/%s", c.kind, c.party, c.name), func(t *testing.T) {
			d := SampleData(c.kind, c.party)
			if c.change != nil {
				c.change(&d)
				if c.name != "first offense overridden" {
					evaluateSample(t, &d)
				}
			}
			text := squeeze(pdftotext(t, render(t, c.kind, d), "letter.pdf"))
			for _, s := range c.want {
				if !strings.Contains(text, squeeze(s)) {
					t.Errorf("lacks %q", s)
				}
			}
			for _, s := range append(append([]string{}, engineWords...), c.notWant...) {
				if strings.Contains(text, squeeze(s)) && !strings.Contains(squeeze(d.Facts.Facts), squeeze(s)) {
					t.Errorf("contains %q", s)
				}
			}
			for _, s := range c.once {
				if n := strings.Count(text, s); n != 1 {
					t.Errorf("%q appears %d times", s, n)
				}
			}
			if s := repeatedSentence(text); s != "" {
				t.Errorf("a sentence appears twice: %q", s)
			}
		})
	}
}

// repeatedSentence returns a sentence (ended by 。) of more than ten
// characters that appears twice, or "".
func repeatedSentence(text string) string {
	seen := map[string]bool{}
	for _, s := range strings.Split(text, "。") {
		if len([]rune(s)) <= 10 {
			continue
		}
		if seen[s] {
			return s
		}
		seen[s] = true
	}
	return ""
}
