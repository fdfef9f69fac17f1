package rules

import "strings"

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
