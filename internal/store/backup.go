package store

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// sqliteMagic opens every SQLite database file; pgdumpMagic opens every
// pg_dump archive in the custom format.
var (
	sqliteMagic = []byte("SQLite format 3\x00")
	pgdumpMagic = []byte("PGDMP")
)

// IsPostgresDSN reports whether dsn names a PostgreSQL database.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// SQLiteFile returns the database file that Open would use for dsn and
// dataDir, without creating anything.
func SQLiteFile(dsn, dataDir string) (string, error) {
	if dsn != "" && dsn != "sqlite" && !strings.HasPrefix(dsn, "sqlite:") {
		return "", fmt.Errorf("unknown database %q: use sqlite or postgres://…", dsn)
	}
	if file := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite"), ":"); file != "" {
		return file, nil
	}
	if dataDir == "" {
		dataDir = "data"
	}
	return filepath.Join(dataDir, "sotay.db"), nil
}

// Backup writes a consistent copy of the SQLite database to file while the
// server keeps running: VACUUM INTO on a connection of the reader pool
// reads one snapshot in a read transaction, so writers go on committing to
// the WAL meanwhile. The copy is written next to file under a temporary
// name, synced, and only then given its name, so file is either absent or
// complete. It refuses to overwrite file.
func (db *DB) Backup(ctx context.Context, file string) error {
	if db.dialect != sqliteDialect {
		return errors.New("a PostgreSQL database is backed up with pg_dump (see PostgresDump)")
	}
	tmp, err := backupTemp(file)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return err
	}
	// The readers are opened with query_only, which also forbids VACUUM
	// INTO; lift it on this one connection and put it back before the
	// connection returns to the pool (or drop the connection if that fails).
	_, err = conn.ExecContext(ctx, `PRAGMA query_only = 0`)
	if err == nil {
		_, err = conn.ExecContext(ctx, `VACUUM INTO ?`, tmp)
		if _, e := conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA query_only = 1`); e != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}
	conn.Close()
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	return publish(tmp, file)
}

// RestoreSQLite restores the SQLite backup in file as the database target
// (normally DIR/sotay.db). It refuses when target, or a -wal or -shm file
// beside it, exists: a restore never replaces a database, and least of all
// a live one. The backup must be a SQLite database with sotay's
// schema_migrations table, no newer than this binary, and pass
// PRAGMA integrity_check. The copy is checked before it takes its name.
func RestoreSQLite(ctx context.Context, file, target string) error {
	if err := checkBackupKind(file, sqliteMagic, pgdumpMagic, "%s is a PostgreSQL backup (pg_dump): restore it with --db postgres://…"); err != nil {
		return err
	}
	if err := RefuseSQLiteTarget(ctx, target); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	tmp, err := tempName(target)
	if err != nil {
		return err
	}
	defer func() {
		for _, f := range []string{tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"} {
			os.Remove(f)
		}
	}()
	if err := copyFile(file, tmp); err != nil {
		return err
	}
	if err := CheckSQLiteBackup(ctx, tmp); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if _, err := os.Stat(tmp + "-wal"); err == nil {
		return fmt.Errorf("restore: the checked copy kept a write-ahead log; try again")
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	return publish(tmp, target)
}

// CheckSQLiteBackup opens a SQLite database file and checks that it is
// whole (PRAGMA integrity_check) and sotay's (schema_migrations, at a
// version this binary knows). It may write to the file (a WAL left in it
// is checkpointed), so check a copy, not the only backup.
func CheckSQLiteBackup(ctx context.Context, file string) error {
	if err := checkMagic(file, sqliteMagic); err != nil {
		return err
	}
	c, err := openSQLiteFile(file, 1000)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetMaxOpenConns(1)
	problems, err := queryAll(ctx, c, scanValue[string], `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("not a readable SQLite database: %w", err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		if len(problems) > 5 {
			problems = append(problems[:5], "…")
		}
		return fmt.Errorf("the database is damaged (integrity check: %s)", strings.Join(problems, "; "))
	}
	var n int
	if err := c.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return errors.New("not a sotay database: it has no schema_migrations table")
	}
	var v int
	if err := c.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return err
	}
	if v == 0 {
		return errors.New("not a sotay database: schema_migrations is empty")
	}
	if latest := (&DB{dialect: sqliteDialect}).LatestVersion(); v > latest {
		return fmt.Errorf("the backup's schema is version %d but this sotay knows only up to %d: restore it with a newer sotay", v, latest)
	}
	return c.Close()
}

// RefuseSQLiteTarget returns an error when target, or its -wal or -shm
// file, exists. It says so more precisely when a running server holds the
// database.
func RefuseSQLiteTarget(ctx context.Context, target string) error {
	var found []string
	for _, f := range []string{target, target + "-wal", target + "-shm"} {
		if _, err := os.Lstat(f); err == nil {
			found = append(found, f)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if len(found) == 0 {
		return nil
	}
	if sqliteInUse(ctx, target) {
		return fmt.Errorf("%s is in use by a running server: a restore never replaces a live database; stop the server and restore into a new, empty data directory", target)
	}
	return fmt.Errorf("%s already exists: a restore never replaces a database; restore into a new, empty data directory (or move the old files away first)", strings.Join(found, ", "))
}

// sqliteInUse tells whether another process holds the database open: a
// connection that holds the shared-memory index of the WAL (unix), or one
// that holds the write lock (BEGIN EXCLUSIVE does not get it in time).
func sqliteInUse(ctx context.Context, file string) bool {
	if shmHeld(file + "-shm") {
		return true
	}
	if _, err := os.Stat(file); err != nil {
		return false
	}
	c, err := openSQLiteFile(file, 300)
	if err != nil {
		return false
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := c.Conn(ctx)
	if err != nil {
		return false
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN EXCLUSIVE`); err != nil {
		s := strings.ToLower(err.Error())
		return strings.Contains(s, "locked") || strings.Contains(s, "busy")
	}
	_, _ = conn.ExecContext(ctx, `ROLLBACK`)
	return false
}

// refuseExisting returns an error when file exists.
func refuseExisting(file string) error {
	if file == "" {
		return errors.New("no backup file was named")
	}
	if _, err := os.Lstat(file); err == nil {
		return fmt.Errorf("%s already exists: a backup never overwrites a file; name a new one", file)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// backupTemp refuses a backup file that exists already and returns the
// temporary name beside it that the backup is written to first (publish
// gives it the file's name once complete).
func backupTemp(file string) (string, error) {
	if err := refuseExisting(file); err != nil {
		return "", err
	}
	return tempName(file)
}

// tempName returns a new name beside file for writing it before it is
// complete.
func tempName(file string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".partial-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	f.Close()
	// VACUUM INTO wants a missing or empty file; an empty one is what we
	// have, and keeping it reserves the name.
	return name, nil
}

// publish gives the complete file tmp the name file, never replacing an
// existing file, and syncs the directory.
func publish(tmp, file string) error {
	if err := os.Link(tmp, file); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return refuseExisting(file)
		}
		// A file system without hard links: check, then rename.
		if err := refuseExisting(file); err != nil {
			return err
		}
		if err := os.Rename(tmp, file); err != nil {
			return err
		}
	}
	os.Remove(tmp)
	if d, err := os.Open(filepath.Dir(file)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	return errors.Join(err, f.Close())
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("copy %s: %w", from, err)
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

func readMagic(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, 16)
	n, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b[:n], nil
}

func checkMagic(file string, magic []byte) error {
	b, err := readMagic(file)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(b, magic) {
		if bytes.Equal(magic, sqliteMagic) {
			return fmt.Errorf("%s is not a SQLite database", file)
		}
		return fmt.Errorf("%s is not a pg_dump archive in the custom format", file)
	}
	return nil
}

// checkBackupKind checks that file is a backup of the kind whose first
// bytes are want; a backup of the other kind (other) is refused with
// wrongKind (a format with one %s, the file) saying how to restore it.
func checkBackupKind(file string, want, other []byte, wrongKind string) error {
	err := checkMagic(file, want)
	if err != nil {
		if m, _ := readMagic(file); bytes.HasPrefix(m, other) {
			return fmt.Errorf(wrongKind, file)
		}
	}
	return err
}

// openSQLiteFile opens a SQLite database file read-write outside the
// store's pools (a backup to check, a database that may be in use),
// waiting busyMS milliseconds for a lock.
func openSQLiteFile(file string, busyMS int) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyMS))
	q.Set("mode", "rw")
	return openSQLiteDB(sqliteURI(file, q))
}
