package rules

import (
	"strings"
	"testing"

	"penaltydoc/errs"
)

func TestPlanPublication(t *testing.T) {
	person := Party{Kind: PartyPerson, Name: "王小明", BirthDate: "1990-05-01"}
	minor := Party{Kind: PartyPerson, Name: "林小雨", BirthDate: "2010-03-01", Guardian: "林大海（父亲）"}
	org := Party{Kind: PartyOrganization, Name: "杭州某某贸易有限公司", CreditCode: "91330100MA2XXXXX0X"}
	fine := func(a float64) []Penalty { return []Penalty{{Type: ImposeFine, Amount: a}} }
	warning := []Penalty{{Type: ImposeWarning}}
	tests := []struct {
		name    string
		in      PublicationInput
		publish bool
		days    int
		months  int
		early   bool
		reason  string
	}{
		{"market, general procedure, fine", PublicationInput{Kind: KindPenaltyDecision, Domain: DomainMarketRegulation, Facts: Facts{Party: org, ViolationDate: "2026-10-01"}, Penalties: fine(20000)}, true, 20, 36, true, ""},
		{"market, lower fine", PublicationInput{Kind: KindPenaltyDecision, Domain: DomainMarketRegulation, Facts: Facts{Party: org}, Penalties: fine(3000), LowerFine: 5000}, true, 20, 3, true, ""},
		{"market, fine above lower", PublicationInput{Kind: KindPenaltyDecision, Domain: DomainMarketRegulation, Facts: Facts{Party: org}, Penalties: fine(5000.01), LowerFine: 5000}, true, 20, 36, true, ""},
		{"market, other province", PublicationInput{Kind: KindPenaltyDecision, Domain: DomainMarketRegulation, Facts: Facts{Party: org}, Penalties: fine(20000), OtherProvince: true}, true, 10, 36, true, ""},
		{"market, warning only", PublicationInput{Kind: KindPenaltyDecision, Domain: DomainMarketRegulation, Facts: Facts{Party: org}, Penalties: warning}, false, 0, 0, false, "仅受到警告"},
		{"market, on the spot", PublicationInput{Kind: KindOnTheSpotDecision, Domain: DomainMarketRegulation, Simplified: true, Facts: Facts{Party: org}, Penalties: fine(100)}, false, 0, 0, false, "普通程序"},
		{"market, licence revoked", PublicationInput{Kind: KindPenaltyDecision, Domain: DomainMarketRegulation, Facts: Facts{Party: org}, Penalties: []Penalty{{Type: ImposeRevokeLicence, Object: "食品经营许可证"}}}, true, 20, 36, false, ""},
		{"market, restriction 5 years", PublicationInput{Kind: KindPenaltyDecision, Domain: DomainMarketRegulation, Facts: Facts{Party: org}, Penalties: fine(20000), RestrictionMonths: 60}, true, 20, 60, false, ""},
		{"traffic, warning", PublicationInput{Kind: KindOnTheSpotDecision, Domain: DomainTraffic, Facts: Facts{Party: person, ViolationDate: "2026-10-01"}, Penalties: warning}, true, 7, 36, true, ""},
		{"other, period set", PublicationInput{Kind: KindPenaltyDecision, Domain: DomainOther, Facts: Facts{Party: person}, Penalties: fine(500), PeriodMonths: 12}, true, 7, 12, true, ""},
		{"minor at the act", PublicationInput{Kind: KindPenaltyDecision, Domain: DomainPublicSecurity, Facts: Facts{Party: minor, ViolationDate: "2026-02-28"}, Penalties: fine(200)}, false, 0, 0, false, "未成年人"},
		{"adult on the act's day", PublicationInput{Kind: KindPenaltyDecision, Domain: DomainPublicSecurity, Facts: Facts{Party: minor, ViolationDate: "2028-03-01"}, Penalties: fine(200)}, true, 7, 36, true, ""},
		{"commercial secret", PublicationInput{Kind: KindPenaltyDecision, Domain: DomainMarketRegulation, Facts: Facts{Party: org}, Penalties: fine(20000), Secret: SecretCommercial}, false, 0, 0, false, "商业秘密"},
		{"no-penalty decision", PublicationInput{Kind: KindNoPenaltyDecision, Domain: DomainMarketRegulation, Facts: Facts{Party: org}}, false, 0, 0, false, "不予行政处罚"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := PlanPublication(tc.in)
			if p.Publish != tc.publish || p.DueDays != tc.days || p.Months != tc.months || p.EarlyEnd != tc.early {
				t.Fatalf("plan = %+v, want publish=%v days=%d months=%d early=%v", p, tc.publish, tc.days, tc.months, tc.early)
			}
			if !strings.Contains(p.Reason, tc.reason) {
				t.Errorf("reason %q, want it to say %q", p.Reason, tc.reason)
			}
			if len(p.Articles) == 0 {
				t.Error("no articles")
			}
		})
	}
}

func TestPublicationDates(t *testing.T) {
	cal, err := NewCalendar([]string{"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"}, []string{"2026-10-10"})
	if err != nil {
		t.Fatal(err)
	}
	plan := PublicationPlan{Publish: true, DueDays: 7}
	// 30 September (Wed) + 7 working days: 8, 9, 10 (a working Saturday), 12, 13, 14, 15 October.
	if got, err := PublicationDue(cal, "2026-09-30", plan); err != nil || got != "2026-10-15" {
		t.Errorf("due = %q, %v; want 2026-10-15", got, err)
	}
	if got, err := WithdrawalDue(cal, "2026-12-04"); err != nil || got != "2026-12-09" {
		t.Errorf("withdrawal due = %q, %v; want 2026-12-09", got, err)
	}
	for _, tc := range []struct {
		from   string
		months int
		want   string
	}{{"2026-11-30", 3, "2027-02-28"}, {"2026-12-02", 36, "2029-12-02"}, {"bad", 3, ""}} {
		if got := PublicationEnd(tc.from, tc.months); got != tc.want {
			t.Errorf("PublicationEnd(%s, %d) = %q, want %q", tc.from, tc.months, got, tc.want)
		}
	}
}

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{"张三": "张某", "张三丰": "张某", "欧阳娜娜": "欧阳某", "欧阳": "欧某", "司马光": "司马某", "John Smith": "J某", " 李四 ": "李某", "": ""} {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPublicParty(t *testing.T) {
	p := PublicParty(Party{Kind: PartyPerson, Name: "王小明", IDNumber: "330102199005011234", Address: "杭州市西湖区某路1号", Phone: "13800138000", BirthDate: "1990-05-01", Sex: "男"})
	if p != (Party{Kind: PartyPerson, Name: "王小明"}) {
		t.Errorf("person: %+v", p)
	}
	o := PublicParty(Party{Kind: PartyOrganization, Name: "杭州某某贸易有限公司", CreditCode: "91330100MA2XXXXX0X", LegalRepresentative: "赵六", Address: "杭州市上城区某街2号", Phone: "0571-88888888"})
	if o.CreditCode == "" || o.LegalRepresentative != "赵六" || o.Address == "" || o.Phone != "" {
		t.Errorf("organisation: %+v", o)
	}
}

func TestMaskText(t *testing.T) {
	person := Party{Kind: PartyPerson, Name: "王小明", Address: "杭州市西湖区文三路100号", Phone: "13800138000"}
	tests := []struct {
		name string
		text string
		o    MaskOptions
		want string
	}{
		{"other persons' names", "当事人王小明与张三丰、张三共同销售，证人欧阳娜娜在场。",
			MaskOptions{Party: person, Names: []string{"张三", "张三丰", "欧阳娜娜"}, Person: true},
			"当事人王小明与张某、张某共同销售，证人欧阳某在场。"},
		{"person's data", "当事人住杭州市西湖区文三路100号，电话13800138000，身份证号码33010219900501123X，车辆浙A12345，账号6222 0212 3456 7890 123。",
			MaskOptions{Party: person, Person: true},
			"当事人住×××，电话×××，身份证号码×××，车辆×××，账号×××。"},
		{"amounts, dates and numbers stay", "违法所得1234567元，罚款15000.50元，于2026年10月1日，杭市监罚〔2026〕123号，共12345678件。",
			MaskOptions{Party: person, Person: true},
			"违法所得1234567元，罚款15000.50元，于2026年10月1日，杭市监罚〔2026〕123号，共12345678件。"},
		{"organisation keeps its address and plates", "杭州某某贸易有限公司（住所杭州市上城区某街2号）用浙A12345货车运输，开户账号6222021234567890123，联系电话0571-88888888。",
			MaskOptions{Party: Party{Kind: PartyOrganization, Name: "杭州某某贸易有限公司", Address: "杭州市上城区某街2号"}},
			"杭州某某贸易有限公司（住所杭州市上城区某街2号）用浙A12345货车运输，开户账号×××，联系电话×××。"},
		{"guardian", "林小雨在其父亲林大海陪同下接受询问。",
			MaskOptions{Party: Party{Kind: PartyPerson, Name: "林小雨", Guardian: "林大海（父亲）"}, Person: true},
			"林小雨在其父亲林某陪同下接受询问。"},
		{"phone with country code", "电话+86 138 0013 8000。", MaskOptions{Person: true}, "电话×××。"},
		{"short numbers stay", "第3次，共25人，编号A-123456。", MaskOptions{Person: true}, "第3次，共25人，编号A-123456。"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := MaskText(tc.text, tc.o); got != tc.want {
				t.Errorf("MaskText\n got  %s\n want %s", got, tc.want)
			}
		})
	}
}

func TestMaskTextKeepsDates(t *testing.T) {
	for in, want := range map[string]string{
		"于2026-10-01查获":         "于2026-10-01查获",
		"电话0571-88888888":       "电话×××",
		"编号2026-1001-0001":      "编号×××",
		"2026-10-01至2026-10-05": "2026-10-01至2026-10-05",
	} {
		if got := MaskText(in, MaskOptions{Person: true}); got != want {
			t.Errorf("MaskText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMayPublication(t *testing.T) {
	officer := Staff{ID: 1, Roles: []string{RoleOfficer}}
	reviewer := Staff{ID: 2, Roles: []string{RoleReviewer}}
	head := Staff{ID: 3, Roles: []string{RoleApprover}}
	both := Staff{ID: 2, Roles: []string{RoleReviewer, RoleApprover}}
	clerk := Staff{ID: 4, Roles: []string{RoleClerk}}
	tests := []struct {
		name string
		who  Staff
		act  Action
		st   PubState
		want string // "" allowed, else the error code
	}{
		{"officer edits pending", officer, ActPubEdit, PubState{Status: PubPending}, ""},
		{"officer edits a refused one", officer, ActPubEdit, PubState{Status: PubNotPublished}, ""},
		{"officer cannot edit published", officer, ActPubEdit, PubState{Status: PubPublished}, errs.Conflict},
		{"clerk cannot edit", clerk, ActPubEdit, PubState{Status: PubPending}, errs.Forbidden},
		{"reviewer reviews", reviewer, ActPubReview, PubState{Status: PubPending}, ""},
		{"officer cannot review", officer, ActPubReview, PubState{Status: PubPending}, errs.Forbidden},
		{"review twice", reviewer, ActPubReview, PubState{Status: PubReviewed}, errs.Conflict},
		{"head approves", head, ActPubApprove, PubState{Status: PubReviewed, ReviewedBy: 2}, ""},
		{"reviewer cannot approve own review", both, ActPubApprove, PubState{Status: PubReviewed, ReviewedBy: 2}, errs.Forbidden},
		{"approve before review", head, ActPubApprove, PubState{Status: PubPending}, errs.Conflict},
		{"clerk publishes", clerk, ActPubPublish, PubState{Status: PubApproved}, ""},
		{"head publishes", head, ActPubPublish, PubState{Status: PubApproved}, ""},
		{"officer cannot publish", officer, ActPubPublish, PubState{Status: PubApproved}, errs.Forbidden},
		{"publish unapproved", clerk, ActPubPublish, PubState{Status: PubReviewed}, errs.Conflict},
		{"head withdraws", head, ActPubWithdraw, PubState{Status: PubPublished}, ""},
		{"withdraw twice", head, ActPubWithdraw, PubState{Status: PubWithdrawn}, errs.Conflict},
		{"early end", head, ActPubEnd, PubState{Status: PubPublished, EarlyEnd: true}, ""},
		{"early end refused after licence revoked", head, ActPubEnd, PubState{Status: PubPublished}, errs.Conflict},
		{"officer cannot end", officer, ActPubEnd, PubState{Status: PubPublished, EarlyEnd: true}, errs.Forbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := MayPublication(tc.who, tc.act, tc.st)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && !errs.Is(err, tc.want):
				t.Fatalf("err = %v, want %s", err, tc.want)
			}
		})
	}
}
