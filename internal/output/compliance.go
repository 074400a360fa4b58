package output

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/meeting"
)

// Compliance fills the printed meeting compliance grid of a subtree for a
// year (meeting.Service.Compliance): one row per cell, one column per
// month ("x" a regular meeting held, "0" none; "CĐ" marks a month whose
// quarter had a thematic one), the months missing and the attendance
// rate, then the members absent without reason three times or more.
// chain is the unit after the unit above it; today dates the paper.
func Compliance(c *meeting.Compliance, chain []doc.UnitRef, today date.Date) *Document {
	out := &Document{Header: reportHeader(chain, "", today)}
	out.Type = "Báo cáo"
	out.Summary = fmt.Sprintf("Tình hình sinh hoạt chi bộ năm %d (đến tháng %s)", c.Year, monthLabel(c.AsOf))
	months := 0
	if len(c.Cells) > 0 {
		months = len(c.Cells[0].Months)
	}
	t := Block{Kind: Table, Head: true, Aligns: []Align{AlignCenter, AlignLeft}}
	head := []string{"TT", "Chi bộ"}
	for i := 0; i < months; i++ {
		head = append(head, "T"+strconv.Itoa(i+1))
		t.Aligns = append(t.Aligns, AlignCenter)
	}
	head = append(head, "Thiếu", "Tỷ lệ dự")
	t.Aligns = append(t.Aligns, AlignRight, AlignRight)
	t.Rows = append(t.Rows, cells(head...))
	for i, cell := range c.Cells {
		row := []string{strconv.Itoa(i + 1), cell.Name}
		for _, m := range cell.Months {
			row = append(row, m.Mark("x", "0", " CĐ"))
		}
		for len(row) < 2+months {
			row = append(row, "")
		}
		row = append(row, strconv.Itoa(cell.Missing), percent(cell.AttendanceRate))
		t.Rows = append(t.Rows, cells(row...))
	}
	out.Body = append(out.Body,
		heading("I. SINH HOẠT THEO THÁNG"),
		para(Run{Text: "Ký hiệu: x — có sinh hoạt thường kỳ; 0 — không sinh hoạt thường kỳ; CĐ — quý có sinh hoạt chuyên đề; Thiếu — số tháng không sinh hoạt thường kỳ và số quý không sinh hoạt chuyên đề.", Style: Italic}),
	)
	if len(c.Cells) == 0 {
		out.Body = append(out.Body, para(Run{Text: "Không có chi bộ nào trong kỳ."}))
	} else {
		out.Body = append(out.Body, t)
	}
	out.Body = append(out.Body, heading("II. ĐẢNG VIÊN VẮNG KHÔNG LÝ DO TỪ BA LẦN TRỞ LÊN"))
	if len(c.Flags) == 0 {
		out.Body = append(out.Body, para(Run{Text: "Không có."}))
	} else {
		f := Block{Kind: Table, Head: true, Aligns: []Align{AlignCenter, AlignLeft, AlignRight}}
		f.Rows = append(f.Rows, cells("TT", "Họ và tên", "Số lần vắng"))
		for i, fl := range c.Flags {
			f.Rows = append(f.Rows, cells(strconv.Itoa(i+1), fl.FullName, strconv.Itoa(fl.Absences)))
		}
		out.Body = append(out.Body, f)
	}
	out.Signature = SignatureFor(out.Header.Issuer, "BC")
	out.Recipients = []string{"Ban Thường vụ " + out.Header.Issuer, "Lưu Văn thư"}
	out.Name = fmt.Sprintf("sinh-hoat-chi-bo-%d-%d", c.UnitID, c.Year)
	return out
}

// monthLabel is "3/2026" of "2026-03".
func monthLabel(m string) string {
	if y, mo, ok := strings.Cut(m, "-"); ok {
		return strings.TrimPrefix(mo, "0") + "/" + y
	}
	return m
}

// percent is a rate as "87,5%", "—" without one.
func percent(r *float64) string {
	if r == nil {
		return "—"
	}
	return strings.ReplaceAll(strconv.FormatFloat(*r*100, 'f', 1, 64), ".", ",") + "%"
}
