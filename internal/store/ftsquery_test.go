package store

import (
	"testing"

	"github.com/sotay-vn/sotay/internal/doc"
)

// TestFTSQueries: the words and the numbers' phrases of a search in
// SQLite FTS5's syntax and in PostgreSQL's to_tsquery('simple', …).
func TestFTSQueries(t *testing.T) {
	tests := []struct {
		name     string
		q        doc.Query
		fts5, ts string
	}{
		{"words", doc.Query{Terms: []string{"nghi", "quyet"}}, `"nghi" AND "quyet"`, `'nghi' & 'quyet'`},
		{"a prefix", doc.Query{Terms: []string{"nghi", "quy"}, Prefix: true}, `"nghi" AND "quy"*`, `'nghi' & 'quy':*`},
		{"a number", doc.Query{Terms: []string{"chi"}, Numbers: [][]string{{"24 ct tu", "24"}}},
			`"chi" AND ("24 ct tu" OR "24")`, `'chi' & ('24' <-> 'ct' <-> 'tu' | '24')`},
		{"two numbers, no word", doc.Query{Prefix: true, Numbers: [][]string{{"1 qd tw", "01 qd tw"}, {"7"}}},
			`("1 qd tw" OR "01 qd tw") AND ("7")`, `('1' <-> 'qd' <-> 'tw' | '01' <-> 'qd' <-> 'tw') & ('7')`},
	}
	for _, tt := range tests {
		if got := fts5Query(tt.q); got != tt.fts5 {
			t.Errorf("%s: fts5Query got %s, want %s", tt.name, got, tt.fts5)
		}
		if got := tsQuery(tt.q); got != tt.ts {
			t.Errorf("%s: tsQuery got %s, want %s", tt.name, got, tt.ts)
		}
	}
}
