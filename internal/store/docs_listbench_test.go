package store

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/page"
)

// BenchmarkDocListPage measures the first page of 50 of the documents
// list with its count (issue 17) on the district demo with generated
// documents (SOTAY_BENCH_LIST_DOCS, default 5,000; their audiences spread
// over every unit of the district, one in ten restricted to the
// committee), for a member in a cell of Phú Túc and for the district's
// office, through doc_scopes ("scopes") and through the query before it
// ("before": the documents of the kind newest first under the audience
// filter, and a count of them all), one reader, SQLite.
//
//	go test ./internal/store -run '^$' -bench DocListPage -benchtime 2s
func BenchmarkDocListPage(b *testing.B) {
	ctx := context.Background()
	n := benchCount(b, "SOTAY_BENCH_LIST_DOCS", 5000, "documents")
	db := benchDatasets(b)["district-sqlite"]
	generateDocHistory(b, db, n)
	district, err := Units{db}.ByCode(ctx, "HN.PX")
	if err != nil {
		b.Fatal(err)
	}
	var cellPath string
	var memberID int64
	if err := db.read.QueryRowContext(ctx, `SELECT u.path, m.id FROM members m JOIN units u ON u.id = m.unit_id
		WHERE u.path LIKE (SELECT path FROM units WHERE code = 'HN.PX.PHUTUC') || '%' AND u.kind = 'cell' ORDER BY m.id LIMIT 1`).Scan(&cellPath, &memberID); err != nil {
		b.Fatal(err)
	}
	readers := []struct {
		name string
		r    doc.Reach
	}{
		{"member", doc.Reach{MemberPath: cellPath, MemberID: memberID}},
		{"office", doc.Reach{Grants: []auth.Grant{{UnitID: district.ID, UnitPath: district.Path, Role: auth.RoleOffice}}}},
	}
	for _, r := range readers {
		for _, how := range []string{"scopes", "before"} {
			b.Run(r.name+"/"+how, func(b *testing.B) {
				f := doc.ListFilter{Reach: r.r, Kind: doc.KindDocument, Limit: 50, AccountID: 1}
				list := Docs{db}.List
				if how == "before" {
					list = func(ctx context.Context, f doc.ListFilter) (*page.Of[doc.Document], error) {
						return docListBefore(ctx, db, f)
					}
				}
				cpu0 := processCPUTime()
				start := time.Now()
				total := 0
				for b.Loop() {
					p, err := list(ctx, f)
					if err != nil {
						b.Fatal(err)
					}
					if len(p.Items) == 0 {
						b.Fatal("empty page")
					}
					total = p.Total
				}
				elapsed, cpu := time.Since(start), processCPUTime()-cpu0
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "pages/s")
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/page")
				b.ReportMetric(float64(total), "total")
			})
		}
	}
}

// docListBefore is the documents list as it was before doc_scopes (the
// store code of f2dc90f, without the filters the benchmark does not use).
func docListBefore(ctx context.Context, db *DB, f doc.ListFilter) (*page.Of[doc.Document], error) {
	var args argList
	where := []string{readableSQL(&args, f.Reach), "d.kind = " + args.add(string(f.Kind))}
	from := ` FROM documents d JOIN units au ON au.id = d.audience_unit_id WHERE ` + strings.Join(where, " AND ")
	pa := append(argList{}, args...)
	readExpr := "0"
	if f.Reach.MemberID != 0 {
		readExpr = "COALESCE((SELECT MAX(r.version) FROM doc_receipts r WHERE r.document_id = d.id AND r.member_id = " + pa.add(f.Reach.MemberID) + "), 0)"
	}
	bookExpr := "CASE WHEN EXISTS (SELECT 1 FROM doc_bookmarks b WHERE b.document_id = d.id AND b.account_id = " + pa.add(f.AccountID) + ") THEN 1 ELSE 0 END"
	return readList(ctx, db, listQuery[doc.Document]{What: "documents",
		Count: `SELECT COUNT(*)` + from, CountArgs: args,
		Page: `SELECT ` + docColumns("''") + `, ` + readExpr + `, ` + bookExpr + from + ` ORDER BY d.issued_on DESC, d.id DESC`, PageArgs: pa, Limit: f.Limit,
		Scan: func(rows *sql.Rows) (doc.Document, error) {
			var rv, bm int
			d, err := scanDoc(rows, &rv, &bm)
			if err != nil {
				return doc.Document{}, err
			}
			return *d, nil
		},
		Next: func(last doc.Document) string { return encodeDateCursor(last.IssuedOn, last.ID) }})
}

// generateDocHistory inserts n documents in one statement, their
// audiences spread over every unit of the district (one in ten to the
// committee only), issued over two years, then fills doc_scopes with the
// migration's statement.
func generateDocHistory(tb testing.TB, db *DB, n int) {
	tb.Helper()
	ctx := context.Background()
	start := time.Now()
	err := db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TEMPORARY TABLE bench_aud (n INTEGER PRIMARY KEY, unit_id BIGINT NOT NULL)`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bench_aud (n, unit_id) SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id FROM units WHERE dissolved_on IS NULL`); err != nil {
			return err
		}
		var units int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM bench_aud`).Scan(&units); err != nil {
			return err
		}
		at := date.MustParse("2026-11-20")
		_, err := tx.ExecContext(ctx, `WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < $1)
			INSERT INTO documents (kind, type, issuer_code, issuer_unit_id, issued_on, title, audience_unit_id, audience_roles, published_at, updated_at)
			SELECT 'document', 'TB', 'HU', (SELECT unit_id FROM bench_aud WHERE n = 0), date('2024-11-20', '+' || (g.i % 730) || ' days'),
				'Thông báo số ' || g.i, a.unit_id, CASE WHEN g.i % 10 = 0 THEN ',committee,' ELSE '' END, $2, $2
			FROM g JOIN bench_aud a ON a.n = (g.i * 7919) % $3`, n, at.String()+" 08:00:00", units)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	b, err := migrationFS.ReadFile("migrations/sqlite/0021_doc_scopes.sql")
	if err != nil {
		tb.Fatal(err)
	}
	fill := string(b)[strings.Index(string(b), "INSERT INTO doc_scopes"):]
	fill = fill[:strings.Index(fill, ";")+1]
	if err := db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM doc_scopes`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, fill)
		return err
	}); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("generated %d documents and their doc_scopes rows in %s", n, time.Since(start).Round(time.Millisecond))
}
