package store

import (
	"context"
	"fmt"

	"github.com/sotay-vn/sotay/internal/doc"
)

// The member list of a subtree (issue 17) reads member_scopes: one row per
// member and per unit on the path of the member's unit (the unit and its
// ancestors), with the member's sort key, folded name and day of admission
// (migration 0046: the list of those admitted by a day), so that a subtree's page is a
// range of the primary key (scope_id, sort_key, member_id) in name order
// that stops after the page; its status column lets a count by status
// read this table alone, and a name search walks it without visiting
// members (members_search.go). The rows are rewritten in the transaction of
// every write that changes a member's unit, sort key, name, status or day of admission (insert, update,
// transfer, a unit's members moved) and when a subtree moves.

// refreshMemberScopes rewrites the scope rows of the members of unit
// unitID that cond selects: a condition on members m, with args from $2
// on ($1 is unitID, and cond uses it: the members now in the unit).
//
// The condition is the INSERT's own WHERE, not an IN (SELECT …) of the
// members' ids: for one member, SQLite then read the unit's members by
// its unit index and tested each against the id, once per ancestor, so
// an import into one cell cost more with every member the cell held (a
// second file of 2,000 rows into a cell of the demo took twice the
// first's CPU, 3.1 of its 4.1 s here); with m.id = $2 in the WHERE it
// reads the one row by its key (TestMemberScopesOfOnePlan).
func (tx *Tx) refreshMemberScopes(ctx context.Context, unitID int64, cond string, args ...any) error {
	var path string
	if err := tx.QueryRowContext(ctx, `SELECT path FROM units WHERE id = $1`, unitID).Scan(&path); err != nil {
		return fmt.Errorf("member scopes: unit %d: %w", unitID, err)
	}
	all := append([]any{unitID}, args...)
	del, ins := memberScopesSQL(path, cond)
	if _, err := tx.ExecContext(ctx, del, all...); err != nil {
		return fmt.Errorf("member scopes: %w", err)
	}
	if _, err := tx.ExecContext(ctx, ins, all...); err != nil {
		return fmt.Errorf("member scopes: %w", err)
	}
	return nil
}

// memberScopesSQL is refreshMemberScopes' two statements for the members
// cond selects in the unit at path.
func memberScopesSQL(path, cond string) (del, ins string) {
	return `DELETE FROM member_scopes WHERE member_id IN (SELECT m.id FROM members m WHERE ` + cond + `)`,
		`INSERT INTO member_scopes (scope_id, sort_key, member_id, status, name_folded, admitted_on)
		SELECT a.id, m.sort_key, m.id, m.status, m.name_folded, m.admitted_on FROM members m JOIN units a ON a.id IN ` + idList(doc.AncestorIDs(path)) + `
		WHERE ` + cond
}

// oneMemberCond is refreshMemberScopesOf's condition: $2 is the member.
const oneMemberCond = `m.id = $2 AND m.unit_id = $1`

// refreshMemberScopesOf rewrites the scope rows of one member of unit
// unitID.
func (tx *Tx) refreshMemberScopesOf(ctx context.Context, unitID, memberID int64) error {
	return tx.refreshMemberScopes(ctx, unitID, oneMemberCond, memberID)
}

// moveMemberScopes keeps member_scopes in step when the unit at newPath
// (before: oldPath) moves with its subtree: its members leave the units
// above its old place and join those above the new one. Called by
// moveSubtree after the paths are rewritten.
func (tx *Tx) moveMemberScopes(ctx context.Context, oldPath, newPath string) error {
	return tx.moveAboveScopes(ctx, oldPath, newPath, "member_scopes", "member_id", "members", "sort_key, member_id, status, name_folded, admitted_on", "m.sort_key, m.id, m.status, m.name_folded, m.admitted_on")
}

// moveAboveScopes moves the rows of a scope table keyed by the units
// above (member_scopes, meeting_scopes) when the unit at newPath (before:
// oldPath) moves with its subtree: the rows of the subtree's objects
// (table objects, alias m, with a unit_id) under the units above the old
// place go, and rows under the units above the new place come (columns
// cols, after scope_id, from vals). The units inside the subtree stay.
func (tx *Tx) moveAboveScopes(ctx context.Context, oldPath, newPath, table, idCol, objects, cols, vals string) error {
	oldUp, newUp := doc.AncestorIDs(oldPath), doc.AncestorIDs(newPath)
	oldUp, newUp = oldUp[:len(oldUp)-1], newUp[:len(newUp)-1]
	inSubtree := `FROM ` + objects + ` m JOIN units u ON u.id = m.unit_id`
	if len(oldUp) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE scope_id IN `+idList(oldUp)+` AND `+idCol+` IN (SELECT m.id `+inSubtree+`
			WHERE u.path >= $1 AND u.path < $2)`, newPath, prefixEnd(newPath)); err != nil {
			return err
		}
	}
	if len(newUp) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (scope_id, `+cols+`)
		SELECT a.id, `+vals+` `+inSubtree+` JOIN units a ON a.id IN `+idList(newUp)+`
		WHERE u.path >= $1 AND u.path < $2`, newPath, prefixEnd(newPath))
	return err
}

// fillMemberScopesSQL writes the rows of the members that have none (after
// a bulk load; the migration that made the table does the same).
const fillMemberScopesSQL = `INSERT INTO member_scopes (scope_id, sort_key, member_id, status, name_folded, admitted_on)
WITH RECURSIVE up(unit_id, scope_id) AS (
  SELECT id, id FROM units
  UNION ALL
  SELECT up.unit_id, u.parent_id FROM up JOIN units u ON u.id = up.scope_id WHERE u.parent_id IS NOT NULL
)
SELECT up.scope_id, m.sort_key, m.id, m.status, m.name_folded, m.admitted_on FROM members m JOIN up ON up.unit_id = m.unit_id
WHERE NOT EXISTS (SELECT 1 FROM member_scopes x WHERE x.member_id = m.id)`
