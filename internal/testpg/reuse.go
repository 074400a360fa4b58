package testpg

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// FromTemplateReused is FromTemplate for tests that leave the schema as
// they found it: when the test ends, its database is emptied back to the
// template's rows (every table that holds rows truncated, the template's
// rows written again, every sequence set back) and handed to the next
// test instead of dropped. Creating and dropping a copy of a migrated
// database cost about 0.25–0.4 s of the server's CPU per test (CREATE
// DATABASE … TEMPLATE writes the whole 10 MiB copy to the WAL); emptying
// it about a third of that. A database whose schema the test changed
// (tables, columns, indexes, triggers and whether they are enabled,
// functions) is dropped as before.
func FromTemplateReused(tb testing.TB, template string) string {
	tb.Helper()
	dsn, _ := takeReused(tb, template)
	return dsn
}

// FromTemplateReusedPool is FromTemplateReused with a pool of connections
// to the database that outlives the test: the connections (and their
// server processes) go to the next test that takes the same database,
// instead of each test starting its own. A new server process costs ~3 ms
// of the server's CPU to start and ~10 ms more for its first write of a
// member (the catalog's caches, the triggers' functions compiled and
// planned) against ~1 ms once warm; about two are started per test. The
// test must not close the pool (a closed pool is replaced at the next
// take). Each connection's session is reset (RESET ALL, UNLISTEN *, the
// session's advisory locks released, temporary tables and cursors
// dropped) at its first use by the next test; one still in a transaction
// when the test ends is ended, as FromTemplateReused's are. The pool is
// "" and nil without a server.
func FromTemplateReusedPool(tb testing.TB, template string) (string, *sql.DB) {
	tb.Helper()
	dsn, s := takeReused(tb, template)
	if s == nil {
		return "", nil
	}
	pool, err := s.warmPool(dsn)
	if err != nil {
		tb.Fatalf("pool of %s: %v", s.name, err)
	}
	return dsn, pool
}

// takeReused takes an emptied database of template (or makes a new copy)
// for the test and gives it back when the test ends.
func takeReused(tb testing.TB, template string) (string, *spare) {
	tb.Helper()
	base := available(tb)
	if base == "" {
		return "", nil
	}
	p, err := sparesOf(tb, base, template)
	if err != nil {
		tb.Fatalf("template %s: %v", template, err)
	}
	s := p.take()
	if s == nil {
		name := createDatabase(tb, base, template)
		db, err := sql.Open("pgx", databaseDSN(tb, base, name))
		if err != nil {
			tb.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		s = &spare{name: name, db: db}
		p.mu.Lock()
		p.all = append(p.all, s)
		p.mu.Unlock()
	}
	tb.Cleanup(func() { p.giveBack(s) })
	return databaseDSN(tb, base, s.name), s
}

// spares are the emptied databases of one template, ready for a test.
type spares struct {
	mu    sync.Mutex
	free  []*spare
	all   []*spare // free or in use, for Stop
	state templateState
}

// spare is a reusable database and the one connection that empties it
// (kept open, so that emptying does not start a server process), and the
// tests' pool when they asked for one (FromTemplateReusedPool).
type spare struct {
	name string
	db   *sql.DB

	mu   sync.Mutex
	warm *sql.DB
	test int               // the tests that took this database so far
	seen map[*pgx.Conn]int // the test that last used each of warm's connections
}

// warmAppName marks the server processes of the tests' pools, which
// emptying leaves running when they are idle.
const warmAppName = "testpg-warm"

// warmPool returns the pool of the test that took s (opened at the first
// take, opened again when a test closed it) and counts the test.
func (s *spare) warmPool(dsn string) (*sql.DB, error) {
	s.mu.Lock()
	s.test++
	pool := s.warm
	s.mu.Unlock()
	if pool != nil && pool.PingContext(context.Background()) == nil {
		// What a test before may have set.
		setPoolLimits(pool)
		return pool, nil
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.RuntimeParams["application_name"] = warmAppName
	pool = stdlib.OpenDB(*cfg, stdlib.OptionResetSession(s.resetSession))
	setPoolLimits(pool)
	s.mu.Lock()
	if s.warm != nil {
		s.warm.Close()
	}
	s.warm, s.seen = pool, map[*pgx.Conn]int{}
	s.mu.Unlock()
	return pool, nil
}

// setPoolLimits sets pool's limits as the store sets its own pools'
// (openPostgres).
func setPoolLimits(pool *sql.DB) {
	pool.SetMaxOpenConns(32)
	pool.SetMaxIdleConns(16)
	pool.SetConnMaxIdleTime(5 * time.Minute)
}

// resetSession runs before each use of a pool's connection: at its first
// use by a test, what an earlier test left in its session goes.
func (s *spare) resetSession(ctx context.Context, c *pgx.Conn) error {
	s.mu.Lock()
	fresh := s.seen[c] != s.test
	s.seen[c] = s.test
	s.mu.Unlock()
	if !fresh {
		return nil
	}
	_, err := c.Exec(ctx, `RESET ALL; UNLISTEN *; SELECT pg_advisory_unlock_all(); CLOSE ALL; DISCARD TEMP`)
	return err
}

// closeWarm closes the tests' pool of s, if any.
func (s *spare) closeWarm() {
	s.mu.Lock()
	w := s.warm
	s.warm, s.seen = nil, nil
	s.mu.Unlock()
	if w != nil {
		w.Close()
	}
}

// templateState is what emptying a copy brings back: the template's schema
// fingerprint, its rows (as JSON, by table) and its sequences' positions.
type templateState struct {
	fingerprint string
	rows        map[string]string
	sequences   map[string][2]any // last_value, is_called
}

var reuse struct {
	sync.Mutex
	m map[string]*spares
}

// schemaFingerprint sums up what a test may not change for its database to
// be reused. A column's default is its stored node tree as text, not
// pg_get_expr's SQL: the same for a copy and changed by any new default,
// and deparsing every default was three quarters of the statement
// (7.7 of 9.4 ms of the server per test, at every reuse).
const schemaFingerprint = `SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
	SELECT 'r:' || c.relname || ':' || c.relkind::text FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
	UNION ALL SELECT 'a:' || c.relname || ':' || a.attname || ':' || a.atttypid::text || ':' || a.attnotnull::text || ':' || COALESCE(d.adbin::text, '')
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
	UNION ALL SELECT 't:' || c.relname || ':' || t.tgname || ':' || t.tgenabled::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE c.relnamespace = 'public'::regnamespace
	UNION ALL SELECT 'f:' || p.proname || ':' || md5(p.prosrc) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
	UNION ALL SELECT 'o:' || conname || ':' || contype::text FROM pg_constraint WHERE connamespace = 'public'::regnamespace
	UNION ALL SELECT 's:' || COALESCE(array_to_string(setconfig, ','), '') FROM pg_db_role_setting WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
) f(x)`

func sparesOf(tb testing.TB, base, template string) (*spares, error) {
	reuse.Lock()
	defer reuse.Unlock()
	if p := reuse.m[template]; p != nil {
		return p, nil
	}
	db, err := sql.Open("pgx", databaseDSN(tb, base, template))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	st, err := readTemplateState(context.Background(), db)
	if err != nil {
		return nil, err
	}
	p := &spares{state: st}
	if reuse.m == nil {
		reuse.m = map[string]*spares{}
	}
	reuse.m[template] = p
	return p, nil
}

func readTemplateState(ctx context.Context, db *sql.DB) (templateState, error) {
	st := templateState{rows: map[string]string{}, sequences: map[string][2]any{}}
	if err := db.QueryRowContext(ctx, schemaFingerprint).Scan(&st.fingerprint); err != nil {
		return st, err
	}
	tables, err := nonEmptyTables(ctx, db)
	if err != nil {
		return st, err
	}
	for _, t := range tables {
		var rows string
		if err := db.QueryRowContext(ctx, `SELECT json_agg(t)::text FROM `+t+` t`).Scan(&rows); err != nil {
			return st, err
		}
		st.rows[t] = rows
	}
	seqs, err := db.QueryContext(ctx, `SELECT quote_ident(sequencename), last_value, last_value IS NOT NULL FROM pg_sequences WHERE schemaname = 'public'`)
	if err != nil {
		return st, err
	}
	defer seqs.Close()
	for seqs.Next() {
		var name string
		var last sql.NullInt64
		var called bool
		if err := seqs.Scan(&name, &last, &called); err != nil {
			return st, err
		}
		v := int64(1)
		if last.Valid {
			v = last.Int64
		}
		st.sequences[name] = [2]any{v, called}
	}
	return st, seqs.Err()
}

// nonEmptyTables names the tables whose files are not empty: every table
// that holds a row (and some that held one).
func nonEmptyTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT quote_ident(relname) FROM pg_class
		WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND pg_relation_size(oid) > 0 ORDER BY relname`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (p *spares) take() *spare {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.free); n > 0 {
		s := p.free[n-1]
		p.free = p.free[:n-1]
		return s
	}
	return nil
}

// giveBack empties s for the next test, or drops it when it cannot.
func (p *spares) giveBack(s *spare) {
	if err := p.empty(context.Background(), s); err != nil {
		p.drop(s)
		return
	}
	p.mu.Lock()
	p.free = append(p.free, s)
	p.mu.Unlock()
}

// empty brings s back to the template's rows, in one transaction on its
// own connection; it fails when the schema differs from the template's.
func (p *spares) empty(ctx context.Context, s *spare) error {
	// The test's own connections are closed (its cleanups ran first), but
	// a server process may still be ending: end whatever is left.
	// The idle processes of the tests' pool stay (FromTemplateReusedPool).
	if _, err := s.db.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
		AND NOT (application_name = '`+warmAppName+`' AND state = 'idle')`); err != nil {
		return err
	}
	var fp string
	if err := s.db.QueryRowContext(ctx, schemaFingerprint).Scan(&fp); err != nil {
		return err
	}
	if fp != p.state.fingerprint {
		return fmt.Errorf("the schema changed")
	}
	tables, err := nonEmptyTables(ctx, s.db)
	if err != nil {
		return err
	}
	for t := range p.state.rows {
		if !slices.Contains(tables, t) {
			tables = append(tables, t)
		}
	}
	var b strings.Builder
	// Without triggers and foreign keys (replica), in any order; DELETE, not
	// TRUNCATE, which makes new files for every table and index it empties
	// (and, cascading along the foreign keys, empties nearly all of them).
	b.WriteString("BEGIN;\nSET LOCAL session_replication_role = replica;\n")
	for _, t := range tables {
		fmt.Fprintf(&b, "DELETE FROM %s;\n", t)
	}
	// The planner's statistics of the test's rows go too, as in a new copy.
	b.WriteString("DELETE FROM pg_statistic WHERE starelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace);\n")
	for t, rows := range p.state.rows {
		fmt.Fprintf(&b, "INSERT INTO %s OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::%s, %s);\n", t, t, quoteLiteral(rows))
	}
	for seq, v := range p.state.sequences {
		fmt.Fprintf(&b, "SELECT setval(%s, %d, %t);\n", quoteLiteral(seq), v[0], v[1])
	}
	b.WriteString("COMMIT;")
	_, err = s.db.ExecContext(ctx, b.String())
	return err
}

func (p *spares) drop(s *spare) {
	s.closeWarm()
	s.db.Close()
	p.mu.Lock()
	p.all = slices.DeleteFunc(p.all, func(x *spare) bool { return x == s })
	p.mu.Unlock()
	admin.Lock()
	a := admin.db
	admin.Unlock()
	if a != nil {
		a.Exec("DROP DATABASE IF EXISTS " + s.name + " WITH (FORCE)")
	}
}

// dropSpares drops every reusable database (Stop).
func dropSpares() {
	reuse.Lock()
	var all []*spare
	for _, p := range reuse.m {
		p.mu.Lock()
		all = append(all, p.all...)
		p.free, p.all = nil, nil
		p.mu.Unlock()
	}
	reuse.m = nil
	reuse.Unlock()
	admin.Lock()
	a := admin.db
	admin.Unlock()
	for _, s := range all {
		s.closeWarm()
		s.db.Close()
		if a != nil {
			a.Exec("DROP DATABASE IF EXISTS " + s.name + " WITH (FORCE)")
		}
	}
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
