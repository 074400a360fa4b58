package store

import (
	"context"
	"slices"

	"github.com/sotay-vn/sotay/internal/member"
)

// A rare word with common ones ("van quyet" in the city: 1,270 names hold
// "quyet", 111,809 "van") had its page read through the index, which
// reads the common word's names too and then every match's row to sort
// them (537 for the city: 4.6-5.4 ms, r25-unified). The rare word's rows
// of member_keys are its members in the subtree with their sort keys;
// sorted, their names are checked for the other words chunk by chunk in
// name order, and the reading stops after the page: with common other
// words a chunk holds many matches (docs/benchmarks.md, r26-vanquyet).

// othersCommon reports whether the vocabulary says that every word of the
// query but w is common: more than Candidates rows in the whole tree
// (member_words.n). A word it does not answer (too short, too many keys)
// is not taken as common.
func (t termsSearch) othersCommon(w string, vocab map[string]wordKeys) bool {
	others := false
	for _, o := range t.terms {
		if o == w {
			continue
		}
		v, ok := vocab[o]
		if !ok || v.rows <= int64(t.lim.Candidates) {
			return false
		}
		others = true
	}
	return others
}

// chunkedPage reads the page from keys (the subtree's members of a rare
// word, in name order): their names checked for every word, a chunk of
// twice the page at a time, in name order, until the page and one more
// are found or the keys end (full is true then). After Checked names
// without the page (the other words were common in the tree, not with
// this one), full is false and nothing is returned: the index answers.
func (t termsSearch) chunkedPage(ctx context.Context, q Querier, keys []searchKey) (items []member.Member, full bool, err error) {
	want := t.f.Limit + 1
	for read := 0; read < len(keys); {
		if read >= t.lim.Checked {
			return nil, false, nil
		}
		end := min(len(keys), read+2*want, read+max(t.lim.Checked-read, 1))
		ids := make([]int64, 0, end-read)
		for _, k := range keys[read:end] {
			ids = append(ids, k.id)
		}
		chunk, err := queryAll(ctx, q, scanSearchRow, t.checkSQL(ids), t.likes()...)
		if err != nil {
			return nil, false, err
		}
		slices.SortFunc(chunk, byNameOrder)
		items, read = append(items, chunk...), end
		if len(items) >= want {
			return items[:want], true, nil
		}
	}
	return items, true, nil
}

// checkSQL reads the members of ids (by the primary key) whose names hold
// every word ($1…$n), in no order.
func (t termsSearch) checkSQL(ids []int64) string {
	return `SELECT ` + memberColumns + `, m.status FROM members m JOIN units u ON u.id = m.unit_id
		WHERE m.id IN ` + idList(ids) + ` AND ` + t.matchSQL("m.name_folded")
}
