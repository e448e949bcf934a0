package main

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/importer"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

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
		for _, d := range s.decls {
			if d.placed || d.copy || d.recv != "" {
				continue
			}
			target := s.followTarget(d, users)
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

// followTarget is the user whose file an unplaced helper d goes to: when
// its users are all in one other package, the first of them; when they
// are in d's package and in one below it, the first user below, so that
// a helper sinks to the lowest package that needs it, provided what d
// itself uses is within reach from there. Nil: d stays.
func (s *splitter) followTarget(d *decl, users map[types.Object][]*decl) *decl {
	first := map[string]*decl{} // user package -> its first user of d's kind (test or not)
	for _, id := range declNames(d.node) {
		obj := s.info.Defs[id]
		if obj == nil || obj.Exported() || id.Name == "_" || id.Name == "init" || s.redirect(obj) != "" {
			return nil
		}
		if _, isType := obj.(*types.TypeName); isType || len(s.also[obj]) > 0 {
			return nil
		}
		for _, u := range users[obj] {
			if u == d {
				continue
			}
			if f, seen := first[u.pkg]; !seen || f == nil && u.file.test == d.file.test {
				first[u.pkg] = nil
				if u.file.test == d.file.test {
					first[u.pkg] = u
				}
			}
		}
	}
	if _, own := first[d.pkg]; !own {
		if len(first) != 1 {
			return nil
		}
		for _, u := range first {
			return u
		}
	}
	if len(first) != 2 {
		return nil
	}
	var low string
	for p := range first {
		if p != d.pkg {
			low = p
		}
	}
	if !s.mayImport(d.pkg, low) || s.mayImport(low, d.pkg) || first[low] == nil {
		return nil
	}
	reach := true
	ast.Inspect(d.node, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if obj := s.info.Uses[id]; obj != nil && obj.Parent() == s.tpkg.Scope() {
				if h, ok := s.home[obj]; ok && h != low && !s.mayImport(low, h) {
					reach = false
				}
			}
		}
		return reach
	})
	if !reach {
		return nil
	}
	return first[low]
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
