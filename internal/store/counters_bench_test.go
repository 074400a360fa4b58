package store

import (
	"context"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
)

// BenchmarkCounterWrites measures what the counters' triggers add to the
// writes they follow: a member's official transfer between cells of two
// districts (the worst case: every ancestor below the root changes, and
// the member's receipts move with them) and a receipt.
//
//	SOTAY_BENCH_DBS=sqlite:/tmp/city.db go test ./internal/store -run '^$' -bench CounterWrites
func BenchmarkCounterWrites(b *testing.B) {
	ctx := context.Background()
	for name, db := range migratedBenchDatasets(b) {
		px, err := Units{db}.ByCode(ctx, "HN.PX")
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		var from, to int64
		rootID := rootUnitID(b, db)
		if err := db.read.QueryRowContext(ctx, `SELECT u.id FROM units u WHERE u.kind = 'cell' AND u.path >= $1 AND u.path < $2 AND u.dissolved_on IS NULL
			AND EXISTS (SELECT 1 FROM members m WHERE m.unit_id = u.id) ORDER BY u.path LIMIT 1`, px.Path, prefixEnd(px.Path)).Scan(&from); err != nil {
			b.Fatal(err)
		}
		// Another district's cell when there is one (the city), else another commune's.
		if err := db.read.QueryRowContext(ctx, `SELECT u.id FROM units u WHERE u.kind = 'cell' AND u.dissolved_on IS NULL
			AND u.parent_id <> (SELECT parent_id FROM units WHERE id = $3)
			ORDER BY CASE WHEN u.path >= $1 AND u.path < $2 THEN 1 ELSE 0 END, u.path LIMIT 1`, px.Path, prefixEnd(px.Path), from).Scan(&to); err != nil {
			b.Fatal(err)
		}
		rows, err := db.read.QueryContext(ctx, `SELECT id FROM members WHERE unit_id = $1 AND status IN ('probationary', 'full', 'exempt') ORDER BY id LIMIT 20`, from)
		if err != nil {
			b.Fatal(err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		sys := auth.SystemActor()
		d := benchDocument(b, db, rootID, "Chỉ thị (benchmark of writes)")
		cpu := benchCPU(b, db)
		var next int64 // members read in turn, from the first id on
		b.Run(name+"/receipt", func(b *testing.B) {
			start := cpu()
			for b.Loop() {
				next++
				if err := (Docs{db}).RecordReceipt(ctx, d.ID, next, 1); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu, start)
		})
		// The transferred members hold a receipt of the document.
		for _, id := range ids {
			if err := (Docs{db}).RecordReceipt(ctx, d.ID, id, 1); err != nil {
				b.Fatal(err)
			}
		}
		day := date.MustParse("2030-01-01")
		b.Run(name+"/transfer", func(b *testing.B) {
			start := cpu()
			i := 0
			for b.Loop() {
				id := ids[i%len(ids)]
				i++
				m, _, err := Members{db}.Member(ctx, id)
				if err != nil {
					b.Fatal(err)
				}
				target := to
				if m.UnitID == to {
					target = from
				}
				day = day.AddDays(1)
				ev := member.Event{Kind: "transfer_official", FromUnitID: m.UnitID, ToUnitID: target, EffectiveOn: day}
				m.UnitID = target
				if err := (Members{db}).Transfer(ctx, m, m.Version, ev, auth.AuditEntry{Actor: sys, Action: "member.transfer", ObjectType: "member", ObjectID: id}); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu, start)
		})
		// Back home, so that the dataset is left as it was found.
		for _, id := range ids {
			m, _, err := Members{db}.Member(ctx, id)
			if err != nil || m.UnitID == from {
				continue
			}
			day = day.AddDays(1)
			ev := member.Event{Kind: "transfer_official", FromUnitID: m.UnitID, ToUnitID: from, EffectiveOn: day}
			m.UnitID = from
			if err := (Members{db}).Transfer(ctx, m, m.Version, ev, auth.AuditEntry{Actor: sys, Action: "member.transfer", ObjectType: "member", ObjectID: id}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
