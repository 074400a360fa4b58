package ui

// Calendar links of the meetings (meeting_feeds.go), page words and
// messages by key: {Vietnamese, English}.
func init() { mergeCatalog(feedsCatalog) }

var feedsCatalog = map[string][2]string{
	"feed.title":       {"Lịch sinh hoạt trên điện thoại", "Meetings in your phone's calendar"},
	"feed.intro":       {"Tạo đường dẫn để ứng dụng lịch trên điện thoại tự cập nhật các buổi sinh hoạt (giờ, địa điểm, chủ đề, chương trình; không có danh sách đảng viên hay biên bản). Ai có đường dẫn đều xem được lịch này: giữ kín, và thu hồi khi không dùng nữa.", "Make a link that your phone's calendar app follows to keep the meetings up to date (times, places, topics, agenda; no member lists or minutes). Anyone with the link can read this calendar: keep it private, and revoke it when you no longer use it."},
	"feed.new_title":   {"Đường dẫn mới", "The new link"},
	"feed.new_once":    {"Đường dẫn chỉ hiện một lần: hãy đăng ký ngay hoặc sao chép lại.", "The link is shown only once: subscribe now or copy it."},
	"feed.subscribe":   {"Đăng ký lịch trên thiết bị này", "Subscribe on this device"},
	"feed.copy":        {"Sao chép đường dẫn", "Copy the link"},
	"feed.create_mine": {"Tạo đường dẫn lịch sinh hoạt của tôi", "Make a link for my meetings"},
	"feed.create_unit": {"Tạo đường dẫn lịch cho điện thoại", "Make a calendar link for a phone"},
	"feed.list":        {"Các đường dẫn đã tạo", "Links you made"},
	"feed.mine":        {"Lịch sinh hoạt của tôi", "My meetings"},
	"feed.created":     {"Tạo lúc %s", "Made %s"},
	"feed.revoke":      {"Thu hồi", "Revoke"},
	"feed.none":        {"Chưa có đường dẫn nào.", "No links yet."},

	// The chair's office (meeting mode), for the resolution's signature.
	"feed.chair_role":      {"Chức vụ người chủ trì", "The chair's office"},
	"feed.chair_secretary": {"Bí thư chi bộ", "Cell secretary"},
	"feed.chair_deputy":    {"Phó Bí thư chi bộ", "Deputy secretary"},
	"meeting.chair_role":   {"Là bí thư hoặc phó bí thư", "secretary or deputy"},

	"audit_action.meeting_feed.create": {"Tạo đường dẫn lịch sinh hoạt", "Made a calendar link"},
	"audit_action.meeting_feed.revoke": {"Thu hồi đường dẫn lịch sinh hoạt", "Revoked a calendar link"},
	"audit_object.meeting_feed":        {"Đường dẫn lịch sinh hoạt", "Calendar link"},

	"meeting.feed_not_found":  {"Không có lịch này", "no such calendar feed"},
	"meeting.feed_no_member":  {"Tài khoản này không gắn với đảng viên: hãy tạo đường dẫn lịch của một đơn vị", "this account is not a member's: make a link for a unit's calendar"},
	"meeting.feed_no_account": {"Đường dẫn lịch phải thuộc một tài khoản", "a calendar link belongs to an account"},
	"meeting.feed_too_many":   {"Tối đa %d đường dẫn lịch: hãy thu hồi bớt", "at most %d calendar links: revoke one first"},
}
