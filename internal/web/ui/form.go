package ui

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// fieldSpec describes one input of the member form.
type fieldSpec struct {
	Name      string
	Type      string // an <input> type, or "gender" for the select
	InputMode string
	Required  bool
}

// memberFields are the inputs of the member form, in the order of the
// paper record: who, then party numbers, then contact, then dates.
var memberFields = []fieldSpec{
	{Name: "full_name", Type: "text", Required: true},
	{Name: "gender", Type: "gender", Required: true},
	{Name: "birth_date", Type: "date", Required: true},
	{Name: "position", Type: "text"},
	{Name: "card_no", Type: "text", InputMode: "numeric"},
	{Name: "biography_no", Type: "text"},
	{Name: "citizen_id", Type: "text", InputMode: "numeric"},
	{Name: "phone", Type: "tel"},
	{Name: "email", Type: "email"},
	{Name: "admitted_on", Type: "date", Required: true},
	{Name: "full_on", Type: "date"},
}

// formField is an input as shown: its spec, the value (as the user typed
// it, after a failed POST) and the error message beside it.
type formField struct {
	fieldSpec
	Value, Error string
}

// formFields pairs the specs with values and errors.
func formFields(values, errs map[string]string) []formField {
	out := make([]formField, len(memberFields))
	for i, f := range memberFields {
		out[i] = formField{f, values[f.Name], errs[f.Name]}
	}
	return out
}

// memberValues are a record's values as the form shows them; dates are
// yyyy-mm-dd, the value format of <input type=date>.
func memberValues(m *member.Member) map[string]string {
	return map[string]string{
		"full_name": m.FullName, "gender": string(m.Gender), "birth_date": m.BirthDate.String(),
		"position": m.Position, "card_no": m.CardNo, "biography_no": m.BiographyNo, "citizen_id": m.CitizenID,
		"phone": m.Phone, "email": m.Email, "admitted_on": m.AdmittedOn.String(), "full_on": m.FullOn.String(),
	}
}

// readForm reads a small form from a bounded body (httpx.MaxJSON): what
// cannot be read, a body over the bound too, answers 400.
func readForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, httpx.MaxJSON)
	if err := r.ParseForm(); err != nil {
		return errFormUnread
	}
	return nil
}

// readBoundedForm is readForm where a body over the bound answers 413.
func readBoundedForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, httpx.MaxJSON)
	if err := r.ParseForm(); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return err
		}
		return errFormUnread
	}
	return nil
}

var errFormUnread = apperr.Keyed(apperr.Malformed, "page.form_cannot_read", "the form cannot be read")

// postedValues reads the member form from a bounded request body.
func postedValues(w http.ResponseWriter, r *http.Request) (map[string]string, error) {
	if err := readBoundedForm(w, r); err != nil {
		return nil, err
	}
	v := map[string]string{}
	for _, f := range memberFields {
		v[f.Name] = r.PostForm.Get(f.Name)
	}
	return v, nil
}

// memberFromValues builds a record from the form. Dates that cannot be
// read are reported by field; the service checks everything else.
func memberFromValues(l lang, v map[string]string) (*member.Member, map[string]string) {
	m := &member.Member{FullName: v["full_name"], Gender: member.Gender(v["gender"]), Position: v["position"],
		CardNo: v["card_no"], BiographyNo: v["biography_no"], CitizenID: v["citizen_id"], Phone: v["phone"], Email: v["email"]}
	errs := map[string]string{}
	for name, dst := range map[string]*date.Date{"birth_date": &m.BirthDate, "admitted_on": &m.AdmittedOn, "full_on": &m.FullOn} {
		*dst = formDate(l, v[name], name, errs)
	}
	return m, errs
}

// patchOf is an edit that sets every field of the form.
func patchOf(m *member.Member, version int) member.Patch {
	return member.Patch{FullName: &m.FullName, Gender: &m.Gender, BirthDate: &m.BirthDate, CardNo: &m.CardNo,
		BiographyNo: &m.BiographyNo, CitizenID: &m.CitizenID, Phone: &m.Phone, Email: &m.Email,
		AdmittedOn: &m.AdmittedOn, FullOn: &m.FullOn, Position: &m.Position, Version: version}
}

// errNotADate is the message beside a date field that cannot be read.
var errNotADate = apperr.Keyed(apperr.Invalid, "page.not_a_date", "not a date (dd/mm/yyyy)")

// parseFormDate reads yyyy-mm-dd (what <input type=date> sends) and the
// dd/mm/yyyy that people type where the browser shows a text box, also
// with dots or dashes. Empty means no date.
func parseFormDate(s string) (date.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return date.Date{}, nil
	}
	if d, err := date.Parse(s); err == nil {
		return d, nil
	}
	s = strings.NewReplacer(".", "/", "-", "/").Replace(s)
	t, err := time.Parse("2/1/2006", s)
	if err != nil {
		return date.Date{}, errNotADate
	}
	return date.Of(t), nil
}

// formDate reads the date field's value v as parseFormDate does; a value
// that is not a date is put beside the field in errs and reads as none.
func formDate(l lang, v, field string, errs map[string]string) date.Date {
	d, err := parseFormDate(v)
	if err != nil {
		errs[field] = errText(l, err)
	}
	return d
}

// fieldErrors indexes a service's field errors by field, first one wins.
func fieldErrors(l lang, errs []apperr.FieldError, into map[string]string) {
	for _, e := range errs {
		if _, ok := into[e.Field]; !ok {
			into[e.Field] = fieldText(l, e)
		}
	}
}
