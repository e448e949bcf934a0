package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Report is what a run did or would do, and what stopped it.
type Report struct {
	Moved     []string // declarations or files that changed file
	Exported  []string // identifiers exported to cross the boundary
	Rewritten []string // files of other packages rewritten
	Aliased   []string // imports under an alias
	Warnings  []string
	Problems  []string // any of these stops the run
}

func (r *Report) warnf(format string, a ...any) {
	r.Warnings = append(r.Warnings, fmt.Sprintf(format, a...))
}
func (r *Report) problemf(format string, a ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, a...))
}

func (r *Report) print(w io.Writer) {
	for _, s := range []struct {
		title string
		lines []string
	}{
		{"moved", r.Moved}, {"exported", r.Exported}, {"rewritten", r.Rewritten},
		{"aliased imports", r.Aliased}, {"warnings", r.Warnings}, {"problems", r.Problems},
	} {
		if len(s.lines) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s (%d):\n", s.title, len(s.lines))
		for _, l := range s.lines {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
}

// srcFile is a file of the source package.
type srcFile struct {
	base     string
	path     string
	src      []byte
	ast      *ast.File
	test     bool
	external bool   // package model_test
	dest     string // "pkg/file.go" from Plan.Files
}

// decl is a top-level declaration of the source package (not an import).
type decl struct {
	file   *srcFile
	node   ast.Decl
	keys   []string
	dest   string // "pkg/file.go"
	pkg    string
	recv   string // receiver type name of a method
	copy   bool   // a copy (Plan.Copies) of the declaration before it
	placed bool   // by Plan.Decls
	a, b   int    // byte range of its text, leading comments included
}

type splitter struct {
	root, module string
	plan         *Plan
	rep          *Report
	fset         *token.FileSet
	srcName      string
	pkgs         map[string]*Package // new packages by name
	files        []*srcFile
	decls        []*decl
	info         *types.Info
	tpkg         *types.Package
	home         map[types.Object]string   // package each object of the source ends in
	also         map[types.Object][]string // packages where a copy of it goes
	exported     map[types.Object]string   // new names
	declOf       map[types.Object]*decl
	moved        map[string]string // exported package-level name -> new package
	renamed      map[string]string // exported package-level name -> new name
	guessing     bool              // place the files the plan does not list
	out          map[string][]byte // files to write, by path relative to root
	removed      []string          // files to remove
}

// Split applies plan to the module at root (or only reports, if dry).
func Split(root string, plan *Plan, dry bool) (*Report, error) {
	return split(root, plan, dry, false)
}

// SplitGuessing is Split that places the files the plan does not list
// (see guess) instead of refusing them.
func SplitGuessing(root string, plan *Plan, dry bool) (*Report, error) {
	return split(root, plan, dry, true)
}

func split(root string, plan *Plan, dry, guessing bool) (*Report, error) {
	s := &splitter{root: root, plan: plan, rep: &Report{}, fset: token.NewFileSet(),
		srcName: filepath.Base(plan.Source), pkgs: map[string]*Package{},
		home: map[types.Object]string{}, exported: map[types.Object]string{},
		also: map[types.Object][]string{}, declOf: map[types.Object]*decl{},
		guessing: guessing, moved: map[string]string{}, renamed: map[string]string{}, out: map[string][]byte{}}
	for i := range plan.Packages {
		s.pkgs[plan.Packages[i].Name] = &plan.Packages[i]
	}
	steps := []func() error{s.readModule, s.readSource, s.check, s.guess, s.place, s.cross, s.names,
		s.assemble, s.rewriteOthers, s.notebooks, s.texts, s.fileRefs}
	for _, step := range steps {
		if err := step(); err != nil {
			return s.rep, err
		}
		if len(s.rep.Problems) > 0 {
			return s.rep, fmt.Errorf("%d problems; nothing written", len(s.rep.Problems))
		}
	}
	if dry {
		return s.rep, nil
	}
	return s.rep, s.write()
}

func (s *splitter) readModule() error {
	data, err := os.ReadFile(filepath.Join(s.root, "go.mod"))
	if err != nil {
		return err
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "module" {
			s.module = f[1]
			return nil
		}
	}
	return errors.New("go.mod names no module")
}

// pkgPath is the import path of a package of the split.
func (s *splitter) pkgPath(name string) string {
	return s.module + "/" + filepath.ToSlash(s.pkgDir(name))
}

func (s *splitter) pkgDir(name string) string {
	if name == s.srcName {
		return s.plan.Source
	}
	if p := s.pkgs[name]; p != nil && p.Dir != "" {
		return p.Dir
	}
	return filepath.Join(s.plan.Source, name)
}

// readSource parses the source package and checks every file is placed.
func (s *splitter) readSource() error {
	dir := filepath.Join(s.root, s.plan.Source)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(s.fset, path, src, parser.ParseComments)
		if err != nil {
			return err
		}
		sf := &srcFile{base: e.Name(), path: path, src: src, ast: f,
			test: strings.HasSuffix(e.Name(), "_test.go"), external: f.Name.Name == s.srcName+"_test"}
		seen[sf.base] = true
		dest, ok := s.plan.Files[sf.base]
		if !ok && s.guessing {
			s.files = append(s.files, sf) // placed by guess
			continue
		}
		if !ok {
			s.rep.problemf("%s/%s is not in the plan: add it to Files (table.go), or run with -guess", s.plan.Source, sf.base)
			continue
		}
		if err := s.checkDest(dest, sf.test); err != nil {
			s.rep.problemf("Files[%q]: %v", sf.base, err)
			continue
		}
		sf.dest = dest
		s.files = append(s.files, sf)
	}
	for _, base := range sortedKeys(s.plan.Files) {
		if !seen[base] {
			s.rep.warnf("Files lists %s, which %s/ does not have (yet)", base, s.plan.Source)
		}
	}
	for _, p := range s.plan.Packages {
		if p.Existing {
			continue
		}
		if m, _ := filepath.Glob(filepath.Join(s.root, s.pkgDir(p.Name), "*.go")); len(m) > 0 {
			s.rep.problemf("%s already holds Go files: apply the split to a checkout without it", s.pkgDir(p.Name))
		}
	}
	return nil
}

func (s *splitter) checkDest(dest string, test bool) error {
	pkg, file, ok := strings.Cut(dest, "/")
	if !ok || strings.Contains(file, "/") || !strings.HasSuffix(file, ".go") {
		return fmt.Errorf("destination %q is not pkg/file.go", dest)
	}
	if pkg != s.srcName && s.pkgs[pkg] == nil {
		return fmt.Errorf("destination %q names no package of the plan", dest)
	}
	if test != strings.HasSuffix(file, "_test.go") {
		return fmt.Errorf("destination %q: a test declaration goes to a _test.go file and only there", dest)
	}
	return nil
}

func destPkg(dest string) string { p, _, _ := strings.Cut(dest, "/"); return p }

// guess places a file the plan does not list by what it refers to: with
// the simulation if it uses anything that stays in the source package,
// else with the one new package it uses (the contract first), else in the
// source package. A test file goes with what it tests the same way.
func (s *splitter) guess() error {
	byFile := map[string]*srcFile{}
	for _, f := range s.files {
		byFile[s.fset.File(f.ast.Pos()).Name()] = f
	}
	for _, f := range s.files {
		if f.dest != "" {
			continue
		}
		uses := map[string]int{}
		ast.Inspect(f.ast, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			obj := s.info.Uses[id]
			if obj == nil || obj.Pkg() != s.tpkg || obj.Parent() != s.tpkg.Scope() {
				return true
			}
			if g := byFile[s.fset.Position(obj.Pos()).Filename]; g != nil && g != f && g.dest != "" {
				uses[destPkg(g.dest)]++
			}
			return true
		})
		pkg := s.srcName
		if uses[s.srcName] == 0 {
			for _, p := range s.plan.Packages {
				if uses[p.Name] > 0 && !p.Existing {
					pkg = p.Name
					break
				}
			}
		}
		if f.external {
			pkg = s.srcName // its references are model.X, not counted here
		}
		f.dest = pkg + "/" + f.base
		s.rep.warnf("%s/%s is not in the plan: guessed %s (uses: %v); add it to Files (table.go)", s.plan.Source, f.base, f.dest, uses)
	}
	return nil
}

// place lists the declarations and gives each its destination.
func (s *splitter) place() error {
	used := map[string]bool{}
	typeDecls := map[string]*decl{}
	for _, f := range s.files {
		if f.external {
			for k := range s.plan.Decls {
				if strings.HasPrefix(k, f.base+":") {
					s.rep.problemf("Decls[%q]: %s is an external test file, moved only as a whole", k, f.base)
				}
			}
			continue
		}
		start := s.afterImports(f)
		for _, d := range f.ast.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
				continue
			}
			dc := &decl{file: f, node: d, a: start, b: s.lineEnd(f, d.End())}
			start = dc.b
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil && len(d.Recv.List) == 1 {
					dc.recv = recvName(d.Recv.List[0].Type)
					dc.keys = []string{dc.recv + "." + d.Name.Name}
				} else {
					dc.keys = []string{d.Name.Name}
				}
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					switch sp := sp.(type) {
					case *ast.TypeSpec:
						dc.keys = append(dc.keys, sp.Name.Name)
						typeDecls[sp.Name.Name] = dc
					case *ast.ValueSpec:
						for _, n := range sp.Names {
							dc.keys = append(dc.keys, n.Name)
						}
					}
				}
			}
			dc.dest = f.dest
			for _, k := range dc.keys {
				if dest, ok := s.plan.Decls[f.base+":"+k]; ok {
					used[f.base+":"+k] = true
					if err := s.checkDest(dest, f.test); err != nil {
						s.rep.problemf("Decls[%q]: %v", f.base+":"+k, err)
						continue
					}
					dc.dest, dc.placed = dest, true
				}
			}
			s.decls = append(s.decls, dc)
		}
		if len(f.ast.Decls) > 0 && start < len(f.src) {
			s.decls[len(s.decls)-1].b = len(f.src)
		}
	}
	for _, k := range sortedKeys(s.plan.Decls) {
		if !used[k] {
			s.rep.warnf("Decls lists %s, which is not there any more", k)
		}
	}
	// A method follows its receiver type unless the plan places it.
	for _, d := range s.decls {
		if d.recv == "" {
			continue
		}
		t := typeDecls[d.recv]
		if t == nil {
			continue
		}
		if _, placed := s.plan.Decls[d.file.base+":"+d.keys[0]]; !placed && destPkg(d.dest) != destPkg(t.dest) {
			if d.file.test {
				d.dest = destPkg(t.dest) + "/" + d.file.base
			} else {
				d.dest = t.dest
			}
		}
		if destPkg(d.dest) != destPkg(t.dest) {
			s.rep.problemf("%s: method %s goes to %s but its type to %s", d.file.base, d.keys[0], d.dest, t.dest)
		}
	}
	kept := s.decls[:0]
	for _, d := range s.decls {
		if fd, ok := d.node.(*ast.FuncDecl); ok && fd.Recv == nil && s.plan.Redirects[fd.Name.Name] != "" {
			s.rep.Moved = append(s.rep.Moved, fmt.Sprintf("%s:%s dropped for %s", d.file.base, fd.Name.Name, s.plan.Redirects[fd.Name.Name]))
			continue
		}
		kept = append(kept, d)
	}
	s.decls = kept
	for _, d := range s.decls {
		d.pkg = destPkg(d.dest)
		if d.dest != d.file.dest || d.file.dest != s.srcName+"/"+d.file.base {
			if d.dest != d.file.dest {
				s.rep.Moved = append(s.rep.Moved, fmt.Sprintf("%s:%s -> %s", d.file.base, strings.Join(d.keys, ","), d.dest))
			}
		}
	}
	used = map[string]bool{}
	for _, d := range append([]*decl(nil), s.decls...) {
		for _, k := range d.keys {
			dest, ok := s.plan.Copies[d.file.base+":"+k]
			if !ok {
				continue
			}
			used[d.file.base+":"+k] = true
			if err := s.checkDest(dest, true); err != nil || !d.file.test {
				s.rep.problemf("Copies[%q]: only a test declaration is copied, to a _test.go file", d.file.base+":"+k)
				continue
			}
			c := *d
			c.dest, c.pkg, c.copy = dest, destPkg(dest), true
			s.decls = append(s.decls, &c)
			s.rep.Moved = append(s.rep.Moved, fmt.Sprintf("%s:%s copied to %s", d.file.base, k, dest))
		}
	}
	for _, k := range sortedKeys(s.plan.Copies) {
		if !used[k] {
			s.rep.warnf("Copies lists %s, which is not there any more", k)
		}
	}
	for _, f := range s.files {
		if f.dest != s.srcName+"/"+f.base {
			s.rep.Moved = append(s.rep.Moved, fmt.Sprintf("%s -> %s", f.base, f.dest))
		}
	}
	return nil
}

func recvName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return recvName(e.X)
	case *ast.IndexExpr:
		return recvName(e.X)
	case *ast.IndexListExpr:
		return recvName(e.X)
	case *ast.ParenExpr:
		return recvName(e.X)
	case *ast.Ident:
		return e.Name
	}
	return ""
}

// afterImports is the offset where the first declaration's text starts:
// after the import declarations, or after the package clause.
func (s *splitter) afterImports(f *srcFile) int {
	end := f.ast.Name.End()
	for _, d := range f.ast.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			end = g.End()
		}
	}
	return s.lineEnd(f, end)
}

// lineEnd extends pos to the end of its line when only a comment follows.
func (s *splitter) lineEnd(f *srcFile, pos token.Pos) int {
	off := s.fset.Position(pos).Offset
	rest := f.src[off:]
	nl := bytes.IndexByte(rest, '\n')
	if nl < 0 {
		return len(f.src)
	}
	tail := bytes.TrimSpace(rest[:nl])
	if len(tail) == 0 || bytes.HasPrefix(tail, []byte("//")) {
		return off + nl + 1
	}
	return off
}

// check type-checks the source package with its internal tests.
func (s *splitter) check() error {
	cmd := exec.Command("go", "list", "-deps", "-test", "-export", "-f", "{{.ImportPath}}\t{{.Export}}", "./"+s.plan.Source)
	cmd.Dir = s.root
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go list: %v", err)
	}
	exports := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		path, file, _ := strings.Cut(sc.Text(), "\t")
		if !strings.Contains(path, " ") && file != "" {
			exports[path] = file
		}
	}
	imp := importer.ForCompiler(s.fset, "gc", func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(f)
	})
	var files []*ast.File
	for _, f := range s.files {
		if !f.external {
			files = append(files, f.ast)
		}
	}
	s.info = &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	var errs []string
	conf := types.Config{Importer: imp, Error: func(err error) { errs = append(errs, err.Error()) }}
	s.tpkg, _ = conf.Check(s.pkgPath(s.srcName), s.fset, files, s.info)
	if len(errs) > 0 {
		for _, e := range errs[:min(len(errs), 10)] {
			s.rep.problemf("type error: %s", e)
		}
	}
	return nil
}

// cross finds the references across the new boundaries: each is checked
// against the import directions of the plan, and unexported ones are
// exported.
func (s *splitter) cross() error {
	for _, d := range s.decls {
		for _, id := range declNames(d.node) {
			obj := s.info.Defs[id]
			switch {
			case obj == nil:
			case d.copy:
				s.also[obj] = append(s.also[obj], d.pkg)
			default:
				s.home[obj] = d.pkg
				s.declOf[obj] = d
			}
		}
	}
	// Fields and methods live where their type does.
	for obj, pkg := range maps(s.home) {
		if tn, ok := obj.(*types.TypeName); ok {
			if n, ok := tn.Type().(*types.Named); ok {
				for i := 0; i < n.NumMethods(); i++ {
					s.home[n.Method(i)] = pkg
					s.declOf[n.Method(i)] = s.declOf[obj]
				}
			}
			s.members(tn.Type().Underlying(), pkg, s.declOf[obj], map[types.Type]bool{})
		}
	}
	s.follow()
	for _, d := range s.decls {
		ast.Inspect(d.node, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			obj := s.info.Uses[id]
			if obj == nil || obj.Pkg() != s.tpkg {
				return true
			}
			if s.redirect(obj) != "" {
				return true
			}
			h, ok := s.cross1(obj, d.pkg)
			if !ok {
				return true
			}
			where := s.fset.Position(id.Pos())
			at := fmt.Sprintf("%s:%d", filepath.Base(where.Filename), where.Line)
			if !s.mayImport(d.pkg, h) {
				s.rep.problemf("%s: %s (to %s) uses %s (to %s): %s may not import %s", at, d.keys[0], d.dest, id.Name, s.declOf[obj].dest, d.pkg, h)
				return true
			}
			if od := s.declOf[obj]; od != nil && od.file.test && s.plan.Substitutes[d.pkg+":"+obj.Name()] != "" {
				return true
			}
			if od := s.declOf[obj]; od != nil && od.file.test {
				s.rep.problemf("%s: %s (to %s) uses the test helper %s (to %s) across packages", at, d.keys[0], d.dest, id.Name, od.dest)
				return true
			}
			if !obj.Exported() {
				s.exported[obj] = ""
			}
			return true
		})
	}
	for _, d := range s.decls {
		if d.pkg == s.srcName || d.copy {
			continue
		}
		for _, id := range declNames(d.node) {
			if obj := s.info.Defs[id]; obj != nil && obj.Exported() && obj.Parent() == s.tpkg.Scope() {
				s.moved[obj.Name()] = d.pkg
			}
		}
	}
	return nil
}

// redirect is the replacement of a redirected helper: "import/path.Name".
func (s *splitter) redirect(obj types.Object) string {
	r := s.plan.Redirects[obj.Name()]
	if r == "" || obj.Parent() != s.tpkg.Scope() {
		return ""
	}
	return s.module + "/" + r
}

// follow moves an unexported helper (a function, constant or variable
// that the plan does not place) to the package of its users when they all
// go to one other package: so a helper added beside the code that uses it
// follows that code. It repeats until nothing moves, for chains of
// helpers.
func (s *splitter) follow() {
	users := map[types.Object][]*decl{}
	for _, d := range s.decls {
		seen := map[types.Object]bool{}
		ast.Inspect(d.node, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if obj := s.info.Uses[id]; obj != nil && obj.Parent() == s.tpkg.Scope() && !seen[obj] {
					seen[obj] = true
					users[obj] = append(users[obj], d)
				}
			}
			return true
		})
	}
	for changed := true; changed; {
		changed = false
	decls:
		for _, d := range s.decls {
			if d.placed || d.copy || d.recv != "" {
				continue
			}
			var target *decl
			for _, id := range declNames(d.node) {
				obj := s.info.Defs[id]
				if obj == nil || obj.Exported() || id.Name == "_" || id.Name == "init" || s.redirect(obj) != "" {
					continue decls
				}
				if _, isType := obj.(*types.TypeName); isType || len(s.also[obj]) > 0 {
					continue decls
				}
				for _, u := range users[obj] {
					if u == d {
						continue
					}
					if u.pkg == d.pkg || target != nil && u.pkg != target.pkg {
						continue decls
					}
					if target == nil && u.file.test == d.file.test {
						target = u
					}
				}
			}
			if target == nil {
				continue
			}
			s.rep.Moved = append(s.rep.Moved, fmt.Sprintf("%s:%s follows its users -> %s", d.file.base, strings.Join(d.keys, ","), target.dest))
			d.dest, d.pkg = target.dest, target.pkg
			for _, id := range declNames(d.node) {
				s.home[s.info.Defs[id]] = d.pkg
			}
			changed = true
		}
	}
}

// cross1 says whether obj, used in package pkg, lives in another package,
// and which.
func (s *splitter) cross1(obj types.Object, pkg string) (string, bool) {
	h, ok := s.home[obj]
	if !ok || h == pkg {
		return "", false
	}
	for _, p := range s.also[obj] {
		if p == pkg {
			return "", false
		}
	}
	return h, true
}

// members records the home of a type's fields and of an interface's
// methods, through anonymous struct types.
func (s *splitter) members(t types.Type, pkg string, d *decl, seen map[types.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	switch t := t.(type) {
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			f := t.Field(i)
			s.home[f] = pkg
			s.declOf[f] = d
			if _, named := f.Type().(*types.Named); !named {
				s.members(f.Type(), pkg, d, seen)
			}
		}
	case *types.Interface:
		for i := 0; i < t.NumExplicitMethods(); i++ {
			s.home[t.ExplicitMethod(i)] = pkg
			s.declOf[t.ExplicitMethod(i)] = d
		}
	case *types.Pointer:
		s.members(t.Elem(), pkg, d, seen)
	case *types.Slice:
		s.members(t.Elem(), pkg, d, seen)
	case *types.Array:
		s.members(t.Elem(), pkg, d, seen)
	case *types.Map:
		s.members(t.Elem(), pkg, d, seen)
	}
}

func (s *splitter) mayImport(from, to string) bool {
	if from == s.srcName || s.pkgs[to] != nil && s.pkgs[to].Existing {
		return true // an existing package is below the split
	}
	p := s.pkgs[from]
	for _, i := range p.Imports {
		if i == to {
			return true
		}
	}
	return false
}

// declNames are the identifiers a declaration declares at top level.
func declNames(d ast.Decl) []*ast.Ident {
	switch d := d.(type) {
	case *ast.FuncDecl:
		return []*ast.Ident{d.Name}
	case *ast.GenDecl:
		var ids []*ast.Ident
		for _, sp := range d.Specs {
			switch sp := sp.(type) {
			case *ast.TypeSpec:
				ids = append(ids, sp.Name)
			case *ast.ValueSpec:
				ids = append(ids, sp.Names...)
			}
		}
		return ids
	}
	return nil
}

// names chooses the exported names and checks they are free.
func (s *splitter) names() error {
	objs := make([]types.Object, 0, len(s.exported))
	for obj := range s.exported {
		objs = append(objs, obj)
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].Pos() < objs[j].Pos() })
	used := map[string]bool{}
	taken := map[string]map[string]bool{} // package-level names by package
	for _, d := range s.decls {
		if taken[d.pkg] == nil {
			taken[d.pkg] = map[string]bool{}
		}
		for _, id := range declNames(d.node) {
			taken[d.pkg][id.Name] = true
		}
	}
	for _, d := range s.decls {
		for _, id := range declNames(d.node) {
			obj := s.info.Defs[id]
			nn, ok := s.plan.Renames[id.Name]
			if !ok || obj == nil || d.copy || obj.Parent() != s.tpkg.Scope() {
				continue
			}
			used[id.Name] = true
			if taken[d.pkg][nn] {
				s.rep.problemf("renaming %s: %s already names something in package %s", id.Name, nn, d.pkg)
			}
			taken[d.pkg][nn] = true
			s.exported[obj] = nn
			if obj.Exported() {
				s.renamed[id.Name] = nn
			}
			s.rep.Exported = append(s.rep.Exported, fmt.Sprintf("%s -> %s (%s, renamed)", id.Name, nn, d.dest))
		}
	}
	for _, k := range sortedKeys(s.plan.Renames) {
		if !used[k] {
			s.rep.warnf("Renames lists %s, which is not there any more", k)
		}
	}
	for _, obj := range objs {
		if s.exported[obj] != "" {
			continue // renamed by the plan
		}
		key := obj.Name()
		owner := s.owner(obj)
		if owner != nil {
			key = owner.Obj().Name() + "." + obj.Name()
		}
		name, ok := s.plan.Names[key]
		if !ok {
			name = export(obj.Name())
		}
		s.exported[obj] = name
		d := s.declOf[obj]
		s.rep.Exported = append(s.rep.Exported, fmt.Sprintf("%s -> %s (%s)", key, name, d.dest))
		if owner == nil {
			if taken[s.home[obj]][name] {
				s.rep.problemf("exporting %s: %s already names something in package %s; give a name in Names", key, name, s.home[obj])
			}
			taken[s.home[obj]][name] = true
		} else if o, _, _ := types.LookupFieldOrMethod(owner, true, nil, name); o != nil {
			s.rep.problemf("exporting %s: %s already names a field or method of %s; give a name in Names", key, name, owner.Obj().Name())
		}
	}
	return nil
}

// owner is the named type a field or method belongs to, if any.
func (s *splitter) owner(obj types.Object) *types.Named {
	if fn, ok := obj.(*types.Func); ok {
		if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
			t := sig.Recv().Type()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			if n, ok := t.(*types.Named); ok {
				return n
			}
		}
		return nil
	}
	if v, ok := obj.(*types.Var); ok && v.IsField() {
		if d := s.declOf[obj]; d != nil {
			for _, id := range declNames(d.node) {
				if tn, ok := s.info.Defs[id].(*types.TypeName); ok {
					if n, ok := tn.Type().(*types.Named); ok {
						return n
					}
				}
			}
		}
	}
	return nil
}

// export capitalises a name, upper-casing a leading initialism.
func export(name string) string {
	for _, in := range Initialisms {
		if strings.HasPrefix(name, in) && (len(name) == len(in) || strings.ToUpper(name[len(in):len(in)+1]) == name[len(in):len(in)+1]) {
			return strings.ToUpper(in) + name[len(in):]
		}
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func maps(m map[types.Object]string) map[types.Object]string {
	c := make(map[types.Object]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
