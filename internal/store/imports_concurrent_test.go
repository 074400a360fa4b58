package store

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
)

// TestMemberImportsAtOnce runs imports into the same tree at once, each
// with members in several cells and born on several days, as officers of
// two communes importing their files at the same time would, beside
// members created one by one. Each import
// upserts the subtree counters (members, birth months, birthdays) of every
// ancestor of every member it writes: on PostgreSQL two of them taking
// those rows in different orders deadlocked, and one import failed with
// "deadlock detected" (found by r22-keys). Every import must succeed, and
// the counters must match a recount.
func TestMemberImportsAtOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := mustTree(t, db, "province HN", "district HN.1", "district HN.2", "cell HN.1.1", "cell HN.1.2", "cell HN.2.1")
		cells := []int64{u["HN.1.1"].ID, u["HN.1.2"].ID, u["HN.2.1"].ID}
		births := []string{"1980-05-01", "1975-12-24", "1990-02-14", "1968-07-30"}
		const imports, each = 6, 8
		batches := make([][]*member.Member, imports)
		n := 0
		for i := range batches {
			for j := range each {
				n++
				// Each batch walks the cells and the birthdays in its own
				// order, so that two batches want shared rows in
				// opposite orders.
				m := &member.Member{UnitID: cells[(i+j)%len(cells)], FullName: fmt.Sprintf("Lê Văn Bình %d", n), Gender: member.Male,
					BirthDate: date.MustParse(births[(i*3+j)%len(births)]), CardNo: fmt.Sprintf("%08d", 7000+n),
					AdmittedOn: date.MustParse("2005-03-01"), FullOn: date.MustParse("2006-03-01"), Status: member.StatusFull}
				member.Normalize(m)
				batches[i] = append(batches[i], m)
			}
		}
		// Every other batch is written as single creates (an officer
		// adding members one by one while the imports run).
		errs := writeMembersAtOnce(ctx, db, batches)
		for i, err := range errs {
			if err != nil {
				t.Errorf("batch %d: %v", i, err)
			}
		}
		var got int
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM members`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != imports*each {
			t.Errorf("members: got %d, want %d", got, imports*each)
		}
		drift, err := db.CheckCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range drift {
			t.Errorf("counter drift after the imports: %+v", d)
		}
	})
}

// writeMembersAtOnce writes each batch at the same time as the others:
// the even ones as one import each, the odd ones member by member (one
// create each), and returns each batch's error.
func writeMembersAtOnce(ctx context.Context, db *DB, batches [][]*member.Member) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(batches))
	for i, ms := range batches {
		wg.Go(func() {
			if i%2 == 0 {
				errs[i] = Members{db}.Import(ctx, ms, nil, auth.AuditEntry{Actor: system, Action: "member.import", ObjectType: "unit"})
				return
			}
			for _, m := range ms {
				if errs[i] = (Members{db}).Create(ctx, m, m.AdmittedOn, auth.AuditEntry{Actor: system, Action: "member.create", ObjectType: "member"}); errs[i] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	return errs
}
