package ui

import (
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The tabs of "my tasks": what I hold (/cong-viec, tasks.go), what my unit
// is accountable for and what I issued (here), each with its state; and the
// way to the boards and accountability reports of the units the reader
// may see them for.

// The pages of the tabs.
const (
	PageTasksHeld        = "/cong-viec"
	PageTasksAccountable = "/cong-viec/don-vi"
	PageTasksIssued      = "/cong-viec/da-giao"
)

// navFuncs are the helpers of the navigation and of the tabs, on every page.
var navFuncs = template.FuncMap{
	// mayAssign: the reader may open the assignment page.
	"mayAssign": mayAssign,
	// boardUnit: the unit whose board the navigation links to (0: none).
	"boardUnit": boardUnit,
	// here: the page's path without its query.
	"here": func(uri string) string { p, _, _ := strings.Cut(uri, "?"); return p },
	// seesTasks: the reader may open the board and report of the unit at path.
	"seesTasks": func(a *auth.Actor, path string) bool { return a.Can(path, task.ViewRoles) },
	// assignsTo: the reader may assign work to the unit at path.
	"assignsTo": func(a *auth.Actor, path string) bool { return a.Can(path, task.CreateRoles) },
	// The task page's steps (task_step.go).
	"stepFlags": stepFlags, "stepErr": stepErr, "noteOf": noteOf, "ruleNames": ruleNames, "who": who,
}

// boardUnit is the highest unit on which the actor holds a role that sees
// the tasks of the subtree: its board and accountability report are the
// reader's (the unit pages link to those of the units below).
func boardUnit(actor *auth.Actor) int64 {
	if actor == nil {
		return 0
	}
	var best *auth.Grant
	for i, g := range actor.Grants {
		if slices.Contains(task.ViewRoles, g.Role) && (best == nil || len(g.UnitPath) < len(best.UnitPath)) {
			best = &actor.Grants[i]
		}
	}
	if best == nil {
		return 0
	}
	return best.UnitID
}

type tasksRelPage struct {
	view
	Rel  task.Relation
	Open []task.Task
	Done []task.Task
}

func (s *Handler) uiTasksAccountable(w http.ResponseWriter, r *http.Request) error {
	return s.uiTasksRel(w, r, task.Accountable)
}

func (s *Handler) uiTasksIssued(w http.ResponseWriter, r *http.Request) error {
	return s.uiTasksRel(w, r, task.Issued)
}

// uiTasksRel is one tab: the open tasks of the relation, earliest due
// first, then those done.
func (s *Handler) uiTasksRel(w http.ResponseWriter, r *http.Request, rel task.Relation) error {
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	p := &tasksRelPage{Rel: rel}
	var err error
	if p.Open, err = s.Tasks.Mine(ctx, actor, rel, "open"); err != nil {
		return err
	}
	if p.Done, err = s.Tasks.Mine(ctx, actor, rel, "done"); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "tasks_rel", p)
	return nil
}
