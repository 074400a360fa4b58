package ui

// The member search's words (issue 17, session 9): a page of a bounded
// search may hold no match and still have a next page (docs/api.md
// "Members").
func init() {
	mergeCatalog(map[string][2]string{
		"members.none_on_page": {"Chưa thấy đảng viên nào phù hợp trong phần đã tìm; xem trang sau để tìm tiếp.", "No match in the part searched so far; open the next page to search on."},
	})
}
