package conference

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/qr"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Service is the conferences' use cases.
type Service struct {
	Store     Store
	Documents DocumentChecker
	// Changes carries "the attendance of a conference changed" between the
	// check-ins and the boards (nil: a process-local Broker is made).
	Changes Changes
	Now     func() time.Time
	// BoardTick, when not zero, is this service's period of the boards'
	// refresh instead of the package's BoardTick: a test that must see
	// only the pushes sets it on its own server, leaving the other
	// servers of the process alone.
	BoardTick time.Duration

	once   sync.Once
	key    []byte
	keyMu  sync.Mutex
	boards boards

	stopOnce, shutOnce sync.Once
	stop               chan struct{}
}

func (s *Service) now() time.Time { return date.NowFrom(s.Now) }

func (s *Service) changes() Changes {
	s.once.Do(func() {
		if s.Changes == nil {
			s.Changes = NewBroker()
		}
	})
	return s.Changes
}

func (s *Service) passKey(ctx context.Context) ([]byte, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.key != nil {
		return s.key, nil
	}
	k, err := s.Store.ServerKey(ctx, PassKeyName)
	if err != nil {
		return nil, err
	}
	s.key = k
	return k, nil
}

func notFound() error {
	return apperr.Keyed(apperr.NotFound, "conference.not_found", "no such conference")
}

func pointNotFound() error {
	return apperr.Keyed(apperr.NotFound, "conference.point_not_found", "no such bridge point")
}

// Create records a conference on a host unit the actor manages, and
// invites the audience.
func (s *Service) Create(ctx context.Context, actor *auth.Actor, in CreateInput) (*Conference, error) {
	// The host unit first: one out of reach answers as missing (404),
	// whatever else the request says.
	var host *UnitRef
	if in.HostUnitID > 0 {
		u, err := s.Store.Unit(ctx, in.HostUnitID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		if err != nil || !actor.Can(u.Path, ManageRoles) {
			return nil, apperr.Keyed(apperr.NotFound, "conference.no_host", "no such unit within reach")
		}
		if u.Dissolved {
			return nil, apperr.InvalidField("host_unit_id", "conference.unit_dissolved", "the unit is dissolved")
		}
		host = u
	}
	title, agenda, errs := in.check()
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "conference.not_valid", "the conference is not valid").With(errs...)
	}
	aud, err := s.reachUnit(ctx, actor, in.Audience.UnitID, "audience.unit_id")
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(aud.Path, host.Path) {
		return nil, apperr.InvalidField("audience.unit_id", "conference.audience_outside", "the audience must be the host unit or a unit below it")
	}
	docs := dedupe(in.DocumentIDs)
	for _, id := range docs {
		ok := false
		if s.Documents != nil {
			if ok, err = s.Documents.DocumentReadable(ctx, actor, id); err != nil {
				return nil, err
			}
		}
		if !ok {
			return nil, apperr.InvalidField("document_ids", "conference.no_document", "no such document: %d", id)
		}
	}
	roles := dedupeRoles(in.Audience.Roles)
	c := &Conference{Title: title, Agenda: agenda, StartsAt: in.StartsAt.UTC(), HostUnitID: host.ID, HostUnitName: host.Name, HostUnitPath: host.Path,
		Audience: Audience{UnitID: aud.ID, Roles: roles}, AudienceUnitName: aud.Name, AudiencePath: aud.Path, DocumentIDs: docs,
		CreatedBy: actor.AccountID, CreatedAt: s.now().UTC(), Version: 1}
	if in.EndsAt != nil {
		e := in.EndsAt.UTC()
		c.EndsAt = &e
	}
	c.Invitation = InvitationText(c)
	if err := s.Store.Create(ctx, c, auth.AuditEntry{Actor: actor, Action: "conference.create", ObjectType: "conference", UnitPath: host.Path, After: c}); err != nil {
		return nil, err
	}
	c.CanManage = true
	c.SetState(s.now())
	return c, nil
}

// check checks the input's fields by themselves and answers the title and
// agenda as they are kept, and what is wrong, by field.
func (in CreateInput) check() (title, agenda string, errs []apperr.FieldError) {
	title = viet.Clean(in.Title)
	if n := len([]rune(title)); n == 0 || n > MaxTitle {
		errs = append(errs, apperr.FieldKeyed("title", "conference.title_length", "1 to %d characters", MaxTitle))
	} else if viet.CheckLine(title) != nil {
		errs = append(errs, apperr.FieldKeyed("title", "conference.bad_text", "contains characters that are not allowed"))
	}
	agenda = strings.TrimSpace(in.Agenda)
	if len([]rune(agenda)) > MaxAgenda {
		errs = append(errs, apperr.FieldKeyed("agenda", "conference.agenda_length", "at most %d characters", MaxAgenda))
	} else if viet.CheckText(agenda) != nil {
		errs = append(errs, apperr.FieldKeyed("agenda", "conference.bad_text", "contains characters that are not allowed"))
	}
	if in.StartsAt.IsZero() {
		errs = append(errs, apperr.FieldKeyed("starts_at", "conference.starts_required", "give the start time"))
	} else if y := in.StartsAt.Year(); y < viet.MinYear || y > viet.MaxYear {
		errs = append(errs, apperr.FieldKeyed("starts_at", "conference.time_range", "a year between %d and %d", viet.MinYear, viet.MaxYear))
	}
	if in.EndsAt != nil && !in.StartsAt.IsZero() && !in.EndsAt.After(in.StartsAt) {
		errs = append(errs, apperr.FieldKeyed("ends_at", "conference.ends_before", "the end must come after the start"))
	} else if in.EndsAt != nil && in.EndsAt.Sub(in.StartsAt) > 7*24*time.Hour {
		errs = append(errs, apperr.FieldKeyed("ends_at", "conference.too_long", "a conference lasts at most a week"))
	}
	if in.HostUnitID <= 0 {
		errs = append(errs, apperr.FieldKeyed("host_unit_id", "conference.host_required", "choose the host unit"))
	}
	if in.Audience.UnitID <= 0 {
		errs = append(errs, apperr.FieldKeyed("audience.unit_id", "conference.audience_required", "choose the unit whose members are invited"))
	}
	for _, r := range in.Audience.Roles {
		if !r.Valid() {
			errs = append(errs, apperr.FieldKeyed("audience.roles", "conference.bad_role", "unknown role %s", string(r)))
			break
		}
	}
	if len(in.DocumentIDs) > MaxDocuments {
		errs = append(errs, apperr.FieldKeyed("document_ids", "conference.too_many_documents", "at most %d documents", MaxDocuments))
	}
	return title, agenda, errs
}

// reachUnit resolves a unit the actor manages; another answers as missing.
func (s *Service) reachUnit(ctx context.Context, actor *auth.Actor, id int64, field string) (*UnitRef, error) {
	u, err := s.Store.Unit(ctx, id)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	if err != nil || !actor.Can(u.Path, ManageRoles) {
		return nil, apperr.InvalidField(field, "conference.no_unit", "no such unit within reach")
	}
	if u.Dissolved {
		return nil, apperr.InvalidField(field, "conference.unit_dissolved", "the unit is dissolved")
	}
	return u, nil
}

// view reads a conference the actor may see (its officers, a point's
// host, an invited member); another answers as missing.
func (s *Service) view(ctx context.Context, actor *auth.Actor, id int64) (*Conference, []BridgePoint, error) {
	return s.viewPoints(ctx, actor, id, false)
}

// viewPoints is view, with the points' expected counts when counts.
func (s *Service) viewPoints(ctx context.Context, actor *auth.Actor, id int64, counts bool) (*Conference, []BridgePoint, error) {
	c, err := s.Store.Conference(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil, notFound()
	}
	if err != nil {
		return nil, nil, err
	}
	ps, err := s.Store.Points(ctx, id, counts)
	if err != nil {
		return nil, nil, err
	}
	c.CanManage = actor.Can(c.HostUnitPath, ManageRoles)
	for _, p := range ps {
		if p.HostAccountID != nil && *p.HostAccountID == actor.AccountID && actor.AccountID != 0 {
			c.HostOf = append(c.HostOf, p.ID)
		}
	}
	if actor.MemberID != 0 {
		a, err := s.Store.Attendee(ctx, id, actor.MemberID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, nil, err
		}
		if err == nil {
			c.Invitee, c.MyPointID = true, a.BridgePointID
		}
	}
	if !c.CanManage && len(c.HostOf) == 0 && !c.Invitee {
		return nil, nil, notFound()
	}
	c.SetState(s.now())
	return c, ps, nil
}

// Get returns a conference with its bridge points.
func (s *Service) Get(ctx context.Context, actor *auth.Actor, id int64) (*Conference, []BridgePoint, error) {
	return s.viewPoints(ctx, actor, id, true)
}

// List lists the conferences the actor manages, hosts a point of, or is
// invited to, the latest first.
func (s *Service) List(ctx context.Context, actor *auth.Actor, limit int, cursor string) (*page.Of[Conference], error) {
	f := Filter{Paths: actor.Paths(ManageRoles), MemberID: actor.MemberID, AccountID: actor.AccountID, Limit: page.Limit(limit), Cursor: cursor}
	return s.list(ctx, f)
}

// Invitations lists the conferences the actor's member record is invited
// to, the latest first (the handbook's home shows the first few, with
// their state); an account without a member record has none.
func (s *Service) Invitations(ctx context.Context, actor *auth.Actor, limit int) (*page.Of[Conference], error) {
	if actor.MemberID == 0 {
		return &page.Of[Conference]{Items: []Conference{}}, nil
	}
	return s.list(ctx, Filter{MemberID: actor.MemberID, Limit: page.Limit(limit)})
}

func (s *Service) list(ctx context.Context, f Filter) (*page.Of[Conference], error) {
	l, err := s.Store.List(ctx, f)
	if err != nil {
		return nil, err
	}
	now := s.now()
	for i := range l.Items {
		l.Items[i].SetState(now)
	}
	return l, nil
}

// CheckStreamURL accepts an empty link or an http(s) one of bounded length.
func CheckStreamURL(field, raw string) *apperr.FieldError {
	if raw == "" {
		return nil
	}
	if len(raw) > MaxStreamURL {
		f := apperr.FieldKeyed(field, "conference.url_length", "at most %d characters", MaxStreamURL)
		return &f
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || viet.CheckLine(raw) != nil || strings.ContainsAny(raw, " \t") {
		f := apperr.FieldKeyed(field, "conference.bad_url", "give an http:// or https:// link")
		return &f
	}
	return nil
}

// AddPoints adds bridge points to a conference the actor manages; each
// unit must be the host unit or below it, once per conference.
func (s *Service) AddPoints(ctx context.Context, actor *auth.Actor, confID int64, in []PointInput) ([]BridgePoint, error) {
	c, old, err := s.view(ctx, actor, confID)
	if err != nil {
		return nil, err
	}
	if !c.CanManage {
		return nil, notFound()
	}
	if len(in) == 0 {
		return nil, apperr.Keyed(apperr.Invalid, "conference.no_points", "give at least one bridge point")
	}
	if len(old)+len(in) > MaxPoints {
		return nil, apperr.Keyed(apperr.Invalid, "conference.too_many_points", "a conference has at most %d bridge points", MaxPoints)
	}
	taken := map[int64]bool{}
	for _, p := range old {
		taken[p.UnitID] = true
	}
	var errs []apperr.FieldError
	out := make([]BridgePoint, 0, len(in))
	for i, p := range in {
		row := i + 1
		name := viet.Clean(p.Name)
		if n := len([]rune(name)); n == 0 || n > MaxPointName || viet.CheckLine(name) != nil {
			errs = append(errs, apperr.RowKeyed(row, "name", "conference.point_name", "1 to %d characters", MaxPointName))
		}
		if e := CheckStreamURL("stream_url", p.StreamURL); e != nil {
			e.Row = row
			errs = append(errs, *e)
		}
		u, err := s.Store.Unit(ctx, p.UnitID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		switch {
		case err != nil || !actor.Can(u.Path, ManageRoles) || !strings.HasPrefix(u.Path, c.HostUnitPath):
			errs = append(errs, apperr.RowKeyed(row, "unit_id", "conference.point_unit", "no such unit at or below the host unit"))
			continue
		case u.Dissolved:
			errs = append(errs, apperr.RowKeyed(row, "unit_id", "conference.unit_dissolved", "the unit is dissolved"))
			continue
		case taken[u.ID]:
			errs = append(errs, apperr.RowKeyed(row, "unit_id", "conference.point_twice", "the unit already has a bridge point"))
			continue
		}
		taken[u.ID] = true
		if p.HostAccountID != nil {
			ok, err := s.Store.AccountExists(ctx, *p.HostAccountID)
			if err != nil {
				return nil, err
			}
			if !ok {
				errs = append(errs, apperr.RowKeyed(row, "host_account_id", "conference.no_account", "no such account"))
			}
		}
		out = append(out, BridgePoint{ConferenceID: confID, UnitID: u.ID, UnitName: u.Name, UnitPath: u.Path, Name: name, HostAccountID: p.HostAccountID, StreamURL: p.StreamURL})
	}
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "conference.points_not_valid", "the bridge points are not valid").With(errs...)
	}
	if err := s.Store.AddPoints(ctx, confID, out, auth.AuditEntry{Actor: actor, Action: "conference.points", ObjectType: "conference", ObjectID: confID, UnitPath: c.HostUnitPath, After: out}); err != nil {
		return nil, err
	}
	s.changes().Publish(confID)
	return s.Store.Points(ctx, confID, true)
}

// SetExpected places an invited member at a bridge point by hand (nil:
// back to the nearest point above their cell... kept as no point).
func (s *Service) SetExpected(ctx context.Context, actor *auth.Actor, confID, memberID int64, pointID *int64) (*Attendee, error) {
	c, ps, err := s.view(ctx, actor, confID)
	if err != nil {
		return nil, err
	}
	if !c.CanManage {
		return nil, notFound()
	}
	if pointID != nil && findPoint(ps, *pointID) == nil {
		return nil, apperr.InvalidField("bridge_point_id", "conference.no_point", "no such bridge point in this conference")
	}
	a, err := s.Store.Attendee(ctx, confID, memberID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Keyed(apperr.NotFound, "conference.not_invited", "the member is not invited to this conference")
	}
	if err != nil {
		return nil, err
	}
	if err := s.Store.SetExpected(ctx, confID, memberID, pointID, auth.AuditEntry{Actor: actor, Action: "conference.expected", ObjectType: "conference", ObjectID: confID, UnitPath: c.HostUnitPath,
		Before: map[string]any{"member_id": memberID, "bridge_point_id": a.BridgePointID}, After: map[string]any{"member_id": memberID, "bridge_point_id": pointID}}); err != nil {
		return nil, err
	}
	s.changes().Publish(confID)
	return s.Store.Attendee(ctx, confID, memberID)
}

func findPoint(ps []BridgePoint, id int64) *BridgePoint {
	for i := range ps {
		if ps[i].ID == id {
			return &ps[i]
		}
	}
	return nil
}

// Pass is a member's check-in code and its QR code.
type Pass struct {
	Code string `json:"code"`
	SVG  string `json:"svg"`
}

// MyPass returns the caller's pass for a conference they are invited to.
func (s *Service) MyPass(ctx context.Context, actor *auth.Actor, confID int64) (*Pass, error) {
	c, _, err := s.view(ctx, actor, confID)
	if err != nil {
		return nil, err
	}
	if !c.Invitee {
		return nil, apperr.Keyed(apperr.NotFound, "conference.no_pass", "you are not invited to this conference")
	}
	key, err := s.passKey(ctx)
	if err != nil {
		return nil, err
	}
	code := SignPass(key, confID, actor.MemberID)
	svg, err := qr.SVG(code)
	if err != nil {
		return nil, err
	}
	return &Pass{Code: code, SVG: svg}, nil
}

// Checkin records check-ins at bridge points: the host of a point at that
// point, the officers anywhere. Every entry is checked before anything is
// written; one wrong entry refuses the whole request (row numbers from 1).
func (s *Service) Checkin(ctx context.Context, actor *auth.Actor, confID int64, in []CheckinInput) ([]Checkin, error) {
	c, ps, err := s.view(ctx, actor, confID)
	if err != nil {
		return nil, err
	}
	if !c.CanManage && len(c.HostOf) == 0 {
		return nil, notFound()
	}
	if c.CancelledAt != nil {
		return nil, apperr.Keyed(apperr.Conflict, "conference.cancelled", "the conference was called off")
	}
	if len(in) == 0 {
		return nil, apperr.Keyed(apperr.Invalid, "conference.no_checkins", "give at least one check-in")
	}
	if len(in) > MaxBatch {
		return nil, apperr.Keyed(apperr.TooLarge, "conference.batch_size", "at most %d check-ins at once", MaxBatch)
	}
	now := s.now().UTC()
	run := &checkinRun{s: s, actor: actor, confID: confID, c: c, ps: ps, now: now, earliest: c.StartsAt.Add(-AtBeforeStart), latest: now.Add(AtSkew), many: len(in) > 1}
	end := c.StartsAt
	if c.EndsAt != nil {
		end = *c.EndsAt
	}
	if l := end.Add(AtAfterEndDays * 24 * time.Hour); l.Before(run.latest) {
		run.latest = l
	}
	if err := run.readInvited(ctx, in); err != nil {
		return nil, err
	}
	out := make([]Checkin, 0, len(in))
	seen := map[int64]bool{}
	for i, x := range in {
		ck, ok, err := run.entry(ctx, i, x)
		if err != nil {
			return nil, err
		}
		if !ok || seen[ck.MemberID] {
			// Twice in one request: the second is the first's repeat.
			continue
		}
		seen[ck.MemberID] = true
		out = append(out, ck)
	}
	errs := run.errs
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "conference.checkin_refused", "the check-in was refused").With(errs...)
	}
	got, err := s.Store.RecordCheckins(ctx, confID, out, auth.AuditEntry{Actor: actor, Action: "conference.checkin", ObjectType: "conference", ObjectID: confID, UnitPath: c.HostUnitPath})
	if err != nil {
		return nil, err
	}
	for _, g := range got {
		if !g.Repeat {
			s.changes().Publish(confID)
			break
		}
	}
	return got, nil
}

// checkinRun is one Checkin request: the conference, the window of times
// of arrival it accepts, the pass key once needed, and the refusals.
type checkinRun struct {
	s                     *Service
	actor                 *auth.Actor
	confID                int64
	c                     *Conference
	ps                    []BridgePoint
	now, earliest, latest time.Time
	many                  bool
	key                   []byte
	errs                  []apperr.FieldError
	// asked and invited: the members the entries name by id, and those of
	// them invited (readInvited); a member given by a pass is read alone.
	asked   map[int64]bool
	invited map[int64]*Attendee
}

// readInvited reads, in one call, which of the members the entries name
// by id are invited: a batch of MaxBatch check-ins read them one by one
// (the demo's 8,545 check-ins, a query each).
func (r *checkinRun) readInvited(ctx context.Context, in []CheckinInput) error {
	r.asked = map[int64]bool{}
	var ids []int64
	for _, x := range in {
		if x.MemberID > 0 && !r.asked[x.MemberID] {
			r.asked[x.MemberID] = true
			ids = append(ids, x.MemberID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var err error
	r.invited, err = r.s.Store.Attendees(ctx, r.confID, ids)
	return err
}

// attendee is the invited member's attendee record; nil when the member
// is not invited.
func (r *checkinRun) attendee(ctx context.Context, memberID int64) (*Attendee, error) {
	if r.asked[memberID] {
		return r.invited[memberID], nil
	}
	a, err := r.s.Store.Attendee(ctx, r.confID, memberID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}
	return a, err
}

// refuse notes a refusal of entry i (its row only when the request has
// several).
func (r *checkinRun) refuse(i int, field, k, format string, args ...any) {
	f := apperr.FieldKeyed(field, k, format, args...)
	if r.many {
		f.Row = i + 1
	}
	r.errs = append(r.errs, f)
}

// entry checks entry i, x, and answers its check-in; false when refused.
func (r *checkinRun) entry(ctx context.Context, i int, x CheckinInput) (Checkin, bool, error) {
	confID := r.confID
	p := findPoint(r.ps, x.BridgePointID)
	if p == nil || (!r.c.CanManage && !(p.HostAccountID != nil && *p.HostAccountID == r.actor.AccountID)) {
		r.refuse(i, "bridge_point_id", "conference.no_point", "no such bridge point in this conference")
		return Checkin{}, false, nil
	}
	ck := Checkin{ConferenceID: confID, BridgePointID: p.ID, ByAccountID: r.actor.AccountID, RecordedAt: r.now, ClientID: strings.TrimSpace(x.ClientID)}
	switch {
	case x.Code != "" && x.MemberID != 0:
		r.refuse(i, "code", "conference.code_or_member", "give a code or a member_id, not both")
		return ck, false, nil
	case x.Code != "":
		if r.key == nil {
			var err error
			if r.key, err = r.s.passKey(ctx); err != nil {
				return ck, false, err
			}
		}
		pc, pm, ok := VerifyPass(r.key, x.Code)
		if !ok {
			r.refuse(i, "code", "conference.pass_invalid", "this is not a valid pass")
			return ck, false, nil
		}
		if pc != confID {
			r.refuse(i, "code", "conference.pass_other", "this pass is for another conference")
			return ck, false, nil
		}
		ck.MemberID, ck.Method = pm, "code"
	case x.MemberID > 0:
		ck.MemberID, ck.Method = x.MemberID, "roll"
	default:
		r.refuse(i, "member_id", "conference.code_or_member", "give a code or a member_id, not both")
		return ck, false, nil
	}
	if len(ck.ClientID) > MaxClientID || viet.CheckLine(ck.ClientID) != nil {
		r.refuse(i, "client_id", "conference.client_id", "at most %d plain characters", MaxClientID)
		return ck, false, nil
	}
	ck.At = r.now
	if x.At != nil {
		at := x.At.UTC()
		if at.Before(r.earliest) || at.After(r.latest) {
			r.refuse(i, "at", "conference.at_range", "the time of arrival must be between the day before the conference and now")
			return ck, false, nil
		}
		if at.After(r.now) {
			at = r.now
		}
		ck.At = at
	}
	a, err := r.attendee(ctx, ck.MemberID)
	if err != nil {
		return ck, false, err
	}
	if a == nil {
		r.refuse(i, "member_id", "conference.not_invited", "the member is not invited to this conference")
		return ck, false, nil
	}
	ck.MemberName, ck.ExpectedAt = a.Name, a.BridgePointID
	ck.Late = ck.At.After(r.c.StartsAt)
	ck.Elsewhere = a.BridgePointID == nil || *a.BridgePointID != p.ID
	return ck, true, nil
}

// Heartbeat says a bridge point's page is open (its host or an officer).
func (s *Service) Heartbeat(ctx context.Context, actor *auth.Actor, confID, pointID int64) error {
	c, ps, err := s.view(ctx, actor, confID)
	if err != nil {
		return err
	}
	p := findPoint(ps, pointID)
	if p == nil || (!c.CanManage && !(p.HostAccountID != nil && *p.HostAccountID == actor.AccountID)) {
		return pointNotFound()
	}
	now := s.now().UTC()
	was := p.LastHeartbeat != nil && now.Sub(*p.LastHeartbeat) <= ConnectedFor
	if err := s.Store.Heartbeat(ctx, confID, pointID, now); err != nil {
		return err
	}
	if !was {
		s.changes().Publish(confID)
	}
	return nil
}

// Attendance is the board: the officers and the points' hosts see it.
func (s *Service) Attendance(ctx context.Context, actor *auth.Actor, confID int64) (*Attendance, error) {
	c, _, err := s.view(ctx, actor, confID)
	if err != nil {
		return nil, err
	}
	if !c.CanManage && len(c.HostOf) == 0 {
		return nil, notFound()
	}
	return s.attendance(ctx, confID)
}

func (s *Service) attendance(ctx context.Context, confID int64) (*Attendance, error) {
	now := s.now().UTC()
	a, err := s.Store.Attendance(ctx, confID, now.Add(-ConnectedFor))
	if err != nil {
		return nil, err
	}
	a.ConferenceID, a.At = confID, now
	return a, nil
}

// Roll is a bridge point's list of expected members with their check-in,
// searchable without diacritics (pointID 0: every invited member, for
// the officers).
func (s *Service) Roll(ctx context.Context, actor *auth.Actor, confID, pointID int64, q string, limit int, cursor string) (*page.Of[Attendee], error) {
	c, ps, err := s.view(ctx, actor, confID)
	if err != nil {
		return nil, err
	}
	if pointID == 0 {
		if !c.CanManage {
			return nil, notFound()
		}
	} else {
		p := findPoint(ps, pointID)
		if p == nil || (!c.CanManage && !(p.HostAccountID != nil && *p.HostAccountID == actor.AccountID)) {
			return nil, pointNotFound()
		}
	}
	if len([]rune(q)) > 200 {
		return nil, apperr.InvalidField("q", "conference.query_length", "at most %d characters", 200)
	}
	return s.Store.Roll(ctx, RollFilter{ConferenceID: confID, BridgePointID: pointID, Query: viet.Fold(q), Limit: page.Limit(limit), Cursor: cursor})
}

func dedupe(ids []int64) []int64 {
	seen := map[int64]bool{}
	out := []int64{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func dedupeRoles(rs []auth.Role) []auth.Role {
	seen := map[auth.Role]bool{}
	var out []auth.Role
	for _, r := range rs {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// InvitationText is the body of the invitation: when (Vietnam time), who
// holds it, and what the linked page shows.
func InvitationText(c *Conference) string {
	return "Thời gian: " + c.StartsAt.In(date.Vietnam).Format("15:04 ngày 02/01/2006") + ". Đơn vị tổ chức: " + c.HostUnitName +
		". Mở giấy mời để xem mã điểm danh (QR), điểm cầu của đồng chí và tài liệu hội nghị."
}
