package ui

// Messages of shared by several modules, by key: {Vietnamese, English}.
// The English text is the one the API shows (apperr.Keyed and friends).
func init() { mergeCatalog(msgCommonCatalog) }

var msgCommonCatalog = map[string][2]string{
	"common.document_missing":           {"Không tìm thấy văn bản", "document not found"},
	"common.document_out_of_reach":      {"Không có văn bản này trong phạm vi của bạn", "no such document within reach"},
	"common.file_larger_than_mib":       {"Tệp lớn hơn %d MiB", "the file is larger than %d MiB"},
	"common.file_too_large":             {"Tệp quá lớn", "the file is too large"},
	"common.member_missing":             {"Không tìm thấy đảng viên", "member not found"},
	"common.member_not_found":           {"Không tìm thấy đảng viên %d", "member %d not found"},
	"common.member_out_of_reach":        {"Không có đảng viên này trong phạm vi của bạn", "no such member within reach"},
	"common.most_2000_characters":       {"Tối đa 2.000 ký tự", "at most 2000 characters"},
	"common.most_items":                 {"Tối đa %d mục", "at most %d items"},
	"common.multipart_body_cannot_read": {"Không đọc được nội dung tải lên", "the multipart body cannot be read"},
	"common.no_file_was_sent":           {"Chưa chọn tệp", "no file was sent"},
	"common.not_date":                   {"Ngày không hợp lệ", "not a date"},
	"common.not_found":                  {"Không tìm thấy", "not found"},
	"common.not_number":                 {"Không phải là số", "not a number"},
	"common.note_not_valid":             {"Ghi chú không hợp lệ", "the note is not valid"},
	"common.note_too_long":              {"Ghi chú quá dài", "the note is too long"},
	"common.password_was_not_changed":   {"Chưa đổi được mật khẩu", "the password was not changed"},
	"common.required":                   {"Bắt buộc", "required"},
	"common.sign_first":                 {"Hãy đăng nhập trước", "sign in first"},
	"common.unit_missing":               {"Không tìm thấy đơn vị", "unit not found"},
	"common.unit_not_found":             {"Không tìm thấy đơn vị %d", "unit %d not found"},
	"common.unit_out_of_reach":          {"Không có đơn vị này trong phạm vi của bạn", "no such unit within reach"},
	"common.unit_required":              {"Cần chọn đơn vị", "unit is required"},
	"common.unknown_format":             {"Định dạng không được hỗ trợ", "unknown format"},
	"common.unknown_role":               {"Vai trò không hợp lệ", "unknown role"},
	"common.year_from_founding":         {"Phải từ ngày 01/01/%d đến ngày %s", "must be from %d-01-01 to %s"},
}

// The store's not-found messages (internal/store/errors.go notFoundKeys)
// that no service call names.
func init() {
	mergeCatalog(map[string][2]string{
		"doc.attachment_not_found": {"Không tìm thấy tệp đính kèm %d", "attachment %d not found"},
		"doc.revision_not_found":   {"Không tìm thấy bản sửa %d của văn bản %d", "revision %d of document %d not found"},
		"doc.no_note":              {"Chưa có ghi chú", "no note"},
		"task.no_schedule":         {"Chưa có lịch nghỉ cho năm %d", "no schedule for %d"},
		"org.unit_not_on":          {"Đơn vị %d chưa có vào ngày %s", "unit %d did not exist on %s"},
		"store.job_not_found":      {"Không tìm thấy tác vụ %d", "job %d not found"},
		"store.job_key_not_found":  {"Không tìm thấy tác vụ %q", "no job with key %q"},
	})
}
