package experiments

import (
	"fmt"
	"strings"
	"testing"
)

// TestParseManyProblemsCapped: an experiment with hundreds of bad variants
// lists the first hundred problems, each once, and a line naming the file
// counts the rest.
func TestParseManyProblemsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("scenario = \"small.toml\"\n")
	for i := range 300 {
		fmt.Fprintf(&b, "[variants.v%d]\n\"pool.thredas\" = %d\n", i, i)
	}
	_, err := Parse("exp.toml", []byte(b.String()), "testdata")
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 101 || lines[100] != "exp.toml: 200 more problems not listed (only the first 100 are)" {
		t.Fatalf("%d lines, the last %q", len(lines), lines[len(lines)-1])
	}
	for i, l := range lines[:100] {
		if want := fmt.Sprintf("exp.toml:%d: variants.v%d: pool.thredas = %d: unknown key", 3+2*i, i, i); !strings.HasPrefix(l, want) {
			t.Fatalf("line %d: %q, want %q…", i, l, want)
		}
	}
}

// TestConfidenceBounds: the confidence levels accepted are those for which
// every interval is a number (0.9999999999999999 gave NaN intervals for
// metrics without variance).
func TestConfidenceBounds(t *testing.T) {
	for _, c := range []struct {
		v  string
		ok bool
	}{{"0.5", true}, {"0.95", true}, {"0.999", true}, {"0.49", false}, {"0.9995", false}, {"0.9999999999999999", false}, {"nan", false}, {"inf", false}, {"1", false}} {
		_, err := parse("exp.toml", []byte("scenario = \"small.toml\"\nconfidence = "+c.v+"\n"), "testdata", fakeSim(fakeRun))
		if (err == nil) != c.ok {
			t.Errorf("confidence = %s: error %v, want ok %v", c.v, err, c.ok)
		}
	}
}
