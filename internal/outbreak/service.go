package outbreak

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/geo"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Service is outbreak response's use cases.
type Service struct {
	Store Store
	Tasks Tasks
	Now   func() time.Time
}

func (s *Service) now() time.Time { return date.NowFrom(s.Now) }

func (s *Service) today() date.Date { return date.Today(s.now()) }

func notFound() error {
	return apperr.Keyed(apperr.NotFound, "outbreak.not_found", "no such outbreak focus")
}

// ---- Diseases ---------------------------------------------------------------

// Diseases lists the diseases (every signed-in account may read them).
func (s *Service) Diseases(ctx context.Context, actor *auth.Actor) ([]Disease, error) {
	return s.Store.Diseases(ctx)
}

// DiseaseInput is a disease as PUT receives it.
type DiseaseInput struct {
	NameVI      string `json:"name_vi"`
	NameEN      string `json:"name_en"`
	ClosingDays int    `json:"closing_days"`
	// Version is the version last read (If-Match), 0: unchecked.
	Version int `json:"version"`
}

// PutDisease creates or changes a disease; it answers whether it created
// one. Only an office or admin may (others: 404, as for the task rules).
func (s *Service) PutDisease(ctx context.Context, actor *auth.Actor, code string, in DiseaseInput) (*Disease, bool, error) {
	if !actor.HasAny(ConfigureRoles) {
		return nil, false, apperr.Keyed(apperr.NotFound, "outbreak.no_endpoint", "no such endpoint for your account")
	}
	var errs []apperr.FieldError
	if !validCode(code) {
		errs = append(errs, apperr.FieldKeyed("code", "outbreak.code_format", "1 to 40 characters: a–z, digits and _"))
	}
	d := &Disease{Code: code, NameVI: viet.Clean(in.NameVI), NameEN: viet.Clean(in.NameEN), ClosingDays: in.ClosingDays}
	for _, f := range []struct{ name, v string }{{"name_vi", d.NameVI}, {"name_en", d.NameEN}} {
		if n := utf8.RuneCountInString(f.v); (f.name == "name_vi" && n == 0) || n > MaxDiseaseNm {
			errs = append(errs, apperr.FieldKeyed(f.name, "outbreak.text_length", "1 to %d characters", MaxDiseaseNm))
		} else if viet.CheckLine(f.v) != nil {
			errs = append(errs, apperr.FieldKeyed(f.name, "outbreak.bad_text", "contains characters that are not allowed"))
		}
	}
	if d.ClosingDays < 1 || d.ClosingDays > MaxWindow {
		errs = append(errs, apperr.FieldKeyed("closing_days", "outbreak.window_range", "a number of days from 1 to %d", MaxWindow))
	}
	if len(errs) > 0 {
		return nil, false, apperr.Keyed(apperr.Invalid, "outbreak.disease_invalid", "the disease is not valid").With(errs...)
	}
	old, err := s.Store.Disease(ctx, code)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, false, err
	}
	create := old == nil
	if !create {
		if in.Version != 0 && in.Version != old.Version {
			return nil, false, staleErr()
		}
		if old.NameVI == d.NameVI && old.NameEN == d.NameEN && old.ClosingDays == d.ClosingDays {
			return old, false, nil
		}
		d.Version = old.Version
	}
	now := s.now().UTC()
	d.UpdatedAt = &now
	a := auth.AuditEntry{Actor: actor, Action: "disease.put", ObjectType: "disease", Before: old, After: d}
	if err := s.Store.PutDisease(ctx, d, create, a); err != nil {
		return nil, false, err
	}
	return d, create, nil
}

func validCode(c string) bool {
	if len(c) == 0 || len(c) > 40 {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func staleErr() error {
	return apperr.Keyed(apperr.Conflict, "outbreak.stale", "changed meanwhile: read it again")
}

// ---- Foci ---------------------------------------------------------------------

// OpenInput is a new focus.
type OpenInput struct {
	UnitID      int64           `json:"unit_id"`
	Disease     string          `json:"disease"`
	Place       string          `json:"place"`
	OpenedOn    date.Date       `json:"opened_on"`
	FirstCaseOn *date.Date      `json:"first_case_on"`
	Zone        json.RawMessage `json:"zone"`
	Note        string          `json:"note"`
}

// OpenKeys are the keys of OpenInput (for ScreenPatientKeys).
var OpenKeys = keys("unit_id", "disease", "place", "opened_on", "first_case_on", "zone", "note")

func keys(ks ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range ks {
		m[k] = true
	}
	return m
}

// validateZone checks a zone: absent or null is none; otherwise a
// GeoJSON Polygon (or a Feature or one-feature FeatureCollection of one)
// that geo.ParsePolygon accepts: closed rings, at most geo.MaxPoints
// points, inside Vietnam's box, no ring crossing itself or another. It
// answers the zone as a canonical Polygon geometry, or nil; its refusals
// name the field "zone".
func validateZone(raw json.RawMessage) (json.RawMessage, []apperr.FieldError) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || string(t) == "null" {
		return nil, nil
	}
	if len(t) > MaxZone {
		return nil, []apperr.FieldError{apperr.FieldKeyed("zone", "outbreak.zone_size", "at most %d bytes", MaxZone)}
	}
	p, err := geo.ParsePolygon(t)
	if err != nil {
		if e, ok := apperr.As(err); ok && len(e.Fields) > 0 {
			return nil, e.Fields
		}
		return nil, []apperr.FieldError{apperr.FieldFrom("zone", err)}
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, []apperr.FieldError{apperr.FieldFrom("zone", err)}
	}
	return b, nil
}

// unitRoles reads a unit the actor holds one of roles on; another answers
// as missing.
func (s *Service) unitIn(ctx context.Context, actor *auth.Actor, id int64, roles []auth.Role) (*UnitRef, error) {
	u, err := s.Store.Unit(ctx, id)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	if err != nil || !actor.Can(u.Path, roles) {
		return nil, apperr.Keyed(apperr.NotFound, "outbreak.unit_not_found", "unit %d not found", id)
	}
	return u, nil
}

// Open records a focus on a commune (or a village or residential group
// below it) the actor is an officer of, or above.
func (s *Service) Open(ctx context.Context, actor *auth.Actor, in OpenInput) (*Focus, error) {
	if in.UnitID <= 0 {
		return nil, apperr.InvalidField("unit_id", "outbreak.unit_required", "choose the commune, village or residential group")
	}
	u, err := s.unitIn(ctx, actor, in.UnitID, OfficerRoles)
	if err != nil {
		return nil, err
	}
	today := s.today()
	var errs []apperr.FieldError
	if u.Dissolved {
		errs = append(errs, apperr.FieldKeyed("unit_id", "outbreak.unit_dissolved", "the unit is dissolved"))
	}
	commune, err := s.Store.Commune(ctx, u)
	if err != nil {
		return nil, err
	}
	if commune == nil {
		errs = append(errs, apperr.FieldKeyed("unit_id", "outbreak.not_commune", "a focus belongs to a commune or to a village or residential group below it"))
	}
	var dis *Disease
	if in.Disease == "" {
		errs = append(errs, apperr.FieldKeyed("disease", "outbreak.required", "required"))
	} else if dis, err = s.Store.Disease(ctx, in.Disease); apperr.Is(err, apperr.NotFound) {
		errs = append(errs, apperr.FieldKeyed("disease", "outbreak.disease_unknown", "unknown disease %s", in.Disease))
	} else if err != nil {
		return nil, err
	}
	place := viet.Clean(in.Place)
	errs = append(errs, lineErrs("place", place, MaxPlace, true)...)
	note := strings.TrimSpace(viet.NFC(in.Note))
	errs = append(errs, textErrs("note", note, MaxNote)...)
	errs = append(errs, dayErrs("opened_on", in.OpenedOn, today, true)...)
	if in.FirstCaseOn != nil && !in.FirstCaseOn.IsZero() {
		e := dayErrs("first_case_on", *in.FirstCaseOn, today, false)
		if len(e) == 0 && in.FirstCaseOn.After(in.OpenedOn) && !in.OpenedOn.IsZero() {
			e = append(e, apperr.FieldKeyed("first_case_on", "outbreak.first_after_open", "the first case comes on or before the day the focus opened"))
		}
		errs = append(errs, e...)
	}
	zone, ze := validateZone(in.Zone)
	errs = append(errs, ze...)
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "outbreak.invalid", "the outbreak focus is not valid").With(errs...)
	}
	now := s.now().UTC()
	f := &Focus{UnitID: u.ID, UnitName: u.Name, UnitPath: u.Path, CommuneID: commune.ID, CommuneName: commune.Name, CommunePath: commune.Path,
		Disease: dis.Code, DiseaseName: dis.NameVI, ClosingDays: dis.ClosingDays, Place: place, OpenedOn: in.OpenedOn, Zone: zone, Note: note,
		State: Active, Version: 1, CreatedAt: now, UpdatedAt: now}
	if in.FirstCaseOn != nil && !in.FirstCaseOn.IsZero() {
		d := *in.FirstCaseOn
		f.FirstCaseOn = &d
	}
	a := auth.AuditEntry{Actor: actor, Action: "outbreak.open", ObjectType: "outbreak", UnitPath: u.Path,
		After: map[string]any{"unit_id": u.ID, "disease": f.Disease, "place": place, "opened_on": f.OpenedOn, "first_case_on": f.FirstCaseOn, "zone": zone != nil}}
	if err := s.Store.Create(ctx, f, a); err != nil {
		return nil, err
	}
	s.derive(f, today)
	return f, nil
}

func lineErrs(field, v string, max int, required bool) []apperr.FieldError {
	switch n := utf8.RuneCountInString(v); {
	case n == 0 && required:
		return []apperr.FieldError{apperr.FieldKeyed(field, "outbreak.required", "required")}
	case n > max:
		return []apperr.FieldError{apperr.FieldKeyed(field, "outbreak.too_long", "at most %d characters", max)}
	}
	if viet.CheckLine(v) != nil {
		return []apperr.FieldError{apperr.FieldKeyed(field, "outbreak.bad_text", "contains characters that are not allowed")}
	}
	return nil
}

func textErrs(field, v string, max int) []apperr.FieldError {
	if utf8.RuneCountInString(v) > max {
		return []apperr.FieldError{apperr.FieldKeyed(field, "outbreak.too_long", "at most %d characters", max)}
	}
	if viet.CheckText(v) != nil {
		return []apperr.FieldError{apperr.FieldKeyed(field, "outbreak.bad_text", "contains characters that are not allowed")}
	}
	if e := checkPersonalText(field, v); e != nil {
		return []apperr.FieldError{*e}
	}
	return nil
}

// dayErrs checks a day: given (when required), within the calendar's
// years, not in the future.
func dayErrs(field string, d, today date.Date, required bool) []apperr.FieldError {
	switch {
	case d.IsZero():
		if required {
			return []apperr.FieldError{apperr.FieldKeyed(field, "outbreak.required", "required")}
		}
	case !viet.InRange(d):
		return []apperr.FieldError{apperr.FieldKeyed(field, "outbreak.date_range", "a year between %d and %d", viet.MinYear, viet.MaxYear)}
	case d.After(today):
		return []apperr.FieldError{apperr.FieldKeyed(field, "outbreak.future_day", "a day in the future: give today or a past day")}
	}
	return nil
}

// derive fills what is computed on reading: days open, gaps, closing.
func (s *Service) derive(f *Focus, today date.Date) {
	end := today
	if f.ClosedOn != nil {
		end = *f.ClosedOn
	}
	f.DaysOpen = days(f.OpenedOn, end) + 1
	if f.DaysOpen < 1 {
		f.DaysOpen = 1
	}
	if f.OnSite.Forces == nil {
		f.OnSite.Forces = []Force{}
	}
	if f.OnSite.Means == nil {
		f.OnSite.Means = []Item{}
	}
	if f.OnSite.Logistics == nil {
		f.OnSite.Logistics = []Item{}
	}
	f.Gaps = []string{}
	if f.State == Active {
		f.Gaps = Gaps(f.OnSite.Command != nil, len(f.OnSite.Forces), f.OnSite.MeansUpdatedAt, f.OpenedOn, today)
		c := ClosingState(f.ClosingDays, ClosingFrom(f.OpenedOn, f.FirstCaseOn, f.LastCaseOn), today)
		f.Closing = &c
	}
}

// focus reads a focus the actor is an officer of (or above); another
// answers as missing.
func (s *Service) focus(ctx context.Context, actor *auth.Actor, id int64) (*Focus, error) {
	f, err := s.Store.Focus(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, notFound()
	}
	if err != nil {
		return nil, err
	}
	if !actor.Can(f.UnitPath, OfficerRoles) {
		return nil, notFound()
	}
	return f, nil
}

func (s *Service) active(ctx context.Context, actor *auth.Actor, id int64) (*Focus, error) {
	f, err := s.focus(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if f.State != Active {
		return nil, apperr.Keyed(apperr.Conflict, "outbreak.closed", "the focus is closed: reopening is a new focus")
	}
	return f, nil
}

// Get returns a focus with its reports, duties and funding.
func (s *Service) Get(ctx context.Context, actor *auth.Actor, id int64) (*Detail, error) {
	f, err := s.focus(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	today := s.today()
	s.derive(f, today)
	d := &Detail{Focus: f}
	if d.Reports, err = s.Store.Reports(ctx, id, MaxDetailRows); err != nil {
		return nil, err
	}
	if d.Duties, err = s.Store.Duties(ctx, id, MaxDetailRows); err != nil {
		return nil, err
	}
	if d.Funding, err = s.Store.Funding(ctx, id); err != nil {
		return nil, err
	}
	for i := range d.Funding {
		fillFunding(&d.Funding[i], today)
	}
	return d, nil
}

func fillFunding(f *Funding, today date.Date) {
	f.State, f.Late = FundingState(f.TaskState, f.DueOn, f.DisbursedOn, today)
	if f.State != FundDisbursed {
		f.DisbursedOn = nil
	}
}

// ListInput selects foci.
type ListInput struct {
	UnitID int64
	State  string
	Limit  int
	Cursor string
}

// List lists the foci in reach (under UnitID when given), newest first.
func (s *Service) List(ctx context.Context, actor *auth.Actor, in ListInput) (*page.Of[Focus], error) {
	if in.State != "" && in.State != Active && in.State != Closed {
		return nil, apperr.Keyed(apperr.Invalid, "outbreak.bad_filter", "the filter is not valid").With(apperr.FieldKeyed("state", "outbreak.state_values", "active or closed"))
	}
	paths := actor.Paths(OfficerRoles)
	if in.UnitID != 0 {
		u, err := s.unitIn(ctx, actor, in.UnitID, OfficerRoles)
		if err != nil {
			return nil, err
		}
		paths = []string{u.Path}
	}
	if len(paths) == 0 {
		return &page.Of[Focus]{Items: []Focus{}}, nil
	}
	p, err := s.Store.List(ctx, Filter{Paths: paths, State: in.State, Limit: page.Limit(in.Limit), Cursor: in.Cursor})
	if err != nil {
		return nil, err
	}
	today := s.today()
	for i := range p.Items {
		s.derive(&p.Items[i], today)
	}
	return p, nil
}

// ---- Daily reports -----------------------------------------------------------

// ReportInput is one day's figures.
type ReportInput struct {
	On        date.Date `json:"on"`
	NewCases  *int      `json:"new_cases"`
	Recovered *int      `json:"recovered"`
	Actions   string    `json:"actions"`
}

// ReportKeys are the keys of ReportInput.
var ReportKeys = keys("on", "new_cases", "recovered", "actions")

// AddReport records a day's figures: counts only, one report per day (a
// second for the same day answers 409), not before the focus opened, not
// in the future.
func (s *Service) AddReport(ctx context.Context, actor *auth.Actor, id int64, in ReportInput) (*Report, error) {
	f, err := s.active(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	today := s.today()
	errs := dayErrs("on", in.On, today, true)
	if len(errs) == 0 && in.On.Before(f.OpenedOn) {
		errs = append(errs, apperr.FieldKeyed("on", "outbreak.before_open", "before the focus opened (%s)", f.OpenedOn.String()))
	}
	count := func(field string, v *int, required bool) int {
		switch {
		case v == nil:
			if required {
				errs = append(errs, apperr.FieldKeyed(field, "outbreak.required", "required"))
			}
			return 0
		case *v < 0 || *v > MaxCount:
			errs = append(errs, apperr.FieldKeyed(field, "outbreak.count_range", "a count from 0 to %d", MaxCount))
		}
		return *v
	}
	r := &Report{OutbreakID: f.ID, On: in.On, NewCases: count("new_cases", in.NewCases, true), Recovered: count("recovered", in.Recovered, false),
		Actions: strings.TrimSpace(viet.NFC(in.Actions)), CreatedAt: s.now().UTC()}
	errs = append(errs, textErrs("actions", r.Actions, MaxActions)...)
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "outbreak.report_invalid", "the daily report is not valid").With(errs...)
	}
	a := auth.AuditEntry{Actor: actor, Action: "outbreak.report", ObjectType: "outbreak", ObjectID: f.ID, UnitPath: f.UnitPath, After: r}
	if err := s.Store.AddReport(ctx, r, a); err != nil {
		return nil, err
	}
	return r, nil
}

// ---- The four on-site ---------------------------------------------------------

// OnSiteInput is the four on-site as PUT receives it.
type OnSiteInput struct {
	Command   *CommandInput `json:"command"`
	Forces    []ForceInput  `json:"forces"`
	Means     []Item        `json:"means"`
	Logistics []Item        `json:"logistics"`
	// Version is the focus's version last read (If-Match), 0: unchecked.
	Version int `json:"version"`
}

// CommandInput names the commander.
type CommandInput struct {
	MemberID int64  `json:"member_id"`
	Phone    string `json:"phone"`
}

// ForceInput is a unit or a member on site.
type ForceInput struct {
	UnitID   *int64 `json:"unit_id"`
	MemberID *int64 `json:"member_id"`
	Role     string `json:"role"`
	Count    *int   `json:"count"`
}

// OnSiteKeys are the keys of OnSiteInput at any depth.
var OnSiteKeys = keys("command", "forces", "means", "logistics", "version", "member_id", "phone", "unit_id", "role", "count", "item", "quantity")

func validPhone(p string) bool {
	d := strings.NewReplacer(" ", "", ".", "", "-", "").Replace(p)
	d = strings.TrimPrefix(d, "+")
	if len(d) < 8 || len(d) > 15 {
		return false
	}
	for _, r := range d {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// SetOnSite replaces the four on-site. Members and units named must be in
// the actor's reach (else 404 naming the field); the time means were last
// updated moves only when means or logistics change.
func (s *Service) SetOnSite(ctx context.Context, actor *auth.Actor, id int64, in OnSiteInput) (*Focus, error) {
	f, err := s.active(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if in.Version != 0 && in.Version != f.Version {
		return nil, staleErr()
	}
	next, err := s.checkOnSite(ctx, actor, in)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	before := f.OnSite
	next.UpdatedAt, next.MeansUpdatedAt = &now, before.MeansUpdatedAt
	if !sameItems(before.Means, next.Means) || !sameItems(before.Logistics, next.Logistics) || before.MeansUpdatedAt == nil && (len(next.Means) > 0 || len(next.Logistics) > 0) {
		next.MeansUpdatedAt = &now
	}
	f.OnSite = next
	f.UpdatedAt = now
	a := auth.AuditEntry{Actor: actor, Action: "outbreak.onsite", ObjectType: "outbreak", ObjectID: f.ID, UnitPath: f.UnitPath, Before: before, After: next}
	if err := s.Store.SetOnSite(ctx, f, f.Version, a); err != nil {
		return nil, err
	}
	f.Version++
	s.derive(f, s.today())
	return f, nil
}

// checkOnSite cleans and checks the four on-site asked for: the sizes
// first, then the references (one out of reach answers 404 naming where it
// is), then every line, all the lines' faults in one answer.
func (s *Service) checkOnSite(ctx context.Context, actor *auth.Actor, in OnSiteInput) (OnSite, error) {
	next := OnSite{Forces: []Force{}, Means: []Item{}, Logistics: []Item{}}
	var errs []apperr.FieldError
	for _, c := range []struct {
		field  string
		n, max int
	}{{"forces", len(in.Forces), MaxForces}, {"means", len(in.Means), MaxItems}, {"logistics", len(in.Logistics), MaxItems}} {
		if c.n > c.max {
			errs = append(errs, apperr.FieldKeyed(c.field, "outbreak.too_many", "at most %d", c.max))
		}
	}
	if len(errs) > 0 {
		return next, apperr.Keyed(apperr.Invalid, "outbreak.onsite_invalid", "the four on-site are not valid").With(errs...)
	}
	if in.Command != nil {
		m, err := s.memberIn(ctx, actor, in.Command.MemberID, "command.member_id")
		if err != nil {
			return next, err
		}
		phone := viet.Clean(in.Command.Phone)
		if phone == "" || len(phone) > MaxPhone || !validPhone(phone) {
			errs = append(errs, apperr.FieldKeyed("command.phone", "outbreak.phone", "a phone number of 8 to 15 digits"))
		}
		next.Command = &Command{MemberID: m.ID, MemberName: m.Name, Phone: phone}
	}
	for i, fi := range in.Forces {
		fo, ferrs, err := s.checkForce(ctx, actor, fmt.Sprintf("forces[%d]", i), fi)
		if err != nil {
			return next, err
		}
		errs = append(errs, ferrs...)
		if fo != nil {
			next.Forces = append(next.Forces, *fo)
		}
	}
	var merrs, lerrs []apperr.FieldError
	next.Means, merrs = checkItems("means", in.Means)
	next.Logistics, lerrs = checkItems("logistics", in.Logistics)
	if errs = append(append(errs, merrs...), lerrs...); len(errs) > 0 {
		return next, apperr.Keyed(apperr.Invalid, "outbreak.onsite_invalid", "the four on-site are not valid").With(errs...)
	}
	return next, nil
}

// checkForce reads one line of the forces at field at: a unit or a member
// in the actor's reach (else 404), its role and headcount; no force when
// it names both or neither.
func (s *Service) checkForce(ctx context.Context, actor *auth.Actor, at string, fi ForceInput) (*Force, []apperr.FieldError, error) {
	fo := Force{Role: viet.Clean(fi.Role)}
	switch {
	case (fi.UnitID == nil) == (fi.MemberID == nil):
		return nil, []apperr.FieldError{apperr.FieldKeyed(at+".unit_id", "outbreak.unit_or_member", "give unit_id or member_id, not both")}, nil
	case fi.UnitID != nil:
		u, err := s.Store.Unit(ctx, *fi.UnitID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, nil, err
		}
		if err != nil || !actor.Can(u.Path, OfficerRoles) {
			return nil, nil, apperr.Keyed(apperr.NotFound, "outbreak.unit_not_found", "unit %d not found", *fi.UnitID).
				With(apperr.FieldKeyed(at+".unit_id", "outbreak.ref_not_found", "not found"))
		}
		fo.UnitID, fo.Name = &u.ID, u.Name
	default:
		m, err := s.memberIn(ctx, actor, *fi.MemberID, at+".member_id")
		if err != nil {
			return nil, nil, err
		}
		fo.MemberID, fo.Name = &m.ID, m.Name
	}
	errs := lineErrs(at+".role", fo.Role, MaxRole, true)
	switch {
	case fi.Count == nil:
		fo.Count = 1
		if fi.UnitID != nil {
			errs = append(errs, apperr.FieldKeyed(at+".count", "outbreak.required", "required"))
		}
	case *fi.Count < 1 || *fi.Count > MaxCount:
		errs = append(errs, apperr.FieldKeyed(at+".count", "outbreak.headcount_range", "a headcount from 1 to %d", MaxCount))
	default:
		fo.Count = *fi.Count
	}
	return &fo, errs, nil
}

// checkItems cleans the lines of the means or the logistics (field).
func checkItems(field string, in []Item) ([]Item, []apperr.FieldError) {
	out := []Item{}
	var errs []apperr.FieldError
	for i, it := range in {
		at := fmt.Sprintf("%s[%d]", field, i)
		c := Item{Item: viet.Clean(it.Item), Quantity: it.Quantity}
		errs = append(errs, lineErrs(at+".item", c.Item, MaxItem, true)...)
		if c.Quantity < 0 || c.Quantity > MaxQuantity {
			errs = append(errs, apperr.FieldKeyed(at+".quantity", "outbreak.quantity_range", "a quantity from 0 to %d", MaxQuantity))
		}
		out = append(out, c)
	}
	return out, errs
}

func sameItems(a, b []Item) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// memberIn reads an active member in the actor's reach; another answers
// 404 naming the field.
func (s *Service) memberIn(ctx context.Context, actor *auth.Actor, id int64, field string) (*MemberRef, error) {
	m, err := s.Store.Member(ctx, id)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	if err != nil || !actor.Can(m.UnitPath, OfficerRoles) {
		return nil, apperr.Keyed(apperr.NotFound, "outbreak.member_not_found", "member %d not found", id).
			With(apperr.FieldKeyed(field, "outbreak.ref_not_found", "not found"))
	}
	if !m.Active {
		return nil, apperr.InvalidField(field, "outbreak.member_inactive", "the member is not active")
	}
	return m, nil
}

// ---- Duties ---------------------------------------------------------------------

// DutyInput is one member to a shift.
type DutyInput struct {
	MemberID int64     `json:"member_id"`
	Role     string    `json:"role"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
}

// DutyKeys are the keys of DutyInput.
var DutyKeys = keys("member_id", "role", "from", "to")

// AddDuties mobilises members to shifts on an active focus and tells each
// of them in their inbox.
func (s *Service) AddDuties(ctx context.Context, actor *auth.Actor, id int64, in []DutyInput) ([]Duty, error) {
	f, err := s.active(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if len(in) == 0 || len(in) > MaxDuties {
		return nil, apperr.Keyed(apperr.Invalid, "outbreak.duties_count", "give 1 to %d shifts", MaxDuties)
	}
	now := s.now().UTC()
	var errs []apperr.FieldError
	out := make([]Duty, 0, len(in))
	for i, d := range in {
		at := fmt.Sprintf("[%d]", i)
		m, err := s.memberIn(ctx, actor, d.MemberID, at+".member_id")
		if err != nil {
			return nil, err
		}
		du := Duty{OutbreakID: f.ID, Place: f.Place, MemberID: m.ID, MemberName: m.Name, Role: viet.Clean(d.Role), From: d.From.UTC(), To: d.To.UTC(), CreatedAt: now}
		errs = append(errs, lineErrs(at+".role", du.Role, MaxRole, true)...)
		switch {
		case d.From.IsZero():
			errs = append(errs, apperr.FieldKeyed(at+".from", "outbreak.required", "required"))
		case d.To.IsZero():
			errs = append(errs, apperr.FieldKeyed(at+".to", "outbreak.required", "required"))
		case !d.To.After(d.From):
			errs = append(errs, apperr.FieldKeyed(at+".to", "outbreak.shift_order", "the shift ends after it starts"))
		case d.To.Sub(d.From) > MaxShift:
			errs = append(errs, apperr.FieldKeyed(at+".to", "outbreak.shift_long", "a shift lasts at most 24 hours"))
		case d.From.Year() < viet.MinYear || d.To.Year() > viet.MaxYear:
			errs = append(errs, apperr.FieldKeyed(at+".from", "outbreak.date_range", "a year between %d and %d", viet.MinYear, viet.MaxYear))
		case d.To.Before(now.Add(-30 * 24 * time.Hour)):
			errs = append(errs, apperr.FieldKeyed(at+".to", "outbreak.shift_past", "the shift ended more than 30 days ago"))
		}
		out = append(out, du)
	}
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "outbreak.duties_invalid", "the shifts are not valid").With(errs...)
	}
	nd := &NewDuties{Duties: out, Title: "Huy động phòng chống dịch: " + f.Place,
		Body: "Anh/chị được phân công ca trực tại ổ dịch " + f.Place + ". Xem và xác nhận trong Sổ tay.", Link: "/o-dich/ca-truc"}
	a := auth.AuditEntry{Actor: actor, Action: "outbreak.duties", ObjectType: "outbreak", ObjectID: f.ID, UnitPath: f.UnitPath, After: out}
	if err := s.Store.AddDuties(ctx, f.ID, nd, a); err != nil {
		return nil, err
	}
	return nd.Duties, nil
}

// ConfirmDuty is the member's confirmation of their own shift (again:
// nothing changes). Another's shift answers as missing.
func (s *Service) ConfirmDuty(ctx context.Context, actor *auth.Actor, id int64) (*Duty, error) {
	d, err := s.Store.Duty(ctx, id)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	if err != nil || actor.MemberID == 0 || d.MemberID != actor.MemberID {
		return nil, apperr.Keyed(apperr.NotFound, "outbreak.duty_not_found", "no such shift")
	}
	if d.ConfirmedAt != nil {
		return d, nil
	}
	f, err := s.Store.Focus(ctx, d.OutbreakID)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	d.ConfirmedAt = &now
	a := auth.AuditEntry{Actor: actor, Action: "outbreak.duty_confirm", ObjectType: "outbreak_duty", ObjectID: d.ID, UnitPath: f.UnitPath, After: map[string]any{"outbreak_id": d.OutbreakID}}
	if err := s.Store.ConfirmDuty(ctx, d, a); err != nil {
		return nil, err
	}
	return d, nil
}

// MyDuties lists the actor's own shifts that end from a week ago on,
// in time order.
func (s *Service) MyDuties(ctx context.Context, actor *auth.Actor, limit int, cursor string) (*page.Of[Duty], error) {
	if actor.MemberID == 0 {
		return &page.Of[Duty]{Items: []Duty{}}, nil
	}
	return s.Store.MyDuties(ctx, actor.MemberID, s.now().UTC().Add(-7*24*time.Hour), page.Limit(limit), cursor)
}

// ---- Funding ---------------------------------------------------------------------

// FundingInput is a funding request.
type FundingInput struct {
	Amount   int64     `json:"amount"`
	Purpose  string    `json:"purpose"`
	NeededBy date.Date `json:"needed_by"`
	ToUnitID int64     `json:"to_unit_id"`
}

// FundingKeys are the keys of FundingInput.
var FundingKeys = keys("amount", "purpose", "needed_by", "to_unit_id")

// RequestFunding asks the funding unit (the focus's commune or a unit above
// it) for money: a Directive-24 task held by that unit, due on needed_by,
// written with the request in one transaction. Approval is the task's
// accept step, disbursement its complete step; the request's state is
// read from the task.
func (s *Service) RequestFunding(ctx context.Context, actor *auth.Actor, id int64, in FundingInput) (*Funding, error) {
	f, err := s.active(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	var errs []apperr.FieldError
	if in.Amount <= 0 || in.Amount > MaxAmount {
		errs = append(errs, apperr.FieldKeyed("amount", "outbreak.amount_range", "a whole number of đồng from 1 to %d", int64(MaxAmount)))
	}
	purpose := viet.Clean(in.Purpose)
	errs = append(errs, lineErrs("purpose", purpose, MaxPurpose, true)...)
	if e := checkPersonalText("purpose", purpose); e != nil {
		errs = append(errs, *e)
	}
	today := s.today()
	switch {
	case in.NeededBy.IsZero():
		errs = append(errs, apperr.FieldKeyed("needed_by", "outbreak.required", "required"))
	case !viet.InRange(in.NeededBy):
		errs = append(errs, apperr.FieldKeyed("needed_by", "outbreak.date_range", "a year between %d and %d", viet.MinYear, viet.MaxYear))
	case in.NeededBy.Before(today):
		errs = append(errs, apperr.FieldKeyed("needed_by", "outbreak.needed_past", "a day from today on"))
	}
	var to *UnitRef
	if in.ToUnitID <= 0 {
		errs = append(errs, apperr.FieldKeyed("to_unit_id", "outbreak.required", "required"))
	} else {
		u, err := s.Store.Unit(ctx, in.ToUnitID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		// The commune's own budget or a unit above it: the units the
		// commune may ask. Any other answers as missing.
		if err != nil || u.Dissolved || !strings.HasPrefix(f.CommunePath, u.Path) {
			return nil, apperr.Keyed(apperr.NotFound, "outbreak.unit_not_found", "unit %d not found", in.ToUnitID).
				With(apperr.FieldKeyed("to_unit_id", "outbreak.funder", "the commune itself or a unit above it"))
		}
		to = u
	}
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "outbreak.funding_invalid", "the funding request is not valid").With(errs...)
	}
	// The task is the funding unit's own: the requester acts in its name
	// for this one creation (the task service checks the deadline, sets
	// the acceptance date in working days, and records the requester's
	// account on the creating step).
	planner := *actor
	planner.System = false
	planner.Grants = append([]auth.Grant{{UnitID: to.ID, UnitPath: to.Path, Role: auth.RoleCommittee}}, actor.Grants...)
	nt, ta, err := s.Tasks.Plan(ctx, &planner, task.CreateInput{
		Title: "Cấp kinh phí phòng chống dịch: " + truncate(purpose, 400),
		Description: fmt.Sprintf("%s đề nghị cấp %s đồng cho ổ dịch %s (%s), cần trước ngày %s. Phê duyệt: tiếp nhận việc; đã cấp: hoàn thành.",
			f.CommuneName, FormatDong(in.Amount), f.Place, f.DiseaseName, in.NeededBy.VN()),
		UnitID: to.ID, DueOn: in.NeededBy,
	})
	if err != nil {
		// The task's deadline is this request's needed_by.
		if e, ok := apperr.As(err); ok {
			for i := range e.Fields {
				if e.Fields[i].Field == "due_on" {
					e.Fields[i].Field = "needed_by"
				}
			}
		}
		return nil, err
	}
	ta.Actor = actor
	fu := &Funding{OutbreakID: f.ID, Amount: in.Amount, Purpose: purpose, NeededBy: in.NeededBy, ToUnitID: to.ID, ToUnitName: to.Name,
		CreatedAt: s.now().UTC(), TaskState: task.StateAssigned, DueOn: nt.Items[0].Task.DueOn}
	a := auth.AuditEntry{Actor: actor, Action: "outbreak.funding", ObjectType: "outbreak", ObjectID: f.ID, UnitPath: f.UnitPath,
		After: map[string]any{"amount": in.Amount, "purpose": purpose, "needed_by": in.NeededBy, "to_unit_id": to.ID}}
	if err := s.Store.AddFunding(ctx, &NewFunding{Funding: fu, Tasks: nt, TaskAudit: ta}, a); err != nil {
		return nil, err
	}
	s.Tasks.Announce(ctx, actor, nt)
	fillFunding(fu, today)
	return fu, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// FormatDong writes an amount with thousands dots (1.500.000).
func FormatDong(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ---- Closing ---------------------------------------------------------------------

// CloseInput is a closing.
type CloseInput struct {
	Reason string `json:"reason"`
}

// aboveCommune reports whether the actor is an officer strictly above the
// commune.
func aboveCommune(actor *auth.Actor, communePath string) bool {
	if actor.System {
		return true
	}
	for _, g := range actor.Grants {
		for _, r := range AboveRoles {
			if g.Role == r && g.UnitPath != communePath && strings.HasPrefix(communePath, g.UnitPath) {
				return true
			}
		}
	}
	return false
}

// Close closes an active focus once the disease's window has passed
// without a new case; earlier only an officer above the commune may, with
// a reason. A closed focus answers 409: reopening is a new focus.
func (s *Service) Close(ctx context.Context, actor *auth.Actor, id int64, in CloseInput) (*Focus, error) {
	f, err := s.focus(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if f.State != Active {
		return nil, apperr.Keyed(apperr.Conflict, "outbreak.already_closed", "the focus is already closed")
	}
	today := s.today()
	reason := strings.TrimSpace(viet.NFC(in.Reason))
	if errs := textErrs("reason", reason, MaxReason); len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "outbreak.close_invalid", "the closing is not valid").With(errs...)
	}
	c := ClosingState(f.ClosingDays, ClosingFrom(f.OpenedOn, f.FirstCaseOn, f.LastCaseOn), today)
	early := c.RemainingDays > 0
	if early {
		switch {
		case !aboveCommune(actor, f.CommunePath):
			return nil, apperr.Keyed(apperr.Invalid, "outbreak.not_closable", "the focus may close on %s: %d days remain without a new case; earlier, an officer above the commune closes it with a reason", c.ClosableOn.String(), c.RemainingDays)
		case reason == "":
			return nil, apperr.Keyed(apperr.Invalid, "outbreak.reason_required", "%d days remain: give the reason for closing early", c.RemainingDays).
				With(apperr.FieldKeyed("reason", "outbreak.required", "required"))
		}
	}
	closed := today
	f.State, f.ClosedOn, f.CloseReason, f.ClosedEarly, f.UpdatedAt = Closed, &closed, reason, early, s.now().UTC()
	a := auth.AuditEntry{Actor: actor, Action: "outbreak.close", ObjectType: "outbreak", ObjectID: f.ID, UnitPath: f.UnitPath,
		After: map[string]any{"closed_on": closed, "reason": reason, "early": early}}
	if err := s.Store.Close(ctx, f, a); err != nil {
		return nil, err
	}
	f.Version++
	s.derive(f, today)
	return f, nil
}
