package report

import (
	"bytes"
	"flag"
	"path/filepath"
	"testing"

	"github.com/poolsim/poolsim/internal/golden"
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
	if err := golden.Compare(filepath.Join(dir, File), got.Bytes(), *update); err != nil {
		t.Errorf("the example report is not what poolsim report draws from its tables today: %v", err)
	}
}
