package ui

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The tree by clicking: a new unit below, edit (rename, retype), move,
// merge, split and dissolve, each dated, the last four with a preview of
// what moves before it is confirmed. The rules and the previews are the
// org service's; these handlers read forms and show answers.

var treeFuncs = template.FuncMap{
	"fieldOf": fieldOf,
	"part":    partField,
	"inc":     func(i int) int { return i + 1 },
	"pick": func(p *unitSplitPage, name, label string) splitPick {
		return splitPick{Name: name, Label: label, Value: p.Values[name], Parts: p.Parts}
	},
}

// splitPick is the choice of the part a unit or a member goes to.
type splitPick struct {
	Name, Label, Value string
	Parts              []int
}

// fieldOf is a text input of these forms as the "field" part shows it,
// labelled by tree_field.<the name's last part> ("name" for
// "parts[1].name").
func fieldOf(values, errs map[string]string, name string, required bool) inputSpec {
	label := name
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		label = name[i+1:]
	}
	f := inputField(values, errs, name, "tree_field."+label)
	f.Required = required
	return f
}

// unitFormPage creates a unit below Unit (New) or edits Unit.
type unitFormPage struct {
	view
	Unit *org.Unit
	New  bool
	// Kinds are the kinds offered; CellTypes the cell types.
	Kinds     []org.Kind
	CellTypes []org.CellType
	Values    map[string]string
	Errors    map[string]string
	Version   int
	Message   string
	Stale     bool
}

// restructurable loads the unit of the URL if the actor may restructure it.
func (s *Handler) restructurable(r *http.Request) (*org.Unit, error) {
	return httpx.ByPathID(r, s.Org.Writable)
}

func (s *Handler) newUnitForm(r *http.Request) (*unitFormPage, error) {
	u, err := s.restructurable(r)
	if err != nil {
		return nil, err
	}
	if u.Kind == org.KindCell {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", u.ID)
	}
	p := &unitFormPage{Unit: u, New: true, Kinds: org.ChildKinds(u.Kind), CellTypes: org.CellTypes, Errors: map[string]string{}}
	p.Crumbs = s.trail(r.Context(), httpx.ActorFrom(r), u)
	return p, nil
}

func (s *Handler) uiUnitNew(w http.ResponseWriter, r *http.Request) error {
	return showForm(s, w, r, "unit_form", s.newUnitForm, func(p *unitFormPage) {
		p.Values = map[string]string{"kind": string(p.Kinds[len(p.Kinds)-1]), "effective_on": s.Today().String()}
	})
}

func (s *Handler) uiUnitCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := postedUnitForm(w, r, s.newUnitForm, "name", "code", "kind", "cell_type", "effective_on")
	if err != nil {
		return err
	}
	on, ok := p.date(langOf(r), "effective_on")
	if ok {
		in := org.CreateInput{ParentID: &p.Unit.ID, Kind: org.Kind(p.Values["kind"]), CellType: org.CellType(p.Values["cell_type"]),
			Name: p.Values["name"], Code: p.Values["code"], EffectiveOn: on}
		if in.Kind != org.KindCell {
			in.CellType = ""
		}
		var created *org.Unit
		if created, err = s.Org.Create(r.Context(), httpx.ActorFrom(r), in, s.Today()); err == nil {
			httpx.SeeOther(w, r, unitURL(created.ID))
			return nil
		}
	}
	return s.unitFormFailed(w, r, p, err)
}

func (s *Handler) editUnitForm(r *http.Request) (*unitFormPage, error) {
	u, err := s.restructurable(r)
	if err != nil {
		return nil, err
	}
	p := &unitFormPage{Unit: u, Kinds: org.Kinds, CellTypes: org.CellTypes, Errors: map[string]string{}}
	p.Crumbs = s.trail(r.Context(), httpx.ActorFrom(r), u)
	return p, nil
}

func (s *Handler) uiUnitEdit(w http.ResponseWriter, r *http.Request) error {
	return showForm(s, w, r, "unit_form", s.editUnitForm, func(p *unitFormPage) {
		u := p.Unit
		p.Version = u.Version
		p.Values = map[string]string{"name": u.Name, "code": u.Code, "kind": string(u.Kind), "cell_type": string(u.CellType)}
	})
}

func (s *Handler) uiUnitUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := postedUnitForm(w, r, s.editUnitForm, "name", "code", "kind", "cell_type", "version")
	if err != nil {
		return err
	}
	if p.Version, err = strconv.Atoi(p.Values["version"]); err != nil {
		return apperr.Keyed(apperr.Malformed, "page.form_cannot_read", "the form cannot be read")
	}
	name, code, kind, cellType := p.Values["name"], p.Values["code"], org.Kind(p.Values["kind"]), org.CellType(p.Values["cell_type"])
	if kind != org.KindCell {
		cellType = ""
	}
	in := org.UpdateInput{Name: &name, Code: &code, Kind: &kind, CellType: &cellType, Version: p.Version}
	if _, err = s.Org.Update(r.Context(), httpx.ActorFrom(r), p.Unit.ID, in); err == nil {
		httpx.SeeOther(w, r, unitURL(p.Unit.ID))
		return nil
	}
	p.Stale = apperr.Is(err, apperr.Conflict) && p.Unit.Version != p.Version
	return s.unitFormFailed(w, r, p, err)
}

// date reads a date field of the form; an unreadable one is an error beside it.
func (p *unitFormPage) date(l lang, name string) (date.Date, bool) {
	d, err := parseFormDate(p.Values[name])
	if err != nil {
		p.Errors[name] = errText(l, err)
		return d, false
	}
	return d, true
}

func (s *Handler) unitFormFailed(w http.ResponseWriter, r *http.Request, p *unitFormPage, err error) error {
	code := apperr.Invalid
	if err != nil {
		var show bool
		if code, show = shownError(langOf(r), err, p.Errors, &p.Message); !show {
			return err
		}
		if p.Stale {
			p.Message = ""
		}
	}
	s.render(w, r, httpx.Status(code), "unit_form", p)
	return nil
}

// shownError sorts a service's refusal for a form: field messages into
// errs, a message without fields into msg. It reports false for errors
// that are no form's business (not found, a failure): the error page.
func shownError(l lang, err error, errs map[string]string, msg *string) (apperr.Code, bool) {
	e, ok := apperr.As(err)
	code := apperr.CodeOf(err)
	if !ok || (code != apperr.Invalid && code != apperr.Conflict) {
		return code, false
	}
	fieldErrors(l, e.Fields, errs)
	if len(e.Fields) == 0 {
		*msg = errText(l, e)
	} else if e.Fields[0].Field == "parent_id" || e.Fields[0].Field == "from" {
		// Fields the form does not show.
		*msg = fieldText(l, e.Fields[0])
	}
	return code, true
}

// postedUnitForm loads a unit form's page through load, then reads the
// posted fields names into its values.
func postedUnitForm(w http.ResponseWriter, r *http.Request, load func(*http.Request) (*unitFormPage, error), names ...string) (*unitFormPage, error) {
	p, err := load(r)
	if err == nil {
		p.Values, err = postedForm(w, r, names...)
	}
	return p, err
}

// postedForm reads the named fields of a bounded form body.
func postedForm(w http.ResponseWriter, r *http.Request, names ...string) (map[string]string, error) {
	if err := readBoundedForm(w, r); err != nil {
		return nil, err
	}
	v := map[string]string{}
	for _, n := range names {
		v[n] = strings.TrimSpace(r.PostForm.Get(n))
	}
	return v, nil
}

// unitChangePage is a move, a merge or a dissolution: the form, then the
// preview of what it moves with a button to confirm.
type unitChangePage struct {
	view
	Unit *org.Unit
	// Action is "chuyen", "sap-nhap" or "giai-the" (the URL's last part).
	Action  string
	Targets []org.Target
	Values  map[string]string
	Errors  map[string]string
	Message string
	Preview *org.Preview
}

func (s *Handler) unitChangeForm(r *http.Request, action string) (*unitChangePage, error) {
	u, err := s.restructurable(r)
	if err != nil {
		return nil, err
	}
	actor := httpx.ActorFrom(r)
	p := &unitChangePage{Unit: u, Action: action, Errors: map[string]string{}}
	switch action {
	case "chuyen":
		p.Targets, err = s.Org.MoveTargets(r.Context(), actor, u.ID)
	case "sap-nhap":
		p.Targets, err = s.Org.MergeTargets(r.Context(), actor, u.ID)
	}
	if err != nil {
		return nil, err
	}
	p.Crumbs = s.trail(r.Context(), actor, u)
	return p, nil
}

// uiUnitChangeForm shows the form of a move, a merge or a dissolution.
func (s *Handler) uiUnitChangeForm(action string) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := s.unitChangeForm(r, action)
		if err != nil {
			return err
		}
		p.Values = map[string]string{"effective_on": s.Today().String()}
		return s.show(w, r, "unit_change", p, nil)
	}
}

// uiUnitChange previews a move, a merge or a dissolution, or makes it
// once confirmed (confirm=1, sent by the preview's button).
func (s *Handler) uiUnitChange(action string) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := s.unitChangeForm(r, action)
		if err != nil {
			return err
		}
		if p.Values, err = postedForm(w, r, "target", "effective_on", "confirm"); err != nil {
			return err
		}
		on := formDate(langOf(r), p.Values["effective_on"], "effective_on", p.Errors)
		if p.Errors["effective_on"] != "" {
			s.render(w, r, http.StatusUnprocessableEntity, "unit_change", p)
			return nil
		}
		target, _ := strconv.ParseInt(p.Values["target"], 10, 64)
		ctx, actor, id := r.Context(), httpx.ActorFrom(r), p.Unit.ID
		if p.Values["confirm"] == "1" {
			next := unitURL(id)
			switch action {
			case "chuyen":
				err = s.Org.Move(ctx, actor, id, target, on)
			case "sap-nhap":
				err, next = s.Org.Merge(ctx, actor, []int64{id}, target, on), unitURL(target)
			case "giai-the":
				err = s.Org.Dissolve(ctx, actor, id, on)
				if p.Unit.ParentID != nil {
					next = unitURL(*p.Unit.ParentID)
				}
			}
			if err == nil {
				httpx.SeeOther(w, r, next)
				return nil
			}
		} else {
			switch action {
			case "chuyen":
				p.Preview, err = s.Org.PreviewMove(ctx, actor, id, target, on)
			case "sap-nhap":
				p.Preview, err = s.Org.PreviewMerge(ctx, actor, id, target, on)
			case "giai-the":
				p.Preview, err = s.Org.PreviewDissolve(ctx, actor, id, on)
			}
			if err == nil {
				return s.show(w, r, "unit_change", p, nil)
			}
		}
		code, show := shownError(langOf(r), err, p.Errors, &p.Message)
		if !show {
			return err
		}
		if m, ok := p.Errors["parent_id"]; ok {
			p.Errors["target"] = m
		} else if m, ok := p.Errors["into"]; ok {
			p.Errors["target"] = m
		}
		if p.Errors["target"] != "" && p.Message == p.Errors["target"] {
			p.Message = ""
		}
		p.Preview = nil
		s.render(w, r, httpx.Status(code), "unit_change", p)
		return nil
	}
}

// unitSplitPage splits a unit into new units beside it: each part's name,
// code and kind, and for each unit below and each member, the part it
// goes to (or none: it stays).
type unitSplitPage struct {
	view
	Unit      *org.Unit
	Parts     []int
	Kinds     []org.Kind
	CellTypes []org.CellType
	Children  []org.Unit
	Members   []member.Member
	Values    map[string]string
	Errors    map[string]string
	Message   string
	Preview   *org.SplitPreview
}

// splitParts is how many new units the form offers; a part left without
// a name is not made.
const splitParts = 2

func (s *Handler) unitSplitForm(r *http.Request) (*unitSplitPage, error) {
	u, err := s.restructurable(r)
	if err != nil {
		return nil, err
	}
	actor := httpx.ActorFrom(r)
	if !org.MaySplit(actor, u) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", u.ID)
	}
	p := &unitSplitPage{Unit: u, Kinds: org.Kinds, CellTypes: org.CellTypes, Errors: map[string]string{}}
	for i := 0; i < splitParts; i++ {
		p.Parts = append(p.Parts, i)
	}
	if p.Children, err = s.Org.Children(r.Context(), actor, u.ID); err != nil {
		return nil, err
	}
	if u.Kind == org.KindCell {
		list, err := s.Members.List(r.Context(), actor, member.ListInput{UnitID: u.ID, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, v := range list.Items {
			p.Members = append(p.Members, v.Member)
		}
	}
	p.Crumbs = s.trail(r.Context(), actor, u)
	return p, nil
}

func (s *Handler) uiUnitSplitForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.unitSplitForm(r)
	if err != nil {
		return err
	}
	p.Values = map[string]string{"effective_on": s.Today().String()}
	for _, i := range p.Parts {
		p.Values[partField(i, "kind")] = string(p.Unit.Kind)
		p.Values[partField(i, "cell_type")] = string(p.Unit.CellType)
	}
	return s.show(w, r, "unit_split", p, nil)
}

func partField(i int, name string) string { return "parts[" + strconv.Itoa(i) + "]." + name }

func (s *Handler) uiUnitSplit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.unitSplitForm(r)
	if err != nil {
		return err
	}
	if p.Values, err = postedForm(w, r, splitFields(p)...); err != nil {
		return err
	}
	on := formDate(langOf(r), p.Values["effective_on"], "effective_on", p.Errors)
	if p.Errors["effective_on"] != "" {
		s.render(w, r, http.StatusUnprocessableEntity, "unit_split", p)
		return nil
	}
	in, index := splitInputOf(p, on)
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	if p.Values["confirm"] == "1" {
		if _, err = s.Org.Split(ctx, actor, p.Unit.ID, in); err == nil {
			httpx.SeeOther(w, r, unitURL(*p.Unit.ParentID))
			return nil
		}
	} else if p.Preview, err = s.Org.PreviewSplit(ctx, actor, p.Unit.ID, in); err == nil {
		return s.show(w, r, "unit_split", p, nil)
	}
	code, show := shownError(langOf(r), err, p.Errors, &p.Message)
	if !show {
		return err
	}
	p.Errors = formPartErrors(p.Errors, index)
	if m, ok := p.Errors["parts"]; ok {
		p.Errors[partField(0, "name")] = m
	}
	p.Preview = nil
	s.render(w, r, httpx.Status(code), "unit_split", p)
	return nil
}

// splitFields are the names the split form posts.
func splitFields(p *unitSplitPage) []string {
	names := []string{"effective_on", "confirm"}
	for _, i := range p.Parts {
		for _, f := range []string{"name", "code", "kind", "cell_type"} {
			names = append(names, partField(i, f))
		}
	}
	for _, c := range p.Children {
		names = append(names, "unit_"+strconv.FormatInt(c.ID, 10))
	}
	for _, m := range p.Members {
		names = append(names, "member_"+strconv.FormatInt(m.ID, 10))
	}
	return names
}

// splitInputOf is the split the form asks for: the parts with a name, in
// order; index maps a form part to its place.
func splitInputOf(p *unitSplitPage, on date.Date) (org.SplitInput, map[string]int) {
	// The parts with a name, in order; index maps a form part to its place.
	in := org.SplitInput{EffectiveOn: on}
	index := map[string]int{}
	for _, i := range p.Parts {
		v := func(f string) string { return p.Values[partField(i, f)] }
		if v("name") == "" && v("code") == "" {
			continue
		}
		part := org.SplitPart{Name: v("name"), Code: v("code"), Kind: org.Kind(v("kind")), CellType: org.CellType(v("cell_type"))}
		if part.Kind != org.KindCell {
			part.CellType = ""
		}
		index[strconv.Itoa(i)] = len(in.Parts)
		in.Parts = append(in.Parts, part)
	}
	for _, c := range p.Children {
		if k, ok := index[p.Values["unit_"+strconv.FormatInt(c.ID, 10)]]; ok {
			in.Parts[k].Children = append(in.Parts[k].Children, c.ID)
		}
	}
	for _, m := range p.Members {
		if k, ok := index[p.Values["member_"+strconv.FormatInt(m.ID, 10)]]; ok {
			in.Parts[k].Members = append(in.Parts[k].Members, m.ID)
		}
	}
	return in, index
}

// formPartErrors renames the errors of the parts the service was sent
// (numbered from 0 in order) after the form's parts.
func formPartErrors(byField map[string]string, index map[string]int) map[string]string {
	back := map[string]string{}
	for form, k := range index {
		back[strconv.Itoa(k)] = form
	}
	errs := map[string]string{}
	for key, m := range byField {
		if j := strings.IndexByte(key, ']'); strings.HasPrefix(key, "parts[") && j > 0 {
			if form, ok := back[key[len("parts["):j]]; ok {
				key = "parts[" + form + key[j:]
			}
		}
		errs[key] = m
	}
	return errs
}

// auditLine is an entry of the audit log about a unit, as its page shows it.
type auditLine struct {
	On     date.Date
	Action string
	Who    string
}

// unitHistory returns the unit's dated periods, and the audit log's
// entries about it for those who may read the log there.
func (s *Handler) unitHistory(r *http.Request, u *org.Unit) ([]org.Period, []auditLine, error) {
	actor := httpx.ActorFrom(r)
	periods, err := s.Org.History(r.Context(), actor, u.ID)
	if err != nil {
		return nil, nil, err
	}
	// The changes only (org.ChangeActions), the last 20.
	changes, err := s.Org.Changes(r.Context(), actor, u.ID, 20)
	if err != nil {
		return nil, nil, err
	}
	var lines []auditLine
	for _, c := range changes {
		lines = append(lines, auditLine{On: date.Today(c.At), Action: c.Action, Who: c.Who})
	}
	return periods, lines, nil
}
