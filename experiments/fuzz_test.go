package experiments

import (
	"os"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the experiment decoder: it returns an
// experiment or an error, never panics, and what it accepts has a
// consistent grid.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/two.toml", "catalog/experiments/recycle-strategies.toml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(fakeExperiment))
	f.Add([]byte("scenario = \"small.toml\"\n[variants]\nx = { \"pool.threads\" = 3, a = { b = '''\n''' } }\n[[sweep]]\nkey = \"horizon\"\nvalues = [\"1m\", \"2m\"]\n"))
	f.Add([]byte("scenario = \"small.toml\"\nsweep = [{ key = \"pool.threads\", values = [1, 2] }]\n[[chart]]\ny = \"ok\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := parse("fuzz.toml", data, "testdata", fakeSim(fakeRun))
		if err != nil {
			return
		}
		checkGrid(t, e)
	})
}

// checkGrid checks that an experiment that parsed has a label for every
// swept value and as many points as variants times swept values, and at
// least one.
func checkGrid(t *testing.T, e *Experiment) {
	t.Helper()
	n := len(e.Variants)
	for _, s := range e.Sweeps {
		n *= len(s.Values)
		if len(s.Values) != len(s.Labels) {
			t.Fatalf("sweep %s: %d values, %d labels", s.Key, len(s.Values), len(s.Labels))
		}
	}
	if len(e.Points()) != n || n == 0 {
		t.Fatalf("%d points, want %d", len(e.Points()), n)
	}
}
