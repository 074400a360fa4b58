package store

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
)

// TestSearchUnits: a folded name search stays inside the subtrees given,
// ignores diacritics and case (đ as d), treats LIKE's wildcards as text,
// and leaves dissolved units out.
func TestSearchUnits(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		named := func(parent *org.Unit, kind org.Kind, code, name string) *org.Unit {
			u := &org.Unit{Kind: kind, Name: name, Code: code, ValidFrom: date.MustParse("2000-01-01")}
			if parent != nil {
				u.ParentID = &parent.ID
			}
			if err := (Units{db}).Create(ctx, u, auth.AuditEntry{Actor: system, Action: "unit.create", ObjectType: "unit"}); err != nil {
				t.Fatal(err)
			}
			return u
		}
		district := named(nil, org.KindDistrict, "PX", "Huyện ủy Phú Xuyên")
		phuTuc := named(district, org.KindGrassroots, "PX.PT", "Đảng bộ xã Phú Túc")
		chauCan := named(district, org.KindGrassroots, "PX.CC", "Đảng bộ xã Châu Can")
		kimLan := named(phuTuc, org.KindCell, "PX.PT.1", "Chi bộ thôn Kim Lan")
		named(chauCan, org.KindCell, "PX.CC.1", "Chi bộ thôn Phú Túc 100%")
		gone := named(phuTuc, org.KindCell, "PX.PT.2", "Chi bộ thôn Đông Phú")
		if err := (Units{db}).Dissolve(ctx, gone.ID, date.MustParse("2020-01-01"), auth.AuditEntry{Actor: system, Action: "unit.dissolve", ObjectType: "unit"}); err != nil {
			t.Fatal(err)
		}
		names := func(paths []string, folded string) []string {
			t.Helper()
			us, err := Units{db}.Search(ctx, paths, folded, 50)
			if err != nil {
				t.Fatal(err)
			}
			out := []string{}
			for _, u := range us {
				out = append(out, u.Name)
			}
			return out
		}
		for _, tt := range []struct {
			name   string
			paths  []string
			folded string
			want   []string
		}{
			{"every unit", []string{"/"}, "phu tuc", []string{"Đảng bộ xã Phú Túc", "Chi bộ thôn Phú Túc 100%"}},
			{"within the commune", []string{phuTuc.Path}, "phu", []string{"Đảng bộ xã Phú Túc"}},
			{"đ as d", []string{district.Path}, "dang bo xa chau", []string{"Đảng bộ xã Châu Can"}},
			{"two subtrees", []string{phuTuc.Path, chauCan.Path}, "chi bo", []string{"Chi bộ thôn Kim Lan", "Chi bộ thôn Phú Túc 100%"}},
			{"percent is text", []string{"/"}, "%", []string{"Chi bộ thôn Phú Túc 100%"}},
			{"underscore is text", []string{"/"}, "_", []string{}},
			{"dissolved left out", []string{"/"}, "dong phu", []string{}},
			{"no reach", nil, "phu", []string{}},
			{"a cell alone", []string{kimLan.Path}, "chi bo", []string{"Chi bộ thôn Kim Lan"}},
		} {
			if got := names(tt.paths, tt.folded); !cmp.Equal(got, tt.want) {
				t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
			}
		}
	})
}

// TestSearchUnitsPlans checks, on PostgreSQL with 20,000 live units, the
// units search's plan for a common word (migration 0049): a walk of the
// live units in the list's order (units_live_order) that stops after the
// page, not a read of every unit of the subtrees and a sort; and for a
// rare word (migration 0050): the trigram index. SQLite is not changed.
func TestSearchUnitsPlans(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		if db.dialect != postgresDialect {
			return
		}
		ctx := context.Background()
		if _, err := db.write.ExecContext(ctx, `INSERT INTO units (parent_id, kind, cell_type, name, name_folded, code, path, depth, version, valid_from, created_at)
			SELECT NULL, 'cell', '', 'Chi bộ ' || i, 'xa ' || md5(i::text) || ' ' || i, 'U' || i, '/' || (1000 + i) || '/', 1, 1, '2020-01-01', now()
			FROM generate_series(1, 20000) i`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.ExecContext(ctx, `ANALYZE units`); err != nil {
			t.Fatal(err)
		}
		c := newPlanChecker(t, db)
		q, args := unitSearchSQL([]string{"/"}, "xa", 20)
		plan := strings.Join(c.plan(t, "xa", q, args), "\n")
		if !strings.Contains(plan, `"Index Name": "units_live_order"`) || strings.Contains(plan, `"Seq Scan"`) || strings.Contains(plan, `"Sort"`) {
			t.Errorf("a common word does not walk units_live_order:\n%s", plan)
		}
		// A rare word (one unit's md5) is read through the trigram index
		// (migration 0050), not by walking every live unit; its few units
		// are then sorted, so the plan is asked with sorts at their cost.
		conn, err := db.read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		c = &planChecker{db: db, conn: conn}
		var rare string
		if err := db.read.QueryRowContext(ctx, `SELECT md5('777')`).Scan(&rare); err != nil {
			t.Fatal(err)
		}
		q, args = unitSearchIndexSQL([]string{"/"}, rare[:12], 20)
		plan = strings.Join(c.plan(t, "rare", q, args), "\n")
		if !strings.Contains(plan, `"Index Name": "units_name_trgm"`) || strings.Contains(plan, `"Index Name": "units_live_order"`) {
			t.Errorf("a rare word is not read through units_name_trgm:\n%s", plan)
		}
		// Its generic plan (kept after five runs, whatever the word) reads
		// the index too: ordered by u.depth + 0, it cannot walk the units in
		// order (a common word's plan walked every unit for a rare one).
		generic, err := c.genericPlan(q, args)
		if err != nil {
			t.Fatal(err)
		}
		if plan := strings.Join(generic, "\n"); strings.Contains(plan, `"Index Name": "units_live_order"`) {
			t.Errorf("the index's generic plan walks units_live_order:\n%s", plan)
		}
		// The walk stops after unitSearchWalk units whatever the word.
		q, args = unitSearchWalkSQL([]string{"/"}, rare[:12], 20)
		plan = strings.Join(c.plan(t, "walk", q, args), "\n")
		if !strings.Contains(plan, `"Index Name": "units_live_order"`) || strings.Contains(plan, `"Seq Scan"`) || strings.Contains(plan, `"Index Name": "units_name_trgm"`) {
			t.Errorf("the walk does not walk units_live_order alone:\n%s", plan)
		}
		// Search answers what the one statement answers: a common word
		// (the walk fills the page), a rare one (the index), a word of two
		// characters (the one statement), a word no unit holds, in the
		// whole tree and in a few units' subtrees.
		for _, paths := range [][]string{{"/"}, {"/1001/", "/1777/", "/1500/"}} {
			for _, word := range []string{"xa", "xa 1", rare[:12], rare[3:9] + " 777", "1234", "zzzz", "chi"} {
				checkUnitSearchAsOneStatement(ctx, t, db, paths, word)
			}
		}
	})
}

// checkUnitSearchAsOneStatement: Search answers for word in paths what
// its one statement (unitSearchSQL) answers, a page of 20.
func checkUnitSearchAsOneStatement(ctx context.Context, t *testing.T, db *DB, paths []string, word string) {
	t.Helper()
	q, a := unitSearchSQL(paths, word, 20)
	want, err := db.queryUnits(ctx, q, a...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := (Units{db}).Search(ctx, paths, word, 20)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(unitIDs(want), unitIDs(got)); diff != "" {
		t.Errorf("%v %q (-one statement +search):\n%s", paths, word, diff)
	}
}

func unitIDs(us []org.Unit) []int64 {
	ids := []int64{}
	for _, u := range us {
		ids = append(ids, u.ID)
	}
	return ids
}

// TestSearchUnitsOrderedWalk: in a tree of 20,000 live units under one
// root, the units search answers on both engines what its one statement
// answers (a common word, a rare one, one no unit holds; the root's
// reach, the whole tree, a few units), and on SQLite (migration 0052) the
// root's reach walks units_live_order and stops after the page, with no
// sort, while a few units' reach keeps the path index.
func TestSearchUnitsOrderedWalk(t *testing.T) {
	forEachFreshDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		root := &org.Unit{Kind: org.KindDistrict, Name: "Huyện ủy", Code: "R", ValidFrom: date.MustParse("2000-01-01")}
		if err := (Units{db}).Create(ctx, root, auth.AuditEntry{Actor: system, Action: "unit.create", ObjectType: "unit"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.ExecContext(ctx, `WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 20000)
			INSERT INTO units (parent_id, kind, cell_type, name, name_folded, code, path, depth, version, valid_from, created_at)
			SELECT $1, 'cell', '', 'Chi bộ ' || n, CASE WHEN n % 5000 = 7 THEN 'phu tuc ' || n ELSE 'xa ' || (n % 300) END, 'U' || n, $2 || (100000 + n) || '/', 1 + n % 4, 1, '2020-01-01', CURRENT_TIMESTAMP
			FROM i`, root.ID, root.Path); err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
			t.Fatal(err)
		}
		few := []string{root.Path + "100001/", root.Path + "100007/", root.Path + "105007/"}
		for _, paths := range [][]string{{root.Path}, {"/"}, few} {
			for _, word := range []string{"xa", "xa 1", "phu tuc", "zzzz"} {
				checkUnitSearchAsOneStatement(ctx, t, db, paths, word)
			}
		}
		if db.dialect != sqliteDialect {
			return
		}
		c := newPlanChecker(t, db)
		q, args, err := (Units{db}).sqliteUnitSearch(ctx, []string{root.Path}, "xa", 20)
		if err != nil {
			t.Fatal(err)
		}
		if plan := strings.Join(c.plan(t, "root", q, args), "\n"); !strings.Contains(plan, "units_live_order") || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("the root's search does not walk units_live_order alone:\n%s", plan)
		}
		q, args, err = (Units{db}).sqliteUnitSearch(ctx, few, "xa", 20)
		if err != nil {
			t.Fatal(err)
		}
		if plan := strings.Join(c.plan(t, "few", q, args), "\n"); strings.Contains(plan, "units_live_order") {
			t.Errorf("a few units' search walks units_live_order:\n%s", plan)
		}
	})
}
