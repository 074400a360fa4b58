package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
)

// TestMemberKeysCheck checks that `check counters` finds what is wrong in
// member_keys (migration 0047) and that --fix repairs it, on both engines:
// kept, a member's row gone, a row too many (a word its name no longer
// holds), a row under another unit's path and a word gone from the
// vocabulary are reported and fixed; not kept, a row left in the table is
// reported and the fix empties the table. No drift after the members'
// writes (create, rename, transfer, status) and a subtree's move, which the
// triggers keep.
func TestMemberKeysCheck(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "district HN.2", "cell HN.1.1", "cell HN.2.1")
		// Not kept: a row left behind is drift, the fix empties the table.
		if _, err := db.write.ExecContext(ctx, `INSERT INTO member_keys (key, path, member_id, status, sort_key) VALUES ('an', '/1/', 1, 'full', $1)`, []byte("A")); err != nil {
			t.Fatal(err)
		}
		checkKeyDrift(t, db, "not kept", []string{"member_keys rows while not kept: got 1, want 0"})
		if err := db.Write(ctx, func(tx *Tx) error { return tx.keepMemberKeys(ctx) }); err != nil {
			t.Fatal(err)
		}
		entry := func(action string) auth.AuditEntry {
			return auth.AuditEntry{Actor: system, Action: action, ObjectType: "member"}
		}
		var ids []int64
		for i, name := range []string{"Khúc Thị An", "Nguyễn Văn Bình", "Trần An An", "Lê Khúc"} {
			m := &member.Member{UnitID: u[[]string{"HN.1.1", "HN.2.1"}[i%2]].ID, FullName: name, Gender: member.Female, BirthDate: date.MustParse("1980-05-01"),
				CardNo: fmt.Sprintf("%08d", 3000+i), AdmittedOn: date.MustParse("2005-03-01"), FullOn: date.MustParse("2006-03-01"), Status: member.StatusFull}
			member.Normalize(m)
			if err := (Members{db}).Create(ctx, m, m.AdmittedOn, entry("member.create")); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, m.ID)
		}
		m, _, err := Members{db}.Member(ctx, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		m.FullName, m.Status, m.UnitID = "Nguyễn Văn Khúc", member.StatusExempt, u["HN.1.1"].ID
		member.Normalize(m)
		if err := (Members{db}).Update(ctx, m, m.Version, entry("member.update")); err != nil {
			t.Fatal(err)
		}
		if err := (Units{db}).Move(ctx, u["HN.2.1"].ID, u["HN.1"].ID, benchToday, auth.AuditEntry{Actor: system, Action: "unit.move", ObjectType: "unit"}); err != nil {
			t.Fatal(err)
		}
		checkKeyDrift(t, db, "after the writes", nil)
		for _, q := range []string{
			`DELETE FROM member_keys WHERE member_id = ` + fmt.Sprint(ids[0]) + ` AND key = 'khuc thi'`,
			`INSERT INTO member_keys (key, path, member_id, status, sort_key) SELECT 'binh', path, member_id, status, sort_key FROM member_keys WHERE member_id = ` + fmt.Sprint(ids[1]) + ` AND key = 'nguyen'`,
			`UPDATE member_keys SET path = '/0/' WHERE member_id = ` + fmt.Sprint(ids[2]) + ` AND key = 'tran'`,
			`DELETE FROM member_words WHERE word = 'le'`,
		} {
			if _, err := db.write.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		want := []string{
			fmt.Sprintf("member_keys member_id=%d, rows: got 0, want 1", ids[0]),
			fmt.Sprintf("member_keys member_id=%d, rows: got 1, want 0", ids[1]),
			fmt.Sprintf("member_keys member_id=%d, rows: got 1, want 1", ids[2]),
			"member_words word=le: got 0, want 1",
		}
		checkKeyDrift(t, db, "broken", want)
		fixed, err := db.FixCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, keyDrift(fixed)); diff != "" {
			t.Errorf("fixed (-want +got):\n%s", diff)
		}
		checkKeyDrift(t, db, "after the fix", nil)
	})
}

// checkKeyDrift compares the drift `check counters` reports in member_keys,
// member_keys_on and member_words with want.
func checkKeyDrift(t *testing.T, db *DB, step string, want []string) {
	t.Helper()
	drift, err := db.CheckCounters(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, keyDrift(drift)); diff != "" {
		t.Errorf("%s: drift (-want +got):\n%s", step, diff)
	}
}

// keyDrift is the drift of the keys' tables, as text.
func keyDrift(drift []CounterDrift) []string {
	var out []string
	for _, d := range drift {
		if strings.HasPrefix(d.Table, "member_keys") || d.Table == "member_words" {
			out = append(out, fmt.Sprintf("%s %s: got %d, want %d", d.Table, d.Key, d.Got, d.Want))
		}
	}
	return out
}
