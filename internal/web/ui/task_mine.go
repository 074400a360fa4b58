package ui

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/task"
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
func boardUnit(actor *auth.Actor) int64 { return actor.HighestUnit(task.ViewRoles) }

type tasksRelPage struct {
	view
	Rel    task.Relation
	Groups []taskGroup
	All    string
}

func (s *Handler) uiTasksAccountable(w http.ResponseWriter, r *http.Request) error {
	return s.uiTasksRel(w, r, PageTasksAccountable, task.Accountable)
}

func (s *Handler) uiTasksIssued(w http.ResponseWriter, r *http.Request) error {
	return s.uiTasksRel(w, r, PageTasksIssued, task.Issued)
}

// uiTasksRel is one tab: the lists of task.RelationGroups (overdue, the
// other open tasks, done), each counted and paged, each as
// GET /api/v1/tasks?accountable=me (or issuer=me) answers it.
func (s *Handler) uiTasksRel(w http.ResponseWriter, r *http.Request, base string, rel task.Relation) error {
	r, end := oneRead(r)
	defer end()
	p := &tasksRelPage{Rel: rel}
	var err error
	if p.Groups, p.All, err = s.taskGroups(r, base, task.RelationGroups(rel)); err != nil {
		return err
	}
	return s.show(w, r, "tasks_rel", p, nil)
}
