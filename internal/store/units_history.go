package store

import (
	"context"
	"database/sql"

	"github.com/sotay-vn/sotay/internal/org"
)

// History lists the dated periods of a unit, oldest first, with the
// name of the parent it had (its name today).
func (db Units) History(ctx context.Context, id int64) ([]org.Period, error) {
	return queryAll(ctx, db.read, func(rows *sql.Rows) (org.Period, error) {
		var h org.Period
		var parent sql.NullInt64
		err := rows.Scan(&parent, &h.ParentName, &h.Path, &h.Name, &h.Kind, &h.From, &h.To)
		if parent.Valid {
			h.ParentID = &parent.Int64
		}
		return h, err
	}, `SELECT h.parent_id, COALESCE(p.name, ''), h.path, h.name, h.kind, h.valid_from, h.valid_to
		FROM unit_history h LEFT JOIN units p ON p.id = h.parent_id WHERE h.unit_id = $1 ORDER BY h.valid_from`, id)
}

// MemberNames lists the names of the members in the cells of a subtree
// (probationary, full, exempt), in list order, at most limit.
func (db Units) MemberNames(ctx context.Context, path string, limit int) ([]string, error) {
	return queryAll(ctx, db.read, scanValue[string], `SELECT m.full_name FROM members m JOIN units u ON u.id = m.unit_id
		WHERE u.path >= $1 AND u.path < $2 AND m.status IN ('probationary','full','exempt') ORDER BY m.sort_key, m.id LIMIT $3`,
		path, prefixEnd(path), limit)
}
