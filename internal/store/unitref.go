package store

import (
	"context"
	"database/sql"
)

// readUnitRef is the look-up every module's store makes of one unit: the
// columns cols scanned into dest, then whether the unit is dissolved. A
// missing unit is NotFound ("unit N not found"), the same for every module.
func readUnitRef(ctx context.Context, q Querier, id int64, cols string, dest ...any) (dissolved bool, err error) {
	var on sql.NullString
	err = q.QueryRowContext(ctx, `SELECT `+cols+`, dissolved_on FROM units WHERE id = $1`, id).Scan(append(dest, &on)...)
	return on.Valid, notFound(err, "unit %d not found", id)
}
