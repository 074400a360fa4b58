package ui

import (
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/task"
)

// TestFlagDetailsTranslated: every detail a Directive 24 flag can carry has
// a Vietnamese and an English text with its arguments, the Vietnamese one
// as the task module writes it, so a flag reads in the page's language.
func TestFlagDetailsTranslated(t *testing.T) {
	for _, key := range task.DetailKeys() {
		e, ok := catalog["task.flag_detail."+key]
		if !ok {
			t.Errorf("flag detail %q has no text in the catalogue", key)
			continue
		}
		for i, text := range e {
			if got, want := strings.Count(text, "%s"), task.DetailArity(key); got != want {
				t.Errorf("flag detail %q, language %d: %d arguments, want %d", key, i, got, want)
			}
		}
		if e[0] == e[1] {
			t.Errorf("flag detail %q: the same text in both languages", key)
		}
	}
	f := task.Flag{Detail: "overdue|2026-11-17|3"}
	f.DetailKey, f.DetailArgs = "task.flag_detail.overdue", []any{"17/11/2026", "3"}
	for l, want := range map[lang]string{vi: "hạn 17/11/2026, trễ 3 ngày làm việc", en: "due 17/11/2026, 3 working days late"} {
		if got := funcs(l)["flagDetail"].(func(task.Flag) string)(f); got != want {
			t.Errorf("flagDetail in %v: got %q, want %q", l, got, want)
		}
	}
	named := task.Flag{RuleName: "Quá hạn xử lý", RuleNameEN: "Overdue"}
	for l, want := range map[lang]string{vi: "Quá hạn xử lý", en: "Overdue"} {
		if got := funcs(l)["flagName"].(func(task.Flag) string)(named); got != want {
			t.Errorf("flagName in %v: got %q, want %q", l, got, want)
		}
	}
	old := task.Flag{Detail: "due 2026-11-17"} // written before details had keys
	if got := funcs(en)["flagDetail"].(func(task.Flag) string)(old); got != old.Detail {
		t.Errorf("an old detail: got %q, want it as written", got)
	}
}
