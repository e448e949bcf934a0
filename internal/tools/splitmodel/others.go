package main

import (
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// walk calls fn for every file of the module outside the tool itself,
// other modules, hidden directories and testdata (unless withTestdata).
func (s *splitter) walk(withTestdata bool, fn func(rel string) error) error {
	self := filepath.Join("internal", "tools", "splitmodel")
	return filepath.WalkDir(s.root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(s.root, path)
		if e.IsDir() {
			if rel == "." {
				return nil
			}
			if strings.HasPrefix(e.Name(), ".") && e.Name() != ".ci" || rel == self || e.Name() == "vendor" ||
				(!withTestdata && e.Name() == "testdata") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		return fn(rel)
	})
}

// rewriteOthers qualifies the references to moved names in every other
// package of the module, and moves the source's external test files.
func (s *splitter) rewriteOthers() error {
	ext := map[string]*srcFile{}
	for _, f := range s.files {
		if f.external {
			ext[filepath.Join(s.plan.Source, f.base)] = f
		}
	}
	return s.walk(false, func(rel string) error {
		if !strings.HasSuffix(rel, ".go") {
			return nil
		}
		if filepath.Dir(rel) == s.plan.Source && ext[rel] == nil {
			return nil // the source package, assembled
		}
		return s.rewriteFile(rel, ext[rel])
	})
}

// pkgLevel returns the names declared at package level in a directory's Go
// files, tests included.
func pkgLevel(dir string) map[string]bool {
	names := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	fset := token.NewFileSet()
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil {
				continue
			}
			for _, id := range declNames(d) {
				names[id.Name] = true
			}
		}
	}
	return names
}

// goFile is a Go file of another package being rewritten.
type goFile struct {
	rel   string
	src   []byte
	fset  *token.FileSet
	ast   *ast.File
	edits []edit
}

func (g *goFile) off(p token.Pos) int { return g.fset.Position(p).Offset }

func (g *goFile) replace(a, b token.Pos, text string) {
	g.edits = append(g.edits, edit{g.off(a), g.off(b), text})
}

func (s *splitter) rewriteFile(rel string, moving *srcFile) error {
	g := &goFile{rel: rel, fset: token.NewFileSet()}
	var err error
	if g.src, err = os.ReadFile(filepath.Join(s.root, rel)); err != nil {
		return err
	}
	if g.ast, err = parser.ParseFile(g.fset, rel, g.src, parser.ParseComments); err != nil {
		return err
	}
	if moving != nil {
		g.replace(g.ast.Name.Pos(), g.ast.Name.End(), destPkg(moving.dest)+"_test")
	}
	s.commentEdits(g)
	spec, gen := importOf(g.ast, s.pkgPath(s.srcName))
	name := s.srcName
	if spec != nil && spec.Name != nil {
		name = spec.Name.Name
	}
	if spec == nil || name == "_" || name == "." {
		if spec != nil {
			s.rep.warnf("%s: imports %s as %s; not rewritten", rel, s.pkgPath(s.srcName), name)
		}
		return s.finish(g, moving, false)
	}
	quals, still := s.qualifyUses(g, name)
	if len(quals.names) == 0 && moving == nil {
		return s.finish(g, nil, false)
	}
	var lines []string
	if still {
		lines = append(lines, string(g.src[g.off(spec.Pos()):g.off(spec.End())]))
	}
	for _, p := range sortedKeys(quals.names) {
		l := strconv.Quote(s.pkgPath(p))
		if quals.names[p] != p {
			l = quals.names[p] + " " + l
		}
		lines = append(lines, l)
	}
	switch {
	case gen.Lparen.IsValid():
		g.replace(spec.Pos(), spec.End(), strings.Join(lines, "\n\t"))
	case len(lines) == 0:
		g.replace(gen.Pos(), gen.End(), "")
	default:
		g.replace(gen.Pos(), gen.End(), "import (\n\t"+strings.Join(lines, "\n\t")+"\n)")
	}
	return s.finish(g, moving, true)
}

// importOf finds the import of path in f and its declaration.
func importOf(f *ast.File, path string) (*ast.ImportSpec, *ast.GenDecl) {
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			for _, sp := range g.Specs {
				if is := sp.(*ast.ImportSpec); is.Path.Value == strconv.Quote(path) {
					return is, g
				}
			}
		}
	}
	return nil, nil
}

// commentEdits rewrites the comments that name a moved identifier as
// model.Name.
func (s *splitter) commentEdits(g *goFile) {
	for _, cg := range g.ast.Comments {
		for _, c := range cg.List {
			for _, m := range s.docRef().FindAllStringSubmatchIndex(c.Text, -1) {
				if text, ok := s.docRename(c.Text[m[2]:m[3]]); ok {
					g.edits = append(g.edits, edit{g.off(c.Pos()) + m[0], g.off(c.Pos()) + m[1], text})
				}
			}
		}
	}
}

// qualifyUses rewrites name.X, for every X that moved, to its new package
// (and name); still says whether name.Y remains for a Y that did not.
func (s *splitter) qualifyUses(g *goFile, name string) (quals *qualifiers, still bool) {
	// A file's import name is shadowed only where it is used: in the
	// declarations that refer to moved names.
	movedSel := func(n ast.Node) (*ast.SelectorExpr, bool) {
		se, ok := n.(*ast.SelectorExpr)
		if !ok {
			return nil, false
		}
		x, ok := se.X.(*ast.Ident)
		return se, ok && x.Name == name && x.Obj == nil
	}
	qualifies := func(d ast.Decl) bool {
		found := false
		ast.Inspect(d, func(n ast.Node) bool {
			if se, ok := movedSel(n); ok && s.moved[se.Sel.Name] != "" {
				found = true
			}
			return !found
		})
		return found
	}
	imported := map[string]bool{}
	for _, im := range g.ast.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		n := p[strings.LastIndexByte(p, '/')+1:]
		if im.Name != nil {
			n = im.Name.Name
		}
		imported[n] = true
	}
	quals = &qualifiers{s: s, file: g.rel, local: func() map[string]bool {
		local := pkgLevel(filepath.Join(s.root, filepath.Dir(g.rel)))
		for _, d := range g.ast.Decls {
			if qualifies(d) {
				for _, id := range plainIdents(d) {
					if id.Obj != nil || !imported[id.Name] {
						local[id.Name] = true
					}
				}
			}
		}
		return local
	}}
	ast.Inspect(g.ast, func(n ast.Node) bool {
		se, ok := movedSel(n)
		if !ok {
			return true
		}
		p, moved := s.moved[se.Sel.Name]
		if !moved {
			still = true
			return true
		}
		g.replace(se.X.Pos(), se.X.End(), quals.of(p))
		if nn, ok := s.renamed[se.Sel.Name]; ok {
			g.replace(se.Sel.Pos(), se.Sel.End(), nn)
		}
		return true
	})
	return quals, still
}

// finish records a rewritten file: at its destination if it moves,
// gofmt-ed if its code changed.
func (s *splitter) finish(g *goFile, moving *srcFile, code bool) error {
	if len(g.edits) == 0 && moving == nil {
		return nil
	}
	out := []byte(apply(g.src, 0, len(g.src), g.edits))
	if code || moving != nil {
		var err error
		if out, err = format.Source(out); err != nil {
			s.rep.problemf("%s: gofmt after rewriting: %v", g.rel, err)
			return nil
		}
	}
	if moving == nil {
		s.out[g.rel] = out
		s.rep.Rewritten = append(s.rep.Rewritten, g.rel)
		return nil
	}
	pkg, file, _ := strings.Cut(moving.dest, "/")
	dst := filepath.Join(s.pkgDir(pkg), file)
	s.out[dst] = out
	if dst != g.rel {
		s.removed = append(s.removed, g.rel)
	}
	return nil
}

// docRef matches model.Name in comments and documents.
func (s *splitter) docRef() *regexp.Regexp {
	return regexp.MustCompile(`\b` + regexp.QuoteMeta(s.srcName) + `\.([A-Z][A-Za-z0-9_]*)\b`)
}

// docRename is how documents name a moved identifier: "scenario.Decode".
func (s *splitter) docRename(name string) (string, bool) {
	p, ok := s.moved[name]
	if !ok {
		return "", false
	}
	if nn, ok := s.renamed[name]; ok {
		name = nn
	}
	return p + "." + name, true
}

// notebooks rewrites the Go cells of the Jupyter notebooks: the qualified
// names that moved, and the import lines.
func (s *splitter) notebooks() error {
	srcPath := s.pkgPath(s.srcName)
	use := regexp.MustCompile(`\b` + s.srcName + `\.([A-Za-z_][A-Za-z0-9_]*)`)
	imp := regexp.MustCompile(`(?m)^(\s*"[^"\n]*?\\")` + regexp.QuoteMeta(srcPath) + `(\\"[^\n]*)\n`)
	return s.walk(false, func(rel string) error {
		if !strings.HasSuffix(rel, ".ipynb") {
			return nil
		}
		src, err := os.ReadFile(filepath.Join(s.root, rel))
		if err != nil {
			return err
		}
		used := map[string]bool{}
		still := false
		text := use.ReplaceAllStringFunc(string(src), func(m string) string {
			name := m[len(s.srcName)+1:]
			if p, ok := s.moved[name]; ok {
				used[p] = true
				if nn, ok := s.renamed[name]; ok {
					name = nn
				}
				return p + "." + name
			}
			still = true
			return m
		})
		if len(used) == 0 {
			return nil
		}
		text = imp.ReplaceAllStringFunc(text, func(line string) string {
			sm := imp.FindStringSubmatch(line)
			var out []string
			if still {
				out = append(out, line)
			}
			for _, p := range sortedKeys(used) {
				out = append(out, sm[1]+s.pkgPath(p)+sm[2]+"\n")
			}
			return strings.Join(out, "")
		})
		for p := range used {
			if !strings.Contains(text, s.pkgPath(p)) {
				s.rep.warnf("%s: uses %s but no import line of %s was found to extend", rel, p, srcPath)
			}
		}
		s.out[rel] = []byte(text)
		s.rep.Rewritten = append(s.rep.Rewritten, rel)
		return nil
	})
}

// textExts are the files whose text the plan's substitutions apply to.
var textExts = map[string]bool{".go": true, ".md": true, ".ipynb": true, ".sh": true, ".yml": true, ".yaml": true, "": true}

// texts applies the plan's substitutions (and checks the moves exist).
func (s *splitter) texts() error {
	for _, mv := range s.plan.Moves {
		if _, err := os.Stat(filepath.Join(s.root, mv[0])); err != nil {
			s.rep.warnf("move %s: %v", mv[0], err)
		}
	}
	removed := map[string]bool{}
	for _, rel := range s.removed {
		removed[rel] = true
	}
	matched := make([]bool, len(s.plan.Texts))
	defer func() {
		for i, t := range s.plan.Texts {
			if !matched[i] {
				s.rep.warnf("Texts: %q found nowhere", t[0])
			}
		}
	}()
	// Paths of the source's files that moved, where documents name them.
	type pathMove struct {
		re  *regexp.Regexp
		new string
	}
	var paths []pathMove
	for _, f := range s.files {
		pkg, file, _ := strings.Cut(f.dest, "/")
		to := filepath.ToSlash(filepath.Join(s.pkgDir(pkg), file))
		if from := s.plan.Source + "/" + f.base; to != from {
			paths = append(paths, pathMove{regexp.MustCompile(`(^|[^A-Za-z0-9_./-])` + regexp.QuoteMeta(from) + `\b`), "${1}" + to})
		}
	}
	subst := func(rel string, src []byte) {
		text := string(src)
		if filepath.Ext(rel) == ".md" {
			text = s.docRef().ReplaceAllStringFunc(text, func(m string) string {
				if t, ok := s.docRename(m[len(s.srcName)+1:]); ok {
					return t
				}
				return m
			})
		}
		for _, p := range paths {
			text = p.re.ReplaceAllString(text, p.new)
		}
		for i, t := range s.plan.Texts {
			if strings.Contains(text, t[0]) {
				matched[i] = true
				text = strings.ReplaceAll(text, t[0], t[1])
			}
		}
		if text != string(src) {
			s.out[rel] = []byte(text)
			s.rep.Rewritten = append(s.rep.Rewritten, rel+" (text)")
		}
	}
	for _, rel := range sortedKeys(s.out) {
		if textExts[filepath.Ext(rel)] {
			subst(rel, s.out[rel])
		}
	}
	return s.walk(true, func(rel string) error {
		if !textExts[filepath.Ext(rel)] || removed[rel] {
			return nil
		}
		if _, ok := s.out[rel]; ok {
			return nil
		}
		src, err := os.ReadFile(filepath.Join(s.root, rel))
		if err != nil {
			return err
		}
		subst(rel, src)
		return nil
	})
}

// write removes the source's files, writes the new ones and moves the
// plan's testdata.
func (s *splitter) write() error {
	for _, rel := range s.removed {
		if err := os.Remove(filepath.Join(s.root, rel)); err != nil {
			return err
		}
	}
	paths := make([]string, 0, len(s.out))
	for p := range s.out {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, rel := range paths {
		path := filepath.Join(s.root, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, s.out[rel], 0o644); err != nil {
			return err
		}
	}
	for _, mv := range s.plan.Moves {
		to := filepath.Join(s.root, mv[1])
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(s.root, mv[0]), to); err != nil {
			return err
		}
	}
	return nil
}

// fileRefs warns of comments in the split packages that name a file
// ("see decode.go") that is no longer in the same directory.
func (s *splitter) fileRefs() error {
	re := regexp.MustCompile(`\b([a-z][a-z0-9_]*\.go)\b`)
	removed := map[string]bool{}
	for _, rel := range s.removed {
		removed[rel] = true
	}
	dirs := map[string]bool{s.plan.Source: true}
	for _, p := range s.plan.Packages {
		dirs[s.pkgDir(p.Name)] = true
	}
	// where each file of the split ends, by base name
	where := map[string][]string{}
	for _, rel := range sortedKeys(s.out) {
		if dirs[filepath.Dir(rel)] && !strings.HasSuffix(rel, "_test.go") {
			where[filepath.Base(rel)] = append(where[filepath.Base(rel)], rel)
		}
	}
	for _, rel := range sortedKeys(s.out) {
		dir := filepath.Dir(rel)
		if filepath.Ext(rel) != ".go" || !dirs[dir] {
			continue
		}
		lines := strings.Split(string(s.out[rel]), "\n")
		for i, line := range lines {
			c := strings.Index(line, "//")
			if c < 0 {
				continue
			}
			comment := line[c:]
			for _, m := range re.FindAllStringSubmatch(comment, -1) {
				name := filepath.Join(dir, m[1])
				if _, ok := s.out[name]; ok || strings.Contains(comment, "/"+m[1]) {
					continue
				}
				if _, err := os.Stat(filepath.Join(s.root, name)); err == nil && !removed[name] {
					continue
				}
				if w := where[m[1]]; len(w) == 1 {
					comment = regexp.MustCompile(`\b`+regexp.QuoteMeta(m[1])).ReplaceAllString(comment, filepath.ToSlash(w[0]))
					continue
				}
				s.rep.warnf("%s:%d: the comment names %s, which is not in %s", rel, i+1, m[1], dir)
			}
			lines[i] = line[:c] + comment
		}
		s.out[rel] = []byte(strings.Join(lines, "\n"))
	}
	return nil
}

// layoutRefs warns of the files that LAYOUT.md (the README text the split
// gives) names but the split does not leave in one of its packages.
func (s *splitter) layoutRefs() error {
	text, err := os.ReadFile(filepath.Join(s.root, "internal", "tools", "splitmodel", "LAYOUT.md"))
	if err != nil {
		return nil // not this module's plan
	}
	dirs := []string{s.plan.Source}
	for _, p := range s.plan.Packages {
		dirs = append(dirs, s.pkgDir(p.Name))
	}
	removed := map[string]bool{}
	for _, rel := range s.removed {
		removed[rel] = true
	}
	exists := func(rel string) bool {
		if _, ok := s.out[rel]; ok {
			return true
		}
		_, err := os.Stat(filepath.Join(s.root, rel))
		return err == nil && !removed[rel]
	}
	for _, m := range regexp.MustCompile("`(?:[a-z/]*/)?([a-z_]+\\.go)`").FindAllStringSubmatch(string(text), -1) {
		found := strings.Contains(m[0], "/") && exists(strings.Trim(m[0], "`"))
		for _, d := range dirs {
			found = found || exists(filepath.Join(d, m[1]))
		}
		if !found {
			s.rep.warnf("LAYOUT.md names %s, which the split does not leave in %s", strings.Trim(m[0], "`"), strings.Join(dirs, ", "))
		}
	}
	return nil
}
