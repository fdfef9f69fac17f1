package render

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"sync"
	"time"

	"penaltydoc/rules"
)

//go:embed sampledata/samples.json
var samplesJSON []byte

// samples are the sample documents by "kind/party kind", decoded once.
var samples = sync.OnceValue(func() map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(samplesJSON, &m); err != nil {
		panic(fmt.Sprintf("render: sampledata/samples.json: %v", err)) // embedded at build time
	}
	return m
})

// sampleThresholds are the sample authority's hearing thresholds (market
// regulation: 10,000 yuan for a person, 100,000 for an organisation).
var sampleThresholds = rules.AuthoritySettings{HearingFinePerson: 10000, HearingFineOrg: 100000}

// SampleData returns realistic data for a kind (rules.Kind*) and a party
// kind (rules.PartyPerson or rules.PartyOrganization): for test renders of
// a template being saved, previews, golden files and benchmarks. The
// decision kinds fill about two pages. The document is issued (number, QR
// code, seal); set Draft for a draft. The cases are data
// (sampledata/samples.json), each call a fresh copy.
func SampleData(kind, partyKind string) Data {
	if partyKind != rules.PartyOrganization {
		partyKind = rules.PartyPerson
	}
	raw, ok := samples()[kind+"/"+partyKind]
	if !ok { // another kind: the penalty decision's case
		raw = samples()[rules.KindPenaltyDecision+"/"+partyKind]
	}
	var d Data
	if err := json.Unmarshal(raw, &d); err != nil {
		panic(fmt.Sprintf("render: sample %s/%s: %v", kind, partyKind, err))
	}
	d.Kind = kind
	d.Authority.SealPNG = SampleSeal()
	// The evaluation is the engine's, as for a real case.
	ev, err := rules.Evaluate(d.Facts, d.Item, nil, sampleThresholds, d.Facts.DecisionDate)
	if err != nil {
		panic(fmt.Sprintf("render: sample %s/%s: %v", kind, partyKind, err))
	}
	_ = rules.Validate(&d.Facts, &d.Item, d.Facts.DecisionDate) // the normalised facts (sex, birth date)
	d.Evaluation = ev
	d.Fine, d.Confiscation = rules.FineOf(ev.Penalties), rules.GainsOf(ev.Penalties)
	d.Notice.Hearing = ev.HearingRequired
	d.Notice.Articles = rules.NoticeArticles(d.Item, ev.HearingRequired, d.Facts.DecisionDate)
	sampleExecution(&d)
	return d
}

// sampleExecution fills the hearing and the execution of the sample case:
// a hearing 8 working days after the issue date, a decision served 40 days
// before it with part of the fine paid.
func sampleExecution(d *Data) {
	cal := rules.Calendar{}
	hearing, _ := cal.AddWorkdays(d.IssueDate, 8)
	d.Hearing = Hearing{Requested: d.IssueDate, Date: hearing, Time: "09:30", Place: "本局三楼听证室", Host: "陈立新",
		Participants: "当事人及其委托代理人、本案调查人员", Summary: "调查人员陈述了违法事实、证据和拟作出的处罚；当事人进行了申辩和质证。",
		Result: "当事人的申辩意见不能成立，维持拟作出的处罚", Articles: rules.HearingArticles}
	switch d.Kind {
	case rules.KindHearingNotice:
		d.Number = "江南市监听告〔2026〕5号"
	case rules.KindReminder:
		d.Number = "江南市监催告〔2026〕9号"
	case rules.KindClosingReport: // internal: no number, code or QR code
		d.Number, d.VerifyURL, d.AccessCode, d.DownloadURL = "", "", "", ""
	}
	if d.Kind != rules.KindReminder && d.Kind != rules.KindClosingReport {
		return
	}
	t, err := time.Parse("2006-01-02", d.IssueDate)
	if err != nil {
		return
	}
	decided := t.AddDate(0, 0, -42).Format("2006-01-02")
	served := t.AddDate(0, 0, -40).Format("2006-01-02")
	fine := d.Fine
	if fine <= 0 {
		fine = 1000
	}
	dl := rules.ComputeDeadlines(cal, rules.KindPenaltyDecision, served, fine, 0)
	e := rules.Execution{Fine: fine, Deadlines: dl}
	if d.Kind == rules.KindReminder {
		e.Payments = []rules.Payment{{Date: served, Amount: math.Round(fine*0.4*100) / 100}}
	} else {
		e.Payments = []rules.Payment{{Date: served, Amount: fine}}
	}
	x := rules.ComputeExecution(cal, e, d.IssueDate)
	d.Execution = Execution{DecisionName: rules.KindName(rules.KindPenaltyDecision), DecisionNumber: "江南市监处罚〔2026〕97号",
		DecisionDate: decided, DecisionServed: served, Fine: fine, PaidFine: x.PaidFine, PaidLateFee: x.PaidLateFee,
		Outstanding: x.Outstanding, LateFee: x.LateFee, LateFeeDays: x.LateFeeDays, LateFeeOutstanding: x.LateFeeOutstanding,
		Total: x.Outstanding + x.LateFeeOutstanding, AsOf: d.IssueDate, PaymentDue: dl.PaymentDue, ReminderDays: rules.ReminderDays,
		Articles: rules.ReminderArticles, LateFeeArticle: rules.LateFeeArticle, State: rules.PaymentStateName(x.State)}
	if d.Kind == rules.KindClosingReport && rules.OtherPenalties(d.Evaluation.Penalties) {
		d.Execution.OtherExecuted = t.AddDate(0, 0, -35).Format("2006-01-02")
		d.Execution.OtherExecutedNote = "没收的违法所得已上缴国库，没收的过期食品已依法销毁"
	}
	for _, p := range e.Payments {
		d.Execution.Payments = append(d.Execution.Payments, ExecutionPayment{Date: p.Date, Amount: p.Amount, Receipt: "3301260000123456"})
	}
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
