package ui

import "fmt"

// The texts of navigation and identity (the header's account link), of
// posting, editing and featuring news (news_edit.go) and of the member
// list's export.
func init() {
	for k, v := range navCatalog {
		if _, dup := catalog[k]; dup {
			panic(fmt.Sprintf("web: catalogue key %q defined twice", k))
		}
		catalog[k] = v
	}
}

var navCatalog = map[string][2]string{
	"nav.account": {"Tài khoản của tôi", "My account"},

	"members.export_xlsx": {"Tải danh sách (Excel)", "Download the list (Excel)"},
	"members.export_csv":  {"Tải dạng CSV", "Download as CSV"},

	"newsf.post":          {"Đăng tin", "Post news"},
	"newsf.edit":          {"Sửa tin", "Edit the news"},
	"newsf.invalid":       {"Tin chưa đăng được: xem các lỗi bên dưới.", "The news cannot be saved: see the errors below."},
	"newsf.category":      {"Chuyên mục", "Category"},
	"newsf.category_help": {"Ví dụ: Hoạt động chi bộ, Gương người tốt việc tốt.", "For example: Cell activities, Good examples."},
	"newsf.audience":      {"Gửi đến", "Audience"},
	"newsf.featured":      {"Tin nổi bật (hiện đầu danh sách tin và sổ tay)", "Featured (shown first in the news and the handbook)"},
	"newsf.submit":        {"Đăng tin", "Post"},
	"newsf.save":          {"Lưu thay đổi", "Save the changes"},
	"newsf.posted":        {"Đã đăng tin.", "The news is posted."},
	"newsf.edited":        {"Đã lưu thay đổi.", "The changes are saved."},
	"newsf.feature":       {"Đặt làm tin nổi bật", "Feature"},
	"newsf.unfeature":     {"Bỏ nổi bật", "Stop featuring"},
	"newsf.featured_on":   {"Tin đã được đặt nổi bật.", "The news is featured."},
	"newsf.featured_off":  {"Tin không còn nổi bật.", "The news is no longer featured."},
}
