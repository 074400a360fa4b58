package ui

import "fmt"

// Words found in English on Vietnamese pages by the crawl
// (internal/cli TestBrowserCrawl), and their translations: the score
// formula's last term and the audit log's actions, which the log stores as
// codes (member.read) and the page names in words.
func init() {
	for k, v := range wordsCatalog {
		if _, dup := catalog[k]; dup {
			panic(fmt.Sprintf("web: catalogue key %q defined twice", k))
		}
		catalog[k] = v
	}
	for k, v := range wordsMessages {
		if _, dup := viMessages[k]; dup {
			panic(fmt.Sprintf("web: message %q translated twice", k))
		}
		viMessages[k] = v
	}
	viPatterns = append(viPatterns, compilePatterns([][2]string{
		{"the number's type %s is not the document's type %s", "Loại của số ký hiệu (%s) khác loại văn bản (%s)"},
		{"the number's issuer %s is not the issuer code %s", "Cơ quan ban hành trong số ký hiệu (%s) khác mã cơ quan ban hành (%s)"},
		{"the file cannot be read: %s", "Không đọc được tệp: %s"},
		{"no such %s within reach", "Không tìm thấy trong phạm vi của bạn"},
	})...)
}

// wordsMessages translate the services' messages that the forms show beside
// their fields or above them (task steps and assignment, publishing,
// comments and notes, import, the account page); TestFormMessagesTranslated
// finds the field messages in the services' code.
var wordsMessages = map[string]string{
	// Tasks: assigning and each step.
	"1 to 200 characters": "Từ 1 đến 200 ký tự",
	"a task split among the units below cannot also go to one member": "Việc đã chia cho các đơn vị trực thuộc thì không giao thêm cho một người",
	"at most ten years": "Không quá mười năm",
	"give a due date (due_on) or a number of working days (workdays)": "Hãy chọn hạn xử lý hoặc số ngày làm việc",
	"give due_on or workdays, not both":                               "Chỉ chọn một trong hai: hạn xử lý hoặc số ngày làm việc",
	"must be 0 to 365":                                                "Từ 0 đến 365",
	"must be a member of the unit or of a unit below it":              "Phải là đảng viên của đơn vị hoặc đơn vị trực thuộc",
	"not an active member":                                            "Không phải đảng viên đang sinh hoạt",
	"a note is required":                                              "Cần ghi chú",
	"a report needs a note or a percent":                              "Báo cáo cần ghi chú hoặc phần trăm hoàn thành",
	"an extension moves the due date later":                           "Gia hạn phải lùi hạn xử lý về sau",
	"the new due date is required":                                    "Cần chọn hạn mới",
	"the new due date is out of range":                                "Hạn mới nằm ngoài khoảng cho phép",
	"the percent is out of range":                                     "Phần trăm phải từ 0 đến 100",
	"whom to forward to":                                              "Hãy chọn nơi nhận",
	"the task is already with that unit":                              "Đơn vị này đang giữ việc",
	"the task is already with that holder":                            "Người này đang giữ việc",
	"sending work up is an escalation":                                "Chuyển việc lên cấp trên là đẩy lên trên: hãy dùng nút xin ý kiến cấp trên",
	"the deadline is out of range":                                    "Hạn xử lý nằm ngoài khoảng cho phép",
	"the step's deadline is out of range":                             "Hạn của khâu nằm ngoài khoảng cho phép",
	"the member is not in that unit":                                  "Đảng viên không thuộc đơn vị đó",
	"the assignee is not in the unit":                                 "Người nhận không thuộc đơn vị",
	"unit is required":                                                "Cần chọn đơn vị",
	"the due date is beyond the calendar":                             "Hạn xử lý vượt quá lịch làm việc đã có",
	"workdays is out of range":                                        "Số ngày làm việc nằm ngoài khoảng cho phép",
	"must be a unit id":                                               "Hãy chọn một đơn vị",
	// Documents, news, comments, notes.
	"must be after starts_on": "Phải sau ngày bắt đầu",
	"attach a PDF or an office file (.docx, .xlsx, .pptx, .doc, .xls)": "Hãy đính kèm tệp PDF hoặc tệp văn phòng (.docx, .xlsx, .pptx, .doc, .xls)",
	"the audience must lie under the issuing unit":                     "Nơi nhận phải thuộc đơn vị ban hành",
	"the comment is empty":         "Bình luận đang trống",
	"the comment is too long":      "Bình luận quá dài",
	"the note is too long":         "Ghi chú quá dài",
	"the upload could not be read": "Không đọc được tệp tải lên",
	"the file name is not valid":   "Tên tệp không hợp lệ",
	// Members: transfers and import.
	"must be temporary or official":      "Phải là chuyển tạm thời hoặc chính thức",
	"the destination is not a cell":      "Nơi chuyển đến không phải chi bộ",
	"members belong to cells":            "Đảng viên sinh hoạt ở chi bộ",
	"the member is already in that cell": "Đảng viên đang sinh hoạt ở chi bộ đó",
	"probation has not ended":            "Chưa hết thời gian dự bị",
	"xlsx or csv":                        "Tệp .xlsx hoặc .csv",
	// The account page.
	"not the current code of the authenticator app: check the phone's clock and try again": "Mã không khớp với ứng dụng xác thực: hãy kiểm tra đồng hồ của điện thoại rồi thử lại",
}

var wordsCatalog = map[string][2]string{
	"report.extensions": {"Xin gia hạn", "Extension requests"},
	// The unit page's history (tree.go unitHistory) names the changes.
	"tree_audit.unit.head": {"Đổi người đứng đầu", "Head changed"},

	"audit_action.account.create":              {"Tạo tài khoản", "Account created"},
	"audit_action.account.password_change":     {"Đổi mật khẩu", "Password changed"},
	"audit_action.account.password_reset":      {"Đặt lại mật khẩu", "Password reset"},
	"audit_action.account.recovery_code_use":   {"Dùng mã khôi phục", "Recovery code used"},
	"audit_action.account.roles":               {"Sửa vai trò", "Roles changed"},
	"audit_action.account.second_factor_reset": {"Đặt lại xác thực hai bước", "Two-step sign-in reset"},
	"audit_action.account.totp_enable":         {"Bật xác thực hai bước", "Two-step sign-in turned on"},
	"audit_action.bookmark.add":                {"Lưu văn bản", "Bookmark added"},
	"audit_action.bookmark.remove":             {"Bỏ lưu văn bản", "Bookmark removed"},
	"audit_action.calendar.schedule":           {"Đặt lịch nghỉ", "Holiday schedule set"},
	"audit_action.calendar.schedule.delete":    {"Xóa lịch nghỉ", "Holiday schedule deleted"},
	"audit_action.comment.create":              {"Viết bình luận", "Comment written"},
	"audit_action.comment.hide":                {"Ẩn bình luận", "Comment hidden"},
	"audit_action.document.attach":             {"Đính kèm tệp", "File attached"},
	"audit_action.document.create":             {"Ban hành văn bản", "Document published"},
	"audit_action.document.revise":             {"Sửa văn bản", "Document revised"},
	"audit_action.news.create":                 {"Đăng tin", "News posted"},
	"audit_action.news.revise":                 {"Sửa tin", "News revised"},
	"audit_action.news.feature":                {"Đặt hoặc bỏ tin nổi bật", "News featured or unfeatured"},
	"audit_action.member.create":               {"Thêm đảng viên", "Member added"},
	"audit_action.member.export":               {"Xuất danh sách đảng viên", "Members exported"},
	"audit_action.member.import":               {"Nhập danh sách đảng viên", "Members imported"},
	"audit_action.member.list":                 {"Xem danh sách đảng viên", "Member list viewed"},
	"audit_action.member.read":                 {"Xem hồ sơ đảng viên", "Member record viewed"},
	"audit_action.member.status":               {"Đổi trạng thái đảng viên", "Member status changed"},
	"audit_action.member.transfer":             {"Chuyển sinh hoạt", "Member transferred"},
	"audit_action.member.update":               {"Sửa hồ sơ đảng viên", "Member record changed"},
	"audit_action.note.put":                    {"Ghi chú văn bản", "Note saved"},
	"audit_action.task.create":                 {"Giao việc", "Task assigned"},
	"audit_action.task.accept":                 {"Nhận việc", "Task accepted"},
	"audit_action.task.forward":                {"Chuyển việc", "Task forwarded"},
	"audit_action.task.return":                 {"Trả lại việc", "Task returned"},
	"audit_action.task.escalate":               {"Đẩy việc lên cấp trên", "Task escalated"},
	"audit_action.task.report":                 {"Báo cáo tiến độ", "Progress reported"},
	"audit_action.task.complete":               {"Hoàn thành việc", "Task completed"},
	"audit_action.task.extend":                 {"Xin gia hạn", "Extension requested"},
	"audit_action.task.suspend":                {"Tạm dừng việc", "Task suspended"},
	"audit_action.task.resume":                 {"Tiếp tục việc", "Task resumed"},
	"audit_action.task.rules":                  {"Sửa quy định công việc", "Task rules changed"},
	"audit_action.term.create":                 {"Thêm nhiệm kỳ", "Term added"},
	"audit_action.unit.create":                 {"Thành lập đơn vị", "Unit created"},
	"audit_action.unit.dissolve":               {"Giải thể đơn vị", "Unit dissolved"},
	"audit_action.unit.head":                   {"Đổi người đứng đầu", "Head changed"},
	"audit_action.unit.merge":                  {"Sáp nhập đơn vị", "Units merged"},
	"audit_action.unit.move":                   {"Chuyển đơn vị", "Unit moved"},
	"audit_action.unit.split":                  {"Chia tách đơn vị", "Unit split"},
	"audit_action.unit.update":                 {"Sửa đơn vị", "Unit changed"},
}

// ActionKnown says whether the catalogue names the entry's action in words
// (audit_action.*); the page shows the code of an action it does not know.
func (e auditEntry) ActionKnown() bool {
	_, ok := catalog["audit_action."+e.Action]
	return ok
}
