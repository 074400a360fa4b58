package ui

// The task lists' totals counted up to a bound (issue 17): past it the
// list says "at least".
func init() {
	mergeCatalog(map[string][2]string{
		"tasks.at_least":       {"ít nhất %s", "at least %s"},
		"tasks.shown_at_least": {"Đang hiện %d trong số ít nhất %d việc.", "Showing %d of at least %d tasks."},
	})
}
