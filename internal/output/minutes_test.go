package output

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/meeting"
)

// paperLines is every line of text a Document carries, block by block
// (a table row is its cells joined by " | ").
func paperLines(d *Document) []string {
	var out []string
	join := func(rs []Run) string {
		var b strings.Builder
		for _, r := range rs {
			b.WriteString(r.Text)
		}
		return b.String()
	}
	var walk func(bs []Block)
	walk = func(bs []Block) {
		for _, b := range bs {
			switch b.Kind {
			case Table:
				for _, row := range b.Rows {
					cs := make([]string, len(row))
					for i, c := range row {
						cs[i] = join(c)
					}
					out = append(out, strings.Join(cs, " | "))
				}
			case List:
				for _, it := range b.Items {
					walk(it)
				}
			default:
				out = append(out, join(b.Runs))
			}
		}
	}
	walk(d.Body)
	return out
}

// checkLines fails t for each of wants that is not one of lines.
func checkLines(t *testing.T, lines, wants []string) {
	t.Helper()
	for _, want := range wants {
		if !hasLine(lines, want) {
			t.Errorf("missing line %q in\n%s", want, strings.Join(lines, "\n"))
		}
	}
}

func hasLine(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

func closedMeeting() MeetingPaper {
	start := time.Date(2023, 9, 8, 19, 30, 0, 0, date.Vietnam)
	end := start.Add(2 * time.Hour)
	m := &meeting.Meeting{ID: 42, UnitID: 7, UnitName: "Chi bộ thôn Đồng Chanh", Kind: meeting.Regular, StartsAt: start.UTC(), EndedAt: &end,
		Place: "Nhà văn hóa thôn", Chair: "Nguyễn Văn An", Secretary: "Trần Thị Bình", State: meeting.Closed,
		Agenda: []meeting.AgendaItem{
			{Title: "Thông tin thời sự", Notes: "Đồng chí Bí thư phổ biến Chỉ thị 24.\nCác đồng chí thống nhất."},
			{Title: "Nhiệm vụ tháng tới", Notes: "Ra quân làm đường."},
		},
		Minutes: "Đồng chí Cường đề nghị bổ sung.", Conclusions: "Chi bộ thống nhất nhiệm vụ tháng 10.", Resolution: "1. Hoàn thành làm đường.\n2. Thu đảng phí đủ.",
		Vote: &meeting.Vote{For: 3, Against: 0, Abstain: 0}, Expected: 5, Present: 3,
		Attendance: []meeting.Attendance{
			{MemberID: 1, FullName: "Nguyễn Văn An", Status: meeting.Present, Class: meeting.ClassFull},
			{MemberID: 2, FullName: "Trần Thị Bình", Status: meeting.Present, Class: meeting.ClassFull},
			{MemberID: 3, FullName: "Lê Văn Cường", Status: meeting.Present, Class: meeting.ClassProbationary},
			{MemberID: 4, FullName: "Phạm Văn Dũng", Status: meeting.Excused, Reason: "Đi công tác", Class: meeting.ClassFull},
			{MemberID: 5, FullName: "Hoàng Thị Em", Status: meeting.Absent, Class: meeting.ClassFull},
			{MemberID: 6, FullName: "Vũ Văn Giang", Status: meeting.Absent, Class: meeting.ClassExempt},
		},
		Amendments: []meeting.Amendment{{Field: "place", Text: "Hội trường thôn", Reason: "Ghi nhầm", By: "Trần Thị Bình", CreatedAt: end.Add(24 * time.Hour)}},
	}
	return MeetingPaper{Meeting: m, Number: 9, Chain: []doc.UnitRef{{Name: "Đảng bộ xã Phú Túc"}, {Name: "Chi bộ thôn Đồng Chanh"}}}
}

func TestMinutes(t *testing.T) {
	d := Minutes(closedMeeting())
	if got, want := d.Header, (Header{Upper: "Đảng bộ xã Phú Túc", Issuer: "Chi bộ thôn Đồng Chanh", Number: "9-BB/CB", Place: "Phú Túc", Date: date.New(2023, 9, 8)}); !cmp.Equal(got, want) {
		t.Errorf("header: %s", cmp.Diff(want, got))
	}
	if got, want := Upper(d.Type), "BIÊN BẢN SINH HOẠT CHI BỘ"; got != want {
		t.Errorf("type: got %q, want %q", got, want)
	}
	if got, want := d.Summary, "Sinh hoạt thường kỳ tháng 9 năm 2023"; got != want {
		t.Errorf("summary: got %q, want %q", got, want)
	}
	lines := paperLines(d)
	checkLines(t, lines, []string{
		// The place as amended.
		"Hồi 19 giờ 30 phút, ngày 08 tháng 9 năm 2023, tại Hội trường thôn, Chi bộ thôn Đồng Chanh tiến hành sinh hoạt thường kỳ.",
		"Chủ trì: đồng chí Nguyễn Văn An.",
		"Thư ký: đồng chí Trần Thị Bình.",
		"Tổng số đảng viên của chi bộ phải dự: 5 đồng chí; có mặt: 3 đồng chí; vắng mặt: 2 đồng chí (có lý do: 1, không có lý do: 1).",
		"TT | Đảng viên vắng mặt | Lý do",
		"1 | Phạm Văn Dũng | Đi công tác",
		"2 | Hoàng Thị Em | Không có lý do",
		"1. Thông tin thời sự",
		"Đồng chí Bí thư phổ biến Chỉ thị 24.",
		"Các đồng chí thống nhất.",
		"2. Nhiệm vụ tháng tới",
		"Ý kiến thảo luận",
		"Chi bộ thống nhất nhiệm vụ tháng 10.",
		"Biểu quyết thông qua nghị quyết của chi bộ. Số đảng viên có mặt: 3 đồng chí; tán thành: 3 đồng chí (100,0%); không tán thành: 0 đồng chí; không biểu quyết: 0 đồng chí.",
		"Địa điểm (Trần Thị Bình, 09/09/2023): Hội trường thôn Lý do: Ghi nhầm",
		"Buổi sinh hoạt kết thúc vào hồi 21 giờ 30 phút cùng ngày.",
	})
	// The exempt member absent is not an absentee.
	for _, l := range lines {
		if strings.Contains(l, "Vũ Văn Giang") {
			t.Errorf("exempt member listed: %q", l)
		}
	}
	if d.Cosigner == nil || *d.Cosigner != (Signature{Title: "THƯ KÝ", Name: "Trần Thị Bình"}) || d.Signature != (Signature{Title: "CHỦ TRÌ", Name: "Nguyễn Văn An"}) {
		t.Errorf("signatures: got %+v and %+v", d.Cosigner, d.Signature)
	}
	if got, want := d.Recipients, []string{"Đảng bộ xã Phú Túc (để báo cáo)", "Lưu Chi bộ"}; !cmp.Equal(got, want) {
		t.Errorf("recipients: %s", cmp.Diff(want, got))
	}
	// Laid out: the secretary signs on the left, the chair on the right,
	// on one line; both renderers take it.
	pages, err := d.Layout()
	if err != nil {
		t.Fatal(err)
	}
	var sec, chair *Item
	for _, p := range pages {
		for i := range p.Items {
			switch p.Items[i].Text {
			case "THƯ KÝ":
				sec = &p.Items[i]
			case "CHỦ TRÌ":
				chair = &p.Items[i]
			}
		}
	}
	if sec == nil || chair == nil || sec.X >= chair.X || sec.Y != chair.Y {
		t.Errorf("signatures laid out: secretary %+v, chair %+v", sec, chair)
	}
	var sink countWriter
	if err := WritePDF(&sink, d); err != nil {
		t.Fatal(err)
	}
	if err := WriteDOCX(&sink, d); err != nil {
		t.Fatal(err)
	}
}

func TestMinutesUnnumbered(t *testing.T) {
	p := closedMeeting()
	p.Number = 0
	p.Meeting.Kind = meeting.Thematic
	p.Meeting.Topic = "Học tập và làm theo tư tưởng Hồ Chí Minh"
	d := Minutes(p)
	if got, want := d.Header.Number, "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-BB/CB"; got != want {
		t.Errorf("number: got %q, want %q", got, want)
	}
	if got, want := d.Summary, "Sinh hoạt chuyên đề: Học tập và làm theo tư tưởng Hồ Chí Minh"; got != want {
		t.Errorf("summary: got %q, want %q", got, want)
	}
}

func TestResolution(t *testing.T) {
	d, err := Resolution(closedMeeting())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Header.Number, "9-NQ/CB"; got != want {
		t.Errorf("number: got %q, want %q", got, want)
	}
	if got, want := Upper(d.Type), "NGHỊ QUYẾT"; got != want {
		t.Errorf("type: got %q, want %q", got, want)
	}
	if got, want := d.Summary, "Về lãnh đạo thực hiện nhiệm vụ tháng 9 năm 2023"; got != want {
		t.Errorf("summary: got %q, want %q", got, want)
	}
	lines := paperLines(d)
	checkLines(t, lines, []string{
		"Ngày 08/09/2023, Chi bộ thôn Đồng Chanh họp tại Hội trường thôn, có mặt 3/5 đảng viên; sau khi thảo luận, chi bộ",
		"QUYẾT NGHỊ:",
		"Hoàn thành làm đường.",
		"Thu đảng phí đủ.",
	})
	if got, want := d.Signature, (Signature{Capacity: "T/M CHI BỘ", Title: "BÍ THƯ", Name: "Nguyễn Văn An"}); got != want {
		t.Errorf("signature: got %+v, want %+v", got, want)
	}
	// A deputy secretary who chaired signs in that office, for the cell.
	for _, tc := range []struct{ role, title string }{{"", "BÍ THƯ"}, {meeting.ChairSecretary, "BÍ THƯ"}, {meeting.ChairDeputy, "PHÓ BÍ THƯ"}} {
		p := closedMeeting()
		p.Meeting.ChairRole = tc.role
		r, err := Resolution(p)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := r.Signature, (Signature{Capacity: "T/M CHI BỘ", Title: tc.title, Name: "Nguyễn Văn An"}); got != want {
			t.Errorf("chair role %q: signature %+v, want %+v", tc.role, got, want)
		}
	}
	// Amended after closing: the amendment's office signs.
	p := closedMeeting()
	p.Meeting.Amendments = append(p.Meeting.Amendments, meeting.Amendment{Field: "chair_role", Text: meeting.ChairDeputy, Reason: "Ghi nhầm"})
	if r, err := Resolution(p); err != nil || r.Signature.Title != "PHÓ BÍ THƯ" {
		t.Errorf("amended to deputy: %+v, %v", r.Signature, err)
	}
	if got, want := d.Recipients, []string{"Đảng bộ xã Phú Túc (để báo cáo)", "Đảng viên trong chi bộ", "Lưu Chi bộ"}; !cmp.Equal(got, want) {
		t.Errorf("recipients: %s", cmp.Diff(want, got))
	}
	var sink countWriter
	if err := WritePDF(&sink, d); err != nil {
		t.Fatal(err)
	}
}

func TestCompliancePaper(t *testing.T) {
	rate := 0.875
	c := &meeting.Compliance{UnitID: 2, Year: 2026, AsOf: "2026-03", Cells: []meeting.CellCompliance{
		{Name: "Chi bộ thôn 1", Missing: 1, AttendanceRate: &rate, Months: []meeting.MonthRecord{{Month: "2026-01", Regular: true, ThematicInQuarter: true}, {Month: "2026-02"}, {Month: "2026-03", Regular: true}}},
		{Name: "Chi bộ thôn 2", Missing: 4, Months: []meeting.MonthRecord{{Month: "2026-01"}, {Month: "2026-02"}, {Month: "2026-03"}}},
	}, Flags: []meeting.Flag{{FullName: "Hoàng Văn Em", Absences: 3}}}
	d := Compliance(c, []doc.UnitRef{{Name: "Huyện ủy Phú Xuyên"}, {Name: "Đảng bộ xã Phú Túc"}}, date.New(2026, 3, 10))
	if got, want := d.Summary, "Tình hình sinh hoạt chi bộ năm 2026 (đến tháng 3/2026)"; got != want {
		t.Errorf("summary: got %q, want %q", got, want)
	}
	lines := paperLines(d)
	checkLines(t, lines, []string{
		"TT | Chi bộ | T1 | T2 | T3 | Thiếu | Tỷ lệ dự",
		"1 | Chi bộ thôn 1 | x CĐ | 0 | x | 1 | 87,5%",
		"2 | Chi bộ thôn 2 | 0 | 0 | 0 | 4 | —",
		"1 | Hoàng Văn Em | 3",
	})
	if d.Signature.Capacity != "T/M ĐẢNG ỦY" || d.Header.Issuer != "Đảng bộ xã Phú Túc" {
		t.Errorf("signature %+v, issuer %q", d.Signature, d.Header.Issuer)
	}
	var sink countWriter
	if err := WritePDF(&sink, d); err != nil {
		t.Fatal(err)
	}
}
