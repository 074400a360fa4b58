package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/org"
)

// twoProcesses opens two handles on one migrated PostgreSQL database, as two
// `sotay serve` processes would; it skips without PostgreSQL.
func twoProcesses(t *testing.T) (a, b *DB, dsn string) {
	t.Helper()
	dsn = migratedPostgres(t)
	if dsn == "" {
		t.Skip("no PostgreSQL: set SOTAY_TEST_POSTGRES or put initdb on PATH")
	}
	a, b = OpenTest(t, dsn), OpenTest(t, dsn)
	a.Now, b.Now = tickingClock(), tickingClock()
	return a, b, dsn
}

// untilLinked waits for the background chainers to leave nothing pending
// (they are woken by the commits; a sweep comes every auditSweepEvery)
// and returns the verification that found none.
func untilLinked(t *testing.T, db *DB) VerifyResult {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		res, err := db.VerifyAudit(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.Pending == 0 {
			return res
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d entries still pending, the oldest from %s", res.Pending, res.OldestPending)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var errRolledBack = errors.New("rolled back on purpose")

// inParallel runs fn(0), …, fn(n-1) at once and fails on the first error.
func inParallel(t *testing.T, n int, fn func(g int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for g := range n {
		wg.Go(func() {
			if err := fn(g); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// TestAuditChainTwoProcesses: many writers in two processes on one
// PostgreSQL, with both processes' chainers running; some writes roll
// back. Every committed entry is linked once, seq 1..n without gap or
// repeat, the chain verifies, and no rolled-back write left an entry.
func TestAuditChainTwoProcesses(t *testing.T) {
	t.Parallel()
	a, b, _ := twoProcesses(t)
	ctx := context.Background()
	const writers, each = 6, 40
	var mu sync.Mutex
	committed := map[int64]bool{} // object ids of the committed entries
	inParallel(t, 2*writers, func(w int) error {
		p, g := w/writers, w%writers
		db := []*DB{a, b}[p]
		actor := &auth.Actor{AccountID: int64(g + 1), Username: fmt.Sprintf("p%d.user%d", p, g)}
		for i := range each {
			obj := int64(p*100000 + g*1000 + i)
			e := auth.AuditEntry{Actor: actor, Action: "member.read", ObjectType: "member", ObjectID: obj, UnitPath: "/1/"}
			err := db.Write(ctx, func(tx *Tx) error {
				if err := tx.audit(ctx, e); err != nil {
					return err
				}
				if i%5 == 4 {
					return errRolledBack
				}
				return nil
			})
			switch {
			case err == nil:
				mu.Lock()
				committed[obj] = true
				mu.Unlock()
			case !errors.Is(err, errRolledBack):
				return err
			}
		}
		return nil
	})
	n := int64(len(committed))
	if want := int64(2 * writers * each * 4 / 5); n != want {
		t.Fatalf("%d writes committed, want %d", n, want)
	}
	// The chainers, woken by the commits, link everything without help.
	res := untilLinked(t, b)
	if !res.OK() || res.Entries != n || res.LastSeq != n {
		t.Fatalf("verified %d entries up to seq %d (%v), want %d", res.Entries, res.LastSeq, res.Problem, n)
	}
	// Exactly the committed entries, each once (a rolled-back write left
	// none), at seqs 1..n.
	got := map[int64]bool{}
	seqs := map[int64]bool{}
	for _, r := range auditRows(t, a) {
		if got[r.ObjectID.Int64] || seqs[r.Seq] {
			t.Fatalf("object %d or seq %d twice", r.ObjectID.Int64, r.Seq)
		}
		got[r.ObjectID.Int64], seqs[r.Seq] = true, true
		if r.Seq < 1 || r.Seq > n {
			t.Errorf("id %d at seq %d, outside 1..%d", r.ID, r.Seq, n)
		}
	}
	if diff := cmp.Diff(committed, got); diff != "" {
		t.Errorf("entries in the log (-committed +logged):\n%s", diff)
	}
}

// TestAuditChainAfterKill: a process killed after its commits and before
// its chainer ran leaves its entries pending: they are in the audit list,
// the chain before them verifies, and another process links them; a
// chaining pass killed before its commit leaves them pending too.
func TestAuditChainAfterKill(t *testing.T) {
	t.Parallel()
	killed, other, dsn := twoProcesses(t)
	ctx := context.Background()
	holdChainer(killed) // killed between each commit and its chaining
	holdChainer(other)  // links only when told here

	// Chained entries first.
	unit := mustUnit(t, other, nil, org.KindProvince, "HN")
	if err := other.Audit(ctx, auth.AuditEntry{Action: "member.read", ObjectType: "member", ObjectID: 1, UnitPath: unit.Path}); err != nil {
		t.Fatal(err)
	}
	before := mustVerify(t, other)
	// Then the killed process's writes: a unit, audited reads, and a
	// write that rolls back.
	mustUnit(t, killed, unit, org.KindDistrict, "HN.PX")
	for i := range 3 {
		if err := killed.Audit(ctx, auth.AuditEntry{Action: "member.read", ObjectType: "member", ObjectID: int64(10 + i), UnitPath: unit.Path}); err != nil {
			t.Fatal(err)
		}
	}
	err := killed.Write(ctx, func(tx *Tx) error {
		if err := tx.audit(ctx, auth.AuditEntry{Action: "member.read", ObjectType: "member", ObjectID: 99, UnitPath: unit.Path}); err != nil {
			return err
		}
		return errRolledBack
	})
	if !errors.Is(err, errRolledBack) {
		t.Fatalf("rolled-back write: %v", err)
	}
	const left = 4 // the unit's creation and the three reads

	// What the other process sees before anything links them: the chain
	// as it was, intact, and the pending entries apart.
	res, err := other.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || res.Entries != before.Entries || res.LastHash != before.LastHash || res.Pending != left || res.OldestPending.IsZero() {
		t.Fatalf("before linking: %+v; want %d intact entries, the same last hash, %d pending", res, before.Entries, left)
	}
	// The audit list shows them already.
	recs, err := other.ListAudit(ctx, auth.AuditFilter{Paths: []string{"/"}, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, r := range recs {
		if r.Action == "member.read" && r.ObjectID != nil && *r.ObjectID >= 10 {
			reads++
			if *r.ObjectID == 99 {
				t.Errorf("the rolled-back write's entry is listed")
			}
		}
	}
	if reads != 3 {
		t.Errorf("the audit list shows %d of the 3 pending reads", reads)
	}

	// A chaining pass killed before its commit links nothing.
	other.chain.mu.Lock()
	other.chain.beforeCommit = func() error { return errors.New("killed") }
	other.chain.mu.Unlock()
	if _, err := other.ChainAudit(ctx); err == nil {
		t.Fatal("the failing pass reported no error")
	}
	if res, err := other.VerifyAudit(ctx); err != nil || !res.OK() || res.Pending != left || res.Entries != before.Entries {
		t.Fatalf("after a killed pass: %+v, %v; want %d pending, %d intact", res, err, left, before.Entries)
	}
	other.chain.mu.Lock()
	other.chain.beforeCommit = nil
	other.chain.mu.Unlock()

	// A process started after the kill links them at once.
	restarted := OpenTest(t, dsn)
	restarted.StartAuditChainer(nil)
	res = untilLinked(t, other)
	if want := before.Entries + left; !res.OK() || res.Entries != want || res.LastSeq != want {
		t.Fatalf("after linking: %d entries up to seq %d (%v), want %d", res.Entries, res.LastSeq, res.Problem, want)
	}
}

// TestAuditChainOrderOfCommits: on PostgreSQL an entry whose id is lower
// may commit later; it is linked after the ones committed before it (the
// chain's order is the order the chainer found them committed), and the
// chain verifies.
func TestAuditChainOrderOfCommits(t *testing.T) {
	t.Parallel()
	a, b, _ := twoProcesses(t)
	ctx := context.Background()
	holdChainer(a)
	holdChainer(b)
	// The slow transaction takes its id first and commits last.
	slowIn, slowGo := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- a.Write(ctx, func(tx *Tx) error {
			err := tx.audit(ctx, auth.AuditEntry{Action: "member.read", ObjectType: "member", ObjectID: 1})
			close(slowIn)
			<-slowGo
			return err
		})
	}()
	<-slowIn
	for i := range 3 {
		if err := b.Audit(ctx, auth.AuditEntry{Action: "member.read", ObjectType: "member", ObjectID: int64(2 + i)}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := b.ChainAudit(ctx); err != nil || n != 3 {
		t.Fatalf("linked %d, %v; want the 3 committed", n, err)
	}
	close(slowGo)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	wantIntact(t, b, 4)
	var order []int64
	for _, r := range auditRows(t, b) {
		order = append(order, r.ObjectID.Int64)
	}
	if diff := cmp.Diff([]int64{2, 3, 4, 1}, order); diff != "" {
		t.Errorf("objects in chain order (-want +got):\n%s", diff)
	}
}
