package archtest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// maxLines is the length past which a function must say why it is not
// split: a paragraph of its doc comment that starts with "long:".
const maxLines = 80

// longFunc is one function of the tree and its length in lines.
type longFunc struct {
	where string // file:line name
	lines int
	why   bool // its doc comment has a "long:" paragraph
}

// TestLongFunctionsExplained fails when a function of the program (not a
// test file, not generated code) runs over maxLines lines without a
// "long:" paragraph in its doc comment saying why it stays one function.
func TestLongFunctionsExplained(t *testing.T) {
	funcs := functions(t, filepath.Join("..", ".."))
	if len(funcs) < 100 {
		t.Fatalf("found only %d functions: is the test looking in the right place?", len(funcs))
	}
	for _, f := range funcs {
		if f.lines > maxLines && !f.why {
			t.Errorf("%s is %d lines: split it, or say why not in a \"long:\" paragraph of its doc comment", f.where, f.lines)
		}
	}
	for i, f := range funcs[:10] {
		t.Logf("%2d. %4d lines  %s (long: %v)", i+1, f.lines, f.where, f.why)
	}
}

// functions lists the functions with a body in the non-test, non-generated
// Go files below root, longest first.
func functions(t *testing.T, root string) []longFunc {
	t.Helper()
	var out []longFunc
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "testdata" || n == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		if ast.IsGenerated(f) {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			start, end := fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line
			out = append(out, longFunc{
				where: fmt.Sprintf("%s:%d %s", filepath.ToSlash(rel), start, funcName(fd)),
				lines: end - start + 1,
				why:   explained(fd.Doc),
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(out, func(a, b longFunc) int { return b.lines - a.lines })
	return out
}

// funcName is Recv.Name for a method, Name for a function.
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}

// explained reports whether a doc comment has a line starting "long:".
func explained(doc *ast.CommentGroup) bool {
	if doc == nil {
		return false
	}
	for _, line := range strings.Split(doc.Text(), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "long:") {
			return true
		}
	}
	return false
}
