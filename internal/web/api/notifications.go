package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/notify"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// apiNotifications answers the caller's inbox, newest first:
// {items, next_cursor, total, unread}; ?unread=true keeps the unread.
func (s *Handler) apiNotifications(w http.ResponseWriter, r *http.Request) error {
	limit, err := httpx.QueryLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := s.Notify.Inbox(r.Context(), httpx.ActorFrom(r), notify.InboxInput{Limit: limit, Cursor: q.Get("cursor"), UnreadOnly: httpx.IsTrue(q.Get("unread"))})
	return sendFresh(w, p, err)
}

func (s *Handler) apiReadNotification(w http.ResponseWriter, r *http.Request) error {
	return sendDone(w, s.Notify.MarkRead(r.Context(), httpx.ActorFrom(r), r.PathValue("id")))
}

func (s *Handler) apiReadAllNotifications(w http.ResponseWriter, r *http.Request) error {
	return sendDone(w, s.Notify.MarkAllRead(r.Context(), httpx.ActorFrom(r)))
}

// apiReadNotifications marks the notifications of {"ids": [...]} read
// (numbers or strings such as "doc-12"); without ids, the whole inbox. It
// answers {"marked": n}: how many of the ids are in the inbox, or how
// many items were unread.
func (s *Handler) apiReadNotifications(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		IDs []json.RawMessage `json:"ids"`
	}
	if r.ContentLength != 0 {
		if err := httpx.DecodeJSON(w, r, &in); err != nil {
			return err
		}
	}
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	if len(in.IDs) == 0 {
		n, err := s.Notify.UnreadCount(ctx, actor)
		if err == nil {
			err = s.Notify.MarkAllRead(ctx, actor)
		}
		return send(w, http.StatusOK, map[string]int{"marked": n}, err)
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
			return apperr.Keyed(apperr.Invalid, "http.id_neither_number_nor", "an id is neither a number nor a string").With(apperr.FieldKeyed("ids", "http.numbers_strings", "numbers or strings"))
		}
	}
	n, err := s.Notify.MarkSomeRead(ctx, actor, ids)
	return send(w, http.StatusOK, map[string]int{"marked": n}, err)
}

func (s *Handler) apiNotificationSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Notify.GetSettings(r.Context(), httpx.ActorFrom(r))
	return sendFresh(w, st, err)
}

// apiPutNotificationSettings changes the settings given: {"digest":
// {"new_document": false}}; the others keep their value.
func (s *Handler) apiPutNotificationSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := withBody(w, r, s.Notify.PutSettings)
	return send(w, http.StatusOK, st, err)
}
