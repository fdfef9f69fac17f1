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

// PriorViolation is an earlier violation by the same party.
type PriorViolation struct {
	ViolationCode string `json:"violation_code"`
	Date          string `json:"date"`
	Handled       bool   `json:"handled"`
	// Source says where the record came from: "request" or "document:<id>".
	Source string `json:"source,omitempty"`
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
}

// AuthoritySettings are the authority's figures the criteria depend on.
type AuthoritySettings struct {
	HearingFinePerson float64 `json:"hearing_fine_person"`
	HearingFineOrg    float64 `json:"hearing_fine_org"`
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
	// PenaltyAlternative is set on a discretionary no-penalty evaluation
	// (ground first_offense): what the evaluation becomes when the officer
	// overrides it to a penalty. ApplyOverride reads it, so an evaluation
	// stored as JSON can still be overridden later.
	PenaltyAlternative *PenaltyAlternative `json:"penalty_alternative,omitempty"`
}

// PenaltyAlternative is the penalty side of a discretionary evaluation.
type PenaltyAlternative struct {
	DocumentKind        string   `json:"document_kind"`
	Lighter             bool     `json:"lighter"`
	Articles            []string `json:"articles"`
	Reasons             []string `json:"reasons"`
	Fine                Fine     `json:"fine"`
	HearingRequired     bool     `json:"hearing_required"`
	LegalReviewRequired bool     `json:"legal_review_required"`
	SimplifiedProcedure bool     `json:"simplified_procedure"`
}
