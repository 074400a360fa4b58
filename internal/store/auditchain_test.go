package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/testpg"
)

// tickingClock returns a clock that advances by a non-round step on every
// call, so entries carry nanoseconds that PostgreSQL cannot keep.
func tickingClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 11, 20, 3, 0, 0, 123456789, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(1234567 * time.Nanosecond)
		return t
	}
}

// auditFixture writes nine entries: units created through the store's real
// writes and audited reads through db.Audit. It returns the row ids by seq.
func auditFixture(t *testing.T, db *DB) map[int64]int64 {
	t.Helper()
	ctx := context.Background()
	db.Now = tickingClock()
	city := mustUnit(t, db, nil, org.KindProvince, "HN")
	district := mustUnit(t, db, city, org.KindDistrict, "HN.PX")
	for i := range 3 {
		mustUnit(t, db, district, org.KindGrassroots, fmt.Sprintf("HN.PX.%d", i))
		reader := &auth.Actor{AccountID: int64(7 + i), Username: "vanphong", Address: "10.0.0.1"}
		if i == 1 {
			reader = &auth.Actor{Username: "hệ thống", Address: ""} // no account: NULL account_id
		}
		if err := db.Audit(ctx, auth.AuditEntry{Actor: reader, Action: "member.read", ObjectType: "member", ObjectID: int64(100 + i), UnitPath: district.Path}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Audit(ctx, auth.AuditEntry{Action: "export", ObjectType: "unit"}); err != nil { // no actor, no object
		t.Fatal(err)
	}
	if _, err := db.ChainAudit(ctx); err != nil {
		t.Fatal(err)
	}
	return auditIDs(t, db)
}

func auditIDs(t *testing.T, db *DB) map[int64]int64 {
	t.Helper()
	rows, err := db.write.QueryContext(context.Background(), `SELECT seq, id FROM audit_log`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ids := map[int64]int64{}
	for rows.Next() {
		var seq, id int64
		if err := rows.Scan(&seq, &id); err != nil {
			t.Fatal(err)
		}
		ids[seq] = id
	}
	return ids
}

// mustVerify links what is pending (as any process's chainer would) and
// verifies the chain; nothing may stay pending.
func mustVerify(t *testing.T, db *DB) VerifyResult {
	t.Helper()
	if _, err := db.ChainAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
	res, err := db.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Pending != 0 {
		t.Fatalf("%d entries pending after ChainAudit", res.Pending)
	}
	return res
}

// holdChainer stops db's background chainer for good (tests that tamper
// with seq behind the store's back: a sweep must not link an entry they
// made pending for a moment); mustVerify still links what is pending.
func holdChainer(db *DB) {
	if db.chain == nil {
		return
	}
	db.chain.mu.Lock()
	db.chain.off = true
	db.chain.mu.Unlock()
	db.chain.close()
}

func wantIntact(t *testing.T, db *DB, n int64) VerifyResult {
	t.Helper()
	res := mustVerify(t, db)
	if !res.OK() {
		t.Fatalf("the chain is reported broken: %s", res.Problem)
	}
	if res.Entries != n || res.LastSeq != n {
		t.Fatalf("verified %d entries up to seq %d, want %d", res.Entries, res.LastSeq, n)
	}
	return res
}

func TestAuditChainIntact(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		wantIntact(t, db, 0) // an empty log is intact
		ids := auditFixture(t, db)
		if len(ids) != 9 {
			t.Fatalf("%d entries, want 9", len(ids))
		}
		res := wantIntact(t, db, 9)
		// The stored links are the ones computeHash gives.
		prev := ""
		for seq := int64(1); seq <= 9; seq++ {
			r, err := auditRowWhere(ctx, db.write, `seq = $1`, seq)
			if err != nil || r == nil {
				t.Fatalf("seq %d: %v", seq, err)
			}
			if r.PrevHash != prev || len(r.Hash) != 64 || r.computeHash() != r.Hash {
				t.Fatalf("seq %d: prev_hash %q hash %q", seq, r.PrevHash, r.Hash)
			}
			prev = r.Hash
		}
		if res.LastHash != prev {
			t.Errorf("LastHash %q, want %q", res.LastHash, prev)
		}
		// The trail still reads as before.
		recs, err := db.ListAudit(ctx, auth.AuditFilter{Paths: []string{"/"}, Limit: 50})
		if err != nil || len(recs) != 8 { // the export has no unit path
			t.Fatalf("ListAudit: %d entries, %v", len(recs), err)
		}
	})
}

// rehash rewrites the entry at seq with change applied and a hash that
// matches its new contents: a forger who knows the encoding.
func rehash(ctx context.Context, db *DB, seq int64, change func(r *auditRow)) error {
	r, err := auditRowWhere(ctx, db.write, `seq = $1`, seq)
	if err != nil || r == nil {
		return fmt.Errorf("seq %d: %v", seq, err)
	}
	change(r)
	r.Hash = r.computeHash()
	_, err = db.write.ExecContext(ctx, `UPDATE audit_log SET seq = $1, after_json = $2, prev_hash = $3, hash = $4 WHERE id = $5`,
		r.Seq, r.After, r.PrevHash, r.Hash, r.ID)
	return err
}

func TestAuditChainTampering(t *testing.T) {
	type tamper struct {
		name    string
		sql     []string // run in order, with no arguments
		forge   func(ctx context.Context, db *DB) error
		kind    string
		seq     int64
		idOfSeq int64 // the named entry is the one originally at this seq; 0: no id
	}
	cases := []tamper{
		{name: "after_json changed", sql: []string{`UPDATE audit_log SET after_json = '{"name":"giả"}' WHERE seq = 4`}, kind: AuditAltered, seq: 4, idOfSeq: 4},
		{name: "time changed", sql: []string{`UPDATE audit_log SET at = '2020-01-01 00:00:00+00:00' WHERE seq = 2`}, kind: AuditAltered, seq: 2, idOfSeq: 2},
		{name: "username changed", sql: []string{`UPDATE audit_log SET username = 'admin' WHERE seq = 7`}, kind: AuditAltered, seq: 7, idOfSeq: 7},
		{name: "account made NULL", sql: []string{`UPDATE audit_log SET account_id = NULL WHERE seq = 4`}, kind: AuditAltered, seq: 4, idOfSeq: 4},
		{name: "NULL account set", sql: []string{`UPDATE audit_log SET account_id = 1 WHERE seq = 6`}, kind: AuditAltered, seq: 6, idOfSeq: 6},
		{name: "hash changed", sql: []string{`UPDATE audit_log SET hash = 'ab' || hash WHERE seq = 5`}, kind: AuditAltered, seq: 5, idOfSeq: 5},
		{name: "hash blanked", sql: []string{`UPDATE audit_log SET hash = '' WHERE seq = 9`}, kind: AuditAltered, seq: 9, idOfSeq: 9},
		{name: "prev_hash changed", sql: []string{`UPDATE audit_log SET prev_hash = '00' WHERE seq = 5`}, kind: AuditAltered, seq: 5, idOfSeq: 5},
		{name: "middle entry deleted", sql: []string{`DELETE FROM audit_log WHERE seq = 4`}, kind: AuditRemoved, seq: 4},
		{name: "two entries deleted", sql: []string{`DELETE FROM audit_log WHERE seq IN (4, 5)`}, kind: AuditRemoved, seq: 4},
		{name: "first entry deleted", sql: []string{`DELETE FROM audit_log WHERE seq = 1`}, kind: AuditRemoved, seq: 1},
		{name: "entry deleted and the rest renumbered", sql: []string{
			`DELETE FROM audit_log WHERE seq = 4`,
			`UPDATE audit_log SET seq = -seq WHERE seq > 4`,
			`UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0`,
		}, kind: AuditRemoved, seq: 4},
		{name: "seqs swapped", sql: []string{
			`UPDATE audit_log SET seq = -1 WHERE seq = 3`,
			`UPDATE audit_log SET seq = 3 WHERE seq = 6`,
			`UPDATE audit_log SET seq = 6 WHERE seq = -1`,
		}, kind: AuditReordered, seq: 3, idOfSeq: 6},
		{name: "neighbours swapped", sql: []string{
			`UPDATE audit_log SET seq = -1 WHERE seq = 5`,
			`UPDATE audit_log SET seq = 5 WHERE seq = 6`,
			`UPDATE audit_log SET seq = 6 WHERE seq = -1`,
		}, kind: AuditReordered, seq: 5, idOfSeq: 6},
		{name: "entry moved to the end", sql: []string{`UPDATE audit_log SET seq = 100 WHERE seq = 3`}, kind: AuditReordered, seq: 100, idOfSeq: 3},
		{name: "last seq changed", sql: []string{`UPDATE audit_log SET seq = 20 WHERE seq = 9`}, kind: AuditAltered, seq: 20, idOfSeq: 9},
		{name: "entry rewritten with a matching hash", forge: func(ctx context.Context, db *DB) error {
			return rehash(ctx, db, 5, func(r *auditRow) { r.After = `{"name":"giả"}` })
		}, kind: AuditAltered, seq: 5, idOfSeq: 5},
		{name: "seqs swapped and rehashed", forge: func(ctx context.Context, db *DB) error {
			if _, err := db.write.ExecContext(ctx, `UPDATE audit_log SET seq = -1 WHERE seq = 3`); err != nil {
				return err
			}
			if err := rehash(ctx, db, 4, func(r *auditRow) { r.Seq = 3 }); err != nil {
				return err
			}
			return rehash(ctx, db, -1, func(r *auditRow) { r.Seq = 4 })
		}, kind: AuditReordered, seq: 3, idOfSeq: 4},
	}
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		holdChainer(db)
		ids := auditFixture(t, db)
		saved := auditRows(t, db)
		for _, tc := range cases {
			t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
				restoreAuditRows(t, db, saved) // undo the case before
				before := wantIntact(t, db, 9)
				for _, q := range tc.sql {
					if _, err := db.write.ExecContext(ctx, q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				if tc.forge != nil {
					if err := tc.forge(ctx, db); err != nil {
						t.Fatal(err)
					}
				}
				res := mustVerify(t, db)
				if res.OK() {
					t.Fatalf("tampering not caught (%d entries, last seq %d)", res.Entries, res.LastSeq)
				}
				p := res.Problem
				t.Log(p.Detail)
				var wantID int64
				if tc.idOfSeq != 0 {
					wantID = ids[tc.idOfSeq]
				}
				if p.Kind != tc.kind || p.Seq != tc.seq || p.ID != wantID {
					t.Errorf("got %s seq %d id %d (%s); want %s seq %d id %d", p.Kind, p.Seq, p.ID, p.Detail, tc.kind, tc.seq, wantID)
				}
				if !strings.Contains(p.Detail, fmt.Sprintf("seq %d", tc.seq)) || (wantID != 0 && !strings.Contains(p.Detail, fmt.Sprintf("id %d", wantID))) {
					t.Errorf("detail does not name the entry: %s", p.Detail)
				}
				if res.Entries >= before.Entries {
					t.Errorf("%d entries checked before the break", res.Entries)
				}
				// The log stays writable, and the break stays reported.
				if err := db.Audit(ctx, auth.AuditEntry{Action: "member.read", ObjectType: "member", ObjectID: 1}); err != nil {
					t.Fatal(err)
				}
				if again := mustVerify(t, db); again.OK() || *again.Problem != *p {
					t.Errorf("after one more entry: %+v, want the same problem %+v", again.Problem, p)
				}
			})
		}
	})
}

// auditRows returns the whole log in seq order (tests only: it is small).
func auditRows(t *testing.T, db *DB) []auditRow {
	t.Helper()
	rows, err := db.write.QueryContext(context.Background(), `SELECT `+auditColumns+` FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		if err := scanAuditRow(rows, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// restoreAuditRows puts the log back as auditRows saw it.
func restoreAuditRows(t *testing.T, db *DB, saved []auditRow) {
	t.Helper()
	ctx := context.Background()
	err := db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM audit_log`); err != nil {
			return err
		}
		for _, r := range saved {
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (`+auditColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
				r.ID, r.Seq, r.At, r.AccountID, r.Username, r.Address, r.Action, r.ObjectType, r.ObjectID, r.UnitPath, r.Before, r.After, r.PrevHash, r.Hash); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAuditChainTailRewrite shows the limit of a chain kept in the same
// database: a consistent rewrite of the last entry verifies, but the end
// of the chain (LastHash) changes, so a copy of it kept elsewhere tells.
func TestAuditChainTailRewrite(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		holdChainer(db)
		auditFixture(t, db)
		before := wantIntact(t, db, 9)
		if err := rehash(ctx, db, 9, func(r *auditRow) { r.After = `{"x":1}` }); err != nil {
			t.Fatal(err)
		}
		after := wantIntact(t, db, 9)
		if after.LastHash == before.LastHash {
			t.Error("rewriting the last entry kept LastHash")
		}
	})
}

func TestAuditChainConcurrentWriters(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		db.Now = tickingClock()
		inParallel(t, 8, func(g int) error {
			actor := &auth.Actor{AccountID: int64(g + 1), Username: fmt.Sprintf("user%d", g)}
			for i := range 50 {
				if err := db.Audit(ctx, auth.AuditEntry{Actor: actor, Action: "member.read", ObjectType: "member", ObjectID: int64(g*1000 + i), UnitPath: "/1/"}); err != nil {
					return err
				}
			}
			return nil
		})
		wantIntact(t, db, 400)
	})
}

// freshDSN names a new, empty database of the dialect.
func freshDSN(t *testing.T, d dialect) string {
	t.Helper()
	if d == postgresDialect {
		return testpg.NewDatabase(t)
	}
	return "sqlite:" + filepath.Join(t.TempDir(), "fresh.db")
}

// openVersion1 opens a database at schema version 1, before the chain.
func openVersion1(t *testing.T, dsn string) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ms, err := db.migrations()
	if err != nil || ms[0].version != 1 {
		t.Fatalf("migrations: %v", err)
	}
	if _, err := db.SchemaVersion(ctx); err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, ms[0].sql); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (1, $1)`, ms[0].name)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// TestAuditChainLegacyEntries upgrades a log written before the chain:
// its entries get seq in id order and are hashed, in order, the first time
// the chain is extended or verified, and never again after that.
func TestAuditChainLegacyEntries(t *testing.T) {
	for _, first := range []string{"append", "verify"} {
		t.Run(first, func(t *testing.T) {
			forEachDB(t, func(t *testing.T, fresh *DB) {
				ctx := context.Background()
				db := openVersion1(t, freshDSN(t, fresh.dialect))
				holdChainer(db)
				// Rows as the old code wrote them, with ids that have gaps,
				// and enough of them to take several batches to hash.
				legacyIDs := []int64{3, 4, 10, 11, 12, 40}
				for id := int64(100); len(legacyIDs) < 2*legacyBatch+7; id++ {
					legacyIDs = append(legacyIDs, id)
				}
				at := time.Date(2025, 3, 1, 8, 30, 0, 987654321, time.UTC)
				err := db.Write(ctx, func(tx *Tx) error {
					for i, id := range legacyIDs {
						var acc any
						if i%2 == 0 {
							acc = int64(i + 1)
						}
						if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (id, at, account_id, username, address, action, object_type, object_id, unit_path, before_json, after_json)
							VALUES ($1, $2, $3, 'cũ', '127.0.0.1', 'member.update', 'member', $4, '/1/', '{"a":1}', '{"a":2}')`,
							id, at.Add(time.Duration(i)*time.Minute), acc, 500+i); err != nil {
							return err
						}
					}
					if db.dialect == postgresDialect { // explicit ids bypass the identity
						_, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('audit_log', 'id'), $1)`, legacyIDs[len(legacyIDs)-1])
						return err
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				// Every migration after the first (counted, not the last
				// number: the numbers may have gaps while branches merge).
				if n, err := db.Migrate(ctx); err != nil || n != len(mustMigrations(t, db))-1 {
					t.Fatalf("migrate: applied %d of %d, %v", n, len(mustMigrations(t, db))-1, err)
				}
				ids := auditIDs(t, db)
				for i, id := range legacyIDs {
					if ids[int64(i+1)] != id {
						t.Fatalf("seq %d is id %d, want %d", i+1, ids[int64(i+1)], id)
					}
				}
				n := int64(len(legacyIDs))
				if first == "append" {
					if err := db.Audit(ctx, auth.AuditEntry{Action: "member.read", ObjectType: "member", ObjectID: 500}); err != nil {
						t.Fatal(err)
					}
					n++
				}
				wantIntact(t, db, n)
				var legacy int64
				if err := db.write.QueryRowContext(ctx, `SELECT legacy_seq FROM audit_chain`).Scan(&legacy); err != nil || legacy != 0 {
					t.Fatalf("legacy_seq %d, %v; want 0", legacy, err)
				}
				mustUnit(t, db, nil, org.KindProvince, "HN")
				wantIntact(t, db, n+1)

				// Once chained, a blanked hash is tampering, not a legacy entry.
				if _, err := db.write.ExecContext(ctx, `UPDATE audit_log SET hash = '', after_json = '{"a":3}' WHERE seq = $1`, n+1); err != nil {
					t.Fatal(err)
				}
				if err := db.Audit(ctx, auth.AuditEntry{Action: "member.read", ObjectType: "member", ObjectID: 501}); err != nil {
					t.Fatal(err)
				}
				res := mustVerify(t, db)
				if res.OK() || res.Problem.Kind != AuditAltered || res.Problem.Seq != n+1 {
					t.Errorf("blanked hash at seq %d: got %+v", n+1, res.Problem)
				}
			})
		})
	}
}

// BenchmarkAuditAppend measures one audited write on its own (a
// transaction that appends one entry), with the chain ("chained": on
// SQLite read the end, hash, insert; on PostgreSQL the pending insert,
// the chainer linking in the background) and without it ("plain": the
// insert alone, as before the chain), on SQLite, and on PostgreSQL when
// one is available.
func BenchmarkAuditAppend(b *testing.B) {
	ctx := context.Background()
	actor := &auth.Actor{AccountID: 1, Username: "vanphong", Address: "10.0.0.1"}
	after := map[string]any{"full_name": "Nguyễn Văn An", "position": "Bí thư chi bộ", "unit_id": 42}
	for _, engine := range []dialect{sqliteDialect, postgresDialect} {
		b.Run(string(engine)+"/chained", func(b *testing.B) {
			db := benchAuditDB(b, engine)
			i := int64(0)
			for b.Loop() {
				i++
				if err := db.Audit(ctx, auth.AuditEntry{Actor: actor, Action: "member.update", ObjectType: "member", ObjectID: i, UnitPath: "/1/7/42/", After: after}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if _, err := db.ChainAudit(ctx); err != nil { // PostgreSQL: what the chainer has not linked yet
				b.Fatal(err)
			}
			if res, err := db.VerifyAudit(ctx); err != nil || !res.OK() || res.Entries != i {
				b.Fatalf("verify after the benchmark: %d entries of %d, %+v %v", res.Entries, i, res.Problem, err)
			}
		})
		b.Run(string(engine)+"/plain", func(b *testing.B) {
			db := benchAuditDB(b, engine)
			afterJSON := `{"full_name":"Nguyễn Văn An","position":"Bí thư chi bộ","unit_id":42}`
			i := int64(0)
			for b.Loop() {
				i++
				err := db.Write(ctx, func(tx *Tx) error {
					_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (seq, at, account_id, username, address, action, object_type, object_id, unit_path, before_json, after_json)
						VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
						i, tx.Now, actor.AccountID, actor.Username, actor.Address, "member.update", "member", i, "/1/7/42/", "", afterJSON)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchAuditDB(b *testing.B, d dialect) *DB {
	b.Helper()
	dsn := filepath.Join(b.TempDir(), "bench.db")
	if d == postgresDialect {
		if dsn = testpg.NewDatabase(b); dsn == "" {
			b.Skip("no PostgreSQL")
		}
	}
	db := OpenTest(b, dsn)
	db.Now = time.Now
	return db
}
