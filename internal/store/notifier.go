package store

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sotay-vn/sotay/internal/auth"
)

// Telling the other processes that something changed (issue 16).
//
// Several `sotay serve` processes may share one PostgreSQL database. What
// one of them keeps in memory for speed (a cache, the live boards) must
// learn of a change that another committed. A write says so with
// tx.Notify(channel, payload) inside its own transaction: on PostgreSQL
// that is pg_notify, which the database delivers at commit, and only at
// commit, to every session that LISTENs on the channel — every process
// holds one connection for that (Listen). On SQLite there is one process:
// the payload is handed to this process's subscribers after the commit.
//
// A listener that loses its connection reconnects, and then tells every
// subscriber "" (anything may have changed while it was away): a cache
// empties itself, a board reads its figures again.

// The channels. Payloads are short texts, each channel's own.
const (
	// CacheChannel carries the name of a cache to empty (CacheCalendar,
	// CacheUnits).
	CacheChannel = "sotay_cache"
	// ConferenceChannel (conferences.go) carries a conference id.
)

// The caches that CacheChannel names.
const (
	// CacheCalendar is the working-day calendar (task.Calendars).
	CacheCalendar = "calendar"
	// CacheUnits is what is kept of units' names (the issuers of
	// documents).
	CacheUnits = "units"
)

// listenChannels are the channels every listener LISTENs on.
var listenChannels = []string{ConferenceChannel, CacheChannel}

// hub is the subscribers of a DB's channels.
type hub struct {
	mu        sync.Mutex
	subs      map[string][]func(payload string)
	listening bool
	// Log receives the listener's reconnections (nil: discard).
	log *slog.Logger
}

func (h *hub) deliver(channel, payload string) {
	h.mu.Lock()
	fs := append([]func(string){}, h.subs[channel]...)
	h.mu.Unlock()
	for _, f := range fs {
		f(payload)
	}
}

func (h *hub) deliverAll(payload string) {
	for _, c := range listenChannels {
		h.deliver(c, payload)
	}
}

// Subscribe calls fn with the payload of every notification on channel
// that any process commits (this one's included), and with "" when
// notifications may have been missed. fn must not block for long: it runs
// on the listener's goroutine (on SQLite, on the writer's, after the
// commit). On PostgreSQL nothing is heard before Listen.
func (db *DB) Subscribe(channel string, fn func(payload string)) {
	db.hub.mu.Lock()
	defer db.hub.mu.Unlock()
	if db.hub.subs == nil {
		db.hub.subs = map[string][]func(string){}
	}
	db.hub.subs[channel] = append(db.hub.subs[channel], fn)
}

// Listen starts, on PostgreSQL, the one connection that LISTENs for this
// process until ctx ends; it reconnects after a failure. It reports
// whether notifications come from the database (false on SQLite, where
// tx.Notify delivers in process). A second call is a no-op.
func (db *DB) Listen(ctx context.Context, log *slog.Logger) bool {
	if db.dialect != postgresDialect {
		return false
	}
	db.hub.mu.Lock()
	if db.hub.listening {
		db.hub.mu.Unlock()
		return true
	}
	db.hub.listening, db.hub.log = true, log
	db.hub.mu.Unlock()
	go func() {
		defer func() {
			db.hub.mu.Lock()
			db.hub.listening = false
			db.hub.mu.Unlock()
		}()
		for first := true; ctx.Err() == nil; first = false {
			err := db.listenOnce(ctx, !first)
			if ctx.Err() != nil {
				return
			}
			if log != nil {
				log.Warn("store: the LISTEN connection failed; reconnecting", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
	}()
	return true
}

// listenOnce holds one connection, LISTENs on every channel and delivers
// until the connection fails or ctx ends. After a reconnection it first
// tells every subscriber "" (what was sent meanwhile is lost).
func (db *DB) listenOnce(ctx context.Context, again bool) error {
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		for _, ch := range listenChannels {
			if _, err := c.Exec(ctx, "LISTEN "+ch); err != nil {
				return err
			}
		}
		defer c.Exec(context.Background(), "UNLISTEN *")
		if again {
			db.hub.deliverAll("")
		}
		for {
			n, err := c.WaitForNotification(ctx)
			if err != nil {
				return err
			}
			db.hub.deliver(n.Channel, n.Payload)
		}
	})
}

// Notify tells every process, at commit, that something changed: on
// PostgreSQL pg_notify in the transaction (nothing is sent if it rolls
// back); on SQLite the payload is delivered in process after the commit.
func (tx *Tx) Notify(ctx context.Context, channel, payload string) error {
	if tx.db.dialect == postgresDialect {
		_, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, channel, payload)
		return err
	}
	tx.afterCommit = append(tx.afterCommit, func() { tx.db.hub.deliver(channel, payload) })
	return nil
}

// Notify tells every process that something changed, outside a write
// (after one committed): pg_notify on PostgreSQL, in process on SQLite.
func (db *DB) Notify(ctx context.Context, channel, payload string) error {
	if db.dialect == postgresDialect {
		_, err := db.write.ExecContext(ctx, `SELECT pg_notify($1, $2)`, channel, payload)
		return err
	}
	db.hub.deliver(channel, payload)
	return nil
}

// auditAndForget writes the audit entry of a change that a cache of every
// process keeps, and tells the processes to empty that cache at commit.
func (tx *Tx) auditAndForget(ctx context.Context, a auth.AuditEntry, cache string) error {
	if err := tx.Notify(ctx, CacheChannel, cache); err != nil {
		return err
	}
	return tx.audit(ctx, a)
}
