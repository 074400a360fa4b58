package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/sheet"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// conferenceView is a conference with its bridge points.
type conferenceView struct {
	*conference.Conference
	BridgePoints []conference.BridgePoint `json:"bridge_points"`
}

func (s *Handler) apiCreateConference(w http.ResponseWriter, r *http.Request) error {
	c, err := withBody(w, r, s.Conferences.Create, "title", "starts_at", "host_unit_id", "audience")
	if err != nil {
		return err
	}
	return sendAt(w, http.StatusCreated, "/api/v1/conferences/"+strconv.FormatInt(c.ID, 10), conferenceView{c, []conference.BridgePoint{}})
}

func (s *Handler) apiConferences(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageQuery(r)
	if err != nil {
		return err
	}
	p, err := s.Conferences.List(r.Context(), httpx.ActorFrom(r), limit, cursor)
	return send(w, http.StatusOK, p, err)
}

func (s *Handler) apiConference(w http.ResponseWriter, r *http.Request) error {
	v, err := httpx.ByPathID(r, s.conference)
	return send(w, http.StatusOK, v, err)
}

// conference is a conference with its bridge points.
func (s *Handler) conference(ctx context.Context, a *auth.Actor, id int64) (conferenceView, error) {
	c, ps, err := s.Conferences.Get(ctx, a, id)
	return conferenceView{c, ps}, err
}

func (s *Handler) apiAddBridgePoints(w http.ResponseWriter, r *http.Request) error {
	id, points, _, err := idAndOneOrMany[conference.PointInput](w, r, "unit_id", "name")
	if err != nil {
		return err
	}
	ps, err := s.Conferences.AddPoints(r.Context(), httpx.ActorFrom(r), id, points)
	return send(w, http.StatusCreated, ps, err)
}

// idAndOneOrMany reads {id} and a body of one T or an array of them
// (httpx.DecodeJSONEither): the items, and whether the body was an array.
func idAndOneOrMany[T any](w http.ResponseWriter, r *http.Request, required ...string) (int64, []T, bool, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return 0, nil, false, err
	}
	var one T
	var many []T
	if err := httpx.DecodeJSONEither(w, r, &one, &many, required...); err != nil {
		return 0, nil, false, err
	}
	if many == nil {
		return id, []T{one}, false, nil
	}
	return id, many, true, nil
}

func (s *Handler) apiBridgePoints(w http.ResponseWriter, r *http.Request) error {
	v, err := httpx.ByPathID(r, s.conference)
	return sendAll(w, http.StatusOK, v.BridgePoints, err)
}

func (s *Handler) apiSetExpected(w http.ResponseWriter, r *http.Request) error {
	id, mid, err := httpx.PathIDAnd(r, "member")
	if err != nil {
		return err
	}
	var in struct {
		BridgePointID *int64 `json:"bridge_point_id"`
	}
	if err := httpx.DecodeJSON(w, r, &in, "bridge_point_id"); err != nil {
		return err
	}
	a, err := s.Conferences.SetExpected(r.Context(), httpx.ActorFrom(r), id, mid, in.BridgePointID)
	return send(w, http.StatusOK, a, err)
}

func (s *Handler) apiRoll(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var bp int64
	if r.PathValue("bp") == "" {
		// Every invited member: also as .xlsx (the record afterwards).
		if xlsx, err := wantXLSX(r); err != nil || xlsx {
			if err != nil {
				return err
			}
			sh, err := s.Conferences.AttendeeSheet(r.Context(), httpx.ActorFrom(r), id)
			return writeSheet(w, fmt.Sprintf("hoi-nghi-%d-dang-vien.xlsx", id), sh, err)
		}
	}
	if r.PathValue("bp") != "" {
		if bp, err = httpx.PathID(r, "bp"); err != nil {
			return err
		}
	}
	limit, cursor, err := pageQuery(r)
	if err != nil {
		return err
	}
	p, err := s.Conferences.Roll(r.Context(), httpx.ActorFrom(r), id, bp, r.URL.Query().Get("q"), limit, cursor)
	return send(w, http.StatusOK, p, err)
}

func (s *Handler) apiMyPass(w http.ResponseWriter, r *http.Request) error {
	p, err := httpx.ByPathID(r, s.Conferences.MyPass)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return send(w, http.StatusOK, p, nil)
}

// apiCheckin takes one check-in (201 when new, 200 for a repeat) or an
// array of them (200, the results in order).
func (s *Handler) apiCheckin(w http.ResponseWriter, r *http.Request) error {
	id, ins, array, err := idAndOneOrMany[conference.CheckinInput](w, r, "bridge_point_id")
	if err != nil {
		return err
	}
	got, err := s.Conferences.Checkin(r.Context(), httpx.ActorFrom(r), id, ins)
	if err != nil || array {
		return send(w, http.StatusOK, got, err)
	}
	status := http.StatusCreated
	if got[0].Repeat {
		status = http.StatusOK
	}
	return send(w, status, got[0], nil)
}

func (s *Handler) apiHeartbeat(w http.ResponseWriter, r *http.Request) error {
	id, bp, err := httpx.PathIDAnd(r, "bp")
	if err != nil {
		return err
	}
	return sendDone(w, s.Conferences.Heartbeat(r.Context(), httpx.ActorFrom(r), id, bp))
}

func (s *Handler) apiAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if xlsx, err := wantXLSX(r); err != nil || xlsx {
		if err != nil {
			return err
		}
		sh, err := s.Conferences.AttendanceSheet(r.Context(), httpx.ActorFrom(r), id)
		return writeSheet(w, fmt.Sprintf("hoi-nghi-%d-diem-cau.xlsx", id), sh, err)
	}
	a, err := s.Conferences.Attendance(r.Context(), httpx.ActorFrom(r), id)
	return sendFresh(w, a, err)
}

// apiConferenceEvents streams the board as server-sent events: the
// current figures first (so a client that reconnects, after a restart
// too, catches up at once), then new figures on every change, each as
// "event: attendance" with the same JSON as GET …/attendance.
func (s *Handler) apiConferenceEvents(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	ch, err := s.Conferences.Watch(r.Context(), httpx.ActorFrom(r), id)
	if err != nil {
		return err
	}
	if httpx.IsTrue(r.URL.Query().Get("once")) {
		// ?once=1: the current figures as one event, then the end (for
		// scripts and probes that cannot hold a stream open).
		return ServeBoard(w, r, ch, true)
	}
	return ServeBoard(w, r, ch, false)
}

// ServeBoard writes board figures as server-sent events until the client
// goes away, with a comment every 15 s to keep proxies from closing the
// stream.
func ServeBoard(w http.ResponseWriter, r *http.Request, ch <-chan *conference.Attendance, once bool) error {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n\n")
	_ = rc.Flush()
	keep := time.NewTicker(15 * time.Second)
	defer keep.Stop()
	n := 0
	for {
		select {
		case <-r.Context().Done():
			return nil
		case <-keep.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return nil
			}
		case a, ok := <-ch:
			if !ok {
				return nil // the server is shutting down
			}
			b, err := json.Marshal(a)
			if err != nil {
				return nil
			}
			n++
			if _, err := fmt.Fprintf(w, "event: attendance\nid: %d\ndata: %s\n\n", n, b); err != nil || once {
				return nil
			}
		}
		_ = rc.Flush()
	}
}

// wantXLSX reads ?format=json|xlsx.
func wantXLSX(r *http.Request) (bool, error) {
	switch r.URL.Query().Get("format") {
	case "", "json":
		return false, nil
	case "xlsx":
		return true, nil
	}
	return false, apperr.Keyed(apperr.Invalid, "common.unknown_format", "unknown format").With(apperr.FieldKeyed("format", "http.must_json_xlsx", "must be json or xlsx"))
}

// writeSheet answers sh as an XLSX file called name, unless err.
func writeSheet(w http.ResponseWriter, name string, sh *conference.Sheet, err error) error {
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheet.WriteXLSX(&buf, sh.Name, sh.Title, sh.Headers, sh.Rows); err != nil {
		return err
	}
	return sendXLSX(w, name, buf.Bytes())
}

// apiMemberConferences is a member's conferences for their record:
// {items: [{conference_id, title, starts_at, status: present|elsewhere|
// absent|upcoming, ...}], next_cursor, total}; the member themself and
// those who may read the record.
func (s *Handler) apiMemberConferences(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	limit, err := httpx.QueryLimit(r)
	if err != nil {
		return err
	}
	p, err := s.Conferences.History(r.Context(), httpx.ActorFrom(r), id, limit, r.URL.Query().Get("cursor"))
	return sendFresh(w, p, err)
}

// apiRescheduleConference moves a conference that has not started
// ({starts_at, ends_at?}, version by If-Match or "version"); every
// attendee gets the notice.
func (s *Handler) apiRescheduleConference(w http.ResponseWriter, r *http.Request) error {
	c, err := byIDWithBody(w, r, ifMatch(r, func(in *conference.RescheduleInput) *int { return &in.Version }, s.Conferences.Reschedule), "starts_at")
	return sendRecord(w, http.StatusOK, c, err)
}

// apiCancelConference calls off a conference that has not started
// ({reason?}); every attendee gets the notice.
func (s *Handler) apiCancelConference(w http.ResponseWriter, r *http.Request) error {
	c, err := byIDWithBody(w, r, ifMatch(r, func(in *conference.CancelInput) *int { return &in.Version }, s.Conferences.Cancel))
	return sendRecord(w, http.StatusOK, c, err)
}
