package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/geo"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/outbreak"
	pg "github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/viet"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The outbreak pages (/o-dich, issue 14): the foci in reach with the form
// that opens one (its zone pasted as GeoJSON, previewed as a map), a focus
// with its figures, the four on-site, shifts, funding and closing, the
// district board with its map, and the member's shifts. The pages are
// thin: each form calls the outbreak service and shows its refusals
// beside the fields.

// Pages of the area.
const (
	PageOutbreaks      = "/o-dich"
	PageOutbreakBoard  = "/o-dich/bang"
	PageOutbreakDuties = "/o-dich/ca-truc"
)

// obMapWidth is the width of the maps' viewBox (they follow the screen).
const obMapWidth = 640

var outbreakFuncs = template.FuncMap{
	// obOfficer: the reader opens and follows foci (the navigation link).
	"obOfficer": func(a *auth.Actor) bool { return a != nil && a.HasAny(outbreak.OfficerRoles) },
	"obDong":    outbreak.FormatDong,
	"obSVG":     func(b []byte) template.HTML { return template.HTML(b) }, // made by geo.Map, which escapes what it is given
	// obRows are the rows of the forces form: those recorded and two blank.
	"obRows": func(rows []forceRow) []forceRow { return append(append([]forceRow{}, rows...), forceRow{}, forceRow{}) },
	"obTrend": func(t string) string {
		switch t {
		case "up":
			return "↑"
		case "down":
			return "↓"
		}
		return "→"
	},
}

// obMsg translates a message by its key; without one it keeps the English.
func obErrors(l lang, err error) (summary string, fields map[string]string, ok bool) {
	return confErrors(l, err)
}

// obRefused puts a refusal on a form: its summary and its fields'
// messages (the form had none of its own); false when err is not a
// refusal, for the caller to return.
func obRefused(l lang, err error, summary *string, fields map[string]string) bool {
	sum, fs, ok := obErrors(l, err)
	if !ok {
		return false
	}
	*summary = sum
	maps.Copy(fields, fs)
	return true
}

// obRedirect answers a form with the page it came from.
func obRedirect(w http.ResponseWriter, r *http.Request, path string) {
	httpx.SeeOther(w, r, path)
}

// ---- The list and the form that opens a focus -------------------------------

type outbreaksPage struct {
	view
	Page        *pg.Of[outbreak.Focus]
	State       string
	UnitID      int64
	FilterUnits []org.Unit
	BoardUnit   int64
	Next        string
	// The form.
	Picker                                    picker
	Diseases                                  []outbreak.Disease
	Disease, Place, OpenedOn, FirstCase, Zone string
	Note                                      string
	Preview                                   []byte
	Error                                     string
	Errors                                    map[string]string
}

// officerUnits are the units the actor is an officer of (highest first)
// and the units right below them.
func (s *Handler) officerUnits(ctx context.Context, actor *auth.Actor) (tops, below []org.Unit) {
	seen := map[int64]bool{}
	roots := auth.MinimalPrefixes(actor.Paths(outbreak.OfficerRoles))
	for _, g := range actor.Grants {
		if seen[g.UnitID] || !slices.Contains(outbreak.OfficerRoles, g.Role) || !slices.Contains(roots, g.UnitPath) {
			continue
		}
		seen[g.UnitID] = true
		u, err := s.Org.Get(ctx, actor, g.UnitID)
		if err != nil {
			continue
		}
		tops = append(tops, *u)
		kids, err := s.Org.Children(ctx, actor, u.ID)
		if err != nil {
			continue
		}
		for _, k := range kids {
			if k.DissolvedOn.IsZero() && !seen[k.ID] {
				seen[k.ID] = true
				below = append(below, k)
			}
		}
	}
	slices.SortFunc(tops, func(a, b org.Unit) int { return strings.Compare(a.Path, b.Path) })
	return tops, below
}

func (s *Handler) outbreaksPage(r *http.Request, p *outbreaksPage) error {
	ctx, actor, l := r.Context(), httpx.ActorFrom(r), langOf(r)
	if !actor.HasAny(outbreak.OfficerRoles) {
		return apperr.Keyed(apperr.NotFound, "outbreak.not_found", "no such focus")
	}
	q := r.URL.Query()
	p.State = q.Get("state")
	if p.State != outbreak.Active && p.State != outbreak.Closed {
		p.State = ""
	}
	p.UnitID, _ = strconv.ParseInt(q.Get("unit"), 10, 64)
	tops, below := s.officerUnits(ctx, actor)
	p.FilterUnits = append(append([]org.Unit{}, tops...), below...)
	if len(tops) > 0 {
		p.BoardUnit = tops[0].ID
	}
	list, err := s.Outbreaks.List(ctx, actor, outbreak.ListInput{UnitID: p.UnitID, State: p.State, Limit: 50, Cursor: q.Get("sau")})
	if err != nil {
		return err
	}
	p.Page = list
	if list.NextCursor != nil {
		v := url.Values{"sau": {*list.NextCursor}}
		if p.State != "" {
			v.Set("state", p.State)
		}
		if p.UnitID != 0 {
			v.Set("unit", strconv.FormatInt(p.UnitID, 10))
		}
		p.Next = PageOutbreaks + "?" + v.Encode()
	}
	if p.Diseases, err = s.Outbreaks.Diseases(ctx, actor); err != nil {
		return err
	}
	if p.Errors == nil {
		p.Errors = map[string]string{}
	}
	if p.OpenedOn == "" {
		p.OpenedOn = s.Today().String()
	}
	// The unit picker: the officer's units and those right below before
	// any search; a search finds the units by name where they are officers.
	var picked int64
	if v := r.Form.Get("unit_id"); v != "" {
		picked, _ = strconv.ParseInt(v, 10, 64)
	}
	pk := picker{ID: "ob-unit", QName: "qunit", Action: PageOutbreaks, Method: "get", Required: true, Field: "unit_id",
		Legend: "ob.f_unit", Hint: "ob.f_unit_hint", Below: "ob.f_unit_below", Error: p.Errors["unit_id"], Lang: l}
	if picked != 0 {
		if u, err := s.Org.Get(ctx, actor, picked); err == nil && actor.Can(u.Path, outbreak.OfficerRoles) {
			pk.Chosen = append(pk.Chosen, pickChoice{Field: "unit_id", ID: u.ID, Name: u.Name, Kind: u.Kind, Checked: true})
		}
	}
	pk, err = pk.fill(r.Form.Get("qunit"), 30, nil, func(q string, limit int) ([]pickChoice, error) {
		var units []org.Unit
		if viet.Fold(q) == "" {
			units = p.FilterUnits
		} else {
			found, err := s.Org.Search(ctx, actor, 0, q, limit)
			if err != nil {
				return nil, err
			}
			units = found
		}
		var out []pickChoice
		for _, u := range units {
			if actor.Can(u.Path, outbreak.OfficerRoles) && u.DissolvedOn.IsZero() && u.Kind != org.KindDistrict && u.Kind != org.KindProvince {
				out = append(out, pickChoice{Field: "unit_id", ID: u.ID, Name: u.Name, Kind: u.Kind})
			}
		}
		return out, nil
	})
	if err != nil {
		return err
	}
	p.Picker = pk
	return nil
}

func (s *Handler) uiOutbreaks(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Keyed(apperr.Malformed, "page.form_cannot_read", "the form cannot be read")
	}
	p := &outbreaksPage{Disease: r.Form.Get("disease"), Place: r.Form.Get("place"), OpenedOn: r.Form.Get("opened_on"),
		FirstCase: r.Form.Get("first_case_on"), Zone: r.Form.Get("zone"), Note: r.Form.Get("note")}
	if err := s.outbreaksPage(r, p); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "outbreaks", p)
	return nil
}

// uiOpenOutbreak opens a focus. A zone that reads is previewed on the
// page shown again after a refusal.
func (s *Handler) uiOpenOutbreak(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	ctx, actor, l := r.Context(), httpx.ActorFrom(r), langOf(r)
	if !actor.HasAny(outbreak.OfficerRoles) {
		return apperr.Keyed(apperr.NotFound, "outbreak.not_found", "no such focus")
	}
	f := r.PostForm
	p := &outbreaksPage{Disease: f.Get("disease"), Place: f.Get("place"), OpenedOn: f.Get("opened_on"),
		FirstCase: f.Get("first_case_on"), Zone: strings.TrimSpace(f.Get("zone")), Note: f.Get("note"), Errors: map[string]string{}}
	in := outbreak.OpenInput{Disease: p.Disease, Place: p.Place, Note: p.Note}
	in.UnitID, _ = strconv.ParseInt(f.Get("unit_id"), 10, 64)
	in.OpenedOn = formDate(l, p.OpenedOn, "opened_on", p.Errors)
	if p.FirstCase != "" {
		d := formDate(l, p.FirstCase, "first_case_on", p.Errors)
		in.FirstCaseOn = &d
	}
	if p.Zone != "" {
		zone, err := geo.ParsePolygon(json.RawMessage(p.Zone))
		if err != nil {
			_, fs, _ := obErrors(l, err)
			p.Errors["zone"] = fs["zone"]
		} else {
			in.Zone, _ = json.Marshal(zone)
			p.Preview = geo.Map([]geo.MapItem{{Title: p.Place, State: "preview", Zone: zone}}, geo.MapOptions{Width: obMapWidth, Label: translate(l, "ob.preview")})
		}
	}
	if len(p.Errors) == 0 {
		fo, err := s.Outbreaks.Open(ctx, actor, in)
		if err == nil {
			obRedirect(w, r, PageOutbreaks+"/"+strconv.FormatInt(fo.ID, 10))
			return nil
		}
		if !obRefused(l, err, &p.Error, p.Errors) {
			return err
		}
	} else {
		p.Error = translate(l, "ob.form_invalid")
	}
	if err := s.outbreaksPage(r, p); err != nil {
		return err
	}
	s.render(w, r, http.StatusUnprocessableEntity, "outbreaks", p)
	return nil
}

// ---- A focus ------------------------------------------------------------------

type forceRow struct {
	Who   string // "u12" or "m34"
	Role  string
	Count string
}

type outbreakPage struct {
	view
	D        *outbreak.Detail
	Map      []byte
	Members  []member.View
	Units    []org.Unit // the commune and the units below it (forces)
	Funders  []org.Unit // the commune and the units above it
	TaskLink map[int64]bool
	Above    bool // the reader may close early with a reason
	Today    string
	// The forms, as typed after a refusal; Form names the one refused.
	Form, Error                         string
	Errors                              map[string]string
	On, NewCases, Recovered, Actions    string
	CommandID                           int64
	Phone                               string
	Forces                              []forceRow
	Means, Logistics                    string
	DutyMembers                         map[int64]bool
	DutyRole, DutyDay, DutyFrom, DutyTo string
	Amount, Purpose, NeededBy, Reason   string
	ToUnit                              int64
}

func itemsText(items []outbreak.Item) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it.Item + ": " + strconv.FormatInt(it.Quantity, 10) + "\n")
	}
	return b.String()
}

func (s *Handler) outbreakPage(r *http.Request) (*outbreakPage, error) {
	ctx, actor, l := r.Context(), httpx.ActorFrom(r), langOf(r)
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	d, err := s.Outbreaks.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	p := &outbreakPage{D: d, Errors: map[string]string{}, TaskLink: map[int64]bool{}, Today: s.Today().String(), DutyMembers: map[int64]bool{}}
	var zone geo.Polygon
	if len(d.Zone) > 0 {
		_ = json.Unmarshal(d.Zone, &zone)
	}
	p.Map = geo.Map([]geo.MapItem{{Href: PageOutbreaks + "/" + strconv.FormatInt(d.ID, 10), Title: d.Place, State: d.State, Zone: zone}},
		geo.MapOptions{Width: obMapWidth, Label: translate(l, "ob.zone_map"), Empty: translate(l, "ob.no_zone")})
	if u, err := s.Org.Get(ctx, actor, d.UnitID); err == nil {
		p.Crumbs = s.trail(ctx, actor, u)
	}
	// The shift form's choice of members: an error here is the page's
	// error, not a silently empty list.
	ms, err := s.Members.List(ctx, actor, member.ListInput{UnitID: d.UnitID, Limit: pg.MaxLimit})
	if err != nil {
		return nil, fmt.Errorf("members of unit %d: %w", d.UnitID, err)
	}
	p.Members = ms.Items
	slices.SortStableFunc(p.Members, func(a, b member.View) int { return viet.CompareNames(a.FullName, b.FullName) })
	if c, err := s.Org.Get(ctx, actor, d.CommuneID); err == nil {
		p.Units = append(p.Units, *c)
		if kids, err := s.Org.Children(ctx, actor, c.ID); err == nil {
			for _, k := range kids {
				if k.DissolvedOn.IsZero() {
					p.Units = append(p.Units, k)
				}
			}
		}
		// The funders: the commune and the units above it, nearest first,
		// the units the service lets the commune ask (their names are read
		// as the system: a commune's officers may ask a district they do
		// not otherwise reach, and the ids come from the commune's path).
		p.Funders = append(p.Funders, *c)
		anc := s.ancestors(ctx, auth.SystemActor(), c)
		for i := len(anc) - 1; i >= 0; i-- {
			p.Funders = append(p.Funders, anc[i])
		}
		p.Above = aboveUnit(actor, c.Path)
	}
	paths := map[int64]string{}
	for _, u := range p.Funders {
		paths[u.ID] = u.Path
	}
	for _, fu := range d.Funding {
		if path, ok := paths[fu.ToUnitID]; ok && actor.Can(path, task.ViewRoles) {
			p.TaskLink[fu.TaskID] = true
		}
	}
	// The on-site forms show what is recorded.
	if c := d.OnSite.Command; c != nil {
		p.CommandID, p.Phone = c.MemberID, c.Phone
	}
	for _, fo := range d.OnSite.Forces {
		row := forceRow{Role: fo.Role, Count: strconv.Itoa(fo.Count)}
		if fo.UnitID != nil {
			row.Who = "u" + strconv.FormatInt(*fo.UnitID, 10)
		} else if fo.MemberID != nil {
			row.Who = "m" + strconv.FormatInt(*fo.MemberID, 10)
		}
		p.Forces = append(p.Forces, row)
	}
	p.Means, p.Logistics = itemsText(d.OnSite.Means), itemsText(d.OnSite.Logistics)
	p.On, p.DutyDay, p.NeededBy = p.Today, p.Today, p.Today
	p.DutyFrom, p.DutyTo = "07:00", "11:00"
	if len(p.Funders) > 1 {
		p.ToUnit = p.Funders[1].ID
	}
	return p, nil
}

// aboveUnit reports whether the actor is an officer strictly above the
// unit at path (who may close a focus early with a reason).
func aboveUnit(actor *auth.Actor, path string) bool {
	for _, g := range actor.Grants {
		if slices.Contains(outbreak.AboveRoles, g.Role) && g.UnitPath != path && strings.HasPrefix(path, g.UnitPath) {
			return true
		}
	}
	return false
}

func (s *Handler) uiOutbreak(w http.ResponseWriter, r *http.Request) error {
	p, err := s.outbreakPage(r)
	return s.show(w, r, "outbreak", p, err)
}

// outbreakForm runs one form of the focus page: read reads the form into
// the page (errors by field) and act calls the service; a refusal shows
// the page again with the form as typed.
func (s *Handler) outbreakForm(form string, read func(l lang, f url.Values, p *outbreakPage) func(ctx context.Context, actor *auth.Actor) error) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := readForm(w, r); err != nil {
			return err
		}
		p, err := s.outbreakPage(r)
		if err != nil {
			return err
		}
		l := langOf(r)
		p.Form = form
		act := read(l, r.PostForm, p)
		if len(p.Errors) == 0 {
			err := act(r.Context(), httpx.ActorFrom(r))
			if err == nil {
				obRedirect(w, r, PageOutbreaks+"/"+strconv.FormatInt(p.D.ID, 10)+"#"+form)
				return nil
			}
			if !obRefused(l, err, &p.Error, p.Errors) {
				return err
			}
		} else {
			p.Error = translate(l, "ob.form_invalid")
		}
		s.render(w, r, http.StatusUnprocessableEntity, "outbreak", p)
		return nil
	}
}

// formInt reads a whole number typed in a form (spaces and thousands dots
// allowed); "" is nil.
func formInt(l lang, v string, field string, errs map[string]string) *int64 {
	v = strings.NewReplacer(" ", "", ".", "", ",", "").Replace(strings.TrimSpace(v))
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		errs[field] = translate(l, "ob.not_number")
		return nil
	}
	return &n
}

func intp(n *int64) *int {
	if n == nil {
		return nil
	}
	v := int(*n)
	return &v
}

func (s *Handler) uiOutbreakReport() httpx.HandlerFunc {
	return s.outbreakForm("bao-cao", func(l lang, f url.Values, p *outbreakPage) func(context.Context, *auth.Actor) error {
		p.On, p.NewCases, p.Recovered, p.Actions = f.Get("on"), f.Get("new_cases"), f.Get("recovered"), f.Get("actions")
		in := outbreak.ReportInput{Actions: p.Actions}
		in.On = formDate(l, p.On, "on", p.Errors)
		in.NewCases = intp(formInt(l, p.NewCases, "new_cases", p.Errors))
		in.Recovered = intp(formInt(l, p.Recovered, "recovered", p.Errors))
		return func(ctx context.Context, actor *auth.Actor) error {
			_, err := s.Outbreaks.AddReport(ctx, actor, p.D.ID, in)
			return err
		}
	})
}

// parseItems reads "item: quantity" lines.
func parseItems(l lang, text, field string, errs map[string]string) []outbreak.Item {
	out := []outbreak.Item{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		at := strings.LastIndexAny(line, ":=")
		var q *int64
		if at > 0 {
			q = formInt(l, line[at+1:], field, map[string]string{})
		}
		if at <= 0 || q == nil {
			errs[field] = tfText(l, "ob.item_line", i+1)
			return nil
		}
		out = append(out, outbreak.Item{Item: strings.TrimSpace(line[:at]), Quantity: *q})
	}
	return out
}

func tfText(l lang, key string, args ...any) string { return translate(l, key, args...) }

func (s *Handler) uiOutbreakOnSite() httpx.HandlerFunc {
	return s.outbreakForm("tai-cho", func(l lang, f url.Values, p *outbreakPage) func(context.Context, *auth.Actor) error {
		in := outbreak.OnSiteInput{Version: p.D.Version}
		p.CommandID, _ = strconv.ParseInt(f.Get("command"), 10, 64)
		p.Phone = f.Get("phone")
		if p.CommandID != 0 || strings.TrimSpace(p.Phone) != "" {
			in.Command = &outbreak.CommandInput{MemberID: p.CommandID, Phone: p.Phone}
		}
		whos, roles, counts := f["force_who"], f["force_role"], f["force_count"]
		p.Forces = nil
		for i := range whos {
			row := forceRow{Who: whos[i]}
			if i < len(roles) {
				row.Role = roles[i]
			}
			if i < len(counts) {
				row.Count = counts[i]
			}
			if row.Who == "" && strings.TrimSpace(row.Role) == "" {
				continue
			}
			p.Forces = append(p.Forces, row)
			fi := outbreak.ForceInput{Role: row.Role, Count: intp(formInt(l, row.Count, "forces", p.Errors))}
			if id, err := strconv.ParseInt(strings.TrimLeft(row.Who, "um"), 10, 64); err == nil && id > 0 {
				if strings.HasPrefix(row.Who, "u") {
					fi.UnitID = &id
				} else {
					fi.MemberID = &id
				}
			}
			in.Forces = append(in.Forces, fi)
		}
		if in.Forces == nil {
			in.Forces = []outbreak.ForceInput{}
		}
		p.Means, p.Logistics = f.Get("means"), f.Get("logistics")
		in.Means = parseItems(l, p.Means, "means", p.Errors)
		in.Logistics = parseItems(l, p.Logistics, "logistics", p.Errors)
		return func(ctx context.Context, actor *auth.Actor) error {
			_, err := s.Outbreaks.SetOnSite(ctx, actor, p.D.ID, in)
			if e, ok := apperr.As(err); ok {
				// forces[1].member_id → forces, command.phone → phone
				for i, fe := range e.Fields {
					k := fe.Field
					if j := strings.IndexAny(k, "[."); j > 0 {
						k2 := k[:j]
						if k2 == "command" {
							k2 = "command"
							if strings.HasSuffix(k, "phone") {
								k2 = "phone"
							}
						}
						e.Fields[i].Field = k2
					}
				}
			}
			return err
		}
	})
}

func (s *Handler) uiOutbreakDuties() httpx.HandlerFunc {
	return s.outbreakForm("ca-truc", func(l lang, f url.Values, p *outbreakPage) func(context.Context, *auth.Actor) error {
		p.DutyRole, p.DutyDay, p.DutyFrom, p.DutyTo = f.Get("role"), f.Get("day"), f.Get("from"), f.Get("to")
		day, err := parseFormDate(p.DutyDay)
		if err != nil || day.IsZero() {
			p.Errors["day"] = translate(l, "page.not_a_date")
		}
		at := func(hm, field string) time.Time {
			t, err := time.ParseInLocation("2006-01-02 15:04", day.String()+" "+strings.TrimSpace(hm), date.Vietnam)
			if err != nil {
				p.Errors[field] = translate(l, "ob.not_time")
			}
			return t
		}
		from, to := at(p.DutyFrom, "from"), at(p.DutyTo, "to")
		var in []outbreak.DutyInput
		for _, v := range f["member"] {
			id, _ := strconv.ParseInt(v, 10, 64)
			p.DutyMembers[id] = true
			in = append(in, outbreak.DutyInput{MemberID: id, Role: p.DutyRole, From: from, To: to})
		}
		if len(in) == 0 && len(p.Errors) == 0 {
			p.Errors["member"] = translate(l, "ob.pick_members")
		}
		return func(ctx context.Context, actor *auth.Actor) error {
			_, err := s.Outbreaks.AddDuties(ctx, actor, p.D.ID, in)
			if e, ok := apperr.As(err); ok {
				for i, fe := range e.Fields {
					if j := strings.Index(fe.Field, "."); j > 0 {
						e.Fields[i].Field = fe.Field[j+1:] // [0].to → to
						if e.Fields[i].Field == "member_id" {
							e.Fields[i].Field = "member"
						}
					}
				}
			}
			return err
		}
	})
}

func (s *Handler) uiOutbreakFunding() httpx.HandlerFunc {
	return s.outbreakForm("kinh-phi", func(l lang, f url.Values, p *outbreakPage) func(context.Context, *auth.Actor) error {
		p.Amount, p.Purpose, p.NeededBy = f.Get("amount"), f.Get("purpose"), f.Get("needed_by")
		p.ToUnit, _ = strconv.ParseInt(f.Get("to_unit_id"), 10, 64)
		in := outbreak.FundingInput{Purpose: p.Purpose, ToUnitID: p.ToUnit}
		if n := formInt(l, p.Amount, "amount", p.Errors); n != nil {
			in.Amount = *n
		}
		in.NeededBy = formDate(l, p.NeededBy, "needed_by", p.Errors)
		return func(ctx context.Context, actor *auth.Actor) error {
			_, err := s.Outbreaks.RequestFunding(ctx, actor, p.D.ID, in)
			return err
		}
	})
}

func (s *Handler) uiCloseOutbreak() httpx.HandlerFunc {
	return s.outbreakForm("dong", func(l lang, f url.Values, p *outbreakPage) func(context.Context, *auth.Actor) error {
		p.Reason = f.Get("reason")
		return func(ctx context.Context, actor *auth.Actor) error {
			_, err := s.Outbreaks.Close(ctx, actor, p.D.ID, outbreak.CloseInput{Reason: p.Reason})
			return err
		}
	})
}

// ---- The board ----------------------------------------------------------------

type outbreakBoardPage struct {
	view
	B     *outbreak.Board
	Map   []byte
	AsOf  string
	XLSX  string
	Units []org.Unit
	Names map[int64]string // commune names by id
}

func (s *Handler) uiOutbreakBoard(w http.ResponseWriter, r *http.Request) error {
	ctx, actor, l := r.Context(), httpx.ActorFrom(r), langOf(r)
	if !actor.HasAny(outbreak.OfficerRoles) {
		return apperr.Keyed(apperr.NotFound, "outbreak.not_found", "no such focus")
	}
	q := r.URL.Query()
	unitID, _ := strconv.ParseInt(q.Get("unit"), 10, 64)
	tops, below := s.officerUnits(ctx, actor)
	if unitID == 0 && len(tops) > 0 {
		unitID = tops[0].ID
	}
	p := &outbreakBoardPage{AsOf: q.Get("as_of"), Units: append(append([]org.Unit{}, tops...), below...), Names: map[int64]string{}}
	var asOf date.Date
	if p.AsOf != "" {
		d, err := parseFormDate(p.AsOf)
		if err != nil {
			return apperr.Keyed(apperr.Invalid, "outbreak.bad_filter", "the filter is not valid").With(apperr.FieldFrom("as_of", err))
		}
		asOf = d
	}
	b, err := s.Outbreaks.BoardWith(ctx, actor, outbreak.BoardInput{UnitID: unitID, AsOf: asOf, Zones: true})
	if err != nil {
		return err
	}
	p.B = b
	if u, err := s.Org.Get(ctx, actor, unitID); err == nil {
		p.Crumbs = s.trail(ctx, actor, u)
	}
	for _, c := range b.Communes {
		p.Names[c.CommuneID] = c.CommuneName
	}
	v := url.Values{"unit": {strconv.FormatInt(unitID, 10)}}
	if !asOf.IsZero() {
		v.Set("as_of", asOf.String())
	}
	p.XLSX = "/api/v1/outbreaks/board.xlsx?" + v.Encode()
	// The active foci with a zone on the map, each linked to its page.
	var items []geo.MapItem
	for _, e := range b.Foci {
		var zone geo.Polygon
		if len(e.Zone) == 0 || json.Unmarshal(e.Zone, &zone) != nil || zone.IsZero() {
			continue
		}
		state := "active"
		if len(e.Gaps) > 0 {
			state = "gap"
		}
		items = append(items, geo.MapItem{Href: PageOutbreaks + "/" + strconv.FormatInt(e.ID, 10), State: state, Zone: zone,
			Title: e.Place + " · " + p.Names[e.CommuneID] + " · " + tfText(l, "ob.cases7", e.Cases7)})
	}
	p.Map = geo.Map(items, geo.MapOptions{Width: obMapWidth, Label: translate(l, "ob.board_map"), Empty: translate(l, "ob.map_empty")})
	s.render(w, r, http.StatusOK, "outbreak_board", p)
	return nil
}

// ---- The member's shifts ------------------------------------------------------

type outbreakDutiesPage struct {
	view
	Page *pg.Of[outbreak.Duty]
}

func (s *Handler) uiMyShifts(w http.ResponseWriter, r *http.Request) error {
	actor := httpx.ActorFrom(r)
	p, err := s.Outbreaks.MyDuties(r.Context(), actor, 100, r.URL.Query().Get("sau"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "outbreak_duties", &outbreakDutiesPage{Page: p})
	return nil
}

// uiConfirmDuty confirms the member's own shift and goes back to the
// handbook or to the list of shifts.
func (s *Handler) uiConfirmDuty(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Outbreaks.ConfirmDuty(r.Context(), httpx.ActorFrom(r), id); err != nil {
		return err
	}
	back := PageOutbreakDuties
	if r.PostForm.Get("back") == "so-tay" {
		back = "/so-tay"
	}
	obRedirect(w, r, back+"#ca-"+strconv.FormatInt(id, 10))
	return nil
}
