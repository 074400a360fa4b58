package output

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/report"
)

// Submission fills the printed form of a unit's report as it was sent
// (report.Submission) in answer to a request: the unit's header (chain is
// the unit after the unit above it), "BÁO CÁO" and the request's title,
// the body as written, then the figures sent in a table. The number is
// left for registration ("Số    -BC/…").
func Submission(r *report.Request, sub *report.Submission, chain []doc.UnitRef) (*Document, error) {
	body, err := Blocks(sub.Body)
	if err != nil {
		return nil, err
	}
	out := &Document{Body: body, Header: reportHeader(chain, sub.UnitName, sub.SentOn)}
	out.Type = "Báo cáo"
	out.Summary = r.Title
	if sub.DocumentID != nil && strings.TrimSpace(sub.Body) == "" {
		out.Body = append(out.Body, Block{Kind: Paragraph, Runs: []Run{{Text: fmt.Sprintf("Nội dung báo cáo: văn bản số hiệu %d trên Sổ tay.", *sub.DocumentID)}}})
	}
	if len(sub.Figures) > 0 {
		keys := make([]string, 0, len(sub.Figures))
		for k := range sub.Figures {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t := Block{Kind: Table, Head: true, Aligns: []Align{AlignCenter, AlignLeft, AlignRight}}
		t.Rows = append(t.Rows, cells("TT", "Chỉ tiêu", "Số liệu"))
		for i, k := range keys {
			t.Rows = append(t.Rows, cells(strconv.Itoa(i+1), FigureLabel(k), strconv.FormatInt(sub.Figures[k], 10)))
		}
		out.Body = append(out.Body, Block{Kind: Heading, Level: 2, Runs: []Run{{Text: "PHỤ LỤC: SỐ LIỆU"}}}, t)
	}
	out.Signature = SignatureFor(out.Header.Issuer, "BC")
	out.Recipients = []string{r.UnitName + " (để báo cáo)", "Lưu Văn phòng"}
	out.Name = "bao-cao-" + strconv.FormatInt(r.ID, 10) + "-" + strconv.FormatInt(sub.UnitID, 10)
	return out, nil
}

// figureLabels name the figures a draft generates (report.Service.Draft).
var figureLabels = map[string]string{
	"members.total":                  "Tổng số đảng viên",
	"members.status.full":            "Đảng viên chính thức",
	"members.status.probationary":    "Đảng viên dự bị",
	"members.status.exempt":          "Đảng viên miễn sinh hoạt",
	"members.status.transferred_out": "Đã chuyển đi",
	"members.status.struck_off":      "Đã xóa tên",
	"members.status.expelled":        "Đã khai trừ",
	"members.status.deceased":        "Đã từ trần",
	"members.gender.female":          "Đảng viên nữ",
	"members.gender.male":            "Đảng viên nam",
	"members.age.under_30":           "Dưới 30 tuổi",
	"members.age.30_39":              "Từ 30 đến 39 tuổi",
	"members.age.40_49":              "Từ 40 đến 49 tuổi",
	"members.age.50_59":              "Từ 50 đến 59 tuổi",
	"members.age.60_69":              "Từ 60 đến 69 tuổi",
	"members.age.70_plus":            "Từ 70 tuổi trở lên",
	"members.age.unknown":            "Chưa rõ năm sinh",
	"units.total":                    "Số tổ chức đảng",
	"documents.reads":                "Lượt đọc văn bản",
	"documents.readers":              "Đảng viên đã đọc văn bản",
	"tasks.received":                 "Việc được giao",
	"tasks.done_on_time":             "Việc hoàn thành đúng hạn",
	"tasks.done_late":                "Việc hoàn thành trễ hạn",
	"tasks.open_overdue":             "Việc quá hạn đang mở",
	"outbreak.foci_opened":           "Ổ dịch phát hiện trong kỳ",
	"outbreak.foci_closed":           "Ổ dịch kết thúc trong kỳ",
	"outbreak.cases":                 "Ca mắc ghi nhận",
	"outbreak.shifts":                "Lượt đảng viên trực",
	"outbreak.shifts_confirmed":      "Lượt trực đã xác nhận",
	"outbreak.members_mobilised":     "Đảng viên được huy động",
	"fourgood.registered":            "Chi bộ đăng ký \"4 tốt\"",
	"fourgood.done":                  "Chi bộ đã có kết quả xếp loại cuối cùng",
	"fourgood.unclassified":          "Chi bộ chưa đạt mức xếp loại nào",
}

func init() {
	// The four-good bands by rank (the band names are each framework's).
	for n := 1; n <= 10; n++ {
		figureLabels[fmt.Sprintf("fourgood.band_%d", n)] = fmt.Sprintf("Chi bộ đạt mức xếp loại thứ %d", n)
	}
}

// FigureLabel is the Vietnamese name of a figure; a figure the handbook
// does not name is shown by its key.
func FigureLabel(k string) string {
	if l, ok := figureLabels[k]; ok {
		return l
	}
	return k
}
