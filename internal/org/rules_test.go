package org

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/fakestore"
	"github.com/sotay-vn/sotay/internal/viet"
)

func TestMayHold(t *testing.T) {
	tests := []struct {
		parent, child Kind
		want          bool
	}{
		{KindProvince, KindDistrict, true},
		{KindProvince, KindGrassroots, true},
		{KindProvince, KindCell, true},
		{KindDistrict, KindGrassroots, true},
		{KindDistrict, KindCell, true},
		{KindGrassroots, KindSubCommittee, true},
		{KindGrassroots, KindCell, true},
		{KindSubCommittee, KindCell, true},
		{KindProvince, KindProvince, false},
		{KindDistrict, KindProvince, false},
		{KindDistrict, KindDistrict, false},
		{KindGrassroots, KindDistrict, false},
		{KindGrassroots, KindGrassroots, false},
		{KindSubCommittee, KindGrassroots, false},
		{KindCell, KindCell, false},
		{KindCell, KindSubCommittee, false},
		{"club", KindCell, false},
		{KindDistrict, "club", false},
	}
	for _, tt := range tests {
		if got := MayHold(tt.parent, tt.child); got != tt.want {
			t.Errorf("MayHold(%s, %s) = %v, want %v", tt.parent, tt.child, got, tt.want)
		}
	}
}

func TestCheckOn(t *testing.T) {
	today := date.MustParse("2026-11-20")
	began := date.MustParse("1975-04-30")
	tests := []struct {
		on   string
		want bool // accepted
	}{
		{"", false},
		{"0001-01-01", false},
		{"1929-12-31", false},
		{"1975-04-29", false},
		{"1975-04-30", true},
		{"2026-11-20", true},
		{"2027-11-20", true},
		{"2027-11-21", false},
		{"9999-12-31", false},
	}
	for _, tt := range tests {
		var on date.Date
		if tt.on != "" {
			on = date.MustParse(tt.on)
		}
		err := checkOn("effective_on", on, began, today)
		if got := err == nil; got != tt.want {
			t.Errorf("checkOn(%q) = %v, want accepted %v", tt.on, err, tt.want)
		}
		if err != nil && (len(err.Fields) != 1 || err.Fields[0].Field != "effective_on") {
			t.Errorf("checkOn(%q): fields %v, want effective_on", tt.on, err.Fields)
		}
	}
	for s, want := range map[string]bool{"1929-12-31": false, "1930-01-01": true, "2027-11-20": true, "2027-11-21": false, "9999-12-31": false} {
		if got := CheckAsOf(date.MustParse(s), today) == nil; got != want {
			t.Errorf("CheckAsOf(%s) accepted %v, want %v", s, got, want)
		}
	}
}

// treeStore is a small tree in memory: a province, a district under it, a
// commune under the district, a cell with members and a childless, memberless
// cell under the commune.
type treeStore struct {
	Store   // the methods the tests do not use
	units   map[int64]*Unit
	members map[int64]int
	updated int
}

func newTreeStore() *treeStore {
	p := func(id int64) *int64 { return &id }
	s := &treeStore{units: map[int64]*Unit{
		1: {ID: 1, Kind: KindProvince, Name: "Thành ủy Hà Nội", Code: "HN", Path: "/1/"},
		2: {ID: 2, ParentID: p(1), Kind: KindDistrict, Name: "Huyện ủy Phú Xuyên", Code: "HN.PX", Path: "/1/2/"},
		3: {ID: 3, ParentID: p(2), Kind: KindGrassroots, Name: "Đảng bộ xã Phú Túc", Code: "HN.PX.PT", Path: "/1/2/3/"},
		4: {ID: 4, ParentID: p(3), Kind: KindCell, CellType: "rural", Name: "Chi bộ thôn Hạ", Code: "HN.PX.PT.C1", Path: "/1/2/3/4/"},
		5: {ID: 5, ParentID: p(3), Kind: KindCell, CellType: "rural", Name: "Chi bộ thôn Thượng", Code: "HN.PX.PT.C2", Path: "/1/2/3/5/"},
		6: {ID: 6, ParentID: p(3), Kind: KindSubCommittee, Name: "Đảng bộ bộ phận", Code: "HN.PX.PT.BP", Path: "/1/2/3/6/"},
	}, members: map[int64]int{4: 12}}
	return s
}

func (s *treeStore) Unit(_ context.Context, id int64) (*Unit, error) {
	return fakestore.Copy(s.units, id)
}

func (s *treeStore) Children(_ context.Context, id int64) ([]Unit, error) {
	var out []Unit
	for _, u := range s.units {
		if u.ParentID != nil && *u.ParentID == id {
			out = append(out, *u)
		}
	}
	return out, nil
}

func (s *treeStore) MemberCount(_ context.Context, id int64) (int, error) {
	return s.members[id], nil
}

func (s *treeStore) Update(_ context.Context, u *Unit, _ int, _ auth.AuditEntry) error {
	s.updated++
	return nil
}

func TestKindChangeKeepsTheTree(t *testing.T) {
	tests := []struct {
		name string
		id   int64
		kind Kind
		ok   bool
	}{
		{"a cell with members becomes a sub-committee", 4, KindSubCommittee, false},
		{"an empty cell becomes a sub-committee", 5, KindSubCommittee, true},
		{"an empty cell becomes a district", 5, KindDistrict, false},
		{"a commune with cells becomes a cell", 3, KindCell, false},
		{"a commune becomes a district under a district", 3, KindDistrict, false},
		{"a district is lifted to a province", 2, KindProvince, false},
		{"a district under a province becomes a grassroots committee", 2, KindGrassroots, false}, // a commune has a grassroots below it
		{"a sub-committee with nothing below becomes a cell", 6, KindCell, true},
		{"the root province becomes a district", 1, KindDistrict, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newTreeStore()
			s := &Service{Store: st, Now: func() time.Time { return time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) }}
			kind := tt.kind
			in := UpdateInput{Kind: &kind}
			if kind == KindCell {
				ct := CellType("rural")
				in.CellType = &ct
			} else {
				empty := CellType("")
				in.CellType = &empty
			}
			_, err := s.Update(context.Background(), &auth.Actor{System: true}, tt.id, in)
			if tt.ok {
				if err != nil || st.updated != 1 {
					t.Errorf("got %v (%d updates), want the change saved", err, st.updated)
				}
				return
			}
			e, isApp := apperr.As(err)
			if !isApp || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "kind" {
				t.Fatalf("got %v, want 422 naming kind", err)
			}
			if st.updated != 0 {
				t.Errorf("the refused change was saved")
			}
		})
	}
}

// foldedStore returns children as the database orders them by their
// folded names (Đ as D), which is not the Vietnamese order.
type foldedStore struct{ *treeStore }

func (s foldedStore) Children(ctx context.Context, id int64) ([]Unit, error) {
	out, _ := s.treeStore.Children(ctx, id)
	slices.SortFunc(out, func(a, b Unit) int {
		if c := strings.Compare(string(a.Kind), string(b.Kind)); c != 0 {
			return c
		}
		return strings.Compare(viet.Fold(a.Name), viet.Fold(b.Name))
	})
	return out, nil
}

func TestChildrenInVietnameseOrder(t *testing.T) {
	st := newTreeStore()
	p := func(id int64) *int64 { return &id }
	st.units[7] = &Unit{ID: 7, ParentID: p(3), Kind: KindCell, Name: "Chi bộ Đồng Tâm", Code: "C7", Path: "/1/2/3/7/"}
	st.units[8] = &Unit{ID: 8, ParentID: p(3), Kind: KindCell, Name: "Chi bộ Dương Xá", Code: "C8", Path: "/1/2/3/8/"}
	s := &Service{Store: foldedStore{st}}
	kids, err := s.Children(context.Background(), &auth.Actor{System: true}, 3)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range kids {
		got = append(got, k.Name)
	}
	want := []string{"Chi bộ Dương Xá", "Chi bộ Đồng Tâm", "Chi bộ thôn Hạ", "Chi bộ thôn Thượng", "Đảng bộ bộ phận"}
	if !slices.Equal(got, want) {
		t.Errorf("children = %q, want %q", got, want)
	}
}
