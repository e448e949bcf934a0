package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
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
		s.assemble, s.rewriteOthers, s.notebooks, s.texts, s.fileRefs, s.layoutRefs}
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
