package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
)

// wantDocWords is what migration 0051's triggers keep for a document:
// each word of its search text and the first two and three letters of
// each word, marked "*".
func wantDocWords(d *doc.Document) []string {
	sf := d.SearchFields()
	set := map[string]bool{}
	for _, w := range strings.Fields(sf.Title + " " + sf.Number + " " + sf.Summary + " " + sf.Body) {
		set[w] = true
		for _, n := range []int{2, 3} {
			if len(w) >= n {
				set[w[:n]+"*"] = true
			}
		}
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestDocWordsKept: document_words holds a document's keys after its
// creation and after a revision that changes its words (the old ones
// gone), with its issue date, on both engines.
func TestDocWordsKept(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		tr := newDocTree(t, db)
		d := mustDoc(t, db, &doc.Document{Title: "Nghị quyết về công tác đảng phí", Summary: "Tóm tắt kỷ cương", Body: "<p>Quán triệt, thi đua; 24-CT/TU</p>",
			Type: "NQ", IssuerCode: "TU", IssuerUnitID: tr.city.ID, Seq: 7, Number: "07-NQ/TU", Audience: doc.Audience{UnitID: tr.district.ID}})
		check := func(what string) {
			t.Helper()
			got, err := queryAll(ctx, db.read, func(rows *sql.Rows) (string, error) {
				var k, on string
				err := rows.Scan(&k, &on)
				if on != d.IssuedOn.String() {
					t.Errorf("%s: key %q dated %s, want %s", what, k, on, d.IssuedOn)
				}
				return k, err
			}, `SELECT key, issued_on FROM document_words WHERE doc_id = $1 ORDER BY key`, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got) // the engines' collations differ
			if diff := gocmp.Diff(wantDocWords(d), got); diff != "" {
				t.Errorf("%s: document_words (-want +got):\n%s", what, diff)
			}
		}
		check("created")
		d.Title, d.Summary, d.Body = "Kế hoạch phòng chống dịch", "", "Đồng chí Nguyễn Văn Ánh"
		if err := (Docs{db}).Revise(ctx, d, d.Version, auth.AuditEntry{Actor: system, Action: "document.revise", ObjectType: "document", ObjectID: d.ID}); err != nil {
			t.Fatal(err)
		}
		check("revised")
	})
}

// TestDocSearchAfterRevise: the search finds a document by its words
// after a revision and no longer by the words it lost, on both engines,
// for queries whose keys decide (on SQLite the probe checks them in
// document_words, the rank reads documents_fts made again by 0053) and
// one whose keys do not (a prefix of four letters: FTS5).
func TestDocSearchAfterRevise(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		tr := newDocTree(t, db)
		d := mustDoc(t, db, &doc.Document{Title: "Nghị quyết về công tác đảng phí", Summary: "Tóm tắt kỷ cương", Body: "<p>Quán triệt, thi đua</p>",
			Type: "NQ", IssuerCode: "TU", IssuerUnitID: tr.city.ID, Seq: 7, Number: "07-NQ/TU", Audience: doc.Audience{UnitID: tr.district.ID}})
		finds := func(what, q string, want bool, decide bool) {
			t.Helper()
			query := doc.ParseQuery(q)
			if keysDecide(query) != decide {
				t.Fatalf("%s: the keys of %q decide: %v, want %v", what, q, !decide, decide)
			}
			got, err := Docs{db}.Search(ctx, doc.SearchFilter{Reach: doc.Reach{All: true}, Query: query, Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			if found := slices.ContainsFunc(got, func(g doc.Document) bool { return g.ID == d.ID }); found != want {
				t.Errorf("%s: %q finds the document: %v, want %v", what, q, found, want)
			}
		}
		finds("created", "nghi quyet ", true, true)
		finds("created", "cong tac dan", true, true)
		finds("created", "ke hoach ", false, true)
		d.Title, d.Summary, d.Body = "Kế hoạch phòng chống dịch", "", "Đồng chí Nguyễn Văn Ánh"
		if err := (Docs{db}).Revise(ctx, d, d.Version, auth.AuditEntry{Actor: system, Action: "document.revise", ObjectType: "document", ObjectID: d.ID}); err != nil {
			t.Fatal(err)
		}
		finds("revised", "nghi quyet ", false, true)
		finds("revised", "cong tac dan", false, true)
		finds("revised", "ke hoach ", true, true)
		finds("revised", "ke hoa", true, true)
		finds("revised", "phong chon", true, false)
		finds("revised", "nguyen van an", true, true)
	})
}

// TestDocWordsCheck: `check counters` reports a document's missing and
// excess rows of document_words and rows left by a deleted document, and
// --fix rewrites them to what the triggers keep (the rows TestDocWordsKept
// checks), on both engines; after the fix, no drift.
func TestDocWordsCheck(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		tr := newDocTree(t, db)
		d := mustDoc(t, db, &doc.Document{Title: "Nghị quyết về công tác đảng phí", Body: "<p>Quán triệt, thi đua</p>",
			Type: "NQ", IssuerCode: "TU", IssuerUnitID: tr.city.ID, Seq: 7, Number: "07-NQ/TU", Audience: doc.Audience{UnitID: tr.district.ID}})
		drift := func(step string, want []string) {
			t.Helper()
			all, err := db.CheckCounters(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range all {
				if x.Table == "document_words" {
					got = append(got, fmt.Sprintf("%s: got %d, want %d", x.Key, x.Got, x.Want))
				}
			}
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("%s: document_words drift (-want +got):\n%s", step, diff)
			}
		}
		drift("kept by the triggers", nil)
		for _, q := range []string{
			`DELETE FROM document_words WHERE doc_id = $1 AND key IN ('nghi', 'ng*')`,
			`INSERT INTO document_words (key, issued_on, doc_id) VALUES ('zzz', '2020-01-01', $1), ('lost', '2020-01-01', 999999)`,
		} {
			if _, err := db.write.ExecContext(ctx, q, d.ID); err != nil {
				t.Fatal(err)
			}
		}
		want := []string{fmt.Sprintf("doc_id=%d, rows: got 1, want 2", d.ID), "doc_id=999999, rows: got 1, want 0"}
		drift("broken by hand", want)
		fixed, err := db.FixCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		for _, x := range fixed {
			if x.Table == "document_words" {
				n++
			}
		}
		if n != len(want) {
			t.Errorf("the fix reported %d drifts of document_words, want %d", n, len(want))
		}
		drift("fixed", nil)
		got, err := queryAll(ctx, db.read, scanValue[string], `SELECT key FROM document_words WHERE doc_id = $1`, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if diff := gocmp.Diff(wantDocWords(d), got); diff != "" {
			t.Errorf("after the fix (-want +got):\n%s", diff)
		}
	})
}
