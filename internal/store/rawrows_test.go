package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
)

// TestRawEach reads random rows (integers of 4 and 8 bytes on PostgreSQL,
// negative, zero and large; texts with Vietnamese, quotes, empty) through
// rawEach and through database/sql's Scan: the same rows in the same
// order, on both engines, and the bytes of a row do not change when the
// next is read (each copies what it keeps).
func TestRawEach(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(14, 10))
		words := []string{"Chi bộ", "Đảng ủy xã Phú Túc", "", "'", `"\`, "🎉", "a", "Ư"}
		var vals []string
		for i := range 300 {
			small := rng.Int32N(1<<31-1) - 1<<30
			big := rng.Int64() - 1<<62
			if i%7 == 0 {
				small, big = 0, -1
			}
			w := ""
			for range rng.IntN(4) {
				w += words[rng.IntN(len(words))]
			}
			vals = append(vals, fmt.Sprintf("(%d, %d, '%s', %d)", i, small, strings.ReplaceAll(w, "'", "''"), big))
		}
		query := `SELECT v.column1, v.column2, v.column3, v.column4 FROM (VALUES ` + strings.Join(vals, ", ") + `) AS v WHERE v.column1 >= $1 ORDER BY v.column1`
		type row struct {
			N, Small int64
			Text     string
			Big      int64
		}
		want, err := queryAll(ctx, db.read, func(rows *sql.Rows) (row, error) {
			var r row
			return r, rows.Scan(&r.N, &r.Small, &r.Text, &r.Big)
		}, query, 3)
		if err != nil {
			t.Fatal(err)
		}
		var got []row
		err = db.readConnTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
			return rawEach(ctx, db.dialect, conn, tx, "iisi", func(r *rawRow) error {
				got = append(got, row{r.Ints[0], r.Ints[1], string(r.Bytes[2]), r.Ints[3]})
				return nil
			}, query, 3)
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != 297 {
			t.Fatalf("the oracle read %d rows, want 297", len(want))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("rawEach (-database/sql +raw):\n%s", diff)
		}
	})
}

// TestPGInt decodes integers as PostgreSQL sends them, in binary and in
// text, and refuses what is not one.
func TestPGInt(t *testing.T) {
	for _, c := range []struct {
		b      []byte
		format int16
		want   int64
		bad    bool
	}{
		{[]byte{0xff, 0xfe}, pgx.BinaryFormatCode, -2, false},
		{[]byte{0, 0, 1, 0}, pgx.BinaryFormatCode, 256, false},
		{[]byte{0x80, 0, 0, 0}, pgx.BinaryFormatCode, -1 << 31, false},
		{[]byte{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, pgx.BinaryFormatCode, 1<<63 - 1, false},
		{[]byte{0, 0, 0, 0, 0, 0, 0, 1, 0}, pgx.BinaryFormatCode, 0, true},
		{[]byte("12345"), pgx.TextFormatCode, 12345, false},
		{[]byte("-42"), pgx.TextFormatCode, -42, false},
		{[]byte("9223372036854775807"), pgx.TextFormatCode, 1<<63 - 1, false},
		{[]byte("9223372036854775808"), pgx.TextFormatCode, 0, true},
		{[]byte("12a"), pgx.TextFormatCode, 0, true},
		{[]byte(""), pgx.TextFormatCode, 0, true},
		{[]byte("-"), pgx.TextFormatCode, 0, true},
	} {
		got, err := pgInt(c.b, c.format)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("pgInt(%q, %d) = %d, %v; want %d, error %v", c.b, c.format, got, err, c.want, c.bad)
		}
	}
}
