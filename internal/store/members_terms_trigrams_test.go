package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/member"
)

// TestSearchMembersRareTrigrams checks that the unified search asks
// SQLite's index of names for the rarest trigram of each word by the
// vocabulary, not for the words' phrases (r25-unified: the phrase "quyet"
// read the list of "uye", which every "nguyen" holds), and that the
// members are the plain statement's; without the keys, the phrases as
// before. PostgreSQL (the trigram index ANDs the words' patterns) gets the
// members' check only.
func TestSearchMembersRareTrigrams(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "cell HN.1.1")
		names := make([]string, 24)
		for i := range names {
			names[i] = fmt.Sprintf("Nguyễn Văn %c", 'A'+i)
			if i%8 == 7 { // three, late in name order
				names[i] = fmt.Sprintf("Nghiêm Quyết %c", 'A'+i)
			}
		}
		createFullMembers(ctx, t, db, u["HN.1.1"].ID, names...)
		search := func(text string) (items []member.Member, match string) {
			t.Helper()
			terms := doc.ParseQuery(text).Terms
			f := member.Filter{Path: u["HN.1"].Path, Query: strings.Join(terms, " "), Statuses: member.ActiveStatuses, Limit: 50}
			s, _, err := newNameSearch(db, f)
			if err != nil {
				t.Fatal(err)
			}
			ts := termsSearch{nameSearch: s, terms: terms}
			log := &statementLog{Querier: db.read}
			if items, err = ts.indexPage(ctx, log); err != nil {
				t.Fatal(err)
			}
			got := []doc.MemberHit{}
			for _, m := range items {
				got = append(got, doc.MemberHit{ID: m.ID, FullName: m.FullName, UnitName: m.UnitName})
			}
			if diff := cmp.Diff(plainMemberHits(t, db, []string{u["HN.1"].Path}, terms, 50), got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%q (-plain +search):\n%s", text, diff)
			}
			i := slices.IndexFunc(log.ran, func(q string) bool { return strings.Contains(q, "member_names MATCH") })
			if db.dialect != postgresDialect && i < 0 {
				t.Fatalf("%q: the index not read; ran:\n%s", text, strings.Join(log.ran, "\n"))
			}
			if i >= 0 {
				match, _ = log.args[i][len(log.args[i])-1].(string)
			}
			return items, match
		}
		// Without the keys (a small database): the phrases.
		if _, match := search("nghi quyet"); db.dialect != postgresDialect && match != `"nghi" AND "quyet"` {
			t.Errorf("without the keys: match %q, want the phrases", match)
		}
		if err := db.Write(ctx, func(tx *Tx) error { return tx.keepMemberKeys(ctx) }); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ q, match string }{
			// "uye" (24 names) left for "quy" (3), the first of the word's
			// rarest; "ngh" and "ghi" (3) the same: "ngh".
			{"nghi quyet", `"ngh" AND "quy"`},
			{"quyet nghi", `"quy" AND "ngh"`},
			// "van" (21) rarer than "ngu", "guy", "uye", "yen" (21 but the
			// first of them ranks first: "ngu").
			{"nguyen van", `"ngu" AND "van"`},
			{"xyz", `"xyz"`},
		} {
			items, match := search(c.q)
			if db.dialect != postgresDialect && match != c.match {
				t.Errorf("%q: match %q, want %q", c.q, match, c.match)
			}
			if c.q == "nghi quyet" && len(items) != 3 {
				t.Errorf("%q: %d members, want 3", c.q, len(items))
			}
		}
	})
}

// TestPickTrigrams checks the choice of the index's trigrams: the rarest
// of each word (the first of the rarest), rarest first, every one when
// the rarest has more than manyTrigramNames names, one the words share
// once, and one of more than trigramRatio times the names of the rarest
// left out.
func TestPickTrigrams(t *testing.T) {
	g := func(word int, text string, names int64) trigram { return trigram{word: word, text: text, names: names} }
	for _, c := range []struct {
		name  string
		grams []trigram
		want  string
	}{
		{"rarest of each, rarest first", []trigram{g(0, "ngh", 1402), g(0, "ghi", 1402), g(1, "quy", 9524), g(1, "uye", 208723), g(1, "yet", 6366)}, `"ngh" AND "yet"`},
		{"every trigram within the ratio when the rarest has many", []trigram{g(0, "ngh", 3402), g(0, "ghi", 3402), g(1, "quy", 9524), g(1, "uye", 208723), g(1, "yet", 6366)},
			`"ngh" AND "ghi" AND "yet" AND "quy"`},
		{"a common word kept", []trigram{g(0, "van", 111809), g(1, "quy", 9524), g(1, "yet", 6366)}, `"yet" AND "quy" AND "van"`},
		{"a word far commoner left out", []trigram{g(0, "xyz", 0), g(1, "ngu", 195064), g(1, "yen", 195000)}, `"xyz"`},
		{"at the ratio, kept", []trigram{g(0, "abc", 10), g(1, "def", 10*trigramRatio)}, `"abc" AND "def"`},
		{"over the ratio, left out", []trigram{g(0, "abc", 10), g(1, "def", 10*trigramRatio+1)}, `"abc"`},
		{"shared once", []trigram{g(0, "van", 5), g(1, "van", 5)}, `"van"`},
		{"a quote", []trigram{g(0, `a"b`, 0)}, `"a""b"`},
	} {
		if got := trigramsMatch(pickTrigrams(c.grams)); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// createFullMembers creates full members of unit with names, born
// 1980-05-01 and admitted 2005-03-01.
func createFullMembers(ctx context.Context, t *testing.T, db *DB, unit int64, names ...string) {
	t.Helper()
	for _, name := range names {
		m := &member.Member{UnitID: unit, FullName: name, Gender: member.Male, BirthDate: date.MustParse("1980-05-01"),
			AdmittedOn: date.MustParse("2005-03-01"), Status: member.StatusFull}
		member.Normalize(m)
		if err := (Members{db}).Create(ctx, m, m.AdmittedOn, auth.AuditEntry{Actor: system, Action: "member.create", ObjectType: "member"}); err != nil {
			t.Fatal(err)
		}
	}
}
