package ui

import (
	"fmt"
	"html/template"
	"strings"
)

// The form-field parts (templates/field_parts.html): one labelled input with
// its help and its error, the same markup on every form.

// fieldFuncs are the template helpers of the field parts.
var fieldFuncs = template.FuncMap{
	"dict":  dict,
	"input": inputField,
}

// inputSpec is what the "field" part shows: Label and Help are catalogue
// keys; Error is the message beside the input (empty for none).
type inputSpec struct {
	ID, Name, Label, Type, Value, Error, Help string
	Required, NoAutocomplete                  bool
}

// choice is one option of a filter's list (the "filter-select" part).
type choice struct {
	Value, Label string
	Selected     bool
}

// choicesOf are the options of items, each item's value and label as of
// gives them, the one whose value is selected marked so.
func choicesOf[T any](items []T, selected string, of func(T) (value, label string)) []choice {
	out := make([]choice, len(items))
	for i, it := range items {
		v, l := of(it)
		out[i] = choice{Value: v, Label: l, Selected: v == selected}
	}
	return out
}

// dict makes a map of its arguments taken in pairs (key, value), for a part
// that needs more than one thing of its caller.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: %d arguments, want pairs", len(kv))
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// inputField is the field name of a form, its value and error read from the
// page's maps, labelled by the key label. The options: "required", "date"
// (the input's type), "help" (a help line under the key label+"_help"),
// "autocomplete-off".
func inputField(values, errs map[string]string, name, label string, opts ...string) inputSpec {
	f := inputSpec{ID: fieldID(name), Name: name, Label: label, Type: "text", Value: values[name], Error: errs[name]}
	for _, o := range opts {
		switch o {
		case "required":
			f.Required = true
		case "date":
			f.Type = "date"
		case "help":
			f.Help = label + "_help"
		case "autocomplete-off":
			f.NoAutocomplete = true
		default:
			panic("ui: unknown field option " + o)
		}
	}
	return f
}

// fieldID is the element id of a field's name: "parts[0].name" → "parts-0-name".
func fieldID(name string) string {
	return strings.NewReplacer("[", "-", "]", "", ".", "-").Replace(name)
}
