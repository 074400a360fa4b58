package ui

import (
	"fmt"
	"net/http"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// lang is a language of the web pages: Vietnamese, the default, or English.
type lang string

const (
	vi lang = "vi"
	en lang = "en"
)

// langs lists the languages; the templates are parsed once for each.
var langs = []lang{vi, en}

// langCookie remembers the language a visitor chose.
const langCookie = "lang"

// langOf reads the chosen language; anything but "en" means Vietnamese.
func langOf(r *http.Request) lang {
	if c, err := r.Cookie(langCookie); err == nil && lang(c.Value) == en {
		return en
	}
	return vi
}

// translate looks a key up in the catalogue and fills in args (the
// catalogue's texts use the verbs of fmt, %[2]s to reorder). A missing key
// shows itself, so that a forgotten entry is visible on the page and
// caught by the tests.
func translate(l lang, key string, args ...any) string {
	e, ok := catalog[key]
	if !ok {
		return key
	}
	text := e[0]
	if l == en {
		text = e[1]
	}
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, localArgs(l, args)...)
}

// message shows a message that has a key (apperr.Keyed and friends) in
// language l; a message without a key, or with a key the catalogue lacks,
// shows its English text.
func message(l lang, key string, args []any, english string) string {
	if _, ok := catalog[key]; key == "" || !ok {
		return english
	}
	return translate(l, key, args...)
}

// localArgs names the arguments that are words of the catalogue
// (apperr.Term: a unit kind, a task's state) in language l.
func localArgs(l lang, args []any) []any {
	out := args
	copied := false
	for i, a := range args {
		if t, ok := a.(apperr.Term); ok {
			if !copied {
				out, copied = append([]any(nil), args...), true
			}
			out[i] = t.Text
			if _, ok := catalog[t.Key]; ok {
				out[i] = translate(l, t.Key)
			}
		}
	}
	return out
}

// errText is an error's message in language l: its key's text, else its
// English message (an error that is no *apperr.Error says nothing more).
func errText(l lang, err error) string {
	e, ok := apperr.As(err)
	if !ok {
		return translate(l, "error.500")
	}
	return message(l, e.Key, e.Args, e.Message)
}

// fieldText is a field error's message in language l.
func fieldText(l lang, f apperr.FieldError) string {
	return message(l, f.Key, f.Args, f.Message)
}

// msgText is the template function msg: a field error or an error in the
// page's language; a string is shown as it is (a handler translated it).
func msgText(l lang, v any) string {
	switch v := v.(type) {
	case apperr.FieldError:
		return fieldText(l, v)
	case *apperr.FieldError:
		return fieldText(l, *v)
	case error:
		return errText(l, v)
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// mergeCatalog adds an area's texts (i18n_<area>.go) to the catalogue; a
// key defined twice is a programming error.
func mergeCatalog(m map[string][2]string) {
	for k, v := range m {
		if _, dup := catalog[k]; dup {
			panic(fmt.Sprintf("web: catalogue key %q defined twice", k))
		}
		catalog[k] = v
	}
}

// catalog holds every text of the pages: key → {Vietnamese, English}. A
// pair per key, so that no language can miss an entry.
var catalog = map[string][2]string{
	"app.name":         {"Sổ tay", "Sổ tay"},
	"app.tagline":      {"Quản lý tổ chức đảng và đảng viên", "Party organisations and members"},
	"lang.other":       {"English", "Tiếng Việt"},
	"lang.other_code":  {"en", "vi"},
	"num.sep":          {".", ","},
	"nav.label":        {"Điều hướng chính", "Main navigation"},
	"nav.skip":         {"Bỏ qua, đến nội dung chính", "Skip to the content"},
	"nav.units":        {"Đơn vị", "Units"},
	"nav.signout":      {"Đăng xuất", "Sign out"},
	"nav.signed_in_as": {"Đang đăng nhập:", "Signed in as"},
	"nav.breadcrumb":   {"Vị trí", "Breadcrumb"},

	"signin.title":    {"Đăng nhập", "Sign in"},
	"signin.username": {"Tên đăng nhập", "User name"},
	"signin.password": {"Mật khẩu", "Password"},
	"signin.submit":   {"Đăng nhập", "Sign in"},
	"signin.failed":   {"Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."},
	"signin.slow":     {"Bạn đã thử quá nhiều lần. Hãy đợi một lát rồi thử lại.", "Too many attempts. Wait a moment and try again."},

	"signin.otp":        {"Tài khoản này dùng xác thực hai bước: nhập lại mật khẩu và mã từ ứng dụng xác thực.", "This account uses two-step verification: enter the password again and the code from your authenticator app."},
	"signin.otp_failed": {"Mã xác thực không đúng hoặc đã được dùng.", "The code is wrong or was already used."},
	"signin.otp_label":  {"Mã xác thực", "Verification code"},
	"signin.otp_help":   {"6 chữ số trong ứng dụng xác thực, hoặc một mã khôi phục.", "6 digits from your authenticator app, or a recovery code."},

	"account.title":            {"Tài khoản", "Account"},
	"account.must_enrol":       {"Vai trò của bạn bắt buộc xác thực hai bước. Hãy bật xác thực hai bước trước khi dùng các chức năng khác.", "Your role requires two-step verification. Turn it on before anything else."},
	"account.totp":             {"Xác thực hai bước", "Two-step verification"},
	"account.totp_required":    {"Vai trò của bạn bắt buộc nhập thêm mã từ ứng dụng xác thực trên điện thoại (Google Authenticator, Microsoft Authenticator…) mỗi lần đăng nhập.", "Your role requires a code from an authenticator app on your phone (Google Authenticator, Microsoft Authenticator…) at each sign-in."},
	"account.totp_optional":    {"Khi bật, mỗi lần đăng nhập cần nhập thêm mã từ ứng dụng xác thực trên điện thoại (Google Authenticator, Microsoft Authenticator…).", "Once on, each sign-in also asks for a code from an authenticator app on your phone (Google Authenticator, Microsoft Authenticator…)."},
	"account.totp_start":       {"Bật xác thực hai bước", "Turn on two-step verification"},
	"account.totp_on":          {"Đã bật xác thực hai bước.", "Two-step verification is on."},
	"account.totp_active":      {"Xác thực hai bước đang bật cho tài khoản này.", "Two-step verification is on for this account."},
	"account.totp_bad":         {"Mã chưa đúng. Kiểm tra giờ trên điện thoại rồi nhập mã mới nhất.", "The code is not right. Check the phone's clock and enter the latest code."},
	"account.scan":             {"Mở ứng dụng xác thực, chọn thêm tài khoản và quét mã QR dưới đây, rồi nhập mã 6 chữ số mà ứng dụng hiện ra.", "Open your authenticator app, add an account, scan the QR code below, then enter the 6-digit code the app shows."},
	"account.qr_alt":           {"Mã QR để thêm tài khoản vào ứng dụng xác thực", "QR code to add the account to an authenticator app"},
	"account.secret":           {"Không quét được? Nhập khóa này:", "Cannot scan it? Enter this key:"},
	"account.codes":            {"Mã khôi phục", "Recovery codes"},
	"account.codes_help":       {"Mỗi mã dùng được một lần để đăng nhập khi không có điện thoại. Hãy chép hoặc in ra và cất ở nơi an toàn: các mã này chỉ hiện một lần.", "Each code signs you in once when you do not have your phone. Copy or print them and keep them safe: they are shown only once."},
	"account.pending":          {"Việc bật xác thực hai bước chưa xong: quét mã QR rồi nhập mã từ ứng dụng. Mã khôi phục chỉ hiện một lần; nếu chưa chép lại, hãy bắt đầu lại để có mã mới.", "Turning on two-step verification is not finished: scan the QR code, then enter the code from the app. Recovery codes are shown only once; if you did not copy them, start again to get new ones."},
	"account.restart":          {"Bắt đầu lại", "Start again"},
	"account.otp":              {"Mã từ ứng dụng (6 chữ số)", "Code from the app (6 digits)"},
	"account.confirm":          {"Xác nhận", "Confirm"},
	"account.sessions":         {"Phiên đăng nhập", "Sessions"},
	"account.sessions_help":    {"Các thiết bị đang đăng nhập bằng tài khoản này. Nếu thấy phiên lạ, hãy đăng xuất phiên đó và đổi mật khẩu.", "The devices signed in with this account. If one looks unfamiliar, end it and change your password."},
	"account.current":          {"Phiên này", "This session"},
	"account.address":          {"Địa chỉ", "Address"},
	"account.since":            {"Đăng nhập lúc", "Signed in"},
	"account.last_seen":        {"Lần cuối", "Last seen"},
	"account.unknown_agent":    {"Trình duyệt không rõ", "Unknown browser"},
	"account.end_session":      {"Đăng xuất phiên này", "End this session"},
	"account.session_ended":    {"Đã đăng xuất phiên đó.", "That session has ended."},
	"account.password":         {"Đổi mật khẩu", "Change the password"},
	"account.current_password": {"Mật khẩu hiện tại", "Current password"},
	"account.new_password":     {"Mật khẩu mới (ít nhất 10 ký tự)", "New password (at least 10 characters)"},
	"account.new_password2":    {"Nhập lại mật khẩu mới", "The new password again"},
	"account.password_changed": {"Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đăng xuất.", "The password has changed. Your other sessions have ended."},
	"account.password_invalid": {"Chưa đổi được mật khẩu: xem lỗi bên dưới.", "The password was not changed: see below."},

	"home.title":    {"Trang chủ", "Home"},
	"home.hello":    {"Xin chào, %s", "Hello, %s"},
	"home.units":    {"Đơn vị của bạn", "Your units"},
	"home.nounits":  {"Tài khoản này chưa được giao quyền trên đơn vị nào.", "This account holds no role on any unit."},
	"home.myrecord": {"Hồ sơ đảng viên của tôi", "My member record"},

	"units.title": {"Đơn vị", "Units"},
	"unit.kind":   {"Loại tổ chức", "Kind"},
	"unit.code":   {"Mã", "Code"},
	"unit.type":   {"Loại hình chi bộ", "Cell type"},
	"unit.sub":    {"Đơn vị trực thuộc", "Units below"},
	"unit.nsub":   {"%d đơn vị trực thuộc", "%d units below"},
	"unit.nosub":  {"Không có đơn vị trực thuộc.", "No units below."},
	"unit.list":   {"Danh sách đảng viên", "Member list"},
	"unit.add":    {"Thêm đảng viên", "Add a member"},
	"unit.import": {"Nhập danh sách từ tệp", "Import a list from a file"},
	"unit.export": {"Xuất danh sách", "Export the list"},

	"stats.title":    {"Thống kê", "Statistics"},
	"stats.as_of":    {"Tính đến ngày", "As of"},
	"stats.show":     {"Xem", "Show"},
	"stats.on":       {"Số liệu ngày %s", "Figures on %s"},
	"stats.total":    {"Đảng viên (kể cả miễn sinh hoạt)", "Members (exempt included)"},
	"stats.units":    {"Tổ chức đảng trực thuộc", "Party organisations below"},
	"stats.status":   {"Theo trạng thái", "By status"},
	"stats.gender":   {"Theo giới tính", "By gender"},
	"stats.age":      {"Theo độ tuổi", "By age"},
	"stats.notexist": {"Đơn vị chưa tồn tại vào ngày này.", "The unit did not exist on that day."},

	"members.title":  {"Đảng viên", "Members"},
	"members.q":      {"Tìm theo họ tên, số thẻ, CCCD hoặc điện thoại", "Search by name, card number, citizen ID or phone"},
	"members.search": {"Tìm", "Search"},
	"members.status": {"Trạng thái", "Status"},
	"members.active": {"Đang sinh hoạt", "In cells"},
	"members.all":    {"Tất cả", "All"},
	"members.total":  {"%s đảng viên", "%s members"},
	"members.none":   {"Không có đảng viên nào phù hợp.", "No member matches."},
	"members.next":   {"Trang sau", "Next page"},
	"members.first":  {"Trang đầu", "First page"},
	"members.born":   {"Sinh", "Born"},
	"members.card":   {"Thẻ", "Card"},
	"members.public": {"Bạn chỉ xem được thông tin chung của đảng viên trong chi bộ.", "You see only the general details of your cell's members."},

	"member.edit":   {"Sửa", "Edit"},
	"member.temp":   {"Sinh hoạt tạm thời tại", "Temporarily attached to"},
	"member.public": {"Bạn chỉ xem được thông tin chung của đảng viên này.", "You see only the general details of this member."},

	"form.edit":     {"Sửa hồ sơ", "Edit the record"},
	"form.create":   {"Thêm đảng viên", "Add a member"},
	"form.save":     {"Lưu", "Save"},
	"form.cancel":   {"Hủy", "Cancel"},
	"form.invalid":  {"Hồ sơ chưa hợp lệ: xem lỗi ở từng mục bên dưới.", "The record is not valid: see the errors by each field below."},
	"form.conflict": {"Hồ sơ đã được người khác sửa trong lúc bạn đang sửa. Nội dung bạn nhập vẫn còn bên dưới; hãy mở lại bản mới nhất rồi sửa lại.", "Someone else changed the record while you were editing it. What you typed is still below; open the latest version and edit it again."},
	"form.reload":   {"Mở bản mới nhất", "Open the latest version"},
	"form.choose":   {"— Chọn —", "— Choose —"},
	"form.required": {"bắt buộc", "required"},

	"field.full_name":    {"Họ và tên", "Full name"},
	"field.gender":       {"Giới tính", "Gender"},
	"field.birth_date":   {"Ngày sinh", "Date of birth"},
	"field.card_no":      {"Số thẻ đảng viên", "Party card number"},
	"field.biography_no": {"Số lý lịch", "Biography number"},
	"field.citizen_id":   {"Số CCCD", "Citizen ID"},
	"field.phone":        {"Điện thoại", "Phone"},
	"field.email":        {"Email", "E-mail"},
	"field.admitted_on":  {"Ngày vào Đảng", "Admitted on"},
	"field.full_on":      {"Ngày chính thức", "Full member since"},
	"field.position":     {"Chức vụ", "Position"},
	"field.status":       {"Trạng thái", "Status"},
	"field.unit":         {"Chi bộ", "Cell"},
	"field.unit_id":      {"Chi bộ", "Cell"},
	"field.file":         {"Tệp", "File"},

	"import.title":   {"Nhập đảng viên", "Import members"},
	"import.file":    {"Tệp danh sách (.xlsx hoặc .csv)", "List file (.xlsx or .csv)"},
	"import.help":    {"Dòng tiêu đề gồm các cột: Họ và tên, Giới tính, Ngày sinh, Số thẻ đảng viên, Số lý lịch, Số CCCD, Điện thoại, Email, Ngày vào Đảng, Ngày chính thức, Chi bộ, Chức vụ.", "The header row names the columns: full_name, gender, birth_date, card_no, biography_no, citizen_id, phone, email, admitted_on, full_on, unit, position (or their Vietnamese names)."},
	"import.dry_run": {"Kiểm tra trước: chỉ kiểm tra, chưa ghi", "Check first (dry run): check only, write nothing"},
	"import.submit":  {"Tải lên", "Upload"},
	"import.report":  {"Kết quả", "Result"},
	"import.rows":    {"Số dòng", "Rows"},
	"import.valid":   {"Dòng hợp lệ", "Valid rows"},
	"import.wcreate": {"Sẽ thêm mới", "Would create"},
	"import.wupdate": {"Sẽ cập nhật", "Would update"},
	"import.created": {"Đã thêm mới", "Created"},
	"import.updated": {"Đã cập nhật", "Updated"},
	"import.same":    {"Không thay đổi", "Unchanged"},
	"import.errors":  {"Lỗi", "Errors"},
	"import.row":     {"Dòng", "Row"},
	"import.column":  {"Cột", "Column"},
	"import.message": {"Nội dung lỗi", "Problem"},
	"import.ok_dry":  {"Tệp hợp lệ. Bỏ chọn “Kiểm tra trước” và tải tệp lên lần nữa để ghi.", "The file is valid. Untick “Check first” and upload it again to write it."},
	"import.bad_dry": {"Tệp có lỗi. Sửa các dòng dưới đây rồi tải lên lại.", "The file has errors. Fix the rows below and upload it again."},
	"import.ok":      {"Đã nhập xong.", "Imported."},
	"import.failed":  {"Tệp có lỗi nên chưa ghi dòng nào. Sửa các dòng dưới đây rồi tải lên lại.", "The file has errors, so nothing was written. Fix the rows below and upload it again."},

	"error.title":   {"Có lỗi", "Something went wrong"},
	"error.404":     {"Không tìm thấy trang này, hoặc bạn không có quyền xem.", "This page does not exist, or you may not see it."},
	"error.500":     {"Hệ thống gặp lỗi. Hãy thử lại sau ít phút.", "The system failed. Try again in a few minutes."},
	"error.home":    {"Về trang chủ", "Go to the home page"},
	"error.code404": {"Không tìm thấy", "Not found"},

	"status.probationary":    {"Đảng viên dự bị", "Probationary member"},
	"status.full":            {"Đảng viên chính thức", "Full member"},
	"status.exempt":          {"Miễn sinh hoạt", "Exempt from activities"},
	"status.transferred_out": {"Đã chuyển đi", "Transferred out"},
	"status.struck_off":      {"Đã xóa tên", "Struck off"},
	"status.expelled":        {"Đã khai trừ", "Expelled"},
	"status.deceased":        {"Từ trần", "Deceased"},

	"gender.male":   {"Nam", "Male"},
	"gender.female": {"Nữ", "Female"},

	"kind.province_committee":   {"Thành ủy/Tỉnh ủy", "City/provincial committee"},
	"kind.district_committee":   {"Huyện ủy", "District committee"},
	"kind.grassroots_committee": {"Đảng bộ cơ sở", "Grassroots committee"},
	"kind.sub_committee":        {"Đảng bộ bộ phận", "Sub-committee"},
	"kind.cell":                 {"Chi bộ", "Cell"},

	"cell_type.rural":          {"Nông thôn", "Rural"},
	"cell_type.urban":          {"Tổ dân phố", "Urban residential"},
	"cell_type.school":         {"Trường học", "School"},
	"cell_type.agency":         {"Cơ quan", "Agency"},
	"cell_type.public_service": {"Đơn vị sự nghiệp", "Public service unit"},
	"cell_type.enterprise":     {"Doanh nghiệp", "Enterprise"},
	"cell_type.military":       {"Quân đội", "Military"},
	"cell_type.police":         {"Công an", "Police"},

	"age.under_30": {"Dưới 30 tuổi", "Under 30"},
	"age.30_39":    {"30–39 tuổi", "30–39"},
	"age.40_49":    {"40–49 tuổi", "40–49"},
	"age.50_59":    {"50–59 tuổi", "50–59"},
	"age.60_69":    {"60–69 tuổi", "60–69"},
	"age.70_plus":  {"Từ 70 tuổi", "70 and over"},
	"age.unknown":  {"Chưa rõ", "Unknown"},
}
