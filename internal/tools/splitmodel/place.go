package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

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
		s.listDecls(f, used, typeDecls)
	}
	s.unused("Decls", s.plan.Decls, used)
	s.followTypes(typeDecls)
	s.dropRedirected()
	for _, d := range s.decls {
		d.pkg = destPkg(d.dest)
		if d.dest != d.file.dest {
			s.rep.Moved = append(s.rep.Moved, fmt.Sprintf("%s:%s -> %s", d.file.base, strings.Join(d.keys, ","), d.dest))
		}
	}
	s.copies()
	for _, f := range s.files {
		if f.dest != s.srcName+"/"+f.base {
			s.rep.Moved = append(s.rep.Moved, fmt.Sprintf("%s -> %s", f.base, f.dest))
		}
	}
	return nil
}

// listDecls adds the declarations of f, each with the byte range of its
// text and its destination: its file's, or the one Decls gives it.
func (s *splitter) listDecls(f *srcFile, used map[string]bool, typeDecls map[string]*decl) {
	start := s.afterImports(f)
	for _, d := range f.ast.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		dc := &decl{file: f, node: d, a: start, b: s.lineEnd(f, d.End()), dest: f.dest}
		start = dc.b
		switch d := d.(type) {
		case *ast.FuncDecl:
			dc.keys = []string{d.Name.Name}
			if d.Recv != nil && len(d.Recv.List) == 1 {
				dc.recv = recvName(d.Recv.List[0].Type)
				dc.keys = []string{dc.recv + "." + d.Name.Name}
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

// unused warns of the entries of a table of the plan that matched nothing.
func (s *splitter) unused(table string, entries map[string]string, used map[string]bool) {
	for _, k := range sortedKeys(entries) {
		if !used[k] {
			s.rep.warnf("%s lists %s, which is not there any more", table, k)
		}
	}
}

// followTypes sends a method to its receiver type's package, unless the
// plan places it.
func (s *splitter) followTypes(typeDecls map[string]*decl) {
	for _, d := range s.decls {
		t := typeDecls[d.recv]
		if d.recv == "" || t == nil {
			continue
		}
		if !d.placed && destPkg(d.dest) != destPkg(t.dest) {
			d.dest = t.dest
			if d.file.test {
				d.dest = destPkg(t.dest) + "/" + d.file.base
			}
		}
		if destPkg(d.dest) != destPkg(t.dest) {
			s.rep.problemf("%s: method %s goes to %s but its type to %s", d.file.base, d.keys[0], d.dest, t.dest)
		}
	}
}

// dropRedirected drops the helpers that Redirects replaces.
func (s *splitter) dropRedirected() {
	kept := s.decls[:0]
	for _, d := range s.decls {
		if fd, ok := d.node.(*ast.FuncDecl); ok && fd.Recv == nil && s.plan.Redirects[fd.Name.Name] != "" {
			s.rep.Moved = append(s.rep.Moved, fmt.Sprintf("%s:%s dropped for %s", d.file.base, fd.Name.Name, s.plan.Redirects[fd.Name.Name]))
			continue
		}
		kept = append(kept, d)
	}
	s.decls = kept
}

// copies adds the copies of test declarations that Copies asks for.
func (s *splitter) copies() {
	used := map[string]bool{}
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
	s.unused("Copies", s.plan.Copies, used)
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
