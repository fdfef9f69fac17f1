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
// submitted: at least MinOfficers certified officers of its authority.
func EnoughOfficers(os []Officer) error {
	n := 0
	for _, o := range os {
		if o.Certified && o.Serves {
			n++
		}
	}
	if n < MinOfficers {
		return ErrTooFewOfficers
	}
	return nil
}
