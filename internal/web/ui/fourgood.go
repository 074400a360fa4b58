package ui

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/org"
	pg "github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/web/httpx"
	"golang.org/x/text/unicode/norm"
)

// The four-good cell pages: the frameworks (list, one framework with its
// per-criterion forms, import, copy, registration), a cell's scoresheet
// (the cell's own form and the reviewer's side-by-side view), and the
// results of a subtree with the reports up.

const pageFourGood = "/chi-bo-4-tot"

// fourGoodFuncs are the pages' helpers.
var fourGoodFuncs = template.FuncMap{
	// seesFourGood: the navigation link, for everyone signed in: a member
	// reads the criteria and results that reach their cell.
	"seesFourGood": func(a *auth.Actor) bool { return a != nil }, // every member may read the criteria of their cell
	"pts": func(p *scoring.Points) string {
		if p == nil {
			return ""
		}
		return p.String()
	},
}

// fgMessage translates an error by its key (the English text when the
// key has no entry).
func fgMessage(l lang, key, msg string, args []any) string {
	if _, ok := catalog[key]; ok && key != "" {
		return fmt.Sprintf(translate(l, key), args...)
	}
	return msg
}

// fgError is the message a refused form shows.
func fgError(l lang, err error) string {
	e, ok := apperr.As(err)
	if !ok {
		return ""
	}
	if len(e.Fields) > 0 {
		f := e.Fields[0]
		m := fgMessage(l, f.Key, f.Message, f.Args)
		if f.Row > 0 {
			m = fmt.Sprintf("%s %d, %s: %s", translate(l, "fg.row"), f.Row, f.Field, m)
		}
		return m
	}
	return fgMessage(l, e.Key, e.Message, e.Args)
}

type fgListPage struct {
	view
	Unit       *org.Unit
	Frameworks *pg.Of[scoring.Framework]
	Query      string
	// MayResults: the frameworks whose results the viewer may open.
	MayResults map[int64]bool
}

func (s *Handler) uiFrameworks(w http.ResponseWriter, r *http.Request) error {
	unit, err := httpx.QueryID(r, "unit")
	if err != nil {
		return err
	}
	a := httpx.ActorFrom(r)
	p := &fgListPage{}
	if unit != 0 {
		if p.Unit, err = s.Org.Get(r.Context(), a, unit); err != nil {
			return err
		}
		p.Query = "?unit=" + strconv.FormatInt(unit, 10)
	}
	if p.Frameworks, err = s.FourGood.List(r.Context(), a, scoring.ListInput{UnitID: unit, Limit: pg.MaxLimit}); err != nil {
		return err
	}
	unitPath := ""
	if p.Unit != nil {
		unitPath = p.Unit.Path
	}
	p.MayResults = map[int64]bool{}
	for i := range p.Frameworks.Items {
		f := &p.Frameworks.Items[i]
		p.MayResults[f.ID] = scoring.MayReadResults(a, f, unitPath)
	}
	s.render(w, r, http.StatusOK, "fourgood_list", p)
	return nil
}

type fgRow struct {
	scoring.Flat
	Indent int
	// Form edits the criterion (for the framework's owner).
	Form *fgCritForm
}

type fgCell struct {
	ID   int64
	Name string
}

type fgFrameworkPage struct {
	view
	F       *scoring.Framework
	Rows    []fgRow
	MayEdit bool
	// MayResults: the viewer may open the framework's results.
	MayResults bool
	Cells      []fgCell
	Error      string
	Notice     string
	NextYear   int
	Quota      string
	// Add is the form that adds a criterion.
	Add *fgCritForm
}

// fgCritForm is one criterion's form on the framework page (Target ""
// for the form that adds one), filled from the framework or, after a
// refusal, from what was sent, with each error beside its field.
type fgCritForm struct {
	FrameworkID int64
	Version     int
	Target      string
	Code        string
	Parent      string
	Title       string
	Max         string
	Guidance    string
	// Leaf: the criterion has no sub-criteria (its maximum is its own, and
	// it may be removed).
	Leaf bool
	// Parents are the codes the criterion may go under.
	Parents []string
	Fields  map[string]apperr.FieldError
	Error   string
	// Open: the form is shown unfolded (it was refused).
	Open     bool
	Removing bool
}

func (s *Handler) fgFrameworkPage(w http.ResponseWriter, r *http.Request, id int64, status int, msg string) error {
	return s.fgFrameworkPageWith(w, r, id, status, msg, nil)
}

// fgFrameworkPageWith renders the framework page; sent is a refused
// criterion form to show again.
func (s *Handler) fgFrameworkPageWith(w http.ResponseWriter, r *http.Request, id int64, status int, msg string, sent *fgCritForm) error {
	a := httpx.ActorFrom(r)
	f, err := s.FourGood.Framework(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := &fgFrameworkPage{F: f, MayEdit: a.Can(f.OwnerPath, scoring.OwnerRoles) && !f.Scored, Error: msg, NextYear: f.Year + 1,
		MayResults: scoring.MayReadResults(a, f, "")}
	if q := f.Quota; q != nil {
		p.Quota = fmt.Sprintf("%s ≤ %s%%", q.Level, strconv.FormatFloat(q.MaxShare*100, 'f', -1, 64))
	}
	if r.URL.Query().Get("ok") != "" {
		p.Notice = translate(langOf(r), "fg.saved")
	}
	p.criterionForms(f, sent, langOf(r))
	if f.Status == scoring.StatusOpen {
		p.Cells = s.fgRegistrable(r.Context(), a, f)
	}
	s.render(w, r, status, "fourgood_framework", p)
	return nil
}

// criterionForms fills the criteria's rows and, for an editor, each row's
// form and the form to add one; sent is a refused form to show again
// (open, beside its row or as the page's error when its row is gone).
func (p *fgFrameworkPage) criterionForms(f *scoring.Framework, sent *fgCritForm, l lang) {
	flat := scoring.Flatten(f.Criteria)
	var codes []string
	for _, c := range flat {
		if c.Depth < scoring.MaxDepth {
			codes = append(codes, c.Code)
		}
	}
	fill := func(cf *fgCritForm, leaf bool) *fgCritForm {
		cf.FrameworkID, cf.Version, cf.Leaf = f.ID, f.Version, leaf
		for _, c := range codes {
			if cf.Target == "" || c != cf.Target {
				cf.Parents = append(cf.Parents, c)
			}
		}
		return cf
	}
	for _, c := range flat {
		row := fgRow{Flat: c, Indent: (c.Depth - 1) * 2}
		if p.MayEdit {
			if sent != nil && sent.Target == c.Code {
				row.Form = sent
				if sent.Removing {
					row.Form.Code, row.Form.Parent, row.Form.Title, row.Form.Max, row.Form.Guidance = c.Code, c.Parent, c.Title, c.MaxPoints.String(), c.Guidance
				}
				row.Form.Open = true
			} else {
				row.Form = &fgCritForm{Target: c.Code, Code: c.Code, Parent: c.Parent, Title: c.Title, Max: c.MaxPoints.String(), Guidance: c.Guidance}
			}
			fill(row.Form, c.Leaf)
		}
		p.Rows = append(p.Rows, row)
	}
	if sent != nil && sent.Target != "" && !slices.ContainsFunc(p.Rows, func(r fgRow) bool { return r.Code == sent.Target }) {
		p.Error = sent.Error
		for _, fe := range sent.Fields {
			p.Error = fieldText(l, fe)
		}
	}
	if p.MayEdit {
		if sent != nil && sent.Target == "" {
			p.Add = sent
			p.Add.Open = true
		} else {
			p.Add = &fgCritForm{}
		}
		fill(p.Add, true)
	}
}

// fgRegistrable lists the cells the actor may register in an open
// framework: its own cell, or the cells one and two levels below its units
// (within the framework's owner), at most 1000.
func (s *Handler) fgRegistrable(ctx context.Context, a *auth.Actor, f *scoring.Framework) []fgCell {
	var cells []fgCell
	seen := map[int64]bool{}
	addCell := func(u org.Unit) {
		if u.Kind == org.KindCell && u.DissolvedOn.IsZero() && !seen[u.ID] && strings.HasPrefix(u.Path, f.OwnerPath) &&
			(len(f.CellTypes) == 0 || contains(f.CellTypes, u.CellType)) && len(cells) < 1000 {
			seen[u.ID] = true
			cells = append(cells, fgCell{u.ID, u.Name})
		}
	}
	for _, g := range a.Grants {
		if !contains(scoring.CellRoles, g.Role) {
			continue
		}
		u, err := s.Org.Get(ctx, a, g.UnitID)
		if err != nil {
			continue
		}
		addCell(*u)
		kids, _ := s.Org.Children(ctx, a, u.ID)
		for _, k := range kids {
			addCell(k)
			if k.Kind != org.KindCell && k.Kind != org.KindDistrict && k.Kind != org.KindProvince {
				grand, _ := s.Org.Children(ctx, a, k.ID)
				for _, gk := range grand {
					addCell(gk)
				}
			}
		}
	}
	return cells
}

func contains[T comparable](xs []T, x T) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func (s *Handler) uiFramework(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.fgFrameworkPage(w, r, id, http.StatusOK, "")
}

// fgInput is the framework as an input, for the per-criterion forms and
// the status switch.
func fgInput(f *scoring.Framework) scoring.FrameworkInput {
	in := scoring.FrameworkInput{Name: f.Name, Year: f.Year, OwnerUnitID: f.OwnerUnitID, CellTypes: f.CellTypes, Status: f.Status,
		RegistrationDeadline: f.RegistrationDeadline, ReportDeadline: f.ReportDeadline, InterimReportDeadline: f.InterimReportDeadline, Quota: f.Quota, Version: f.Version}
	for _, b := range f.Bands {
		in.Bands = append(in.Bands, scoring.BandInput{Level: b.Level, MinPoints: b.MinPoints.Float()})
	}
	var conv func(cs []scoring.Criterion) []scoring.CriterionInput
	conv = func(cs []scoring.Criterion) []scoring.CriterionInput {
		var out []scoring.CriterionInput
		for _, c := range cs {
			ci := scoring.CriterionInput{Code: c.Code, Title: c.Title, Guidance: c.Guidance, Children: conv(c.Children)}
			if len(c.Children) == 0 {
				v := c.MaxPoints.Float()
				ci.MaxPoints = &v
			}
			out = append(out, ci)
		}
		return out
	}
	in.Criteria = conv(f.Criteria)
	return in
}

// uiFrameworkCriterion saves one criterion's code, parent, title,
// maximum and guidance (a form per criterion), or the framework's status.
func (s *Handler) uiFrameworkCriterion(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if code != "trang-thai" {
		return s.fgChangeCriterion(w, r, code, false)
	}
	id, err := postedID(w, r, "id")
	if err != nil {
		return err
	}
	a := httpx.ActorFrom(r)
	f, err := s.FourGood.Editable(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := fgInput(f)
	in.Status = scoring.Status(r.PostForm.Get("status"))
	_, err = s.FourGood.Update(r.Context(), a, id, in)
	return fgDone(w, r, err, fmt.Sprintf("%s/khung/%d?ok=1", pageFourGood, id), func(msg string) error {
		return s.fgFrameworkPage(w, r, id, http.StatusUnprocessableEntity, msg)
	})
}

// fgDone goes on to next when err is nil, shows a refusal of the form
// (invalid or conflict) through page with its message, and returns any
// other error.
func fgDone(w http.ResponseWriter, r *http.Request, err error, next string, page func(msg string) error) error {
	if err == nil {
		httpx.SeeOther(w, r, next)
		return nil
	}
	if c := apperr.CodeOf(err); c == apperr.Invalid || c == apperr.Conflict {
		return page(fgError(langOf(r), err))
	}
	return err
}

// uiAddCriterion adds a criterion to a framework not yet scored.
func (s *Handler) uiAddCriterion(w http.ResponseWriter, r *http.Request) error {
	return s.fgChangeCriterion(w, r, "", false)
}

// uiRemoveCriterion removes a criterion without sub-criteria.
func (s *Handler) uiRemoveCriterion(w http.ResponseWriter, r *http.Request) error {
	return s.fgChangeCriterion(w, r, r.PathValue("code"), true)
}

// fgChangeCriterion adds (code ""), changes or removes a criterion; a
// refusal shows the form again with each error beside its field.
func (s *Handler) fgChangeCriterion(w http.ResponseWriter, r *http.Request, code string, remove bool) error {
	id, err := httpx.PathID(r, "id")
	if err == nil {
		err = readForm(w, r)
	}
	if err != nil {
		return err
	}
	form := r.PostForm
	in := scoring.CriterionChange{Code: code, Remove: remove,
		NewCode: strings.TrimSpace(norm.NFC.String(form.Get("code"))), Parent: strings.TrimSpace(form.Get("parent")),
		Title: strings.TrimSpace(norm.NFC.String(form.Get("title"))), Guidance: strings.TrimSpace(norm.NFC.String(form.Get("guidance")))}
	in.Version, _ = strconv.Atoi(form.Get("version"))
	if v := strings.TrimSpace(form.Get("max_points")); v != "" {
		f, perr := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if perr != nil {
			f = -1
		}
		in.MaxPoints = &f
	}
	if _, err := s.FourGood.ChangeCriterion(r.Context(), httpx.ActorFrom(r), id, in); err != nil {
		if c := apperr.CodeOf(err); c != apperr.Invalid && c != apperr.Conflict {
			return err
		}
		cf := &fgCritForm{Target: code, Code: in.NewCode, Parent: in.Parent, Title: in.Title, Max: form.Get("max_points"), Guidance: in.Guidance,
			Fields: map[string]apperr.FieldError{}}
		if remove {
			cf = &fgCritForm{Target: code, Fields: map[string]apperr.FieldError{}, Removing: true}
		}
		e, _ := apperr.As(err)
		for _, f := range e.Fields {
			if name, ok := strings.CutPrefix(f.Field, "criterion."); ok && f.Row == 0 {
				if _, dup := cf.Fields[name]; !dup {
					cf.Fields[name] = f
				}
			}
		}
		if len(cf.Fields) == 0 {
			cf.Error = fgError(langOf(r), err)
		}
		return s.fgFrameworkPageWith(w, r, id, http.StatusUnprocessableEntity, "", cf)
	}
	anchor := "h-criteria"
	if !remove && in.NewCode != "" {
		anchor = "c-" + in.NewCode
	}
	httpx.SeeOther(w, r, fmt.Sprintf("%s/khung/%d?ok=1#%s", pageFourGood, id, anchor))
	return nil
}

// uiFrameworkImport replaces the criteria from a spreadsheet.
func (s *Handler) uiFrameworkImport(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	a := httpx.ActorFrom(r)
	if _, err := s.FourGood.Editable(r.Context(), a, id); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.MaxUpload+1<<20)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return s.fgFrameworkPage(w, r, id, http.StatusUnprocessableEntity, translate(langOf(r), "fg.no_file"))
	}
	defer file.Close()
	_, err = s.FourGood.ImportCriteria(r.Context(), a, id, scoring.ImportInput{Body: file, Filename: hdr.Filename, MediaType: hdr.Header.Get("Content-Type"), MaxBytes: s.MaxUpload})
	if err != nil {
		if c := apperr.CodeOf(err); c != apperr.Internal && c != apperr.NotFound {
			return s.fgFrameworkPage(w, r, id, http.StatusUnprocessableEntity, fgError(langOf(r), err))
		}
		return err
	}
	httpx.SeeOther(w, r, fmt.Sprintf("%s/khung/%d?ok=1", pageFourGood, id))
	return nil
}

// uiFrameworkCopy makes next year's draft.
func (s *Handler) uiFrameworkCopy(w http.ResponseWriter, r *http.Request) error {
	id, err := postedID(w, r, "id")
	if err != nil {
		return err
	}
	year, _ := strconv.Atoi(r.PostForm.Get("year"))
	f, err := s.FourGood.Copy(r.Context(), httpx.ActorFrom(r), id, scoring.CopyInput{Year: year})
	if err != nil {
		if apperr.Is(err, apperr.Invalid) {
			return s.fgFrameworkPage(w, r, id, http.StatusUnprocessableEntity, fgError(langOf(r), err))
		}
		return err
	}
	httpx.SeeOther(w, r, fmt.Sprintf("%s/khung/%d", pageFourGood, f.ID))
	return nil
}

// uiFrameworkRegister registers a cell and opens its scoresheet.
func (s *Handler) uiFrameworkRegister(w http.ResponseWriter, r *http.Request) error {
	id, err := postedID(w, r, "id")
	if err != nil {
		return err
	}
	unit, _ := httpx.ParseID(r.PostForm.Get("unit_id"))
	sh, err := s.FourGood.Register(r.Context(), httpx.ActorFrom(r), id, scoring.RegisterInput{UnitID: unit,
		Period: scoring.Period(r.PostForm.Get("period")), Reason: norm.NFC.String(r.PostForm.Get("reason"))})
	next := ""
	if err == nil {
		next = fmt.Sprintf("%s/bieu/%d", pageFourGood, sh.ID)
	}
	return fgDone(w, r, err, next, func(msg string) error {
		return s.fgFrameworkPage(w, r, id, http.StatusUnprocessableEntity, msg)
	})
}

type fgSheetRow struct {
	scoring.Flat
	Score    *scoring.Score
	Subtotal scoring.Totals
}

type fgSheetPage struct {
	view
	S        *scoring.Sheet
	F        *scoring.Framework
	Rows     []fgSheetRow
	MayWrite bool
	// Column is the stage's column the form writes: self, review, final.
	Column string
	Error  string
	// ErrorCode is the criterion the error is about.
	ErrorCode string
	Notice    string
	// Pick is the evidence picker open on one criterion (?chon=code).
	Pick *fgPicker
	// MaxMiB is the attachments' size limit in MiB.
	MaxMiB int
}

func (s *Handler) fgSheetPage(w http.ResponseWriter, r *http.Request, id int64, status int, msg, code string) error {
	a := httpx.ActorFrom(r)
	sh, f, err := s.FourGood.SheetFramework(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := &fgSheetPage{S: sh, F: f, Error: msg, ErrorCode: code, MayWrite: s.FourGood.MayWrite(a, sh, f), Column: string(sh.Stage)}
	if r.URL.Query().Get("ok") != "" {
		p.Notice = translate(langOf(r), "fg.saved")
	}
	scores := map[string]*scoring.Score{}
	for i := range sh.Scores {
		scores[sh.Scores[i].Criterion] = &sh.Scores[i]
	}
	flat := scoring.Flatten(f.Criteria)
	sub := map[string]scoring.Totals{}
	for _, c := range flat {
		sc := scores[c.Code]
		if sc == nil {
			continue
		}
		// Add the leaf to itself and every ancestor.
		for code := c.Code; code != ""; {
			t := sub[code]
			if sc.SelfPoints != nil {
				t.Self += *sc.SelfPoints
			}
			if sc.ReviewPoints != nil {
				t.Review += *sc.ReviewPoints
			} else if sc.SelfPoints != nil {
				t.Review += *sc.SelfPoints
			}
			if sc.FinalPoints != nil {
				t.Final += *sc.FinalPoints
			}
			sub[code] = t
			parent := ""
			for _, x := range flat {
				if x.Code == code {
					parent = x.Parent
				}
			}
			code = parent
		}
	}
	for _, c := range flat {
		p.Rows = append(p.Rows, fgSheetRow{Flat: c, Score: scores[c.Code], Subtotal: sub[c.Code]})
	}
	p.MaxMiB = doc.MaxAttachment >> 20
	if err := s.fgPick(r, p, scores); err != nil {
		return err
	}
	s.render(w, r, status, "fourgood_sheet", p)
	return nil
}

func (s *Handler) uiScoresheet(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.fgSheetPage(w, r, id, http.StatusOK, "", "")
}

// uiScore saves one criterion of the current stage (a form per criterion,
// so that a phone saves as it goes).
func (s *Handler) uiScore(w http.ResponseWriter, r *http.Request) error {
	id, err := postedID(w, r, "id")
	if err != nil {
		return err
	}
	form := r.PostForm
	in := scoring.ScoreInput{Criterion: form.Get("criterion")}
	if v := strings.TrimSpace(form.Get("points")); v != "" {
		f, perr := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if perr != nil {
			f = -1
		}
		in.Points = &f
	}
	for name, dst := range map[string]**string{"evidence": &in.Evidence, "comment": &in.Comment, "reason": &in.Reason} {
		if form.Has(name) {
			v := norm.NFC.String(form.Get(name))
			*dst = &v
		}
	}
	version, _ := strconv.Atoi(form.Get("version"))
	_, err = s.FourGood.PutScores(r.Context(), httpx.ActorFrom(r), id, version, []scoring.ScoreInput{in})
	return fgDone(w, r, err, fmt.Sprintf("%s/bieu/%d?ok=1#c-%s", pageFourGood, id, in.Criterion), func(msg string) error {
		return s.fgSheetPage(w, r, id, http.StatusUnprocessableEntity, msg, in.Criterion)
	})
}

// uiSubmitSheet moves the scoresheet to its next stage.
func (s *Handler) uiSubmitSheet(w http.ResponseWriter, r *http.Request) error {
	id, err := postedID(w, r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	_, err = s.FourGood.Submit(r.Context(), httpx.ActorFrom(r), id, version)
	return fgDone(w, r, err, fmt.Sprintf("%s/bieu/%d?ok=1", pageFourGood, id), func(msg string) error {
		return s.fgSheetPage(w, r, id, http.StatusUnprocessableEntity, msg, "")
	})
}

type fgBar struct {
	Level string
	Count int
	W     float64
	Y     int
}

type fgResultsPage struct {
	view
	F         *scoring.Framework
	R         *scoring.Results
	Unit      *org.Unit
	Bars      []fgBar
	ChartH    int
	Export    string
	Interim   bool
	Error     string
	Notice    string
	MayReport []scoring.Report
}

func (s *Handler) fgResultsPage(w http.ResponseWriter, r *http.Request, id int64, status int, msg string) error {
	a := httpx.ActorFrom(r)
	unit, err := httpx.QueryID(r, "unit")
	if err != nil {
		return err
	}
	period := scoring.Period(r.URL.Query().Get("period"))
	res, err := s.FourGood.Results(r.Context(), a, id, scoring.ResultsInput{UnitID: unit, Period: period})
	if err != nil {
		return err
	}
	f, err := s.FourGood.Framework(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := &fgResultsPage{F: f, R: res, Interim: res.Period == scoring.PeriodInterim, Error: msg}
	if r.URL.Query().Get("ok") != "" {
		p.Notice = translate(langOf(r), "fg.sent")
	}
	if p.Unit, err = s.Org.Get(r.Context(), a, res.UnitID); err != nil {
		return err
	}
	p.Export = fmt.Sprintf("/api/v1/frameworks/%d/results?unit=%d&period=%s&format=xlsx", id, res.UnitID, res.Period)
	most := res.Unclassified
	for _, n := range res.ByLevel {
		most = max(most, n)
	}
	levels := []string{}
	for _, b := range f.Bands {
		levels = append(levels, b.Level)
	}
	levels = append(levels, "")
	for i, l := range levels {
		b := fgBar{Level: l, Count: res.ByLevel[l], Y: i * 22}
		if l == "" {
			b.Count = res.Unclassified
		}
		if most > 0 {
			b.W = float64(b.Count*1000/most) / 10
		}
		p.Bars = append(p.Bars, b)
	}
	p.ChartH = len(p.Bars) * 22
	for _, rep := range res.Reports {
		if rep.SentAt.IsZero() && a.Can(s.unitPath(r, rep.UnitID), scoring.ReviewRoles) {
			p.MayReport = append(p.MayReport, rep)
		}
	}
	s.render(w, r, status, "fourgood_results", p)
	return nil
}

func (s *Handler) unitPath(r *http.Request, id int64) string {
	u, err := s.Org.Get(r.Context(), httpx.ActorFrom(r), id)
	if err != nil {
		return "\x00"
	}
	return u.Path
}

func (s *Handler) uiFrameworkResults(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.fgResultsPage(w, r, id, http.StatusOK, "")
}

// uiFrameworkReport sends a committee's results up.
func (s *Handler) uiFrameworkReport(w http.ResponseWriter, r *http.Request) error {
	id, err := postedID(w, r, "id")
	if err != nil {
		return err
	}
	unit, _ := httpx.ParseID(r.PostForm.Get("unit_id"))
	period := scoring.Period(r.PostForm.Get("period"))
	_, err = s.FourGood.SendReport(r.Context(), httpx.ActorFrom(r), id, scoring.ReportInput{UnitID: unit, Period: period})
	return fgDone(w, r, err, fmt.Sprintf("%s/khung/%d/ket-qua?unit=%d&period=%s&ok=1", pageFourGood, id, unit, period), func(msg string) error {
		return s.fgResultsPage(w, r, id, http.StatusUnprocessableEntity, msg)
	})
}
