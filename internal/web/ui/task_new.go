package ui

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/viet"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The assignment page (/cong-viec/moi): a task to one or more units or
// members picked by name, alone or from a document (?van-ban=ID), with a
// deadline as a date or as working days. One form does everything without
// JavaScript: its search button and its "compute the deadline" button
// submit it by GET to the same page, which shows it again with what was
// typed, what was chosen and the matches to choose from; the create button
// posts it. The recipients travel as ids in checkbox values: people only
// ever see and pick names.

// PageTaskNew is the assignment page.
const PageTaskNew = "/cong-viec/moi"

// pickedUnit and pickedMember are recipients as the picker shows them.
type pickedUnit struct {
	ID       int64
	Name     string
	Kind     org.Kind
	Children int
	Checked  bool
}

type pickedMember struct {
	ID       int64
	Name     string
	UnitName string
	Checked  bool
}

type taskNewPage struct {
	view
	Title, Description string
	DocID              int64
	DocTitle           string
	Q                  string
	// Chosen are the recipients already picked, Q the name searched.
	ChosenUnits   []pickedUnit
	ChosenMembers []pickedMember
	// Picker shows them and the matches (picker.go).
	Picker picker
	// Deadline: Mode "date" (DueOn) or "workdays" (Workdays); Computed is
	// the date Workdays gives from today.
	Mode, DueOn, Workdays string
	Computed              date.Date
	FanOut                bool
	Errors                map[string]string
	// Created lists the tasks made before a later recipient failed.
	Created []task.Detail
}

// mayAssign: the actor holds a role that assigns work somewhere.
func mayAssign(actor *auth.Actor) bool { return actor.HasAny(task.CreateRoles) }

// taskFormValues reads the assignment form from the query (GET) or the body (POST).
func (s *Handler) taskNewFrom(ctx context.Context, actor *auth.Actor, f url.Values) *taskNewPage {
	p := &taskNewPage{Title: f.Get("title"), Description: f.Get("description"), Q: strings.TrimSpace(f.Get("q")),
		Mode: f.Get("han"), DueOn: f.Get("due_on"), Workdays: strings.TrimSpace(f.Get("workdays")),
		FanOut: f.Get("fan_out") != "", Errors: map[string]string{}}
	if p.Mode != "date" {
		p.Mode = "workdays"
	}
	if id, err := strconv.ParseInt(f.Get("van-ban"), 10, 64); err == nil && id > 0 {
		// A document the actor cannot read is left out, as if not given.
		if d, err := s.Docs.Get(ctx, actor, id); err == nil {
			p.DocID, p.DocTitle = d.ID, d.Title
		}
	}
	for _, v := range uniqueIDs(f["unit"]) {
		if u, err := s.Org.Get(ctx, actor, v); err == nil && actor.Can(u.Path, task.CreateRoles) {
			p.ChosenUnits = append(p.ChosenUnits, pickedUnit{ID: u.ID, Name: u.Name, Kind: u.Kind, Children: u.Children, Checked: true})
		}
	}
	for _, v := range uniqueIDs(f["member"]) {
		if m, err := s.Members.Get(ctx, actor, v); err == nil && m.Personal {
			p.ChosenMembers = append(p.ChosenMembers, pickedMember{ID: m.ID, Name: m.FullName, UnitName: m.UnitName, Checked: true})
		}
	}
	return p
}

// uniqueIDs reads ids from form values, once each, at most 100.
func uniqueIDs(vs []string) []int64 {
	var out []int64
	for _, v := range vs {
		if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
		if len(out) == 100 {
			break
		}
	}
	return out
}

// recipients builds the picker of the recipients: the ones picked, and
// the matches of Q: units where the actor assigns work, and members of its
// subtrees, by folded name.
func (s *Handler) recipients(ctx context.Context, actor *auth.Actor, l lang, p *taskNewPage) error {
	pk := picker{ID: "recipients", QName: "q", Action: PageTaskNew, Method: "get", Multiple: true, Required: true,
		Legend: "tasknew.recipients", Hint: "tasknew.recipients_hint", Find: "tasknew.find", Error: p.Errors["recipients"], Lang: l}
	for _, u := range p.ChosenUnits {
		pk.Chosen = append(pk.Chosen, pickChoice{Field: "unit", ID: u.ID, Name: u.Name, Kind: u.Kind, Children: u.Children, Checked: true})
	}
	for _, m := range p.ChosenMembers {
		pk.Chosen = append(pk.Chosen, pickChoice{Field: "member", ID: m.ID, Name: m.Name, Parent: m.UnitName, Member: true, Checked: true})
	}
	pk, err := pk.fill(p.Q, 60, nil, func(q string, _ int) ([]pickChoice, error) {
		if viet.Fold(q) == "" {
			return nil, nil
		}
		var out []pickChoice
		units, err := s.Org.Search(ctx, actor, 0, q, 20)
		if err != nil {
			return nil, err
		}
		for _, u := range units {
			if actor.Can(u.Path, task.CreateRoles) {
				out = append(out, pickChoice{Field: "unit", ID: u.ID, Name: u.Name, Kind: u.Kind, Children: u.Children})
			}
		}
		roots := auth.MinimalPrefixes(actor.Paths(task.CreateRoles))
		for _, g := range actor.Grants {
			if !slices.Contains(roots, g.UnitPath) {
				continue
			}
			roots = slices.DeleteFunc(roots, func(x string) bool { return x == g.UnitPath })
			page, err := s.Members.List(ctx, actor, member.ListInput{UnitID: g.UnitID, Q: q, Limit: 20})
			if err != nil {
				return nil, err
			}
			for _, m := range page.Items {
				if !slices.ContainsFunc(out, func(c pickChoice) bool { return c.Member && c.ID == m.ID }) {
					out = append(out, pickChoice{Field: "member", ID: m.ID, Name: m.FullName, Parent: m.UnitName, Member: true})
				}
			}
		}
		return out, nil
	})
	p.Picker = pk
	return err
}

// renderTaskNew shows the assignment form with its picker.
func (s *Handler) renderTaskNew(w http.ResponseWriter, r *http.Request, status int, p *taskNewPage) error {
	if err := s.recipients(r.Context(), httpx.ActorFrom(r), langOf(r), p); err != nil {
		return err
	}
	s.render(w, r, status, "task_new", p)
	return nil
}

// deadline reads the deadline fields; with working days it computes the
// date from today with the working-day calendar.
func (s *Handler) deadline(ctx context.Context, l lang, p *taskNewPage) (due date.Date, workdays *int, err error) {
	if p.Mode == "date" {
		if due, err = parseFormDate(p.DueOn); err != nil {
			p.Errors["due_on"] = errText(l, err)
		} else if due.IsZero() {
			p.Errors["due_on"] = translate(l, "common.required")
		}
		return due, nil, nil
	}
	if p.Workdays == "" {
		p.Errors["workdays"] = translate(l, "common.required")
		return due, nil, nil
	}
	n, cerr := strconv.Atoi(p.Workdays)
	if cerr != nil || n < 1 || n > 1000 {
		p.Errors["workdays"] = translate(l, "page.task_workdays", 1000)
		return due, nil, nil
	}
	a, err := s.Calendars.Due(ctx, date.Date{}, n)
	if err != nil {
		return due, nil, err
	}
	p.Computed = a.DueOn
	return date.Date{}, &n, nil
}

// uiTaskNew shows the assignment form: empty, from a document, or again
// after a search or a deadline computation.
func (s *Handler) uiTaskNew(w http.ResponseWriter, r *http.Request) error {
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	if !mayAssign(actor) {
		return apperr.Keyed(apperr.NotFound, "page.page_not_found", "page not found")
	}
	q := r.URL.Query()
	p := s.taskNewFrom(ctx, actor, q)
	if q.Has("han") {
		// Shown again by a button: show the deadline the fields give, and
		// why not only when the "compute the deadline" button asked.
		if _, _, err := s.deadline(ctx, langOf(r), p); err != nil {
			return err
		}
		if q.Get("tinh-han") == "" {
			delete(p.Errors, "workdays")
			delete(p.Errors, "due_on")
		}
	}
	return s.renderTaskNew(w, r, http.StatusOK, p)
}

// uiTaskCreate assigns the task to every recipient picked: one task each
// (split among the units below with fan_out), then shows what the office
// issued. A refusal shows the form again with the reason beside its field.
func (s *Handler) uiTaskCreate(w http.ResponseWriter, r *http.Request) error {
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	if !mayAssign(actor) {
		return apperr.Keyed(apperr.NotFound, "page.page_not_found", "page not found")
	}
	if err := readBoundedForm(w, r); err != nil {
		return err
	}
	p := s.taskNewFrom(ctx, actor, r.PostForm)
	if strings.TrimSpace(p.Title) == "" {
		p.Errors["title"] = translate(langOf(r), "common.required")
	}
	if len(p.ChosenUnits)+len(p.ChosenMembers) == 0 {
		p.Errors["recipients"] = translate(langOf(r), "page.task_no_recipients")
	}
	due, workdays, err := s.deadline(ctx, langOf(r), p)
	if err != nil {
		return err
	}
	if len(p.Errors) > 0 {
		return s.renderTaskNew(w, r, http.StatusUnprocessableEntity, p)
	}
	base := task.CreateInput{Title: p.Title, Description: p.Description, DueOn: due, Workdays: workdays}
	if p.DocID != 0 {
		base.DocumentID = &p.DocID
	}
	var ins []task.CreateInput
	for _, u := range p.ChosenUnits {
		in := base
		in.UnitID, in.FanOut = u.ID, p.FanOut && u.Children > 0
		ins = append(ins, in)
	}
	for _, m := range p.ChosenMembers {
		mm, err := s.Members.Get(ctx, actor, m.ID)
		if err != nil {
			return err
		}
		in := base
		in.UnitID, in.AssigneeID = mm.UnitID, &mm.ID
		ins = append(ins, in)
	}
	for _, in := range ins {
		d, err := s.Tasks.Create(ctx, actor, in)
		if err != nil {
			e, ok := apperr.As(err)
			if !ok || (e.Code != apperr.Invalid && e.Code != apperr.NotFound) {
				return err
			}
			p.Errors["form"] = errText(langOf(r), e)
			for _, fe := range e.Fields {
				field := fe.Field
				switch field {
				case "unit_id", "assignee_id", "fan_out":
					field = "recipients"
				}
				if _, dup := p.Errors[field]; !dup {
					p.Errors[field] = fieldText(langOf(r), fe)
				}
			}
			return s.renderTaskNew(w, r, httpx.Status(e.Code), p)
		}
		p.Created = append(p.Created, *d)
	}
	httpx.SeeOther(w, r, PageTasksIssued)
	return nil
}
