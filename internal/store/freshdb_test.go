package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// planWords are what marks a statement that looks at the planner: a plan
// asked for, or statistics gathered.
var planWords = regexp.MustCompile(`\b(EXPLAIN|ANALYZE)\b`)

// TestPlanTestsGetFreshDatabases checks that every store test whose plans
// depend on a fresh database (it reaches, through the test files'
// functions, a string holding EXPLAIN or ANALYZE, or its name says Plan)
// takes its PostgreSQL database from forEachFreshDB (or forEachFreshDBWith:
// a fresh copy of a template that holds a fixture), not from forEachDB: a
// reused database holds a fresh one's rows but keeps the pages and
// estimates of the test before, and plans change with them (seen in
// session 9: four plan tests failed).
//
// Calls are followed by name among the test files' functions (a method
// call x.m to every method m, a name to the function of that name, also
// when passed as a value): more tests may be found than need it, none
// fewer.
func TestPlanTestsGetFreshDatabases(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	type fn struct {
		plans bool            // holds a planner word itself
		calls map[string]bool // names called
	}
	funcs := map[string]*fn{}
	var tests []string
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			d, ok := d.(*ast.FuncDecl)
			if !ok || d.Body == nil {
				continue
			}
			name := d.Name.Name
			if d.Recv != nil {
				name = "." + name
			}
			x := funcs[name]
			if x == nil {
				x = &fn{calls: map[string]bool{}}
				funcs[name] = x
			}
			if d.Recv == nil && strings.HasPrefix(name, "Test") {
				tests = append(tests, name)
			}
			ast.Inspect(d.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.BasicLit:
					if n.Kind == token.STRING && planWords.MatchString(n.Value) {
						x.plans = true
					}
				case *ast.CallExpr:
					switch f := n.Fun.(type) {
					case *ast.Ident:
						x.calls[f.Name] = true
					case *ast.SelectorExpr:
						x.calls["."+f.Sel.Name] = true
					}
				case *ast.Ident:
					// A function passed as a value (to a helper) counts as
					// called: every name is kept, only declared ones lead on.
					x.calls[n.Name] = true
				}
				return true
			})
		}
	}
	reaches := func(start string) bool {
		seen := map[string]bool{}
		var walk func(string) bool
		walk = func(name string) bool {
			if seen[name] {
				return false
			}
			seen[name] = true
			f := funcs[name]
			if f == nil {
				return false
			}
			if f.plans {
				return true
			}
			for c := range f.calls {
				if c != "forEachDB" && c != "forEachFreshDB" && c != "forEachFreshDBWith" && walk(c) {
					return true
				}
			}
			return false
		}
		return walk(start)
	}
	var wrong, fresh []string
	for _, name := range tests {
		f := funcs[name]
		if !f.calls["forEachDB"] && !f.calls["forEachFreshDB"] && !f.calls["forEachFreshDBWith"] {
			continue
		}
		needs := reaches(name) || strings.Contains(name, "Plan")
		if needs {
			fresh = append(fresh, name)
		}
		if needs && f.calls["forEachDB"] {
			wrong = append(wrong, name)
		}
	}
	sort.Strings(wrong)
	sort.Strings(fresh)
	t.Logf("tests on a fresh database: %v", fresh)
	if len(fresh) == 0 {
		t.Error("found no plan test at all: the search is broken")
	}
	if diff := cmp.Diff([]string(nil), wrong); diff != "" {
		t.Errorf("plan tests on a reused database (forEachDB; use forEachFreshDB) (-want +got):\n%s", diff)
	}
}
