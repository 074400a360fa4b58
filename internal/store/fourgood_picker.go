package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/viet"
)

// pickerWindow bounds the rows the evidence picker reads for one kind
// (the newest first) before it filters them by the folded query.
const pickerWindow = 300

// LinkCandidates finds the evidence of a kind that belongs to the cell at
// path (id cellID), newest first, whose folded title contains fold (all
// when ""), at most limit: the documents addressed to the cell or a unit
// above it, or issued by the cell; the tasks the cell answers for or
// holds; the cell's held meetings. Each is one indexed read of at most
// pickerWindow rows.
func (db FourGood) LinkCandidates(ctx context.Context, kind, path string, cellID int64, fold string, limit int) ([]scoring.Link, error) {
	var q string
	args := []any{cellID}
	switch kind {
	case scoring.LinkDocument:
		ids := doc.AncestorIDs(path)
		ph := make([]string, len(ids))
		for i, id := range ids {
			args = append(args, id)
			ph[i] = fmt.Sprintf("$%d", len(args))
		}
		if len(ph) == 0 {
			ph = []string{"$1"}
		}
		q = `SELECT id, title, issued_on FROM documents WHERE kind = 'document' AND (audience_unit_id IN (` + strings.Join(ph, ", ") + `) OR issuer_unit_id = $1)
			ORDER BY issued_on DESC, id DESC LIMIT ` + fmt.Sprint(pickerWindow)
	case scoring.LinkTask:
		q = `SELECT id, title, assigned_on FROM tasks WHERE kind = 'task' AND (unit_id = $1 OR holder_unit_id = $1)
			ORDER BY assigned_on DESC, id DESC LIMIT ` + fmt.Sprint(pickerWindow)
	case scoring.LinkMeeting:
		q = `SELECT id, topic || ' (' || month || ')', month FROM meetings WHERE unit_id = $1 AND state = 'closed'
			ORDER BY month DESC, id DESC LIMIT ` + fmt.Sprint(pickerWindow)
	default:
		return []scoring.Link{}, nil
	}
	out := []scoring.Link{}
	err := queryEach(ctx, db.read, func(rows *sql.Rows) error {
		var l scoring.Link
		var on string
		if err := rows.Scan(&l.ID, &l.Title, &on); err != nil || len(out) >= limit {
			return err
		}
		if fold == "" || strings.Contains(viet.Fold(l.Title), fold) || fmt.Sprint(l.ID) == fold {
			l.Kind = kind
			if d, err := date.Parse(on); err == nil {
				l.Title += " · " + d.VN()
			}
			out = append(out, l)
		}
		return nil
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("evidence picker: %w", err)
	}
	return out, nil
}
