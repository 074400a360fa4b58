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

// forbidden lists, for each package, the imports it must not have. "*" is
// every package that is not named in the table: the domain modules.
var forbidden = map[string][]string{
	"web":   {module + "store", module + "cli", "database/sql"},
	"store": {module + "web", module + "cli", "net/http"},
	"cli":   {},
	"*":     {module + "web", module + "store", module + "cli", "net/http", "database/sql"},
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
		rules, ok := forbidden[e.Name()]
		if !ok {
			rules = forbidden["*"]
		}
		for file, imports := range packageImports(t, filepath.Join(root, e.Name())) {
			checked++
			for _, imp := range imports {
				for _, bad := range rules {
					if imp == bad {
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
