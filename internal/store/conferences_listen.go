package store

import (
	"context"
	"strconv"
)

// ListenConferences delivers the id of every conference whose check-ins
// any process committed (NOTIFY sotay_conference, sent by RecordCheckins
// in the same transaction, or by NotifyConference), and 0 when
// notifications may have been missed (every board should read again). It
// starts the process's listener (Listen) until ctx ends; on SQLite (one
// process) it returns false and the caller publishes in process.
func (db *DB) ListenConferences(ctx context.Context, deliver func(confID int64)) bool {
	if db.dialect != postgresDialect {
		return false
	}
	db.Subscribe(ConferenceChannel, func(p string) {
		if p == "" {
			deliver(0)
			return
		}
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			deliver(id)
		}
	})
	return db.Listen(ctx, nil)
}

// NotifyConference tells every process that a conference's board changed
// (after the write committed).
func (db *DB) NotifyConference(ctx context.Context, confID int64) error {
	return db.Notify(ctx, ConferenceChannel, strconv.FormatInt(confID, 10))
}
