// Fails unless every exported name of the Go packages given has a doc comment (what
// `go doc` shows; golint's old rule). scripts/docs runs it, with go vet, on the module.
//
//	go run docs/reference/check_go_docs.go DIR...
package main

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"strings"
)

func main() {
	missing, names := 0, 0
	for _, dir := range os.Args[1:] {
		fset := token.NewFileSet()
		notTests := func(info fs.FileInfo) bool { return !strings.HasSuffix(info.Name(), "_test.go") }
		packages, err := parser.ParseDir(fset, dir, notTests, parser.ParseComments)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		for _, pkg := range packages {
			p := doc.New(pkg, dir, 0)
			check := func(kind, name, text string, pos token.Pos) {
				if !ast.IsExported(name) {
					return
				}
				names++
				if strings.TrimSpace(text) == "" {
					missing++
					fmt.Printf("%s: %s %s.%s has no doc comment\n", fset.Position(pos), kind, p.Name, name)
				}
			}
			// A const or var is documented by its group's comment, or by its own line's
			// (above it, or after it) inside the group.
			values := func(kind string, list []*doc.Value) {
				for _, v := range list {
					for _, spec := range v.Decl.Specs {
						vs := spec.(*ast.ValueSpec)
						text := v.Doc + vs.Doc.Text() + vs.Comment.Text()
						for _, name := range vs.Names {
							check(kind, name.Name, text, vs.Pos())
						}
					}
				}
			}
			funcs := func(kind string, list []*doc.Func) {
				for _, f := range list {
					check(kind, f.Name, f.Doc, f.Decl.Pos())
				}
			}
			if strings.TrimSpace(p.Doc) == "" {
				fmt.Printf("%s: package %s has no doc comment\n", dir, p.Name)
				missing++
			}
			values("const", p.Consts)
			values("var", p.Vars)
			funcs("func", p.Funcs)
			for _, t := range p.Types {
				check("type", t.Name, t.Doc, t.Decl.Pos())
				values("const", t.Consts)
				values("var", t.Vars)
				funcs("func", t.Funcs)
				funcs("method "+t.Name, t.Methods)
			}
		}
	}
	fmt.Printf("%d exported names, %d without a doc comment\n", names, missing)
	if missing > 0 {
		os.Exit(1)
	}
}
