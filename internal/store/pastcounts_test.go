package store

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
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
		load := func(id int64) *member.Member { return loadMember(t, db, id) }
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

// TestPastCountsFix tampers with past_stat_counts in each way a fix must
// undo (a day's count changed, a month's row deleted, a year's row that
// should not be there, a row whose period is not one of its grain's, a
// log row left unprocessed) and checks that CheckCounters reports exactly
// those, that FixCounters repairs them, and that the table then holds what
// it held before the tampering (its rows other than 0), as it does after a
// rebuild from scratch.
func TestPastCountsFix(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		rng := rand.New(rand.NewSource(7))
		_, cells := counterTree(t, db)
		for i := range 12 {
			admitted := date.New(1990+rng.Intn(30), time.Month(1+rng.Intn(12)), 1+rng.Intn(28))
			m := &member.Member{UnitID: cells[i%len(cells)].ID, FullName: fmt.Sprintf("Lê Văn %d", i), Gender: member.Male,
				BirthDate: date.New(1950+rng.Intn(50), time.Month(1+rng.Intn(12)), 1+rng.Intn(28)), CardNo: fmt.Sprint(40000000 + i),
				AdmittedOn: admitted, Status: member.StatusProbationary}
			if i%3 > 0 {
				m.FullOn, m.Status = admitted.AddYears(1), member.StatusFull
			}
			member.Normalize(m)
			if err := (Members{db}).Create(ctx, m, admitted, auth.AuditEntry{Actor: system, Action: "member.create", ObjectType: "test"}); err != nil {
				t.Fatal(err)
			}
		}
		stored := func() []string {
			var c [6]string
			var n int64
			return readRows(t, db, `SELECT prefix, grain, period, status, gender, band, n FROM past_stat_counts WHERE n <> 0 ORDER BY prefix, grain, period, status, gender, band`,
				[]any{&c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &n}, func() string { return fmt.Sprint(c, n) })
		}
		before := stored()
		key := func(grain string) (k [6]string, n int64) {
			err := db.read.QueryRowContext(ctx, `SELECT prefix, grain, period, status, gender, band, n FROM past_stat_counts WHERE grain = $1 AND n > 0
				ORDER BY prefix, period, status, gender, band LIMIT 1`, grain).Scan(&k[0], &k[1], &k[2], &k[3], &k[4], &k[5], &n)
			if err != nil {
				t.Fatal(err)
			}
			return k, n
		}
		text := func(k [6]string) string {
			return pastRowKey(k[0], k[1], k[2], pastKey{k[3], k[4], k[5]})
		}
		day, dayN := key("d")
		month, monthN := key("m")
		stray := [6]string{day[0], "y", "1901", "full", "male", day[5]}
		odd := [6]string{day[0], "d", "1901-1-1", "full", "male", day[5]}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE past_stat_counts SET n = n + 5 WHERE prefix = $1 AND grain = $2 AND period = $3 AND status = $4 AND gender = $5 AND band = $6`, anyOf(day)},
			{`DELETE FROM past_stat_counts WHERE prefix = $1 AND grain = $2 AND period = $3 AND status = $4 AND gender = $5 AND band = $6`, anyOf(month)},
			{`INSERT INTO past_stat_counts (prefix, grain, period, status, gender, band, n) VALUES ($1, $2, $3, $4, $5, $6, 3)`, anyOf(stray)},
			{`INSERT INTO past_stat_counts (prefix, grain, period, status, gender, band, n) VALUES ($1, $2, $3, $4, $5, $6, 2)`, anyOf(odd)},
			{`INSERT INTO past_stat_log (kind, sign, unit_id, path, from_day) VALUES ('h', 1, $1, '/', '1901-01-01')`, []any{cells[0].ID}},
		} {
			if _, err := db.write.ExecContext(ctx, q.sql, q.args...); err != nil {
				t.Fatalf("%s: %v", q.sql, err)
			}
		}
		want := []CounterDrift{
			{Table: "past_stat_counts", Key: text(day), Want: dayN, Got: dayN + 5},
			{Table: "past_stat_counts", Key: text(month), Want: monthN},
			{Table: "past_stat_counts", Key: text(stray), Got: 3},
			{Table: "past_stat_counts", Key: text(odd), Got: 2},
			{Table: "past_stat_log", Key: "rows", Got: 1},
		}
		sort.Slice(want, func(i, j int) bool { return want[i].Table+want[i].Key < want[j].Table+want[j].Key })
		drift, err := db.CheckCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, drift); diff != "" {
			t.Errorf("drift after the tampering (-want +got):\n%s", diff)
		}
		fixed, err := db.FixCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, fixed); diff != "" {
			t.Errorf("drift fixed (-want +got):\n%s", diff)
		}
		checkNoDrift(t, db, " after the fix")
		if diff := cmp.Diff(before, stored()); diff != "" {
			t.Errorf("past_stat_counts after the fix (-before the tampering +after):\n%s", diff)
		}
		// The rebuild from scratch (the bulk loader's, the migration's)
		// writes the same.
		if err := db.Write(ctx, func(tx *Tx) error { return tx.rebuildPastCounts(ctx) }); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(before, stored()); diff != "" {
			t.Errorf("past_stat_counts after a rebuild (-before the tampering +after):\n%s", diff)
		}
	})
}

func anyOf(k [6]string) []any { return []any{k[0], k[1], k[2], k[3], k[4], k[5]} }
