package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The meeting compliance of a unit's children by month, for officers
// (GET /don-vi/{id}/sinh-hoat/theo-don-vi?year=&as_of=): the roll-up of
// GET /api/v1/units/{id}/meeting-compliance?by=child as a table, each child
// opening the same page one level down, a cell its meetings page.

// pageMeetingDrill is the page of unit id (query: year, as_of, or none).
func pageMeetingDrill(id int64, query string) string {
	p := "/don-vi/" + strconv.FormatInt(id, 10) + "/sinh-hoat/theo-don-vi"
	if query != "" {
		p += "?" + query
	}
	return p
}

type meetingDrillPage struct {
	view
	Unit   *org.Unit
	R      *meeting.ComplianceRollup
	Months []string
	Years  []int
	// Month is the chosen last month ("01".."12"; empty: up to now).
	Month string
	// Up is the breadcrumb: the units above and the unit, linked to their
	// own page where the actor may read it.
	Up    []drillCrumb
	Total drillRow
	Rows  []drillRow
	// Grid links the unit's cell × month grid.
	Grid string
}

// MonthChoices are the form's months.
func (*meetingDrillPage) MonthChoices() []string {
	return []string{"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"}
}

type drillCrumb struct {
	Name, Href string
}

// drillRow is a child unit (or the unit's total): its link and months.
type drillRow struct {
	ID     int64
	Name   string
	Href   string
	Cells  int
	Months []drillMonth
	Rate   *float64
}

// drillMonth is one box: Held of Of cells held the regular meeting.
type drillMonth struct {
	Month    string
	Held, Of int
	// Class is full, part, none (or empty without cells).
	Class, Tip string
}

func (s *Handler) uiMeetingDrill(w http.ResponseWriter, r *http.Request) error {
	in, err := httpx.ComplianceQuery(r)
	if err != nil {
		return err
	}
	// The form's month (1–12, empty: up to now) is of the chosen year, so
	// that changing the year alone never asks a month of another year.
	month := r.URL.Query().Get("thang")
	if in.AsOf == "" && month != "" {
		if in.Year == 0 {
			in.Year = s.Today().Year
		}
		if len(month) == 1 {
			month = "0" + month
		}
		in.AsOf = strconv.Itoa(in.Year) + "-" + month
	}
	actor := httpx.ActorFrom(r)
	c, err := s.Meetings.ComplianceByChild(r.Context(), actor, in)
	if err != nil {
		return err
	}
	u, err := s.Org.Get(r.Context(), actor, in.UnitID)
	if err != nil {
		return err
	}
	l := langOf(r)
	q := url.Values{"year": {strconv.Itoa(c.Year)}}
	if in.AsOf != "" {
		q.Set("thang", c.AsOf[5:])
	}
	p := &meetingDrillPage{Unit: u, R: c, Month: q.Get("thang"), Grid: "/don-vi/" + strconv.FormatInt(u.ID, 10) + "/sinh-hoat/tong-hop?" + q.Encode()}
	for _, mo := range c.Total.Months {
		p.Months = append(p.Months, mo.Month[5:])
	}
	for y := s.Today().Year; y >= s.Today().Year-4; y-- {
		p.Years = append(p.Years, y)
	}
	for _, a := range s.trail(r.Context(), actor, u) {
		cr := drillCrumb{Name: a.Name}
		if actor.Can(a.Path, meeting.Writers) {
			cr.Href = pageMeetingDrill(a.ID, q.Encode())
		}
		p.Up = append(p.Up, cr)
	}
	p.Total = drillRowOf(l, c.Total, "")
	p.Total.Name = translate(l, "drill.total")
	for _, ch := range c.Children {
		href := pageMeetingDrill(ch.UnitID, q.Encode())
		if ch.Kind == string(org.KindCell) {
			href = "/don-vi/" + strconv.FormatInt(ch.UnitID, 10) + "/sinh-hoat"
		}
		p.Rows = append(p.Rows, drillRowOf(l, ch, href))
	}
	if u.Kind == org.KindCell && len(p.Rows) == 0 {
		// A cell has no unit below: its one row is itself, opening its
		// meetings, so that its officer reaches the page from the grid.
		self := drillRowOf(l, c.Total, "/don-vi/"+strconv.FormatInt(u.ID, 10)+"/sinh-hoat")
		self.ID, self.Name = u.ID, u.Name
		p.Rows = append(p.Rows, self)
	}
	return s.show(w, r, "meeting_drill", p, nil)
}

// drillRowOf writes a unit's months as boxes "held/cells".
func drillRowOf(l lang, u meeting.UnitCompliance, href string) drillRow {
	row := drillRow{ID: u.UnitID, Name: u.Name, Href: href, Cells: u.Cells, Rate: u.AttendanceRate}
	for _, mo := range u.Months {
		m := drillMonth{Month: mo.Month, Held: mo.Regular, Of: u.Cells}
		switch {
		case m.Of == 0:
		case m.Held >= m.Of:
			m.Class = "full"
		case m.Held == 0:
			m.Class = "none"
		default:
			m.Class = "part"
		}
		m.Tip = fmt.Sprintf(translate(l, "drill.cell_tip"), mo.Month, m.Held, m.Of, mo.ThematicInQuarter, pct(mo.AttendanceRate))
		row.Months = append(row.Months, m)
	}
	return row
}

// pct is a rate as a whole percentage ("–" without one).
func pct(f *float64) string {
	if f == nil {
		return "–"
	}
	return strconv.Itoa(int(*f*100+0.5)) + "%"
}

// gridQuery is the same choice for the cell × month grid (?year=&as_of=).
func gridQuery(c *meeting.ComplianceRollup, asOf bool) string {
	q := url.Values{"year": {strconv.Itoa(c.Year)}}
	if asOf {
		q.Set("as_of", c.AsOf)
	}
	return q.Encode()
}
