package store

import (
	"context"
	"sync"
	"testing"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/task"
)

// TestTaskStepsConcurrent: several processes step one task at the same
// moment, each from the version it read. One step is recorded; each of
// the others answers a conflict (409) — none fails on the numbering of
// the steps — and the steps are numbered without a gap.
func TestTaskStepsConcurrent(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newTaskFixture(t, db)
		for round := range 10 {
			id := f.create(t, f.a, "Nhiệm vụ tranh chấp", "2026-11-30")
			d := f.step(t, f.comA, id, task.StepInput{Action: task.ActAccept})
			const n = 16
			errs := make([]error, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Go(func() {
					<-start
					p := 10 + i
					_, errs[i] = f.svc.Step(ctx, f.comA, id, task.StepInput{Action: task.ActReport, Percent: &p, Note: "tiến độ", Version: d.Version})
				})
			}
			close(start)
			wg.Wait()
			ok := 0
			for i, err := range errs {
				switch {
				case err == nil:
					ok++
				case apperr.Is(err, apperr.Conflict):
				default:
					t.Errorf("round %d, step %d: %v, want done or a conflict", round, i, err)
				}
			}
			if ok != 1 {
				t.Errorf("%d steps recorded from one version, want 1", ok)
			}
			var steps, top int
			if err := db.write.QueryRowContext(ctx, `SELECT COUNT(*), MAX(seq) FROM task_steps WHERE task_id = $1`, id).Scan(&steps, &top); err != nil {
				t.Fatal(err)
			}
			if steps != top {
				t.Errorf("%d steps numbered up to %d", steps, top)
			}
		}
	})
}
