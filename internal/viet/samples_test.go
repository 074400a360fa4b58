package viet

// Realistic Vietnamese text shared by the tests: member names, place names
// and the names of party units, in NFC.
var vietnameseSamples = []string{
	"Nguyễn Văn Đăng",
	"Nguyễn Thị Hường",
	"Lê Văn Đức",
	"Phạm Quốc Việt",
	"Trương Mỹ Lệ",
	"Trần Thị Ánh Tuyết",
	"Hoàng Thị Ngọc Ẩn",
	"Vũ Đình Nghĩa",
	"Đỗ Xuân Quỳnh",
	"Bùi Thị Thuỷ",
	"Phú Xuyên",
	"Châu Can",
	"Đại Thắng",
	"Phượng Dực",
	"Tri Thủy",
	"Hồng Minh",
	"Đảng ủy xã Phú Túc",
	"Chi bộ thôn Hạ Thái",
	"Cộng hòa xã hội chủ nghĩa Việt Nam",
	"Độc lập - Tự do - Hạnh phúc",
}
