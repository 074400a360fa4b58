package output

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/task"
)

// Accountability fills the printed report of work handling under
// Directive 24-CT/TU (task.Service.Accountability) for the standing
// committee's folder: the totals, the units ranked, the heads ranked, the
// flags raised and the months. chain is the report's unit after the unit
// above it. The number is left for registration ("Số    -BC/HU").
func Accountability(rep *task.Report, chain []doc.UnitRef) *Document {
	out := accountabilityHead(rep, chain)
	issuer := out.Header.Issuer
	t := rep.Totals
	p := func(s string) Block { return Block{Kind: Paragraph, Runs: []Run{{Text: s}}, Align: AlignJustify} }
	h := func(s string) Block { return Block{Kind: Heading, Level: 2, Runs: []Run{{Text: s}}} }
	rate := "—"
	if t.OnTimeRate != nil {
		rate = strings.ReplaceAll(strconv.FormatFloat(*t.OnTimeRate*100, 'f', 1, 64), ".", ",") + "%"
	}
	out.Body = append(out.Body,
		h("I. TÌNH HÌNH CHUNG"),
		p(fmt.Sprintf("Trong kỳ, các tổ chức đảng thuộc %s nhận %d việc; hoàn thành đúng hạn %d, trễ hạn %d (tỷ lệ đúng hạn %s); %d việc quá hạn đang mở; %d lần chuyển lên cấp trên, %d lần chuyển sang đơn vị khác, %d lần trả lại, %d lần xin gia hạn, %d việc không phản hồi; %d cảnh báo.",
			issuer, t.Received, t.DoneOnTime, t.DoneLate, rate, t.OpenOverdue, t.Escalations, t.PushedSideways, t.Returns, t.ExtensionRequests, t.Unanswered, t.Flags)),
		h("II. KẾT QUẢ THEO ĐƠN VỊ"),
	)
	units := Block{Kind: Table, Head: true, Aligns: []Align{AlignCenter, AlignLeft, AlignRight, AlignRight, AlignRight, AlignRight, AlignRight, AlignRight, AlignRight, AlignRight}}
	units.Rows = append(units.Rows, cells("TT", "Đơn vị", "Nhận", "Đúng hạn", "Trễ hạn", "Quá hạn đang mở", "Chuyển lên trên", "Chuyển sang ngang", "Trả lại", "Điểm"))
	for _, u := range rep.Units {
		m := u.Metrics
		units.Rows = append(units.Rows, cells(strconv.Itoa(u.Rank), u.UnitName, n(m.Received), n(m.DoneOnTime), n(m.DoneLate), n(m.OpenOverdue), n(m.Escalations), n(m.PushedSideways), n(m.Returns), n(u.Score)))
	}
	units.Rows = append(units.Rows, boldCells("", "Tổng cộng", n(t.Received), n(t.DoneOnTime), n(t.DoneLate), n(t.OpenOverdue), n(t.Escalations), n(t.PushedSideways), n(t.Returns), n(t.Score())))
	out.Body = append(out.Body, units,
		p("Điểm càng cao càng chậm: "+scoreWords+"."))
	out.Body = append(out.Body, h("III. NGƯỜI ĐỨNG ĐẦU"))
	if len(rep.Heads) == 0 {
		out.Body = append(out.Body, p("Chưa có việc nào được giao cho người đứng đầu trong kỳ."))
	} else {
		heads := Block{Kind: Table, Head: true, Aligns: []Align{AlignCenter, AlignLeft, AlignLeft, AlignRight, AlignRight, AlignRight, AlignRight, AlignRight}}
		heads.Rows = append(heads.Rows, cells("TT", "Họ và tên", "Đơn vị", "Nhận", "Đúng hạn", "Trễ hạn", "Quá hạn đang mở", "Điểm"))
		for _, hd := range rep.Heads {
			m := hd.Metrics
			heads.Rows = append(heads.Rows, cells(strconv.Itoa(hd.Rank), hd.MemberName, hd.UnitName, n(m.Received), n(m.DoneOnTime), n(m.DoneLate), n(m.OpenOverdue), n(hd.Score)))
		}
		out.Body = append(out.Body, heads)
	}
	out.Body = append(out.Body, h("IV. CẢNH BÁO"))
	flags := Block{Kind: List}
	for _, f := range rep.Flags {
		if f.Count > 0 {
			flags.Items = append(flags.Items, []Block{{Kind: Paragraph, Runs: []Run{{Text: fmt.Sprintf("%s: %d", f.Name, f.Count)}}}})
		}
	}
	if len(flags.Items) == 0 {
		out.Body = append(out.Body, p("Không có cảnh báo trong kỳ."))
	} else {
		out.Body = append(out.Body, flags)
	}
	if len(rep.Months) > 0 {
		out.Body = append(out.Body, h("V. DIỄN BIẾN THEO THÁNG"))
		out.Body = append(out.Body, monthsTable(rep.Months))
	}
	return out
}

// scoreWords is task.ScoreFormula in words.
const scoreWords = "3 × quá hạn đang mở + 2 × trễ hạn + 2 × không phản hồi + 2 × chuyển lên trên + 2 × chuyển sang ngang + 1 × trả lại + 1 × xin gia hạn"

func n(i int) string { return strconv.Itoa(i) }

func cells(ss ...string) [][]Run {
	out := make([][]Run, len(ss))
	for i, s := range ss {
		if s != "" {
			out[i] = []Run{{Text: s}}
		}
	}
	return out
}

func boldCells(ss ...string) [][]Run {
	out := cells(ss...)
	for i := range out {
		for j := range out[i] {
			out[i][j].Style = Bold
		}
	}
	return out
}

// accountabilityHead is the report's paper without its body: the header
// (the issuer is the report's unit as chain names it), the title, the
// signature, the recipients, the file name.
func accountabilityHead(rep *task.Report, chain []doc.UnitRef) *Document {
	out := &Document{Header: reportHeader(chain, rep.UnitName, rep.Today)}
	issuer := out.Header.Issuer
	out.Type = "Báo cáo"
	out.Summary = fmt.Sprintf("Kết quả giải quyết công việc và trách nhiệm người đứng đầu theo Chỉ thị 24-CT/TU, từ ngày %s đến ngày %s", rep.From.VN(), rep.To.VN())
	out.Signature = SignatureFor(issuer, "BC")
	out.Recipients = []string{"Ban Thường vụ " + issuer, "Lưu Văn thư"}
	out.Name = "bao-cao-trach-nhiem-" + strconv.FormatInt(rep.UnitID, 10) + "-" + rep.From.String() + "-" + rep.To.String()
	return out
}

// monthsTable is the report's months, one row each.
func monthsTable(ms []task.MonthRow) Block {
	months := Block{Kind: Table, Head: true, Aligns: []Align{AlignCenter, AlignRight, AlignRight, AlignRight, AlignRight, AlignRight, AlignRight, AlignRight}}
	months.Rows = append(months.Rows, cells("Tháng", "Nhận", "Đúng hạn", "Trễ hạn", "Chuyển lên trên", "Chuyển sang ngang", "Trả lại", "Cảnh báo"))
	for _, mo := range ms {
		label := mo.Month
		if y, m, ok := strings.Cut(mo.Month, "-"); ok {
			label = strings.TrimPrefix(m, "0") + "/" + y
		}
		months.Rows = append(months.Rows, cells(label, n(mo.Received), n(mo.DoneOnTime), n(mo.DoneLate), n(mo.Escalations), n(mo.PushedSideways), n(mo.Returns), n(mo.Flags)))
	}
	return months
}
