package models

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// Publication is the publication of one issued penalty decision
// (行政执法公示): whether and by when it is published (rules.PlanPublication
// on the authority's settings and the officer's markings), its summary
// (searchable on the public list), the masked PDF frozen at approval with
// its SHA-256, and its withdrawal or end.
type Publication struct {
	ID          uint   `gorm:"primaryKey" json:"id"`
	DocumentID  uint   `gorm:"not null;uniqueIndex:idx_publications_document" json:"document_id"`
	CaseID      uint   `gorm:"not null;index" json:"case_id"`
	AuthorityID uint   `gorm:"not null;index" json:"authority_id"`
	Status      string `gorm:"size:16;not null;index" json:"status"`
	// Reason is why it is not published (the plan's reason).
	Reason       string `gorm:"type:text" json:"reason"`
	DecisionKind string `gorm:"size:32;not null;default:''" json:"decision_kind"`
	DecisionDate string `gorm:"size:10;not null;default:'';index" json:"decision_date"`
	// DueDate is the last working day to publish (DueDays after the
	// decision on the official calendar); Months the period; EarlyEnd
	// whether credit repair may end it early.
	DueDate  string `gorm:"size:10;not null;default:'';index" json:"due_date"`
	DueDays  int    `gorm:"not null;default:0" json:"due_days"`
	Months   int    `gorm:"not null;default:0" json:"months"`
	EarlyEnd bool   `gorm:"not null;default:false" json:"early_end"`
	// The officer's markings: the facts are a secret (rules.Secret*), the
	// party is registered in another province, names to mask in the text.
	Secret        string   `gorm:"size:16;not null;default:''" json:"secret"`
	OtherProvince bool     `gorm:"not null;default:false" json:"other_province"`
	MaskNames     []string `gorm:"column:mask_names_json;type:text;serializer:json" json:"mask_names"`
	// The summary as published (the party as rules.PublicParty prints it).
	Number    string `gorm:"size:150;not null;default:'';index" json:"number"`
	PartyName string `gorm:"size:200;not null;default:'';index" json:"party_name"`
	ItemCode  string `gorm:"size:64;not null;default:'';index" json:"item_code"`
	ItemName  string `gorm:"size:300;not null;default:''" json:"item_name"`
	Penalties string `gorm:"type:text" json:"penalties"`
	// PublishedDate and EndDate: publication runs from the one to the
	// other (China dates).
	PublishedDate string `gorm:"size:10;not null;default:'';index" json:"published_date"`
	EndDate       string `gorm:"size:10;not null;default:''" json:"end_date"`
	// PDF is the masked document frozen at approval; MaskedData its
	// masked render data (the export reads it).
	PDF           []byte     `gorm:"type:longblob" json:"-"`
	SHA256        string     `gorm:"size:64;not null;default:''" json:"sha256"`
	MaskedData    string     `gorm:"column:masked_data_json;type:longtext" json:"-"`
	ReviewedByID  *uint      `json:"reviewed_by_id"`
	ReviewedAt    *time.Time `json:"reviewed_at"`
	ApprovedByID  *uint      `json:"approved_by_id"`
	ApprovedAt    *time.Time `json:"approved_at"`
	PublishedByID *uint      `json:"published_by_id"`
	PublishedAt   *time.Time `json:"published_at"`
	// WithdrawDue is the last day to withdraw (the decision was corrected
	// or its case withdrawn: WithdrawCause says which; ReplacedByID is the
	// correcting decision's publication).
	WithdrawDue    string     `gorm:"size:10;not null;default:'';index" json:"withdraw_due"`
	WithdrawCause  string     `gorm:"type:text" json:"withdraw_cause"`
	ReplacedByID   *uint      `json:"replaced_by_id"`
	WithdrawReason string     `gorm:"type:text" json:"withdraw_reason"`
	WithdrawnByID  *uint      `json:"withdrawn_by_id"`
	WithdrawnAt    *time.Time `json:"withdrawn_at"`
	EndReason      string     `gorm:"type:text" json:"end_reason"`
	EndedByID      *uint      `json:"ended_by_id"`
	EndedAt        *time.Time `json:"ended_at"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// State is what the permission rule needs of p.
func (p *Publication) State() rules.PubState {
	var by uint
	if p.ReviewedByID != nil {
		by = *p.ReviewedByID
	}
	return rules.PubState{Status: p.Status, ReviewedBy: by, EarlyEnd: p.EarlyEnd}
}

// PublishedKinds are the decisions that get a publication record.
var PublishedKinds = []string{rules.KindPenaltyDecision, rules.KindOnTheSpotDecision}

// pubLight leaves out the bytes a list never shows.
var pubLight = []string{"pdf", "masked_data_json"}

// IssuedRenderData is the render input frozen with issued document id
// (the one place publication reads it).
func (s *Store) IssuedRenderData(ctx context.Context, id uint) ([]byte, error) {
	var f DocumentFile
	err := s.conn(ctx).Select("document_files.document_id", "document_files.data_json").
		Joins("JOIN documents ON documents.id = document_files.document_id").
		Where("document_files.document_id = ? AND documents.status IN ?", id, frozenStatuses).First(&f).Error
	if err != nil {
		return nil, notFound(err, "文书")
	}
	return []byte(f.DataJSON), nil
}

// DecisionsWithoutPublication are issued (served, superseded) decisions of
// PublishedKinds without a publication record, oldest first, at most limit
// (without their PDFs and render data).
func (s *Store) DecisionsWithoutPublication(ctx context.Context, limit int) ([]Document, error) {
	var ds []Document
	err := s.conn(ctx).Omit("pdf", "data_json").Where("kind IN ? AND status IN ? AND number IS NOT NULL", PublishedKinds, frozenStatuses).
		Where("NOT EXISTS (SELECT 1 FROM publications p WHERE p.document_id = documents.id)").Order("id").Limit(limit).Find(&ds).Error
	if err != nil {
		return nil, errs.Wrap(err, "load decisions without publication")
	}
	return ds, nil
}

// CreatePublication stores p unless its document already has one (then
// created is false and nothing changes): creating twice is creating once.
func (s *Store) CreatePublication(ctx context.Context, a Actor, p *Publication) (created bool, err error) {
	err = s.transact(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Publication{}).Where("document_id = ?", p.DocumentID).Count(&n).Error; err != nil {
			return errs.Wrap(err, "check publication")
		}
		if n > 0 {
			created = false
			return nil
		}
		if err := tx.Create(p).Error; err != nil {
			if duplicate(err) {
				return errRetry
			}
			return errs.Wrap(err, "create publication")
		}
		created = true
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "create_publication",
			Entity: "publication", EntityID: p.ID, ToStatus: p.Status, Detail: "document=" + p.Number})
	})
	return created, err
}

// PublicationQuery filters the publications list.
type PublicationQuery struct {
	Status string
	Q      string // number or party name
}

// ListPublications lists the publications of scope sc, newest decision
// first, at most 500, without bytes.
func (s *Store) ListPublications(ctx context.Context, sc Scope, q PublicationQuery) ([]Publication, error) {
	db := sc.filter(s.conn(ctx), "authority_id").Omit(pubLight...)
	if q.Status != "" {
		db = db.Where("status = ?", q.Status)
	}
	if q.Q != "" {
		like := "%" + escapeLike(q.Q) + "%"
		db = db.Where("(number LIKE ? ESCAPE '!' OR party_name LIKE ? ESCAPE '!')", like, like)
	}
	var ps []Publication
	if err := db.Order("decision_date DESC, id DESC").Limit(500).Find(&ps).Error; err != nil {
		return nil, errs.Wrap(err, "list publications")
	}
	return ps, nil
}

// Publication loads publication id of scope sc (another office's is
// missing), with its bytes when withPDF.
func (s *Store) Publication(ctx context.Context, sc Scope, id uint, withPDF bool) (*Publication, error) {
	db := s.conn(ctx)
	if !withPDF {
		db = db.Omit(pubLight...)
	}
	var p Publication
	if err := db.First(&p, id).Error; err != nil {
		return nil, notFound(err, "公示记录")
	}
	if err := sc.hide(p.AuthorityID, "公示记录"); err != nil {
		return nil, err
	}
	return &p, nil
}

// PublicationStep takes act on publication id in one transaction: it locks
// the row, checks the scope and the permission rule on it, lets change
// set the columns to write (it may refuse) and audits the step.
func (s *Store) PublicationStep(ctx context.Context, a Actor, id uint, act rules.Action,
	change func(p *Publication) (map[string]any, error)) (*Publication, error) {
	var out *Publication
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var p Publication
		if err := s.lock(tx).First(&p, id).Error; err != nil {
			return notFound(err, "公示记录")
		}
		if err := a.Scope.hide(p.AuthorityID, "公示记录"); err != nil {
			return err
		}
		if err := rules.MayPublication(a.Staff(), act, p.State()); err != nil {
			return err
		}
		from := p.Status
		set, err := change(&p)
		if err != nil {
			return err
		}
		set["updated_at"] = s.now()
		res := tx.Model(&Publication{}).Where("id = ? AND status = ?", id, from).Updates(set)
		if res.Error != nil {
			return errs.Wrap(res.Error, "update publication")
		}
		if res.RowsAffected == 0 {
			return errRetry
		}
		if err := tx.Omit(pubLight...).First(&p, id).Error; err != nil {
			return errs.Wrap(err, "reload publication")
		}
		out = &p
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "publication_" + string(act),
			Entity: "publication", EntityID: id, FromStatus: from, ToStatus: p.Status, DocSHA256: p.SHA256, Detail: "document=" + p.Number})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// StalePublication is a publication whose decision no longer stands: the
// decision was superseded by a correction (Replacement its number,
// ReplacedOn its issue date) or its case withdrawn.
type StalePublication struct {
	Publication
	DocStatus   string
	CaseStatus  string
	Replacement string
	ReplacedBy  *uint // the correcting document
	ReplacedOn  string
}

// StalePublications are the publications not yet withdrawn, ended or
// refused whose decision is superseded or whose case is withdrawn, and
// which have no withdrawal due yet.
func (s *Store) StalePublications(ctx context.Context) ([]StalePublication, error) {
	var ps []Publication
	err := s.conn(ctx).Omit(pubLight...).Where("status IN ? AND withdraw_due = ''", append([]string{rules.PubPublished}, rules.PubBeforeOut...)).
		Where(`EXISTS (SELECT 1 FROM documents d WHERE d.id = publications.document_id AND d.status IN ?)
			OR EXISTS (SELECT 1 FROM cases c WHERE c.id = publications.case_id AND c.status = ?)`, []string{DocSuperseded, DocWithdrawn}, CaseWithdrawn).
		Order("id").Limit(500).Find(&ps).Error
	if err != nil {
		return nil, errs.Wrap(err, "load stale publications")
	}
	out := make([]StalePublication, 0, len(ps))
	for _, p := range ps {
		sp := StalePublication{Publication: p}
		var d Document
		if err := s.conn(ctx).Select("id", "status", "superseded_by_id").First(&d, p.DocumentID).Error; err != nil {
			return nil, errs.Wrap(err, "load decision")
		}
		var c Case
		if err := s.conn(ctx).Select("id", "status", "withdrawn_at").First(&c, p.CaseID).Error; err != nil {
			return nil, errs.Wrap(err, "load case")
		}
		sp.DocStatus, sp.CaseStatus = d.Status, c.Status
		if d.SupersededByID != nil {
			var n Document
			if err := s.conn(ctx).Select("id", "number", "issue_date").First(&n, *d.SupersededByID).Error; err == nil {
				sp.Replacement, sp.ReplacedBy, sp.ReplacedOn = deref(n.Number), d.SupersededByID, n.IssueDate
			}
		}
		if sp.ReplacedOn == "" && c.WithdrawnAt != nil {
			sp.ReplacedOn = c.WithdrawnAt.In(China).Format(dateLayout)
		}
		out = append(out, sp)
	}
	return out, nil
}

// PublicationOf is the publication of document id (nil when none).
func (s *Store) PublicationOf(ctx context.Context, documentID uint) (*Publication, error) {
	var ps []Publication
	if err := s.conn(ctx).Omit(pubLight...).Where("document_id = ?", documentID).Limit(1).Find(&ps).Error; err != nil {
		return nil, errs.Wrap(err, "load publication")
	}
	if len(ps) == 0 {
		return nil, nil
	}
	return &ps[0], nil
}

// MarkStale records what became of a stale publication's decision, in one
// transaction on the locked row: a published one gets its withdrawal due
// (cause, due date, the correcting decision's publication); one not yet
// out is withdrawn at once (nothing is public to take down).
func (s *Store) MarkStale(ctx context.Context, a Actor, id uint, cause, due string, replacedBy *uint) error {
	return s.transact(ctx, func(tx *gorm.DB) error {
		var p Publication
		if err := s.lock(tx).Omit(pubLight...).First(&p, id).Error; err != nil {
			return notFound(err, "公示记录")
		}
		set := map[string]any{"withdraw_cause": cause, "replaced_by_id": replacedBy, "updated_at": s.now()}
		to := p.Status
		switch {
		case p.WithdrawDue != "":
			return nil
		case p.Status == rules.PubPublished:
			set["withdraw_due"] = due
		case slices.Contains(rules.PubBeforeOut, p.Status):
			to = rules.PubWithdrawn
			now := s.now()
			set["status"], set["withdraw_due"], set["withdraw_reason"], set["withdrawn_at"] = to, due, cause, now
		default:
			return nil
		}
		if err := tx.Model(&Publication{}).Where("id = ?", id).Updates(set).Error; err != nil {
			return errs.Wrap(err, "mark publication stale")
		}
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "publication_stale",
			Entity: "publication", EntityID: id, FromStatus: p.Status, ToStatus: to, Detail: cause})
	})
}

// EndExpiredPublications ends the publications whose period ended before
// today.
func (s *Store) EndExpiredPublications(ctx context.Context, a Actor, today string) (int64, error) {
	var ids []uint
	if err := s.conn(ctx).Model(&Publication{}).Where("status = ? AND end_date <> '' AND end_date < ?", rules.PubPublished, today).
		Limit(500).Pluck("id", &ids).Error; err != nil {
		return 0, errs.Wrap(err, "load expired publications")
	}
	var n int64
	for _, id := range ids {
		err := s.transact(ctx, func(tx *gorm.DB) error {
			now := s.now()
			res := tx.Model(&Publication{}).Where("id = ? AND status = ?", id, rules.PubPublished).
				Updates(map[string]any{"status": rules.PubEnded, "end_reason": "公示期满", "ended_at": now, "updated_at": now})
			if res.Error != nil || res.RowsAffected == 0 {
				return errs.Wrap(res.Error, "end publication")
			}
			n++
			return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, Action: "publication_expired",
				Entity: "publication", EntityID: id, FromStatus: rules.PubPublished, ToStatus: rules.PubEnded})
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// OverduePublications are the publications of scope sc past a deadline on
// day today: not yet published after their due date (待公示超期), or
// published with a withdrawal due before today (撤回超期). Earliest first.
func (s *Store) OverduePublications(ctx context.Context, sc Scope, today string) ([]Publication, error) {
	var ps []Publication
	err := sc.filter(s.conn(ctx), "authority_id").Omit(pubLight...).
		Where("(status IN ? AND due_date <> '' AND due_date < ?) OR (status = ? AND withdraw_due <> '' AND withdraw_due < ?)",
			rules.PubBeforeOut, today, rules.PubPublished, today).
		Order("due_date, id").Limit(500).Find(&ps).Error
	if err != nil {
		return nil, errs.Wrap(err, "load overdue publications")
	}
	return ps, nil
}

// PublicQuery is the public list's search.
type PublicQuery struct {
	AuthorityID uint
	Party       string
	Number      string
	Item        string // item name or code
	From, To    string // publication dates, inclusive
	Page        int    // from 1
}

// PublicPageSize is the public list's page.
const PublicPageSize = 20

// PublicDecisions are the publications out on day today (published, the
// period not over), matching q, newest first, one page; and their count.
func (s *Store) PublicDecisions(ctx context.Context, q PublicQuery, today string) ([]Publication, int64, error) {
	db := s.conn(ctx).Model(&Publication{}).Where("status = ? AND (end_date = '' OR end_date >= ?)", rules.PubPublished, today)
	like := func(v string) string { return "%" + escapeLike(v) + "%" }
	if q.AuthorityID != 0 {
		db = db.Where("authority_id = ?", q.AuthorityID)
	}
	if q.Party != "" {
		db = db.Where("party_name LIKE ? ESCAPE '!'", like(q.Party))
	}
	if q.Number != "" {
		db = db.Where("number LIKE ? ESCAPE '!'", like(q.Number))
	}
	if q.Item != "" {
		db = db.Where("(item_name LIKE ? ESCAPE '!' OR item_code = ?)", like(q.Item), q.Item)
	}
	if q.From != "" {
		db = db.Where("published_date >= ?", q.From)
	}
	if q.To != "" {
		db = db.Where("published_date <= ?", q.To)
	}
	var n int64
	if err := db.Count(&n).Error; err != nil {
		return nil, 0, errs.Wrap(err, "count public decisions")
	}
	page := max(q.Page, 1)
	var ps []Publication
	if err := db.Omit(pubLight...).Order("published_date DESC, id DESC").Offset((page - 1) * PublicPageSize).Limit(PublicPageSize).Find(&ps).Error; err != nil {
		return nil, 0, errs.Wrap(err, "list public decisions")
	}
	return ps, n, nil
}

// PublishedForExport are the publications of scope sc out now
// (published), with their masked data, by publication date, at most
// limit.
func (s *Store) PublishedForExport(ctx context.Context, sc Scope, from, to string, limit int) ([]Publication, error) {
	db := sc.filter(s.conn(ctx), "authority_id").Omit("pdf").Where("status = ?", rules.PubPublished)
	if from != "" {
		db = db.Where("published_date >= ?", from)
	}
	if to != "" {
		db = db.Where("published_date <= ?", to)
	}
	var ps []Publication
	if err := db.Order("published_date, id").Limit(limit).Find(&ps).Error; err != nil {
		return nil, errs.Wrap(err, "load publications for export")
	}
	return ps, nil
}
