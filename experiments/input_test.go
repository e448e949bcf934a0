package experiments

import (
	"fmt"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/model/scenario"
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

// TestSameWordsForSameFault: a value of the wrong type, an unknown key and
// a value out of range read the same in an experiment file as in a
// scenario (they once said "want an integer, not a string" in one and
// "want an integer, got the string" in the other).
func TestSameWordsForSameFault(t *testing.T) {
	for _, c := range []struct{ scenario, experiment string }{
		{"[pool]\nthreads = \"many\"\n", "replications = \"many\"\n"},
		{"[pool]\nthreads = 1.5\n", "seed = 1.5\n"},
		{"[pool]\nthreads = -1\n", "replications = -1\n"},
		{"horizn = \"1h\"\n", "replicatons = 3\n"},
	} {
		_, serr := scenario.Decode("s.toml", []byte(c.scenario))
		_, eerr := parse("e.toml", []byte("scenario = \"small.toml\"\n"+c.experiment), "testdata", fakeSim(fakeRun))
		if serr == nil || eerr == nil {
			t.Fatalf("no error: %v / %v", serr, eerr)
		}
		// The words after the value: "want an integer, got a string".
		words := func(err error) string {
			line, _, _ := strings.Cut(err.Error(), "\n")
			i := strings.LastIndex(line, ": ")
			return line[i+2:]
		}
		sw, ew := words(serr), words(eerr)
		sw = strings.Split(sw, " between ")[0] // the ranges differ
		ew = strings.Split(ew, " between ")[0]
		sw = strings.Split(sw, "; did you mean")[0]
		ew = strings.Split(ew, "; did you mean")[0]
		if sw != ew {
			t.Errorf("scenario says %q, experiment says %q", sw, ew)
		}
	}
}
