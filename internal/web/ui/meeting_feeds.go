package ui

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// pageFeeds is the page of the calendar links a phone subscribes to.
const pageFeeds = "/sinh-hoat/lich"

type feedsPage struct {
	view
	Feeds    []meeting.Feed
	IsMember bool
	// New is the link just made, shown once (https and webcal).
	New      *meeting.Feed
	NewHTTPS string
	// NewWebcal is trusted: built here from the request's host and the
	// token (html/template would refuse a webcal: link).
	NewWebcal template.URL
	Errors    *meetingErrs
}

func (s *Handler) uiFeeds(w http.ResponseWriter, r *http.Request) error {
	return s.renderFeeds(w, r, http.StatusOK, &feedsPage{})
}

func (s *Handler) renderFeeds(w http.ResponseWriter, r *http.Request, status int, p *feedsPage) error {
	actor := httpx.ActorFrom(r)
	fs, err := s.Meetings.Feeds(r.Context(), actor)
	if err != nil {
		return err
	}
	p.Feeds, p.IsMember = fs, actor.MemberID != 0 && actor.MemberUnitPath != ""
	s.render(w, r, status, "meeting_feeds", p)
	return nil
}

// uiCreateFeed makes a link (unit_id empty: my meetings) and shows it once.
func (s *Handler) uiCreateFeed(w http.ResponseWriter, r *http.Request) error {
	if err := readBoundedForm(w, r); err != nil {
		return err
	}
	var in meeting.FeedInput
	if v := r.PostForm.Get("unit_id"); v != "" {
		id, ok := httpx.ParseID(v)
		if !ok {
			return s.renderFeeds(w, r, http.StatusNotFound, &feedsPage{})
		}
		in.UnitID = &id
	}
	f, err := s.Meetings.CreateFeed(r.Context(), httpx.ActorFrom(r), in)
	if err != nil {
		errs, err := meetingFormErrors(r, err)
		if err != nil {
			return err
		}
		return s.renderFeeds(w, r, http.StatusConflict, &feedsPage{Errors: errs})
	}
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	p := &feedsPage{New: f, NewHTTPS: scheme + "://" + r.Host + f.URL, NewWebcal: template.URL("webcal://" + r.Host + f.URL)}
	return s.renderFeeds(w, r, http.StatusOK, p)
}

func (s *Handler) uiRevokeFeed(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Meetings.RevokeFeed(r.Context(), httpx.ActorFrom(r), id); err != nil {
		return err
	}
	httpx.SeeOther(w, r, pageFeeds+"?ok=revoked")
	return nil
}
