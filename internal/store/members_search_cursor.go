package store

import (
	"encoding/binary"
	"hash/fnv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/member"
)

// A name search's next page carries the first page's total in its cursor
// (r24-names, issue 17; docs/api.md "Members"): in a subtree of at most
// Exact members a next page counted again by reading the subtree's names
// up to Bound+1 matches, all 9,700 of the demo district for a word of
// fewer than 1,000 ("le", "hoa": 1.4 ms of PostgreSQL's CPU of the 5–7 ms
// a next page cost). The cursor then says, before the position that
// encodeCursor writes, the total, whether it is "at least", and a sum of
// the search (subtree, folded query, statuses) so that a cursor taken to
// another search counts again instead of showing the first one's total.
// A cursor without them (a plain list's, an older one) counts as before.

// carriedMark starts a cursor that carries a total: encodeCursor's first
// varint is a member id, never negative.
const carriedMark = -1

// carriedTotal is the first page's total that a search cursor carries,
// with the sum of the search that wrote it.
type carriedTotal struct {
	total   int
	atLeast bool
	sum     uint32
}

// searchSum is the sum of a search's subtree, folded query and statuses:
// a carried total is used only by the search that wrote it.
func searchSum(f member.Filter) uint32 {
	h := fnv.New32a()
	h.Write([]byte(f.Path + "\x00" + f.Query + "\x00"))
	for _, st := range f.Statuses {
		h.Write([]byte(string(st) + ","))
	}
	return h.Sum32()
}

// encodeSearchCursor writes encodeCursor's position after the total c.
func encodeSearchCursor(key []byte, id int64, c carriedTotal) string {
	b := binary.AppendVarint(nil, carriedMark)
	n := uint64(c.total) << 1
	if c.atLeast {
		n |= 1
	}
	b = binary.AppendUvarint(b, n)
	b = binary.BigEndian.AppendUint32(b, c.sum)
	b = binary.AppendVarint(b, id)
	return sealCursor(append(b, key...))
}

// decodeMemberCursor reads a cursor of the members' name order: what
// encodeCursor or encodeSearchCursor wrote (carried is nil for the
// first), apperr.BadCursor otherwise.
func decodeMemberCursor(s string) (key []byte, id int64, carried *carriedTotal, err error) {
	b, ok := openCursor(s)
	if !ok {
		return nil, 0, nil, apperr.BadCursor()
	}
	if mark, n := binary.Varint(b); n > 0 && mark == carriedMark {
		b = b[n:]
		t, n := binary.Uvarint(b)
		if n <= 0 || len(b) < n+4 || t>>1 > 1<<31 {
			return nil, 0, nil, apperr.BadCursor()
		}
		carried = &carriedTotal{total: int(t >> 1), atLeast: t&1 == 1, sum: binary.BigEndian.Uint32(b[n:])}
		b = b[n+4:]
	}
	id, n := binary.Varint(b)
	if n <= 0 || id <= 0 {
		return nil, 0, nil, apperr.BadCursor()
	}
	return b[n:], id, carried, nil
}
