package models

import (
	"time"

	"penaltydoc/rules"
)

// Roles, as rules names them.
const (
	RoleOfficer  = rules.RoleOfficer
	RoleReviewer = rules.RoleReviewer
	RoleApprover = rules.RoleApprover
	RoleClerk    = rules.RoleClerk
	RoleAdmin    = rules.RoleAdmin

	RoleTemplateEditor = rules.RoleTemplateEditor
)

// AllRoles lists every role in a stable order.
var AllRoles = rules.AllRoles

// Authority is an enforcement office: its names, remedies, number prefixes
// and the thresholds the criteria depend on.
type Authority struct {
	ID        uint   `gorm:"primaryKey" json:"id"`
	Name      string `gorm:"size:200;not null" json:"name"`
	ShortName string `gorm:"size:100;not null" json:"short_name"`
	Domain    string `gorm:"size:32;not null;default:other" json:"domain"`
	// Domains are the domains the authority enforces (comma-separated;
	// see Jurisdiction).
	Domains         string `gorm:"size:200;not null;default:''" json:"-"`
	NumberPrefix    string `gorm:"size:100;not null" json:"number_prefix"`
	NoPenaltyPrefix string `gorm:"size:100;not null;default:''" json:"no_penalty_prefix"`
	NoticePrefix    string `gorm:"size:100;not null;default:''" json:"notice_prefix"`
	OnTheSpotPrefix string `gorm:"size:100;not null;default:''" json:"on_the_spot_prefix"`
	// CasePrefix is the case file series (立案编号): 杭市监立字 gives
	// 杭市监立字〔2026〕12号.
	CasePrefix          string  `gorm:"size:100;not null;default:''" json:"case_prefix"`
	ReconsiderationBody string  `gorm:"size:200;not null" json:"reconsideration_body"`
	Court               string  `gorm:"size:200;not null" json:"court"`
	PaymentInstructions string  `gorm:"type:text" json:"payment_instructions"`
	Address             string  `gorm:"size:300;not null;default:''" json:"address"`
	Phone               string  `gorm:"size:50;not null;default:''" json:"phone"`
	HearingFinePerson   float64 `gorm:"type:decimal(14,2);not null;default:0" json:"hearing_fine_person"`
	HearingFineOrg      float64 `gorm:"type:decimal(14,2);not null;default:0" json:"hearing_fine_org"`
	AnswerPeriodDays    int     `gorm:"not null;default:5" json:"answer_period_days"`
	SealPNG             []byte  `gorm:"type:longblob" json:"-"`
	// Publication settings (行政执法公示): the province's 较低数额罚款 (45号令
	// Art. 13 ¶2; 0: none is lower), the publication period outside market
	// regulation in months (0: 36) and the authority's own 统一社会信用代码
	// for the credit platforms' export.
	LowerFine         float64   `gorm:"type:decimal(14,2);not null;default:0" json:"lower_fine"`
	PublicationMonths int       `gorm:"not null;default:0" json:"publication_months"`
	CreditCode        string    `gorm:"size:18;not null;default:''" json:"credit_code"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// User is a staff account.
type User struct {
	ID           uint   `gorm:"primaryKey" json:"id"`
	Username     string `gorm:"size:64;not null;uniqueIndex" json:"username"`
	PasswordHash string `gorm:"size:100;not null" json:"-"`
	DisplayName  string `gorm:"size:100;not null;default:''" json:"display_name"`
	Roles        string `gorm:"size:200;not null" json:"-"` // comma-separated
	AuthorityID  *uint  `json:"authority_id,omitempty"`
	// Authorities are the further authorities the user serves
	// (comma-separated ids), beside AuthorityID; see Scope.
	Authorities string `gorm:"size:200;not null;default:''" json:"-"`
	Active      bool   `gorm:"not null;default:true" json:"active"`
	// MustChangePassword: an admin reset the password; until the user
	// chooses their own, only the change and signing out are open to them.
	MustChangePassword bool `gorm:"not null;default:false" json:"must_change_password"`
	// CertificateNumber is the enforcement certificate (执法证号) an
	// officer shows (APL Art. 42); Area the area or category it covers
	// (执法区域/执法类别).
	CertificateNumber string    `gorm:"size:50;not null;default:''" json:"certificate_number"`
	Area              string    `gorm:"size:100;not null;default:''" json:"area"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// Session is a sign-in: a bearer token or a web cookie, stored hashed so
// every replica accepts it and a leaked table grants nothing.
type Session struct {
	ID         uint      `gorm:"primaryKey"`
	TokenHash  string    `gorm:"size:64;not null;uniqueIndex"`
	UserID     uint      `gorm:"not null;index"`
	Kind       string    `gorm:"size:16;not null"` // api or web
	CSRFToken  string    `gorm:"size:64;not null;default:''"`
	IP         string    `gorm:"size:64;not null;default:''"`
	UserAgent  string    `gorm:"size:300;not null;default:''"`
	ExpiresAt  time.Time `gorm:"not null;index"`
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// Throttle counts events per key (failed sign-ins per user or address,
// public downloads per client or number), in the database so that all
// replicas share it.
type Throttle struct {
	Key         string    `gorm:"primaryKey;size:150"`
	Failures    int       `gorm:"not null"`
	WindowStart time.Time `gorm:"not null"`
	LockedUntil time.Time `gorm:"not null"`
}

// CatalogItem is one violation of the office's catalogue.
type CatalogItem struct {
	ID                         uint             `gorm:"primaryKey" json:"id"`
	Code                       string           `gorm:"size:64;not null;uniqueIndex" json:"code"`
	Name                       string           `gorm:"size:300;not null" json:"name"`
	Domain                     string           `gorm:"size:32;not null" json:"domain"`
	ViolatedProvision          string           `gorm:"size:500;not null" json:"violated_provision"`
	PenaltyProvision           string           `gorm:"size:500;not null" json:"penalty_provision"`
	PenaltyTypes               string           `gorm:"size:200;not null" json:"-"` // comma-separated
	FineMin                    float64          `gorm:"type:decimal(14,2);not null;default:0" json:"fine_min"`
	FineMax                    float64          `gorm:"type:decimal(14,2);not null;default:0" json:"fine_max"`
	FirstOffenseEligible       bool             `gorm:"not null;default:false" json:"first_offense_eligible"`
	FirstOffenseLookbackMonths int              `gorm:"not null;default:24" json:"first_offense_lookback_months"`
	WarningEligible            bool             `gorm:"not null;default:false" json:"warning_eligible"`
	WarningLookbackMonths      int              `gorm:"not null;default:6" json:"warning_lookback_months"`
	LimitationMonths           int              `gorm:"not null;default:24" json:"limitation_months"`
	SafetyRelated              bool             `gorm:"not null;default:false" json:"safety_related"`
	NoFaultExcluded            bool             `gorm:"not null;default:false" json:"no_fault_excluded"`
	Conditions                 string           `gorm:"type:text" json:"conditions"`
	ValueFine                  *rules.ValueFine `gorm:"type:text;serializer:json" json:"value_fine,omitempty"`
	FineBasis                  string           `gorm:"type:text" json:"fine_basis"`
	HearingFinePerson          float64          `gorm:"type:decimal(14,2);not null;default:0" json:"hearing_fine_person"`
	HearingFineOrg             float64          `gorm:"type:decimal(14,2);not null;default:0" json:"hearing_fine_org"`
	DetentionMaxDays           int              `gorm:"not null;default:0" json:"detention_max_days"`
	ValidFrom                  string           `gorm:"size:10;not null;default:''" json:"valid_from"`
	ValidUntil                 string           `gorm:"size:10;not null;default:''" json:"valid_until"`
	Active                     bool             `gorm:"not null;default:true" json:"active"`
	CreatedAt                  time.Time        `json:"created_at"`
	UpdatedAt                  time.Time        `json:"updated_at"`
}

// Party is a person or organisation, keyed by id number or credit code.
type Party struct {
	ID                  uint      `gorm:"primaryKey" json:"id"`
	Kind                string    `gorm:"size:16;not null" json:"kind"`
	Name                string    `gorm:"size:200;not null;index" json:"name"`
	Key                 string    `gorm:"size:32;not null;uniqueIndex" json:"key"` // id number or credit code
	Address             string    `gorm:"size:300;not null;default:''" json:"address"`
	LegalRepresentative string    `gorm:"size:100;not null;default:''" json:"legal_representative"`
	Phone               string    `gorm:"size:50;not null;default:''" json:"phone"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

// Case statuses, as rules names them.
const (
	CaseDraft  = rules.CaseDraft
	CaseOpen   = rules.CaseOpen
	CaseClosed = rules.CaseClosed
	// CaseExecuting: decided, its penalties being executed.
	CaseExecuting = rules.CaseExecuting
	// CaseWithdrawn: withdrawn before it was submitted (kept, marked).
	CaseWithdrawn = rules.CaseWithdrawn
)

// Case is a case file: the facts as entered and the evaluation they gave.
type Case struct {
	ID uint `gorm:"primaryKey" json:"id"`
	// Number is the case file number (立案编号), taken when the case is
	// filed from its authority's case series, gapless like the document
	// series.
	Number         *string `gorm:"size:150;uniqueIndex" json:"number"`
	AuthorityID    uint    `gorm:"not null;index" json:"authority_id"`
	ItemID         uint    `gorm:"not null;index" json:"item_id"`
	ViolationCode  string  `gorm:"size:64;not null;index" json:"violation_code"`
	PartyID        uint    `gorm:"not null;index" json:"party_id"`
	PartyName      string  `gorm:"size:200;not null;index" json:"party_name"`
	PartyKey       string  `gorm:"size:32;not null;index" json:"party_key"`
	Status         string  `gorm:"size:16;not null;index" json:"status"`
	ViolationDate  string  `gorm:"size:10;not null" json:"violation_date"`
	DiscoveredDate string  `gorm:"size:10;not null;index" json:"discovered_date"`
	DecisionDate   string  `gorm:"size:10;not null;default:''" json:"decision_date"`
	Outcome        string  `gorm:"size:16;not null;default:''" json:"outcome"`
	Ground         string  `gorm:"size:32;not null;default:''" json:"ground"`
	// Facts and Evaluation are stored as JSON (GORM's serializer).
	Facts      rules.Facts      `gorm:"column:facts_json;type:longtext;not null;serializer:json" json:"-"`
	Evaluation rules.Evaluation `gorm:"column:evaluation_json;type:longtext;not null;serializer:json" json:"-"`
	// LegalReview is Evaluation.LegalReviewRequired as a column (set by
	// SetFacts): the document lists read it instead of the JSON.
	LegalReview   bool   `gorm:"not null;default:false" json:"-"`
	OverrideJSON  string `gorm:"type:text" json:"-"` // unused since v1 (the override lives in the evaluation)
	Statement     string `gorm:"type:text" json:"statement"`
	HearingHeld   bool   `gorm:"not null;default:false" json:"hearing_held"`
	HearingResult string `gorm:"type:text" json:"hearing_result"`
	Waived        bool   `gorm:"not null;default:false" json:"waived"`
	// StatementOutcome is what the authority made of the statement:
	// accepted, partly or rejected (rules.Statement*), with its reason.
	StatementOutcome string `gorm:"size:16;not null;default:''" json:"statement_outcome"`
	StatementReason  string `gorm:"type:text" json:"statement_reason"`
	HearingDate      string `gorm:"size:10;not null;default:''" json:"hearing_date"`
	// The heads' collective discussion of a complex or major case (APL
	// Art. 57 ¶2): when, who took part, what they concluded.
	DiscussionDate         string `gorm:"size:10;not null;default:''" json:"discussion_date"`
	DiscussionParticipants string `gorm:"size:300;not null;default:''" json:"discussion_participants"`
	DiscussionConclusion   string `gorm:"type:text" json:"discussion_conclusion"`
	VehiclePlate           string `gorm:"size:20;not null;default:'';index" json:"vehicle_plate"`
	// Execution of the decision: the payment state lists show
	// (rules.Pay*), the approved deferral or instalments (APL Art. 66), the
	// other penalties' execution and the application to the court.
	PaymentState       string             `gorm:"size:16;not null;default:'';index" json:"payment_state"`
	DeferralApplied    string             `gorm:"size:10;not null;default:''" json:"deferral_applied"`
	DeferralApproved   string             `gorm:"size:10;not null;default:''" json:"deferral_approved"`
	Instalments        []rules.Instalment `gorm:"column:instalments_json;type:text;serializer:json" json:"instalments"`
	EnforcementApplied string             `gorm:"size:10;not null;default:''" json:"enforcement_applied"`
	OtherExecuted      string             `gorm:"size:10;not null;default:''" json:"other_executed"`
	OtherExecutedNote  string             `gorm:"type:text" json:"other_executed_note"`
	// The hearing (APL Art. 63-65): when the party asked for it, when and
	// where it is held and by whom (the notice), who took part and what
	// the record says (with HearingDate and HearingResult).
	HearingRequested    string `gorm:"size:10;not null;default:''" json:"hearing_requested"`
	HearingScheduled    string `gorm:"size:10;not null;default:''" json:"hearing_scheduled"`
	HearingTime         string `gorm:"size:5;not null;default:''" json:"hearing_time"`
	HearingPlace        string `gorm:"size:300;not null;default:''" json:"hearing_place"`
	HearingHostID       *uint  `json:"hearing_host_id"`
	HearingHost         string `gorm:"size:100;not null;default:''" json:"hearing_host"`
	HearingParticipants string `gorm:"size:300;not null;default:''" json:"hearing_participants"`
	HearingSummary      string `gorm:"type:text" json:"hearing_summary"`
	// The head's extension of the decision period (APL Art. 60; migration
	// 202612020022_supervision): the new last day, why, who approved it
	// (an approver) and when.
	ExtensionDeadline string `gorm:"size:10;not null;default:''" json:"extension_deadline,omitempty"`
	ExtensionReason   string `gorm:"type:text" json:"extension_reason,omitempty"`
	ExtensionByID     *uint  `json:"extension_by_id,omitempty"`
	ExtensionBy       string `gorm:"size:100;not null;default:''" json:"extension_by,omitempty"`
	ExtensionApproved string `gorm:"size:10;not null;default:''" json:"extension_approved,omitempty"`
	// BasisHash is rules.BasisOf(facts, evaluation).Hash: drafts made from
	// another one are stale.
	BasisHash string `gorm:"size:64;not null;default:''" json:"-"`
	OfficerID uint   `gorm:"not null;index" json:"officer_id"`
	// OfficerIDs are the enforcement officers the case names
	// (comma-separated user ids; the creating officer by default).
	OfficerIDs string `gorm:"size:200;not null;default:''" json:"-"`
	// Withdrawn: a case withdrawn before it was submitted (撤回), why, by
	// whom and when.
	WithdrawnReason string     `gorm:"type:text" json:"withdrawn_reason,omitempty"`
	WithdrawnByID   *uint      `json:"withdrawn_by_id,omitempty"`
	WithdrawnAt     *time.Time `json:"withdrawn_at,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// Payment is one payment of a decided fine (or late fee): its date,
// amount and the receipt or payment notice (缴款书) number.
type Payment struct {
	ID           uint      `gorm:"primaryKey" json:"id"`
	CaseID       uint      `gorm:"not null;index" json:"case_id"`
	AuthorityID  uint      `gorm:"not null;index" json:"authority_id"`
	Date         string    `gorm:"size:10;not null" json:"date"`
	Amount       float64   `gorm:"type:decimal(14,2);not null" json:"amount"`
	Receipt      string    `gorm:"size:100;not null;default:''" json:"receipt"`
	RecordedByID uint      `gorm:"not null" json:"recorded_by_id"`
	CreatedAt    time.Time `gorm:"not null" json:"created_at"`
}

// Document statuses, as rules names them.
const (
	DocDraft      = rules.DocDraft
	DocReviewing  = rules.DocReviewing
	DocApproved   = rules.DocApproved
	DocIssued     = rules.DocIssued
	DocServed     = rules.DocServed
	DocSuperseded = rules.DocSuperseded
	DocWithdrawn  = rules.DocWithdrawn
)

// Document is a letter of a case: a draft until issued, then frozen.
type Document struct {
	ID              uint   `gorm:"primaryKey" json:"id"`
	CaseID          uint   `gorm:"not null;index" json:"case_id"`
	AuthorityID     uint   `gorm:"not null;index" json:"authority_id"`
	Kind            string `gorm:"size:32;not null;index" json:"kind"`
	Status          string `gorm:"size:16;not null;index" json:"status"`
	TemplateVersion int    `gorm:"not null" json:"template_version"`
	ReviewStage     int    `gorm:"not null;default:0" json:"review_stage"` // approvals so far
	ReviewedByID    *uint  `json:"reviewed_by_id"`                         // who passed the legal review
	// Basis is what a draft was made from (the case's outcome, ground,
	// penalties and hash then).
	Basis     rules.Basis `gorm:"column:basis_json;type:longtext;serializer:json" json:"basis"`
	Comment   string      `gorm:"type:text" json:"comment"`
	Series    string      `gorm:"size:100;not null;default:''" json:"series"`
	Year      int         `gorm:"not null;default:0" json:"year"`
	Serial    int64       `gorm:"not null;default:0" json:"serial"`
	Number    *string     `gorm:"size:150;uniqueIndex" json:"number"`
	IssueDate string      `gorm:"size:10;not null;default:'';index:idx_documents_issue_date" json:"issue_date"`
	IssuedAt  *time.Time  `json:"issued_at"`
	// PDF and DataJSON (the render input frozen at issue) live in
	// document_files (DocumentFile); the readers that return PDFs fill them.
	PDF            []byte  `gorm:"-" json:"-"`
	SHA256         string  `gorm:"size:64;not null;default:''" json:"sha256"`
	AccessCodeHash string  `gorm:"size:100;not null;default:''" json:"-"`
	VerifyToken    *string `gorm:"size:64;uniqueIndex" json:"-"`
	DataJSON       string  `gorm:"-" json:"-"`
	// ReceiptID is the service receipt issued with the document, set by
	// IssueDocument only (not a column).
	ReceiptID uint `gorm:"-" json:"-"`
	// Fine and AnswerDays are the figures the deadlines run on, stored at
	// issue: the fine decided (yuan) and an advance notice's answer period.
	Fine            float64    `gorm:"type:decimal(14,2);not null;default:0" json:"fine"`
	AnswerDays      int        `gorm:"not null;default:0" json:"answer_days"`
	CorrectsID      *uint      `gorm:"index" json:"corrects_id"`
	SupersededByID  *uint      `json:"superseded_by_id"`
	ServesID        *uint      `gorm:"index" json:"serves_id"`                               // a service receipt: the document it serves
	LegalReviewDate string     `gorm:"size:10;not null;default:''" json:"legal_review_date"` // 法制审核 passed (China date)
	ServedDate      string     `gorm:"size:10;not null;default:''" json:"served_date"`       // the legal date of service
	ServedAt        *time.Time `json:"served_at"`                                            // when service was recorded
	ServiceMethod   string     `gorm:"size:50;not null;default:''" json:"service_method"`
	ServedTo        string     `gorm:"size:200;not null;default:''" json:"served_to"`
	ServicePlace    string     `gorm:"size:300;not null;default:''" json:"service_place"`
	CreatedByID     uint       `gorm:"not null" json:"created_by_id"`
	// A correction's revision of the case facts and their evaluation
	// (nil: it corrects nothing of the facts), and why it corrects.
	RevisionFacts      *rules.Facts      `gorm:"column:revision_facts_json;type:longtext;serializer:json" json:"-"`
	RevisionEvaluation *rules.Evaluation `gorm:"column:revision_evaluation_json;type:longtext;serializer:json" json:"-"`
	CorrectionReason   string            `gorm:"type:text" json:"correction_reason,omitempty"`
	// Withdrawn: a draft withdrawn (作废), why, by whom and when.
	WithdrawnReason string     `gorm:"type:text" json:"withdrawn_reason,omitempty"`
	WithdrawnByID   *uint      `json:"withdrawn_by_id,omitempty"`
	WithdrawnAt     *time.Time `json:"withdrawn_at,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// PrintMark is one print of a document: who printed it and when (the
// print list's 已打印). A row of its own, so that printing never touches
// an issued document.
type PrintMark struct {
	ID         uint      `gorm:"primaryKey" json:"id"`
	DocumentID uint      `gorm:"not null;index:idx_print_marks_document" json:"document_id"`
	UserID     uint      `gorm:"not null" json:"user_id"`
	Username   string    `gorm:"size:64;not null" json:"username"`
	PrintedAt  time.Time `gorm:"not null" json:"printed_at"`
}

// TemplateVersion is one saved body of a document kind's template: the
// deployment's standard (AuthorityID nil) or one authority's own. Version
// numbers of a kind run across all of them, so (kind, version) names one
// body; each authority has at most one active version of a kind, and uses
// the standard's active version where it has none.
type TemplateVersion struct {
	ID          uint      `gorm:"primaryKey" json:"id"`
	Kind        string    `gorm:"size:32;not null;uniqueIndex:idx_template_kind_version" json:"kind"`
	Version     int       `gorm:"not null;uniqueIndex:idx_template_kind_version" json:"version"`
	AuthorityID *uint     `gorm:"index" json:"authority_id"`
	Body        string    `gorm:"type:longtext;not null" json:"body"`
	Author      string    `gorm:"size:64;not null" json:"author"`
	Active      bool      `gorm:"not null;default:false" json:"active"`
	CreatedAt   time.Time `json:"created_at"`
}

// NumberSequence is the counter of one (authority, series, year).
type NumberSequence struct {
	ID          uint   `gorm:"primaryKey"`
	AuthorityID uint   `gorm:"not null;uniqueIndex:idx_sequence"`
	Series      string `gorm:"size:100;not null;uniqueIndex:idx_sequence"`
	Year        int    `gorm:"not null;uniqueIndex:idx_sequence"`
	Last        int64  `gorm:"not null"`
}

// Calendar day kinds.
const (
	DayHoliday = "holiday" // an official day off on a weekday
	DayWorkday = "workday" // a make-up working day on a weekend (调休)
)

// CalendarDay is one entry of the official working-day calendar the
// State Council publishes each year; working-day periods (APL Art. 85) and
// period ends use it.
type CalendarDay struct {
	Date string `gorm:"primaryKey;size:10" json:"date"`
	Year int    `gorm:"not null;index" json:"year"`
	Kind string `gorm:"size:8;not null" json:"kind"`
}

// CalendarVersion is the calendar's one version row: its token changes
// with every change of the calendar days (migration
// 202612020029_calendar_version).
type CalendarVersion struct {
	ID    uint   `gorm:"primaryKey;autoIncrement:false"`
	Token string `gorm:"size:32;not null"`
}

func (CalendarVersion) TableName() string { return "calendar_version" }

// calendarVersionID is the id of the one CalendarVersion row.
const calendarVersionID = 1

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	ID         uint      `gorm:"primaryKey" json:"id"`
	At         time.Time `gorm:"not null;index" json:"at"`
	UserID     uint      `gorm:"not null" json:"user_id"`
	Username   string    `gorm:"size:64;not null" json:"username"`
	Action     string    `gorm:"size:64;not null;index" json:"action"`
	Entity     string    `gorm:"size:32;not null" json:"entity"`
	EntityID   uint      `gorm:"not null;index" json:"entity_id"`
	FromStatus string    `gorm:"size:16;not null;default:''" json:"from_status"`
	ToStatus   string    `gorm:"size:16;not null;default:''" json:"to_status"`
	IP         string    `gorm:"size:64;not null;default:''" json:"ip"`
	Detail     string    `gorm:"type:text" json:"detail"`
	DocSHA256  string    `gorm:"size:64;not null;default:''" json:"doc_sha256"`
	// The hash chain (audit.go): the entry's place in the chain, the
	// entry before it and this entry's hash over both and its fields.
	Seq      int64  `gorm:"not null;default:0;uniqueIndex" json:"seq"`
	PrevID   uint   `gorm:"not null;default:0" json:"prev_id"`
	PrevHash string `gorm:"size:64;not null;default:''" json:"prev_hash"`
	Hash     string `gorm:"size:64;not null;default:''" json:"hash"`
}

// TableName keeps the audit table's name plain.
func (AuditEntry) TableName() string { return "audit_log" }
