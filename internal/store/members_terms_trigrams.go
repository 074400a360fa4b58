package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// SQLite's index of names, member_names (FTS5, trigram tokenizer), reads
// each trigram's whole list of names: the phrase "quyet" reads "uye",
// which 208,723 of the city's 500,000 names hold (every "nguyen"), and
// costs 2.8-3.0 ms of CPU for its 1,270 matches, where the list of "yet"
// (6,366 names) costs 0.46 ms. So the unified search asks the index for
// the rarest trigram of each word instead of the words' phrases, rarest
// first: a superset of the phrases' names (a name that holds a word holds
// each of its trigrams), every candidate checked with every word's LIKE
// as before. "nghi quyet" in the city: '"ngh" AND "yet"', 16 candidates,
// 0.55 ms, against 3.2-3.9 ms for '"nghi" AND "quyet"' (docs/benchmarks.md,
// r25-unified). A word's trigram is left out when it has more than
// trigramRatio times the names of the rarest: a list entry costs about
// 0.05 µs, a candidate read and checked about 3 µs. A trigram's names are
// guessed from the vocabulary (member_words: each word's rows when the
// keys were written, a hint: a word written since counts 0): the sum over
// the words that hold it. Without the keys (a database of at most 10,000
// members, whose lists are short) the words' phrases are asked, as before.

// trigramRatio: a word's rarest trigram with more than this many times the
// names of the rarest of all is left out of the index's query: reading
// its list costs more than checking the candidates it would rule out
// ("xyz nguyen": the 195,000 names of "yen" for none). With fewer it is
// kept: "van quyet" in the city, '"yet"' alone read 6,366 candidates,
// 20.4 ms; '"yet" AND "van"' (111,809 names, 18 times) 1,598, 4.1 ms.
const trigramRatio = 30

// manyTrigramNames: when the rarest trigram has more names than this, the
// words' other trigrams (within trigramRatio) are asked too: the words'
// rarest alone may leave thousands of candidates, which their other
// trigrams rule out for less ("van quyet" in the city: '"yet" AND "van"',
// 1,598 candidates for 537 names, 4.1-8.2 ms; with "quy", 537 and 3.1 ms;
// "nghi quyet", whose rarest leave 16, costs 1.1 ms with them, 0.55
// without). The name search's bound of an index's candidates.
const manyTrigramNames = 2000

// trigram is a trigram of one of the query's words and its names by the
// vocabulary.
type trigram struct {
	word  int // the index of the word in the query's words
	text  string
	names int64
}

// indexMatch is the FTS5 query of the index (SQLite): the phrases of the
// words of three characters or more, or, when the keys are kept, their
// rarest trigrams (pickTrigrams).
func (t termsSearch) indexMatch(ctx context.Context, q Querier) (string, error) {
	grams := t.trigrams()
	if t.db.dialect == postgresDialect || len(grams) == 0 {
		return t.phrases(), nil
	}
	on := false
	i := 0
	err := queryEach(ctx, q, func(rows *sql.Rows) error {
		var names sql.NullInt64
		if err := rows.Scan(&names, &on); err != nil {
			return err
		}
		grams[i].names = names.Int64
		i++
		return nil
	}, trigramsSQL(len(grams)), trigramPatterns(grams)...)
	if err != nil {
		return "", fmt.Errorf("count trigrams: %w", err)
	}
	if !on || i != len(grams) {
		return t.phrases(), nil
	}
	return trigramsMatch(pickTrigrams(grams)), nil
}

// phrases is the FTS5 query of every word of three characters or more,
// each a phrase.
func (t termsSearch) phrases() string {
	words := t.indexTerms()
	for i, w := range words {
		words[i] = ftsString(w)
	}
	return strings.Join(words, " AND ")
}

// trigrams are the trigrams of the words of three characters or more, in
// order, each once per word.
func (t termsSearch) trigrams() []trigram {
	var out []trigram
	for i, w := range t.terms {
		r := []rune(w)
		for j := 0; j+3 <= len(r); j++ {
			g := trigram{word: i, text: string(r[j : j+3])}
			if !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	return out
}

// trigramsSQL reads, for each of n trigrams ($1…$n, LIKE patterns), the
// names of the vocabulary's words that hold it (NULL: none), in order,
// and whether the keys are kept (member_words is written then only).
func trigramsSQL(n int) string {
	rows := make([]string, n)
	for i := range rows {
		rows[i] = `(` + strconv.Itoa(i) + `, CAST($` + strconv.Itoa(i+1) + ` AS TEXT))`
	}
	return `WITH t(i, pattern) AS (VALUES ` + strings.Join(rows, ", ") + `)
		SELECT (SELECT SUM(w.n) FROM member_words w WHERE w.word LIKE t.pattern ESCAPE '\'), EXISTS (SELECT 1 FROM member_keys_on)
		FROM t ORDER BY t.i`
}

// trigramPatterns are the LIKE patterns of trigramsSQL.
func trigramPatterns(grams []trigram) []any {
	out := make([]any, len(grams))
	for i, g := range grams {
		out[i] = "%" + escapeLike(g.text) + "%"
	}
	return out
}

// pickTrigrams picks the rarest trigram of each word (the first of the
// rarest) and, when the rarest of all has more than manyTrigramNames
// names, every other trigram too, rarest first, leaving out those of more
// than trigramRatio times the names of the rarest of all.
func pickTrigrams(grams []trigram) []trigram {
	sorted := slices.Clone(grams)
	slices.SortStableFunc(sorted, func(a, b trigram) int { return cmp.Compare(a.names, b.names) })
	rarest := sorted[0].names
	var keep []trigram
	add := func(g trigram) {
		if g.names <= trigramRatio*rarest && !slices.ContainsFunc(keep, func(k trigram) bool { return k.text == g.text }) {
			keep = append(keep, g)
		}
	}
	words := map[int]bool{}
	for _, g := range sorted { // a word's first here is its rarest
		if !words[g.word] {
			words[g.word] = true
			add(g)
		}
	}
	if rarest > manyTrigramNames {
		for _, g := range sorted {
			add(g)
		}
	}
	slices.SortStableFunc(keep, func(a, b trigram) int { return cmp.Compare(a.names, b.names) })
	return keep
}

// trigramsMatch is the FTS5 query of the trigrams: each a string, ANDed.
func trigramsMatch(grams []trigram) string {
	parts := make([]string, len(grams))
	for i, g := range grams {
		parts[i] = ftsString(g.text)
	}
	return strings.Join(parts, " AND ")
}

// ftsString is s as an FTS5 string (a phrase of its trigrams).
func ftsString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
