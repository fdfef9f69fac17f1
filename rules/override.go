package rules

import (
	"strings"
	"unicode/utf8"

	"penaltydoc/errs"
	"penaltydoc/rules/limits"
)

// MinOverrideReasonRunes is the shortest written reason an override takes.
const MinOverrideReasonRunes = 10

// ApplyOverride applies an officer's written choice to penalise where the
// law only says "may not penalise" (ground first_offense, mandatory false).
// The outcome becomes "penalty"; document kind, fine and flags are those of
// ev.PenaltyAlternative; the ground stays first_offense (it held, the
// officer chose not to use it); the written reason joins the reasons and o
// is stored in Override. Anything else is an invalid error on "override…".
func ApplyOverride(ev Evaluation, o Override) (Evaluation, error) {
	fe := errs.Fields{}
	o.Outcome = strings.TrimSpace(o.Outcome)
	o.Reason = strings.TrimSpace(o.Reason)
	switch {
	case ev.Override != nil:
		fe.Add("override", "本案已经改变过处理结果，不得重复改变")
	case ev.Mandatory:
		fe.Add("override", "本案属于依法应当不予行政处罚的情形，不得改为给予行政处罚")
	case ev.Ground != GroundFirstOffense || ev.Outcome != OutcomeNoPenalty || ev.PenaltyAlternative == nil:
		fe.Add("override", "只有首次违法可以不予行政处罚的案件，才能改为给予行政处罚")
	}
	if o.Outcome != OutcomePenalty {
		fe.Add("override.outcome", "只能改为给予行政处罚（penalty）")
	}
	if utf8.RuneCountInString(o.Reason) < MinOverrideReasonRunes {
		fe.Add("override.reason", "请写明给予行政处罚的理由（不少于10个字）")
	}
	limits.OverrideReason.Check(fe, "", o.Reason)
	if err := fe.Err(); err != nil {
		return ev, err
	}
	p := ev.PenaltyAlternative
	out := ev
	out.Outcome = OutcomePenalty
	out.Mandatory = false
	out.Lighter = p.Lighter
	out.DocumentKind = p.DocumentKind
	out.Articles = append([]string{}, p.Articles...)
	out.Fine = p.Fine
	out.Penalties = append([]Penalty{}, p.Penalties...)
	out.HearingRequired = p.HearingRequired
	out.LegalReviewRequired = p.LegalReviewRequired
	out.SimplifiedProcedure = p.SimplifiedProcedure
	reason := o.Reason
	if !strings.ContainsAny(reason[len(reason)-utf8RuneLenLast(reason):], "。！？.!?") {
		reason += "。"
	}
	reasons := append([]string{}, ev.Reasons...)
	reasons = append(reasons, "承办人决定不适用首次违法可以不予行政处罚的规定，依法给予行政处罚，理由是："+reason)
	out.Reasons = append(reasons, p.Reasons...)
	// The letter: the discretion the law gave, and the authority's reason
	// for not using it.
	why := strings.TrimRight(reason, "。！？.!?")
	out.Findings = append([]string{
		"当事人的违法行为属于初次违法且危害后果轻微并及时改正的情形，依照" + artMinor + "的规定，可以不予行政处罚。本局认为，" + why + "，依法应当给予行政处罚。",
	}, p.Findings...)
	out.Override = &o
	out.PenaltyAlternative = nil
	return out, nil
}

func utf8RuneLenLast(s string) int {
	_, n := utf8.DecodeLastRuneInString(s)
	return n
}
