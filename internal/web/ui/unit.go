package ui

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// unitPage is one unit: where it sits, what is below it and its figures.
type unitPage struct {
	view
	Unit     *org.Unit
	Children []org.Unit
	// Stats is nil when the actor may not see the unit's figures (a member).
	Stats *statsView
	// AsOf is the date typed in the "as of" field, AsOfError the message
	// beside it.
	AsOf, AsOfError string
	CanList         bool
	CanWrite        bool
	// CanRestructure: the actor may add units below, edit, move, merge and
	// dissolve the unit; CanSplit also split it.
	CanRestructure, CanSplit bool
	// History is the unit's dated places in the tree; Changes the audit
	// log's entries about it (for those who may read it).
	History []org.Period
	Changes []auditLine
}

func (s *Handler) uiUnit(w http.ResponseWriter, r *http.Request) error {
	r, end := oneRead(r)
	defer end()
	actor := httpx.ActorFrom(r)
	u, err := s.unitFromPath(r)
	if err != nil {
		return err
	}
	p := &unitPage{Unit: u, CanList: member.MayList(actor, u.Path), CanWrite: actor.Can(u.Path, auth.WriteMembers)}
	p.Crumbs = s.ancestors(r.Context(), actor, u)
	p.CanRestructure, p.CanSplit = org.MayRestructure(actor, u), org.MaySplit(actor, u)
	if p.History, p.Changes, err = s.unitHistory(r, u); err != nil {
		return err
	}
	if p.Children, err = s.Org.Children(r.Context(), actor, u.ID); err != nil {
		return err
	}
	if actor.Can(u.Path, auth.ReadPersonal) {
		var asOf date.Date
		p.AsOf = r.URL.Query().Get("as_of")
		if asOf, err = parseFormDate(p.AsOf); err != nil {
			p.AsOfError = errText(langOf(r), err)
		}
		st, err := s.Org.Stats(r.Context(), actor, u.ID, asOf, s.Today())
		if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid && len(e.Fields) > 0 && e.Fields[0].Field == "as_of" {
			// A day out of range is shown beside the field; the page counts today.
			p.AsOfError = fieldText(langOf(r), e.Fields[0])
			st, err = s.Org.Stats(r.Context(), actor, u.ID, date.Date{}, s.Today())
		}
		if err != nil {
			return err
		}
		p.Stats = newStatsView(st)
	}
	return s.show(w, r, "unit", p, nil)
}

// unitFromPath loads the unit named by the {id} of the URL.
func (s *Handler) unitFromPath(r *http.Request) (*org.Unit, error) {
	return httpx.ByPathID(r, s.Org.Get)
}

// ancestors returns the units above u that the actor may see, top first.
// They come from the materialised path ("/1/2/7/" for unit 7); units out
// of reach are left out rather than failing the page.
func (s *Handler) ancestors(ctx context.Context, actor *auth.Actor, u *org.Unit) []org.Unit {
	var out []org.Unit
	for _, seg := range strings.Split(strings.Trim(u.Path, "/"), "/") {
		id, err := strconv.ParseInt(seg, 10, 64)
		if err != nil || id == u.ID {
			continue
		}
		if a, err := s.Org.Get(ctx, actor, id); err == nil {
			out = append(out, *a)
		}
	}
	return out
}

// trail is the breadcrumb of a page about something in u: u's ancestors
// and u itself.
func (s *Handler) trail(ctx context.Context, actor *auth.Actor, u *org.Unit) []org.Unit {
	if u == nil {
		return nil
	}
	return append(s.ancestors(ctx, actor, u), *u)
}
