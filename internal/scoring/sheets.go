package scoring

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/sotay-vn/sotay/internal/page"
	"slices"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
)

// RegisterInput is POST /frameworks/{id}/registrations. Period defaults
// to final; a registered cell calls again with the other period to open
// that period's sheet. Reason is required after the deadline (an officer
// above only).
type RegisterInput struct {
	UnitID int64  `json:"unit_id"`
	Period Period `json:"period"`
	Reason string `json:"reason"`
}

// Register signs a cell up to a framework and opens its scoresheet.
func (s *Service) Register(ctx context.Context, a *auth.Actor, frameworkID int64, in RegisterInput) (*Sheet, error) {
	f, err := s.Framework(ctx, a, frameworkID)
	if err != nil {
		return nil, err
	}
	if in.UnitID <= 0 {
		return nil, apperr.InvalidField("unit_id", "fourgood.required", "%s is required", "unit_id")
	}
	u, err := s.unit(ctx, in.UnitID)
	if err != nil {
		return nil, err
	}
	if !a.Can(u.Path, CellRoles) {
		return nil, unitNotFound()
	}
	if in.Period, err = in.Period.orFinal(); err != nil {
		return nil, err
	}
	var e errs
	e.checkText("reason", in.Reason, MaxTextLen, false, true)
	if err := e.err(); err != nil {
		return nil, err
	}
	switch {
	case u.Kind != org.KindCell || u.Dissolved:
		return nil, apperr.InvalidField("unit_id", "fourgood.not_cell", "only a live cell registers for the four-good model")
	case !strings.HasPrefix(u.Path, f.OwnerPath):
		return nil, apperr.InvalidField("unit_id", "fourgood.outside_owner", "the cell is not under %s, the framework's owner", f.OwnerName)
	case len(f.CellTypes) > 0 && !slices.Contains(f.CellTypes, u.CellType):
		return nil, apperr.InvalidField("unit_id", "fourgood.cell_type", "this framework is for other types of cell than %s", string(u.CellType))
	case f.Status != StatusOpen:
		return nil, apperr.Keyed(apperr.Conflict, "fourgood.draft", "the framework is a draft: it takes no registrations yet")
	}
	if id, err := s.Store.SheetID(ctx, f.ID, u.ID, in.Period); err != nil {
		return nil, err
	} else if id != 0 {
		return nil, apperr.Keyed(apperr.Conflict, "fourgood.already_registered", "the cell already has a scoresheet for this framework and period (%d)", id)
	}
	other, err := s.Store.Registered(ctx, u.ID, f.Year)
	if err != nil {
		return nil, err
	}
	if other != 0 && other != f.ID {
		return nil, apperr.Keyed(apperr.Conflict, "fourgood.registered_elsewhere", "the cell is registered to another framework for %d", f.Year)
	}
	n := &NewSheet{Year: f.Year, Register: other == 0, Sheet: Sheet{FrameworkID: f.ID, UnitID: u.ID, UnitName: u.Name, Period: in.Period, Stage: StageSelf}}
	if n.Register && s.today().After(f.RegistrationDeadline) {
		if !above(a, u.Path, ReviewRoles) {
			return nil, apperr.InvalidField("unit_id", "fourgood.deadline_passed", "registration closed on %s; an officer above the cell may still register it, with a reason", f.RegistrationDeadline.VN())
		}
		if strings.TrimSpace(in.Reason) == "" {
			return nil, apperr.InvalidField("reason", "fourgood.late_reason", "registration closed on %s: give the reason for registering late", f.RegistrationDeadline.VN())
		}
		n.LateReason = in.Reason
	}
	action := "scoresheet.open"
	if n.Register {
		action = "framework.register"
	}
	n.Audit = auth.AuditEntry{Actor: a, Action: action, ObjectType: "framework", ObjectID: f.ID, UnitPath: u.Path,
		After: map[string]any{"unit_id": u.ID, "period": in.Period, "late_reason": n.LateReason}}
	id, err := s.Store.Register(ctx, n)
	if err != nil {
		return nil, err
	}
	return s.Sheet(ctx, a, id)
}

// Sheet reads a scoresheet within reach, with every leaf criterion, the
// totals and what the system knows of the cell for the period.
func (s *Service) Sheet(ctx context.Context, a *auth.Actor, id int64) (*Sheet, error) {
	sh, f, err := s.sheet(ctx, a, id)
	if err != nil {
		return nil, err
	}
	from, to := periodDates(f.Year, sh.Period)
	ev, err := s.Store.Evidence(ctx, sh.UnitID, from, to)
	if err == nil {
		err = s.addSources(ctx, ev, sh.UnitID, from, to)
	}
	if err == nil {
		err = s.withAttachments(ctx, sh)
	}
	if err != nil {
		return nil, err
	}
	sh.EvidenceFromSystem = ev
	return sh, nil
}

// SheetFramework reads a scoresheet and its framework (for the pages).
func (s *Service) SheetFramework(ctx context.Context, a *auth.Actor, id int64) (*Sheet, *Framework, error) {
	sh, err := s.Sheet(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	f, err := s.Store.Framework(ctx, sh.FrameworkID)
	return sh, f, err
}

func periodDates(year int, p Period) (date.Date, date.Date) {
	if p == PeriodInterim {
		return date.New(year, time.January, 1), date.New(year, time.June, 30)
	}
	return date.New(year, time.January, 1), date.New(year, time.December, 31)
}

func (s *Service) sheet(ctx context.Context, a *auth.Actor, id int64) (*Sheet, *Framework, error) {
	sh, err := s.Store.Sheet(ctx, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && !a.Can(sh.UnitPath, ReadRoles)) {
		return nil, nil, notFound()
	}
	if err != nil {
		return nil, nil, err
	}
	f, err := s.Store.Framework(ctx, sh.FrameworkID)
	if err != nil {
		return nil, nil, err
	}
	// Every leaf, in the framework's order, stored or not.
	have := map[string]Score{}
	for _, sc := range sh.Scores {
		have[sc.Criterion] = sc
	}
	sh.Scores = sh.Scores[:0:0]
	for _, c := range Flatten(f.Criteria) {
		if !c.Leaf {
			continue
		}
		sc, ok := have[c.Code]
		if !ok {
			sc = Score{Criterion: c.Code}
		}
		if sc.Links == nil {
			sc.Links = []Link{}
		}
		sc.Attachments = []Attachment{}
		sh.Scores = append(sh.Scores, sc)
	}
	return sh, f, nil
}

// ScoreInput is one entry of PUT /scoresheets/{id}/scores.
type ScoreInput struct {
	Criterion string   `json:"criterion"`
	Points    *float64 `json:"points"`
	Evidence  *string  `json:"evidence"`
	Links     *[]Link  `json:"links"`
	Comment   *string  `json:"comment"`
	Reason    *string  `json:"reason"`
}

// mayAct reports whether the actor may write a sheet at its stage.
func mayAct(a *auth.Actor, sh *Sheet, f *Framework) bool {
	switch sh.Stage {
	case StageSelf:
		return a.Can(sh.UnitPath, CellRoles)
	case StageReview:
		return above(a, sh.UnitPath, ReviewRoles)
	case StageFinal:
		return a.Can(f.OwnerPath, OwnerRoles)
	}
	return false
}

func (s *Service) writable(ctx context.Context, a *auth.Actor, id int64, version int) (*Sheet, *Framework, error) {
	sh, f, err := s.sheet(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	if sh.Stage == StageDone {
		return nil, nil, apperr.Keyed(apperr.Conflict, "fourgood.locked", "the scoresheet is done: it cannot change")
	}
	if !mayAct(a, sh, f) {
		return nil, nil, apperr.Keyed(apperr.Conflict, "fourgood.not_your_stage", "the scoresheet is at the %s stage: it is not yours to change now", string(sh.Stage))
	}
	if version != 0 && version != sh.Version {
		return nil, nil, apperr.Keyed(apperr.Conflict, "fourgood.stale", "the scoresheet was changed by someone else: reload it")
	}
	return sh, f, nil
}

// PutScores writes points (and evidence, comment, reason) for the current
// stage. A reviewer (or the owner) who changes the points of the stage
// before must give a reason. Nothing is written when any entry is wrong.
func (s *Service) PutScores(ctx context.Context, a *auth.Actor, id int64, version int, in []ScoreInput) (*Sheet, error) {
	sh, f, err := s.writable(ctx, a, id, version)
	if err != nil {
		return nil, err
	}
	if len(in) == 0 {
		return nil, apperr.InvalidField("scores", "fourgood.no_scores", "send at least one score")
	}
	if len(in) > MaxScores {
		return nil, apperr.InvalidField("scores", "fourgood.too_many_scores", "at most %d scores at once", MaxScores)
	}
	leaves := map[string]Flat{}
	for _, c := range Flatten(f.Criteria) {
		leaves[c.Code] = c
	}
	idx := map[string]int{}
	for i, sc := range sh.Scores {
		idx[sc.Criterion] = i
	}
	var e errs
	seen := map[string]bool{}
	changed := map[string]bool{}
	var audits []auth.AuditEntry
	for i, x := range in {
		field := func(n string) string { return fmt.Sprintf("[%d].%s", i, n) }
		c, ok := leaves[x.Criterion]
		switch {
		case x.Criterion == "":
			e.add(field("criterion"), "fourgood.required", "%s is required", "criterion")
			continue
		case !ok:
			e.add(field("criterion"), "fourgood.unknown_criterion", "the framework has no criterion %s", x.Criterion)
			continue
		case !c.Leaf:
			e.add(field("criterion"), "fourgood.not_leaf", "%s has sub-criteria: score those, its points are their sum", x.Criterion)
			continue
		case seen[x.Criterion]:
			e.add(field("criterion"), "fourgood.duplicate_score", "%s is given twice", x.Criterion)
			continue
		}
		seen[x.Criterion] = true
		before := sh.Scores[idx[x.Criterion]]
		sc, ok, err := s.scoreEntry(ctx, sh, c, i, x, before, &e)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if !sameScore(before, sc) {
			changed[x.Criterion] = true
			sh.Scores[idx[x.Criterion]] = sc
			audits = append(audits, auth.AuditEntry{Actor: a, Action: "scoresheet.score", ObjectType: "scoresheet", ObjectID: sh.ID, UnitPath: sh.UnitPath,
				Before: auditScore(sh.Stage, before), After: auditScore(sh.Stage, sc)})
		}
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	if len(changed) == 0 {
		return s.Sheet(ctx, a, id)
	}
	w := &SheetWrite{SheetID: sh.ID, Version: sh.Version, Stage: sh.Stage, NewStage: sh.Stage, Audit: audits}
	for _, sc := range sh.Scores {
		if changed[sc.Criterion] {
			w.Scores = append(w.Scores, ScoreWrite{Score: sc, Top: leaves[sc.Criterion].Top})
		}
	}
	w.Totals = totals(sh.Scores)
	w.Tiebreak = TiebreakOf(f, sh.Scores, w.NewStage)
	if err := s.Store.WriteSheet(ctx, w); err != nil {
		return nil, err
	}
	return s.Sheet(ctx, a, id)
}

// scoreEntry applies entry i, x, to the criterion c's score before at the
// sheet's stage; what is wrong goes to e and answers false.
func (s *Service) scoreEntry(ctx context.Context, sh *Sheet, c Flat, i int, x ScoreInput, before Score, e *errs) (Score, bool, error) {
	field := func(n string) string { return fmt.Sprintf("[%d].%s", i, n) }
	sc := before
	sc.Links = slices.Clone(before.Links)
	if x.Points != nil {
		p, ok := PointsOf(*x.Points)
		if !ok || p < 0 || p > c.MaxPoints {
			e.add(field("points"), "fourgood.bad_points", "points for %s are from 0 to %s, with at most one decimal", x.Criterion, c.MaxPoints)
			return sc, false, nil
		}
		switch sh.Stage {
		case StageSelf:
			sc.SelfPoints = &p
		case StageReview:
			sc.ReviewPoints = &p
		case StageFinal:
			sc.FinalPoints = &p
		}
	}
	if x.Evidence != nil {
		e.checkText(field("evidence"), *x.Evidence, MaxTextLen, false, true)
		sc.Evidence = *x.Evidence
	}
	if x.Comment != nil {
		e.checkText(field("comment"), *x.Comment, MaxTextLen, false, true)
		sc.Comment = *x.Comment
	}
	if x.Reason != nil {
		e.checkText(field("reason"), *x.Reason, MaxTextLen, false, true)
		sc.Reason = *x.Reason
	}
	if x.Links != nil {
		if len(*x.Links) > MaxLinks {
			e.add(field("links"), "fourgood.too_many_links", "at most %d links", MaxLinks)
			return sc, false, nil
		}
		sc.Links = []Link{}
		for j, l := range *x.Links {
			lf := fmt.Sprintf("[%d].links[%d]", i, j)
			if kinds := s.linkKinds(); !slices.Contains(kinds, l.Kind) {
				e.add(lf+".kind", "fourgood.bad_link_kind", "evidence links are to a %s", strings.Join(kinds, " or "))
				continue
			}
			title, ok, err := s.linkTarget(ctx, l.Kind, l.ID, sh.UnitPath)
			if err != nil && !apperr.Is(err, apperr.NotFound) {
				return sc, false, err
			}
			if !ok {
				e.add(lf+".id", "fourgood.bad_link", "no %s %d of this cell", l.Kind, l.ID)
				continue
			}
			sc.Links = append(sc.Links, Link{Kind: l.Kind, ID: l.ID, Title: title})
		}
	}
	// A change of the stage before's points needs a reason.
	if sh.Stage != StageSelf {
		prev, cur := before.SelfPoints, sc.ReviewPoints
		if sh.Stage == StageFinal {
			prev, cur = reviewed(before), sc.FinalPoints
		}
		if cur != nil && (prev == nil || *prev != *cur) && strings.TrimSpace(sc.Reason) == "" {
			e.add(field("reason"), "fourgood.reason_required", "changing the points of %s needs a reason", x.Criterion)
			return sc, false, nil
		}
	}
	return sc, true, nil
}

// reviewed is the points the review stage settled: the review's, or the
// self-assessment's where the reviewer kept them.
func reviewed(sc Score) *Points {
	if sc.ReviewPoints != nil {
		return sc.ReviewPoints
	}
	return sc.SelfPoints
}

func linkedTo(cell string, paths []string) bool {
	for _, p := range paths {
		// the cell's own (or its subtree's), or addressed to a unit above it
		if strings.HasPrefix(p, cell) || strings.HasPrefix(cell, p) {
			return true
		}
	}
	return false
}

func sameScore(a, b Score) bool {
	eq := func(x, y *Points) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return eq(a.SelfPoints, b.SelfPoints) && eq(a.ReviewPoints, b.ReviewPoints) && eq(a.FinalPoints, b.FinalPoints) &&
		a.Evidence == b.Evidence && a.Comment == b.Comment && a.Reason == b.Reason && slices.Equal(a.Links, b.Links)
}

func auditScore(st Stage, sc Score) map[string]any {
	return map[string]any{"stage": st, "criterion": sc.Criterion, "self_points": sc.SelfPoints, "review_points": sc.ReviewPoints,
		"final_points": sc.FinalPoints, "evidence": sc.Evidence, "links": sc.Links, "comment": sc.Comment, "reason": sc.Reason}
}

func totals(scores []Score) Totals {
	var t Totals
	for _, sc := range scores {
		if sc.SelfPoints != nil {
			t.Self += *sc.SelfPoints
		}
		if p := reviewed(sc); p != nil {
			t.Review += *p
		}
		switch {
		case sc.FinalPoints != nil:
			t.Final += *sc.FinalPoints
		case reviewed(sc) != nil:
			t.Final += *reviewed(sc)
		}
	}
	return t
}

// Submit moves a sheet to its next stage: the cell's self-assessment to
// review (every criterion scored), the review to the owner, the owner's
// final to done. Points not changed at a stage carry over from the stage
// before; each stage locks the one before.
func (s *Service) Submit(ctx context.Context, a *auth.Actor, id int64, version int) (*Sheet, error) {
	sh, f, err := s.writable(ctx, a, id, version)
	if err != nil {
		return nil, err
	}
	leaves := map[string]Flat{}
	for _, c := range Flatten(f.Criteria) {
		leaves[c.Code] = c
	}
	w := &SheetWrite{SheetID: sh.ID, Version: sh.Version, Stage: sh.Stage, NewStage: sh.Stage.Next()}
	if sh.Stage == StageSelf {
		var missing []string
		for _, sc := range sh.Scores {
			if sc.SelfPoints == nil {
				missing = append(missing, sc.Criterion)
			}
		}
		if len(missing) > 0 {
			return nil, apperr.InvalidField("scores", "fourgood.unscored", "score every criterion before submitting: %s", strings.Join(missing, ", "))
		}
		w.SubmittedAt = s.now()
	}
	for i, sc := range sh.Scores {
		switch {
		case sh.Stage == StageReview && sc.ReviewPoints == nil:
			sc.ReviewPoints = sc.SelfPoints
		case sh.Stage == StageFinal && sc.FinalPoints == nil:
			sc.FinalPoints = reviewed(sc)
		default:
			continue
		}
		sh.Scores[i] = sc
		w.Scores = append(w.Scores, ScoreWrite{Score: sc, Top: leaves[sc.Criterion].Top})
	}
	w.Totals = totals(sh.Scores)
	w.Tiebreak = TiebreakOf(f, sh.Scores, w.NewStage)
	w.Audit = []auth.AuditEntry{{Actor: a, Action: "scoresheet.submit", ObjectType: "scoresheet", ObjectID: sh.ID, UnitPath: sh.UnitPath,
		Before: map[string]any{"stage": sh.Stage, "totals": sh.Totals}, After: map[string]any{"stage": w.NewStage, "totals": w.Totals}}}
	if err := s.Store.WriteSheet(ctx, w); err != nil {
		return nil, err
	}
	return s.Sheet(ctx, a, id)
}

// Results is GET /frameworks/{id}/results.
type Results struct {
	FrameworkID int64          `json:"framework_id"`
	UnitID      int64          `json:"unit_id"`
	Period      Period         `json:"period"`
	Items       []Result       `json:"items"`
	ByLevel     map[string]int `json:"by_level"`
	// Unclassified counts the cells below every band (not in ByLevel).
	Unclassified int `json:"unclassified"`
	// Registered is the number of the framework's registered cells with
	// a sheet for the period (the quota's base); QuotaCap the most that
	// may hold the quota's level.
	Registered int  `json:"registered"`
	QuotaCap   *int `json:"quota_cap"`
	// Reports: the committees directly below the owner and whether they
	// have sent their results up, by the framework's report deadline.
	Reports []Report `json:"reports"`
	// Paged results (?limit=&cursor=) only: the next page's cursor (null
	// on the last) and the subtree's sheets.
	NextCursor *string `json:"next_cursor,omitempty"`
	Total      *int    `json:"total,omitempty"`
	paged      bool
}

// resultsPlain is Results without its MarshalJSON.
type resultsPlain Results

// Wire is the answer MarshalJSON encodes: the results as they are, or on
// a paged answer with next_cursor written as null on the last page. An
// encoder given it (httpx.StreamJSON) writes the same bytes without the
// round trip through encoding/json (a city's answer is 6 MB).
func (r *Results) Wire() any {
	if !r.paged {
		return (*resultsPlain)(r)
	}
	return struct {
		*resultsPlain
		NextCursor *string `json:"next_cursor"`
	}{(*resultsPlain)(r), r.NextCursor}
}

// MarshalJSON writes next_cursor as null on a paged answer's last page.
func (r *Results) MarshalJSON() ([]byte, error) {
	return json.Marshal(r.Wire())
}

// Report is one committee's report of its results.
type Report struct {
	UnitID int64     `json:"unit_id"`
	Name   string    `json:"name"`
	Status string    `json:"status"` // sent | late | missing | pending
	SentAt time.Time `json:"sent_at,omitzero"`
	Due    date.Date `json:"due_on,omitzero"`
	// RequestID and SubmissionID: the report request of the period the
	// status is taken from, and the unit's submission to it (absent when
	// the framework's own deadline applies).
	RequestID    int64 `json:"request_id,omitempty"`
	SubmissionID int64 `json:"submission_id,omitempty"`
	path         string
}

// ResultsInput selects results.
type ResultsInput struct {
	UnitID int64
	Period Period
	// Limit and Cursor ask for one page of the items in rank order
	// (either set: paged; docs/api.md).
	Limit  int
	Cursor string
}

// MayReadResults says whether Results answers the actor for the
// framework's results (unitPath: the unit asked for, or "" for the
// default: the owner, or the actor's own unit under it); the pages link
// the results only then.
func MayReadResults(a *auth.Actor, f *Framework, unitPath string) bool {
	if unitPath != "" {
		return a.Can(unitPath, ReadRoles)
	}
	if a.Can(f.OwnerPath, ReadRoles) {
		return true
	}
	if a == nil {
		return false
	}
	for _, g := range a.Grants {
		if strings.HasPrefix(g.UnitPath, f.OwnerPath) && slices.Contains(ReadRoles, g.Role) {
			return true
		}
	}
	return false
}

// Results classifies and ranks the framework's cells for a period (the
// quota and the ranks over all its registered cells) and answers those in
// the unit's subtree.
func (s *Service) Results(ctx context.Context, a *auth.Actor, id int64, in ResultsInput) (*Results, error) {
	f, err := s.frameworkRow(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if in.Period, err = in.Period.orFinal(); err != nil {
		return nil, err
	}
	path := f.OwnerPath
	unitID := f.OwnerUnitID
	if in.UnitID != 0 {
		u, err := s.unit(ctx, in.UnitID)
		if err != nil {
			return nil, err
		}
		path, unitID = u.Path, u.ID
	} else if !a.Can(path, ReadRoles) {
		for _, g := range a.Grants {
			if strings.HasPrefix(g.UnitPath, f.OwnerPath) && slices.Contains(ReadRoles, g.Role) {
				path, unitID = g.UnitPath, g.UnitID
				break
			}
		}
	}
	if !a.Can(path, ReadRoles) {
		return nil, unitNotFound()
	}
	var rk *Ranked
	var pg *RankedPage
	if in.Limit > 0 || in.Cursor != "" {
		q := PageQuery{Cursor: in.Cursor, Limit: page.Limit(in.Limit), Whole: path == f.OwnerPath, Above: quotaAbove(f), Quota: f.Quota}
		for _, b := range f.Bands {
			q.Mins = append(q.Mins, b.MinPoints)
		}
		if pg, err = s.Store.RankedPage(ctx, f.ID, in.Period, path, q); err != nil {
			return nil, err
		}
		rk = &pg.Ranked
	} else if rk, err = s.Store.RankedResults(ctx, f.ID, in.Period, path, quotaAbove(f)); err != nil {
		return nil, err
	}
	var prev map[int64]Points
	if f.CopiedFrom != nil {
		if prev, err = s.Store.CountedIn(ctx, *f.CopiedFrom, in.Period, path); err != nil {
			return nil, err
		}
	}
	// Classify's slice is the answer's (a city's is 3 MB: not copied).
	out := &Results{FrameworkID: f.ID, UnitID: unitID, Period: in.Period, Items: Classify(f, rk), ByLevel: map[string]int{}, Registered: rk.Registered, Reports: []Report{}}
	if f.Quota != nil {
		c := QuotaCap(f.Quota, rk.Registered)
		out.QuotaCap = &c
	}
	for _, b := range f.Bands {
		out.ByLevel[b.Level] = 0
	}
	for i := range out.Items {
		r := &out.Items[i]
		if p, ok := prev[r.UnitID]; ok {
			d := r.Total - p
			r.LastYear, r.Change = &p, &d
		}
		if r.Level == "" {
			out.Unclassified++
		} else {
			out.ByLevel[r.Level]++
		}
	}
	if pg != nil {
		// A page: by_level counts the whole subtree.
		out.ByLevel, out.Unclassified = LevelCounts(f, pg)
		out.NextCursor, out.Total, out.paged = pg.Next, &pg.Subtree, true
	}
	out.Reports, err = s.reports(ctx, f, in.Period, path)
	return out, err
}

func (s *Service) reports(ctx context.Context, f *Framework, p Period, path string) ([]Report, error) {
	due := f.ReportDeadline
	if p == PeriodInterim {
		due = f.InterimReportDeadline
	}
	kids, err := s.Store.ChildUnits(ctx, f.OwnerUnitID)
	if err != nil {
		return nil, err
	}
	req, err := s.request(ctx, f, p)
	if err != nil {
		return nil, err
	}
	var sent map[int64]time.Time
	if req != nil {
		// The request's due date and submissions, in place of the
		// framework's own.
		due, sent = req.DueOn, map[int64]time.Time{}
		for id, x := range req.Sent {
			sent[id] = x.SentAt
		}
	} else if sent, err = s.Store.Reports(ctx, f.ID, p); err != nil {
		return nil, err
	}
	today := s.today()
	out := []Report{}
	for _, k := range kids {
		if k.Kind == org.KindCell || !(strings.HasPrefix(k.Path, path) || strings.HasPrefix(path, k.Path)) {
			continue
		}
		r := Report{UnitID: k.ID, Name: k.Name, Due: due, SentAt: sent[k.ID], path: k.Path}
		sentOn := date.Today(sent[k.ID])
		if req != nil {
			r.RequestID = req.ID
			if x, ok := req.Sent[k.ID]; ok {
				r.SubmissionID, sentOn = x.SubmissionID, x.SentOn
			}
		}
		switch at := sent[k.ID]; {
		case !at.IsZero() && (due.IsZero() || !sentOn.After(due)):
			r.Status = "sent"
		case !at.IsZero():
			r.Status = "late"
		case !due.IsZero() && today.After(due):
			r.Status = "missing"
		default:
			r.Status = "pending"
		}
		out = append(out, r)
	}
	return out, nil
}

// ReportInput is POST /frameworks/{id}/reports: a committee sends its
// results for a period up to the owner.
type ReportInput struct {
	UnitID int64  `json:"unit_id"`
	Period Period `json:"period"`
}

// SendReport records that a committee directly below the owner has sent
// its results up. Sending again is refused (Conflict).
func (s *Service) SendReport(ctx context.Context, a *auth.Actor, id int64, in ReportInput) (*Results, error) {
	f, err := s.Framework(ctx, a, id)
	if err != nil {
		return nil, err
	}
	u, err := s.unit(ctx, in.UnitID)
	if err != nil {
		return nil, err
	}
	if !a.Can(u.Path, ReviewRoles) {
		return nil, unitNotFound()
	}
	if in.Period, err = in.Period.orFinal(); err != nil {
		return nil, err
	}
	if u.ParentID == nil || *u.ParentID != f.OwnerUnitID || u.Kind == org.KindCell {
		return nil, apperr.InvalidField("unit_id", "fourgood.not_reporting_unit", "only the committees directly below %s report their results to it", f.OwnerName)
	}
	// Where the owner asked for the results by a report request, the
	// committees answer the request (the status is read from it).
	if req, err := s.request(ctx, f, in.Period); err != nil {
		return nil, err
	} else if req != nil {
		return nil, apperr.Keyed(apperr.Conflict, "fourgood.report_by_request", "the results are sent by answering report request %d", req.ID)
	}
	if err := s.Store.SendReport(ctx, f.ID, u.ID, in.Period, auth.AuditEntry{Actor: a, Action: "framework.report", ObjectType: "framework", ObjectID: f.ID, UnitPath: u.Path,
		After: map[string]any{"unit_id": u.ID, "period": in.Period}}); err != nil {
		return nil, err
	}
	return s.Results(ctx, a, id, ResultsInput{UnitID: u.ID, Period: in.Period})
}

// MayWrite reports whether the actor may score or submit the sheet at its
// stage now (for the pages).
func (s *Service) MayWrite(a *auth.Actor, sh *Sheet, f *Framework) bool {
	return sh.Stage != StageDone && mayAct(a, sh, f)
}
