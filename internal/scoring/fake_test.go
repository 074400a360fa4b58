package scoring

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/fakestore"
	"github.com/sotay-vn/sotay/internal/page"
)

// fakeStore keeps everything in maps.
type fakeStore struct {
	units  map[int64]*UnitRef
	fws    map[int64]*Framework
	sheets map[int64]*Sheet
	regs   map[[2]int64]int64 // unit, year → framework
	tbs    map[int64][]Points
	sent   map[[2]int64]time.Time
	audits []auth.AuditEntry
	writes int
	// criteriaReads counts the frameworks read with their criteria.
	criteriaReads int
	nextID        int64
	links         map[string][]string
}

func newFake() *fakeStore {
	f := &fakeStore{units: map[int64]*UnitRef{}, fws: map[int64]*Framework{}, sheets: map[int64]*Sheet{}, regs: map[[2]int64]int64{},
		tbs: map[int64][]Points{}, sent: map[[2]int64]time.Time{}, links: map[string][]string{}, nextID: 100}
	return f
}

func (f *fakeStore) Unit(_ context.Context, id int64) (*UnitRef, error) {
	return fakestore.Copy(f.units, id)
}

func (f *fakeStore) ChildUnits(_ context.Context, id int64) ([]UnitRef, error) {
	var out []UnitRef
	for _, u := range f.units {
		if u.ParentID != nil && *u.ParentID == id {
			out = append(out, *u)
		}
	}
	return out, nil
}

func (f *fakeStore) Create(_ context.Context, fw *Framework, flat []Flat, a auth.AuditEntry) (int64, error) {
	f.nextID++
	c := *fw
	c.ID, c.Version, c.Criteria = f.nextID, 1, Tree(flat)
	f.fws[c.ID] = &c
	f.audits = append(f.audits, a)
	f.writes++
	return c.ID, nil
}

func (f *fakeStore) Update(_ context.Context, fw *Framework, flat []Flat, a auth.AuditEntry) error {
	old := f.fws[fw.ID]
	if old.Version != fw.Version || old.Scored {
		return apperr.New(apperr.Conflict, "stale")
	}
	c := *fw
	c.Version, c.Criteria = old.Version+1, Tree(flat)
	f.fws[fw.ID] = &c
	f.audits = append(f.audits, a)
	f.writes++
	return nil
}

func (f *fakeStore) Framework(ctx context.Context, id int64) (*Framework, error) {
	f.criteriaReads++
	return f.framework(id)
}

func (f *fakeStore) framework(id int64) (*Framework, error) {
	c, err := fakestore.Copy(f.fws, id)
	if err != nil {
		return nil, err
	}
	c.OwnerPath, c.OwnerName = f.units[c.OwnerUnitID].Path, f.units[c.OwnerUnitID].Name
	for _, sh := range f.sheets {
		if sh.FrameworkID == id && len(sh.Scores) > 0 {
			c.Scored = true
		}
	}
	return c, nil
}

func (f *fakeStore) FrameworkRow(_ context.Context, id int64) (*Framework, error) {
	c, err := f.framework(id)
	if err == nil {
		c.Criteria = nil
	}
	return c, err
}

func (f *fakeStore) Frameworks(_ context.Context, ff FrameworkFilter) (*page.Of[Framework], error) {
	out := &page.Of[Framework]{Items: []Framework{}}
	for _, fw := range f.fws {
		p := f.units[fw.OwnerUnitID].Path
		ok := false
		for _, o := range ff.OwnerPaths {
			ok = ok || o == p
		}
		for _, s := range ff.Subtrees {
			ok = ok || strings.HasPrefix(p, s)
		}
		if ok && (ff.Year == 0 || ff.Year == fw.Year) {
			out.Items = append(out.Items, *fw)
		}
	}
	out.Total = len(out.Items)
	return out, nil
}

func (f *fakeStore) Registered(_ context.Context, unitID int64, year int) (int64, error) {
	return f.regs[[2]int64{unitID, int64(year)}], nil
}

func (f *fakeStore) SheetID(_ context.Context, fw, unit int64, p Period) (int64, error) {
	for _, sh := range f.sheets {
		if sh.FrameworkID == fw && sh.UnitID == unit && sh.Period == p {
			return sh.ID, nil
		}
	}
	return 0, nil
}

func (f *fakeStore) Register(_ context.Context, n *NewSheet) (int64, error) {
	f.nextID++
	sh := n.Sheet
	sh.ID, sh.Version, sh.UnitPath, sh.LateReason = f.nextID, 1, f.units[sh.UnitID].Path, n.LateReason
	f.sheets[sh.ID] = &sh
	f.regs[[2]int64{sh.UnitID, int64(n.Year)}] = sh.FrameworkID
	f.audits = append(f.audits, n.Audit)
	f.writes++
	return sh.ID, nil
}

func (f *fakeStore) Sheet(_ context.Context, id int64) (*Sheet, error) {
	c, err := fakestore.Copy(f.sheets, id)
	if err != nil {
		return nil, err
	}
	c.Scores = append([]Score(nil), c.Scores...)
	return c, nil
}

func (f *fakeStore) WriteSheet(_ context.Context, w *SheetWrite) error {
	sh := f.sheets[w.SheetID]
	if sh.Version != w.Version || sh.Stage != w.Stage {
		return apperr.New(apperr.Conflict, "stale")
	}
	for _, sc := range w.Scores {
		found := false
		for i := range sh.Scores {
			if sh.Scores[i].Criterion == sc.Criterion {
				sh.Scores[i], found = sc.Score, true
			}
		}
		if !found {
			sh.Scores = append(sh.Scores, sc.Score)
		}
	}
	sh.Totals, sh.Stage, sh.Version = w.Totals, w.NewStage, sh.Version+1
	f.tbs[sh.ID] = w.Tiebreak
	if !w.SubmittedAt.IsZero() {
		sh.SubmittedAt = w.SubmittedAt
	}
	f.audits = append(f.audits, w.Audit...)
	f.writes++
	return nil
}

func (f *fakeStore) ResultRows(_ context.Context, fw int64, p Period) ([]ResultRow, error) {
	var out []ResultRow
	for _, sh := range f.sheets {
		if sh.FrameworkID == fw && sh.Period == p {
			u := f.units[sh.UnitID]
			out = append(out, ResultRow{SheetID: sh.ID, UnitID: u.ID, Stage: sh.Stage, Totals: sh.Totals, SubmittedAt: sh.SubmittedAt, Tiebreak: f.tbs[sh.ID]})
		}
	}
	return out, nil
}

func (f *fakeStore) ResultUnits(_ context.Context, fw int64, p Period, path string) (map[int64]UnitRef, error) {
	out := map[int64]UnitRef{}
	for _, sh := range f.sheets {
		if u := f.units[sh.UnitID]; sh.FrameworkID == fw && sh.Period == p && strings.HasPrefix(u.Path, path) {
			out[u.ID] = *u
		}
	}
	return out, nil
}

func (f *fakeStore) RankedResults(ctx context.Context, fw int64, p Period, path string, above *Points) (*Ranked, error) {
	rows, _ := f.ResultRows(ctx, fw, p)
	units, _ := f.ResultUnits(ctx, fw, p, path)
	return RankedFrom(rows, units, above), nil
}

func (f *fakeStore) RankedPage(ctx context.Context, fw int64, p Period, path string, q PageQuery) (*RankedPage, error) {
	return nil, fmt.Errorf("no paging in the fake store")
}

func (f *fakeStore) CountedIn(ctx context.Context, fw int64, p Period, path string) (map[int64]Points, error) {
	rows, _ := f.ResultRows(ctx, fw, p)
	units, _ := f.ResultUnits(ctx, fw, p, path)
	out := map[int64]Points{}
	for _, r := range rows {
		if _, ok := units[r.UnitID]; ok {
			out[r.UnitID] = r.Counted()
		}
	}
	return out, nil
}

func (f *fakeStore) Reports(_ context.Context, fw int64, p Period) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	for k, v := range f.sent {
		if k[0] == fw {
			out[k[1]] = v
		}
	}
	return out, nil
}

func (f *fakeStore) SendReport(_ context.Context, fw, unit int64, p Period, a auth.AuditEntry) error {
	f.sent[[2]int64{fw, unit}] = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	f.writes++
	return nil
}

func (f *fakeStore) LinkTarget(_ context.Context, kind string, id int64) (string, []string, error) {
	ps, ok := f.links[kind+":"+itoa(id)]
	if !ok {
		return "", nil, apperr.NotFoundf("no link")
	}
	return kind, ps, nil
}

func (f *fakeStore) Evidence(_ context.Context, unitID int64, from, to date.Date) (*Evidence, error) {
	return &Evidence{From: from, To: to}, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
