package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// edit replaces the bytes [a, b) of a file with text.
type edit struct {
	a, b int
	text string
}

// apply applies the edits that fall within src[a:b] to that range.
func apply(src []byte, a, b int, edits []edit) string {
	sort.Slice(edits, func(i, j int) bool { return edits[i].a < edits[j].a })
	var sb strings.Builder
	at := a
	for _, e := range edits {
		if e.a < a || e.b > b || e.a < at {
			continue
		}
		sb.Write(src[at:e.a])
		sb.WriteString(e.text)
		at = e.b
	}
	sb.Write(src[at:b])
	return sb.String()
}

// qualifiers chooses the name under which a file imports each package of
// the split: the package's own name, or its alias (Plan.Aliases) where a
// name of the file or its package takes it.
type qualifiers struct {
	s     *splitter
	file  string
	local func() map[string]bool // the names a qualifier must not shadow
	taken map[string]bool
	names map[string]string // package -> qualifier
}

func (q *qualifiers) of(pkg string) string {
	if n, ok := q.names[pkg]; ok {
		return n
	}
	if q.taken == nil {
		q.taken = q.local()
		q.names = map[string]string{}
	}
	n := pkg
	if q.taken[pkg] {
		n = q.s.plan.Aliases[pkg]
		if n == "" || q.taken[n] {
			q.s.rep.problemf("%s: %s is a local name there and has no free alias in Aliases", q.file, pkg)
		}
		q.s.rep.Aliased = append(q.s.rep.Aliased, fmt.Sprintf("%s: %s %q", q.file, n, q.s.pkgPath(pkg)))
	}
	q.names[pkg] = n
	return n
}

// importLine is one import of a file being written.
type importLine struct{ name, path string }

// assemble composes every file of the source package and of the new
// packages from the declarations placed there.
func (s *splitter) assemble() error {
	byDest := map[string][]*decl{}
	for _, d := range s.decls {
		byDest[d.dest] = append(byDest[d.dest], d)
	}
	for _, f := range s.files {
		if !f.external {
			if _, ok := byDest[f.dest]; !ok {
				byDest[f.dest] = nil
			}
			s.removed = append(s.removed, filepath.Join(s.plan.Source, f.base))
		}
	}
	taken := map[string]map[string]bool{} // package-level names by package
	for _, d := range s.decls {
		if taken[d.pkg] == nil {
			taken[d.pkg] = map[string]bool{}
		}
		for _, id := range declNames(d.node) {
			name := id.Name
			if obj := s.info.Defs[id]; obj != nil && s.exported[obj] != "" {
				name = s.exported[obj]
			}
			taken[d.pkg][name] = true
		}
	}
	for _, dest := range sortedKeys(byDest) {
		ds := byDest[dest]
		sort.SliceStable(ds, func(i, j int) bool {
			return ds[i].file.dest == dest && ds[j].file.dest != dest
		})
		text, err := s.compose(dest, ds, taken[destPkg(dest)])
		if err != nil {
			s.rep.problemf("%s: %v", dest, err)
			continue
		}
		pkg, file, _ := strings.Cut(dest, "/")
		path := filepath.Join(s.pkgDir(pkg), file)
		for _, t := range s.plan.FileTexts[filepath.ToSlash(path)] {
			if !bytes.Contains(text, []byte(t[0])) {
				s.rep.warnf("FileTexts[%q]: %q not found", path, t[0])
			}
			text = bytes.ReplaceAll(text, []byte(t[0]), []byte(t[1]))
		}
		s.out[path] = text
	}
	for path := range s.out {
		if _, err := os.Stat(filepath.Join(s.root, path)); err == nil && !slices.Contains(s.removed, path) {
			s.rep.problemf("%s exists already", path)
		}
	}
	for _, p := range s.plan.Packages {
		if p.Existing {
			continue
		}
		path := filepath.Join(s.pkgDir(p.Name), "doc.go")
		if _, ok := s.out[path]; ok {
			s.rep.problemf("%s: both the plan's package doc and declarations go there", path)
		}
		s.out[path] = []byte(p.Doc + "package " + p.Name + "\n")
	}
	return nil
}

// compose writes one file of the split from its declarations.
func (s *splitter) compose(dest string, ds []*decl, pkgNames map[string]bool) ([]byte, error) {
	pkg := destPkg(dest)
	// Names a qualifier must not shadow: the package's own and the file's.
	local := map[string]bool{}
	for n := range pkgNames {
		local[n] = true
	}
	for _, d := range ds {
		for _, id := range plainIdents(d.node) {
			if _, isPkg := s.info.Uses[id].(*types.PkgName); !isPkg {
				local[id.Name] = true
			}
		}
	}
	quals := &qualifiers{s: s, file: dest, local: func() map[string]bool { return local }}
	imports := map[importLine]bool{}
	var header, body strings.Builder
	for _, f := range s.files {
		if f.dest != dest || f.external {
			continue
		}
		// The primary source's header: build constraints, package comment.
		head := f.src[:s.off(f.ast.Package)]
		if f.ast.Doc != nil && pkg != s.srcName {
			s.rep.warnf("%s: the package comment of %s is dropped (the plan's Doc is used)", dest, f.base)
			head = f.src[:s.off(f.ast.Doc.Pos())]
		}
		header.Write(head)
		if len(ds) == 0 || ds[0].file != f {
			// No declarations of its own: keep what follows its imports.
			body.Write(f.src[s.afterImports(f):])
		}
	}
	for _, d := range ds {
		var edits []edit
		ast.Inspect(d.node, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if e, ok := s.identEdit(id, pkg, quals, imports); ok {
					edits = append(edits, e)
				}
			}
			return true
		})
		edits = append(edits, s.docEdits(d)...)
		body.WriteString(apply(d.file.src, d.a, d.b, edits))
	}
	for _, f := range s.files {
		if f.dest != dest || f.external {
			continue
		}
		for _, im := range f.ast.Imports {
			if im.Name != nil && (im.Name.Name == "_" || im.Name.Name == ".") {
				path, _ := strconv.Unquote(im.Path.Value)
				imports[importLine{im.Name.Name, path}] = true
			}
		}
	}
	var text strings.Builder
	text.WriteString(header.String())
	text.WriteString("package " + pkg + "\n\n")
	text.WriteString(s.importBlock(imports))
	text.WriteString(body.String())
	out, err := format.Source([]byte(text.String()))
	if err != nil {
		return nil, fmt.Errorf("gofmt: %v\n%s", err, text.String())
	}
	return out, nil
}

// identEdit is what becomes of an identifier of a declaration that goes
// to package pkg: renamed if exported or renamed by the plan, qualified if
// it names something of another package, replaced by the plan's
// redirection or substitute. It records the imports the file needs.
func (s *splitter) identEdit(id *ast.Ident, pkg string, quals *qualifiers, imports map[importLine]bool) (edit, bool) {
	obj := s.info.Uses[id]
	if obj == nil {
		obj = s.info.Defs[id]
	}
	if obj == nil {
		return edit{}, false
	}
	at := func(text string) (edit, bool) { return edit{s.off(id.Pos()), s.off(id.End()), text}, true }
	if pn, ok := obj.(*types.PkgName); ok {
		l := importLine{path: pn.Imported().Path()}
		if pn.Name() != pn.Imported().Name() {
			l.name = pn.Name()
		}
		imports[l] = true
		return edit{}, false
	}
	if r := s.redirect(obj); r != "" {
		dot := strings.LastIndexByte(r, '.')
		imports[importLine{path: r[:dot]}] = true
		return at(r[strings.LastIndexByte(r[:dot], '/')+1:])
	}
	_, across := s.cross1(obj, pkg)
	if sub := s.plan.Substitutes[pkg+":"+obj.Name()]; sub != "" && s.info.Uses[id] != nil && across {
		return at(sub)
	}
	name := id.Name
	if nn := s.exported[obj]; nn != "" {
		name = nn
	}
	if p, ok := s.cross1(obj, pkg); ok && obj.Parent() == s.tpkg.Scope() && s.info.Uses[id] != nil {
		q := quals.of(p)
		l := importLine{path: s.pkgPath(p)}
		if q != p {
			l.name = q
		}
		imports[l] = true
		name = q + "." + name
	}
	if name == id.Name {
		return edit{}, false
	}
	return at(name)
}

// docEdits renames the first word of the doc comments of the renamed
// identifiers a declaration declares ("mix64 is" becomes "Mix64 is").
func (s *splitter) docEdits(d *decl) []edit {
	var edits []edit
	rename := func(doc *ast.CommentGroup, id *ast.Ident) {
		nn := s.exported[s.info.Defs[id]]
		if doc == nil || nn == "" || len(doc.List) == 0 {
			return
		}
		c := doc.List[0]
		if strings.HasPrefix(c.Text, "// "+id.Name+" ") {
			a := s.off(c.Pos()) + 3
			edits = append(edits, edit{a, a + len(id.Name), nn})
		}
	}
	switch n := d.node.(type) {
	case *ast.FuncDecl:
		rename(n.Doc, n.Name)
	case *ast.GenDecl:
		for _, sp := range n.Specs {
			doc := n.Doc
			var ids []*ast.Ident
			switch sp := sp.(type) {
			case *ast.TypeSpec:
				ids = []*ast.Ident{sp.Name}
				if sp.Doc != nil {
					doc = sp.Doc
				}
			case *ast.ValueSpec:
				ids = sp.Names
				if sp.Doc != nil {
					doc = sp.Doc
				}
			}
			for _, id := range ids {
				rename(doc, id)
			}
		}
	}
	return edits
}

func (s *splitter) off(p token.Pos) int { return s.fset.Position(p).Offset }

// importBlock writes imports in three groups: the standard library, other
// modules, this module.
func (s *splitter) importBlock(imports map[importLine]bool) string {
	var groups [3][]string
	for l := range imports {
		g := 0
		first, _, _ := strings.Cut(l.path, "/")
		switch {
		case l.path == s.module || strings.HasPrefix(l.path, s.module+"/"):
			g = 2
		case strings.Contains(first, "."):
			g = 1
		}
		line := strconv.Quote(l.path)
		if l.name != "" {
			line = l.name + " " + line
		}
		groups[g] = append(groups[g], line)
	}
	var lines []string
	for _, g := range groups {
		if len(g) == 0 {
			continue
		}
		sort.Slice(g, func(i, j int) bool { return importPath(g[i]) < importPath(g[j]) })
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, g...)
	}
	switch len(lines) {
	case 0:
		return ""
	case 1:
		return "import " + lines[0] + "\n"
	}
	var sb strings.Builder
	sb.WriteString("import (\n")
	for _, l := range lines {
		if l != "" {
			sb.WriteString("\t" + l)
		}
		sb.WriteString("\n")
	}
	sb.WriteString(")\n")
	return sb.String()
}

func importPath(line string) string {
	return line[strings.IndexByte(line, '"'):]
}

// plainIdents are the identifiers of a node that a package name could be
// shadowed by: all but selected names, field and method names, and the
// keys of composite literals.
func plainIdents(n ast.Node) []*ast.Ident {
	skip := map[*ast.Ident]bool{}
	var ids []*ast.Ident
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			skip[n.Sel] = true
		case *ast.FuncDecl:
			if n.Recv != nil {
				skip[n.Name] = true
			}
		case *ast.StructType:
			for _, f := range n.Fields.List {
				for _, id := range f.Names {
					skip[id] = true
				}
			}
		case *ast.InterfaceType:
			for _, f := range n.Methods.List {
				for _, id := range f.Names {
					skip[id] = true
				}
			}
		case *ast.CompositeLit:
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok {
						skip[id] = true
					}
				}
			}
		case *ast.Ident:
			if !skip[n] {
				ids = append(ids, n)
			}
		}
		return true
	})
	return ids
}
