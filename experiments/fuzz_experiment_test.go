package experiments

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseExperiment feeds arbitrary bytes to Parse with the real scenario
// decoder, against a directory holding the scenarios the seeds name. Parse
// returns an experiment or an error, never panics; an error is a message
// that names the experiment file; an experiment has a
// consistent grid and parses again from its source to the same fingerprint.
//
// The seeds are the experiments of testdata/, the shipped catalog and the
// command line's catalogue of bad files (cmd/poolsim/testdata/bad), so a
// plain "go test" runs them all.
func FuzzParseExperiment(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{
		"testdata/*.toml",
		"catalog/experiments/*.toml",
		"../cmd/poolsim/testdata/*.toml",
		"../cmd/poolsim/testdata/bad/*/*.toml",
		"../model/scenario/testdata/scenarios/bad/*.toml",
	} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, files...)
	}
	if len(seeds) < 10 {
		f.Fatalf("only %d seeds", len(seeds))
	}
	for _, name := range seeds {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("scenario = \"small.toml\"\n[variants]\nx = { \"pool.threads\" = 3, a = { b = '''\n''' } }\n[[sweep]]\nkey = \"horizon\"\nvalues = [\"1m\", \"2m\"]\n"))
	f.Add([]byte("scenario = \"small.toml\"\nsweep = [{ key = \"pool.threads\", values = [1, 2] }]\n[[chart]]\ny = \"ok\"\n"))
	f.Add([]byte("\xef\xbb\xbfscenario = \"small.toml\"\n"))
	// Nesting far deeper than any experiment, and huge counts.
	deep := 10_000
	f.Add([]byte("scenario = \"small.toml\"\n[variants.a]\nx = " + strings.Repeat("[", deep) + strings.Repeat("]", deep)))
	f.Add([]byte("scenario = \"small.toml\"\n[variants]\na = " + strings.Repeat("{b = ", deep) + "1" + strings.Repeat("}", deep)))
	f.Add([]byte("scenario = \"small.toml\"\n[" + strings.Repeat("variants.", deep) + "x]\n"))
	f.Add([]byte("scenario = \"small.toml\"\n" + strings.Repeat("overrides.", deep) + "x = 1\n"))
	f.Add([]byte("scenario = \"small.toml\"\nreplications = 9223372036854775807\nseed = 9223372036854775807\nconfidence = 0.9999999999999999\n"))
	f.Add([]byte("scenario = \"small.toml\"\n[[sweep]]\nkey = \"pool.threads\"\nvalues = [" + strings.Repeat("1, ", 3000) + "2]\n"))
	var many strings.Builder
	many.WriteString("scenario = \"small.toml\"\n")
	for i := range 2000 {
		fmt.Fprintf(&many, "[variants.v%d]\n\"pool.thredas\" = %d\n", i, i)
	}
	f.Add([]byte(many.String()))

	// The scenarios the seeds name, under the names they use.
	base := f.TempDir()
	small, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range []string{"small.toml", "ok/small.toml"} {
		p := filepath.Join(base, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(p, small, 0o644); err != nil {
			f.Fatal(err)
		}
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Parse("fuzz.toml", data, base)
		if err != nil {
			msg := err.Error()
			if strings.TrimSpace(msg) == "" {
				t.Fatalf("empty error message for %q", data)
			}
			// Each error is a line that names the file; a TOML syntax
			// error may quote a newline of the input.
			if !strings.HasPrefix(msg, "fuzz.toml") {
				t.Fatalf("the error does not name the file:\n%s", msg)
			}
			return
		}
		checkGrid(t, e)
		if !bytes.Equal(e.Source(), bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))) {
			t.Fatal("Source() is not the file parsed")
		}
		again, err := Parse("fuzz.toml", e.Source(), base)
		if err != nil {
			t.Fatalf("parses once, not twice: %v", err)
		}
		if again.Fingerprint() != e.Fingerprint() {
			t.Fatal("the fingerprint changed between two parses")
		}
	})
}
