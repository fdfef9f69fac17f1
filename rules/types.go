// Package rules is the criteria engine: it knows the PRC Administrative
// Penalty Law and nothing of HTTP, SQL or the clock. Its value types (case
// facts, catalogue items, evaluations) are the law's vocabulary; other
// packages store and print them.
package rules

// Party kinds.
const (
	PartyPerson       = "person"
	PartyOrganization = "organization"
)

// Harm levels.
const (
	HarmNone    = "none"
	HarmMinor   = "minor"
	HarmSerious = "serious"
)

// Mental capacity values.
const (
	CapacityFull    = "full"
	CapacityLimited = "limited"
	CapacityNone    = "none"
)

// Outcomes.
const (
	OutcomePenalty   = "penalty"
	OutcomeNoPenalty = "no_penalty"
	OutcomeWarning   = "warning"
)

// Grounds, in the order Evaluate tries them (shared/LEGAL.md).
const (
	GroundLimitation            = "limitation"
	GroundUnderAge              = "under_age"
	GroundMentalIncapacity      = "mental_incapacity"
	GroundNoFault               = "no_fault"
	GroundMinorCorrected        = "minor_corrected"
	GroundFirstOffense          = "first_offense"
	GroundFirstViolationWarning = "first_violation_warning"
	GroundNone                  = "none"
)

// Document kinds.
const (
	KindPenaltyDecision   = "penalty_decision"
	KindNoPenaltyDecision = "no_penalty_decision"
	KindOnTheSpotDecision = "on_the_spot_decision"
	KindAdvanceNotice     = "advance_notice"
	KindServiceReceipt    = "service_receipt"
)

// Mitigating grounds of APL Art. 32.
const (
	MitigatingEliminatedHarm     = "eliminated_harm"
	MitigatingCoercedOrDeceived  = "coerced_or_deceived"
	MitigatingConfessedUnknown   = "confessed_unknown"
	MitigatingMeritoriousService = "meritorious_service"
)

// Catalogue domains.
const (
	DomainPublicSecurity   = "public_security"
	DomainMarketRegulation = "market_regulation"
	DomainTraffic          = "traffic"
	DomainOther            = "other"
)

// Penalty types a catalogue item may carry.
const (
	PenaltyWarning      = "warning"
	PenaltyFine         = "fine"
	PenaltyConfiscation = "confiscation"
	PenaltySuspension   = "suspension"
	PenaltyRevocation   = "revocation"
	PenaltyDetention    = "detention"
)

// PenaltyTypeOrder lists the penalty types an item may carry, in the
// order forms show them.
var PenaltyTypeOrder = []string{PenaltyWarning, PenaltyFine, PenaltyConfiscation, PenaltySuspension, PenaltyRevocation, PenaltyDetention}

// Penalties a decision imposes (Penalty.Type), finer than the item's types:
// confiscation is of gains or of property; suspension is of a licence or
// of the business.
const (
	ImposeWarning            = "warning"
	ImposeFine               = "fine"
	ImposeConfiscateGains    = "confiscate_gains"
	ImposeConfiscateProperty = "confiscate_property"
	ImposeSuspendLicence     = "suspend_licence"
	ImposeRevokeLicence      = "revoke_licence"
	ImposeSuspendBusiness    = "suspend_business"
	ImposeDetention          = "detention"
)

// Party is the person or organisation a case is against.
type Party struct {
	Kind                string `json:"kind"`
	Name                string `json:"name"`
	IDNumber            string `json:"id_number,omitempty"`
	CreditCode          string `json:"credit_code,omitempty"`
	BirthDate           string `json:"birth_date,omitempty"`
	Sex                 string `json:"sex,omitempty"` // "男" or "女", derived from the id number
	Address             string `json:"address,omitempty"`
	LegalRepresentative string `json:"legal_representative,omitempty"`
	Phone               string `json:"phone,omitempty"`
	// Guardian names a person's guardian and relation (监护人, e.g.
	// "林某（父亲）"), for minors and persons lacking capacity.
	Guardian string `json:"guardian,omitempty"`
}

// PriorViolation is an earlier violation by the same party (or, for a
// traffic violation, of the same vehicle).
type PriorViolation struct {
	ViolationCode string `json:"violation_code"`
	Date          string `json:"date"`
	Handled       bool   `json:"handled"`
	// Domain is the item's domain (traffic, market_regulation …): only
	// traffic violations count for a first-violation warning. Filled from
	// the catalogue; "" when the code is unknown (then it counts).
	Domain string `json:"domain,omitempty"`
	// Source says where the record came from: "request", "document:<id>"
	// (a decision of the officer's own authorities) or "other_authority"
	// (another authority's decision: its number, date and item only).
	Source string `json:"source,omitempty"`
	// Number and Authority are the decision's number (文号) and the name of
	// the authority that issued it, for records from the database.
	Number    string `json:"number,omitempty"`
	Authority string `json:"authority,omitempty"`
	// Via is "vehicle" for a record found through the vehicle's plate
	// rather than the party.
	Via string `json:"via,omitempty"`
}

// Property is illegal property to confiscate (非法财物): what, and how much.
type Property struct {
	Name     string `json:"name"`
	Quantity string `json:"quantity,omitempty"`
}

// Facts are a case's facts as the officer enters them (shared/API.md).
type Facts struct {
	AuthorityID      uint             `json:"authority_id,omitempty"`
	ViolationCode    string           `json:"violation_code"`
	Party            Party            `json:"party"`
	ViolationDate    string           `json:"violation_date"`
	ViolationEndDate string           `json:"violation_end_date,omitempty"`
	DiscoveredDate   string           `json:"discovered_date"`
	DecisionDate     string           `json:"decision_date,omitempty"`
	Facts            string           `json:"facts"`
	Evidence         []string         `json:"evidence"`
	Minor            bool             `json:"minor"`
	Major            bool             `json:"major"`
	Harm             string           `json:"harm"`
	Corrected        bool             `json:"corrected"`
	NoFaultProven    bool             `json:"no_fault_proven"`
	MentalCapacity   string           `json:"mental_capacity"`
	Mitigating       []string         `json:"mitigating"`
	Aggravating      []string         `json:"aggravating"`
	PriorViolations  []PriorViolation `json:"prior_violations"`
	AffectedTraffic  bool             `json:"affected_traffic"`
	ProposedFine     float64          `json:"proposed_fine"`
	IllegalGains     float64          `json:"illegal_gains"`
	// GoodsValue is the value of the goods involved (货值金额), for items
	// whose fine depends on it (Item.ValueFine).
	GoodsValue float64 `json:"goods_value,omitempty"`
	// IllegalProperty is what is confiscated where the item's law provides
	// it (the goods, the tools).
	IllegalProperty []Property `json:"illegal_property,omitempty"`
	// VehiclePlate is the vehicle's plate (号牌号码) in a traffic case: its
	// record counts with the driver's for a first-violation warning.
	VehiclePlate string `json:"vehicle_plate,omitempty"`
	// ProposedPenalties are the penalties beyond the fine the officer
	// proposes among the item's: suspend_licence, revoke_licence,
	// suspend_business, detention.
	ProposedPenalties []string `json:"proposed_penalties,omitempty"`
	// Licence names the licence suspended or revoked, with its number.
	Licence string `json:"licence,omitempty"`
	// DetentionDays is the detention proposed (public security).
	DetentionDays int `json:"detention_days,omitempty"`
	// ConditionsMet is the officer's finding that the facts meet the
	// listed item's conditions (适用条件); a letter quotes them only then.
	ConditionsMet bool `json:"conditions_met,omitempty"`
}

// Item is one entry of the office's catalogue.
type Item struct {
	Code                       string   `json:"code"`
	Name                       string   `json:"name"`
	Domain                     string   `json:"domain"`
	ViolatedProvision          string   `json:"violated_provision"`
	PenaltyProvision           string   `json:"penalty_provision"`
	PenaltyTypes               []string `json:"penalty_types"`
	FineMin                    float64  `json:"fine_min"`
	FineMax                    float64  `json:"fine_max"`
	FirstOffenseEligible       bool     `json:"first_offense_eligible"`
	FirstOffenseLookbackMonths int      `json:"first_offense_lookback_months"`
	WarningEligible            bool     `json:"warning_eligible"`
	WarningLookbackMonths      int      `json:"warning_lookback_months"`
	LimitationMonths           int      `json:"limitation_months"`
	SafetyRelated              bool     `json:"safety_related"`
	NoFaultExcluded            bool     `json:"no_fault_excluded"`
	Conditions                 string   `json:"conditions"`
	// ValueFine, when set, makes the fine depend on the goods' value
	// (Facts.GoodsValue); FineBasis words the rule as the statute does.
	ValueFine *ValueFine `json:"value_fine,omitempty"`
	FineBasis string     `json:"fine_basis,omitempty"`
	// HearingFinePerson and HearingFineOrg are the item's own hearing
	// thresholds (a special law's, e.g. 治安管理处罚法 Art. 117: 4,000);
	// when set they win over the authority's.
	HearingFinePerson float64 `json:"hearing_fine_person,omitempty"`
	HearingFineOrg    float64 `json:"hearing_fine_org,omitempty"`
	// DetentionMaxDays bounds the detention the item allows.
	DetentionMaxDays int `json:"detention_max_days,omitempty"`
	// ValidFrom and ValidUntil bound the acts the item's provisions govern
	// (the version of the law it cites); empty: no bound.
	ValidFrom  string `json:"valid_from,omitempty"`
	ValidUntil string `json:"valid_until,omitempty"`
}

// ValueFine is a fine that depends on the goods' value V: below Threshold
// the range is BelowMin–BelowMax; from it, TimesMin×V–TimesMax×V; and where
// Floor is set and TimesMax×V stays under it, the fine is Floor (易制毒化学品
// 管理条例 Art. 38: 货值的20倍不足1万元的，按1万元罚款).
type ValueFine struct {
	Threshold float64 `json:"threshold,omitempty"`
	BelowMin  float64 `json:"below_min,omitempty"`
	BelowMax  float64 `json:"below_max,omitempty"`
	TimesMin  float64 `json:"times_min"`
	TimesMax  float64 `json:"times_max"`
	Floor     float64 `json:"floor,omitempty"`
}

// AuthoritySettings are the authority's figures the criteria depend on.
type AuthoritySettings struct {
	HearingFinePerson float64 `json:"hearing_fine_person"`
	HearingFineOrg    float64 `json:"hearing_fine_org"`
}

// Penalty is one penalty a decision imposes, as it prints it.
type Penalty struct {
	// Type is warning, fine, confiscate_gains, confiscate_property,
	// suspend_licence, revoke_licence, suspend_business or detention.
	Type string `json:"type"`
	// Amount is the yuan of a fine or of confiscated gains.
	Amount float64 `json:"amount,omitempty"`
	// Object is what is confiscated, suspended or revoked.
	Object string `json:"object,omitempty"`
	// Days is a detention's length.
	Days int `json:"days,omitempty"`
	// Basis is the provision the penalty rests on.
	Basis string `json:"basis"`
}

// Fine is the lawful range and the recommended amount, in yuan.
type Fine struct {
	Min         float64 `json:"min"`
	Max         float64 `json:"max"`
	Recommended float64 `json:"recommended"`
}

// Override records an officer's written choice against a discretionary outcome.
type Override struct {
	Outcome string `json:"outcome"`
	Reason  string `json:"reason"`
}

// Evaluation is what the law requires for a case, and why (shared/API.md).
type Evaluation struct {
	Outcome             string           `json:"outcome"`
	Ground              string           `json:"ground"`
	Mandatory           bool             `json:"mandatory"`
	Lighter             bool             `json:"lighter"`
	DocumentKind        string           `json:"document_kind"`
	Articles            []string         `json:"articles"`
	Reasons             []string         `json:"reasons"`
	Fine                Fine             `json:"fine"`
	HearingRequired     bool             `json:"hearing_required"`
	LegalReviewRequired bool             `json:"legal_review_required"`
	SimplifiedProcedure bool             `json:"simplified_procedure"`
	RuleSetVersion      string           `json:"rule_set_version"`
	HistoryUsed         []PriorViolation `json:"history_used"`
	Override            *Override        `json:"override,omitempty"`
	// Penalties are the penalties the decision imposes, itemised (a
	// no-penalty decision may still confiscate illegal gains).
	Penalties []Penalty `json:"penalties"`
	// Findings are the letter's sentences on discretion: the circumstances
	// that led to the outcome, as a decision states them (reasons are the
	// officer's explanation; findings are what the authority signs).
	Findings []string `json:"findings"`
	// Warnings are things the officer should check (a name that differs
	// from the one the id number is known by); they refuse nothing.
	Warnings []string `json:"warnings,omitempty"`
	// PenaltyAlternative is set on a discretionary no-penalty evaluation
	// (ground first_offense): what the evaluation becomes when the officer
	// overrides it to a penalty. ApplyOverride reads it, so an evaluation
	// stored as JSON can still be overridden later.
	PenaltyAlternative *PenaltyAlternative `json:"penalty_alternative,omitempty"`
}

// PenaltyAlternative is the penalty side of a discretionary evaluation.
type PenaltyAlternative struct {
	DocumentKind        string    `json:"document_kind"`
	Lighter             bool      `json:"lighter"`
	Articles            []string  `json:"articles"`
	Reasons             []string  `json:"reasons"`
	Fine                Fine      `json:"fine"`
	Penalties           []Penalty `json:"penalties"`
	Findings            []string  `json:"findings"`
	HearingRequired     bool      `json:"hearing_required"`
	LegalReviewRequired bool      `json:"legal_review_required"`
	SimplifiedProcedure bool      `json:"simplified_procedure"`
}
