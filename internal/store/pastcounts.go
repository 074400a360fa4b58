package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// The statistics of a past day from dated counters (migration 0035,
// past_stat_counts). The statement of a past day (statsScan with
// asOfMembers) counts every membership open on day d (the members row from
// unit_since on; the official past_memberships [valid_from, valid_to)) of a
// unit whose unit_history row of d lies under the path asked for, by the
// status the record's dates give on d, the gender, and the age band on d.
// For one membership and one history row of its unit, status and band are
// step functions of d whose steps are known dates (status_since, full_on,
// admitted_on; the days the member crosses an age band's bound), so the
// membership is a few pieces [from, to) with one (status, gender, band)
// each, and the figures on d of a path are the number of pieces under it
// with from <= d < to: the sum up to d of +1 at each piece's start and -1
// at its end. past_stat_counts keeps those sums by path prefix (depth 0
// and 1 only: a province or city and its districts) and by year, month and
// day of the change.
//
// The counters are kept in the write's own transaction: triggers log every
// changed row of members, past_memberships and unit_history (old image -1,
// new image +1) into past_stat_log, and applyPastLog, run by DB.Write
// before every commit, turns the log into counter changes: the pieces of
// the members and units it names after the writes minus before them (the
// state before is the state after with the logged images undone).

// pastCountsDepth is the deepest path prefix counted: depth 0 (a province,
// a city) and 1 (their districts). Deeper subtrees are read by the
// statement (their cost follows their size, a commune's at most).
const pastCountsDepth = 1

// pastOpen is the end of a piece that has none (after every date).
const pastOpen = "~"

// pastLockKey serialises applyPastLog on PostgreSQL ("sotay_pa"): each
// transaction reads the state every earlier one committed.
const pastLockKey int64 = 0x736f7461795f7061

// pastKey is what a piece counts under: the status on the day, and for an
// active status the gender and age band ("" otherwise).
type pastKey struct{ status, gender, band string }

// pastDelta is a change of the count of a key (pastAcc.keys) under a
// prefix (pastAcc.prefixes) on a day (YYYYMMDD): integers, so that the
// millions of a recount cost neither memory nor the collector's time.
type pastDelta struct {
	prefix, day int32
	key         uint16
}

// pastAcc sums deltas.
type pastAcc struct {
	n        map[pastDelta]int64
	prefixes []string
	prefixID map[string]int32
	keys     []pastKey
	keyID    map[pastKey]uint16
	// keyText numbers the keys by their columns' texts joined by NULs
	// (rowOf), keyBuf is where they are joined.
	keyText map[string]uint16
	keyBuf  []byte
	err     error
}

func newPastAcc() *pastAcc {
	return &pastAcc{n: map[pastDelta]int64{}, prefixID: map[string]int32{}, keyID: map[pastKey]uint16{}}
}

func (acc *pastAcc) prefix(p string) int32 { return intern(&acc.prefixes, acc.prefixID, p) }

func (acc *pastAcc) key(k pastKey) uint16 { return intern(&acc.keys, acc.keyID, k) }

// intern returns v's number in list, appending it (and numbering it in
// ids) the first time: the accumulator keeps small numbers in its map
// keys instead of strings, for the memory of a whole city's backfill.
func intern[V comparable, I int32 | uint16](list *[]V, ids map[V]I, v V) I {
	id, ok := ids[v]
	if !ok {
		id = I(len(*list))
		*list = append(*list, v)
		ids[v] = id
	}
	return id
}

// dayNumber reads YYYY-MM-DD as YYYYMMDD (the grains cut it), or -1.
func dayNumber(d string) int32 {
	if len(d) != 10 {
		return -1
	}
	return periodNumber('d', []byte(d))
}

// add adds n to key k under every prefix of path on day.
func (acc *pastAcc) add(path, day string, k pastKey, n int64) {
	d := dayNumber(day)
	if d < 0 {
		acc.err = fmt.Errorf("past statistics: day %q is not YYYY-MM-DD", day)
		return
	}
	kid := acc.key(k)
	prefixes(path, func(p string) { acc.n[pastDelta{acc.prefix(p), d, kid}] += n })
}

// pastMember is the part of a members row the statistics read.
type pastMember struct {
	id, unit                               int64
	since, status, gender                  string
	statusSince, fullOn, admittedOn, birth sql.NullString
}

// pastSpan is a membership: in unit from from (inclusive) to to
// (exclusive; pastOpen for the current one).
type pastSpan struct {
	unit     int64
	from, to string
}

// pastHist is a period of a unit's place in the tree, its path cut to the
// counted depth (pastPrefix).
type pastHist struct{ prefix, from, to string }

// pastPrefix cuts path to its prefix of depth pastCountsDepth (the whole
// path when it is shallower).
func pastPrefix(path string) string {
	n := 0
	for i := 1; i < len(path); i++ {
		if path[i] == '/' {
			if n == pastCountsDepth {
				return path[:i+1]
			}
			n++
		}
	}
	return path
}

// pathDepth is the depth of a unit's path ("/1/" is 0).
func pathDepth(path string) int { return strings.Count(path, "/") - 2 }

// prefixes calls fn with every '/'-ended prefix of p ("/1/", "/1/2/").
func prefixes(p string, fn func(string)) {
	for i := 1; i < len(p); i++ {
		if p[i] == '/' {
			fn(p[:i+1])
		}
	}
}

// projectHistory cuts the paths of one unit's history rows to their
// counted prefixes and joins consecutive periods of the same prefix: what
// the counters see of the unit's place.
func projectHistory(rows []pastHist) []pastHist {
	sort.Slice(rows, func(i, j int) bool { return rows[i].from < rows[j].from })
	var out []pastHist
	for _, r := range rows {
		if r.from >= r.to {
			continue
		}
		if n := len(out); n > 0 && out[n-1].prefix == r.prefix && out[n-1].to == r.from {
			out[n-1].to = r.to
			continue
		}
		out = append(out, r)
	}
	return out
}

// statusOn is the statement's status on day d (asOfMembers).
func (m *pastMember) statusOn(d string) string {
	switch {
	case m.status != "probationary" && m.status != "full" && m.statusSince.Valid && m.statusSince.String <= d:
		return m.status
	case m.fullOn.Valid && m.fullOn.String <= d:
		return "full"
	case m.admittedOn.Valid && m.admittedOn.String <= d:
		return "probationary"
	}
	return "none"
}

// bandOn is the statement's age band on day d (statsScan): the first band
// whose bound (d minus To+1 years) the birth date is after, that is the
// first band i with d before bounds[i] (steps).
func (m *pastMember) bandOn(d string, bounds []string) string {
	if !m.birth.Valid {
		return "unknown"
	}
	bands := org.AgeBands
	for i, b := range bounds {
		if d < b {
			return bands[i].Name
		}
	}
	return bands[len(bands)-1].Name
}

// steps are the days on which the member's status or band may change:
// the record's dates and the bands' bounds: bounds[i], the first day d on
// which d minus To+1 years of band i is not after the birth date (d
// minus n years grows with d, February 29th going to March 1st).
func (m *pastMember) steps() (steps, bounds []string, err error) {
	if m.status != "probationary" && m.status != "full" && m.statusSince.Valid {
		steps = append(steps, m.statusSince.String)
	}
	for _, d := range []sql.NullString{m.fullOn, m.admittedOn} {
		if d.Valid {
			steps = append(steps, d.String)
		}
	}
	if !m.birth.Valid {
		return steps, nil, nil
	}
	b, err := date.Parse(m.birth.String)
	if err != nil {
		return nil, nil, fmt.Errorf("past statistics: member %d: birth date %q: %w", m.id, m.birth.String, err)
	}
	bands := org.AgeBands
	for _, band := range bands[:len(bands)-1] {
		k := band.To + 1
		d := b.AddYears(k)
		for d.AddDays(-1).AddYears(-k).String() >= m.birth.String {
			d = d.AddDays(-1)
		}
		for d.AddYears(-k).String() < m.birth.String {
			d = d.AddDays(1)
		}
		bounds = append(bounds, d.String())
	}
	return append(steps, bounds...), bounds, nil
}

// addMember adds sign times the pieces of m's spans, each cut by the
// history hist gives for its unit.
func (acc *pastAcc) addMember(m *pastMember, spans []pastSpan, hist func(int64) []pastHist, sign int64) error {
	var steps, bounds []string
	done := false
	for _, s := range spans {
		for _, h := range hist(s.unit) {
			from, to := max(s.from, h.from), min(s.to, h.to)
			if from >= to {
				continue
			}
			if !done {
				var err error
				if steps, bounds, err = m.steps(); err != nil {
					return err
				}
				done = true
			}
			acc.addPieces(m, h.prefix, from, to, steps, bounds, sign)
		}
	}
	return acc.err
}

// addPieces adds sign times m's pieces within [from, to) under prefix's
// prefixes.
func (acc *pastAcc) addPieces(m *pastMember, prefix, from, to string, steps, bounds []string, sign int64) {
	days := []string{from}
	for _, s := range steps {
		if s > from && s < to {
			days = append(days, s)
		}
	}
	sort.Strings(days)
	var cur pastKey
	open := false
	for i, d := range days {
		if i > 0 && d == days[i-1] {
			continue
		}
		k := pastKey{status: m.statusOn(d)}
		if member.Status(k.status).Active() {
			k.gender, k.band = m.gender, m.bandOn(d, bounds)
		}
		if open && k == cur {
			continue
		}
		if open {
			acc.add(prefix, d, cur, -sign)
		}
		cur, open = k, k.status != "none"
		if open {
			acc.add(prefix, d, cur, sign)
		}
	}
	if open && to != pastOpen {
		acc.add(prefix, to, cur, -sign)
	}
}

// pastRow is one row of past_stat_counts: a prefix and key of the acc,
// the grain ('y', 'm', 'd') and the period as a number (YYYY, YYYYMM,
// YYYYMMDD).
type pastRow struct {
	prefix, period int32
	key            uint16
	grain          byte
}

// rows spreads the deltas over the three grains, without the zeros: the
// days are the deltas themselves, the months and years their sums
// (coarse). Not a map of all three: its hundreds of thousands of
// insertions were a tenth of a check.
func (acc *pastAcc) rows() []pastCount {
	coarse := acc.coarse()
	out := make([]pastCount, 0, len(acc.n)+len(coarse))
	for d, n := range acc.n {
		if n != 0 {
			out = append(out, pastCount{pastRow{d.prefix, d.day, d.key, 'd'}, n})
		}
	}
	for r, n := range coarse {
		out = append(out, pastCount{r, n})
	}
	return out
}

// coarse sums the deltas by month and year, without the zeros.
func (acc *pastAcc) coarse() map[pastRow]int64 {
	out := map[pastRow]int64{}
	for d, n := range acc.n {
		if n == 0 {
			continue
		}
		out[pastRow{d.prefix, d.day / 10000, d.key, 'y'}] += n
		out[pastRow{d.prefix, d.day / 100, d.key, 'm'}] += n
	}
	for r, n := range out {
		if n == 0 {
			delete(out, r)
		}
	}
	return out
}

// text is the row's columns as stored.
func (acc *pastAcc) text(r pastRow) (prefix, grain, period string, k pastKey) {
	return acc.prefixes[r.prefix], string(r.grain), string(appendPeriod(nil, r.grain, r.period)), acc.keys[r.key]
}

// appendPeriod appends the text of period p of grain g (YYYY, YYYY-MM,
// YYYY-MM-DD) to b: by hand, for the hundreds of thousands of rows of a
// rebuild (fmt.Sprintf was a tenth of writePastRows).
func appendPeriod(b []byte, g byte, p int32) []byte {
	digits := func(b []byte, n int32, width int) []byte {
		for i := width - 1; i >= 0; i-- {
			b = append(b, 0)
		}
		for i := len(b) - 1; i >= len(b)-width; i-- {
			b[i] = byte('0' + n%10)
			n /= 10
		}
		return b
	}
	switch g {
	case 'y':
		return digits(b, p, 4)
	case 'm':
		return digits(append(digits(b, p/100, 4), '-'), p%100, 2)
	}
	return digits(append(digits(append(digits(b, p/10000, 4), '-'), p/100%100, 2), '-'), p%100, 2)
}

// rowOf is the row of stored columns (the inverse of text), or false for
// a period that is not one of the grain's. The columns are bytes as read
// (sql.RawBytes): the texts seen before are looked up without a copy.
func (acc *pastAcc) rowOf(prefix, grain, period, status, gender, band []byte) (pastRow, bool) {
	if len(grain) != 1 {
		return pastRow{}, false
	}
	p := periodNumber(grain[0], period)
	if p < 0 {
		return pastRow{}, false
	}
	id, ok := acc.prefixID[string(prefix)]
	if !ok {
		id = acc.prefix(string(prefix))
	}
	acc.keyBuf = append(append(append(append(append(acc.keyBuf[:0], status...), 0), gender...), 0), band...)
	if acc.keyText == nil {
		acc.keyText = map[string]uint16{}
	}
	k, ok := acc.keyText[string(acc.keyBuf)]
	if !ok {
		k = acc.key(pastKey{string(status), string(gender), string(band)})
		acc.keyText[string(acc.keyBuf)] = k
	}
	return pastRow{prefix: id, period: p, key: k, grain: grain[0]}, true
}

// periodNumber reads the text of a period of grain g (YYYY, YYYY-MM,
// YYYY-MM-DD) as a number (YYYY, YYYYMM, YYYYMMDD), or -1.
func periodNumber(g byte, p []byte) int32 {
	size := 10
	switch g {
	case 'y':
		size = 4
	case 'm':
		size = 7
	case 'd':
	default:
		return -1
	}
	if len(p) != size {
		return -1
	}
	var n int32
	for i, c := range p {
		if i == 4 || i == 7 {
			if c != '-' {
				return -1
			}
			continue
		}
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int32(c-'0')
	}
	return n
}

// pastRowsPerStatement is the rows of one INSERT of writePastRows (7
// parameters a row) on SQLite (PostgreSQL gets arrays: pastRowsUnnest). SQLite wrote 50 while it got the
// parameters as $N, looked up one by one (a statement cost the square of
// its parameters); with ? (sqliteparams.go) 400 rows cost least
// (BenchmarkPastRows, 3,490 rows: 40 ms of CPU against 52 ms in rows of 50,
// and 112 ms in rows of 50 with $N; docs/benchmarks.md, "SQLite parameters
// and the write path").
var pastRowsPerStatement = 400

// pastCount is one row of past_stat_counts and its count.
type pastCount struct {
	row pastRow
	n   int64
}

// sortedRows is rows in the order of the table's key as text (prefix,
// grain, period, status, gender, band), compared as numbers: the prefixes
// and keys by their ranks among the acc's texts, the grains as their
// letters, the periods as numbers (their texts are digits of fixed widths,
// so the order is the same). Sorting the texts themselves was a sixth of
// writePastRows.
func (acc *pastAcc) sortedRows(out []pastCount) []pastCount {
	prefixRank := ranks(acc.prefixes, strings.Compare)
	keyRank := ranks(acc.keys, func(a, b pastKey) int {
		return cmp.Or(strings.Compare(a.status, b.status), strings.Compare(a.gender, b.gender), strings.Compare(a.band, b.band))
	})
	slices.SortFunc(out, func(a, b pastCount) int {
		return cmp.Or(cmp.Compare(prefixRank[a.row.prefix], prefixRank[b.row.prefix]), cmp.Compare(a.row.grain, b.row.grain),
			cmp.Compare(a.row.period, b.row.period), cmp.Compare(keyRank[a.row.key], keyRank[b.row.key]))
	})
	return out
}

// ranks is the rank of each of vs in vs sorted by compare.
func ranks[V any](vs []V, compare func(a, b V) int) []int32 {
	order := make([]int32, len(vs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return compare(vs[a], vs[b]) })
	rank := make([]int32, len(vs))
	for r, i := range order {
		rank[i] = int32(r)
	}
	return rank
}

// pastRowsUnnest writes rows of past_stat_counts on PostgreSQL from seven
// arrays, one a column, in one statement: one parameter a column, not
// seven a row, and one statement to plan.
const pastRowsUnnest = `INSERT INTO past_stat_counts (prefix, grain, period, status, gender, band, n)
	SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])`

// pastRowsAdd makes an INSERT of past_stat_counts add to the rows there.
const pastRowsAdd = `
	ON CONFLICT (prefix, grain, period, status, gender, band) DO UPDATE SET n = past_stat_counts.n + excluded.n`

// pastRowsPerArray is the rows of one pastRowsUnnest statement: the city's
// backfill writes millions, so they go in parts.
const pastRowsPerArray = 20000

// writePastRows adds rows to past_stat_counts (in key order, so two
// transactions lock rows in the same order). When the table is empty
// (rebuildPastCounts) they are inserted without the conflict clause: on
// PostgreSQL the clause's check of each row doubled the backend's CPU of a
// rebuild (the district demo's 223,390 rows: 1.3 s against 0.7 s).
func writePastRows(ctx context.Context, tx *Tx, acc *pastAcc, rows []pastCount, empty bool) error {
	out := acc.sortedRows(rows)
	conflict := pastRowsAdd
	if empty {
		conflict = ""
	}
	if tx.db.dialect == postgresDialect {
		return writePastRowsPostgres(ctx, tx, acc, out, pastRowsUnnest+conflict)
	}
	var text string // the statement of pastRowsPerStatement rows, prepared once
	var buf []byte
	for len(out) > 0 {
		part := out[:min(pastRowsPerStatement, len(out))]
		out = out[len(part):]
		args := make([]any, 0, 7*len(part))
		for _, c := range part {
			k := acc.keys[c.row.key]
			buf = appendPeriod(buf[:0], c.row.grain, c.row.period)
			args = append(args, acc.prefixes[c.row.prefix], grainText(c.row.grain), string(buf), k.status, k.gender, k.band, c.n)
		}
		if len(part) < pastRowsPerStatement {
			if _, err := tx.ExecContext(ctx, pastRowsSQL(len(part))+conflict, args...); err != nil {
				return fmt.Errorf("past statistics: %w", err)
			}
			continue
		}
		// The statement of a whole part, thousands of parameters, is
		// compiled once per transaction: SQLite compiled each part again
		// (sqlitestmts.go does not keep texts this long), 0.3 s of a
		// rebuild of the district demo.
		if text == "" {
			text = pastRowsSQL(len(part)) + conflict
		}
		st, err := tx.prepared(ctx, text)
		if err != nil {
			return fmt.Errorf("past statistics: %w", err)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("past statistics: %w", err)
		}
	}
	return nil
}

// grainText is a grain's text, without an allocation a row.
func grainText(g byte) string {
	switch g {
	case 'y':
		return "y"
	case 'm':
		return "m"
	}
	return "d"
}

// pastRowsSQL is the INSERT of n rows of past_stat_counts (SQLite),
// without its conflict clause.
func pastRowsSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO past_stat_counts (prefix, grain, period, status, gender, band, n) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d, $%d, $%d)", 7*i+1, 7*i+2, 7*i+3, 7*i+4, 7*i+5, 7*i+6, 7*i+7)
	}
	return b.String()
}

// writePastRowsPostgres writes out with query (pastRowsUnnest, and its
// conflict clause if any), pastRowsPerArray rows at a time.
func writePastRowsPostgres(ctx context.Context, tx *Tx, acc *pastAcc, out []pastCount, query string) error {
	var buf []byte
	for len(out) > 0 {
		part := out[:min(pastRowsPerArray, len(out))]
		out = out[len(part):]
		cols := make([][]string, 6)
		for i := range cols {
			cols[i] = make([]string, len(part))
		}
		ns := make([]int64, len(part))
		for i, c := range part {
			k := acc.keys[c.row.key]
			buf = appendPeriod(buf[:0], c.row.grain, c.row.period)
			cols[0][i], cols[1][i], cols[2][i], cols[3][i], cols[4][i], cols[5][i] = acc.prefixes[c.row.prefix], grainText(c.row.grain), string(buf), k.status, k.gender, k.band
			ns[i] = c.n
		}
		if _, err := tx.ExecContext(ctx, query, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], ns); err != nil {
			return fmt.Errorf("past statistics: %w", err)
		}
	}
	return nil
}

// queryEachPastMember calls fn with each members row where says.
func queryEachPastMember(ctx context.Context, q Querier, where string, args []any, fn func(m pastMember)) error {
	return queryEach(ctx, q, func(rows *sql.Rows) error {
		var m pastMember
		if err := rows.Scan(&m.id, &m.unit, &m.since, &m.status, &m.gender, &m.statusSince, &m.fullOn, &m.admittedOn, &m.birth); err != nil {
			return err
		}
		fn(m)
		return nil
	}, `SELECT id, unit_id, unit_since, status, gender, status_since, full_on, admitted_on, birth_date FROM members `+where, args...)
}

// inChunks runs fn on ids, 500 at a time, as an IN list's text and args.
func inChunks(ids []int64, fn func(in string, args []any) error) error {
	for len(ids) > 0 {
		part := ids[:min(500, len(ids))]
		ids = ids[len(part):]
		var args argList
		ph := make([]string, len(part))
		for i, id := range part {
			ph[i] = args.add(id)
		}
		if err := fn(`(`+strings.Join(ph, ", ")+`)`, args); err != nil {
			return err
		}
	}
	return nil
}

func sortedIDs[V any](m map[int64]V) []int64 {
	out := make([]int64, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// pastState is what applyPastLog reads and undoes: members, their spans
// and the units' history, after the writes (read) and before them (after
// with the log undone).
type pastState struct {
	members     map[int64]map[pastMember]int // by member: the row (count 1)
	spans       map[int64]map[pastSpan]int   // by member: official past memberships
	hist        map[int64]map[pastHist]int   // by unit: history rows (prefix cut)
	membersInit map[int64]map[pastMember]int
	spansInit   map[int64]map[pastSpan]int
	histInit    map[int64]map[pastHist]int
}

func addCount[K comparable](m map[int64]map[K]int, id int64, k K, n int) {
	if m[id] == nil {
		m[id] = map[K]int{}
	}
	m[id][k] += n
}

// undo returns after with the logged images undone (an image logged +1 was
// written: taken out; -1 was removed: put back), and whether every count
// stays a count.
func undo[K comparable](after map[int64]map[K]int, log map[int64]map[K]int) (map[int64]map[K]int, bool) {
	out := map[int64]map[K]int{}
	for id, l := range log {
		m := map[K]int{}
		for k, n := range after[id] {
			m[k] = n
		}
		for k, n := range l {
			m[k] -= n
			if m[k] < 0 {
				return nil, false
			}
		}
		out[id] = m
	}
	return out, true
}

func expand[K comparable](m map[K]int) []K {
	var out []K
	for k, n := range m {
		for range n {
			out = append(out, k)
		}
	}
	return out
}

// applyPastLog turns past_stat_log into changes of past_stat_counts and
// empties it (DB.Write runs it before every commit).
//
// long: it reads the log, then the state after the writes of every member
// and unit the log names, undoes the log to get the state before them,
// and adds the pieces after minus the pieces before: for the members
// named, all their spans; for the units whose counted history changed,
// the spans there of the other members (unchanged themselves). The steps
// are one function each; this one only strings them together.
func (tx *Tx) applyPastLog(ctx context.Context) error {
	if empty, err := tx.pastLogEmpty(ctx); err != nil || empty {
		return err
	}
	logM, logS, logH, err := tx.takePastLog(ctx)
	if err != nil || len(logM)+len(logS)+len(logH) == 0 {
		return err
	}
	if tx.db.dialect == postgresDialect {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, pastLockKey); err != nil {
			return err
		}
	}
	// The same log names the members whose rows of the past day's member
	// list change (members_asof.go).
	if err := tx.applyAsOfLog(ctx, logM, logS, logH); err != nil {
		return err
	}
	named := map[int64]bool{}
	for id := range logM {
		named[id] = true
	}
	for id := range logS {
		named[id] = true
	}
	st := pastState{members: map[int64]map[pastMember]int{}, spans: map[int64]map[pastSpan]int{}, hist: map[int64]map[pastHist]int{}}
	if err := tx.readPastMembers(ctx, sortedIDs(named), st.members, st.spans); err != nil {
		return err
	}
	var ok bool
	if st.membersInit, ok = undo(st.members, logM); !ok {
		return fmt.Errorf("past statistics: the log of members does not add up")
	}
	if st.spansInit, ok = undo(st.spans, logS); !ok {
		return fmt.Errorf("past statistics: the log of past memberships does not add up")
	}
	for id := range named {
		if st.membersInit[id] == nil {
			st.membersInit[id] = st.members[id]
		}
		if st.spansInit[id] == nil {
			st.spansInit[id] = st.spans[id]
		}
	}
	units := map[int64]bool{}
	for id := range logH {
		units[id] = true
	}
	for _, byMember := range []map[int64]map[pastMember]int{st.members, st.membersInit} {
		for _, ms := range byMember {
			for m := range ms {
				units[m.unit] = true
			}
		}
	}
	for _, byMember := range []map[int64]map[pastSpan]int{st.spans, st.spansInit} {
		for _, ss := range byMember {
			for s := range ss {
				units[s.unit] = true
			}
		}
	}
	if err := tx.readPastHistory(ctx, sortedIDs(units), st.hist); err != nil {
		return err
	}
	if st.histInit, ok = undo(st.hist, logH); !ok {
		return fmt.Errorf("past statistics: the log of unit history does not add up")
	}
	acc := newPastAcc()
	histOf := func(h, init map[int64]map[pastHist]int) func(int64) []pastHist {
		return func(unit int64) []pastHist {
			if r, ok := init[unit]; ok {
				return projectHistory(expand(r))
			}
			return projectHistory(expand(h[unit]))
		}
	}
	after, before := histOf(st.hist, nil), histOf(st.hist, st.histInit)
	for _, id := range sortedIDs(named) {
		if err := addMemberState(acc, st.members[id], st.spans[id], after, 1); err != nil {
			return err
		}
		if err := addMemberState(acc, st.membersInit[id], st.spansInit[id], before, -1); err != nil {
			return err
		}
	}
	var moved []int64
	for _, id := range sortedIDs(logH) {
		if !slices.Equal(after(id), before(id)) {
			moved = append(moved, id)
		}
	}
	if err := tx.addMovedUnits(ctx, acc, moved, named, after, before); err != nil {
		return err
	}
	if acc.err != nil {
		return acc.err
	}
	return writePastRows(ctx, tx, acc, acc.rows(), false)
}

// addMemberState adds sign times the pieces of a member's row (0 or 1 in
// rows) and official spans.
func addMemberState(acc *pastAcc, rows map[pastMember]int, spans map[pastSpan]int, hist func(int64) []pastHist, sign int64) error {
	ms := expand(rows)
	if len(ms) > 1 {
		return fmt.Errorf("past statistics: member %d has %d rows", ms[0].id, len(ms))
	}
	if len(ms) == 0 {
		return nil // past memberships without a member count nowhere (the statement joins members)
	}
	m := ms[0]
	all := append([]pastSpan{{m.unit, m.since, pastOpen}}, expand(spans)...)
	return acc.addMember(&m, all, hist, sign)
}

// pastCheckSQL asks whether past_stat_log has a row: most writes change no
// member, past membership or unit history, and reading that much costs a
// small part of taking the log (takePastLog), most of all with the
// statement kept compiled (SQLite: each connection keeps its statements,
// sqlitestmts.go). BenchmarkWriteSmall,
// docs/benchmarks.md "SQLite parameters and the write path".
const pastCheckSQL = `SELECT EXISTS (SELECT 1 FROM past_stat_log)`

// pastLogEmpty tells whether past_stat_log is empty.
func (tx *Tx) pastLogEmpty(ctx context.Context) (bool, error) {
	var logged bool
	if err := tx.QueryRowContext(ctx, pastCheckSQL).Scan(&logged); err != nil {
		return false, fmt.Errorf("past statistics: %w", err)
	}
	return !logged, nil
}

// takePastLog empties past_stat_log and returns its images by member (the
// members rows; the official past memberships) and by unit (history).
func (tx *Tx) takePastLog(ctx context.Context) (logM map[int64]map[pastMember]int, logS map[int64]map[pastSpan]int, logH map[int64]map[pastHist]int, err error) {
	rows, err := tx.QueryContext(ctx, `DELETE FROM past_stat_log RETURNING kind, sign, COALESCE(member_id, 0), COALESCE(unit_id, 0), COALESCE(path, ''), COALESCE(pkind, ''),
		COALESCE(from_day, ''), to_day, COALESCE(status, ''), COALESCE(gender, ''), status_since, full_on, admitted_on, birth_date`)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("past statistics: %w", err)
	}
	defer rows.Close()
	logM, logS, logH = map[int64]map[pastMember]int{}, map[int64]map[pastSpan]int{}, map[int64]map[pastHist]int{}
	for rows.Next() {
		var kind, path, pkind string
		var sign int
		var to sql.NullString
		var m pastMember
		if err := rows.Scan(&kind, &sign, &m.id, &m.unit, &path, &pkind, &m.since, &to, &m.status, &m.gender, &m.statusSince, &m.fullOn, &m.admittedOn, &m.birth); err != nil {
			return nil, nil, nil, err
		}
		end := pastOpen
		if to.Valid {
			end = to.String
		}
		switch kind {
		case "m":
			addCount(logM, m.id, m, sign)
		case "p":
			if pkind == "official" {
				addCount(logS, m.id, pastSpan{m.unit, m.since, end}, sign)
			}
		case "h":
			addCount(logH, m.unit, pastHist{pastPrefix(path), m.since, end}, sign)
		}
	}
	return logM, logS, logH, rows.Err()
}

// readPastMembers reads the rows and official past memberships of ids.
func (tx *Tx) readPastMembers(ctx context.Context, ids []int64, members map[int64]map[pastMember]int, spans map[int64]map[pastSpan]int) error {
	return inChunks(ids, func(in string, args []any) error {
		if err := queryEachPastMember(ctx, tx, `WHERE id IN `+in, args, func(m pastMember) { addCount(members, m.id, m, 1) }); err != nil {
			return err
		}
		return queryEachSpan(ctx, tx, `WHERE kind = 'official' AND member_id IN `+in, args, func(member int64, s pastSpan) {
			addCount(spans, member, s, 1)
		})
	})
}

func queryEachSpan(ctx context.Context, q Querier, where string, args []any, fn func(member int64, s pastSpan)) error {
	return queryEach(ctx, q, func(rows *sql.Rows) error {
		var member int64
		var s pastSpan
		if err := rows.Scan(&member, &s.unit, &s.from, &s.to); err != nil {
			return err
		}
		fn(member, s)
		return nil
	}, `SELECT member_id, unit_id, valid_from, valid_to FROM past_memberships `+where, args...)
}

// readPastHistory reads the history rows of units.
func (tx *Tx) readPastHistory(ctx context.Context, units []int64, hist map[int64]map[pastHist]int) error {
	return inChunks(units, func(in string, args []any) error {
		return queryEachHistory(ctx, tx, `WHERE unit_id IN `+in, args, func(unit int64, h pastHist) { addCount(hist, unit, h, 1) })
	})
}

func queryEachHistory(ctx context.Context, q Querier, where string, args []any, fn func(unit int64, h pastHist)) error {
	return queryEach(ctx, q, func(rows *sql.Rows) error {
		var unit int64
		var path, from string
		var to sql.NullString
		if err := rows.Scan(&unit, &path, &from, &to); err != nil {
			return err
		}
		h := pastHist{pastPrefix(path), from, pastOpen}
		if to.Valid {
			h.to = to.String
		}
		fn(unit, h)
		return nil
	}, `SELECT unit_id, path, valid_from, valid_to FROM unit_history `+where, args...)
}

// addMovedUnits adds, for the members not named in the log that have
// spans in the units whose counted history changed, those spans' pieces
// after minus before.
func (tx *Tx) addMovedUnits(ctx context.Context, acc *pastAcc, units []int64, named map[int64]bool, after, before func(int64) []pastHist) error {
	if len(units) == 0 {
		return nil
	}
	moved := map[int64]bool{}
	for _, u := range units {
		moved[u] = true
	}
	spans := map[int64][]pastSpan{}
	members := map[int64]pastMember{}
	err := inChunks(units, func(in string, args []any) error {
		err := queryEachPastMember(ctx, tx, `WHERE unit_id IN `+in, args, func(m pastMember) {
			if !named[m.id] {
				members[m.id] = m
				spans[m.id] = append(spans[m.id], pastSpan{m.unit, m.since, pastOpen})
			}
		})
		if err != nil {
			return err
		}
		return queryEachSpan(ctx, tx, `WHERE kind = 'official' AND unit_id IN `+in, args, func(member int64, s pastSpan) {
			if !named[member] {
				spans[member] = append(spans[member], s)
			}
		})
	})
	if err != nil {
		return err
	}
	var missing []int64
	for id := range spans {
		if _, ok := members[id]; !ok {
			missing = append(missing, id)
		}
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i] < missing[j] })
	err = inChunks(missing, func(in string, args []any) error {
		return queryEachPastMember(ctx, tx, `WHERE id IN `+in, args, func(m pastMember) { members[m.id] = m })
	})
	if err != nil {
		return err
	}
	for _, id := range sortedIDs(spans) {
		m, ok := members[id]
		if !ok {
			continue
		}
		if err := acc.addMember(&m, spans[id], after, 1); err != nil {
			return err
		}
		if err := acc.addMember(&m, spans[id], before, -1); err != nil {
			return err
		}
	}
	return nil
}

// recountPast computes every piece from scratch: the deltas the table
// must hold (the backfill, the check and the fix).
func recountPast(ctx context.Context, q Querier) (*pastAcc, error) {
	histRows := map[int64][]pastHist{}
	if err := queryEachHistory(ctx, q, ``, nil, func(unit int64, h pastHist) { histRows[unit] = append(histRows[unit], h) }); err != nil {
		return nil, err
	}
	hist := map[int64][]pastHist{}
	for u, rows := range histRows {
		hist[u] = projectHistory(rows)
	}
	spans := map[int64][]pastSpan{}
	if err := queryEachSpan(ctx, q, `WHERE kind = 'official'`, nil, func(member int64, s pastSpan) { spans[member] = append(spans[member], s) }); err != nil {
		return nil, err
	}
	acc := newPastAcc()
	histOf := func(unit int64) []pastHist { return hist[unit] }
	err := queryEachPastMember(ctx, q, ``, nil, func(m pastMember) {
		all := append([]pastSpan{{m.unit, m.since, pastOpen}}, spans[m.id]...)
		if err := acc.addMember(&m, all, histOf, 1); err != nil && acc.err == nil {
			acc.err = err
		}
	})
	if err != nil {
		return nil, err
	}
	return acc, acc.err
}

// rebuildPastCounts rewrites past_stat_counts from scratch and empties the
// log (the migration's backfill, the bulk loader, the fix).
func (tx *Tx) rebuildPastCounts(ctx context.Context) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM past_stat_log`); err != nil {
		return err
	}
	// On PostgreSQL TRUNCATE: the DELETE of every row, and then the new
	// rows' index entries beside the dead ones of the same keys, cost
	// about 0.8 s more of the backend's CPU for the district demo (2.1
	// against 1.3 s, with the conflict clause both). TRUNCATE locks the
	// table until the commit, readers too: the callers are a migration and
	// the bulk loader. SQLite empties a table at once on a DELETE without
	// WHERE.
	clear := `DELETE FROM past_stat_counts`
	if tx.db.dialect == postgresDialect {
		clear = `TRUNCATE past_stat_counts`
	}
	if _, err := tx.ExecContext(ctx, clear); err != nil {
		return err
	}
	acc, err := recountPast(ctx, tx)
	if err != nil {
		return err
	}
	return writePastRows(ctx, tx, acc, acc.rows(), true)
}

// checkPastCounts compares past_stat_counts with its recount (and counts
// an unprocessed log row as drift).
func checkPastCounts(ctx context.Context, q Querier) ([]CounterDrift, error) {
	d, err := diffPastCounts(ctx, q)
	return d.drift, err
}

// pastDiff is what past_stat_counts holds against its recount: the drift
// as reported, and what fixPastCounts must do about it: add fix to the
// stored counts (the recount minus the stored count of each drifted row),
// and delete the rows of odd whose period is not one of its grain's.
type pastDiff struct {
	drift []CounterDrift
	acc   *pastAcc
	fix   []pastCount
	odd   []pastOdd
}

// pastOdd is a stored row's key whose period does not parse.
type pastOdd struct{ prefix, grain, period, status, gender, band string }

// diffPastCounts compares past_stat_counts with its recount: each stored
// row (read as bytes, not copied) is looked up in the recount and taken
// out of it, so what is left of the recount is the rows missing. The
// recount's deltas are used up (pastDiff.acc keeps its texts).
func diffPastCounts(ctx context.Context, q Querier) (pastDiff, error) {
	acc, err := recountPast(ctx, q)
	if err != nil {
		return pastDiff{}, fmt.Errorf("recompute past_stat_counts: %w", err)
	}
	d := pastDiff{acc: acc}
	// The days are looked up in the deltas themselves, the months and
	// years in their sums; each row found is taken out.
	coarse := acc.coarse()
	rows, err := q.QueryContext(ctx, `SELECT prefix, grain, period, status, gender, band, n FROM past_stat_counts WHERE n <> 0`)
	if err != nil {
		return pastDiff{}, fmt.Errorf("read past_stat_counts: %w", err)
	}
	defer rows.Close()
	var c [6]sql.RawBytes
	var got int64
	for rows.Next() {
		if err := rows.Scan(&c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &got); err != nil {
			return pastDiff{}, err
		}
		r, ok := acc.rowOf(c[0], c[1], c[2], c[3], c[4], c[5])
		if !ok {
			o := pastOdd{string(c[0]), string(c[1]), string(c[2]), string(c[3]), string(c[4]), string(c[5])}
			d.odd = append(d.odd, o)
			d.drift = append(d.drift, CounterDrift{Table: "past_stat_counts", Key: pastRowKey(o.prefix, o.grain, o.period, pastKey{o.status, o.gender, o.band}), Got: got})
			continue
		}
		var w int64
		if r.grain == 'd' {
			k := pastDelta{r.prefix, r.period, r.key}
			w = acc.n[k]
			delete(acc.n, k)
		} else {
			w = coarse[r]
			delete(coarse, r)
		}
		if w != got {
			d.add(r, w, got)
		}
	}
	if err := rows.Err(); err != nil {
		return pastDiff{}, err
	}
	for k, w := range acc.n {
		if w != 0 {
			d.add(pastRow{k.prefix, k.day, k.key, 'd'}, w, 0)
		}
	}
	for r, w := range coarse {
		d.add(r, w, 0)
	}
	var pending int64
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM past_stat_log`).Scan(&pending); err != nil {
		return pastDiff{}, err
	}
	if pending > 0 {
		d.drift = append(d.drift, CounterDrift{Table: "past_stat_log", Key: "rows", Want: 0, Got: pending})
	}
	sort.Slice(d.drift, func(i, j int) bool { return d.drift[i].Table+d.drift[i].Key < d.drift[j].Table+d.drift[j].Key })
	return d, nil
}

// add records row r drifted: want recounted, got stored.
func (d *pastDiff) add(r pastRow, want, got int64) {
	p, g, per, k := d.acc.text(r)
	d.drift = append(d.drift, CounterDrift{Table: "past_stat_counts", Key: pastRowKey(p, g, per, k), Want: want, Got: got})
	d.fix = append(d.fix, pastCount{r, want - got})
}

// fixPastCounts makes past_stat_counts hold the recount of d (taken in
// this transaction, with the counted tables locked against writers):
// the drifted rows get the difference added, the odd rows go, and the log
// is emptied (its changes are in the recount already). Rewriting the whole
// table instead (rebuildPastCounts) cost as much as a recount again.
func (tx *Tx) fixPastCounts(ctx context.Context, d pastDiff) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM past_stat_log`); err != nil {
		return err
	}
	for _, o := range d.odd {
		if _, err := tx.ExecContext(ctx, `DELETE FROM past_stat_counts WHERE prefix = $1 AND grain = $2 AND period = $3 AND status = $4 AND gender = $5 AND band = $6`,
			o.prefix, o.grain, o.period, o.status, o.gender, o.band); err != nil {
			return err
		}
	}
	if len(d.fix) == 0 {
		return nil
	}
	return writePastRows(ctx, tx, d.acc, d.fix, false)
}

func pastRowKey(prefix, grain, period string, k pastKey) string {
	return "prefix=" + prefix + ", grain=" + grain + ", period=" + period + ", status=" + k.status + ", gender=" + k.gender + ", band=" + k.band
}

// statsPast counts the subtree at path on the past day asOf: from the
// dated counters when path is shallow enough to have them (one statement:
// the units of the day from unit_history, the members from the year, month
// and day rows up to asOf), else by the statement.
func (db Units) statsPast(ctx context.Context, path string, asOf date.Date) (*org.Stats, error) {
	if pathDepth(path) > pastCountsDepth {
		return db.statsScan(ctx, path, asOf, false)
	}
	st := org.NewStats()
	day := asOf.String()
	var args argList
	p := args.add(path)
	query := `SELECT 'u', h.kind, u.cell_type, '', COUNT(*) FROM unit_history h JOIN units u ON u.id = h.unit_id WHERE h.path >= ` + p +
		` AND h.path < ` + args.add(prefixEnd(path)) + ` AND h.valid_from <= ` + args.add(day) +
		` AND (h.valid_to IS NULL OR h.valid_to > ` + args.add(day) + `) GROUP BY h.kind, u.cell_type
		UNION ALL SELECT 'm', status, gender, band, CAST(SUM(n) AS BIGINT) FROM (
			SELECT status, gender, band, n FROM past_stat_counts WHERE prefix = ` + p + ` AND grain = 'y' AND period < ` + args.add(day[:4]) + `
			UNION ALL SELECT status, gender, band, n FROM past_stat_counts WHERE prefix = ` + p + ` AND grain = 'm' AND period >= ` + args.add(day[:4]+"-01") +
		` AND period < ` + args.add(day[:7]) + `
			UNION ALL SELECT status, gender, band, n FROM past_stat_counts WHERE prefix = ` + p + ` AND grain = 'd' AND period >= ` + args.add(day[:7]+"-01") +
		` AND period <= ` + args.add(day) + `) c GROUP BY status, gender, band`
	err := db.readHeavy(ctx, func(q Querier) error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("past stats: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var tag, k1, k2, k3 string
			var n int
			if err := rows.Scan(&tag, &k1, &k2, &k3, &n); err != nil {
				return err
			}
			if tag == "u" {
				st.Units.Total += n
				st.Units.ByKind[k1] += n
				if k2 != "" {
					st.Units.ByCellType[k2] += n
				}
				continue
			}
			if n != 0 {
				addMemberFigures(st, k1, k2, k3, n)
			}
		}
		return rows.Err()
	})
	return st, err
}
