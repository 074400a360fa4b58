package ui

import (
	"fmt"
	"html/template"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/report"
)

// Report requests' words and the messages of internal/report, by key.
func init() {
	for k, v := range reportCatalog {
		if _, dup := catalog[k]; dup {
			panic(fmt.Sprintf("web: catalogue key %q defined twice", k))
		}
		catalog[k] = v
	}
}

// reportFuncs are the report pages' own template functions.
var reportFuncs = template.FuncMap{
	"reportKind": report.KindLabel,
	"reportTime": func(t time.Time) string { return t.In(date.Vietnam).Format("15:04 02/01/2006") },
}

var reportCatalog = map[string][2]string{
	// Pages.
	"report.req.list":             {"Yêu cầu báo cáo", "Report requests"},
	"report.req.new":              {"Yêu cầu các đơn vị trực thuộc báo cáo", "Ask the units below for a report"},
	"report.req.new_hint":         {"Mỗi đơn vị trực thuộc %[1]s nhận một việc theo Chỉ thị 24-CT/TU; báo cáo gửi muộn được tính là trễ hạn.", "Every unit directly below %[1]s receives a task under Directive 24-CT/TU; a late report counts as late."},
	"report.req.none":             {"Chưa có yêu cầu báo cáo nào.", "No report requests yet."},
	"report.req.more":             {"Xem tiếp", "More"},
	"report.req.due":              {"Hạn", "Due"},
	"report.req.sent_of":          {"đã gửi %[1]d/%[2]d", "%[1]d of %[2]d sent"},
	"report.req.field_title":      {"Tên báo cáo", "Title"},
	"report.req.field_kind":       {"Loại báo cáo", "Kind"},
	"report.req.period_from":      {"Kỳ báo cáo từ ngày", "Period from"},
	"report.req.period_to":        {"đến ngày", "to"},
	"report.req.period":           {"Kỳ báo cáo", "Period"},
	"report.req.workdays":         {"Hạn gửi sau số ngày làm việc", "Due in working days"},
	"report.req.due_on":           {"hoặc hạn gửi vào ngày", "or due on"},
	"report.req.template":         {"Đề cương (Markdown, tùy chọn)", "Outline (Markdown, optional)"},
	"report.req.submit":           {"Gửi yêu cầu", "Send the request"},
	"report.req.from_unit":        {"Đơn vị yêu cầu", "Requested by"},
	"report.req.counts":           {"Đúng hạn: %[1]d · Trễ hạn: %[2]d · Chưa gửi: %[3]d", "On time: %[1]d · Late: %[2]d · Not sent: %[3]d"},
	"report.req.unit":             {"Đơn vị", "Unit"},
	"report.req.status_h":         {"Tình trạng", "Status"},
	"report.req.status":           {"Tình trạng", "Status"},
	"audit_action.report.request": {"Yêu cầu báo cáo", "Report requested"},
	"audit_action.report.send":    {"Gửi báo cáo", "Report sent"},
	"report.req.sent_at":          {"Gửi lúc", "Sent at"},
	"report.req.status.sent":      {"Đã gửi đúng hạn", "Sent on time"},
	"report.req.status.late":      {"Gửi trễ hạn", "Sent late"},
	"report.req.status.missing":   {"Chưa gửi", "Not sent"},
	"report.req.overdue":          {"quá hạn", "overdue"},
	"report.req.open":             {"Xem báo cáo", "Open the report"},
	"report.req.draft":            {"Soạn báo cáo", "Draft the report"},
	"report.req.task":             {"Việc theo dõi theo Chỉ thị 24", "The task under Directive 24"},
	"report.req.send_title":       {"Soạn và gửi báo cáo", "Draft and send the report"},
	"report.req.draft_hint":       {"Bản nháp được lập từ số liệu của đơn vị; sửa nội dung và số liệu rồi gửi.", "The draft is made from the unit's own data; edit the text and the figures, then send."},
	"report.req.body":             {"Nội dung báo cáo", "Report"},
	"report.req.figures":          {"Số liệu", "Figures"},
	"report.req.send_warning":     {"Báo cáo đã gửi được lưu nguyên như khi gửi và không sửa được nữa.", "A sent report is kept exactly as sent and cannot be edited."},
	"report.req.send":             {"Gửi báo cáo", "Send the report"},
	"report.req.figure":           {"Chỉ tiêu", "Figure"},
	"report.req.value":            {"Số liệu", "Value"},
	"report.req.back":             {"Về yêu cầu báo cáo", "Back to the request"},
	"report.req.link":             {"Yêu cầu báo cáo", "Report requests"},

	// Messages of internal/report.
	"report.required":             {"Bắt buộc", "required"},
	"report.too_long":             {"Tối đa %[1]d ký tự", "at most %[1]d characters"},
	"report.bad_text":             {"%[1]s", "%[1]s"},
	"report.due_required":         {"Cho hạn gửi: một ngày (due_on) hoặc số ngày làm việc (workdays)", "give a due date (due_on) or a number of working days (workdays)"},
	"report.due_both":             {"Chỉ cho ngày hạn hoặc số ngày làm việc, không cho cả hai", "give due_on or workdays, not both"},
	"report.date_range":           {"Phải trong các năm %[1]d đến %[2]d", "must be in the years %[1]d to %[2]d"},
	"report.period_order":         {"Không được trước ngày bắt đầu kỳ", "must not be before period_from"},
	"report.period_long":          {"Một kỳ báo cáo dài tối đa %[1]d năm", "a period is at most %[1]d years long"},
	"report.invalid":              {"Yêu cầu báo cáo chưa hợp lệ", "the report request is not valid"},
	"report.invalid_submission":   {"Báo cáo chưa hợp lệ", "the report is not valid"},
	"report.not_found":            {"Không tìm thấy yêu cầu báo cáo %[1]d", "report request %[1]d not found"},
	"report.unit_not_found":       {"Không tìm thấy đơn vị %[1]d", "unit %[1]d not found"},
	"report.unit_required":        {"Cần chọn đơn vị", "the unit is required"},
	"report.not_your_unit":        {"Chỉ cấp ủy của %[1]s gửi báo cáo của đơn vị", "only the officers of %[1]s send its report"},
	"report.unit_not_asked":       {"Đơn vị %[1]d không được yêu cầu báo cáo này", "unit %[1]d was not asked for this report"},
	"report.already_sent":         {"%[1]s đã gửi báo cáo này: báo cáo đã gửi được giữ nguyên", "%[1]s has already sent this report: what was sent is kept as it is"},
	"report.body_or_document":     {"Cho nội dung hoặc văn bản, không cho cả hai", "give a body or a document_id, not both"},
	"report.document_not_found":   {"Không tìm thấy văn bản %[1]d", "document %[1]d not found"},
	"report.submission_not_found": {"Không tìm thấy báo cáo %[1]d", "report %[1]d not found"},
	"report.figures_many":         {"Tối đa %[1]d số liệu", "at most %[1]d figures"},
	"report.figure_key":           {"%[1]q không phải tên số liệu (chữ thường, số, _ và dấu chấm, tối đa 64)", "%[1]q is not a figure name (lower-case letters, digits, _ and dots, at most 64)"},
	"report.figure_value":         {"%[1]s phải từ 0 đến %[2]d", "%[1]s must be 0 to %[2]d"},
	"report.no_group":             {"Không lập được việc cho các đơn vị", "the fan-out has no group"},
}
