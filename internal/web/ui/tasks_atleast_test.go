package ui

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/task"
)

// TestTaskGroupTotalAtLeast: a list that stopped counting (issue 17) says
// "at least" in its heading and under its page; an exact one does not.
func TestTaskGroupTotalAtLeast(t *testing.T) {
	tk := task.Task{ID: 7, Title: "Việc", State: task.StateInProgress}
	tests := []struct {
		lang    lang
		atLeast bool
		want    []string
		notWant string
	}{
		{vi, true, []string{"(ít nhất 1.000)", "Đang hiện 1 trong số ít nhất 1000 việc."}, ""},
		{en, true, []string{"(at least 1,000)", "Showing 1 of at least 1000 tasks."}, ""},
		{en, false, []string{"(1,000)", "Showing 1 of 1000 tasks."}, "at least"},
	}
	for _, tt := range tests {
		data := &myTasksPage{Groups: []taskGroup{{Name: "to_accept", Items: []task.Task{tk}, Total: 1000, TotalAtLeast: tt.atLeast, More: "/cong-viec?group=to_accept&cursor=x"}}}
		v := data.base()
		v.Lang, v.Actor, v.Here = tt.lang, &auth.Actor{Username: "vanphong"}, "/cong-viec"
		var buf bytes.Buffer
		if err := page(tt.lang, "tasks").ExecuteTemplate(&buf, "layout", data); err != nil {
			t.Fatal(err)
		}
		html := buf.String()
		for _, w := range tt.want {
			if !strings.Contains(html, w) {
				t.Errorf("%s at least %v: no %q in the page", tt.lang, tt.atLeast, w)
			}
		}
		if tt.notWant != "" && strings.Contains(html, tt.notWant) {
			t.Errorf("%s at least %v: the page says %q", tt.lang, tt.atLeast, tt.notWant)
		}
	}
}
