package ui

import "fmt"

// The four-good cell model's texts: the messages of internal/scoring by
// key ("fourgood.*") and the words of the pages (templates/fourgood_*.html).
func init() {
	for k, v := range fourGoodCatalog {
		if _, dup := catalog[k]; dup {
			panic(fmt.Sprintf("web: catalogue key %q defined twice", k))
		}
		catalog[k] = v
	}
}

var fourGoodCatalog = map[string][2]string{
	// The audit page's names of the module's actions.
	"audit_action.framework.create":   {"Ban hành khung tiêu chí Chi bộ 4 tốt", "Four-good framework created"},
	"audit_action.framework.update":   {"Sửa khung tiêu chí Chi bộ 4 tốt", "Four-good framework changed"},
	"audit_action.framework.copy":     {"Sao chép khung tiêu chí cho năm sau", "Four-good framework copied"},
	"audit_action.framework.import":   {"Nhập tiêu chí từ tệp Excel", "Four-good criteria imported"},
	"audit_action.framework.register": {"Chi bộ đăng ký Chi bộ 4 tốt", "Cell registered (four-good)"},
	"audit_action.framework.report":   {"Báo cáo kết quả Chi bộ 4 tốt lên cấp trên", "Four-good results reported"},
	"audit_action.scoresheet.open":    {"Mở biểu chấm điểm kỳ mới", "Scoresheet opened"},
	"audit_action.scoresheet.score":   {"Chấm điểm tiêu chí", "Criterion scored"},
	"audit_action.scoresheet.submit":  {"Gửi biểu chấm điểm lên bước sau", "Scoresheet submitted"},

	// Messages (apperr keys).
	"fourgood.already_registered":   {"Chi bộ đã có biểu chấm điểm của khung này cho kỳ này (%d)", "the cell already has a scoresheet for this framework and period (%d)"},
	"fourgood.bad_cell_type":        {"Loại hình chi bộ %s không thuộc: %s", "the cell type %s is not one of %s"},
	"fourgood.bad_code":             {"Mã tiêu chí gồm 1 đến %d chữ, số, dấu chấm, gạch ngang hoặc gạch dưới, ví dụ 1.2", "a code is 1 to %d letters, digits, dots, dashes or underscores, like 1.2"},
	"fourgood.bad_format":           {"Định dạng là json hoặc xlsx", "the format is json or xlsx"},
	"fourgood.bad_link":             {"Không có %s %d của chi bộ này", "no %s %d of this cell"},
	"fourgood.bad_link_kind":        {"Minh chứng chỉ liên kết tới %s", "evidence links are to a %s"},
	"fourgood.bad_max":              {"Điểm tối đa là số từ 0 đến %d, tối đa một chữ số thập phân", "the maximum is a number from 0 to %d with at most one decimal"},
	"fourgood.bad_min":              {"Điểm tối thiểu từ 0 đến tổng điểm của khung (%s), tối đa một chữ số thập phân", "the minimum is from 0 to the framework's total, %s, with at most one decimal"},
	"fourgood.bad_period":           {"Kỳ đánh giá là sơ kết (interim) hoặc tổng kết (final)", "the period is interim or final"},
	"fourgood.bad_points":           {"Điểm của tiêu chí %s từ 0 đến %s, tối đa một chữ số thập phân", "points for %s are from 0 to %s, with at most one decimal"},
	"fourgood.bad_status":           {"Trạng thái là bản nháp (draft) hoặc đang áp dụng (open)", "the status is draft or open"},
	"fourgood.bad_text":             {"Nội dung không hợp lệ: %s", "%s"},
	"fourgood.bad_year":             {"Năm từ %d đến %d", "the year is from %d to %d"},
	"fourgood.cell_type":            {"Khung này dành cho loại hình chi bộ khác (%s)", "this framework is for other types of cell than %s"},
	"fourgood.copy_same_year":       {"Bản sao phải cho năm khác năm %d", "the copy is for another year than %d"},
	"fourgood.cycle":                {"Tiêu chí %s nằm trong chính nó (vòng lặp qua %s)", "the criterion %s is its own ancestor (a cycle through %s)"},
	"fourgood.deadline_passed":      {"Đã hết hạn đăng ký ngày %s; cấp ủy cấp trên vẫn có thể đăng ký cho chi bộ, kèm lý do", "registration closed on %s; an officer above the cell may still register it, with a reason"},
	"fourgood.draft":                {"Khung đang là bản nháp, chưa nhận đăng ký", "the framework is a draft: it takes no registrations yet"},
	"fourgood.duplicate_cell_type":  {"Loại hình %s bị lặp", "the cell type %s is listed twice"},
	"fourgood.duplicate_code":       {"Mã %s bị dùng hai lần (cả ở %s)", "the code %s is used twice (also at %s)"},
	"fourgood.duplicate_level":      {"Mức xếp loại %s bị lặp", "the level %s is listed twice"},
	"fourgood.duplicate_min":        {"Hai mức xếp loại cùng điểm tối thiểu %s", "two bands have the minimum %s"},
	"fourgood.duplicate_score":      {"Tiêu chí %s được chấm hai lần", "%s is given twice"},
	"fourgood.late_reason":          {"Đã hết hạn đăng ký ngày %s: cần ghi lý do đăng ký muộn", "registration closed on %s: give the reason for registering late"},
	"fourgood.locked":               {"Biểu chấm điểm đã hoàn tất, không sửa được", "the scoresheet is done: it cannot change"},
	"fourgood.missing_columns":      {"Thiếu cột: %s", "missing columns: %s"},
	"fourgood.no_bands":             {"Khung cần ít nhất một mức xếp loại", "a framework needs at least one band"},
	"fourgood.no_criteria":          {"Khung cần ít nhất một tiêu chí", "a framework needs at least one criterion"},
	"fourgood.no_header":            {"Không thấy dòng tiêu đề với các cột Mã, Thuộc, Tiêu chí, Điểm tối đa, Hướng dẫn", "no header row with the columns Mã, Thuộc, Tiêu chí, Điểm tối đa, Hướng dẫn was found"},
	"fourgood.no_scores":            {"Chưa có điểm nào được gửi", "send at least one score"},
	"fourgood.not_cell":             {"Chỉ chi bộ đang hoạt động mới đăng ký Chi bộ 4 tốt", "only a live cell registers for the four-good model"},
	"fourgood.not_found":            {"Không có khung hoặc biểu chấm điểm này trong phạm vi của bạn", "not found: no such framework or scoresheet within reach"},
	"fourgood.not_leaf":             {"Tiêu chí %s có tiêu chí thành phần: hãy chấm các tiêu chí thành phần", "%s has sub-criteria: score those, its points are their sum"},
	"fourgood.not_reporting_unit":   {"Chỉ các cấp ủy trực thuộc %s báo cáo kết quả lên", "only the committees directly below %s report their results to it"},
	"fourgood.not_your_stage":       {"Biểu chấm điểm đang ở bước %s: bạn không sửa được lúc này", "the scoresheet is at the %s stage: it is not yours to change now"},
	"fourgood.outside_owner":        {"Chi bộ không thuộc %s, đơn vị ban hành khung", "the cell is not under %s, the framework's owner"},
	"fourgood.owner_cell":           {"Khung do cấp ủy ban hành, không phải chi bộ", "a framework is owned by a committee, not a cell"},
	"fourgood.owner_fixed":          {"Không đổi được đơn vị ban hành khung; hãy sao chép khung", "the owner of a framework cannot change; copy it instead"},
	"fourgood.parent_max":           {"Điểm tối đa của %s là %s nhưng các tiêu chí thành phần cộng lại %s", "the maximum of %s is %s but its sub-criteria add up to %s"},
	"fourgood.quota_level":          {"Mức của hạn mức phải là một mức xếp loại", "the quota's level must be one of the bands"},
	"fourgood.quota_share":          {"Tỷ lệ là số lớn hơn 0 và không quá 1 (0,2 là 20%%)", "the share is a number above 0 and at most 1 (0.2 is 20%%)"},
	"fourgood.reason_required":      {"Thay đổi điểm tiêu chí %s cần ghi lý do", "changing the points of %s needs a reason"},
	"fourgood.registered_elsewhere": {"Chi bộ đã đăng ký theo khung khác của năm %d", "the cell is registered to another framework for %d"},
	"fourgood.report_sent":          {"Kết quả kỳ này đã được báo cáo", "the results for this period have been sent already"},
	"fourgood.required":             {"Chưa nhập %s", "%s is required"},
	"fourgood.scored":               {"Khung đã có điểm chấm nên không sửa được; hãy sao chép cho năm sau", "scores have been entered against this framework: it cannot change; copy it for next year"},
	"fourgood.stale":                {"Biểu chấm điểm vừa được người khác sửa: hãy tải lại", "the scoresheet was changed by someone else: reload it"},
	"fourgood.stale_or_scored":      {"Khung vừa được sửa hoặc đã có điểm chấm: hãy tải lại", "the framework was changed by someone else or has been scored: reload it"},
	"fourgood.too_deep":             {"Tiêu chí có tối đa %d cấp", "criteria may be at most %d levels deep"},
	"fourgood.too_long":             {"Tối đa %d ký tự", "at most %d characters"},
	"fourgood.too_many_bands":       {"Tối đa %d mức xếp loại", "at most %d bands"},
	"fourgood.too_many_criteria":    {"Tối đa %d tiêu chí", "at most %d criteria"},
	"fourgood.too_many_links":       {"Tối đa %d liên kết", "at most %d links"},
	"fourgood.too_many_scores":      {"Tối đa %d điểm mỗi lần", "at most %d scores at once"},
	"fourgood.total_too_large":      {"Các tiêu chí cộng lại %s điểm; tối đa %d", "the criteria add up to %s points; at most %d"},
	"fourgood.unit_not_found":       {"Không có đơn vị này trong phạm vi của bạn", "unit not found: no such unit within reach"},
	"fourgood.unknown_criterion":    {"Khung không có tiêu chí %s", "the framework has no criterion %s"},
	"fourgood.unknown_parent":       {"Không có tiêu chí nào mã %s", "no criterion has the code %s"},
	"fourgood.unscored":             {"Chấm đủ các tiêu chí trước khi gửi: %s", "score every criterion before submitting: %s"},
	"fourgood.file_too_large":       {"Tệp quá lớn", "the file is too large"},
}
