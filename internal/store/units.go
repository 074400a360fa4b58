package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Units is the store of org.Store: the organisation tree.
type Units struct{ *DB }

const unitColumns = `u.id, u.parent_id, u.kind, u.cell_type, u.name, u.code, u.path, u.depth, u.version, u.valid_from, u.dissolved_on, u.created_at,
	(SELECT COUNT(*) FROM units c WHERE c.parent_id = u.id AND c.dissolved_on IS NULL)`

func scanUnit(sc interface{ Scan(...any) error }) (*org.Unit, error) {
	var u org.Unit
	var parent sql.NullInt64
	err := sc.Scan(&u.ID, &parent, &u.Kind, &u.CellType, &u.Name, &u.Code, &u.Path, &u.Depth, &u.Version, &u.ValidFrom, &u.DissolvedOn, &u.CreatedAt, &u.Children)
	if err != nil {
		return nil, err
	}
	if parent.Valid {
		u.ParentID = &parent.Int64
	}
	return &u, nil
}

// Unit returns a unit by id.
func (db Units) Unit(ctx context.Context, id int64) (*org.Unit, error) {
	return onceInBatch(ctx, unitKey(id), func() (*org.Unit, error) {
		u, err := scanUnit(db.read.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units u WHERE u.id = $1`, id))
		return u, notFound(err, "unit %d not found", id)
	})
}

// ByCode returns a unit by its code.
func (db Units) ByCode(ctx context.Context, code string) (*org.Unit, error) {
	u, err := scanUnit(db.read.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units u WHERE u.code = $1`, strings.ToUpper(code)))
	return u, notFound(err, "unit %s not found", code)
}

// AsOf returns the unit as it stood in the tree on day d.
func (db Units) AsOf(ctx context.Context, id int64, d date.Date) (*org.Unit, error) {
	u, err := db.Unit(ctx, id)
	if err != nil {
		return nil, err
	}
	var parent sql.NullInt64
	err = db.read.QueryRowContext(ctx, `SELECT parent_id, path, name, kind FROM unit_history
		WHERE unit_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`, id, d).Scan(&parent, &u.Path, &u.Name, &u.Kind)
	if err != nil {
		return nil, notFound(err, "unit %d did not exist on %s", id, d)
	}
	u.ParentID = nil
	if parent.Valid {
		u.ParentID = &parent.Int64
	}
	return u, nil
}

// Children lists the live children of a unit, by name.
func (db Units) Children(ctx context.Context, parentID int64) ([]org.Unit, error) {
	return db.queryUnits(ctx, `SELECT `+unitColumns+` FROM units u WHERE u.parent_id = $1 AND u.dissolved_on IS NULL ORDER BY u.kind, u.name_folded, u.id`, parentID)
}

// MemberCount counts the member records (of any status) whose cell is
// the unit, or which it hosts on a temporary transfer.
func (db Units) MemberCount(ctx context.Context, id int64) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM members WHERE unit_id = $1 OR temp_unit_id = $1`, id).Scan(&n)
	return n, err
}

// UnitsAt returns the live units whose path is one of paths.
func (db Units) UnitsAt(ctx context.Context, paths []string) ([]org.Unit, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	if len(paths) == 1 && paths[0] == "/" {
		return db.queryUnits(ctx, `SELECT `+unitColumns+` FROM units u WHERE u.parent_id IS NULL AND u.dissolved_on IS NULL ORDER BY u.name_folded, u.id`)
	}
	args := make([]any, len(paths))
	marks := make([]string, len(paths))
	for i, p := range paths {
		args[i] = p
		marks[i] = "$" + strconv.Itoa(i+1)
	}
	return db.queryUnits(ctx, `SELECT `+unitColumns+` FROM units u WHERE u.path IN (`+strings.Join(marks, ",")+`) AND u.dissolved_on IS NULL ORDER BY u.depth, u.name_folded, u.id`, args...)
}

// Subtree lists the live units of a subtree, depth first by path, at most limit.
func (db Units) Subtree(ctx context.Context, path string, limit int) ([]org.Unit, error) {
	return db.queryUnits(ctx, `SELECT `+unitColumns+` FROM units u WHERE u.path >= $1 AND u.path < $2 AND u.dissolved_on IS NULL ORDER BY u.depth, u.name_folded LIMIT $3`, path, prefixEnd(path), limit)
}

func (db *DB) queryUnits(ctx context.Context, q string, args ...any) ([]org.Unit, error) {
	return queryAll(ctx, db.read, values(scanUnit), q, args...)
}

// Create inserts a unit, computes its path and opens its history.
func (db Units) Create(ctx context.Context, u *org.Unit, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := tx.insertUnit(ctx, u); err != nil {
			return err
		}
		a.ObjectID, a.UnitPath, a.After = u.ID, u.Path, u
		return tx.audit(ctx, a)
	})
}

func (tx *Tx) insertUnit(ctx context.Context, u *org.Unit) error {
	parentPath := "/"
	u.Depth = 0
	if u.ParentID != nil {
		if err := tx.QueryRowContext(ctx, `SELECT path, depth FROM units WHERE id = $1`, *u.ParentID).Scan(&parentPath, &u.Depth); err != nil {
			return notFound(err, "unit %d not found", *u.ParentID)
		}
		u.Depth++
	}
	u.CreatedAt, u.Version = tx.Now, 1
	// The path needs the id: insert with a unique placeholder, then set it.
	tmp := fmt.Sprintf("#%s#%d", u.Code, tx.Now.UnixNano())
	id, err := insertID(ctx, tx, `INSERT INTO units (parent_id, kind, cell_type, name, name_folded, code, path, depth, version, valid_from, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10)`,
		u.ParentID, u.Kind, u.CellType, u.Name, viet.Fold(u.Name), u.Code, tmp, u.Depth, u.ValidFrom, u.CreatedAt)
	if err != nil {
		if _, ok := uniqueViolation(err); ok {
			return apperr.Keyed(apperr.Invalid, "org.code_taken", "the code is taken").With(apperr.FieldKeyed("code", "org.code_taken_by", "another unit has code %s", u.Code))
		}
		return fmt.Errorf("insert unit: %w", err)
	}
	u.ID = id
	u.Path = parentPath + strconv.FormatInt(id, 10) + "/"
	if _, err := tx.ExecContext(ctx, `UPDATE units SET path = $1 WHERE id = $2`, u.Path, id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO unit_history (unit_id, parent_id, path, name, kind, valid_from) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, u.ParentID, u.Path, u.Name, u.Kind, u.ValidFrom)
	return err
}

// Update saves name, code, kind and cell type if version still matches.
func (db Units) Update(ctx context.Context, u *org.Unit, version int, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE units SET name = $1, name_folded = $2, code = $3, kind = $4, cell_type = $5, version = version + 1
			WHERE id = $6 AND version = $7`, u.Name, viet.Fold(u.Name), u.Code, u.Kind, u.CellType, u.ID, version)
		if err != nil {
			if _, ok := uniqueViolation(err); ok {
				return apperr.Keyed(apperr.Invalid, "org.code_taken", "the code is taken").With(apperr.FieldKeyed("code", "org.code_taken_by", "another unit has code %s", u.Code))
			}
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Keyed(apperr.Conflict, "org.unit_was_changed_someone", "the unit was changed by someone else (version %d is stale): reload and try again", version)
		}
		u.Version = version + 1
		// The current history period takes the new name and kind.
		if _, err := tx.ExecContext(ctx, `UPDATE unit_history SET name = $1, kind = $2 WHERE unit_id = $3 AND valid_to IS NULL`, u.Name, u.Kind, u.ID); err != nil {
			return err
		}
		return tx.auditAndForget(ctx, a, CacheUnits)
	})
}

// Move re-parents a subtree from day on, keeping the old places in the
// history. Every path in the subtree changes in one set-based statement.
func (db Units) Move(ctx context.Context, id, parentID int64, on date.Date, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := tx.moveSubtree(ctx, id, parentID, on); err != nil {
			return err
		}
		return tx.auditAndForget(ctx, a, CacheUnits)
	})
}

func (tx *Tx) moveSubtree(ctx context.Context, id, parentID int64, on date.Date) error {
	var oldPath, newParentPath string
	var oldDepth, parentDepth int
	if err := tx.QueryRowContext(ctx, `SELECT path, depth FROM units WHERE id = $1`, id).Scan(&oldPath, &oldDepth); err != nil {
		return notFound(err, "unit %d not found", id)
	}
	if err := tx.QueryRowContext(ctx, `SELECT path, depth FROM units WHERE id = $1`, parentID).Scan(&newParentPath, &parentDepth); err != nil {
		return notFound(err, "unit %d not found", parentID)
	}
	newPath := newParentPath + strconv.FormatInt(id, 10) + "/"
	if newPath == oldPath {
		return nil
	}
	end := prefixEnd(oldPath)
	var later int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM unit_history h JOIN units u ON u.id = h.unit_id
		WHERE u.path >= $1 AND u.path < $2 AND h.valid_to IS NULL AND h.valid_from > $3`, oldPath, end, on).Scan(&later); err != nil {
		return err
	}
	if later > 0 {
		return apperr.Keyed(apperr.Conflict, "org.subtree_changes_dated_after", "the subtree has changes dated after %s: restructure in date order", on)
	}
	cut := len(oldPath) + 1
	delta := parentDepth + 1 - oldDepth
	// 1. Periods that start on the same day are rewritten in place.
	if _, err := tx.ExecContext(ctx, `UPDATE unit_history SET path = $1 || substr(path, $2),
			parent_id = CASE WHEN unit_id = $3 THEN $4 ELSE parent_id END
		WHERE valid_to IS NULL AND valid_from = $5 AND unit_id IN (SELECT id FROM units WHERE path >= $6 AND path < $7)`,
		newPath, cut, id, parentID, on, oldPath, end); err != nil {
		return fmt.Errorf("history in place: %w", err)
	}
	// 2. Open a new period for every other unit of the subtree...
	if _, err := tx.ExecContext(ctx, `INSERT INTO unit_history (unit_id, parent_id, path, name, kind, valid_from)
		SELECT h.unit_id, CASE WHEN h.unit_id = $3 THEN $4 ELSE h.parent_id END, $1 || substr(h.path, $2), h.name, h.kind, $5
		FROM unit_history h WHERE h.valid_to IS NULL AND h.valid_from < $5 AND h.unit_id IN (SELECT id FROM units WHERE path >= $6 AND path < $7)`,
		newPath, cut, id, parentID, on, oldPath, end); err != nil {
		return fmt.Errorf("history open: %w", err)
	}
	// 3. ...and close the period it replaces.
	if _, err := tx.ExecContext(ctx, `UPDATE unit_history SET valid_to = $1
		WHERE valid_to IS NULL AND valid_from < $1 AND unit_id IN (SELECT id FROM units WHERE path >= $2 AND path < $3)`,
		on, oldPath, end); err != nil {
		return fmt.Errorf("history close: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE units SET path = $1 || substr(path, $2), depth = depth + $3,
			parent_id = CASE WHEN id = $4 THEN $5 ELSE parent_id END,
			version = CASE WHEN id = $4 THEN version + 1 ELSE version END
		WHERE path >= $6 AND path < $7`, newPath, cut, delta, id, parentID, oldPath, end); err != nil {
		return fmt.Errorf("move paths: %w", err)
	}
	if err := tx.moveMeetingScopes(ctx, oldPath, newPath); err != nil {
		return fmt.Errorf("move meetings: %w", err)
	}
	if err := tx.moveMeetingCounts(ctx, oldPath, newPath); err != nil {
		return fmt.Errorf("move meeting counters: %w", err)
	}
	if err := tx.moveMemberScopes(ctx, oldPath, newPath); err != nil {
		return fmt.Errorf("move members: %w", err)
	}
	// Its members may have entered or left a conference's audience, and
	// the nearest bridge point above their cells may be another one.
	if err := tx.followSubtree(ctx, newPath); err != nil {
		return err
	}
	if err := tx.moveDocScopes(ctx, oldPath, newPath); err != nil {
		return fmt.Errorf("move documents: %w", err)
	}
	if err := tx.moveListScopes(ctx, newPath); err != nil {
		return fmt.Errorf("move outbreaks and conferences: %w", err)
	}
	// The tasks of the subtree are now in reach of other ancestors.
	np := newPath
	return tx.refreshTaskScopes(ctx, `SELECT id FROM tasks WHERE holder_unit_id IN (SELECT id FROM units WHERE path >= $1 AND path < $2)
		OR unit_id IN (SELECT id FROM units WHERE path >= $1 AND path < $2) OR issuer_unit_id IN (SELECT id FROM units WHERE path >= $1 AND path < $2)`,
		np, prefixEnd(np))
}

// Merge moves the children and members of each unit in from to into,
// then dissolves them, all from day on.
func (db Units) Merge(ctx context.Context, from []int64, into int64, on date.Date, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		for _, f := range from {
			kids, err := queryAll(ctx, tx, scanValue[int64], `SELECT id FROM units WHERE parent_id = $1 AND dissolved_on IS NULL`, f)
			if err != nil {
				return err
			}
			for _, k := range kids {
				if err := tx.moveSubtree(ctx, k, into, on); err != nil {
					return fmt.Errorf("move unit %d: %w", k, err)
				}
			}
			if err := tx.moveMembers(ctx, f, into, on); err != nil {
				return err
			}
			if err := tx.dissolve(ctx, f, on); err != nil {
				return err
			}
		}
		return tx.auditAndForget(ctx, a, CacheUnits)
	})
}

// moveMembers officially transfers every member of unit from to unit to.
func (tx *Tx) moveMembers(ctx context.Context, from, to int64, on date.Date) error {
	if err := tx.lockMemberWrites(ctx, memberLockExclusive); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO past_memberships (member_id, unit_id, kind, valid_from, valid_to)
		SELECT id, unit_id, 'official', unit_since, $1 FROM members WHERE unit_id = $2 AND unit_since < $1`, on, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE members SET unit_id = $1, unit_since = $2, version = version + 1, updated_at = $3 WHERE unit_id = $4`, to, on, tx.Now, from); err != nil {
		return err
	}
	if err := tx.refreshMemberScopes(ctx, to, `m.unit_id = $1`); err != nil {
		return err
	}
	return tx.followUnitMembers(ctx, to)
}

// Dissolve ends a unit that has no live children and no active members.
func (db Units) Dissolve(ctx context.Context, id int64, on date.Date, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		var kids, members int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE parent_id = $1 AND dissolved_on IS NULL`, id).Scan(&kids); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM members WHERE unit_id = $1 AND status IN ('probationary','full','exempt')`, id).Scan(&members); err != nil {
			return err
		}
		if kids > 0 || members > 0 {
			return apperr.Keyed(apperr.Conflict, "org.unit_still_units_members", "the unit still has %d units and %d members: move or merge them first", kids, members)
		}
		if err := tx.dissolve(ctx, id, on); err != nil {
			return err
		}
		return tx.auditAndForget(ctx, a, CacheUnits)
	})
}

func (tx *Tx) dissolve(ctx context.Context, id int64, on date.Date) error {
	var later int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM unit_history WHERE unit_id = $1 AND valid_to IS NULL AND valid_from > $2`, id, on).Scan(&later); err != nil {
		return err
	}
	if later > 0 {
		return apperr.Keyed(apperr.Conflict, "org.unit_changes_dated_after", "unit %d has changes dated after %s", id, on)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM unit_history WHERE unit_id = $1 AND valid_to IS NULL AND valid_from = $2`, id, on); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE unit_history SET valid_to = $1 WHERE unit_id = $2 AND valid_to IS NULL`, on, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE units SET dissolved_on = $1, version = version + 1 WHERE id = $2`, on, id)
	return err
}

// Split creates the parts beside unit id, moves the listed children and
// members into them, and dissolves id when nothing is left in it.
func (db Units) Split(ctx context.Context, id int64, parts []org.Unit, in org.SplitInput, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		for i := range parts {
			p := &parts[i]
			if err := tx.insertUnit(ctx, p); err != nil {
				return fmt.Errorf("part %d: %w", i, err)
			}
			for _, child := range in.Parts[i].Children {
				var parent int64
				if err := tx.QueryRowContext(ctx, `SELECT parent_id FROM units WHERE id = $1 AND dissolved_on IS NULL`, child).Scan(&parent); err != nil || parent != id {
					return apperr.Keyed(apperr.Invalid, "org.not_unit_split_unit", "not a unit of the split unit").With(apperr.FieldKeyed(fmt.Sprintf("parts[%d].children", i), "org.split_child_not_below", "unit %d is not directly under the unit being split", child))
				}
				if err := tx.moveSubtree(ctx, child, p.ID, in.EffectiveOn); err != nil {
					return err
				}
			}
			for _, mid := range in.Parts[i].Members {
				if err := tx.moveMember(ctx, mid, id, p.ID, in.EffectiveOn); err != nil {
					return apperr.Keyed(apperr.Invalid, "org.not_member_split_unit", "not a member of the split unit").With(apperr.FieldFrom(fmt.Sprintf("parts[%d].members", i), err))
				}
			}
		}
		var kids, members int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE parent_id = $1 AND dissolved_on IS NULL`, id).Scan(&kids); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM members WHERE unit_id = $1 AND status IN ('probationary','full','exempt')`, id).Scan(&members); err != nil {
			return err
		}
		if kids == 0 && members == 0 {
			if err := tx.dissolve(ctx, id, in.EffectiveOn); err != nil {
				return err
			}
		}
		return tx.auditAndForget(ctx, a, CacheUnits)
	})
}

// moveMember officially moves one member of unit from to unit to.
func (tx *Tx) moveMember(ctx context.Context, memberID, from, to int64, on date.Date) error {
	if err := tx.lockMemberWrites(ctx, memberLockShared); err != nil {
		return err
	}
	var since date.Date
	if err := tx.QueryRowContext(ctx, `SELECT unit_since FROM members WHERE id = $1 AND unit_id = $2`, memberID, from).Scan(&since); err != nil {
		return fmt.Errorf("member %d is not in the unit", memberID)
	}
	if since.Before(on) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO past_memberships (member_id, unit_id, kind, valid_from, valid_to) VALUES ($1, $2, 'official', $3, $4)`, memberID, from, since, on); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE members SET unit_id = $1, unit_since = $2, version = version + 1, updated_at = $3 WHERE id = $4`, to, on, tx.Now, memberID); err != nil {
		return err
	}
	if err := tx.refreshMemberScopesOf(ctx, to, memberID); err != nil {
		return err
	}
	return tx.followMember(ctx, memberID)
}
