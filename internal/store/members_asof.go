package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	"github.com/sotay-vn/sotay/internal/doc"
)

// The member list of a past day (GET /members?as_of=) reads
// member_asof_scopes (migration 0045): one row per membership piece and
// per unit above the member's cell on the piece's days, in name order per
// scope, so that a page is a range of the scope's rows that skips those
// not open on the day and stops after the page. The rows of a member are
// a function of its members row, its official past memberships and the
// unit_history rows of their cells (asOfRowsOf); the store rewrites them
// from those in the transaction of every write that changes one of them,
// using the log the triggers of migration 0035 write for the past
// statistics (applyAsOfLog, called by applyPastLog).

// asOfMember is what the rows of a member copy from its members row.
type asOfMember struct {
	id, unit                        int64
	since, status                   string
	sortKey                         []byte
	statusSince, fullOn, admittedOn sql.NullString
}

// asOfHist is one unit_history row: the path and [from, to) (to pastOpen
// when open).
type asOfHist struct{ path, from, to string }

// asOfRow is one row of member_asof_scopes (to pastOpen: NULL).
type asOfRow struct {
	scope, member, unit int64
	sortKey             []byte
	from, to            string
	seq                 int
	status              string
	statusSince, fullOn sql.NullString
	admittedOn          sql.NullString
}

// asOfRowsOf computes the rows of member m with memberships spans (the
// current one first: from m.since, open) in units whose history hist
// gives.
func asOfRowsOf(m *asOfMember, spans []pastSpan, hist func(int64) []asOfHist) []asOfRow {
	var out []asOfRow
	seq := map[[2]any]int{}
	for _, s := range spans {
		// The pieces of this membership under each scope, in time order.
		type piece struct{ from, to string }
		byScope := map[int64][]piece{}
		var scopes []int64
		for _, h := range hist(s.unit) {
			from, to := max(s.from, h.from), min(s.to, h.to)
			if from >= to {
				continue
			}
			for _, a := range doc.AncestorIDs(h.path) {
				if _, ok := byScope[a]; !ok {
					scopes = append(scopes, a)
				}
				byScope[a] = append(byScope[a], piece{from, to})
			}
		}
		for _, a := range scopes {
			ps := byScope[a]
			sort.Slice(ps, func(i, j int) bool { return ps[i].from < ps[j].from })
			var joined []piece
			for _, p := range ps {
				if n := len(joined); n > 0 && joined[n-1].to == p.from {
					joined[n-1].to = p.to
					continue
				}
				joined = append(joined, p)
			}
			for _, p := range joined {
				k := [2]any{a, p.from}
				out = append(out, asOfRow{scope: a, member: m.id, unit: s.unit, sortKey: m.sortKey, from: p.from, to: p.to, seq: seq[k],
					status: m.status, statusSince: m.statusSince, fullOn: m.fullOn, admittedOn: m.admittedOn})
				seq[k]++
			}
		}
	}
	return out
}

// asOfState is the sources of some members' rows: their members rows,
// official past memberships and their cells' history.
type asOfState struct {
	members map[int64]*asOfMember
	spans   map[int64][]pastSpan
	hist    map[int64][]asOfHist
}

// rows computes the rows of every member of st, by member id.
func (st *asOfState) rows() []asOfRow {
	histOf := func(u int64) []asOfHist { return st.hist[u] }
	var out []asOfRow
	for _, id := range sortedIDs(st.members) {
		m := st.members[id]
		spans := append([]pastSpan{{m.unit, m.since, pastOpen}}, st.spans[id]...)
		out = append(out, asOfRowsOf(m, spans, histOf)...)
	}
	return out
}

const asOfMemberColumns = `SELECT id, unit_id, unit_since, status, sort_key, status_since, full_on, admitted_on FROM members `

func scanAsOfMember(rows *sql.Rows) (*asOfMember, error) {
	var m asOfMember
	err := rows.Scan(&m.id, &m.unit, &m.since, &m.status, &m.sortKey, &m.statusSince, &m.fullOn, &m.admittedOn)
	return &m, err
}

// readAsOfState reads the sources of the members where selects (a WHERE
// clause of members, args) or of every member (where "").
func readAsOfState(ctx context.Context, q Querier, where, spanWhere string, args []any) (*asOfState, error) {
	st := &asOfState{members: map[int64]*asOfMember{}, spans: map[int64][]pastSpan{}, hist: map[int64][]asOfHist{}}
	err := queryEach(ctx, q, func(rows *sql.Rows) error {
		m, err := scanAsOfMember(rows)
		st.members[m.id] = m
		return err
	}, asOfMemberColumns+where, args...)
	if err != nil {
		return nil, err
	}
	err = queryEachSpan(ctx, q, `WHERE kind = 'official'`+spanWhere, args, func(member int64, s pastSpan) {
		st.spans[member] = append(st.spans[member], s)
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// readAsOfHistory reads the history of the units of st's memberships
// (every unit's when all).
func (st *asOfState) readHistory(ctx context.Context, q Querier, all bool) error {
	scan := func(rows *sql.Rows) error {
		var unit int64
		var h asOfHist
		var to sql.NullString
		if err := rows.Scan(&unit, &h.path, &h.from, &to); err != nil {
			return err
		}
		h.to = pastOpen
		if to.Valid {
			h.to = to.String
		}
		st.hist[unit] = append(st.hist[unit], h)
		return nil
	}
	const sel = `SELECT unit_id, path, valid_from, valid_to FROM unit_history `
	if all {
		return queryEach(ctx, q, scan, sel)
	}
	units := map[int64]bool{}
	for _, m := range st.members {
		units[m.unit] = true
	}
	for _, ss := range st.spans {
		for _, s := range ss {
			units[s.unit] = true
		}
	}
	return inChunks(sortedIDs(units), func(in string, args []any) error {
		return queryEach(ctx, q, scan, sel+`WHERE unit_id IN `+in, args...)
	})
}

// asOfRowsPerStatement is the rows of one INSERT on PostgreSQL (arrays
// given to unnest: eleven parameters whatever the rows).
const asOfRowsPerStatement = 5000

// writeAsOfRows inserts rows into member_asof_scopes.
func (tx *Tx) writeAsOfRows(ctx context.Context, rows []asOfRow) error {
	if tx.db.dialect != postgresDialect {
		st, err := tx.prepared(ctx, `INSERT INTO member_asof_scopes (scope_id, sort_key, member_id, valid_from, seq, valid_to, unit_id, status, status_since, full_on, admitted_on)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if _, err := st.ExecContext(ctx, r.scope, r.sortKey, r.member, r.from, r.seq, openNull(r.to), r.unit, r.status, r.statusSince, r.fullOn, r.admittedOn); err != nil {
				return fmt.Errorf("member as-of scopes: %w", err)
			}
		}
		return nil
	}
	for len(rows) > 0 {
		part := rows[:min(asOfRowsPerStatement, len(rows))]
		rows = rows[len(part):]
		n := len(part)
		scope, member, unit, seq := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		keys := make([][]byte, n)
		from, status := make([]string, n), make([]string, n)
		to, since, full, admitted := make([]*string, n), make([]*string, n), make([]*string, n), make([]*string, n)
		for i, r := range part {
			scope[i], member[i], unit[i], seq[i], keys[i], from[i], status[i] = r.scope, r.member, r.unit, int64(r.seq), r.sortKey, r.from, r.status
			if r.to != pastOpen {
				to[i] = &part[i].to
			}
			since[i], full[i], admitted[i] = nullPtr(r.statusSince), nullPtr(r.fullOn), nullPtr(r.admittedOn)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO member_asof_scopes (scope_id, sort_key, member_id, valid_from, seq, valid_to, unit_id, status, status_since, full_on, admitted_on)
			SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bigint[], $4::text[], $5::int[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[])`,
			scope, keys, member, from, seq, to, unit, status, since, full, admitted); err != nil {
			return fmt.Errorf("member as-of scopes: %w", err)
		}
	}
	return nil
}

func openNull(to string) any {
	if to == pastOpen {
		return nil
	}
	return to
}

func nullPtr(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

// rewriteAsOfRows rewrites the rows of the members ids (those deleted
// lose theirs).
func (tx *Tx) rewriteAsOfRows(ctx context.Context, ids []int64) error {
	return inChunks(ids, func(in string, args []any) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM member_asof_scopes WHERE member_id IN `+in, args...); err != nil {
			return fmt.Errorf("member as-of scopes: %w", err)
		}
		st, err := readAsOfState(ctx, tx, `WHERE id IN `+in, ` AND member_id IN `+in, args)
		if err != nil {
			return fmt.Errorf("member as-of scopes: %w", err)
		}
		if err := st.readHistory(ctx, tx, false); err != nil {
			return fmt.Errorf("member as-of scopes: %w", err)
		}
		return tx.writeAsOfRows(ctx, st.rows())
	})
}

// applyAsOfLog rewrites the rows of the members the past statistics' log
// names (logM: members rows; logS: official past memberships) and of
// the members with a membership in a unit whose history it names (logH).
func (tx *Tx) applyAsOfLog(ctx context.Context, logM map[int64]map[pastMember]int, logS map[int64]map[pastSpan]int, logH map[int64]map[pastHist]int) error {
	if !tx.db.hasAsOfScopes(ctx) {
		return nil
	}
	ids := map[int64]bool{}
	for id, images := range logM {
		if asOfChanged(images) {
			ids[id] = true
		}
	}
	for id := range logS {
		ids[id] = true
	}
	err := inChunks(sortedIDs(logH), func(in string, args []any) error {
		return queryEach(ctx, tx, func(rows *sql.Rows) error {
			var id int64
			err := rows.Scan(&id)
			ids[id] = true
			return err
		}, `SELECT id FROM members WHERE unit_id IN `+in+` UNION SELECT member_id FROM past_memberships WHERE kind = 'official' AND unit_id IN `+in, args...)
	})
	if err != nil {
		return fmt.Errorf("member as-of scopes: %w", err)
	}
	return tx.rewriteAsOfRows(ctx, sortedIDs(ids))
}

// asOfChanged tells whether a member's logged images (old -1, new +1)
// change what its rows copy (the cell, unit_since, the status and its
// dates; gender and birth date are logged for the statistics only).
func asOfChanged(images map[pastMember]int) bool {
	type key struct {
		unit                            int64
		since, status                   string
		statusSince, fullOn, admittedOn sql.NullString
	}
	sum := map[key]int{}
	for m, n := range images {
		sum[key{m.unit, m.since, m.status, m.statusSince, m.fullOn, m.admittedOn}] += n
	}
	for _, n := range sum {
		if n != 0 {
			return true
		}
	}
	return false
}

// recountAsOfRows computes every row of member_asof_scopes from scratch.
func recountAsOfRows(ctx context.Context, q Querier) ([]asOfRow, error) {
	st, err := readAsOfState(ctx, q, ``, ``, nil)
	if err != nil {
		return nil, err
	}
	if err := st.readHistory(ctx, q, true); err != nil {
		return nil, err
	}
	return st.rows(), nil
}

// rebuildAsOfScopes rewrites member_asof_scopes from scratch (the
// migration's backfill, the bulk loader, the fix).
func (tx *Tx) rebuildAsOfScopes(ctx context.Context) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM member_asof_scopes`); err != nil {
		return fmt.Errorf("member as-of scopes: %w", err)
	}
	rows, err := recountAsOfRows(ctx, tx)
	if err != nil {
		return fmt.Errorf("member as-of scopes: %w", err)
	}
	return tx.writeAsOfRows(ctx, rows)
}

// asOfRowHash is a hash of a row's every column: the check sums them by
// member (a sum does not depend on the rows' order).
func asOfRowHash(r asOfRow) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d|%x|%s|%d|%s|%d|%s|%v|%v|%v", r.scope, r.sortKey, r.from, r.seq, r.to, r.unit, r.status, r.statusSince, r.fullOn, r.admittedOn)
	return h.Sum64()
}

// asOfSum is a member's rows as the check sees them: how many, and the
// sum of their hashes.
type asOfSum struct {
	n    int64
	hash uint64
}

// checkAsOfScopes compares member_asof_scopes with its recomputation,
// member by member: a drift names a member whose rows differ (Want and
// Got: how many rows it should have and has).
func checkAsOfScopes(ctx context.Context, q Querier) ([]CounterDrift, error) {
	want, err := recountAsOfRows(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("recompute member_asof_scopes: %w", err)
	}
	wantSum, gotSum := map[int64]asOfSum{}, map[int64]asOfSum{}
	for _, r := range want {
		s := wantSum[r.member]
		wantSum[r.member] = asOfSum{s.n + 1, s.hash + asOfRowHash(r)}
	}
	err = queryEach(ctx, q, func(rows *sql.Rows) error {
		var r asOfRow
		var to sql.NullString
		if err := rows.Scan(&r.scope, &r.sortKey, &r.member, &r.from, &r.seq, &to, &r.unit, &r.status, &r.statusSince, &r.fullOn, &r.admittedOn); err != nil {
			return err
		}
		r.to = pastOpen
		if to.Valid {
			r.to = to.String
		}
		s := gotSum[r.member]
		gotSum[r.member] = asOfSum{s.n + 1, s.hash + asOfRowHash(r)}
		return nil
	}, `SELECT scope_id, sort_key, member_id, valid_from, seq, valid_to, unit_id, status, status_since, full_on, admitted_on FROM member_asof_scopes`)
	if err != nil {
		return nil, fmt.Errorf("read member_asof_scopes: %w", err)
	}
	var drift []CounterDrift
	for id, w := range wantSum {
		if g := gotSum[id]; g != w {
			drift = append(drift, CounterDrift{Table: "member_asof_scopes", Key: fmt.Sprintf("member_id=%d, rows", id), Want: w.n, Got: g.n})
		}
	}
	for id, g := range gotSum {
		if _, ok := wantSum[id]; !ok {
			drift = append(drift, CounterDrift{Table: "member_asof_scopes", Key: fmt.Sprintf("member_id=%d, rows", id), Got: g.n})
		}
	}
	sort.Slice(drift, func(i, j int) bool { return drift[i].Key < drift[j].Key })
	return drift, nil
}

// hasAsOfScopes tells whether the schema has member_asof_scopes
// (migration 0045, named *_member_asof_scopes.sql).
func (db *DB) hasAsOfScopes(ctx context.Context) bool {
	return db.schemaHas(ctx, &db.asOfScopes, "%member_asof_scopes.sql")
}

// asOfMigration tells whether a migration's file is 0045's.
func asOfMigration(name string) bool { return strings.HasSuffix(name, "_member_asof_scopes.sql") }
