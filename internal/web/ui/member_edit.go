package ui

import (
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// memberFormPage is the form to edit a record or to add one to a cell.
type memberFormPage struct {
	view
	// Member is the record being edited; nil on the create form.
	Member *member.Member
	Unit   *org.Unit
	Action string
	Cancel string
	// Version is the version the form was loaded from, sent back hidden so
	// that a save over someone else's change is refused, not lost.
	Version int
	Fields  []formField
	// Stale: someone saved the record since the form was loaded.
	Stale bool
	// Message is a service message not tied to a field (e.g. a duplicate).
	Message string
	Invalid bool
}

func (s *Handler) uiMemberEdit(w http.ResponseWriter, r *http.Request) error {
	return showForm(s, w, r, "member_form", s.editableMember, func(p *memberFormPage) {
		p.Version = p.Member.Version
		p.Fields = formFields(memberValues(p.Member), nil)
	})
}

func (s *Handler) uiMemberUpdate(w http.ResponseWriter, r *http.Request) error {
	p, values, err := postedMemberForm(w, r, s.editableMember)
	if err != nil {
		return err
	}
	if p.Version, err = strconv.Atoi(r.PostForm.Get("version")); err != nil {
		return apperr.Keyed(apperr.Malformed, "page.form_cannot_read", "the form cannot be read")
	}
	m, errs := memberFromValues(langOf(r), values)
	if len(errs) > 0 {
		s.checkAll(langOf(r), m, p.Member.Status, errs)
	} else {
		_, err = s.Members.Update(r.Context(), httpx.ActorFrom(r), p.Member.ID, patchOf(m, p.Version))
		if err == nil {
			httpx.SeeOther(w, r, memberURL(p.Member.ID))
			return nil
		}
		// The record was read just above: a newer version than the form's
		// means someone else saved in between.
		p.Stale = apperr.Is(err, apperr.Conflict) && p.Member.Version != p.Version
	}
	return s.formFailed(w, r, p, values, errs, err)
}

// postedMemberForm loads a member form's page through load, then reads
// the posted values.
func postedMemberForm(w http.ResponseWriter, r *http.Request, load func(*http.Request) (*memberFormPage, error)) (*memberFormPage, map[string]string, error) {
	p, err := load(r)
	if err != nil {
		return nil, nil, err
	}
	values, err := postedValues(w, r)
	return p, values, err
}

// editableMember loads the record of the URL if the actor may edit it;
// anything else is "not found", as for records out of reach.
func (s *Handler) editableMember(r *http.Request) (*memberFormPage, error) {
	actor := httpx.ActorFrom(r)
	v, err := httpx.ByPathID(r, s.Members.Get)
	if err != nil {
		return nil, err
	}
	id := v.ID
	u, canWrite := s.memberUnit(r.Context(), actor, v.UnitID)
	if !v.Personal || !canWrite {
		return nil, apperr.Keyed(apperr.NotFound, "common.member_not_found", "member %d not found", id)
	}
	p := &memberFormPage{Member: &v.Member, Unit: u, Action: memberURL(id) + "/sua", Cancel: memberURL(id)}
	p.Crumbs = s.trail(r.Context(), actor, u)
	return p, nil
}

func (s *Handler) uiMemberNew(w http.ResponseWriter, r *http.Request) error {
	return showForm(s, w, r, "member_form", s.newMemberForm, func(p *memberFormPage) { p.Fields = formFields(nil, nil) })
}

func (s *Handler) uiMemberCreate(w http.ResponseWriter, r *http.Request) error {
	p, values, err := postedMemberForm(w, r, s.newMemberForm)
	if err != nil {
		return err
	}
	m, errs := memberFromValues(langOf(r), values)
	if len(errs) > 0 {
		s.checkAll(langOf(r), m, "", errs)
	} else {
		m.UnitID = p.Unit.ID
		var created *member.Member
		if created, err = s.Members.Create(r.Context(), httpx.ActorFrom(r), m); err == nil {
			httpx.SeeOther(w, r, memberURL(created.ID))
			return nil
		}
	}
	return s.formFailed(w, r, p, values, errs, err)
}

// newMemberForm checks that the URL names a cell where the actor may add
// members: members belong to cells, so committees have no such form.
func (s *Handler) newMemberForm(r *http.Request) (*memberFormPage, error) {
	u, err := s.unitFromPath(r)
	if err != nil {
		return nil, err
	}
	actor := httpx.ActorFrom(r)
	if u.Kind != org.KindCell || !actor.Can(u.Path, auth.WriteMembers) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", u.ID)
	}
	url := unitURL(u.ID)
	p := &memberFormPage{Unit: u, Action: url + "/dang-vien/moi", Cancel: url}
	p.Crumbs = s.trail(r.Context(), actor, u)
	return p, nil
}

// checkAll validates the other fields when some dates could not be read,
// so that the form shows every problem at once, not one round at a time.
// The record is a throwaway: nothing is saved.
func (s *Handler) checkAll(l lang, m *member.Member, st member.Status, errs map[string]string) {
	m.Status = st
	member.Normalize(m)
	fieldErrors(l, member.Validate(m, s.Today()), errs)
}

// formFailed shows the form again with what the user typed and every
// problem found: unreadable dates (errs), or the service's error.
func (s *Handler) formFailed(w http.ResponseWriter, r *http.Request, p *memberFormPage, values, errs map[string]string, err error) error {
	code := apperr.Invalid
	if err != nil {
		e, ok := apperr.As(err)
		if code = apperr.CodeOf(err); !ok || (code != apperr.Invalid && code != apperr.Conflict) {
			return err
		}
		fieldErrors(langOf(r), e.Fields, errs)
		if !p.Stale && len(e.Fields) == 0 {
			p.Message = errText(langOf(r), e)
		}
	}
	p.Invalid = code == apperr.Invalid
	p.Fields = formFields(values, errs)
	s.render(w, r, httpx.Status(code), "member_form", p)
	return nil
}

func memberURL(id int64) string { return "/dang-vien/" + strconv.FormatInt(id, 10) }

func unitURL(id int64) string { return "/don-vi/" + strconv.FormatInt(id, 10) }
