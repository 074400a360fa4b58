package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// The per-subtree counters the roll-ups read (migrations 0025 and 0030:
// each row counted at its unit and at every ancestor), each with the query that
// recomputes it from the rows it counts. The triggers keep the tables;
// these queries are the definition they are checked against (and the same
// text as the migration's backfill). They find a unit's ancestors by a
// range of units.path (a is an ancestor of u when u.path starts with
// a.path), not by the path's ids as the triggers do, so the two do not
// share a mistake.
type counterTable struct {
	table     string
	keys      []string // the key columns, in the order recompute answers them
	recompute string   // SELECT keys..., values...: the counts from scratch
	values    []string // the counted columns (nil: one, n)
	counted   []string // the tables counted (locked by FixCounters on PostgreSQL)
}

// columns are the table's counted columns.
func (c counterTable) columns() []string {
	if c.values == nil {
		return []string{"n"}
	}
	return c.values
}

var counterTables = []counterTable{
	{"subtree_member_counts", []string{"unit_id", "status", "gender"},
		`SELECT a.id, c.status, c.gender, SUM(c.n)
		FROM units a CROSS JOIN units u CROSS JOIN (SELECT unit_id, status, gender, COUNT(*) AS n FROM members GROUP BY unit_id, status, gender) c
		WHERE u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0' AND c.unit_id = u.id
		GROUP BY a.id, c.status, c.gender`, nil, []string{"units", "members"}},
	{"subtree_birth_counts", []string{"unit_id", "birth_month"},
		`SELECT a.id, c.birth_month, SUM(c.n)
		FROM units a CROSS JOIN units u CROSS JOIN (SELECT unit_id, COALESCE(substr(birth_date, 1, 7), '') AS birth_month, COUNT(*) AS n FROM members WHERE status IN ('probationary', 'full', 'exempt') GROUP BY unit_id, COALESCE(substr(birth_date, 1, 7), '')) c
		WHERE u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0' AND c.unit_id = u.id
		GROUP BY a.id, c.birth_month`, nil, []string{"units", "members"}},
	{"subtree_birth_day_counts", []string{"unit_id", "birth_date"},
		`SELECT a.id, c.birth_date, SUM(c.n)
		FROM units a CROSS JOIN units u CROSS JOIN (SELECT unit_id, birth_date, COUNT(*) AS n FROM members WHERE status IN ('probationary', 'full', 'exempt') AND birth_date IS NOT NULL GROUP BY unit_id, birth_date) c
		WHERE u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0' AND c.unit_id = u.id
		GROUP BY a.id, c.birth_date`, nil, []string{"units", "members"}},
	{"subtree_unit_counts", []string{"unit_id", "kind", "cell_type"},
		`SELECT a.id, c.kind, c.cell_type, SUM(c.n)
		FROM units a CROSS JOIN units u CROSS JOIN (SELECT id AS unit_id, kind, cell_type, 1 AS n FROM units WHERE dissolved_on IS NULL) c
		WHERE u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0' AND c.unit_id = u.id
		GROUP BY a.id, c.kind, c.cell_type`, nil, []string{"units"}},
	{"subtree_read_counts", []string{"document_id", "version", "unit_id"},
		`SELECT c.document_id, c.version, a.id, SUM(c.n)
		FROM units a CROSS JOIN units u CROSS JOIN (SELECT r.document_id, r.version, m.unit_id, COUNT(*) AS n FROM doc_receipts r JOIN members m ON m.id = r.member_id WHERE m.status IN ('probationary', 'full', 'exempt') GROUP BY r.document_id, r.version, m.unit_id) c
		WHERE u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0' AND c.unit_id = u.id
		GROUP BY c.document_id, c.version, a.id`, nil, []string{"units", "members", "doc_receipts"}},
	{"task_counts", []string{"unit_id", "grain", "period", "member_id", "rule"}, taskCountsRecount, taskCountColumns,
		[]string{"tasks", "task_steps", "task_flags"}},
	{"task_due_counts", []string{"grain", "period", "unit_id", "member_id"}, taskDueCountsRecount, []string{"running"}, []string{"tasks"}},
	{"meeting_subtree_months", []string{"unit_id", "year", "month"}, meetingMonthsRecount, meetingMonthColumns, []string{"units", "meeting_cell_years"}},
	{"conference_counts", []string{"conference_id", "expected_point_id", "checkin_point_id"}, conferenceCountsRecount, []string{"n", "late"},
		[]string{"conference_attendees", "conference_checkins"}},
	{"fourgood_counts", []string{"framework_id", "period", "unit_id", "head"}, fourGoodCountsRecount, []string{"sheets"},
		[]string{"units", "fourgood_sheets"}},
	// Not a count: each row's value is the sheet it keeps (rows are unique
	// by key), compared like a count.
	{"fourgood_sheet_scopes", []string{"unit_id", "framework_id", "period", "rank_key"}, fourGoodSheetScopesRecount, []string{"sheet_id"},
		[]string{"units", "fourgood_sheets"}},
	{"fourgood_framework_counts", []string{"framework_id"}, `SELECT f.id, (SELECT COUNT(*) FROM fourgood_registrations r WHERE r.framework_id = f.id),
		(SELECT COUNT(*) FROM fourgood_sheets s WHERE s.framework_id = f.id AND s.scored = 1) FROM fourgood_frameworks f`, []string{"registrations", "scored"},
		[]string{"fourgood_registrations", "fourgood_sheets"}},
}

// fourGoodCountsRecount counts the four-good sheets of each framework and
// period by the head of their rank key, at unit 0 (the framework whole)
// and at the cell and each ancestor: the text of migration 0038's backfill.
const fourGoodCountsRecount = `SELECT framework_id, period, 0, substr(rank_key, 1, 19), COUNT(*) FROM fourgood_sheets GROUP BY framework_id, period, substr(rank_key, 1, 19)
	UNION ALL
	SELECT s.framework_id, s.period, a.id, substr(s.rank_key, 1, 19), COUNT(*)
	FROM fourgood_sheets s JOIN units u ON u.id = s.unit_id JOIN units a ON u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0'
	GROUP BY s.framework_id, s.period, a.id, substr(s.rank_key, 1, 19)`

// fourGoodSheetScopesRecount is each four-good sheet at its cell and at
// every ancestor, by its rank key (migration 0044; its backfill finds the
// ancestors by the path's ids, as its triggers do).
const fourGoodSheetScopesRecount = `SELECT a.id, s.framework_id, s.period, s.rank_key, s.id
	FROM fourgood_sheets s JOIN units u ON u.id = s.unit_id JOIN units a ON u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0'`

// conferenceCountsRecount counts the members of each conference by the
// point they are expected at (0: none; -1: not invited) and the point they
// checked in at (0: not yet): the text of migration 0031's backfill.
const conferenceCountsRecount = `SELECT a.conference_id, COALESCE(a.bridge_point_id, 0), COALESCE(ck.bridge_point_id, 0), COUNT(*), SUM(CASE WHEN ck.late THEN 1 ELSE 0 END)
	FROM conference_attendees a LEFT JOIN conference_checkins ck ON ck.conference_id = a.conference_id AND ck.member_id = a.member_id
	GROUP BY a.conference_id, COALESCE(a.bridge_point_id, 0), COALESCE(ck.bridge_point_id, 0)
	UNION ALL
	SELECT ck.conference_id, -1, ck.bridge_point_id, COUNT(*), SUM(CASE WHEN ck.late THEN 1 ELSE 0 END)
	FROM conference_checkins ck WHERE NOT EXISTS (SELECT 1 FROM conference_attendees a WHERE a.conference_id = ck.conference_id AND a.member_id = ck.member_id)
	GROUP BY ck.conference_id, ck.bridge_point_id`

// CounterDrift is one counter whose stored value differs from its
// recomputation: Key names the row (column=value, ...) and, in a table of
// several counted columns, the column (…, column).
type CounterDrift struct {
	Table string
	Key   string
	Want  int64 // recomputed from the rows
	Got   int64 // stored (0: no row)
	// WantText and GotText replace Want and Got for a kept text (a
	// four-good sheet's rank key).
	WantText, GotText string
}

func (d CounterDrift) String() string {
	if d.WantText != "" || d.GotText != "" {
		return fmt.Sprintf("%s(%s): stored %q, recomputed %q", d.Table, d.Key, d.GotText, d.WantText)
	}
	return fmt.Sprintf("%s(%s): stored %d, recomputed %d", d.Table, d.Key, d.Got, d.Want)
}

// CheckCounters recomputes every counter from scratch and compares it with
// the stored tables, all in one read transaction (one snapshot: on
// PostgreSQL repeatable read, on SQLite a deferred transaction in WAL
// mode). A row stored as 0 equals a missing row. The drift comes back in
// table and key order; none means the counters are exact.
func (db *DB) CheckCounters(ctx context.Context) ([]CounterDrift, error) {
	var opts *sql.TxOptions
	if db.dialect == postgresDialect {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	drift, _, err := checkCounters(ctx, tx, db.dialect, db.keysFrom())
	return drift, err
}

// checkCounters returns the drift of every counter and, for the past
// statistics' counters, what fixes it; keysFrom is the number of members
// above which the name search's keys should be kept (DB.keysFrom).
func checkCounters(ctx context.Context, q Querier, d dialect, keysFrom int) ([]CounterDrift, pastDiff, error) {
	var out []CounterDrift
	for _, c := range counterTables {
		want, err := counterRows(ctx, q, c, c.recompute)
		if err != nil {
			return nil, pastDiff{}, fmt.Errorf("recompute %s: %w", c.table, err)
		}
		got, err := counterRows(ctx, q, c, `SELECT `+strings.Join(c.keys, ", ")+`, `+strings.Join(c.columns(), ", ")+` FROM `+c.table)
		if err != nil {
			return nil, pastDiff{}, fmt.Errorf("read %s: %w", c.table, err)
		}
		var drift []CounterDrift
		for k, w := range want {
			if g := got[k]; g != w {
				drift = append(drift, CounterDrift{Table: c.table, Key: k, Want: w, Got: g})
			}
		}
		for k, g := range got {
			if _, ok := want[k]; !ok && g != 0 {
				drift = append(drift, CounterDrift{Table: c.table, Key: k, Want: 0, Got: g})
			}
		}
		sort.Slice(drift, func(i, j int) bool { return drift[i].Key < drift[j].Key })
		out = append(out, drift...)
	}
	keys, err := checkRankKeys(ctx, q, d)
	if err != nil {
		return nil, pastDiff{}, err
	}
	out = append(out, keys...)
	admitted, err := checkMemberScopesAdmitted(ctx, q, d)
	if err != nil {
		return nil, pastDiff{}, err
	}
	out = append(out, admitted...)
	// The member search's keys (migration 0047), recomputed from members.
	memberKeys, err := checkMemberKeys(ctx, q, d, keysFrom)
	if err != nil {
		return nil, pastDiff{}, err
	}
	out = append(out, memberKeys...)
	// The documents search's keys (migration 0051), from the documents.
	docWords, err := checkDocumentWords(ctx, q, d)
	if err != nil {
		return nil, pastDiff{}, err
	}
	out = append(out, docWords...)
	// The past statistics' dated counters (migration 0035), recounted in
	// Go like their triggers' log is (pastcounts.go).
	past, err := diffPastCounts(ctx, q)
	if err != nil {
		return nil, past, err
	}
	out = append(out, past.drift...)
	// The rows of the member lists of a past day (migration 0045),
	// recomputed the same way (members_asof.go).
	asOf, err := checkAsOfScopes(ctx, q)
	return append(out, asOf...), past, err
}

// rankKeySQL is the four-good sheet's rank key recomputed from its columns
// (migration 0031; the triggers' text).
func rankKeySQL(d dialect) string {
	if d == postgresDialect {
		return `fourgood_rank_key(stage, self_total, review_total, final_total, tiebreak, submitted_at, unit_id)`
	}
	return `printf('%019d', 1000000000000000000 - CASE stage WHEN 'final' THEN review_total WHEN 'done' THEN final_total ELSE self_total END)
		|| COALESCE((SELECT group_concat(printf('%019d', 1000000000000000000 - j.value), '') FROM json_each('[' || tiebreak || ']') j
			WHERE j.key <= (SELECT MAX(k.key) FROM json_each('[' || tiebreak || ']') k WHERE k.value <> 0)), '')
		|| '|' || COALESCE(submitted_at, '~') || '|' || printf('%019d', unit_id)`
}

// checkRankKeys compares every four-good sheet's rank key with its
// recomputation.
func checkRankKeys(ctx context.Context, q Querier, d dialect) ([]CounterDrift, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, rank_key, k FROM (SELECT id, rank_key, `+rankKeySQL(d)+` AS k FROM fourgood_sheets) x WHERE rank_key <> k ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("recompute the four-good rank keys: %w", err)
	}
	defer rows.Close()
	var out []CounterDrift
	for rows.Next() {
		var id int64
		var got, want string
		if err := rows.Scan(&id, &got, &want); err != nil {
			return nil, err
		}
		out = append(out, CounterDrift{Table: "fourgood_sheets", Key: fmt.Sprintf("id=%d, rank_key", id), GotText: got, WantText: want})
	}
	return out, rows.Err()
}

// memberScopesAdmittedDrift selects the rows of member_scopes whose day
// of admission (migration 0046, written by members_scopes.go) is not
// their member's: scope_id, member_id, the day kept, the member's (” for
// none). The engines spell a comparison that takes NULL as a value
// differently.
func memberScopesAdmittedDrift(d dialect) string {
	differs := `IS DISTINCT FROM`
	if d == sqliteDialect {
		differs = `IS NOT`
	}
	return `SELECT s.scope_id, s.member_id, COALESCE(s.admitted_on, ''), COALESCE(m.admitted_on, '')
		FROM member_scopes s JOIN members m ON m.id = s.member_id WHERE s.admitted_on ` + differs + ` m.admitted_on`
}

// checkMemberScopesAdmitted compares the day of admission each row of
// member_scopes keeps with its member's: the list of members admitted by
// a day (due-full) reads the kept one.
func checkMemberScopesAdmitted(ctx context.Context, q Querier, d dialect) ([]CounterDrift, error) {
	rows, err := q.QueryContext(ctx, memberScopesAdmittedDrift(d)+` ORDER BY s.member_id, s.scope_id`)
	if err != nil {
		return nil, fmt.Errorf("compare member_scopes.admitted_on: %w", err)
	}
	defer rows.Close()
	var out []CounterDrift
	for rows.Next() {
		var scope, id int64
		var got, want string
		if err := rows.Scan(&scope, &id, &got, &want); err != nil {
			return nil, err
		}
		out = append(out, CounterDrift{Table: "member_scopes", Key: fmt.Sprintf("scope_id=%d, member_id=%d, admitted_on", scope, id),
			GotText: got, WantText: want})
	}
	return out, rows.Err()
}

// counterRows reads (keys..., values...) rows into a map keyed by
// "col=value, ..." (and ", column" after it when the table counts several
// columns).
func counterRows(ctx context.Context, q Querier, c counterTable, query string) (map[string]int64, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	cols := c.columns()
	vals := make([]sql.NullString, len(c.keys))
	ns := make([]int64, len(cols))
	dest := make([]any, len(c.keys)+len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	for i := range ns {
		dest[len(c.keys)+i] = &ns[i]
	}
	var b strings.Builder
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		b.Reset()
		for i, k := range c.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(vals[i].String)
		}
		if len(cols) == 1 {
			out[b.String()] += ns[0]
			continue
		}
		key := b.String()
		for i, col := range cols {
			out[key+", "+col] += ns[i]
		}
	}
	return out, rows.Err()
}

// FixCounters rewrites every counter table from its recomputation in one
// write transaction and returns the drift it repaired; past_stat_counts,
// hundreds of thousands of rows, gets only its drifted rows rewritten
// (fixPastCounts). On PostgreSQL the
// counted tables are locked against writers (SHARE mode) for the
// transaction, so no write slips between the recount and the rewrite;
// SQLite's writer is alone anyway.
func (db *DB) FixCounters(ctx context.Context) ([]CounterDrift, error) {
	var drift []CounterDrift
	err := db.Write(ctx, func(tx *Tx) error {
		if db.dialect == postgresDialect {
			var tables []string
			for _, c := range counterTables {
				for _, t := range c.counted {
					if !slices.Contains(tables, t) {
						tables = append(tables, t)
					}
				}
			}
			tables = append(tables, "fourgood_sheets", "past_memberships", "unit_history", "member_scopes", "member_keys", "member_keys_on", "member_words", "documents", "document_words")
			if _, err := tx.ExecContext(ctx, `LOCK TABLE `+strings.Join(tables, ", ")+` IN SHARE MODE`); err != nil {
				return err
			}
		}
		var err error
		var past pastDiff
		if drift, past, err = checkCounters(ctx, tx, db.dialect, db.keysFrom()); err != nil || len(drift) == 0 {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE fourgood_sheets SET rank_key = `+rankKeySQL(db.dialect)+` WHERE rank_key <> `+rankKeySQL(db.dialect)); err != nil {
			return fmt.Errorf("fix the four-good rank keys: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE member_scopes SET admitted_on = (SELECT m.admitted_on FROM members m WHERE m.id = member_scopes.member_id)
			WHERE member_id IN (SELECT x.member_id FROM (`+memberScopesAdmittedDrift(db.dialect)+`) x)`); err != nil {
			return fmt.Errorf("fix member_scopes.admitted_on: %w", err)
		}
		if err := tx.fixMemberKeys(ctx); err != nil {
			return fmt.Errorf("fix member_keys: %w", err)
		}
		if err := tx.fixDocumentWords(ctx); err != nil {
			return fmt.Errorf("fix document_words: %w", err)
		}
		if err := tx.fixPastCounts(ctx, past); err != nil {
			return fmt.Errorf("fix past_stat_counts: %w", err)
		}
		if err := tx.rebuildAsOfScopes(ctx); err != nil {
			return fmt.Errorf("fix member_asof_scopes: %w", err)
		}
		for _, c := range counterTables {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+c.table); err != nil {
				return fmt.Errorf("fix %s: %w", c.table, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+c.table+` (`+strings.Join(c.keys, ", ")+`, `+strings.Join(c.columns(), ", ")+`) `+c.recompute); err != nil {
				return fmt.Errorf("fix %s: %w", c.table, err)
			}
		}
		return nil
	})
	return drift, err
}
