package rules

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"penaltydoc/rules/limits"
)

// The penalties a decision imposes, itemised, and the fine range an item's
// statute gives for the facts.

var imposeNames = map[string]string{
	ImposeWarning:            "警告",
	ImposeFine:               "罚款",
	ImposeConfiscateGains:    "没收违法所得",
	ImposeConfiscateProperty: "没收非法财物",
	ImposeSuspendLicence:     "暂扣许可证件",
	ImposeRevokeLicence:      "吊销许可证件",
	ImposeSuspendBusiness:    "责令停产停业",
	ImposeDetention:          "行政拘留",
}

// PenaltyName is the name of an imposed penalty type: 没收违法所得.
func PenaltyName(t string) string { return nameOf(imposeNames, t) }

// proposable maps the penalties an officer may propose beyond the fine to
// the item penalty type that allows them.
var proposable = map[string]string{
	ImposeSuspendLicence:  PenaltySuspension,
	ImposeSuspendBusiness: PenaltySuspension,
	ImposeRevokeLicence:   PenaltyRevocation,
	ImposeDetention:       PenaltyDetention,
}

// ProposableOrder is the order forms offer them.
var ProposableOrder = []string{ImposeSuspendLicence, ImposeSuspendBusiness, ImposeRevokeLicence, ImposeDetention}

// DefaultDetentionMaxDays is a single act's ceiling where the item sets
// none (治安管理处罚法: 15 days).
const DefaultDetentionMaxDays = 15

// artGains is APL Art. 28 ¶2: illegal gains shall be confiscated.
var artGains = Article(LawAPL, 28, 2, 0)

// hasType reports whether the item carries penalty type t.
func hasType(it *Item, t string) bool { return slices.Contains(it.PenaltyTypes, t) }

// fineRange is the statutory fine range for the facts: the item's, or,
// where the fine depends on the goods' value, the branch the value falls
// in. valueText words the value and the branch for the letter ("" for a
// fixed range).
func fineRange(it *Item, f *Facts) (min, max float64, valueText string) {
	vf := it.ValueFine
	if vf == nil {
		return it.FineMin, it.FineMax, ""
	}
	v := f.GoodsValue
	valueText = fmt.Sprintf("涉案货值金额为%s", yuanWords(v))
	switch {
	case vf.Threshold > 0 && v < vf.Threshold:
		min, max = vf.BelowMin, vf.BelowMax
		valueText += fmt.Sprintf("，不足%s", yuanWords(vf.Threshold))
	case vf.Floor > 0 && vf.TimesMax*v < vf.Floor:
		min, max = vf.Floor, vf.Floor
		valueText += fmt.Sprintf("，货值金额的%s倍不足%s", ChineseNumeral(int(vf.TimesMax)), yuanWords(vf.Floor))
	default:
		min, max = round2(vf.TimesMin*v), round2(vf.TimesMax*v)
		if vf.Threshold > 0 {
			valueText += fmt.Sprintf("，在%s以上", yuanWords(vf.Threshold))
		}
	}
	return min, max, valueText
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// yuanWords writes an amount as a statute or a decision does: 五万元,
// 一千五百元, 860.6元.
func yuanWords(x float64) string {
	if x == math.Trunc(x) && x >= 0 && x < 1e12 {
		return ChineseNumeral(int(x)) + "元"
	}
	return strconv.FormatFloat(x, 'f', 2, 64) + "元"
}

// FineRange is the statutory fine range for the facts (the branch of the
// goods' value where the item's fine depends on it), before any lighter
// penalty.
func FineRange(it Item, f Facts) (min, max float64) {
	min, max, _ = fineRange(&it, &f)
	return min, max
}

// Reduced reports whether a fine lies below the statutory minimum for the
// facts (减轻处罚, APL Art. 32) rather than within the range (从轻).
func Reduced(it Item, f Facts, fine float64) bool {
	min, _ := FineRange(it, f)
	return fine > 0 && fine < min
}

// rangeWords words a fine range: 五万元以上十万元以下罚款, 五千元以下罚款.
func rangeWords(min, max float64) string {
	switch {
	case min == max:
		return yuanWords(min) + "罚款"
	case min <= 0:
		return yuanWords(max) + "以下罚款"
	default:
		return yuanWords(min) + "以上" + yuanWords(max) + "以下罚款"
	}
}

// confiscations are the confiscations every outcome carries: illegal gains
// whenever there are any (APL Art. 28 ¶2), and the illegal property listed
// where the item's law provides confiscation.
func (e *evaluation) confiscations() []Penalty {
	f, it := &e.f, &e.item
	var out []Penalty
	if f.IllegalGains > 0 {
		basis := artGains
		if hasType(it, PenaltyConfiscation) {
			basis = it.PenaltyProvision
		}
		out = append(out, Penalty{Type: ImposeConfiscateGains, Amount: f.IllegalGains, Basis: basis})
	}
	if len(f.IllegalProperty) > 0 && hasType(it, PenaltyConfiscation) {
		out = append(out, Penalty{Type: ImposeConfiscateProperty, Object: propertyText(f.IllegalProperty), Basis: it.PenaltyProvision})
	}
	return out
}

// propertyText lists property for a decision: 超过保质期的纯牛奶48盒、全麦面包15袋.
func propertyText(ps []Property) string {
	parts := make([]string, 0, len(ps))
	for _, p := range ps {
		parts = append(parts, strings.TrimSpace(p.Name)+strings.TrimSpace(p.Quantity))
	}
	return strings.Join(parts, "、")
}

// penaltiesFor lists the penalties of a penalty outcome that fines rec:
// the fine (or a warning where the item provides one and no fine is
// imposed), the confiscations, and what the officer proposed beyond them.
func (e *evaluation) penaltiesFor(rec float64) []Penalty {
	f, it := &e.f, &e.item
	var out []Penalty
	if rec > 0 {
		out = append(out, Penalty{Type: ImposeFine, Amount: rec, Basis: it.PenaltyProvision})
	}
	extra := e.proposed()
	if rec == 0 && hasType(it, PenaltyWarning) && len(extra) == 0 {
		out = append([]Penalty{{Type: ImposeWarning, Basis: it.PenaltyProvision}}, out...)
	}
	out = append(out, e.confiscations()...)
	for _, t := range extra {
		p := Penalty{Type: t, Basis: it.PenaltyProvision}
		switch t {
		case ImposeSuspendLicence, ImposeRevokeLicence:
			p.Object = strings.TrimSpace(f.Licence)
		case ImposeDetention:
			p.Days = f.DetentionDays
		}
		out = append(out, p)
	}
	return out
}

// proposed is the officer's proposals beyond the fine, in the order
// decisions list them (detention implied by detention_days).
func (e *evaluation) proposed() []string {
	f := &e.f
	var out []string
	for _, t := range ProposableOrder {
		if slices.Contains(f.ProposedPenalties, t) || (t == ImposeDetention && f.DetentionDays > 0) {
			out = append(out, t)
		}
	}
	return out
}

// onlyFineOrWarning reports whether the penalties are a warning or a fine
// alone (the simplified procedure's, APL Art. 51).
func onlyFineOrWarning(ps []Penalty) bool {
	for _, p := range ps {
		if p.Type != ImposeFine && p.Type != ImposeWarning {
			return false
		}
	}
	return true
}

// Total is what the party pays: the fine and the confiscated gains.
func Total(ps []Penalty) float64 {
	var t float64
	for _, p := range ps {
		if p.Type == ImposeFine || p.Type == ImposeConfiscateGains {
			t += p.Amount
		}
	}
	return round2(t)
}

// FineOf is the fine among the penalties (0: none).
func FineOf(ps []Penalty) float64 {
	for _, p := range ps {
		if p.Type == ImposeFine {
			return p.Amount
		}
	}
	return 0
}

// GainsOf is the confiscated illegal gains among the penalties (0: none).
func GainsOf(ps []Penalty) float64 {
	for _, p := range ps {
		if p.Type == ImposeConfiscateGains {
			return p.Amount
		}
	}
	return 0
}

// validatePenalties checks what the officer proposed beyond the fine and
// the figures the item's fine depends on.
func (v *validation) penalties(f *Facts, item *Item) {
	fe := v.fe
	seen := map[string]bool{}
	for i, t := range f.ProposedPenalties {
		key := fmt.Sprintf("proposed_penalties[%d]", i)
		need, ok := proposable[t]
		switch {
		case !ok:
			fe.Add(key, "可以提出的处罚种类只能是 suspend_licence（暂扣许可证件）、suspend_business（责令停产停业）、revoke_licence（吊销许可证件）、detention（行政拘留）")
		case seen[t]:
			fe.Add(key, "处罚种类重复")
		case item != nil && !hasType(item, need):
			fe.Add(key, "本事项的处罚种类不包括"+PenaltyName(t))
		}
		seen[t] = true
	}
	if (seen[ImposeSuspendLicence] || seen[ImposeRevokeLicence]) && strings.TrimSpace(f.Licence) == "" {
		fe.Add("licence", "请填写暂扣或者吊销的许可证件名称及编号")
	}
	if seen[ImposeSuspendLicence] && seen[ImposeRevokeLicence] {
		fe.Add("proposed_penalties", "同一许可证件不能既暂扣又吊销")
	}
	if f.DetentionDays < 0 {
		fe.Add("detention_days", "拘留天数不得为负数")
	}
	if seen[ImposeDetention] || f.DetentionDays > 0 {
		max := DefaultDetentionMaxDays
		if item != nil && item.DetentionMaxDays > 0 {
			max = item.DetentionMaxDays
		}
		switch {
		case item != nil && !hasType(item, PenaltyDetention):
			fe.Add("detention_days", "本事项的处罚种类不包括行政拘留")
		case f.Party.Kind == PartyOrganization:
			fe.Add("detention_days", "行政拘留只适用于自然人")
		case f.DetentionDays < 1:
			fe.Add("detention_days", "请填写拘留天数")
		case f.DetentionDays > max:
			fe.Add("detention_days", fmt.Sprintf("本事项的拘留不得超过%d日", max))
		}
	}
	for i, p := range f.IllegalProperty {
		if strings.TrimSpace(p.Name) == "" {
			fe.Add(fmt.Sprintf("illegal_property[%d].name", i), "请填写非法财物的名称")
		}
	}
	if item != nil && item.ValueFine != nil {
		if f.GoodsValue <= 0 {
			fe.Add("goods_value", "本事项的罚款数额依货值金额确定，请填写涉案货值金额")
		}
	}
	okValue := limits.CheckMoney(fe, "goods_value", "货值金额", f.GoodsValue)
	if vf := itemValueFine(item); vf != nil && okValue && vf.TimesMax*f.GoodsValue > MaxMoney {
		fe.Add("goods_value", fmt.Sprintf("按货值金额的%s倍计算的罚款超出系统允许的金额（最高%s）",
			strconv.FormatFloat(vf.TimesMax, 'f', -1, 64), yuan(MaxMoney)))
	}
}

func itemValueFine(it *Item) *ValueFine {
	if it == nil {
		return nil
	}
	return it.ValueFine
}
