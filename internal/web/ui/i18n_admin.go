package ui

import "fmt"

// Administration's texts (admin.go and templates/admin_*.html).
func init() {
	for k, v := range adminCatalog {
		if _, dup := catalog[k]; dup {
			panic(fmt.Sprintf("web: catalogue key %q defined twice", k))
		}
		catalog[k] = v
	}
}

var adminCatalog = map[string][2]string{
	"nav.admin":       {"Quản trị", "Administration"},
	"home.admin":      {"Quản trị tài khoản và nhật ký", "Accounts and the audit log"},
	"admin.nav":       {"Quản trị", "Administration"},
	"admin.accounts":  {"Tài khoản", "Accounts"},
	"admin.audit":     {"Nhật ký thao tác", "Audit log"},
	"admin.verify":    {"Kiểm tra nhật ký", "Verify the audit log"},
	"admin.new":       {"Tạo tài khoản", "New account"},
	"admin.new_help":  {"Tìm đơn vị theo tên, chọn đơn vị và vai trò, rồi đặt tên đăng nhập và mật khẩu ban đầu.", "Find the unit by name, pick it and the role, then set the user name and the first password."},
	"admin.created":   {"Đã tạo tài khoản.", "The account was created."},
	"admin.q":         {"Tìm theo tên đăng nhập hoặc họ tên (gõ không dấu cũng được)", "Search by user name or name (with or without diacritics)"},
	"admin.search":    {"Tìm", "Search"},
	"admin.none":      {"Không có tài khoản nào.", "No accounts."},
	"admin.no_roles":  {"Chưa có vai trò", "No roles"},
	"admin.totp_on":   {"Đã bật xác thực hai bước", "Two-step verification on"},
	"admin.totp_off":  {"Chưa bật xác thực hai bước", "Two-step verification off"},
	"admin.disabled":  {"Đã khóa", "Disabled"},
	"admin.required":  {"(bắt buộc)", "(required)"},
	"admin.username":  {"Tên đăng nhập", "User name"},
	"admin.password":  {"Mật khẩu (ít nhất 10 ký tự)", "Password (at least 10 characters)"},
	"admin.password2": {"Nhập lại mật khẩu", "The password again"},
	"admin.create":    {"Tạo tài khoản", "Create the account"},

	"admin.unit":        {"Đơn vị", "Unit"},
	"admin.unit_search": {"Tìm đơn vị theo tên", "Find a unit by name"},
	"admin.unit_find":   {"Tìm đơn vị", "Find"},
	"admin.unit_pick":   {"— Chọn đơn vị —", "— Pick a unit —"},
	"admin.unit_none":   {"Không có đơn vị nào khớp với tên đã tìm.", "No unit matches that name."},
	"admin.unit_more":   {"Danh sách chỉ hiện một phần: gõ tên đơn vị để tìm.", "Only part of the list is shown: type the unit's name to find it."},
	"admin.role":        {"Vai trò", "Role"},

	"admin_role.admin":              {"Quản trị hệ thống", "Administrator"},
	"admin_role.office":             {"Văn phòng cấp ủy", "Committee office"},
	"admin_role.standing_committee": {"Ban Thường vụ", "Standing committee"},
	"admin_role.committee":          {"Cấp ủy", "Committee"},
	"admin_role.cell_officer":       {"Chi ủy", "Cell officer"},
	"admin_role.member":             {"Đảng viên", "Member"},

	"admin.member":              {"Đảng viên", "Member"},
	"admin.totp":                {"Xác thực hai bước", "Two-step verification"},
	"admin.audit_of_account":    {"Các thao tác trên tài khoản này", "What was done to this account"},
	"admin.roles":               {"Vai trò", "Roles"},
	"admin.roles_keep":          {"Giữ các vai trò đang có (bỏ chọn để thu hồi)", "Keep these roles (untick to remove)"},
	"admin.roles_add":           {"Thêm vai trò (không bắt buộc)", "Add a role (optional)"},
	"admin.roles_save":          {"Lưu vai trò", "Save the roles"},
	"admin.roles_saved":         {"Đã lưu vai trò.", "The roles were saved."},
	"admin.password_reset":      {"Đặt lại mật khẩu", "Reset the password"},
	"admin.password_reset_help": {"Mọi phiên đăng nhập của tài khoản sẽ bị đăng xuất. Báo mật khẩu mới cho người dùng qua kênh an toàn.", "Every session of the account ends. Tell the person the new password safely."},
	"admin.password_reset_done": {"Đã đặt lại mật khẩu; các phiên đăng nhập của tài khoản đã bị đăng xuất.", "The password was reset; the account's sessions have ended."},
	"admin.totp_reset":          {"Đặt lại xác thực hai bước (mất điện thoại)", "Reset two-step verification (lost phone)"},
	"admin.totp_reset_help":     {"Xóa mã bí mật và mã khôi phục, đăng xuất mọi phiên. Lần đăng nhập sau, người dùng phải cài lại ứng dụng xác thực. Thao tác được ghi nhật ký.", "Removes the secret and the recovery codes and ends every session. At the next sign-in the person enrols the authenticator app again. This is recorded in the audit log."},
	"admin.totp_reset_higher":   {"Chỉ cán bộ cấp cao hơn các vai trò của tài khoản này mới được đặt lại xác thực hai bước.", "Only a higher officer than this account's roles may reset its two-step verification."},
	"admin.totp_reset_done":     {"Đã đặt lại xác thực hai bước; các phiên đăng nhập của tài khoản đã bị đăng xuất.", "Two-step verification was reset; the account's sessions have ended."},
	"admin.sessions":            {"Phiên đăng nhập", "Sessions"},
	"admin.no_sessions":         {"Không có phiên đăng nhập nào.", "No sessions."},

	"admin.audit_help":  {"Mỗi thao tác ghi dữ liệu được ghi lại cùng trạng thái trước và sau. Lọc theo đơn vị, đối tượng, người thực hiện và khoảng ngày.", "Every write is recorded with the object before and after. Filter by unit, object, who acted and dates."},
	"admin.object_type": {"Loại đối tượng", "Object type"},
	"admin.object_id":   {"Mã số đối tượng", "Object number"},
	"admin.any":         {"Tất cả", "Any"},
	"admin.actor":       {"Người thực hiện (tên đăng nhập)", "Who acted (user name)"},
	"admin.from":        {"Từ ngày", "From"},
	"admin.to":          {"Đến ngày", "To"},
	"admin.filter":      {"Lọc", "Filter"},
	"admin.diff":        {"Trước và sau", "Before and after"},
	"admin.before":      {"Trước", "Before"},
	"admin.after":       {"Sau", "After"},
	"admin.audit_none":  {"Không có mục nào.", "No entries."},

	"audit_object.account":           {"Tài khoản", "Account"},
	"audit_object.unit":              {"Đơn vị", "Unit"},
	"audit_object.member":            {"Hồ sơ đảng viên", "Member record"},
	"audit_object.document":          {"Văn bản", "Document"},
	"audit_object.news":              {"Tin tức", "News"},
	"audit_object.comment":           {"Bình luận", "Comment"},
	"audit_object.task":              {"Công việc", "Task"},
	"audit_object.task_rules":        {"Quy định công việc", "Task rules"},
	"audit_object.term":              {"Nhiệm kỳ", "Term"},
	"audit_object.calendar_schedule": {"Lịch nghỉ", "Holiday schedule"},
	"audit_object.framework":         {"Khung tiêu chí chi bộ 4 tốt", "Four-good framework"},
	"audit_object.scoresheet":        {"Phiếu chấm điểm", "Scoresheet"},
	"audit_object.meeting":           {"Buổi sinh hoạt chi bộ", "Cell meeting"},
	"audit_object.meeting_guidance":  {"Hướng dẫn sinh hoạt", "Meeting guidance"},
	"audit_object.report_request":    {"Yêu cầu báo cáo", "Report request"},
	"audit_object.report_submission": {"Báo cáo gửi lên", "Report sent"},
	"audit_object.conference":        {"Hội nghị", "Conference"},

	"admin.verify_help":   {"Kiểm tra chuỗi mã băm của nhật ký, như lệnh “sotay audit verify”: tìm mục đầu tiên bị sửa, bị xóa hoặc bị đảo thứ tự. Việc kiểm tra đọc toàn bộ nhật ký nên mỗi lúc chỉ chạy một lượt.", "Checks the audit log's hash chain as “sotay audit verify” does: finds the first entry altered, removed or reordered. It reads the whole log, so one runs at a time."},
	"admin.verify_run":    {"Kiểm tra ngay", "Verify now"},
	"admin.verify_ok":     {"Nhật ký nguyên vẹn: %d mục.", "The audit log is intact: %d entries."},
	"admin.verify_broken": {"Nhật ký đã bị can thiệp sau %d mục nguyên vẹn.", "The audit log was tampered with after %d intact entries."},
	"admin.verify_took":   {"Thời gian kiểm tra", "Time taken"},
	"admin.verify_last":   {"Mục cuối", "Last entry"},
	"admin.verify_hash":   {"Mã băm cuối", "Last hash"},
	"admin.verify_keep":   {"Hãy lưu mã băm cuối ở nơi khác: lần kiểm tra sau, cùng mục đó phải có cùng mã băm.", "Keep the last hash elsewhere: at a later check the same entry must have the same hash."},
	"admin.verify_busy":   {"Đang có một lượt kiểm tra khác; hãy thử lại sau ít phút.", "Another verification is running; try again in a few minutes."},

	"verify_kind.altered":   {"Bị sửa", "Altered"},
	"verify_kind.removed":   {"Bị xóa", "Removed"},
	"verify_kind.reordered": {"Bị đảo thứ tự", "Reordered"},
}
