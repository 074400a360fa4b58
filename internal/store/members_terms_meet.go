package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/member"
)

// A word rare in the tree with words common in it ("van quyet" in the
// city: 1,270 names hold "quyet", 111,809 "van") had its page read through
// the trigram index, which reads the common word's names too and then
// every match's row to sort them (537 in the city: 4.6-5.4 ms,
// r25-unified). Walking the rare word's members in name order and checking
// their names until the page does not help: "van" is a middle name, which
// sorts after the given name, so the matches are the last 537 of the 1,270
// (r26-vanquyet). Instead the rare word's rows of member_keys (key, path,
// member_id: its members in the subtree, with their sort keys) are kept
// when each other word has a row of the same member (a probe of the same
// index, key, path and member_id, its rows read from the index alone), in
// name order, and the reading stops after the page: no member's row but
// the page's is read. A name holds a word exactly when one of its words
// does (the words have no space), which the vocabulary's keys list.
//
// SQLite only: on PostgreSQL each probe of member_keys costs 2-5 µs (a
// descent of a 10 M-row b-tree of long keys, its buffers pinned), and the
// 1,261 probes of "van quyet" cost more than pg_trgm's bitmap AND of the
// two words' trigrams (the meet 5.8-8.1 ms of CPU against 4.9-6.8 for the
// index, alternated rounds); in SQLite's process a probe is cheap and the
// meet halves the FTS5 query's cost (docs/benchmarks.md, r26-vanquyet).

// othersCommon reports whether the vocabulary says that every word of the
// query but w is common (more than MeetCommon rows in the whole tree, and
// more than Candidates): a word it does not answer (too short, too many
// keys) is not taken as common.
func (t termsSearch) othersCommon(w string, vocab map[string]wordKeys) bool {
	others := false
	for _, o := range t.terms {
		if o == w {
			continue
		}
		v, ok := vocab[o]
		if !ok || v.rows <= int64(max(t.lim.MeetCommon, t.lim.Candidates)) {
			return false
		}
		others = true
	}
	return others
}

// meetPage reads the page of the members of the subtree whose rows of
// member_keys hold w's keys and every other word's (vocab), in name order.
// A member two of whose words hold w has two rows (next to each other in
// name order): when they leave less than the page, more rows are read.
func (t termsSearch) meetPage(ctx context.Context, q Querier, w string, vocab map[string]wordKeys) ([]member.Member, error) {
	want := t.f.Limit + 1
	for limit := want; ; limit *= 2 {
		keys := []searchKey{}
		err := queryEach(ctx, q, func(rows *sql.Rows) error {
			var k searchKey
			err := rows.Scan(&k.key, &k.id)
			keys = append(keys, k)
			return err
		}, t.meetSQL(w, vocab, limit))
		if err != nil {
			return nil, err
		}
		read := len(keys)
		keys = slices.CompactFunc(keys, func(a, b searchKey) bool { return a.id == b.id })
		if read < limit || len(keys) >= want {
			return t.pageOf(ctx, q, keys)
		}
	}
}

// meetSQL reads the first limit rows, in name order, of the subtree's rows
// of w's keys that each other word's keys meet (the same path and member),
// values written in. No DISTINCT: PostgreSQL would sort every row met
// instead of keeping the first limit (a top-N sort).
func (t termsSearch) meetSQL(w string, vocab map[string]wordKeys, limit int) string {
	in := func(keys []string) string {
		quoted := make([]string, len(keys))
		for i, k := range keys {
			quoted[i] = quoteSQL(k)
		}
		return `(` + strings.Join(quoted, ", ") + `)`
	}
	var meets []string
	for _, o := range t.terms {
		if o != w {
			meets = append(meets, ` AND EXISTS (SELECT 1 FROM member_keys k WHERE k.key IN `+in(vocab[o].keys)+` AND k.path = c.path AND k.member_id = c.member_id)`)
		}
	}
	return `SELECT c.sort_key, c.member_id FROM member_keys c WHERE c.key IN ` + in(vocab[w].keys) +
		` AND c.path >= ` + quoteSQL(t.f.Path) + ` AND c.path < ` + quoteSQL(prefixEnd(t.f.Path)) + t.statusIn +
		strings.Join(meets, "") + ` ORDER BY c.sort_key, c.member_id LIMIT ` + strconv.Itoa(limit)
}
