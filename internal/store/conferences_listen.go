package store

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// ListenConferences delivers, until ctx ends, the id of every conference
// whose check-ins any process committed (NOTIFY sotay_conference, sent by
// RecordCheckins in the same transaction). It holds one connection of the
// pool and reconnects after a failure; on SQLite (one process) it returns
// false at once and the caller publishes in process.
func (db *DB) ListenConferences(ctx context.Context, deliver func(confID int64)) bool {
	if db.dialect != postgresDialect {
		return false
	}
	go func() {
		for ctx.Err() == nil {
			err := db.listenOnce(ctx, deliver)
			if ctx.Err() != nil {
				return
			}
			_ = err
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
	}()
	return true
}

func (db *DB) listenOnce(ctx context.Context, deliver func(int64)) error {
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		if _, err := c.Exec(ctx, "LISTEN "+ConferenceChannel); err != nil {
			return err
		}
		defer c.Exec(context.Background(), "UNLISTEN "+ConferenceChannel)
		for {
			n, err := c.WaitForNotification(ctx)
			if err != nil {
				return err
			}
			if id, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
				deliver(id)
			}
		}
	})
}
