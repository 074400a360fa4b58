package ui

import "fmt"

// Work handling's texts (ui_tasks.go and templates/task*.html).
func init() {
	for k, v := range taskCatalog {
		if _, dup := catalog[k]; dup {
			panic(fmt.Sprintf("web: catalogue key %q defined twice", k))
		}
		catalog[k] = v
	}
}

var taskCatalog = map[string][2]string{
	"nav.tasks":          {"Công việc", "Tasks"},
	"tasks.title":        {"Việc của tôi", "My tasks"},
	"tasks.more":         {"Xem thêm", "More"},
	"tasks.all":          {"Xem tất cả danh sách", "All lists"},
	"tasks.shown":        {"Đang hiện %d trong số %d việc.", "Showing %d of %d tasks."},
	"task.none":          {"Không có việc nào.", "No tasks."},
	"task.due":           {"Hạn", "Due"},
	"task.holder":        {"Đang giữ", "Held by"},
	"task.overdue":       {"quá hạn", "overdue"},
	"task.state_label":   {"Trạng thái", "State"},
	"task.progress":      {"Tiến độ", "Progress"},
	"task.original_due":  {"hạn ban đầu", "first due"},
	"task.done_on":       {"Hoàn thành ngày", "Completed on"},
	"task.days_late":     {"trễ %d ngày làm việc", "%d working days late"},
	"task.on_time":       {"đúng hạn", "on time"},
	"task.accountable":   {"Chịu trách nhiệm", "Accountable"},
	"task.issuer":        {"Đơn vị giao", "Assigned by"},
	"task.document":      {"Văn bản", "Document"},
	"task.open_document": {"Xem văn bản", "Open the document"},
	"task.timeline":      {"Quá trình xử lý", "Who held it"},
	"task.now":           {"nay", "now"},
	"task.workdays":      {"%d ngày làm việc", "%d working days"},
	"task.steps":         {"Các bước", "Steps"},
	"task.flags":         {"Cảnh báo", "Flags"},
	"task.act":           {"Xử lý", "Act"},

	"tgroup.to_accept":   {"Chờ tiếp nhận", "To accept"},
	"tgroup.in_progress": {"Đang thực hiện", "In progress"},
	"tgroup.overdue":     {"Quá hạn", "Overdue"},
	"tgroup.open":        {"Đang mở, chưa quá hạn", "Open, not overdue"},

	"tstate.assigned":    {"Chờ tiếp nhận", "To accept"},
	"tstate.in_progress": {"Đang thực hiện", "In progress"},
	"tstate.suspended":   {"Tạm dừng", "Suspended"},
	"tstate.done":        {"Hoàn thành", "Done"},

	"step.create":   {"Giao việc", "Assigned"},
	"step.accept":   {"Tiếp nhận", "Accepted"},
	"step.forward":  {"Chuyển", "Forwarded"},
	"step.return":   {"Trả lại", "Returned"},
	"step.escalate": {"Chuyển lên cấp trên", "Escalated"},
	"step.report":   {"Báo cáo tiến độ", "Progress report"},
	"step.complete": {"Hoàn thành", "Completed"},
	"step.extend":   {"Gia hạn", "Extension"},
	"step.suspend":  {"Tạm dừng", "Suspended"},
	"step.resume":   {"Tiếp tục", "Resumed"},

	"dir.down":     {"xuống cấp dưới", "down"},
	"dir.sideways": {"sang ngang", "sideways"},
	"dir.up":       {"lên cấp trên", "up"},
	"dir.back":     {"trả về", "back"},

	"act.accept":   {"Tiếp nhận", "Accept"},
	"act.report":   {"Báo cáo tiến độ", "Report progress"},
	"act.complete": {"Hoàn thành", "Complete"},
	"act.forward":  {"Chuyển cho đơn vị khác", "Forward to another unit"},
	"act.return":   {"Trả lại nơi giao", "Return"},
	"act.escalate": {"Chuyển lên cấp trên", "Escalate (hand it up)"},
	"act.extend":   {"Gia hạn", "Extend"},
	"act.suspend":  {"Tạm dừng", "Suspend"},
	"act.resume":   {"Tiếp tục", "Resume"},
	"act.percent":  {"Phần trăm hoàn thành", "Percent done"},
	"act.note":     {"Ghi chú", "Note"},
	"act.to_unit":  {"Đơn vị nhận", "Receiving unit"},
	"act.new_due":  {"Hạn mới", "New due date"},

	"board.title": {"Bảng công việc", "Task board"},

	"report.title":        {"Trách nhiệm người đứng đầu", "Accountability"},
	"report.from":         {"Từ ngày", "From"},
	"report.to":           {"Đến ngày", "To"},
	"report.period":       {"Từ %s đến %s", "From %s to %s"},
	"report.export":       {"Tải bảng Excel", "Download the spreadsheet"},
	"report.units":        {"Theo đơn vị", "By unit"},
	"report.heads":        {"Theo người đứng đầu", "By head"},
	"report.rank":         {"Hạng", "Rank"},
	"report.unit":         {"Đơn vị", "Unit"},
	"report.head":         {"Người đứng đầu", "Head"},
	"report.score":        {"Điểm trừ", "Penalty"},
	"report.total":        {"Tổng", "Total"},
	"report.formula":      {"Cách tính điểm", "Score"},
	"report.received":     {"Nhận", "Received"},
	"report.on_time":      {"Đúng hạn", "On time"},
	"report.late":         {"Trễ hạn", "Late"},
	"report.avg_late":     {"TB ngày trễ", "Avg days late"},
	"report.open_overdue": {"Đang quá hạn", "Open overdue"},
	"report.escalations":  {"Đẩy lên trên", "Escalated"},
	"report.sideways":     {"Đẩy sang ngang", "Pushed sideways"},
	"report.returns":      {"Trả lại", "Returned"},
	"report.unanswered":   {"Không phản hồi", "Unanswered"},
	"report.chart":        {"Kết quả theo đơn vị", "Results by unit"},
	"report.trend":        {"Số việc nhận theo tháng", "Tasks received by month"},
	"report.month":        {"Tháng", "Month"},
}
