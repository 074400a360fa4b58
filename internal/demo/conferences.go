package demo

import (
	"fmt"
	"time"

	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/task"
)

// The demo's conferences (internal/conference): one held two months ago
// by the district for all its members, at the district hall and four
// communes, with the check-ins of the day (most on time, some late, a few
// at another point than their own); one next week for Phú Túc, at the
// commune hall (hosted by bithu.phutuc) and one cell, whose members have
// their passes in the handbook.
//
// long: it stays one function on purpose: it is a timeline of dated events
// (c.add), each a closure over the conference made by an earlier one, and
// the check-ins draw from the content's one random stream in order; split
// up, the shared ids would have to be threaded through and a reordering
// would silently change the demo.
func (c *content) conferences() {
	if c.env.Conferences == nil {
		return
	}
	office := c.env.Actors["vanphong"]
	past := c.weekday(c.today.AddDays(-60))
	var pastID int64
	var pastPoints []conference.BridgePoint
	c.add(at(past.AddDays(-10), 9, 0), func() error {
		conf, err := c.env.Conferences.Create(c.ctx, office, conference.CreateInput{
			Title:    "Hội nghị trực tuyến quán triệt, triển khai Nghị quyết Hội nghị Trung ương",
			Agenda:   "1. Khai mạc.\n2. Quán triệt các nội dung chủ yếu của Nghị quyết.\n3. Thảo luận tại các điểm cầu.\n4. Bế mạc.",
			StartsAt: at(past, 8, 0), EndsAt: ptrTime(at(past, 11, 30)), HostUnitID: c.district.ID,
			Audience: conference.Audience{UnitID: c.district.ID}, DocumentIDs: c.docIDs("nq"),
		})
		if err != nil {
			return fmt.Errorf("past conference: %w", err)
		}
		pastID = conf.ID
		units := []task.UnitRef{c.district, c.phuTuc}
		for _, cm := range c.communes {
			if len(units) == 5 {
				break
			}
			if cm.ID != c.phuTuc.ID {
				units = append(units, cm)
			}
		}
		in := make([]conference.PointInput, len(units))
		for i, u := range units {
			in[i] = conference.PointInput{UnitID: u.ID, Name: "Điểm cầu " + u.Name, StreamURL: fmt.Sprintf("https://hop.phuxuyen.example.vn/phong/%d", u.ID)}
			if i == 0 {
				in[i].Name = "Điểm cầu Hội trường Huyện ủy"
				in[i].HostAccountID = &office.AccountID
			}
			if u.ID == c.phuTuc.ID {
				in[i].HostAccountID = &c.env.Actors["danguy.phutuc"].AccountID
			}
		}
		pastPoints, err = c.env.Conferences.AddPoints(c.ctx, office, conf.ID, in)
		return err
	})
	// The day: each point ticks its roll from 07:30; the hall's officers
	// check in those who came to the hall instead of their commune.
	c.add(at(past, 11, 0), func() error {
		for i, p := range pastPoints {
			var batch []conference.CheckinInput
			cursor := ""
			for {
				roll, err := c.env.Conferences.Roll(c.ctx, office, pastID, p.ID, "", 500, cursor)
				if err != nil {
					return err
				}
				for _, a := range roll.Items {
					if c.r.chance(0.12) {
						continue // absent
					}
					arrive := at(past, 7, 30).Add(time.Duration(c.r.intn(30)) * time.Minute)
					if c.r.chance(0.08) {
						arrive = at(past, 8, 5).Add(time.Duration(c.r.intn(40)) * time.Minute) // late
					}
					point := p.ID
					if i > 0 && c.r.chance(0.03) {
						point = pastPoints[0].ID // came to the hall
					}
					batch = append(batch, conference.CheckinInput{MemberID: a.MemberID, BridgePointID: point, At: ptrTime(arrive)})
				}
				if roll.NextCursor == nil {
					break
				}
				cursor = *roll.NextCursor
			}
			for len(batch) > 0 {
				k := min(len(batch), conference.MaxBatch)
				if _, err := c.env.Conferences.Checkin(c.ctx, office, pastID, batch[:k]); err != nil {
					return fmt.Errorf("past conference check-ins at %s: %w", p.Name, err)
				}
				batch = batch[k:]
			}
		}
		return nil
	})
	// Next week, for Phú Túc: invitations now, passes in the handbook.
	next := c.today.AddDays(7)
	for next.Time().Weekday() == time.Saturday || next.Time().Weekday() == time.Sunday {
		next = next.AddDays(1)
	}
	c.add(at(c.today.AddDays(-3), 15, 0), func() error {
		host := c.env.Actors["danguy.phutuc"]
		conf, err := c.env.Conferences.Create(c.ctx, host, conference.CreateInput{
			Title:    "Hội nghị sơ kết 6 tháng thực hiện Chỉ thị 24-CT/TU",
			Agenda:   "1. Báo cáo sơ kết.\n2. Ý kiến của các chi bộ.\n3. Kết luận của đồng chí Bí thư Đảng ủy.",
			StartsAt: at(next, 14, 0), EndsAt: ptrTime(at(next, 16, 30)), HostUnitID: c.phuTuc.ID,
			Audience: conference.Audience{UnitID: c.phuTuc.ID}, DocumentIDs: c.docIDs("plan", "ptkh"),
		})
		if err != nil {
			return fmt.Errorf("upcoming conference: %w", err)
		}
		bithu := c.env.Actors["bithu.phutuc"]
		_, err = c.env.Conferences.AddPoints(c.ctx, host, conf.ID, []conference.PointInput{
			{UnitID: c.phuTuc.ID, Name: "Hội trường Đảng ủy xã Phú Túc", HostAccountID: &bithu.AccountID, StreamURL: "https://hop.phuxuyen.example.vn/phong/phutuc"},
			{UnitID: c.cell.ID, Name: "Nhà văn hóa " + c.cell.Name},
		})
		return err
	})
}

// docIDs returns the ids of the demo documents with these keys (those
// written so far).
func (c *content) docIDs(keys ...string) []int64 {
	var out []int64
	for _, k := range keys {
		if id, ok := c.ids[k]; ok {
			out = append(out, id)
		}
	}
	return out
}

func ptrTime(t time.Time) *time.Time { return &t }
