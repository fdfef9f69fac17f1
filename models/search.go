package models

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
	"gorm.io/gorm"

	"penaltydoc/errs"
)

// Search (issue 12 item 4): a query is answered by its shape, each shape
// through an index, never by OR-ing every column into one scan:
//
//   - an id number or credit code (15 or 18 letters and digits): cases.party_key
//   - a number with 〔〕: documents.number and cases.number, exactly
//   - a vehicle plate (浙A12345): cases.vehicle_plate
//   - a catalogue code (SP-001): cases.violation_code
//   - anything else, a part of the party's name: the name index case_grams
//     (every character and every pair of adjacent characters of the name,
//     folded), read for the query's rarest gram, each candidate checked
//     with the LIKE the list used before, so the rows are the same.

// searchKind is how a query is answered.
type searchKind int

const (
	searchNone searchKind = iota
	searchParty
	searchNumber
	searchPlate
	searchItem
	searchName
)

type search struct {
	kind  searchKind
	value string // the key, number, plate or code; the name part as typed
}

var (
	partyKeyShape = regexp.MustCompile(`^(?:[0-9A-Z]{18}|[0-9]{15})$`)
	plateShape    = regexp.MustCompile(`^[\p{Han}][A-Z][0-9A-Z]{4,5}[\p{Han}0-9A-Z]?$`)
	itemShape     = regexp.MustCompile(`^[A-Z]{2,4}-[0-9]{3}(?:-[0-9]{4})?$`)
	digit         = regexp.MustCompile(`[0-9]`)
)

// classify is the shape of query q.
func classify(q string) search {
	t := strings.TrimSpace(q)
	if t == "" {
		return search{}
	}
	up := strings.ToUpper(t)
	switch {
	case partyKeyShape.MatchString(up) && digit.MatchString(up):
		return search{searchParty, up}
	case strings.ContainsAny(t, "〔〕[]"): // FormatNumber's year brackets
		return search{searchNumber, t}
	case itemShape.MatchString(up):
		return search{searchItem, up}
	case plateShape.MatchString(NormalizePlate(t)):
		return search{searchPlate, NormalizePlate(t)}
	}
	return search{searchName, t}
}

// foldName is a name as the name index keys it: letters lower case, full
// width forms narrow, accents dropped, so that every name the LIKE of
// either database matches for a part has that part's grams.
func foldName(s string) []rune {
	s = norm.NFD.String(width.Fold.String(s))
	out := make([]rune, 0, utf8.RuneCountInString(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		out = append(out, unicode.ToLower(r))
	}
	return out
}

// nameGrams are the distinct grams of name: each character and each pair
// of adjacent characters.
func nameGrams(name string) []string {
	rs := foldName(name)
	out := make([]string, 0, 2*len(rs))
	for i := range rs {
		out = append(out, string(rs[i]))
		if i+1 < len(rs) {
			out = append(out, string(rs[i:i+2]))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// queryGrams are the grams a name part is looked up by: its pairs, or the
// one character of a one-character part.
func queryGrams(part string) []string {
	rs := foldName(part)
	if len(rs) == 1 {
		return []string{string(rs)}
	}
	var out []string
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, string(rs[i:i+2]))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// gramCap bounds the count by which the rarest gram is chosen.
const gramCap = 2000

// rarestGram is the gram of part with the fewest cases in authorities
// (counted up to gramCap), or "" when part has no gram.
func (s *Store) rarestGram(db *gorm.DB, part string, authorities []uint) (string, error) {
	gs := queryGrams(part)
	if len(gs) <= 1 {
		return strings.Join(gs, ""), nil
	}
	best, bestN := "", int64(-1)
	for _, g := range gs {
		var n int64
		sub := db.Session(&gorm.Session{NewDB: true}).Table("case_grams").Select("1").Where("gram = ? AND authority_id IN ?", g, authorities).Limit(gramCap)
		if err := db.Session(&gorm.Session{NewDB: true}).Table("(?) AS t", sub).Count(&n).Error; err != nil {
			return "", errs.Wrap(err, "count name grams")
		}
		if bestN < 0 || n < bestN {
			best, bestN = g, n
		}
		if n == 0 {
			break
		}
	}
	return best, nil
}

// reindexName keeps the name index in step with a case whose party name
// or authority changed (from old, nothing for a new case, to new). The one
// place case_grams is written, for the service and the seed alike.
func reindexName(tx *gorm.DB, caseID, oldAuthority uint, oldName string, newAuthority uint, newName string) error {
	if oldAuthority == newAuthority && oldName == newName {
		return nil
	}
	if oldName != "" || oldAuthority != 0 {
		if err := tx.Exec("DELETE FROM case_grams WHERE case_id = ? AND authority_id = ? AND gram IN ?", caseID, oldAuthority, nameGrams(oldName)).Error; err != nil {
			return errs.Wrap(err, "update name index")
		}
	}
	return insertGrams(tx, []gramRow{{caseID, newAuthority, newName}})
}

type gramRow struct {
	caseID, authorityID uint
	name                string
}

// insertGrams adds the grams of rows to the name index, in statements of
// at most gramBatch rows.
func insertGrams(tx *gorm.DB, rows []gramRow) error {
	const gramBatch = 2000
	var (
		sb   strings.Builder
		args []any
		n    int
	)
	flush := func() error {
		if n == 0 {
			return nil
		}
		err := tx.Exec(sb.String(), args...).Error
		sb.Reset()
		args, n = args[:0], 0
		if err != nil {
			return errs.Wrap(err, "write name index")
		}
		return nil
	}
	for _, r := range rows {
		for _, g := range nameGrams(r.name) {
			if n == 0 {
				sb.WriteString("INSERT INTO case_grams (gram, authority_id, case_id) VALUES (?,?,?)")
			} else {
				sb.WriteString(",(?,?,?)")
			}
			args = append(args, g, r.authorityID, r.caseID)
			if n++; n == gramBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// scopeAuthorities are the authorities of scope sc: every authority for
// the whole deployment. The lists read each authority's own index range
// and merge them, so that every page starts from an index in its order.
func (s *Store) scopeAuthorities(db *gorm.DB, sc Scope) ([]uint, error) {
	if !sc.All {
		out := slices.Clone(sc.Authorities)
		slices.Sort(out)
		return slices.Compact(out), nil
	}
	var ids []uint
	if err := db.Session(&gorm.Session{NewDB: true}).Table("authorities").Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, errs.Wrap(err, "list authorities")
	}
	return ids, nil
}

// mergeByID merges lists each ordered by id (newest first when desc) into
// one, at most limit long.
func mergeByID[T any](parts [][]T, id func(*T) uint, desc bool, limit int) []T {
	var out []T
	for _, p := range parts {
		out = append(out, p...)
	}
	slices.SortFunc(out, func(a, b T) int {
		x, y := id(&a), id(&b)
		if desc {
			x, y = y, x
		}
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// TotalCap is where a list stops counting: a total of TotalCap means
// "TotalCap or more" (the page shows 10000+).
const TotalCap = 10000

// NameTotalCap is TotalCap of a search by a part of the name (1000+).
const NameTotalCap = 1000

// Analyze refreshes the planner's statistics after a bulk load (SQLite
// ANALYZE, MySQL ANALYZE TABLE), so that it picks the lists' indexes.
func (s *Store) Analyze(ctx context.Context) error {
	ctx = withoutQueryDeadline(ctx)
	if s.dialect != DialectMySQL {
		if _, err := s.SQLDB().ExecContext(ctx, "ANALYZE"); err != nil {
			return errs.Wrap(err, "analyze")
		}
		return nil
	}
	rows, err := s.SQLDB().QueryContext(ctx, "ANALYZE TABLE cases, documents, case_grams, parties, print_marks")
	if err != nil {
		return errs.Wrap(err, "analyze")
	}
	for rows.Next() { // MySQL answers a row per table
	}
	return errors.Join(rows.Err(), rows.Close())
}
