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
	codeLiterals(t, regexp.MustCompile(`(?:Action: +|action(?: :)?= )"([a-z_]+\.[a-z_.]+)"`), actions)
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

// TestAuditObjectsNamed: every object type the services write to the audit
// log has its name in words (audit_object.*), as the actions do.
func TestAuditObjectsNamed(t *testing.T) {
	objects := map[string]bool{"document": true, "news": true} // string(d.Kind) (internal/doc)
	codeLiterals(t, regexp.MustCompile(`ObjectType: +"([a-z_]+)"`), objects)
	if len(objects) < 10 {
		t.Fatalf("found %d audit object types in the code, want 10 or more", len(objects))
	}
	for o := range objects {
		if _, ok := catalog["audit_object."+o]; !ok {
			t.Errorf("audit object type %q has no name: add audit_object.%s to i18n_admin.go", o, o)
		}
	}
}

// codeLiterals adds to found the first group of every match of literal in
// the program's Go files (not the tests) under internal/.
func codeLiterals(t *testing.T, literal *regexp.Regexp, found map[string]bool) {
	t.Helper()
	err := filepath.WalkDir(filepath.Join("..", ".."), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			found[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
