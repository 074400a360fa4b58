package output

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/meeting"
)

// MeetingPaper is what the minutes and the resolution of a closed cell
// meeting are printed from: the meeting as closed (its texts as amended
// are printed, the amendments listed at the end), its number in the cell's
// own sequence, and the cell after the committee above it.
type MeetingPaper struct {
	Meeting *meeting.Meeting
	// Number is the meeting's ordinal among the cell's closed meetings of
	// its year (meeting.Service.Printed); 0 leaves the number blank.
	Number int
	Chain  []doc.UnitRef
}

// header fills the cell's header: the committee above, the cell, the
// number "{n}-{sym}/CB", the date of the meeting at the place of the
// committee's locality (a cell's own name is its village's).
func (p MeetingPaper) header(sym string) Header {
	m := p.Meeting
	h := Header{Issuer: m.UnitName, Place: PlaceOf(m.UnitName), Date: date.Of(m.StartsAt.In(date.Vietnam))}
	if len(p.Chain) > 0 {
		h.Issuer = p.Chain[len(p.Chain)-1].Name
		h.Place = PlaceOf(h.Issuer)
		if len(p.Chain) > 1 {
			h.Upper = p.Chain[0].Name
			h.Place = PlaceOf(h.Upper)
		}
	}
	n := strings.Repeat("\u00a0", 6)
	if p.Number > 0 {
		n = strconv.Itoa(p.Number)
	}
	h.Number = n + "-" + sym + "/CB"
	return h
}

// monthWords is "tháng 9 năm 2023" of the meeting's start in Vietnam.
func monthWords(t time.Time) string {
	t = t.In(date.Vietnam)
	return fmt.Sprintf("tháng %d năm %d", int(t.Month()), t.Year())
}

// clock is "19 giờ 30 phút" in Vietnam.
func clock(t time.Time) string {
	t = t.In(date.Vietnam)
	return fmt.Sprintf("%d giờ %02d phút", t.Hour(), t.Minute())
}

func (p MeetingPaper) summary() string {
	m := p.Meeting
	if m.Kind == meeting.Thematic {
		if topic := m.Current("topic"); topic != "" {
			return "Sinh hoạt chuyên đề: " + topic
		}
		return "Sinh hoạt chuyên đề " + monthWords(m.StartsAt)
	}
	return "Sinh hoạt thường kỳ " + monthWords(m.StartsAt)
}

func (p MeetingPaper) recipients() []string {
	if len(p.Chain) > 1 {
		return []string{p.Chain[0].Name + " (để báo cáo)", "Lưu Chi bộ"}
	}
	return []string{"Lưu Chi bộ"}
}

// paras splits a text into paragraphs at its line breaks (the minutes are
// written as plain text), blank lines dropped.
func paras(s string) []Block {
	var out []Block
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, Block{Kind: Paragraph, Runs: []Run{{Text: line}}, Align: AlignJustify})
		}
	}
	return out
}

func para(runs ...Run) Block { return Block{Kind: Paragraph, Runs: runs, Align: AlignJustify} }

func labelled(label, text string) Block {
	return para(Run{Text: label, Style: Bold}, Run{Text: text})
}

func heading(s string) Block { return Block{Kind: Heading, Level: 2, Runs: []Run{{Text: s}}} }

// orDots is text, or dots for a clerk to fill in by hand.
func orDots(s string) string {
	if strings.TrimSpace(s) == "" {
		return "…………………"
	}
	return s
}

// voteLine is the count of the vote, "" without one.
func voteLine(m *meeting.Meeting) string {
	if m.Vote == nil {
		return ""
	}
	v := m.Vote
	line := fmt.Sprintf("Số đảng viên có mặt: %d đồng chí; tán thành: %d đồng chí", m.Present, v.For)
	if m.Present > 0 {
		line += fmt.Sprintf(" (%s%%)", strings.ReplaceAll(strconv.FormatFloat(float64(v.For)*100/float64(m.Present), 'f', 1, 64), ".", ","))
	}
	return line + fmt.Sprintf("; không tán thành: %d đồng chí; không biểu quyết: %d đồng chí.", v.Against, v.Abstain)
}

// Minutes fills the minutes (biên bản) of a closed cell meeting (DOMAIN.md
// "Minutes and the printed form"): time, place, chair and secretary, the
// attendance with the absentees and their reasons, the content by agenda
// item, the opinions, the conclusions and the vote, the closing time, the
// signatures of secretary (left) and chair (right), the recipients.
func Minutes(p MeetingPaper) *Document {
	m := p.Meeting
	out := &Document{Header: p.header("BB"), Type: "Biên bản sinh hoạt chi bộ", Summary: p.summary()}
	start := m.StartsAt.In(date.Vietnam)
	out.Body = append(out.Body,
		para(Run{Text: fmt.Sprintf("Hồi %s, %s, tại %s, %s tiến hành sinh hoạt %s.",
			clock(start), DateInWords(date.Of(start)), orDots(m.Current("place")), m.UnitName, map[bool]string{true: "chuyên đề", false: "thường kỳ"}[m.Kind == meeting.Thematic])}),
		labelled("Chủ trì: ", "đồng chí "+orDots(m.Current("chair"))+"."),
		labelled("Thư ký: ", "đồng chí "+orDots(m.Current("secretary"))+"."),
		heading("I. THÀNH PHẦN"),
	)
	out.Body = append(out.Body, attendanceBlocks(m)...)
	out.Body = append(out.Body, heading("II. NỘI DUNG"))
	for i, it := range m.Agenda {
		out.Body = append(out.Body, Block{Kind: Heading, Level: 3, Runs: []Run{{Text: fmt.Sprintf("%d. %s", i+1, it.Title)}}})
		out.Body = append(out.Body, paras(m.Current(fmt.Sprintf("agenda[%d].notes", i)))...)
	}
	if text := m.Current("minutes"); strings.TrimSpace(text) != "" {
		out.Body = append(out.Body, Block{Kind: Heading, Level: 3, Runs: []Run{{Text: "Ý kiến thảo luận"}}})
		out.Body = append(out.Body, paras(text)...)
	}
	out.Body = append(out.Body, heading("III. KẾT LUẬN"))
	if c := paras(m.Current("conclusions")); len(c) > 0 {
		out.Body = append(out.Body, c...)
	} else {
		out.Body = append(out.Body, para(Run{Text: orDots("")}))
	}
	out.Body = append(out.Body, heading("IV. BIỂU QUYẾT"))
	if v := voteLine(m); v != "" {
		out.Body = append(out.Body, para(Run{Text: "Biểu quyết thông qua nghị quyết của chi bộ. " + v}))
	} else {
		out.Body = append(out.Body, para(Run{Text: "Không tiến hành biểu quyết."}))
	}
	if len(m.Amendments) > 0 {
		out.Body = append(out.Body, heading("V. ĐÍNH CHÍNH SAU KHI BẾ MẠC"))
		l := Block{Kind: List, Ordered: true, Start: 1}
		for _, am := range m.Amendments {
			l.Items = append(l.Items, []Block{{Kind: Paragraph, Runs: []Run{{Text: fmt.Sprintf("%s (%s, %s): %s Lý do: %s",
				FieldLabel(am.Field), am.By, am.CreatedAt.In(date.Vietnam).Format("02/01/2006"), am.Text, am.Reason)}}}})
		}
		out.Body = append(out.Body, l)
	}
	end := "…………"
	if m.EndedAt != nil {
		end = clock(*m.EndedAt)
		if e := m.EndedAt.In(date.Vietnam); date.Of(e) != date.Of(start) {
			end += ", " + DateInWords(date.Of(e))
		} else {
			end += " cùng ngày"
		}
	}
	out.Body = append(out.Body, para(Run{Text: "Buổi sinh hoạt kết thúc vào hồi " + end + ".", Style: Italic}))
	out.Cosigner = &Signature{Title: "THƯ KÝ", Name: m.Current("secretary")}
	out.Signature = Signature{Title: "CHỦ TRÌ", Name: m.Current("chair")}
	out.Recipients = p.recipients()
	out.Name = "bien-ban-" + strconv.FormatInt(m.ID, 10)
	return out
}

// attendanceBlocks are the minutes' attendance: the counts, the absentees
// with their reasons, the members exempt from meetings who came.
func attendanceBlocks(m *meeting.Meeting) []Block {
	var body []Block
	var absent, exempt []meeting.Attendance
	excused, unexcused := 0, 0
	for _, a := range m.Attendance {
		switch {
		case a.Class == meeting.ClassExempt:
			if a.Status == meeting.Present {
				exempt = append(exempt, a)
			}
		case a.Status != meeting.Present:
			absent = append(absent, a)
			if a.Status == meeting.Excused || strings.TrimSpace(a.Reason) != "" {
				excused++
			} else {
				unexcused++
			}
		}
	}
	body = append(body, para(Run{Text: fmt.Sprintf("Tổng số đảng viên của chi bộ phải dự: %d đồng chí; có mặt: %d đồng chí; vắng mặt: %d đồng chí (có lý do: %d, không có lý do: %d).",
		m.Expected, m.Present, len(absent), excused, unexcused)}))
	if len(absent) > 0 {
		t := Block{Kind: Table, Head: true, Aligns: []Align{AlignCenter, AlignLeft, AlignLeft}}
		t.Rows = append(t.Rows, cells("TT", "Đảng viên vắng mặt", "Lý do"))
		for i, a := range absent {
			reason := strings.TrimSpace(a.Reason)
			if reason == "" {
				reason = "Không có lý do"
			}
			t.Rows = append(t.Rows, cells(strconv.Itoa(i+1), a.FullName, reason))
		}
		body = append(body, t)
	}
	if len(exempt) > 0 {
		names := make([]string, len(exempt))
		for i, a := range exempt {
			names[i] = a.FullName
		}
		body = append(body, para(Run{Text: "Đảng viên được miễn sinh hoạt có mặt: " + strings.Join(names, ", ") + "."}))
	}
	return body
}

// fieldLabels name the fields an amendment corrects.
var fieldLabels = map[string]string{
	"minutes": "Ý kiến thảo luận", "conclusions": "Kết luận", "resolution": "Nghị quyết", "chair": "Chủ trì", "chair_role": "Chức vụ người chủ trì",
	"secretary": "Thư ký", "place": "Địa điểm", "topic": "Chủ đề",
}

// FieldLabel is the Vietnamese name of an amended field ("agenda[1].notes"
// → "Nội dung mục 2").
func FieldLabel(f string) string {
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	var n int
	if _, err := fmt.Sscanf(f, "agenda[%d].notes", &n); err == nil {
		return fmt.Sprintf("Nội dung mục %d", n+1)
	}
	return f
}

// Resolution fills the resolution (nghị quyết) of a closed cell meeting:
// "Số {n}-NQ/CB", the meeting that passed it with its attendance, the
// resolution's text (Markdown, as a document's body) and the vote, signed
// T/M CHI BỘ, BÍ THƯ by the chair (PHÓ BÍ THƯ when a deputy chaired).
func Resolution(p MeetingPaper) (*Document, error) {
	m := p.Meeting
	body, err := Blocks(m.Current("resolution"))
	if err != nil {
		return nil, err
	}
	out := &Document{Header: p.header("NQ"), Type: "Nghị quyết"}
	if m.Kind == meeting.Thematic && m.Current("topic") != "" {
		out.Summary = "Về " + m.Current("topic")
	} else {
		out.Summary = "Về lãnh đạo thực hiện nhiệm vụ " + monthWords(m.StartsAt)
	}
	start := m.StartsAt.In(date.Vietnam)
	out.Body = append(out.Body,
		para(Run{Text: "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;", Style: Italic}),
		para(Run{Text: "Căn cứ Quy định về chức năng, nhiệm vụ của chi bộ;", Style: Italic}),
		para(Run{Text: fmt.Sprintf("Ngày %s, %s họp tại %s, có mặt %d/%d đảng viên; sau khi thảo luận, chi bộ", start.Format("02/01/2006"), m.UnitName, orDots(m.Current("place")), m.Present, m.Expected)}),
		Block{Kind: Paragraph, Runs: []Run{{Text: "QUYẾT NGHỊ:", Style: Bold}}, Align: AlignCenter},
	)
	if len(body) == 0 {
		body = []Block{para(Run{Text: orDots("")})}
	}
	out.Body = append(out.Body, body...)
	if v := voteLine(m); v != "" {
		out.Body = append(out.Body, para(Run{Text: "Nghị quyết được chi bộ biểu quyết thông qua. " + v, Style: Italic}))
	}
	out.Body = append(out.Body, para(Run{Text: "Các đồng chí đảng viên trong chi bộ có trách nhiệm thực hiện Nghị quyết này.", Style: Italic}))
	out.Signature = Signature{Capacity: "T/M CHI BỘ", Title: "BÍ THƯ", Name: m.Current("chair")}
	if m.Current("chair_role") == meeting.ChairDeputy {
		// A deputy secretary who chaired signs for the cell in their own
		// office (36-HD/VPTW: a cell has no standing committee, so no K/T).
		out.Signature.Title = "PHÓ BÍ THƯ"
	}
	out.Recipients = append(p.recipients()[:len(p.recipients())-1], "Đảng viên trong chi bộ", "Lưu Chi bộ")
	out.Name = "nghi-quyet-" + strconv.FormatInt(m.ID, 10)
	return out, nil
}
