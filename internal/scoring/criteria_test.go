package scoring

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
)

// codes lists a framework's criteria as "parent>code=max" in tree order.
func codes(f *Framework) string {
	var out []string
	for _, c := range Flatten(f.Criteria) {
		out = append(out, c.Parent+">"+c.Code+"="+c.MaxPoints.String())
	}
	return strings.Join(out, " ")
}

func TestChangeCriterion(t *testing.T) {
	for _, tc := range []struct {
		name   string
		pre    []CriterionChange
		in     CriterionChange
		want   string
		total  Points
		action string
	}{
		{"add a top criterion", nil, CriterionChange{NewCode: "3", Title: "Đoàn kết", MaxPoints: f64(20)},
			">1=25 1>1.1=10 1>1.2=15 >2=25 >3=20", 700, "framework.criterion.add"},
		{"add under a leaf makes it a parent", nil, CriterionChange{NewCode: "2.1", Parent: "2", Title: "Nền nếp", MaxPoints: f64(5)},
			">1=25 1>1.1=10 1>1.2=15 >2=5 2>2.1=5", 300, "framework.criterion.add"},
		{"edit a leaf's maximum", nil, CriterionChange{Code: "1.2", NewCode: "1.2", Parent: "1", Title: "Kinh tế", MaxPoints: f64(20.5)},
			">1=30.5 1>1.1=10 1>1.2=20.5 >2=25", 555, "framework.criterion.edit"},
		{"rename a parent keeps its children", nil, CriterionChange{Code: "1", NewCode: "A", Title: "Lãnh đạo", MaxPoints: f64(99)},
			">A=25 A>1.1=10 A>1.2=15 >2=25", 500, "framework.criterion.edit"},
		{"move a leaf under another parent", nil, CriterionChange{Code: "2", NewCode: "2", Parent: "1", Title: "Sinh hoạt", MaxPoints: f64(25)},
			">1=50 1>1.1=10 1>1.2=15 1>2=25", 500, "framework.criterion.edit"},
		{"remove a leaf", nil, CriterionChange{Code: "1.2", Remove: true},
			">1=10 1>1.1=10 >2=25", 350, "framework.criterion.remove"},
		{"a parent whose last child goes keeps the sum", []CriterionChange{{Code: "1.1", Remove: true}}, CriterionChange{Code: "1.2", Remove: true},
			">1=15 >2=25", 400, "framework.criterion.remove"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t)
			in := sampleInput()
			in.Bands[0].MinPoints = 30
			f, err := w.s.Create(ctx, w.office, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range tc.pre {
				if _, err := w.s.ChangeCriterion(ctx, w.office, f.ID, p); err != nil {
					t.Fatal(err)
				}
			}
			got, err := w.s.ChangeCriterion(ctx, w.office, f.ID, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, codes(got)); diff != "" {
				t.Errorf("criteria (-want +got):\n%s", diff)
			}
			if got := w.st.fws[f.ID].MaxTotal; got != tc.total {
				t.Errorf("total: got %v, want %v", got, tc.total)
			}
			if a := w.st.audits[len(w.st.audits)-1]; a.Action != tc.action {
				t.Errorf("audit: got %s, want %s", a.Action, tc.action)
			}
		})
	}
}

func TestChangeCriterionRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    CriterionChange
		actor func(*world) *auth.Actor
		score bool
		code  apperr.Code
		field string
		key   string
	}{
		{"commune is not the owner", CriterionChange{NewCode: "3", Title: "x", MaxPoints: f64(1)}, func(w *world) *auth.Actor { return w.commune }, false, apperr.NotFound, "", "fourgood.not_found"},
		{"scored", CriterionChange{NewCode: "3", Title: "x", MaxPoints: f64(1)}, nil, true, apperr.Conflict, "", "fourgood.scored"},
		{"duplicate code on add", CriterionChange{NewCode: "1.1", Title: "x", MaxPoints: f64(1)}, nil, false, apperr.Invalid, CriterionCode, "fourgood.duplicate_code"},
		{"duplicate code on rename", CriterionChange{Code: "2", NewCode: "1", Title: "x", MaxPoints: f64(1)}, nil, false, apperr.Invalid, CriterionCode, "fourgood.duplicate_code"},
		{"bad code", CriterionChange{NewCode: "3 a", Title: "x", MaxPoints: f64(1)}, nil, false, apperr.Invalid, CriterionCode, "fourgood.bad_code"},
		{"no title", CriterionChange{NewCode: "3", MaxPoints: f64(1)}, nil, false, apperr.Invalid, CriterionTitle, "fourgood.required"},
		{"leaf without max", CriterionChange{NewCode: "3", Title: "x"}, nil, false, apperr.Invalid, CriterionMax, "fourgood.required"},
		{"negative max", CriterionChange{NewCode: "3", Title: "x", MaxPoints: f64(-1)}, nil, false, apperr.Invalid, CriterionMax, "fourgood.bad_max"},
		{"unknown parent", CriterionChange{NewCode: "3", Parent: "9", Title: "x", MaxPoints: f64(1)}, nil, false, apperr.Invalid, CriterionParent, "fourgood.unknown_parent"},
		{"under its own child", CriterionChange{Code: "1", NewCode: "1", Parent: "1.1", Title: "x"}, nil, false, apperr.Invalid, CriterionParent, "fourgood.cycle"},
		{"under itself", CriterionChange{Code: "2", NewCode: "2", Parent: "2", Title: "x", MaxPoints: f64(1)}, nil, false, apperr.Invalid, CriterionParent, "fourgood.cycle"},
		{"control char in guidance", CriterionChange{NewCode: "3", Title: "x", MaxPoints: f64(1), Guidance: "a\u202eb"}, nil, false, apperr.Invalid, CriterionGuidance, "fourgood.bad_text"},
		{"remove a parent", CriterionChange{Code: "1", Remove: true}, nil, false, apperr.Invalid, "", "fourgood.remove_parent"},
		{"remove unknown", CriterionChange{Code: "9", Remove: true}, nil, false, apperr.NotFound, "", "fourgood.unknown_criterion"},
		{"band above the new total", CriterionChange{Code: "2", NewCode: "2", Title: "x", MaxPoints: f64(1)}, nil, false, apperr.Invalid, "", "fourgood.band_above_total"},
		{"stale form", CriterionChange{NewCode: "3", Title: "x", MaxPoints: f64(1), Version: 99}, nil, false, apperr.Conflict, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t)
			f := w.sampleFramework(t)
			if tc.score {
				sh, err := w.s.Register(ctx, w.cell, f.ID, RegisterInput{UnitID: 3})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := w.s.PutScores(ctx, w.cell, sh.ID, 0, []ScoreInput{{Criterion: "1.1", Points: f64(5)}}); err != nil {
					t.Fatal(err)
				}
			}
			writes := w.st.writes
			before := codes(w.st.fws[f.ID])
			a := w.office
			if tc.actor != nil {
				a = tc.actor(w)
			}
			_, err := w.s.ChangeCriterion(ctx, a, f.ID, tc.in)
			if got := apperr.CodeOf(err); got != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
			e, _ := apperr.As(err)
			if tc.key != "" && e.Key != tc.key && (len(e.Fields) == 0 || e.Fields[0].Key != tc.key) {
				t.Errorf("got key %s %v, want %s", e.Key, e.Fields, tc.key)
			}
			if tc.field != "" && (len(e.Fields) == 0 || e.Fields[0].Field != tc.field) {
				t.Errorf("got fields %v, want %s", e.Fields, tc.field)
			}
			if w.st.writes != writes || codes(w.st.fws[f.ID]) != before {
				t.Errorf("the framework changed on a refusal")
			}
		})
	}
}
