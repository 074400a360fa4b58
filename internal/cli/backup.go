package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/sotay-vn/sotay/internal/store"
)

// cmdBackup takes a consistent online backup: VACUUM INTO for SQLite,
// pg_dump --format=custom for PostgreSQL. The server may keep running.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	f, rest, err := dbCommand("backup", stderr, args, 1, "backup takes one FILE to write: sotay backup [--data DIR | --db URL] FILE")
	if err != nil {
		return err
	}
	file := rest[0]
	start := time.Now()
	if store.IsPostgresDSN(f.DB) {
		if err := store.PostgresDump(ctx, f.DB, file); err != nil {
			return err
		}
	} else {
		path, err := store.SQLiteFile(f.DB, f.Data)
		if err != nil {
			return err
		}
		// Open would create an empty database where there is none.
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("there is no database at %s: check --data or --db", path)
		}
		db, err := store.Open(ctx, "sqlite:"+path, "")
		if err != nil {
			return err
		}
		err = db.Backup(ctx, file)
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	size := int64(0)
	if st, err := os.Stat(file); err == nil {
		size = st.Size()
	}
	fmt.Fprintf(stdout, "Backed up to %s (%s) in %s.\n", file, humanBytes(size), time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdRestore restores a backup into an empty data directory (SQLite) or
// an empty database (PostgreSQL). It never replaces data.
func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	f, rest, err := dbCommand("restore", stderr, args, 1, "restore takes one backup FILE: sotay restore [--data DIR | --db URL] FILE")
	if err != nil {
		return err
	}
	file := rest[0]
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("backup file: %w", err)
	}
	start := time.Now()
	if store.IsPostgresDSN(f.DB) {
		if err := store.PostgresRestore(ctx, f.DB, file); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Restored %s into the PostgreSQL database in %s. Start the server as usual; it upgrades the schema if the backup is older.\n", file, time.Since(start).Round(time.Millisecond))
		return nil
	}
	target, err := store.SQLiteFile(f.DB, f.Data)
	if err != nil {
		return err
	}
	// Restoring with --data DIR wants a new, empty data directory: the
	// database (attachments included) and whatever is beside it belong together.
	if f.DB == "" || f.DB == "sqlite" {
		if err := store.RefuseSQLiteTarget(ctx, target); err != nil {
			return err
		}
		entries, err := os.ReadDir(f.Data)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if len(entries) > 0 {
			return fmt.Errorf("the data directory %s is not empty: restore into a new, empty one", f.Data)
		}
	}
	if err := store.RestoreSQLite(ctx, file, target); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored %s into %s in %s. Start the server on it as usual; it upgrades the schema if the backup is older.\n", file, target, time.Since(start).Round(time.Millisecond))
	return nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
