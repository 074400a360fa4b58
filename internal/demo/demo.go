// Package demo generates realistic, deterministic demo data for Sổ tay: the
// party organisation tree and its members, streamed to a Sink so that even
// the national dataset (5.6 million members) never sits in memory.
//
// Scales:
//
//   - "district" (default; what `sotay serve --demo` loads): Thành ủy Hà Nội
//     with one district under it, Huyện ủy Phú Xuyên as described in
//     DOMAIN.md: 58 organisations directly under the district (the 27
//     communes and towns, 5 grassroots committees of agencies, armed forces
//     and the hospital, 26 grassroots cells), exactly 9,700 members, Phú Túc
//     with 15 cells and exactly 307 members.
//   - "city": Thành ủy Hà Nội with its 30 district-level units before 2025
//     (Phú Xuyên first, the others with invented commune names), exactly
//     500,000 members.
//   - "nation": the 63 provinces before 2025, exactly 5,600,000 members.
//     There is no national unit kind, so each provincial committee is a root
//     (ParentID nil); the first root is Thành ủy Hà Nội, identical to the
//     "city" scale. Summary.RootID is Hà Nội's ID.
//
// Phú Xuyên is always generated first, from its own random stream, so for a
// given seed it is identical in all three scales, IDs included: the same
// commune can be benchmarked on the three datasets.
//
// Formats: card_no is 8 digits (a permutation of the member ID, so unique);
// biography_no is 6 digits followed by the province code, e.g. "048213HN"
// (unique per province); citizen_id is the province's 3-digit code, a
// gender/century digit (0 male and 1 female born 1900–1999, 2 and 3 born
// from 2000), the 2-digit birth year and 6 digits (unique); phone numbers are
// unique 10-digit mobile numbers.
//
// Dates are relative to 1 November 2026. Members are born 1935–2004 and
// admitted from age 18 (and not before 1960, nor before their cell was
// founded) until 1 June 2026; about 10% were admitted more than 50 years ago,
// as real residential cells have many such veterans. Full members became
// full exactly one year after admission. About 4% are probationary, admitted
// from May 2025, a quarter of them before November 2025 and so due for full
// membership; about 8% are exempt (almost all aged 70 or over); a few dozen
// per 10,000 are deceased, struck off, expelled or transferred out.
//
// Unit codes are the parent's code plus a segment: the province code (HN),
// a district abbreviation (PX), the folded commune name (PHUTUC), CQ, UB,
// QS, CA, BV for the district's own committees, Cnn for cells and Bnn for
// sub-committees. They are unique by construction.
package demo

import (
	"errors"
	"strconv"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// Sink receives the generated data. Unit is called parents before
// children; Member is called after the unit of the member. The pointers are
// fresh for every call: the sink may keep them.
type Sink interface {
	Unit(u *org.Unit) error
	Member(m *member.Member) error
}

// Account is a login the demo creates, with its role on one unit.
type Account struct {
	Username string
	Role     auth.Role
	UnitID   int64
	MemberID int64
	// Description says in Vietnamese, in one line, what the account may do.
	Description string
}

// Options choose the dataset.
type Options struct {
	Scale string // "district" (default), "city", "nation"
	Seed  int64  // default 1
}

// Scales.
const (
	ScaleDistrict = "district"
	ScaleCity     = "city"
	ScaleNation   = "nation"
)

// Targets of the scales, in members.
const (
	phuXuyenMembers = 9700
	phuTucMembers   = 307
	hanoiMembers    = 500_000
	nationMembers   = 5_600_000
)

// Summary reports what was generated.
type Summary struct {
	Units, Members int
	Accounts       []Account
	// RootID is Thành ủy Hà Nội; DistrictID is Huyện ủy Phú Xuyên.
	RootID, DistrictID int64
}

// Generate streams the dataset of opts to sink. The same options always
// produce the same data.
func Generate(opts Options, sink Sink) (Summary, error) {
	if sink == nil {
		return Summary{}, errors.New("demo: nil sink")
	}
	scale := opts.Scale
	if scale == "" {
		scale = ScaleDistrict
	}
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	g := newGen(uint64(seed), sink)
	var err error
	switch scale {
	case ScaleDistrict:
		err = g.hanoi(false)
	case ScaleCity:
		err = g.hanoi(true)
	case ScaleNation:
		err = g.nation()
	default:
		return Summary{}, errors.New("demo: unknown scale " + strconv.Quote(scale) + " (want district, city or nation)")
	}
	if err != nil {
		return g.sum, err
	}
	g.accounts()
	return g.sum, nil
}

type gen struct {
	sink Sink
	seed uint64
	r    rng // stream of the district being generated
	sum  Summary

	unitID, memberID int64
	prov             provState
	buf              []byte
	ofs              [batch][7]int
	keyCard          uint64
	keyPhone         uint64

	// Ids the accounts point at.
	phuTucID, cellID, secretaryID, ordinaryID int64
	cellName                                  string
}

// provState numbers biography numbers and citizen IDs within a province.
type provState struct {
	idx  int
	code string // letters, e.g. HN
	cid  string // citizen-ID prefix, e.g. 001
	bio  uint64
	cids [400]uint32 // by gender-century digit × 100 + 2-digit year
}

func newGen(seed uint64, sink Sink) *gen {
	return &gen{sink: sink, seed: seed, buf: make([]byte, 0, 128*batch),
		keyCard: mix(seed ^ 0x5ca7d0), keyPhone: mix(seed ^ 0xf0e)}
}

func (g *gen) setProvince(i int) {
	g.prov = provState{idx: i, code: provinces[i].code, cid: provinces[i].cid}
}

func provStream(pi int) uint64     { return uint64(pi)<<32 | 0xffffffff }
func distStream(pi, di int) uint64 { return uint64(pi)<<32 | uint64(di) }

// unit emits one unit.
func (g *gen) unit(kind org.Kind, ct org.CellType, name, seg string, from int32, parent *org.Unit, children int) (*org.Unit, error) {
	g.unitID++
	id := strconv.FormatInt(g.unitID, 10)
	u := &org.Unit{ID: g.unitID, Kind: kind, CellType: ct, Name: name, Version: 1,
		ValidFrom: toDate(from), Children: children}
	if parent == nil {
		u.Code, u.Path = seg, "/"+id+"/"
	} else {
		pid := parent.ID
		u.ParentID = &pid
		u.Code, u.Path, u.Depth = parent.Code+"."+seg, parent.Path+id+"/", parent.Depth+1
	}
	g.sum.Units++
	return u, g.sink.Unit(u)
}

// emit streams a planned subtree: each unit, then its members, then its
// children.
func (g *gen) emit(n *node, parent *org.Unit) error {
	u, err := g.unit(n.kind, n.ct, n.name, n.seg, n.from, parent, len(n.kids))
	if err != nil {
		return err
	}
	if n.tag == tagPhuTuc {
		g.phuTucID = u.ID
	}
	if n.kind == org.KindCell {
		if err := g.cellMembers(n, u); err != nil {
			return err
		}
	}
	for _, k := range n.kids {
		if err := g.emit(k, u); err != nil {
			return err
		}
	}
	return nil
}

const batch = 64

// Positions in a cell.
const (
	posSecretary = "Bí thư chi bộ"
	posDeputy    = "Phó Bí thư chi bộ"
	posCommittee = "Chi ủy viên"
)

func (g *gen) cellMembers(n *node, u *org.Unit) error {
	p := profileOf(n.ct)
	// A cell elects a committee (chi ủy) from 9 members up: 3 members
	// below 30, 5 from 30 (secretary and deputy included).
	committee := 0
	switch {
	case n.size >= 30:
		committee = 3
	case n.size >= 9:
		committee = 1
	}
	if n.tag == tagPhuTucCell {
		g.cellID, g.cellName = u.ID, u.Name
	}
	// Members are drawn in batches that share one allocation for the
	// structs and one for the strings.
	for start := 0; start < n.size; start += batch {
		ms := make([]member.Member, min(batch, n.size-start))
		g.buf = g.buf[:0]
		for j := range ms {
			pos := ""
			switch i := start + j; {
			case i == 0:
				pos = posSecretary
			case i == 1:
				pos = posDeputy
			case i < 2+committee:
				pos = posCommittee
			}
			g.member(&ms[j], u, p, n.from, pos, &g.ofs[j])
		}
		s := string(g.buf)
		for j := range ms {
			m := &ms[j]
			setStrings(m, s, &g.ofs[j])
			if n.tag == tagPhuTucCell {
				if m.Position == posSecretary {
					g.secretaryID = m.ID
				} else if m.Position == "" && m.Status == member.StatusFull && g.ordinaryID == 0 {
					g.ordinaryID = m.ID
				}
			}
			g.sum.Members++
			if err := g.sink.Member(m); err != nil {
				return err
			}
		}
	}
	return nil
}

// hanoi generates Thành ủy Hà Nội: Phú Xuyên only, or (all) its 30
// district-level units with 500,000 members.
func (g *gen) hanoi(all bool) error {
	g.setProvince(0)
	pr := newRNG(g.seed, provStream(0))
	n := 1
	if all {
		n = len(hanoiDistricts)
	}
	root, err := g.unit(org.KindProvince, "", provinces[0].committee, provinces[0].code, daysFrom(1930, 3, 17), nil, n)
	if err != nil {
		return err
	}
	g.sum.RootID = root.ID
	targets := []int{phuXuyenMembers}
	if all {
		targets = append(targets, shares(pr, hanoiMembers-phuXuyenMembers, n-1, 0.7, 0.6)...)
	}
	for i := 0; i < n; i++ {
		d := hanoiDistricts[i]
		g.r = newRNG(g.seed, distStream(0, i))
		from := max(daysFrom(1930, 3, 17), g.r.yearsIn(1945, 1950))
		var spec *distSpec
		if i == 0 {
			spec = phuXuyenSpec(g.r)
			g.sum.DistrictID = g.unitID + 1
		} else {
			spec = g.genericSpec(d.seg, d.level, d.name, targets[i])
		}
		if err := g.emit(g.planDistrict(spec, from), root); err != nil {
			return err
		}
	}
	return nil
}

// nation generates Hà Nội as in the city scale, then the 62 other provinces.
func (g *gen) nation() error {
	if err := g.hanoi(true); err != nil {
		return err
	}
	w := make([]float64, len(provinces)-1)
	for i := range w {
		w[i] = provinces[i+1].weight
	}
	targets := weighted(nationMembers-hanoiMembers, w)
	for pi := 1; pi < len(provinces); pi++ {
		if err := g.province(pi, targets[pi-1]); err != nil {
			return err
		}
	}
	return nil
}

// province generates one province other than Hà Nội with target members,
// in districts of about 14,000 members with invented names.
func (g *gen) province(pi, target int) error {
	p := provinces[pi]
	g.setProvince(pi)
	pr := newRNG(g.seed, provStream(pi))
	n := min(30, max(5, (target+7000)/14000))
	rootFrom := pr.yearsIn(1930, 1950)
	root, err := g.unit(org.KindProvince, "", p.committee, p.code, rootFrom, nil, n)
	if err != nil {
		return err
	}
	targets := shares(pr, target, n, 0.75, 0.5)
	names := newNamer(pr)
	for di := 0; di < n; di++ {
		level := "huyện"
		switch {
		case p.city && pr.chance(0.4):
			level = "quận"
		case !p.city && pr.chance(0.1):
			level = "thị xã"
		}
		name, seg := names.next()
		g.r = newRNG(g.seed, distStream(pi, di))
		from := max(rootFrom, g.r.yearsIn(1945, 1955))
		spec := g.genericSpec(seg, level, name, targets[di])
		if err := g.emit(g.planDistrict(spec, from), root); err != nil {
			return err
		}
	}
	return nil
}

// shares splits total into n random shares, each weighted in [lo, lo+spread).
func shares(r rng, total, n int, lo, spread float64) []int {
	w := make([]float64, n)
	for i := range w {
		w[i] = lo + spread*r.float()
	}
	return weighted(total, w)
}

// weighted splits total in proportion to w; the parts add up to total.
func weighted(total int, w []float64) []int {
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	out := make([]int, len(w))
	given := 0
	for i, x := range w {
		out[i] = int(float64(total) * x / sum)
		given += out[i]
	}
	for i := 0; given < total; i++ {
		out[i%len(out)]++
		given++
	}
	return out
}

// namer invents distinct two-syllable place names; seg is the folded name,
// distinct too.
type namer struct {
	r    rng
	used map[string]bool
}

func newNamer(r rng) *namer { return &namer{r: r, used: map[string]bool{}} }

func (n *namer) next() (name, seg string) {
	for {
		i := n.r.intn(len(placeSyllables))
		j := n.r.intn(len(placeSyllables))
		if i == j {
			continue
		}
		name = placeSyllables[i] + " " + placeSyllables[j]
		seg = foldUpper(name)
		if !n.used[seg] {
			n.used[seg] = true
			return name, seg
		}
	}
}

// phuXuyenSpec is the demo district of DOMAIN.md.
func phuXuyenSpec(r rng) *distSpec {
	s := &distSpec{seg: "PX", level: "huyện", name: "Phú Xuyên", target: phuXuyenMembers,
		thpt: []string{"Phú Xuyên A", "Phú Xuyên B", "Đồng Quan", "Tân Dân"}}
	for _, c := range phuXuyenCommunes {
		cs := communeSpec{level: c.level, name: c.name, credit: r.chance(0.4), police: r.chance(0.5)}
		switch c.name {
		case "Phú Túc": // DOMAIN.md: 307 members, 15 cells (8 rural, 1 agency, 1 health station, 1 credit fund, 3 schools, 1 military)
			cs.target, cs.credit, cs.police, cs.nres, cs.tag = phuTucMembers, true, false, 8, tagPhuTuc
		case "Phú Xuyên":
			cs.police = true
		}
		s.communes = append(s.communes, cs)
	}
	return s
}

// genericSpec invents the communes of a district with target members.
func (g *gen) genericSpec(seg, level, name string, target int) *distSpec {
	s := &distSpec{seg: seg, level: level, name: name, target: target,
		thpt: []string{name + " A", name + " B"}}
	avg := 480
	if level == "quận" {
		avg = 600
	}
	n := min(40, max(5, (target-1100+avg/2)/avg))
	names := newNamer(g.r)
	names.used[foldUpper(name)] = true
	towns := 1
	switch {
	case level == "quận":
		towns = n
	case level == "thị xã":
		towns = n / 2
	case n > 20:
		towns = 2
	}
	for i := 0; i < n; i++ {
		cn, _ := names.next()
		c := communeSpec{level: "xã", name: cn, credit: g.r.chance(0.4), police: g.r.chance(0.6)}
		if i < towns {
			c.level = "thị trấn"
			if level != "huyện" {
				c.level = "phường"
				c.credit, c.police = g.r.chance(0.1), g.r.chance(0.9)
			}
		}
		s.communes = append(s.communes, c)
	}
	for i := 0; i < min(len(s.communes), target/6000); i++ {
		s.thpt = append(s.thpt, s.communes[len(s.communes)-1-i].name)
	}
	return s
}

// accounts lists the demo logins. An Account holds one unit: in the nation
// scale admin is on Thành ủy Hà Nội only (the system actor reaches all).
func (g *gen) accounts() {
	g.sum.Accounts = []Account{
		{Username: "admin", Role: auth.RoleAdmin, UnitID: g.sum.RootID,
			Description: "Quản trị hệ thống: toàn quyền trên Thành ủy Hà Nội và mọi đơn vị trực thuộc, kể cả tài khoản và phân quyền."},
		{Username: "vanphong", Role: auth.RoleOffice, UnitID: g.sum.DistrictID,
			Description: "Văn phòng Huyện ủy Phú Xuyên: quản lý tổ chức, hồ sơ đảng viên và tài khoản trong toàn huyện."},
		{Username: "btv", Role: auth.RoleStandingCommittee, UnitID: g.sum.DistrictID,
			Description: "Ban Thường vụ Huyện ủy Phú Xuyên: xem hồ sơ đảng viên, báo cáo và theo dõi công việc trong toàn huyện, không sửa hồ sơ."},
		{Username: "danguy.phutuc", Role: auth.RoleCommittee, UnitID: g.phuTucID,
			Description: "Đảng ủy xã Phú Túc: xem và cập nhật hồ sơ đảng viên của 15 chi bộ trong xã."},
		{Username: "bithu.phutuc", Role: auth.RoleCellOfficer, UnitID: g.cellID, MemberID: g.secretaryID,
			Description: "Bí thư " + lowerFirst(g.cellName) + " (xã Phú Túc): quản lý hồ sơ đảng viên và sinh hoạt của chi bộ mình."},
		{Username: "dangvien", Role: auth.RoleMember, UnitID: g.cellID, MemberID: g.ordinaryID,
			Description: "Đảng viên " + lowerFirst(g.cellName) + ": xem hồ sơ của mình, tài liệu, tin tức và lịch sinh hoạt của chi bộ."},
	}
}

// lowerFirst turns "Chi bộ thôn X" into "chi bộ thôn X".
func lowerFirst(s string) string {
	if len(s) > 0 && s[0] >= 'A' && s[0] <= 'Z' {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}
