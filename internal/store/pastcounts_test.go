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
	"github.com/sotay-vn/sotay/internal/member"
)

// pastMembers and pastWrites size TestPastStatsAfterRandomWrites.
const pastMembers, pastWrites = 30, 120

// TestPastStatsAfterRandomWrites runs random writes through the store's
// own write paths, most of them dated in the past (members created with
// admission, full-membership and unit dates of years ago, imported in
// batches, edited (gender, birth date, admission and full-membership
// dates), transferred, leaving, dying, struck off, exempted; communes
// moved between districts; cells merged, dissolved), and then compares
// the statistics of many past days read from the dated counters
// (statsPast, migration 0035) with the old statement (statsScan, the
// oracle) for every unit that existed on the day, at the path it had
// then; and it checks the counters against their recount (CheckCounters).
// Birth dates are drawn around the age bands' bounds on the days compared,
// February 29th included.
func TestPastStatsAfterRandomWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		rng := rand.New(rand.NewSource(35))
		us, cells := counterTree(t, db)
		days := []date.Date{date.MustParse("2003-06-30"), date.MustParse("2008-02-29"), date.MustParse("2012-01-01"),
			date.MustParse("2016-03-01"), date.MustParse("2019-12-31"), date.MustParse("2021-07-15"), date.MustParse("2023-02-28"),
			date.MustParse("2024-11-30"), date.MustParse("2025-06-01")}
		anyDay := func(from, to int) date.Date {
			return date.New(from+rng.Intn(to-from+1), time.Month(1+rng.Intn(12)), 1+rng.Intn(28))
		}
		birth := func() date.Date { return birthNearBounds(rng, days, 2000, 10) }
		genders := []member.Gender{member.Male, member.Female}
		var members []int64
		card := 30000000
		newMember := func() *member.Member {
			card++
			admitted := anyDay(1998, 2024)
			m := &member.Member{UnitID: cells[rng.Intn(len(cells))].ID, FullName: fmt.Sprintf("Trần Thị %d", card), Gender: genders[rng.Intn(2)],
				BirthDate: birth(), CardNo: fmt.Sprint(card), AdmittedOn: admitted, Status: member.StatusProbationary}
			if rng.Intn(4) > 0 {
				m.FullOn, m.Status = admitted.AddYears(1), member.StatusFull
			}
			member.Normalize(m)
			return m
		}
		audit := func(action string) auth.AuditEntry {
			return auth.AuditEntry{Actor: system, Action: action, ObjectType: "test"}
		}
		addMember := func() {
			m := newMember()
			since := m.AdmittedOn.AddDays(rng.Intn(400))
			if err := (Members{db}).Create(ctx, m, since, audit("member.create")); err != nil {
				t.Fatalf("create member: %v", err)
			}
			members = append(members, m.ID)
		}
		for range pastMembers {
			addMember()
		}
		load := func(id int64) *member.Member {
			m, _, err := Members{db}.Member(ctx, id)
			if err != nil {
				t.Fatalf("member %d: %v", id, err)
			}
			return m
		}
		ops := map[string]int{}
		for range pastWrites {
			switch k := rng.Intn(100); {
			case k < 10:
				addMember()
				ops["create"]++
			case k < 15: // an import of a few records
				var batch []*member.Member
				for range 1 + rng.Intn(4) {
					batch = append(batch, newMember())
				}
				if err := (Members{db}).Import(ctx, batch, nil, audit("member.import")); err != nil {
					t.Fatalf("import: %v", err)
				}
				for _, m := range batch {
					members = append(members, m.ID)
				}
				ops["import"]++
			case k < 30: // a transfer, dated after the member joined the cell
				m := load(members[rng.Intn(len(members))])
				to := cells[rng.Intn(len(cells))]
				if to.ID == m.UnitID {
					continue
				}
				var since date.Date
				if err := db.read.QueryRowContext(ctx, `SELECT unit_since FROM members WHERE id = $1`, m.ID).Scan(&since); err != nil {
					t.Fatal(err)
				}
				on := since.AddDays(1 + rng.Intn(3000))
				ev := member.Event{Kind: "transfer_official", FromUnitID: m.UnitID, ToUnitID: to.ID, EffectiveOn: on}
				m.UnitID = to.ID
				if err := (Members{db}).Transfer(ctx, m, m.Version, ev, audit("member.transfer")); err != nil {
					t.Fatalf("transfer: %v", err)
				}
				ops["transfer"]++
			case k < 52: // leaving, dying, struck off, exempted, back to full: dated in the past
				m := load(members[rng.Intn(len(members))])
				to := member.Statuses[rng.Intn(len(member.Statuses))]
				if to == m.Status {
					continue
				}
				ev := member.Event{Kind: "status", FromStatus: m.Status, ToStatus: to, EffectiveOn: anyDay(2000, 2025)}
				if to == member.StatusFull && m.FullOn.IsZero() {
					m.FullOn = ev.EffectiveOn
				}
				m.Status = to
				if err := (Members{db}).ChangeStatus(ctx, m, m.Version, ev, audit("member.status")); err != nil {
					t.Fatalf("status: %v", err)
				}
				ops["status "+string(to)]++
			case k < 65: // gender, birth date, admission or full-membership date corrected
				m := load(members[rng.Intn(len(members))])
				switch rng.Intn(4) {
				case 0:
					m.Gender = genders[rng.Intn(2)]
				case 1:
					m.BirthDate = birth()
				case 2:
					m.AdmittedOn = anyDay(1998, 2024)
				default:
					if !m.FullOn.IsZero() {
						m.FullOn = m.AdmittedOn.AddDays(300 + rng.Intn(200))
					}
				}
				if err := (Members{db}).Update(ctx, m, m.Version, audit("member.update")); err != nil {
					t.Fatalf("update: %v", err)
				}
				ops["edit"]++
			case k < 82: // a commune moved to the other district, dated in the past
				c, to := communeAndOtherDistrict(t, db, us, rng.Intn(3))
				var last string
				if err := db.read.QueryRowContext(ctx, `SELECT MAX(valid_from) FROM unit_history WHERE unit_id = $1`, c.ID).Scan(&last); err != nil {
					t.Fatal(err)
				}
				on := date.MustParse(last).AddDays(1 + rng.Intn(900))
				if err := (Units{db}).Move(ctx, c.ID, to.ID, on, audit("unit.move")); err != nil {
					t.Logf("move unit on %s: %v", on, err)
					continue
				}
				ops["move unit"]++
			default: // a cell merged into another
				if len(cells) < 4 {
					continue
				}
				i := rng.Intn(len(cells))
				from, into := cells[i], cells[(i+1)%len(cells)]
				if err := (Units{db}).Merge(ctx, []int64{from.ID}, into.ID, anyDay(2015, 2025), audit("unit.merge")); err != nil {
					t.Logf("merge: %v", err)
					continue
				}
				cells = append(cells[:i], cells[i+1:]...)
				ops["merge"]++
			}
		}
		t.Logf("writes: %v", ops)
		for _, op := range []string{"create", "import", "transfer", "status deceased", "status transferred_out", "edit", "move unit", "merge"} {
			if ops[op] == 0 {
				t.Errorf("the random writes never did %q: change the seed", op)
			}
		}
		checkNoDrift(t, db, " after the writes")

		var units []int64
		for _, u := range us {
			units = append(units, u.ID)
		}
		compared, counted := 0, 0
		for _, d := range days {
			for _, id := range units {
				u, err := Units{db}.AsOf(ctx, id, d)
				if err != nil {
					continue // not in the tree that day
				}
				want, err := Units{db}.statsScan(ctx, u.Path, d, false)
				if err != nil {
					t.Fatal(err)
				}
				got, err := Units{db}.Stats(ctx, u.Path, d, false)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("unit %s on %s: statistics (-old statement +dated counters):\n%s", u.Path, d, diff)
				}
				if pathDepth(u.Path) <= pastCountsDepth {
					compared++
					counted += want.Members.Total
				}
			}
		}
		if compared == 0 || counted == 0 {
			t.Errorf("compared %d subtrees with counters, %d members counted: the comparison proves nothing", compared, counted)
		}
	})
}
