package ui

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/web/httpx"
	"golang.org/x/text/unicode/norm"
)

// docFormPage is the publishing form of an officer: type, number (or the
// next one), issuer code, date, title, summary, body in Markdown, and the
// audience: a unit and, optionally, only some roles.
type docFormPage struct {
	view
	Types []doc.TypeInfo
	Units []doc.UnitRef
	Roles []auth.Role
	// Values are the fields as typed; Checked the roles ticked.
	Values  map[string]string
	Checked map[string]bool
	// Errors are service messages by field; Message one for the form.
	Errors  map[string]string
	Message string
}

// publishUnits are the audiences a publishing form offers: each unit where
// the actor holds one of roles and the units directly below it.
func (s *Handler) publishUnits(ctx context.Context, actor *auth.Actor, roles []auth.Role) ([]doc.UnitRef, error) {
	var out []doc.UnitRef
	seen := map[int64]bool{}
	add := func(u doc.UnitRef) {
		if !seen[u.ID] {
			seen[u.ID] = true
			out = append(out, u)
		}
	}
	for _, g := range actor.Grants {
		if !slices.Contains(roles, g.Role) {
			continue
		}
		u, err := s.Org.Get(ctx, actor, g.UnitID)
		if err != nil {
			return nil, err
		}
		add(doc.UnitRef{ID: u.ID, Name: u.Name, Path: u.Path})
		kids, err := s.Org.Children(ctx, actor, u.ID)
		if err != nil {
			return nil, err
		}
		for _, k := range kids {
			add(doc.UnitRef{ID: k.ID, Name: k.Name, Path: k.Path})
		}
	}
	return out, nil
}

func (s *Handler) docForm(r *http.Request, p *docFormPage) error {
	actor := httpx.ActorFrom(r)
	if !actor.HasAny(doc.PublishDocs) {
		return apperr.Keyed(apperr.NotFound, "page.no_page", "no page at %s", r.URL.Path)
	}
	p.Types, p.Roles = doc.Types, auth.AllRoles
	var err error
	p.Units, err = s.publishUnits(r.Context(), actor, doc.PublishDocs)
	return err
}

func (s *Handler) uiPublishForm(w http.ResponseWriter, r *http.Request) error {
	p := &docFormPage{Values: map[string]string{"issued_on": s.Today().String(), "type": "CT"}, Checked: map[string]bool{}}
	if err := s.docForm(r, p); err != nil {
		return err
	}
	if len(p.Units) > 0 {
		p.Values["audience_unit_id"] = strconv.FormatInt(p.Units[0].ID, 10)
		// The body publishing is the first unit of the actor's roles: its
		// symbol is filled in ("HU" for a district committee).
		p.Values["issuer_code"] = doc.SuggestIssuerCode(p.Units[0].Name)
	}
	return s.show(w, r, "doc_form", p, nil)
}

// docFormFields are the text fields of the form.
var docFormFields = []string{"type", "number", "issuer_code", "issued_on", "title", "summary", "body", "audience_unit_id", "signer_name"}

func (s *Handler) uiPublish(w http.ResponseWriter, r *http.Request) error {
	p := &docFormPage{Values: map[string]string{}, Checked: map[string]bool{}, Errors: map[string]string{}}
	if err := s.docForm(r, p); err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	for _, f := range docFormFields {
		p.Values[f] = norm.NFC.String(r.PostForm.Get(f))
	}
	in := doc.CreateInput{Type: p.Values["type"], Number: p.Values["number"], IssuerCode: p.Values["issuer_code"],
		Title: p.Values["title"], Summary: p.Values["summary"], Body: p.Values["body"],
		Signer: doc.Signer{Name: p.Values["signer_name"], Deputy: r.PostForm.Get("signer_deputy") == "on"}}
	p.Checked["signer_deputy"] = in.Signer.Deputy
	for _, role := range r.PostForm["roles"] {
		p.Checked[role] = true
		in.Audience.Roles = append(in.Audience.Roles, auth.Role(role))
	}
	in.Audience.UnitID, _ = strconv.ParseInt(p.Values["audience_unit_id"], 10, 64)
	if on, derr := parseFormDate(p.Values["issued_on"]); derr != nil {
		p.Errors["issued_on"] = derr.Error()
	} else {
		in.IssuedOn = on
	}
	var d *doc.Document
	var err error
	if len(p.Errors) == 0 {
		d, err = s.Docs.Create(r.Context(), httpx.ActorFrom(r), in)
	}
	switch {
	case err == nil && len(p.Errors) == 0:
		httpx.SeeOther(w, r, "/van-ban/"+strconv.FormatInt(d.ID, 10))
		return nil
	case apperr.Is(err, apperr.Invalid), apperr.Is(err, apperr.Conflict):
		e, _ := apperr.As(err)
		for _, fe := range e.Fields {
			field := fe.Field
			switch {
			case strings.HasPrefix(field, "audience"): // the unit or the roles
				field = "audience_unit_id"
			case strings.HasPrefix(field, "signer"): // its name
				field = "signer_name"
			}
			if _, ok := p.Errors[field]; !ok {
				p.Errors[field] = fieldText(langOf(r), fe)
			}
		}
		if len(e.Fields) == 0 {
			p.Message = errText(langOf(r), e)
		}
	case err != nil:
		// A unit out of reach is not found, as in the API: the form offers
		// only units in reach, so only a hand-made request gets here.
		return err
	}
	status := http.StatusUnprocessableEntity
	if apperr.Is(err, apperr.Conflict) {
		status = http.StatusConflict
	}
	s.render(w, r, status, "doc_form", p)
	return nil
}
