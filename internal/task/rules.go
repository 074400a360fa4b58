package task

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Detection rules: the manifestations of Directive 24-CT/TU that a system
// can see (DOMAIN.md). The full catalogue of 21 manifestations was not
// found, so the rules are data (the task_rules table): an office may rename
// them, switch them off and change their thresholds. Each rule that is on
// raises a flag that names a step of a task and the unit and person that
// held it; a flag is unique per (task, step, rule), so the live check and
// the periodic scan never raise the same one twice.
//
// Thresholds (all in working days or counts, never negative):
//
//	overdue                     grace: raised when the task is more than N working days past its due date (0: the day after)
//	step_overdue                grace, for the holder's own deadline when it is earlier than the task's
//	no_response                 N: a holder must accept within N working days of receiving the task (default 2)
//	escalated_within_authority  N: raised when a committee escalates, for more than the N-th time on the task (default 0: the first time), a task that came to it from above
//	pushed_sideways             N: raised for the sideways forwards of a task beyond the first N (default 0: every one)
//	returned_repeatedly         N: raised when a task is returned more than N times (default 1)
//	repeated_extensions         N: raised when the holders of a task ask for more than N extensions (default 1)
//
// escalated_within_authority, kept simple: escalating is sending the
// decision up. A committee (any unit that is not a cell) has the authority
// to decide the work its superiors hand down to it, so when the task came
// to it from above (its issuer is an ancestor of the holder) and the
// committee escalates it, the escalation is flagged. A cell escalating to
// its grassroots committee, or a committee escalating work it raised
// itself, is not.
//
// The overdue, step_overdue and no_response rules are time-based: the
// periodic scan (Service.Scan) raises them over all open tasks with
// set-based SQL on the precomputed dates (tasks.due_on, holder_due_on,
// accept_due_on), and a step recorded late raises them at once. The others
// are raised live, when the step is recorded. A changed no_response
// threshold applies to tasks received after the change (acceptance due
// dates are computed when a task arrives).

// Rule codes.
const (
	RuleOverdue            = "overdue"
	RuleStepOverdue        = "step_overdue"
	RuleNoResponse         = "no_response"
	RuleEscalatedAuthority = "escalated_within_authority"
	RulePushedSideways     = "pushed_sideways"
	RuleReturnedRepeatedly = "returned_repeatedly"
	RuleRepeatedExtensions = "repeated_extensions"
)

// Rule is one detection rule as stored.
type Rule struct {
	Code        string     `json:"code"`
	NameVI      string     `json:"name_vi"`
	NameEN      string     `json:"name_en"`
	Enabled     bool       `json:"enabled"`
	Threshold   int        `json:"threshold"`
	Description string     `json:"description"`
	UpdatedAt   *time.Time `json:"updated_at,omitempty"`
}

// DefaultRules are the rules as the migration seeds them.
func DefaultRules() []Rule {
	return []Rule{
		{Code: RuleOverdue, NameVI: "Quá hạn xử lý", NameEN: "Overdue", Enabled: true, Threshold: 0,
			Description: "The task is past its due date (threshold: grace in working days)."},
		{Code: RuleStepOverdue, NameVI: "Khâu xử lý quá hạn", NameEN: "Step overdue", Enabled: true, Threshold: 0,
			Description: "The holder is past the deadline set for its step, earlier than the task's (threshold: grace in working days)."},
		{Code: RuleNoResponse, NameVI: "Không phản hồi, không tiếp nhận", NameEN: "No response", Enabled: true, Threshold: 2,
			Description: "The holder did not accept the task within N working days of receiving it."},
		{Code: RuleEscalatedAuthority, NameVI: "Đẩy việc thuộc thẩm quyền lên cấp trên", NameEN: "Escalated within authority", Enabled: true, Threshold: 0,
			Description: "A committee escalated work handed down to it, which it had the authority to decide (flagged beyond the first N such escalations of the task)."},
		{Code: RulePushedSideways, NameVI: "Đùn đẩy việc sang đơn vị khác", NameEN: "Pushed sideways", Enabled: true, Threshold: 0,
			Description: "The holder forwarded the task to a unit that is not below it (flagged beyond the first N such forwards of the task)."},
		{Code: RuleReturnedRepeatedly, NameVI: "Trả lại nhiều lần", NameEN: "Returned repeatedly", Enabled: true, Threshold: 1,
			Description: "The task was returned to its sender more than N times."},
		{Code: RuleRepeatedExtensions, NameVI: "Xin gia hạn nhiều lần", NameEN: "Repeated extensions", Enabled: true, Threshold: 1,
			Description: "The holders asked for more than N extensions of the task."},
	}
}

// Rules is the rule set by code.
type Rules map[string]Rule

// NewRules indexes rules by code, filling in the defaults for any code
// missing from rs.
func NewRules(rs []Rule) Rules {
	out := Rules{}
	for _, r := range DefaultRules() {
		out[r.Code] = r
	}
	for _, r := range rs {
		out[r.Code] = r
	}
	return out
}

// On returns the rule when it is enabled.
func (rs Rules) On(code string) (Rule, bool) {
	r, ok := rs[code]
	return r, ok && r.Enabled
}

// Name is the Vietnamese name of a rule, or its code.
func (rs Rules) Name(code string) string {
	if r, ok := rs[code]; ok && r.NameVI != "" {
		return r.NameVI
	}
	return code
}

// NameEN is the English name of a rule, else its Vietnamese name.
func (rs Rules) NameEN(code string) string {
	if r, ok := rs[code]; ok && r.NameEN != "" {
		return r.NameEN
	}
	return rs.Name(code)
}

// RulePatch is a change to one rule; nil fields are kept.
type RulePatch struct {
	Code        string  `json:"code"`
	NameVI      *string `json:"name_vi"`
	NameEN      *string `json:"name_en"`
	Enabled     *bool   `json:"enabled"`
	Threshold   *int    `json:"threshold"`
	Description *string `json:"description"`
}

// ApplyPatches validates patches against the known rules and returns the
// rules that changed.
func ApplyPatches(current Rules, ps []RulePatch) ([]Rule, error) {
	var errs []apperr.FieldError
	var out []Rule
	for i, p := range ps {
		r, ok := current[p.Code]
		if !ok {
			errs = append(errs, apperr.FieldKeyed(fmt.Sprintf("[%d].code", i), "task.unknown_rule", "unknown rule %q", p.Code))
			continue
		}
		for _, f := range []struct {
			field string
			v     *string
		}{{"name_vi", p.NameVI}, {"name_en", p.NameEN}, {"description", p.Description}} {
			if f.v != nil {
				errs = append(errs, checkLine(fmt.Sprintf("[%d].%s", i, f.field), viet.Clean(*f.v))...)
			}
		}
		if p.NameVI != nil {
			if n := viet.Clean(*p.NameVI); n == "" || len([]rune(n)) > 200 {
				errs = append(errs, apperr.FieldKeyed(fmt.Sprintf("[%d].name_vi", i), "task.1_200_characters", "1 to 200 characters"))
			} else {
				r.NameVI = n
			}
		}
		if p.NameEN != nil {
			r.NameEN = strings.TrimSpace(viet.Clean(*p.NameEN))
		}
		if p.Description != nil {
			r.Description = viet.Clean(*p.Description)
		}
		if p.Enabled != nil {
			r.Enabled = *p.Enabled
		}
		if p.Threshold != nil {
			if *p.Threshold < 0 || *p.Threshold > 365 {
				errs = append(errs, apperr.FieldKeyed(fmt.Sprintf("[%d].threshold", i), "task.must_0_365", "must be 0 to 365"))
			} else {
				r.Threshold = *p.Threshold
			}
		}
		out = append(out, r)
	}
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "task.rules_not_valid", "the rules are not valid").With(errs...)
	}
	return out, nil
}

// Event is what the live check sees of one step being recorded.
type Event struct {
	Action    Action
	Capacity  Capacity
	Direction Direction
	// HolderKind is the kind of the holder unit before the step;
	// FromAbove: the task's issuer is strictly above the holder unit.
	HolderKind string
	FromAbove  bool
	// Counts of earlier steps of the same task (before this one).
	PriorReturns      int
	PriorSideways     int
	PriorEscalations  int // escalations that were within authority
	PriorExtensionAsk int // extension requests by holders
	// Today and the task's dates before the step.
	Today       date.Date
	State       State
	DueOn       date.Date
	HolderDueOn date.Date
	// AcceptDueOn and FirstAnswer: the holding's acceptance deadline, and
	// whether this step is the holder's first act on the holding.
	AcceptDueOn date.Date
	FirstAnswer bool
}

// countPrior counts an earlier step of the task into the event's Prior
// counts when a holder took it: the live check (steps.go) and the preview
// of a step (preview.go) count the same steps the same way.
func (ev *Event) countPrior(st Step) {
	if st.Capacity != "holder" {
		return
	}
	switch {
	case st.Action == ActReturn:
		ev.PriorReturns++
	case st.Action == ActForward && st.Direction == DirSideways:
		ev.PriorSideways++
	case st.Action == ActEscalate:
		ev.PriorEscalations++
	case st.Action == ActExtend:
		ev.PriorExtensionAsk++
	}
}

// Draft is a flag to raise. OnHolding attaches it to the step that began
// the current holding (time-based rules, so that the scan and the live
// check agree on the key); otherwise to the step being recorded.
type Draft struct {
	Rule      string
	OnHolding bool
	Detail    string
}

// Detect returns the flags a step raises under the rules. A flag's detail
// is stored as a key and arguments (flagdetail.go), shown in the page's
// language.
func Detect(rs Rules, cal *viet.Calendar, ev Event) []Draft {
	var out []Draft
	holder := ev.Capacity&AsHolder != 0
	if r, ok := rs.On(RuleOverdue); ok && ev.State.Running() && !ev.DueOn.IsZero() && ev.DueOn.Before(OverdueCutoff(cal, ev.Today, r.Threshold)) {
		out = append(out, Draft{Rule: RuleOverdue, OnHolding: true,
			Detail: encodeDetail("overdue", ev.DueOn.String(), strconv.Itoa(DaysLate(cal, ev.DueOn, ev.Today)))})
	}
	if r, ok := rs.On(RuleStepOverdue); ok && ev.State.Running() && !ev.HolderDueOn.IsZero() && ev.HolderDueOn.Before(ev.DueOn) &&
		ev.HolderDueOn.Before(OverdueCutoff(cal, ev.Today, r.Threshold)) {
		out = append(out, Draft{Rule: RuleStepOverdue, OnHolding: true,
			Detail: encodeDetail("step_overdue", ev.HolderDueOn.String())})
	}
	if _, ok := rs.On(RuleNoResponse); ok && holder && ev.FirstAnswer && !ev.AcceptDueOn.IsZero() && ev.AcceptDueOn.Before(ev.Today) {
		out = append(out, Draft{Rule: RuleNoResponse, OnHolding: true,
			Detail: encodeDetail("no_response", ev.AcceptDueOn.String(), ev.Today.String())})
	}
	if !holder {
		// An officer above redirecting or extending work is not passing the buck.
		return out
	}
	switch ev.Action {
	case ActForward:
		if r, ok := rs.On(RulePushedSideways); ok && ev.Direction == DirSideways && ev.PriorSideways+1 > r.Threshold {
			out = append(out, Draft{Rule: RulePushedSideways, Detail: encodeDetail("sideways")})
		}
	case ActEscalate:
		if r, ok := rs.On(RuleEscalatedAuthority); ok && WithinAuthority(ev.HolderKind, ev.FromAbove) && ev.PriorEscalations+1 > r.Threshold {
			out = append(out, Draft{Rule: RuleEscalatedAuthority, Detail: encodeDetail("escalated")})
		}
	case ActReturn:
		if r, ok := rs.On(RuleReturnedRepeatedly); ok && ev.PriorReturns+1 > r.Threshold {
			out = append(out, Draft{Rule: RuleReturnedRepeatedly, Detail: encodeDetail("returned", strconv.Itoa(ev.PriorReturns+1))})
		}
	case ActExtend:
		if r, ok := rs.On(RuleRepeatedExtensions); ok && ev.PriorExtensionAsk+1 > r.Threshold {
			out = append(out, Draft{Rule: RuleRepeatedExtensions, Detail: encodeDetail("extensions", strconv.Itoa(ev.PriorExtensionAsk+1))})
		}
	}
	return out
}

// WithinAuthority reports whether an escalation by a holder unit of the
// given kind, of a task that came from above, was within its authority:
// every committee (not a cell) decides what is handed down to it.
func WithinAuthority(holderKind string, fromAbove bool) bool {
	return fromAbove && holderKind != "" && holderKind != "cell"
}
