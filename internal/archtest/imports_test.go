// Package archtest enforces the direction of imports in DESIGN.md:
// cli → web, store → modules → viet, auth. Nothing imports web or store
// but cli (and tests); modules import neither net/http nor database/sql.
package archtest

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/sotay-vn/sotay/internal/"

// forbidden lists, for each package (its directory under internal/), the
// imports it must not have; an entry ending in "/..." forbids the package
// and everything below it. "*" is every package that is not named in the
// table: the domain modules. Inside web, the server mounts the two
// surfaces (api, ui), which share httpx and never import each other.
var forbidden = map[string][]string{
	"web":       {module + "store/...", module + "cli/...", "database/sql"},
	"web/api":   {module + "web", module + "web/ui/...", module + "store/...", module + "cli/...", "database/sql"},
	"web/ui":    {module + "web", module + "web/api/...", module + "store/...", module + "cli/...", "database/sql"},
	"web/httpx": {module + "web", module + "web/api/...", module + "web/ui/...", module + "store/...", module + "cli/...", "database/sql"},
	"store":     {module + "web/...", module + "cli/...", "net/http"},
	"cli":       {},
	"*":         {module + "web/...", module + "store/...", module + "cli/...", "net/http", "database/sql"},
}

// breaks reports whether an import falls under a forbidden entry.
func breaks(imp, bad string) bool {
	if prefix, ok := strings.CutSuffix(bad, "/..."); ok {
		return imp == prefix || strings.HasPrefix(imp, prefix+"/")
	}
	return imp == bad
}

// rulesFor finds the rules of the package in dir (relative to internal/):
// its own entry, else its top directory's, else the modules'.
func rulesFor(dir string) []string {
	if rules, ok := forbidden[dir]; ok {
		return rules
	}
	top, _, _ := strings.Cut(dir, "/")
	if rules, ok := forbidden[top]; ok {
		return rules
	}
	return forbidden["*"]
}

func TestImportDirection(t *testing.T) {
	root := filepath.Join("..")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "archtest" || e.Name() == "testpg" {
			continue
		}
		for file, imports := range packageImports(t, filepath.Join(root, e.Name())) {
			checked++
			dir, _ := filepath.Rel(root, filepath.Dir(file))
			rules := rulesFor(filepath.ToSlash(dir))
			for _, imp := range imports {
				for _, bad := range rules {
					if breaks(imp, bad) {
						t.Errorf("%s imports %s: against the import direction of DESIGN.md", file, imp)
					}
				}
			}
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d files: is the test looking in the right place?", checked)
	}
}

// packageImports returns the imports of each non-test Go file in dir and
// its subdirectories.
func packageImports(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			out[path] = append(out[path], p)
		}
		return nil
	})
	return out
}
