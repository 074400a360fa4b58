package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/fnv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/readroute"
)

// listQuery is one keyset-paged list (page.Of): each list keeps its own
// SQL (its conditions, an ORDER BY that an index yields, the keyset
// condition from its decoded cursor); readList does what they all do.
type listQuery[T any] struct {
	// What is listed, for errors ("members": "count members: …").
	What string
	// Count counts every matching row (the cursor narrows the page, not
	// the count); "" when the caller fills Total itself.
	Count     string
	CountArgs []any
	// Page selects the rows from the cursor on, in list order, without its
	// LIMIT: readList adds LIMIT Limit+1 as the next argument of PageArgs.
	Page     string
	PageArgs argList
	Limit    int
	// Inline, on PostgreSQL: the arguments are written into the texts of
	// the count and the page (inlineArgs) but those of Keep (the reader's
	// text, the cursor), so that the plan PostgreSQL keeps for a text
	// knows the subtree and the statuses (a generic plan that did not
	// counted the city's search in 1.1 s instead of 0.1 s).
	Inline bool
	Keep   map[string]bool
	// Sparse, when set, is a second page (with SparseArgs, written as
	// Page) that readList reads instead of Page when Sparse accepts the
	// count (Count runs first): a list whose index range holds its rows
	// too thinly for a walk in order reads them another way (members of
	// a rare status: memberListQuery). With Size, Count selects a second
	// column, the size of the set the page would walk (a subtree's
	// members), which Sparse weighs the total against.
	Sparse     func(total, size int) bool
	Size       bool
	SparsePage string
	SparseArgs argList
	// Scan reads one row; Next is the cursor of the page after last.
	Scan func(rows *sql.Rows) (T, error)
	Next func(last T) string
}

// queryAll runs query and reads every row with scan; no row is an empty
// slice (a JSON list is [], never null).
func queryAll[T any](ctx context.Context, q rowsQuerier, scan func(rows *sql.Rows) (T, error), query string, args ...any) ([]T, error) {
	out := []T{}
	err := queryEach(ctx, q, func(rows *sql.Rows) error {
		it, err := scan(rows)
		if err != nil {
			return err
		}
		out = append(out, it)
		return nil
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queryMap runs query and reads every row with scan into a map (a later
// row with the same key replaces an earlier one); no row is an empty map.
func queryMap[K comparable, V any](ctx context.Context, q rowsQuerier, scan func(rows *sql.Rows) (K, V, error), query string, args ...any) (map[K]V, error) {
	out := map[K]V{}
	err := queryEach(ctx, q, func(rows *sql.Rows) error {
		k, v, err := scan(rows)
		out[k] = v
		return err
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queryEach runs query and calls each for every row, in order, until each
// fails; the rows are closed before it returns (a transaction's next
// statement may follow).
func queryEach(ctx context.Context, q rowsQuerier, each func(rows *sql.Rows) error, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// rowsQuerier is what queryAll and queryEach need: a Querier, or
// queryFunc(db.queryHeavy).
type rowsQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryFunc makes a function (db.queryHeavy) a rowsQuerier.
type queryFunc func(ctx context.Context, query string, args ...any) (*sql.Rows, error)

func (f queryFunc) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return f(ctx, query, args...)
}

// values turns a scan function that returns a pointer (the scanX
// functions, which serve QueryRow too) into one for queryAll.
func values[T any](scan func(sc interface{ Scan(...any) error }) (*T, error)) func(rows *sql.Rows) (T, error) {
	return func(rows *sql.Rows) (T, error) {
		p, err := scan(rows)
		if err != nil {
			var zero T
			return zero, err
		}
		return *p, nil
	}
}

// scanValue reads a row of one column (an id, a name) for queryAll.
func scanValue[T any](rows *sql.Rows) (T, error) {
	var v T
	err := rows.Scan(&v)
	return v, err
}

// readList counts the rows and reads one page, one row more than the limit
// to tell whether another page follows; with a count, both in one read
// snapshot.
func readList[T any](ctx context.Context, db *DB, l listQuery[T]) (*page.Of[T], error) {
	p := &page.Of[T]{Items: []T{}}
	pageSQL := l.Page + ` LIMIT ` + l.PageArgs.add(l.Limit+1)
	pageArgs := l.PageArgs
	sparseSQL := l.SparsePage + ` LIMIT ` + l.SparseArgs.add(l.Limit+1)
	sparseArgs := l.SparseArgs
	if l.Inline && db.dialect == postgresDialect {
		l.Count, l.CountArgs = inlineArgs(l.Count, l.CountArgs, l.Keep)
		pageSQL, pageArgs = inlineArgs(pageSQL, pageArgs, l.Keep)
		sparseSQL, sparseArgs = inlineArgs(sparseSQL, sparseArgs, l.Keep)
	}
	read := func(q Querier) error {
		var size int
		if l.Count != "" {
			dest := []any{&p.Total}
			if l.Size {
				dest = append(dest, &size)
			}
			if err := q.QueryRowContext(ctx, l.Count, l.CountArgs...).Scan(dest...); err != nil {
				return fmt.Errorf("count %s: %w", l.What, err)
			}
		}
		pageSQL, pageArgs := pageSQL, pageArgs
		if l.Sparse != nil && l.Sparse(p.Total, size) {
			pageSQL, pageArgs = sparseSQL, sparseArgs
		}
		rows, err := q.QueryContext(ctx, pageSQL, pageArgs...)
		if err != nil {
			return fmt.Errorf("list %s: %w", l.What, err)
		}
		defer rows.Close()
		for rows.Next() {
			it, err := l.Scan(rows)
			if err != nil {
				return err
			}
			p.Items = append(p.Items, it)
		}
		return rows.Err()
	}
	// An export's pages may go to the replica (readroute.Bulk).
	pool := db.read
	if readroute.IsBulk(ctx) {
		pool = db.heavy(ctx)
	}
	var err error
	if l.Count != "" || readroute.BatchOf(ctx) != nil {
		// One snapshot for the count and the page; a page's shared read
		// (readroute.Together) without a count too.
		err = db.readOn(ctx, pool, read)
	} else {
		err = read(pool)
	}
	if err != nil {
		return nil, err
	}
	cutPage(p, l.Limit, l.Next)
	return p, nil
}

// cutPage ends a page read with one row more than limit: when that row
// came, it is dropped and NextCursor is next of the page's last item.
func cutPage[T any](p *page.Of[T], limit int, next func(last T) string) {
	p.Items, p.NextCursor = page.Cut(p.Items, limit, next)
}

// encodeCursor writes the position after the last item of a page: its id
// and its sort key (a name's sort key, a date…), sealed.
func encodeCursor(key []byte, id int64) string {
	b := binary.AppendVarint(nil, id)
	return sealCursor(append(b, key...))
}

// decodeCursor reads what encodeCursor wrote (apperr.BadCursor otherwise).
func decodeCursor(s string) ([]byte, int64, error) {
	b, ok := openCursor(s)
	if !ok {
		return nil, 0, apperr.BadCursor()
	}
	id, n := binary.Varint(b)
	if n <= 0 || id <= 0 {
		return nil, 0, apperr.BadCursor()
	}
	return b[n:], id, nil
}

// sealCursor writes the bytes of a cursor that carries a sort key, with a
// check sum, so that a cursor this program did not write is refused
// (apperr.BadCursor) instead of paging from a made-up position. The sum
// is not a secret: the cursor only holds what the page showed.
func sealCursor(b []byte) string {
	h := fnv.New32a()
	h.Write(b)
	return base64.RawURLEncoding.EncodeToString(h.Sum(b))
}

// openCursor checks and returns the bytes sealCursor wrote.
func openCursor(s string) ([]byte, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 4 || base64.RawURLEncoding.EncodeToString(b) != s {
		return nil, false
	}
	body := b[:len(b)-4]
	h := fnv.New32a()
	h.Write(body)
	return body, bytes.Equal(h.Sum(nil), b[len(b)-4:])
}

// encodeDateCursor is the cursor of a list in date and id order.
func encodeDateCursor(on date.Date, id int64) string {
	return encodeCursor([]byte(on.String()), id)
}

// decodeDateCursor reads what encodeDateCursor wrote.
func decodeDateCursor(s string) (date.Date, int64, error) {
	key, id, err := decodeCursor(s)
	if err != nil {
		return date.Date{}, 0, err
	}
	d, err := date.Parse(string(key))
	if err != nil || d.String() != string(key) {
		return date.Date{}, 0, apperr.BadCursor()
	}
	return d, id, nil
}
