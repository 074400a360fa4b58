package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/outbreak"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/scoring"
)

// TestScopeListsFollowWrites pages through the foci and conference lists
// of several reaches, after a focus is closed and a commune moved to
// another district: each list holds exactly what lies under its reach,
// newest first, across pages of 2.
func TestScopeListsFollowWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "district HN.2", "grassroots HN.1.A", "grassroots HN.1.B", "cell HN.1.A.1", "grassroots HN.2.C")
		city, d1, d2, c1, c2, v1, c3 := u["HN"], u["HN.1"], u["HN.2"], u["HN.1.A"], u["HN.1.B"], u["HN.1.A.1"], u["HN.2.C"]
		units := []*org.Unit{v1, c1, c2, c3, d1, city, v1, c3}
		at := time.Date(2026, 9, 1, 3, 0, 0, 0, time.UTC)
		unitOf := map[int64]int64{}
		for i, u := range units {
			f := &outbreak.Focus{UnitID: u.ID, CommuneID: u.ID, Disease: "sot_xuat_huyet", Place: "Thôn", OpenedOn: date.MustParse("2026-09-01"), State: outbreak.Active, CreatedAt: at}
			if err := (Outbreaks{db}).Create(ctx, f, auth.AuditEntry{Actor: system, Action: "outbreak.open", ObjectType: "outbreak", UnitPath: u.Path}); err != nil {
				t.Fatal(err)
			}
			unitOf[f.ID] = u.ID
			if i%3 == 0 {
				closed := date.MustParse("2026-09-20")
				f.ClosedOn, f.UpdatedAt = &closed, at
				if err := (Outbreaks{db}).Close(ctx, f, auth.AuditEntry{Actor: system, Action: "outbreak.close", ObjectType: "outbreak", ObjectID: f.ID, UnitPath: u.Path}); err != nil {
					t.Fatal(err)
				}
			}
			c := &conference.Conference{Title: fmt.Sprint("Hội nghị ", i), StartsAt: at, HostUnitID: u.ID, Audience: conference.Audience{UnitID: u.ID}, AudiencePath: u.Path}
			if err := (Conferences{db}).Create(ctx, c, auth.AuditEntry{Actor: system, Action: "conference.create", ObjectType: "conference", UnitPath: u.Path}); err != nil {
				t.Fatal(err)
			}
			unitOf[-c.ID] = u.ID
		}
		// Commune C moves from district 2 to district 1.
		if err := (Units{db}).Move(ctx, c3.ID, d1.ID, date.MustParse("2026-10-01"), auth.AuditEntry{Actor: system, Action: "unit.move", ObjectType: "unit", ObjectID: c3.ID}); err != nil {
			t.Fatal(err)
		}
		paths := unitPaths(t, ctx, db, city, d1, d2, c1, c2, c3, v1)
		under := func(id int64, reach []string) bool {
			for _, p := range reach {
				if p == "/" || len(paths[unitOf[id]]) >= len(p) && paths[unitOf[id]][:len(p)] == p {
					return true
				}
			}
			return false
		}
		for _, reach := range [][]string{{paths[d1.ID]}, {paths[d2.ID]}, {paths[c1.ID], paths[c3.ID]}, {paths[d1.ID], paths[v1.ID]}, {"/"}} {
			for _, state := range []string{"", outbreak.Closed} {
				var want []int64
				for id := range unitOf {
					if id > 0 && under(id, reach) {
						var s string
						db.read.QueryRowContext(ctx, `SELECT state FROM outbreaks WHERE id = $1`, id).Scan(&s)
						if state == "" || s == state {
							want = append([]int64{id}, want...)
						}
					}
				}
				want = sortDesc(want)
				f := outbreak.Filter{Paths: reach, State: state, Limit: 2}
				got, totals := pagedIDs(t, func(cursor string) (*page.Of[outbreak.Focus], error) {
					f.Cursor = cursor
					return Outbreaks{db}.List(ctx, f)
				}, func(x outbreak.Focus) int64 { return x.ID })
				for _, n := range totals {
					if n != len(want) {
						t.Errorf("foci under %v (%q): total %d, want %d", reach, state, n, len(want))
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("foci under %v (%q) (-want +got):\n%s", reach, state, diff)
				}
			}
			var want []int64
			for id := range unitOf {
				if id < 0 && under(id, reach) {
					want = append(want, -id)
				}
			}
			want = sortDesc(want)
			f := conference.Filter{Paths: reach, Limit: 2}
			got, _ := pagedIDs(t, func(cursor string) (*page.Of[conference.Conference], error) {
				f.Cursor = cursor
				return Conferences{db}.List(ctx, f)
			}, func(x conference.Conference) int64 { return x.ID })
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("conferences under %v (-want +got):\n%s", reach, diff)
			}
		}
	})
}

// pagedIDs reads a list from its first page to its last, following the
// cursors, and returns the ids of its items in order and each page's total;
// a list of more than 1,000 pages fails the test (a cursor that does not
// move on).
func pagedIDs[T any](t *testing.T, read func(cursor string) (*page.Of[T], error), id func(T) int64) (ids []int64, totals []int) {
	t.Helper()
	cursor := ""
	for range 1000 {
		p, err := read(cursor)
		if err != nil {
			t.Fatal(err)
		}
		totals = append(totals, p.Total)
		for _, x := range p.Items {
			ids = append(ids, id(x))
		}
		if p.NextCursor == nil {
			return ids, totals
		}
		cursor = *p.NextCursor
	}
	t.Fatalf("more than 1,000 pages: the cursor does not move on (last %q)", cursor)
	return nil, nil
}

func sortDesc(ids []int64) []int64 {
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			if ids[j] > ids[i] {
				ids[i], ids[j] = ids[j], ids[i]
			}
		}
	}
	return ids
}

// TestFrameworkListFollowsWrites pages through the frameworks list of
// several readers, after a framework's owner and year are changed and a
// commune moved to another district: each list holds exactly the
// frameworks owned above the reader's units or within its subtrees,
// newest year first then newest id, across pages of 2, counted.
func TestFrameworkListFollowsWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "district HN.2", "grassroots HN.1.A", "grassroots HN.1.B", "cell HN.1.A.1", "grassroots HN.2.C")
		city, d1, d2, c1, c2, v1, c3 := u["HN"], u["HN.1"], u["HN.2"], u["HN.1.A"], u["HN.1.B"], u["HN.1.A.1"], u["HN.2.C"]
		fg := FourGood{DB: db}
		var all []*scoring.Framework
		for i, o := range []*org.Unit{city, d1, c1, c2, c3, d2, c3, city, c1, d1} {
			f := &scoring.Framework{Name: fmt.Sprint("Khung ", i), Year: 2024 + i%3, OwnerUnitID: o.ID, Status: "draft",
				RegistrationDeadline: date.MustParse("2026-03-01"), Bands: []scoring.Band{}}
			id, err := fg.Create(ctx, f, nil, auditFor("framework.create"))
			if err != nil {
				t.Fatal(err)
			}
			f.ID = id
			all = append(all, f)
		}
		// The first of commune A's goes to district 2, in 2026.
		moved, err := fg.Framework(ctx, all[2].ID)
		if err != nil {
			t.Fatal(err)
		}
		moved.OwnerUnitID, moved.Year = d2.ID, 2026
		if err := fg.Update(ctx, moved, nil, auditFor("framework.update")); err != nil {
			t.Fatal(err)
		}
		all[2].OwnerUnitID, all[2].Year = d2.ID, 2026
		// Commune C moves from district 2 to district 1.
		if err := (Units{db}).Move(ctx, c3.ID, d1.ID, date.MustParse("2026-10-01"), auth.AuditEntry{Actor: system, Action: "unit.move", ObjectType: "unit", ObjectID: c3.ID}); err != nil {
			t.Fatal(err)
		}
		path := unitPaths(t, ctx, db, city, d1, d2, c1, c2, c3, v1)
		above := func(p string) (out []string) { // p and the paths above it
			for i := 1; i < len(p); i++ {
				if p[i] == '/' {
					out = append(out, p[:i+1])
				}
			}
			return out
		}
		for _, tc := range []struct {
			name string
			f    scoring.FrameworkFilter
		}{
			{"cell", scoring.FrameworkFilter{OwnerPaths: above(path[v1.ID])}},
			{"district 1 office", scoring.FrameworkFilter{OwnerPaths: above(path[d1.ID]), Subtrees: []string{path[d1.ID]}}},
			{"district 1 office, 2026", scoring.FrameworkFilter{OwnerPaths: above(path[d1.ID]), Subtrees: []string{path[d1.ID]}, Year: 2026}},
			{"two communes", scoring.FrameworkFilter{OwnerPaths: append(above(path[c1.ID]), above(path[c3.ID])...), Subtrees: []string{path[c1.ID], path[c3.ID]}}},
			{"district 2 office", scoring.FrameworkFilter{OwnerPaths: above(path[d2.ID]), Subtrees: []string{path[d2.ID]}}},
			{"everyone", scoring.FrameworkFilter{Subtrees: []string{"/"}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var want []int64
				for i := len(all) - 1; i >= 0; i-- {
					f := all[i]
					p := path[f.OwnerUnitID]
					in := slices.Contains(tc.f.OwnerPaths, p)
					for _, s := range tc.f.Subtrees {
						in = in || strings.HasPrefix(p, s)
					}
					if in && (tc.f.Year == 0 || f.Year == tc.f.Year) {
						want = append(want, f.ID)
					}
				}
				slices.SortStableFunc(want, func(a, b int64) int { return yearOf(all, b) - yearOf(all, a) })
				got, totals := pagedIDs(t, func(cursor string) (*page.Of[scoring.Framework], error) {
					f := tc.f
					f.Limit, f.Cursor = 2, cursor
					return fg.Frameworks(ctx, f)
				}, func(f scoring.Framework) int64 { return f.ID })
				for _, n := range totals {
					if n != len(want) {
						t.Errorf("total %d, want %d", n, len(want))
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("pages (-want +got):\n%s", diff)
				}
			})
		}
	})
}

// yearOf is the year of the framework id among all.
func yearOf(all []*scoring.Framework, id int64) int {
	for _, f := range all {
		if f.ID == id {
			return f.Year
		}
	}
	return 0
}

// unitPaths reads the units' paths as they are now (after a move), by id.
func unitPaths(t *testing.T, ctx context.Context, db *DB, units ...*org.Unit) map[int64]string {
	t.Helper()
	out := map[int64]string{}
	for _, u := range units {
		got, err := Units{db}.Unit(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[u.ID] = got.Path
	}
	return out
}
