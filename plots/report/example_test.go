package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the committed example report, docs/examples/recycle-strategies/report.html")

// The committed example report is what poolsim report draws today from the
// committed tables of the shipped experiment (go test -run Example -update
// redraws it; "poolsim sweep recycle-strategies -o
// docs/examples/recycle-strategies --report" from the repository's root
// makes the tables anew).
func TestExampleReport(t *testing.T) {
	root := filepath.Join("..", "..")
	dir := filepath.Join(root, "docs", "examples", "recycle-strategies")
	s, err := LoadSweep(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Dir = "docs/examples/recycle-strategies" // as named from the root, in the command shown
	p, err := sweepPage(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := render(&got, p); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, File)
	if *update {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("%s is not what poolsim report draws from its tables today (go test ./plots/report -run Example -update redraws it)", path)
	}
}
