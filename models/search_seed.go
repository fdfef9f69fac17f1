package models

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// Bulk seeding (issue 12 item 7): N realistic cases and their documents
// for the scale benchmarks and demonstrations, written with multi-row
// INSERTs in large transactions on one connection. Issued documents carry
// no PDF and no render data (1,000,000 letters would be 80 GB and an hour
// of rendering): the seed writes neither column, and opening such a
// document answers a clear error (casework.ErrSeeded). The name index is
// written through insertGrams, as the service writes it.

// BulkOptions says what SeedCases makes.
type BulkOptions struct {
	Cases int
	// Cities is how many cities' offices (three each: market regulation,
	// public security, traffic police) the cases spread over; the first is
	// the default authorities'.
	Cities int
	// Years are the filing years, oldest first (default 2022-2026).
	Years []int
	// Seed makes the data reproducible.
	Seed uint64
	// Force seeds a database that already has cases.
	Force bool
	// Fast, on SQLite: no fsync (PRAGMA synchronous=OFF), the secondary
	// indexes dropped for the load and built at the end, and, when no
	// other connection has the file open, the file the seed's alone while
	// it runs (an exclusive lock, the rollback journal in memory instead
	// of the WAL; the WAL again at the end). A crash during a fast seed
	// may leave a damaged file: a demonstration or benchmark database to
	// seed again, never for a database in use (SeedCases refuses one
	// with cases unless Force). On MariaDB: the session skips the
	// uniqueness and foreign key checks.
	Fast bool
	// Progress, if set, is called after each chunk with the cases so far.
	Progress func(done int)
}

// BulkResult counts what SeedCases wrote.
type BulkResult struct {
	Cases, Documents, Parties, Grams, Users int
	Authorities                             []uint
	// GramTime and IndexTime (SQLite) are the times after the rows:
	// writing the name index in key order, building the indexes dropped
	// for the load.
	GramTime, IndexTime time.Duration
	// Exclusive (SQLite, Fast): the seed had the file to itself, journal
	// in memory; false, another connection had it open and the seed
	// wrote through the WAL.
	Exclusive bool
}

// SeedPassword is the password of every user SeedCases creates.
const SeedPassword = "seed-password-1"

// SeedCases fills a migrated, seeded database (Seed) with opt.Cases cases.
func (s *Store) SeedCases(ctx context.Context, opt BulkOptions) (res BulkResult, err error) {
	if len(opt.Years) == 0 {
		opt.Years = []int{2022, 2023, 2024, 2025, 2026}
	}
	opt.Cities = min(max(opt.Cities, 1), len(seedCities))
	db := s.conn(ctx)
	var n int64
	if err := db.Model(&Case{}).Count(&n).Error; err != nil {
		return res, errs.Wrap(err, "count cases")
	}
	if n > 0 && !opt.Force {
		return res, errs.E(errs.Conflict, "数据库中已有%d件案件：批量生成只用于空库（确需追加时使用 -force）", n)
	}
	g, err := s.newSeeder(ctx, opt)
	if err != nil {
		return res, err
	}
	res.Authorities, res.Users = g.authIDs(), g.users
	conn, err := s.SQLDB().Conn(ctx)
	if err != nil {
		return res, errs.Wrap(err, "seed connection")
	}
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	var bulk *bulkSQLite
	if s.dialect == DialectSQLite {
		if bulk, err = openBulkSQLite(ctx, conn, opt.Fast); err != nil {
			return res, err
		}
		defer bulk.close()
		if opt.Fast {
			// The seed's handle owns the file while it loads: the pool's
			// connections close (and wait for the handle if asked to
			// open), the handle writes without the WAL and builds the
			// indexes dropped for the load at the end.
			// Only an empty database: a crash while the journal is in
			// memory may damage the file, which must not befall the cases
			// a -force seed adds to.
			conn.Close()
			conn = nil
			if n == 0 {
				pool := s.SQLDB()
				pool.SetMaxIdleConns(0)
				err = bulk.own()
				pool.SetMaxIdleConns(SQLiteConns)
				if err != nil {
					return res, err
				}
			}
			res.Exclusive = bulk.owned
			if err := bulk.dropIndexes(); err != nil {
				return res, err
			}
		}
		// The name index rows (written last, in key order), the indexes
		// and the WAL: after (below) finishes; this, on a return before.
		defer func() {
			if ferr := bulk.finish(); ferr != nil && err == nil {
				err = ferr
			}
		}()
	}
	if s.dialect == DialectMySQL {
		// The literals are escaped with backslashes; fast, the seed's rows
		// (unique by construction) skip InnoDB's uniqueness and foreign
		// key checks on this session.
		set := "SET SESSION sql_mode = REPLACE(@@sql_mode, 'NO_BACKSLASH_ESCAPES', '')"
		if opt.Fast {
			set += ", unique_checks = 0, foreign_key_checks = 0"
		}
		if _, err := conn.ExecContext(ctx, set); err != nil {
			return res, errs.Wrap(err, "seed session")
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SET SESSION unique_checks = 1, foreign_key_checks = 1") //nolint:errcheck // the connection closes next
	}
	// The next chunk is made (on the other core) while this one is
	// written.
	const chunk = 5000
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *seedBatch, 1)
	go func() {
		defer close(batches)
		for done := 0; done < opt.Cases; {
			k := min(chunk, opt.Cases-done)
			b := g.batch(done, k, opt.Cases)
			select {
			case batches <- b:
			case <-gctx.Done():
				return
			}
			done += k
		}
	}()
	// after ends the seed, also when it stops: the name index rows of
	// the chunks written, the indexes, the WAL (finish), then the number
	// sequences. Stopped, they are saved at the numbers made so far, the
	// generator stopped first (the last chunks made may not have been
	// written: numbers skipped, never a number used twice).
	done := 0
	after := func(werr error) (BulkResult, error) {
		cancel()
		for range batches { // the generator has stopped when it closes them
		}
		var seqs sqlExecer = conn
		if bulk != nil {
			ferr := bulk.finish()
			res.GramTime, res.IndexTime = bulk.gramTime, bulk.indexTime
			if ferr != nil {
				return res, errors.Join(werr, ferr)
			}
			if conn == nil {
				seqs = s.SQLDB()
			}
		}
		if werr != nil && done == 0 {
			return res, werr
		}
		return res, errors.Join(werr, g.saveSequences(context.WithoutCancel(ctx), seqs))
	}
	for b := range batches {
		if err := ctx.Err(); err != nil {
			return after(errs.Wrap(err, "seed"))
		}
		if bulk != nil {
			err = bulk.write(b)
		} else {
			err = b.write(ctx, conn)
		}
		if err != nil {
			return after(err)
		}
		done += len(b.cases)
		res.Cases += len(b.cases)
		res.Documents += len(b.docs)
		res.Parties += len(b.parties)
		res.Grams += len(b.grams)
		if opt.Progress != nil {
			opt.Progress(done)
		}
	}
	if done < opt.Cases { // the generator stopped: the context is done
		return after(errs.Wrap(cmp.Or(ctx.Err(), context.Canceled), "seed"))
	}
	return after(nil)
}

// sqlExecer is a connection or the pool.
type sqlExecer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// seedCity is a city's three offices, their number prefixes' first
// character and the region code of its people's id numbers.
type seedCity struct{ name, short, region string }

var seedCities = []seedCity{{"杭州", "杭", "330102"}, {"宁波", "甬", "330203"}, {"温州", "温", "330302"}, {"嘉兴", "嘉", "330402"},
	{"湖州", "湖", "330502"}, {"绍兴", "绍", "330602"}, {"金华", "金", "330702"}, {"衢州", "衢", "330802"}, {"舟山", "舟", "330902"},
	{"台州", "台", "331002"}, {"丽水", "丽", "331102"}}

type seedAuthority struct {
	Authority
	region  string
	items   []CatalogItem
	officer []uint // officers, then the clerk last
	clerk   uint
}

type seqKey struct {
	authority uint
	series    string
	year      int
}

type seeder struct {
	rnd    *rand.Rand
	opt    BulkOptions
	auths  []seedAuthority
	seqs   map[seqKey]int64
	nextID struct{ cas, doc, party uint }
	users  int
	// known are parties seen, to file a repeat offender's next case.
	known   []seedParty
	evalMem map[string]seedEval
	keys    map[string]bool // the party keys taken
	now     time.Time
}

type seedParty struct {
	id    uint
	party rules.Party
	plate string
}

type seedEval struct {
	ev   rules.Evaluation
	json string
}

func (g *seeder) authIDs() []uint {
	out := make([]uint, len(g.auths))
	for i := range g.auths {
		out[i] = g.auths[i].ID
	}
	return out
}

// newSeeder creates the further cities' authorities and every
// authority's staff, and reads the catalogue and the number sequences.
func (s *Store) newSeeder(ctx context.Context, opt BulkOptions) (*seeder, error) {
	g := &seeder{rnd: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x5eed)), opt: opt, seqs: map[seqKey]int64{}, evalMem: map[string]seedEval{}, keys: map[string]bool{}, now: s.now()}
	db := s.conn(ctx)
	var items []CatalogItem
	if err := db.Where("active = ?", true).Order("id").Find(&items).Error; err != nil {
		return nil, errs.Wrap(err, "load catalogue")
	}
	var as []Authority
	if err := db.Order("id").Find(&as).Error; err != nil {
		return nil, errs.Wrap(err, "load authorities")
	}
	if len(as) == 0 {
		return nil, errs.E(errs.Conflict, "数据库尚未初始化（没有执法机关）")
	}
	base := DefaultAuthorities()
	for c := 1; c < opt.Cities; c++ {
		city := seedCities[c]
		for _, b := range base {
			name := strings.Replace(b.Name, "杭州", city.name, 1)
			var n int64
			if err := db.Model(&Authority{}).Where("name = ?", name).Count(&n).Error; err != nil {
				return nil, errs.Wrap(err, "find authority")
			}
			if n > 0 {
				continue
			}
			a := b
			a.Name, a.ShortName = name, strings.Replace(b.ShortName, "杭州", city.name, 1)
			for _, p := range []*string{&a.NumberPrefix, &a.NoPenaltyPrefix, &a.NoticePrefix, &a.OnTheSpotPrefix, &a.CasePrefix} {
				*p = strings.Replace(*p, "杭", city.short, 1)
			}
			a.ReconsiderationBody = strings.Replace(a.ReconsiderationBody, "杭州", city.name, 1)
			a.Court = city.name + "市中级人民法院"
			if err := db.Create(&a).Error; err != nil {
				return nil, errs.Wrap(err, "create authority")
			}
			as = append(as, a)
		}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(SeedPassword), BcryptCost)
	if err != nil {
		return nil, err
	}
	for i, a := range as {
		city := seedCities[min(i/3, len(seedCities)-1)]
		sa := seedAuthority{Authority: a, region: city.region}
		for _, it := range items {
			if slices.Contains(a.DomainList(), it.Domain) {
				sa.items = append(sa.items, it)
			}
		}
		if len(sa.items) == 0 {
			sa.items = items
		}
		roles := []string{RoleOfficer, RoleOfficer, RoleOfficer, RoleOfficer, RoleOfficer, RoleOfficer, RoleReviewer, RoleApprover, RoleClerk}
		for j, role := range roles {
			u := User{Username: fmt.Sprintf("seed%d_%s%d", a.ID, role, j), PasswordHash: string(hash), DisplayName: seedPerson(g.rnd),
				Roles: role, AuthorityID: &as[i].ID, Active: true}
			if role == RoleOfficer {
				u.CertificateNumber = fmt.Sprintf("33%06d", int(a.ID)*100+j)
			}
			if err := db.Where("username = ?", u.Username).FirstOrCreate(&u).Error; err != nil {
				return nil, errs.Wrap(err, "create seed user")
			}
			g.users++
			if role == RoleOfficer {
				sa.officer = append(sa.officer, u.ID)
			}
			if role == RoleClerk {
				sa.clerk = u.ID
			}
		}
		g.auths = append(g.auths, sa)
	}
	var keys []string
	if err := db.Table("parties").Pluck("`key`", &keys).Error; err != nil {
		return nil, errs.Wrap(err, "load party keys")
	}
	for _, k := range keys {
		g.keys[k] = true
	}
	var seqs []NumberSequence
	if err := db.Find(&seqs).Error; err != nil {
		return nil, errs.Wrap(err, "load number sequences")
	}
	for _, q := range seqs {
		g.seqs[seqKey{q.AuthorityID, q.Series, q.Year}] = q.Last
	}
	for _, t := range []struct {
		table string
		next  *uint
	}{{"cases", &g.nextID.cas}, {"documents", &g.nextID.doc}, {"parties", &g.nextID.party}} {
		var m sql.NullInt64
		if err := db.Table(t.table).Select("MAX(id)").Scan(&m).Error; err != nil {
			return nil, errs.Wrap(err, "read %s ids", t.table)
		}
		*t.next = uint(m.Int64) + 1
	}
	return g, nil
}

// next is the next serial of (authority, series, year).
func (g *seeder) next(a uint, series string, year int) int64 {
	k := seqKey{a, series, year}
	g.seqs[k]++
	return g.seqs[k]
}

// saveSequences stores the sequences' last serials, so that issuing
// after the seed goes on from them.
func (g *seeder) saveSequences(ctx context.Context, conn sqlExecer) error {
	for k, last := range g.seqs {
		res, err := conn.ExecContext(ctx, "UPDATE number_sequences SET last = ? WHERE authority_id = ? AND series = ? AND year = ? AND last < ?", last, k.authority, k.series, k.year, last)
		if err != nil {
			return errs.Wrap(err, "save number sequence")
		}
		if n, _ := res.RowsAffected(); n > 0 {
			continue
		}
		var have int64
		if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM number_sequences WHERE authority_id = ? AND series = ? AND year = ?", k.authority, k.series, k.year).Scan(&have); err != nil {
			return errs.Wrap(err, "find number sequence")
		}
		if have == 0 {
			if _, err := conn.ExecContext(ctx, "INSERT INTO number_sequences (authority_id, series, year, last) VALUES (?, ?, ?, ?)", k.authority, k.series, k.year, last); err != nil {
				return errs.Wrap(err, "create number sequence")
			}
		}
	}
	return nil
}

// seedBatch is one chunk's rows, by table.
type seedBatch struct {
	cases, docs, parties [][]any
	grams                []seedGram
}

// seedGram is a row of case_grams packed in 16 bytes: the gram's UTF-8
// bytes (two characters at most, eight bytes) big-endian in key, zero
// padded, so that the keys sort as SQLite's BINARY collation sorts the
// rows' primary key (gram, authority_id, case_id).
type seedGram struct {
	key            uint64
	authority, cas uint32
}

func packGram(gram string, authority, caseID uint) seedGram {
	var b [8]byte
	if len(gram) > len(b) {
		panic("seed: gram " + gram + " longer than two characters")
	}
	copy(b[:], gram)
	return seedGram{key: binary.BigEndian.Uint64(b[:]), authority: uint32(authority), cas: uint32(caseID)}
}

func (g seedGram) gram() string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], g.key)
	return strings.TrimRight(string(b[:]), "\x00")
}

func (g seedGram) row() []any { return []any{g.gram(), uint(g.authority), uint(g.cas)} }

func compareGrams(a, b seedGram) int {
	return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.authority, b.authority), cmp.Compare(a.cas, b.cas))
}

var (
	caseCols  = "id, number, authority_id, item_id, violation_code, party_id, party_name, party_key, status, violation_date, discovered_date, decision_date, outcome, ground, facts_json, evaluation_json, legal_review, vehicle_plate, payment_state, basis_hash, officer_id, officer_ids, withdrawn_reason, created_at, updated_at"
	docCols   = "id, case_id, authority_id, kind, status, template_version, review_stage, basis_json, comment, series, year, serial, number, issue_date, issued_at, sha256, fine, answer_days, serves_id, served_date, served_at, service_method, served_to, created_by_id, created_at, updated_at"
	partyCols = "id, kind, name, `key`, address, legal_representative, phone, created_at, updated_at"
)

type seedTable struct {
	table, cols string
	rows        [][]any
}

// tables are the batch's rows, table by table in the order they are
// written; withGrams, the name index's rows last.
func (b *seedBatch) tables(withGrams bool) []seedTable {
	ts := []seedTable{{"parties", partyCols, b.parties}, {"cases", caseCols, b.cases}, {"documents", docCols, b.docs}}
	if withGrams {
		rows := make([][]any, len(b.grams))
		for i, g := range b.grams {
			rows[i] = g.row()
		}
		ts = append(ts, seedTable{"case_grams", gramCols, rows})
	}
	return ts
}

const gramCols = "gram, authority_id, case_id"

// write inserts the batch in one transaction on conn (MariaDB).
func (b *seedBatch) write(ctx context.Context, conn *sql.Conn) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return errs.Wrap(err, "begin seed")
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	for _, t := range b.tables(true) {
		if err := insertRows(ctx, tx, t.table, t.cols, t.rows); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return errs.Wrap(err, "commit seed")
	}
	return nil
}

// insertRows writes rows (MariaDB) with multi-row INSERTs of about
// seedStatementBytes each, the values written into the statement as
// literals: one round trip and one parse per statement, and no limit of
// 65,535 parameters (a prepared statement of ~1,000 parameters, 40 cases,
// was a round trip per 40 rows).
func insertRows(ctx context.Context, tx *sql.Tx, table, cols string, rows [][]any) error {
	head := "INSERT INTO " + table + " (" + cols + ") VALUES "
	var b strings.Builder
	b.Grow(seedStatementBytes + 64<<10)
	flush := func() error {
		if b.Len() == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, b.String()); err != nil {
			return errs.Wrap(err, "seed %s", table)
		}
		b.Reset()
		return nil
	}
	for _, r := range rows {
		if b.Len() == 0 {
			b.WriteString(head)
		} else {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for i, v := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := mysqlLiteral(&b, v); err != nil {
				return errs.Wrap(err, "seed %s", table)
			}
		}
		b.WriteByte(')')
		if b.Len() >= seedStatementBytes {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// seedStatementBytes is about the length of one seed INSERT on MariaDB
// (max_allowed_packet is 16 MB by default).
const seedStatementBytes = 4 << 20

// mysqlLiteral writes v as a MariaDB literal, as the driver would send
// it bound: strings escaped for the default sql_mode (backslash escapes
// on; the seed connection sets it so), times in UTC with microseconds,
// booleans as 1/0.
func mysqlLiteral(b *strings.Builder, v any) error {
	var buf [40]byte
	switch x := v.(type) {
	case nil:
		b.WriteString("NULL")
	case string:
		b.WriteByte('\'')
		for i := 0; i < len(x); i++ {
			switch c := x[i]; c {
			case '\'', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case 0:
				b.WriteString(`\0`)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case 0x1a:
				b.WriteString(`\Z`)
			default:
				b.WriteByte(c)
			}
		}
		b.WriteByte('\'')
	case int:
		b.Write(strconv.AppendInt(buf[:0], int64(x), 10))
	case int64:
		b.Write(strconv.AppendInt(buf[:0], x, 10))
	case uint:
		b.Write(strconv.AppendUint(buf[:0], uint64(x), 10))
	case float64:
		b.Write(strconv.AppendFloat(buf[:0], x, 'g', -1, 64))
	case bool:
		if x {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
	case time.Time:
		b.WriteByte('\'')
		b.Write(x.UTC().AppendFormat(buf[:0], "2006-01-02 15:04:05.999999"))
		b.WriteByte('\'')
	default:
		cv, err := driver.DefaultParameterConverter.ConvertValue(v)
		if err != nil {
			return err
		}
		if fmt.Sprintf("%T", cv) == fmt.Sprintf("%T", v) {
			return fmt.Errorf("no literal for %T", v)
		}
		return mysqlLiteral(b, cv)
	}
	return nil
}

// batch makes cases [from, from+k) of total: case i is filed at i/total
// of the way through the years, so that ids and dates rise together.
func (g *seeder) batch(from, k, total int) *seedBatch {
	b := &seedBatch{}
	first := time.Date(g.opt.Years[0], 1, 3, 9, 0, 0, 0, China)
	last := time.Date(g.opt.Years[len(g.opt.Years)-1], 11, 30, 17, 0, 0, 0, China)
	span := last.Sub(first)
	for i := from; i < from+k; i++ {
		// To the second: a time's text is then 25 bytes, not 35.
		at := first.Add(time.Duration(float64(span) * float64(i) / float64(max(total, 1)))).Truncate(time.Second)
		g.oneCase(b, at, float64(i)/float64(max(total, 1)))
	}
	return b
}

// caseStatus is a case's status as a real office's spread: old cases are
// closed, recent ones still drafts, in review or executing.
func (g *seeder) caseStatus(age float64) string {
	r := g.rnd.Float64()
	recent := age > 0.97 // the last weeks
	switch {
	case r < 0.03:
		return CaseWithdrawn
	case recent && r < 0.35:
		return CaseDraft
	case recent && r < 0.70:
		return CaseOpen
	case r < 0.06:
		return CaseDraft
	case r < 0.10:
		return CaseOpen
	case r < 0.25 || recent:
		return CaseExecuting
	}
	return CaseClosed
}

func (g *seeder) oneCase(b *seedBatch, at time.Time, age float64) {
	sa := &g.auths[g.rnd.IntN(len(g.auths))]
	violation := at.AddDate(0, 0, -1-g.rnd.IntN(20)).Format(dateLayout)
	// An item in force on the violation date (APL Art. 37: the rule of
	// the time of the act), as an officer would choose.
	it := sa.items[g.rnd.IntN(len(sa.items))]
	for range 20 {
		if (it.ValidFrom == "" || it.ValidFrom <= violation) && (it.ValidUntil == "" || violation <= it.ValidUntil) {
			break
		}
		it = sa.items[g.rnd.IntN(len(sa.items))]
	}
	sp := g.party(b, sa, it.Domain, at)
	status := g.caseStatus(age)
	discovered := at.Format(dateLayout)
	f := rules.Facts{AuthorityID: sa.ID, ViolationCode: it.Code, Party: sp.party, ViolationDate: violation, DiscoveredDate: discovered,
		Facts: "经查，当事人于" + violation + "存在" + it.Name + "的行为。", Evidence: []string{"现场检查笔录", "询问笔录"},
		VehiclePlate: sp.plate, Corrected: g.rnd.IntN(2) == 0}
	if it.FineMax > 0 {
		f.ProposedFine = it.FineMin + float64(g.rnd.IntN(5))*(it.FineMax-it.FineMin)/4
	}
	if it.ValueFine != nil {
		f.GoodsValue = float64(200 + 100*g.rnd.IntN(50)) // in hundreds: the evaluation (which names it) is kept per value
	}
	decAt := at.AddDate(0, 0, 10+g.rnd.IntN(30))
	ev := g.evaluate(sa, it, f, decAt.Format(dateLayout))
	c := Case{Facts: f}
	c.SetFacts(f, ev.ev)
	id := g.nextID.cas
	g.nextID.cas++
	year := at.Year()
	number := FormatNumber(sa.CaseNumberPrefix(), year, g.next(sa.ID, sa.CaseNumberPrefix(), year))
	officer := sa.officer[g.rnd.IntN(len(sa.officer))]
	payment, decisionDate := "", ""
	decided := status == CaseExecuting || status == CaseClosed
	if decided {
		decisionDate = decAt.Format(dateLayout)
		if ev.ev.Fine.Recommended > 0 {
			payment = rules.PayUnpaid
			if status == CaseClosed {
				payment = rules.PayPaid
			}
		}
	}
	var withdrawn any
	if status == CaseWithdrawn {
		withdrawn = "重复立案"
	}
	created := at.UTC()
	b.cases = append(b.cases, []any{id, number, sa.ID, it.ID, it.Code, sp.id, c.PartyName, c.PartyKey, status, violation, discovered, decisionDate,
		c.Outcome, c.Ground, seedJSON(f), ev.json, c.LegalReview, c.VehiclePlate, payment, c.BasisHash, officer, fmt.Sprint(officer), withdrawn, created, created})
	for _, gr := range nameGrams(c.PartyName) {
		b.grams = append(b.grams, packGram(gr, sa.ID, id))
	}
	g.documents(b, sa, id, officer, status, ev.ev, c.BasisHash, at, decAt)
}

// documents are case id's letters as its status has them: a draft, a
// draft in review or approved, an issued advance notice, an issued or
// served decision, each issued letter with its service receipt.
func (g *seeder) documents(b *seedBatch, sa *seedAuthority, caseID, officer uint, status string, ev rules.Evaluation, basisHash string, at, decAt time.Time) {
	kind := ev.DocumentKind
	if kind == "" {
		kind = rules.KindPenaltyDecision
	}
	basis, _ := json.Marshal(rules.Basis{Outcome: ev.Outcome, Ground: ev.Ground, DocumentKind: kind, Penalties: ev.Penalties, Hash: basisHash})
	add := func(kind, st string, stage int, issued *time.Time, served bool, serves any) uint {
		id := g.nextID.doc
		g.nextID.doc++
		var (
			series, number, issueDate, servedDate, method, servedTo any = "", nil, "", "", "", ""
			year, serial                                            any = 0, 0
			issuedAt, servedAt                                      any
			sum                                                     any = ""
		)
		if issued != nil {
			issueDate, issuedAt = issued.Format(dateLayout), issued.UTC()
			sum = fmt.Sprintf("%064x", id) // no bytes are stored: a marker, not a hash of a file
			if Numbered(kind) {
				prefix, y := sa.PrefixFor(kind), issued.Year()
				n := g.next(sa.ID, prefix, y)
				series, year, serial, number = prefix, y, n, FormatNumber(prefix, y, n)
			}
			if served {
				s := issued.AddDate(0, 0, 1+g.rnd.IntN(5))
				servedDate, servedAt, method, servedTo = s.Format(dateLayout), s.UTC(), "直接送达", "当事人"
			}
		}
		created := at.UTC()
		b.docs = append(b.docs, []any{id, caseID, sa.ID, kind, st, 1, stage, string(basis), "", series, year, serial, number, issueDate, issuedAt, sum,
			ev.Fine.Recommended, 0, serves, servedDate, servedAt, method, servedTo, officer, created, created})
		return id
	}
	issue := func(kind string, when time.Time, served bool) {
		st := DocIssued
		if served {
			st = DocServed
		}
		d := add(kind, st, 0, &when, served, nil)
		add(rules.KindServiceReceipt, st, 0, &when, served, d)
	}
	switch status {
	case CaseDraft:
		if g.rnd.IntN(2) == 0 {
			add(kind, DocDraft, 0, nil, false, nil)
		}
	case CaseWithdrawn:
		add(kind, DocWithdrawn, 0, nil, false, nil)
	case CaseOpen:
		switch r := g.rnd.IntN(10); {
		case r < 4:
			add(kind, DocReviewing, r%2, nil, false, nil)
		case r < 6:
			add(kind, DocApproved, 1, nil, false, nil)
		default:
			issue(rules.KindAdvanceNotice, at.AddDate(0, 0, 3), r < 9)
		}
	case CaseExecuting, CaseClosed:
		if kind == rules.KindPenaltyDecision {
			issue(rules.KindAdvanceNotice, at.AddDate(0, 0, 3), true)
		}
		issue(kind, decAt, status == CaseClosed || g.rnd.IntN(3) > 0)
	}
}

// evaluate is the rules' evaluation of facts like f for item it as
// decided on decisionDate, made once per item, party kind, circumstances
// (correction, proposed fine, goods value) and year, and kept: it does not
// depend on the party's name, and the dates the seed varies within a year
// stay inside the limitation period and one rule set. Facts the rules
// refuse (none the seed makes: TestSeedCasesReadBack) get a placeholder.
func (g *seeder) evaluate(sa *seedAuthority, it CatalogItem, f rules.Facts, decisionDate string) seedEval {
	key := fmt.Sprint(sa.ID, it.Code, f.Party.Kind, f.Corrected, f.ProposedFine, f.GoodsValue, decisionDate[:4])
	if e, ok := g.evalMem[key]; ok {
		return e
	}
	ev, err := rules.Evaluate(f, it.Rule(), nil, sa.Settings(), decisionDate)
	if err != nil || ev.Outcome == "" {
		ev = rules.Evaluation{Outcome: rules.OutcomePenalty, DocumentKind: rules.KindPenaltyDecision, RuleSetVersion: "seed",
			Fine: rules.Fine{Min: f.ProposedFine, Max: f.ProposedFine, Recommended: f.ProposedFine}, Reasons: []string{"批量生成的演示数据"}}
	}
	e := seedEval{ev: ev, json: seedJSON(ev)}
	g.evalMem[key] = e
	return e
}

func seedJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // facts and evaluations always marshal
	}
	return string(b)
}

// party is the case's party: one known before (a repeat offender, one
// case in ten) or a new person or organisation of the authority's city.
func (g *seeder) party(b *seedBatch, sa *seedAuthority, domain string, at time.Time) seedParty {
	if len(g.known) > 100 && g.rnd.IntN(10) == 0 {
		return g.known[g.rnd.IntN(len(g.known))]
	}
	var p rules.Party
	org := false
	defer func() { g.keys[PartyKey(p)] = true }()
	switch domain {
	case rules.DomainMarketRegulation:
		org = g.rnd.IntN(3) > 0
	case rules.DomainPublicSecurity:
		org = g.rnd.IntN(10) == 0
	}
	if org {
		p = rules.Party{Kind: rules.PartyOrganization, Name: seedOrgName(g.rnd, seedCities[min(int(sa.ID-1)/3, len(seedCities)-1)].name),
			CreditCode: seedCreditCode(g.rnd, sa.region), LegalRepresentative: seedPerson(g.rnd)}
		for g.keys[p.CreditCode] {
			p.CreditCode = seedCreditCode(g.rnd, sa.region)
		}
	} else {
		birth := time.Date(1950+g.rnd.IntN(55), time.Month(1+g.rnd.IntN(12)), 1+g.rnd.IntN(28), 0, 0, 0, 0, time.UTC)
		p = rules.Party{Kind: rules.PartyPerson, Name: seedPerson(g.rnd), IDNumber: seedIDNumber(g.rnd, sa.region, birth), BirthDate: birth.Format(dateLayout)}
		for g.keys[p.IDNumber] {
			p.IDNumber = seedIDNumber(g.rnd, sa.region, birth)
		}
		if g.rnd.IntN(2) == 0 {
			p.Sex = "男"
		} else {
			p.Sex = "女"
		}
	}
	p.Address = seedCities[0].name + "市" + seedStreets[g.rnd.IntN(len(seedStreets))] + fmt.Sprintf("%d号", 1+g.rnd.IntN(300))
	p.Phone = fmt.Sprintf("13%09d", g.rnd.IntN(1_000_000_000))
	sp := seedParty{id: g.nextID.party, party: p}
	g.nextID.party++
	if domain == rules.DomainTraffic {
		sp.plate = seedPlate(g.rnd)
	}
	created := at.UTC()
	b.parties = append(b.parties, []any{sp.id, p.Kind, p.Name, PartyKey(p), p.Address, p.LegalRepresentative, p.Phone, created, created})
	if len(g.known) < 20000 {
		g.known = append(g.known, sp)
	} else {
		g.known[g.rnd.IntN(len(g.known))] = sp
	}
	return sp
}

var (
	seedSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	seedGiven    = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉梅文辉鑫宇浩然子轩欣怡梓涵晨雨思源嘉豪俊杰雪婷丹宁波海燕红志")
	seedBrands   = []string{"恒达", "鑫源", "华泰", "永盛", "金鼎", "瑞丰", "宏图", "顺发", "天成", "佳美", "新锐", "博远", "合力", "兴旺", "德润", "云帆", "锦程", "安康", "百信", "联创"}
	seedTrades   = []string{"食品", "餐饮", "超市", "贸易", "建材", "五金", "服装", "医药", "化工", "物流", "电子", "广告", "农产品", "酒店", "汽车服务"}
	seedForms    = []string{"有限公司", "有限责任公司", "商行", "经营部", "店"}
	seedStreets  = []string{"上城区解放路", "拱墅区湖墅南路", "西湖区文三路", "滨江区江南大道", "萧山区人民路", "余杭区临平大道", "钱塘区学源街"}
	plateLetters = "ABCDEFGHJK"
)

// seedPerson is a Chinese name: a common surname and one or two given
// characters.
func seedPerson(r *rand.Rand) string {
	n := string(seedSurnames[r.IntN(len(seedSurnames))]) + string(seedGiven[r.IntN(len(seedGiven))])
	if r.IntN(3) > 0 {
		n += string(seedGiven[r.IntN(len(seedGiven))])
	}
	return n
}

func seedOrgName(r *rand.Rand, city string) string {
	return city + seedBrands[r.IntN(len(seedBrands))] + seedTrades[r.IntN(len(seedTrades))] + seedForms[r.IntN(len(seedForms))]
}

// seedIDNumber is an 18-digit resident id number (GB 11643) of region,
// born on birth, with its check digit.
func seedIDNumber(r *rand.Rand, region string, birth time.Time) string {
	body := region + birth.Format("20060102") + fmt.Sprintf("%03d", r.IntN(1000))
	return body + string(IDCheckDigit(body))
}

// IDCheckDigit is the check character of the first 17 digits of a
// resident id number (ISO 7064 MOD 11-2).
func IDCheckDigit(body string) byte {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body[i]-'0') * weights[i]
	}
	return "10X98765432"[sum%11]
}

const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// seedCreditCode is an 18-character unified social credit code (GB
// 32100): registered by market regulation (9), an enterprise (1), in
// region, with an organisation code and both check characters.
func seedCreditCode(r *rand.Rand, region string) string {
	org := make([]byte, 8)
	for i := range org {
		org[i] = byte('0' + r.IntN(10))
	}
	body := "91" + region + string(org) + string(orgCheck(org))
	return body + string(CreditCheckChar(body))
}

// orgCheck is the check character of an organisation code of eight
// digits (GB 11714).
func orgCheck(code []byte) byte {
	weights := []int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range code {
		sum += int(c-'0') * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// CreditCheckChar is the check character of the first 17 characters of a
// unified social credit code.
func CreditCheckChar(body string) byte {
	weights := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(creditChars, body[i]) * weights[i]
	}
	return creditChars[(31-sum%31)%31]
}

func seedPlate(r *rand.Rand) string {
	b := []byte{plateLetters[r.IntN(len(plateLetters))]}
	for range 5 {
		if r.IntN(4) == 0 {
			b = append(b, "ABCDEFGHJKLMNPQRSTUVWXYZ"[r.IntN(24)])
		} else {
			b = append(b, byte('0'+r.IntN(10)))
		}
	}
	return "浙" + string(b)
}
