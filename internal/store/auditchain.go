package store

// The audit log is a hash chain. Every chained entry has a seq (1, 2, 3, …
// without gaps), the hash of the entry before it (prev_hash; "" for seq 1)
// and its own hash, which covers its contents, its seq and prev_hash.
// Changing an entry breaks its hash; removing, inserting or reordering
// entries breaks a seq or a prev_hash link. VerifyAudit
// (auditchain_verify.go) walks it.
//
// Appends are serialised so that concurrent writers form one chain. How
// depends on the engine:
//
//   - SQLite has one writer (BEGIN IMMEDIATE): the writing transaction
//     reads the last (seq, hash) and inserts its entry chained, as it
//     always did.
//   - PostgreSQL has many writers, in several processes. Were each to take
//     the chain's lock and hold it to its commit, as before session 8, every
//     audited write and read would queue behind every other one (the mixed
//     load spent most of its time waiting on that lock, docs/benchmarks.md).
//     So the writing transaction inserts its entry "pending" — seq = -id,
//     no prev_hash, no hash — with no lock; the entry commits or rolls back
//     with the write it records. After the commit, the process's chainer
//     (auditchainer.go) links the pending entries: in a short transaction
//     that takes the advisory lock auditLockKey, reads the chain's end and
//     the pending entries that are committed by then (in id order), gives
//     them the next seqs and their hashes, and commits. Every process runs
//     one chainer and sweeps every few seconds, so the entries a killed
//     process committed are chained by the next process that runs; a
//     chaining transaction killed halfway rolls back and leaves its entries
//     pending. The chain's order is therefore the order in which the
//     chainer found the entries committed, not id order (ids come from a
//     sequence and do not commit in order).
//
// A negative seq marks a pending entry (unique, as it is the entry's id;
// the unique index on seq finds them); the chain is the entries with
// seq > 0. Until it is chained, an entry is as exposed as any row: the
// window is the time to the chainer's next pass (milliseconds under load,
// at most a sweep's interval).
//
// Entries written before migration 0002 have a seq (in id order) but no hash;
// audit_chain.legacy_seq counts them. The first append or verification after
// the migration hashes them in seq order, in one transaction, and sets
// legacy_seq to 0, so no entry is ever hashed lazily again: an entry whose
// hash is blanked later is reported, not re-chained.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/doc"
)

// auditLockKey is the pg_advisory_xact_lock key of the audit chain
// ("sotay_au" in ASCII).
const auditLockKey int64 = 0x736f7461795f6175

// auditHashTag opens every hashed message, naming the encoding's version.
const auditHashTag = "sotay.audit.v1"

// legacyBatch is how many pre-chain entries are hashed per query.
const legacyBatch = 500

// auditRow is one audit_log row as the chain sees it.
type auditRow struct {
	ID         int64
	Seq        int64
	At         time.Time
	AccountID  sql.NullInt64
	Username   string
	Address    string
	Action     string
	ObjectType string
	ObjectID   sql.NullInt64
	UnitPath   string
	Before     string
	After      string
	PrevHash   string
	Hash       string
}

// auditColumns are the columns scanRow reads, in its order.
const auditColumns = `id, seq, at, account_id, username, address, action, object_type, object_id, unit_path, before_json, after_json, prev_hash, hash`

type scanner interface{ Scan(dest ...any) error }

func scanAuditRow(s scanner, r *auditRow) error {
	return s.Scan(&r.ID, &r.Seq, &r.At, &r.AccountID, &r.Username, &r.Address, &r.Action, &r.ObjectType, &r.ObjectID,
		&r.UnitPath, &r.Before, &r.After, &r.PrevHash, &r.Hash)
}

// computeHash returns the hash the entry should carry:
//
//	hash = hex(SHA-256(M))
//
// where M is the concatenation of 13 fields, each written as its length in
// bytes (8 bytes, big-endian) followed by its bytes, so that no two
// different entries can give the same M:
//
//  1. the tag "sotay.audit.v1"
//  2. seq, in decimal
//  3. at, in UTC, formatted as RFC 3339 with nanoseconds (time.RFC3339Nano;
//     stored with microsecond precision)
//  4. account_id in decimal, or empty when NULL
//  5. username
//  6. address
//  7. action
//  8. object_type
//  9. object_id in decimal, or empty when NULL
//  10. unit_path
//  11. before_json
//  12. after_json
//  13. prev_hash (lower-case hex, empty for the first entry)
//
// Text fields are the stored UTF-8 bytes. The row id is not covered: it is
// only a key (verification names it).
func (r *auditRow) computeHash() string {
	h := sha256.New()
	var n [8]byte
	field := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	optInt := func(v sql.NullInt64) string {
		if !v.Valid {
			return ""
		}
		return strconv.FormatInt(v.Int64, 10)
	}
	field(auditHashTag)
	field(strconv.FormatInt(r.Seq, 10))
	field(r.At.UTC().Format(time.RFC3339Nano))
	field(optInt(r.AccountID))
	field(r.Username)
	field(r.Address)
	field(r.Action)
	field(r.ObjectType)
	field(optInt(r.ObjectID))
	field(r.UnitPath)
	field(r.Before)
	field(r.After)
	field(r.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}

// appendAudit inserts r: chained at once on SQLite, pending on PostgreSQL
// (linked after the commit by the chainer, which this transaction wakes
// when it commits).
func (tx *Tx) appendAudit(ctx context.Context, r *auditRow) error {
	if tx.db.chain != nil {
		// The pending entry and its scope rows in one statement (Audit).
		query, args := pendingAuditStatement(r)
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		if !tx.wakesChainer {
			tx.wakesChainer = true
			tx.afterCommit = append(tx.afterCommit, tx.db.chain.kick)
		}
		return nil
	}
	seq, hash, err := tx.auditHead(ctx)
	if err != nil {
		return err
	}
	one := [1]auditRow{*r}
	linkAudit(seq, hash, one[:])
	*r = one[0]
	id, err := insertID(ctx, tx, `INSERT INTO audit_log (seq, at, account_id, username, address, action, object_type, object_id, unit_path, before_json, after_json, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		r.Seq, r.At, r.AccountID, r.Username, r.Address, r.Action, r.ObjectType, r.ObjectID, r.UnitPath, r.Before, r.After, r.PrevHash, r.Hash)
	if err != nil {
		return err
	}
	return tx.insertAuditScopes(ctx, id, r.UnitPath)
}

// linkAudit makes rs the next links of a chain that ends at (seq, hash):
// seq+1, seq+2, … each with the hash of the one before.
func linkAudit(seq int64, hash string, rs []auditRow) {
	for i := range rs {
		seq++
		rs[i].Seq, rs[i].PrevHash = seq, hash
		rs[i].Hash = rs[i].computeHash()
		hash = rs[i].Hash
	}
}

// insertAuditScopes writes the keys under which the audit list finds
// entry id (issue 17): the units on its unit path, the unit itself and
// its ancestors as they were when the entry was written.
func (tx *Tx) insertAuditScopes(ctx context.Context, id int64, unitPath string) error {
	ids := doc.AncestorIDs(unitPath)
	if len(ids) == 0 {
		return nil
	}
	var args argList
	rows := make([]string, len(ids))
	for i, u := range ids {
		rows[i] = `(` + args.add(u) + `, ` + args.add(id) + `)`
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_scopes (scope_id, audit_id) VALUES `+strings.Join(rows, ", ")+` ON CONFLICT DO NOTHING`, args...)
	return err
}

// lockAudit serialises chain writers on PostgreSQL until tx ends.
func (tx *Tx) lockAudit(ctx context.Context) error {
	if tx.db.dialect != postgresDialect {
		return nil // one writer: BEGIN IMMEDIATE already serialises
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, auditLockKey); err != nil {
		return fmt.Errorf("lock the audit chain: %w", err)
	}
	return nil
}

// auditHead locks the chain and returns its last (seq, hash), (0, "") when
// the log is empty. It hashes the pre-chain entries first if they are due.
func (tx *Tx) auditHead(ctx context.Context) (int64, string, error) {
	if err := tx.lockAudit(ctx); err != nil {
		return 0, "", err
	}
	for range 2 {
		var seq int64
		var hash string
		err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log WHERE seq > 0 ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, "", nil
		}
		if err != nil {
			return 0, "", fmt.Errorf("read the end of the audit chain: %w", err)
		}
		if hash != "" {
			return seq, hash, nil
		}
		// No hash at the end: the entries from before the chain, or an
		// entry whose hash was blanked (then link to it as it is, and
		// VerifyAudit reports it).
		done, err := tx.chainLegacy(ctx)
		if err != nil || !done {
			return seq, hash, err
		}
	}
	return 0, "", errors.New("the audit chain's end has no hash after chaining")
}

// chainLegacy hashes the entries written before the chain existed, in seq
// order, if audit_chain says some are waiting. The caller holds the lock.
func (tx *Tx) chainLegacy(ctx context.Context) (bool, error) {
	var legacy int64
	err := tx.QueryRowContext(ctx, `SELECT legacy_seq FROM audit_chain WHERE id = 1`).Scan(&legacy)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && legacy == 0) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read audit_chain: %w", err)
	}
	upd, err := tx.prepared(ctx, `UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3`)
	if err != nil {
		return false, err
	}
	var after int64
	prev := ""
	batch := make([]auditRow, 0, legacyBatch)
	for {
		batch = batch[:0]
		rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
			after, legacy, legacyBatch)
		if err != nil {
			return false, err
		}
		for rows.Next() {
			var r auditRow
			if err := scanAuditRow(rows, &r); err != nil {
				rows.Close()
				return false, err
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return false, err
		}
		if len(batch) == 0 {
			break
		}
		for i := range batch {
			r := &batch[i]
			r.PrevHash = prev
			r.Hash = r.computeHash()
			if _, err := upd.ExecContext(ctx, r.PrevHash, r.Hash, r.ID); err != nil {
				return false, fmt.Errorf("hash audit entry %d: %w", r.Seq, err)
			}
			prev, after = r.Hash, r.Seq
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE audit_chain SET legacy_seq = 0 WHERE id = 1`); err != nil {
		return false, err
	}
	return true, nil
}

// chainLegacyAudit hashes the pre-chain entries now, if any are waiting.
func (db *DB) chainLegacyAudit(ctx context.Context) error {
	var legacy int64
	err := db.read.QueryRowContext(ctx, `SELECT legacy_seq FROM audit_chain WHERE id = 1`).Scan(&legacy)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && legacy == 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read audit_chain: %w", err)
	}
	return db.Write(ctx, func(tx *Tx) error {
		if err := tx.lockAudit(ctx); err != nil {
			return err
		}
		_, err := tx.chainLegacy(ctx)
		return err
	})
}
