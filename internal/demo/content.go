package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/outbreak"
	"github.com/sotay-vn/sotay/internal/report"
	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/task"
)

// Content: the life of the demo district over the year before today, so
// that every module shows something on first start. It is written through
// the module services (documents, news and comments through doc.Service,
// tasks and their steps through task.Service), each on a Clock that the
// loader moves forward event by event: every date and time the services
// and the store write comes from it, so a step taken "three months ago" is
// recorded as such, with the holdings, deadlines and flags the rules give
// it then. The daily scan runs each working morning of the history, as the
// job runner would have, and raises the time-based flags on their day.
//
// Everything is deterministic for a seed, relative to the clock's start
// (the real "now"): the same kinds of tasks at the same offsets in days.
// The documents are real-looking but their bodies are summaries written
// for the demo and say so; only Directive 24-CT/TU's number, date and
// subject are facts (DOMAIN.md).

// Clock is a settable clock for the services while the content is loaded.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// ContentEnv is what the content is written through. Docs and Tasks must
// run on Clock (and so must the store's own clock, for the times it stamps).
type ContentEnv struct {
	Docs  *doc.Service
	Tasks *task.Service
	// Conferences, when set, writes the demo's conferences (conferences.go).
	Conferences *conference.Service
	// FourGood, when set, adds a year of the four-good model (fourgood.go).
	FourGood *scoring.Service
	// Reports, when set, writes report requests and answers (reports.go).
	Reports *report.Service
	// Meetings writes the cell meetings (meetings.go); nil: none.
	Meetings *meeting.Service
	// Outbreaks writes a dengue season (outbreaks.go); nil: none.
	Outbreaks *outbreak.Service
	Clock     *Clock
	// Actors are the demo accounts as actors, by username.
	Actors map[string]*auth.Actor
	// ReadBy records that about percent of the expected members of the
	// subtree at path (accounts' members left out) read a document's
	// revision at at; the choice of members is deterministic.
	ReadBy func(ctx context.Context, docID int64, version int, path string, percent int, at time.Time) (int, error)
	// Read records one member's receipt at the clock's time.
	Read func(ctx context.Context, docID, memberID int64, version int) error
	// Summary is the generated tree's (the district, Phú Túc, the accounts).
	Summary Summary
	Seed    int64
}

// ContentSummary counts what the content created.
type ContentSummary struct {
	Documents, News, Comments, Receipts, Tasks, Steps int
	// FourGood is the four-good model's (fourgood.go).
	FourGood FourGoodSummary
	Meetings int
	// ReportsSent counts the units' reports sent (reports.go).
	ReportsSent int
}

// Content writes the demo content. The clock must be at the real now; it
// is left there.
func Content(ctx context.Context, env ContentEnv) (ContentSummary, error) {
	c := &content{ctx: ctx, env: env, end: env.Clock.Now(), ids: map[string]int64{}}
	c.today = date.Today(c.end)
	seed := env.Seed
	if seed == 0 {
		seed = 1
	}
	c.r = newRNG(uint64(seed), 0xc0ffee)
	if err := c.prepare(); err != nil {
		return c.sum, err
	}
	c.documents()
	c.news()
	c.tasks()
	c.conferences()
	if env.FourGood != nil {
		if err := c.fourGood(); err != nil {
			return c.sum, err
		}
	}
	c.meetings()  // meetings.go
	c.reports()   // reports.go
	c.outbreaks() // outbreaks.go
	if err := c.run(); err != nil {
		return c.sum, err
	}
	// Now: the scan and the reminders, as the runner would on start.
	env.Clock.Set(c.end)
	if _, err := env.Tasks.Scan(ctx); err != nil {
		return c.sum, fmt.Errorf("scan: %w", err)
	}
	if _, err := env.Tasks.Remind(ctx); err != nil {
		return c.sum, fmt.Errorf("remind: %w", err)
	}
	return c.sum, nil
}

type content struct {
	ctx   context.Context
	env   ContentEnv
	r     rng
	end   time.Time
	today date.Date
	sum   ContentSummary

	district  task.UnitRef
	root      task.UnitRef
	phuTuc    task.UnitRef
	cell      task.UnitRef // bithu.phutuc's
	communes  []task.UnitRef
	cells     map[int64][]task.UnitRef // cells below each commune
	heads     map[int64]int64
	unitActor map[int64]*auth.Actor // who acts for a commune or a cell

	events []event
	ids    map[string]int64 // documents and news by key
}

type event struct {
	at  time.Time
	seq int
	do  func() error
}

// at is the time on day d at h:m in Vietnam.
func at(d date.Date, h, m int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, date.Vietnam)
}

func (c *content) add(t time.Time, do func() error) {
	c.events = append(c.events, event{at: t, seq: len(c.events), do: do})
}

// run plays the events in order, with the scan each working morning from
// the first task to today. Events that would fall after the real now (a
// story that ends today) are played just before it, in order.
func (c *content) run() error {
	cal, err := c.env.Tasks.Calendars.Calendar(c.ctx)
	if err != nil {
		return err
	}
	first := c.today
	for _, e := range c.events {
		if d := date.Today(e.at); d.Before(first) && d.After(c.today.AddDays(-400)) {
			first = d
		}
	}
	for d := first.AddDays(1); !d.After(c.today); d = d.AddDays(1) {
		if cal.IsWorkday(d) {
			c.add(at(d, 6, 30), func() error { _, err := c.env.Tasks.Scan(c.ctx); return err })
		}
	}
	slices.SortStableFunc(c.events, func(a, b event) int {
		if n := a.at.Compare(b.at); n != 0 {
			return n
		}
		return a.seq - b.seq
	})
	var prev time.Time
	for _, e := range c.events {
		t := e.at
		if !t.After(prev) {
			t = prev.Add(time.Millisecond)
		}
		if !t.Before(c.end) {
			t = prev.Add(time.Millisecond)
		}
		prev = t
		c.env.Clock.Set(t.UTC())
		if err := e.do(); err != nil {
			return err
		}
	}
	return nil
}

// prepare finds the units, heads and actors.
func (c *content) prepare() error {
	st := c.env.Tasks.Store
	var err error
	root, err := st.Unit(c.ctx, c.env.Summary.RootID)
	if err != nil {
		return err
	}
	district, err := st.Unit(c.ctx, c.env.Summary.DistrictID)
	if err != nil {
		return err
	}
	c.root, c.district = *root, *district
	kids, err := st.ChildUnits(c.ctx, district.ID)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if strings.HasPrefix(k.Name, "Đảng bộ xã ") || strings.HasPrefix(k.Name, "Đảng bộ thị trấn ") {
			c.communes = append(c.communes, k)
			if k.Name == "Đảng bộ xã Phú Túc" {
				c.phuTuc = k
			}
		}
	}
	if len(c.communes) < 3 || c.phuTuc.ID == 0 {
		return fmt.Errorf("demo content: the district's communes are missing")
	}
	c.cells = map[int64][]task.UnitRef{}
	ids := []int64{district.ID}
	for _, cm := range c.communes {
		ks, err := st.ChildUnits(c.ctx, cm.ID)
		if err != nil {
			return err
		}
		for _, k := range ks {
			if k.Kind == "cell" {
				c.cells[cm.ID] = append(c.cells[cm.ID], k)
				ids = append(ids, k.ID)
			}
		}
		ids = append(ids, cm.ID)
	}
	if c.heads, err = st.UnitHeads(c.ctx, ids); err != nil {
		return err
	}
	for _, name := range []string{"admin", "vanphong", "btv", "danguy.phutuc", "bithu.phutuc", "dangvien"} {
		if c.env.Actors[name] == nil {
			return fmt.Errorf("demo content: no actor for the account %s", name)
		}
	}
	// A commune acts through its committee, a cell through its officer:
	// the demo's accounts where it has them, else the unit's head acting
	// without an account (the steps name the member).
	c.unitActor = map[int64]*auth.Actor{}
	bithu := c.env.Actors["bithu.phutuc"]
	for _, cm := range c.communes {
		c.unitActor[cm.ID] = c.headActor(cm, auth.RoleCommittee)
		for _, cl := range c.cells[cm.ID] {
			c.unitActor[cl.ID] = c.headActor(cl, auth.RoleCellOfficer)
		}
	}
	c.unitActor[c.phuTuc.ID] = c.env.Actors["danguy.phutuc"]
	for _, g := range bithu.Grants {
		c.unitActor[g.UnitID] = bithu
		for _, cl := range c.cells[c.phuTuc.ID] {
			if cl.ID == g.UnitID {
				c.cell = cl
			}
		}
	}
	if c.cell.ID == 0 {
		return fmt.Errorf("demo content: bithu.phutuc's cell is not in Phú Túc")
	}
	return nil
}

func (c *content) headActor(u task.UnitRef, role auth.Role) *auth.Actor {
	a := &auth.Actor{Grants: []auth.Grant{{UnitID: u.ID, UnitPath: u.Path, Role: role}}}
	if m, ok := c.heads[u.ID]; ok {
		a.MemberID = m
	}
	return a
}

// ---- Documents -------------------------------------------------------------

// summaryNote opens every body the demo writes.
const summaryNote = "> *Dữ liệu minh họa của bản demo Sổ tay.* Phần dưới đây là **tóm tắt** nội dung do người soạn dữ liệu viết lại để thử hệ thống, **không phải nguyên văn** văn bản.\n\n"

type docSpec struct {
	key      string
	actor    string
	issuer   *task.UnitRef
	audience *task.UnitRef
	typ      string
	number   string // empty: the next number of the issuer
	code     string
	on       date.Date
	title    string
	summary  string
	body     string
	// read: the share of the expected members who read it; dangvien
	// reads it when member is set.
	read   int
	member bool
}

// documents publishes the demo's documents.
//
// long: its length is one data table, the documents with their full
// texts, which reads best as one list; the code after it is a short loop.
func (c *content) documents() {
	ct24 := date.New(2023, 8, 7)
	plan := date.New(2023, 9, 8)
	specs := []docSpec{
		{key: "ct24", actor: "admin", issuer: &c.root, audience: &c.district, typ: "CT", number: "24-CT/TU", code: "TU", on: ct24, read: 86, member: true,
			title:   "Chỉ thị về tăng cường kỷ luật, kỷ cương, trách nhiệm trong giải quyết công việc của hệ thống chính trị Thành phố",
			summary: "Chỉ thị của Ban Thường vụ Thành ủy Hà Nội (07/8/2023) yêu cầu siết chặt kỷ luật, kỷ cương và đề cao trách nhiệm trong giải quyết công việc; chấn chỉnh việc không tham mưu, không quyết định việc thuộc thẩm quyền, đùn đẩy lên cấp trên hoặc sang đơn vị khác, chậm trễ, gây phiền hà.",
			body: summaryNote + `## Mục đích

Chỉ thị nhằm tăng cường kỷ luật, kỷ cương và đề cao trách nhiệm của cán bộ, đảng viên, công chức, viên chức trong giải quyết công việc ở mọi cơ quan của hệ thống chính trị Thành phố.

## Những biểu hiện phải chấn chỉnh

- Không tham mưu, đề xuất, không quyết định công việc thuộc thẩm quyền của mình;
- Đùn đẩy công việc lên cấp trên hoặc sang cơ quan, đơn vị khác;
- Tham mưu vòng vo, không rõ chính kiến;
- Chậm trễ, để công việc quá hạn;
- Gây phiền hà, nhũng nhiễu người dân, doanh nghiệp.

## Trách nhiệm người đứng đầu

Người đứng đầu chịu trách nhiệm về kết quả giải quyết công việc của cơ quan, đơn vị mình; xem xét thay thế người đứng đầu không hoàn thành nhiệm vụ.

## Phụ lục

Kèm theo Chỉ thị là phụ lục liệt kê 21 biểu hiện vi phạm, chia thành 3 nhóm, làm căn cứ để kiểm tra, đánh giá và xử lý.
`},
		{key: "plan", actor: "vanphong", issuer: &c.district, audience: &c.district, typ: "KH", code: "HU", on: plan, read: 78, member: true,
			title:   "Kế hoạch thực hiện Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy",
			summary: "Kế hoạch của Huyện ủy Phú Xuyên triển khai Chỉ thị 24-CT/TU đến các tổ chức đảng trực thuộc: quán triệt đến từng chi bộ, giao việc có người chịu trách nhiệm và thời hạn, theo dõi trên Sổ tay, báo cáo hằng quý.",
			body: summaryNote + `## Mục đích, yêu cầu

- Quán triệt Chỉ thị 24-CT/TU đến 100% chi bộ, cán bộ, đảng viên trong Đảng bộ huyện.
- Mỗi việc được giao đều có đơn vị, người chịu trách nhiệm và thời hạn rõ ràng.

## Nhiệm vụ

1. Các đảng ủy xã, thị trấn tổ chức hội nghị quán triệt, xây dựng kế hoạch thực hiện của cấp mình.
2. Rà soát quy trình giải quyết công việc, thủ tục hành chính; chấn chỉnh việc chậm trễ, đùn đẩy.
3. Theo dõi việc giao và xử lý công việc trên Sổ tay: ai giữ việc, giữ bao lâu, chuyển cho ai.
4. Ủy ban Kiểm tra Huyện ủy kiểm tra, giám sát việc thực hiện; xem xét trách nhiệm người đứng đầu.

## Chế độ báo cáo

Các tổ chức đảng báo cáo kết quả hằng quý về Huyện ủy (qua Văn phòng Huyện ủy).
`},
		{key: "ptkh", actor: "danguy.phutuc", issuer: &c.phuTuc, audience: &c.phuTuc, typ: "KH", code: "ĐU", on: date.New(2023, 9, 20), read: 81, member: true,
			title:   "Kế hoạch của Đảng ủy xã Phú Túc thực hiện Chỉ thị 24-CT/TU của Ban Thường vụ Thành ủy",
			summary: "Đảng ủy xã Phú Túc cụ thể hóa kế hoạch của Huyện ủy: quán triệt tại 15 chi bộ, phân công cấp ủy viên phụ trách, theo dõi tiến độ từng việc.",
			body: summaryNote + `## Nội dung chính

- Tổ chức quán triệt Chỉ thị tại 15 chi bộ trong tháng 10/2023.
- Phân công đồng chí cấp ủy viên phụ trách theo dõi từng chi bộ.
- Các chi bộ đưa nội dung Chỉ thị vào sinh hoạt chuyên đề; báo cáo kết quả về Đảng ủy.
`},
		{key: "nq", actor: "vanphong", issuer: &c.district, audience: &c.district, typ: "NQ", code: "HU", on: c.weekday(c.today.AddDays(-300)), read: 72, member: true,
			title:   fmt.Sprintf("Nghị quyết về nhiệm vụ trọng tâm công tác xây dựng Đảng năm %d", c.today.AddDays(-300).Year),
			summary: "Nghị quyết của Ban Chấp hành Đảng bộ huyện xác định các nhiệm vụ trọng tâm: nâng cao chất lượng sinh hoạt chi bộ, siết chặt kỷ luật trong giải quyết công việc, chuyển đổi số công tác đảng.",
			body: summaryNote + `## Nhiệm vụ trọng tâm

1. Nâng cao chất lượng sinh hoạt chi bộ; phấn đấu các chi bộ đạt chuẩn "4 tốt".
2. Tiếp tục thực hiện Chỉ thị 24-CT/TU; giảm số việc quá hạn, chấm dứt tình trạng đùn đẩy.
3. Đẩy mạnh chuyển đổi số trong công tác đảng: quản lý đảng viên, văn bản và công việc trên Sổ tay.
`},
		{key: "cv", actor: "vanphong", issuer: &c.district, audience: &c.district, typ: "CV", code: "HU", on: c.weekday(c.today.AddDays(-210)), read: 58, member: true,
			title:   "Công văn về việc hướng dẫn đảng viên cài đặt, sử dụng Sổ tay đảng viên điện tử",
			summary: "Đề nghị các chi bộ hướng dẫn đảng viên cài đặt, đăng nhập và đọc văn bản trên Sổ tay; quan tâm giúp đỡ đảng viên cao tuổi.",
			body: summaryNote + `## Đề nghị các tổ chức đảng

- Bố trí buổi hướng dẫn tại sinh hoạt chi bộ tháng tới.
- Phân công đảng viên trẻ giúp đỡ đảng viên cao tuổi.
- Báo cáo số đảng viên đã sử dụng Sổ tay về Văn phòng Huyện ủy.
`},
		{key: "tb", actor: "btv", issuer: &c.district, audience: &c.district, typ: "TB", code: "HU", on: c.weekday(c.today.AddDays(-130)), read: 44, member: true,
			title:   "Thông báo kết luận của Ban Thường vụ Huyện ủy về kết quả thực hiện Chỉ thị 24-CT/TU",
			summary: "Ban Thường vụ ghi nhận tiến bộ, chỉ ra các đơn vị còn để việc quá hạn, đùn đẩy sang đơn vị khác, và yêu cầu người đứng đầu kiểm điểm trách nhiệm.",
			body: summaryNote + `## Kết luận

- Phần lớn công việc được giải quyết đúng hạn; một số đảng ủy còn để quá hạn, chuyển việc sang đơn vị khác không đúng thẩm quyền.
- Yêu cầu người đứng đầu các đơn vị có việc quá hạn kiểm điểm, báo cáo nguyên nhân.
- Văn phòng Huyện ủy theo dõi báo cáo trách nhiệm trên Sổ tay, báo cáo Ban Thường vụ hằng tháng.
`},
		{key: "hd", actor: "vanphong", issuer: &c.district, audience: &c.district, typ: "HD", code: "HU", on: c.weekday(c.today.AddDays(-45)), read: 31,
			title:   fmt.Sprintf("Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm %d", c.today.AddDays(-45).Year),
			summary: "Hướng dẫn quy trình, tiêu chí kiểm điểm và xếp loại theo Quy định 366-QĐ/TW; kết quả giải quyết công việc là một căn cứ đánh giá.",
			body: summaryNote + `## Quy trình

1. Cá nhân tự kiểm điểm, tự đánh giá.
2. Chi bộ góp ý, đề xuất mức xếp loại.
3. Cấp ủy cấp trên xem xét, quyết định.

## Căn cứ

Kết quả thực hiện nhiệm vụ được giao, trong đó có việc giải quyết công việc đúng hạn, không đùn đẩy (Chỉ thị 24-CT/TU).
`},
		{key: "kh2", actor: "vanphong", issuer: &c.district, audience: &c.district, typ: "KH", code: "HU", on: c.weekday(c.today.AddDays(-12)), read: 9,
			title:   "Kế hoạch sơ kết việc thực hiện Chỉ thị 24-CT/TU trong Đảng bộ huyện",
			summary: "Các tổ chức đảng tự đánh giá, báo cáo số việc đúng hạn, quá hạn, chuyển lên cấp trên, chuyển sang đơn vị khác; Huyện ủy tổ chức hội nghị sơ kết.",
			body: summaryNote + `## Nội dung sơ kết

- Số việc được giao, hoàn thành đúng hạn, chậm hạn, còn quá hạn.
- Số lần chuyển việc lên cấp trên, sang đơn vị khác, trả lại; nguyên nhân và trách nhiệm.
- Bài học kinh nghiệm, đề xuất.

Số liệu lấy từ báo cáo trách nhiệm trên Sổ tay.
`},
	}
	for i := range specs {
		s := specs[i]
		c.add(at(s.on, 9, 0), func() error { return c.publish(s) })
	}
}

// weekday is d, or the Monday after when it falls on a weekend.
func (c *content) weekday(d date.Date) date.Date {
	for d.Time().Weekday() == time.Saturday || d.Time().Weekday() == time.Sunday {
		d = d.AddDays(1)
	}
	if d.After(c.today) {
		return c.today
	}
	return d
}

func (c *content) publish(s docSpec) error {
	in := doc.CreateInput{Type: s.typ, Number: s.number, IssuerCode: s.code, IssuerUnitID: s.issuer.ID, IssuedOn: s.on,
		Title: s.title, Summary: s.summary, Body: s.body, Audience: doc.Audience{UnitID: s.audience.ID}}
	d, err := c.env.Docs.Create(c.ctx, c.env.Actors[s.actor], in)
	if err != nil {
		return fmt.Errorf("document %s: %w", s.key, err)
	}
	c.ids[s.key] = d.ID
	c.sum.Documents++
	// Members read it over the following days.
	readAt := at(s.on, 9, 0).Add(72 * time.Hour)
	if readAt.After(c.end) {
		readAt = c.end.Add(-time.Minute)
	}
	n, err := c.env.ReadBy(c.ctx, d.ID, d.Version, s.audience.Path, s.read, readAt)
	if err != nil {
		return err
	}
	c.sum.Receipts += n
	if s.member {
		if err := c.env.Read(c.ctx, d.ID, c.env.Actors["dangvien"].MemberID, d.Version); err != nil {
			return err
		}
		c.sum.Receipts++
	}
	return nil
}

// ---- News ------------------------------------------------------------------

type newsSpec struct {
	actor    string
	audience *task.UnitRef
	ago      int
	category string
	featured bool
	title    string
	summary  string
	body     string
	comments []commentSpec
}

type commentSpec struct {
	actor string
	after time.Duration
	body  string
}

func (c *content) news() {
	specs := []newsSpec{
		{actor: "vanphong", audience: &c.district, ago: 320, category: "Xây dựng Đảng",
			title:   "Huyện ủy Phú Xuyên quán triệt Chỉ thị 24-CT/TU đến các tổ chức đảng",
			summary: "Hội nghị trực tuyến tại hội trường Huyện ủy và các điểm cầu xã, thị trấn.",
			body:    "Hội nghị được tổ chức tại hội trường Huyện ủy và các điểm cầu ở xã, thị trấn, trường học. Đại biểu được nghe quán triệt các biểu hiện vi phạm phải chấn chỉnh và yêu cầu theo dõi công việc trên Sổ tay.\n\n*Tin minh họa của bản demo.*",
			comments: []commentSpec{
				{"danguy.phutuc", 3 * time.Hour, "Đảng ủy xã Phú Túc đã triển khai đến 15 chi bộ, sẽ báo cáo kết quả trong quý."},
				{"bithu.phutuc", 26 * time.Hour, "Chi bộ đã đưa nội dung này vào sinh hoạt chuyên đề tháng này."},
				{"dangvien", 50 * time.Hour, "Đề nghị có tài liệu tóm tắt các biểu hiện để đảng viên dễ nắm."},
			}},
		{actor: "vanphong", audience: &c.district, ago: 190, category: "Chuyển đổi số",
			title:   "Hơn 80% đảng viên trong huyện đã sử dụng Sổ tay",
			summary: "Các chi bộ hướng dẫn đảng viên cao tuổi cài đặt và đọc văn bản.",
			body:    "Sau hai tháng triển khai, phần lớn đảng viên đã đăng nhập Sổ tay và đọc văn bản được gửi đến chi bộ. Các chi bộ nông thôn phân công đảng viên trẻ giúp đỡ đảng viên cao tuổi.\n\n*Tin minh họa của bản demo.*",
			comments: []commentSpec{
				{"bithu.phutuc", 5 * time.Hour, "Chi bộ còn 3 đồng chí cao tuổi chưa dùng được, chi bộ sẽ tiếp tục hỗ trợ."},
				{"btv", 28 * time.Hour, "Đề nghị các chi bộ báo cáo cụ thể số đảng viên chưa sử dụng để có hướng hỗ trợ."},
			}},
		{actor: "danguy.phutuc", audience: &c.phuTuc, ago: 150, category: "Hoạt động cơ sở",
			title:   "Đảng ủy xã Phú Túc sơ kết 6 tháng thực hiện Chỉ thị 24-CT/TU",
			summary: "Các chi bộ báo cáo việc đúng hạn, quá hạn và nguyên nhân.",
			body:    "Đảng ủy xã đánh giá các chi bộ đã giải quyết phần lớn công việc đúng hạn; còn một số việc chậm do phối hợp giữa các ngành chưa chặt chẽ.\n\n*Tin minh họa của bản demo.*",
			comments: []commentSpec{
				{"vanphong", 4 * time.Hour, "Văn phòng Huyện ủy ghi nhận, đề nghị xã gửi báo cáo bằng văn bản."},
				{"danguy.phutuc", 30 * time.Hour, "Đảng ủy xã đã gửi báo cáo qua Văn phòng Huyện ủy."},
				{"dangvien", 54 * time.Hour, "Chi bộ chúng tôi sẽ khắc phục việc chậm báo cáo trong quý tới."},
			}},
		{actor: "vanphong", audience: &c.district, ago: 75, featured: true, category: "Gương điển hình",
			title:   "Gương đảng viên giải quyết việc cho dân đúng hẹn",
			summary: "Một cán bộ một cửa ở thị trấn Phú Minh không để hồ sơ nào quá hạn trong năm.",
			body:    "Đồng chí cán bộ bộ phận một cửa chủ động hẹn trả kết quả, báo trước cho người dân khi hồ sơ cần bổ sung, không để hồ sơ nào quá hạn.\n\n*Tin minh họa của bản demo; nhân vật không có thật.*",
			comments: []commentSpec{
				{"btv", 6 * time.Hour, "Đề nghị các xã nhân rộng cách làm này."},
			}},
		{actor: "bithu.phutuc", audience: &c.cell, ago: 20, category: "Sinh hoạt chi bộ",
			title:   "Chi bộ sinh hoạt chuyên đề về trách nhiệm trong giải quyết công việc",
			summary: "Đảng viên thảo luận các tình huống đùn đẩy việc và cách khắc phục.",
			body:    "Buổi sinh hoạt kéo dài khoảng một giờ, đảng viên nêu các tình huống thực tế ở thôn và thống nhất cách xử lý.\n\n*Tin minh họa của bản demo.*",
			comments: []commentSpec{
				{"danguy.phutuc", 2 * time.Hour, "Đảng ủy biểu dương chi bộ, đề nghị gửi biên bản về Đảng ủy."},
				{"dangvien", 20 * time.Hour, "Buổi sinh hoạt rất thiết thực."},
			}},
		{actor: "vanphong", audience: &c.district, ago: 4, category: "Thông báo",
			title:   "Lịch tiếp công dân của Thường trực Huyện ủy tháng này",
			summary: "Thường trực Huyện ủy tiếp công dân vào ngày 15 hằng tháng tại trụ sở Huyện ủy.",
			body:    "Công dân có kiến nghị, phản ánh đăng ký trước qua Văn phòng Huyện ủy.\n\n*Tin minh họa của bản demo.*"},
	}
	for i := range specs {
		s := specs[i]
		t := at(c.weekday(c.today.AddDays(-s.ago)), 10, 15)
		key := fmt.Sprintf("news%d", i)
		c.add(t, func() error {
			d, err := c.env.Docs.CreateNews(c.ctx, c.env.Actors[s.actor], doc.NewsInput{Title: s.title, Category: s.category, Featured: s.featured,
				Summary: s.summary, Body: s.body, IssuerUnitID: 0, Audience: doc.Audience{UnitID: s.audience.ID}})
			if err != nil {
				return fmt.Errorf("news %q: %w", s.title, err)
			}
			c.ids[key] = d.ID
			c.sum.News++
			return nil
		})
		for _, cm := range s.comments {
			cm := cm
			c.add(t.Add(cm.after), func() error {
				if _, err := c.env.Docs.AddComment(c.ctx, c.env.Actors[cm.actor], c.ids[key], cm.body); err != nil {
					return fmt.Errorf("comment on %q: %w", s.title, err)
				}
				c.sum.Comments++
				return nil
			})
		}
	}
}

// ---- Tasks -----------------------------------------------------------------

// Kinds of task story.
const (
	kOnTime = iota
	kLate
	kOverdue
	kSideways
	kEscalated
	kReturned
	kDown
	kInProgress
	kExtension
	kNoResponse
	kEscalatedOpen
	kSidewaysOpen
)

var taskTitles = []struct{ title, desc string }{
	{"Rà soát, cập nhật hồ sơ đảng viên trên phần mềm quản lý", "Đối chiếu hồ sơ giấy với dữ liệu trên phần mềm; sửa sai lệch về ngày vào Đảng, chính thức, số thẻ."},
	{"Báo cáo kết quả thực hiện Chỉ thị 24-CT/TU", "Báo cáo số việc đúng hạn, quá hạn, chuyển cấp trên, chuyển đơn vị khác và nguyên nhân."},
	{"Tổ chức quán triệt Kế hoạch thực hiện Chỉ thị 24-CT/TU đến các chi bộ", "Quán triệt đến 100% chi bộ; gửi danh sách đảng viên vắng và lý do."},
	{"Giải quyết dứt điểm đơn thư, kiến nghị tồn đọng của công dân", "Rà soát đơn thư chưa trả lời; trả lời bằng văn bản, báo cáo kết quả."},
	{"Rà soát đảng viên bỏ sinh hoạt, không đóng đảng phí, đề xuất xử lý", "Lập danh sách đảng viên bỏ sinh hoạt hoặc không đóng đảng phí 3 tháng trong năm, kèm đề xuất."},
	{"Thu, nộp đảng phí theo Quy định 01-QĐ/TW", "Thu đủ, nộp đúng hạn; báo cáo số đảng viên được miễn, giảm."},
	{"Hướng dẫn đảng viên cài đặt, sử dụng Sổ tay đảng viên", "Mỗi chi bộ có ít nhất một đảng viên hỗ trợ; báo cáo số đảng viên đã sử dụng."},
	{"Xây dựng phương án phòng, chống sốt xuất huyết theo phương châm 4 tại chỗ", "Phân công lực lượng tại chỗ theo thôn; báo cáo ổ dịch và kết quả xử lý."},
	{"Kiểm điểm trách nhiệm để chậm tiến độ giải phóng mặt bằng", "Làm rõ trách nhiệm tập thể, cá nhân; báo cáo Ban Thường vụ Huyện ủy."},
	{"Đăng ký xây dựng chi bộ đạt chuẩn 4 tốt", "Các chi bộ đăng ký, tự chấm điểm theo khung hướng dẫn."},
	{"Rà soát hồ sơ hành chính quá hạn tại bộ phận một cửa", "Thống kê hồ sơ quá hạn, nguyên nhân, người chịu trách nhiệm; khắc phục."},
	{"Chuẩn bị nội dung kiểm điểm, đánh giá, xếp loại cuối năm", "Hoàn thành kiểm điểm tập thể cấp ủy và cá nhân theo hướng dẫn."},
	{"Tổng hợp kiến nghị của cử tri trước kỳ họp Hội đồng nhân dân", "Tổng hợp theo lĩnh vực; chuyển cơ quan có thẩm quyền trả lời."},
	{"Kiểm tra xử lý vi phạm trật tự xây dựng trên địa bàn", "Báo cáo các trường hợp vi phạm, kết quả xử lý và trách nhiệm của cán bộ phụ trách."},
}

// story is one task's life: steps at day offsets from its start.
type story struct {
	kind  int
	unit  task.UnitRef // the commune given the task
	other task.UnitRef // the neighbour (sideways) or the cell (down)
	start date.Date
	title string
	desc  string
	doc   string
	id    int64
}

// length is the day offset of a story's last step.
var storyLength = map[int]int{kOnTime: 15, kLate: 32, kOverdue: 45, kSideways: 20, kEscalated: 26, kReturned: 16,
	kDown: 16, kInProgress: 7, kExtension: 26, kNoResponse: 10, kEscalatedOpen: 3, kSidewaysOpen: 2}

func (c *content) tasks() {
	// Every commune gets three tasks from the district office over the
	// year; the first of each ends in the last days (this year's report
	// has something from the first day of the year), the others earlier.
	recent := []int{kLate, kEscalatedOpen, kSidewaysOpen, kOnTime, kDown, kReturned, kInProgress, kExtension, kNoResponse}
	older := []int{kOnTime, kLate, kOverdue, kSideways, kEscalated, kReturned, kDown, kOnTime, kExtension, kNoResponse, kLate, kOnTime}
	jan1 := date.New(c.today.Year, 1, 1)
	sinceJan1 := int(c.today.Time().Sub(jan1.Time()).Hours() / 24)
	n := 0
	for i, cm := range c.communes {
		for slot := 0; slot < 3; slot++ {
			s := &story{unit: cm}
			if slot == 0 {
				s.kind = recent[i%len(recent)]
				end := c.today.AddDays(-min(c.r.intn(15), sinceJan1))
				s.start = end.AddDays(-storyLength[s.kind])
			} else {
				s.kind = older[n%len(older)]
				n++
				end := c.today.AddDays(-(20 + c.r.intn(300)))
				if s.kind == kOverdue || s.kind == kNoResponse {
					end = c.today.AddDays(-c.r.intn(60))
				}
				s.start = c.weekday(end.AddDays(-storyLength[s.kind]))
			}
			t := taskTitles[(i*3+slot*5)%len(taskTitles)]
			s.title, s.desc = t.title, t.desc
			if strings.Contains(s.title, "24-CT/TU") {
				s.doc = "plan"
			}
			switch s.kind {
			case kSideways, kSidewaysOpen:
				s.other = c.communes[(i+1)%len(c.communes)]
			case kDown:
				cells := c.cells[cm.ID]
				if len(cells) == 0 {
					s.kind = kOnTime
				} else {
					s.other = cells[c.r.intn(len(cells))]
				}
			}
			c.story(s)
		}
	}
	c.fanOut()
}

// create schedules the creation of a task by the district office.
func (c *content) create(s *story, day int, dueDays int) {
	c.add(at(s.start.AddDays(day), 8, 30+c.r.intn(60)), func() error {
		in := task.CreateInput{Title: s.title, Description: s.desc, UnitID: s.unit.ID, DueOn: s.start.AddDays(dueDays)}
		if id, ok := c.ids[s.doc]; ok {
			in.DocumentID = &id
		}
		d, err := c.env.Tasks.Create(c.ctx, c.env.Actors["vanphong"], in)
		if err != nil {
			return fmt.Errorf("task %q for %s: %w", s.title, s.unit.Name, err)
		}
		s.id = d.ID
		c.sum.Tasks++
		c.sum.Steps++
		return nil
	})
}

// step schedules a step on the story's task by the actor of unit (0: the
// district office).
func (c *content) step(s *story, day int, unit int64, in task.StepInput) {
	c.stepOn(&s.id, s.start.AddDays(day), unit, in)
}

func (c *content) stepOn(id *int64, d date.Date, unit int64, in task.StepInput) {
	t := at(d, 9+c.r.intn(7), c.r.intn(60))
	c.add(t, func() error {
		actor := c.env.Actors["vanphong"]
		if unit != 0 {
			actor = c.unitActor[unit]
		}
		if _, err := c.env.Tasks.Step(c.ctx, actor, *id, in); err != nil {
			return fmt.Errorf("task %d: %s: %w", *id, in.Action, err)
		}
		c.sum.Steps++
		return nil
	})
}

func pct(n int) *int { return &n }

func (c *content) story(s *story) {
	A, B := s.unit.ID, s.other.ID
	accept := task.StepInput{Action: task.ActAccept}
	report := func(p int, note string) task.StepInput {
		return task.StepInput{Action: task.ActReport, Percent: pct(p), Note: note}
	}
	complete := func(note string) task.StepInput { return task.StepInput{Action: task.ActComplete, Note: note} }
	switch s.kind {
	case kOnTime:
		c.create(s, 0, 20)
		c.step(s, 1, A, accept)
		c.step(s, 8, A, report(50, "Đã triển khai đến các chi bộ, đang tổng hợp."))
		c.step(s, 15, A, complete("Hoàn thành, đã gửi báo cáo về Văn phòng Huyện ủy."))
	case kLate:
		c.create(s, 0, 15)
		c.step(s, 3, A, accept)
		c.step(s, 10, A, report(40, "Một số chi bộ chưa gửi số liệu."))
		c.step(s, 32, A, complete("Hoàn thành chậm do các chi bộ gửi số liệu muộn."))
	case kOverdue:
		c.create(s, 0, 20)
		c.step(s, 2, A, accept)
		c.step(s, 12, A, report(30, "Đang làm, vướng do thiếu cán bộ phụ trách."))
	case kNoResponse:
		c.create(s, 0, 25)
	case kInProgress:
		c.create(s, 0, 30)
		c.step(s, 2, A, accept)
		c.step(s, 7, A, report(40, "Đã xây dựng kế hoạch, đang triển khai."))
	case kSideways:
		c.create(s, 0, 25)
		c.step(s, 2, A, task.StepInput{Action: task.ActForward, ToUnitID: &B, Note: "Đề nghị " + s.other.Name + " chủ trì vì liên quan địa bàn giáp ranh."})
		c.step(s, 5, B, task.StepInput{Action: task.ActReturn, Note: "Việc thuộc địa bàn và thẩm quyền của " + s.unit.Name + "; trả lại để đơn vị chủ trì."})
		c.step(s, 6, A, accept)
		c.step(s, 12, A, report(60, "Đã làm việc với các thôn."))
		c.step(s, 20, A, complete("Hoàn thành."))
	case kSidewaysOpen:
		c.create(s, 0, 25)
		c.step(s, 2, A, task.StepInput{Action: task.ActForward, ToUnitID: &B, Note: "Đề nghị " + s.other.Name + " giải quyết vì người đề nghị cư trú tại đó."})
	case kEscalated:
		c.create(s, 0, 20)
		c.step(s, 3, A, task.StepInput{Action: task.ActEscalate, Note: "Đề nghị Huyện ủy cho ý kiến vì liên quan nhiều ngành."})
		c.step(s, 6, 0, task.StepInput{Action: task.ActForward, ToUnitID: &A, Note: "Việc thuộc thẩm quyền của Đảng ủy; đề nghị chủ động phối hợp các ngành và giải quyết."})
		c.step(s, 8, A, accept)
		c.step(s, 15, A, report(50, "Đã họp với các ngành."))
		c.step(s, 26, A, complete("Hoàn thành."))
	case kEscalatedOpen:
		c.create(s, 0, 20)
		c.step(s, 1, A, accept)
		c.step(s, 3, A, task.StepInput{Action: task.ActEscalate, Note: "Đề nghị Huyện ủy quyết định vì vượt khả năng của xã."})
	case kReturned:
		c.create(s, 0, 30)
		c.step(s, 2, A, task.StepInput{Action: task.ActReturn, Note: "Đề nghị làm rõ phạm vi và thời hạn."})
		c.step(s, 4, 0, task.StepInput{Action: task.ActForward, ToUnitID: &A, Note: "Phạm vi: toàn xã; thời hạn giữ nguyên."})
		c.step(s, 6, A, task.StepInput{Action: task.ActReturn, Note: "Chưa đủ điều kiện thực hiện, đề nghị giao đơn vị khác."})
		c.step(s, 9, 0, task.StepInput{Action: task.ActForward, ToUnitID: &A, Note: "Yêu cầu Đảng ủy thực hiện, không trả lại."})
		c.step(s, 10, A, accept)
		c.step(s, 16, A, report(50, "Đang thực hiện."))
	case kDown:
		c.create(s, 0, 25)
		c.step(s, 1, A, task.StepInput{Action: task.ActForward, ToUnitID: &B, Note: "Giao " + s.other.Name + " thực hiện, báo cáo Đảng ủy."})
		c.step(s, 3, B, accept)
		c.step(s, 10, B, report(60, "Chi bộ đã họp, phân công đảng viên."))
		c.step(s, 16, B, complete("Chi bộ đã hoàn thành."))
	case kExtension:
		c.create(s, 0, 15)
		c.step(s, 2, A, accept)
		c.step(s, 10, A, task.StepInput{Action: task.ActExtend, NewDueOn: s.start.AddDays(30), Note: "Xin gia hạn vì chờ số liệu của cơ quan chuyên môn."})
		c.step(s, 11, 0, task.StepInput{Action: task.ActExtend, NewDueOn: s.start.AddDays(30)})
		c.step(s, 26, A, complete("Hoàn thành trong thời hạn được gia hạn."))
	}
}

// fanOut: Phú Túc's committee gives its cells a task of their own, split
// among them: most report and finish, some late, some not yet.
func (c *content) fanOut() {
	start := c.weekday(c.today.AddDays(-55))
	kids := map[int64]*int64{}
	c.add(at(start, 14, 0), func() error {
		in := task.CreateInput{Title: "Sinh hoạt chuyên đề về Chỉ thị 24-CT/TU tại chi bộ", Description: "Mỗi chi bộ tổ chức một buổi sinh hoạt chuyên đề, gửi biên bản về Đảng ủy xã.",
			UnitID: c.phuTuc.ID, FanOut: true, DueOn: start.AddDays(30)}
		if id, ok := c.ids["ptkh"]; ok {
			in.DocumentID = &id
		}
		d, err := c.env.Tasks.Create(c.ctx, c.env.Actors["danguy.phutuc"], in)
		if err != nil {
			return fmt.Errorf("Phú Túc's task: %w", err)
		}
		for _, k := range d.SubTasks {
			if p, ok := kids[k.UnitID]; ok {
				*p = k.ID
			}
		}
		c.sum.Tasks += 1 + len(d.SubTasks)
		return nil
	})
	for i, cell := range c.cells[c.phuTuc.ID] {
		id := new(int64)
		kids[cell.ID] = id
		u := cell.ID
		switch {
		case i%7 == 3: // not accepted
		case i%7 == 5: // accepted, late and still open
			c.stepOn(id, start.AddDays(3), u, task.StepInput{Action: task.ActAccept})
		case i%7 == 6: // done late
			c.stepOn(id, start.AddDays(2), u, task.StepInput{Action: task.ActAccept})
			c.stepOn(id, start.AddDays(44), u, task.StepInput{Action: task.ActComplete, Note: "Đã tổ chức, gửi biên bản muộn."})
		default:
			c.stepOn(id, start.AddDays(1+i%3), u, task.StepInput{Action: task.ActAccept})
			c.stepOn(id, start.AddDays(12+i%5), u, task.StepInput{Action: task.ActReport, Percent: pct(70), Note: "Đã tổ chức sinh hoạt, đang hoàn thiện biên bản."})
			c.stepOn(id, start.AddDays(20+i%6), u, task.StepInput{Action: task.ActComplete, Note: "Đã gửi biên bản về Đảng ủy xã."})
		}
	}
}
