package ui

// The lists' totals counted up to a bound (issue 17): past it the
// list says "at least".
func init() {
	mergeCatalog(map[string][2]string{
		"tasks.at_least":       {"ít nhất %s", "at least %s"},
		"tasks.shown_at_least": {"Đang hiện %d trong số ít nhất %d việc.", "Showing %d of at least %d tasks."},
		// The documents list (doc_scopes) counts up to the same bound.
		"library.total_at_least": {"ít nhất %s văn bản", "at least %s documents"},
		// A member search counts up to 10,000 (memberCountBound).
		"members.total_at_least": {"ít nhất %s đảng viên", "at least %s members"},
		// The inbox counts each source up to the bound (notify.CountBound).
		"inbox.counts_at_least":       {"Ít nhất %d chưa đọc trong ít nhất %d thông báo", "At least %d unread of at least %d"},
		"inbox.counts_total_at_least": {"%d chưa đọc trong ít nhất %d thông báo", "%d unread of at least %d"},
	})
}
