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
	rows, err := db.read.QueryContext(ctx, `SELECT id, path, name, code, kind FROM units WHERE path >= $1 AND path < $2 AND kind = 'cell' AND dissolved_on IS NULL`, path, prefixEnd(path))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []member.UnitRef
	for rows.Next() {
		var u member.UnitRef
		if err := rows.Scan(&u.ID, &u.Path, &u.Name, &u.Code, &u.Kind); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
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
			rows, err := db.read.QueryContext(ctx, `SELECT `+memberColumns+`, u.path, m.name_folded FROM members m JOIN units u ON u.id = m.unit_id WHERE m.`+col+` IN (`+strings.Join(marks, ",")+`)`, args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var path, folded string
				m, err := scanMember(rows, &path, &folded)
				if err != nil {
					rows.Close()
					return err
				}
				m.NameFolded = folded
				key := m.CardNo
				if col == "citizen_id" {
					key = m.CitizenID
				}
				into[key] = member.Existing{Member: m, Path: path}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
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
		rows, err := db.read.QueryContext(ctx, `SELECT `+memberColumns+`, u.path, m.name_folded FROM members m JOIN units u ON u.id = m.unit_id
			WHERE u.path >= `+lo+` AND u.path < `+hi+` AND m.name_folded IN (`+strings.Join(marks, ",")+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var p, folded string
			m, err := scanMember(rows, &p, &folded)
			if err != nil {
				rows.Close()
				return nil, err
			}
			m.NameFolded = folded
			out = append(out, member.Existing{Member: m, Path: p})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
