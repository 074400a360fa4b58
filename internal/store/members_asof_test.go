package store

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// asOfOracle is the member list of a past day by the statement the list
// used before member_asof_scopes (asOfMembers: the day's memberships of
// the subtree rebuilt, then sorted): every match, in list order.
func asOfOracle(t *testing.T, db *DB, path string, d date.Date, statuses []member.Status) []member.Member {
	t.Helper()
	var args argList
	from, st := asOfMembers(&args, path, d)
	where := ""
	if len(statuses) > 0 {
		where = " WHERE " + st + " IN " + args.in(statuses)
	}
	got, err := queryAll(context.Background(), db.read, scanSearchRow, `SELECT `+memberColumns+`, `+st+` FROM `+from+where+` ORDER BY m.sort_key, m.id`, args...)
	if err != nil {
		t.Fatalf("oracle %s on %s: %v", path, d, err)
	}
	return got
}

// oraclePage is the page of the oracle's list after cursor (as the list
// pages: keyset on sort key and id) and whether another follows.
func oraclePage(t *testing.T, all []member.Member, cursor string, limit int) ([]member.Member, bool) {
	t.Helper()
	var out []member.Member
	for _, m := range all {
		if cursor != "" {
			k, id, err := decodeCursor(cursor)
			if err != nil {
				t.Fatal(err)
			}
			if c := bytes.Compare(m.SortKey, k); c < 0 || c == 0 && m.ID <= id {
				continue
			}
		}
		out = append(out, m)
	}
	if len(out) > limit {
		return out[:limit], true
	}
	return out, false
}

// asOfItem is what the test compares of a listed member: the record as
// listed, the cell's name of the day and the status of the day.
type asOfItem struct {
	ID       int64
	Name     string
	UnitName string
	Status   member.Status
}

func asOfItems(ms []member.Member) []asOfItem {
	out := make([]asOfItem, len(ms))
	for i, m := range ms {
		out[i] = asOfItem{m.ID, m.FullName, m.UnitName, m.Status}
	}
	// Two memberships of one member open on one day are two rows with
	// one key, in either order.
	slices.SortStableFunc(out, func(a, b asOfItem) int {
		if a.ID != b.ID {
			return 0
		}
		return strings.Compare(a.UnitName, b.UnitName)
	})
	return out
}

// TestMemberAsOfAfterRandomWrites runs random writes through the store's
// own write paths (members created with memberships from various days,
// official transfers between cells, status changes, renames that move a
// member in name order, communes moved to the other district, cells
// merged into another (their members transferred set-based, the cell
// dissolved), official past memberships inserted, shortened and deleted)
// and then compares the list of a past day (member_asof_scopes) with the
// old statement (asOfOracle) for every unit of the tree, live or
// dissolved, on days around the writes (the days of moves and transfers
// themselves, the days before them) and a few others, with the active
// statuses, every status and none: every page (three members a page,
// following the cursors), the statuses of the day, the cells' names and
// the total, exact up to the bound (4 here) and "at least" above it.
// Then `check counters` must find nothing, and a row removed must be
// reported and put back by the fix.
func TestMemberAsOfAfterRandomWrites(t *testing.T) {
	const bound = 4
	forEachDB(t, func(t *testing.T, db *DB) {
		db.memberBounds.asOf = bound
		ctx := context.Background()
		rng := rand.New(rand.NewSource(45))
		us, cells := counterTree(t, db)
		audit := func(action string) auth.AuditEntry {
			return auth.AuditEntry{Actor: system, Action: action, ObjectType: "test"}
		}
		var members []int64
		names := []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang"}
		addMember := func() {
			since := date.New(2019+rng.Intn(6), time.Month(1+rng.Intn(12)), 1+rng.Intn(28))
			m := &member.Member{UnitID: cells[rng.Intn(len(cells))].ID, FullName: fmt.Sprintf("%s %d", names[rng.Intn(len(names))], len(members)),
				Gender: member.Male, AdmittedOn: since.AddDays(rng.Intn(400) - 200), Status: member.StatusProbationary}
			if rng.Intn(2) == 0 {
				m.FullOn, m.Status = m.AdmittedOn.AddYears(1), member.StatusFull
			}
			member.Normalize(m)
			if err := (Members{db}).Create(ctx, m, since, audit("member.create")); err != nil {
				t.Fatalf("create member: %v", err)
			}
			members = append(members, m.ID)
		}
		for range 12 {
			addMember()
		}
		load := func(id int64) *member.Member { return loadMember(t, db, id) }
		day := date.MustParse("2026-01-01")
		days := []date.Date{date.MustParse("2018-06-01"), date.MustParse("2021-03-15"), date.MustParse("2023-07-01"), date.MustParse("2025-12-31")}
		next := func() date.Date {
			day = day.AddDays(1 + rng.Intn(3))
			if rng.Intn(3) == 0 {
				days = append(days, day.AddDays(-1), day)
			}
			return day
		}
		ops := map[string]int{}
		var merged []int64
		for range 60 {
			switch k := rng.Intn(100); {
			case k < 10:
				addMember()
				ops["create"]++
			case k < 30:
				if !transferMember(t, db, load(members[rng.Intn(len(members))]), cells[rng.Intn(len(cells))].ID, next, audit("member.transfer")) {
					continue
				}
				ops["transfer"]++
			case k < 40:
				if !changeMemberStatus(t, db, load(members[rng.Intn(len(members))]), member.Statuses[rng.Intn(len(member.Statuses))], next, audit("member.status")) {
					continue
				}
				ops["status"]++
			case k < 50:
				m := load(members[rng.Intn(len(members))])
				m.FullName = names[rng.Intn(len(names))] + " Mới"
				member.Normalize(m)
				if err := (Members{db}).Update(ctx, m, m.Version, audit("member.update")); err != nil {
					t.Fatalf("rename: %v", err)
				}
				ops["rename"]++
			case k < 62:
				moveCommune(t, db, us, rng.Intn(3), next())
				ops["move unit"]++
			case k < 67:
				if len(cells) < 4 {
					continue
				}
				i := rng.Intn(len(cells))
				merged = append(merged, cells[i].ID)
				cells = mergeCellIntoNext(t, db, cells, i, next(), audit("unit.merge"))
				ops["merge"]++
			default:
				ops["past membership "+editPastMembership(t, db, rng, members, cells)]++
			}
		}
		// Renames last, so that no later write rewrites their rows: the
		// sort key's trigger alone must move them in name order.
		for _, id := range members[:3] {
			m := load(id)
			m.FullName = "Đỗ " + m.FullName
			member.Normalize(m)
			if err := (Members{db}).Update(ctx, m, m.Version, audit("member.update")); err != nil {
				t.Fatalf("rename: %v", err)
			}
		}
		t.Logf("writes: %v", ops)
		for _, op := range []string{"create", "transfer", "status", "rename", "move unit", "merge", "past membership insert", "past membership update", "past membership delete"} {
			if ops[op] == 0 {
				t.Errorf("the random writes never did %q: change the seed", op)
			}
		}
		all, err := Units{db}.Subtree(ctx, mustPath(t, db, us["C"].ID), 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range merged {
			u, err := Units{db}.Unit(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, *u)
		}
		const limit = 3
		// The old statement's list of each unit, day and statuses, and each
		// unit's size, read once: nothing is written between the two
		// passes below, which compare the same lists.
		type listKey struct {
			path     string
			day      date.Date
			statuses int
		}
		statusSets := [][]member.Status{member.ActiveStatuses, member.Statuses, nil}
		oracle := map[listKey][]member.Member{}
		sizes := map[int64]int{}
		for _, u := range all {
			for _, d := range days {
				for i, statuses := range statusSets {
					oracle[listKey{u.Path, d, i}] = asOfOracle(t, db, u.Path, d, statuses)
				}
			}
		}
		// Each list twice: with the sorted read of the day's rows as cheap
		// as a row of the walk (asOfSparseCost 1: every exact list of a
		// subtree of five members or more reads them sorted) and as dear
		// as a million (every list walks), so that both pages are compared
		// with the old statement whatever the choice between them.
		for _, cost := range []int{1, 1 << 20} {
			db.memberBounds.asOfSparseCost = cost
			var listed, above, exact, sorted int
			for _, u := range all {
				for _, d := range days {
					for i, statuses := range statusSets {
						want := oracle[listKey{u.Path, d, i}]
						cursor := ""
						for n := 0; ; n++ {
							f := member.Filter{Path: u.Path, AsOf: d, Statuses: statuses, Limit: limit, Cursor: cursor}
							got, err := Members{db}.List(ctx, f)
							if err != nil {
								t.Fatalf("list %s on %s: %v", u.Path, d, err)
							}
							page, more := oraclePage(t, want, cursor, limit)
							if diff := cmp.Diff(asOfItems(page), asOfItems(got.Items)); diff != "" {
								t.Errorf("unit %s on %s, statuses %v, page %d: (-old statement +as-of scopes):\n%s", u.Path, d, statuses, n, diff)
							}
							wantTotal, wantAtLeast := len(want), len(want) > bound
							if wantAtLeast {
								wantTotal = bound
							}
							if got.Total != wantTotal || got.TotalAtLeast != wantAtLeast {
								t.Errorf("unit %s on %s, statuses %v: total %d (at least: %v), want %d (%v)", u.Path, d, statuses, got.Total, got.TotalAtLeast, wantTotal, wantAtLeast)
							}
							if (got.NextCursor != nil) != more {
								t.Errorf("unit %s on %s, statuses %v, page %d: next cursor %v, want one: %v", u.Path, d, statuses, n, got.NextCursor, more)
							}
							listed += len(got.Items)
							if got.NextCursor == nil || n > 50 {
								break
							}
							cursor = *got.NextCursor
						}
						switch {
						case len(want) > bound:
							above++
						case len(want) > 0:
							exact++
							size, ok := sizes[u.ID]
							if !ok {
								size = subtreeMembers(t, db, u.ID)
								sizes[u.ID] = size
							}
							if cost*len(want)*len(want) < (limit+1)*size {
								sorted++
							}
						}
					}
				}
			}
			t.Logf("sorted read at %d rows of the walk: %d units, %d days: %d members listed, %d lists above the bound, %d exact below it (%d read sorted)",
				cost, len(all), len(days), listed, above, exact, sorted)
			if listed == 0 || above == 0 || exact == 0 || (cost == 1) != (sorted > 0) {
				t.Errorf("sorted read at %d rows of the walk: listed %d members, %d lists above the bound, %d exact below it (%d read sorted): the comparison proves too little",
					cost, listed, above, exact, sorted)
			}
		}

		checkNoDrift(t, db, " after the writes")
		if _, err := db.write.ExecContext(ctx, `DELETE FROM member_asof_scopes WHERE member_id = $1`, members[0]); err != nil {
			t.Fatal(err)
		}
		drift, err := db.CheckCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(drift), 1; got != want || drift[0].Key != fmt.Sprintf("member_id=%d, rows", members[0]) {
			t.Errorf("check after a member's rows were removed: got %v, want one drift of member %d", drift, members[0])
		}
		if _, err := db.FixCounters(ctx); err != nil {
			t.Fatal(err)
		}
		checkNoDrift(t, db, " after the fix")
	})
}

// editPastMembership inserts an official past membership of a random
// member in a random cell, shortens one, or deletes one (directly: the
// imports and corrections write them so) and says which.
func editPastMembership(t *testing.T, db *DB, rng *rand.Rand, members []int64, cells []*org.Unit) string {
	t.Helper()
	ctx := context.Background()
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM past_memberships WHERE kind = 'official'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	op := []string{"insert", "update", "delete"}[rng.Intn(3)]
	if n == 0 {
		op = "insert"
	}
	err := db.Write(ctx, func(tx *Tx) error {
		switch op {
		case "insert":
			from := date.New(2017+rng.Intn(8), time.Month(1+rng.Intn(12)), 1+rng.Intn(28))
			_, err := tx.ExecContext(ctx, `INSERT INTO past_memberships (member_id, unit_id, kind, valid_from, valid_to) VALUES ($1, $2, 'official', $3, $4)`,
				members[rng.Intn(len(members))], cells[rng.Intn(len(cells))].ID, from, from.AddDays(30+rng.Intn(900)))
			return err
		case "update":
			var id int64
			var from date.Date
			if err := tx.QueryRowContext(ctx, `SELECT member_id, valid_from FROM past_memberships WHERE kind = 'official'
				ORDER BY member_id, valid_from LIMIT 1 OFFSET $1`, rng.Intn(n)).Scan(&id, &from); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE past_memberships SET valid_to = $1 WHERE kind = 'official' AND member_id = $2 AND valid_from = $3`,
				from.AddDays(1+rng.Intn(900)), id, from)
			return err
		default:
			_, err := tx.ExecContext(ctx, `DELETE FROM past_memberships WHERE kind = 'official' AND member_id =
				(SELECT member_id FROM past_memberships WHERE kind = 'official' ORDER BY member_id, valid_from LIMIT 1 OFFSET $1)`, rng.Intn(n))
			return err
		}
	})
	if err != nil {
		t.Fatalf("past membership %s: %v", op, err)
	}
	return op
}

// subtreeMembers is the sum of the unit's per-subtree member counters, the
// size a past day's list weighs its total against.
func subtreeMembers(t *testing.T, db *DB, unitID int64) int {
	t.Helper()
	var n int
	if err := db.read.QueryRowContext(context.Background(), `SELECT COALESCE(SUM(n), 0) FROM subtree_member_counts WHERE unit_id = $1`, unitID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
