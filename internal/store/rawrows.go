package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// rawRow is one row of rawEach: the integer columns in Ints and the text
// columns' bytes in Bytes, both by column number; Bytes are valid until
// the next row.
type rawRow struct {
	Ints  []int64
	Bytes [][]byte
}

// rawEach runs query (one text for both engines) in tx, which runs on
// conn, and calls each for every row with the columns read as cols says:
// 'i' an integer, 's' text (not NULL either). For a read of many rows
// where database/sql's conversions were the cost (about 23 allocations a
// row of the four-good results: every column made a driver.Value, the
// integers boxed, then assigned again by Scan): on PostgreSQL the rows
// are pgx's own, reached through conn.Raw, and decoded from their wire
// bytes (binary integers, text as it is); on SQLite database/sql scans
// into the same reused integers and sql.RawBytes. No allocation a row on
// PostgreSQL.
func rawEach(ctx context.Context, d dialect, conn *sql.Conn, tx *sql.Tx, cols string, each func(r *rawRow) error, query string, args ...any) error {
	r := &rawRow{Ints: make([]int64, len(cols)), Bytes: make([][]byte, len(cols))}
	if d == postgresDialect {
		return conn.Raw(func(dc any) error {
			rows, err := dc.(*stdlib.Conn).Conn().Query(ctx, query, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			return pgRawEach(rows, cols, r, each)
		})
	}
	dest := make([]any, len(cols))
	raw := make([]sql.RawBytes, len(cols))
	for i, c := range cols {
		if c == 'i' {
			dest[i] = &r.Ints[i]
		} else {
			dest[i] = &raw[i]
		}
	}
	return queryEach(ctx, tx, func(rows *sql.Rows) error {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i, b := range raw {
			r.Bytes[i] = b
		}
		return each(r)
	}, query, args...)
}

// pgRawEach decodes pgx's rows into r for each.
func pgRawEach(rows pgx.Rows, cols string, r *rawRow, each func(r *rawRow) error) error {
	fds := rows.FieldDescriptions()
	if len(fds) != len(cols) {
		return fmt.Errorf("raw rows: %d columns, %d expected", len(fds), len(cols))
	}
	for rows.Next() {
		vals := rows.RawValues()
		for i, c := range cols {
			if vals[i] == nil {
				return fmt.Errorf("raw rows: column %s is NULL", fds[i].Name)
			}
			if c != 'i' {
				r.Bytes[i] = vals[i]
				continue
			}
			n, err := pgInt(vals[i], fds[i].Format)
			if err != nil {
				return fmt.Errorf("raw rows: column %s: %w", fds[i].Name, err)
			}
			r.Ints[i] = n
		}
		if err := each(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// pgInt decodes an integer column from its wire bytes: binary (int2,
// int4, int8, big-endian) or text (decimal digits).
func pgInt(b []byte, format int16) (int64, error) {
	if format == pgx.BinaryFormatCode {
		switch len(b) {
		case 2:
			return int64(int16(binary.BigEndian.Uint16(b))), nil
		case 4:
			return int64(int32(binary.BigEndian.Uint32(b))), nil
		case 8:
			return int64(binary.BigEndian.Uint64(b)), nil
		}
		return 0, fmt.Errorf("%d bytes for an integer", len(b))
	}
	neg := len(b) > 0 && b[0] == '-'
	digits := b
	if neg {
		digits = b[1:]
	}
	if len(digits) == 0 {
		return 0, fmt.Errorf("%q is not an integer", b)
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '9' || n > (math.MaxInt64-int64(c-'0'))/10 {
			return 0, fmt.Errorf("%q is not an integer", b)
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}
