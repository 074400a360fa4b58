package scoring

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
)

func f64(v float64) *float64 { return &v }
func str(s string) *string   { return &s }

type world struct {
	s                           *Service
	st                          *fakeStore
	office, commune, cell, away *auth.Actor
	now                         time.Time
}

func newWorld(t *testing.T) *world {
	t.Helper()
	st := newFake()
	one, two, five := int64(1), int64(2), int64(5)
	st.units[1] = &UnitRef{ID: 1, Path: "/1/", Name: "Huyện ủy", Kind: org.KindDistrict, Code: "D"}
	st.units[2] = &UnitRef{ID: 2, ParentID: &one, Path: "/1/2/", Name: "Xã A", Kind: org.KindGrassroots, Code: "A"}
	st.units[3] = &UnitRef{ID: 3, ParentID: &two, Path: "/1/2/3/", Name: "Chi bộ thôn 1", Kind: org.KindCell, CellType: "rural", Code: "A1"}
	st.units[4] = &UnitRef{ID: 4, ParentID: &two, Path: "/1/2/4/", Name: "Chi bộ trường", Kind: org.KindCell, CellType: "school", Code: "A2"}
	st.units[5] = &UnitRef{ID: 5, ParentID: &one, Path: "/1/5/", Name: "Xã B", Kind: org.KindGrassroots, Code: "B"}
	st.units[6] = &UnitRef{ID: 6, ParentID: &five, Path: "/1/5/6/", Name: "Chi bộ thôn 2", Kind: org.KindCell, CellType: "rural", Code: "B1"}
	w := &world{st: st, now: time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)}
	w.s = &Service{Store: st, Now: func() time.Time { return w.now }}
	g := func(unit int64, r auth.Role) *auth.Actor {
		return &auth.Actor{AccountID: unit*10 + 1, Username: string(r), Grants: []auth.Grant{{UnitID: unit, UnitPath: st.units[unit].Path, Role: r}}}
	}
	w.office, w.commune, w.cell, w.away = g(1, auth.RoleOffice), g(2, auth.RoleCommittee), g(3, auth.RoleCellOfficer), g(5, auth.RoleCommittee)
	return w
}

func sampleInput() FrameworkInput {
	return FrameworkInput{Name: "Khung mẫu 2026", Year: 2026, OwnerUnitID: 1, CellTypes: []org.CellType{"rural"}, RegistrationDeadline: date.MustParse("2026-03-31"),
		ReportDeadline: date.MustParse("2026-12-20"),
		Criteria: []CriterionInput{
			{Code: "1", Title: "Lãnh đạo tốt", Children: []CriterionInput{{Code: "1.1", Title: "Nghị quyết", MaxPoints: f64(10)}, {Code: "1.2", Title: "Kinh tế", MaxPoints: f64(15)}}},
			{Code: "2", Title: "Sinh hoạt tốt", MaxPoints: f64(25)},
		},
		Bands: []BandInput{{Level: "Chi bộ 4 tốt", MinPoints: 40}, {Level: "Đạt", MinPoints: 25}},
		Quota: &Quota{Level: "Chi bộ 4 tốt", MaxShare: 0.5}}
}

func TestCreateFrameworkFillsParentMaxima(t *testing.T) {
	w := newWorld(t)
	f := w.sampleFramework(t)
	if got, want := f.Criteria[0].MaxPoints, Points(250); got != want {
		t.Errorf("parent max: got %v, want %v", got, want)
	}
	if got, want := f.MaxTotal, Points(500); got != want {
		t.Errorf("total: got %v, want %v", got, want)
	}
	if got, want := f.Bands[0].Level, "Chi bộ 4 tốt"; got != want {
		t.Errorf("first band: got %q, want %q", got, want)
	}
}

func fieldsOf(err error) []string {
	e, ok := apperr.As(err)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, fmt.Sprintf("%d:%s:%s", f.Row, f.Field, f.Key))
	}
	return out
}

func TestBuildCriteriaRefusals(t *testing.T) {
	many := make([]FlatInput, 10000)
	for i := range many {
		many[i] = FlatInput{Row: i + 2, Code: fmt.Sprint(i), Title: "x", MaxPoints: f64(1)}
	}
	for _, tc := range []struct {
		name string
		rows []FlatInput
		want []string
	}{
		{"cycle", []FlatInput{{Row: 2, Code: "1", Title: "a", Parent: "2"}, {Row: 3, Code: "2", Title: "b", Parent: "1", MaxPoints: f64(1)}}, []string{"2:parent:fourgood.cycle"}},
		{"self parent", []FlatInput{{Row: 2, Code: "1", Title: "a", Parent: "1", MaxPoints: f64(1)}}, []string{"2:parent:fourgood.cycle"}},
		{"unknown parent", []FlatInput{{Row: 2, Code: "1", Title: "a", Parent: "9", MaxPoints: f64(1)}}, []string{"2:parent:fourgood.unknown_parent"}},
		{"duplicate", []FlatInput{{Row: 2, Code: "1", Title: "a", MaxPoints: f64(1)}, {Row: 3, Code: "1", Title: "b", MaxPoints: f64(1)}}, []string{"3:code:fourgood.duplicate_code"}},
		{"bad code", []FlatInput{{Row: 2, Code: "1 a", Title: "a", MaxPoints: f64(1)}}, []string{"2:code:fourgood.bad_code"}},
		{"negative", []FlatInput{{Row: 2, Code: "1", Title: "a", MaxPoints: f64(-1)}}, []string{"2:max_points:fourgood.bad_max"}},
		{"two decimals", []FlatInput{{Row: 2, Code: "1", Title: "a", MaxPoints: f64(1.25)}}, []string{"2:max_points:fourgood.bad_max"}},
		{"leaf without max", []FlatInput{{Row: 2, Code: "1", Title: "a"}}, []string{"2:max_points:fourgood.required"}},
		{"parent sum", []FlatInput{{Row: 2, Code: "1", Title: "a", MaxPoints: f64(5)}, {Row: 3, Code: "1.1", Parent: "1", Title: "b", MaxPoints: f64(4)}}, []string{"2:max_points:fourgood.parent_max"}},
		{"no title", []FlatInput{{Row: 2, Code: "1", MaxPoints: f64(1)}}, []string{"2:title:fourgood.required"}},
		{"control char", []FlatInput{{Row: 2, Code: "1", Title: "a\u202eb", MaxPoints: f64(1)}}, []string{"2:title:fourgood.bad_text"}},
		{"ten thousand", many, []string{"0:criteria:fourgood.too_many_criteria"}},
		{"too deep", []FlatInput{{Row: 2, Code: "1", Title: "a"}, {Row: 3, Code: "2", Parent: "1", Title: "a"}, {Row: 4, Code: "3", Parent: "2", Title: "a"},
			{Row: 5, Code: "4", Parent: "3", Title: "a"}, {Row: 6, Code: "5", Parent: "4", Title: "a", MaxPoints: f64(1)}}, []string{"6:parent:fourgood.too_deep"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := BuildCriteria(tc.rows)
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("got %v, want invalid", err)
			}
			if diff := cmp.Diff(tc.want, fieldsOf(err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCreateFrameworkRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*FrameworkInput)
		actor func(*world) *auth.Actor
		code  apperr.Code
		field string
	}{
		{"commune may not define", nil, func(w *world) *auth.Actor { return w.commune }, apperr.NotFound, ""},
		{"band above total", func(in *FrameworkInput) { in.Bands[0].MinPoints = 51 }, nil, apperr.Invalid, "bands[0].min_points"},
		{"quota on no band", func(in *FrameworkInput) { in.Quota.Level = "x" }, nil, apperr.Invalid, "quota.level"},
		{"quota share", func(in *FrameworkInput) { in.Quota.MaxShare = 1.5 }, nil, apperr.Invalid, "quota.max_share"},
		{"cell type", func(in *FrameworkInput) { in.CellTypes = []org.CellType{"castle"} }, nil, apperr.Invalid, "cell_types[0]"},
		{"long name", func(in *FrameworkInput) { in.Name = string(make([]rune, MaxNameLen+1)) }, nil, apperr.Invalid, "name"},
		{"child max", func(in *FrameworkInput) { in.Criteria[0].Children[1].MaxPoints = f64(-2) }, nil, apperr.Invalid, "criteria[0].children[1].max_points"},
		{"owner is a cell", func(in *FrameworkInput) { in.OwnerUnitID = 3 }, nil, apperr.Invalid, "owner_unit_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			in := sampleInput()
			if tc.edit != nil {
				tc.edit(&in)
			}
			a := w.office
			if tc.actor != nil {
				a = tc.actor(w)
			}
			_, err := w.s.Create(context.Background(), a, in)
			if got := apperr.CodeOf(err); got != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
			if e, _ := apperr.As(err); tc.field != "" && (len(e.Fields) == 0 || e.Fields[0].Field != tc.field) {
				t.Errorf("got fields %v, want %s", e.Fields, tc.field)
			}
			if w.st.writes != 0 {
				t.Errorf("got %d writes, want none", w.st.writes)
			}
		})
	}
}

// TestScoringJourney: register, self-score, submit, review with a reason,
// finalise; reach and refusals along the way, nothing written on refusal.
func TestScoringJourney(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	f := w.sampleFramework(t)
	if _, err := w.s.Register(ctx, w.away, f.ID, RegisterInput{UnitID: 3}); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("another commune registers: got %v, want not found", err)
	}
	if _, err := w.s.Register(ctx, w.commune, f.ID, RegisterInput{UnitID: 4}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("school cell on a rural framework: got %v, want invalid", err)
	}
	sh, err := w.s.Register(ctx, w.cell, f.ID, RegisterInput{UnitID: 3})
	if err != nil {
		t.Fatal(err)
	}
	if sh.Stage != StageSelf || len(sh.Scores) != 3 {
		t.Fatalf("got stage %s with %d scores, want self with 3", sh.Stage, len(sh.Scores))
	}
	if _, err := w.s.Sheet(ctx, w.away, sh.ID); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("another commune reads: got %v, want not found", err)
	}
	if _, err := w.s.Update(ctx, w.office, f.ID, sampleInput()); err != nil {
		t.Fatalf("edit before any score: %v", err)
	}
	writes := w.st.writes
	for _, bad := range [][]ScoreInput{
		{{Criterion: "1.1", Points: f64(11)}},
		{{Criterion: "1.1", Points: f64(-1)}},
		{{Criterion: "9.9", Points: f64(1)}},
		{{Criterion: "1", Points: f64(1)}},
		{{Criterion: "1.1", Points: f64(5)}, {Criterion: "1.2", Points: f64(16)}},
		{{Criterion: "1.1", Points: f64(5), Links: &[]Link{{Kind: "meeting", ID: 1}}}},
		{{Criterion: "1.1", Points: f64(5), Links: &[]Link{{Kind: "task", ID: 77}}}},
		{{Criterion: "1.1", Evidence: str("x\u0000")}},
	} {
		if _, err := w.s.PutScores(ctx, w.cell, sh.ID, 0, bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%+v: got %v, want invalid", bad, err)
		}
	}
	// Every wrong link of an entry is reported, each at its place.
	_, err = w.s.PutScores(ctx, w.cell, sh.ID, 0, []ScoreInput{{Criterion: "1.1", Links: &[]Link{{Kind: "meeting", ID: 1}, {Kind: "task", ID: 77}}}})
	var fields []string
	if e, ok := apperr.As(err); ok {
		for _, f := range e.Fields {
			fields = append(fields, f.Field)
		}
	}
	if want := []string{"[0].links[0].kind", "[0].links[1].id"}; !slices.Equal(fields, want) {
		t.Errorf("two wrong links: got fields %v, want %v", fields, want)
	}
	if w.st.writes != writes {
		t.Fatalf("refused scores wrote %d times", w.st.writes-writes)
	}
	w.st.links["task:7"] = []string{"/1/2/3/"}
	sh, err = w.s.PutScores(ctx, w.cell, sh.ID, 0, []ScoreInput{{Criterion: "1.1", Points: f64(9.5), Evidence: str("Nghị quyết tháng"), Links: &[]Link{{Kind: "task", ID: 7}}}, {Criterion: "1.2", Points: f64(15)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Submit(ctx, w.cell, sh.ID, 0); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("submit with 2 unscored: got %v, want invalid", err)
	}
	if _, err := w.s.Update(ctx, w.office, f.ID, sampleInput()); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("edit once scored: got %v, want conflict", err)
	}
	sh, err = w.s.PutScores(ctx, w.cell, sh.ID, 0, []ScoreInput{{Criterion: "2", Points: f64(20)}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sh.Totals.Self, Points(445); got != want {
		t.Errorf("self total: got %v, want %v", got, want)
	}
	if _, err := w.s.Submit(ctx, w.commune, sh.ID, 0); err != nil {
		t.Fatal(err)
	}
	// The cell's stage is locked; the cell may not review itself.
	if _, err := w.s.PutScores(ctx, w.cell, sh.ID, 0, []ScoreInput{{Criterion: "2", Points: f64(25)}}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("cell writes at review: got %v, want conflict", err)
	}
	if _, err := w.s.PutScores(ctx, w.commune, sh.ID, 0, []ScoreInput{{Criterion: "2", Points: f64(15)}}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("review without reason: got %v, want invalid", err)
	}
	sh, err = w.s.PutScores(ctx, w.commune, sh.ID, 0, []ScoreInput{{Criterion: "2", Points: f64(15), Reason: str("Thiếu 2 buổi chuyên đề")}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sh.Totals.Review, Points(395); got != want {
		t.Errorf("review total: got %v, want %v", got, want)
	}
	if _, err := w.s.Submit(ctx, w.commune, sh.ID, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Submit(ctx, w.commune, sh.ID, 0); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("commune finalises: got %v, want conflict", err)
	}
	if sh, err = w.s.Submit(ctx, w.office, sh.ID, 0); err != nil {
		t.Fatal(err)
	}
	if sh.Stage != StageDone || sh.Totals.Final != 395 {
		t.Fatalf("got %s with final %v, want done with 39.5", sh.Stage, sh.Totals.Final)
	}
	if _, err := w.s.PutScores(ctx, w.office, sh.ID, 0, []ScoreInput{{Criterion: "2", Points: f64(1), Reason: str("x")}}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("write when done: got %v, want conflict", err)
	}
	res, err := w.s.Results(ctx, w.commune, f.ID, ResultsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 1 || res.Items[0].Level != "Đạt" || res.Items[0].Rank != 1 {
		t.Errorf("results: got %+v, want one cell, level Đạt, rank 1", res.Items)
	}
	if _, err := w.s.Results(ctx, w.away, f.ID, ResultsInput{UnitID: 2}); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("another commune's results: got %v, want not found", err)
	}
	var actions []string
	for _, a := range w.st.audits {
		actions = append(actions, a.Action)
	}
	if got := len(actions); got < 8 {
		t.Errorf("audit entries: got %v", actions)
	}
}

func TestRegistrationDeadline(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	f := w.sampleFramework(t)
	w.now = time.Date(2026, 4, 2, 3, 0, 0, 0, time.UTC)
	if _, err := w.s.Register(ctx, w.cell, f.ID, RegisterInput{UnitID: 3, Reason: "muộn"}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("cell after the deadline: got %v, want invalid", err)
	}
	if _, err := w.s.Register(ctx, w.commune, f.ID, RegisterInput{UnitID: 3}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("officer above without reason: got %v, want invalid", err)
	}
	if w.st.writes != 1 {
		t.Fatalf("refusals wrote")
	}
	sh, err := w.s.Register(ctx, w.commune, f.ID, RegisterInput{UnitID: 3, Reason: "Chi bộ mới thành lập"})
	if err != nil {
		t.Fatal(err)
	}
	if sh.LateReason == "" {
		t.Errorf("late reason not kept")
	}
	if _, err := w.s.Register(ctx, w.commune, f.ID, RegisterInput{UnitID: 3, Reason: "x"}); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("twice: got %v, want conflict", err)
	}
	// The interim sheet of a registered cell opens after the deadline too.
	if _, err := w.s.Register(ctx, w.cell, f.ID, RegisterInput{UnitID: 3, Period: PeriodInterim}); err != nil {
		t.Errorf("interim sheet: %v", err)
	}
}

func TestCopy(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	f := w.sampleFramework(t)
	c, err := w.s.Copy(ctx, w.office, f.ID, CopyInput{Year: 2027})
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != StatusDraft || c.Year != 2027 || c.Name != "Khung mẫu 2027" || c.RegistrationDeadline.String() != "2027-03-31" {
		t.Errorf("copy: got %s %d %q %s", c.Status, c.Year, c.Name, c.RegistrationDeadline)
	}
	if diff := cmp.Diff(f.Criteria, c.Criteria); diff != "" {
		t.Errorf("criteria differ:\n%s", diff)
	}
	if _, err := w.s.Register(ctx, w.cell, c.ID, RegisterInput{UnitID: 3}); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("register to a draft: got %v, want conflict", err)
	}
	if _, err := w.s.Copy(ctx, w.commune, f.ID, CopyInput{Year: 2027}); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("commune copies: got %v, want not found", err)
	}
}

// sampleFramework is the framework of sampleInput, created by the office.
func (w *world) sampleFramework(t *testing.T) *Framework {
	t.Helper()
	f, err := w.s.Create(context.Background(), w.office, sampleInput())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestResultsReadNoCriteria checks that the results read the framework
// without its criteria (Store.FrameworkRow): they use its bands, quota and
// owner, and the criteria were a round trip of each page. (The fake has no
// pages; a paged answer takes the same read.)
func TestResultsReadNoCriteria(t *testing.T) {
	w := newWorld(t)
	f := w.sampleFramework(t)
	for _, in := range []ResultsInput{{}, {UnitID: 2}} {
		before := w.st.criteriaReads
		if _, err := w.s.Results(context.Background(), w.office, f.ID, in); err != nil {
			t.Fatal(err)
		}
		if got := w.st.criteriaReads - before; got != 0 {
			t.Errorf("results %+v: got %d reads of the criteria, want 0", in, got)
		}
	}
}
