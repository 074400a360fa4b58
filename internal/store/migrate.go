package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationFS embed.FS

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

// expand reports whether the migration is marked "-- sotay:expand": it only
// adds (tables, nullable or defaulted columns, indexes), so the code of the
// release before it runs on its schema. Only migrations from 0020 on (the
// one that creates schema_expand) can be marked.
func (m migration) expand() bool {
	for _, line := range strings.Split(m.sql, "\n") {
		if strings.TrimSpace(line) == "-- sotay:expand" {
			return true
		}
	}
	return false
}

func (db *DB) migrations() ([]migration, error) {
	dir := "migrations/" + string(db.dialect)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", e.Name())
		}
		b, err := fs.ReadFile(migrationFS, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// LatestVersion is the newest schema version this binary knows.
func (db *DB) LatestVersion() int {
	ms, _ := db.migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// SchemaVersion returns the version the database is at (0 when empty).
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("schema_migrations: %w", err)
	}
	var v int
	err := db.write.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Migrate applies every migration newer than the database, each in its own
// transaction. It refuses a database whose schema is newer than this binary.
//
// Several processes may start at once on one PostgreSQL database: each
// takes the advisory lock migrateLockKey on a connection of its own for
// the whole run, so one migrates and the others, once it is done, find
// nothing left to do.
func (db *DB) Migrate(ctx context.Context) (applied int, err error) {
	if db.dialect == postgresDialect {
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return 0, err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLockKey); err != nil {
			return 0, fmt.Errorf("lock the migrations: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLockKey)
	}
	return db.migrate(ctx)
}

// migrateLockKey is the pg_advisory_lock key of the migrations
// ("sotay_mi" in ASCII).
const migrateLockKey int64 = 0x736f7461795f6d69

func (db *DB) migrate(ctx context.Context) (applied int, err error) {
	cur, err := db.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	ms, err := db.migrations()
	if err != nil {
		return 0, err
	}
	if latest := db.LatestVersion(); cur > latest {
		// A newer release migrated the database. This binary runs on it
		// only when every newer migration only adds (-- sotay:expand):
		// the old processes of a rolling upgrade keep running and may
		// restart.
		var breaking int
		if err := db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations
			WHERE version > $1 AND version NOT IN (SELECT version FROM schema_expand)`, latest).Scan(&breaking); err != nil || breaking > 0 {
			return 0, fmt.Errorf("the database schema is version %d but this sotay knows only up to %d: upgrade sotay", cur, latest)
		}
		return 0, nil
	}
	db.pastLog.Store(1)
	db.asOfScopes.Store(1)
	for _, m := range ms {
		if m.version <= cur && strings.HasSuffix(m.name, "_past_counts.sql") {
			db.pastLog.Store(2)
		}
		if m.version <= cur && asOfMigration(m.name) {
			db.asOfScopes.Store(2)
		}
	}
	for _, m := range ms {
		if m.version <= cur {
			continue
		}
		past := strings.HasSuffix(m.name, "_past_counts.sql")
		asOf := asOfMigration(m.name)
		err := db.Write(ctx, func(tx *Tx) error { return tx.applyMigration(ctx, m, past, asOf) })
		if err != nil {
			db.pastLog.Store(0)
			db.asOfScopes.Store(0)
			return applied, fmt.Errorf("migration %s: %w", m.name, err)
		}
		if past {
			db.pastLog.Store(2)
		}
		if asOf {
			db.asOfScopes.Store(2)
		}
		applied++
	}
	return applied, nil
}

// applyMigration runs migration m in tx and records it; past and asOf say
// that it is the one that creates the past statistics' counters or the
// rows of the member lists of a past day, whose backfill is computed in Go.
func (tx *Tx) applyMigration(ctx context.Context, m migration, past, asOf bool) error {
	if tx.db.dialect == postgresDialect {
		// No JIT for a migration: its statements run once, on tables
		// whose estimates are guesses. The task scopes' fill of
		// 0014 (taskScopesSQL) compiled 183 functions over an empty
		// database, 0.05–0.4 s of the server's CPU for every
		// database migrated (each test binary's templates).
		if _, err := tx.ExecContext(ctx, `SET LOCAL jit = off`); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if past {
		// The past statistics' counters are computed in Go
		// (pastcounts.go): the backfill runs here, in the
		// migration's transaction.
		if err := tx.rebuildPastCounts(ctx); err != nil {
			return err
		}
	}
	if asOf {
		// So are the rows of the member lists of a past day
		// (members_asof.go).
		if err := tx.rebuildAsOfScopes(ctx); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name); err != nil {
		return err
	}
	if m.expand() {
		_, err := tx.ExecContext(ctx, `INSERT INTO schema_expand (version) VALUES ($1)`, m.version)
		return err
	}
	return nil
}
