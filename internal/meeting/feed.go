package meeting

import (
	"context"
	"slices"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
)

// Feed is a calendar subscription: a link with a long random token that a
// phone fetches without a session (GET only, the .ics). Only the token's
// hash is stored; the token is shown once, when the feed is made. A feed
// answers with what its owner may reach at the time it is read: when the
// owner loses reach or the account is disabled, it answers 404.
//
// A feed carries what a calendar needs: the meetings' times, places,
// topics and agenda titles, never the roll, the minutes or any member
// list; so reading it is not a read of personal data and is not audited
// (making and revoking a feed are).
type Feed struct {
	ID int64 `json:"id"`
	// UnitID is the unit whose calendar the feed gives; nil: "my
	// meetings" (the owner's own cell and the cell hosting them).
	UnitID    *int64    `json:"unit_id"`
	UnitName  string    `json:"unit_name,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Token and URL are given once, in the answer that makes the feed.
	Token string `json:"token,omitempty"`
	URL   string `json:"url,omitempty"`
}

// FeedInput is a feed as the API receives it.
type FeedInput struct {
	UnitID *int64 `json:"unit_id"`
}

// FeedOwner is the owner of a feed as the store finds it by token: the
// account's actor as it stands now.
type FeedOwner struct {
	Feed  Feed
	Actor *auth.Actor
}

// MaxFeeds bounds the live feeds of an account.
const MaxFeeds = 20

// FeedPath is the path of a feed's calendar.
func FeedPath(token string) string { return "/api/v1/meeting-feeds/" + token + ".ics" }

func feedNotFound() error {
	return apperr.Keyed(apperr.NotFound, "meeting.feed_not_found", "no such calendar feed")
}

// CreateFeed makes a calendar link for the actor: for "my meetings" (an
// account linked to a member) or for a unit whose meetings it may read.
func (s *Service) CreateFeed(ctx context.Context, actor *auth.Actor, in FeedInput) (*Feed, error) {
	f := &Feed{CreatedAt: s.now().UTC()}
	path := actor.MemberUnitPath
	if in.UnitID == nil {
		if actor.MemberID == 0 || actor.MemberUnitPath == "" {
			return nil, apperr.Keyed(apperr.Conflict, "meeting.feed_no_member", "this account is not a member's: make a link for a unit's calendar")
		}
	} else {
		u, err := s.unit(ctx, actor, *in.UnitID, true)
		if err != nil {
			return nil, err
		}
		id := u.ID
		f.UnitID, f.UnitName, path = &id, u.Name, u.Path
	}
	if actor.AccountID == 0 {
		return nil, apperr.Keyed(apperr.Conflict, "meeting.feed_no_account", "a calendar link belongs to an account")
	}
	n, err := s.Store.Feeds(ctx, actor.AccountID)
	if err != nil {
		return nil, err
	}
	if len(n) >= MaxFeeds {
		return nil, apperr.Keyed(apperr.Conflict, "meeting.feed_too_many", "at most %d calendar links: revoke one first", MaxFeeds)
	}
	token, hash := auth.NewToken()
	err = s.Store.CreateFeed(ctx, actor.AccountID, f, hash, auth.AuditEntry{Actor: actor, Action: "meeting_feed.create", ObjectType: "meeting_feed", UnitPath: path, After: f})
	if err != nil {
		return nil, err
	}
	f.Token, f.URL = token, FeedPath(token)
	return f, nil
}

// Feeds lists the actor's live feeds, newest first (without tokens).
func (s *Service) Feeds(ctx context.Context, actor *auth.Actor) ([]Feed, error) {
	if actor.AccountID == 0 {
		return []Feed{}, nil
	}
	fs, err := s.Store.Feeds(ctx, actor.AccountID)
	if fs == nil {
		fs = []Feed{}
	}
	return fs, err
}

// RevokeFeed ends one of the actor's feeds: its link answers 404 from now
// on. Another account's feed is not found.
func (s *Service) RevokeFeed(ctx context.Context, actor *auth.Actor, id int64) error {
	if actor.AccountID == 0 {
		return feedNotFound()
	}
	err := s.Store.RevokeFeed(ctx, actor.AccountID, id, s.now().UTC(), auth.AuditEntry{Actor: actor, Action: "meeting_feed.revoke", ObjectType: "meeting_feed", ObjectID: id, UnitPath: actor.MemberUnitPath})
	if apperr.Is(err, apperr.NotFound) {
		return feedNotFound()
	}
	return err
}

// FeedCalendar returns the calendar of a feed's token: its name and the
// meetings from from on (at most limit), read with the reach its owner
// has now. A bad, revoked or foreign token, a disabled owner and an owner
// who lost reach all answer the same 404.
func (s *Service) FeedCalendar(ctx context.Context, token string, from date.Date, limit int) (string, []Meeting, error) {
	if len(token) < 20 || len(token) > 100 {
		return "", nil, feedNotFound()
	}
	o, err := s.Store.FeedByToken(ctx, auth.TokenHash(token))
	if apperr.Is(err, apperr.NotFound) {
		return "", nil, feedNotFound()
	}
	if err != nil {
		return "", nil, err
	}
	if o.Actor.Restricted {
		return "", nil, feedNotFound()
	}
	var cells []int64
	if o.Feed.UnitID != nil {
		cells = []int64{*o.Feed.UnitID}
	} else {
		if o.Actor.MemberUnitPath == "" {
			return "", nil, feedNotFound()
		}
		ids := AncestorIDs(o.Actor.MemberUnitPath)
		cells = append(cells, ids[len(ids)-1])
		hp, err := s.Store.HostPath(ctx, o.Actor.MemberID)
		if err != nil {
			return "", nil, err
		}
		if hp != "" {
			ids := AncestorIDs(hp)
			cells = append(cells, ids[len(ids)-1])
		}
	}
	var all []Meeting
	name := ""
	for _, id := range cells {
		p, err := s.List(ctx, o.Actor, ListInput{UnitID: id, From: from, Limit: limit})
		if apperr.Is(err, apperr.NotFound) {
			if o.Feed.UnitID != nil {
				return "", nil, feedNotFound()
			}
			continue // a member's own cell they no longer read
		}
		if err != nil {
			return "", nil, err
		}
		all = append(all, p.Items...)
	}
	if o.Feed.UnitID != nil {
		name = "Sinh hoạt – " + o.Feed.UnitName
	} else {
		name = "Lịch sinh hoạt của tôi"
	}
	slices.SortFunc(all, func(a, b Meeting) int {
		if c := a.StartsAt.Compare(b.StartsAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	if len(all) > limit {
		all = all[:limit]
	}
	return name, all, nil
}
