package ui

// The scoresheet's evidence words: files on a criterion, the picker.
func init() { mergeCatalog(fourGoodEvidenceWords) }

var fourGoodEvidenceWords = map[string][2]string{
	"fg.files":       {"Tệp minh chứng", "Evidence files"},
	"fg.attach":      {"Đính kèm tệp minh chứng", "Attach an evidence file"},
	"fg.attach_max":  {"ảnh, PDF hoặc tệp văn phòng, tối đa %d MiB", "a photograph, PDF or office file, at most %d MiB"},
	"fg.upload":      {"Tải lên", "Upload"},
	"fg.remove_file": {"Gỡ tệp", "Remove"},
	"fg.unlink":      {"Bỏ liên kết", "Unlink"},
	"fg.pick":        {"Chọn minh chứng trong hệ thống", "Pick evidence from the system"},
	"fg.pick_kind":   {"Loại", "Kind"},
	"fg.pick_q":      {"Tìm theo tên", "Search by title"},
	"fg.pick_find":   {"Tìm", "Find"},
	"fg.pick_link":   {"Gắn", "Link"},
	"fg.picked":      {"đã gắn", "linked"},
	"fg.pick_none":   {"Không có mục nào phù hợp", "Nothing matches"},
	"fg.pick_close":  {"Đóng", "Close"},
}
