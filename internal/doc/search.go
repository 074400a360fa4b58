package doc

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/viet"
)

// SearchText returns the form of s that the full-text index holds and that
// queries are matched against: folded (lower case, no diacritics, đ → d)
// with every character other than an ASCII letter or digit turned into a
// space, and spaces collapsed. Both engines then split it into the same
// words (SQLite FTS5's unicode61 tokenizer and PostgreSQL's 'simple'
// configuration agree on runs of [a-z0-9]), so that a query finds the same
// documents on both.
func SearchText(s string) string {
	f := viet.Fold(s)
	b := make([]byte, 0, len(f))
	space := true
	for i := 0; i < len(f); i++ {
		c := f[i]
		if ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') {
			b = append(b, c)
			space = false
			continue
		}
		if !space {
			b = append(b, ' ')
			space = true
		}
	}
	return strings.TrimRight(string(b), " ")
}

// Query is a parsed search: words that must all occur (the last one may be
// a prefix of a word), and numbers and symbols that must occur as phrases.
type Query struct {
	Terms []string
	// Prefix: the last term matches any word it begins ("cuon" finds "cương").
	Prefix bool
	// Numbers holds, for each number and symbol in the query, the phrases
	// that match it: "24 ct tu", and for a number below 10 also "01 qd tw".
	Numbers [][]string
	// Parsed are the numbers as parsed, for scoring an exact match.
	Parsed []Number
}

// Empty reports whether the query can match nothing.
func (q Query) Empty() bool { return len(q.Terms) == 0 && len(q.Numbers) == 0 }

// maxTerms bounds the words of a query.
const maxTerms = 12

// ParseQuery reads what someone typed into the search box. A number and
// symbol typed loosely ("24/ct-tu", "so 24 CT TU", "4529-QD/TU") is read by
// ParseNumber and searched as a phrase; other words are folded.
func ParseQuery(s string) Query {
	var q Query
	s = viet.NFC(s)
	for len(s) > 400 {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	if n, err := ParseNumber(s); err == nil {
		q.addNumber(n)
		return q
	}
	fields := strings.Fields(s)
	var rest []string
	lastIsWord := false // the query ends in a word being typed
	for i := 0; i < len(fields); i++ {
		lastIsWord = false
		w := fields[i]
		if looksLikeNumber(w) {
			if n, err := ParseNumber(w); err == nil {
				q.addNumber(n)
				continue
			}
		}
		// "24 CT TU" written as three words.
		if i+2 < len(fields) && isDigits(fields[i]) {
			if n, err := ParseNumber(strings.Join(fields[i:i+3], " ")); err == nil {
				q.addNumber(n)
				i += 2
				continue
			}
		}
		rest = append(rest, w)
		lastIsWord = true
	}
	text := SearchText(strings.Join(rest, " "))
	if text != "" {
		q.Terms = strings.Split(text, " ")
		if len(q.Terms) > maxTerms {
			q.Terms = q.Terms[:maxTerms]
		}
		// A query still being typed: its last word may be unfinished.
		r, _ := utf8.DecodeLastRuneInString(s)
		q.Prefix = lastIsWord && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) && len(q.Terms[len(q.Terms)-1]) >= 2
	}
	return q
}

func (q *Query) addNumber(n Number) {
	if len(q.Numbers) >= 3 {
		return
	}
	phrases := []string{n.SearchForm()}
	if n.Seq < 10 {
		phrases = append(phrases, "0"+n.SearchForm())
	}
	q.Numbers = append(q.Numbers, phrases)
	q.Parsed = append(q.Parsed, n)
}

func looksLikeNumber(w string) bool {
	digit, letter := false, false
	for _, r := range w {
		switch {
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsLetter(r):
			letter = true
		}
	}
	return digit && letter
}

func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// word is one word of a text with its byte span and its search form.
type word struct {
	start, end int
	form       string
}

// words splits s into words (runs of letters, marks and digits).
func words(s string) []word {
	var out []word
	start := -1
	for i, r := range s {
		in := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, word{start, i, SearchText(s[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{start, len(s), SearchText(s[start:])})
	}
	return out
}

// matches marks the words of ws that the query matches.
func (q Query) matches(ws []word) []bool {
	hit := make([]bool, len(ws))
	for i, w := range ws {
		for j, t := range q.Terms {
			if w.form == t || (q.Prefix && j == len(q.Terms)-1 && strings.HasPrefix(w.form, t)) {
				hit[i] = true
			}
		}
	}
	for _, alts := range q.Numbers {
		for _, p := range alts {
			ph := strings.Split(p, " ")
			for i := 0; i+len(ph) <= len(ws); i++ {
				ok := true
				for k := range ph {
					if ws[i+k].form != ph[k] {
						ok = false
						break
					}
				}
				if ok {
					for k := range ph {
						hit[i+k] = true
					}
				}
			}
		}
	}
	return hit
}

// Highlight marks the words of s that the query matches with « and ».
func (q Query) Highlight(s string) string {
	ws := words(s)
	return q.mark(s, ws, q.matches(ws), 0, len(s))
}

func (q Query) mark(s string, ws []word, hit []bool, from, to int) string {
	var b strings.Builder
	pos := from
	for i, w := range ws {
		if !hit[i] || w.start < from || w.end > to {
			continue
		}
		b.WriteString(s[pos:w.start])
		b.WriteString("«")
		b.WriteString(s[w.start:w.end])
		b.WriteString("»")
		pos = w.end
	}
	b.WriteString(s[pos:to])
	return b.String()
}

// Snippet returns a short passage of the first text in which the query
// matches, with the matched words between « and » (the search answer's
// highlight marks; they are plain characters, safe in HTML and JSON). With
// no match it returns the start of the first non-empty text.
func (q Query) Snippet(texts ...string) string {
	const before, span = 8, 30
	for _, s := range texts {
		ws := words(s)
		hit := q.matches(ws)
		first := -1
		for i, h := range hit {
			if h {
				first = i
				break
			}
		}
		if first < 0 {
			continue
		}
		lo := max(0, first-before)
		hi := min(len(ws), lo+span)
		from, to := ws[lo].start, ws[hi-1].end
		out := q.mark(s, ws, hit, from, to)
		out = strings.Join(strings.Fields(out), " ")
		if lo > 0 {
			out = "…" + out
		}
		if hi < len(ws) {
			out += "…"
		}
		return out
	}
	for _, s := range texts {
		ws := words(s)
		if len(ws) == 0 {
			continue
		}
		hi := min(len(ws), span)
		out := strings.Join(strings.Fields(s[:ws[hi-1].end]), " ")
		if hi < len(ws) {
			out += "…"
		}
		return out
	}
	return ""
}

// Field weights for scoring: the title and the number weigh most.
const (
	weightTitle   = 3
	weightSummary = 2
	weightBody    = 1
)

// Score ranks a document for a query by where the query's words occur: in
// the title or number (3), the summary (2) or only the body (1); a number
// and symbol that is the document's own number counts double. The score
// is computed the same way on both engines, so the ranking of one result
// set is the same on both.
func (q Query) Score(title string, number *Number, summary, body string) float64 {
	if q.Empty() {
		return 0
	}
	fields := []struct {
		ws     []word
		weight float64
	}{{words(title), weightTitle}, {words(summary), weightSummary}, {words(body), weightBody}}
	total := 0.0
	for j, t := range q.Terms {
		best := 0.0
		if number != nil && strings.Contains(" "+number.SearchForm()+" ", " "+t+" ") {
			best = weightTitle
		}
		for _, f := range fields {
			if f.weight <= best {
				continue
			}
			for _, w := range f.ws {
				if w.form == t || (q.Prefix && j == len(q.Terms)-1 && strings.HasPrefix(w.form, t)) {
					best = f.weight
					break
				}
			}
		}
		total += best
	}
	for i, alts := range q.Numbers {
		best := 0.0
		if number != nil && *number == q.Parsed[i] {
			best = 2 * weightTitle
		}
		for _, f := range fields {
			if f.weight <= best {
				continue
			}
			sub := Query{Numbers: [][]string{alts}}
			for _, h := range sub.matches(f.ws) {
				if h {
					best = f.weight
					break
				}
			}
		}
		total += best
	}
	s := total / float64(len(q.Terms)+len(q.Numbers))
	// Round so that float noise cannot reorder equal scores.
	r, _ := strconv.ParseFloat(strconv.FormatFloat(s, 'f', 4, 64), 64)
	return r
}

// ScoreName ranks a person's name: a query word equal to a word of the
// name counts 3, the beginning of a word 2, anywhere else 1.
func (q Query) ScoreName(name string) float64 {
	if len(q.Terms) == 0 {
		return 0
	}
	ws := words(name)
	total := 0.0
	for _, t := range q.Terms {
		best := 0.0
		for _, w := range ws {
			switch {
			case w.form == t:
				best = max(best, 3)
			case strings.HasPrefix(w.form, t):
				best = max(best, 2)
			case strings.Contains(w.form, t):
				best = max(best, 1)
			}
		}
		total += best
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(total/float64(len(q.Terms)), 'f', 4, 64), 64)
	return r
}

// Hit is one item of a search answer.
type Hit struct {
	Kind    string  `json:"kind"` // "document", "news" or "member"
	ID      int64   `json:"id"`
	Title   string  `json:"title"`
	Number  string  `json:"number,omitempty"`
	Snippet string  `json:"snippet"`
	Score   float64 `json:"score"`
	// sortKey (the issue date) orders equal scores, newest first.
	sortKey string
}

// SortHits orders hits by score, then newest, then kind and id, so that
// the order does not depend on the engine that found them.
func SortHits(hs []Hit) {
	sort.SliceStable(hs, func(i, j int) bool {
		a, b := hs[i], hs[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.sortKey != b.sortKey {
			return a.sortKey > b.sortKey
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.ID > b.ID
	})
}
