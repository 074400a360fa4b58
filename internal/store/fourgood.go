package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/scoring"
)

// FourGood is the four-good cell module's Store (internal/scoring):
// frameworks, registrations, scoresheets and their points, reports up.
type FourGood struct {
	*DB
	// countMax replaces rankCountMax when set (the tests take both ways).
	countMax int
}

var _ scoring.Store = FourGood{}

// Unit returns what the module needs of a unit.
func (db FourGood) Unit(ctx context.Context, id int64) (*scoring.UnitRef, error) {
	var u scoring.UnitRef
	var err error
	u.Dissolved, err = readUnitRef(ctx, db.read, id, `id, parent_id, path, name, code, kind, cell_type`, &u.ID, &u.ParentID, &u.Path, &u.Name, &u.Code, &u.Kind, &u.CellType)
	return &u, err
}

// ChildUnits lists the live units directly below a unit.
func (db FourGood) ChildUnits(ctx context.Context, id int64) ([]scoring.UnitRef, error) {
	return queryAll(ctx, db.read, func(rows *sql.Rows) (scoring.UnitRef, error) {
		var u scoring.UnitRef
		return u, rows.Scan(&u.ID, &u.ParentID, &u.Path, &u.Name, &u.Code, &u.Kind, &u.CellType)
	}, `SELECT id, parent_id, path, name, code, kind, cell_type FROM units
		WHERE parent_id = $1 AND dissolved_on IS NULL ORDER BY name_folded, id`, id)
}

func joinCellTypes(cts []org.CellType) string {
	s := make([]string, len(cts))
	for i, c := range cts {
		s[i] = string(c)
	}
	return strings.Join(s, ",")
}

func nullDate(d date.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func (db FourGood) frameworkArgs(f *scoring.Framework) []any {
	bands, _ := json.Marshal(f.Bands)
	var ql, qs any
	if f.Quota != nil {
		ql, qs = f.Quota.Level, strconv.FormatFloat(f.Quota.MaxShare, 'f', -1, 64)
	}
	return []any{f.Name, f.Year, f.OwnerUnitID, joinCellTypes(f.CellTypes), string(f.Status), f.RegistrationDeadline.String(),
		nullDate(f.ReportDeadline), nullDate(f.InterimReportDeadline), string(bands), ql, qs, int64(f.MaxTotal)}
}

func insertCriteria(ctx context.Context, tx *Tx, id int64, flat []scoring.Flat) error {
	for i, c := range flat {
		if _, err := tx.ExecContext(ctx, `INSERT INTO fourgood_criteria (framework_id, code, position, parent_code, top_code, title, max_points, guidance)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, c.Code, i, c.Parent, c.Top, c.Title, int64(c.MaxPoints), c.Guidance); err != nil {
			return err
		}
	}
	return nil
}

// Create inserts a framework and its criteria.
func (db FourGood) Create(ctx context.Context, f *scoring.Framework, flat []scoring.Flat, a auth.AuditEntry) (int64, error) {
	var id int64
	err := db.Write(ctx, func(tx *Tx) error {
		var by any
		if a.Actor != nil && a.Actor.AccountID != 0 {
			by = a.Actor.AccountID
		}
		var err error
		id, err = insertID(ctx, tx, `INSERT INTO fourgood_frameworks (name, year, owner_unit_id, cell_types, status, registration_deadline,
			report_deadline, interim_report_deadline, bands, quota_level, quota_share, max_total, copied_from, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`, append(db.frameworkArgs(f), f.CopiedFrom, by, tx.Now)...)
		if err != nil {
			return err
		}
		if err := insertCriteria(ctx, tx, id, flat); err != nil {
			return err
		}
		if err := tx.insertListScopes(ctx, "fourgood_framework_scopes", id, f.OwnerUnitID, f.Year); err != nil {
			return err
		}
		a.ObjectID = id
		return tx.audit(ctx, a)
	})
	return id, err
}

// Update replaces a framework's fields and criteria while no score exists
// against it and its version is f.Version.
func (db FourGood) Update(ctx context.Context, f *scoring.Framework, flat []scoring.Flat, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE fourgood_frameworks SET name = $1, year = $2, owner_unit_id = $3, cell_types = $4, status = $5,
			registration_deadline = $6, report_deadline = $7, interim_report_deadline = $8, bands = $9, quota_level = $10, quota_share = $11,
			max_total = $12, version = version + 1
			WHERE id = $13 AND version = $14 AND NOT EXISTS (SELECT 1 FROM fourgood_sheets s WHERE s.framework_id = $13 AND s.scored = 1)`,
			append(db.frameworkArgs(f), f.ID, f.Version)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Keyed(apperr.Conflict, "fourgood.stale_or_scored", "the framework was changed by someone else or has been scored: reload it")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM fourgood_criteria WHERE framework_id = $1`, f.ID); err != nil {
			return err
		}
		if err := insertCriteria(ctx, tx, f.ID, flat); err != nil {
			return err
		}
		// The owner or the year may have changed.
		if _, err := tx.ExecContext(ctx, `DELETE FROM fourgood_framework_scopes WHERE framework_id = $1`, f.ID); err != nil {
			return err
		}
		if err := tx.insertListScopes(ctx, "fourgood_framework_scopes", f.ID, f.OwnerUnitID, f.Year); err != nil {
			return err
		}
		return tx.audit(ctx, a)
	})
}

// frameworkCols are a framework's columns, its owner's name and path, and
// whether it has been scored and how many cells registered, from their
// counters (migration 0038).
const frameworkCols = `f.id, f.name, f.year, f.owner_unit_id, u.name, u.path, f.cell_types, f.status, f.registration_deadline,
	f.report_deadline, f.interim_report_deadline, f.bands, f.quota_level, f.quota_share, f.max_total, f.copied_from, f.version, f.created_at,
	COALESCE((SELECT c.scored FROM fourgood_framework_counts c WHERE c.framework_id = f.id), 0) > 0,
	COALESCE((SELECT c.registrations FROM fourgood_framework_counts c WHERE c.framework_id = f.id), 0)`

func scanFramework(sc interface{ Scan(...any) error }) (*scoring.Framework, error) {
	var f scoring.Framework
	var cts, bands string
	var rd, ird, ql, qs sql.NullString
	var max int64
	err := sc.Scan(&f.ID, &f.Name, &f.Year, &f.OwnerUnitID, &f.OwnerName, &f.OwnerPath, &cts, &f.Status, &f.RegistrationDeadline,
		&rd, &ird, &bands, &ql, &qs, &max, &f.CopiedFrom, &f.Version, &f.CreatedAt, &f.Scored, &f.Registrations)
	if err != nil {
		return nil, err
	}
	f.MaxTotal = scoring.Points(max)
	if cts != "" {
		for _, c := range strings.Split(cts, ",") {
			f.CellTypes = append(f.CellTypes, org.CellType(c))
		}
	}
	if rd.Valid {
		f.ReportDeadline, _ = date.Parse(rd.String)
	}
	if ird.Valid {
		f.InterimReportDeadline, _ = date.Parse(ird.String)
	}
	if err := json.Unmarshal([]byte(bands), &f.Bands); err != nil {
		return nil, fmt.Errorf("framework %d bands: %w", f.ID, err)
	}
	if ql.Valid {
		share, _ := strconv.ParseFloat(qs.String, 64)
		f.Quota = &scoring.Quota{Level: ql.String, MaxShare: share}
	}
	return &f, nil
}

// Framework reads a framework with its criteria tree.
func (db FourGood) Framework(ctx context.Context, id int64) (*scoring.Framework, error) {
	f, err := db.FrameworkRow(ctx, id)
	if err != nil {
		return nil, err
	}
	flat, err := queryAll(ctx, db.read, func(rows *sql.Rows) (scoring.Flat, error) {
		var c scoring.Flat
		var max int64
		err := rows.Scan(&c.Code, &c.Parent, &c.Top, &c.Title, &max, &c.Guidance)
		c.MaxPoints = scoring.Points(max)
		return c, err
	}, `SELECT code, parent_code, top_code, title, max_points, guidance FROM fourgood_criteria WHERE framework_id = $1 ORDER BY position`, id)
	if err != nil {
		return nil, err
	}
	f.Criteria = scoring.Tree(flat)
	return f, nil
}

// FrameworkRow reads a framework without its criteria (Criteria nil): one
// statement, for the results, which need its bands, quota and owner but
// not the criteria (a page of a district's results is a few milliseconds:
// the criteria's round trip was a tenth of it).
func (db FourGood) FrameworkRow(ctx context.Context, id int64) (*scoring.Framework, error) {
	f, err := scanFramework(db.read.QueryRowContext(ctx, `SELECT `+frameworkCols+` FROM fourgood_frameworks f JOIN units u ON u.id = f.owner_unit_id WHERE f.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "framework %d not found", id)
	}
	return f, nil
}

// Frameworks lists frameworks newest year first (then newest id): those
// owned by one of the OwnerPaths' units or within one of the Subtrees,
// read by frameworkListSQL; the count stops at listCountBound.
func (db FourGood) Frameworks(ctx context.Context, ff scoring.FrameworkFilter) (*page.Of[scoring.Framework], error) {
	var after *frameworkKey
	if ff.Cursor != "" {
		b, id, err := decodeCursor(ff.Cursor)
		year, n := 0, 0
		if err == nil {
			n, err = fmt.Sscan(string(b), &year)
		}
		if err != nil || n != 1 {
			return nil, apperr.BadCursor()
		}
		after = &frameworkKey{year, id}
	}
	limit := page.Limit(ff.Limit)
	out := &page.Of[scoring.Framework]{Items: make([]scoring.Framework, 0, limit+1)}
	q, ok := frameworkListSQL(db.dialect, ff, limit, after)
	if !ok {
		return out, nil
	}
	err := db.Read(ctx, func(rq Querier) error {
		var raw, distinct int
		if err := rq.QueryRowContext(ctx, q.count, q.countArgs...).Scan(&raw, &distinct); err != nil {
			return fmt.Errorf("count frameworks: %w", err)
		}
		out.Total = distinct
		if raw >= q.countRaw || distinct > listCountBound {
			out.Total, out.TotalAtLeast = listCountBound, true
		}
		ids, err := queryAll(ctx, rq, func(rows *sql.Rows) (int64, error) {
			var year int
			var id int64
			return id, rows.Scan(&year, &id)
		}, q.page, q.pageArgs...)
		if err != nil || len(ids) == 0 {
			return err
		}
		slices.Sort(ids)
		fetch, args := frameworksByID(slices.Compact(ids))
		out.Items, err = queryAll(ctx, rq, values(scanFramework), fetch, args...)
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out.Items, func(a, b scoring.Framework) int {
		return cmp.Or(cmp.Compare(b.Year, a.Year), cmp.Compare(b.ID, a.ID))
	})
	cutPage(out, limit, func(last scoring.Framework) string { return encodeCursor([]byte(strconv.Itoa(last.Year)), last.ID) })
	return out, nil
}

// frameworkKey is a place in the frameworks list: (year, id).
type frameworkKey struct {
	year int
	id   int64
}

// frameworkListSQL writes the count and the page's (year, id) of a
// frameworks list (frameworksByID reads them), one index range per key, each in the list's order (year, id, newest
// first) from the cursor and stopped after the page: a unit owning
// frameworks (an OwnerPaths' last unit) by fourgood_frameworks_owner, a
// subtree (a top unit of the Subtrees) by fourgood_framework_scopes
// (migration 0041). ok is false when there is no key.
func frameworkListSQL(d dialect, ff scoring.FrameworkFilter, limit int, after *frameworkKey) (q scopeListQuery, ok bool) {
	type key struct {
		table, scope, year, id string
		unit                   int64
	}
	var keys []key
	for _, p := range ff.OwnerPaths {
		if a := doc.AncestorIDs(p); len(a) > 0 {
			keys = append(keys, key{`fourgood_frameworks f`, `f.owner_unit_id`, `f.year`, `f.id`, a[len(a)-1]})
		}
	}
	for _, u := range reachTops(ff.Subtrees) {
		keys = append(keys, key{`fourgood_framework_scopes s`, `s.scope_id`, `s.year`, `s.framework_id`, u})
	}
	if len(keys) == 0 {
		return q, false
	}
	var arms []scopeArm
	for _, k := range keys {
		arms = append(arms, scopeArm{from: k.table, id: k.id, where: func(args *argList) string {
			w := k.scope + ` = ` + args.add(k.unit)
			if ff.Year != 0 {
				w += ` AND ` + k.year + ` = ` + args.add(ff.Year)
			}
			return w
		}})
	}
	// The count as the other scoped lists'; the page by (year, id).
	q.count, q.countArgs, q.countRaw, _, _ = scopeListSQL(d, arms, limit, 0)
	var parts []string
	for i, k := range keys {
		w := arms[i].where(&q.pageArgs)
		switch {
		case after == nil:
		case ff.Year == 0:
			w += ` AND (` + k.year + `, ` + k.id + `) < (` + q.pageArgs.add(after.year) + `, ` + q.pageArgs.add(after.id) + `)`
		case after.year == ff.Year:
			// The year is given: the id alone (so that PostgreSQL reads
			// the key's index by all three columns).
			w += ` AND ` + k.id + ` < ` + q.pageArgs.add(after.id)
		case after.year < ff.Year:
			w += ` AND 1 = 0` // a cursor past every framework of the year
		}
		arm := `SELECT ` + k.year + ` AS year, ` + k.id + ` AS id FROM ` + k.table + ` WHERE ` + w
		if d != sqliteDialect {
			arm = `(` + arm + ` ORDER BY ` + k.year + ` DESC, ` + k.id + ` DESC LIMIT ` + q.pageArgs.add(limit+1) + `)`
		}
		parts = append(parts, arm)
	}
	ids := strings.Join(parts, " UNION ALL ") + ` ORDER BY 1 DESC, 2 DESC`
	if d != sqliteDialect {
		ids = `SELECT m.year, m.id FROM (` + strings.Join(parts, " UNION ALL ") + `) m ORDER BY m.year DESC, m.id DESC`
	}
	ids += ` LIMIT ` + q.pageArgs.add(len(keys)*(limit+1))
	q.page = ids
	return q, true
}

// frameworksByID reads the frameworks of a page by their ids (a second
// statement: joined to the page's ranges, PostgreSQL hashes the whole
// table once it holds a few thousand frameworks rather than look 50 up).
func frameworksByID(ids []int64) (string, []any) {
	var args argList
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = args.add(id)
	}
	return `SELECT ` + frameworkCols + ` FROM fourgood_frameworks f JOIN units u ON u.id = f.owner_unit_id WHERE f.id IN (` + strings.Join(marks, ", ") + `)`, args
}

// Registered returns the framework a cell is registered to for a year.
func (db FourGood) Registered(ctx context.Context, unitID int64, year int) (int64, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT framework_id FROM fourgood_registrations WHERE unit_id = $1 AND year = $2`, unitID, year).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, err
}

// SheetID returns a cell's sheet for a framework and period (0: none).
func (db FourGood) SheetID(ctx context.Context, frameworkID, unitID int64, p scoring.Period) (int64, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT id FROM fourgood_sheets WHERE framework_id = $1 AND period = $2 AND unit_id = $3`, frameworkID, string(p), unitID).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, err
}

// Register inserts the registration (when new) and the sheet.
func (db FourGood) Register(ctx context.Context, n *scoring.NewSheet) (int64, error) {
	var id int64
	err := db.Write(ctx, func(tx *Tx) error {
		var by any
		if n.Audit.Actor != nil && n.Audit.Actor.AccountID != 0 {
			by = n.Audit.Actor.AccountID
		}
		if n.Register {
			if _, err := tx.ExecContext(ctx, `INSERT INTO fourgood_registrations (framework_id, unit_id, year, late_reason, registered_by, registered_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, n.Sheet.FrameworkID, n.Sheet.UnitID, n.Year, n.LateReason, by, tx.Now); err != nil {
				if _, dup := uniqueViolation(err); dup {
					return apperr.Keyed(apperr.Conflict, "fourgood.registered_elsewhere", "the cell is registered to another framework for %d", n.Year)
				}
				return err
			}
		}
		var err error
		id, err = insertID(ctx, tx, `INSERT INTO fourgood_sheets (framework_id, unit_id, period, stage, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5)`, n.Sheet.FrameworkID, n.Sheet.UnitID, string(n.Sheet.Period), string(scoring.StageSelf), tx.Now)
		if err != nil {
			if _, dup := uniqueViolation(err); dup {
				return apperr.Keyed(apperr.Conflict, "fourgood.already_registered", "the cell already has a scoresheet for this framework and period (%d)", 0)
			}
			return err
		}
		return tx.audit(ctx, n.Audit)
	})
	return id, err
}

// Sheet reads a scoresheet with the rows stored for it.
func (db FourGood) Sheet(ctx context.Context, id int64) (*scoring.Sheet, error) {
	var sh scoring.Sheet
	var self, review, final int64
	var sub sql.NullTime
	err := db.read.QueryRowContext(ctx, `SELECT s.id, s.framework_id, s.unit_id, u.name, u.path, u.code, s.period, s.stage, s.self_total, s.review_total, s.final_total,
		s.submitted_at, s.version, r.registered_at, r.late_reason
		FROM fourgood_sheets s JOIN units u ON u.id = s.unit_id JOIN fourgood_registrations r ON r.framework_id = s.framework_id AND r.unit_id = s.unit_id
		WHERE s.id = $1`, id).Scan(&sh.ID, &sh.FrameworkID, &sh.UnitID, &sh.UnitName, &sh.UnitPath, &sh.UnitCode, &sh.Period, &sh.Stage,
		&self, &review, &final, &sub, &sh.Version, &sh.RegisteredAt, &sh.LateReason)
	if err != nil {
		return nil, notFound(err, "scoresheet %d not found", id)
	}
	sh.Totals = scoring.Totals{Self: scoring.Points(self), Review: scoring.Points(review), Final: scoring.Points(final)}
	if sub.Valid {
		sh.SubmittedAt = sub.Time.UTC()
	}
	sh.Scores, err = queryAll(ctx, db.read, func(rows *sql.Rows) (scoring.Score, error) {
		var sc scoring.Score
		var sp, rp, fp sql.NullInt64
		var links string
		if err := rows.Scan(&sc.Criterion, &sp, &rp, &fp, &sc.Evidence, &links, &sc.Comment, &sc.Reason); err != nil {
			return sc, err
		}
		sc.SelfPoints, sc.ReviewPoints, sc.FinalPoints = pointsPtr(sp), pointsPtr(rp), pointsPtr(fp)
		if err := json.Unmarshal([]byte(links), &sc.Links); err != nil {
			return sc, fmt.Errorf("scoresheet %d links: %w", id, err)
		}
		return sc, nil
	}, `SELECT criterion, self_points, review_points, final_points, evidence, links, comment, reason
		FROM fourgood_scores WHERE sheet_id = $1`, id)
	if err != nil {
		return nil, err
	}
	return &sh, nil
}

func pointsPtr(n sql.NullInt64) *scoring.Points {
	if !n.Valid {
		return nil
	}
	p := scoring.Points(n.Int64)
	return &p
}

func nullPoints(p *scoring.Points) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

// WriteSheet writes changed rows, the totals and the stage of a sheet,
// and the audit entries, if the sheet is still at w.Version and w.Stage.
func (db FourGood) WriteSheet(ctx context.Context, w *scoring.SheetWrite) error {
	return db.Write(ctx, func(tx *Tx) error {
		var sub any
		if !w.SubmittedAt.IsZero() {
			sub = w.SubmittedAt.UTC()
		}
		scored := 0
		if len(w.Scores) > 0 {
			scored = 1
		}
		tb := make([]string, len(w.Tiebreak))
		for i, p := range w.Tiebreak {
			tb[i] = strconv.FormatInt(int64(p), 10)
		}
		res, err := tx.ExecContext(ctx, `UPDATE fourgood_sheets SET stage = $1, self_total = $2, review_total = $3, final_total = $4,
			submitted_at = COALESCE($5, submitted_at), scored = CASE WHEN $6 = 1 THEN 1 ELSE scored END, version = version + 1, updated_at = $7,
			tiebreak = $11
			WHERE id = $8 AND version = $9 AND stage = $10`,
			string(w.NewStage), int64(w.Totals.Self), int64(w.Totals.Review), int64(w.Totals.Final), sub, scored, tx.Now, w.SheetID, w.Version, string(w.Stage),
			strings.Join(tb, ","))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Keyed(apperr.Conflict, "fourgood.stale", "the scoresheet was changed by someone else: reload it")
		}
		for _, sc := range w.Scores {
			links, _ := json.Marshal(sc.Links)
			if sc.Links == nil {
				links = []byte("[]")
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO fourgood_scores (sheet_id, criterion, top_code, self_points, review_points, final_points, evidence, links, comment, reason, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
				ON CONFLICT (sheet_id, criterion) DO UPDATE SET self_points = excluded.self_points, review_points = excluded.review_points,
				final_points = excluded.final_points, evidence = excluded.evidence, links = excluded.links, comment = excluded.comment,
				reason = excluded.reason, updated_at = excluded.updated_at`,
				w.SheetID, sc.Criterion, sc.Top, nullPoints(sc.SelfPoints), nullPoints(sc.ReviewPoints), nullPoints(sc.FinalPoints),
				sc.Evidence, string(links), sc.Comment, sc.Reason, tx.Now); err != nil {
				return err
			}
		}
		for _, a := range w.Audit {
			if err := tx.audit(ctx, a); err != nil {
				return err
			}
		}
		return nil
	})
}

// rankKeyAbove is the rank key below which (in text order) every sheet
// counting at least t lies: the key's first 19 digits are 10^18 minus the
// counted total (migration 0031).
func rankKeyAbove(t scoring.Points) string {
	return fmt.Sprintf("%019d", int64(1e18)-int64(t-1))
}

// rankCountMax is the largest subtree whose rows are ranked one by one
// (numberPage: each row's tie group counted up to it); a larger one reads
// the framework's unit ids in rank order up to its last sheet (an
// index-only range) and numbers them here.
const rankCountMax = 24

// RankedResults reads the sheets of the subtree at path in rank order,
// each with its rank over the framework's sheets of the period, from the
// rank key kept on each sheet by triggers (migration 0031), in one read
// transaction: the count of the framework's sheets (and of those counting
// at least *above) from the counters by key head (migration 0038); the
// subtree's sheets by a range of units.path, sorted by their keys; their
// ranks by numberRanks (nothing to read when the subtree holds every
// sheet). Of each row's cell only the ID and the name are read (all the
// results show of it).
// The old way, every sheet sorted in Go (scoring.RankedFrom over
// ResultRows), is the tests' oracle.
func (db FourGood) RankedResults(ctx context.Context, frameworkID int64, p scoring.Period, path string, above *scoring.Points) (*scoring.Ranked, error) {
	var out *scoring.Ranked
	err := db.readConnTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
		var err error
		countMax := rankCountMax
		if db.countMax > 0 {
			countMax = db.countMax
		}
		out, err = db.rankedResults(ctx, conn, tx, frameworkID, string(p), path, above, countMax)
		return err
	})
	return out, err
}

// readTx runs f in one read transaction (one snapshot: repeatable read on
// PostgreSQL).
func (db *DB) readTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	return db.readConnTx(ctx, func(_ *sql.Conn, tx *sql.Tx) error { return f(tx) })
}

// readConnTx is readTx with the connection the transaction runs on
// (rawEach reads through it).
func (db *DB) readConnTx(ctx context.Context, f func(conn *sql.Conn, tx *sql.Tx) error) error {
	var opts *sql.TxOptions
	if db.dialect == postgresDialect {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(conn, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// rankedBlock is how many rows rankedResults scans into one block (a
// variable: TestFourGoodCountsAfterRandomWrites cuts it to a few rows so
// that its answers span several blocks). A scan reads it once (blockSize):
// a test that changes it while another test's scan runs (the store's
// tests run in parallel) must not change that scan's blocks halfway.
var rankedBlock atomic.Int64

func init() { rankedBlock.Store(512) }

// rankedRowsSQL reads the sheets of a framework and period in a subtree
// (a range of units.path) with their keys and their cells' names.
const rankedRowsSQL = `SELECT s.id, s.unit_id, s.stage, s.self_total, s.review_total, s.final_total, s.rank_key, u.name
	FROM units u JOIN fourgood_sheets s ON s.framework_id = $1 AND s.period = $2 AND s.unit_id = u.id
	WHERE u.path >= $3 AND u.path < $4`

func (db FourGood) rankedResults(ctx context.Context, conn *sql.Conn, tx *sql.Tx, frameworkID int64, period, path string, above *scoring.Points, countMax int) (*scoring.Ranked, error) {
	out := &scoring.Ranked{}
	bound := "" // no sheet's key is below ''
	if above != nil {
		bound = rankKeyAbove(*above)
	}
	whole, _, err := readHeads(ctx, db.dialect, conn, tx, frameworkID, period, 0)
	if err != nil {
		return nil, err
	}
	out.Registered, out.Above = whole.total(), whole.below(bound)
	query, args := rankedRowsSQL, argList{frameworkID, period, path, prefixEnd(path)}
	if db.dialect == postgresDialect {
		// With the values as parameters PostgreSQL soon kept a generic
		// plan that expects a hundred units in any range of paths: a
		// nested loop probing the sheets' index once per unit, 21,333
		// times for the city (backend CPU about 60 ms against 25 ms for
		// the hash join planned with the values).
		query, args = inlineArgs(query, args, nil)
	}
	// Sorted here by the key (byte order, as the index): PostgreSQL sorted
	// a whole city's rows on disk with the default work_mem, and in
	// memory it cost more than this.
	var sc rankedScan
	if err := rawEach(ctx, db.dialect, conn, tx, "iisiiiss", sc.add, query, args...); err != nil {
		return nil, err
	}
	var keys []string
	out.Rows, keys = sc.sorted()
	return out, numberRanks(ctx, tx, frameworkID, period, whole, out, keys, countMax)
}

// rankedScan collects the rows of rankedRowsSQL. Each row is scanned in
// place into blocks of a fixed size (no slice grown and copied over and
// over: a city's 21,333 rows were 30 % of the Go time in growslice); the
// keys and names of a block are appended to two buffers, reused from
// block to block, that become one string each when the block is full (no
// string allocated a row). sorted then places the rows once, in key
// order, into a slice of the exact length.
type rankedScan struct {
	block         int // rows per block, rankedBlock when the scan began
	blocks        [][]scoring.RankedRow
	order         []rankedKey
	keys, names   []byte
	keyAt, nameAt []int32 // where the block's keys and names end
}

// rankedKey is a row's key and where the row is (blocks, in reading
// order); hi and lo are the key's 16 bytes after the prefix every key
// shares, as two numbers (sorted compares them first).
type rankedKey struct {
	key    string
	hi, lo uint64
	at     int
}

// blockSize is the scan's rows per block, read from rankedBlock once.
func (sc *rankedScan) blockSize() int {
	if sc.block == 0 {
		sc.block = int(rankedBlock.Load())
	}
	return sc.block
}

func (sc *rankedScan) add(r *rawRow) error {
	n, size := len(sc.order)+len(sc.keyAt), sc.blockSize()
	if n%size == 0 {
		sc.blocks = append(sc.blocks, make([]scoring.RankedRow, size))
	}
	row := &sc.blocks[n/size][n%size]
	row.SheetID, row.UnitID, row.Stage = r.Ints[0], r.Ints[1], stageOf(r.Bytes[2])
	row.Totals = scoring.Totals{Self: scoring.Points(r.Ints[3]), Review: scoring.Points(r.Ints[4]), Final: scoring.Points(r.Ints[5])}
	row.Unit.ID = row.UnitID
	sc.keys, sc.names = append(sc.keys, r.Bytes[6]...), append(sc.names, r.Bytes[7]...)
	sc.keyAt, sc.nameAt = append(sc.keyAt, int32(len(sc.keys))), append(sc.nameAt, int32(len(sc.names)))
	if len(sc.keyAt) == size {
		sc.flush()
	}
	return nil
}

// flush gives the rows of the last block their names and keys.
func (sc *rankedScan) flush() {
	if len(sc.keyAt) == 0 {
		return
	}
	keys, names := string(sc.keys), string(sc.names)
	at := len(sc.order)
	block := sc.blocks[at/sc.blockSize()]
	var k, nm int32
	for i := range sc.keyAt {
		block[i].Unit.Name = names[nm:sc.nameAt[i]]
		sc.order = append(sc.order, rankedKey{key: keys[k:sc.keyAt[i]], at: at + i})
		k, nm = sc.keyAt[i], sc.nameAt[i]
	}
	sc.keys, sc.names, sc.keyAt, sc.nameAt = sc.keys[:0], sc.names[:0], sc.keyAt[:0], sc.nameAt[:0]
}

// sorted returns the rows in key order, with their keys. The keys share
// a long prefix (a city's 21,333 keys their first 16 bytes: 10^18 minus
// a total of at most a thousand tenths): they are compared by their next
// 16 bytes as two numbers, in full only when those are the same (byte
// order either way: a key shorter than the window is padded with zeros,
// which sort it no later than any key it is a prefix of).
func (sc *rankedScan) sorted() ([]scoring.RankedRow, []string) {
	sc.flush()
	common := 0
	if len(sc.order) > 0 {
		first := sc.order[0].key
		common = len(first)
		for _, o := range sc.order[1:] {
			if !strings.HasPrefix(o.key, first[:common]) {
				common = commonPrefix(first[:common], o.key)
			}
		}
	}
	for i := range sc.order {
		o := &sc.order[i]
		o.hi, o.lo = bigEndian8(o.key, common), bigEndian8(o.key, common+8)
	}
	slices.SortFunc(sc.order, func(a, b rankedKey) int {
		if c := cmp.Compare(a.hi, b.hi); c != 0 {
			return c
		}
		if c := cmp.Compare(a.lo, b.lo); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	rows := make([]scoring.RankedRow, len(sc.order))
	keys := make([]string, len(sc.order))
	size := sc.blockSize()
	for i, o := range sc.order {
		rows[i], keys[i] = sc.blocks[o.at/size][o.at%size], o.key
	}
	return rows, keys
}

// commonPrefix is the length of the prefix a and b share.
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// bigEndian8 is s's 8 bytes from the offset as a big-endian number, the
// bytes past its end taken as zeros.
func bigEndian8(s string, from int) uint64 {
	var n uint64
	for i := from; i < from+8; i++ {
		n <<= 8
		if i < len(s) {
			n |= uint64(s[i])
		}
	}
	return n
}

// stageOf is a stage read as bytes, without a string made for the four
// stages there are.
func stageOf(b []byte) scoring.Stage {
	for _, s := range []scoring.Stage{scoring.StageSelf, scoring.StageReview, scoring.StageFinal, scoring.StageDone} {
		if string(s) == string(b) {
			return s
		}
	}
	return scoring.Stage(b)
}

// numberRanks gives the subtree's rows (in key order, keys beside them)
// their ranks over the framework's sheets: their positions when the
// subtree holds every sheet; for a small subtree, each row's tie group
// counted up to it beside the counters of the heads before (numberPage);
// for a larger one the unit ids read in key order up to the subtree's
// last and numbered here.
func numberRanks(ctx context.Context, tx *sql.Tx, frameworkID int64, period string, whole fgHeads, out *scoring.Ranked, keys []string, countMax int) error {
	switch {
	case len(out.Rows) == 0:
	case len(out.Rows) == out.Registered:
		for i := range out.Rows {
			out.Rows[i].Rank = i + 1
		}
	case len(out.Rows) <= countMax:
		// Each row's tie group counted up to it (numberPage).
		return numberPage(ctx, tx, frameworkID, period, whole, out, keys)
	default:
		rows, err := tx.QueryContext(ctx, `SELECT unit_id FROM fourgood_sheets WHERE framework_id = $1 AND period = $2 AND rank_key <= $3 ORDER BY rank_key`,
			frameworkID, period, keys[len(keys)-1])
		if err != nil {
			return err
		}
		defer rows.Close()
		rank, next := 0, 0
		for next < len(out.Rows) && rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			rank++
			if id == out.Rows[next].UnitID {
				out.Rows[next].Rank = rank
				next++
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if next < len(out.Rows) {
			return fmt.Errorf("four-good ranks: %d of %d sheets found in the rank index", next, len(out.Rows))
		}
	}
	return nil
}

// CountedIn reads the counted total of each cell of the subtree at path
// with a sheet of the framework and period (last year's, beside this
// year's results).
func (db FourGood) CountedIn(ctx context.Context, frameworkID int64, p scoring.Period, path string) (map[int64]scoring.Points, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT s.unit_id, s.stage, s.self_total, s.review_total, s.final_total
		FROM units u JOIN fourgood_sheets s ON s.framework_id = $1 AND s.period = $2 AND s.unit_id = u.id
		WHERE u.path >= $3 AND u.path < $4`, frameworkID, string(p), path, prefixEnd(path))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]scoring.Points{}
	for rows.Next() {
		var r scoring.ResultRow
		var self, review, final int64
		if err := rows.Scan(&r.UnitID, &r.Stage, &self, &review, &final); err != nil {
			return nil, err
		}
		r.Totals = scoring.Totals{Self: scoring.Points(self), Review: scoring.Points(review), Final: scoring.Points(final)}
		out[r.UnitID] = r.Counted()
	}
	return out, rows.Err()
}

// ResultRows reads every sheet of a framework and period: one row per
// cell from the totals and the tie-break key kept on the sheet, without
// touching the units (ResultUnits names the cells of a subtree).
func (db FourGood) ResultRows(ctx context.Context, frameworkID int64, p scoring.Period) ([]scoring.ResultRow, error) {
	return queryAll(ctx, queryFunc(db.queryHeavy), func(rows *sql.Rows) (scoring.ResultRow, error) {
		var r scoring.ResultRow
		var self, review, final int64
		var sub sql.NullTime
		var tb string
		if err := rows.Scan(&r.SheetID, &r.UnitID, &r.Stage, &self, &review, &final, &sub, &tb); err != nil {
			return r, err
		}
		r.Totals = scoring.Totals{Self: scoring.Points(self), Review: scoring.Points(review), Final: scoring.Points(final)}
		if sub.Valid {
			r.SubmittedAt = sub.Time.UTC()
		}
		if tb != "" {
			for _, f := range strings.Split(tb, ",") {
				n, _ := strconv.ParseInt(f, 10, 64)
				r.Tiebreak = append(r.Tiebreak, scoring.Points(n))
			}
		}
		return r, nil
	}, `SELECT id, unit_id, stage, self_total, review_total, final_total, submitted_at, tiebreak
		FROM fourgood_sheets WHERE framework_id = $1 AND period = $2`, frameworkID, string(p))
}

// ResultUnits names the cells with a sheet of the framework and period in
// the subtree at path: a range scan on units.path, each unit then looked
// up in the sheets' (framework, period, unit) index.
func (db FourGood) ResultUnits(ctx context.Context, frameworkID int64, p scoring.Period, path string) (map[int64]scoring.UnitRef, error) {
	return queryMap(ctx, db.read, func(rows *sql.Rows) (int64, scoring.UnitRef, error) {
		var u scoring.UnitRef
		return u.ID, u, rows.Scan(&u.ID, &u.Path, &u.Name, &u.Code, &u.Kind, &u.CellType)
	}, `SELECT u.id, u.path, u.name, u.code, u.kind, u.cell_type FROM units u
		JOIN fourgood_sheets s ON s.framework_id = $1 AND s.period = $2 AND s.unit_id = u.id
		WHERE u.path >= $3 AND u.path < $4`, frameworkID, string(p), path, prefixEnd(path))
}

// Reports returns when each unit sent its results for the period.
func (db FourGood) Reports(ctx context.Context, frameworkID int64, p scoring.Period) (map[int64]time.Time, error) {
	return queryMap(ctx, db.read, func(rows *sql.Rows) (id int64, at time.Time, err error) {
		err = rows.Scan(&id, &at)
		return id, at.UTC(), err
	}, `SELECT unit_id, sent_at FROM fourgood_reports WHERE framework_id = $1 AND period = $2`, frameworkID, string(p))
}

// SendReport records a unit's report (Conflict when sent already).
func (db FourGood) SendReport(ctx context.Context, frameworkID, unitID int64, p scoring.Period, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		var by any
		if a.Actor != nil && a.Actor.AccountID != 0 {
			by = a.Actor.AccountID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO fourgood_reports (framework_id, period, unit_id, sent_by, sent_at) VALUES ($1, $2, $3, $4, $5)`,
			frameworkID, string(p), unitID, by, tx.Now); err != nil {
			if _, dup := uniqueViolation(err); dup {
				return apperr.Keyed(apperr.Conflict, "fourgood.report_sent", "the results for this period have been sent already")
			}
			return err
		}
		return tx.audit(ctx, a)
	})
}

// LinkTarget finds a document or a task and the units it belongs to.
func (db FourGood) LinkTarget(ctx context.Context, kind string, id int64) (string, []string, error) {
	var title, a, b, c string
	var err error
	switch kind {
	case scoring.LinkDocument:
		err = db.read.QueryRowContext(ctx, `SELECT d.title, i.path, au.path, au.path FROM documents d JOIN units i ON i.id = d.issuer_unit_id
			JOIN units au ON au.id = d.audience_unit_id WHERE d.id = $1 AND d.kind = 'document'`, id).Scan(&title, &a, &b, &c)
	case scoring.LinkTask:
		err = db.read.QueryRowContext(ctx, `SELECT t.title, u.path, h.path, i.path FROM tasks t JOIN units u ON u.id = t.unit_id
			JOIN units h ON h.id = t.holder_unit_id JOIN units i ON i.id = t.issuer_unit_id WHERE t.id = $1`, id).Scan(&title, &a, &b, &c)
		// A task issued from above is evidence of the cell that holds or
		// answers for it, not of every cell below its issuer.
		c = a
	default:
		return "", nil, apperr.Keyed(apperr.NotFound, "fourgood.no_such_evidence", "no such evidence")
	}
	if err != nil {
		return "", nil, notFound(err, "%s %d not found", kind, id)
	}
	return title, []string{a, b, c}, nil
}

// Evidence counts what the system knows of a cell for a period: tasks it
// received and how they went, its members, their lifecycle events and
// their reading of documents.
func (db FourGood) Evidence(ctx context.Context, unitID int64, from, to date.Date) (*scoring.Evidence, error) {
	ev := &scoring.Evidence{From: from, To: to}
	ev.Tasks = &scoring.TaskCounts{}
	t := ev.Tasks
	today := date.Today(db.Now())
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN done_on IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN done_on IS NOT NULL AND done_on <= due_on THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN done_on IS NOT NULL AND done_on > due_on THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN done_on IS NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN done_on IS NULL AND due_on < $4 THEN 1 ELSE 0 END), 0)
		FROM tasks WHERE unit_id = $1 AND kind = 'task' AND assigned_on >= $2 AND assigned_on <= $3`, unitID, from.String(), to.String(), today.String()).
		Scan(&t.Received, &t.Done, &t.OnTime, &t.Late, &t.Open, &t.Overdue)
	if err != nil {
		return nil, fmt.Errorf("evidence tasks: %w", err)
	}
	ev.Members = &scoring.MemberCounts{}
	m := ev.Members
	err = db.read.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM members WHERE unit_id = $1 AND status IN ('probationary', 'full', 'exempt')),
		(SELECT COUNT(*) FROM members WHERE unit_id = $1 AND admitted_on >= $2 AND admitted_on <= $3),
		(SELECT COUNT(*) FROM member_events e JOIN members mm ON mm.id = e.member_id WHERE mm.unit_id = $1 AND e.effective_on >= $2 AND e.effective_on <= $3),
		(SELECT COUNT(*) FROM doc_receipts r JOIN members mr ON mr.id = r.member_id WHERE mr.unit_id = $1 AND r.read_at >= $4 AND r.read_at < $5)`,
		unitID, from.String(), to.String(), from.Time(), to.AddDays(1).Time()).Scan(&m.Active, &m.Admitted, &m.Events, &m.DocumentReads)
	if err != nil {
		return nil, fmt.Errorf("evidence members: %w", err)
	}
	return ev, nil
}
