package store

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/testpg"
)

// dbState is what a test can see of a database's contents: every table's
// row count and rows (md5 of their text, sorted), every sequence's
// position, the database's own settings.
type dbState struct {
	Tables    map[string]string // "count md5"
	Sequences map[string]string // "name last_value"
	Settings  string
}

func readDBState(t *testing.T, dsn string) dbState {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	st := dbState{Tables: map[string]string{}, Sequences: map[string]string{}}
	tables, err := queryAll(ctx, db, scanValue[string], `SELECT quote_ident(relname) FROM pg_class
		WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') ORDER BY relname`)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		var s string
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) || ' ' || COALESCE(md5(string_agg(x::text, E'\n' ORDER BY x::text)), '') FROM `+tb+` x`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		st.Tables[tb] = s
	}
	seqs, err := queryAll(ctx, db, scanValue[string], `SELECT sequencename || ' ' || COALESCE(last_value::text, 'null') FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range seqs {
		name, last, _ := strings.Cut(s, " ")
		st.Sequences[name] = last
	}
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(string_agg(array_to_string(setconfig, ','), ';'), '') FROM pg_db_role_setting
		WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&st.Settings); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestReusedDatabaseStartsFresh checks that a database handed to a second
// test by forEachDB (testpg.FromTemplateReused) holds what a new copy of
// the template holds, after the first test wrote to many tables through
// the store (units, members, documents, receipts, audit, the counters'
// tables): the same rows in every table and the same sequence positions.
// Not parallel, so that no other test takes the database between the two.
func TestReusedDatabaseStartsFresh(t *testing.T) {
	tmpl := testpg.Template(t, "migrated", migrateEmpty)
	if tmpl == "" {
		t.Skip("no PostgreSQL: set SOTAY_TEST_POSTGRES or put initdb on PATH")
	}
	var fresh dbState
	t.Run("fresh", func(t *testing.T) {
		fresh = readDBState(t, testpg.FromTemplate(t, tmpl))
	})
	var first string
	var written dbState
	t.Run("writes", func(t *testing.T) {
		dsn := testpg.FromTemplateReused(t, tmpl)
		first = dbName(t, dsn)
		db := OpenTest(t, dsn)
		us := mustTree(t, db, "province R", "district R.1", "grassroots R.1.A", "cell R.1.A.1")
		m := mustMember(t, db, us["R.1.A.1"], "Nguyễn Văn Một", "31000001")
		mustMember(t, db, us["R.1.A.1"], "Trần Thị Hai", "31000002")
		d := mustDoc(t, db, &doc.Document{Type: "CT", IssuerCode: "TU", IssuerUnitID: us["R"].ID, Title: "Chỉ thị", Audience: doc.Audience{UnitID: us["R"].ID}})
		if err := (Docs{db}).RecordReceipt(context.Background(), d.ID, m.ID, d.Version); err != nil {
			t.Fatal(err)
		}
		db.Close()
		written = readDBState(t, dsn)
	})
	var changed []string
	for tb, s := range written.Tables {
		if fresh.Tables[tb] != s {
			changed = append(changed, tb)
		}
	}
	// The comparison below means something only if the writes reached
	// many tables.
	if len(changed) < 10 {
		t.Fatalf("the writes changed only %d tables: %v", len(changed), changed)
	}
	t.Logf("the first test changed %d tables", len(changed))
	t.Run("reused", func(t *testing.T) {
		dsn := testpg.FromTemplateReused(t, tmpl)
		if got := dbName(t, dsn); got != first {
			t.Fatalf("got %s, not the first test's %s emptied", got, first)
		}
		if diff := cmp.Diff(fresh, readDBState(t, dsn)); diff != "" {
			t.Errorf("the reused database against a new copy (-fresh +reused):\n%s", diff)
		}
	})
}

func dbName(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path[1:]
}
