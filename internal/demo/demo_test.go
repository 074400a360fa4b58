package demo

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// collect keeps everything and checks the streaming order as it goes.
type collect struct {
	units   []*org.Unit
	members []*member.Member
	byID    map[int64]*org.Unit
	order   []string // errors in the call order
}

func (c *collect) Unit(u *org.Unit) error {
	if c.byID == nil {
		c.byID = map[int64]*org.Unit{}
	}
	if u.ParentID != nil && c.byID[*u.ParentID] == nil {
		c.order = append(c.order, fmt.Sprintf("unit %d before its parent %d", u.ID, *u.ParentID))
	}
	c.byID[u.ID] = u
	c.units = append(c.units, u)
	return nil
}

func (c *collect) Member(m *member.Member) error {
	if c.byID[m.UnitID] == nil {
		c.order = append(c.order, fmt.Sprintf("member %d before its unit %d", m.ID, m.UnitID))
	}
	c.members = append(c.members, m)
	return nil
}

var (
	districtOnce sync.Once
	districtData *collect
	districtSum  Summary
	districtErr  error
)

// district generates the default dataset once for all tests.
func district(t *testing.T) (*collect, Summary) {
	t.Helper()
	districtOnce.Do(func() {
		districtData = &collect{}
		districtSum, districtErr = Generate(Options{}, districtData)
	})
	if districtErr != nil {
		t.Fatalf("Generate: %v", districtErr)
	}
	return districtData, districtSum
}

func (c *collect) children(id int64) []*org.Unit {
	var out []*org.Unit
	for _, u := range c.units {
		if u.ParentID != nil && *u.ParentID == id {
			out = append(out, u)
		}
	}
	return out
}

func (c *collect) unitByName(name string) *org.Unit {
	for _, u := range c.units {
		if u.Name == name {
			return u
		}
	}
	return nil
}

// subtreeMembers counts members in the subtree of u.
func (c *collect) subtreeMembers(u *org.Unit) int {
	n := 0
	for _, m := range c.members {
		if strings.HasPrefix(c.byID[m.UnitID].Path, u.Path) {
			n++
		}
	}
	return n
}

func TestDistrictStructure(t *testing.T) {
	c, sum := district(t)
	if len(c.order) > 0 {
		t.Fatalf("streaming order: %v", c.order[:min(5, len(c.order))])
	}
	if got, want := sum.Units, len(c.units); got != want {
		t.Errorf("Summary.Units = %d, want %d", got, want)
	}
	if got, want := sum.Members, len(c.members); got != want {
		t.Errorf("Summary.Members = %d, want %d", got, want)
	}
	root := c.byID[sum.RootID]
	dist := c.byID[sum.DistrictID]
	if root == nil || dist == nil {
		t.Fatalf("root %d or district %d not generated", sum.RootID, sum.DistrictID)
	}
	for _, tc := range []struct {
		what      string
		got, want any
	}{
		{"root name", root.Name, "Thành ủy Hà Nội"},
		{"root kind", root.Kind, org.KindProvince},
		{"root code", root.Code, "HN"},
		{"root path", root.Path, "/1/"},
		{"district name", dist.Name, "Huyện ủy Phú Xuyên"},
		{"district kind", dist.Kind, org.KindDistrict},
		{"district code", dist.Code, "HN.PX"},
		{"district parent", *dist.ParentID, root.ID},
		{"units under the root", len(c.children(root.ID)), 1},
		{"organisations under the district", len(c.children(dist.ID)), 58},
		{"members", len(c.members), 9700},
	} {
		if diff := cmp.Diff(tc.want, tc.got); diff != "" {
			t.Errorf("%s: got %v, want %v", tc.what, tc.got, tc.want)
		}
	}

	var communes []string
	kinds := map[string]int{}
	for _, u := range c.children(dist.ID) {
		kinds[string(u.Kind)+"/"+string(u.CellType)]++
		for _, p := range []string{"Đảng bộ xã ", "Đảng bộ thị trấn "} {
			if strings.HasPrefix(u.Name, p) {
				communes = append(communes, strings.TrimPrefix(u.Name, p))
			}
		}
	}
	sort.Strings(communes)
	want := strings.Split("Bạch Hạ,Châu Can,Chuyên Mỹ,Đại Thắng,Đại Xuyên,Hoàng Long,Hồng Minh,Hồng Thái,"+
		"Khai Thái,Minh Tân,Nam Phong,Nam Tiến,Nam Triều,Phú Túc,Phú Yên,Phúc Tiến,Phượng Dực,"+
		"Quang Lãng,Quang Trung,Sơn Hà,Tân Dân,Tri Thủy,Tri Trung,Văn Hoàng,Vân Từ,Phú Xuyên,Phú Minh", ",")
	sort.Strings(want)
	if diff := cmp.Diff(want, communes); diff != "" {
		t.Errorf("communes under the district (-want +got):\n%s", diff)
	}
	if kinds["cell/"] > 0 || kinds["grassroots_committee/"] < 27+4 || kinds["grassroots_committee/"]+countCells(kinds) != 58 {
		t.Errorf("kinds under the district: %v", kinds)
	}
	for _, name := range []string{
		"Đảng bộ Cơ quan Huyện ủy", "Đảng bộ Quân sự huyện", "Đảng bộ Công an huyện",
		"Đảng bộ Bệnh viện đa khoa huyện Phú Xuyên", "Chi bộ Trường THPT Phú Xuyên A",
		"Chi bộ Ngân hàng Nông nghiệp chi nhánh Phú Xuyên", "Chi bộ Viện Kiểm sát nhân dân huyện",
		"Chi bộ Trung tâm Y tế huyện",
	} {
		u := c.unitByName(name)
		if u == nil || *u.ParentID != dist.ID {
			t.Errorf("no %q directly under the district", name)
		}
	}
	for _, u := range c.children(dist.ID) {
		if u.Kind != org.KindGrassroots {
			continue
		}
		if n := len(c.children(u.ID)); strings.HasPrefix(u.Name, "Đảng bộ xã ") && (n < 10 || n > 18) {
			t.Errorf("%s has %d cells, want 10-18", u.Name, n)
		}
	}
}

func countCells(kinds map[string]int) int {
	n := 0
	for k, v := range kinds {
		if strings.HasPrefix(k, "cell/") {
			n += v
		}
	}
	return n
}

func TestPhuTuc(t *testing.T) {
	c, _ := district(t)
	pt := c.unitByName("Đảng bộ xã Phú Túc")
	if pt == nil {
		t.Fatal("no Đảng bộ xã Phú Túc")
	}
	if got, want := pt.Code, "HN.PX.PHUTUC"; got != want {
		t.Errorf("code: got %q, want %q", got, want)
	}
	cells := c.children(pt.ID)
	types := map[org.CellType]int{}
	var schools []string
	for _, u := range cells {
		if u.Kind != org.KindCell {
			t.Errorf("%s: kind %s, want cell", u.Name, u.Kind)
		}
		types[u.CellType]++
		if u.CellType == "school" {
			schools = append(schools, u.Name)
		}
	}
	wantTypes := map[org.CellType]int{"rural": 8, "agency": 1, "public_service": 1, "enterprise": 1, "school": 3, "military": 1}
	if diff := cmp.Diff(wantTypes, types); diff != "" {
		t.Errorf("cell types (-want +got):\n%s", diff)
	}
	if got, want := schools, []string{"Chi bộ Trường Mầm non Phú Túc", "Chi bộ Trường Tiểu học Phú Túc", "Chi bộ Trường THCS Phú Túc"}; !cmp.Equal(got, want) {
		t.Errorf("schools: got %q, want %q", got, want)
	}
	if got, want := c.subtreeMembers(pt), 307; got != want {
		t.Errorf("members: got %d, want %d", got, want)
	}
	if got, want := cells[0].Code, "HN.PX.PHUTUC.C01"; got != want {
		t.Errorf("first cell code: got %q, want %q", got, want)
	}
}

func TestTree(t *testing.T) {
	c, _ := district(t)
	codes := map[string]int64{}
	typesSeen := map[org.CellType]bool{}
	subWithCells := false
	for _, u := range c.units {
		if prev, ok := codes[u.Code]; ok {
			t.Errorf("code %q of unit %d already used by %d", u.Code, u.ID, prev)
		}
		codes[u.Code] = u.ID
		if !isCode(u.Code) {
			t.Errorf("unit %d: code %q is not short upper-case ASCII", u.ID, u.Code)
		}
		if u.ValidFrom.IsZero() || u.Name == "" {
			t.Errorf("unit %d: missing name or valid_from", u.ID)
		}
		if (u.Kind == org.KindCell) != (u.CellType != "") {
			t.Errorf("unit %d (%s): kind %s with cell type %q", u.ID, u.Name, u.Kind, u.CellType)
		}
		typesSeen[u.CellType] = u.Kind == org.KindCell
		if u.ParentID == nil {
			if got, want := u.Path, fmt.Sprintf("/%d/", u.ID); got != want || u.Depth != 0 {
				t.Errorf("root %d: path %q depth %d, want %q depth 0", u.ID, got, u.Depth, want)
			}
			continue
		}
		p := c.byID[*u.ParentID]
		if got, want := u.Path, fmt.Sprintf("%s%d/", p.Path, u.ID); got != want {
			t.Errorf("unit %d: path %q, want %q", u.ID, got, want)
		}
		if got, want := u.Depth, p.Depth+1; got != want {
			t.Errorf("unit %d: depth %d, want %d", u.ID, got, want)
		}
		if !strings.HasPrefix(u.Code, p.Code+".") {
			t.Errorf("unit %d: code %q does not extend its parent's %q", u.ID, u.Code, p.Code)
		}
		if u.ValidFrom.Before(p.ValidFrom) {
			t.Errorf("unit %d founded %s before its parent (%s)", u.ID, u.ValidFrom, p.ValidFrom)
		}
		if p.Kind == org.KindCell {
			t.Errorf("unit %d is under cell %d", u.ID, p.ID)
		}
		if u.Kind == org.KindCell && p.Kind == org.KindSubCommittee {
			subWithCells = true
		}
		if got := len(c.children(p.ID)); got != p.Children {
			t.Errorf("unit %d: Children = %d, want %d", p.ID, p.Children, got)
		}
	}
	for _, ct := range org.CellTypes {
		if !typesSeen[ct] {
			t.Errorf("no cell of type %s", ct)
		}
	}
	if !subWithCells {
		t.Error("no sub_committee with cells")
	}
}

func isCode(s string) bool {
	if len(s) == 0 || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.') {
			return false
		}
	}
	return true
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func TestMembers(t *testing.T) {
	c, _ := district(t)
	cards, cids, phones := map[string]bool{}, map[string]bool{}, map[string]bool{}
	status := map[member.Status]int{}
	males, dueForFull := 0, 0
	today := date.New(2026, 11, 1)
	officers := map[int64]map[string]int{}
	for _, m := range c.members {
		u := c.byID[m.UnitID]
		if u.Kind != org.KindCell {
			t.Errorf("member %d in %s, not a cell", m.ID, u.Kind)
		}
		if m.FullName == "" || len(strings.Fields(m.FullName)) != 3 || m.Version != 1 || m.NameFolded != "" || m.SortKey != nil {
			t.Errorf("member %d: name %q version %d", m.ID, m.FullName, m.Version)
		}
		if cards[m.CardNo] || !isDigits(m.CardNo, 8) {
			t.Errorf("member %d: card %q duplicated or not 8 digits", m.ID, m.CardNo)
		}
		cards[m.CardNo] = true
		if cids[m.CitizenID] || !isDigits(m.CitizenID, 12) || !strings.HasPrefix(m.CitizenID, "001") {
			t.Errorf("member %d: citizen ID %q duplicated or malformed", m.ID, m.CitizenID)
		}
		cids[m.CitizenID] = true
		gc := byte('0')
		if m.BirthDate.Year >= 2000 {
			gc = '2'
		}
		if m.Gender == member.Female {
			gc++
		}
		if got, want := m.CitizenID[3:6], fmt.Sprintf("%c%02d", gc, m.BirthDate.Year%100); got != want {
			t.Errorf("member %d: citizen ID %q, want digits 4-6 %q", m.ID, m.CitizenID, want)
		}
		if !isDigits(m.BiographyNo[:6], 6) || m.BiographyNo[6:] != "HN" {
			t.Errorf("member %d: biography number %q", m.ID, m.BiographyNo)
		}
		if m.Phone != "" {
			if phones[m.Phone] || !isDigits(m.Phone, 10) || !(m.Phone[:2] == "09" || m.Phone[:2] == "03") {
				t.Errorf("member %d: phone %q duplicated or malformed", m.ID, m.Phone)
			}
			phones[m.Phone] = true
		}
		if m.Email != "" && !isEmail(m.Email) {
			t.Errorf("member %d: email %q", m.ID, m.Email)
		}
		if y := m.BirthDate.Year; y < 1935 || y > 2004 {
			t.Errorf("member %d: born %s", m.ID, m.BirthDate)
		}
		if m.AdmittedOn.Before(m.BirthDate.AddYears(18)) {
			t.Errorf("member %d: born %s, admitted %s before 18", m.ID, m.BirthDate, m.AdmittedOn)
		}
		if m.AdmittedOn.After(date.New(2026, 6, 1)) {
			t.Errorf("member %d admitted %s, after 2026-06-01", m.ID, m.AdmittedOn)
		}
		for a := u; ; a = c.byID[*a.ParentID] {
			if m.AdmittedOn.Before(a.ValidFrom) {
				t.Errorf("member %d admitted %s before %s was founded (%s)", m.ID, m.AdmittedOn, a.Name, a.ValidFrom)
			}
			if a.ParentID == nil {
				break
			}
		}
		if m.Status == member.StatusProbationary {
			if !m.FullOn.IsZero() {
				t.Errorf("probationary member %d has full_on %s", m.ID, m.FullOn)
			}
			if m.AdmittedOn.AddYears(1).Before(today) {
				dueForFull++
			}
		} else if got, want := m.FullOn, m.AdmittedOn.AddYears(1); got != want {
			t.Errorf("member %d: full_on %s, want %s", m.ID, got, want)
		}
		if !m.Status.Valid() {
			t.Errorf("member %d: status %q", m.ID, m.Status)
		}
		status[m.Status]++
		if m.Gender == member.Male {
			males++
		}
		if m.Position != "" {
			if officers[u.ID] == nil {
				officers[u.ID] = map[string]int{}
			}
			officers[u.ID][m.Position]++
			if m.Status != member.StatusFull {
				t.Errorf("officer %d is %s", m.ID, m.Status)
			}
		}
	}
	for _, u := range c.units {
		if u.Kind != org.KindCell {
			continue
		}
		if got := officers[u.ID]; got[posSecretary] != 1 || got[posDeputy] != 1 {
			t.Errorf("cell %d (%s): officers %v, want one secretary and one deputy", u.ID, u.Name, got)
		}
	}
	n := float64(len(c.members))
	share := func(s member.Status) float64 { return float64(status[s]) / n }
	for _, tc := range []struct {
		what   string
		got    float64
		lo, hi float64
	}{
		{"male share", float64(males) / n, 0.52, 0.58},
		{"probationary share", share(member.StatusProbationary), 0.03, 0.05},
		{"exempt share", share(member.StatusExempt), 0.065, 0.095},
		{"full share", share(member.StatusFull), 0.82, 0.92},
		{"struck off, deceased, transferred out", share(member.StatusStruckOff) + share(member.StatusDeceased) + share(member.StatusTransferredOut), 0.0005, 0.01},
	} {
		if tc.got < tc.lo || tc.got > tc.hi {
			t.Errorf("%s: got %.3f, want %.3f-%.3f", tc.what, tc.got, tc.lo, tc.hi)
		}
	}
	if dueForFull == 0 {
		t.Error("no probationary member is due for full membership")
	}
	t.Logf("statuses %v, male %.3f, due for full membership %d", status, float64(males)/n, dueForFull)
}

func isEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at < 1 || strings.Count(s, "@") != 1 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '@') {
			return false
		}
	}
	return true
}

// Cell sizes by type stay realistic.
func TestCellSizes(t *testing.T) {
	c, _ := district(t)
	size := map[int64]int{}
	for _, m := range c.members {
		size[m.UnitID]++
	}
	bounds := map[org.CellType][2]int{
		"rural": {20, 60}, "urban": {15, 50}, "school": {8, 25}, "agency": {5, 28},
		"public_service": {4, 25}, "enterprise": {5, 25}, "military": {5, 18}, "police": {6, 22},
	}
	for _, u := range c.units {
		if u.Kind != org.KindCell {
			continue
		}
		b := bounds[u.CellType]
		if n := size[u.ID]; n < b[0] || n > b[1] {
			t.Errorf("%s (%s): %d members, want %d-%d", u.Name, u.CellType, n, b[0], b[1])
		}
	}
}

func TestStringsAreNFC(t *testing.T) {
	c, _ := district(t)
	check := func(s string) {
		for _, r := range s {
			if unicode.Is(unicode.Mn, r) {
				t.Errorf("%q has a combining mark (not NFC)", s)
				return
			}
		}
	}
	for _, u := range c.units {
		check(u.Name)
	}
	for _, m := range c.members[:2000] {
		check(m.FullName)
	}
	for _, ts := range [][]wname{familyNames, maleGiven, femaleGiven, maleMiddleOld, maleMiddleYoung, femaleMiddleOld, femaleMiddleYoung} {
		for _, w := range ts {
			check(w.s)
		}
	}
	for _, s := range append(append([]string{}, villages...), placeSyllables...) {
		check(s)
	}
}

func TestAccounts(t *testing.T) {
	c, sum := district(t)
	members := map[int64]*member.Member{}
	for _, m := range c.members {
		members[m.ID] = m
	}
	var got []string
	for _, a := range sum.Accounts {
		got = append(got, a.Username+":"+string(a.Role))
		u := c.byID[a.UnitID]
		if u == nil {
			t.Errorf("%s: unit %d does not exist", a.Username, a.UnitID)
			continue
		}
		if a.Description == "" || strings.Contains(a.Description, "\n") {
			t.Errorf("%s: description %q", a.Username, a.Description)
		}
		if a.MemberID != 0 {
			m := members[a.MemberID]
			if m == nil || m.UnitID != a.UnitID {
				t.Errorf("%s: member %d is not in unit %d", a.Username, a.MemberID, a.UnitID)
			}
		}
		var wantUnit string
		switch a.Username {
		case "admin":
			wantUnit = "Thành ủy Hà Nội"
		case "vanphong", "btv":
			wantUnit = "Huyện ủy Phú Xuyên"
		case "danguy.phutuc":
			wantUnit = "Đảng bộ xã Phú Túc"
		case "bithu.phutuc", "dangvien":
			if u.CellType != "rural" || !strings.HasPrefix(u.Code, "HN.PX.PHUTUC.") {
				t.Errorf("%s: unit %s (%s), want a rural cell of Phú Túc", a.Username, u.Name, u.CellType)
			}
			wantUnit = u.Name
			m := members[a.MemberID]
			if m == nil {
				t.Errorf("%s: no member", a.Username)
				continue
			}
			wantPos := posSecretary
			if a.Username == "dangvien" {
				wantPos = ""
			}
			if m.Position != wantPos || m.Status != member.StatusFull {
				t.Errorf("%s: member %d is %q (%s), want %q (full)", a.Username, m.ID, m.Position, m.Status, wantPos)
			}
		}
		if u.Name != wantUnit {
			t.Errorf("%s: unit %q, want %q", a.Username, u.Name, wantUnit)
		}
	}
	want := []string{"admin:admin", "vanphong:office", "btv:standing_committee", "danguy.phutuc:committee", "bithu.phutuc:cell_officer", "dangvien:member"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
	for _, a := range sum.Accounts {
		if !a.Role.Valid() {
			t.Errorf("%s: role %q", a.Username, a.Role)
		}
	}
}

// firstN keeps copies of the first n members and then stops the generator.
type firstN struct {
	n       int
	members []member.Member
}

var errEnough = errors.New("enough")

func (f *firstN) Unit(*org.Unit) error { return nil }
func (f *firstN) Member(m *member.Member) error {
	f.members = append(f.members, *m)
	if len(f.members) == f.n {
		return errEnough
	}
	return nil
}

func firstMembers(t *testing.T, opts Options, n int) []member.Member {
	t.Helper()
	f := &firstN{n: n}
	if _, err := Generate(opts, f); !errors.Is(err, errEnough) {
		t.Fatalf("Generate(%+v): %v, want the sink's error", opts, err)
	}
	return f.members
}

func TestDeterminism(t *testing.T) {
	a := firstMembers(t, Options{Seed: 1}, 1000)
	for _, tc := range []struct {
		opts Options
		same bool
	}{
		{Options{Seed: 1}, true},
		{Options{}, true}, // default seed is 1
		{Options{Seed: 2}, false},
		{Options{Scale: ScaleCity, Seed: 2}, false},
	} {
		b := firstMembers(t, tc.opts, 1000)
		if got := cmp.Equal(a, b); got != tc.same {
			t.Errorf("%+v: same first 1000 members as seed 1: got %v, want %v", tc.opts, got, tc.same)
		}
	}
}

// Phú Xuyên is identical, IDs included, in the three scales.
func TestPhuXuyenInEveryScale(t *testing.T) {
	c, _ := district(t)
	want := make([]member.Member, len(c.members))
	for i, m := range c.members {
		want[i] = *m
	}
	for _, scale := range []string{ScaleCity, ScaleNation} {
		got := firstMembers(t, Options{Scale: scale}, len(want))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: Phú Xuyên members differ from the district scale (-district +%s):\n%.2000s", scale, scale, diff)
		}
	}
}

// counter counts and checks only what is cheap.
type counter struct {
	units, members int
	byKind         map[org.Kind]int
	prefix         string // path of Phú Xuyên
	inDistrict     int
	paths          map[int64]string
}

func (c *counter) Unit(u *org.Unit) error {
	c.units++
	c.byKind[u.Kind]++
	if u.Name == "Huyện ủy Phú Xuyên" {
		c.prefix = u.Path
	}
	c.paths[u.ID] = u.Path
	return nil
}

func (c *counter) Member(m *member.Member) error {
	c.members++
	if strings.HasPrefix(c.paths[m.UnitID], c.prefix) {
		c.inDistrict++
	}
	return nil
}

func TestCityScale(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 500,000 members")
	}
	c := &counter{byKind: map[org.Kind]int{}, paths: map[int64]string{}}
	sum, err := Generate(Options{Scale: ScaleCity}, c)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.members, 500_000; got < want*95/100 || got > want*105/100 {
		t.Errorf("members: got %d, want %d ±5%%", got, want)
	}
	if got, want := c.inDistrict, 9700; got != want {
		t.Errorf("members in Phú Xuyên: got %d, want %d", got, want)
	}
	if got, want := c.byKind[org.KindDistrict], 30; got != want {
		t.Errorf("districts: got %d, want %d", got, want)
	}
	if got, want := [2]int64{sum.RootID, sum.DistrictID}, [2]int64{1, 2}; got != want {
		t.Errorf("root and district IDs: got %v, want %v", got, want)
	}
	t.Logf("city: %d units (%v), %d members", c.units, c.byKind, c.members)
}

func TestUnknownScale(t *testing.T) {
	if _, err := Generate(Options{Scale: "planet"}, &collect{}); err == nil {
		t.Error("got no error for an unknown scale")
	}
}

func TestCalendar(t *testing.T) {
	for z := daysFrom(1899, 12, 25); z < daysFrom(2101, 1, 5); z++ {
		want := date.Of(time.Unix(int64(z)*86400, 0).UTC())
		if got := toDate(z); got != want {
			t.Fatalf("toDate(%d) = %s, want %s", z, got, want)
		}
		y, m, d := civil(z)
		if got := daysFrom(y, m, d); got != z {
			t.Fatalf("daysFrom(civil(%d)) = %d", z, got)
		}
	}
	for _, tc := range []struct {
		from  string
		years int
	}{
		{"2024-02-29", 1}, {"2024-02-29", 4}, {"2000-02-29", 18}, {"1999-12-31", 1}, {"1986-03-01", 18},
	} {
		d := date.MustParse(tc.from)
		want := d.AddYears(tc.years)
		if got := toDate(anniversary(d.Year+tc.years, int(d.Month), d.Day)); got != want {
			t.Errorf("anniversary %s + %d years: got %s, want %s", tc.from, tc.years, got, want)
		}
	}
}

func TestPermuteIsBijective(t *testing.T) {
	for _, half := range []uint64{10, 100, 1000} {
		seen := make([]bool, half*half)
		for x := uint64(0); x < half*half; x++ {
			y := permute(x, half, 12345)
			if y >= half*half || seen[y] {
				t.Fatalf("half %d: permute(%d) = %d, out of range or repeated", half, x, y)
			}
			seen[y] = true
		}
	}
}

type nop struct{}

func (nop) Unit(*org.Unit) error        { return nil }
func (nop) Member(*member.Member) error { return nil }

func BenchmarkGenerateDistrict(b *testing.B) {
	b.ReportAllocs()
	members := 0
	for b.Loop() {
		sum, err := Generate(Options{}, nop{})
		if err != nil {
			b.Fatal(err)
		}
		members += sum.Members
	}
	b.ReportMetric(float64(members)/b.Elapsed().Seconds(), "members/s")
}
