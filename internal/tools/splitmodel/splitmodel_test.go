package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes files (path: text) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for path, text := range files {
		p := filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// toyModule is a module whose package src mixes a contract (Thing, Parse,
// helper) with a simulation (Run, use) that uses unexported parts of it.
var toyModule = map[string]string{
	"go.mod": "module example.com/m\n\ngo 1.26\n",
	"src/a.go": `package src

// Thing is the contract's type.
type Thing struct {
	N    int
	note string
}

// helper doubles x.
func helper(x int) int { return x * 2 }

// double is the thing's N doubled.
func (t *Thing) double() int { return helper(t.N) }
`,
	"src/b.go": `package src

import "fmt"

// Run is the simulation.
func Run(t *Thing) int {
	_ = fmt.Sprint(t.note)
	return t.double() + helper(1)
}
`,
	"src/c.go": `package src

import "strings"

// Parse makes a thing.
func Parse(s string) *Thing { return &Thing{N: len(trim(s)), note: s} }

// trim is Parse's helper.
func trim(s string) string { return strings.TrimSpace(s) }

func use() int { return Run(Parse("x")) }
`,
	"src/a_test.go": `package src

import "testing"

func TestHelper(t *testing.T) {
	if helper(2) != 4 {
		t.Fatal(helper(2))
	}
}
`,
	"src/b_test.go": `package src

import "testing"

func TestRun(t *testing.T) {
	if use() != 4 {
		t.Fatal(use())
	}
}
`,
	"src/ext_test.go": `package src_test

import (
	"testing"

	"example.com/m/src"
)

func TestParse(t *testing.T) {
	if src.Parse("ab").N != 2 {
		t.Fatal()
	}
}
`,
	"user/u.go": `package user

import "example.com/m/src"

// U runs a parsed thing (see src/a.go).
func U() int {
	contract := 1
	return src.Run(src.Parse("x")) + contract
}
`,
}

func toyPlan() *Plan {
	return &Plan{
		Source:   "src",
		Packages: []Package{{Name: "contract", Doc: "// Package contract is the toy contract.\n"}},
		Files: map[string]string{
			"a.go": "contract/a.go", "b.go": "src/b.go", "c.go": "src/c.go",
			"a_test.go": "contract/a_test.go", "b_test.go": "src/b_test.go", "ext_test.go": "contract/ext_test.go",
		},
		Decls:   map[string]string{"c.go:Parse": "contract/parse.go"},
		Aliases: map[string]string{"contract": "ct"},
	}
}

func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestSplitToy splits the toy module and checks that the result builds,
// vets and passes its tests, that what the simulation used of the contract
// is exported and qualified, and that a shadowed package name is aliased.
func TestSplitToy(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, toyModule)
	rep, err := Split(dir, toyPlan(), false)
	if err != nil {
		var sb strings.Builder
		rep.print(&sb)
		t.Fatalf("%v\n%s", err, sb.String())
	}
	goCmd(t, dir, "vet", "./...")
	goCmd(t, dir, "test", "./...")
	for _, want := range []string{"helper -> Helper (contract/a.go)", "Thing.double -> Double (contract/a.go)", "Thing.note -> Note (contract/a.go)"} {
		if !strings.Contains(strings.Join(rep.Exported, "\n"), want) {
			t.Errorf("exported %q, want %s", rep.Exported, want)
		}
	}
	for path, want := range map[string]string{
		"src/b.go":                 "func Run(t *contract.Thing) int {\n\t_ = fmt.Sprint(t.Note)\n\treturn t.Double() + contract.Helper(1)",
		"src/contract/parse.go":    "// Parse makes a thing.\nfunc Parse(s string) *Thing { return &Thing{N: len(trim(s)), Note: s} }\n\n// trim is Parse's helper.\nfunc trim(",
		"src/contract/a.go":        "// Helper doubles x.\nfunc Helper(",
		"src/contract/doc.go":      "// Package contract is the toy contract.\npackage contract\n",
		"src/contract/ext_test.go": "package contract_test",
		"user/u.go":                "ct \"example.com/m/src/contract\"",
	} {
		got, err := os.ReadFile(filepath.Join(dir, path))
		if err != nil {
			t.Error(err)
			continue
		}
		if !strings.Contains(string(got), want) {
			t.Errorf("%s lacks %q:\n%s", path, want, got)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "user/u.go")); !strings.Contains(string(got), "ct.Parse(\"x\")") || !strings.Contains(string(got), "(see src/contract/a.go)") {
		t.Errorf("user/u.go not rewritten:\n%s", got)
	}
	if !strings.Contains(strings.Join(rep.Moved, "\n"), "c.go:trim follows its users -> contract/parse.go") {
		t.Errorf("moved %q, want trim to follow Parse", rep.Moved)
	}
	for _, gone := range []string{"src/a.go", "src/a_test.go", "src/ext_test.go"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); err == nil {
			t.Errorf("%s is still there", gone)
		}
	}
}

// TestSplitRefuses checks the rules that stop the tool before it writes
// anything: a file the plan does not place, and a contract declaration
// that would import the simulation.
func TestSplitRefuses(t *testing.T) {
	for name, tc := range map[string]struct {
		extra map[string]string
		plan  func(*Plan)
		want  string
	}{
		"unplaced file": {
			extra: map[string]string{"src/new.go": "package src\n"},
			want:  "src/new.go is not in the plan",
		},
		"contract uses the simulation": {
			plan: func(p *Plan) { p.Decls["c.go:use"] = "contract/parse.go" },
			want: "contract may not import src",
		},
		"test helper across packages": {
			extra: map[string]string{"src/h_test.go": "package src\n\nimport \"testing\"\n\nfunc four() int { return helper(2) }\n\nfunc TestFourHere(t *testing.T) { _ = four() }\n",
				"src/b_test.go": "package src\n\nimport \"testing\"\n\nfunc TestFour(t *testing.T) { _ = four() }\n"},
			plan: func(p *Plan) { p.Files["h_test.go"] = "contract/h_test.go" },
			want: "uses the test helper four",
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, toyModule)
			writeTree(t, dir, tc.extra)
			plan := toyPlan()
			if tc.plan != nil {
				tc.plan(plan)
			}
			rep, err := Split(dir, plan, false)
			if err == nil {
				t.Fatal("split without error")
			}
			if !strings.Contains(strings.Join(rep.Problems, "\n"), tc.want) {
				t.Errorf("problems %q, want one with %q", rep.Problems, tc.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "src/a.go")); err != nil {
				t.Error("a refused split changed the tree")
			}
		})
	}
}

// TestExport checks the exported spelling of names, initialisms included.
func TestExport(t *testing.T) {
	for in, want := range map[string]string{
		"helper": "Helper", "httpErrStatus": "HTTPErrStatus", "idle": "Idle",
		"ipAddr": "IPAddr", "mix64": "Mix64", "tomlFields": "TOMLFields", "id": "ID",
	} {
		if got := export(in); got != want {
			t.Errorf("export(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPoolsimPlan checks the plan's own consistency: every destination is
// well formed and names a package of the plan.
func TestPoolsimPlan(t *testing.T) {
	p := poolsimPlan()
	s := &splitter{plan: p, srcName: "model", pkgs: map[string]*Package{}}
	for i := range p.Packages {
		s.pkgs[p.Packages[i].Name] = &p.Packages[i]
	}
	for file, dest := range p.Files {
		if err := s.checkDest(dest, strings.HasSuffix(file, "_test.go")); err != nil {
			t.Errorf("Files[%q]: %v", file, err)
		}
	}
	for key, dest := range p.Decls {
		file, _, _ := strings.Cut(key, ":")
		if err := s.checkDest(dest, strings.HasSuffix(file, "_test.go")); err != nil {
			t.Errorf("Decls[%q]: %v", key, err)
		}
	}
}

// TestSplitGuess checks that with -guess a file the plan does not list
// goes with what it uses: the contract alone to the contract, anything of
// the simulation to the simulation.
func TestSplitGuess(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, toyModule)
	writeTree(t, dir, map[string]string{
		"src/d.go": "package src\n\n// Size is a thing's size.\nfunc Size(t *Thing) int { return t.N }\n",
		"src/e.go": "package src\n\n// Twice runs twice.\nfunc Twice(t *Thing) int { return 2 * Run(t) }\n",
	})
	rep, err := SplitGuessing(dir, toyPlan(), false)
	if err != nil {
		t.Fatalf("%v: %q", err, rep.Problems)
	}
	goCmd(t, dir, "vet", "./...")
	for _, path := range []string{"src/contract/d.go", "src/e.go"} {
		if _, err := os.Stat(filepath.Join(dir, path)); err != nil {
			t.Errorf("%v; warnings %q", err, rep.Warnings)
		}
	}
}

// TestSplitExtras checks the plan's other tables on the toy module: a
// rename follows every use (code, comments, documents, notebooks), a
// notebook's import lines are extended, testdata moves, and a text
// substitution applies.
func TestSplitExtras(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, toyModule)
	writeTree(t, dir, map[string]string{
		"src/testdata/in.txt": "x\n",
		"doc.md":              "Call `src.Parse` (src/a.go has Thing) with a string; the data is in src/testdata.\n",
		"nb/study.ipynb": `{"cells": [{"cell_type": "code", "source": [
    "import (\n",
    "\t\"example.com/m/src\"\n",
    ")\n",
    "n := src.Run(src.Parse(\"x\"))"
]}]}
`,
	})
	plan := toyPlan()
	plan.Renames = map[string]string{"Parse": "Read"}
	plan.Moves = [][2]string{{"src/testdata", "src/contract/testdata"}}
	plan.Texts = [][2]string{{"the data is in src/testdata", "the data is in src/contract/testdata"}}
	rep, err := Split(dir, plan, false)
	if err != nil {
		t.Fatalf("%v: %q", err, rep.Problems)
	}
	goCmd(t, dir, "vet", "./...")
	for path, want := range map[string]string{
		"src/contract/parse.go":        "// Read makes a thing.\nfunc Read(",
		"src/c.go":                     "Run(contract.Read(\"x\"))",
		"user/u.go":                    "ct.Read(\"x\")",
		"doc.md":                       "Call `contract.Read` (src/contract/a.go has Thing) with a string; the data is in src/contract/testdata.",
		"nb/study.ipynb":               "\"\\t\\\"example.com/m/src\\\"\\n\",\n    \"\\t\\\"example.com/m/src/contract\\\"\\n\",",
		"src/contract/testdata/in.txt": "x\n",
		"src/contract/ext_test.go":     "contract.Read(\"ab\")",
	} {
		got, err := os.ReadFile(filepath.Join(dir, path))
		if err != nil {
			t.Error(err)
			continue
		}
		if !strings.Contains(string(got), want) {
			t.Errorf("%s lacks %q:\n%s", path, want, got)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "nb/study.ipynb")); !strings.Contains(string(got), "src.Run(contract.Read(") {
		t.Errorf("notebook not rewritten:\n%s", got)
	}
}

// TestHelperSinks checks that an unplaced helper the simulation and the
// contract both use goes down to the contract (exported), and that one
// used only by the contract follows it unexported.
func TestHelperSinks(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, toyModule)
	writeTree(t, dir, map[string]string{
		"src/k.go": "package src\n\n// clamp bounds x.\nfunc clamp(x int) int { return min(x, 9) }\n\n// Limit is the thing's bounded N.\nfunc Limit(t *Thing) int { return clamp(t.N) }\n",
		"src/m.go": "package src\n\n// Bounded bounds n.\nfunc Bounded(n int) int { return clamp(n) }\n",
	})
	plan := toyPlan()
	plan.Files["k.go"] = "src/k.go"
	plan.Files["m.go"] = "contract/m.go"
	rep, err := Split(dir, plan, false)
	if err != nil {
		t.Fatalf("%v: %q", err, rep.Problems)
	}
	goCmd(t, dir, "vet", "./...")
	for path, want := range map[string]string{
		"src/contract/m.go": "// Clamp bounds x.\nfunc Clamp(x int) int",
		"src/k.go":          "return contract.Clamp(t.N)",
	} {
		got, err := os.ReadFile(filepath.Join(dir, path))
		if err != nil || !strings.Contains(string(got), want) {
			t.Errorf("%s lacks %q (%v):\n%s", path, want, err, got)
		}
	}
}
