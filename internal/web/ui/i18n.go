package ui

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
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

// translate looks a key up in the catalogue. A missing key shows itself,
// so that a forgotten entry is visible on the page and caught by the tests.
func translate(l lang, key string) string {
	e, ok := catalog[key]
	if !ok {
		return key
	}
	if l == en {
		return e[1]
	}
	return e[0]
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

// translateMessage shows a service's message (written in English for the
// operator and the API) in the page's language. Unknown messages are shown
// as they are: better English than nothing.
func translateMessage(l lang, msg string) string {
	if l == en {
		return msg
	}
	if v, ok := viMessages[msg]; ok {
		return v
	}
	for _, p := range viPatterns {
		if m := p.re.FindStringSubmatch(msg); m != nil {
			var args []any
			for _, s := range m[1 : 1+strings.Count(p.vi, "%s")] {
				args = append(args, s)
			}
			return fmt.Sprintf(p.vi, args...)
		}
	}
	return msg
}

// viMessages translates the fixed messages of the services.
var viMessages = map[string]string{
	"required":                                 "Bắt buộc",
	"not the current password":                 "Không đúng mật khẩu hiện tại",
	"must differ from the current password":    "Phải khác mật khẩu hiện tại",
	"the two new passwords differ":             "Hai lần nhập mật khẩu mới không khớp nhau",
	"at least 10 characters":                   "Ít nhất 10 ký tự",
	"at most 256 characters":                   "Tối đa 256 ký tự",
	"must not be the user name":                "Không được trùng với tên đăng nhập",
	"too common":                               "Quá phổ biến, dễ bị đoán",
	"at most 100 characters":                   "Tối đa 100 ký tự",
	"must be male or female (Nam/Nữ)":          "Chọn Nam hoặc Nữ",
	"required (Nam or Nữ)":                     "Bắt buộc (Nam hoặc Nữ)",
	"a party card number has exactly 8 digits": "Số thẻ đảng viên gồm đúng 8 chữ số",
	"a citizen ID has exactly 12 digits":       "Số CCCD gồm đúng 12 chữ số",
	"a biography number is 6 digits and a 1–3 letter province code":                   "Số lý lịch gồm 6 chữ số và mã tỉnh 1–3 chữ cái",
	"not a Vietnamese phone number (10 digits like 0912345678, or 11 for a landline)": "Không phải số điện thoại Việt Nam (10 chữ số như 0912345678, hoặc 11 với máy bàn)",
	"not an e-mail address":                             "Không phải địa chỉ email",
	"not a plausible birth date":                        "Ngày sinh không hợp lý",
	"in the future":                                     "Ngày ở tương lai",
	"before the Party was founded (1930)":               "Trước ngày thành lập Đảng (1930)",
	"a member is admitted at 18 or older":               "Người vào Đảng phải từ đủ 18 tuổi",
	"must be after the admission date":                  "Phải sau ngày vào Đảng",
	"required for a full member":                        "Bắt buộc với đảng viên chính thức",
	"a probationary member has no full-membership date": "Đảng viên dự bị chưa có ngày chính thức",
	"unknown status":                                    "Trạng thái không hợp lệ",
	"not a date (dd/mm/yyyy)":                           "Ngày không hợp lệ (ngày/tháng/năm)",
	"the form cannot be read":                           "Không đọc được nội dung biểu mẫu",
	"the member record is not valid":                    "Hồ sơ chưa hợp lệ",
	"the existing records could not be checked":         "Không kiểm tra được các hồ sơ đã có",
	"the file is too large":                             "Tệp quá lớn",
	"the request is too large":                          "Nội dung gửi lên quá lớn",
	"no file was sent":                                  "Chưa chọn tệp",
	"the multipart body cannot be read":                 "Không đọc được nội dung tải lên",
	"no header row with the member columns (Họ và tên, Ngày sinh, …) was found": "Không thấy dòng tiêu đề với các cột của danh sách đảng viên (Họ và tên, Ngày sinh, …)",
	"required: the target unit is not a cell, so each row must name its cell":   "Bắt buộc: đơn vị nhận không phải chi bộ nên mỗi dòng phải ghi chi bộ",
}

// viPatterns translate messages that carry values; %s in the English
// pattern matches any text, which the Vietnamese text repeats in order (or
// leaves out from the end).
var viPatterns = compilePatterns([][2]string{
	{"another member has card number %s", "Đã có đảng viên khác mang số thẻ %s"},
	{"another member has citizen ID %s", "Đã có đảng viên khác mang số CCCD %s"},
	{"card number %s is also on row %s", "Số thẻ %s trùng với dòng %s"},
	{"citizen ID %s is also on row %s", "Số CCCD %s trùng với dòng %s"},
	{"%s is already recorded for another member", "%s đã có trong hồ sơ của đảng viên khác"},
	{"%s is not a date (dd/mm/yyyy)", "%s không phải là ngày (dd/mm/yyyy)"},
	{"%s is not Nam or Nữ", "%s không phải Nam hoặc Nữ"},
	{"no cell %s under %s", "Không có chi bộ %s thuộc %s"},
	{"%s cells are named %s under %s: use the cell's code", "Có %s chi bộ tên %s thuộc %s: hãy ghi mã chi bộ"},
	{"the record was changed by someone else (version %s is stale): reload and try again", "Hồ sơ đã được người khác sửa trong lúc bạn đang sửa: hãy mở bản mới nhất rồi sửa lại."},
	{"the 12 months of probation end on %s", "12 tháng dự bị kết thúc ngày %s"},
	{"must be from %s-01-01 to %s: a member is at least %s years old", "Phải từ ngày 01/01/%s đến ngày %s: đảng viên phải đủ %s tuổi"},
	{"must be from %s to %s", "Phải từ ngày %s đến ngày %s"},
	{"must not be before the member's admission on %s", "Không được trước ngày vào Đảng %s"},
	{"must not be after %s", "Không được sau ngày %s"},
	{"%s errors: nothing was imported", "%s lỗi: chưa ghi dòng nào"},
	{"the file is larger than %s MiB", "Tệp lớn hơn %s MiB"},
	{"a value is too long (row %s, column %s, more than %s bytes)", "Có giá trị quá dài (dòng %s, cột %s, quá %s byte)"},
	{"a value is too long (row %s, more than %s bytes)", "Có giá trị quá dài (dòng %s, quá %s byte)"},
	{"a value is too long (more than %s bytes)", "Có giá trị quá dài (quá %s byte)"},
	{"longer than %s bytes", "Dài quá %s byte"},
	{"%s is not a name in Vietnamese letters; if the list was typed in a .VnTime or VNI font, set the column's font again or convert it to Unicode", "%s không phải họ tên viết bằng chữ cái tiếng Việt; nếu danh sách được gõ bằng phông .VnTime hoặc VNI, hãy đặt lại phông cho cột đó hoặc chuyển sang Unicode"},
	{"%s members of this name and birth date are recorded in this cell: add the card number or citizen ID", "Chi bộ đã có %s đảng viên cùng họ tên và ngày sinh này: hãy ghi thêm số thẻ hoặc số CCCD"},
	{"row %s is the same member", "Trùng đảng viên với dòng %s"},
	{"too many imports at the same time; try again in a minute", "Đang có quá nhiều lượt nhập cùng lúc; hãy thử lại sau ít phút"},
	{"the file cannot be read: %s", "Không đọc được tệp: %s"},
	{"unsupported file format%s", "Định dạng tệp không được hỗ trợ%s"},
	{"control character %s at character %s", "Có ký tự điều khiển %s ở vị trí %s: hãy xóa ký tự này"},
	{"bidirectional control %s at character %s", "Có ký tự đảo chiều văn bản %s ở vị trí %s: hãy xóa ký tự này"},
	{"invalid UTF-8 at character %s", "Văn bản không đúng mã UTF-8 ở vị trí %s"},
	{"cross-origin request refused%s", "Yêu cầu gửi từ một trang khác nên bị từ chối: hãy thao tác ngay trên trang Sổ tay"},
	{"the query string is not valid UTF-8%s", "Địa chỉ trang có ký tự không đúng mã UTF-8"},
	{"no recognisable header row%s", "Không thấy dòng tiêu đề với các cột của danh sách đảng viên (Họ và tên, Ngày sinh, …)"},
})

type msgPattern struct {
	re *regexp.Regexp
	vi string
}

func compilePatterns(ps [][2]string) []msgPattern {
	out := make([]msgPattern, len(ps))
	for i, p := range ps {
		parts := strings.Split(p[0], "%s")
		for j := range parts {
			parts[j] = regexp.QuoteMeta(parts[j])
		}
		out[i] = msgPattern{regexp.MustCompile("^" + strings.Join(parts, "(.+?)") + "$"), p[1]}
	}
	return out
}
