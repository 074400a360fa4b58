package output

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/scoring"
)

// FourGood fills a committee's printed report of four-good results to the
// level above (scoring.Service.Results for its subtree and a period): the
// count by level, then one row per cell with its total, level and rank,
// and the committees' reports up. chain is the reporting unit after the
// unit above it; today dates the paper.
func FourGood(f *scoring.Framework, res *scoring.Results, chain []doc.UnitRef, today date.Date) *Document {
	out := &Document{Header: reportHeader(chain, "", today)}
	period := "cuối năm"
	if res.Period == scoring.PeriodInterim {
		period = "sơ kết giữa kỳ"
	}
	out.Type = "Báo cáo"
	out.Summary = fmt.Sprintf("Kết quả thực hiện mô hình “Chi bộ 4 tốt” năm %d (%s)", f.Year, period)
	out.Body = append(out.Body, heading("I. KẾT QUẢ CHUNG"),
		para(Run{Text: fmt.Sprintf("Khung tiêu chí: %s. Số chi bộ đăng ký có phiếu chấm điểm: %d.", f.Name, res.Registered)}))
	levels := Block{Kind: Table, Head: true, Aligns: []Align{AlignLeft, AlignRight}}
	levels.Rows = append(levels.Rows, cells("Mức xếp loại", "Số chi bộ"))
	for _, l := range sortedLevels(res.ByLevel) {
		levels.Rows = append(levels.Rows, cells(l, strconv.Itoa(res.ByLevel[l])))
	}
	levels.Rows = append(levels.Rows, cells("Chưa đạt mức nào", strconv.Itoa(res.Unclassified)))
	out.Body = append(out.Body, levels, heading("II. KẾT QUẢ TỪNG CHI BỘ"))
	if len(res.Items) == 0 {
		out.Body = append(out.Body, para(Run{Text: "Không có chi bộ nào trong kỳ."}))
	} else {
		t := Block{Kind: Table, Head: true, Aligns: []Align{AlignCenter, AlignLeft, AlignRight, AlignLeft, AlignRight}}
		t.Rows = append(t.Rows, cells("TT", "Chi bộ", "Tổng điểm", "Xếp loại", "Thứ hạng"))
		for i, it := range res.Items {
			total := it.Total.String()
			if it.Provisional {
				total += " (tạm tính)"
			}
			level := it.Level
			if level == "" {
				level = "—"
			}
			t.Rows = append(t.Rows, cells(strconv.Itoa(i+1), it.Name, total, level, strconv.Itoa(it.Rank)))
		}
		out.Body = append(out.Body, t)
	}
	if len(res.Reports) > 0 {
		out.Body = append(out.Body, heading("III. BÁO CÁO CỦA CÁC CẤP ỦY TRỰC THUỘC"))
		r := Block{Kind: Table, Head: true, Aligns: []Align{AlignCenter, AlignLeft, AlignLeft}}
		r.Rows = append(r.Rows, cells("TT", "Cấp ủy", "Tình trạng"))
		names := map[string]string{"sent": "Đã gửi đúng hạn", "late": "Gửi trễ hạn", "missing": "Chưa gửi, đã quá hạn", "pending": "Chưa gửi, còn hạn"}
		for i, rep := range res.Reports {
			st := names[rep.Status]
			if st == "" {
				st = rep.Status
			}
			r.Rows = append(r.Rows, cells(strconv.Itoa(i+1), rep.Name, st))
		}
		out.Body = append(out.Body, r)
	}
	out.Signature = SignatureFor(out.Header.Issuer, "BC")
	out.Recipients = []string{"Ban Thường vụ " + out.Header.Issuer, "Lưu Văn thư"}
	out.Name = fmt.Sprintf("chi-bo-4-tot-%d-%d-%s", f.ID, f.Year, res.Period)
	return out
}

// sortedLevels lists the levels reached, in name order (stable output).
func sortedLevels(m map[string]int) []string {
	return slices.Sorted(maps.Keys(m))
}
