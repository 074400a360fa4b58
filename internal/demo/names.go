package demo

// Data tables for names. Every literal is written in NFC (precomposed
// letters); TestStringsAreNFC checks that no combining mark slipped in.

// wname is a name part with a relative weight.
type wname struct {
	s string
	w int
}

// familyNames are weighted roughly like the national distribution, with a
// northern flavour (Vũ and Hoàng more frequent than Võ and Huỳnh).
var familyNames = []wname{
	{"Nguyễn", 380}, {"Trần", 110}, {"Lê", 95}, {"Phạm", 70}, {"Hoàng", 50},
	{"Vũ", 40}, {"Phan", 30}, {"Đặng", 21}, {"Bùi", 20}, {"Đỗ", 20},
	{"Ngô", 13}, {"Hồ", 10}, {"Dương", 10}, {"Võ", 10}, {"Đào", 8},
	{"Đinh", 8}, {"Trịnh", 6}, {"Đoàn", 5}, {"Lương", 5}, {"Huỳnh", 5},
	{"Trương", 5}, {"Lý", 5}, {"Hà", 4}, {"Mai", 4}, {"Cao", 4},
	{"Tạ", 3}, {"Lưu", 3}, {"Chu", 3}, {"Phùng", 3}, {"Nghiêm", 2},
	{"Kiều", 2}, {"Quách", 2}, {"Tô", 2}, {"Vương", 2}, {"Triệu", 2},
	{"Lâm", 2}, {"Đàm", 2}, {"Lại", 2}, {"Khúc", 1}, {"Lã", 1},
	{"La", 1}, {"Thái", 1}, {"Doãn", 1}, {"Hứa", 1}, {"Bạch", 1},
	{"Mạc", 1}, {"Nông", 1}, {"Tăng", 1}, {"Tống", 1}, {"Kim", 1},
	{"Nhữ", 1}, {"Quản", 1}, {"Âu", 1}, {"Lều", 1}, {"Văn", 1},
}

// Middle names change with the generation: Văn and Thị dominate among
// members born before 1975.
var (
	maleMiddleOld = []wname{
		{"Văn", 550}, {"Đức", 60}, {"Hữu", 50}, {"Đình", 40}, {"Quang", 40},
		{"Minh", 40}, {"Công", 30}, {"Xuân", 30}, {"Ngọc", 30}, {"Bá", 20},
		{"Thế", 20}, {"Viết", 20}, {"Trọng", 20}, {"Thanh", 20}, {"Kim", 10},
		{"Mạnh", 10}, {"Huy", 10}, {"Tiến", 10}, {"Đăng", 10},
	}
	maleMiddleYoung = []wname{
		{"Văn", 250}, {"Đức", 80}, {"Minh", 80}, {"Quang", 60}, {"Hữu", 40},
		{"Công", 40}, {"Xuân", 30}, {"Ngọc", 30}, {"Tiến", 30}, {"Thanh", 30},
		{"Trọng", 30}, {"Đình", 30}, {"Duy", 40}, {"Anh", 30}, {"Hoàng", 30},
		{"Quốc", 40}, {"Tuấn", 20}, {"Mạnh", 30}, {"Gia", 20}, {"Thế", 20},
		{"Việt", 20}, {"Huy", 20}, {"Trung", 20}, {"Đăng", 20}, {"Bảo", 20},
	}
	femaleMiddleOld = []wname{
		{"Thị", 750}, {"Thu", 40}, {"Thanh", 40}, {"Ngọc", 30}, {"Hồng", 30},
		{"Kim", 30}, {"Minh", 20}, {"Bích", 20}, {"Thúy", 20}, {"Phương", 10},
		{"Mai", 10},
	}
	femaleMiddleYoung = []wname{
		{"Thị", 350}, {"Thu", 80}, {"Ngọc", 70}, {"Thanh", 60}, {"Hồng", 50},
		{"Kim", 30}, {"Thúy", 30}, {"Minh", 40}, {"Phương", 40}, {"Bích", 20},
		{"Diệu", 20}, {"Khánh", 30}, {"Thảo", 20}, {"Hải", 30}, {"Mai", 20},
		{"Quỳnh", 20}, {"Hoài", 20}, {"Như", 20}, {"Lan", 20}, {"Vân", 20},
		{"Bảo", 20}, {"Hà", 20},
	}
)

// Given names; the common ones carry more weight.
var maleGiven = withWeights(4, []string{"Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Thắng", "Long", "Nam", "Sơn", "Cường", "Hoàng", "Quang", "Thành", "Trung", "Đức"},
	"An", "Anh", "Bách", "Bảo", "Bắc", "Bằng", "Bình", "Cảnh", "Chiến", "Chinh",
	"Chính", "Chung", "Công", "Cương", "Cường", "Danh", "Dân", "Doanh", "Du", "Dũng",
	"Duy", "Duyệt", "Dương", "Đại", "Đạo", "Đạt", "Đăng", "Điệp", "Định", "Độ",
	"Đoàn", "Đông", "Đồng", "Đức", "Được", "Giang", "Giáp", "Hà", "Hải", "Hào",
	"Hạnh", "Hậu", "Hiến", "Hiển", "Hiệp", "Hiếu", "Hinh", "Hòa", "Hoài", "Hoan",
	"Hoàn", "Hoàng", "Học", "Hội", "Hợp", "Huân", "Hùng", "Hưng", "Hướng", "Huy",
	"Huynh", "Khải", "Khang", "Khanh", "Khánh", "Khoa", "Khôi", "Khương", "Kiên", "Kiệt",
	"Kỳ", "Lãm", "Lâm", "Lân", "Lập", "Lịch", "Liêm", "Linh", "Lộc", "Long",
	"Lợi", "Luân", "Lực", "Lương", "Lượng", "Mạnh", "Minh", "Mừng", "Nam", "Năng",
	"Nghị", "Nghĩa", "Ngọc", "Nguyên", "Nhân", "Nhật", "Ninh", "Phát", "Phi", "Phong",
	"Phú", "Phúc", "Phụng", "Phương", "Quân", "Quang", "Quảng", "Quế", "Quý", "Quyền",
	"Quyết", "Sáng", "Sơn", "Sỹ", "Tài", "Tâm", "Tân", "Tấn", "Thạch", "Thái",
	"Thắng", "Thanh", "Thành", "Thạo", "Thế", "Thiện", "Thịnh", "Thọ", "Thông", "Thuận",
	"Thức", "Thực", "Thường", "Tiến", "Tiệp", "Tình", "Toàn", "Toản", "Tới", "Trí",
	"Triều", "Trọng", "Trung", "Trường", "Tú", "Tuấn", "Tùng", "Tuyên", "Tuyến", "Tư",
	"Tường", "Uy", "Vinh", "Vĩnh", "Việt", "Vũ", "Vượng", "Xuân", "Yên", "Khiêm",
	"Đàm", "Điền", "Đỉnh", "Hách", "Kháng", "Lai", "Lĩnh", "Mỹ", "Nhã", "Thuyết",
)

var femaleGiven = withWeights(4, []string{"Hương", "Hoa", "Lan", "Hằng", "Trang", "Linh", "Hà", "Thủy", "Nga", "Mai", "Huyền", "Thảo", "Hạnh", "Dung", "Yến"},
	"An", "Anh", "Ánh", "Ái", "Bích", "Bình", "Băng", "Cầm", "Châm", "Chi",
	"Chinh", "Cúc", "Dịu", "Diễm", "Diệp", "Dung", "Duyên", "Đào", "Điệp", "Gấm",
	"Giang", "Hà", "Hạ", "Hải", "Hạnh", "Hảo", "Hằng", "Hân", "Hậu", "Hiền",
	"Hiên", "Hoa", "Hòa", "Hoài", "Hồng", "Hợi", "Huê", "Huế", "Huệ", "Hương",
	"Hường", "Huyền", "Khánh", "Khanh", "Khuê", "Khuyên", "Kiều", "Lam", "Lan", "Lành",
	"Lệ", "Liên", "Liễu", "Linh", "Loan", "Lụa", "Lựu", "Lương", "Ly", "Lý",
	"Mai", "Mận", "Mây", "Mến", "Miên", "Minh", "My", "Mỹ", "Mơ", "Na",
	"Nga", "Ngà", "Ngát", "Ngân", "Ngọc", "Nguyệt", "Nhàn", "Nhài", "Nhạn", "Nhi",
	"Nhung", "Nụ", "Nương", "Oanh", "Phấn", "Phượng", "Phương", "Quế", "Quý", "Quyên",
	"Quỳnh", "Sen", "Sương", "Tâm", "Thái", "Thanh", "Thảo", "Thắm", "Thêu", "Thìn",
	"Thơ", "Thoa", "Thoan", "Thơm", "Thu", "Thục", "Thuận", "Thủy", "Thúy", "Thùy",
	"Thư", "Thương", "Thường", "Tiên", "Tình", "Trà", "Trang", "Trâm", "Trinh", "Trúc",
	"Tú", "Tuệ", "Tuyền", "Tuyết", "Tươi", "Uyên", "Uyển", "Vân", "Vi", "Vinh",
	"Vui", "Vy", "Xoan", "Xuân", "Xuyến", "Yên", "Yến", "Đông", "Dương", "Chung",
)

// withWeights gives weight 1 to every name and w to the common ones.
func withWeights(w int, common []string, names ...string) []wname {
	seen := map[string]int{}
	var out []wname
	for _, n := range names {
		if _, ok := seen[n]; ok {
			continue
		}
		seen[n] = len(out)
		out = append(out, wname{n, 1})
	}
	for _, c := range common {
		if i, ok := seen[c]; ok {
			out[i].w = w
		}
	}
	return out
}

// villages are plausible names of northern villages (thôn). They are
// invented for the demo: only the commune names of Phú Xuyên are real.
var villages = []string{
	"Đồng Vinh", "Văn Lãng", "Mậu Lâm", "Bái Đô", "Trung Lập", "Hoàng Nguyên",
	"Thượng Khê", "Hạ Thái", "Phú Mỹ", "Đông Cứu", "Lưu Xá", "Văn Trai",
	"Đại Nghiệp", "Khả Liễu", "Nhân Vực", "Cổ Trai", "Tân Độ", "Thọ Lão",
	"Gia Phú", "Hòa Khê", "Hòa Mỹ", "Tri Chỉ", "Đình Tràng", "Xuân Lạc",
	"Phú Đôi", "Kim Lân", "Cẩm Bào", "An Mỹ", "An Phú", "An Lạc",
	"Bình Lạng", "Bối Khê", "Cao Xá", "Châu Mỹ", "Cổ Hoàng", "Dũng Vi",
	"Đa Chất", "Đào Xá", "Đồng Lạc", "Đồng Tâm", "Đồng Tiến", "Đông Ngoại",
	"Đông Nội", "Đông Thượng", "Giáp Ba", "Hạ Dương", "Hòa Xá", "Hoàng Xá",
	"Kiều Đông", "Kiều Trung", "Lam Điền", "Lạc Đạo", "Lạc Thị", "Lam Cầu",
	"Liên Bạt", "Lũng Xuyên", "Mai Xá", "Mỹ Lâm", "Mỹ Nội", "Nghĩa Xá",
	"Ngọc Động", "Ngọc Giả", "Nhật Tảo", "Phú Đa", "Phú Lương", "Phúc Lâm",
	"Phượng Vũ", "Quan Châm", "Quang Ích", "Sơn Thị", "Tân Hưng", "Tạ Xá",
	"Thái Lai", "Thanh Lãng", "Thanh Lũng", "Thịnh Đức", "Thượng Thụy", "Tiên Tân",
	"Tràng Cát", "Trung Hòa", "Trung Xá", "Tử Dương", "Văn Nhân", "Văn Minh",
	"Văn Hội", "Văn Tinh", "Vĩnh Ninh", "Vĩnh Thịnh", "Xuân Tình", "Yên Lạc",
	"Yên Mỹ", "Yên Trị", "Đồng Xung", "Đông Lỗ", "Hồng Lĩnh", "Hoàng Đông",
	"Hương Ngải", "Kim Giang", "Nội Am", "Phương Nhị", "Quỳnh Đô", "Từ Vân",
	"Vân Hồ", "Thị Ngõ", "Thượng", "Trung", "Hạ", "Đông", "Đoài",
	"Nam", "Bắc", "Tiền Phong", "Hậu Xá", "Cát Ngòi", "Đống Lở",
	"Chuôm", "Gạo", "Lường", "Mới", "Ngòi", "Quán Gánh",
}

// placeSyllables build invented commune and district names (two syllables).
var placeSyllables = []string{
	"An", "Bình", "Hòa", "Phú", "Tân", "Đông", "Tây", "Nam", "Bắc", "Trung",
	"Hưng", "Long", "Phúc", "Thanh", "Minh", "Quang", "Đức", "Hồng", "Vĩnh", "Lạc",
	"Thái", "Thịnh", "Mỹ", "Lợi", "Hiệp", "Thuận", "Xuân", "Hải", "Sơn", "Lâm",
	"Cường", "Tiến", "Phong", "Châu", "Khánh", "Kim", "Ngọc", "Liên", "Hương", "Đại",
	"Hợp", "Thành", "Nghĩa", "Tín", "Vạn", "Lộc", "Tường", "Định", "Yên", "Văn",
	"Cao", "Đồng", "Hoàng", "Quế", "Tam", "Kiến", "Chính", "Mai", "Dương", "Hà",
	"Giang", "Hoa", "Lĩnh", "Phương", "Quỳnh", "Tràng", "Trường", "Tuy", "Vân", "Việt",
	"Cẩm", "Chí", "Dân", "Diễn", "Đạo", "Hạ", "Thượng", "Hậu", "Khê", "Kỳ",
	"Lương", "Ninh", "Quý", "Tiên", "Thạch", "Bảo", "Gia", "Thiện", "Hội", "Xá",
}

// phuXuyenCommunes are the 27 communes and towns of Phú Xuyên (DOMAIN.md),
// towns first, then communes in the order DOMAIN.md gives.
var phuXuyenCommunes = []struct{ level, name string }{
	{"thị trấn", "Phú Xuyên"}, {"thị trấn", "Phú Minh"},
	{"xã", "Bạch Hạ"}, {"xã", "Châu Can"}, {"xã", "Chuyên Mỹ"}, {"xã", "Đại Thắng"},
	{"xã", "Đại Xuyên"}, {"xã", "Hoàng Long"}, {"xã", "Hồng Minh"}, {"xã", "Hồng Thái"},
	{"xã", "Khai Thái"}, {"xã", "Minh Tân"}, {"xã", "Nam Phong"}, {"xã", "Nam Tiến"},
	{"xã", "Nam Triều"}, {"xã", "Phú Túc"}, {"xã", "Phú Yên"}, {"xã", "Phúc Tiến"},
	{"xã", "Phượng Dực"}, {"xã", "Quang Lãng"}, {"xã", "Quang Trung"}, {"xã", "Sơn Hà"},
	{"xã", "Tân Dân"}, {"xã", "Tri Thủy"}, {"xã", "Tri Trung"}, {"xã", "Văn Hoàng"},
	{"xã", "Vân Từ"},
}

// hanoiDistricts are Hà Nội's 30 district-level units before 2025; Phú
// Xuyên comes first so that its IDs are the same in every scale.
var hanoiDistricts = []struct{ seg, level, name string }{
	{"PX", "huyện", "Phú Xuyên"},
	{"BD", "quận", "Ba Đình"}, {"HK", "quận", "Hoàn Kiếm"}, {"TH", "quận", "Tây Hồ"},
	{"LB", "quận", "Long Biên"}, {"CG", "quận", "Cầu Giấy"}, {"DD", "quận", "Đống Đa"},
	{"HBT", "quận", "Hai Bà Trưng"}, {"HM", "quận", "Hoàng Mai"}, {"TX", "quận", "Thanh Xuân"},
	{"NTL", "quận", "Nam Từ Liêm"}, {"BTL", "quận", "Bắc Từ Liêm"}, {"HDG", "quận", "Hà Đông"},
	{"ST", "thị xã", "Sơn Tây"},
	{"BV", "huyện", "Ba Vì"}, {"CM", "huyện", "Chương Mỹ"}, {"DP", "huyện", "Đan Phượng"},
	{"DA", "huyện", "Đông Anh"}, {"GL", "huyện", "Gia Lâm"}, {"HD", "huyện", "Hoài Đức"},
	{"ML", "huyện", "Mê Linh"}, {"MD", "huyện", "Mỹ Đức"}, {"PT", "huyện", "Phúc Thọ"},
	{"QO", "huyện", "Quốc Oai"}, {"SS", "huyện", "Sóc Sơn"}, {"TT", "huyện", "Thạch Thất"},
	{"TO", "huyện", "Thanh Oai"}, {"TTR", "huyện", "Thanh Trì"}, {"TTI", "huyện", "Thường Tín"},
	{"UH", "huyện", "Ứng Hòa"},
}

// province is one of the 63 provinces before the 2025 merger: its committee
// name, a short ASCII code (used in unit codes and biography numbers), the
// 3-digit code that opens citizen IDs, a rough weight for its share of
// members (population in 100,000s, scaled down in the south where the party
// is thinner) and whether it is a centrally-run city (with urban districts).
type province struct {
	committee, code, cid string
	weight               float64
	city                 bool
}

var provinces = []province{
	{"Thành ủy Hà Nội", "HN", "001", 0, true},
	{"Tỉnh ủy Hà Giang", "HG", "002", 8.5, false},
	{"Tỉnh ủy Cao Bằng", "CB", "004", 5.3, false},
	{"Tỉnh ủy Bắc Kạn", "BK", "006", 3.1, false},
	{"Tỉnh ủy Tuyên Quang", "TQ", "008", 7.8, false},
	{"Tỉnh ủy Lào Cai", "LC", "010", 7.3, false},
	{"Tỉnh ủy Điện Biên", "DB", "011", 6.0, false},
	{"Tỉnh ủy Lai Châu", "LCH", "012", 4.6, false},
	{"Tỉnh ủy Sơn La", "SL", "014", 12.5, false},
	{"Tỉnh ủy Yên Bái", "YB", "015", 8.2, false},
	{"Tỉnh ủy Hòa Bình", "HB", "017", 8.5, false},
	{"Tỉnh ủy Thái Nguyên", "TN", "019", 12.9, false},
	{"Tỉnh ủy Lạng Sơn", "LS", "020", 7.8, false},
	{"Tỉnh ủy Quảng Ninh", "QN", "022", 13.2, false},
	{"Tỉnh ủy Bắc Giang", "BG", "024", 18.0, false},
	{"Tỉnh ủy Phú Thọ", "PT", "025", 14.6, false},
	{"Tỉnh ủy Vĩnh Phúc", "VP", "026", 11.5, false},
	{"Tỉnh ủy Bắc Ninh", "BN", "027", 13.7, false},
	{"Tỉnh ủy Hải Dương", "HD", "030", 18.9, false},
	{"Thành ủy Hải Phòng", "HP", "031", 20.3, true},
	{"Tỉnh ủy Hưng Yên", "HY", "033", 12.5, false},
	{"Tỉnh ủy Thái Bình", "TB", "034", 18.6, false},
	{"Tỉnh ủy Hà Nam", "HNA", "035", 8.5, false},
	{"Tỉnh ủy Nam Định", "ND", "036", 17.8, false},
	{"Tỉnh ủy Ninh Bình", "NB", "037", 9.8, false},
	{"Tỉnh ủy Thanh Hóa", "TH", "038", 36.4, false},
	{"Tỉnh ủy Nghệ An", "NA", "040", 33.3, false},
	{"Tỉnh ủy Hà Tĩnh", "HT", "042", 12.9, false},
	{"Tỉnh ủy Quảng Bình", "QB", "044", 8.9, false},
	{"Tỉnh ủy Quảng Trị", "QT", "045", 6.3, false},
	{"Tỉnh ủy Thừa Thiên Huế", "TTH", "046", 11.3, false},
	{"Thành ủy Đà Nẵng", "DNG", "048", 0.8 * 11.3, true},
	{"Tỉnh ủy Quảng Nam", "QNA", "049", 0.8 * 14.9, false},
	{"Tỉnh ủy Quảng Ngãi", "QNG", "051", 0.8 * 12.3, false},
	{"Tỉnh ủy Bình Định", "BD", "052", 0.8 * 14.9, false},
	{"Tỉnh ủy Phú Yên", "PY", "054", 0.8 * 8.7, false},
	{"Tỉnh ủy Khánh Hòa", "KH", "056", 0.8 * 12.3, false},
	{"Tỉnh ủy Ninh Thuận", "NT", "058", 0.8 * 5.9, false},
	{"Tỉnh ủy Bình Thuận", "BTH", "060", 0.8 * 12.3, false},
	{"Tỉnh ủy Kon Tum", "KT", "062", 0.8 * 5.4, false},
	{"Tỉnh ủy Gia Lai", "GL", "064", 0.8 * 15.1, false},
	{"Tỉnh ủy Đắk Lắk", "DL", "066", 0.8 * 18.7, false},
	{"Tỉnh ủy Đắk Nông", "DNO", "067", 0.8 * 6.2, false},
	{"Tỉnh ủy Lâm Đồng", "LD", "068", 0.8 * 13.0, false},
	{"Tỉnh ủy Bình Phước", "BP", "070", 0.55 * 10.0, false},
	{"Tỉnh ủy Tây Ninh", "TNI", "072", 0.55 * 11.7, false},
	{"Tỉnh ủy Bình Dương", "BDU", "074", 0.55 * 25.6, false},
	{"Tỉnh ủy Đồng Nai", "DN", "075", 0.55 * 31.0, false},
	{"Tỉnh ủy Bà Rịa - Vũng Tàu", "VT", "077", 0.55 * 11.5, false},
	{"Thành ủy Thành phố Hồ Chí Minh", "HCM", "079", 0.55 * 90.0, true},
	{"Tỉnh ủy Long An", "LA", "080", 0.55 * 17.0, false},
	{"Tỉnh ủy Tiền Giang", "TG", "082", 0.55 * 17.6, false},
	{"Tỉnh ủy Bến Tre", "BTR", "083", 0.55 * 12.9, false},
	{"Tỉnh ủy Trà Vinh", "TV", "084", 0.55 * 10.1, false},
	{"Tỉnh ủy Vĩnh Long", "VL", "086", 0.55 * 10.2, false},
	{"Tỉnh ủy Đồng Tháp", "DT", "087", 0.55 * 16.0, false},
	{"Tỉnh ủy An Giang", "AG", "089", 0.55 * 19.1, false},
	{"Tỉnh ủy Kiên Giang", "KG", "091", 0.55 * 17.2, false},
	{"Thành ủy Cần Thơ", "CT", "092", 0.55 * 12.4, true},
	{"Tỉnh ủy Hậu Giang", "HGI", "093", 0.55 * 7.3, false},
	{"Tỉnh ủy Sóc Trăng", "ST", "094", 0.55 * 12.0, false},
	{"Tỉnh ủy Bạc Liêu", "BL", "095", 0.55 * 9.1, false},
	{"Tỉnh ủy Cà Mau", "CM", "096", 0.55 * 11.9, false},
}

// phonePrefixes are mobile prefixes (Viettel, VinaPhone, MobiFone).
var phonePrefixes = [10]string{"090", "091", "093", "094", "096", "097", "098", "035", "036", "038"}
