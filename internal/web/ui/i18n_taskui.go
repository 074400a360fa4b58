package ui

import "fmt"

// The texts of the assignment page, the tabs of "my tasks", the task
// page's steps and their previews (task_new.go, task_mine.go,
// task_step.go, templates/task_new.html, tasks_rel.html, task_act.html).
func init() {
	for k, v := range taskUICatalog {
		if _, dup := catalog[k]; dup {
			panic(fmt.Sprintf("web: catalogue key %q defined twice", k))
		}
		catalog[k] = v
	}
}

var taskUICatalog = map[string][2]string{
	"tabs.label":          {"Các loại việc", "Kinds of tasks"},
	"tabs.held":           {"Tôi đang giữ", "I hold"},
	"tabs.accountable":    {"Đơn vị tôi chịu trách nhiệm", "My unit answers for"},
	"tabs.issued":         {"Tôi đã giao", "I issued"},
	"tabs.open":           {"Đang mở", "Open"},
	"tabs.done":           {"Đã hoàn thành", "Done"},
	"tabinfo.accountable": {"Việc giao cho đơn vị bạn (hoặc cho bạn), ai đang giữ cũng vậy: đơn vị bạn chịu trách nhiệm về kết quả.", "Tasks assigned to your unit (or to you), whoever holds them now: your unit answers for the result."},
	"tabinfo.issued":      {"Việc bạn hoặc đơn vị bạn đã giao, và ai đang giữ.", "Tasks you or your unit gave, and who holds them."},

	"tasknew.button":            {"Giao việc", "Assign a task"},
	"tasknew.title":             {"Giao việc", "Assign a task"},
	"tasknew.created_before":    {"Đã giao trước khi gặp lỗi:", "Assigned before the error:"},
	"tasknew.from_doc":          {"Theo văn bản:", "From the document:"},
	"tasknew.field_title":       {"Tên công việc", "Title"},
	"tasknew.field_description": {"Nội dung, yêu cầu", "What is to be done"},
	"tasknew.recipients":        {"Giao cho", "Assign to"},
	"tasknew.recipients_hint":   {"Tìm đơn vị hoặc đảng viên theo tên (gõ không dấu cũng được), đánh dấu để chọn; chọn nhiều thì mỗi nơi nhận một việc.", "Find units or members by name (without diacritics is fine) and tick them; each one picked gets its own task."},
	"tasknew.chosen":            {"Đã chọn:", "Picked:"},
	"tasknew.find":              {"Tìm theo tên", "Find by name"},
	"tasknew.fan_out":           {"Chia cho tất cả đơn vị trực thuộc (mỗi đơn vị một việc)", "Split among every unit below (one task each)"},
	"tasknew.deadline":          {"Thời hạn", "Deadline"},
	"tasknew.by_workdays":       {"Tính theo ngày làm việc từ hôm nay", "In working days from today"},
	"tasknew.workdays":          {"Số ngày làm việc", "Working days"},
	"tasknew.computed":          {"Hạn hoàn thành: %s (không tính thứ Bảy, Chủ nhật, ngày lễ).", "Due on %s (weekends and holidays not counted)."},
	"tasknew.by_date":           {"Đến ngày cụ thể", "By a date"},
	"tasknew.due_on":            {"Ngày hết hạn", "Due date"},
	"tasknew.compute":           {"Tính ngày hết hạn", "Compute the due date"},
	"tasknew.submit":            {"Giao việc", "Assign"},
	"tasknew.member_of":         {"đảng viên", "member of"},

	"act.required":           {"bắt buộc", "required"},
	"act.find":               {"Tìm", "Find"},
	"act.find_unit":          {"Tìm đơn vị nhận theo tên", "Find the receiving unit by name"},
	"act.matches":            {"Kết quả tìm “%s”:", "Matches for “%s”:"},
	"act.below":              {"Các đơn vị trực thuộc (tìm theo tên để chọn nơi khác):", "The units below (find by name for others):"},
	"act.no_match":           {"Không tìm thấy tên nào phù hợp trong phạm vi của bạn.", "No name matches within your reach."},
	"act.none_below":         {"Không có đơn vị trực thuộc: tìm theo tên để chọn nơi nhận.", "No units below: find the receiving unit by name."},
	"act.forward_do":         {"Chuyển việc", "Forward"},
	"act.extend_ask":         {"Xin gia hạn", "Ask for more time"},
	"means.accept":           {"Nhận việc để thực hiện. Việc chưa được tiếp nhận quá thời hạn tiếp nhận thì bị cảnh báo không phản hồi.", "Take the task on. A task not accepted within the acceptance deadline is flagged as unanswered."},
	"means.forward":          {"Giao việc cho đơn vị khác giữ; đơn vị nhận phải tiếp nhận. Trách nhiệm về kết quả vẫn thuộc đơn vị được giao ban đầu. Chuyển xuống đơn vị trực thuộc là phân công bình thường; chuyển sang đơn vị không trực thuộc (sang ngang) được tính là đùn đẩy việc trong đánh giá trách nhiệm của đơn vị bạn.", "Hand the task to another unit, which must accept it; the unit first assigned still answers for the result. Forwarding to a unit below is ordinary delegation; forwarding to a unit that is not below yours (sideways) counts as pushing work away in your unit's accountability."},
	"means.sideways_flagged": {"Chuyển sang ngang sẽ bị cảnh báo theo Chỉ thị 24-CT/TU:", "A sideways forward will be flagged under Directive 24-CT/TU:"},
	"means.flagged":          {"Bước này sẽ bị cảnh báo theo Chỉ thị 24-CT/TU:", "This step will be flagged under Directive 24-CT/TU:"},
	"fwd.down":               {"xuống đơn vị trực thuộc", "down to a unit below"},
	"fwd.sideways":           {"sang ngang: tính là đùn đẩy việc", "sideways: counts as pushing work away"},
	"means.return":           {"Trả việc về cho %s, nơi đã chuyển việc cho bạn; nơi đó giữ lại việc.", "Hand the task back to %s, who sent it to you; they hold it again."},
	"means.return_nobody":    {"Không có nơi nào chuyển việc này cho bạn.", "Nobody sent this task to you."},
	"means.return_counts":    {"Mỗi lần trả lại được tính vào đánh giá trách nhiệm của đơn vị bạn. Cần ghi rõ lý do.", "Each return counts in your unit's accountability. Say why."},
	"means.escalate":         {"Giao việc lên cho %s giữ và quyết định; đơn vị bạn không còn giữ việc.", "Hands the task up to %s, who then holds and decides it; your unit no longer holds it."},
	"means.escalate_counts":  {"Mỗi lần chuyển lên cấp trên được tính là đẩy việc lên trên trong đánh giá trách nhiệm của đơn vị bạn. Cần ghi rõ việc cấp trên phải quyết định.", "Each escalation counts against your unit in the accountability report. Say what the level above must decide."},
	"means.extend_ask":       {"Đề nghị cấp trên cho thêm thời gian; hạn chỉ thay đổi khi cấp trên gia hạn. Mỗi lần xin gia hạn được tính vào đánh giá trách nhiệm của đơn vị bạn.", "Ask the level above for more time; the due date moves only when they grant it. Each request counts in your unit's accountability."},
	"means.extend_grant":     {"Dời hạn của việc đến ngày mới.", "Move the task's due date to the new day."},
	"means.suspend":          {"Dừng tính thời hạn cho đến khi tiếp tục. Cần ghi rõ lý do.", "Stop the clock until resumed. Say why."},
	"means.resume":           {"Tiếp tục việc; hạn được lùi thêm đúng số ngày làm việc đã tạm dừng.", "Restart the task; the due date moves by the working days it was suspended."},
}
