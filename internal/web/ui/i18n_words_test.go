package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/task"
)

// TestAuditActionsNamed: every action the services write to the audit log
// has its name in words for the audit page (audit_action.*), so that no
// code such as member.read shows on a Vietnamese page.
func TestAuditActionsNamed(t *testing.T) {
	actions := map[string]bool{"document.revise": true, "news.revise": true} // kind + ".revise" (internal/doc)
	for _, a := range []task.Action{task.ActCreate, task.ActAccept, task.ActForward, task.ActReturn, task.ActEscalate,
		task.ActReport, task.ActComplete, task.ActExtend, task.ActSuspend, task.ActResume} {
		actions["task."+string(a)] = true // "task." + the step (internal/task)
	}
	literal := regexp.MustCompile(`(?:Action: +|action(?: :)?= )"([a-z_]+\.[a-z_.]+)"`)
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			actions[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(actions) < 30 {
		t.Fatalf("found %d audit actions in the code, want the services' 30 or more", len(actions))
	}
	for a := range actions {
		e := auditEntry{}
		e.Action = a
		if !e.ActionKnown() {
			t.Errorf("audit action %q has no name: add audit_action.%s to i18n_words.go", a, a)
		}
		if e.ActionKnown() && translate(vi, "audit_action."+a) == translate(en, "audit_action."+a) {
			t.Errorf("audit action %q: the same name in both languages", a)
		}
	}
}

// TestFormMessagesTranslated: every fixed field message of the services
// that a form shows beside its field reads in Vietnamese. The messages of
// the API's own parameters (list filters, paths, notification settings),
// which no page sends wrong, are left out by name.
func TestFormMessagesTranslated(t *testing.T) {
	apiOnly := map[string]bool{
		"must be me": true, "must be me or a member id": true, "must be new or due": true, "must be true or false": true,
		"must be open, overdue, or one or more of done, assigned, in_progress, suspended separated by commas": true,
		"must be the year in the path": true, "must be a positive integer (at most 500)": true,
		"must be one of probationary, full, exempt, transferred_out, struck_off, expelled, deceased": true,
		"1 to 60 characters without spaces": true, "a path on this site": true, "at most 300 characters": true,
		"unknown kind of notification": true,
	}
	field := regexp.MustCompile(`Message: +"([^"]+)"[,}]`)
	var checked int
	for _, pkg := range []string{"task", "doc", "member", "auth", "org", filepath.Join("web", "ui")} {
		files, err := filepath.Glob(filepath.Join("..", "..", pkg, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range field.FindAllStringSubmatch(string(b), -1) {
				if apiOnly[m[1]] {
					continue
				}
				checked++
				if got := translateMessage(vi, m[1]); got == m[1] {
					t.Errorf("%s: field message %q has no Vietnamese", f, m[1])
				}
			}
		}
	}
	if checked < 50 {
		t.Fatalf("checked %d field messages, want the services' 50 or more", checked)
	}
}
