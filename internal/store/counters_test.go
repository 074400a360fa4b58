package store

import (
	"context"
	"fmt"
	"math/rand"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// TestCountersAfterRandomWrites runs a few hundred random writes through
// the store's own write paths (members created, transferred, changing
// status in and out of the active statuses; cells merged, which moves
// their members set-based; communes moved to another district; receipts;
// documents revised) and then checks (1) that the counters equal their
// recomputation (CheckCounters, the code of `sotay check counters`) and
// (2) that the read-rate roll-up read from the counters equals the old
// member-by-member query (readCountsScan, the oracle) for every document
// and every unit of the tree. It ends by tampering with a counter and
// seeing the check report it and the fix repair it.
func TestCountersAfterRandomWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		rng := rand.New(rand.NewSource(16))
		us := mustTree(t, db, "province C", "district C.1", "district C.2",
			"grassroots C.1.A", "grassroots C.1.B", "grassroots C.2.A",
			"cell C.1.A.1", "cell C.1.A.2", "cell C.1.B.1", "cell C.1.B.2", "cell C.2.A.1", "cell C.2.A.2", "cell C.2.A.3")
		var cells []*org.Unit
		for _, c := range []string{"C.1.A.1", "C.1.A.2", "C.1.B.1", "C.1.B.2", "C.2.A.1", "C.2.A.2", "C.2.A.3"} {
			cells = append(cells, us[c])
		}
		var members []int64
		card := 20000000
		addMember := func() {
			card++
			m := mustMember(t, db, cells[rng.Intn(len(cells))], fmt.Sprintf("Nguyễn Văn %d", card), fmt.Sprint(card))
			members = append(members, m.ID)
		}
		for range 30 {
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
		load := func(id int64) *member.Member {
			m, _, err := Members{db}.Member(ctx, id)
			if err != nil {
				t.Fatalf("member %d: %v", id, err)
			}
			return m
		}
		ops := map[string]int{}
		for range 300 {
			switch k := rng.Intn(100); {
			case k < 10:
				addMember()
				ops["create"]++
			case k < 25: // a transfer to another live cell
				m := load(members[rng.Intn(len(members))])
				to := cells[rng.Intn(len(cells))]
				if to.ID == m.UnitID {
					continue
				}
				ev := member.Event{Kind: "transfer_official", FromUnitID: m.UnitID, ToUnitID: to.ID, EffectiveOn: next()}
				m.UnitID = to.ID
				if err := (Members{db}).Transfer(ctx, m, m.Version, ev, audit("member.transfer")); err != nil {
					t.Fatalf("transfer: %v", err)
				}
				ops["transfer"]++
			case k < 40: // a status change, in and out of the active ones
				m := load(members[rng.Intn(len(members))])
				to := member.Statuses[rng.Intn(len(member.Statuses))]
				if to == m.Status {
					continue
				}
				ev := member.Event{Kind: "status", FromStatus: m.Status, ToStatus: to, EffectiveOn: next()}
				m.Status = to
				if err := (Members{db}).ChangeStatus(ctx, m, m.Version, ev, audit("member.status")); err != nil {
					t.Fatalf("status: %v", err)
				}
				ops["status"]++
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
				c := []*org.Unit{us["C.1.A"], us["C.1.B"], us["C.2.A"]}[rng.Intn(3)]
				cur, err := Units{db}.Unit(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				to := us["C.1"]
				if *cur.ParentID == to.ID {
					to = us["C.2"]
				}
				if err := (Units{db}).Move(ctx, c.ID, to.ID, next(), audit("unit.move")); err != nil {
					t.Fatalf("move unit: %v", err)
				}
				ops["move unit"]++
			default: // a cell merged into another: its members move set-based
				if len(cells) < 3 {
					continue
				}
				i := rng.Intn(len(cells))
				from, into := cells[i], cells[(i+1)%len(cells)]
				if err := (Units{db}).Merge(ctx, []int64{from.ID}, into.ID, next(), audit("unit.merge")); err != nil {
					t.Fatalf("merge: %v", err)
				}
				cells = append(cells[:i], cells[i+1:]...)
				ops["merge"]++
			}
		}
		t.Logf("writes: %v", ops)
		for _, op := range []string{"create", "transfer", "status", "receipt", "revise", "move unit", "merge"} {
			if ops[op] == 0 {
				t.Errorf("the random writes never did %q: change the seed", op)
			}
		}

		drift, err := db.CheckCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(drift) > 0 {
			t.Errorf("%d counters drifted after the writes, the first: %v", len(drift), drift[:min(len(drift), 5)])
		}

		// The roll-up from the counters equals the old query's, everywhere.
		all, err := Units{db}.Subtree(ctx, mustPath(t, db, us["C"].ID), 100)
		if err != nil {
			t.Fatal(err)
		}
		byUnit := func(cs []doc.CellCount) map[string][2]int {
			out := map[string][2]int{}
			for _, c := range cs {
				out[c.Path] = [2]int{c.Expected, c.Read}
			}
			return out
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
				want, err := Docs{db}.readCountsScan(ctx, d, u.Path)
				if err != nil {
					t.Fatal(err)
				}
				got, err := Docs{db}.ReadCounts(ctx, d, u.Path)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(byUnit(want), byUnit(got)); diff != "" {
					t.Errorf("document %d v%d, unit %s: counts (-old query +counters):\n%s", d.ID, d.Version, u.Path, diff)
				}
				for _, c := range want {
					checked += c.Read
				}
			}
		}
		if checked == 0 {
			t.Errorf("no receipt counted anywhere: the comparison proves nothing")
		}

		// A counter off by one is reported, and the fix repairs it.
		if _, err := db.write.ExecContext(ctx, `UPDATE unit_member_counts SET n = n + 1 WHERE unit_id = $1 AND status = 'full'`, cells[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.ExecContext(ctx, `DELETE FROM doc_read_counts WHERE document_id = $1`, docs[0].ID); err != nil {
			t.Fatal(err)
		}
		drift, err = db.CheckCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tables := map[string]int{}
		for _, d := range drift {
			tables[d.Table]++
		}
		if tables["unit_member_counts"] != 1 || tables["doc_read_counts"] == 0 {
			t.Errorf("after tampering: drift %v, want one member count and the document's read counts", drift)
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
