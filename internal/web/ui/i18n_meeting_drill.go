package ui

// The meeting compliance by child unit (meeting_drill.go,
// templates/meeting_drill.html).
func init() { mergeCatalog(meetingDrillCatalog) }

var meetingDrillCatalog = map[string][2]string{
	"drill.title":    {"Sinh hoạt chi bộ theo đơn vị trực thuộc", "Meeting compliance by unit"},
	"drill.link":     {"Theo đơn vị trực thuộc", "By unit below"},
	"drill.grid":     {"Bảng từng chi bộ", "Grid of each cell"},
	"drill.unit":     {"Đơn vị", "Unit"},
	"drill.cells":    {"Số chi bộ", "Cells"},
	"drill.total":    {"Toàn đảng bộ", "Whole subtree"},
	"drill.none":     {"Không có đơn vị trực thuộc nào sinh hoạt trong các tháng này.", "No unit below held meetings in these months."},
	"drill.legend":   {"Mỗi ô: số chi bộ đã sinh hoạt thường kỳ / số chi bộ. Bấm tên đơn vị để xem cấp dưới.", "Each box: cells that held the regular meeting / cells. Open a unit's name to see the level below."},
	"drill.cell_tip": {"%s: %d/%d chi bộ sinh hoạt thường kỳ, %d có chuyên đề trong quý, tỷ lệ dự %s", "%s: %d/%d cells held the regular meeting, %d had a thematic one in the quarter, attendance %s"},
	"drill.caption":  {"Năm %d, đến tháng %s", "Year %d, up to %s"},
}
