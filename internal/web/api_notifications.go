package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/notify"
)

// notifyRoutes registers the inbox and the notification settings.
func (s *Server) notifyRoutes(mux *http.ServeMux) {
	if s.Notify == nil {
		return
	}
	s.handleAPI(mux, "GET /api/v1/notifications", "signed_in", s.apiNotifications)
	s.handleAPI(mux, "POST /api/v1/notifications/{id}/read", "signed_in", s.apiReadNotification)
	s.handleAPI(mux, "POST /api/v1/notifications/read-all", "signed_in", s.apiReadAllNotifications)
	// {"ids": [...]} marks several read (an empty list: all); kept for the
	// clients of the first inbox (internal/task).
	s.handleAPI(mux, "POST /api/v1/notifications/read", "signed_in", s.apiReadNotifications)
	s.handleAPI(mux, "GET /api/v1/accounts/me/notification-settings", "signed_in", s.apiNotificationSettings)
	s.handleAPI(mux, "PUT /api/v1/accounts/me/notification-settings", "signed_in", s.apiPutNotificationSettings)
}

// apiNotifications answers the caller's inbox, newest first:
// {items, next_cursor, total, unread}; ?unread=true keeps the unread.
func (s *Server) apiNotifications(w http.ResponseWriter, r *http.Request) error {
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := s.Notify.Inbox(r.Context(), actorFrom(r), notify.InboxInput{Limit: limit, Cursor: q.Get("cursor"), UnreadOnly: isTrue(q.Get("unread"))})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) apiReadNotification(w http.ResponseWriter, r *http.Request) error {
	if err := s.Notify.MarkRead(r.Context(), actorFrom(r), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiReadAllNotifications(w http.ResponseWriter, r *http.Request) error {
	if err := s.Notify.MarkAllRead(r.Context(), actorFrom(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiReadNotifications marks the notifications of {"ids": [...]} read
// (numbers or strings such as "doc-12"); without ids, the whole inbox. It
// answers {"marked": n}: how many of the ids are in the inbox, or how
// many items were unread.
func (s *Server) apiReadNotifications(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		IDs []json.RawMessage `json:"ids"`
	}
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &in); err != nil {
			return err
		}
	}
	ctx, actor := r.Context(), actorFrom(r)
	if len(in.IDs) == 0 {
		n, err := s.Notify.UnreadCount(ctx, actor)
		if err == nil {
			err = s.Notify.MarkAllRead(ctx, actor)
		}
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]int{"marked": n})
		return nil
	}
	ids := make([]string, 0, len(in.IDs))
	for _, raw := range in.IDs {
		var str string
		var num int64
		switch {
		case json.Unmarshal(raw, &str) == nil:
			ids = append(ids, str)
		case json.Unmarshal(raw, &num) == nil:
			ids = append(ids, strconv.FormatInt(num, 10))
		default:
			return apperr.Fields("an id is neither a number nor a string", apperr.FieldError{Field: "ids", Message: "numbers or strings"})
		}
	}
	n, err := s.Notify.MarkSomeRead(ctx, actor, ids)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"marked": n})
	return nil
}

func (s *Server) apiNotificationSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Notify.GetSettings(r.Context(), actorFrom(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, st)
	return nil
}

// apiPutNotificationSettings changes the settings given: {"digest":
// {"new_document": false}}; the others keep their value.
func (s *Server) apiPutNotificationSettings(w http.ResponseWriter, r *http.Request) error {
	var in notify.AccountSettings
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	st, err := s.Notify.PutSettings(r.Context(), actorFrom(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// commentPosted tells earlier commenters of a piece of news about a new
// comment. A failure is logged, not shown: the comment itself is saved.
func (s *Server) commentPosted(ctx context.Context, actor *auth.Actor, c *doc.Comment) {
	if s.Notify == nil || c == nil {
		return
	}
	title := ""
	if d, err := s.Docs.GetNews(ctx, actor, c.NewsID); err == nil {
		title = d.Title
	}
	if err := s.Notify.CommentPosted(ctx, actor, c.NewsID, title, c.ID); err != nil {
		s.Log.Error("comment notification", "news", c.NewsID, "err", err)
	}
}
