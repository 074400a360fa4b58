package meeting

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Bounds on what one request may hold.
const (
	MaxAgenda       = 100    // agenda items
	MaxItemDocs     = 20     // documents per agenda item
	MaxTopics       = 20     // topics of a guidance
	MaxGuidanceDocs = 50     // documents of a guidance
	MaxLine         = 300    // a title, place, topic, name
	MaxNotes        = 20000  // the notes of one agenda item, a guidance's note
	MaxMinutes      = 100000 // minutes, conclusions, resolution, an amendment
	MaxReason       = 500    // an excuse, an amendment's reason
	MaxRoll         = 1000   // lines of one attendance request
	MaxVote         = 100000 // one count of the vote
	// MaxLength of a meeting: a day.
	MaxLength = 24 * time.Hour
)

// check collects field errors.
type check struct{ errs []apperr.FieldError }

func (c *check) add(field, key, format string, args ...any) {
	c.errs = append(c.errs, apperr.FieldKeyed(field, key, format, args...))
}

func (c *check) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	e := apperr.Keyed(apperr.Invalid, c.errs[0].Key, "%s", c.errs[0].Message).With(c.errs...)
	e.Args = c.errs[0].Args // the first field's message is the summary
	return e
}

// line cleans and checks single-line text.
func (c *check) line(field string, s *string, maxLen int, required bool) {
	*s = viet.Clean(*s)
	c.text(field, *s, maxLen, required, viet.CheckLine)
}

// block cleans and checks multi-line text.
func (c *check) block(field string, s *string, maxLen int, required bool) {
	*s = strings.TrimSpace(viet.NFC(*s))
	c.text(field, *s, maxLen, required, viet.CheckText)
}

func (c *check) text(field, s string, maxLen int, required bool, chk func(string) error) {
	switch {
	case s == "" && required:
		c.add(field, "meeting.required", "required")
	case utf8.RuneCountInString(s) > maxLen:
		c.add(field, "meeting.too_long", "at most %d characters", maxLen)
	default:
		if err := chk(s); err != nil {
			c.add(field, "meeting.bad_text", "%s", err.Error())
		}
	}
}

func (c *check) instant(field string, t time.Time) {
	if y := t.In(time.UTC).Year(); y < viet.MinYear || y > viet.MaxYear {
		c.add(field, "meeting.year_range", "a year from %d to %d", viet.MinYear, viet.MaxYear)
	}
}

func (c *check) ids(field string, ids []int64, maxN int) {
	if len(ids) > maxN {
		c.add(field, "meeting.too_many", "at most %d", maxN)
		return
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		if id <= 0 || seen[id] {
			c.add(field, "meeting.bad_ids", "positive ids, each once")
			return
		}
		seen[id] = true
	}
}

// checkAgenda cleans and checks an agenda.
func (c *check) agenda(items []AgendaItem) {
	if len(items) > MaxAgenda {
		c.add("agenda", "meeting.agenda_too_long", "at most %d items", MaxAgenda)
		return
	}
	for i := range items {
		it := &items[i]
		f := fmt.Sprintf("agenda[%d]", i)
		c.line(f+".title", &it.Title, MaxLine, true)
		c.block(f+".notes", &it.Notes, MaxNotes, false)
		if it.DocumentIDs == nil {
			it.DocumentIDs = []int64{}
		}
		c.ids(f+".document_ids", it.DocumentIDs, MaxItemDocs)
	}
}

func (c *check) times(starts time.Time, ends *time.Time) {
	if starts.IsZero() {
		c.add("starts_at", "meeting.required", "required")
		return
	}
	c.instant("starts_at", starts)
	if ends != nil {
		switch {
		case !ends.After(starts):
			c.add("ends_at", "meeting.ends_before_start", "must be after starts_at")
		case ends.Sub(starts) > MaxLength:
			c.add("ends_at", "meeting.too_long_meeting", "a meeting lasts at most 24 hours")
		}
	}
}

func (c *check) vote(v *Vote) {
	if v == nil {
		return
	}
	for _, n := range []int{v.For, v.Against, v.Abstain} {
		if n < 0 || n > MaxVote {
			c.add("vote", "meeting.vote", "counts from 0 to %d", MaxVote)
			return
		}
	}
}

var monthRE = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// ParseMonth checks a "YYYY-MM" month within the calendar's years.
func ParseMonth(field, s string) (time.Time, error) {
	if !monthRE.MatchString(s) {
		return time.Time{}, apperr.InvalidField(field, "meeting.month", "a month as YYYY-MM")
	}
	t, _ := time.Parse("2006-01", s)
	if t.Year() < viet.MinYear || t.Year() > viet.MaxYear {
		return time.Time{}, apperr.InvalidField(field, "meeting.year_range", "a year from %d to %d", viet.MinYear, viet.MaxYear)
	}
	return t, nil
}
