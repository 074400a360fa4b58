package store

import (
	"context"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// counterTree makes the province C of the randomised counter tests: two
// districts, three communes, seven cells (answered apart).
func counterTree(t *testing.T, db *DB) (map[string]*org.Unit, []*org.Unit) {
	t.Helper()
	us := mustTree(t, db, "province C", "district C.1", "district C.2",
		"grassroots C.1.A", "grassroots C.1.B", "grassroots C.2.A",
		"cell C.1.A.1", "cell C.1.A.2", "cell C.1.B.1", "cell C.1.B.2", "cell C.2.A.1", "cell C.2.A.2", "cell C.2.A.3")
	var cells []*org.Unit
	for _, c := range []string{"C.1.A.1", "C.1.A.2", "C.1.B.1", "C.1.B.2", "C.2.A.1", "C.2.A.2", "C.2.A.3"} {
		cells = append(cells, us[c])
	}
	return us, cells
}

// birthNearBounds draws a birth date for the statistics' random tests:
// unknown one time in ten, any day from 1940 to lastYear two in ten,
// February 29th of one of the leaps leap years from 1956 one in ten, and
// otherwise a day around an age band's bound (30, 40 … 70 years) on one
// of the days compared: three days before it to three after.
func birthNearBounds(rng *rand.Rand, days []date.Date, lastYear, leaps int) date.Date {
	switch k := rng.Intn(10); {
	case k == 0:
		return date.Date{} // unknown
	case k < 3:
		return date.New(1940+rng.Intn(lastYear-1940+1), time.Month(1+rng.Intn(12)), 1+rng.Intn(28))
	case k < 4:
		return date.New(1956+4*rng.Intn(leaps), time.February, 29)
	default:
		d := days[rng.Intn(len(days))]
		return d.AddYears(-(30 + 10*rng.Intn(5))).AddDays(rng.Intn(7) - 3)
	}
}

// counterMembers and counterWrites size TestCountersAfterRandomWrites.
const counterMembers, counterWrites = 30, 150

// TestCountersAfterRandomWrites runs a hundred and fifty random writes through
// the store's own write paths (members created, transferred, changing
// status in and out of the active statuses, changing gender or birth date;
// cells merged, which moves their members set-based and dissolves the
// cell; a cell's type changed; communes moved to another district, which
// carries their subtree's counters from one district to the other;
// receipts; documents revised) and then checks (1) that the per-subtree
// counters equal their recomputation (CheckCounters, the code of `sotay
// check counters`), (2) that the read-rate roll-up read from the counters
// (ReadRollup) equals the old member-by-member query (readCountsScan, the
// oracle) for every document and every unit of the tree, (3) that
// today's statistics from the counters (the bounds' months from the
// birth-day counters, and from member rows by unit and by birth date)
// equal the old statement (statsScan) for every unit on several days
// (birth dates are drawn around the age bands' bounds: the days before, on
// and after them, February 29th and month ends), and (4) that the member
// list's total of a whole subtree, read from the counters, equals a count
// of the members for every unit, with and without statuses. It ends by tampering with a counter and seeing the check
// report it and the fix repair it.
//
// Sizes: 30 members and 150 writes (60 and 300 until session 7, which
// halved them for the suite's time). With them the test still fails on
// the mistakes it is there for: the statement of members_subtree_update
// that adds a moved member's receipts at the new ancestors removed
// (SQLite: 14 counters drifted, seen in session 7); see
// docs/benchmarks.md, "Session 7".
func TestCountersAfterRandomWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		rng := rand.New(rand.NewSource(16))
		us, cells := counterTree(t, db)
		var members []int64
		card := 20000000
		// The days the statistics are compared on, and birth dates around
		// the bands' bounds on those days.
		days := []date.Date{date.MustParse("2026-01-15"), date.MustParse("2026-01-31"), date.MustParse("2026-03-01"),
			date.MustParse("2028-02-29"), date.MustParse("2026-12-31"), date.MustParse("2027-06-30")}
		birth := func() date.Date { return birthNearBounds(rng, days, 2004, 12) }
		genders := []member.Gender{member.Male, member.Female}
		addMember := func() {
			card++
			m := &member.Member{UnitID: cells[rng.Intn(len(cells))].ID, FullName: fmt.Sprintf("Nguyễn Văn %d", card), Gender: genders[rng.Intn(2)],
				BirthDate: birth(), CardNo: fmt.Sprint(card), AdmittedOn: date.MustParse("2005-03-01"), FullOn: date.MustParse("2006-03-01"), Status: member.StatusFull}
			member.Normalize(m)
			if err := (Members{db}).Create(ctx, m, m.AdmittedOn, auth.AuditEntry{Actor: system, Action: "member.create", ObjectType: "member"}); err != nil {
				t.Fatalf("create member: %v", err)
			}
			members = append(members, m.ID)
		}
		for range counterMembers {
			addMember()
		}
		docs := []*doc.Document{
			mustDoc(t, db, &doc.Document{Type: "CT", IssuerCode: "TU", IssuerUnitID: us["C"].ID, Title: "Chỉ thị toàn thành", Audience: doc.Audience{UnitID: us["C"].ID}}),
			mustDoc(t, db, &doc.Document{Type: "NQ", IssuerCode: "HU", IssuerUnitID: us["C.1"].ID, Title: "Nghị quyết huyện", Audience: doc.Audience{UnitID: us["C.1"].ID}}),
		}
		audit := func(action string) auth.AuditEntry {
			return auth.AuditEntry{Actor: system, Action: action, ObjectType: "test"}
		}
		day := date.MustParse("2026-01-01")
		next := func() date.Date { day = day.AddDays(1); return day }
		load := func(id int64) *member.Member { return loadMember(t, db, id) }
		ops := map[string]int{}
		for range counterWrites {
			switch k := rng.Intn(100); {
			case k < 10:
				addMember()
				ops["create"]++
			case k < 25: // a transfer to another live cell
				if !transferMember(t, db, load(members[rng.Intn(len(members))]), cells[rng.Intn(len(cells))].ID, next, audit("member.transfer")) {
					continue
				}
				ops["transfer"]++
			case k < 33: // a status change, in and out of the active ones
				if !changeMemberStatus(t, db, load(members[rng.Intn(len(members))]), member.Statuses[rng.Intn(len(member.Statuses))], next, audit("member.status")) {
					continue
				}
				ops["status"]++
			case k < 40: // gender or birth date corrected
				m := load(members[rng.Intn(len(members))])
				if rng.Intn(2) == 0 {
					m.Gender = genders[rng.Intn(2)]
				} else {
					m.BirthDate = birth()
				}
				if err := (Members{db}).Update(ctx, m, m.Version, audit("member.update")); err != nil {
					t.Fatalf("update: %v", err)
				}
				ops["edit"]++
			case k < 43: // a cell's type changed
				c, err := Units{db}.Unit(ctx, cells[rng.Intn(len(cells))].ID)
				if err != nil {
					t.Fatal(err)
				}
				c.CellType = org.CellTypes[rng.Intn(len(org.CellTypes))]
				if err := (Units{db}).Update(ctx, c, c.Version, audit("unit.update")); err != nil {
					t.Fatalf("unit update: %v", err)
				}
				ops["cell type"]++
			case k < 80: // a receipt of the current revision
				d := docs[rng.Intn(len(docs))]
				if err := (Docs{db}).RecordReceipt(ctx, d.ID, members[rng.Intn(len(members))], d.Version); err != nil {
					t.Fatalf("receipt: %v", err)
				}
				ops["receipt"]++
			case k < 85: // a new revision
				i := rng.Intn(len(docs))
				d := docs[i]
				d.Title += " (sửa)"
				if err := (Docs{db}).Revise(ctx, d, d.Version, audit("document.revise")); err != nil {
					t.Fatalf("revise: %v", err)
				}
				docs[i], _ = Docs{db}.Document(ctx, d.ID)
				ops["revise"]++
			case k < 92: // a commune moved to the other district
				moveCommune(t, db, us, rng.Intn(3), next())
				ops["move unit"]++
			default: // a cell merged into another: its members move set-based
				if len(cells) < 3 {
					continue
				}
				i := rng.Intn(len(cells))
				cells = mergeCellIntoNext(t, db, cells, i, next(), audit("unit.merge"))
				ops["merge"]++
			}
		}
		t.Logf("writes: %v", ops)
		for _, op := range []string{"create", "transfer", "status", "edit", "cell type", "receipt", "revise", "move unit", "merge"} {
			if ops[op] == 0 {
				t.Errorf("the random writes never did %q: change the seed", op)
			}
		}

		checkNoDrift(t, db, " after the writes")

		// The roll-up from the counters equals the old query's, everywhere.
		all, err := Units{db}.Subtree(ctx, mustPath(t, db, us["C"].ID), 100)
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, d := range docs {
			d, err := Docs{db}.Document(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			// Some of the current revision's receipts, so the comparison is not 0 = 0.
			for _, id := range members[:10] {
				if err := (Docs{db}).RecordReceipt(ctx, d.ID, id, d.Version); err != nil {
					t.Fatal(err)
				}
			}
			for _, u := range all {
				cells, err := Docs{db}.readCountsScan(ctx, d, u.Path)
				if err != nil {
					t.Fatal(err)
				}
				want := rollupCells(u.Path, cells)
				got, err := Docs{db}.ReadRollup(ctx, d, u.Path)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(rollupMap(want), rollupMap(got)); diff != "" {
					t.Errorf("document %d v%d, unit %s: roll-up (-old query +counters):\n%s", d.ID, d.Version, u.Path, diff)
				}
				checked += want.Total.Read
			}
		}
		if checked == 0 {
			t.Errorf("no receipt counted anywhere: the comparison proves nothing")
		}

		// Today's statistics from the counters equal the old statement's,
		// for every unit (live or dissolved) and on every day.
		banded, inBoundary := 0, 0
		for _, u := range all {
			for _, day := range days {
				want, err := Units{db}.statsScan(ctx, u.Path, day, true)
				if err != nil {
					t.Fatal(err)
				}
				got, err := Units{db}.Stats(ctx, u.Path, day, true)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("unit %s on %s: statistics (-old statement +counters):\n%s", u.Path, day, diff)
				}
				// The boundary months counted from member rows instead of
				// the birth-day counters: by the subtree's units and by
				// birth date (0025's two methods).
				for _, m := range []struct {
					name   string
					method boundaryMethod
				}{{"by unit", boundaryByUnit}, {"by birth date", boundaryByBirth}} {
					got, err = Units{db}.statsFromCounters(ctx, u.Path, day, m.method)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("unit %s on %s, %s: statistics (-old statement +counters):\n%s", u.Path, day, m.name, diff)
					}
				}
				banded += len(want.Members.ByAgeBand)
				inBoundary += boundaryBirths(t, db, u.Path, day)
			}
		}
		if banded == 0 {
			t.Errorf("no age band counted anywhere: the comparison proves nothing")
		}
		if inBoundary == 0 {
			t.Errorf("no active member born in a bound's month after its day: the birth-day counters were not compared")
		}

		// The member list's total of a whole subtree (read from the
		// counters) equals a count of the subtree's members, with and
		// without statuses, for every unit.
		statusSets := [][]member.Status{nil, {member.StatusFull}, {member.StatusProbationary, member.StatusFull, member.StatusExempt}, {member.StatusDeceased, member.StatusFull}}
		listed := 0
		for _, u := range all {
			for _, sts := range statusSets {
				want := subtreeMemberCount(t, db, u.Path, sts)
				p, err := Members{db}.List(ctx, member.Filter{Path: u.Path, Statuses: sts, Limit: 5})
				if err != nil {
					t.Fatal(err)
				}
				if p.Total != want || p.TotalAtLeast {
					t.Errorf("unit %s, statuses %v: member list total %d (at least: %v), want %d", u.Path, sts, p.Total, p.TotalAtLeast, want)
				}
				listed += want
			}
		}
		if listed == 0 {
			t.Errorf("no member counted in any list: the comparison proves nothing")
		}

		// A counter off by one is reported, and the fix repairs it.
		if _, err := db.write.ExecContext(ctx, `INSERT INTO subtree_member_counts (unit_id, status, gender, n) VALUES ($1, 'full', 'male', 1)
			ON CONFLICT (unit_id, status, gender) DO UPDATE SET n = subtree_member_counts.n + 1`, cells[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.ExecContext(ctx, `DELETE FROM subtree_read_counts WHERE document_id = $1`, docs[0].ID); err != nil {
			t.Fatal(err)
		}
		// A member's day of admission kept in member_scopes (migration
		// 0046) at each unit of its path.
		var scoped, scopeRows int64
		if err := db.read.QueryRowContext(ctx, `SELECT MIN(member_id) FROM member_scopes`).Scan(&scoped); err != nil {
			t.Fatal(err)
		}
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM member_scopes WHERE member_id = $1`, scoped).Scan(&scopeRows); err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.ExecContext(ctx, `UPDATE member_scopes SET admitted_on = '1900-01-01' WHERE member_id = $1`, scoped); err != nil {
			t.Fatal(err)
		}
		drift, err := db.CheckCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tables := map[string]int{}
		for _, d := range drift {
			tables[d.Table]++
		}
		if tables["subtree_member_counts"] != 1 || tables["subtree_read_counts"] == 0 || int64(tables["member_scopes"]) != scopeRows {
			t.Errorf("after tampering: drift %v, want one member count, the document's read counts and %d rows of member_scopes", drift, scopeRows)
		}
		fixed, err := db.FixCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(fixed) != len(drift) {
			t.Errorf("fix repaired %d counters, want %d", len(fixed), len(drift))
		}
		if drift, err := db.CheckCounters(ctx); err != nil || len(drift) > 0 {
			t.Errorf("after the fix: drift %v, %v", drift, err)
		}
	})
}

// rollupMap keys a roll-up's counts by unit path, dropping children with
// nothing to count (the counters keep rows that fell to 0).
func rollupMap(r *doc.ReadRollup) map[string][2]int {
	out := map[string][2]int{"total " + r.Total.Path: {r.Total.Expected, r.Total.Read}}
	for _, c := range r.Children {
		if c.Expected != 0 || c.Read != 0 {
			out[c.Path] = [2]int{c.Expected, c.Read}
		}
	}
	return out
}

// boundaryBirths counts, from member rows, the active members of the
// subtree at path born in an age band's bound month after the bound's day
// on day: what the birth-day counters answer for.
func boundaryBirths(t *testing.T, db *DB, path string, day date.Date) int {
	t.Helper()
	total := 0
	for _, c := range ageBandCuts(day) {
		var n int
		if err := db.read.QueryRow(`SELECT COUNT(*) FROM members m JOIN units u ON u.id = m.unit_id
			WHERE u.path >= $1 AND u.path < $2 AND m.status IN ('probationary', 'full', 'exempt') AND m.birth_date > $3 AND m.birth_date < $4`,
			path, prefixEnd(path), c.String(), monthAfter(c).String()).Scan(&n); err != nil {
			t.Fatal(err)
		}
		total += n
	}
	return total
}

// subtreeMemberCount counts the members of the subtree at path (of the
// statuses sts; nil: every status) from their rows.
func subtreeMemberCount(t *testing.T, db *DB, path string, sts []member.Status) int {
	t.Helper()
	q := `SELECT COUNT(*) FROM members m JOIN units u ON u.id = m.unit_id WHERE u.path >= $1 AND u.path < $2`
	args := argList{path, prefixEnd(path)}
	if len(sts) > 0 {
		q += ` AND m.status IN ` + args.in(sts)
	}
	var n int
	if err := db.read.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// communeAndOtherDistrict returns commune i of the counters' small city
// (C.1.A, C.1.B, C.2.A) and the district it is not in now.
func communeAndOtherDistrict(t *testing.T, db *DB, us map[string]*org.Unit, i int) (c, to *org.Unit) {
	t.Helper()
	c = []*org.Unit{us["C.1.A"], us["C.1.B"], us["C.2.A"]}[i]
	cur, err := Units{db}.Unit(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	to = us["C.1"]
	if *cur.ParentID == to.ID {
		to = us["C.2"]
	}
	return c, to
}

// moveCommune moves commune i of the counters' small city (C.1.A, C.1.B,
// C.2.A) to the other district on day on.
func moveCommune(t *testing.T, db *DB, us map[string]*org.Unit, i int, on date.Date) {
	t.Helper()
	ctx := context.Background()
	c, to := communeAndOtherDistrict(t, db, us, i)
	if err := (Units{db}).Move(ctx, c.ID, to.ID, on, auth.AuditEntry{Actor: system, Action: "unit.move", ObjectType: "test"}); err != nil {
		t.Fatalf("move unit: %v", err)
	}
}
