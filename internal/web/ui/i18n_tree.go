package ui

import (
	"fmt"
)

// The tree's texts (tree.go, templates/unit_*.html, the unit page's
// restructuring buttons and history), and the org service's messages.
func init() {
	for k, v := range treeCatalog {
		if _, dup := catalog[k]; dup {
			panic(fmt.Sprintf("web: catalogue key %q defined twice", k))
		}
		catalog[k] = v
	}
}

var treeCatalog = map[string][2]string{
	"tree.title":        {"Sắp xếp tổ chức", "Restructure"},
	"tree.new":          {"Thêm đơn vị trực thuộc", "Add a unit below"},
	"tree.new_below":    {"Đơn vị mới trực thuộc %s.", "A new unit below %s."},
	"tree.edit":         {"Sửa tên, loại", "Rename, retype"},
	"tree.create":       {"Tạo đơn vị", "Create the unit"},
	"tree.conflict":     {"Đơn vị đã được người khác sửa trong lúc bạn đang sửa. Nội dung bạn nhập vẫn còn bên dưới; hãy mở lại bản mới nhất rồi sửa lại.", "Someone else changed the unit while you were editing it. What you typed is still below; open the latest version and edit it again."},
	"tree.invalid":      {"Chưa thực hiện được: xem lỗi ở từng mục bên dưới.", "Not done: see the errors by each field below."},
	"tree.no_cell_type": {"— Không (chỉ chi bộ có loại hình) —", "— None (only cells have a type) —"},
	"tree.no_targets":   {"Không có đơn vị nào trong phạm vi của bạn phù hợp.", "No unit within your reach fits."},

	"tree_field.name":         {"Tên đơn vị", "Name"},
	"tree_field.code":         {"Mã đơn vị", "Code"},
	"tree_field.kind":         {"Loại tổ chức", "Kind"},
	"tree_field.cell_type":    {"Loại hình chi bộ", "Cell type"},
	"tree_field.effective_on": {"Ngày có hiệu lực", "Effective on"},

	"tree_act.chuyen":    {"Chuyển đơn vị", "Move"},
	"tree_act.sap-nhap":  {"Sáp nhập", "Merge"},
	"tree_act.giai-the":  {"Giải thể", "Dissolve"},
	"tree_act.chia-tach": {"Chia tách", "Split"},

	"tree_help.chuyen":    {"Đơn vị cùng các đơn vị trực thuộc và đảng viên chuyển sang trực thuộc đơn vị được chọn từ ngày có hiệu lực.", "The unit, with its units and members, moves below the chosen unit from the effective day."},
	"tree_help.sap-nhap":  {"Các đơn vị trực thuộc và đảng viên của đơn vị chuyển sang đơn vị được chọn; đơn vị này kết thúc từ ngày có hiệu lực.", "The unit's units and members move into the chosen unit; this unit ends from the effective day."},
	"tree_help.giai-the":  {"Đơn vị kết thúc từ ngày có hiệu lực. Chỉ giải thể được đơn vị không còn đơn vị trực thuộc và đảng viên.", "The unit ends from the effective day. Only a unit with no units and no members left can be dissolved."},
	"tree_help.chia-tach": {"Tạo đơn vị mới cùng cấp và chọn đơn vị trực thuộc, đảng viên chuyển sang từng đơn vị mới. Đơn vị không còn gì sẽ kết thúc.", "Make new units beside this one and choose the units and members each takes. A unit left empty ends."},

	"tree_target.chuyen":   {"Chuyển đến trực thuộc", "Move below"},
	"tree_target.sap-nhap": {"Sáp nhập vào", "Merge into"},
	"tree.see_preview":     {"Xem trước", "Preview"},
	"tree.preview":         {"Xem trước thay đổi", "What will change"},
	"tree.on":              {"Có hiệu lực từ ngày %s.", "Effective from %s."},
	"tree.new_path":        {"Vị trí mới", "New place"},
	"tree.moves":           {"Sẽ chuyển: %s đơn vị, %s đảng viên.", "Moves: %s units, %s members."},
	"tree.units_listed":    {"Đơn vị", "Units"},
	"tree.members_listed":  {"Đảng viên", "Members"},
	"tree.ends":            {"%s sẽ kết thúc hoạt động.", "%s will end."},
	"tree.stays":           {"%s vẫn tiếp tục với phần còn lại.", "%s goes on with what is left."},
	"tree.back":            {"Sửa lại", "Change"},

	"tree_confirm.chuyen":   {"Xác nhận chuyển", "Confirm the move"},
	"tree_confirm.sap-nhap": {"Xác nhận sáp nhập", "Confirm the merge"},
	"tree_confirm.giai-the": {"Xác nhận giải thể", "Confirm the dissolution"},

	"tree.part":          {"Đơn vị mới %d", "New unit %d"},
	"tree.part_takes":    {"Nhận %s đơn vị trực thuộc, %s đảng viên.", "Takes %s units, %s members."},
	"tree.split_units":   {"Đơn vị trực thuộc chuyển sang", "Where the units below go"},
	"tree.split_members": {"Đảng viên chuyển sang", "Where the members go"},
	"tree.stays_here":    {"Ở lại đơn vị này", "Stays here"},
	"tree.to_part":       {"Sang đơn vị mới %d", "To new unit %d"},
	"tree.confirm_split": {"Tôi đã xem trước và xác nhận chia tách", "I have seen the preview and confirm the split"},
	"tree.do_split":      {"Chia tách", "Split"},

	"tree.history":      {"Lịch sử đơn vị", "History"},
	"tree.since":        {"Từ %s", "Since %s"},
	"tree.from_to":      {"Từ %s đến %s", "From %s to %s"},
	"tree.under":        {"trực thuộc %s", "below %s"},
	"tree.dissolved_on": {"Đơn vị đã kết thúc hoạt động từ ngày %s.", "The unit ended on %s."},
	"tree.changes":      {"Các thay đổi đã ghi", "Recorded changes"},

	"tree_audit.unit.create":   {"Thành lập", "Created"},
	"tree_audit.unit.update":   {"Sửa tên, mã hoặc loại", "Renamed or retyped"},
	"tree_audit.unit.move":     {"Chuyển đơn vị", "Moved"},
	"tree_audit.unit.merge":    {"Sáp nhập", "Merged"},
	"tree_audit.unit.dissolve": {"Giải thể", "Dissolved"},
	"tree_audit.unit.split":    {"Chia tách", "Split"},
}
