package store

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
)

// TestListAuditObjectHistory pages through one object's history (a
// unit's changes, org.Changes: auditListSQL's arm per action) on both
// engines: the object's entries of the actions asked, within the reach,
// newest first, across pages, and nothing else (its other actions, other
// objects, entries outside the reach).
func TestListAuditObjectHistory(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "district HN.2", "cell HN.1.1")
		objects := []int64{u["HN.1"].ID, u["HN.1.1"].ID, u["HN.2"].ID}
		actions := []string{"unit.update", "member.list", "unit.create", "unit.move", "member.read", "unit.update"}
		for i := range 60 {
			obj := objects[i%len(objects)]
			path := u["HN.1"].Path
			switch {
			case obj == u["HN.2"].ID:
				path = u["HN.2"].Path
			case obj == u["HN.1.1"].ID && i%4 != 0: // some of the cell's entries written at the district
				path = u["HN.1.1"].Path
			}
			if err := db.Audit(ctx, auth.AuditEntry{Actor: system, Action: actions[i%len(actions)], ObjectType: "unit", ObjectID: obj, UnitPath: path}); err != nil {
				t.Fatal(err)
			}
		}
		all, err := db.ListAudit(ctx, auth.AuditFilter{Paths: []string{"/"}, Limit: 1000, IncludePrivate: true})
		if err != nil {
			t.Fatal(err)
		}
		changes := []string{"unit.move", "unit.update", "unit.create", "unit.update"} // a repeat, out of order
		for _, tc := range []struct {
			name  string
			paths []string
			obj   int64
		}{
			{"the district's in the district", []string{u["HN.1"].Path}, u["HN.1"].ID},
			{"the cell's in the district", []string{u["HN.1"].Path}, u["HN.1.1"].ID},
			{"the cell's in the cell", []string{u["HN.1.1"].Path}, u["HN.1.1"].ID},
			{"the other's from the district", []string{u["HN.1"].Path}, u["HN.2"].ID},
			{"the other's in both", []string{u["HN.1"].Path, u["HN.2"].Path}, u["HN.2"].ID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var want []int64
				for _, r := range all {
					var path string
					if err := db.read.QueryRowContext(ctx, `SELECT unit_path FROM audit_log WHERE id = $1`, r.ID).Scan(&path); err != nil {
						t.Fatal(err)
					}
					inReach := slices.ContainsFunc(tc.paths, func(p string) bool { return strings.HasPrefix(path, p) })
					if inReach && r.ObjectID != nil && *r.ObjectID == tc.obj && slices.Contains(changes, r.Action) {
						want = append(want, r.ID)
					}
				}
				got := auditPages(t, db, auth.AuditFilter{Paths: tc.paths, ObjectType: "unit", ObjectID: tc.obj, Actions: changes, Limit: 3, IncludePrivate: true})
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("history (-want +got):\n%s", diff)
				}
			})
		}
	})
}

// auditPages reads the audit list f asks for page by page (f.Limit a
// page, at most 100 pages) and returns the entries' ids in the order read.
func auditPages(t *testing.T, db *DB, f auth.AuditFilter) []int64 {
	t.Helper()
	var got []int64
	for range 100 {
		recs, err := db.ListAudit(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range recs {
			if i < f.Limit {
				got = append(got, r.ID)
			}
		}
		if len(recs) <= f.Limit {
			break
		}
		f.BeforeID = recs[f.Limit-1].ID
	}
	return got
}
