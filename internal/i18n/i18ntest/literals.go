// Package i18ntest finds the catalogue keys a package's code asks for, so that a test can check
// that every one has its translation (and that the catalogue holds nothing unused).
package i18ntest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Call names a function whose argument Arg is a catalogue key: "W" is a plain call of W,
// "model.W" a call qualified by model, ".tr" a call of tr on any receiver.
type Call struct {
	Name string
	Arg  int
}

// GoFiles lists the files the globs match, leaving out tests.
func GoFiles(t testing.TB, globs ...string) []string {
	t.Helper()
	var out []string
	for _, g := range globs {
		files, err := filepath.Glob(g)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if !strings.HasSuffix(f, "_test.go") {
				out = append(out, f)
			}
		}
	}
	return out
}

// Literals parses files and returns, sorted and once each, the string literal at the key
// argument of every call that calls names. With strict, a key that is not a string literal is
// a test error (its wording could not be checked).
func Literals(t testing.TB, files []string, strict bool, calls ...Call) []string {
	t.Helper()
	fset := token.NewFileSet()
	seen := map[string]bool{}
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			arg := keyArg(call.Fun, calls)
			if arg < 0 || len(call.Args) <= arg {
				return true
			}
			lit, ok := call.Args[arg].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				if strict {
					t.Errorf("%s: a catalogue key must be a string literal", fset.Position(call.Pos()))
				}
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			seen[s] = true
			return true
		})
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// keyArg is the key argument of a call of fun, or -1 when calls names no such function.
func keyArg(fun ast.Expr, calls []Call) int {
	for _, c := range calls {
		qual, name, qualified := strings.Cut(c.Name, ".")
		if !qualified {
			name = qual
		}
		switch fn := fun.(type) {
		case *ast.Ident:
			if !qualified && fn.Name == name {
				return c.Arg
			}
		case *ast.SelectorExpr:
			if !qualified || fn.Sel.Name != name {
				continue
			}
			if id, ok := fn.X.(*ast.Ident); qual == "" || ok && id.Name == qual {
				return c.Arg
			}
		}
	}
	return -1
}
