package api

import (
	"net/http"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// apiCreateFeed makes a calendar link (POST /api/v1/meeting-feeds): the
// answer holds the token, given once.
func (s *Handler) apiCreateFeed(w http.ResponseWriter, r *http.Request) error {
	f, err := withBody(w, r, s.Meetings.CreateFeed)
	if err != nil {
		return err
	}
	w.Header().Set("Location", f.URL)
	return send(w, http.StatusCreated, f, nil)
}

func (s *Handler) apiFeeds(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.Meetings.Feeds(r.Context(), httpx.ActorFrom(r))
	return sendAll(w, http.StatusOK, fs, err)
}

func (s *Handler) apiRevokeFeed(w http.ResponseWriter, r *http.Request) error {
	return sendDone(w, doByID(r, s.Meetings.RevokeFeed))
}

// apiFeedICS answers GET /api/v1/meeting-feeds/{token}.ics without a
// session: the token is the credential (a path pattern cannot end a
// wildcard with ".ics").
func (s *Handler) apiFeedICS(w http.ResponseWriter, r *http.Request) error {
	v := r.PathValue("token")
	token, ok := strings.CutSuffix(v, ".ics")
	if !ok {
		return apperr.Keyed(apperr.NotFound, "meeting.feed_not_found", "no such calendar feed")
	}
	name, ms, err := s.Meetings.FeedCalendar(r.Context(), token, s.Today().AddMonths(-3), 500)
	if err != nil {
		return err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.writeICS(w, "sinh-hoat.ics", name, ms)
	return nil
}
