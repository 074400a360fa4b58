package task

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/sotay-vn/sotay/internal/auth"
)

// Notices of hand-overs. Every hand-over (a creation or a fan-out's
// sub-tasks, a forward, a return, an escalation) tells the new holder in
// its in-app inbox, and a return or an escalation also tells the issuer.
// The Service raises them after the step is recorded, through Notifier
// (notify.Service, wired in internal/cli), so every surface gets them.
//
// Who is told, by the capacity rules (CapacityOf):
//
//   - the new holder: when the hand-over names a member (an assignee, a
//     forward to a member), that member's accounts; otherwise the accounts
//     holding a HolderRoles role on the receiving unit itself and the
//     accounts of its head, who holds the task for it. Never the members
//     of the unit: a fan-out to 30 units tells the officers of 30 units.
//   - the issuer, on a return or an escalation: the account that created
//     the task, or, for a task created by the system, the accounts holding
//     a HolderRoles role on the issuing unit.
//
// The actor is never told of its own step, nobody twice of one step, and
// disabled accounts not at all. Each recipient can see the task (it holds
// it, or issued it), and the text names no unit or person: only the task's
// title, which the recipient can read, and its due date.

// Notice kinds: the new holder's (the kind of notify.TaskAssigned) and
// the issuer's (notify.TaskHandedBack).
const (
	NoticeHandover   = "task_assigned"
	NoticeHandedBack = "task_handed_back"
)

// Notice is one in-app message to a few accounts.
type Notice struct {
	AccountIDs []int64
	Kind       string
	Title      string
	Body       string
	Link       string
	// EventKey names the event: each account gets it once.
	EventKey string
}

// Notifier writes the notices (notify.Service through an adapter).
type Notifier interface {
	TaskNotices(ctx context.Context, ns []Notice) error
}

// Audience is whom a notice is for: the accounts with a role among Roles
// on each of UnitIDs, and the accounts linked to each of MemberIDs.
type Audience struct {
	UnitIDs   []int64
	Roles     []auth.Role
	MemberIDs []int64
}

// handover is one hand-over to announce.
type handover struct {
	task *Task
	// stepID names the event.
	stepID int64
	action Action
	// unitID is the receiving unit (0 when a member was named); memberID
	// the holder member (the head of the unit, or the member named).
	unitID   int64
	memberID *int64
}

// notifyHandovers tells the new holders, and the issuers of returned or
// escalated tasks. The step is recorded: a failure is logged, not
// returned.
func (s *Service) notifyHandovers(ctx context.Context, actor *auth.Actor, hs []handover) {
	if s.Notifier == nil || len(hs) == 0 {
		return
	}
	ns, err := s.notices(ctx, actor, hs)
	if err == nil && len(ns) > 0 {
		err = s.Notifier.TaskNotices(ctx, ns)
	}
	if err != nil && s.Log != nil {
		s.Log.Error("task notices", "task", hs[0].task.ID, "err", err)
	}
}

// handoverNotices are the notices of one hand-over: to the new holders
// (the unit's holders and the member), and for a return or an escalation
// to the issuer; never to the actor, nor twice to one account.
func handoverNotices(actorID int64, h handover, byUnit, byMember map[int64][]int64) []Notice {
	var out []Notice
	t := h.task
	told := map[int64]bool{actorID: true}
	pick := func(ids ...[]int64) []int64 {
		var out []int64
		for _, l := range ids {
			for _, id := range l {
				if id != 0 && !told[id] {
					told[id] = true
					out = append(out, id)
				}
			}
		}
		slices.Sort(out)
		return out
	}
	var holders []int64
	if h.memberID != nil {
		holders = byMember[*h.memberID]
	}
	link := TaskLinkPrefix + strconv.FormatInt(t.ID, 10)
	key := ""
	if h.stepID != 0 {
		key = "task.handover:" + strconv.FormatInt(h.stepID, 10)
	}
	due := fmt.Sprintf("Hạn hoàn thành: %s.", t.HolderDueOn.VN())
	if ids := pick(byUnit[h.unitID], holders); len(ids) > 0 {
		n := Notice{AccountIDs: ids, Kind: NoticeHandover, Link: link, EventKey: key}
		switch h.action {
		case ActCreate:
			n.Title, n.Body = "Nhiệm vụ mới: "+t.Title, due+" Mở nhiệm vụ để tiếp nhận."
		case ActForward:
			n.Title, n.Body = "Nhiệm vụ được chuyển đến: "+t.Title, due+" Mở nhiệm vụ để tiếp nhận."
		case ActReturn:
			n.Title, n.Body = "Nhiệm vụ bị trả lại: "+t.Title, due+" Mở nhiệm vụ để xem lý do trả lại."
		case ActEscalate:
			n.Title, n.Body = "Nhiệm vụ được chuyển lên để quyết định: "+t.Title, due+" Mở nhiệm vụ để xem việc cần quyết định."
		}
		out = append(out, n)
	}
	if h.action != ActReturn && h.action != ActEscalate {
		return out
	}
	var issuers []int64
	if t.CreatedBy != nil {
		issuers = []int64{*t.CreatedBy}
	} else {
		issuers = byUnit[t.IssuerUnitID]
	}
	if ids := pick(issuers); len(ids) > 0 {
		n := Notice{AccountIDs: ids, Kind: NoticeHandedBack, Link: link, EventKey: key}
		if key != "" {
			n.EventKey += ":issuer"
		}
		if h.action == ActReturn {
			n.Title, n.Body = "Việc đã giao bị trả lại: "+t.Title, "Nơi nhận đã trả lại việc. Mở nhiệm vụ để xem lý do."
		} else {
			n.Title, n.Body = "Việc đã giao được chuyển lên cấp trên: "+t.Title, "Nơi giữ việc đã chuyển lên cấp trên để quyết định. Mở nhiệm vụ để xem."
		}
		out = append(out, n)
	}
	return out
}

// notices builds the notices of the hand-overs, reading every recipient
// in one query.
func (s *Service) notices(ctx context.Context, actor *auth.Actor, hs []handover) ([]Notice, error) {
	var aud Audience
	aud.Roles = HolderRoles
	for _, h := range hs {
		if h.unitID != 0 {
			aud.UnitIDs = append(aud.UnitIDs, h.unitID)
		}
		if h.memberID != nil {
			aud.MemberIDs = append(aud.MemberIDs, *h.memberID)
		}
		if h.action == ActReturn || h.action == ActEscalate {
			if h.task.CreatedBy == nil {
				aud.UnitIDs = append(aud.UnitIDs, h.task.IssuerUnitID)
			}
		}
	}
	byUnit, byMember, err := s.Store.HandoverAccounts(ctx, aud)
	if err != nil {
		return nil, err
	}
	var out []Notice
	for _, h := range hs {
		out = append(out, handoverNotices(actor.AccountID, h, byUnit, byMember)...)
	}
	return out, nil
}
