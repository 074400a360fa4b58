package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// TestPickerFill: the search is trimmed and capped, the matches are cut at
// the limit (saying there are more), leave out the ones already chosen,
// and check the one selected; a search the finder refuses is said beside
// the box; any other failure is returned.
func TestPickerFill(t *testing.T) {
	units := func(n int) []pickChoice {
		var out []pickChoice
		for i := 1; i <= n; i++ {
			out = append(out, pickChoice{Field: "unit", ID: int64(i), Name: fmt.Sprintf("Chi bộ %d", i)})
		}
		return out
	}
	ids := func(cs []pickChoice) (out []string) {
		for _, c := range cs {
			mark := ""
			if c.Checked {
				mark = "*"
			}
			out = append(out, fmt.Sprintf("%d%s", c.ID, mark))
		}
		return out
	}
	boom := errors.New("database down")
	for _, tt := range []struct {
		name         string
		q            string
		found        []pickChoice
		err          error
		chosen       []pickChoice
		selected     []int64
		limit        int
		wantQ        string
		wantAsked    int
		wantMatches  []string
		wantMore     bool
		wantSearched bool
		wantQError   string
		wantErr      error
	}{
		{name: "no search offers the first ones", found: units(3), limit: 5, wantAsked: 6, wantMatches: []string{"1", "2", "3"}},
		{name: "cut at the limit", q: "  chi bo ", found: units(4), limit: 3, wantQ: "chi bo", wantAsked: 4,
			wantMatches: []string{"1", "2", "3"}, wantMore: true, wantSearched: true},
		{name: "the chosen ones are not offered again", q: "chi", found: units(3), chosen: units(2)[1:], limit: 5, wantQ: "chi",
			wantAsked: 6, wantMatches: []string{"1", "3"}, wantSearched: true},
		{name: "a member with a unit's id is another choice", q: "chi", found: units(1),
			chosen: []pickChoice{{Field: "member", ID: 1}}, limit: 5, wantQ: "chi", wantAsked: 6, wantMatches: []string{"1"}, wantSearched: true},
		{name: "the selected one is checked", q: "chi", found: units(3), selected: []int64{2}, limit: 5, wantQ: "chi", wantAsked: 6,
			wantMatches: []string{"1", "2*", "3"}, wantSearched: true},
		{name: "a long search is capped", q: strings.Repeat("a", 300), limit: 5, wantQ: strings.Repeat("a", pickerMaxQ), wantAsked: 6, wantSearched: true},
		{name: "a refused search is said beside the box", q: "x", limit: 5, wantQ: "x", wantAsked: 6, wantSearched: true,
			err: apperr.InvalidField("q", "org.q_short", "type at least %d letters", 2), wantQError: "type at least 2 letters"},
		{name: "another failure is returned", q: "x", limit: 5, wantQ: "x", wantAsked: 6, wantSearched: true, err: boom, wantErr: boom},
	} {
		t.Run(tt.name, func(t *testing.T) {
			asked := 0
			var askedQ string
			p, err := picker{Chosen: tt.chosen}.fill(tt.q, tt.limit, tt.selected, func(q string, limit int) ([]pickChoice, error) {
				asked, askedQ = limit, q
				return tt.found, tt.err
			})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if asked != tt.wantAsked || askedQ != tt.wantQ || p.Q != tt.wantQ {
				t.Errorf("asked %q for %d, shows %q; want %q for %d", askedQ, asked, p.Q, tt.wantQ, tt.wantAsked)
			}
			if diff := cmp.Diff(tt.wantMatches, ids(p.Matches)); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
			if p.More != tt.wantMore || p.Searched != tt.wantSearched || p.QError != tt.wantQError {
				t.Errorf("more %v searched %v qerror %q; want %v %v %q", p.More, p.Searched, p.QError, tt.wantMore, tt.wantSearched, tt.wantQError)
			}
		})
	}
}
