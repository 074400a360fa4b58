package ui

import (
	"html/template"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/task"
)

// The one unit picker of every form that names units (the assignment of a
// task, a forward, an account's roles, the audit log's filter): a fieldset
// of choices by name (radio buttons, or checkboxes when several may be
// picked), the ones already picked on top, and a search box whose button
// shows the page again with the matches of a name typed without
// diacritics (templates/picker_parts.html). Without JavaScript that is all;
// static/picker.js asks the page for its matches as one types. People see
// and pick names; the ids travel in the values.

// pickChoice is one unit (or member) offered.
type pickChoice struct {
	// Field is the form field the choice sets ("unit", "member",
	// "to_unit_id", "unit_id").
	Field   string
	ID      int64
	Name    string
	Checked bool
	// Member: the choice is a member (data-member), not a unit.
	Member bool
	// What the line says besides the name, each when set: the unit's kind
	// and units below, the unit above (or a member's unit), where a
	// forward goes and the flags it would raise.
	Kind      org.Kind
	Children  int
	Parent    string
	Direction task.Direction
	Flags     []task.Rule
}

// picker is what templates/picker_parts.html shows.
type picker struct {
	// ID is the fieldset's id (and the fragment a search comes back to);
	// QName the search box's name and id.
	ID, QName string
	// Action is the page the search shows again, by Method ("get", or
	// "post" when the form holds a password); the script asks Action by
	// GET with QName only.
	Action, Method string
	Multiple       bool
	Required       bool
	// Legend, Hint, Find (the search box's label; "picker.find" when
	// empty), Below (the heading of the choices offered before any search)
	// and Empty (when there are none) are catalogue keys.
	Legend, Hint, Find, Below, Empty string
	// Any is the key of a first choice that picks no unit (a filter's
	// "any unit"), with the Field of the choices; "" for none.
	Any   string
	Field string
	Q     string
	// Chosen are the choices picked before (kept above the matches);
	// Matches the choices of the search Q (or the ones offered without a
	// search).
	Chosen, Matches []pickChoice
	Searched        bool
	More            bool
	Error, QError   string
	Lang            lang
}

// pickerMaxQ caps the name searched.
const pickerMaxQ = 200

// fill runs the search q of the picker: the matches are find's answer
// (at most limit; More when there were more), without the ones already
// chosen, checked when their id is in selected. A search the finder
// refuses (too short, say) is said beside the box.
func (p picker) fill(q string, limit int, selected []int64, find func(q string, limit int) ([]pickChoice, error)) (picker, error) {
	if p.Find == "" {
		p.Find = "picker.find"
	}
	p.Q = strings.TrimSpace(q)
	if r := []rune(p.Q); len(r) > pickerMaxQ {
		p.Q = string(r[:pickerMaxQ])
	}
	p.Searched = p.Q != ""
	found, err := find(p.Q, limit+1)
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid && len(e.Fields) > 0 {
			p.QError = e.Fields[0].Message
			return p, nil
		}
		return p, err
	}
	if len(found) > limit {
		found, p.More = found[:limit], true
	}
	for _, c := range found {
		if p.chosen(c) {
			continue
		}
		for _, id := range selected {
			c.Checked = c.Checked || id == c.ID
		}
		p.Matches = append(p.Matches, c)
	}
	return p, nil
}

func (p picker) chosen(c pickChoice) bool {
	for _, x := range p.Chosen {
		if x.ID == c.ID && x.Field == c.Field {
			return true
		}
	}
	return false
}

// AnyChecked says whether the "any" choice is the one picked.
func (p picker) AnyChecked() bool {
	for _, c := range append(append([]pickChoice{}, p.Chosen...), p.Matches...) {
		if c.Checked {
			return false
		}
	}
	return true
}

// Type is the input type of the choices.
func (p picker) Type() string {
	if p.Multiple {
		return "checkbox"
	}
	return "radio"
}

// pickerFuncs are the helpers of the picker's template.
var pickerFuncs = template.FuncMap{
	// pickArg pairs a choice with its picker for the "pick-choice" part.
	"pickArg": func(p picker, c pickChoice) map[string]any { return map[string]any{"P": p, "C": c} },
}
