package casework

import (
	"context"
	"strings"
	"testing"

	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
	"penaltydoc/templates"
)

// TestMaskedPublication renders the masked publication of decisions with
// the real renderer and the default template, as publication does, and
// reads the PDF's text back: a minor's decision is not published; an
// organisation keeps its registration data but loses its phone and bank
// account; a person loses id number, address, phone and plate; the names
// the officer added (and a guardian's) print as 姓+某.
func TestMaskedPublication(t *testing.T) {
	r, err := render.New()
	if err != nil {
		t.Fatal(err)
	}
	body, err := templates.Default(rules.KindPenaltyDecision)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := render.Parse(rules.KindPenaltyDecision, publicationSummary+body)
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := rules.NewCalendar(nil, nil)
	au := &models.Authority{Name: "杭州市市场监督管理局", Domain: rules.DomainMarketRegulation, LowerFine: 5000}
	item := rules.Item{Code: "JG-001", Name: "销售超过保质期的食品", Domain: rules.DomainMarketRegulation, ViolatedProvision: "《某法》"}
	data := func(p rules.Party, facts string, fine float64) render.Data {
		return render.Data{Kind: rules.KindPenaltyDecision, Number: "杭市监处罚〔2026〕8号", IssueDate: "2026-11-20",
			VerifyURL: "https://example.test/verify/secret-token", Authority: render.Authority{Name: au.Name, ReconsiderationBody: "杭州市人民政府", Court: "杭州市西湖区人民法院"},
			Facts: rules.Facts{Party: p, ViolationDate: "2026-10-01", DiscoveredDate: "2026-10-02", Facts: facts},
			Item:  item, Fine: fine, Evaluation: rules.Evaluation{Outcome: rules.OutcomePenalty, Penalties: []rules.Penalty{{Type: rules.ImposeFine, Amount: fine}}}}
	}
	tests := []struct {
		name    string
		data    render.Data
		names   []string
		status  string
		months  int
		present []string
		absent  []string
	}{
		{name: "organisation", names: []string{"李大海"}, status: rules.PubPending, months: 36,
			data: data(rules.Party{Kind: rules.PartyOrganization, Name: "杭州某某贸易有限公司", CreditCode: "91330100MA2B3C4D5E", LegalRepresentative: "赵六",
				Address: "杭州市上城区某街2号", Phone: "0571-88888888"}, "当事人经理李大海通过开户账号6222021234567890123收取货款，联系电话0571-88888888。", 20000),
			present: []string{"杭州某某贸易有限公司", "91330100MA2B3C4D5E", "赵六", "杭州市上城区某街2号", "李某", "×××", "行政处罚信息公示", "行政处罚决定书文号", "销售超过保质期的食品"},
			absent:  []string{"李大海", "6222021234567890123", "88888888", "secret-token"}},
		{name: "person, lower fine", names: []string{"孙小美"}, status: rules.PubPending, months: 3,
			data: data(rules.Party{Kind: rules.PartyPerson, Name: "王小明", IDNumber: "330102199005011234", BirthDate: "1990-05-01", Address: "杭州市西湖区文三路100号",
				Phone: "13800138000"}, "当事人在杭州市西湖区文三路100号向孙小美销售过期食品，其车辆浙A12345停放于店前，电话13800138000。", 3000),
			present: []string{"王小明", "孙某", "×××"},
			absent:  []string{"330102199005011234", "文三路100号", "13800138000", "孙小美", "A12345", "19900501", "1990年"}},
		{name: "minor", status: rules.PubNotPublished,
			data: data(rules.Party{Kind: rules.PartyPerson, Name: "林小雨", BirthDate: "2010-03-01", Guardian: "林大海（父亲）"}, "当事人在其父亲林大海陪同下接受询问。", 200)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &models.Publication{DecisionKind: rules.KindPenaltyDecision, DecisionDate: "2026-11-20", MaskNames: tc.names}
			if err := planPublication(p, au, tc.data, cal); err != nil {
				t.Fatal(err)
			}
			if p.Status != tc.status || (tc.months != 0 && p.Months != tc.months) {
				t.Fatalf("plan: %s %d months (%s)", p.Status, p.Months, p.Reason)
			}
			if p.Status == rules.PubNotPublished {
				if !strings.Contains(p.Reason, "未成年人") {
					t.Errorf("reason %q", p.Reason)
				}
				return
			}
			masked := maskData(tc.data, tc.names)
			if tc.data.Facts.Party.Phone == "" || masked.VerifyURL != "" {
				t.Fatal("maskData changed its input or kept the verify address")
			}
			pdf, err := r.Render(context.Background(), tmpl, masked)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(pdfText(t, pdf)), "")
			if text == "" {
				t.Skip("no pdftotext")
			}
			for _, s := range tc.present {
				if !strings.Contains(text, s) {
					t.Errorf("the masked PDF lacks %q", s)
				}
			}
			for _, s := range tc.absent {
				if strings.Contains(text, s) {
					t.Errorf("the masked PDF shows %q", s)
				}
			}
		})
	}
}
