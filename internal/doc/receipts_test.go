package doc

import (
	"context"
	"testing"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/page"
)

// receiptsStore is the fake store with one document for the audience of
// unit 2 ("/1/2/"), and no reader yet.
type receiptsStore struct {
	*fakeStore
	doc *Document
}

func newReceiptsStore() *receiptsStore {
	st := &receiptsStore{fakeStore: newFakeStore(), doc: &Document{ID: 5, Kind: KindDocument, Version: 1, Audience: Audience{UnitID: 2, Path: "/1/2/"}}}
	for id, parent := range map[int64]int64{2: 1, 3: 2, 4: 3, 6: 2} {
		st.units[id].ParentID = parent
	}
	return st
}

func (f *receiptsStore) Document(_ context.Context, id int64) (*Document, error) {
	if id != f.doc.ID {
		return nil, apperr.NotFoundf("document %d not found", id)
	}
	d := *f.doc
	return &d, nil
}

func (f *receiptsStore) ChildUnits(context.Context, int64) ([]UnitRef, error) { return nil, nil }

func (f *receiptsStore) ReadRollup(context.Context, *Document, string) (*ReadRollup, error) {
	return &ReadRollup{}, nil
}

func (f *receiptsStore) NotRead(context.Context, *Document, string, int, string) (*page.Of[ReaderRef], error) {
	return &page.Of[ReaderRef]{Items: []ReaderRef{}}, nil
}

// TestReceiptsWhoMaySee: officers whose role covers a unit see its read
// rates (and the unit above when it is theirs too, up to the audience
// unit); members see none; the document page links each to the first unit
// they may see.
func TestReceiptsWhoMaySee(t *testing.T) {
	grant := func(unit int64, role auth.Role) *auth.Actor {
		return actorWith(auth.Grant{UnitID: unit, UnitPath: newFakeStore().units[unit].Path, Role: role})
	}
	office, commune, cellOfficer := grant(1, auth.RoleOffice), grant(3, auth.RoleCommittee), grant(6, auth.RoleCellOfficer)
	member := grant(4, auth.RoleMember)
	member.MemberID, member.MemberUnitPath = 11, "/1/2/3/4/"
	const refused = -1
	cases := []struct {
		name     string
		actor    *auth.Actor
		linkUnit int64 // ReceiptsUnit; refused when there is no link
		unit     int64 // asked of Receipts
		up       int64 // Receipts.Up; refused for "not found"
	}{
		{"office above, audience unit", office, 0, 0, 0},
		{"office above, audience unit by id", office, 0, 2, 0},
		{"office above, a commune inside", office, 0, 3, 2},
		{"office above, a cell", office, 0, 4, 3},
		{"committee inside, its commune", commune, 3, 3, 0},
		{"committee inside, its cell", commune, 3, 4, 3},
		{"committee inside, the audience unit", commune, 3, 0, refused},
		{"committee inside, a sibling", commune, 3, 6, refused},
		{"cell officer, own cell", cellOfficer, 6, 6, 0},
		{"cell officer, another commune", cellOfficer, 6, 3, refused},
		{"member, own cell", member, refused, 4, refused},
		{"member, audience unit", member, refused, 0, refused},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := newReceiptsStore()
			svc := &Service{Store: st}
			unit, ok := ReceiptsUnit(c.actor, st.doc.Audience)
			if !ok {
				unit = refused
			}
			if unit != c.linkUnit {
				t.Errorf("ReceiptsUnit: got %d, want %d", unit, c.linkUnit)
			}
			rec, err := svc.Receipts(context.Background(), c.actor, st.doc.ID, ReceiptsInput{UnitID: c.unit})
			switch {
			case c.up == refused:
				if !apperr.Is(err, apperr.NotFound) {
					t.Errorf("Receipts: got %v, want not found", err)
				}
			case err != nil:
				t.Errorf("Receipts: %v", err)
			case rec.Up != c.up:
				t.Errorf("Receipts.Up: got %d, want %d", rec.Up, c.up)
			}
		})
	}
}
