package store

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/readroute"
)

// TestSessionWrote: a session's write is remembered in its row (where the
// primary's log stood) until the window ends, and comes back with the
// session; a heavy read of that session goes to the replica only once the
// replica has replayed that far. Here the "replica" is the primary's own
// pool, which replays nothing (pg_last_wal_replay_lsn() is NULL on a
// primary), so the read stays on the primary; a session that did not
// write goes to the replica. Without a replica (SQLite) nothing is
// remembered. TestReadReplica (internal/cli) runs it with a real replica.
func TestSessionWrote(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newNotifyWorld(t, db)
		for _, h := range []string{"hash-wrote", "hash-idle"} {
			if err := (Accounts{db}).CreateSession(ctx, h, w.actor["an"].AccountID, w.now, "127.0.0.1", "test"); err != nil {
				t.Fatal(err)
			}
		}
		pg := db.dialect == postgresDialect
		if pg {
			// Not a standby, but a second pool on the same database that
			// heavy() may choose.
			var name string
			if err := db.read.QueryRowContext(ctx, `SELECT current_database()`).Scan(&name); err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(os.Getenv("SOTAY_TEST_POSTGRES"))
			if err != nil || u.Host == "" {
				t.Skip("needs SOTAY_TEST_POSTGRES")
			}
			u.Path = "/" + name
			replica, err := sql.Open("pgx", u.String())
			if err != nil {
				t.Fatal(err)
			}
			db.replica = replica
			t.Cleanup(func() { replica.Close(); db.replica = nil })
		}
		if err := db.MarkSessionWrote(ctx, "hash-wrote", w.now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			hash string
			at   time.Duration
			want bool
		}{
			{"hash-wrote", time.Second, pg},
			{"hash-wrote", 2 * time.Minute, false}, // the window is over
			{"hash-idle", time.Second, false},
		} {
			a, err := Accounts{db}.SessionActor(ctx, tc.hash, w.now.Add(tc.at))
			if err != nil {
				t.Fatal(err)
			}
			if got := a.WroteAt != ""; got != tc.want {
				t.Errorf("%s at +%s: WroteAt %q, want one: %v", tc.hash, tc.at, a.WroteAt, tc.want)
			}
			if !pg {
				continue
			}
			if got, want := db.heavy(readroute.After(ctx, a.WroteAt)) == db.replica, !tc.want; got != want {
				t.Errorf("%s at +%s: the heavy read goes to the replica: %v, want %v", tc.hash, tc.at, got, want)
			}
		}
	})
}
