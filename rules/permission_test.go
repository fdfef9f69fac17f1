package rules

import (
	"fmt"
	"strings"
	"testing"

	"penaltydoc/errs"
)

// TestMayDocument is the permission rule as a table: every actor × action
// × document state, with the answer (allowed, forbidden for the person or
// role, conflict for the state).
func TestMayDocument(t *testing.T) {
	const (
		ok  = ""
		no  = errs.Forbidden
		bad = errs.Conflict
		inv = errs.Invalid
	)
	officer := Staff{ID: 1, Roles: []string{RoleOfficer}}
	reviewer := Staff{ID: 2, Roles: []string{RoleReviewer}}
	approver := Staff{ID: 3, Roles: []string{RoleApprover}}
	clerk := Staff{ID: 4, Roles: []string{RoleClerk}}
	// An admin who also holds the staff roles; a plain admin does no
	// case work (separation of duties).
	admin := Staff{ID: 5, Roles: []string{RoleAdmin, RoleOfficer, RoleReviewer, RoleApprover, RoleClerk}}
	plainAdmin := Staff{ID: 7, Roles: []string{RoleAdmin}}
	both := Staff{ID: 6, Roles: []string{RoleReviewer, RoleApprover}} // reviewed it, then tries to approve

	draft := DocState{Kind: KindAdvanceNotice, Status: DocDraft}
	single := DocState{Kind: KindOnTheSpotDecision, Status: DocReviewing}
	notice := DocState{Kind: KindAdvanceNotice, Status: DocReviewing}
	noPenalty := DocState{Kind: KindNoPenaltyDecision, Status: DocReviewing}
	major := DocState{Kind: KindPenaltyDecision, Status: DocReviewing, LegalReview: true, ReviewStage: 1, ReviewedBy: 6, Major: true}
	discussed := major
	discussed.Discussed = true
	majorNoPenalty := DocState{Kind: KindNoPenaltyDecision, Status: DocReviewing, LegalReview: true, ReviewStage: 1, ReviewedBy: 6, Major: true}
	legal := DocState{Kind: KindPenaltyDecision, Status: DocReviewing, LegalReview: true}
	head := DocState{Kind: KindPenaltyDecision, Status: DocReviewing, LegalReview: true, ReviewStage: 1, ReviewedBy: 6}
	approved := DocState{Kind: KindPenaltyDecision, Status: DocApproved, LegalReview: true, ReviewStage: 2}
	issued := DocState{Kind: KindPenaltyDecision, Status: DocIssued, Number: "杭市监处罚〔2026〕1号"}
	served := DocState{Kind: KindPenaltyDecision, Status: DocServed, ServedDate: "2026-11-02"}
	superseded := DocState{Kind: KindPenaltyDecision, Status: DocSuperseded}
	receipt := DocState{Kind: KindServiceReceipt, Status: DocIssued}

	type row struct {
		state DocState
		act   Action
		want  map[*Staff]string // actors not listed: want
		other string
	}
	rows := map[string]row{
		"submit draft":         {draft, ActSubmit, map[*Staff]string{&officer: ok, &admin: ok}, no},
		"submit reviewing":     {single, ActSubmit, map[*Staff]string{&officer: bad, &admin: bad}, no},
		"approve single stage": {single, ActApprove, map[*Staff]string{&reviewer: ok, &approver: ok, &admin: ok, &both: ok}, no},
		"approve notice":       {notice, ActApprove, map[*Staff]string{&approver: ok, &admin: ok, &both: ok}, no},
		"approve no penalty":   {noPenalty, ActApprove, map[*Staff]string{&approver: ok, &admin: ok, &both: ok}, no},
		"approve undiscussed":  {major, ActApprove, map[*Staff]string{&approver: bad, &admin: bad, &both: bad}, no},
		"approve discussed":    {discussed, ActApprove, map[*Staff]string{&approver: ok, &admin: ok}, no},
		"approve major no pen": {majorNoPenalty, ActApprove, map[*Staff]string{&approver: ok, &admin: ok}, no},
		"approve legal review": {legal, ActApprove, map[*Staff]string{&reviewer: ok, &admin: ok, &both: ok}, no},
		"approve as head":      {head, ActApprove, map[*Staff]string{&approver: ok, &admin: ok}, no},
		"approve draft":        {draft, ActApprove, map[*Staff]string{&reviewer: bad, &approver: bad, &admin: bad, &both: bad}, no},
		"approve approved":     {approved, ActApprove, map[*Staff]string{&reviewer: bad, &approver: bad, &admin: bad, &both: bad}, no},
		"return reviewing":     {legal, ActReturn, map[*Staff]string{&reviewer: ok, &approver: ok, &admin: ok, &both: ok}, no},
		"return approved":      {approved, ActReturn, map[*Staff]string{&reviewer: ok, &approver: ok, &admin: ok, &both: ok}, no},
		"return issued":        {issued, ActReturn, map[*Staff]string{&reviewer: bad, &approver: bad, &admin: bad, &both: bad}, no},
		"issue approved":       {approved, ActIssue, map[*Staff]string{&clerk: ok, &admin: ok}, no},
		"issue reviewing":      {legal, ActIssue, map[*Staff]string{&clerk: bad, &admin: bad}, no},
		"issue issued":         {issued, ActIssue, map[*Staff]string{&clerk: bad, &admin: bad}, no},
		"serve issued":         {issued, ActServe, map[*Staff]string{&clerk: ok, &admin: ok}, no},
		"serve served":         {served, ActServe, map[*Staff]string{&clerk: bad, &admin: bad}, no},
		"serve receipt":        {receipt, ActServe, map[*Staff]string{&clerk: bad, &admin: bad}, no},
		"serve draft":          {draft, ActServe, map[*Staff]string{&clerk: bad, &admin: bad}, no},
		"correct issued":       {issued, ActCorrect, map[*Staff]string{&officer: ok, &admin: ok}, no},
		"correct served":       {served, ActCorrect, map[*Staff]string{&officer: ok, &admin: ok}, no},
		"correct superseded":   {superseded, ActCorrect, map[*Staff]string{&officer: bad, &admin: bad}, no},
		"correct receipt":      {receipt, ActCorrect, map[*Staff]string{&officer: inv, &admin: inv}, no},
	}
	actors := map[*Staff]string{&officer: "officer", &reviewer: "reviewer", &approver: "approver", &clerk: "clerk", &admin: "admin", &both: "reviewer+approver", &plainAdmin: "plain admin"}
	for name, r := range rows {
		for who, label := range actors {
			want, listed := r.want[who]
			if !listed {
				want = r.other
			}
			t.Run(fmt.Sprintf("%s/%s", name, label), func(t *testing.T) {
				err := MayDocument(*who, r.act, r.state)
				got := ""
				if err != nil {
					got = errs.Code(err)
					if e, _ := err.(*errs.Error); e == nil || e.Message == "" || !strings.ContainsFunc(e.Message, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
						t.Errorf("refusal without a Chinese message: %v", err)
					}
				}
				if got != want {
					t.Errorf("MayDocument = %q (%v), want %q", got, err, want)
				}
			})
		}
	}
}

// TestMayCase: filing, editing, overriding, drafting and statements by role
// and case state.
func TestMayCase(t *testing.T) {
	officer := Staff{ID: 1, Roles: []string{RoleOfficer}}
	clerk := Staff{ID: 4, Roles: []string{RoleClerk}}
	head := Staff{ID: 3, Roles: []string{RoleApprover}}
	penalty := Evaluation{Outcome: OutcomePenalty, DocumentKind: KindPenaltyDecision}
	firstOffense := Evaluation{Outcome: OutcomeNoPenalty, Ground: GroundFirstOffense, DocumentKind: KindNoPenaltyDecision}
	overridden := firstOffense
	overridden.Override = &Override{Outcome: OutcomePenalty, Reason: "当事人拒不配合调查，社会影响较大"}
	mandatory := Evaluation{Outcome: OutcomeNoPenalty, Ground: GroundMinorCorrected, Mandatory: true, DocumentKind: KindNoPenaltyDecision}
	for _, tc := range []struct {
		name string
		who  Staff
		act  Action
		c    CaseState
		want string
	}{
		{"officer files", officer, ActFile, CaseState{}, ""},
		{"clerk files", clerk, ActFile, CaseState{}, errs.Forbidden},
		{"edit draft", officer, ActEditCase, CaseState{Status: CaseDraft, Evaluation: penalty}, ""},
		{"edit open", officer, ActEditCase, CaseState{Status: CaseOpen, Evaluation: penalty}, errs.Conflict},
		{"clerk edits", clerk, ActEditCase, CaseState{Status: CaseDraft, Evaluation: penalty}, errs.Forbidden},
		{"override first offense", officer, ActOverride, CaseState{Status: CaseDraft, Evaluation: firstOffense}, ""},
		{"override twice", officer, ActOverride, CaseState{Status: CaseDraft, Evaluation: overridden}, errs.Conflict},
		{"override mandatory", officer, ActOverride, CaseState{Status: CaseDraft, Evaluation: mandatory}, errs.Conflict},
		{"override open case", officer, ActOverride, CaseState{Status: CaseOpen, Evaluation: firstOffense}, errs.Conflict},
		{"draft open", officer, ActDraft, CaseState{Status: CaseOpen, Evaluation: penalty}, ""},
		{"draft closed", officer, ActDraft, CaseState{Status: CaseClosed, Evaluation: penalty}, errs.Conflict},
		{"statement", officer, ActStatement, CaseState{Status: CaseOpen, Evaluation: penalty}, ""},
		{"statement closed", officer, ActStatement, CaseState{Status: CaseClosed, Evaluation: penalty}, errs.Conflict},
		{"statement no penalty", officer, ActStatement, CaseState{Status: CaseDraft, Evaluation: firstOffense}, errs.Conflict},
		{"clerk statement", clerk, ActStatement, CaseState{Status: CaseOpen, Evaluation: penalty}, errs.Forbidden},
		// A filed case is withdrawn (撤案) by the head, not the officer alone.
		{"officer withdraws a case", officer, ActWithdraw, CaseState{Status: CaseDraft, Evaluation: penalty}, errs.Forbidden},
		{"head withdraws a case", head, ActWithdraw, CaseState{Status: CaseDraft, Evaluation: penalty}, ""},
		{"head withdraws a submitted case", head, ActWithdraw, CaseState{Status: CaseOpen, Evaluation: penalty}, errs.Conflict},
		{"head withdraws twice", head, ActWithdraw, CaseState{Status: CaseWithdrawn, Evaluation: penalty}, errs.Conflict},
		{"clerk withdraws a case", clerk, ActWithdraw, CaseState{Status: CaseDraft, Evaluation: penalty}, errs.Forbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if err := MayCase(tc.who, tc.act, tc.c); err != nil {
				got = errs.Code(err)
			}
			if got != tc.want {
				t.Errorf("MayCase = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestStages: which approval a document under review waits for.
func TestStages(t *testing.T) {
	for _, tc := range []struct {
		d    DocState
		want string
	}{
		{DocState{Kind: KindAdvanceNotice, LegalReview: true}, StageHead}, // notices: the head, without legal review
		{DocState{Kind: KindAdvanceNotice}, StageHead},
		{DocState{Kind: KindPenaltyDecision}, StageHead},
		{DocState{Kind: KindNoPenaltyDecision}, StageHead}, // the head decides not to penalise too
		{DocState{Kind: KindPenaltyDecision, LegalReview: true}, StageLegalReview},
		{DocState{Kind: KindNoPenaltyDecision, LegalReview: true}, StageLegalReview},
		{DocState{Kind: KindNoPenaltyDecision, LegalReview: true, ReviewStage: 1}, StageHead},
		{DocState{Kind: KindOnTheSpotDecision}, StageSingle},
		{DocState{Kind: KindOnTheSpotDecision, LegalReview: true}, StageSingle},
	} {
		if got := tc.d.Stage(); got != tc.want {
			t.Errorf("%+v: stage %s, want %s", tc.d, got, tc.want)
		}
	}
}

// TestSeparationOfDuties: the drafter, the legal reviewer and the approver
// are three people whatever roles they hold, and the drafter does not
// issue; an admin too, but for the emergency setting.
func TestSeparationOfDuties(t *testing.T) {
	all := []string{RoleOfficer, RoleReviewer, RoleApprover, RoleClerk}
	drafter := Staff{ID: 7, Roles: all}
	other := Staff{ID: 8, Roles: all}
	admin := Staff{ID: 9, Roles: []string{RoleAdmin, RoleApprover}} // an admin who is a head too
	plainAdmin := Staff{ID: 10, Roles: []string{RoleAdmin}}
	emergency := Staff{ID: 9, Roles: []string{RoleAdmin}, Emergency: true}
	notAdmin := Staff{ID: 7, Roles: all, Emergency: true} // the setting is for admins only
	single := DocState{Kind: KindAdvanceNotice, Status: DocReviewing, CreatedBy: 7}
	legal := DocState{Kind: KindPenaltyDecision, Status: DocReviewing, LegalReview: true, CreatedBy: 8}
	head := DocState{Kind: KindPenaltyDecision, Status: DocReviewing, LegalReview: true, ReviewStage: 1, CreatedBy: 8, ReviewedBy: 7}
	approved := DocState{Kind: KindAdvanceNotice, Status: DocApproved, CreatedBy: 7}
	adminsOwn := DocState{Kind: KindAdvanceNotice, Status: DocReviewing, CreatedBy: 9}
	adminReviewed := DocState{Kind: KindPenaltyDecision, Status: DocReviewing, LegalReview: true, ReviewStage: 1, CreatedBy: 8, ReviewedBy: 9}
	for _, tc := range []struct {
		name      string
		who       Staff
		act       Action
		d         DocState
		want      string
		separated bool
	}{
		{"drafter approves own", drafter, ActApprove, single, errs.Forbidden, false},
		{"another approves", other, ActApprove, single, "", true},
		{"reviewer approves as head", drafter, ActApprove, head, errs.Forbidden, false},
		{"a third person approves as head", other, ActApprove, head, errs.Forbidden, false}, // other drafted it
		{"admin, third person, as head", admin, ActApprove, head, "", true},
		{"a plain admin approves", plainAdmin, ActApprove, head, errs.Forbidden, false},
		{"a plain admin issues", plainAdmin, ActIssue, approved, errs.Forbidden, false},
		{"emergency: a plain admin approves as head", Staff{ID: 10, Roles: []string{RoleAdmin}, Emergency: true}, ActApprove, head, "", true},
		{"drafter issues own", drafter, ActIssue, approved, errs.Forbidden, false},
		{"another issues", other, ActIssue, approved, "", true},
		{"admin approves own", admin, ActApprove, adminsOwn, errs.Forbidden, false},
		{"admin reviewed, approves", admin, ActApprove, adminReviewed, errs.Forbidden, false},
		{"emergency: admin approves own", emergency, ActApprove, adminsOwn, "", false},
		{"emergency: admin reviewed, approves", emergency, ActApprove, adminReviewed, "", false},
		{"the setting is for admins", notAdmin, ActApprove, single, errs.Forbidden, false},
		{"drafter legal review of another's", drafter, ActApprove, legal, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if err := MayDocument(tc.who, tc.act, tc.d); err != nil {
				got = errs.Code(err)
			}
			if got != tc.want {
				t.Errorf("MayDocument = %q, want %q", got, tc.want)
			}
			if got == "" && Separated(tc.who, tc.act, tc.d) != tc.separated {
				t.Errorf("Separated = %v", !tc.separated)
			}
		})
	}
}
