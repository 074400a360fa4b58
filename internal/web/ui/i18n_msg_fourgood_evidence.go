package ui

// Round 6 of the four-good cells: attachments on a criterion, the report
// requests of the results, the evidence picker, outbreak shifts.
func init() { mergeCatalog(fourGoodEvidenceCatalog) }

var fourGoodEvidenceCatalog = map[string][2]string{
	"fourgood.attach_type":           {"Đính kèm ảnh (JPEG, PNG), tệp PDF hoặc tệp văn phòng", "attach a photograph (JPEG, PNG), a PDF or an office file"},
	"fourgood.file_name":             {"Tên tệp không hợp lệ", "the file name is not valid"},
	"fourgood.attachment_not_found":  {"Không tìm thấy tệp đính kèm", "attachment not found"},
	"fourgood.no_attachments":        {"Chưa dùng được tệp đính kèm", "attachments are not available"},
	"fourgood.attachment_locked":     {"Tệp được đính kèm ở bước %s, bước này đã khóa", "the file was added at the %s stage, which is locked"},
	"fourgood.too_many_attachments":  {"Mỗi tiêu chí đính kèm tối đa %d tệp", "a criterion takes at most %d files"},
	"fourgood.bad_query":             {"Từ khóa tìm kiếm tối đa %d ký tự", "the search is at most %d characters"},
	"fourgood.report_by_request":     {"Kết quả được báo cáo bằng cách trả lời yêu cầu báo cáo số %d", "the results are sent by answering report request %d"},
	"fg.report_request":              {"Theo yêu cầu báo cáo", "By report request"},
	"fg.open_submission":             {"Xem báo cáo đã gửi", "Open the report sent"},
	"audit_action.scoresheet.attach": {"Đính kèm minh chứng cho tiêu chí", "Evidence file attached"},
	"audit_action.scoresheet.detach": {"Gỡ tệp minh chứng của tiêu chí", "Evidence file removed"},
}
