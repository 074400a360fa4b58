package ui

import (
	"net/http"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/notify"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// inboxPage is one page of the inbox.
type inboxPage struct {
	view
	Page        *notify.InboxPage
	UnreadOnly  bool
	Next, First string
	Notice      string
}

var inboxNotices = map[string]string{"all": "inbox.all_read", "one": "inbox.one_read"}

func (s *Handler) uiInbox(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := &inboxPage{UnreadOnly: httpx.IsTrue(q.Get("unread")), Notice: inboxNotices[q.Get("da")]}
	var err error
	p.Page, err = s.Notify.Inbox(r.Context(), httpx.ActorFrom(r), notify.InboxInput{Limit: 30, Cursor: q.Get("cursor"), UnreadOnly: p.UnreadOnly})
	if apperr.Is(err, apperr.Invalid) {
		p.Page, err = s.Notify.Inbox(r.Context(), httpx.ActorFrom(r), notify.InboxInput{Limit: 30, UnreadOnly: p.UnreadOnly})
	}
	if err != nil {
		return err
	}
	at := func(cursor string) string {
		return withQuery("/thong-bao", "unread", flagValue(p.UnreadOnly), "cursor", cursor)
	}
	p.Next, p.First = moreLinks(p.Page.NextCursor, q.Get("cursor"), at)
	return s.show(w, r, "notifications", p, nil)
}

func (s *Handler) uiReadAll(w http.ResponseWriter, r *http.Request) error {
	if err := s.Notify.MarkAllRead(r.Context(), httpx.ActorFrom(r)); err != nil {
		return err
	}
	httpx.SeeOther(w, r, "/thong-bao?da=all")
	return nil
}

func (s *Handler) uiReadOne(w http.ResponseWriter, r *http.Request) error {
	if err := s.Notify.MarkRead(r.Context(), httpx.ActorFrom(r), r.PathValue("id")); err != nil {
		return err
	}
	httpx.SeeOther(w, r, "/thong-bao?da=one")
	return nil
}

// settingsPage is the digest's settings: one box per kind of notification.
type settingsPage struct {
	view
	Settings *notify.AccountSettings
	Kinds    []string
	Saved    bool
}

func (s *Handler) uiNotificationSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Notify.GetSettings(r.Context(), httpx.ActorFrom(r))
	if err != nil {
		return err
	}
	return s.show(w, r, "notification_settings", &settingsPage{Settings: st, Kinds: notify.Settings, Saved: r.URL.Query().Get("da") == "luu"}, nil)
}

func (s *Handler) uiPutNotificationSettings(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	in := notify.AccountSettings{Digest: map[string]bool{}}
	for _, k := range notify.Settings {
		in.Digest[k] = r.PostForm.Get("digest_"+k) == "1"
	}
	if _, err := s.Notify.PutSettings(r.Context(), httpx.ActorFrom(r), in); err != nil {
		return err
	}
	httpx.SeeOther(w, r, "/thong-bao/cai-dat?da=luu")
	return nil
}
