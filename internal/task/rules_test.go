package task

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/viet"
)

// with returns the default rules with one rule changed.
func with(code string, enabled bool, threshold int) Rules {
	rs := NewRules(nil)
	r := rs[code]
	r.Enabled, r.Threshold = enabled, threshold
	rs[code] = r
	return rs
}

func codes(ds []Draft) string {
	var out []string
	for _, d := range ds {
		s := d.Rule
		if d.OnHolding {
			s += "@holding"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// TestDetect checks each detection rule, with its threshold, switched on
// and off, for holders and for officers above.
func TestDetect(t *testing.T) {
	cal := viet.NewCalendar()
	today := d("2026-11-20") // a Friday
	base := func() Event {
		return Event{Capacity: AsHolder, Today: today, State: StateInProgress, DueOn: d("2026-11-30"), HolderDueOn: d("2026-11-30"),
			AcceptDueOn: d("2026-11-04"), HolderKind: "grassroots_committee", FromAbove: true}
	}
	tests := []struct {
		name  string
		rules Rules
		ev    func(e *Event)
		want  string
	}{
		{"a report in time raises nothing", nil, func(e *Event) { e.Action = ActReport }, ""},

		// overdue
		{"overdue: a step on a task past its due date", nil, func(e *Event) { e.Action = ActReport; e.DueOn = d("2026-11-19") }, "overdue@holding"},
		{"overdue: on the due date itself", nil, func(e *Event) { e.Action = ActReport; e.DueOn = today }, ""},
		{"overdue: within 2 days of grace", with(RuleOverdue, true, 2), func(e *Event) { e.Action = ActComplete; e.DueOn = d("2026-11-18") }, ""},
		{"overdue: beyond 2 days of grace", with(RuleOverdue, true, 2), func(e *Event) { e.Action = ActComplete; e.DueOn = d("2026-11-17") }, "overdue@holding"},
		{"overdue: switched off", with(RuleOverdue, false, 0), func(e *Event) { e.Action = ActReport; e.DueOn = d("2026-11-19") }, ""},
		{"overdue: not while suspended", nil, func(e *Event) {
			e.Action = ActResume
			e.Capacity = AsSuperior
			e.State = StateSuspended
			e.DueOn = d("2026-11-19")
		}, ""},

		// step_overdue
		{"step overdue: the holder's own deadline passed", nil, func(e *Event) { e.Action = ActReport; e.HolderDueOn = d("2026-11-19") }, "step_overdue@holding"},
		{"step overdue: not when it is the task's deadline", nil, func(e *Event) {
			e.Action = ActReport
			e.HolderDueOn, e.DueOn = d("2026-11-19"), d("2026-11-19")
		}, "overdue@holding"},

		// no_response
		{"no response: first answer after the acceptance deadline", nil, func(e *Event) { e.Action = ActAccept; e.FirstAnswer = true }, "no_response@holding"},
		{"no response: first answer on the acceptance deadline", nil, func(e *Event) { e.Action = ActAccept; e.FirstAnswer = true; e.AcceptDueOn = today }, ""},
		{"no response: not the first answer", nil, func(e *Event) { e.Action = ActReport }, ""},
		{"no response: an officer above acting", nil, func(e *Event) {
			e.Action = ActForward
			e.Capacity = AsSuperior
			e.FirstAnswer = true
			e.Direction = DirDown
		}, ""},
		{"no response: switched off", with(RuleNoResponse, false, 2), func(e *Event) { e.Action = ActAccept; e.FirstAnswer = true }, ""},

		// pushed_sideways
		{"sideways: a holder forwards to a unit not below", nil, func(e *Event) { e.Action = ActForward; e.Direction = DirSideways }, "pushed_sideways"},
		{"sideways: forwarding down is delegation", nil, func(e *Event) { e.Action = ActForward; e.Direction = DirDown }, ""},
		{"sideways: an officer above redirecting", nil, func(e *Event) { e.Action = ActForward; e.Direction = DirSideways; e.Capacity = AsSuperior }, ""},
		{"sideways: the first one tolerated (threshold 1)", with(RulePushedSideways, true, 1), func(e *Event) { e.Action = ActForward; e.Direction = DirSideways }, ""},
		{"sideways: the second one (threshold 1)", with(RulePushedSideways, true, 1), func(e *Event) {
			e.Action, e.Direction, e.PriorSideways = ActForward, DirSideways, 1
		}, "pushed_sideways"},
		{"sideways: switched off", with(RulePushedSideways, false, 0), func(e *Event) { e.Action = ActForward; e.Direction = DirSideways }, ""},

		// escalated_within_authority
		{"escalation: a commune escalates work from the district", nil, func(e *Event) { e.Action = ActEscalate; e.Direction = DirUp }, "escalated_within_authority"},
		{"escalation: a cell asks its committee", nil, func(e *Event) { e.Action = ActEscalate; e.HolderKind = "cell" }, ""},
		{"escalation: of work the committee raised itself", nil, func(e *Event) { e.Action = ActEscalate; e.FromAbove = false }, ""},
		{"escalation: the first one tolerated (threshold 1)", with(RuleEscalatedAuthority, true, 1), func(e *Event) { e.Action = ActEscalate }, ""},
		{"escalation: again (threshold 1)", with(RuleEscalatedAuthority, true, 1), func(e *Event) { e.Action = ActEscalate; e.PriorEscalations = 1 }, "escalated_within_authority"},

		// returned_repeatedly (default: more than once)
		{"returns: the first return", nil, func(e *Event) { e.Action = ActReturn }, ""},
		{"returns: the second return", nil, func(e *Event) { e.Action = ActReturn; e.PriorReturns = 1 }, "returned_repeatedly"},
		{"returns: the second return, threshold 2", with(RuleReturnedRepeatedly, true, 2), func(e *Event) { e.Action = ActReturn; e.PriorReturns = 1 }, ""},
		{"returns: the third return, threshold 2", with(RuleReturnedRepeatedly, true, 2), func(e *Event) { e.Action = ActReturn; e.PriorReturns = 2 }, "returned_repeatedly"},
		{"returns: threshold 0 flags every return", with(RuleReturnedRepeatedly, true, 0), func(e *Event) { e.Action = ActReturn }, "returned_repeatedly"},

		// repeated_extensions (default: more than once)
		{"extensions: the first request", nil, func(e *Event) { e.Action = ActExtend }, ""},
		{"extensions: the second request", nil, func(e *Event) { e.Action = ActExtend; e.PriorExtensionAsk = 1 }, "repeated_extensions"},
		{"extensions: granted by an officer above", nil, func(e *Event) { e.Action = ActExtend; e.Capacity = AsSuperior; e.PriorExtensionAsk = 3 }, ""},
		{"extensions: switched off", with(RuleRepeatedExtensions, false, 1), func(e *Event) { e.Action = ActExtend; e.PriorExtensionAsk = 3 }, ""},

		// Several at once.
		{"a late, sideways first answer", nil, func(e *Event) {
			e.Action, e.Direction, e.FirstAnswer, e.DueOn = ActForward, DirSideways, true, d("2026-11-19")
		}, "overdue@holding no_response@holding pushed_sideways"},
	}
	for _, tt := range tests {
		rs := tt.rules
		if rs == nil {
			rs = NewRules(nil)
		}
		ev := base()
		tt.ev(&ev)
		if got := codes(Detect(rs, cal, ev)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestDetectDetails: a flag's detail, which the task page shows, is in
// Vietnamese with Vietnamese dates.
func TestDetectDetails(t *testing.T) {
	cal := viet.NewCalendar()
	rs := NewRules(nil)
	ev := Event{Capacity: AsHolder, Today: d("2026-11-20"), State: StateInProgress, DueOn: d("2026-11-17"), HolderDueOn: d("2026-11-16"),
		AcceptDueOn: d("2026-11-04"), FirstAnswer: true, HolderKind: "grassroots_committee", FromAbove: true}
	tests := []struct {
		action Action
		change func(e *Event)
		want   []string
	}{
		{ActReport, func(e *Event) {}, []string{"hạn 17/11/2026, trễ 3 ngày làm việc", "khâu đang xử lý có hạn 16/11/2026",
			"hạn tiếp nhận 04/11/2026, phản hồi đầu tiên 20/11/2026"}},
		{ActForward, func(e *Event) { e.Direction = DirSideways }, []string{"chuyển cho đơn vị không trực thuộc đơn vị đang xử lý"}},
		{ActEscalate, func(e *Event) {}, []string{"cấp ủy đẩy lên trên việc cấp trên giao xuống"}},
		{ActReturn, func(e *Event) { e.PriorReturns = 1 }, []string{"trả lại 2 lần"}},
		{ActExtend, func(e *Event) { e.PriorExtensionAsk = 2 }, []string{"xin gia hạn 3 lần"}},
	}
	for _, tt := range tests {
		e := ev
		e.Action = tt.action
		tt.change(&e)
		if tt.action != ActReport {
			e.DueOn, e.HolderDueOn, e.FirstAnswer = d("2026-11-30"), d("2026-11-30"), false
		}
		var got []string
		for _, dr := range Detect(rs, cal, e) {
			got = append(got, DetailVI(dr.Detail))
		}
		if strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
			t.Errorf("%s: details %q, want %q", tt.action, got, tt.want)
		}
	}
}

func TestRulePatches(t *testing.T) {
	cur := NewRules(nil)
	two, off, name := 2, false, "  Không tiếp nhận  "
	changed, err := ApplyPatches(cur, []RulePatch{{Code: RuleNoResponse, Threshold: &two, Enabled: &off, NameVI: &name}})
	if err != nil || len(changed) != 1 || changed[0].Threshold != 2 || changed[0].Enabled || changed[0].NameVI != "Không tiếp nhận" {
		t.Errorf("patch: %+v, %v", changed, err)
	}
	neg, empty := -1, " "
	for _, p := range []RulePatch{{Code: "no_such_rule"}, {Code: RuleOverdue, Threshold: &neg}, {Code: RuleOverdue, NameVI: &empty}} {
		if _, err := ApplyPatches(cur, []RulePatch{p}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("patch %+v: %v, want 422", p, err)
		}
	}
	if len(DefaultRules()) != 7 {
		t.Errorf("%d default rules", len(DefaultRules()))
	}
	if r := cur[RuleNoResponse]; r.Threshold != 2 || !r.Enabled {
		t.Errorf("no_response default: %+v", r)
	}
}

func TestScore(t *testing.T) {
	m := Metrics{OpenOverdue: 1, DoneLate: 2, Unanswered: 1, Escalations: 1, PushedSideways: 1, Returns: 3, ExtensionRequests: 1, Received: 9}
	if got := m.Score(); got != 3+4+2+2+2+3+1 {
		t.Errorf("score %d", got)
	}
	data := &ReportData{Rows: []MetricRow{
		{UnitID: 1, UnitName: "A", Metrics: Metrics{Received: 2, DoneOnTime: 2}},
		{UnitID: 2, UnitName: "B", Metrics: Metrics{Received: 1, OpenOverdue: 1, PushedSideways: 1}, MemberID: ptr(int64(7)), MemberName: "Bình"},
		{UnitID: 3, UnitName: "C", Metrics: Metrics{Received: 2, DoneOnTime: 1, DoneLate: 1, DaysLateTotal: 3}},
		{UnitID: 4, UnitName: "D", Metrics: Metrics{Received: 2, DoneOnTime: 1, DoneLate: 1, DaysLateTotal: 1}},
	}}
	r := BuildReport(data, NewRules(nil))
	var order []string
	for _, u := range r.Units {
		order = append(order, u.UnitName)
	}
	// B: 5 points; C and D: 2 points each, same rate, D named after C; A: 0.
	if got := strings.Join(order, ""); got != "BCDA" {
		t.Errorf("ranking %s, want BCDA", got)
	}
	if r.Units[1].AvgDaysLate != 3 || r.Totals.Received != 7 || r.Totals.DoneLate != 2 || r.Totals.AvgDaysLate != 2 {
		t.Errorf("averages: %+v / %+v", r.Units[1].Metrics, r.Totals)
	}
	if len(r.Heads) != 1 || r.Heads[0].MemberName != "Bình" || r.Heads[0].Rank != 1 {
		t.Errorf("heads: %+v", r.Heads)
	}
	if rate := r.Units[3].OnTimeRate; rate == nil || *rate != 1 {
		t.Errorf("A's on-time rate: %v", rate)
	}
}

func TestDecodeDetail(t *testing.T) {
	for _, tt := range []struct {
		stored, key string
		args        []any
		ok          bool
		vi          string
	}{
		{"overdue|2026-11-17|3", "overdue", []any{"17/11/2026", "3"}, true, "hạn 17/11/2026, trễ 3 ngày làm việc"},
		{"sideways", "sideways", nil, true, "chuyển cho đơn vị không trực thuộc đơn vị đang xử lý"},
		{"overdue_due|2026-01-05", "overdue_due", []any{"05/01/2026"}, true, "hạn 05/01/2026"},
		{"overdue|2026-11-17", "", nil, false, "overdue|2026-11-17"}, // an argument missing
		{"due 2026-01-05", "", nil, false, "due 2026-01-05"},         // the old free text
	} {
		key, args, ok := DecodeDetail(tt.stored)
		if key != tt.key || ok != tt.ok || fmt.Sprint(args) != fmt.Sprint(tt.args) {
			t.Errorf("DecodeDetail(%q) = %q %v %v, want %q %v %v", tt.stored, key, args, ok, tt.key, tt.args, tt.ok)
		}
		if got := DetailVI(tt.stored); got != tt.vi {
			t.Errorf("DetailVI(%q) = %q, want %q", tt.stored, got, tt.vi)
		}
	}
}
