package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/outbreak"
)

// BenchmarkOutbreakBoard measures the steering board on SQLite with 2,000
// active foci in a city of 10 districts × 20 communes × 3 villages: every
// focus with 14 days of reports, two in three with the four on-site set,
// one in five with a funding request and its task (a third disbursed, some
// late). Sub-benchmarks: the whole city and one district.
//
//	go test ./internal/store -run '^$' -bench OutbreakBoard -benchtime 20x
func BenchmarkOutbreakBoard(b *testing.B) {
	ctx := context.Background()
	db := OpenTest(b, filepath.Join(b.TempDir(), "bench.db"))
	asOf := date.MustParse("2026-09-20")
	city := mustUnitTB(b, db, nil, org.KindProvince, "HN")
	var districts []*org.Unit
	var villages []*org.Unit
	for d := 0; d < 10; d++ {
		dist := mustUnitTB(b, db, city, org.KindDistrict, fmt.Sprintf("HN.D%d", d))
		districts = append(districts, dist)
		for c := 0; c < 20; c++ {
			cm := mustUnitTB(b, db, dist, org.KindGrassroots, fmt.Sprintf("HN.D%d.C%d", d, c))
			for v := 0; v < 3; v++ {
				villages = append(villages, mustUnitTB(b, db, cm, org.KindCell, fmt.Sprintf("HN.D%d.C%d.V%d", d, c, v)))
			}
		}
	}
	ts := time.Date(2026, 9, 1, 3, 0, 0, 0, time.UTC)
	err := db.Write(ctx, func(tx *Tx) error {
		for i := 0; i < 2000; i++ {
			v := villages[i%len(villages)]
			opened := asOf.AddDays(-(i % 30))
			onsite, cmd, forces := "", any(nil), 0
			var means any
			if i%3 != 0 {
				onsite, forces = `{"command":null,"forces":[],"means":[],"logistics":[]}`, 2
				means = ts.Add(time.Duration(i%10) * 24 * time.Hour)
			}
			id, err := insertID(ctx, tx, `INSERT INTO outbreaks (unit_id, commune_id, disease, place, opened_on, state, command_member_id, forces_count, onsite, means_updated_at, version, created_at, updated_at)
				VALUES ($1, $2, 'sot_xuat_huyet', 'Thôn', $3, 'active', $4, $5, $6, $7, 1, $8, $8)`, v.ID, *v.ParentID, opened, cmd, forces, onsite, means, ts)
			if err != nil {
				return err
			}
			for k := 0; k < 14; k++ {
				if _, err := tx.ExecContext(ctx, `INSERT INTO outbreak_reports (outbreak_id, day, new_cases, recovered, created_at) VALUES ($1, $2, $3, 0, $4)`,
					id, asOf.AddDays(-k), (i+k)%4, ts); err != nil {
					return err
				}
			}
			if i%5 == 0 {
				due := asOf.AddDays(-(i % 9))
				var done any
				state := "assigned"
				if i%15 == 0 {
					state, done = "done", due.AddDays(i%3-1)
				}
				tid, err := insertID(ctx, tx, `INSERT INTO tasks (kind, title, issuer_unit_id, unit_id, holder_unit_id, holder_since, state, assigned_on, original_due_on, due_on, done_on, created_at, updated_at)
					VALUES ('task', 'Cấp kinh phí', $1, $1, $1, $2, $3, $4, $5, $5, $6, $2, $2)`, districts[(i/60)%10].ID, ts, state, asOf.AddDays(-20), due, done)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO outbreak_funding (outbreak_id, task_id, amount, purpose, needed_by, to_unit_id, created_at) VALUES ($1, $2, 10000000, 'Hóa chất', $3, $4, $5)`,
					id, tid, due, districts[(i/60)%10].ID, ts); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	svc := &outbreak.Service{Store: Outbreaks{DB: db}, Now: func() time.Time { return time.Date(2026, 9, 20, 3, 0, 0, 0, time.UTC) }}
	admin := auth.SystemActor()
	for _, c := range []struct {
		name string
		unit *org.Unit
		foci int
	}{{"city", city, 2000}, {"district", districts[3], 200}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				bd, err := svc.Board(ctx, admin, c.unit.ID, asOf)
				if err != nil {
					b.Fatal(err)
				}
				if len(bd.Foci) != c.foci {
					b.Fatalf("%d active foci on the board, want %d", len(bd.Foci), c.foci)
				}
			}
		})
	}
}

// benchDistrictPX makes the benchmarks' district PX: 20 grassroots
// units of 5 cells each. It answers the district, its 20 grassroots
// units and its 100 cells.
func benchDistrictPX(b *testing.B, db *DB) (district *org.Unit, grassroots, cells []*org.Unit) {
	b.Helper()
	district = mustUnitTB(b, db, nil, org.KindDistrict, "PX")
	for i := range 20 {
		c := mustUnitTB(b, db, district, org.KindGrassroots, fmt.Sprintf("PX.C%02d", i))
		grassroots = append(grassroots, c)
		for j := range 5 {
			cells = append(cells, mustUnitTB(b, db, c, org.KindCell, fmt.Sprintf("PX.C%02d.%d", i, j)))
		}
	}
	return district, grassroots, cells
}

// benchMembers makes k full members spread over cells, named name and
// a number; *n numbers them (names and card numbers stay unique across
// calls).
func benchMembers(cells []*org.Unit, n *int, k int, name string) []*member.Member {
	ms := make([]*member.Member, k)
	for i := range ms {
		*n++
		m := &member.Member{UnitID: cells[*n%len(cells)].ID, FullName: fmt.Sprintf("%s %d", name, *n), Gender: member.Male, BirthDate: date.MustParse("1980-05-01"),
			CardNo: fmt.Sprintf("%08d", *n), AdmittedOn: date.MustParse("2005-03-01"), FullOn: date.MustParse("2006-03-01"), Status: member.StatusFull}
		member.Normalize(m)
		ms[i] = m
	}
	return ms
}

func mustUnitTB(b *testing.B, db *DB, parent *org.Unit, kind org.Kind, code string) *org.Unit {
	b.Helper()
	u := &org.Unit{Kind: kind, Name: "Đơn vị " + code, Code: code, ValidFrom: date.MustParse("2000-01-01")}
	if parent != nil {
		u.ParentID = &parent.ID
	}
	if err := (Units{db}).Create(context.Background(), u, auth.AuditEntry{Actor: auth.SystemActor(), Action: "unit.create", ObjectType: "unit"}); err != nil {
		b.Fatal(err)
	}
	return u
}
