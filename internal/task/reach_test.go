package task

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/fakestore"
)

// reachStore is an in-memory Store with just what creating tasks and
// recording steps read: a small tree, its members, and tasks with their
// steps. The methods it does not implement panic (the embedded nil Store).
//
//	/1/ district (head: member 20)
//	  /1/2/ commune A (head 21)      /1/3/ commune B (head 22)
//	    /1/2/4/ cell A1 (head 10)      /1/3/6/ cell B1 (member 12)
//	    /1/2/5/ cell A2 (member 11)
//	/7/ another district
//	  /7/8/ cell X1 (member 13)
type reachStore struct {
	Store
	units   map[int64]*UnitRef
	members map[int64]*MemberRef
	heads   map[int64]int64
	tasks   map[int64]*Task
	steps   map[int64][]Step
	created *NewTasks
	// recorded is every step recorded, in order.
	recorded []*StepRecord
}

func newReachStore() *reachStore {
	f := &reachStore{units: map[int64]*UnitRef{}, members: map[int64]*MemberRef{}, heads: map[int64]int64{},
		tasks: map[int64]*Task{}, steps: map[int64][]Step{}}
	unit := func(id, parent int64, path, name, kind string) {
		u := &UnitRef{ID: id, Path: path, Name: name, Kind: kind}
		if parent != 0 {
			u.ParentID = &parent
		}
		f.units[id] = u
	}
	unit(1, 0, "/1/", "Huyện ủy", "district_committee")
	unit(2, 1, "/1/2/", "Đảng bộ xã A", "grassroots_committee")
	unit(3, 1, "/1/3/", "Đảng bộ xã B", "grassroots_committee")
	unit(4, 2, "/1/2/4/", "Chi bộ A1", "cell")
	unit(5, 2, "/1/2/5/", "Chi bộ A2", "cell")
	unit(6, 3, "/1/3/6/", "Chi bộ B1", "cell")
	unit(7, 0, "/7/", "Huyện ủy khác", "district_committee")
	unit(8, 7, "/7/8/", "Chi bộ X1", "cell")
	member := func(id, unit int64) {
		f.members[id] = &MemberRef{ID: id, UnitID: unit, UnitPath: f.units[unit].Path, Name: fmt.Sprintf("Đảng viên %d", id), Active: true}
	}
	for id, u := range map[int64]int64{10: 4, 11: 5, 12: 6, 13: 8, 20: 4, 21: 4, 22: 6} {
		member(id, u)
	}
	f.heads = map[int64]int64{1: 20, 2: 21, 3: 22, 4: 10}
	return f
}

func (f *reachStore) Unit(ctx context.Context, id int64) (*UnitRef, error) {
	return fakestore.Copy(f.units, id)
}

func (f *reachStore) Member(ctx context.Context, id int64) (*MemberRef, error) {
	return fakestore.Copy(f.members, id)
}

func (f *reachStore) UnitHeads(ctx context.Context, ids []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	for _, id := range ids {
		if m, ok := f.heads[id]; ok {
			out[id] = m
		}
	}
	return out, nil
}

func (f *reachStore) Rules(ctx context.Context) ([]Rule, error) { return nil, nil }

func (f *reachStore) Task(ctx context.Context, id int64) (*Task, error) {
	return fakestore.Copy(f.tasks, id)
}

func (f *reachStore) Steps(ctx context.Context, id int64) ([]Step, error) {
	return append([]Step(nil), f.steps[id]...), nil
}

func (f *reachStore) Flags(ctx context.Context, id int64) ([]Flag, error) { return nil, nil }

func (f *reachStore) RecordStep(ctx context.Context, r *StepRecord, a auth.AuditEntry) error {
	f.recorded = append(f.recorded, r)
	t := *r.Task
	u := f.units[t.HolderUnitID]
	t.HolderPath, t.HolderUnitName, t.HolderKind, t.HolderParentID = u.Path, u.Name, u.Kind, u.ParentID
	f.tasks[t.ID] = &t
	return nil
}

func (f *reachStore) Create(ctx context.Context, in *NewTasks, a auth.AuditEntry) error {
	f.created = in
	if in.Group != nil {
		in.Group.Task.ID = 899
		f.held(in.Group.Task, in.Group.Task.IssuerUnitID, in.Group.Task.HolderUnitID)
	}
	for i := range in.Items {
		in.Items[i].Task.ID = int64(900 + i)
		f.held(in.Items[i].Task, in.Items[i].Task.IssuerUnitID, in.Items[i].Task.HolderUnitID)
	}
	return nil
}

// held stores a task issued by unit issuer and held by unit holder (and
// its head), with the step that began the holding.
func (f *reachStore) held(t *Task, issuer, holder int64) *Task {
	i, h := f.units[issuer], f.units[holder]
	t.IssuerUnitID, t.IssuerPath = i.ID, i.Path
	t.UnitID, t.UnitPath = h.ID, h.Path
	t.HolderUnitID, t.HolderPath, t.HolderUnitName, t.HolderKind, t.HolderParentID = h.ID, h.Path, h.Name, h.Kind, h.ParentID
	if m, ok := f.heads[holder]; ok {
		t.HolderMemberID = &m
	}
	if t.State == "" {
		t.State = StateInProgress
	}
	t.Kind, t.Version, t.HolderStepID = KindTask, 1, t.ID*10
	t.DueOn = date.MustParse("2026-12-31")
	t.HolderDueOn = t.DueOn
	f.tasks[t.ID] = t
	f.steps[t.ID] = []Step{{ID: t.ID * 10, TaskID: t.ID, Action: ActCreate, FromUnitID: &i.ID, ToUnitID: &h.ID, ToMemberID: t.HolderMemberID,
		FromUnitPath: i.Path, ToUnitPath: h.Path}}
	return t
}

// readableDocs answers DocumentReadable from a fixed set.
type readableDocs map[int64]bool

func (d readableDocs) DocumentReadable(ctx context.Context, actor *auth.Actor, id int64) (bool, error) {
	return d[id], nil
}

func actorOn(unit *UnitRef, role auth.Role, member int64) *auth.Actor {
	return &auth.Actor{AccountID: unit.ID*100 + member, Username: fmt.Sprintf("%s.%d", role, unit.ID), MemberID: member,
		Grants: []auth.Grant{{UnitID: unit.ID, UnitPath: unit.Path, Role: role}}}
}

func reachService(f *reachStore) *Service {
	now := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	return &Service{Store: f, Documents: readableDocs{50: true}, Now: func() time.Time { return now }}
}

// TestForwardStaysInReach: a forward names a unit or a member within the
// issuer's subtree and within the actor's reach (for the holder: its own
// reach and the units under the unit above it). Anything else answers
// exactly as an id that does not exist, and the task does not move.
func TestForwardStaysInReach(t *testing.T) {
	const missing = 999999999
	ctx := context.Background()
	tests := []struct {
		name   string
		issuer int64 // the task's issuer and holder units
		holder int64
		actor  func(f *reachStore) *auth.Actor
		field  string // to_unit_id or to_member_id
		to     int64
		ok     bool
	}{
		// The cell officer of A1 (and its head) holds a task of commune A.
		{"cell to a cell beside it", 2, 4, cellOfficerA1, "to_unit_id", 5, true},
		{"cell to a member of the cell beside it", 2, 4, cellOfficerA1, "to_member_id", 11, true},
		{"cell to another commune's cell", 2, 4, cellOfficerA1, "to_unit_id", 6, false},
		{"cell to another commune", 2, 4, cellOfficerA1, "to_unit_id", 3, false},
		{"cell to another commune's member", 2, 4, cellOfficerA1, "to_member_id", 12, false},
		{"cell to another district's cell", 2, 4, cellOfficerA1, "to_unit_id", 8, false},
		{"cell to another district's member", 2, 4, cellOfficerA1, "to_member_id", 13, false},
		// The district gave the task: the cell still passes it only to the
		// units under its commune.
		{"cell, district's task, to another commune's cell", 1, 4, cellOfficerA1, "to_unit_id", 6, false},
		// Commune A's committee holds a task of the district.
		{"commune to the commune beside it", 1, 2, committeeA, "to_unit_id", 3, true},
		{"commune to a cell of the commune beside it", 1, 2, committeeA, "to_unit_id", 6, true},
		{"commune to another district's cell", 1, 2, committeeA, "to_unit_id", 8, false},
		{"commune to another district's member", 1, 2, committeeA, "to_member_id", 13, false},
		// Commune A gave itself the task: nothing outside A.
		{"commune, own task, to the commune beside it", 2, 2, committeeA, "to_unit_id", 3, false},
		{"commune, own task, to its cell", 2, 2, committeeA, "to_unit_id", 5, true},
		// The district's committee, above the holder, redirects a task of
		// commune A within A only.
		{"superior within the issuer", 2, 4, districtCommittee, "to_unit_id", 5, true},
		{"superior outside the issuer", 2, 4, districtCommittee, "to_unit_id", 6, false},
		{"superior outside the issuer, by member", 2, 4, districtCommittee, "to_member_id", 12, false},
	}
	step := func(s *Service, actor *auth.Actor, id int64, field string, to int64) (*Detail, error) {
		in := StepInput{Action: ActForward, Note: "chuyển"}
		if field == "to_unit_id" {
			in.ToUnitID = &to
		} else {
			in.ToMemberID = &to
		}
		return s.Step(ctx, actor, id, in)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newReachStore()
			s := reachService(f)
			f.held(&Task{ID: 1}, tt.issuer, tt.holder)
			f.held(&Task{ID: 2}, tt.issuer, tt.holder)
			actor := tt.actor(f)
			d, err := step(s, actor, 1, tt.field, tt.to)
			if tt.ok {
				if err != nil {
					t.Fatalf("got %v, want the forward recorded", err)
				}
				if d.HolderUnitID == tt.holder && (d.HolderMemberID == nil || *d.HolderMemberID == 10) {
					t.Errorf("the task stayed with unit %d", d.HolderUnitID)
				}
				return
			}
			if err == nil {
				t.Fatalf("got the task forwarded to unit %d, want not found", d.HolderUnitID)
			}
			if !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("got %v, want not found", err)
			}
			_, want := step(s, actor, 2, tt.field, missing)
			if !apperr.Is(want, apperr.NotFound) {
				t.Fatalf("a missing id: got %v, want not found", want)
			}
			ge, _ := apperr.As(err)
			we, _ := apperr.As(want)
			if ge.Message != we.Message || !reflect.DeepEqual(ge.Fields, we.Fields) {
				t.Errorf("got %q %v, want the answer for a missing id: %q %v", ge.Message, ge.Fields, we.Message, we.Fields)
			}
			if got := f.tasks[1]; got.HolderUnitID != tt.holder || got.Version != 1 {
				t.Errorf("the task moved to unit %d", got.HolderUnitID)
			}
		})
	}
}

func cellOfficerA1(f *reachStore) *auth.Actor     { return actorOn(f.units[4], auth.RoleCellOfficer, 10) }
func committeeA(f *reachStore) *auth.Actor        { return actorOn(f.units[2], auth.RoleCommittee, 0) }
func districtCommittee(f *reachStore) *auth.Actor { return actorOn(f.units[1], auth.RoleCommittee, 0) }

// TestCreateLinksInReach: a task's document and assignee are ids the
// creator must be able to read; otherwise the answer is the one for an id
// that does not exist.
func TestCreateLinksInReach(t *testing.T) {
	const missing = 999999999
	ctx := context.Background()
	tests := []struct {
		name     string
		unit     int64
		document *int64
		assignee *int64
		ok       bool
	}{
		{"a readable document", 4, ptr[int64](50), nil, true},
		{"an unreadable document", 4, ptr[int64](51), nil, false},
		{"an assignee in the unit", 4, nil, ptr[int64](10), true},
		{"an assignee of another commune", 4, nil, ptr[int64](12), false},
		{"an assignee of another district", 4, nil, ptr[int64](13), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newReachStore()
			s := reachService(f)
			actor := committeeA(f)
			in := CreateInput{Title: "Việc", UnitID: tt.unit, DueOn: date.MustParse("2026-12-01"), DocumentID: tt.document, AssigneeID: tt.assignee}
			_, err := s.Create(ctx, actor, in)
			if tt.ok {
				if err != nil {
					t.Fatalf("got %v, want the task created", err)
				}
				return
			}
			field := "document_id"
			if tt.document != nil {
				in.DocumentID = ptr[int64](missing)
			} else {
				field = "assignee_id"
				in.AssigneeID = ptr[int64](missing)
			}
			_, want := s.Create(ctx, actor, in)
			ge, _ := apperr.As(err)
			we, _ := apperr.As(want)
			if ge == nil || we == nil || !apperr.Is(err, apperr.NotFound) || ge.Message != we.Message || !reflect.DeepEqual(ge.Fields, we.Fields) {
				t.Fatalf("got %v, want the answer for a missing %s: %v (not found)", err, field, want)
			}
			if f.created != nil {
				t.Errorf("a task was created")
			}
		})
	}
}
