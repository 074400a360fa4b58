package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// auditChainBatch is how many pending entries one chaining transaction
// links at most.
const auditChainBatch = 500

// auditSweepEvery is how often a process's chainer looks for pending
// entries nobody woke it for: those of a process killed between its commit
// and its chainer's pass, or committed while another process's chainer was
// reading.
const auditSweepEvery = 5 * time.Second

// auditChainDelay is how long a woken chainer waits before its pass, so
// that one pass links the entries of every request of that moment. A pass
// is seven round trips whatever it links (the check, BEGIN, the lock, the
// chain's head, the pending rows, their update, COMMIT); woken by each
// audited read of a steady stream of requests, it was most of a member
// list's audit cost (issue 17). Entries wait pending a little longer,
// which nothing reads as a fault: the audit list shows pending entries,
// and `audit verify` counts them apart from the chain.
const auditChainDelay = 20 * time.Millisecond

// auditChainer links, on PostgreSQL, the audit entries that writing
// transactions left pending (see auditchain.go). One per *DB (per
// process). It starts with the first commit that wakes it, or with
// StartAuditChainer; DB.Close stops it after a last pass.
//
// Why a goroutine per process and an advisory lock, rather than a leased
// job: the lock already makes every pass exclusive across processes, and
// a pass that dies with its connection releases it at once (a lease would
// wait out its time); every process sweeps, so the chain never depends on
// one process staying alive. A pass is woken by every commit that wrote an
// entry (coalesced: one pending wake-up at most), and takes the lock
// blocking, so an entry committed before the wake-up is linked by that pass
// or by the one holding the lock then — requests never wait for it.
type auditChainer struct {
	db    *DB
	wake  chan struct{}
	log   *slog.Logger
	mu    sync.Mutex
	state int // chainerIdle, chainerRunning, chainerClosed
	stop  chan struct{}
	done  chan struct{}
	// off: a process that is killed after its commits, before its chainer
	// runs (tests).
	off bool
	// beforeCommit, when set, runs at the end of every chaining
	// transaction; an error rolls the pass back (tests: a kill halfway).
	beforeCommit func() error
}

const (
	chainerIdle = iota
	chainerRunning
	chainerClosed
)

func newAuditChainer(db *DB) *auditChainer {
	return &auditChainer{db: db, wake: make(chan struct{}, 1), log: slog.Default()}
}

// StartAuditChainer starts this process's audit chainer on PostgreSQL
// (`sotay serve` does, so that a process started after a crash links
// what the dead one left at once) and logs its failures to log. It does
// nothing on SQLite.
func (db *DB) StartAuditChainer(log *slog.Logger) {
	if db.chain == nil {
		return
	}
	db.chain.mu.Lock()
	if log != nil {
		db.chain.log = log
	}
	db.chain.mu.Unlock()
	db.chain.kick()
}

// kick wakes the chainer, starting it if need be.
func (c *auditChainer) kick() {
	c.mu.Lock()
	if c.off || c.state == chainerClosed {
		c.mu.Unlock()
		return
	}
	if c.state == chainerIdle {
		c.state = chainerRunning
		c.stop, c.done = make(chan struct{}), make(chan struct{})
		go c.run(c.stop, c.done)
	}
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default: // a wake-up is already due
	}
}

// close stops the chainer after one last pass.
func (c *auditChainer) close() {
	c.mu.Lock()
	running := c.state == chainerRunning
	c.state = chainerClosed
	c.mu.Unlock()
	if running {
		close(c.stop)
		<-c.done
	}
}

func (c *auditChainer) run(stop, done chan struct{}) {
	defer close(done)
	tick := time.NewTicker(auditSweepEvery)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			c.pass()
			return
		case <-c.wake:
			select {
			case <-stop: // the pass below is the last one's first half
			case <-time.After(auditChainDelay):
			}
		case <-tick.C:
		}
		c.pass()
	}
}

// pass links every pending entry; a failure is logged and the next wake-up
// or sweep tries again.
func (c *auditChainer) pass() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.db.ChainAudit(ctx); err != nil {
		c.mu.Lock()
		log := c.log
		c.mu.Unlock()
		log.Error("store: linking the pending audit entries", "err", err)
	}
}

// ChainAudit links every pending audit entry committed so far into the
// chain, in batches, and returns how many it linked. Any process may run
// it at any time: the passes of all processes are serialised by the
// chain's advisory lock. Entries are linked in id order among those
// committed when a batch reads them.
func (db *DB) ChainAudit(ctx context.Context) (int64, error) {
	var total int64
	for {
		// Without the lock first: most wake-ups find the work done by
		// another pass.
		var pending bool
		err := db.write.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit_log WHERE seq < 0)`).Scan(&pending)
		if err != nil {
			return total, fmt.Errorf("look for pending audit entries: %w", err)
		}
		if !pending {
			return total, nil
		}
		n, err := db.chainBatch(ctx)
		total += int64(n)
		if err != nil || n < auditChainBatch {
			return total, err
		}
	}
}

// chainBatch links up to auditChainBatch pending entries in one
// transaction under the chain's lock. It does not read db.Now (tests
// change the clock while the chainer runs).
func (db *DB) chainBatch(ctx context.Context) (int, error) {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin: %w", err)
	}
	defer sqlTx.Rollback()
	tx := &Tx{Tx: sqlTx, db: db}
	seq, hash, err := tx.auditHead(ctx) // takes the lock
	if err != nil {
		return 0, err
	}
	// seq = -id: the unique index on seq yields them in id order.
	rows, err := queryAll(ctx, tx, func(rows *sql.Rows) (auditRow, error) {
		var r auditRow
		return r, scanAuditRow(rows, &r)
	}, `SELECT `+auditColumns+` FROM audit_log WHERE seq < 0 ORDER BY seq DESC LIMIT $1`, auditChainBatch)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	linkAudit(seq, hash, rows)
	var args argList
	vals := make([]string, len(rows))
	for i, r := range rows {
		vals[i] = `(CAST(` + args.add(r.ID) + ` AS BIGINT), CAST(` + args.add(r.Seq) + ` AS BIGINT), CAST(` +
			args.add(r.PrevHash) + ` AS TEXT), CAST(` + args.add(r.Hash) + ` AS TEXT))`
	}
	// One statement for the batch, the same text on both engines (VALUES
	// names its columns column1, column2, … on both).
	if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET seq = v.column2, prev_hash = v.column3, hash = v.column4
		FROM (VALUES `+strings.Join(vals, ", ")+`) AS v WHERE audit_log.id = v.column1`, args...); err != nil {
		return 0, fmt.Errorf("link audit entries %d to %d: %w", rows[0].Seq, rows[len(rows)-1].Seq, err)
	}
	if f := db.chainFault(); f != nil {
		if err := f(); err != nil {
			return 0, err
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	return len(rows), nil
}

// chainFault is the test hook of a pass killed before its commit.
func (db *DB) chainFault() func() error {
	if db.chain == nil {
		return nil
	}
	db.chain.mu.Lock()
	defer db.chain.mu.Unlock()
	return db.chain.beforeCommit
}

// pendingAudit counts the pending entries and returns when the oldest was
// written (zero when none).
func pendingAudit(ctx context.Context, q Querier) (int64, time.Time, error) {
	var n int64
	var oldest time.Time
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE seq < 0`).Scan(&n); err != nil || n == 0 {
		return n, oldest, err
	}
	err := q.QueryRowContext(ctx, `SELECT at FROM audit_log WHERE seq < 0 ORDER BY at LIMIT 1`).Scan(&oldest)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil // linked meanwhile
	}
	return n, oldest, err
}
