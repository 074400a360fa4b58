package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSQLiteBackupRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := OpenTest(t, filepath.Join(dir, "live.db"))
	if err := db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE backup_probe (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`)
		for i := 0; err == nil && i < 1000; i++ {
			_, err = tx.ExecContext(ctx, `INSERT INTO backup_probe (v) VALUES ($1)`, strings.Repeat("x", 200))
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	// The reader connection that ran VACUUM INTO is query-only again.
	for range 8 {
		if _, err := db.Reader().ExecContext(ctx, `INSERT INTO backup_probe (v) VALUES ('no')`); err == nil {
			t.Fatal("a reader connection writes after a backup")
		}
	}
	if err := db.Backup(ctx, out); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second backup to the same file: %v, want a refusal", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*partial*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}

	target := filepath.Join(dir, "restored", "sotay.db")
	if err := RestoreSQLite(ctx, out, target); err != nil {
		t.Fatal(err)
	}
	got := OpenTest(t, target)
	var n int
	if err := got.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM backup_probe`).Scan(&n); err != nil || n != 1000 {
		t.Errorf("restored rows: %d, %v; want 1000", n, err)
	}
	if err := RestoreSQLite(ctx, out, target); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("restore over a database: %v, want a refusal", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(target)); len(entries) > 3 {
		t.Errorf("restore left files: %v", entries)
	}

	t.Run("refuses what is not a sotay backup", func(t *testing.T) {
		text := filepath.Join(dir, "notes.txt")
		os.WriteFile(text, []byte("not a database at all"), 0o600)
		foreign := filepath.Join(dir, "foreign.db")
		f, _ := sql.Open("sqlite", "file:"+foreign)
		f.Exec(`CREATE TABLE t (x)`)
		f.Close()
		damaged := filepath.Join(dir, "damaged.db")
		b, _ := os.ReadFile(out)
		for i := 4096 * 2; i < len(b)-4096; i += 4096 {
			copy(b[i+100:i+400], strings.Repeat("\xff", 300))
		}
		os.WriteFile(damaged, b, 0o600)
		pg := filepath.Join(dir, "pg.dump")
		os.WriteFile(pg, []byte("PGDMP\x01\x0e\x00"), 0o600)
		for _, c := range []struct{ file, want string }{
			{text, "not a SQLite database"},
			{foreign, "no schema_migrations"},
			{damaged, "damaged"},
			{pg, "PostgreSQL backup"},
			{filepath.Join(dir, "missing.db"), "no such file"},
		} {
			target := filepath.Join(t.TempDir(), "sotay.db")
			err := RestoreSQLite(ctx, c.file, target)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("restore %s: %v, want an error with %q", filepath.Base(c.file), err, c.want)
			}
			if entries, _ := os.ReadDir(filepath.Dir(target)); len(entries) > 0 {
				t.Errorf("restore %s left files: %v", filepath.Base(c.file), entries)
			}
		}
	})
}

func TestArchiveTablesAndDSN(t *testing.T) {
	toc := []byte(`;
; Archive created at 2026-11-20 03:00:00 UTC
;     dbname: sotay
215; 1259 16386 TABLE public units postgres
216; 1259 16385 SEQUENCE public units_id_seq postgres
3401; 0 16386 TABLE DATA public units postgres
217; 1259 16400 TABLE public schema_migrations sotay
`)
	got := strings.Join(archiveTables(toc), ",")
	if want := "public.units,public.schema_migrations"; got != want {
		t.Errorf("archiveTables = %q, want %q", got, want)
	}
	dsn, env, err := libpqDSN("postgres://sotay:b%C3%AD%20m%E1%BA%ADt@db.example.vn:5432/sotay?sslmode=require")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(dsn, "mật") || strings.Contains(dsn, "m%E1%BA%ADt") || !strings.Contains(dsn, "sotay@db.example.vn:5432/sotay?sslmode=require") {
		t.Errorf("DSN for pg_dump = %q: the password must go, the rest stay", dsn)
	}
	if env[len(env)-1] != "PGPASSWORD=bí mật" {
		t.Errorf("PGPASSWORD not passed: %q", env[len(env)-1])
	}
}

// TestRestoreRefusesTheOtherKind: a restore reads the file's first bytes
// and says how to restore a backup of the other engine, or that the file
// is no backup, before it touches any database.
func TestRestoreRefusesTheOtherKind(t *testing.T) {
	dir := t.TempDir()
	file := func(name string, content []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, append(content, make([]byte, 64)...), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pgdump, sqlite, text := file("a.dump", pgdumpMagic), file("a.db", sqliteMagic), file("a.txt", []byte("ghi chú"))
	ctx := context.Background()
	for _, tt := range []struct {
		name    string
		restore func() error
		want    string
	}{
		{"a pg_dump archive as SQLite", func() error { return RestoreSQLite(ctx, pgdump, filepath.Join(dir, "new.db")) }, "is a PostgreSQL backup (pg_dump): restore it with --db"},
		{"a text file as SQLite", func() error { return RestoreSQLite(ctx, text, filepath.Join(dir, "new.db")) }, "is not a SQLite database"},
		{"a SQLite file as PostgreSQL", func() error { return PostgresRestore(ctx, "postgres://nobody@127.0.0.1:1/none", sqlite) }, "is a SQLite backup: restore it with --data DIR"},
		{"a text file as PostgreSQL", func() error { return PostgresRestore(ctx, "postgres://nobody@127.0.0.1:1/none", text) }, "is not a pg_dump archive"},
	} {
		err := tt.restore()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "new.db")); err == nil {
		t.Error("a refused restore wrote the target")
	}
}
