package ui

// Messages of notifications (internal/notify), by key: {Vietnamese, English}.
// The English text is the one the API shows (apperr.Keyed and friends).
func init() { mergeCatalog(msgNotifyCatalog) }

var msgNotifyCatalog = map[string][2]string{
	"notify.1_60_characters_without":   {"Từ 1 đến 60 ký tự, không có dấu cách", "1 to 60 characters without spaces"},
	"notify.most_300_characters":       {"Tối đa 300 ký tự", "at most 300 characters"},
	"notify.notification_not_found":    {"Không tìm thấy thông báo %s", "notification %s not found"},
	"notify.notification_not_valid":    {"Thông báo chưa hợp lệ", "the notification is not valid"},
	"notify.only_accounts_inbox":       {"Chỉ tài khoản mới có hộp thông báo", "only accounts have an inbox"},
	"notify.only_accounts_settings":    {"Chỉ tài khoản mới có cài đặt thông báo", "only accounts have settings"},
	"notify.path_site":                 {"Một đường dẫn trong trang này", "a path on this site"},
	"notify.recipient_account_member":  {"Người nhận phải là một tài khoản hoặc một đảng viên", "a recipient is an account or a member"},
	"notify.too_many_ids":              {"Quá nhiều mã", "too many ids"},
	"notify.unknown_kind_notification": {"Loại thông báo không hợp lệ", "unknown kind of notification"},
}
