package demo

import (
	"fmt"

	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/outbreak"
	"github.com/sotay-vn/sotay/internal/task"
)

// The demo's dengue season (internal/outbreak): three weeks ago a focus
// opened in bithu.phutuc's village of Phú Túc, with daily reports, the
// four on-site named and kept up to date, members mobilised (dangvien has
// a shift tomorrow to confirm) and two funding requests to the district —
// the first approved and disbursed late, the second approved, not yet
// disbursed. A second focus in Phú Túc opened this week. A focus in
// another commune lacks its commander and its means were last updated
// days ago (the board's gaps); one in a third commune closed after 14 days
// without a new case.

func (c *content) outbreaks() {
	if c.env.Outbreaks == nil || len(c.communes) < 3 {
		return
	}
	var others []task.UnitRef
	for _, cm := range c.communes {
		if cm.ID != c.phuTuc.ID && len(c.cells[cm.ID]) > 0 {
			others = append(others, cm)
		}
	}
	if len(others) < 2 {
		return
	}
	c.phuTucFoci()
	c.focusWithoutCommander(others[0])
	c.closedFocus(others[1])
}

// phuTucFoci writes focus A (bithu.phutuc's village, three weeks: reports,
// the four on-site, shifts, two funding requests) and focus B (this week).
func (c *content) phuTucFoci() {
	phuTuc := c.env.Actors["danguy.phutuc"]
	office := c.env.Actors["vanphong"]
	cellHead, hasHead := c.heads[c.cell.ID]
	dangvien := c.env.Actors["dangvien"].MemberID

	// Focus A: Phú Túc, bithu.phutuc's village, three weeks.
	a := c.openFocus(at(c.day(-20), 8, 30), phuTuc, "A", outbreak.OpenInput{UnitID: c.cell.ID, Disease: "sot_xuat_huyet", Place: "Thôn Đồng Phú, xóm 2 và xóm 3",
		OpenedOn: c.day(-20), FirstCaseOn: ptrDate(c.day(-22)), Note: "Trạm y tế xã phát hiện ca bệnh qua giám sát; khoanh vùng bán kính 200 m quanh các hộ có ca bệnh."})
	actions := []string{"Phun hóa chất diệt muỗi toàn xóm", "Chiến dịch diệt lăng quăng, bọ gậy", "Tuyên truyền đến từng hộ gia đình", "Kiểm tra dụng cụ chứa nước"}
	c.dailyReports(phuTuc, a, -20, 17, 0, []int{3, 2, 4, 1, 2, 0, 3, 1, 0, 2, 1, 0, 0, 1, 0, 2, 0, 0, 1, 0}, func(i int, in *outbreak.ReportInput) {
		rec := *in.NewCases / 2
		in.Recovered, in.Actions = &rec, actions[i%len(actions)]
	})
	onSite := func(means int64) outbreak.OnSiteInput {
		in := outbreak.OnSiteInput{
			Forces:    []outbreak.ForceInput{{UnitID: &c.cell.ID, Role: "Đảng viên chi bộ thôn", Count: ptrInt(14)}, {UnitID: &c.phuTuc.ID, Role: "Dân quân, y tế, đoàn thanh niên xã", Count: ptrInt(25)}},
			Means:     []outbreak.Item{{Item: "Máy phun hóa chất", Quantity: 3}, {Item: "Hóa chất diệt muỗi (lít)", Quantity: means}, {Item: "Thuốc diệt lăng quăng (gói)", Quantity: 200}},
			Logistics: []outbreak.Item{{Item: "Suất ăn cho lực lượng trực", Quantity: 40}, {Item: "Nước uống (thùng)", Quantity: 10}},
		}
		if hasHead {
			in.Command = &outbreak.CommandInput{MemberID: cellHead, Phone: "0912 345 001"}
		}
		return in
	}
	c.setOnSite(at(c.day(-20), 10, 0), phuTuc, a, onSite(60))
	c.setOnSite(at(c.day(-1), 16, 0), phuTuc, a, onSite(35))
	// Shifts: two weeks ago the cell's members killed larvae; tomorrow
	// dangvien and the cell's head spray.
	members := []int64{dangvien, cellHead}
	c.shift(at(c.day(-14), 9, 0), phuTuc, a, members, outbreak.DutyInput{Role: "Diệt lăng quăng, bọ gậy", From: at(c.day(-13), 7, 0), To: at(c.day(-13), 11, 0)})
	c.shift(at(c.day(-1), 16, 30), phuTuc, a, members, outbreak.DutyInput{Role: "Phun hóa chất", From: at(c.day(1), 7, 0), To: at(c.day(1), 11, 30)})
	// Funding: the first request disbursed late, the second approved.
	fund1 := c.requestFunding(at(c.weekday(c.day(-19)), 9, 0), phuTuc, a, "1", outbreak.FundingInput{Amount: 45_000_000, Purpose: "Mua hóa chất, thuê máy phun đợt 1", NeededBy: c.weekday(c.day(-15)), ToUnitID: c.district.ID})
	c.add(at(c.weekday(c.day(-17)), 14, 0), func() error {
		return c.fundStep(office, *fund1, task.ActAccept, "Thường trực Huyện ủy đồng ý cấp")
	})
	c.add(at(c.weekday(c.day(-10)), 15, 0), func() error {
		return c.fundStep(office, *fund1, task.ActComplete, "Đã chuyển kinh phí về Đảng ủy xã")
	})
	fund2 := c.requestFunding(at(c.weekday(c.day(-5)), 9, 0), phuTuc, a, "2", outbreak.FundingInput{Amount: 30_000_000, Purpose: "Hỗ trợ lực lượng trực và tuyên truyền đợt 2", NeededBy: c.day(4), ToUnitID: c.district.ID})
	c.add(at(c.weekday(c.day(-4)), 10, 0), func() error {
		return c.fundStep(office, *fund2, task.ActAccept, "Đồng ý, chờ chuyển kinh phí")
	})

	// Focus B: Phú Túc's second focus, this week.
	b := c.openFocus(at(c.day(-4), 9, 0), phuTuc, "B", outbreak.OpenInput{UnitID: c.phuTuc.ID, Disease: "sot_xuat_huyet", Place: "Thôn Văn Xá, khu chợ", OpenedOn: c.day(-4), FirstCaseOn: ptrDate(c.day(-5))})
	c.dailyReports(phuTuc, b, -4, 17, 30, []int{2, 1, 3, 1}, func(_ int, in *outbreak.ReportInput) {
		in.Actions = "Phun hóa chất khu chợ, vệ sinh môi trường"
	})
	c.setOnSite(at(c.day(-4), 11, 0), phuTuc, b, onSite(20))
}

// focusWithoutCommander writes focus C, in another commune: no commander,
// its means last set nine days ago.
func (c *content) focusWithoutCommander(cm task.UnitRef) {
	actor := c.unitActor[cm.ID]
	village := c.cells[cm.ID][0]
	fc := c.openFocus(at(c.day(-12), 9, 0), actor, "C", outbreak.OpenInput{UnitID: village.ID, Disease: "sot_xuat_huyet", Place: "Xóm Trại, " + village.Name, OpenedOn: c.day(-12)})
	c.dailyReports(actor, fc, -12, 18, 0, []int{1, 2, 2, 0, 3, 1, 2, 0, 1, 4, 2, 3}, nil)
	c.setOnSite(at(c.day(-9), 10, 0), actor, fc, outbreak.OnSiteInput{
		Forces: []outbreak.ForceInput{{UnitID: &village.ID, Role: "Đảng viên chi bộ", Count: ptrInt(9)}},
		Means:  []outbreak.Item{{Item: "Máy phun hóa chất", Quantity: 1}, {Item: "Hóa chất diệt muỗi (lít)", Quantity: 15}},
	})
}

// closedFocus writes focus D, in a third commune, closed after 14 days
// without a new case.
func (c *content) closedFocus(cm task.UnitRef) {
	s := c.env.Outbreaks
	actor := c.unitActor[cm.ID]
	fd := c.openFocus(at(c.day(-40), 9, 0), actor, "D", outbreak.OpenInput{UnitID: cm.ID, Disease: "sot_xuat_huyet", Place: "Thôn Đông, khu dân cư mới", OpenedOn: c.day(-40), FirstCaseOn: ptrDate(c.day(-41))})
	c.dailyReports(actor, fd, -40, 17, 0, []int{2, 1, 1, 0, 1, 0, 0, 0, 0, 0}, nil)
	// The last case on day -36: closable on day -22.
	c.add(at(c.day(-21), 9, 0), func() error {
		_, err := s.Close(c.ctx, actor, *fd, outbreak.CloseInput{Reason: "Qua 14 ngày không phát sinh ca mắc mới"})
		return err
	})
}

// openFocus opens a focus at t; its id is set once the event has run.
func (c *content) openFocus(t time.Time, who *auth.Actor, name string, in outbreak.OpenInput) *int64 {
	id := new(int64)
	c.add(t, func() error {
		f, err := c.env.Outbreaks.Open(c.ctx, who, in)
		if err != nil {
			return fmt.Errorf("focus %s: %w", name, err)
		}
		*id = f.ID
		return nil
	})
	return id
}

// dailyReports reports a focus's new cases day by day from today+from, at
// h:m each day; fill, if any, completes each day's report.
func (c *content) dailyReports(who *auth.Actor, id *int64, from, h, m int, cases []int, fill func(i int, in *outbreak.ReportInput)) {
	for i, n := range cases {
		d, n := c.day(from+i), n
		c.add(at(d, h, m), func() error {
			in := outbreak.ReportInput{On: d, NewCases: &n}
			if fill != nil {
				fill(i, &in)
			}
			_, err := c.env.Outbreaks.AddReport(c.ctx, who, *id, in)
			return err
		})
	}
}

// setOnSite sets a focus's four on-site at t.
func (c *content) setOnSite(t time.Time, who *auth.Actor, id *int64, in outbreak.OnSiteInput) {
	c.add(t, func() error { _, err := c.env.Outbreaks.SetOnSite(c.ctx, who, *id, in); return err })
}

// shift puts the members (those known) on one duty of a focus at t.
func (c *content) shift(t time.Time, who *auth.Actor, id *int64, members []int64, duty outbreak.DutyInput) {
	c.add(t, func() error {
		var in []outbreak.DutyInput
		for _, m := range members {
			if m != 0 {
				d := duty
				d.MemberID = m
				in = append(in, d)
			}
		}
		_, err := c.env.Outbreaks.AddDuties(c.ctx, who, *id, in)
		return err
	})
}

// requestFunding asks for funding for a focus at t; the request's task id
// is set once the event has run.
func (c *content) requestFunding(t time.Time, who *auth.Actor, focus *int64, name string, in outbreak.FundingInput) *int64 {
	id := new(int64)
	c.add(t, func() error {
		f, err := c.env.Outbreaks.RequestFunding(c.ctx, who, *focus, in)
		if err != nil {
			return fmt.Errorf("funding %s: %w", name, err)
		}
		*id = f.TaskID
		return nil
	})
	return id
}

// day is today plus n days.
func (c *content) day(n int) date.Date { return c.today.AddDays(n) }

func ptrDate(d date.Date) *date.Date { return &d }

func (c *content) fundStep(actor *auth.Actor, taskID int64, act task.Action, note string) error {
	if taskID == 0 {
		return fmt.Errorf("funding step %s: no task", act)
	}
	_, err := c.env.Tasks.Step(c.ctx, actor, taskID, task.StepInput{Action: act, Note: note})
	return err
}

func ptrInt(n int) *int { return &n }
