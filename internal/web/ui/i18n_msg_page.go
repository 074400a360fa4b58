package ui

// Messages of the pages' own form checks (internal/web/ui), by key: {Vietnamese, English}.
// The English text is the one the API shows (apperr.Keyed and friends).
func init() { mergeCatalog(msgPageCatalog) }

var msgPageCatalog = map[string][2]string{
	"page.form_cannot_read":         {"Không đọc được nội dung biểu mẫu", "the form cannot be read"},
	"page.must_number_0_100":        {"Phải là số từ 0 đến 100", "must be a number from 0 to 100"},
	"page.must_unit_id":             {"Hãy chọn một đơn vị", "must be a unit id"},
	"page.no_page":                  {"Không có trang %s", "no page at %s"},
	"page.not_a_date":               {"Ngày không hợp lệ (ngày/tháng/năm)", "not a date (dd/mm/yyyy)"},
	"page.not_unit_id":              {"Chưa chọn đơn vị", "not a unit id"},
	"page.page_not_found":           {"Không tìm thấy trang", "page not found"},
	"page.request_too_large":        {"Nội dung gửi lên quá lớn", "the request is too large"},
	"page.two_new_passwords_differ": {"Hai lần nhập mật khẩu mới không khớp nhau", "the two new passwords differ"},
}

func init() {
	mergeCatalog(map[string][2]string{
		"page.task_no_recipients": {"Chọn ít nhất một đơn vị hoặc đảng viên", "pick at least one unit or member"},
		"page.task_workdays":      {"Số ngày làm việc phải là số nguyên từ 1 đến %d", "a whole number of working days from 1 to %d"},
	})
}
