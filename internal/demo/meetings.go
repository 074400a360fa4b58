package demo

import (
	"fmt"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/task"
)

// Cell meetings of the demo: the district's monthly guidance for recent
// months, and a year of meetings of Phú Túc's cells. Most cells hold the
// regular meeting each month and a thematic one each quarter; one cell
// (the last of the commune) often misses them, so the compliance grid has
// something to show first; a member of it misses many meetings without a
// reason (a flag). bithu.phutuc's cell has not met yet this month: the
// secretary's journey schedules that meeting. The invitations of these
// past meetings are cleared afterwards (ClearDemoInvitations): the demo's
// inboxes start with what is new.

var guidanceTopics = [][]string{
	{"Học tập, quán triệt Nghị quyết của Đảng bộ huyện", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"},
	{"Phòng, chống thiên tai, bảo đảm an toàn mùa mưa bão", "Vệ sinh môi trường, phòng chống dịch bệnh ở khu dân cư"},
	{"Xây dựng nông thôn mới nâng cao, chỉnh trang khu dân cư", "Chuyển đổi số trong thủ tục hành chính cấp xã"},
	{"Thu nộp đảng phí theo Quy định 01-QĐ/TW", "Tổng kết công tác năm, đánh giá, xếp loại đảng viên"},
}

var excuses = []string{"Ốm", "Đi công tác", "Việc gia đình", "Đi khám bệnh", "Trực cơ quan"}

// meetings schedules the meeting events (guidance, scheduling, roll,
// closing) on the content's clock.
func (c *content) meetings() {
	svc := c.env.Meetings
	if svc == nil {
		return
	}
	r := newRNG(uint64(c.env.Seed)+1, 0x5e55)
	office := c.env.Actors["vanphong"]
	first := date.New(c.today.Year, c.today.Month, 1).AddMonths(-11)
	// Guidance: the district for the last three months and the next; the
	// commune adds its own for the current month.
	for i := -3; i <= 1; i++ {
		mo := date.New(c.today.Year, c.today.Month, 1).AddMonths(i)
		month := mo.String()[:7]
		topics := guidanceTopics[(int(mo.Month)+4)%len(guidanceTopics)]
		c.add(at(mo.AddMonths(-1).AddDays(24), 9, 0), func() error {
			_, err := svc.PublishGuidance(c.ctx, office, c.district.ID, meeting.GuidanceInput{Month: month, Topics: topics,
				DocumentIDs: []int64{}, Note: "Các chi bộ căn cứ tình hình thực tế, lựa chọn nội dung phù hợp."})
			return err
		})
		if i == 0 {
			c.add(at(mo.AddMonths(-1).AddDays(26), 9, 0), func() error {
				_, err := svc.PublishGuidance(c.ctx, c.env.Actors["danguy.phutuc"], c.phuTuc.ID, meeting.GuidanceInput{Month: month,
					Topics: []string{"Triển khai kế hoạch của Đảng ủy xã Phú Túc trong tháng"}, DocumentIDs: []int64{}})
				return err
			})
		}
	}
	cells := c.cells[c.phuTuc.ID]
	if len(cells) == 0 {
		return
	}
	lagging := cells[len(cells)-1]
	if lagging.ID == c.cell.ID && len(cells) > 1 {
		lagging = cells[len(cells)-2]
	}
	for mo := first; !mo.After(c.today); mo = mo.AddMonths(1) {
		current := mo.Year == c.today.Year && mo.Month == c.today.Month
		for _, cell := range cells {
			actor := c.unitActor[cell.ID]
			miss := 0.04
			if cell.ID == lagging.ID {
				miss = 0.45
			}
			if !(current && cell.ID == c.cell.ID) && !r.chance(miss) {
				c.meeting(svc, actor, cell, meeting.Regular, at(mo.AddDays(r.between(2, 7)), 19, 30), r, cell.ID == lagging.ID)
			}
			thematic := 0.8
			if cell.ID == lagging.ID {
				thematic = 0.3
			}
			if (int(mo.Month)-1)%3 == 1 && r.chance(thematic) {
				c.meeting(svc, actor, cell, meeting.Thematic, at(mo.AddDays(r.between(14, 19)), 19, 30), r, cell.ID == lagging.ID)
			}
		}
	}
}

// meeting schedules one meeting a week ahead and, once it has been held,
// takes the roll, writes the minutes and closes it. A meeting still to
// come is only scheduled.
func (c *content) meeting(svc *meeting.Service, actor *auth.Actor, cell task.UnitRef, kind meeting.Kind, starts time.Time, r rng, lagging bool) {
	if starts.Add(3 * time.Hour).After(c.end) {
		return // not held yet: the cells schedule it themselves
	}
	topic := "Kết quả tháng " + starts.AddDate(0, -1, 0).Format("1/2006") + ", nhiệm vụ tháng " + starts.Format("1/2006")
	if kind == meeting.Thematic {
		topic = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
	}
	// Draws happen now, in a fixed order, so the data does not depend on
	// the order the events are played in.
	draws := make([]float64, 80)
	for i := range draws {
		draws[i] = r.float()
	}
	var id int64
	c.add(starts.Add(-7*24*time.Hour), func() error {
		end := starts.Add(75 * time.Minute)
		m, err := svc.Schedule(c.ctx, actor, cell.ID, meeting.CreateInput{Kind: kind, StartsAt: starts, EndsAt: &end,
			Place: "Nhà văn hóa " + lowerFirst(cell.Name), Topic: topic})
		if err != nil {
			return fmt.Errorf("demo meeting of %s: %w", cell.Name, err)
		}
		id = m.ID
		c.sum.Meetings++
		return nil
	})
	c.add(starts.Add(2*time.Hour), func() error {
		roll, err := svc.Roll(c.ctx, actor, id)
		if err != nil {
			return err
		}
		lines := make([]meeting.Attendance, 0, len(roll.Expected))
		for i, l := range roll.Expected {
			d := draws[i%len(draws)]
			a := meeting.Attendance{MemberID: l.MemberID, Status: meeting.Present}
			switch {
			case lagging && i == 0 && d < 0.6: // the habitual absentee
				a.Status = meeting.Absent
			case d < 0.05:
				a.Status, a.Reason = meeting.Excused, excuses[i%len(excuses)]
			case d < 0.08:
				a.Status = meeting.Absent
			}
			lines = append(lines, a)
		}
		if _, err := svc.PutAttendance(c.ctx, actor, id, meeting.AttendanceInput{Lines: lines}); err != nil {
			return err
		}
		m, err := svc.Get(c.ctx, actor, id)
		if err != nil {
			return err
		}
		for i := range m.Agenda {
			m.Agenda[i].Notes = []string{"Đã thu đảng phí; thông qua chương trình, cử thư ký.", "Đồng chí Bí thư thông tin thời sự, chủ trương mới.",
				"Chi bộ đánh giá kết quả tháng trước: cơ bản hoàn thành.", "Thảo luận, thống nhất nhiệm vụ tháng tới.", "Biểu quyết thông qua nghị quyết."}[i%5]
		}
		present := roll.Present
		for _, l := range lines {
			if l.Status == meeting.Present {
				present++
			}
		}
		chair, sec := "Bí thư chi bộ", "Phó Bí thư chi bộ"
		minutes := "Buổi sinh hoạt bắt đầu lúc " + starts.In(date.Vietnam).Format("15 giờ 04") + ". Các đồng chí dự họp phát biểu ý kiến sôi nổi."
		res := "Chi bộ thống nhất thực hiện các nhiệm vụ trọng tâm của tháng tới."
		vote := meeting.Vote{For: present}
		if _, err := svc.Update(c.ctx, actor, id, meeting.UpdateInput{Agenda: &m.Agenda, Chair: &chair, Secretary: &sec, Minutes: &minutes,
			Conclusions: &res, Resolution: &res, Vote: &vote}); err != nil {
			return err
		}
		ended := starts.Add(70 * time.Minute)
		_, err = svc.Close(c.ctx, actor, id, meeting.CloseInput{EndedAt: &ended})
		return err
	})
}
