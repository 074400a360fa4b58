package member

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/sheet"
)

// fakeImportStore holds stored records for the matching of an import.
type fakeImportStore struct {
	stored []Existing
}

func (f *fakeImportStore) CellsUnder(context.Context, string) ([]UnitRef, error) { return nil, nil }

func (f *fakeImportStore) Existing(_ context.Context, cards, citizens []string) (map[string]Existing, map[string]Existing, error) {
	byCard, byCitizen := map[string]Existing{}, map[string]Existing{}
	for _, ex := range f.stored {
		for _, c := range cards {
			if ex.Member.CardNo == c {
				byCard[c] = ex
			}
		}
		for _, c := range citizens {
			if ex.Member.CitizenID == c {
				byCitizen[c] = ex
			}
		}
	}
	return byCard, byCitizen, nil
}

func (f *fakeImportStore) Named(_ context.Context, path string, names []string) ([]Existing, error) {
	var out []Existing
	for _, ex := range f.stored {
		for _, n := range names {
			if ex.Member.NameFolded == n && len(ex.Path) >= len(path) && ex.Path[:len(path)] == path {
				out = append(out, ex)
			}
		}
	}
	return out, nil
}

func (f *fakeImportStore) Import(context.Context, []*Member, []*Member, auth.AuditEntry) error {
	return nil
}

func TestImportMatching(t *testing.T) {
	target := &UnitRef{ID: 10, Path: "/1/10/", Kind: "cell"}
	stored := func(id int64, edit func(m *Member)) Existing {
		m := valid()
		m.ID, m.UnitID, m.CardNo, m.CitizenID, m.Status, m.Version = id, 10, "", "", StatusFull, 3
		edit(&m)
		Normalize(&m)
		return Existing{Member: &m, Path: "/1/10/"}
	}
	imported := func(edit func(m *Member)) *Member {
		m := valid()
		m.UnitID, m.CardNo, m.CitizenID, m.Status = 10, "", "", StatusFull
		edit(&m)
		Normalize(&m)
		return &m
	}
	same := func(*Member) {}
	type result struct {
		Update    int64 // id of the record updated, 0 for a new one
		Unchanged bool
	}
	tests := []struct {
		name   string
		stored []Existing
		rows   []*Member
		want   []result
		errs   []apperr.FieldError
	}{
		{"no numbers, same name, birth date and cell: unchanged", []Existing{stored(1, same)}, []*Member{imported(same)}, []result{{1, true}}, nil},
		{"no numbers, name typed in capitals without marks: same person", []Existing{stored(1, same)},
			[]*Member{imported(func(m *Member) { m.FullName = "NGUYEN VAN AN" })}, []result{{1, false}}, nil},
		{"no numbers, new phone: updated", []Existing{stored(1, same)},
			[]*Member{imported(func(m *Member) { m.Phone = "0987654321" })}, []result{{1, false}}, nil},
		{"other birth date: a new member", []Existing{stored(1, same)},
			[]*Member{imported(func(m *Member) { m.BirthDate = date.MustParse("1981-05-01") })}, []result{{0, false}}, nil},
		{"other cell: a new member", []Existing{stored(1, func(m *Member) { m.UnitID = 11 })}, []*Member{imported(same)}, []result{{0, false}}, nil},
		{"a card number added to a record without one: updated", []Existing{stored(1, same)},
			[]*Member{imported(func(m *Member) { m.CardNo = "01234567" })}, []result{{1, false}}, nil},
		{"a different card number recorded: a new member", []Existing{stored(1, func(m *Member) { m.CardNo = "07654321" })},
			[]*Member{imported(func(m *Member) { m.CardNo = "01234567" })}, []result{{0, false}}, nil},
		{"matched by card number, nothing changed: unchanged", []Existing{stored(1, func(m *Member) { m.CardNo = "01234567" })},
			[]*Member{imported(func(m *Member) { m.CardNo = "01234567" })}, []result{{1, true}}, nil},
		{"two stored records of that name, birth date and cell: an error", []Existing{stored(1, same), stored(2, same)},
			[]*Member{imported(same)}, nil, []apperr.FieldError{{Row: 1, Field: "full_name"}}},
		{"two rows for one stored record: the second is an error", []Existing{stored(1, same)},
			[]*Member{imported(same), imported(same)}, []result{{1, true}}, []apperr.FieldError{{Row: 2, Field: "full_name"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := &Importer{Store: &fakeImportStore{stored: tt.stored}}
			var rows []*row
			for i, m := range tt.rows {
				rows = append(rows, &row{num: i + 1, m: m})
			}
			rep := &Report{}
			kept := im.checkDuplicates(context.Background(), auth.SystemActor(), target, rows, rep)
			var got []result
			for _, r := range kept {
				res := result{Unchanged: r.unchanged}
				if r.update != nil {
					res.Update = r.update.ID
				}
				got = append(got, res)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			var errs []apperr.FieldError
			for _, e := range rep.Errors {
				errs = append(errs, apperr.FieldError{Row: e.Row, Field: e.Field})
			}
			if diff := cmp.Diff(tt.errs, errs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRowName(t *testing.T) {
	tbl := &sheet.Table{Columns: []string{"full_name", "gender", "birth_date", "admitted_on", "full_on"}}
	cell := &UnitRef{ID: 10, Path: "/1/10/", Kind: "cell", Name: "Chi bộ 1"}
	units := newUnitResolver(cell, []UnitRef{*cell})
	tests := []struct {
		name string
		want []apperr.FieldError
	}{
		{"Nguyễn Văn Việt", nil},
		{"H'Hen Niê", nil},
		{"Vò V¨n ViÖt", []apperr.FieldError{{Row: 7, Field: "full_name"}}},        // TCVN3 not decoded
		{"Nguyeãn Vaên Vieät", []apperr.FieldError{{Row: 7, Field: "full_name"}}}, // VNI not decoded
		{"Nguyễn Văn 2", []apperr.FieldError{{Row: 7, Field: "full_name"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sheet.Row{Number: 7, Cells: []sheet.Cell{{Value: tt.name}, {Value: "Nam"}, {Value: "01/01/1980"}, {Value: "01/01/2010"}, {Value: "01/01/2011"}}}
			_, errs := parseRow(tbl, r, units, today)
			var got []apperr.FieldError
			for _, e := range errs {
				got = append(got, apperr.FieldError{Row: e.Row, Field: e.Field})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseRow(%q) errors (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestImportSlots(t *testing.T) {
	im := &Importer{MaxConcurrent: 1}
	release, err := im.acquire(context.Background())
	if err != nil {
		t.Fatalf("first acquire: got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := im.acquire(ctx); !apperr.Is(err, apperr.RateLimited) {
		t.Errorf("acquire while the only slot is taken: got %v, want %s", err, apperr.RateLimited)
	}
	release()
	release2, err := im.acquire(ctx) // a free slot is taken even when ctx has ended
	if err != nil {
		t.Fatalf("acquire after release: got %v", err)
	}
	release2()
}

// TestRepeatsInFile: a row that repeats the card number or citizen ID of
// an earlier row is reported with that row and left out; the numbers to
// look up are each first one, in file order.
func TestRepeatsInFile(t *testing.T) {
	rows := []*row{
		{num: 2, m: &Member{CardNo: "11111111", CitizenID: "001080001111"}},
		{num: 3, m: &Member{CardNo: "22222222"}},
		{num: 4, m: &Member{CardNo: "11111111"}},
		{num: 5, m: &Member{CitizenID: "001080001111"}},
		{num: 6, m: &Member{CitizenID: "001080002222"}},
		{num: 7, m: &Member{}},
	}
	var rep Report
	kept, cards, citizens := repeatsInFile(rows, &rep)
	var keptRows []int
	for _, r := range kept {
		keptRows = append(keptRows, r.num)
	}
	var errs []string
	for _, e := range rep.Errors {
		errs = append(errs, fmt.Sprintf("row %d %s: %s", e.Row, e.Field, e.Message))
	}
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"kept rows", keptRows, []int{2, 3, 6, 7}},
		{"cards", cards, []string{"11111111", "22222222"}},
		{"citizen IDs", citizens, []string{"001080001111", "001080002222"}},
		{"errors", errs, []string{
			"row 4 card_no: card number 11111111 is also on row 2",
			"row 5 citizen_id: citizen ID 001080001111 is also on row 2",
		}},
	} {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.what, diff)
		}
	}
}
