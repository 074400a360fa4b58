package ui

import "fmt"

// The printed form's texts (the download links on the document and the
// accountability report pages) and the messages of internal/output, by
// key. They join the one catalogue at start.
func init() {
	for k, v := range outputCatalog {
		if _, dup := catalog[k]; dup {
			panic(fmt.Sprintf("web: catalogue key %q defined twice", k))
		}
		catalog[k] = v
	}
}

var outputCatalog = map[string][2]string{
	"output.download":     {"Tải bản in", "Download for print"},
	"output.docx":         {"DOCX", "DOCX"},
	"output.pdf":          {"PDF", "PDF"},
	"output.minutes":      {"Tải biên bản", "Download the minutes"},
	"output.resolution":   {"Tải nghị quyết", "Download the resolution"},
	"output.meeting_open": {"Cuộc họp %[1]d chưa kết thúc: biên bản được in sau khi kết thúc cuộc họp", "Meeting %[1]d is open: its minutes are printed once it is closed"},

	"output.too_large":       {"Văn bản quá dài để in: %[1]d byte, tối đa %[2]d", "The text is too long to print: %[1]d bytes, at most %[2]d"},
	"output.too_many_blocks": {"Văn bản có quá nhiều đề mục, đoạn, mục liệt kê và dòng bảng để in: tối đa %[1]d", "The text has too many headings, paragraphs, list items and table rows to print: at most %[1]d"},
	"output.too_deep":        {"Danh sách hoặc trích dẫn lồng nhau quá sâu để in: tối đa %[1]d cấp", "Lists or quotations are nested too deep to print: at most %[1]d levels"},
	"output.too_many_cells":  {"Các bảng có quá nhiều ô để in: tối đa %[1]d", "The tables have too many cells to print: at most %[1]d"},
	"output.too_wide":        {"Bảng có %[1]d cột, trang in chứa được tối đa %[2]d", "A table has %[1]d columns, at most %[2]d fit on the page"},
	"output.too_many_pages":  {"Bản in sẽ dài hơn %[1]d trang", "The paper would be longer than %[1]d pages"},
	"output.row_too_tall":    {"Một dòng của bảng có nhiều chữ hơn một trang in", "A table row holds more text than fits on one page"},
	"output.failed":          {"Không in được văn bản (%[1]s)", "The paper could not be printed (%[1]s)"},
	"output.busy":            {"Đang có quá nhiều văn bản chờ in; xin thử lại", "Too many papers are being printed; try again"},
	"output.format":          {"Không có định dạng %[1]s", "No such format: %[1]s"},
	"output.not_document":    {"Không tìm thấy văn bản %[1]d", "Document %[1]d not found"},
}
