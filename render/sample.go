package render

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"sync"

	"penaltydoc/rules"
)

// SampleData returns realistic data for a kind (rules.Kind*) and a party
// kind (rules.PartyPerson or rules.PartyOrganization): for test renders of
// a template being saved, previews, golden files and benchmarks. The
// decision kinds fill about two pages. The document is issued (number, QR
// code, seal); set Draft for a draft. Each call returns fresh slices.
func SampleData(kind, partyKind string) Data {
	d := Data{
		Kind:        kind,
		Number:      "江南市监处罚〔2026〕128号",
		IssueDate:   "2026-11-27",
		VerifyURL:   "https://penaltydoc.example.gov.cn/verify/8Fq2kZr7TmXw3Lp9",
		AccessCode:  "K7M4-Q9TX",
		DownloadURL: "https://penaltydoc.example.gov.cn/public/download",
		Authority: Authority{
			Name:                "江南市市场监督管理局",
			ShortName:           "江南市监",
			ReconsiderationBody: "江南市人民政府",
			Court:               "江南市西湖区人民法院",
			PaymentInstructions: "罚没款可以持本决定书到江南银行各营业网点缴纳，也可以通过“江南市非税收入电子缴款平台”缴纳。",
			Address:             "江南市西湖区文一路300号",
			Phone:               "0571-88880000",
			SealPNG:             SampleSeal(),
		},
		Case: Case{
			ID:        "江南市监立〔2026〕35号",
			FiledDate: "2026-09-15",
			Source:    "根据消费者投诉举报，",
			Place:     "江南市西湖区天目山路188号",
			Officers:  "王强（执法证号：33010012345）、赵敏（执法证号：33010012346）",
		},
		Notice: Notice{
			Number:     "江南市监罚告〔2026〕96号",
			Date:       "2026-10-20",
			Served:     "2026-10-21",
			AnswerDays: 5,
			Contact:    "王强",
			Phone:      "0571-88880123",
		},
		Holidays: []string{"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"},
		Workdays: []string{"2026-09-20", "2026-10-10"},
	}
	person := partyKind != rules.PartyOrganization
	if person {
		d.Facts.Party = rules.Party{
			Kind:      rules.PartyPerson,
			Name:      "张伟",
			IDNumber:  "330106198506121237",
			BirthDate: "1985-06-12",
			Sex:       "男",
			Address:   "江南市西湖区天目山路188号3幢2单元501室",
			Phone:     "13912345678",
		}
	} else {
		d.Facts.Party = rules.Party{
			Kind:                rules.PartyOrganization,
			Name:                "江南市鲜达贸易有限公司",
			CreditCode:          "91330106MA2B3C4D5D",
			Address:             "江南市西湖区文三路100号2幢801室",
			LegalRepresentative: "李明",
			Phone:               "0571-86660000",
		}
	}
	who := "当事人"
	shop := "位于江南市西湖区天目山路188号的“张伟副食品店”"
	if !person {
		shop = "其经营的位于江南市西湖区文三路100号的“鲜达生活超市”"
	}

	switch kind {
	case rules.KindPenaltyDecision, rules.KindAdvanceNotice, rules.KindServiceReceipt:
		d.Item = rules.Item{
			Code:              "SP-124-05",
			Name:              "经营超过保质期的食品",
			Domain:            rules.DomainMarketRegulation,
			ViolatedProvision: "《中华人民共和国食品安全法》第三十四条第十项",
			PenaltyProvision:  "《中华人民共和国食品安全法》第一百二十四条第一款第五项",
			PenaltyTypes:      []string{rules.PenaltyFine, rules.PenaltyConfiscation, rules.PenaltyRevocation},
			FineMin:           50000,
			FineMax:           100000,
			LimitationMonths:  24,
			SafetyRelated:     true,
		}
		d.Facts.ViolationCode = d.Item.Code
		d.Facts.ViolationDate = "2026-08-20"
		d.Facts.ViolationEndDate = "2026-09-10"
		d.Facts.DiscoveredDate = "2026-09-15"
		d.Facts.DecisionDate = d.IssueDate
		d.Facts.Harm = rules.HarmMinor
		d.Facts.Corrected = true
		d.Facts.MentalCapacity = rules.CapacityFull
		d.Facts.Mitigating = []string{rules.MitigatingEliminatedHarm}
		d.Facts.IllegalGains = 126
		d.Facts.Facts = who + "自2026年8月20日起，在" + shop + "销售“鲜牧场”牌纯牛奶（250mL/盒，生产日期2026年6月1日，保质期60天）及“麦香坊”牌全麦面包（400g/袋，保质期7天）等食品。" +
			"2026年9月15日，本局执法人员根据消费者投诉对上述经营场所进行现场检查，在货架上发现已超过保质期的上述纯牛奶48盒、全麦面包15袋正在陈列销售，货架价签标示纯牛奶每盒4.50元、全麦面包每袋14.80元。\n" +
			"经调查，" + who + "于2026年7月28日从江南市某食品批发部购进上述纯牛奶120盒、全麦面包60袋，进货单价分别为每盒3.20元、每袋10.50元，至案发时共售出已超过保质期的纯牛奶72盒、全麦面包12袋。" +
			"涉案超过保质期食品的货值金额共计人民币860.60元，违法所得人民币126.00元。" + who + "未建立食品进货查验记录，亦未按照规定定期检查库存食品、及时清理变质或者超过保质期的食品。" +
			"案发后，" + who + "立即将剩余涉案食品全部下架并在执法人员监督下销毁，主动联系购买涉案食品的消费者退款，截至本决定作出之日未发生食品安全事故，也未接到消费者身体不适的报告。"
		d.Facts.Evidence = []string{
			"2026年9月15日现场检查笔录及现场照片12张，证明当事人在经营场所陈列销售超过保质期食品的事实",
			"当事人的营业执照、食品经营许可证复印件，证明当事人的主体资格",
			"2026年9月18日、9月25日对当事人（负责人）的询问笔录，证明涉案食品的购进、销售及违法所得情况",
			"涉案食品进货单据及供货商出具的情况说明，证明涉案食品的来源、数量和进货价格",
			"涉案食品销毁记录及照片，证明当事人已主动消除违法行为危害后果",
		}
		d.Evaluation = rules.Evaluation{
			Outcome:      rules.OutcomePenalty,
			Ground:       rules.GroundNone,
			Lighter:      true,
			DocumentKind: rules.KindPenaltyDecision,
			Articles:     []string{"《中华人民共和国食品安全法》第一百二十四条第一款第五项", "《中华人民共和国行政处罚法》第三十二条第一项"},
			Reasons: []string{
				"当事人经营超过保质期的食品，货值金额不足一万元，依照《中华人民共和国食品安全法》第一百二十四条第一款的规定，应当没收违法所得，并处五万元以上十万元以下罚款。",
				"当事人在案发后主动下架、销毁全部剩余涉案食品并向消费者退款，主动消除违法行为危害后果，属于《中华人民共和国行政处罚法》第三十二条第一项规定的应当从轻或者减轻处罚的情形。",
				"涉案食品货值金额较小，未造成食品安全事故，当事人积极配合调查，如实陈述违法事实。",
			},
			Fine:                rules.Fine{Min: 0, Max: 100000, Recommended: 12000},
			HearingRequired:     person, // 12,000 ≥ the person threshold (10,000), < the organisation's (100,000)
			LegalReviewRequired: true,
			RuleSetVersion:      "2026.11",
		}
		d.Fine = 12000
		d.Confiscation = 126
		d.LegalReview = "2026-11-20"
		d.Notice.Hearing = d.Evaluation.HearingRequired
		if person {
			d.HearingHeld = true
			d.HearingResult = "当事人于2026年10月23日提出听证申请，本局于2026年11月5日依法公开举行了听证。听证中，当事人对违法事实无异议，提出其系初次违法、已主动销毁涉案食品，请求减轻处罚。经复核，本局认为当事人主动消除违法行为危害后果的情节属实，予以采纳；其他申辩理由不属于法定从轻、减轻处罚情形，不予采纳。"
		} else {
			d.Statement = "当事人于2026年10月24日提出书面陈述、申辩，称其已对全部门店开展临期食品排查、建立进货查验和库存检查制度，请求减轻处罚。经复核，本局认为当事人所述主动消除危害后果及整改情况属实，予以采纳。"
		}
		if kind == rules.KindAdvanceNotice {
			d.Number = d.Notice.Number
			d.IssueDate = d.Notice.Date
			d.Facts.DecisionDate = d.Notice.Date
			d.HearingHeld, d.HearingResult, d.Statement, d.LegalReview = false, "", "", ""
		}
		if kind == rules.KindServiceReceipt {
			d.Number = ""
			d.Service = Service{
				DocumentName:   "行政处罚决定书",
				DocumentNumber: "江南市监处罚〔2026〕128号",
				Method:         "直接送达",
				Place:          d.Facts.Party.Address,
				Date:           "2026-11-27",
				Recipient:      d.Facts.Party.Name,
				Server:         "王强、赵敏",
				Note:           "",
			}
			if !person {
				d.Service.Recipient = "李明（法定代表人）"
			}
		}

	case rules.KindNoPenaltyDecision:
		d.Number = "江南市监不罚〔2026〕17号"
		d.Item = rules.Item{
			Code:                       "JG-13",
			Name:                       "经营者不按照规定明码标价",
			Domain:                     rules.DomainMarketRegulation,
			ViolatedProvision:          "《中华人民共和国价格法》第十三条第一款",
			PenaltyProvision:           "《中华人民共和国价格法》第四十二条",
			PenaltyTypes:               []string{rules.PenaltyWarning, rules.PenaltyFine, rules.PenaltyConfiscation},
			FineMax:                    5000,
			FirstOffenseEligible:       true,
			FirstOffenseLookbackMonths: 24,
			LimitationMonths:           24,
			Conditions:                 "首次被发现，危害后果轻微，在责令改正期限内改正",
		}
		d.Case.FiledDate = "2026-10-09"
		d.Case.Source = "在日常监督检查中发现当事人涉嫌违法，"
		d.Facts.ViolationCode = d.Item.Code
		d.Facts.ViolationDate = "2026-10-01"
		d.Facts.DiscoveredDate = "2026-10-09"
		d.Facts.DecisionDate = d.IssueDate
		d.Facts.Harm = rules.HarmMinor
		d.Facts.Corrected = true
		d.Facts.MentalCapacity = rules.CapacityFull
		d.Facts.Facts = who + "在" + shop + "销售水果、蔬菜、粮油等商品。2026年10月9日，本局执法人员在日常监督检查中发现，" + who + "陈列销售的进口香蕉、红富士苹果、东北大米等商品共23种未标示价格，部分商品价签未标示品名、产地、规格和计价单位，消费者需询问营业员方可知悉价格。\n" +
			"经调查，上述情况系" + who + "于2026年10月1日更换货架后未及时更新价签所致，期间商品实际销售价格与此前标示价格一致，未发现价格欺诈、哄抬价格等行为，未接到消费者投诉。" +
			"执法人员当场责令" + who + "改正，" + who + "于2026年10月10日按照规定为全部商品设置了标示品名、产地、规格、等级、计价单位、价格等内容的价签，并建立了价签更换核对制度。经本局2026年10月16日复查，" + who + "已改正。" +
			"经查询本局案件信息系统，" + who + "在近二十四个月内未因同一违法行为受到行政处罚，属于首次违法。"
		d.Facts.Evidence = []string{
			"2026年10月9日现场检查笔录及现场照片8张",
			"当事人的营业执照复印件",
			"2026年10月12日对当事人（负责人）的询问笔录",
			"2026年10月16日复查笔录及整改后的价签照片",
			"案件信息系统查询记录",
		}
		d.Evaluation = rules.Evaluation{
			Outcome:      rules.OutcomeNoPenalty,
			Ground:       rules.GroundFirstOffense,
			Mandatory:    false,
			DocumentKind: rules.KindNoPenaltyDecision,
			Articles:     []string{"《中华人民共和国行政处罚法》第三十三条第一款"},
			Reasons: []string{
				"当事人不按照规定明码标价的行为属于本省市场监管领域轻微违法行为免罚清单所列事项，系首次违法。",
				"当事人的违法行为持续时间短，未造成消费者权益受损等危害后果，危害后果轻微。",
				"当事人在本局责令改正的期限内已经改正。",
			},
			Fine:           rules.Fine{Max: 5000},
			RuleSetVersion: "2026.11",
		}
		d.Statement = ""

	case rules.KindOnTheSpotDecision:
		d.Number = "江南市监简罚〔2026〕342号"
		d.Item = rules.Item{
			Code:              "JG-13",
			Name:              "经营者不按照规定明码标价",
			Domain:            rules.DomainMarketRegulation,
			ViolatedProvision: "《中华人民共和国价格法》第十三条第一款",
			PenaltyProvision:  "《中华人民共和国价格法》第四十二条",
			PenaltyTypes:      []string{rules.PenaltyWarning, rules.PenaltyFine, rules.PenaltyConfiscation},
			FineMax:           5000,
			LimitationMonths:  24,
		}
		d.Case.Place = "江南市西湖区天目山路188号"
		if !person {
			d.Case.Place = "江南市西湖区文三路100号鲜达生活超市"
		}
		d.Case.Source = ""
		d.Facts.ViolationCode = d.Item.Code
		d.Facts.ViolationDate = d.IssueDate
		d.Facts.DiscoveredDate = d.IssueDate
		d.Facts.DecisionDate = d.IssueDate
		d.Facts.Harm = rules.HarmMinor
		d.Facts.MentalCapacity = rules.CapacityFull
		d.Facts.PriorViolations = []rules.PriorViolation{{ViolationCode: "JG-13", Date: "2025-06-18", Handled: true}}
		d.Facts.Facts = "2026年11月27日上午10时许，本局执法人员在" + d.Case.Place + "检查时发现，" + who + "陈列销售的草莓、车厘子、阳光玫瑰葡萄等12种水果未标示价格，现场有消费者选购。" +
			who + "曾于2025年6月18日因同一违法行为被本局责令改正，不属于首次违法。执法人员当场向" + who + "出示了执法证件，告知了拟作出行政处罚的事实、理由和依据以及依法享有的陈述、申辩权利，" + who + "当场未提出陈述、申辩，并当场完成整改。"
		d.Facts.Evidence = []string{"现场检查笔录及现场照片4张"}
		d.Evaluation = rules.Evaluation{
			Outcome:             rules.OutcomeWarning,
			Ground:              rules.GroundNone,
			DocumentKind:        rules.KindOnTheSpotDecision,
			SimplifiedProcedure: true,
			Articles:            []string{"《中华人民共和国价格法》第四十二条", "《中华人民共和国行政处罚法》第五十一条"},
			Reasons: []string{
				"当事人不按照规定明码标价，曾因同一违法行为被责令改正，不符合首次违法不予处罚的条件。",
				"违法事实确凿并有法定依据，符合当场作出行政处罚决定的条件。",
			},
			Fine:           rules.Fine{Max: 5000},
			RuleSetVersion: "2026.11",
		}
		if !person {
			d.Evaluation.Outcome = rules.OutcomePenalty
			d.Evaluation.Fine.Recommended = 2000
			d.Fine = 2000
		}
		d.Statement = ""
	}
	return d
}

var sampleSeal = sync.OnceValue(func() []byte {
	const n = 320
	img := image.NewPaletted(image.Rect(0, 0, n, n), color.Palette{
		color.NRGBA{0, 0, 0, 0},
		color.NRGBA{0xd4, 0x1e, 0x24, 0xff},
	})
	c := float64(n-1) / 2
	outer, inner := c-2, c-14
	// a five-pointed star in the middle
	var star [10][2]float64
	for i := range star {
		r := c * 0.32
		if i%2 == 1 {
			r *= 0.382
		}
		a := -math.Pi/2 + float64(i)*math.Pi/5
		star[i] = [2]float64{c + r*math.Cos(a), c + r*math.Sin(a)}
	}
	for y := range n {
		for x := range n {
			dx, dy := float64(x)-c, float64(y)-c
			r := math.Hypot(dx, dy)
			if (r <= outer && r >= inner) || inPolygon(float64(x), float64(y), star[:]) ||
				(r <= inner-10 && r >= inner-13 && dy > c*0.45) { // a short arc under the star
				img.SetColorIndex(x, y, 1)
			}
		}
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
})

// SampleSeal returns a placeholder seal (a red ring and star) as a PNG, for
// samples and tests. Each call returns a fresh copy.
func SampleSeal() []byte { return bytes.Clone(sampleSeal()) }

func inPolygon(x, y float64, p [][2]float64) bool {
	in := false
	for i, j := 0, len(p)-1; i < len(p); j, i = i, i+1 {
		if (p[i][1] > y) != (p[j][1] > y) && x < (p[j][0]-p[i][0])*(y-p[i][1])/(p[j][1]-p[i][1])+p[i][0] {
			in = !in
		}
	}
	return in
}
