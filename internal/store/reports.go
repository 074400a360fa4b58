package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/report"
)

// Reports is report requests' store (report.Store).
type Reports struct{ *DB }

var _ report.Store = Reports{}

// Unit reads the little the module needs about a unit.
func (s Reports) Unit(ctx context.Context, id int64) (*report.UnitRef, error) {
	var u report.UnitRef
	var err error
	u.Dissolved, err = readUnitRef(ctx, s.read, id, `id, parent_id, path, name`, &u.ID, &u.ParentID, &u.Path, &u.Name)
	return &u, err
}

// Create writes the fan-out's tasks, the request and one row per unit
// asked (linked to its sub-task), and both audit entries, in one
// transaction.
func (s Reports) Create(ctx context.Context, in *report.NewRequest, a auth.AuditEntry) error {
	r := in.Request
	return s.Write(ctx, func(tx *Tx) error {
		if err := tx.insertAuditedTasks(ctx, in.Tasks, in.TaskAudit); err != nil {
			return err
		}
		if in.Tasks.Group == nil {
			return fmt.Errorf("report request without a group task")
		}
		r.TaskID = in.Tasks.Group.Task.ID
		id, err := insertID(ctx, tx, `INSERT INTO report_requests (unit_id, title, kind, period_from, period_to, due_on, template, task_id, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			r.UnitID, r.Title, r.Kind, r.PeriodFrom, r.PeriodTo, r.DueOn, r.Template, r.TaskID, r.CreatedBy, r.CreatedAt)
		if err != nil {
			return fmt.Errorf("insert report request: %w", err)
		}
		r.ID = id
		for _, it := range in.Tasks.Items {
			if _, err := tx.ExecContext(ctx, `INSERT INTO report_units (request_id, unit_id, task_id) VALUES ($1, $2, $3)`, id, it.Task.UnitID, it.Task.ID); err != nil {
				return fmt.Errorf("insert report unit: %w", err)
			}
		}
		a.ObjectID = id
		return tx.audit(ctx, a)
	})
}

// Request reads a request and every unit asked, in name order, with its
// submission if sent.
func (s Reports) Request(ctx context.Context, id int64) (*report.Request, error) {
	var r report.Request
	err := s.Read(ctx, func(q Querier) error {
		err := q.QueryRowContext(ctx, `SELECT r.id, r.title, r.kind, r.unit_id, u.name, u.path, r.period_from, r.period_to, r.due_on, r.template, r.task_id, r.created_by, r.created_at
			FROM report_requests r JOIN units u ON u.id = r.unit_id WHERE r.id = $1`, id).
			Scan(&r.ID, &r.Title, &r.Kind, &r.UnitID, &r.UnitName, &r.UnitPath, &r.PeriodFrom, &r.PeriodTo, &r.DueOn, &r.Template, &r.TaskID, &r.CreatedBy, &r.CreatedAt)
		if err != nil {
			return notFound(err, "report request %d not found", id)
		}
		r.Units, err = queryAll(ctx, q, func(rows *sql.Rows) (report.UnitStatus, error) {
			var u report.UnitStatus
			var sentAt sql.NullTime
			var sentOn sql.NullString
			if err := rows.Scan(&u.UnitID, &u.Name, &u.UnitPath, &u.TaskID, &u.SubmissionID, &sentAt, &sentOn); err != nil {
				return u, err
			}
			if sentAt.Valid {
				t := sentAt.Time.UTC()
				u.SentAt = &t
			}
			var err error
			u.SentOn, err = parseNullDate(sentOn)
			return u, err
		}, `SELECT ru.unit_id, u.name, u.path, ru.task_id, s.id, s.sent_at, s.sent_on
			FROM report_units ru JOIN units u ON u.id = ru.unit_id
			LEFT JOIN report_submissions s ON s.request_id = ru.request_id AND s.unit_id = ru.unit_id
			WHERE ru.request_id = $1 ORDER BY u.name_folded, ru.unit_id`, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return &r, nil
}

// List returns the requests a unit made and those it received, newest
// first (reportListSQL), the total counted up to listCountBound.
func (s Reports) List(ctx context.Context, f report.ListFilter) (*page.Of[report.Summary], error) {
	limit := page.Limit(f.Limit)
	before := int64(1) << 62
	if f.Cursor != "" {
		b, ok := openCursor(f.Cursor)
		id, n := binary.Varint(b)
		if !ok || n <= 0 || n != len(b) || id <= 0 {
			return nil, apperr.BadCursor()
		}
		before = id
	}
	count, query := reportListSQL(s.dialect)
	out := &page.Of[report.Summary]{Items: []report.Summary{}}
	err := s.Read(ctx, func(q Querier) error {
		var made, received int
		if err := q.QueryRowContext(ctx, count, f.UnitID, listCountBound+1).Scan(&made, &received); err != nil {
			return err
		}
		out.Total = made + received
		if out.Total > listCountBound {
			out.Total, out.TotalAtLeast = listCountBound, true
		}
		var err error
		out.Items, err = queryAll(ctx, q, func(rows *sql.Rows) (report.Summary, error) {
			var it report.Summary
			var sentOn sql.NullString
			if err := rows.Scan(&it.ID, &it.Title, &it.Kind, &it.UnitID, &it.UnitName, &it.PeriodFrom, &it.PeriodTo, &it.DueOn, &it.CreatedAt, &it.Direction,
				&it.Units, &it.Sent, &it.SubmissionID, &sentOn); err != nil {
				return it, err
			}
			if it.Direction == "received" {
				it.Units, it.Sent = 0, 0
			}
			it.CreatedAt = it.CreatedAt.UTC()
			var err error
			it.SentOn, err = parseNullDate(sentOn)
			return it, err
		}, query, f.UnitID, before, limit+1)
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out.Items, func(a, b report.Summary) int { return cmp.Compare(b.ID, a.ID) })
	cutPage(out, limit, func(last report.Summary) string { return sealCursor(binary.AppendVarint(nil, last.ID)) })
	return out, nil
}

// reportListSQL is the SQL of a unit's report requests ($1) after the
// cursor ($2, an id), newest first, limit $3: the requests it made
// (report_requests_unit) and those it received (report_units_unit), each
// read from its index from the cursor down and stopped after the page,
// merged in id order, then joined (the caller sorts the page, which the
// join does not keep in order); and the count of each half, stopped at $2
// rows. A unit is never asked by itself, so the two halves never hold the
// same request.
func reportListSQL(d dialect) (count, page string) {
	count = `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM report_requests WHERE unit_id = $1 LIMIT $2) c),
		(SELECT COUNT(*) FROM (SELECT 1 FROM report_units WHERE unit_id = $1 LIMIT $2) c)`
	made := `SELECT id, 'made' AS dir FROM report_requests WHERE unit_id = $1 AND id < $2`
	received := `SELECT request_id, 'received' FROM report_units WHERE unit_id = $1 AND request_id < $2`
	ids := made + ` UNION ALL ` + received + ` ORDER BY 1 DESC LIMIT $3`
	if d != sqliteDialect {
		ids = `SELECT id, dir FROM ((` + made + ` ORDER BY id DESC LIMIT $3) UNION ALL (` + received + ` ORDER BY request_id DESC LIMIT $3)) m ORDER BY id DESC LIMIT $3`
	}
	page = `SELECT r.id, r.title, r.kind, r.unit_id, u.name, r.period_from, r.period_to, r.due_on, r.created_at, p.dir,
			(SELECT COUNT(*) FROM report_units n WHERE n.request_id = r.id),
			(SELECT COUNT(*) FROM report_submissions n WHERE n.request_id = r.id),
			s.id, s.sent_on
		FROM (` + ids + `) p
		JOIN report_requests r ON r.id = p.id JOIN units u ON u.id = r.unit_id
		LEFT JOIN report_submissions s ON p.dir = 'received' AND s.request_id = r.id AND s.unit_id = $1`
	return count, page
}

// Submission reads a sent report.
func (s Reports) Submission(ctx context.Context, id int64) (*report.Submission, error) {
	var sub report.Submission
	var figs string
	err := s.read.QueryRowContext(ctx, `SELECT s.id, s.request_id, s.unit_id, u.name, u.path, s.document_id, s.body, s.figures, s.sent_at, s.sent_on, s.sent_by, s.sent_by_name
		FROM report_submissions s JOIN units u ON u.id = s.unit_id WHERE s.id = $1`, id).
		Scan(&sub.ID, &sub.RequestID, &sub.UnitID, &sub.UnitName, &sub.UnitPath, &sub.DocumentID, &sub.Body, &figs, &sub.SentAt, &sub.SentOn, &sub.SentBy, &sub.SentByName)
	if err != nil {
		return nil, notFound(err, "report %d not found", id)
	}
	sub.SentAt = sub.SentAt.UTC()
	if err := json.Unmarshal([]byte(figs), &sub.Figures); err != nil {
		return nil, fmt.Errorf("report %d figures: %w", id, err)
	}
	return &sub, nil
}

// Send writes a submission and its audit entry; a unit that has already
// sent answers Conflict (the unique key decides a race).
func (s Reports) Send(ctx context.Context, sub *report.Submission, a auth.AuditEntry) error {
	figs, err := json.Marshal(sub.Figures)
	if err != nil {
		return err
	}
	if sub.Figures == nil {
		figs = []byte("{}")
	}
	return s.Write(ctx, func(tx *Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO report_submissions (request_id, unit_id, document_id, body, figures, sent_at, sent_on, sent_by, sent_by_name)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			sub.RequestID, sub.UnitID, sub.DocumentID, sub.Body, string(figs), sub.SentAt, sub.SentOn, sub.SentBy, sub.SentByName)
		if _, dup := uniqueViolation(err); dup {
			return apperr.Keyed(apperr.Conflict, "report.already_sent", "%[1]s has already sent this report: what was sent is kept as it is", sub.UnitName)
		}
		if err != nil {
			return fmt.Errorf("insert report submission: %w", err)
		}
		sub.ID, a.ObjectID = id, id
		return tx.audit(ctx, a)
	})
}

// MemberStats counts a subtree as of a day, as the statistics page does.
func (s Reports) MemberStats(ctx context.Context, path string, asOf date.Date, current bool) (*org.Stats, error) {
	return Units{DB: s.DB}.Stats(ctx, path, asOf, current)
}

// DocumentsRead counts the readings of documents by the members of a
// subtree between two days (inclusive, in Vietnam's time) and the
// members who read.
func (s Reports) DocumentsRead(ctx context.Context, path string, from, to date.Date) (reads, readers int, err error) {
	start := time.Date(from.Year, from.Month, from.Day, 0, 0, 0, 0, date.Vietnam).UTC()
	end := time.Date(to.Year, to.Month, to.Day, 0, 0, 0, 0, date.Vietnam).AddDate(0, 0, 1).UTC()
	err = s.read.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT r.member_id) FROM doc_receipts r
		JOIN members m ON m.id = r.member_id JOIN units u ON u.id = m.unit_id
		WHERE u.path >= $1 AND u.path < $2 AND r.read_at >= $3 AND r.read_at < $4`, path, prefixEnd(path), start, end).Scan(&reads, &readers)
	return reads, readers, err
}

// parseNullDate reads a date column that may be NULL (the zero date).
func parseNullDate(s sql.NullString) (date.Date, error) {
	if !s.Valid {
		return date.Date{}, nil
	}
	return date.Parse(s.String)
}
