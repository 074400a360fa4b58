// Package readroute says, in a context, where a read may go when the
// database has a streaming replica (sotay serve --db-replica): the heavy
// reads (reports, roll-ups, search, exports) go to the replica unless the
// context asks for the primary, which the web server does for a write
// request and for a session that wrote a moment ago (so a user reads their
// own writes). The store decides which of its reads are heavy; the web
// middleware and the services only mark contexts. Without a replica the
// marks change nothing.
package readroute

import "context"

type key int

const (
	primaryKey key = iota
	bulkKey
)

// Primary marks ctx: every read goes to the primary.
func Primary(ctx context.Context) context.Context {
	return context.WithValue(ctx, primaryKey, true)
}

// WantsPrimary reports whether ctx was marked with Primary.
func WantsPrimary(ctx context.Context) bool {
	v, _ := ctx.Value(primaryKey).(bool)
	return v
}

// Bulk marks ctx as the reads of a long job over many pages (an export):
// the store sends its list reads to the replica too, unless ctx also wants
// the primary.
func Bulk(ctx context.Context) context.Context {
	return context.WithValue(ctx, bulkKey, true)
}

// IsBulk reports whether ctx was marked with Bulk.
func IsBulk(ctx context.Context) bool {
	v, _ := ctx.Value(bulkKey).(bool)
	return v
}
