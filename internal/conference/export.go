package conference

import (
	"context"
	"strconv"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
)

// The record afterwards: attendance per bridge point and per member, as
// tables for a spreadsheet (the API writes them as .xlsx).

// Sheet is one table with its title.
type Sheet struct {
	Name, Title string
	Headers     []string
	Rows        [][]string
}

func vnTime(t time.Time) string { return t.In(date.Vietnam).Format("15:04 02/01/2006") }

// AttendanceSheet is the board as a table: one row per bridge point, then
// the total. Officers and the points' hosts.
func (s *Service) AttendanceSheet(ctx context.Context, actor *auth.Actor, confID int64) (*Sheet, error) {
	c, _, err := s.view(ctx, actor, confID)
	if err != nil {
		return nil, err
	}
	a, err := s.Attendance(ctx, actor, confID)
	if err != nil {
		return nil, err
	}
	sh := &Sheet{Name: "Điểm cầu", Title: c.Title + " — " + vnTime(c.StartsAt),
		Headers: []string{"Điểm cầu", "Dự kiến", "Có mặt", "Đến muộn", "Vắng", "Dự nơi khác"}}
	row := func(name string, n Counts) []string {
		return []string{name, strconv.Itoa(n.Expected), strconv.Itoa(n.Present), strconv.Itoa(n.Late), strconv.Itoa(n.Absent), strconv.Itoa(n.Elsewhere)}
	}
	for _, p := range a.BridgePoints {
		sh.Rows = append(sh.Rows, row(p.Name, p.Counts))
	}
	sh.Rows = append(sh.Rows, row("Toàn hội nghị", a.Total))
	return sh, nil
}

// sheetPage is how many attendees AttendeeSheet reads a query. Each
// query of the roll counts the whole conference and sorts all its
// attendees for the page (the order is a member's name, from another
// table), so pages of 500 made the sheet of n attendees cost about n/500
// times one query: the three sheets of the demo district's conference
// that TestBrowserCrawl asks for took 1.6 s of CPU in its profile, under
// load (docs/benchmarks.md, r18-crawl).
// The sheet holds every row in memory anyway; a district's roll is tens
// of thousands of members at most.
const sheetPage = 100_000

// AttendeeSheet lists every invited member (officers only): cell,
// expected point, whether and where and when checked in, and the status
// (present, late, elsewhere, absent), by given name.
func (s *Service) AttendeeSheet(ctx context.Context, actor *auth.Actor, confID int64) (*Sheet, error) {
	c, ps, err := s.view(ctx, actor, confID)
	if err != nil {
		return nil, err
	}
	if !c.CanManage {
		return nil, notFound()
	}
	names := map[int64]string{}
	for _, p := range ps {
		names[p.ID] = p.Name
	}
	name := func(id *int64) string {
		if id == nil {
			return ""
		}
		return names[*id]
	}
	sh := &Sheet{Name: "Đảng viên", Title: c.Title + " — " + vnTime(c.StartsAt),
		Headers: []string{"Họ và tên", "Chi bộ", "Điểm cầu dự kiến", "Tình trạng", "Điểm danh tại", "Giờ đến"}}
	cursor := ""
	for {
		p, err := s.Store.Roll(ctx, RollFilter{ConferenceID: confID, Limit: sheetPage, Cursor: cursor})
		if err != nil {
			return nil, err
		}
		for _, a := range p.Items {
			status, at := "Vắng", ""
			if a.CheckedIn {
				at = vnTime(*a.CheckedAt)
				switch {
				case a.BridgePointID == nil || a.CheckedPoint == nil || *a.BridgePointID != *a.CheckedPoint:
					status = "Dự nơi khác"
				case a.CheckedAt.After(c.StartsAt):
					status = "Đến muộn"
				default:
					status = "Có mặt"
				}
			}
			sh.Rows = append(sh.Rows, []string{a.Name, a.UnitName, name(a.BridgePointID), status, name(a.CheckedPoint), at})
		}
		if p.NextCursor == nil {
			return sh, nil
		}
		cursor = *p.NextCursor
	}
}
