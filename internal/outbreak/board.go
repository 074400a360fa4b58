package outbreak

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Board is the steering board of a unit's subtree as of a day: one row per
// commune with a focus open at some time in the last 14 days, the totals,
// and the foci active that day.
type Board struct {
	UnitID   int64        `json:"unit_id"`
	UnitName string       `json:"unit_name"`
	AsOf     date.Date    `json:"as_of"`
	Communes []BoardRow   `json:"communes"`
	Totals   BoardRow     `json:"totals"`
	Foci     []BoardEntry `json:"foci"`
}

// BoardRow is one commune's figures (or the totals).
type BoardRow struct {
	CommuneID   int64  `json:"commune_id,omitempty"`
	CommuneName string `json:"commune_name,omitempty"`
	ActiveFoci  int    `json:"active_foci"`
	// DaysOpenMax is the days open of the longest-open active focus.
	DaysOpenMax int `json:"days_open_max"`
	Cases7      int `json:"cases_7"`
	Cases14     int `json:"cases_14"`
	CasesPrev7  int `json:"cases_prev_7"`
	// Trend compares the last 7 days with the 7 before: up, down, flat.
	Trend            string `json:"trend"`
	FundingRequested int    `json:"funding_requested"`
	AmountRequested  int64  `json:"amount_requested"`
	FundingDisbursed int    `json:"funding_disbursed"`
	AmountDisbursed  int64  `json:"amount_disbursed"`
	FundingLate      int    `json:"funding_late"`
	// Gaps count the active foci without a commander, without forces,
	// with means not updated for three days.
	NoCommand  int `json:"no_command"`
	NoForces   int `json:"no_forces"`
	MeansStale int `json:"means_stale"`
}

// BoardEntry is one active focus on the board.
type BoardEntry struct {
	ID        int64     `json:"id"`
	CommuneID int64     `json:"commune_id"`
	UnitID    int64     `json:"unit_id"`
	Place     string    `json:"place"`
	Disease   string    `json:"disease"`
	OpenedOn  date.Date `json:"opened_on"`
	DaysOpen  int       `json:"days_open"`
	Cases7    int       `json:"cases_7"`
	Gaps      []string  `json:"gaps"`
	// Zone is the focus's polygon, with BoardInput.Zones (for the map).
	Zone json.RawMessage `json:"zone,omitempty"`
}

// BoardWindow is how far back the board reads (the 14 days of cases).
const BoardWindow = 14

// Board reads the board of a unit the actor is an officer of, as of a day
// (today when zero; not in the future). Gaps are the on-site as they are
// now (they keep no history). Two set-based reads, whatever the number of
// foci (bounded by MaxBoardFoci).
func (s *Service) Board(ctx context.Context, actor *auth.Actor, unitID int64, asOf date.Date) (*Board, error) {
	return s.BoardWith(ctx, actor, BoardInput{UnitID: unitID, AsOf: asOf})
}

// BoardInput selects a board; Zones adds each active focus's zone (for
// the map: one more set-based read).
type BoardInput struct {
	UnitID int64
	AsOf   date.Date
	Zones  bool
}

// BoardWith is Board with its options.
func (s *Service) BoardWith(ctx context.Context, actor *auth.Actor, in BoardInput) (*Board, error) {
	unitID, asOf := in.UnitID, in.AsOf
	u, err := s.unitIn(ctx, actor, unitID, OfficerRoles)
	if err != nil {
		return nil, err
	}
	today := s.today()
	if asOf.IsZero() {
		asOf = today
	}
	if !viet.InRange(asOf) || asOf.After(today) {
		return nil, apperr.Keyed(apperr.Invalid, "outbreak.bad_filter", "the filter is not valid").
			With(apperr.FieldKeyed("as_of", "outbreak.future_day", "a day in the future: give today or a past day"))
	}
	from := asOf.AddDays(-(BoardWindow - 1))
	foci, err := s.Store.BoardFoci(ctx, u.Path, from, asOf, MaxBoardFoci)
	if err != nil {
		return nil, err
	}
	funds, err := s.Store.BoardFunding(ctx, u.Path, from, asOf)
	if err != nil {
		return nil, err
	}
	b := BuildBoard(u, asOf, foci, funds)
	if in.Zones {
		zones, err := s.Store.BoardZones(ctx, u.Path, asOf)
		if err != nil {
			return nil, err
		}
		for i := range b.Foci {
			b.Foci[i].Zone = zones[b.Foci[i].ID]
		}
	}
	return b, nil
}

// BuildBoard folds the foci and their funding into the board (pure).
func BuildBoard(u *UnitRef, asOf date.Date, foci []BoardFocus, funds []BoardFunding) *Board {
	b := &Board{UnitID: u.ID, UnitName: u.Name, AsOf: asOf, Communes: []BoardRow{}, Foci: []BoardEntry{}}
	rows := map[int64]*BoardRow{}
	commune := map[int64]int64{}
	row := func(id int64, name string) *BoardRow {
		r, ok := rows[id]
		if !ok {
			r = &BoardRow{CommuneID: id, CommuneName: name}
			rows[id] = r
		}
		return r
	}
	for _, f := range foci {
		r := row(f.CommuneID, f.CommuneName)
		commune[f.ID] = f.CommuneID
		if e, ok := r.addFocus(f, asOf); ok {
			b.Foci = append(b.Foci, e)
		}
	}
	for _, fu := range funds {
		cid, ok := commune[fu.OutbreakID]
		if !ok || fu.AssignedOn.After(asOf) {
			continue
		}
		rows[cid].addFunding(fu, asOf)
	}
	for _, r := range rows {
		r.Cases14 = r.Cases7 + r.CasesPrev7
		r.Trend = Trend(r.Cases7, r.CasesPrev7)
		b.Communes = append(b.Communes, *r)
		b.Totals.addRow(r)
	}
	t := &b.Totals
	t.Trend = Trend(t.Cases7, t.CasesPrev7)
	sort.Slice(b.Communes, func(i, j int) bool {
		return viet.Compare(b.Communes[i].CommuneName, b.Communes[j].CommuneName) < 0
	})
	sort.Slice(b.Foci, func(i, j int) bool {
		if b.Foci[i].DaysOpen != b.Foci[j].DaysOpen {
			return b.Foci[i].DaysOpen > b.Foci[j].DaysOpen
		}
		return b.Foci[i].ID < b.Foci[j].ID
	})
	return b
}

// addFocus counts a focus's cases in its commune's row and, when it is
// active as of asOf, the focus itself and its gaps; ok tells whether it
// is active (its board entry is e).
func (r *BoardRow) addFocus(f BoardFocus, asOf date.Date) (e BoardEntry, ok bool) {
	r.Cases7 += f.Cases7
	r.CasesPrev7 += f.CasesPrev7
	if f.OpenedOn.After(asOf) || f.ClosedOn != nil && !f.ClosedOn.After(asOf) {
		return e, false
	}
	r.ActiveFoci++
	open := days(f.OpenedOn, asOf) + 1
	r.DaysOpenMax = max(r.DaysOpenMax, open)
	gaps := Gaps(f.CommandMemberID != nil, f.ForcesCount, f.MeansUpdatedAt, f.OpenedOn, asOf)
	for _, g := range gaps {
		switch g {
		case GapNoCommand:
			r.NoCommand++
		case GapNoForces:
			r.NoForces++
		case GapMeansStale:
			r.MeansStale++
		}
	}
	return BoardEntry{ID: f.ID, CommuneID: f.CommuneID, UnitID: f.UnitID, Place: f.Place, Disease: f.Disease,
		OpenedOn: f.OpenedOn, DaysOpen: open, Cases7: f.Cases7, Gaps: gaps}, true
}

// addFunding counts a funding request in its commune's row as it stood on
// asOf: disbursed only if done by then, late by its due date.
func (r *BoardRow) addFunding(fu BoardFunding, asOf date.Date) {
	r.FundingRequested++
	r.AmountRequested += fu.Amount
	done := fu.DoneOn
	if done != nil && done.After(asOf) {
		done = nil
	}
	st := fu.TaskState
	if done == nil && st == "done" {
		st = "in_progress"
	}
	state, late := FundingState(st, fu.DueOn, done, asOf)
	if state == FundDisbursed {
		r.FundingDisbursed++
		r.AmountDisbursed += fu.Amount
	}
	if late {
		r.FundingLate++
	}
}

// addRow adds a commune's row into the totals.
func (t *BoardRow) addRow(r *BoardRow) {
	t.ActiveFoci += r.ActiveFoci
	t.DaysOpenMax = max(t.DaysOpenMax, r.DaysOpenMax)
	t.Cases7 += r.Cases7
	t.CasesPrev7 += r.CasesPrev7
	t.Cases14 += r.Cases14
	t.FundingRequested += r.FundingRequested
	t.AmountRequested += r.AmountRequested
	t.FundingDisbursed += r.FundingDisbursed
	t.AmountDisbursed += r.AmountDisbursed
	t.FundingLate += r.FundingLate
	t.NoCommand += r.NoCommand
	t.NoForces += r.NoForces
	t.MeansStale += r.MeansStale
}

// ExportRows are the board's rows for the .xlsx export.
func (b *Board) ExportRows() (headers []string, rows [][]string) {
	headers = []string{"Đảng bộ xã", "Ổ dịch đang hoạt động", "Số ngày lâu nhất", "Ca mắc 7 ngày", "Ca mắc 14 ngày", "Xu hướng",
		"Đề nghị kinh phí", "Số tiền đề nghị (đồng)", "Đã cấp", "Số tiền đã cấp (đồng)", "Cấp chậm", "Thiếu chỉ huy", "Thiếu lực lượng", "Phương tiện quá 3 ngày"}
	line := func(name string, r BoardRow) []string {
		return []string{name, itoa(r.ActiveFoci), itoa(r.DaysOpenMax), itoa(r.Cases7), itoa(r.Cases14), trendVI[r.Trend],
			itoa(r.FundingRequested), FormatDong(r.AmountRequested), itoa(r.FundingDisbursed), FormatDong(r.AmountDisbursed), itoa(r.FundingLate),
			itoa(r.NoCommand), itoa(r.NoForces), itoa(r.MeansStale)}
	}
	for _, r := range b.Communes {
		rows = append(rows, line(r.CommuneName, r))
	}
	rows = append(rows, line("Tổng cộng", b.Totals))
	return headers, rows
}

var trendVI = map[string]string{"up": "Tăng", "down": "Giảm", "flat": "Không đổi"}

func itoa(n int) string { return FormatDong(int64(n)) }
