// Package conference is the multi-site conference (hội nghị trực tuyến):
// a conference held at its host unit and at bridge points (điểm cầu) in
// the units below, its invited audience, the members' signed passes, the
// check-ins at the bridge points and the live attendance board.
package conference

import (
	"context"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/page"
)

// ManageRoles are the host unit's officers: they create a conference on
// their unit, add its bridge points, edit who is expected where, check
// people in at any point and watch the board.
var ManageRoles = []auth.Role{auth.RoleAdmin, auth.RoleOffice, auth.RoleStandingCommittee, auth.RoleCommittee}

// InvitationKind is the kind of the inbox notification every expected
// attendee gets (linking to /hoi-nghi/{id}: the pass, the bridge point and
// the documents).
const InvitationKind = "conference_invitation"

// Limits.
const (
	MaxTitle       = 500
	MaxAgenda      = 20000
	MaxPointName   = 200
	MaxStreamURL   = 2000
	MaxDocuments   = 50
	MaxPoints      = 500 // bridge points of one conference
	MaxClientID    = 64
	MaxBatch       = 500 // check-ins in one request
	ConnectedFor   = 30 * time.Second
	AtSkew         = 2 * time.Minute // how far in the future a device clock may be
	AtBeforeStart  = 24 * time.Hour  // how long before the start a check-in may be dated
	AtAfterEndDays = 1               // after the end (or the start when no end), in days
)

// Audience is who is invited: the active members whose cell is in the
// subtree of UnitID; with Roles, only those whose account holds one of
// them on a unit of that subtree.
type Audience struct {
	UnitID int64       `json:"unit_id"`
	Roles  []auth.Role `json:"roles,omitempty"`
}

// CreateInput is POST /api/v1/conferences.
type CreateInput struct {
	Title       string     `json:"title"`
	Agenda      string     `json:"agenda"`
	StartsAt    time.Time  `json:"starts_at"`
	EndsAt      *time.Time `json:"ends_at"`
	HostUnitID  int64      `json:"host_unit_id"`
	Audience    Audience   `json:"audience"`
	DocumentIDs []int64    `json:"document_ids"`
}

// Conference is one conference.
type Conference struct {
	ID               int64      `json:"id"`
	Title            string     `json:"title"`
	Agenda           string     `json:"agenda"`
	StartsAt         time.Time  `json:"starts_at"`
	EndsAt           *time.Time `json:"ends_at"`
	HostUnitID       int64      `json:"host_unit_id"`
	HostUnitName     string     `json:"host_unit_name"`
	HostUnitPath     string     `json:"-"`
	Audience         Audience   `json:"audience"`
	AudienceUnitName string     `json:"audience_unit_name"`
	AudiencePath     string     `json:"-"`
	DocumentIDs      []int64    `json:"document_ids"`
	Invited          int        `json:"invited"`
	CreatedBy        int64      `json:"-"`
	// Invitation is the text of the invitation in the inbox (Vietnamese,
	// the time in Asia/Ho_Chi_Minh), made at creation; members who join
	// the audience before the start get the same.
	Invitation string `json:"-"`
	// CancelledAt is set when the conference was called off (with
	// CancelReason); it then takes no check-ins.
	CancelledAt  *time.Time `json:"cancelled_at"`
	CancelReason string     `json:"cancel_reason,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	Version      int        `json:"version"`
	// State is where the conference stands when it is read: upcoming,
	// under_way, ended or cancelled (SetState).
	State string `json:"state"`
	// For the caller: may manage it; hosts these bridge points; is
	// invited (and expected at MyPointID, when set).
	CanManage bool    `json:"can_manage"`
	HostOf    []int64 `json:"host_of,omitempty"`
	Invitee   bool    `json:"invited_me"`
	MyPointID *int64  `json:"my_bridge_point_id,omitempty"`
}

// Ref is the conference's id and version (its ETag in the API).
func (x *Conference) Ref() (id int64, version int) { return x.ID, x.Version }

// PointInput is one bridge point to add.
type PointInput struct {
	UnitID        int64  `json:"unit_id"`
	Name          string `json:"name"`
	HostAccountID *int64 `json:"host_account_id"`
	StreamURL     string `json:"stream_url"`
}

// BridgePoint is one site of the conference.
type BridgePoint struct {
	ID            int64      `json:"id"`
	ConferenceID  int64      `json:"conference_id"`
	UnitID        int64      `json:"unit_id"`
	UnitName      string     `json:"unit_name"`
	UnitPath      string     `json:"-"`
	Name          string     `json:"name"`
	HostAccountID *int64     `json:"host_account_id"`
	HostUsername  string     `json:"host_username,omitempty"`
	StreamURL     string     `json:"stream_url"`
	Expected      int        `json:"expected"`
	LastHeartbeat *time.Time `json:"last_heartbeat"`
}

// CheckinInput is one check-in: a pass's code or a member id, at a point.
type CheckinInput struct {
	Code          string     `json:"code"`
	MemberID      int64      `json:"member_id"`
	BridgePointID int64      `json:"bridge_point_id"`
	At            *time.Time `json:"at"`
	ClientID      string     `json:"client_id"`
}

// Checkin is a recorded check-in.
type Checkin struct {
	ConferenceID  int64     `json:"conference_id"`
	MemberID      int64     `json:"member_id"`
	MemberName    string    `json:"member_name"`
	BridgePointID int64     `json:"bridge_point_id"`
	ExpectedAt    *int64    `json:"expected_bridge_point_id"`
	At            time.Time `json:"at"`
	RecordedAt    time.Time `json:"recorded_at"`
	ByAccountID   int64     `json:"by_account_id"`
	Method        string    `json:"method"` // code or roll
	ClientID      string    `json:"client_id,omitempty"`
	Late          bool      `json:"late"`
	Elsewhere     bool      `json:"elsewhere"`
	// Repeat: the member was already checked in; this is that record.
	Repeat bool `json:"repeat"`
}

// Counts are the attendance figures of a bridge point or the whole.
// Expected: invited and expected there; Present: checked in there; Late:
// of those, after the start; Elsewhere: of those, expected at another
// point (or none); Absent: expected there and checked in nowhere.
type Counts struct {
	Expected  int `json:"expected"`
	Present   int `json:"present"`
	Late      int `json:"late"`
	Absent    int `json:"absent"`
	Elsewhere int `json:"elsewhere"`
}

// PointCounts are one bridge point's figures.
type PointCounts struct {
	ID     int64  `json:"id"`
	UnitID int64  `json:"unit_id"`
	Name   string `json:"name"`
	Counts
	Connected bool `json:"connected"`
}

// Attendance is the board.
type Attendance struct {
	ConferenceID int64         `json:"conference_id"`
	Total        Counts        `json:"total"`
	BridgePoints []PointCounts `json:"bridge_points"`
	At           time.Time     `json:"at"`
}

// Attendee is an invited member and where they are expected.
type Attendee struct {
	MemberID      int64      `json:"member_id"`
	Name          string     `json:"name"`
	UnitName      string     `json:"unit_name"`
	UnitPath      string     `json:"-"`
	BridgePointID *int64     `json:"bridge_point_id"`
	Manual        bool       `json:"manual"`
	CheckedIn     bool       `json:"checked_in"`
	CheckedAt     *time.Time `json:"checked_in_at"`
	CheckedPoint  *int64     `json:"checked_in_bridge_point_id"`
}

// RollFilter selects a bridge point's roll.
type RollFilter struct {
	ConferenceID  int64
	BridgePointID int64 // 0: every attendee
	Query         string
	Limit         int
	Cursor        string
}

// Filter selects conferences for a list: hosted on a unit under one of
// Paths, or where MemberID is invited, or AccountID hosts a point.
type Filter struct {
	Paths     []string
	MemberID  int64
	AccountID int64
	Limit     int
	Cursor    string
}

// UnitRef is a unit as the module sees it.
type UnitRef struct {
	ID        int64
	Path      string
	Name      string
	Dissolved bool
}

// Store is what the module needs from the database.
type Store interface {
	Unit(ctx context.Context, id int64) (*UnitRef, error)
	AccountExists(ctx context.Context, id int64) (bool, error)
	// Create inserts the conference and its invitations (set-based, from
	// the audience) and fills c.ID and c.Invited.
	Create(ctx context.Context, c *Conference, a auth.AuditEntry) error
	Conference(ctx context.Context, id int64) (*Conference, error)
	List(ctx context.Context, f Filter) (*page.Of[Conference], error)
	// AddPoints inserts bridge points and recomputes, set-based, where each
	// invited member not placed by hand is expected.
	AddPoints(ctx context.Context, confID int64, ps []BridgePoint, a auth.AuditEntry) error
	// Points lists the bridge points; with counts, each one's Expected
	// (the check-ins leave it out: they need the points, not the counts).
	Points(ctx context.Context, confID int64, counts bool) ([]BridgePoint, error)
	Attendee(ctx context.Context, confID, memberID int64) (*Attendee, error)
	// Attendees returns the invited among memberIDs, by member (one read
	// for a batch of check-ins instead of one per member).
	Attendees(ctx context.Context, confID int64, memberIDs []int64) (map[int64]*Attendee, error)
	SetExpected(ctx context.Context, confID, memberID int64, pointID *int64, a auth.AuditEntry) error
	// RecordCheckins writes the check-ins not yet recorded (by conference
	// and member, and by client id) and returns each as recorded, with
	// Repeat set on those already there. It audits the new ones.
	RecordCheckins(ctx context.Context, confID int64, cs []Checkin, a auth.AuditEntry) ([]Checkin, error)
	Heartbeat(ctx context.Context, confID, pointID int64, at time.Time) error
	Attendance(ctx context.Context, confID int64, connectedSince time.Time) (*Attendance, error)
	Roll(ctx context.Context, f RollFilter) (*page.Of[Attendee], error)
	// ServerKey returns the named server key, made at first use.
	ServerKey(ctx context.Context, name string) ([]byte, error)
	HistoryStore
	// Reschedule moves a conference whose version is still version to
	// c.StartsAt/c.EndsAt (with c.Invitation, the new text for late
	// joiners) and sends every attendee the notice, set-based.
	Reschedule(ctx context.Context, c *Conference, version int, notice Notice, a auth.AuditEntry) error
	// HostOptions lists the enabled accounts holding a role on one of the
	// units, those at or below hostPath only, by unit and username.
	HostOptions(ctx context.Context, hostPath string, unitIDs []int64) ([]HostOption, error)
	// Cancel marks it called off and sends every attendee the notice.
	Cancel(ctx context.Context, c *Conference, version int, notice Notice, a auth.AuditEntry) error
}

// Notice is the inbox notification every attendee gets when a conference
// changes: the store adds the conference's title to Title and writes it
// once per member under EventKey.
type Notice struct {
	Title    string // prefix of the conference's title
	Body     string
	EventKey string // "conference:<id>:<what>"
}

// DocumentChecker tells whether the actor may read a document.
type DocumentChecker interface {
	DocumentReadable(ctx context.Context, actor *auth.Actor, id int64) (bool, error)
}

// States of a conference.
const (
	StateUpcoming  = "upcoming"  // not started yet
	StateUnderWay  = "under_way" // started, not ended
	StateEnded     = "ended"     // past its end
	StateCancelled = "cancelled" // called off
)

// SetState fills State at now: cancelled once called off; upcoming before
// the start; ended after the end, or, without an end, after the day of
// the start (in Vietnam); under way between.
func (c *Conference) SetState(now time.Time) {
	d := date.Of(c.StartsAt.In(date.Vietnam)).AddDays(1)
	end := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, date.Vietnam)
	if c.EndsAt != nil {
		end = *c.EndsAt
	}
	switch {
	case c.CancelledAt != nil:
		c.State = StateCancelled
	case now.Before(c.StartsAt):
		c.State = StateUpcoming
	case now.Before(end):
		c.State = StateUnderWay
	default:
		c.State = StateEnded
	}
}
