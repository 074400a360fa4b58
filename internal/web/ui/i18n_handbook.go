package ui

import "fmt"

// The handbook's texts (ui_handbook*.go, ui_docs*.go, ui_news.go,
// ui_search.go, ui_receipts.go, ui_notifications.go and their templates).
// They join the one catalogue at start; a key defined twice is a mistake
// caught at once.
func init() {
	for k, v := range handbookCatalog {
		if _, dup := catalog[k]; dup {
			panic(fmt.Sprintf("web: catalogue key %q defined twice", k))
		}
		catalog[k] = v
	}
	for k, v := range handbookMessages {
		viMessages[k] = v
	}
	viPatterns = append(viPatterns, compilePatterns(handbookPatterns)...)
}

var handbookCatalog = map[string][2]string{
	"nav.handbook": {"Sổ tay", "Handbook"},
	"nav.library":  {"Văn bản", "Documents"},
	"pager.label":  {"Trang", "Pages"},

	"handbook.title":       {"Sổ tay đảng viên", "Member's handbook"},
	"handbook.tools":       {"Công cụ", "Tools"},
	"handbook.inbox":       {"Thông báo", "Notifications"},
	"handbook.search":      {"Tìm kiếm", "Search"},
	"handbook.news":        {"Tin tức", "News"},
	"handbook.new":         {"Văn bản mới, chưa đọc", "New documents you have not read"},
	"handbook.latest":      {"Văn bản mới nhất", "Latest documents"},
	"handbook.all_read":    {"Bạn đã đọc hết các văn bản gửi tới mình.", "You have read every document sent to you."},
	"handbook.library":     {"Xem tất cả văn bản", "All documents"},
	"handbook.meeting":     {"Sinh hoạt chi bộ sắp tới", "Next cell meeting"},
	"handbook.no_meeting":  {"Chưa có lịch sinh hoạt chi bộ.", "No cell meeting is scheduled."},
	"handbook.saved":       {"Đã lưu", "Saved"},
	"handbook.none_saved":  {"Chưa lưu văn bản nào. Bấm “Lưu văn bản” trên trang văn bản để lưu.", "Nothing saved yet. Press “Save” on a document to keep it here."},
	"handbook.latest_news": {"Tin tức mới", "Latest news"},
	"handbook.all_news":    {"Xem tất cả tin tức", "All news"},

	"library.title":  {"Văn bản", "Documents"},
	"library.q":      {"Tìm theo tên, số hiệu hoặc nội dung", "Search by title, number or text"},
	"library.type":   {"Loại văn bản", "Type"},
	"library.issuer": {"Cơ quan ban hành", "Issued by"},
	"library.year":   {"Năm", "Year"},
	"library.any":    {"Tất cả", "Any"},
	"library.unread": {"Chỉ văn bản chưa đọc", "Unread only"},
	"library.filter": {"Lọc", "Filter"},
	"library.total":  {"%s văn bản", "%s documents"},
	"library.none":   {"Không có văn bản nào.", "No document."},

	"doc.unread":           {"Chưa đọc", "Unread"},
	"doc.saved":            {"Đã lưu", "Saved"},
	"doc.revised":          {"Văn bản đã được sửa đổi (bản %d): đề nghị đọc lại.", "This document was revised (version %d): please read it again."},
	"doc.attachments":      {"Tài liệu đính kèm", "Attachments"},
	"doc.audience":         {"Gửi tới", "Sent to"},
	"doc.read_recorded":    {"Đã ghi nhận bạn đọc văn bản này", "Your reading is recorded"},
	"doc.bookmark":         {"Lưu văn bản", "Save"},
	"doc.unbookmark":       {"Bỏ lưu", "Remove from saved"},
	"doc.bookmarked":       {"Đã lưu văn bản vào Sổ tay.", "Saved to your handbook."},
	"doc.unbookmarked":     {"Đã bỏ lưu văn bản.", "Removed from your saved documents."},
	"doc.receipts":         {"Tình hình đọc", "Who has read it"},
	"doc.note":             {"Ghi chú của tôi", "My note"},
	"doc.note_label":       {"Chỉ mình bạn xem được ghi chú này", "Only you can see this note"},
	"doc.note_save":        {"Lưu ghi chú", "Save the note"},
	"doc.note_saved":       {"Đã lưu ghi chú.", "The note is saved."},
	"doc.publish":          {"Ban hành văn bản", "Publish a document"},
	"doc.publish_submit":   {"Ban hành", "Publish"},
	"doc.type":             {"Loại văn bản", "Type"},
	"doc.number":           {"Số và ký hiệu", "Number and symbol"},
	"doc.number_help":      {"Ví dụ 24-CT/HU. Để trống để lấy số tiếp theo của nhiệm kỳ.", "For example 24-CT/HU. Leave it empty for the next number of the term."},
	"doc.issuer_code":      {"Ký hiệu cơ quan ban hành", "Issuer code"},
	"doc.issuer_code_help": {"Ví dụ HU (Huyện ủy), ĐU (Đảng ủy), CB (Chi bộ).", "For example HU (district committee), ĐU (party committee), CB (cell)."},
	"doc.issued_on":        {"Ngày ban hành", "Issued on"},
	"doc.title_field":      {"Trích yếu (tên văn bản)", "Title"},
	"doc.summary":          {"Tóm tắt", "Summary"},
	"doc.body":             {"Nội dung", "Text"},
	"doc.body_help":        {"Viết theo Markdown: dòng trống để sang đoạn mới, **đậm**, *nghiêng*, danh sách bắt đầu bằng “- ”.", "Markdown: an empty line starts a paragraph, **bold**, *italic*, lists start with “- ”."},
	"doc.roles":            {"Chỉ gửi tới", "Only to"},
	"doc.roles_help":       {"Không chọn: gửi tới mọi người trong đơn vị nhận.", "None ticked: everyone in the unit receives it."},
	"form.invalid_doc":     {"Văn bản chưa hợp lệ: xem lỗi ở từng mục bên dưới.", "The document is not valid: see the errors by each field below."},

	"role.admin":              {"Quản trị hệ thống", "Administrator"},
	"role.office":             {"Văn phòng cấp ủy", "Committee office"},
	"role.standing_committee": {"Ban Thường vụ", "Standing committee"},
	"role.committee":          {"Cấp ủy", "Committee"},
	"role.cell_officer":       {"Chi ủy", "Cell officers"},
	"role.member":             {"Đảng viên", "Members"},

	"receipts.title":      {"Tình hình đọc", "Read rate"},
	"receipts.rate":       {"Tỷ lệ đã đọc", "Read rate"},
	"receipts.read_of":    {"đảng viên đã đọc", "members have read it"},
	"receipts.version":    {"Tính theo bản %d của văn bản.", "Counted on version %d of the document."},
	"receipts.up":         {"Lên cấp trên", "Up one level"},
	"receipts.by_unit":    {"Tỷ lệ đã đọc theo đơn vị trực thuộc", "Read rate by unit below"},
	"receipts.chart_desc": {"Biểu đồ thanh: mỗi thanh là tỷ lệ đảng viên đã đọc văn bản của một đơn vị trực thuộc; số liệu ở bảng dưới.", "Bar chart: each bar is the share of a unit's members who have read the document; the figures are in the table below."},
	"receipts.unit":       {"Đơn vị", "Unit"},
	"receipts.read":       {"Đã đọc", "Read"},
	"receipts.expected":   {"Tổng số", "Expected"},
	"receipts.not_read":   {"Chưa đọc", "Not read yet"},
	"receipts.all_read":   {"Tất cả đảng viên đã đọc.", "Every member has read it."},

	"search.title": {"Tìm kiếm", "Search"},
	"search.q":     {"Từ khóa, số hiệu văn bản hoặc họ tên", "Words, a document number or a name"},
	"search.help":  {"Gõ không dấu cũng được, ví dụ “chi thi 24 ky cuong” hoặc “24/CT-TU”.", "Diacritics are optional, for example “chi thi 24 ky cuong” or “24/CT-TU”."},
	"search.total": {"%d kết quả", "%d results"},
	"search.none":  {"Không tìm thấy kết quả nào.", "Nothing found."},
	"hit.document": {"Văn bản", "Document"},
	"hit.news":     {"Tin tức", "News"},
	"hit.member":   {"Đảng viên", "Member"},

	"news.title":          {"Tin tức", "News"},
	"news.featured":       {"Tin nổi bật", "Featured"},
	"news.all":            {"Tất cả tin", "All news"},
	"news.none":           {"Chưa có tin nào.", "No news yet."},
	"news.comments":       {"Bình luận", "Comments"},
	"news.no_comments":    {"Chưa có bình luận.", "No comments yet."},
	"news.hide":           {"Ẩn bình luận", "Hide the comment"},
	"news.hidden":         {"Đã ẩn bình luận (vẫn lưu trong nhật ký).", "The comment is hidden (the audit trail keeps it)."},
	"news.comment_label":  {"Viết bình luận", "Write a comment"},
	"news.comment_submit": {"Gửi bình luận", "Post the comment"},
	"news.commented":      {"Đã gửi bình luận.", "Your comment is posted."},

	"inbox.title":       {"Thông báo", "Notifications"},
	"inbox.counts":      {"%d chưa đọc trong %d thông báo", "%d unread of %d"},
	"inbox.show_unread": {"Chỉ xem chưa đọc", "Unread only"},
	"inbox.show_all":    {"Xem tất cả", "Show all"},
	"inbox.read_all":    {"Đánh dấu đã đọc tất cả", "Mark all as read"},
	"inbox.mark_read":   {"Đánh dấu đã đọc", "Mark as read"},
	"inbox.settings":    {"Cài đặt thư điện tử", "E-mail settings"},
	"inbox.empty":       {"Không có thông báo nào.", "No notifications."},
	"inbox.all_read":    {"Đã đánh dấu đã đọc tất cả.", "Everything is marked as read."},
	"inbox.one_read":    {"Đã đánh dấu đã đọc.", "Marked as read."},

	"kind_of.new_document":      {"Văn bản mới", "New document"},
	"kind_of.meeting_scheduled": {"Lịch sinh hoạt chi bộ", "Cell meeting"},
	"kind_of.task_assigned":     {"Nhiệm vụ được giao", "Task assigned"},
	"kind_of.task_reminder":     {"Nhắc hạn nhiệm vụ", "Task reminder"},
	"kind_of.comment_reply":     {"Trả lời bình luận", "Reply to a comment"},
	"kind_of.other":             {"Thông báo", "Notice"},

	"settings.title":       {"Cài đặt thông báo", "Notification settings"},
	"settings.saved":       {"Đã lưu cài đặt.", "Settings saved."},
	"settings.email":       {"Thư tổng hợp hằng ngày gửi tới %s (địa chỉ trong hồ sơ đảng viên của bạn).", "The daily digest goes to %s (the address in your member record)."},
	"settings.no_email":    {"Hồ sơ đảng viên của bạn chưa có địa chỉ thư điện tử nên chưa gửi được thư tổng hợp. Nhờ chi ủy cập nhật hồ sơ.", "Your member record has no e-mail address, so no digest can be sent. Ask your cell officers to add it."},
	"settings.digest":      {"Thư tổng hợp lúc 7 giờ sáng hằng ngày gồm", "The daily digest at 7 a.m. includes"},
	"settings.digest_help": {"Bỏ chọn loại thông báo bạn không muốn nhận qua thư. Thông báo vẫn hiện trong Sổ tay.", "Untick what you do not want by e-mail. It still shows in the handbook."},

	"offline.title": {"Không có kết nối mạng", "You are offline"},
	"offline.text":  {"Điện thoại đang không có mạng nên chưa mở được trang này.", "Your phone has no network, so this page cannot be opened."},
	"offline.hint":  {"Các văn bản bạn đã mở trước đây vẫn đọc được: mở lại từ Sổ tay hoặc từ lịch sử của trình duyệt.", "The documents you opened before can still be read: open them again from the handbook or the browser's history."},
}

// handbookMessages translate the documents' and news' service messages.
var handbookMessages = map[string]string{
	"at most 500 characters":                              "Tối đa 500 ký tự",
	"at most 2000 characters":                             "Tối đa 2.000 ký tự",
	"at most 4000 characters":                             "Tối đa 4.000 ký tự",
	"at most 20000 characters":                            "Tối đa 20.000 ký tự",
	"at most 800 KiB":                                     "Tối đa 800 KiB",
	"not under the issuing unit":                          "Không thuộc đơn vị ban hành",
	"no such unit within reach":                           "Không có đơn vị này trong phạm vi của bạn",
	"the issuer code is empty":                            "Chưa ghi ký hiệu cơ quan ban hành",
	"the issuer code has too many parts":                  "Ký hiệu cơ quan ban hành có quá nhiều phần",
	"the issuer code is too long":                         "Ký hiệu cơ quan ban hành quá dài",
	"the issuer code may hold only the letters A–Z and Đ": "Ký hiệu cơ quan ban hành chỉ gồm các chữ cái A–Z và Đ",
	"not a cursor from this list":                         "Liên kết trang không hợp lệ",
}

var handbookPatterns = [][2]string{
	{"unknown document type %s", "Không có loại văn bản %s"},
	{"%s is not a number and symbol like 24-CT/TU: %s", "%s không phải số và ký hiệu văn bản (ví dụ 24-CT/TU)"},
	{"the number's type %s is not the document's type %s", "Loại văn bản trong số hiệu (%s) khác loại đã chọn (%s)"},
	{"the number's issuer %s is not the issuer code %s", "Ký hiệu cơ quan trong số hiệu (%s) khác ký hiệu đã ghi (%s)"},
	{"%s is already the number of another document of this issuer in this term", "Số %s đã được dùng cho văn bản khác của cơ quan này trong nhiệm kỳ"},
	{"unknown role %s", "Không có vai trò %s"},
	{"the issuer code %s may hold only the letters A–Z and Đ", "Ký hiệu cơ quan ban hành %s chỉ được gồm các chữ cái A–Z và Đ"},
}
