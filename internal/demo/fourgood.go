package demo

import (
	"fmt"
	"slices"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/scoring"
)

// FourGoodSummary counts what the four-good demo created.
type FourGoodSummary struct {
	Frameworks, Registrations, Sheets, Submissions int
}

// SampleLabel marks the demo's frameworks: the official point sheet is
// not public (DOMAIN.md), so the demo's is a sample, not a document.
const SampleLabel = "Khung mẫu"

// sampleCriteria is a sample framework on the four criteria of Nghị quyết
// 21-NQ/TW (DOMAIN.md "Four-good cells"), 100 points. school swaps the
// political task's wording for a school's.
func sampleCriteria(school bool) []scoring.CriterionInput {
	p := func(v float64) *float64 { return &v }
	task := []scoring.CriterionInput{
		{Code: "1.1", Title: "Ban hành nghị quyết lãnh đạo thực hiện nhiệm vụ chính trị sát với thực tế", MaxPoints: p(10), Guidance: "Có nghị quyết năm, nghị quyết hằng tháng; có chỉ tiêu cụ thể."},
		{Code: "1.2", Title: "Lãnh đạo phát triển kinh tế, văn hóa – xã hội, quốc phòng – an ninh ở địa bàn", MaxPoints: p(10)},
		{Code: "1.3", Title: "Hoàn thành các nhiệm vụ cấp trên giao đúng hạn (Chỉ thị 24-CT/TU)", MaxPoints: p(5), Guidance: "Đối chiếu số việc nhận, đúng hạn, trễ hạn trên hệ thống."},
	}
	if school {
		task[1] = scoring.CriterionInput{Code: "1.2", Title: "Lãnh đạo nâng cao chất lượng dạy và học, đổi mới giáo dục", MaxPoints: p(10)}
	}
	return []scoring.CriterionInput{
		{Code: "1", Title: "Lãnh đạo thực hiện tốt nhiệm vụ chính trị", Children: task},
		{Code: "2", Title: "Chất lượng sinh hoạt chi bộ tốt", Children: []scoring.CriterionInput{
			{Code: "2.1", Title: "Sinh hoạt thường kỳ hằng tháng đúng thời gian, đủ nội dung", MaxPoints: p(10), Guidance: "12 kỳ/năm; biên bản ghi vào sổ nghị quyết."},
			{Code: "2.2", Title: "Sinh hoạt chuyên đề ít nhất mỗi quý một lần", MaxPoints: p(5)},
			{Code: "2.3", Title: "Tỷ lệ đảng viên dự sinh hoạt", MaxPoints: p(5), Guidance: "Từ 90% trở lên: đủ điểm."},
			{Code: "2.4", Title: "Cấp ủy họp chuẩn bị trước kỳ sinh hoạt", MaxPoints: p(5)},
		}},
		{Code: "3", Title: "Đoàn kết, kỷ luật tốt", Children: []scoring.CriterionInput{
			{Code: "3.1", Title: "Nội bộ đoàn kết, thống nhất", MaxPoints: p(10)},
			{Code: "3.2", Title: "Không có đảng viên vi phạm phải xử lý kỷ luật", MaxPoints: p(10)},
			{Code: "3.3", Title: "Thực hiện tự phê bình và phê bình", MaxPoints: p(5)},
		}},
		{Code: "4", Title: "Đội ngũ cán bộ, đảng viên tốt", Children: []scoring.CriterionInput{
			{Code: "4.1", Title: "Đảng viên hoàn thành tốt nhiệm vụ trở lên", MaxPoints: p(10)},
			{Code: "4.2", Title: "Kết nạp đảng viên mới theo chỉ tiêu", MaxPoints: p(5)},
			{Code: "4.3", Title: "Đóng đảng phí đầy đủ, đúng hạn", MaxPoints: p(5)},
		}},
	}
}

// fourGood adds the events of a year of the four-good model in progress
// (ContentEnv.FourGood): the district office's sample frameworks (one for
// schools, one for every other type of cell), the registrations of Phú
// Túc's cells and of three other communes', the interim review done and
// reported, and the year-end scoring under way. Events after now are left
// out.
//
// long: it stays one function on purpose: it is the year's timeline read month
// by month (January's frameworks, February's registrations, the interim
// review, the year-end scoring), each step a closure over what the steps
// before made (frameworks, sheets, actors) and every score drawn from one
// random stream in order. Split into functions, that state would be
// threaded through each and a reordering would silently change the demo.
func (c *content) fourGood() error {
	ctx, env, end := c.ctx, c.env, c.end
	sum := &c.sum.FourGood
	today := c.today
	year := today.Year
	if today.Before(date.New(year, time.March, 1)) {
		year-- // early in a year: show the last one
	}
	seed := env.Seed
	if seed == 0 {
		seed = 1
	}
	r := newRNG(uint64(seed), 0x4600d)
	s := env.FourGood
	var err error
	office, committee, cellOfficer := env.Actors["vanphong"], env.Actors["danguy.phutuc"], env.Actors["bithu.phutuc"]
	if office == nil || committee == nil {
		return fmt.Errorf("demo four-good: the accounts vanphong and danguy.phutuc are missing")
	}
	on := func(m time.Month, d, h int) time.Time {
		return time.Date(year, m, d, h, 0, 0, 0, date.Vietnam)
	}
	// add keeps the events before now.
	add := func(t time.Time, do func() error) {
		if t.Before(end) {
			c.add(t, do)
		}
	}

	// The communes: Phú Túc and three others.
	communes, err := s.Store.ChildUnits(ctx, env.Summary.DistrictID)
	if err != nil {
		return err
	}
	slices.SortStableFunc(communes, func(a, b scoring.UnitRef) int {
		pa, pb := a.Name == "Đảng bộ xã Phú Túc", b.Name == "Đảng bộ xã Phú Túc"
		switch {
		case pa && !pb:
			return -1
		case pb && !pa:
			return 1
		}
		return 0
	})
	var picked []scoring.UnitRef
	for _, c := range communes {
		if c.Kind != org.KindCell && len(picked) < 4 {
			picked = append(picked, c)
		}
	}
	if len(picked) == 0 || picked[0].Name != "Đảng bộ xã Phú Túc" {
		return fmt.Errorf("demo four-good: Phú Túc not found")
	}

	// The cells of the picked communes, each with its framework by type.
	type entry struct {
		cell    scoring.UnitRef
		commune int
		school  bool
		sheets  map[scoring.Period]int64
	}
	var cells []*entry
	for i, u := range picked {
		kids, err := s.Store.ChildUnits(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, k := range kids {
			if k.Kind == org.KindCell {
				cells = append(cells, &entry{cell: k, commune: i, school: k.CellType == "school", sheets: map[scoring.Period]int64{}})
			}
		}
	}
	var general, school *scoring.Framework
	frameworkOf := func(e *entry) *scoring.Framework {
		if e.school {
			return school
		}
		return general
	}
	actorFor := func(e *entry) *auth.Actor {
		switch {
		case cellOfficer != nil && e.commune == 0 && len(cellOfficer.Grants) > 0 && cellOfficer.Grants[0].UnitID == e.cell.ID:
			return cellOfficer
		case e.commune == 0:
			return committee
		}
		return office
	}
	reviewer := func(e *entry) *auth.Actor {
		if e.commune == 0 {
			return committee
		}
		return office
	}

	// January: the office defines the frameworks.
	add(on(time.January, 12, 9), func() error {
		var others []org.CellType
		for _, t := range org.CellTypes {
			if t != "school" {
				others = append(others, t)
			}
		}
		bands := []scoring.BandInput{{Level: "Chi bộ 4 tốt", MinPoints: 90}, {Level: "Hoàn thành tốt", MinPoints: 70}, {Level: "Hoàn thành", MinPoints: 50}}
		mk := func(name string, types []org.CellType, sch bool) (*scoring.Framework, error) {
			return s.Create(ctx, office, scoring.FrameworkInput{Name: name, Year: year, OwnerUnitID: env.Summary.DistrictID, CellTypes: types,
				RegistrationDeadline: date.New(year, time.February, 28), InterimReportDeadline: date.New(year, time.July, 15), ReportDeadline: date.New(year, time.December, 20),
				Criteria: sampleCriteria(sch), Bands: bands, Quota: &scoring.Quota{Level: "Chi bộ 4 tốt", MaxShare: 0.3}})
		}
		var err error
		if general, err = mk(fmt.Sprintf("%s — Chi bộ 4 tốt năm %d (dữ liệu minh họa, không phải văn bản chính thức)", SampleLabel, year), others, false); err != nil {
			return fmt.Errorf("demo four-good: %w", err)
		}
		if school, err = mk(fmt.Sprintf("%s — Chi bộ 4 tốt khối trường học năm %d (dữ liệu minh họa)", SampleLabel, year), []org.CellType{"school"}, true); err != nil {
			return fmt.Errorf("demo four-good: %w", err)
		}
		sum.Frameworks = 2
		return nil
	})

	// February: the cells register (the last, of another commune, late in
	// March by the office with a reason); each opens its year-end sheet.
	for i, e := range cells {
		t := on(time.February, 2+i%25, 8+i%9)
		in := scoring.RegisterInput{UnitID: e.cell.ID}
		who := actorFor(e)
		if i == len(cells)-1 && e.commune != 0 {
			t, who, in.Reason = on(time.March, 10, 9), office, "Chi bộ mới kiện toàn cấp ủy, đăng ký bổ sung theo đề nghị của Đảng ủy xã"
		}
		add(t, func() error {
			sh, err := s.Register(ctx, who, frameworkOf(e).ID, in)
			if err != nil {
				return fmt.Errorf("demo four-good: register %s: %w", e.cell.Name, err)
			}
			e.sheets[scoring.PeriodFinal] = sh.ID
			sum.Registrations++
			sum.Sheets++
			return nil
		})
	}

	// score writes a cell's self-assessment: most criteria near the
	// maximum, a few lower.
	score := func(e *entry, p scoring.Period, who *auth.Actor) error {
		var in []scoring.ScoreInput
		for _, c := range scoring.Flatten(frameworkOf(e).Criteria) {
			if !c.Leaf {
				continue
			}
			max := c.MaxPoints.Float()
			v := max - float64(r.intn(int(max)/2+1))*0.5
			if r.chance(0.15) {
				v = max / 2
			}
			ev := ""
			if c.Code == "2.1" {
				ev = "Sổ nghị quyết: đủ các kỳ sinh hoạt thường kỳ"
			}
			in = append(in, scoring.ScoreInput{Criterion: c.Code, Points: &v, Evidence: &ev})
		}
		_, err := s.PutScores(ctx, who, e.sheets[p], 0, in)
		return err
	}
	review := func(e *entry, p scoring.Period) error {
		sh, err := s.Sheet(ctx, reviewer(e), e.sheets[p])
		if err != nil {
			return err
		}
		if r.chance(0.5) {
			for _, sc := range sh.Scores {
				if sc.SelfPoints != nil && *sc.SelfPoints >= 100 {
					v := sc.SelfPoints.Float() - 1
					reason := "Minh chứng chưa đầy đủ: trừ 1 điểm"
					if _, err := s.PutScores(ctx, reviewer(e), sh.ID, 0, []scoring.ScoreInput{{Criterion: sc.Criterion, Points: &v, Reason: &reason}}); err != nil {
						return err
					}
					break
				}
			}
		}
		_, err = s.Submit(ctx, reviewer(e), sh.ID, 0)
		return err
	}

	// June–July: the interim (six-month) review, done and reported.
	for i, e := range cells {
		add(on(time.June, 10+i%15, 8), func() error {
			sh, err := s.Register(ctx, actorFor(e), frameworkOf(e).ID, scoring.RegisterInput{UnitID: e.cell.ID, Period: scoring.PeriodInterim})
			if err != nil {
				return fmt.Errorf("demo four-good: interim sheet %s: %w", e.cell.Name, err)
			}
			e.sheets[scoring.PeriodInterim] = sh.ID
			sum.Sheets++
			if err := score(e, scoring.PeriodInterim, actorFor(e)); err != nil {
				return fmt.Errorf("demo four-good: interim scores %s: %w", e.cell.Name, err)
			}
			if _, err := s.Submit(ctx, actorFor(e), sh.ID, 0); err != nil {
				return err
			}
			sum.Submissions++
			return nil
		})
	}
	for i, e := range cells {
		add(on(time.July, 1+i%7, 14), func() error {
			if err := review(e, scoring.PeriodInterim); err != nil {
				return fmt.Errorf("demo four-good: interim review %s: %w", e.cell.Name, err)
			}
			return nil
		})
	}
	for _, e := range cells {
		add(on(time.July, 10, 9), func() error {
			if _, err := s.Submit(ctx, office, e.sheets[scoring.PeriodInterim], 0); err != nil {
				return fmt.Errorf("demo four-good: interim final %s: %w", e.cell.Name, err)
			}
			return nil
		})
	}
	for i, u := range picked[:len(picked)-1] { // the last commune has not reported
		add(on(time.July, 12+i*4, 10), func() error { // the third reports late
			for _, f := range []*scoring.Framework{general, school} {
				if _, err := s.SendReport(ctx, office, f.ID, scoring.ReportInput{UnitID: u.ID, Period: scoring.PeriodInterim}); err != nil {
					return fmt.Errorf("demo four-good: interim report %s: %w", u.Name, err)
				}
			}
			return nil
		})
	}

	// November–December: the year-end scoring under way. Phú Túc's cells
	// score themselves and half are reviewed; the others have begun.
	for i, e := range cells {
		if e.commune != 0 && i%3 == 0 {
			continue // not yet scored
		}
		add(on(time.November, 15+i%14, 8), func() error {
			if err := score(e, scoring.PeriodFinal, actorFor(e)); err != nil {
				return fmt.Errorf("demo four-good: scores %s: %w", e.cell.Name, err)
			}
			if e.commune == 0 || i%3 == 1 {
				if _, err := s.Submit(ctx, actorFor(e), e.sheets[scoring.PeriodFinal], 0); err != nil {
					return err
				}
				sum.Submissions++
			}
			return nil
		})
	}
	for i, e := range cells {
		if e.commune != 0 || i%2 == 1 {
			continue
		}
		add(on(time.December, 1+i%4, 15), func() error {
			if err := review(e, scoring.PeriodFinal); err != nil {
				return fmt.Errorf("demo four-good: review %s: %w", e.cell.Name, err)
			}
			return nil
		})
	}
	return nil
}
