package netsim

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/internal/i18n"
	"github.com/svcviz/svcviz/model"
)

// TestDiagnosticTemplatesHaveKorean: every template netsim words a diagnostic with (the string
// literal opening each model.W(…) and model.WW(…) call) has its Korean entry, keeps its
// placeholders, has no semicolon, and leaves no two-way particle with arguments ending in each
// digit or in a Hangul or Latin word.
func TestDiagnosticTemplatesHaveKorean(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var templates []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "W" && sel.Sel.Name != "WW") {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "model" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: a template must be a string literal", fset.Position(call.Pos()))
				return true
			}
			s, _ := strconv.Unquote(lit.Value)
			templates = append(templates, s)
			return true
		})
	}
	if len(templates) < 10 {
		t.Fatalf("found only %d templates", len(templates))
	}
	samples := []string{"web", "노드", "10.244.0.1", "TCP"}
	for d := 0; d <= 9; d++ {
		samples = append(samples, "3000"+strconv.Itoa(d))
	}
	for _, tmpl := range templates {
		ko, ok := diagKO[tmpl]
		if !ok || !i18n.Has("ko", tmpl) {
			t.Errorf("no Korean for %q", tmpl)
			continue
		}
		if strings.Contains(ko, ";") {
			t.Errorf("semicolon in Korean prose: %q", ko)
		}
		for _, s := range samples {
			got := model.W(tmpl, s, s, s, s).In("ko")
			for _, p := range []string{"은(는)", "이(가)", "을(를)", "과(와)", "(으)로"} {
				if strings.Contains(got, p) {
					t.Errorf("%q with %q: two-way particle left: %q", tmpl, s, got)
				}
			}
			if strings.Contains(got, "{") {
				t.Errorf("placeholder left: %q", got)
			}
		}
	}
}
