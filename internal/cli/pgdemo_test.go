package cli

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/sotay-vn/sotay/internal/store"
	"github.com/sotay-vn/sotay/internal/testpg"
)

// demoPostgresTemplate returns the name of the PostgreSQL database that
// holds the demo district, made once per test binary (testpg.Template), or
// "" without a PostgreSQL server.
//
// It is not generated again on PostgreSQL: the SQLite demo, built once per
// binary anyway (demoSQLiteFile), is copied into a migrated PostgreSQL
// database table by table (copyDemoToPostgres). Generating it through the
// services cost about 40 s of CPU per binary (Go and the server's backends:
// thousands of small transactions and the counters' triggers); the copy
// costs a few seconds. TestPostgresDemoCopy checks the copy against its
// source, and with SOTAY_TEST_PGDEMO_DIRECT set against a demo generated on
// PostgreSQL.
func demoPostgresTemplate(t testing.TB) string {
	t.Helper()
	return testpg.Template(t, "demo", func(dsn string) error {
		return copyDemoToPostgres(context.Background(), demoSQLiteFile(t), dsn)
	})
}

// buildDemoPostgresDirect generates the demo district into the empty
// PostgreSQL database dsn through the services, as `sotay demo` does.
func buildDemoPostgresDirect(dsn string) error {
	files, err := os.MkdirTemp("", "sotay-demo-files-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(files)
	return buildDemo(dbFlags{DB: dsn, Files: files}, nil)
}

// pgColumn is a column of a PostgreSQL table, as the copy writes it.
type pgColumn struct{ name, typ string }

// copyDemoToPostgres migrates the empty PostgreSQL database dsn and fills
// every table with the rows of the SQLite database sqliteFile (same schema
// version), in one transaction with session_replication_role = replica:
// neither the triggers (the counters, the past statistics' log) nor the
// foreign keys run, so the counter tables and the audit chain come out as
// the SQLite database holds them; but the four-good sheets' rank keys,
// which hold a time as text, are computed again as PostgreSQL writes them
// (and copied to the subtrees' key orders).
// Then each identity sequence is set past its column's largest value.
//
// Every PostgreSQL table must exist in the SQLite file with every column
// (but the generated ones, which PostgreSQL computes), and every SQLite
// table must have its PostgreSQL twin but SQLite's own (sqlite_*) and the
// full-text indexes' tables (PostgreSQL indexes a generated column
// instead): a table missing on either side fails the copy.
func copyDemoToPostgres(ctx context.Context, sqliteFile, dsn string) error {
	db, err := store.Open(ctx, dsn, "")
	if err != nil {
		return err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	src, err := sql.Open("sqlite", "file:"+sqliteFile+"?mode=ro&_time_format=sqlite")
	if err != nil {
		return err
	}
	defer src.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica; SET LOCAL synchronous_commit = off`); err != nil {
		return err
	}
	tables, err := demoCopyTables(ctx, tx, src)
	if err != nil {
		return err
	}
	names := slices.Sorted(maps.Keys(tables))
	quoted := make([]string, len(names))
	for i, name := range names {
		quoted[i] = pgx.Identifier{name}.Sanitize()
	}
	// What the migrations wrote (none today) makes way for the copy.
	if _, err := tx.Exec(ctx, "TRUNCATE "+strings.Join(quoted, ", ")); err != nil {
		return err
	}
	for _, name := range names {
		if err := copyDemoTable(ctx, tx, src, name, tables[name]); err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
	}
	// A four-good sheet's rank key holds its submission time as each engine
	// writes a time as text: PostgreSQL's function computes it again, and
	// the subtrees' key orders (migration 0044) take the new keys.
	if _, err := tx.Exec(ctx, `UPDATE fourgood_sheets SET rank_key = fourgood_rank_key(stage, self_total, review_total, final_total, tiebreak, submitted_at, unit_id)`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE fourgood_sheet_scopes k SET rank_key = s.rank_key FROM fourgood_sheets s WHERE s.id = k.sheet_id AND k.rank_key <> s.rank_key`); err != nil {
		return err
	}
	if err := setIdentitySequences(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	_, err = conn.Exec(ctx, `ANALYZE`)
	return err
}

// demoCopyTables returns the PostgreSQL tables to fill (all but
// schema_migrations, which Migrate wrote) with their columns, after
// checking that both databases are at the same schema version and hold the
// same tables and columns.
func demoCopyTables(ctx context.Context, tx pgx.Tx, src *sql.DB) (map[string][]pgColumn, error) {
	var pgVersion, sqVersion int
	if err := tx.QueryRow(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&pgVersion); err != nil {
		return nil, err
	}
	if err := src.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&sqVersion); err != nil {
		return nil, err
	}
	if pgVersion != sqVersion {
		return nil, fmt.Errorf("schema versions differ: SQLite %d, PostgreSQL %d", sqVersion, pgVersion)
	}
	rows, err := tx.Query(ctx, `SELECT c.table_name, c.column_name, c.data_type, c.is_generated <> 'NEVER'
		FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_migrations'
		ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		return nil, err
	}
	tables := map[string][]pgColumn{}
	generated := map[string]bool{}
	for rows.Next() {
		var table string
		var col pgColumn
		var gen bool
		if err := rows.Scan(&table, &col.name, &col.typ, &gen); err != nil {
			return nil, err
		}
		if gen {
			generated[table+"."+col.name] = true
			continue
		}
		tables[table] = append(tables[table], col)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sqCols := map[string]map[string]bool{}
	var virtual []string
	srows, err := src.QueryContext(ctx, `SELECT m.name, m.sql LIKE 'CREATE VIRTUAL TABLE%', p.name
		FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'`)
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	for srows.Next() {
		var table, col string
		var virt bool
		if err := srows.Scan(&table, &virt, &col); err != nil {
			return nil, err
		}
		if virt && !slices.Contains(virtual, table) {
			virtual = append(virtual, table)
		}
		if sqCols[table] == nil {
			sqCols[table] = map[string]bool{}
		}
		sqCols[table][col] = true
	}
	if err := srows.Err(); err != nil {
		return nil, err
	}
	for table, cols := range tables {
		if sqCols[table] == nil {
			return nil, fmt.Errorf("table %s is not in the SQLite database", table)
		}
		for _, c := range cols {
			if !sqCols[table][c.name] {
				return nil, fmt.Errorf("column %s.%s is not in the SQLite database", table, c.name)
			}
		}
		for c := range sqCols[table] {
			if !slices.ContainsFunc(cols, func(p pgColumn) bool { return p.name == c }) && !generated[table+"."+c] {
				return nil, fmt.Errorf("column %s.%s is not in the PostgreSQL database", table, c)
			}
		}
	}
	for table := range sqCols {
		// member_pairs is SQLite's index of the names' word boundaries
		// (store migration 0042), an expression index on PostgreSQL.
		if tables[table] != nil || table == "schema_migrations" || table == "member_pairs" || strings.HasPrefix(table, "sqlite_") {
			continue
		}
		if !slices.ContainsFunc(virtual, func(v string) bool { return table == v || strings.HasPrefix(table, v+"_") }) {
			return nil, fmt.Errorf("table %s is not in the PostgreSQL database", table)
		}
	}
	return tables, nil
}

// copyDemoTable copies one table's rows with COPY, converting SQLite's
// values to the PostgreSQL column's type.
func copyDemoTable(ctx context.Context, tx pgx.Tx, src *sql.DB, table string, cols []pgColumn) error {
	names := make([]string, len(cols))
	quoted := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
		quoted[i] = `"` + c.name + `"`
	}
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM "`+table+`"`)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	next := func() ([]any, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, c := range cols {
			v, err := pgValue(c.typ, vals[i])
			if err != nil {
				return nil, fmt.Errorf("column %s: %w", c.name, err)
			}
			vals[i] = v
		}
		return vals, nil
	}
	var done bool
	_, err = tx.CopyFrom(ctx, pgx.Identifier{table}, names, pgx.CopyFromFunc(func() ([]any, error) {
		if done {
			return nil, nil
		}
		v, err := next()
		if v == nil {
			done = true
		}
		return v, err
	}))
	return err
}

// pgValue converts a value read from SQLite to what the PostgreSQL column
// of type typ takes; a value of another kind than the column's fails.
func pgValue(typ string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch typ {
	case "boolean":
		switch x := v.(type) {
		case int64:
			return x != 0, nil
		case bool:
			return x, nil
		}
	case "timestamp with time zone":
		switch x := v.(type) {
		case time.Time:
			return x, nil
		case string:
			for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano} {
				if t, err := time.Parse(layout, x); err == nil {
					return t, nil
				}
			}
		}
	case "bigint", "integer":
		if x, ok := v.(int64); ok {
			return x, nil
		}
	case "text":
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		}
	case "bytea":
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	default:
		return nil, fmt.Errorf("no conversion to %s", typ)
	}
	return nil, fmt.Errorf("%T %v does not fit %s", v, v, typ)
}

// setIdentitySequences sets each identity column's sequence so that the
// next row gets the column's largest value plus one, as on SQLite.
func setIdentitySequences(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'public' AND is_identity = 'YES' ORDER BY table_name`)
	if err != nil {
		return err
	}
	type ident struct{ table, column string }
	var ids []ident
	for rows.Next() {
		var id ident
		if err := rows.Scan(&id.table, &id.column); err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		col, table := pgx.Identifier{id.column}.Sanitize(), pgx.Identifier{id.table}.Sanitize()
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(`+col+`), 0) + 1, false) FROM `+table,
			id.table, id.column); err != nil {
			return fmt.Errorf("sequence of %s.%s: %w", id.table, id.column, err)
		}
	}
	return nil
}

// TestPostgresDemoCopy checks the PostgreSQL demo made by copying the
// SQLite one (demoPostgresTemplate): every table holds as many rows as in
// the SQLite file, `sotay check counters` finds no drift and `sotay audit
// verify` a whole chain, and the API answers a list of reads with the same
// bytes on both engines (values of every type: times, flags, blobs' sizes,
// NULLs). With SOTAY_TEST_PGDEMO_DIRECT=1 it also generates the demo on
// PostgreSQL through the services, as the tests did before, and compares
// the copy's row counts and answers with it (times left out: the two were
// made at different moments); that costs about 40 s of CPU, so it is not
// part of the ordinary run.
func TestPostgresDemoCopy(t *testing.T) {
	t.Parallel()
	tmpl := demoPostgresTemplate(t)
	if tmpl == "" {
		t.Skip("no PostgreSQL: set SOTAY_TEST_POSTGRES or put initdb on PATH")
	}
	ctx := context.Background()
	dsn := testpg.FromTemplate(t, tmpl)
	for _, args := range [][]string{{"check", "counters", "--db", dsn}, {"audit", "verify", "--db", dsn}} {
		if code, stdout, stderr := runCLI(args...); code != 0 {
			t.Errorf("sotay %s: exit %d\n%s%s", strings.Join(args[:2], " "), code, stdout, stderr)
		}
	}
	sq := openSQLiteRO(t, demoSQLiteFile(t))
	defer sq.Close()
	counts := demoRowCounts(t, dsn)
	if len(counts) < 50 {
		t.Fatalf("only %d tables in the copy", len(counts))
	}
	for _, table := range slices.Sorted(maps.Keys(counts)) {
		var n int64
		if err := sq.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+table+`"`).Scan(&n); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if counts[table] != n {
			t.Errorf("%s: %d rows in the copy, %d in the SQLite demo", table, counts[table], n)
		}
	}
	onSQLite := demoAnswers(t, startDemoOn(t, "sqlite"))
	onCopy := demoAnswers(t, startDemoOn(t, "postgres"))
	if diff := cmp.Diff(onSQLite, onCopy, cmp.Transformer("µs", microseconds)); diff != "" {
		t.Errorf("answers on SQLite (-) and on the PostgreSQL copy (+) differ:\n%s", diff)
	}
	if os.Getenv("SOTAY_TEST_PGDEMO_DIRECT") == "" {
		return
	}
	direct := testpg.NewDatabase(t)
	if err := buildDemoPostgresDirect(direct); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(demoRowCounts(t, direct), counts); diff != "" {
		t.Errorf("row counts generated on PostgreSQL (-) and copied (+) differ:\n%s", diff)
	}
	m := &Main{Flags: dbFlags{DB: direct, Files: t.TempDir()}, Addr: "127.0.0.1:0", Demo: true}
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	onDirect := demoAnswers(t, m)
	for path := range onDirect {
		if got, want := withoutTimes(onCopy[path]), withoutTimes(onDirect[path]); got != want {
			t.Errorf("GET %s: the copy answers (-), the demo generated on PostgreSQL (+):\n%s", path, cmp.Diff(got, want))
		}
	}
}

// demoRowCounts counts the rows of every table of the PostgreSQL database
// dsn.
func demoRowCounts(t *testing.T, dsn string) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, table := range tables {
		var n int64
		if err := conn.QueryRow(ctx, `SELECT COUNT(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
			t.Fatal(err)
		}
		counts[table] = n
	}
	return counts
}

// demoAnswers reads a list of API answers from the demo served by m, as
// the district's office and as the admin: path → body.
func demoAnswers(t *testing.T, m *Main) map[string]string {
	t.Helper()
	office, admin := m.signIn(t, "vanphong"), m.signIn(t, "admin")
	var roots listJSON[unitJSON]
	if st := office.do("GET", "/api/v1/units", nil, &roots); st != 200 || len(roots.Items) == 0 {
		t.Fatalf("units: status %d, %d roots", st, len(roots.Items))
	}
	district := roots.Items[0].ID
	phuTuc := unitByName(t, office, district, "Đảng bộ xã Phú Túc").ID
	paths := []string{
		"/api/v1/units",
		fmt.Sprintf("/api/v1/units/%d", phuTuc),
		fmt.Sprintf("/api/v1/units/%d/stats", district),
		fmt.Sprintf("/api/v1/members?unit=%d&limit=200", phuTuc),
		fmt.Sprintf("/api/v1/members?unit=%d&q=nguyen&limit=50", district),
		"/api/v1/documents?limit=100",
		"/api/v1/news",
		"/api/v1/tasks?limit=200",
		fmt.Sprintf("/api/v1/report-requests?unit=%d", district),
		"/api/v1/frameworks",
		"/api/v1/conferences",
		"/api/v1/outbreaks",
		"/api/v1/notifications?limit=100",
		fmt.Sprintf("/api/v1/units/%d/meetings", phuTuc),
		fmt.Sprintf("/api/v1/units/%d/meeting-compliance", district),
		fmt.Sprintf("/api/v1/accountability?unit=%d", district),
		"/api/v1/accounts",
	}
	out := map[string]string{}
	for _, p := range paths {
		c := office
		if p == "/api/v1/accounts" {
			c = admin
		}
		var body []byte
		if st := c.do("GET", p, nil, &body); st != 200 {
			t.Errorf("GET %s: status %d: %.300s", p, st, body)
		}
		out[p] = string(body)
	}
	return out
}

// timeInJSON matches a time in an answer (RFC 3339, with or without
// fractions of a second).
var timeInJSON = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)

func withoutTimes(s string) string { return timeInJSON.ReplaceAllString(s, "<time>") }

// microseconds cuts the times in an answer to microseconds, what
// PostgreSQL keeps (SQLite keeps nanoseconds).
func microseconds(s string) string {
	return timeInJSON.ReplaceAllStringFunc(s, func(v string) string {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return v
		}
		return t.Truncate(time.Microsecond).Format(time.RFC3339Nano)
	})
}
