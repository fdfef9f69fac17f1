package main

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// The kinds of case the clients work through, each a real path of the
// procedure (docs/api.md):
//   - flowNoPenalty: a first offence, corrected: 不予行政处罚决定书, one approval.
//   - flowPenalty: a major case: 事先告知书 (issued, served), the party
//     waives, 行政处罚决定书 after legal review and the head's approval.
//   - flowOnTheSpot: a traffic fine of 100 yuan: 当场处罚决定书.
const (
	flowNoPenalty = "no_penalty"
	flowPenalty   = "penalty"
	flowOnTheSpot = "on_the_spot"
)

var flowKinds = []string{flowNoPenalty, flowPenalty, flowOnTheSpot}

// The catalogue items the flows use (seeded on every installation) and the
// domain an authority must cover for each.
const (
	itemMarket  = "JG-001" // 经营者不按规定明码标价: first-offence eligible, fine up to 5,000
	itemTraffic = "TR-002" // 违反规定停放: fine 20-200, simplified procedure
)

// flowItem is the catalogue item code of a flow.
func flowItem(kind string) string {
	if kind == flowOnTheSpot {
		return itemTraffic
	}
	return itemMarket
}

// china is the offices' time zone (no daylight saving).
var china = time.FixedZone("CST", 8*3600)

// idCheckChar is the check character of an 18-character resident identity
// number (GB 11643, ISO 7064 MOD 11-2) from its first 17 digits.
func idCheckChar(first17 string) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(first17[i]-'0') * weights[i]
	}
	return "10X98765432"[sum%11]
}

// idNumber makes a valid identity number of a person born 1960-1999 in
// Hangzhou's 西湖区 (330106): each case has a party of its own, so no
// history from another client's case changes the outcome.
func idNumber(rng *rand.Rand) string {
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(40*365))
	first := fmt.Sprintf("330106%s%03d", birth.Format("20060102"), rng.IntN(1000))
	return first + string(idCheckChar(first))
}

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")

// caseFacts are the facts of a new case of kind for the authority, dated
// around today (China date).
func caseFacts(kind string, authorityID uint, rng *rand.Rand, now time.Time) map[string]any {
	today := now.In(china)
	date := func(daysAgo int) string { return today.AddDate(0, 0, -daysAgo).Format("2006-01-02") }
	name := string(surnames[rng.IntN(len(surnames))]) + "某"
	party := map[string]any{"kind": "person", "name": name, "id_number": idNumber(rng),
		"address": fmt.Sprintf("杭州市西湖区文三路%d号", 1+rng.IntN(500)), "phone": fmt.Sprintf("138%08d", rng.IntN(1e8))}
	f := map[string]any{"authority_id": authorityID, "violation_code": flowItem(kind), "party": party}
	switch kind {
	case flowNoPenalty:
		f["violation_date"], f["discovered_date"] = date(10), date(7)
		f["facts"] = "经查，当事人在其经营场所销售商品未按规定明码标价，经责令改正，当事人当场改正。"
		f["evidence"] = []string{"现场检查笔录", "现场照片"}
		f["harm"], f["corrected"], f["conditions_met"] = "none", true, true
	case flowPenalty:
		f["violation_date"], f["discovered_date"] = date(20), date(15)
		f["facts"] = "经查，当事人在其经营场所销售商品未按规定明码标价，经责令改正后仍未改正。"
		f["evidence"] = []string{"现场检查笔录", "责令改正通知书", "询问笔录"}
		f["harm"], f["corrected"], f["major"] = "minor", false, true
		f["proposed_fine"] = 1000 + 100*rng.IntN(30)
	case flowOnTheSpot:
		f["violation_date"], f["discovered_date"] = date(1), date(1)
		f["facts"] = "当事人驾驶机动车在禁止停车路段违反规定停放，驾驶人不在现场，妨碍其他车辆通行。"
		f["evidence"] = []string{"现场照片", "违法停车告知单"}
		f["harm"], f["corrected"], f["proposed_fine"] = "none", true, 100
		f["vehicle_plate"] = fmt.Sprintf("浙A·%05d", rng.IntN(100000))
	}
	return f
}
