package rules

import (
	"slices"
	"strings"

	"penaltydoc/errs"
)

// Corrections (更正): a correction decision states what it corrects, each
// changed item of the facts before and after, in the words of the letter,
// and why.

// Change is one corrected item: its name, what the corrected document
// said and what the correction says.
type Change struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// FactChanges lists the items of the facts a letter prints that differ
// between before and after, in the order a decision prints them.
func FactChanges(before, after Facts) []Change {
	var out []Change
	add := func(field, b, a string) {
		if b != a {
			out = append(out, Change{Field: field, Before: b, After: a})
		}
	}
	bp, ap := before.Party, after.Party
	add("当事人", bp.Name, ap.Name)
	add("公民身份号码", bp.IDNumber, ap.IDNumber)
	add("统一社会信用代码", bp.CreditCode, ap.CreditCode)
	add("住址（住所）", bp.Address, ap.Address)
	add("法定代表人（负责人）", bp.LegalRepresentative, ap.LegalRepresentative)
	add("联系电话", bp.Phone, ap.Phone)
	add("监护人", bp.Guardian, ap.Guardian)
	add("号牌号码", before.VehiclePlate, after.VehiclePlate)
	add("违法行为发生日期", before.ViolationDate, after.ViolationDate)
	add("违法事实", before.Facts, after.Facts)
	add("证据", strings.Join(before.Evidence, "；"), strings.Join(after.Evidence, "；"))
	add("违法所得", yuan(before.IllegalGains), yuan(after.IllegalGains))
	return out
}

// CorrectionArticle is why a correction cannot change the penalty: a
// penalty decision is made only after the party was told of it and heard
// (APL Art. 62, Art. 44, 45); a changed penalty needs a new advance notice.
var CorrectionArticle = Article(LawAPL, 62, 0, 0)

// CheckCorrection says whether a correction whose revision evaluates to
// after may correct a document issued on before: a correction (更正) fixes
// what the letter recorded wrongly (names, addresses, numbers, dates,
// wording of the facts) but not the outcome, the ground, the articles or
// the penalties (type and amount). Changing those is a new decision, after
// a new advance notice: the original is to be revoked (CorrectionArticle).
func CheckCorrection(before, after Evaluation) error {
	if what := correctionChanges(before, after); what != "" {
		return errs.E(errs.Conflict, "更正不能改变%s：更正只能更正文书记载的错误；处理结果、依据或者处罚内容需要改变的，应当撤销原决定，重新告知当事人后另行作出决定（%s）",
			what, CorrectionArticle)
	}
	return nil
}

// correctionChanges names what of the disposition differs, or "".
func correctionChanges(before, after Evaluation) string {
	switch {
	case before.Outcome != after.Outcome:
		return "处理结果（" + OutcomeName(before.Outcome) + "→" + OutcomeName(after.Outcome) + "）"
	case before.Ground != after.Ground:
		return "处理依据"
	case !slices.Equal(before.Articles, after.Articles):
		return "适用的法律条文"
	case !samePenalties(before.Penalties, after.Penalties):
		return "处罚内容（" + penaltyList(before.Penalties) + "→" + penaltyList(after.Penalties) + "）"
	}
	return ""
}

// samePenalties compares penalties by type, amount and days, in order.
func samePenalties(a, b []Penalty) bool {
	return slices.EqualFunc(a, b, func(x, y Penalty) bool {
		return x.Type == y.Type && x.Amount == y.Amount && x.Days == y.Days
	})
}

func penaltyList(ps []Penalty) string {
	if len(ps) == 0 {
		return "无"
	}
	var out []string
	for _, p := range ps {
		s := PenaltyName(p.Type)
		if p.Amount != 0 {
			s += yuan(p.Amount)
		}
		out = append(out, s)
	}
	return strings.Join(out, "、")
}
