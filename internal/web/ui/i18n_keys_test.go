package ui

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sourceFile is one parsed non-test Go file of internal/.
type sourceFile struct {
	path string // relative to internal/, slash-separated
	fset *token.FileSet
	file *ast.File
}

// parseInternal parses every non-test Go file under internal/.
func parseInternal(t *testing.T) []sourceFile {
	t.Helper()
	root := filepath.Join("..", "..")
	var out []sourceFile
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		out = append(out, sourceFile{filepath.ToSlash(rel), fset, f})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// apperrCall returns the name of the apperr function fun calls
// ("Keyed"), or "" when it calls something else. Inside package apperr
// the functions are called without the package name.
func apperrCall(sf sourceFile, fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		if id, ok := f.X.(*ast.Ident); ok && id.Name == "apperr" {
			return f.Sel.Name
		}
	case *ast.Ident:
		if sf.file.Name.Name == "apperr" {
			return f.Name
		}
	}
	return ""
}

// verbs returns the verbs of a format by argument number (1-based):
// "%[2]s of %[1]d" → {1: "d", 2: "s"}; %% is no verb.
var verbRE = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*\d*(?:\.\d+)?([a-zA-Z%])`)

func verbs(format string) (map[int]string, error) {
	out := map[int]string{}
	next := 1
	for _, m := range verbRE.FindAllStringSubmatch(format, -1) {
		if m[2] == "%" {
			continue
		}
		n := next
		if m[1] != "" {
			n, _ = strconv.Atoi(m[1])
		}
		if v, ok := out[n]; ok && v != m[2] {
			return nil, fmt.Errorf("argument %d is both %%%s and %%%s", n, v, m[2])
		}
		out[n] = m[2]
		next = n + 1
	}
	return out, nil
}

// keyedCalls are the calls that give a message its key, and the position
// of the key among their arguments.
var keyedCalls = map[string]int{"Keyed": 1, "InvalidField": 1, "FieldKeyed": 1, "RowKeyed": 2}

// TestMessageKeysTranslated: every literal key given to apperr.Keyed,
// InvalidField, FieldKeyed and RowKeyed anywhere in internal/ has a
// Vietnamese and an English text in the catalogue, and both texts use the
// same verbs for the same arguments as the call's English format (the
// number of arguments when the format is not a literal).
func TestMessageKeysTranslated(t *testing.T) {
	var checked int
	for _, sf := range parseInternal(t) {
		ast.Inspect(sf.file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			at, ok := keyedCalls[apperrCall(sf, call.Fun)]
			if !ok || len(call.Args) <= at+1 {
				return true
			}
			lit, ok := call.Args[at].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true // a key passed through (a helper's parameter)
			}
			key, _ := strconv.Unquote(lit.Value)
			where := sf.fset.Position(call.Pos())
			where.Filename = sf.path
			checked++
			nargs := len(call.Args) - at - 2
			if call.Ellipsis.IsValid() {
				return true // args... passed through
			}
			want := map[int]string{}
			for i := 1; i <= nargs; i++ {
				want[i] = "?"
			}
			if f, ok := call.Args[at+1].(*ast.BasicLit); ok && f.Kind == token.STRING {
				format, _ := strconv.Unquote(f.Value)
				v, err := verbs(format)
				if err != nil {
					t.Errorf("%s: %s: the English format: %v", where, key, err)
				}
				if len(v) == nargs {
					want = v
				}
			}
			e, ok := catalog[key]
			if !ok {
				t.Errorf("%s: key %q has no text in the catalogue (add it to an i18n_*.go file)", where, key)
				return true
			}
			for i, l := range []string{"Vietnamese", "English"} {
				if e[i] == "" {
					t.Errorf("%s: key %q has no %s text", where, key, l)
					continue
				}
				got, err := verbs(e[i])
				if err != nil {
					t.Errorf("%s: key %q, %s text: %v", where, key, l, err)
					continue
				}
				for n := range want {
					if want[n] == "?" {
						if _, ok := got[n]; ok {
							got[n] = "?"
						}
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: key %q: the %s text %q does not use the call's %d arguments (-call +text):\n%s", where, key, l, e[i], nargs, diff)
				}
			}
			return true
		})
	}
	if checked < 250 {
		t.Fatalf("found %d keyed messages in internal/, want 250 or more", checked)
	}
}

// unkeyedAllowed lists the places (file and function) that may still
// create a message without a key, each with its reason.
var unkeyedAllowed = map[string]string{
	"task/calendar.go scheduleErrors": "the holiday schedule's problems (viet.Schedule.Validate): the schedule is written only " +
		"through the API (PUT /api/v1/calendar/{year}), no page shows them",
}

// TestMessagesKeyed: no code outside the allow-list creates a message a
// person may read without a key: apperr.New, apperr.NotFoundf,
// apperr.Fields, or an apperr.Error or apperr.FieldError literal with a
// Message.
func TestMessagesKeyed(t *testing.T) {
	var found []string
	seen := map[string]bool{}
	for _, sf := range parseInternal(t) {
		if strings.HasPrefix(sf.path, "apperr/") {
			continue // the constructors themselves
		}
		for _, d := range sf.file.Decls {
			fn := "(package)"
			switch d := d.(type) {
			case *ast.FuncDecl:
				fn = d.Name.Name
				if d.Recv != nil && len(d.Recv.List) == 1 {
					fn = recvName(d.Recv.List[0].Type) + "." + fn
				}
			}
			place := sf.path + " " + fn
			ast.Inspect(d, func(n ast.Node) bool {
				what := ""
				switch n := n.(type) {
				case *ast.CallExpr:
					switch name := apperrCall(sf, n.Fun); name {
					case "New", "NotFoundf", "Fields":
						what = "apperr." + name
					}
				case *ast.CompositeLit:
					if hasMessage(n) && (isApperrType(n.Type) || n.Type == nil) {
						what = "a literal with a Message"
					}
				}
				if what == "" {
					return true
				}
				seen[place] = true
				if _, ok := unkeyedAllowed[place]; !ok {
					p := sf.fset.Position(n.Pos())
					found = append(found, fmt.Sprintf("%s:%d (%s): %s without a key", sf.path, p.Line, fn, what))
				}
				return true
			})
		}
	}
	sort.Strings(found)
	for _, f := range found {
		t.Error(f)
	}
	for place := range unkeyedAllowed {
		if !seen[place] {
			t.Errorf("allow-list entry %q: no unkeyed message there any more; remove the entry", place)
		}
	}
}

func recvName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return recvName(e.X)
	case *ast.Ident:
		return e.Name
	case *ast.IndexExpr:
		return recvName(e.X)
	}
	return "?"
}

func isApperrType(e ast.Expr) bool {
	if s, ok := e.(*ast.SelectorExpr); ok {
		if id, ok := s.X.(*ast.Ident); ok && id.Name == "apperr" {
			return s.Sel.Name == "Error" || s.Sel.Name == "FieldError"
		}
	}
	return false
}

func hasMessage(c *ast.CompositeLit) bool {
	for _, e := range c.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Message" {
				return true
			}
		}
	}
	return false
}
