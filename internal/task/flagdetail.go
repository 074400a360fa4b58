package task

import (
	"fmt"
	"strings"

	"github.com/sotay-vn/sotay/internal/date"
)

// A flag's detail is stored as a key and its arguments, "overdue|2026-11-17|3",
// so that each page shows it in its own language: Flag.Detail is the
// Vietnamese text (the API's "detail", as before), DetailKey and DetailArgs
// let the pages translate it (catalogue "task.flag_detail.<key>"). A detail
// written before this format is shown as it was written.

// detailVI are the details' Vietnamese texts; an argument that is a date
// is shown as dd/mm/yyyy.
var detailVI = map[string]string{
	"overdue":         "hạn %s, trễ %s ngày làm việc",
	"overdue_due":     "hạn %s",
	"step_overdue":    "khâu đang xử lý có hạn %s",
	"no_response":     "hạn tiếp nhận %s, phản hồi đầu tiên %s",
	"no_response_due": "hạn tiếp nhận %s",
	"sideways":        "chuyển cho đơn vị không trực thuộc đơn vị đang xử lý",
	"escalated":       "cấp ủy đẩy lên trên việc cấp trên giao xuống",
	"returned":        "trả lại %s lần",
	"extensions":      "xin gia hạn %s lần",
}

// DetailKeys are the stored detail keys (the pages' catalogue has a text
// for each).
func DetailKeys() []string {
	out := make([]string, 0, len(detailVI))
	for k := range detailVI {
		out = append(out, k)
	}
	return out
}

// DetailArity is how many arguments the detail key takes.
func DetailArity(key string) int { return strings.Count(detailVI[key], "%s") }

func encodeDetail(key string, args ...string) string {
	return strings.Join(append([]string{key}, args...), "|")
}

// DecodeDetail splits a stored detail into its key and its arguments, dates
// shown as dd/mm/yyyy; ok is false for a detail in the old free-text form.
func DecodeDetail(s string) (key string, args []any, ok bool) {
	parts := strings.Split(s, "|")
	key = parts[0]
	f, known := detailVI[key]
	if !known || strings.Count(f, "%s") != len(parts)-1 {
		return "", nil, false
	}
	for _, p := range parts[1:] {
		if d, err := date.Parse(p); err == nil {
			p = d.VN()
		}
		args = append(args, p)
	}
	return key, args, true
}

// DetailVI is a stored detail's Vietnamese text.
func DetailVI(s string) string {
	key, args, ok := DecodeDetail(s)
	if !ok {
		return s
	}
	return fmt.Sprintf(detailVI[key], args...)
}

// fillDetail sets the flag's readable detail from the stored one.
func (f *Flag) fillDetail() {
	stored := f.Detail
	if key, args, ok := DecodeDetail(stored); ok {
		f.DetailKey, f.DetailArgs = "task.flag_detail."+key, args
	}
	f.Detail = DetailVI(stored)
}
