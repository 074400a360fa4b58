package demo

import (
	"fmt"

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
	s := c.env.Outbreaks
	if s == nil || len(c.communes) < 3 {
		return
	}
	phuTuc := c.env.Actors["danguy.phutuc"]
	office := c.env.Actors["vanphong"]
	var others []task.UnitRef
	for _, cm := range c.communes {
		if cm.ID != c.phuTuc.ID && len(c.cells[cm.ID]) > 0 {
			others = append(others, cm)
		}
	}
	if len(others) < 2 {
		return
	}
	day := func(n int) date.Date { return c.today.AddDays(n) }
	ptr := func(d date.Date) *date.Date { return &d }
	cellHead, hasHead := c.heads[c.cell.ID]
	dangvien := c.env.Actors["dangvien"].MemberID

	// Focus A: Phú Túc, bithu.phutuc's village, three weeks.
	var a int64
	c.add(at(day(-20), 8, 30), func() error {
		f, err := s.Open(c.ctx, phuTuc, outbreak.OpenInput{UnitID: c.cell.ID, Disease: "sot_xuat_huyet", Place: "Thôn Đồng Phú, xóm 2 và xóm 3",
			OpenedOn: day(-20), FirstCaseOn: ptr(day(-22)), Note: "Trạm y tế xã phát hiện ca bệnh qua giám sát; khoanh vùng bán kính 200 m quanh các hộ có ca bệnh."})
		if err != nil {
			return fmt.Errorf("focus A: %w", err)
		}
		a = f.ID
		return nil
	})
	casesA := []int{3, 2, 4, 1, 2, 0, 3, 1, 0, 2, 1, 0, 0, 1, 0, 2, 0, 0, 1, 0}
	actions := []string{"Phun hóa chất diệt muỗi toàn xóm", "Chiến dịch diệt lăng quăng, bọ gậy", "Tuyên truyền đến từng hộ gia đình", "Kiểm tra dụng cụ chứa nước"}
	for i, n := range casesA {
		d, n, act := day(-20+i), n, actions[i%len(actions)]
		c.add(at(d, 17, 0), func() error {
			rec := n / 2
			_, err := s.AddReport(c.ctx, phuTuc, a, outbreak.ReportInput{On: d, NewCases: &n, Recovered: &rec, Actions: act})
			return err
		})
	}
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
	c.add(at(day(-20), 10, 0), func() error { _, err := s.SetOnSite(c.ctx, phuTuc, a, onSite(60)); return err })
	c.add(at(day(-1), 16, 0), func() error { _, err := s.SetOnSite(c.ctx, phuTuc, a, onSite(35)); return err })
	// Shifts: two weeks ago the cell's members killed larvae; tomorrow
	// dangvien and the cell's head spray.
	c.add(at(day(-14), 9, 0), func() error {
		var in []outbreak.DutyInput
		for _, m := range []int64{dangvien, cellHead} {
			if m != 0 {
				in = append(in, outbreak.DutyInput{MemberID: m, Role: "Diệt lăng quăng, bọ gậy", From: at(day(-13), 7, 0), To: at(day(-13), 11, 0)})
			}
		}
		_, err := s.AddDuties(c.ctx, phuTuc, a, in)
		return err
	})
	c.add(at(day(-1), 16, 30), func() error {
		var in []outbreak.DutyInput
		for _, m := range []int64{dangvien, cellHead} {
			if m != 0 {
				in = append(in, outbreak.DutyInput{MemberID: m, Role: "Phun hóa chất", From: at(day(1), 7, 0), To: at(day(1), 11, 30)})
			}
		}
		_, err := s.AddDuties(c.ctx, phuTuc, a, in)
		return err
	})
	// Funding: the first request disbursed late, the second approved.
	var fund1, fund2 int64
	first := c.weekday(day(-19))
	c.add(at(first, 9, 0), func() error {
		f, err := s.RequestFunding(c.ctx, phuTuc, a, outbreak.FundingInput{Amount: 45_000_000, Purpose: "Mua hóa chất, thuê máy phun đợt 1", NeededBy: c.weekday(day(-15)), ToUnitID: c.district.ID})
		if err != nil {
			return fmt.Errorf("funding 1: %w", err)
		}
		fund1 = f.TaskID
		return nil
	})
	c.add(at(c.weekday(day(-17)), 14, 0), func() error {
		return c.fundStep(office, fund1, task.ActAccept, "Thường trực Huyện ủy đồng ý cấp")
	})
	c.add(at(c.weekday(day(-10)), 15, 0), func() error {
		return c.fundStep(office, fund1, task.ActComplete, "Đã chuyển kinh phí về Đảng ủy xã")
	})
	c.add(at(c.weekday(day(-5)), 9, 0), func() error {
		f, err := s.RequestFunding(c.ctx, phuTuc, a, outbreak.FundingInput{Amount: 30_000_000, Purpose: "Hỗ trợ lực lượng trực và tuyên truyền đợt 2", NeededBy: day(4), ToUnitID: c.district.ID})
		if err != nil {
			return fmt.Errorf("funding 2: %w", err)
		}
		fund2 = f.TaskID
		return nil
	})
	c.add(at(c.weekday(day(-4)), 10, 0), func() error { return c.fundStep(office, fund2, task.ActAccept, "Đồng ý, chờ chuyển kinh phí") })

	// Focus B: Phú Túc's second focus, this week.
	var b int64
	c.add(at(day(-4), 9, 0), func() error {
		f, err := s.Open(c.ctx, phuTuc, outbreak.OpenInput{UnitID: c.phuTuc.ID, Disease: "sot_xuat_huyet", Place: "Thôn Văn Xá, khu chợ", OpenedOn: day(-4), FirstCaseOn: ptr(day(-5))})
		if err != nil {
			return fmt.Errorf("focus B: %w", err)
		}
		b = f.ID
		return nil
	})
	for i, n := range []int{2, 1, 3, 1} {
		d, n := day(-4+i), n
		c.add(at(d, 17, 30), func() error {
			_, err := s.AddReport(c.ctx, phuTuc, b, outbreak.ReportInput{On: d, NewCases: &n, Actions: "Phun hóa chất khu chợ, vệ sinh môi trường"})
			return err
		})
	}
	c.add(at(day(-4), 11, 0), func() error { _, err := s.SetOnSite(c.ctx, phuTuc, b, onSite(20)); return err })

	// Focus C: another commune; no commander, means last set 9 days ago.
	cm := others[0]
	actor := c.unitActor[cm.ID]
	village := c.cells[cm.ID][0]
	var fc int64
	c.add(at(day(-12), 9, 0), func() error {
		f, err := s.Open(c.ctx, actor, outbreak.OpenInput{UnitID: village.ID, Disease: "sot_xuat_huyet", Place: "Xóm Trại, " + village.Name, OpenedOn: day(-12)})
		if err != nil {
			return fmt.Errorf("focus C: %w", err)
		}
		fc = f.ID
		return nil
	})
	for i := 0; i < 12; i++ {
		d, n := day(-12+i), []int{1, 2, 2, 0, 3, 1, 2, 0, 1, 4, 2, 3}[i]
		c.add(at(d, 18, 0), func() error {
			_, err := s.AddReport(c.ctx, actor, fc, outbreak.ReportInput{On: d, NewCases: &n})
			return err
		})
	}
	c.add(at(day(-9), 10, 0), func() error {
		_, err := s.SetOnSite(c.ctx, actor, fc, outbreak.OnSiteInput{
			Forces: []outbreak.ForceInput{{UnitID: &village.ID, Role: "Đảng viên chi bộ", Count: ptrInt(9)}},
			Means:  []outbreak.Item{{Item: "Máy phun hóa chất", Quantity: 1}, {Item: "Hóa chất diệt muỗi (lít)", Quantity: 15}},
		})
		return err
	})

	// Focus D: a third commune, closed after 14 days without a new case.
	cm2 := others[1]
	actor2 := c.unitActor[cm2.ID]
	var fd int64
	c.add(at(day(-40), 9, 0), func() error {
		f, err := s.Open(c.ctx, actor2, outbreak.OpenInput{UnitID: cm2.ID, Disease: "sot_xuat_huyet", Place: "Thôn Đông, khu dân cư mới", OpenedOn: day(-40), FirstCaseOn: ptr(day(-41))})
		if err != nil {
			return fmt.Errorf("focus D: %w", err)
		}
		fd = f.ID
		return nil
	})
	for i, n := range []int{2, 1, 1, 0, 1, 0, 0, 0, 0, 0} {
		d, n := day(-40+i), n
		c.add(at(d, 17, 0), func() error {
			_, err := s.AddReport(c.ctx, actor2, fd, outbreak.ReportInput{On: d, NewCases: &n})
			return err
		})
	}
	// The last case on day -36: closable on day -22.
	c.add(at(day(-21), 9, 0), func() error {
		_, err := s.Close(c.ctx, actor2, fd, outbreak.CloseInput{Reason: "Qua 14 ngày không phát sinh ca mắc mới"})
		return err
	})
}

func (c *content) fundStep(actor *auth.Actor, taskID int64, act task.Action, note string) error {
	if taskID == 0 {
		return fmt.Errorf("funding step %s: no task", act)
	}
	_, err := c.env.Tasks.Step(c.ctx, actor, taskID, task.StepInput{Action: act, Note: note})
	return err
}

func ptrInt(n int) *int { return &n }
