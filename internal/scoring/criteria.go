package scoring

import (
	"context"
	"fmt"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
)

// CriterionChange is one criterion added, changed or removed in the
// framework editor (one form per criterion). Code names the criterion to
// change or remove ("" to add one); the other fields are what it becomes.
// A parent's maximum is the sum of its children's, so MaxPoints counts
// only for a criterion without sub-criteria.
type CriterionChange struct {
	Code      string
	NewCode   string
	Parent    string
	Title     string
	MaxPoints *float64
	Guidance  string
	Remove    bool
	// Version is the framework's version the form was read at (0: the
	// current one).
	Version int
}

// Field names of a criterion form's errors: ChangeCriterion reports the
// changed criterion's problems under these names.
const (
	CriterionCode     = "criterion.code"
	CriterionParent   = "criterion.parent"
	CriterionTitle    = "criterion.title"
	CriterionMax      = "criterion.max_points"
	CriterionGuidance = "criterion.guidance"
)

// ChangeCriterion adds, changes or removes one criterion of a framework
// that no score has been entered against (the rule of PUT
// /frameworks/{id}). A renamed criterion keeps its sub-criteria; a
// criterion with sub-criteria cannot be removed until they are; the
// bands must still fit in the new total. All or nothing, audited.
func (s *Service) ChangeCriterion(ctx context.Context, a *auth.Actor, id int64, in CriterionChange) (*Framework, error) {
	old, err := s.Editable(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if old.Scored {
		return nil, apperr.Keyed(apperr.Conflict, "fourgood.scored", "scores have been entered against this framework: it cannot change; copy it for next year")
	}
	rows, action, before, err := changedRows(Flatten(old.Criteria), in)
	if err != nil {
		return nil, err
	}
	nf, err := BuildCriteria(rows)
	if err != nil {
		return nil, err
	}
	f, err := withCriteria(*old, nf)
	if err != nil {
		return nil, err
	}
	if in.Version != 0 {
		f.Version = in.Version
	}
	var after any
	if !in.Remove {
		for _, c := range nf {
			if c.Code == in.NewCode {
				after = c
			}
		}
	}
	if err := s.Store.Update(ctx, &f, nf, auth.AuditEntry{Actor: a, Action: action, ObjectType: "framework", ObjectID: id, UnitPath: old.OwnerPath,
		Before: before, After: after}); err != nil {
		return nil, err
	}
	return s.Store.Framework(ctx, id)
}

// changedRows are the framework's criteria (flat) as rows with the change
// made, the audit action and the criterion before; a parent's maximum is
// left to its children's sum.
func changedRows(flat []Flat, in CriterionChange) (rows []FlatInput, action string, before any, err error) {
	rows = make([]FlatInput, 0, len(flat)+1)
	for i, c := range flat {
		// A parent keeps its sum as its own maximum when its last
		// sub-criterion goes (dropped below while it has any).
		v := c.MaxPoints.Float()
		r := FlatInput{Field: fmt.Sprintf("criteria[%d]", i), Code: c.Code, Parent: c.Parent, Title: c.Title, Guidance: c.Guidance, MaxPoints: &v}
		rows = append(rows, r)
	}
	mine := FlatInput{Field: "criterion", Code: in.NewCode, Parent: in.Parent, Title: in.Title, MaxPoints: in.MaxPoints, Guidance: in.Guidance}
	action = "framework.criterion.add"
	if in.Code == "" {
		if in.Remove {
			return nil, "", nil, unknownCriterion(in.Code)
		}
		if err := checkPlace(rows, in); err != nil {
			return nil, "", nil, err
		}
		rows = append(rows, mine)
	} else {
		at := -1
		for i, r := range rows {
			if r.Code == in.Code {
				at = i
			}
		}
		if at < 0 {
			return nil, "", nil, unknownCriterion(in.Code)
		}
		before = flat[at]
		parent := !flat[at].Leaf
		if in.Remove {
			if parent {
				return nil, "", nil, apperr.Keyed(apperr.Invalid, "fourgood.remove_parent", "the criterion %s has sub-criteria: remove them first", in.Code)
			}
			action = "framework.criterion.remove"
			rows = append(rows[:at], rows[at+1:]...)
		} else {
			action = "framework.criterion.edit"
			if err := checkPlace(rows, in); err != nil {
				return nil, "", nil, err
			}
			rows[at] = mine
			if mine.Code != in.Code {
				for i := range rows {
					if rows[i].Parent == in.Code {
						rows[i].Parent = mine.Code
					}
				}
			}
		}
	}
	// A parent's maximum is its children's sum: a leaf that just got a
	// sub-criterion drops its own (and so does every parent).
	parents := map[string]bool{}
	for _, r := range rows {
		parents[r.Parent] = true
	}
	for i := range rows {
		if parents[rows[i].Code] {
			rows[i].MaxPoints = nil
		}
	}
	return rows, action, before, nil
}

// withCriteria is f with the criteria nf and their total, refused when a
// band needs more points than the total.
func withCriteria(f Framework, nf []Flat) (Framework, error) {
	f.Criteria = Tree(nf)
	f.MaxTotal = 0
	for _, c := range nf {
		if c.Depth == 1 {
			f.MaxTotal += c.MaxPoints
		}
	}
	for _, b := range f.Bands {
		if b.MinPoints > f.MaxTotal {
			return f, apperr.Keyed(apperr.Invalid, "fourgood.band_above_total", "the band %s needs %s points but the criteria would add up to %s: lower the band first", b.Level, b.MinPoints, f.MaxTotal)
		}
	}
	return f, nil
}

// checkPlace reports, under the form's own field names, a new code that
// another criterion already has and a parent that is the criterion itself
// or one of its sub-criteria (BuildCriteria would find both too, but might
// name the other row).
func checkPlace(rows []FlatInput, in CriterionChange) error {
	parentOf := map[string]string{}
	for _, r := range rows {
		parentOf[r.Code] = r.Parent
		if r.Code == in.NewCode && r.Code != in.Code && in.NewCode != "" {
			return apperr.InvalidField(CriterionCode, "fourgood.duplicate_code", "the code %s is used twice (also at %s)", in.NewCode, r.Field)
		}
	}
	if in.Code == "" || in.Parent == "" {
		return nil
	}
	for p, n := in.Parent, 0; p != "" && n <= len(rows); p, n = parentOf[p], n+1 {
		if p == in.Code {
			return apperr.InvalidField(CriterionParent, "fourgood.cycle", "the criterion %s is its own ancestor (a cycle through %s)", in.Code, in.Parent)
		}
	}
	return nil
}

func unknownCriterion(code string) error {
	return apperr.Keyed(apperr.NotFound, "fourgood.unknown_criterion", "the framework has no criterion %s", code)
}
