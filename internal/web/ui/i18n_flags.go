package ui

// The details of Directive 24 flags (internal/task flagdetail.go), by key,
// in both languages; TestFlagDetailsTranslated checks every key.
func init() {
	mergeCatalog(map[string][2]string{
		"task.flag_detail.overdue":         {"hạn %s, trễ %s ngày làm việc", "due %s, %s working days late"},
		"task.flag_detail.overdue_due":     {"hạn %s", "due %s"},
		"task.flag_detail.step_overdue":    {"khâu đang xử lý có hạn %s", "the current step was due %s"},
		"task.flag_detail.no_response":     {"hạn tiếp nhận %s, phản hồi đầu tiên %s", "acceptance due %s, first answer %s"},
		"task.flag_detail.no_response_due": {"hạn tiếp nhận %s", "acceptance due %s"},
		"task.flag_detail.sideways":        {"chuyển cho đơn vị không trực thuộc đơn vị đang xử lý", "passed to a unit that is not below the holder"},
		"task.flag_detail.escalated":       {"cấp ủy đẩy lên trên việc cấp trên giao xuống", "a committee pushed up work the level above had handed down"},
		"task.flag_detail.returned":        {"trả lại %s lần", "returned %s times"},
		"task.flag_detail.extensions":      {"xin gia hạn %s lần", "extension asked %s times"},
	})
}
