package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The task page's steps, each a form with its own note and its messages
// beside its fields; the hand-overs name their target before the step:
// a forward's target is picked by name from a list (searched by name
// without JavaScript, a GET of the page with to_q), a return and an
// escalation say whom they hand the task to. Each says beforehand what it
// counts for in the accountability report and whether the rules of
// Directive 24-CT/TU will flag it (task.Service.Preview).

// stepView is the part of the task page about its steps.
type stepView struct {
	Preview *task.StepPreview
	// Forward picks the forward's target by name (picker.go).
	Forward picker
	// Failed is the action whose form was refused, Errors its field
	// messages by field (the form's own, "form", when none).
	Failed string
	Errors map[string]string
	note   string // the note typed in the refused form
}

// stepExtras fills the step part of the task page; e is the refusal of a
// step just tried (nil on a plain GET).
func (s *Handler) stepExtras(r *http.Request, p *taskPage, e *apperr.Error) error {
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	p.Errors = map[string]string{}
	if e != nil {
		p.Failed, p.note = r.FormValue("action"), r.FormValue("note")
		for _, fe := range e.Fields {
			if _, dup := p.Errors[fe.Field]; !dup {
				p.Errors[fe.Field] = fieldText(langOf(r), fe)
			}
		}
		if len(p.Errors) > 0 {
			// The reason goes beside the field, not also at the top.
			p.Message = ""
		} else {
			p.Errors["form"] = errText(langOf(r), e)
		}
	}
	if len(p.D.Can) == 0 {
		return nil
	}
	var err error
	if p.Preview, err = s.Tasks.Preview(ctx, actor, p.D.ID); err != nil {
		return err
	}
	var selected []int64
	if id, ok := httpx.ParseID(r.FormValue("to_unit_id")); ok {
		selected = append(selected, id)
	}
	fw := picker{ID: "forward-to", QName: "to_q", Action: task.TaskLinkPrefix + strconv.FormatInt(p.D.ID, 10), Method: "get", Required: true,
		Legend: "act.to_unit", Find: "act.find_unit", Below: "act.below", Empty: "act.none_below", Lang: langOf(r),
		Error: stepErr(p, "forward", "to_unit_id")}
	p.Forward, err = fw.fill(r.FormValue("to_q"), 50, selected, func(q string, _ int) ([]pickChoice, error) {
		ts, err := s.Tasks.ForwardTargets(ctx, actor, p.D.ID, q)
		var out []pickChoice
		for _, t := range ts {
			out = append(out, pickChoice{Field: "to_unit_id", ID: t.UnitID, Name: t.Name, Direction: t.Direction, Flags: t.Flags})
		}
		return out, err
	})
	return err
}

// stepFlagsArg is what the step-flags template shows.
type stepFlagsArg struct {
	Lang  lang
	Rules []task.Rule
}

// stepFlags are the flags the step would raise, for the page's language.
func stepFlags(p *taskPage, action string) stepFlagsArg {
	a := stepFlagsArg{Lang: p.Lang}
	if p.Preview != nil {
		a.Rules = p.Preview.Flags[task.Action(action)]
	}
	return a
}

// stepErr is the message of field in the form of action, if that form was
// the one refused.
func stepErr(p *taskPage, action, field string) string {
	if p.Failed != action {
		return ""
	}
	return p.Errors[field]
}

// noteArg is the note field of one step's form.
type noteArg struct {
	Action, Value, Error string
	Required             bool
}

// noteOf is the note field of action's form: what was typed, if that form
// was refused, and whether the step needs a note.
func noteOf(p *taskPage, action string) noteArg {
	n := noteArg{Action: action, Error: stepErr(p, action, "note")}
	if p.Failed == action {
		n.Value = p.note
	}
	switch task.Action(action) {
	case task.ActReturn, task.ActEscalate, task.ActSuspend:
		n.Required = true
	case task.ActExtend:
		n.Required = p.D.Capacity == "holder"
	}
	return n
}

// ruleNames lists the rules' names in the page's language.
func ruleNames(l lang, rs []task.Rule) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.NameVI
		if l == en && r.NameEN != "" {
			names[i] = r.NameEN
		}
	}
	return strings.Join(names, ", ")
}

// who names a unit and the person holding for it.
func who(unit, member string) string {
	if member == "" {
		return unit
	}
	return unit + " (" + member + ")"
}
