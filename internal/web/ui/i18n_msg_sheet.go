package ui

// Messages of files that the import cannot read (internal/sheet), by key: {Vietnamese, English}.
// The English text is the one the API shows (apperr.Keyed and friends).
func init() { mergeCatalog(msgSheetCatalog) }

var msgSheetCatalog = map[string][2]string{
	"sheet.csv_damaged":      {"Tệp CSV bị hỏng: hãy mở tệp bằng Excel và lưu lại dưới dạng .xlsx", "damaged CSV: open it in Excel and save it as .xlsx"},
	"sheet.kind_binary":      {"Tệp không phải bảng tính hay tệp văn bản: hãy chọn tệp .xlsx hoặc .csv", "the file is not a spreadsheet or text file; choose an .xlsx or .csv file"},
	"sheet.kind_html":        {"Tệp là trang web (HTML), không phải bảng tính thật: hãy mở bằng Excel và lưu lại dưới dạng .xlsx (Excel Workbook)", "the file is a web page (HTML), not a real spreadsheet; open it in Excel and save it as .xlsx (Excel Workbook)"},
	"sheet.kind_ods":         {"Tệp là bảng tính OpenDocument (.ods): hãy mở và lưu lại dưới dạng .xlsx (Excel Workbook)", "the file is an OpenDocument spreadsheet (.ods); open it and save it as .xlsx (Excel Workbook)"},
	"sheet.kind_xls":         {"Tệp là bảng tính .xls kiểu cũ hoặc tệp có mật khẩu: hãy mở bằng Excel và lưu lại dưới dạng .xlsx (Excel Workbook)", "the file is a legacy .xls workbook or a password-protected file; open it in Excel and save it as .xlsx (Excel Workbook)"},
	"sheet.kind_xml":         {"Tệp là bảng tính XML (Excel 2003), không phải .xlsx: hãy mở bằng Excel và lưu lại dưới dạng .xlsx (Excel Workbook)", "the file is an XML spreadsheet (Excel 2003 XML), not an .xlsx workbook; open it in Excel and save it as .xlsx (Excel Workbook)"},
	"sheet.kind_zip":         {"Tệp là tệp nén ZIP, không phải bảng tính Excel: hãy mở bằng Excel và lưu dưới dạng .xlsx (Excel Workbook)", "the file is a ZIP archive but not an Excel workbook; open it in Excel and save it as .xlsx (Excel Workbook)"},
	"sheet.office_not_excel": {"Tệp là tài liệu Office nhưng không phải bảng tính Excel: hãy lưu danh sách dưới dạng .xlsx", "the file is an Office document but not an Excel workbook; save the list as .xlsx"},
	"sheet.xlsb":             {"Đây là bảng tính Excel dạng nhị phân (.xlsb): hãy mở bằng Excel và lưu lại dưới dạng .xlsx (Excel Workbook)", "this is an Excel binary workbook (.xlsb); open it in Excel and save it as .xlsx (Excel Workbook)"},
	"sheet.xlsx_damaged":     {"Tệp .xlsx bị hỏng hoặc không đọc được: hãy mở bằng Excel và lưu lại dưới dạng .xlsx", "damaged or unreadable .xlsx file; open it in Excel and save it again as .xlsx"},
	"sheet.zip_no_workbook":  {"Tệp ZIP không chứa bảng tính Excel: hãy mở bằng Excel và lưu dưới dạng .xlsx", "the ZIP file has no Excel workbook; open it in Excel and save it as .xlsx"},
	"sheet.no_header":        {"Không thấy dòng tiêu đề trong %d dòng đầu (cần các cột như %s)", "no recognisable header row in the first %d rows (expected columns such as %s)"},
}
