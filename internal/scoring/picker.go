package scoring

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/viet"
)

// PickerKinds are the kinds the scoresheet page's evidence picker offers,
// in order (those wired in: see linkKinds).
var PickerKinds = []string{LinkDocument, LinkMeeting, LinkTask}

// MaxPicked bounds the picker's answer.
const MaxPicked = 20

// LinkFinder is the store's search of a cell's evidence for the picker
// (a part of the store, like AttachmentStore).
type LinkFinder interface {
	LinkCandidates(ctx context.Context, kind, path string, cellID int64, fold string, limit int) ([]Link, error)
}

// PickerKinds answers the kinds the picker offers for this service.
func (s *Service) PickerKinds() []string {
	var out []string
	for _, k := range PickerKinds {
		if slices.Contains(s.linkKinds(), k) {
			out = append(out, k)
		}
	}
	return out
}

// LinkCandidates finds, for whoever may score the sheet now, the
// documents, meetings or tasks of the cell that may be linked as evidence
// (what PutScores accepts), whose title contains q (folded: without
// diacritics), the newest first, at most MaxPicked.
func (s *Service) LinkCandidates(ctx context.Context, a *auth.Actor, sheetID int64, kind, q string) ([]Link, error) {
	sh, _, err := s.writable(ctx, a, sheetID, 0)
	if err != nil {
		return nil, err
	}
	finder, ok := s.Store.(LinkFinder)
	if !ok || !slices.Contains(s.PickerKinds(), kind) {
		return nil, apperr.InvalidField("kind", "fourgood.bad_link_kind", "evidence links are to a %s", strings.Join(s.PickerKinds(), " or "))
	}
	q = strings.TrimSpace(q)
	if !utf8.ValidString(q) || utf8.RuneCountInString(q) > MaxNameLen {
		return nil, apperr.InvalidField("q", "fourgood.bad_query", "the search is at most %d characters", MaxNameLen)
	}
	links, err := finder.LinkCandidates(ctx, kind, sh.UnitPath, sh.UnitID, viet.Fold(viet.NFC(q)), MaxPicked)
	if err != nil {
		return nil, err
	}
	// Only what PutScores would accept (the same rule, one place).
	out := links[:0]
	for _, l := range links {
		if _, ok, err := s.linkTarget(ctx, l.Kind, l.ID, sh.UnitPath); err == nil && ok {
			out = append(out, l)
		}
	}
	return out, nil
}
