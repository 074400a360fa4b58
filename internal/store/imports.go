package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/member"
)

// CellsUnder lists the live cells of a subtree, the unit itself included.
func (db Members) CellsUnder(ctx context.Context, path string) ([]member.UnitRef, error) {
	return queryAll(ctx, db.read, func(rows *sql.Rows) (member.UnitRef, error) {
		var u member.UnitRef
		return u, rows.Scan(&u.ID, &u.Path, &u.Name, &u.Code, &u.Kind)
	}, `SELECT id, path, name, code, kind FROM units WHERE path >= $1 AND path < $2 AND kind = 'cell' AND dissolved_on IS NULL`, path, prefixEnd(path))
}

// Existing finds stored records by card number and citizen ID, in
// chunks so that a 10,000-row file makes a handful of queries.
func (db Members) Existing(ctx context.Context, cards, citizens []string) (map[string]member.Existing, map[string]member.Existing, error) {
	byCard, byCitizen := map[string]member.Existing{}, map[string]member.Existing{}
	lookup := func(col string, keys []string, into map[string]member.Existing) error {
		for start := 0; start < len(keys); start += 500 {
			chunk := keys[start:min(start+500, len(keys))]
			var args argList
			marks := make([]string, len(chunk))
			for i, k := range chunk {
				marks[i] = args.add(k)
			}
			found, err := queryAll(ctx, db.read, scanExisting, `SELECT `+memberColumns+`, u.path, m.name_folded FROM members m JOIN units u ON u.id = m.unit_id WHERE m.`+col+` IN (`+strings.Join(marks, ",")+`)`, args...)
			if err != nil {
				return err
			}
			for _, e := range found {
				key := e.Member.CardNo
				if col == "citizen_id" {
					key = e.Member.CitizenID
				}
				into[key] = e
			}
		}
		return nil
	}
	if err := lookup("card_no", cards, byCard); err != nil {
		return nil, nil, err
	}
	if err := lookup("citizen_id", citizens, byCitizen); err != nil {
		return nil, nil, err
	}
	return byCard, byCitizen, nil
}

// Import writes an import in one transaction: all or nothing.
func (db Members) Import(ctx context.Context, create, update []*member.Member, a auth.AuditEntry) error {
	return db.Write(ctx, func(tx *Tx) error {
		if err := tx.lockMemberWrites(ctx, memberLockExclusive); err != nil {
			return err
		}
		for _, m := range create {
			if err := tx.insertMember(ctx, m, m.AdmittedOn); err != nil {
				return err
			}
		}
		for _, m := range update {
			if err := tx.updateMember(ctx, m, m.Version); err != nil {
				return err
			}
		}
		return tx.audit(ctx, a)
	})
}

var _ = sql.ErrNoRows

// Named finds the records of a subtree whose folded full name is one
// of names, in chunks.
func (db Members) Named(ctx context.Context, path string, names []string) ([]member.Existing, error) {
	var out []member.Existing
	for start := 0; start < len(names); start += 500 {
		chunk := names[start:min(start+500, len(names))]
		var args argList
		lo, hi := args.add(path), args.add(prefixEnd(path))
		marks := make([]string, len(chunk))
		for i, k := range chunk {
			marks[i] = args.add(k)
		}
		found, err := queryAll(ctx, db.read, scanExisting, `SELECT `+memberColumns+`, u.path, m.name_folded FROM members m JOIN units u ON u.id = m.unit_id
			WHERE u.path >= `+lo+` AND u.path < `+hi+` AND m.name_folded IN (`+strings.Join(marks, ",")+`)`, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

// scanExisting reads a member with its cell's path and folded name
// (memberColumns, u.path, m.name_folded).
func scanExisting(rows *sql.Rows) (member.Existing, error) {
	var path, folded string
	m, err := scanMember(rows, &path, &folded)
	if err != nil {
		return member.Existing{}, err
	}
	m.NameFolded = folded
	return member.Existing{Member: m, Path: path}, nil
}
