package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Loader bulk-loads generated units and members with their ids already
// set (the demo generator). On SQLite it uses multi-row INSERTs inside one
// transaction; on PostgreSQL it uses COPY. Call Close to flush.
type Loader struct {
	db         *DB
	ctx        context.Context
	now        time.Time
	units      [][]any
	history    [][]any
	members    [][]any
	unitStart  map[int64]date.Date
	statusDate date.Date
	conn       *sql.Conn
	tx         *sql.Tx
	stmts      map[string]*sql.Stmt
	// Member batches are written by a background goroutine, so that
	// generating rows (names folded, collation keys) and writing them
	// run on two cores.
	batches chan loadJob
	written chan error
	// dropped holds the CREATE INDEX statements of indexes dropped for
	// the load (SQLite builds an index faster once than row by row).
	dropped []string
	// fill and triggers: the tables of the members' roll-up triggers
	// dropped for the load, and their definitions (bulk_triggers.go).
	fill, triggers []string
	Units          int
	Members        int
}

const loaderBatch = 20000

// NewLoader starts a bulk load.
func (db *DB) NewLoader(ctx context.Context) (*Loader, error) {
	l := &Loader{db: db, ctx: ctx, now: db.Now().UTC(), unitStart: map[int64]date.Date{}, statusDate: date.Today(db.Now()).AddMonths(-6)}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, err
	}
	l.conn = conn
	if db.dialect == sqliteDialect {
		// A larger page cache for the load and the index builds after it.
		if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
			conn.Close()
			return nil, err
		}
		if l.tx, err = conn.BeginTx(ctx, nil); err != nil {
			conn.Close()
			return nil, err
		}
		l.stmts = map[string]*sql.Stmt{}
		if err := l.dropMemberIndexes(); err != nil {
			l.rollback()
			conn.Close()
			return nil, err
		}
	}
	return l, nil
}

// Unit queues a unit (parents before children).
func (l *Loader) Unit(u *org.Unit) error {
	var parent any
	if u.ParentID != nil {
		parent = *u.ParentID
	}
	var dissolved any
	if !u.DissolvedOn.IsZero() {
		dissolved = u.DissolvedOn.String()
	}
	l.units = append(l.units, []any{u.ID, parent, string(u.Kind), string(u.CellType), u.Name, viet.Fold(u.Name), u.Code, u.Path, u.Depth, 1, u.ValidFrom.String(), dissolved, l.now})
	l.history = append(l.history, []any{u.ID, parent, u.Path, u.Name, string(u.Kind), u.ValidFrom.String()})
	l.unitStart[u.ID] = u.ValidFrom
	l.Units++
	if len(l.units) >= 2000 {
		return l.flushUnits()
	}
	return nil
}

// Member queues a member. Its unit is written before it: flushMembers
// writes the queued units first. (Flushing the units at every member
// made a COPY of units and one of unit_history for each unit of the
// demo, whose generator gives a unit then its members: 920 COPYs for the
// district's 496 units, now 2.)
func (l *Loader) Member(m *member.Member) error {
	since := m.AdmittedOn
	if start := l.unitStart[m.UnitID]; since.Before(start) || since.IsZero() {
		since = start
	}
	var statusSince any
	if !m.Status.Active() || m.Status == member.StatusExempt {
		statusSince = l.statusDate.String()
	}
	l.members = append(l.members, []any{m.ID, m.UnitID, since.String(), m.FullName, viet.Fold(m.FullName), viet.NameSortKey(m.FullName),
		string(m.Gender), dateOrNil(m.BirthDate), nullIfEmpty(m.CardNo), m.BiographyNo, nullIfEmpty(m.CitizenID), m.Phone, m.Email,
		dateOrNil(m.AdmittedOn), dateOrNil(m.FullOn), string(m.Status), statusSince, m.Position, 1, l.now, l.now})
	l.Members++
	if len(l.members) >= loaderBatch {
		return l.flushMembers()
	}
	return nil
}

func dateOrNil(d date.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

var (
	unitCols    = []string{"id", "parent_id", "kind", "cell_type", "name", "name_folded", "code", "path", "depth", "version", "valid_from", "dissolved_on", "created_at"}
	historyCols = []string{"unit_id", "parent_id", "path", "name", "kind", "valid_from"}
	memberCols  = []string{"id", "unit_id", "unit_since", "full_name", "name_folded", "sort_key", "gender", "birth_date", "card_no", "biography_no",
		"citizen_id", "phone", "email", "admitted_on", "full_on", "status", "status_since", "position", "version", "created_at", "updated_at"}
)

func (l *Loader) flushUnits() error {
	if len(l.units) == 0 {
		return nil
	}
	if err := l.send(loadJob{"units", unitCols, l.units}); err != nil {
		return err
	}
	if err := l.send(loadJob{"unit_history", historyCols, l.history}); err != nil {
		return err
	}
	l.units, l.history = nil, nil
	return nil
}

// loadJob is a batch of rows for one table.
type loadJob struct {
	table string
	cols  []string
	rows  [][]any
}

func (l *Loader) flushMembers() error {
	if len(l.members) == 0 {
		return nil
	}
	if err := l.flushUnits(); err != nil {
		return err
	}
	if err := l.send(loadJob{"members", memberCols, l.members}); err != nil {
		return err
	}
	l.members = make([][]any, 0, loaderBatch)
	return nil
}

// send queues a batch for the writer goroutine, starting it if needed.
// Batches are written in the order they are sent, so units land before
// the members that refer to them.
func (l *Loader) send(j loadJob) error {
	if l.batches == nil {
		l.batches, l.written = make(chan loadJob, 4), make(chan error, 1)
		go l.writeBatches()
	}
	select {
	case l.batches <- j:
		return nil
	case err := <-l.written: // the writer stopped early on an error
		l.written <- err
		return err
	}
}

// writeBatches writes member batches until the channel closes or a write
// fails; it reports the first error (or nil) on l.written.
func (l *Loader) writeBatches() {
	var err error
	for j := range l.batches {
		if err = l.copy(j.table, j.cols, j.rows); err != nil {
			break
		}
	}
	l.written <- err
}

// waitMembers closes the batch channel and waits for the writer.
func (l *Loader) waitMembers() error {
	if l.batches == nil {
		return nil
	}
	close(l.batches)
	err := <-l.written
	l.batches = nil
	return err
}

// copy writes rows with COPY (PostgreSQL) or multi-row INSERTs (SQLite).
func (l *Loader) copy(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if l.db.dialect == postgresDialect {
		return l.conn.Raw(func(dc any) error {
			c := dc.(*stdlib.Conn).Conn()
			_, err := c.CopyFrom(l.ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
			if err != nil {
				return fmt.Errorf("copy %s: %w", table, err)
			}
			return nil
		})
	}
	// SQLite: one prepared single-row INSERT, run once per row. A
	// single-row statement needs no statement journal, unlike a multi-row one.
	st, ok := l.stmts[table]
	if !ok {
		var err error
		st, err = l.tx.PrepareContext(l.ctx, "INSERT INTO "+table+" ("+strings.Join(cols, ",")+") VALUES ("+
			strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",")+")")
		if err != nil {
			return fmt.Errorf("prepare %s: %w", table, err)
		}
		l.stmts[table] = st
	}
	for _, r := range rows {
		if _, err := st.ExecContext(l.ctx, r...); err != nil {
			return fmt.Errorf("insert %s: %w", table, err)
		}
	}
	return nil
}

// dropMemberIndexes drops the secondary indexes of an empty members table
// for the load; Close creates them again.
func (l *Loader) dropMemberIndexes() error {
	var n int
	if err := l.tx.QueryRowContext(l.ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM members LIMIT 1) x`).Scan(&n); err != nil || n > 0 {
		return err
	}
	defs, err := dropSQLiteIndexes(l.ctx, l.tx, "members")
	l.dropped = append(l.dropped, defs...)
	if err != nil {
		return err
	}
	l.fill, l.triggers, err = dropLoadTriggers(l.ctx, l.tx)
	return err
}

// dropSQLiteIndexes drops a table's secondary indexes and returns their
// definitions (the autoindexes of its keys, which have none, stay).
func dropSQLiteIndexes(ctx context.Context, q Querier, table string) ([]string, error) {
	return dropSQLiteObjects(ctx, q, "INDEX", `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, table)
}

// dropSQLiteObjects drops the schema objects of a kind ("INDEX",
// "TRIGGER") that query selects from sqlite_master as (name, sql) and
// returns their definitions: a bulk write goes faster without their upkeep
// row by row, and runs the definitions again once the rows are in.
func dropSQLiteObjects(ctx context.Context, q Querier, kind, query string, args ...any) ([]string, error) {
	type object struct{ name, def string }
	objs, err := queryAll(ctx, q, func(rows *sql.Rows) (object, error) {
		var o object
		err := rows.Scan(&o.name, &o.def)
		return o, err
	}, query, args...)
	if err != nil {
		return nil, err
	}
	defs := make([]string, 0, len(objs))
	for _, o := range objs {
		if _, err := q.ExecContext(ctx, "DROP "+kind+" "+o.name); err != nil {
			return nil, err
		}
		defs = append(defs, o.def)
	}
	return defs, nil
}

// Close flushes what is queued, commits, and on PostgreSQL moves the id
// sequences past the loaded ids.
func (l *Loader) Close() error {
	defer l.conn.Close()
	err := l.flushUnits()
	if err == nil {
		err = l.flushMembers()
	}
	if werr := l.waitMembers(); err == nil {
		err = werr
	}
	if err != nil {
		l.rollback()
		return err
	}
	for _, def := range l.dropped {
		if _, err := l.tx.ExecContext(l.ctx, def); err != nil {
			l.rollback()
			return fmt.Errorf("rebuild index: %w", err)
		}
	}
	if err := fillLoadTables(l.ctx, l.tx, l.fill, l.triggers); err != nil {
		l.rollback()
		return err
	}
	// The loaded members' rows of member_scopes (members_scopes.go).
	var ex interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	} = l.conn
	if l.tx != nil {
		ex = l.tx
	}
	if _, err := ex.ExecContext(l.ctx, fillMemberScopesSQL); err != nil {
		l.rollback()
		return fmt.Errorf("member scopes: %w", err)
	}
	if l.tx != nil {
		if err := l.tx.Commit(); err != nil {
			return err
		}
	}
	if l.db.dialect == postgresDialect {
		for _, t := range []string{"units", "members"} {
			if _, err := l.conn.ExecContext(l.ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), COALESCE((SELECT MAX(id) FROM `+t+`), 0) + 1, false)`); err != nil {
				return fmt.Errorf("reset %s ids: %w", t, err)
			}
		}
		if _, err := l.conn.ExecContext(l.ctx, `ANALYZE`); err != nil {
			return err
		}
	} else {
		if _, err := l.conn.ExecContext(l.ctx, `ANALYZE`); err != nil {
			return err
		}
		if _, err := l.conn.ExecContext(l.ctx, `PRAGMA cache_size = -32000`); err != nil {
			return err
		}
	}
	// The past statistics' counters of everything loaded, from scratch
	// (the rows the triggers logged are dropped): on the writer pool,
	// once this connection is back in it.
	// Then the keys of the name search, if the load made the database big
	// (members_keys.go), in the same transaction: a transaction of its
	// own before the rebuild would apply the past log's rows of the whole
	// load first, which the rebuild drops (1.2 s of CPU in the demo's
	// build, measured).
	l.conn.Close()
	logsPast := l.db.logsPast(l.ctx)
	return l.db.Write(l.ctx, func(tx *Tx) error {
		if logsPast {
			if err := tx.rebuildPastCounts(l.ctx); err != nil {
				return err
			}
			if l.db.hasAsOfScopes(l.ctx) {
				if err := tx.rebuildAsOfScopes(l.ctx); err != nil {
					return err
				}
			}
		}
		return tx.keepMemberKeysIfBig(l.ctx)
	})
}

func (l *Loader) rollback() {
	if l.tx != nil {
		l.tx.Rollback()
	}
}

// IsEmpty reports whether the database holds no unit yet.
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM units LIMIT 1) x`).Scan(&n)
	return n == 0, err
}
