package web

import (
	"net/http"
	"net/url"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/notify"
)

// notificationPages registers the inbox, its forms and the settings page.
func (s *Server) notificationPages(mux *http.ServeMux) {
	s.handlePage(mux, "GET /thong-bao", "signed_in", s.uiInbox)
	s.handlePage(mux, "POST /thong-bao/da-doc-het", "signed_in", s.uiReadAll)
	s.handlePage(mux, "POST /thong-bao/{id}/da-doc", "signed_in", s.uiReadOne)
	s.handlePage(mux, "GET /thong-bao/cai-dat", "signed_in", s.uiNotificationSettings)
	s.handlePage(mux, "POST /thong-bao/cai-dat", "signed_in", s.uiPutNotificationSettings)
}

// inboxPage is one page of the inbox.
type inboxPage struct {
	view
	Page        *notify.Page
	UnreadOnly  bool
	Next, First string
	Notice      string
}

var inboxNotices = map[string]string{"all": "inbox.all_read", "one": "inbox.one_read"}

func (s *Server) uiInbox(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := &inboxPage{UnreadOnly: isTrue(q.Get("unread")), Notice: inboxNotices[q.Get("da")]}
	var err error
	p.Page, err = s.Notify.Inbox(r.Context(), actorFrom(r), notify.InboxInput{Limit: 30, Cursor: q.Get("cursor"), UnreadOnly: p.UnreadOnly})
	if apperr.Is(err, apperr.Invalid) {
		p.Page, err = s.Notify.Inbox(r.Context(), actorFrom(r), notify.InboxInput{Limit: 30, UnreadOnly: p.UnreadOnly})
	}
	if err != nil {
		return err
	}
	at := func(cursor string) string {
		v := url.Values{}
		if p.UnreadOnly {
			v.Set("unread", "1")
		}
		if cursor != "" {
			v.Set("cursor", cursor)
		}
		if len(v) == 0 {
			return "/thong-bao"
		}
		return "/thong-bao?" + v.Encode()
	}
	if p.Page.NextCursor != nil {
		p.Next = at(*p.Page.NextCursor)
	}
	if q.Get("cursor") != "" {
		p.First = at("")
	}
	s.render(w, r, http.StatusOK, "notifications", p)
	return nil
}

func (s *Server) uiReadAll(w http.ResponseWriter, r *http.Request) error {
	if err := s.Notify.MarkAllRead(r.Context(), actorFrom(r)); err != nil {
		return err
	}
	seeOther(w, r, "/thong-bao?da=all")
	return nil
}

func (s *Server) uiReadOne(w http.ResponseWriter, r *http.Request) error {
	if err := s.Notify.MarkRead(r.Context(), actorFrom(r), r.PathValue("id")); err != nil {
		return err
	}
	seeOther(w, r, "/thong-bao?da=one")
	return nil
}

// settingsPage is the digest's settings: one box per kind of notification.
type settingsPage struct {
	view
	Settings *notify.AccountSettings
	Kinds    []string
	Saved    bool
}

func (s *Server) uiNotificationSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Notify.GetSettings(r.Context(), actorFrom(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "notification_settings", &settingsPage{Settings: st, Kinds: notify.Settings, Saved: r.URL.Query().Get("da") == "luu"})
	return nil
}

func (s *Server) uiPutNotificationSettings(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	in := notify.AccountSettings{Digest: map[string]bool{}}
	for _, k := range notify.Settings {
		in.Digest[k] = r.PostForm.Get("digest_"+k) == "1"
	}
	if _, err := s.Notify.PutSettings(r.Context(), actorFrom(r), in); err != nil {
		return err
	}
	seeOther(w, r, "/thong-bao/cai-dat?da=luu")
	return nil
}
