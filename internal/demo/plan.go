package demo

import (
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/org"
)

// A district is planned in memory (a few hundred units with their sizes)
// before it is streamed; members are never planned, only counted.

type node struct {
	kind  org.Kind
	ct    org.CellType
	name  string
	seg   string // last segment of the code
	from  int32  // ValidFrom, in days
	size  int    // members, cells only
	resid bool   // residential cell whose size may be adjusted
	tag   uint8
	kids  []*node
}

const (
	tagNone uint8 = iota
	tagPhuTuc
	tagPhuTucCell // the Phú Túc cell that gets the bithu/dangvien accounts
)

func (n *node) members() int {
	s := n.size
	for _, k := range n.kids {
		s += k.members()
	}
	return s
}

// cellSpec is a cell template; {L} is the level word (huyện, quận, thị xã),
// {C} the committee word (Huyện ủy...), {N} the district name.
type cellSpec struct {
	name   string
	ct     org.CellType
	lo, hi int
	rural  bool // only in rural districts (huyện, thị xã)
}

type committeeSpec struct {
	seg, name string
	rural     bool
	subs      []subSpec
	cells     []cellSpec
}

type subSpec struct {
	name  string
	cells []cellSpec
}

var districtCommittees = []committeeSpec{
	{seg: "CQ", name: "Đảng bộ Cơ quan {C}", cells: []cellSpec{
		{"Chi bộ Văn phòng {C}", "agency", 8, 16, false},
		{"Chi bộ Ban Tổ chức {C}", "agency", 5, 10, false},
		{"Chi bộ Ủy ban Kiểm tra {C}", "agency", 5, 9, false},
		{"Chi bộ Ban Tuyên giáo {C}", "agency", 5, 9, false},
		{"Chi bộ Ban Dân vận {C}", "agency", 5, 9, false},
		{"Chi bộ Trung tâm Chính trị {L}", "public_service", 5, 10, false},
	}},
	{seg: "UB", name: "Đảng bộ Cơ quan Ủy ban nhân dân {L}", cells: []cellSpec{
		{"Chi bộ Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {L}", "agency", 8, 16, false},
		{"Chi bộ Phòng Tài chính - Kế hoạch", "agency", 6, 12, false},
		{"Chi bộ Phòng Nội vụ", "agency", 5, 10, false},
		{"Chi bộ Phòng Tài nguyên và Môi trường", "agency", 5, 12, false},
		{"Chi bộ Phòng Kinh tế", "agency", 5, 12, false},
		{"Chi bộ Phòng Quản lý đô thị", "agency", 5, 12, false},
		{"Chi bộ Phòng Giáo dục và Đào tạo", "agency", 6, 14, false},
		{"Chi bộ Phòng Lao động - Thương binh và Xã hội", "agency", 5, 10, false},
		{"Chi bộ Phòng Văn hóa và Thông tin", "agency", 5, 9, false},
		{"Chi bộ Thanh tra {L}", "agency", 5, 9, false},
		{"Chi bộ Phòng Tư pháp", "agency", 5, 8, false},
		{"Chi bộ Phòng Y tế", "agency", 5, 8, false},
	}},
	{seg: "QS", name: "Đảng bộ Quân sự {L}", cells: []cellSpec{
		{"Chi bộ Chỉ huy", "military", 8, 14, false},
		{"Chi bộ Tham mưu", "military", 10, 18, false},
		{"Chi bộ Chính trị - Hậu cần - Kỹ thuật", "military", 10, 18, false},
	}},
	{seg: "CA", name: "Đảng bộ Công an {L}", subs: []subSpec{
		{"Đảng bộ bộ phận Cảnh sát", []cellSpec{
			{"Chi bộ Đội Cảnh sát hình sự", "police", 10, 20, false},
			{"Chi bộ Đội Cảnh sát giao thông - trật tự", "police", 10, 22, false},
			{"Chi bộ Đội Cảnh sát kinh tế - môi trường", "police", 8, 15, false},
			{"Chi bộ Đội Cảnh sát quản lý hành chính về trật tự xã hội", "police", 8, 18, false},
		}},
		{"Đảng bộ bộ phận An ninh", []cellSpec{
			{"Chi bộ Đội An ninh - Chính trị nội bộ", "police", 8, 16, false},
			{"Chi bộ Đội An ninh kinh tế - văn hóa", "police", 6, 12, false},
		}},
	}, cells: []cellSpec{
		{"Chi bộ Đội Tham mưu - Tổng hợp", "police", 8, 16, false},
		{"Chi bộ Đội Điều tra tổng hợp", "police", 8, 15, false},
		{"Chi bộ Đội Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ", "police", 6, 14, false},
		{"Chi bộ Đội Cảnh sát thi hành án hình sự và hỗ trợ tư pháp", "police", 6, 12, false},
	}},
	{seg: "BV", name: "Đảng bộ Bệnh viện đa khoa {L} {N}", rural: true, cells: []cellSpec{
		{"Chi bộ Khối Hành chính", "public_service", 6, 14, false},
		{"Chi bộ Khối Nội", "public_service", 10, 22, false},
		{"Chi bộ Khối Ngoại", "public_service", 10, 22, false},
		{"Chi bộ Khối Sản - Nhi", "public_service", 8, 18, false},
		{"Chi bộ Khối Cận lâm sàng", "public_service", 8, 16, false},
	}},
}

// districtCells are the cells directly under a district committee (chi bộ
// cơ sở), after the upper-secondary schools.
var districtCells = []cellSpec{
	{"Chi bộ Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên {L} {N}", "school", 8, 14, false},
	{"Chi bộ Viện Kiểm sát nhân dân {L}", "agency", 10, 20, false},
	{"Chi bộ Tòa án nhân dân {L}", "agency", 8, 18, false},
	{"Chi bộ Chi cục Thi hành án dân sự {L}", "agency", 8, 15, false},
	{"Chi bộ Chi cục Thuế {L}", "agency", 15, 28, false},
	{"Chi bộ Kho bạc Nhà nước {L}", "agency", 8, 15, false},
	{"Chi bộ Chi cục Thống kê {L}", "agency", 5, 9, false},
	{"Chi bộ Bảo hiểm xã hội {L}", "agency", 8, 16, false},
	{"Chi bộ Cơ quan Ủy ban Mặt trận Tổ quốc và các đoàn thể {L}", "agency", 10, 20, false},
	{"Chi bộ Trung tâm Y tế {L}", "public_service", 12, 25, false},
	{"Chi bộ Trung tâm Văn hóa - Thông tin và Thể thao {L}", "public_service", 6, 14, false},
	{"Chi bộ Ban Quản lý dự án đầu tư xây dựng {L}", "public_service", 6, 14, false},
	{"Chi bộ Trung tâm Phát triển quỹ đất {L}", "public_service", 5, 10, false},
	{"Chi bộ Hạt Quản lý đê {N}", "public_service", 5, 10, true},
	{"Chi bộ Trung tâm Dịch vụ nông nghiệp {L}", "public_service", 5, 10, true},
	{"Chi bộ Ngân hàng Nông nghiệp chi nhánh {N}", "enterprise", 10, 25, false},
	{"Chi bộ Phòng giao dịch Ngân hàng Chính sách xã hội {L}", "enterprise", 6, 12, false},
	{"Chi bộ Bưu điện {L} {N}", "enterprise", 6, 14, false},
	{"Chi bộ Điện lực {N}", "enterprise", 10, 22, false},
	{"Chi bộ Trung tâm Viễn thông {N}", "enterprise", 6, 12, false},
	{"Chi bộ Xí nghiệp Thủy lợi {N}", "enterprise", 8, 18, true},
	{"Chi bộ Công ty cổ phần Môi trường đô thị {N}", "enterprise", 8, 16, false},
}

// distSpec describes a district before it is planned.
type distSpec struct {
	seg, level, name string // level: huyện, quận, thị xã
	target           int    // members
	thpt             []string
	communes         []communeSpec
	repl             *strings.Replacer
}

type communeSpec struct {
	level, name    string // level: xã, thị trấn, phường
	target         int
	credit, police bool
	nres           int // residential cells; 0 = chosen from the target
	tag            uint8
}

func committeeWord(level string) string {
	switch level {
	case "quận":
		return "Quận ủy"
	case "thị xã":
		return "Thị ủy"
	}
	return "Huyện ủy"
}

func expand(s string, d *distSpec) string {
	if !strings.Contains(s, "{") {
		return s
	}
	if d.repl == nil {
		d.repl = strings.NewReplacer("{L}", d.level, "{C}", committeeWord(d.level), "{N}", d.name)
	}
	return d.repl.Replace(s)
}

// Founding-year ranges for cells by type.
var cellYears = map[org.CellType][2]int{
	"rural": {1948, 1960}, "urban": {1950, 1965}, "school": {1960, 1995},
	"agency": {1960, 1990}, "public_service": {1965, 2000}, "enterprise": {1975, 2005},
	"military": {1960, 1985}, "police": {1962, 1990},
}

func (g *gen) cell(name string, ct org.CellType, lo, hi int, parentFrom int32) *node {
	y := cellYears[ct]
	return &node{kind: org.KindCell, ct: ct, name: name, size: g.r.between(lo, hi),
		from: g.founded(parentFrom, y[0], y[1])}
}

// founded draws a founding day between years y0 and y1, but a month to a
// few years after the parent's.
func (g *gen) founded(parent int32, y0, y1 int) int32 {
	return max(parent+30+int32(g.r.intn(4*365)), g.r.yearsIn(y0, y1))
}

// numberCells gives the children of n their code segments: C01... for
// cells, B01... for sub-committees.
func numberCells(n *node) {
	c, b := 0, 0
	for _, k := range n.kids {
		switch k.kind {
		case org.KindCell:
			c++
			k.seg = "C" + pad2(c)
		case org.KindSubCommittee:
			b++
			k.seg = "B" + pad2(b)
		}
	}
}

func pad2(i int) string {
	if i < 10 {
		return "0" + strconv.Itoa(i)
	}
	return strconv.Itoa(i)
}

// planDistrict builds the whole tree of one district. Organisations other
// than communes are drawn first; the communes share what is left of the
// target, and each commune adjusts its residential cells to its share, so
// the district has exactly spec.target members.
//
// long: it stays one function on purpose, for the reason given at member: it is
// a sequence of draws from one random stream (founding years, cell sizes,
// the communes' weights), and the order of the draws is the demo
// district; split into steps, a reordering would silently change it.
func (g *gen) planDistrict(s *distSpec, from int32) *node {
	d := &node{kind: org.KindDistrict, name: committeeWord(s.level) + " " + s.name, seg: s.seg, from: from}
	urbanDistrict := s.level == "quận"
	used := map[string]bool{}

	var others []*node
	for _, cs := range districtCommittees {
		if cs.rural && urbanDistrict {
			continue
		}
		c := &node{kind: org.KindGrassroots, name: expand(cs.name, s), seg: cs.seg,
			from: g.founded(from, 1960, 1990)}
		for _, ss := range cs.subs {
			sub := &node{kind: org.KindSubCommittee, name: ss.name, from: g.founded(c.from, 1975, 2000)}
			for _, t := range ss.cells {
				sub.kids = append(sub.kids, g.cell(expand(t.name, s), t.ct, t.lo, t.hi, sub.from))
			}
			numberCells(sub)
			c.kids = append(c.kids, sub)
		}
		for _, t := range cs.cells {
			c.kids = append(c.kids, g.cell(expand(t.name, s), t.ct, t.lo, t.hi, c.from))
		}
		numberCells(c)
		used[c.seg] = true
		others = append(others, c)
	}
	var direct []*node
	for _, t := range s.thpt {
		direct = append(direct, g.cell("Chi bộ Trường THPT "+t, "school", 12, 25, from))
	}
	for _, t := range districtCells {
		if t.rural && urbanDistrict {
			continue
		}
		direct = append(direct, g.cell(expand(t.name, s), t.ct, t.lo, t.hi, from))
	}

	rest := s.target
	for _, o := range others {
		rest -= o.members()
	}
	for _, o := range direct {
		rest -= o.members()
	}
	// Share the rest between communes: fixed targets first, the others by
	// random weights, rounded so the shares add up exactly.
	var free []int
	weights := make([]float64, len(s.communes))
	total := 0.0
	for i := range s.communes {
		if s.communes[i].target > 0 {
			rest -= s.communes[i].target
			continue
		}
		free = append(free, i)
		weights[i] = 0.8 + 0.4*g.r.float()
		if s.communes[i].level != "xã" {
			weights[i] *= 1.15
		}
		total += weights[i]
	}
	given := 0
	for _, i := range free {
		s.communes[i].target = int(float64(rest) * weights[i] / total)
		given += s.communes[i].target
	}
	for k := 0; given < rest; k++ {
		s.communes[free[k%len(free)]].target++
		given++
	}

	for i := range s.communes {
		c := g.planCommune(&s.communes[i], from)
		seg := foldUpper(s.communes[i].name)
		for n := 2; used[seg]; n++ {
			seg = foldUpper(s.communes[i].name) + strconv.Itoa(n)
		}
		used[seg] = true
		c.seg = seg
		d.kids = append(d.kids, c)
	}
	d.kids = append(d.kids, others...)
	d.kids = append(d.kids, direct...)
	numberCells(d)
	return d
}

// planCommune plans a commune, town or ward committee with exactly
// c.target members.
func (g *gen) planCommune(c *communeSpec, parentFrom int32) *node {
	n := &node{kind: org.KindGrassroots, name: "Đảng bộ " + c.level + " " + c.name, tag: c.tag,
		from: g.founded(parentFrom, 1946, 1956)}
	place := c.level + " " + c.name
	var non []*node
	add := func(name string, ct org.CellType, lo, hi int) {
		non = append(non, g.cell(name, ct, lo, hi, n.from))
	}
	add("Chi bộ Cơ quan "+place, "agency", 12, 28)
	add("Chi bộ Trạm Y tế "+place, "public_service", 4, 8)
	if c.credit {
		add("Chi bộ Quỹ tín dụng nhân dân "+c.name, "enterprise", 5, 10)
	}
	add("Chi bộ Trường Mầm non "+c.name, "school", 8, 18)
	add("Chi bộ Trường Tiểu học "+c.name, "school", 10, 22)
	add("Chi bộ Trường THCS "+c.name, "school", 12, 25)
	add("Chi bộ Quân sự "+place, "military", 5, 12)
	if c.police {
		add("Chi bộ Công an "+place, "police", 6, 15)
	}
	res := c.target
	for _, x := range non {
		res -= x.size
	}

	ct, lo, hi, avg := org.CellType("rural"), 20, 60, 32
	if c.level != "xã" {
		ct, lo, hi, avg = "urban", 15, 50, 28
	}
	r := c.nres
	if r == 0 {
		r = max(1, (res+avg/2)/avg)
		r = max(r, (res+hi-1)/hi)
		r = min(r, max(1, res/lo))
	}
	var names []string
	if ct == "rural" {
		perm := g.r.perm(len(villages))
		for i := 0; i < r; i++ {
			if i < len(perm) {
				names = append(names, "Chi bộ thôn "+villages[perm[i]])
			} else {
				names = append(names, "Chi bộ thôn số "+strconv.Itoa(i+1))
			}
		}
	} else {
		for i := 0; i < r; i++ {
			names = append(names, "Chi bộ Tổ dân phố số "+strconv.Itoa(i+1))
		}
	}
	sizes := make([]int, r)
	for i := range sizes {
		sizes[i] = g.r.between(lo, hi)
	}
	g.r.fit(sizes, res, lo, hi)
	for i := range sizes {
		x := g.cell(names[i], ct, lo, hi, n.from)
		x.size = sizes[i]
		x.resid = true
		n.kids = append(n.kids, x)
	}
	if c.tag == tagPhuTuc {
		n.kids[0].tag = tagPhuTucCell
	}
	n.kids = append(n.kids, non...)
	numberCells(n)
	return n
}

// perm returns a random permutation of [0, n).
func (r rng) perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		j := r.intn(i + 1)
		p[i] = p[j]
		p[j] = i
	}
	return p
}

// fit adjusts sizes (each kept within [lo, hi] when possible) so that they
// add up to target: first proportionally, then one member at a time. Every
// size stays at least 1, so a target below len(sizes) is not reached.
func (r rng) fit(sizes []int, target, lo, hi int) {
	if len(sizes) == 0 {
		return
	}
	n := len(sizes)
	target = max(target, n)
	if target < n*lo {
		lo = max(1, target/n)
	}
	if target > n*hi {
		hi = (target + n - 1) / n
	}
	if orig := sumOf(sizes); orig > 0 {
		for i, s := range sizes {
			sizes[i] = min(hi, max(lo, (s*target+orig/2)/orig))
		}
	}
	sum := sumOf(sizes)
	for sum != target {
		i := r.intn(n)
		switch {
		case sum < target && sizes[i] < hi:
			sizes[i]++
			sum++
		case sum > target && sizes[i] > lo:
			sizes[i]--
			sum--
		}
	}
}

func sumOf(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}
