package models

import "time"

// The schema as migration 202611280001_initial created it. Frozen: never
// edit these types; change the schema through a new migration.

type v1Authority struct {
	ID                  uint      `gorm:"primaryKey"`
	Name                string    `gorm:"size:200;not null"`
	ShortName           string    `gorm:"size:100;not null"`
	Domain              string    `gorm:"size:32;not null;default:other"`
	NumberPrefix        string    `gorm:"size:100;not null"`
	NoPenaltyPrefix     string    `gorm:"size:100;not null;default:''"`
	NoticePrefix        string    `gorm:"size:100;not null;default:''"`
	OnTheSpotPrefix     string    `gorm:"size:100;not null;default:''"`
	ReconsiderationBody string    `gorm:"size:200;not null"`
	Court               string    `gorm:"size:200;not null"`
	PaymentInstructions string    `gorm:"type:text"`
	Address             string    `gorm:"size:300;not null;default:''"`
	Phone               string    `gorm:"size:50;not null;default:''"`
	HearingFinePerson   float64   `gorm:"type:decimal(14,2);not null;default:0"`
	HearingFineOrg      float64   `gorm:"type:decimal(14,2);not null;default:0"`
	AnswerPeriodDays    int       `gorm:"not null;default:5"`
	SealPNG             []byte    `gorm:"type:longblob"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

type v1User struct {
	ID           uint      `gorm:"primaryKey"`
	Username     string    `gorm:"size:64;not null;uniqueIndex"`
	PasswordHash string    `gorm:"size:100;not null"`
	DisplayName  string    `gorm:"size:100;not null;default:''"`
	Roles        string    `gorm:"size:200;not null"` // comma-separated
	AuthorityID  *uint     `json:"authority_id,omitempty"`
	Active       bool      `gorm:"not null;default:true"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

type v1Session struct {
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

type v1Throttle struct {
	Key         string    `gorm:"primaryKey;size:150"`
	Failures    int       `gorm:"not null"`
	WindowStart time.Time `gorm:"not null"`
	LockedUntil time.Time `gorm:"not null"`
}

type v1CatalogItem struct {
	ID                         uint      `gorm:"primaryKey"`
	Code                       string    `gorm:"size:64;not null;uniqueIndex"`
	Name                       string    `gorm:"size:300;not null"`
	Domain                     string    `gorm:"size:32;not null"`
	ViolatedProvision          string    `gorm:"size:500;not null"`
	PenaltyProvision           string    `gorm:"size:500;not null"`
	PenaltyTypes               string    `gorm:"size:200;not null"` // comma-separated
	FineMin                    float64   `gorm:"type:decimal(14,2);not null;default:0"`
	FineMax                    float64   `gorm:"type:decimal(14,2);not null;default:0"`
	FirstOffenseEligible       bool      `gorm:"not null;default:false"`
	FirstOffenseLookbackMonths int       `gorm:"not null;default:24"`
	WarningEligible            bool      `gorm:"not null;default:false"`
	WarningLookbackMonths      int       `gorm:"not null;default:6"`
	LimitationMonths           int       `gorm:"not null;default:24"`
	SafetyRelated              bool      `gorm:"not null;default:false"`
	NoFaultExcluded            bool      `gorm:"not null;default:false"`
	Conditions                 string    `gorm:"type:text"`
	Active                     bool      `gorm:"not null;default:true"`
	CreatedAt                  time.Time `json:"created_at"`
	UpdatedAt                  time.Time `json:"updated_at"`
}

type v1Party struct {
	ID                  uint      `gorm:"primaryKey"`
	Kind                string    `gorm:"size:16;not null"`
	Name                string    `gorm:"size:200;not null;index"`
	Key                 string    `gorm:"size:32;not null;uniqueIndex"` // id number or credit code
	Address             string    `gorm:"size:300;not null;default:''"`
	LegalRepresentative string    `gorm:"size:100;not null;default:''"`
	Phone               string    `gorm:"size:50;not null;default:''"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

type v1Case struct {
	ID             uint      `gorm:"primaryKey"`
	AuthorityID    uint      `gorm:"not null;index"`
	ItemID         uint      `gorm:"not null;index"`
	ViolationCode  string    `gorm:"size:64;not null;index"`
	PartyID        uint      `gorm:"not null;index"`
	PartyName      string    `gorm:"size:200;not null;index"`
	PartyKey       string    `gorm:"size:32;not null;index"`
	Status         string    `gorm:"size:16;not null;index"`
	ViolationDate  string    `gorm:"size:10;not null"`
	DiscoveredDate string    `gorm:"size:10;not null;index"`
	DecisionDate   string    `gorm:"size:10;not null;default:''"`
	Outcome        string    `gorm:"size:16;not null;default:''"`
	Ground         string    `gorm:"size:32;not null;default:''"`
	FactsJSON      string    `gorm:"type:longtext;not null"`
	EvaluationJSON string    `gorm:"type:longtext;not null"`
	OverrideJSON   string    `gorm:"type:text"`
	Statement      string    `gorm:"type:text"`
	HearingHeld    bool      `gorm:"not null;default:false"`
	HearingResult  string    `gorm:"type:text"`
	Waived         bool      `gorm:"not null;default:false"`
	OfficerID      uint      `gorm:"not null;index"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

type v1Document struct {
	ID              uint       `gorm:"primaryKey"`
	CaseID          uint       `gorm:"not null;index"`
	AuthorityID     uint       `gorm:"not null;index"`
	Kind            string     `gorm:"size:32;not null;index"`
	Status          string     `gorm:"size:16;not null;index"`
	TemplateVersion int        `gorm:"not null"`
	ReviewStage     int        `gorm:"not null;default:0"` // approvals so far
	Comment         string     `gorm:"type:text"`
	Series          string     `gorm:"size:100;not null;default:''"`
	Year            int        `gorm:"not null;default:0"`
	Serial          int64      `gorm:"not null;default:0"`
	Number          *string    `gorm:"size:150;uniqueIndex"`
	IssueDate       string     `gorm:"size:10;not null;default:''"`
	IssuedAt        *time.Time `json:"issued_at"`
	PDF             []byte     `gorm:"type:longblob"`
	SHA256          string     `gorm:"size:64;not null;default:''"`
	AccessCodeHash  string     `gorm:"size:100;not null;default:''"`
	VerifyToken     *string    `gorm:"size:64;uniqueIndex"`
	DataJSON        string     `gorm:"type:longtext"` // the render input frozen at issue
	CorrectsID      *uint      `gorm:"index"`
	SupersededByID  *uint      `json:"superseded_by_id"`
	ServesID        *uint      `gorm:"index"`                       // a service receipt: the document it serves
	LegalReviewDate string     `gorm:"size:10;not null;default:''"` // 法制审核 passed (China date)
	ServedDate      string     `gorm:"size:10;not null;default:''"` // the legal date of service
	ServedAt        *time.Time `json:"served_at"`                   // when service was recorded
	ServiceMethod   string     `gorm:"size:50;not null;default:''"`
	ServedTo        string     `gorm:"size:200;not null;default:''"`
	ServicePlace    string     `gorm:"size:300;not null;default:''"`
	CreatedByID     uint       `gorm:"not null"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

type v1TemplateVersion struct {
	ID        uint      `gorm:"primaryKey"`
	Kind      string    `gorm:"size:32;not null;uniqueIndex:idx_template_kind_version"`
	Version   int       `gorm:"not null;uniqueIndex:idx_template_kind_version"`
	Body      string    `gorm:"type:longtext;not null"`
	Author    string    `gorm:"size:64;not null"`
	Active    bool      `gorm:"not null;default:false"`
	CreatedAt time.Time `json:"created_at"`
}

type v1NumberSequence struct {
	ID          uint   `gorm:"primaryKey"`
	AuthorityID uint   `gorm:"not null;uniqueIndex:idx_sequence"`
	Series      string `gorm:"size:100;not null;uniqueIndex:idx_sequence"`
	Year        int    `gorm:"not null;uniqueIndex:idx_sequence"`
	Last        int64  `gorm:"not null"`
}

type v1CalendarDay struct {
	Date string `gorm:"primaryKey;size:10"`
	Year int    `gorm:"not null;index"`
	Kind string `gorm:"size:8;not null"`
}

type v1AuditEntry struct {
	ID         uint      `gorm:"primaryKey"`
	At         time.Time `gorm:"not null;index"`
	UserID     uint      `gorm:"not null"`
	Username   string    `gorm:"size:64;not null"`
	Action     string    `gorm:"size:64;not null;index"`
	Entity     string    `gorm:"size:32;not null"`
	EntityID   uint      `gorm:"not null;index"`
	FromStatus string    `gorm:"size:16;not null;default:''"`
	ToStatus   string    `gorm:"size:16;not null;default:''"`
	IP         string    `gorm:"size:64;not null;default:''"`
	Detail     string    `gorm:"type:text"`
	DocSHA256  string    `gorm:"size:64;not null;default:''"`
}

func (v1Authority) TableName() string { return "authorities" }

func (v1User) TableName() string { return "users" }

func (v1Session) TableName() string { return "sessions" }

func (v1Throttle) TableName() string { return "throttles" }

func (v1CatalogItem) TableName() string { return "catalog_items" }

func (v1Party) TableName() string { return "parties" }

func (v1Case) TableName() string { return "cases" }

func (v1Document) TableName() string { return "documents" }

func (v1TemplateVersion) TableName() string { return "template_versions" }

func (v1NumberSequence) TableName() string { return "number_sequences" }

func (v1CalendarDay) TableName() string { return "calendar_days" }

func (v1AuditEntry) TableName() string { return "audit_log" }

func schemaV1() []any {
	return []any{&v1Authority{}, &v1User{}, &v1Session{}, &v1Throttle{}, &v1CatalogItem{}, &v1Party{}, &v1Case{}, &v1Document{}, &v1TemplateVersion{}, &v1NumberSequence{}, &v1CalendarDay{}, &v1AuditEntry{}}
}
