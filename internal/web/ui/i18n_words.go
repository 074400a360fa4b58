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
