package demo

import (
	"fmt"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/report"
)

// The demo's report requests (internal/report): last month the district
// office asked every commune for its report on Directive 24-CT/TU, and
// most communes sent it (Phú Túc on time, some late, a few not at all);
// this month Phú Túc's committee asks its cells for their monthly report,
// due in a few working days, and two cells have sent it already. So the
// office, the commune and a cell each find a request with every status.
func (c *content) reports() {
	if c.env.Reports == nil {
		return
	}
	office := c.env.Actors["vanphong"]
	asked := c.weekday(c.today.AddDays(-35))
	var district *report.Request
	c.askMonthly(at(asked, 14, 0), office, c.district.ID, "Báo cáo kết quả thực hiện Chỉ thị 24-CT/TU tháng ", asked, &district)
	// The communes answer over the following two weeks; one in six never does.
	for i, cm := range c.communes {
		if i%6 == 5 {
			continue
		}
		day := c.weekday(asked.AddDays(2 + c.r.intn(12)))
		if cm.ID == c.phuTuc.ID {
			day = c.weekday(asked.AddDays(3))
		}
		unit := cm.ID
		c.add(at(day, 10, 30), func() error {
			return c.sendDemoReport(district, unit)
		})
	}
	cellAsked := c.weekday(c.today.AddDays(-3))
	var commune *report.Request
	c.askMonthly(at(cellAsked, 8, 30), c.unitActor[c.phuTuc.ID], c.phuTuc.ID, "Báo cáo tình hình sinh hoạt chi bộ tháng ", cellAsked, &commune)
	for i, cl := range c.cells[c.phuTuc.ID] {
		if i >= 2 || cl.ID == c.cell.ID {
			continue
		}
		unit := cl.ID
		c.add(at(c.today, 7, 45), func() error {
			return c.sendDemoReport(commune, unit)
		})
	}
}

// askMonthly adds, at when, actor's request for the month of asked (from
// its first day to asked) to the units below unit, due in five working
// days, titled title and the month; into is set to the request.
func (c *content) askMonthly(when time.Time, actor *auth.Actor, unit int64, title string, asked date.Date, into **report.Request) {
	due := 5
	c.add(when, func() error {
		r, err := c.env.Reports.Create(c.ctx, actor, report.CreateInput{Title: title + fmt.Sprint(int(asked.Month)),
			UnitID: unit, Kind: "month", PeriodFrom: asked.AddDays(1 - asked.Day), PeriodTo: asked, Workdays: &due})
		if err != nil {
			return fmt.Errorf("report request of unit %d: %w", unit, err)
		}
		*into = r
		return nil
	})
}

// sendDemoReport sends unit's answer to r as drafted from its own data.
func (c *content) sendDemoReport(r *report.Request, unit int64) error {
	if r == nil {
		return nil
	}
	actor := c.unitActor[unit]
	if actor == nil {
		return nil
	}
	d, err := c.env.Reports.Draft(c.ctx, actor, r.ID, unit)
	if err != nil {
		return fmt.Errorf("draft of %d for request %d: %w", unit, r.ID, err)
	}
	body := d.Body
	if _, err := c.env.Reports.Send(c.ctx, actor, r.ID, report.SendInput{UnitID: unit, Body: &body, Figures: d.Figures}); err != nil {
		return fmt.Errorf("send of %d for request %d: %w", unit, r.ID, err)
	}
	c.sum.ReportsSent++
	return nil
}
