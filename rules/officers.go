package rules

import "penaltydoc/errs"

// Enforcement officers (APL Art. 42, 55): a penalty is imposed by officers
// qualified for enforcement, at least two of them, who show their
// enforcement certificates.

// MinOfficers is how many certified officers a case names before it is
// submitted (APL Art. 42 ¶1).
const MinOfficers = 2

// OfficersArticle is the article the rule comes from.
var OfficersArticle = Article(LawAPL, 42, 1, 0)

// LawTrafficProcedure is the Ministry of Public Security's rules of the
// procedure for road traffic violations (公安部令第157号, amended 2020).
const LawTrafficProcedure = "《道路交通安全违法行为处理程序规定》"

// SingleOfficerArticles are where the law provides otherwise (APL Art. 42
// ¶1 "法律另有规定的除外") for the traffic police: a warning or a fine up to
// 200 yuan on the spot (道路交通安全法 Art. 107), which under the simple
// procedure one traffic police officer may decide (程序规定 Art. 43, 44).
var SingleOfficerArticles = []string{Article(LawTraffic, 107, 0, 0), Article(LawTrafficProcedure, 43, 0, 0), Article(LawTrafficProcedure, 44, 0, 0)}

// SingleOfficerFineMax is the largest fine (yuan) one traffic police
// officer decides on the spot (道路交通安全法 Art. 107: 二百元以下罚款).
const SingleOfficerFineMax = 200.0

// MinOfficersFor is how many certified officers a case of domain whose
// decision is of documentKind and imposes penalties names: one for a
// traffic decision on the spot that is a warning or a fine of at most
// SingleOfficerFineMax (SingleOfficerArticles), MinOfficers otherwise.
func MinOfficersFor(documentKind, domain string, penalties []Penalty) int {
	if documentKind == KindOnTheSpotDecision && domain == DomainTraffic && singleOfficerPenalties(penalties) {
		return 1
	}
	return MinOfficers
}

// singleOfficerPenalties: a warning, or a fine of at most
// SingleOfficerFineMax, nothing else.
func singleOfficerPenalties(ps []Penalty) bool {
	fine := 0.0
	for _, p := range ps {
		switch p.Type {
		case ImposeWarning:
		case ImposeFine:
			fine += p.Amount
		default:
			return false
		}
	}
	return len(ps) > 0 && fine <= SingleOfficerFineMax
}

// ErrNoOfficer refuses a traffic decision on the spot that names no
// certified officer.
var ErrNoOfficer = errs.E(errs.Conflict, "当场处罚决定须由持有执法证件的交通警察作出（%s）：请在案件中指定本机关持有执法证的执法人员",
	SingleOfficerArticles[0])

// Officer is what the rule knows of an officer a case names.
type Officer struct {
	// Certified: the user holds an enforcement certificate number.
	Certified bool
	// Serves: the user serves the case's authority and holds the officer
	// role, and the account is active.
	Serves bool
}

// ErrTooFewOfficers refuses to submit a case that names fewer than
// MinOfficers certified officers of its authority.
var ErrTooFewOfficers = errs.E(errs.Conflict, "执法人员不得少于两人，且须持有执法证件（%s）：请在案件中指定至少%d名本机关持有执法证的执法人员",
	OfficersArticle, MinOfficers)

// EnoughOfficers says whether the officers a case names let it be
// submitted: at least MinOfficersFor(documentKind, domain, penalties)
// certified officers of its authority.
func EnoughOfficers(os []Officer, documentKind, domain string, penalties []Penalty) error {
	n := 0
	for _, o := range os {
		if o.Certified && o.Serves {
			n++
		}
	}
	switch min := MinOfficersFor(documentKind, domain, penalties); {
	case n >= min:
		return nil
	case min == 1:
		return ErrNoOfficer
	default:
		return ErrTooFewOfficers
	}
}
