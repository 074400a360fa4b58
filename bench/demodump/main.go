// Command demodump writes every table of a SQLite database as text, one
// line per row, the rows of each table ordered by its primary key (the
// rowid, or a WITHOUT ROWID table's key), so that two demo databases built
// by different code can be compared with diff (r22-demo: the demo build's
// speed-up must not change what the demo holds).
//
//	go run ./bench/demodump FILE > dump.txt
//
// Columns that hold the wall-clock time of the build or a random value
// are left out (skipped below, each with its reason); blobs are written as
// their SHA-256.
package main

import (
	"bufio"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"strings"

	_ "modernc.org/sqlite"
)

// skipped are table.column pairs not compared, with why.
var skipped = map[string]string{
	"schema_migrations.applied_at": "the wall-clock time of the migration",
	"accounts.password_hash":       "a random salt per hash",
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: demodump FILE")
		os.Exit(2)
	}
	if err := dump(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "demodump:", err)
		os.Exit(1)
	}
}

func dump(file string) error {
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	tables, err := column(db, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, t := range tables {
		if err := dumpTable(db, out, t); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
	}
	return nil
}

func column(db *sql.DB, q string) ([]string, error) {
	rows, err := db.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// dumpTable writes table's rows, its kept columns in their order.
func dumpTable(db *sql.DB, out *bufio.Writer, table string) error {
	rows, err := db.Query(`SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		return err
	}
	var cols, keys []string
	pkAt := map[int]string{}
	for rows.Next() {
		var name string
		var pk int
		if err := rows.Scan(&name, &pk); err != nil {
			rows.Close()
			return err
		}
		if pk > 0 {
			pkAt[pk] = `"` + name + `"`
		}
		if _, skip := skipped[table+"."+name]; !skip {
			cols = append(cols, `"`+name+`"`)
		}
	}
	rows.Close()
	for i := 1; i <= len(pkAt); i++ {
		keys = append(keys, pkAt[i])
	}
	var withoutRowid int
	if err := db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = ? AND sql LIKE '%WITHOUT ROWID%'`, table).Scan(&withoutRowid); err != nil {
		return err
	}
	order := "rowid"
	if withoutRowid > 0 || strings.HasPrefix(table, "sqlite_") && len(keys) > 0 {
		order = strings.Join(keys, ", ")
	} else if len(keys) > 0 {
		order = strings.Join(keys, ", ") + ", rowid"
	}
	fmt.Fprintf(out, "== %s (%s) by %s\n", table, strings.Join(cols, ", "), order)
	data, err := db.Query(`SELECT ` + strings.Join(cols, ", ") + ` FROM "` + table + `" ORDER BY ` + order)
	if err != nil {
		return err
	}
	defer data.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for data.Next() {
		if err := data.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			if i > 0 {
				out.WriteByte('\t')
			}
			switch x := v.(type) {
			case []byte:
				fmt.Fprintf(out, "blob:%x", sha256.Sum256(x))
			case nil:
				out.WriteString("NULL")
			default:
				fmt.Fprintf(out, "%q", fmt.Sprint(x))
			}
		}
		out.WriteByte('\n')
	}
	return data.Err()
}
