package store

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strings"
)

// PostgresDump backs the PostgreSQL database dsn up into file with
// `pg_dump --format=custom`, which reads one consistent snapshot while the
// servers keep writing. pg_dump must be on PATH, of the server's major
// version or newer. It refuses to overwrite file; file appears only when
// the dump is complete.
func PostgresDump(ctx context.Context, dsn, file string) error {
	bin, err := pgTool("pg_dump")
	if err != nil {
		return err
	}
	tmp, err := backupTemp(file)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	conn, env, err := libpqDSN(dsn)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin, "--format=custom", "--no-password", "--file", tmp, "--dbname", conn)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_dump: %v: %s", err, strings.TrimSpace(string(out)))
	}
	if err := checkMagic(tmp, pgdumpMagic); err != nil {
		return fmt.Errorf("pg_dump wrote no archive: %w", err)
	}
	return publish(tmp, file)
}

// PostgresRestore restores a pg_dump archive (custom format) into the
// PostgreSQL database dsn, which must not hold any of the archive's
// tables: a restore never replaces data. pg_restore runs in one
// transaction, so a failed restore leaves the database as it was.
func PostgresRestore(ctx context.Context, dsn, file string) error {
	if err := checkBackupKind(file, pgdumpMagic, sqliteMagic, "%s is a SQLite backup: restore it with --data DIR (or --db sqlite:FILE)"); err != nil {
		return err
	}
	bin, err := pgTool("pg_restore")
	if err != nil {
		return err
	}
	conn, env, err := libpqDSN(dsn)
	if err != nil {
		return err
	}
	list := exec.CommandContext(ctx, bin, "--list", file)
	list.Env = env
	var stderr bytes.Buffer
	list.Stderr = &stderr
	toc, err := list.Output()
	if err != nil {
		return fmt.Errorf("pg_restore --list %s: %v: %s", file, err, strings.TrimSpace(stderr.String()))
	}
	tables := archiveTables(toc)
	if len(tables) == 0 {
		return fmt.Errorf("%s holds no tables", file)
	}
	if err := refusePostgresTarget(ctx, dsn, tables); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--no-password", "--dbname", conn, file)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_restore: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// refusePostgresTarget returns an error when the database holds
// schema_migrations or any table of the archive.
func refusePostgresTarget(ctx context.Context, dsn string, tables []string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer rows.Close()
	want := map[string]bool{}
	for _, t := range tables {
		want[t] = true
	}
	var clash []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		if want[name] || strings.HasSuffix(name, ".schema_migrations") {
			clash = append(clash, name)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(clash) > 0 {
		sort.Strings(clash)
		if len(clash) > 5 {
			clash = append(clash[:5], "…")
		}
		return fmt.Errorf("the database already holds sotay's tables (%s): a restore never replaces data; restore into a new, empty database (createdb)", strings.Join(clash, ", "))
	}
	return nil
}

// archiveTables reads the tables (schema.name) of a pg_restore --list.
// A line looks like "215; 1259 16386 TABLE public units postgres".
func archiveTables(toc []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(toc))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, ";") {
			continue
		}
		_, rest, ok := strings.Cut(line, "; ")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) >= 5 && f[2] == "TABLE" && f[3] != "DATA" { // not "TABLE DATA"
			out = append(out, f[3]+"."+f[4])
		}
	}
	return out
}

// pgTool finds a PostgreSQL client program on PATH.
func pgTool(name string) (string, error) {
	bin, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s is not on PATH: install the PostgreSQL client programs of the server's major version or newer (Debian and Ubuntu: apt-get install postgresql-client)", name)
	}
	return bin, nil
}

// libpqDSN returns the connection URI for pg_dump and pg_restore without
// its password, and the environment that carries the password instead
// (PGPASSWORD), so that it does not show in the process list.
func libpqDSN(dsn string) (string, []string, error) {
	env := os.Environ()
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, errors.New("the PostgreSQL address is not a URL: use postgres://user@host/db")
	}
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	return u.String(), env, nil
}
