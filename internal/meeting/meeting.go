// Package meeting is the cell meetings of the handbook (DOMAIN.md "Cell
// meetings", "Minutes and the printed form"): the monthly guidance a
// committee sends to its subtree, the cell's regular and thematic meetings
// with their agenda, roll and minutes, the amendments after closing, and
// the compliance the committees see.
//
// A meeting is open until the secretary closes it; closing freezes the roll
// (every expected member not marked is recorded absent, the counts are kept
// on the meeting), the minutes and the resolution. After that a change is
// an amendment {field, text, reason}, kept beside the original text and
// audited: the record shows what was said in the meeting and what was
// amended after. Compliance counts closed meetings only: a meeting is held
// when its minutes are closed.
package meeting

import (
	"time"

	"github.com/sotay-vn/sotay/internal/date"
)

// Kind is a meeting's kind (GLOSSARY: sinh hoạt thường kỳ / chuyên đề).
type Kind string

const (
	Regular  Kind = "regular"
	Thematic Kind = "thematic"
)

// State is open (editable) or closed (amendments only).
type State string

const (
	Open   State = "open"
	Closed State = "closed"
)

// Attendance statuses.
const (
	Present = "present"
	Excused = "excused"
	Absent  = "absent"
)

// Member classes on the roll, as recorded when the roll is taken.
const (
	ClassFull         = "full"
	ClassProbationary = "probationary"
	ClassExempt       = "exempt"
)

// Guidance is a committee's orientation for a month's cell meetings
// (định hướng nội dung sinh hoạt chi bộ), addressed to its subtree.
type Guidance struct {
	ID          int64     `json:"id"`
	UnitID      int64     `json:"unit_id"`
	UnitName    string    `json:"unit_name"`
	Month       string    `json:"month"`
	Topics      []string  `json:"topics"`
	DocumentIDs []int64   `json:"document_ids"`
	Note        string    `json:"note"`
	CreatedAt   time.Time `json:"created_at"`
	UnitPath    string    `json:"-"`
}

// AgendaItem is one item of a meeting's agenda. Notes is what was said
// under it (the content of the minutes in agenda order).
type AgendaItem struct {
	Title       string  `json:"title"`
	DocumentIDs []int64 `json:"document_ids"`
	Notes       string  `json:"notes"`
}

// Vote is the count of the vote on the resolution.
type Vote struct {
	For     int `json:"for"`
	Against int `json:"against"`
	Abstain int `json:"abstain"`
}

// Amendment is a change to closed minutes, with its reason.
type Amendment struct {
	ID        int64     `json:"id"`
	Field     string    `json:"field"`
	Text      string    `json:"text"`
	Reason    string    `json:"reason"`
	By        string    `json:"by"`
	CreatedAt time.Time `json:"created_at"`
}

// Attendance is one member's line on the roll.
type Attendance struct {
	MemberID int64  `json:"member_id"`
	FullName string `json:"full_name,omitempty"`
	Status   string `json:"status"`
	Reason   string `json:"reason,omitempty"`
	// Class and Hosted are recorded with the line: the member's standing
	// (full, probationary, exempt) and whether they were hosted on a
	// temporary transfer.
	Class  string `json:"class,omitempty"`
	Hosted bool   `json:"hosted,omitempty"`
}

// Meeting is one cell meeting with its minutes.
type Meeting struct {
	ID         int64        `json:"id"`
	UnitID     int64        `json:"unit_id"`
	UnitName   string       `json:"unit_name"`
	Kind       Kind         `json:"kind"`
	StartsAt   time.Time    `json:"starts_at"`
	EndsAt     *time.Time   `json:"ends_at"`
	Place      string       `json:"place"`
	Topic      string       `json:"topic"`
	GuidanceID *int64       `json:"guidance_id"`
	Agenda     []AgendaItem `json:"agenda"`
	// The minutes (DOMAIN.md "Minutes and the printed form").
	Chair string `json:"chair"`
	// ChairRole is the chair's office in the cell: "secretary" (Bí thư)
	// or "deputy" (Phó Bí thư); the resolution is signed in it.
	ChairRole   string `json:"chair_role"`
	Secretary   string `json:"secretary"`
	Minutes     string `json:"minutes"`
	Conclusions string `json:"conclusions"`
	Resolution  string `json:"resolution"`
	Vote        *Vote  `json:"vote"`
	State       State  `json:"state"`
	// ClosedAt is when the minutes were closed; EndedAt the meeting's
	// closing time as the minutes record it.
	ClosedAt *time.Time `json:"closed_at"`
	EndedAt  *time.Time `json:"ended_at"`
	// Counts of the frozen roll (kept at closing).
	Expected int `json:"expected_count"`
	Present  int `json:"present_count"`

	Attendance []Attendance `json:"attendance"`
	Amendments []Amendment  `json:"amendments"`
	Version    int          `json:"version"`
	CreatedAt  time.Time    `json:"created_at"`
	UpdatedAt  time.Time    `json:"updated_at"`
	UnitPath   string       `json:"-"`
}

// Month is the meeting's month in Vietnam ("YYYY-MM").
func (m *Meeting) Month() string { return MonthOf(m.StartsAt) }

// MonthOf is the month of an instant in Vietnam ("YYYY-MM").
func MonthOf(t time.Time) string { return t.In(date.Vietnam).Format("2006-01") }

// Sequence is the iCalendar SEQUENCE: it grows with every edit.
func (m *Meeting) Sequence() int { return max(m.Version-1, 0) }

// StandardAgenda is the usual order of a cell meeting (Hướng dẫn
// 12-HD/BTCTW): opening, current affairs, last month, next month, the vote.
func StandardAgenda() []AgendaItem {
	return []AgendaItem{
		{Title: "Khai mạc: thu đảng phí, báo cáo số đảng viên có mặt, thông qua chương trình, cử thư ký ghi biên bản", DocumentIDs: []int64{}},
		{Title: "Thông tin thời sự, phổ biến chủ trương, chính sách mới", DocumentIDs: []int64{}},
		{Title: "Đánh giá kết quả thực hiện nhiệm vụ tháng trước", DocumentIDs: []int64{}},
		{Title: "Thảo luận, xác định nhiệm vụ tháng tới", DocumentIDs: []int64{}},
		{Title: "Biểu quyết thông qua nghị quyết của chi bộ", DocumentIDs: []int64{}},
	}
}

// Member is a member the roll may name, as the store finds them.
type Member struct {
	ID       int64
	FullName string
	Status   string // full, probationary, exempt
	// Hosted: on a temporary transfer into the cell.
	Hosted bool
	// Away: a member of the cell on a temporary transfer to another cell
	// (expected there, not here).
	Away bool
}

// Roll is who is expected at a meeting and how it stands.
type Roll struct {
	MeetingID int64      `json:"meeting_id"`
	Expected  []RollLine `json:"expected"`
	// Exempt members are listed apart: not expected, welcome.
	Exempt []RollLine `json:"exempt"`
	// Away: members of the cell on a temporary transfer elsewhere.
	Away     []RollLine `json:"away"`
	Present  int        `json:"present"`
	Excused  int        `json:"excused"`
	Absent   int        `json:"absent"`
	Unmarked int        `json:"unmarked"`
	Quorum   Quorum     `json:"quorum"`
	Closed   bool       `json:"closed"`
}

// RollLine is one member on the roll.
type RollLine struct {
	MemberID int64  `json:"member_id"`
	FullName string `json:"full_name"`
	Class    string `json:"class"`
	Hosted   bool   `json:"hosted"`
	// Status is present, excused, absent, or "" when not marked yet.
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// Quorum is present of expected, full and probationary members apart; the
// meeting may vote validly when more than half of the full members expected
// are present.
type Quorum struct {
	Full         Count `json:"full"`
	Probationary Count `json:"probationary"`
	// Needed is the number of full members present for a valid vote.
	Needed int  `json:"needed"`
	Valid  bool `json:"valid"`
}

// Count is present of expected.
type Count struct {
	Expected int `json:"expected"`
	Present  int `json:"present"`
}

// QuorumOf counts a roll's expected lines.
func QuorumOf(lines []RollLine) Quorum {
	var q Quorum
	for _, l := range lines {
		c := &q.Full
		if l.Class == ClassProbationary {
			c = &q.Probationary
		}
		c.Expected++
		if l.Status == Present {
			c.Present++
		}
	}
	q.Needed = q.Full.Expected/2 + 1
	q.Valid = q.Full.Expected > 0 && q.Full.Present >= q.Needed
	return q
}

// Compliance is the meeting record of a subtree for a year.
type Compliance struct {
	UnitID int64 `json:"unit_id"`
	Year   int   `json:"year"`
	// AsOf is the last month counted ("YYYY-MM").
	AsOf  string           `json:"as_of"`
	Cells []CellCompliance `json:"cells"`
	Flags []Flag           `json:"flags"`
	// Members are the attendance rates per member, for a cell's report
	// only (absent for a committee's subtree).
	Members []MemberRate `json:"members,omitempty"`
}

// MemberRate is one member's attendance over the year's closed meetings of
// a cell (exempt lines left out).
type MemberRate struct {
	MemberID int64   `json:"member_id"`
	FullName string  `json:"full_name"`
	Expected int     `json:"expected"`
	Present  int     `json:"present"`
	Excused  int     `json:"excused"`
	Absent   int     `json:"absent"`
	Rate     float64 `json:"attendance_rate"`
}

// CellCompliance is one cell's months.
type CellCompliance struct {
	UnitID int64         `json:"unit_id"`
	Name   string        `json:"name"`
	Months []MonthRecord `json:"months"`
	// Missing counts the months without a regular meeting or a quarter
	// without a thematic one (the grid shows the cells missing most first).
	Missing int `json:"missing"`
	// AttendanceRate over the year's closed meetings (nil without any).
	AttendanceRate *float64 `json:"attendance_rate"`
}

// MonthRecord is one cell's month.
type MonthRecord struct {
	Month             string   `json:"month"`
	Regular           bool     `json:"regular"`
	ThematicInQuarter bool     `json:"thematic_in_quarter"`
	AttendanceRate    *float64 `json:"attendance_rate"`
	Meetings          int      `json:"meetings"`
}

// Mark writes the month in the grid's marks: held where a regular meeting
// was held, else none; then thematic after it where the quarter had a
// thematic meeting (the page's spreadsheet and the printed report).
func (m MonthRecord) Mark(held, none, thematic string) string {
	mark := none
	if m.Regular {
		mark = held
	}
	if m.ThematicInQuarter {
		mark += thematic
	}
	return mark
}

// Flag is a member absent without reason three times or more in the year:
// for the cell to consider, nothing automatic follows.
type Flag struct {
	MemberID   int64   `json:"member_id"`
	FullName   string  `json:"full_name"`
	UnitID     int64   `json:"unit_id"`
	Absences   int     `json:"absences"`
	MeetingIDs []int64 `json:"meeting_ids"`
}

// CellYear is a cell's year as the store keeps it rolled up: bit m-1 of
// Regular (Thematic) is set when a closed regular (thematic) meeting
// started in month m; per month, the closed meetings and the members
// expected and present at them. A cell without meetings has zeros.
type CellYear struct {
	UnitID            int64
	Name              string
	Regular, Thematic uint32
	Meetings          [12]int
	Expected, Present [12]int
}

// Absence is one absence without reason.
type Absence struct {
	MemberID  int64
	FullName  string
	UnitID    int64
	MeetingID int64
}

// The chair's offices (Meeting.ChairRole).
const (
	ChairSecretary = "secretary"
	ChairDeputy    = "deputy"
)

// Ref is the meeting's id and version (its ETag in the API).
func (x *Meeting) Ref() (id int64, version int) { return x.ID, x.Version }

// SubtreeYear is a unit's subtree rolled up for a year, month by month
// (index m-1 for month m): of its cells live in the months (Cells), how
// many held the month's regular meeting, how many had a thematic meeting
// in the month's quarter up to the month (Thematic), and the closed
// meetings, members expected and present. The store keeps it per subtree.
type SubtreeYear struct {
	UnitID     int64
	Name, Kind string
	Path       string
	Cells      int
	Regular    [12]int
	Thematic   [12]int
	Meetings   [12]int
	Expected   [12]int
	Present    [12]int
}

// ComplianceRollup is the compliance of a subtree per child unit
// (?by=child): the unit's own totals and one row per child.
type ComplianceRollup struct {
	UnitID   int64            `json:"unit_id"`
	Year     int              `json:"year"`
	AsOf     string           `json:"as_of"`
	By       string           `json:"by"`
	Total    UnitCompliance   `json:"total"`
	Children []UnitCompliance `json:"children"`
}

// UnitCompliance is a unit's subtree's months: how many of its cells met
// each rule.
type UnitCompliance struct {
	UnitID int64  `json:"unit_id"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	// Cells of the subtree live in the months (the grid's rows).
	Cells  int           `json:"cells"`
	Months []MonthRollup `json:"months"`
	// AttendanceRate over the year's closed meetings (nil without any).
	AttendanceRate *float64 `json:"attendance_rate"`
}

// MonthRollup is a subtree's month: the cells that held the regular
// meeting, the cells whose quarter had its thematic meeting, and the
// attendance over its closed meetings (present / expected; nil without
// any).
type MonthRollup struct {
	Month             string   `json:"month"`
	Regular           int      `json:"regular"`
	ThematicInQuarter int      `json:"thematic_in_quarter"`
	Meetings          int      `json:"meetings"`
	Expected          int      `json:"expected"`
	Present           int      `json:"present"`
	AttendanceRate    *float64 `json:"attendance_rate"`
}

// assumedLength is how long a meeting without an end time is taken to
// last when deciding whether it is still going on: a cell meeting is an
// evening or a morning, not a day.
const assumedLength = 4 * time.Hour

// NextFrom is the day from which a member's handbook looks for the next
// meeting: yesterday, so that a meeting begun late in the evening is still
// found after midnight (Vietnam's date changes at 17:00 UTC).
func NextFrom(now time.Time) date.Date { return date.Today(now).AddDays(-1) }

// IsNext says whether an open meeting is one a member may still attend:
// it starts today or later, or it began earlier and has not ended by now
// (its end time, or assumedLength after its start). A meeting left open
// after it ended (its minutes not yet closed) is not the next one.
func (m *Meeting) IsNext(now time.Time) bool {
	if m.State != Open {
		return false
	}
	if !date.Of(m.StartsAt.In(date.Vietnam)).Before(date.Today(now)) {
		return true
	}
	end := m.StartsAt.Add(assumedLength)
	if m.EndsAt != nil {
		end = *m.EndsAt
	}
	return now.Before(end)
}
