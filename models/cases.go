package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// PartyKey is how a party is recognised across cases: its id number or
// unified social credit code.
func PartyKey(p rules.Party) string {
	if p.Kind == rules.PartyOrganization {
		return strings.ToUpper(p.CreditCode)
	}
	return strings.ToUpper(p.IDNumber)
}

// SetFacts stores facts and their evaluation on the case and its search
// columns.
func (c *Case) SetFacts(f rules.Facts, ev rules.Evaluation) {
	c.Facts, c.Evaluation, c.LegalReview = f, ev, ev.LegalReviewRequired
	c.ViolationCode, c.PartyName, c.PartyKey = f.ViolationCode, f.Party.Name, PartyKey(f.Party)
	c.ViolationDate, c.DiscoveredDate, c.DecisionDate = f.ViolationDate, f.DiscoveredDate, f.DecisionDate
	c.Outcome, c.Ground = ev.Outcome, ev.Ground
	c.VehiclePlate = NormalizePlate(f.VehiclePlate)
	c.BasisHash = rules.BasisOf(f, ev).Hash
}

// NormalizePlate is a plate as the database keys it: upper case, without
// spaces and the separating dot (浙A·12345 → 浙A12345).
func NormalizePlate(p string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if r == ' ' || r == '·' || r == '•' || r == '.' || r == '-' || r == '\u3000' {
			return -1
		}
		return r
	}, p))
}

// PartyByKey loads the party known under key (id number or credit code),
// or nil.
func (s *Store) PartyByKey(ctx context.Context, key string) (*Party, error) {
	if key == "" {
		return nil, nil
	}
	var p Party
	err := s.conn(ctx).Where("`key` = ?", strings.ToUpper(key)).First(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, errs.Wrap(err, "load party")
	}
	return &p, nil
}

// upsertParty stores the party's latest details under its key.
func upsertParty(tx *gorm.DB, p rules.Party) (uint, error) {
	key := PartyKey(p)
	var row Party
	err := tx.Where("`key` = ?", key).First(&row).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		row = Party{Kind: p.Kind, Name: p.Name, Key: key, Address: p.Address, LegalRepresentative: p.LegalRepresentative, Phone: p.Phone}
		if err := tx.Create(&row).Error; err != nil {
			if duplicate(err) { // filed at the same moment in another case: the transaction runs again and finds it
				return 0, errRetry
			}
			return 0, errs.Wrap(err, "create party")
		}
		return row.ID, nil
	case err != nil:
		return 0, errs.Wrap(err, "load party")
	}
	if err := tx.Model(&row).Updates(map[string]any{"kind": p.Kind, "name": p.Name, "address": p.Address,
		"legal_representative": p.LegalRepresentative, "phone": p.Phone}).Error; err != nil {
		return 0, errs.Wrap(err, "update party")
	}
	return row.ID, nil
}

// CreateCase stores a new draft case with its party and the officers it
// names (c.OfficerIDs, officers of its authority; none named, the officer
// filing it), and audits it.
func (s *Store) CreateCase(ctx context.Context, a Actor, c *Case, f rules.Facts, ev rules.Evaluation) error {
	if err := rules.MayCase(a.Staff(), rules.ActFile, rules.CaseState{}); err != nil {
		return err
	}
	if err := a.Scope.hide(c.AuthorityID, "执法机关"); err != nil {
		return err
	}
	c.SetFacts(f, ev)
	c.Status, c.OfficerID = CaseDraft, a.UserID
	auth, err := s.Authority(ctx, c.AuthorityID)
	if err != nil {
		return err
	}
	prefix, year := auth.CaseNumberPrefix(), mustYear(s.Today())
	if err := s.ensureSequence(s.conn(ctx), auth.ID, prefix, year); err != nil {
		return err
	}
	return s.transact(ctx, func(tx *gorm.DB) error {
		pid, err := upsertParty(tx, f.Party)
		if err != nil {
			return err
		}
		c.PartyID = pid
		ids := SplitIDs(c.OfficerIDs)
		if len(ids) == 0 {
			ids = defaultOfficers(tx, a, c.AuthorityID)
		}
		if _, err := checkOfficers(tx, c.AuthorityID, ids); err != nil {
			return err
		}
		c.OfficerIDs = JoinIDs(ids)
		serial, err := s.nextNumber(tx, auth.ID, prefix, year)
		if err != nil {
			return err
		}
		n := FormatNumber(prefix, year, serial)
		c.ID, c.Number = 0, &n
		if err := tx.Create(c).Error; err != nil {
			return errs.Wrap(err, "create case")
		}
		if err := reindexName(tx, c.ID, 0, "", c.AuthorityID, c.PartyName); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "create_case",
			Entity: "case", EntityID: c.ID, ToStatus: CaseDraft, Detail: fmt.Sprintf("number=%s outcome=%s ground=%s officers=%s", *c.Number, ev.Outcome, ev.Ground, c.OfficerIDs)})
	})
}

// UpdateCase replaces a case's facts and evaluation, as act (editing the
// facts or overriding the outcome) under the permission rule, checked on
// the locked row: a case that is no longer a draft is a conflict. officers
// (nil: unchanged) are the officers the case names, of its authority.
func (s *Store) UpdateCase(ctx context.Context, a Actor, id uint, act rules.Action, item *CatalogItem, authorityID uint, f rules.Facts, ev rules.Evaluation, officers []uint, detail string) (*Case, error) {
	action := "update_case"
	if act == rules.ActOverride {
		action = "override_case"
	}
	var out Case
	err := s.transact(ctx, func(tx *gorm.DB) error {
		if err := s.lock(tx).First(&out, id).Error; err != nil {
			return notFound(err, "案件")
		}
		if err := a.Scope.hide(out.AuthorityID, "案件"); err != nil {
			return err
		}
		if err := a.Scope.hide(authorityID, "执法机关"); err != nil {
			return err
		}
		if err := rules.MayCase(a.Staff(), act, CaseState(&out)); err != nil {
			return err
		}
		oldName, oldAuthority := out.PartyName, out.AuthorityID
		out.SetFacts(f, ev)
		pid, err := upsertParty(tx, f.Party)
		if err != nil {
			return err
		}
		out.PartyID, out.ItemID, out.AuthorityID = pid, item.ID, authorityID
		if officers != nil {
			if _, err := checkOfficers(tx, authorityID, officers); err != nil {
				return err
			}
			out.OfficerIDs = JoinIDs(officers)
			detail = strings.TrimSpace(detail + " officers=" + out.OfficerIDs)
		}
		if err := tx.Select("*").Omit("created_at").Updates(&out).Error; err != nil {
			return errs.Wrap(err, "update case")
		}
		if err := reindexName(tx, id, oldAuthority, oldName, out.AuthorityID, out.PartyName); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: action,
			Entity: "case", EntityID: id, FromStatus: out.Status, ToStatus: out.Status,
			Detail: strings.TrimSpace(fmt.Sprintf("outcome=%s ground=%s %s", ev.Outcome, ev.Ground, detail))})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CaseByID loads one case within scope sc; another authority's case is
// not found, like a missing one.
func (s *Store) CaseByID(ctx context.Context, sc Scope, id uint) (*Case, error) {
	var c Case
	if err := s.conn(ctx).First(&c, id).Error; err != nil {
		return nil, notFound(err, "案件")
	}
	if err := sc.hide(c.AuthorityID, "案件"); err != nil {
		return nil, err
	}
	return &c, nil
}

// CaseQuery filters the case list and the case register (export). Every
// filter is a column with an index (cases: authority_id, officer_id,
// status, violation_code, discovered_date; documents: case_id, issue_date).
type CaseQuery struct {
	Q      string // id number, credit code, number, plate, item code or a part of the party's name (classify)
	Status string
	// PaymentState filters on the payment state (rules.Pay*).
	PaymentState string
	// ViolationCode is the catalogue item (事项编码).
	ViolationCode string
	From, To      string // discovered (filed) date range, YYYY-MM-DD
	// DecidedFrom and DecidedTo bound the issue date of the case's decision
	// (an issued or served decision; a superseded one no longer counts).
	DecidedFrom, DecidedTo string
	// Mine, when set, keeps the cases of that user ("my cases"; see mine).
	Mine uint
	// Before keeps the cases with an id below it (the next page's cursor,
	// CasePage.NextBefore); Page is an offset page when Before is 0.
	Before uint
	// After keeps the cases with an id above it, the page just before
	// (CasePage.PrevAfter), still newest first.
	After   uint
	Page    int
	PerPage int
	// Scope is the authorities whose cases are listed.
	Scope Scope
}

// CaseRow is a case in a list, with the names its columns show.
type CaseRow struct {
	Case
	AuthorityName string
	// Officers are the case's officers by name (officerNames).
	Officers []string
}

// mine keeps the cases of user id: the cases they filed and the cases
// that name them among their officers (officer_ids, comma-separated). The
// one place that says whose a case is.
func (s *Store) mine(db *gorm.DB, id uint) *gorm.DB {
	named := "instr(',' || cases.officer_ids || ',', ',' || ? || ',') > 0"
	if s.dialect == DialectMySQL {
		named = "FIND_IN_SET(?, cases.officer_ids) > 0"
	}
	return db.Where("cases.officer_id = ? OR "+named, id, strconv.FormatUint(uint64(id), 10))
}

// officerNames are the names of case c's officers, given every user's name
// by id: the officers the case names, or the officer who filed it when it
// names none. The one place the officer column and the register's 承办人
// come from.
func officerNames(names map[uint]string, c *Case) []string {
	ids := c.Officers()
	if len(ids) == 0 {
		ids = []uint{c.OfficerID}
	}
	var out []string
	for _, id := range ids {
		if n, ok := names[id]; ok {
			out = append(out, n)
		}
	}
	return out
}

// userNames maps every user's id to their display name (the user name when
// they have none): the officers' names of a list. Staff are few, so one
// read serves a list of any length.
func (s *Store) userNames(ctx context.Context) (map[uint]string, error) {
	var us []struct {
		ID          uint
		Username    string
		DisplayName string
	}
	if err := s.conn(ctx).Table("users").Select("id, username, display_name").Find(&us).Error; err != nil {
		return nil, errs.Wrap(err, "load user names")
	}
	out := make(map[uint]string, len(us))
	for _, u := range us {
		out[u.ID] = u.DisplayName
		if u.DisplayName == "" {
			out[u.ID] = u.Username
		}
	}
	return out, nil
}

// authorityNames maps every authority's id to its name.
func (s *Store) authorityNames(ctx context.Context) (map[uint]string, error) {
	var as []struct {
		ID   uint
		Name string
	}
	if err := s.conn(ctx).Table("authorities").Select("id, name").Find(&as).Error; err != nil {
		return nil, errs.Wrap(err, "load authority names")
	}
	out := make(map[uint]string, len(as))
	for _, a := range as {
		out[a.ID] = a.Name
	}
	return out, nil
}

// decidedStatuses are the states of a decision that decides its case.
var decidedStatuses = []string{DocIssued, DocServed}

// casesWhere is the register's and the count's query: q's scope, search
// and filters on cases.
func (s *Store) casesWhere(ctx context.Context, q CaseQuery) (*gorm.DB, error) {
	db := q.Scope.filter(s.conn(ctx).Model(&Case{}), "cases.authority_id")
	sr := classify(q.Q)
	switch sr.kind {
	case searchName:
		auths, err := s.scopeAuthorities(s.conn(ctx), q.Scope)
		if err != nil {
			return nil, err
		}
		gram, err := s.rarestGram(s.conn(ctx), sr.value, auths)
		if err != nil {
			return nil, err
		}
		sub := s.conn(ctx).Table("case_grams").Select("case_id").Where("gram = ? AND authority_id IN ?", gram, auths)
		db = db.Where("cases.id IN (?) AND cases.party_name LIKE ? ESCAPE '!'", sub, "%"+escapeLike(sr.value)+"%")
	case searchNumber:
		ids, err := s.casesNumbered(ctx, sr.value)
		if err != nil {
			return nil, err
		}
		db = db.Where("cases.id IN ?", append(ids, 0))
	default:
		db = searchWhere(db, sr)
	}
	return s.caseFilters(ctx, db, q), nil
}

// searchWhere is the condition of an exact search (party key, plate,
// item code) on cases.
func searchWhere(db *gorm.DB, sr search) *gorm.DB {
	switch sr.kind {
	case searchParty:
		return db.Where("cases.party_key = ?", sr.value)
	case searchPlate:
		return db.Where("cases.vehicle_plate = ?", sr.value)
	case searchItem:
		return db.Where("cases.violation_code = ?", sr.value)
	}
	return db
}

// casesNumbered are the cases numbered n or with a document numbered n.
func (s *Store) casesNumbered(ctx context.Context, n string) ([]uint, error) {
	var ids, more []uint
	if err := s.conn(ctx).Table("cases").Where("number = ?", n).Pluck("id", &ids).Error; err != nil {
		return nil, errs.Wrap(err, "find case by number")
	}
	if err := s.conn(ctx).Table("documents").Where("number = ?", n).Pluck("case_id", &more).Error; err != nil {
		return nil, errs.Wrap(err, "find document by number")
	}
	return append(ids, more...), nil
}

// caseFilters adds q's filters but the scope and the search to db.
func (s *Store) caseFilters(ctx context.Context, db *gorm.DB, q CaseQuery) *gorm.DB {
	if q.Status != "" {
		db = db.Where("cases.status = ?", q.Status)
	} else {
		db = db.Where("cases.status <> ?", CaseWithdrawn) // withdrawn cases only when asked for
	}
	if q.ViolationCode != "" {
		db = db.Where("cases.violation_code = ?", q.ViolationCode)
	}
	if q.PaymentState != "" {
		db = db.Where("cases.payment_state = ?", q.PaymentState)
	}
	if q.From != "" {
		db = db.Where("cases.discovered_date >= ?", q.From)
	}
	if q.To != "" {
		db = db.Where("cases.discovered_date <= ?", q.To)
	}
	if q.DecidedFrom != "" || q.DecidedTo != "" {
		sub := s.conn(ctx).Model(&Document{}).Select("case_id").Where("kind IN ? AND status IN ?", rules.DecisionKinds, decidedStatuses)
		if q.DecidedFrom != "" {
			sub = sub.Where("issue_date >= ?", q.DecidedFrom)
		}
		if q.DecidedTo != "" {
			sub = sub.Where("issue_date <= ?", q.DecidedTo)
		}
		db = db.Where("cases.id IN (?)", sub)
	}
	if q.Mine != 0 {
		db = s.mine(db, q.Mine)
	}
	return db
}

// MaxCasesPerPage bounds a page of the case list.
const MaxCasesPerPage = 100

// caseListColumns are the columns a case list shows and answers: not the
// facts, the evaluation or the instalments (JSON).
var caseListColumns = []string{"cases.id", "cases.number", "cases.authority_id", "cases.item_id", "cases.violation_code", "cases.party_id",
	"cases.party_name", "cases.party_key", "cases.status", "cases.violation_date", "cases.discovered_date", "cases.decision_date",
	"cases.outcome", "cases.ground", "cases.statement", "cases.hearing_held", "cases.hearing_result", "cases.waived",
	"cases.statement_outcome", "cases.hearing_date", "cases.discussion_date", "cases.discussion_participants", "cases.discussion_conclusion",
	"cases.vehicle_plate", "cases.payment_state", "cases.hearing_requested", "cases.hearing_scheduled", "cases.hearing_time",
	"cases.hearing_place", "cases.hearing_host_id", "cases.hearing_host", "cases.hearing_participants", "cases.hearing_summary",
	"cases.officer_id", "cases.officer_ids", "cases.withdrawn_reason", "cases.withdrawn_by_id", "cases.withdrawn_at",
	"cases.created_at", "cases.updated_at"}

// CasePage is a page of the case list.
type CasePage struct {
	Cases []CaseRow
	// Total counts the cases up to TotalCap; Capped says there are more.
	Total  int64
	Capped bool
	// Page is the page asked for (by page=, or carried beside before=).
	Page, PerPage int
	// More says a further page follows: NextBefore is its cursor.
	More       bool
	NextBefore uint
	// Prev says a newer page comes before: PrevAfter is its cursor.
	Prev      bool
	PrevAfter uint
}

// ListCases returns a page of cases, newest first: those below q.Before
// (keyset), else page q.Page (an offset, bounded by TotalCap). Each of
// the scope's authorities is read from its own index range in id order
// and the ranges merged, so that a page costs the same at any size.
func (s *Store) ListCases(ctx context.Context, q CaseQuery) (CasePage, error) {
	db := s.conn(ctx)
	auths, err := s.scopeAuthorities(db, q.Scope)
	if err != nil {
		return CasePage{}, err
	}
	sr := classify(q.Q)
	var (
		gram string
		ids  []uint
	)
	switch sr.kind {
	case searchName:
		if gram, err = s.rarestGram(db, sr.value, auths); err != nil {
			return CasePage{}, err
		}
	case searchNumber:
		if ids, err = s.casesNumbered(ctx, sr.value); err != nil {
			return CasePage{}, err
		}
	}
	// query is authority a's cases of q, without the keyset, the order and
	// the limit; key is the column the order and the keyset run on.
	query := func(a uint) (*gorm.DB, string) {
		d := s.conn(ctx)
		key := "cases.id"
		switch sr.kind {
		case searchName:
			key = "g.case_id"
			d = d.Table("case_grams AS g").Joins("JOIN cases ON cases.id = g.case_id").
				Where("g.gram = ? AND g.authority_id = ? AND cases.party_name LIKE ? ESCAPE '!'", gram, a, "%"+escapeLike(sr.value)+"%")
		case searchNumber:
			d = d.Table("cases").Where("cases.authority_id + 0 = ? AND cases.id IN ?", a, append(ids, 0))
		case searchNone:
			d = d.Table(s.casesByAuthority()).Where("cases.authority_id = ?", a)
		default:
			// authority_id + 0: not through the authority's index, which a
			// planner without statistics may prefer to the key's.
			d = searchWhere(d.Table("cases").Where("cases.authority_id + 0 = ?", a), sr)
		}
		return s.caseFilters(ctx, d, q), key
	}
	// A name search counts up to NameTotalCap: each match it counts is a
	// case row read to check the name.
	limit := int64(TotalCap)
	if sr.kind == searchName {
		limit = NameTotalCap
	}
	var total int64
	for _, a := range auths {
		d, _ := query(a)
		var n int64
		if err := s.conn(ctx).Table("(?) AS t", d.Select("1").Limit(int(limit)+1)).Count(&n).Error; err != nil {
			return CasePage{}, errs.Wrap(err, "count cases")
		}
		total += n
	}
	p := CasePage{Total: min(total, limit), Capped: total > limit}
	p.Page, p.PerPage = PageOf(q.Page, q.PerPage, p.Total)
	offset := 0
	if q.Before == 0 && q.After == 0 {
		offset = (p.Page - 1) * p.PerPage
	}
	want := offset + p.PerPage + 1
	back := q.After != 0 && q.Before == 0 // the page before After: read upwards, then turned
	parts := make([][]Case, 0, len(auths))
	for _, a := range auths {
		d, key := query(a)
		order := key + " DESC"
		switch {
		case q.Before != 0:
			d = d.Where(key+" < ?", q.Before)
		case back:
			d, order = d.Where(key+" > ?", q.After), key
		}
		var cs []Case
		if err := d.Select(caseListColumns).Order(order).Limit(want).Find(&cs).Error; err != nil {
			return CasePage{}, errs.Wrap(err, "list cases")
		}
		parts = append(parts, cs)
	}
	cs := mergeByID(parts, func(c *Case) uint { return c.ID }, !back, want)
	cs = cs[min(offset, len(cs)):]
	beyond := len(cs) > p.PerPage
	if beyond {
		cs = cs[:p.PerPage]
	}
	if back {
		slices.Reverse(cs)
		p.Prev, p.More = beyond, true
	} else {
		p.Prev, p.More = q.Before != 0 || offset > 0, beyond
	}
	if len(cs) > 0 {
		if p.More {
			p.NextBefore = cs[len(cs)-1].ID
		}
		if p.Prev {
			p.PrevAfter = cs[0].ID
		}
	}
	p.Cases, err = s.caseRows(ctx, cs)
	return p, err
}

// casesByAuthority is the cases table as the unsearched list reads it:
// MariaDB's planner, left alone, may walk the primary key backwards for
// the order and filter by authority, which reads the whole table for a
// small authority; told to, it reads the authority's index range, in id
// order as InnoDB's secondary indexes end with the primary key.
func (s *Store) casesByAuthority() string {
	if s.dialect == DialectMySQL {
		return "cases FORCE INDEX (idx_cases_authority_id, idx_cases_authority_status)"
	}
	return "cases"
}

// PageOf is the page a list answers for page and perPage over total rows:
// perPage 1-MaxCasesPerPage (20 otherwise), page from 1 to the last page
// (never an offset past the end).
func PageOf(page, perPage int, total int64) (int, int) {
	if perPage <= 0 || perPage > MaxCasesPerPage {
		perPage = 20
	}
	last := max(1, int((total+int64(perPage)-1)/int64(perPage)))
	return min(max(page, 1), last), perPage
}

// CountCases counts the cases q selects.
func (s *Store) CountCases(ctx context.Context, q CaseQuery) (int64, error) {
	var total int64
	db, err := s.casesWhere(ctx, q)
	if err != nil {
		return 0, err
	}
	if err := db.Count(&total).Error; err != nil {
		return 0, errs.Wrap(err, "count cases")
	}
	return total, nil
}

// caseRows adds the names the list shows to cases.
func (s *Store) caseRows(ctx context.Context, cs []Case) ([]CaseRow, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	users, err := s.userNames(ctx)
	if err != nil {
		return nil, err
	}
	auths, err := s.authorityNames(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]CaseRow, len(cs))
	for i := range cs {
		rows[i] = CaseRow{Case: cs[i], AuthorityName: auths[cs[i].AuthorityID], Officers: officerNames(users, &cs[i])}
	}
	return rows, nil
}

// RegisterRow is a case as the case register (立案登记, the export) lists
// it: the case with its item's name and its decision, if it has one.
type RegisterRow struct {
	CaseRow
	ItemName       string
	DecisionNumber string
	DecisionKind   string
	DecisionDate   string // the decision's issue date
	ServedDate     string
}

// registerColumns are the columns of cases the register reads (not the
// facts: the largest, and not needed); officerNames' columns among them.
var registerColumns = []string{"cases.id", "cases.number", "cases.authority_id", "cases.item_id", "cases.violation_code", "cases.party_name",
	"cases.party_key", "cases.status", "cases.outcome", "cases.ground", "cases.discovered_date", "cases.evaluation_json", "cases.officer_id", "cases.officer_ids"}

// registerChunk is how many cases one statement of the register reads.
const registerChunk = 500

// CaseRegister calls fn with every case q selects (its page ignored), in
// filing order (by id), reading registerChunk cases per statement by key,
// so that the register of any length takes bounded memory and each
// statement its own query deadline.
func (s *Store) CaseRegister(ctx context.Context, q CaseQuery, fn func(*RegisterRow) error) error {
	users, err := s.userNames(ctx)
	if err != nil {
		return err
	}
	auths, err := s.authorityNames(ctx)
	if err != nil {
		return err
	}
	var after uint
	for {
		var cs []Case
		db, err := s.casesWhere(ctx, q)
		if err != nil {
			return err
		}
		if err := db.Select(registerColumns).Where("cases.id > ?", after).Order("cases.id").Limit(registerChunk).Find(&cs).Error; err != nil {
			return errs.Wrap(err, "read case register")
		}
		if len(cs) == 0 {
			return nil
		}
		ids := make([]uint, len(cs))
		items := map[uint]bool{}
		for i := range cs {
			ids[i] = cs[i].ID
			items[cs[i].ItemID] = true
		}
		var decs []struct {
			CaseID     uint
			Kind       string
			Number     *string
			IssueDate  string
			ServedDate string
		}
		if err := s.conn(ctx).Table("documents").Select("case_id, kind, number, issue_date, served_date").
			Where("case_id IN ? AND kind IN ? AND status IN ?", ids, rules.DecisionKinds, decidedStatuses).Order("id").Find(&decs).Error; err != nil {
			return errs.Wrap(err, "read case register decisions")
		}
		byCase := make(map[uint]int, len(decs))
		for i := range decs {
			byCase[decs[i].CaseID] = i // the newest: a correction after what it corrects
		}
		itemIDs := make([]uint, 0, len(items))
		for id := range items {
			itemIDs = append(itemIDs, id)
		}
		var its []struct {
			ID   uint
			Name string
		}
		if err := s.conn(ctx).Table("catalog_items").Select("id, name").Where("id IN ?", itemIDs).Find(&its).Error; err != nil {
			return errs.Wrap(err, "read case register items")
		}
		itemName := make(map[uint]string, len(its))
		for _, it := range its {
			itemName[it.ID] = it.Name
		}
		for i := range cs {
			r := RegisterRow{CaseRow: CaseRow{Case: cs[i], AuthorityName: auths[cs[i].AuthorityID], Officers: officerNames(users, &cs[i])},
				ItemName: itemName[cs[i].ItemID]}
			if j, ok := byCase[cs[i].ID]; ok {
				d := decs[j]
				r.DecisionKind, r.DecisionDate, r.ServedDate = d.Kind, d.IssueDate, d.ServedDate
				if d.Number != nil {
					r.DecisionNumber = *d.Number
				}
			}
			if err := fn(&r); err != nil {
				return err
			}
		}
		after = cs[len(cs)-1].ID
	}
}

// escapeLike makes s a literal inside a LIKE pattern written with
// ESCAPE '!': the same on SQLite (which has no default escape) and MySQL
// (whose default escape, the backslash, is then an ordinary character).
func escapeLike(s string) string {
	return strings.NewReplacer(`!`, `!!`, `%`, `!%`, `_`, `!_`).Replace(s)
}

// PartyHistory returns the violations the database knows of a party, and
// of the vehicle with plate (traffic cases; "" for none): every issued
// decision that found a violation (penalties, warnings, and no-penalty
// decisions on the first-offense or minor-and-corrected grounds), each as
// a violation of its item (with the item's domain) on its act date.
// Decisions of case excludeCase are left out (a case is not its own
// history); a corrected decision counts once, through its correction.
// The history is the whole deployment's, as the law counts every record,
// but a decision outside scope sc shows only its number, date, item and
// authority (Source "other_authority"), never its id.
func (s *Store) PartyHistory(ctx context.Context, sc Scope, key, plate string, excludeCase uint) ([]rules.PriorViolation, error) {
	key, plate = strings.ToUpper(key), NormalizePlate(plate)
	if key == "" && plate == "" {
		return nil, nil
	}
	type row struct {
		DocID         uint
		AuthorityID   uint
		Number        *string
		AuthorityName string
		ViolationCode string
		ViolationDate string
		Kind          string
		Ground        string
		Domain        string
		PartyKey      string
	}
	var rows []row
	q := s.conn(ctx).Table("documents").
		Select("documents.id AS doc_id, documents.authority_id, documents.number, authorities.name AS authority_name, "+
			"cases.violation_code, cases.violation_date, documents.kind, cases.ground, catalog_items.domain, cases.party_key").
		Joins("JOIN cases ON cases.id = documents.case_id").
		Joins("LEFT JOIN authorities ON authorities.id = documents.authority_id").
		Joins("LEFT JOIN catalog_items ON catalog_items.id = cases.item_id").
		Where("cases.id <> ? AND documents.status IN ? AND documents.kind IN ?", excludeCase, []string{DocIssued, DocServed}, rules.DecisionKinds)
	switch {
	case key != "" && plate != "":
		q = q.Where("(cases.party_key = ? OR cases.vehicle_plate = ?)", key, plate)
	case plate != "":
		q = q.Where("cases.vehicle_plate = ?", plate)
	default:
		q = q.Where("cases.party_key = ?", key)
	}
	if err := q.Order("cases.violation_date, documents.id").Scan(&rows).Error; err != nil {
		return nil, errs.Wrap(err, "load party history")
	}
	var out []rules.PriorViolation
	for _, r := range rows {
		if r.Kind == rules.KindNoPenaltyDecision && r.Ground != rules.GroundFirstOffense && r.Ground != rules.GroundMinorCorrected {
			continue // limitation, age, capacity, no fault: no violation found
		}
		pv := rules.PriorViolation{ViolationCode: r.ViolationCode, Date: r.ViolationDate, Handled: true, Domain: r.Domain,
			Source: fmt.Sprintf("document:%d", r.DocID), Authority: r.AuthorityName}
		if r.Number != nil {
			pv.Number = *r.Number
		}
		if !sc.Allows(r.AuthorityID) {
			pv.Source = "other_authority"
		}
		if key == "" || !strings.EqualFold(r.PartyKey, key) {
			pv.Via = "vehicle"
		}
		out = append(out, pv)
	}
	return out, nil
}
