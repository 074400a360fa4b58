package ui

// The scoresheet's evidence words: files on a criterion, the picker.
func init() { mergeCatalog(fourGoodEvidenceWords) }

var fourGoodEvidenceWords = map[string][2]string{
	"fg.files":              {"Tệp minh chứng", "Evidence files"},
	"fg.attach":             {"Đính kèm tệp minh chứng", "Attach an evidence file"},
	"fg.attach_max":         {"ảnh, PDF hoặc tệp văn phòng, tối đa %d MiB", "a photograph, PDF or office file, at most %d MiB"},
	"fg.upload":             {"Tải lên", "Upload"},
	"fg.remove_file":        {"Gỡ tệp", "Remove"},
	"fg.unlink":             {"Bỏ liên kết", "Unlink"},
	"fg.pick":               {"Chọn minh chứng trong hệ thống", "Pick evidence from the system"},
	"fg.pick_kind":          {"Loại", "Kind"},
	"fg.pick_q":             {"Tìm theo tên", "Search by title"},
	"fg.pick_find":          {"Tìm", "Find"},
	"fg.pick_link":          {"Gắn", "Link"},
	"fg.picked":             {"đã gắn", "linked"},
	"fg.pick_none":          {"Không có mục nào phù hợp", "Nothing matches"},
	"fg.pick_close":         {"Đóng", "Close"},
	"ob.member_shifts":      {"Ca trực phòng, chống dịch", "Outbreak shifts"},
	"ob.member_shifts_more": {"… và %d ca khác", "… and %d more"},
	"fg.ev_outbreak":        {"Phòng, chống dịch: %d lượt trực của đảng viên, %d lượt đã xác nhận (%d đảng viên)", "Outbreak response: %d shifts of the members, %d confirmed (%d members)"},
}
