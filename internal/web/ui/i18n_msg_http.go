package ui

// Messages of the HTTP layer: request decoding, paths, limits (internal/web), by key: {Vietnamese, English}.
// The English text is the one the API shows (apperr.Keyed and friends).
func init() { mergeCatalog(msgHttpCatalog) }

var msgHttpCatalog = map[string][2]string{
	"http.bad_limit":                    {"Số lượng không hợp lệ", "bad limit"},
	"http.bad_year":                     {"Năm không hợp lệ", "bad year"},
	"http.body_must_json_object":        {"Nội dung phải là một đối tượng JSON", "the body must be a JSON object"},
	"http.body_not_valid_json":          {"Nội dung không phải JSON hợp lệ: %v", "the body is not valid JSON: %v"},
	"http.body_not_valid_json_2":        {"Nội dung không phải JSON hợp lệ: còn dữ liệu sau giá trị đầu tiên", "the body is not valid JSON: more data follows the first value"},
	"http.body_too_large":               {"Nội dung gửi lên lớn hơn %d byte", "the request body is larger than %d bytes"},
	"http.cross_origin_request_refused": {"Yêu cầu gửi từ một trang khác nên bị từ chối: hãy thao tác ngay trên trang Sổ tay", "cross-origin request refused: send it from this site"},
	"http.database_unavailable":         {"Cơ sở dữ liệu chưa sẵn sàng", "database unavailable"},
	"http.date_not_valid":               {"Ngày không hợp lệ", "a date is not valid"},
	"http.field_type":                   {"Phải là %s", "must be %s"},
	"http.field_wrong_type":             {"Một trường có kiểu dữ liệu sai", "a field has the wrong type"},
	"http.file_name_not_valid":          {"Tên tệp không đúng mã UTF-8", "the file name is not valid UTF-8"},
	"http.id_neither_number_nor":        {"Có mã không phải số cũng không phải chuỗi", "an id is neither a number nor a string"},
	"http.if_match_must_hold":           {"If-Match phải chứa phiên bản đọc gần nhất", "If-Match must hold the version last read"},
	"http.list_too_long":                {"Danh sách quá dài", "a list is too long"},
	"http.must_integer":                 {"Phải là số nguyên", "must be an integer"},
	"http.must_json_xlsx":               {"Phải là json hoặc xlsx", "must be json or xlsx"},
	"http.must_json_xlsx_docx_pdf":      {"Phải là json, xlsx, docx hoặc pdf", "must be json, xlsx, docx or pdf"},
	"http.must_positive_integer":        {"Phải là số nguyên dương", "must be a positive integer"},
	"http.must_positive_integer_most":   {"Phải là số nguyên dương (tối đa 500)", "must be a positive integer (at most 500)"},
	"http.must_yyyy_mm_dd":              {"Phải có dạng YYYY-MM-DD", "must be YYYY-MM-DD"},
	"http.no_schedule":                  {"Không có lịch nghỉ cho năm %q", "no schedule for %q"},
	"http.no_such_endpoint":             {"Không có địa chỉ %s %s", "no such endpoint: %s %s"},
	"http.not_id":                       {"Mã không hợp lệ", "not an id"},
	"http.numbers_strings":              {"Phải là số hoặc chuỗi", "numbers or strings"},
	"http.query_string_not_valid":       {"Địa chỉ trang có ký tự không đúng mã UTF-8", "the query string is not valid UTF-8"},
	"http.query_string_nul":             {"Địa chỉ trang có ký tự NUL (%s)", "the query string holds a NUL character (%s)"},
	"http.request_body_could_not":       {"Không đọc được nội dung gửi lên", "the request body could not be read"},
	"http.request_body_empty_send":      {"Nội dung gửi lên đang trống: hãy gửi một giá trị JSON", "the request body is empty: send one JSON value"},
	"http.request_body_not_valid":       {"Nội dung gửi lên không đúng mã UTF-8", "the request body is not valid UTF-8"},
	"http.required_field_missing_send":  {"Thiếu trường bắt buộc (gửi null, \"\" hoặc [] để xóa giá trị)", "a required field is missing (send null, \"\" or [] to clear a value)"},
	"http.send_application_json":        {"Hãy gửi application/json", "send application/json"},
	"http.workdays_required":            {"Cần số ngày làm việc", "workdays is required"},
	"http.year_such_2026":               {"Một năm, ví dụ 2026", "a year such as 2026"},
	"http.your_role_requires_second":    {"Vai trò của bạn bắt buộc xác thực hai bước: hãy bật xác thực hai bước trước khi dùng các chức năng khác", "your role requires a second factor: enrol one (POST /api/v1/accounts/me/totp, then /confirm) before anything else"},
}
