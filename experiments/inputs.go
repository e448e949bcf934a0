package experiments

import (
	"bufio"
	"fmt"
	"path/filepath"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/internal/tomlin"
	"github.com/poolsim/poolsim/model/scenario"
)

// writeInputs writes the files as run: experiment.toml (the experiment file
// under a comment header recording the poolsim version, the random-stream
// scheme, the fingerprint and any sequential-precision target) and
// scenario.toml (the base scenario, byte for byte), and
// scenario-effective.toml (the base scenario with every value in effect,
// defaults included, and poolsim's assumptions listed).
func (e *Experiment) writeInputs(dir string, precision float64, metric string, maxReps int) error {
	err := writeAtomic(filepath.Join(dir, ExperimentFile), func(w *bufio.Writer) error {
		fmt.Fprintf(w, "# poolsim %s\n", e.version())
		fmt.Fprintf(w, "# stream scheme: %s\n", engine.StreamScheme)
		fmt.Fprintf(w, "# fingerprint: %s\n", e.Fingerprint())
		// A name that is not printable text (a newline …) is quoted, so that
		// it cannot break the comment.
		fmt.Fprintf(w, "# experiment %s, scenario %s (as run: %s)\n", tomlin.SafeName(filepath.Base(e.File)), tomlin.SafeName(filepath.Base(e.ScenarioFile)), ScenarioFile)
		if precision > 0 {
			fmt.Fprintf(w, "# sequential precision: replications until the %g%% half-width of %s is within %g of its mean, at most %d\n", 100*e.Confidence, metric, precision, maxReps)
		}
		fmt.Fprintln(w)
		_, err := w.Write(e.source)
		return err
	})
	if err != nil {
		return err
	}
	err = writeAtomic(filepath.Join(dir, ScenarioFile), func(w *bufio.Writer) error {
		_, err := w.Write(e.scenarioData)
		return err
	})
	if err != nil {
		return err
	}
	sc, err := e.sim.decode(e.ScenarioFile, e.scenarioData, nil)
	if err != nil || sc == nil {
		return err
	}
	eff, err := scenario.EffectiveTOML(sc)
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, EffectiveScenarioFile), func(w *bufio.Writer) error {
		fmt.Fprintf(w, "# %s as run by poolsim %s: every value in effect, defaults included\n", tomlin.SafeName(filepath.Base(e.ScenarioFile)), e.version())
		_, err := w.Write(eff)
		return err
	})
}
