package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/poolsim/poolsim/experiments"
)

const mergeUsage = `poolsim merge -o DIR SHARD_DIR... [flags]

Merges the shards of a sweep ("poolsim sweep FILE --shards N --shard-index I
-o SHARD_DIR", one per shard) into DIR: the same results.csv, summary.csv,
compare.csv and charts, byte for byte, as one sweep of the whole experiment
would have written, with experiment.toml, scenario.toml and a journal of
every run.

The experiment is read from the first shard's directory (its experiment.toml
and scenario.toml, as run): the original files need not be at hand. Every
shard must be of the same experiment file, scenario and poolsim version, and
together the shards must hold every run; merge checks both before it writes
anything. Like sweep, it refuses to replace an earlier sweep in DIR without
--force.

Example:

	poolsim merge -o out/recycle out/recycle/shard-*`

// runMerge implements "poolsim merge".
func runMerge(c *cli, args []string) int {
	f := newFlagSet("merge", mergeUsage)
	var (
		dir   = f.String("o", "", "write the merged sweep into `DIR` (required)")
		force = f.Bool("force", false, "replace the results of an earlier sweep in DIR")
	)
	pos, status, stop := f.parse(c, args)
	if stop {
		return status
	}
	if *dir == "" {
		return f.usageError(c, "-o DIR is required: the directory to write the merged sweep into")
	}
	if len(pos) == 0 {
		return f.usageError(c, "no shard directories to merge")
	}
	out := *dir
	for _, d := range pos {
		if sameDir(d, out) {
			return c.errorf("-o %s is a shard directory given to merge: merge into another directory", out)
		}
	}
	e, err := checkShards(pos)
	if err != nil {
		return c.errorf("cannot merge: %v", err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return c.errorf("%v", err)
	}
	lock, err := experiments.LockDir(out)
	if err != nil {
		return c.errorf("%v", err)
	}
	defer lock.Unlock()
	if err := experiments.CheckOutputDir(out); err != nil {
		return c.errorf("%v", err)
	}
	if !*force {
		if old := experiments.EarlierSweep(out); old != "" {
			return c.errorf("%s holds an earlier sweep (%s): --force replaces it", out, old)
		}
	} else if err := experiments.RemoveSweep(out); err != nil {
		return c.errorf("%v", err)
	}
	res, err := experiments.Merge(e, out, pos...)
	if err != nil {
		return c.errorf("cannot merge: %v", err)
	}
	fmt.Fprintf(c.stdout, "merged %d shard directories: %d runs\n\n", len(pos), len(e.Points())*e.Replications)
	return c.finishSweep(res, out)
}

// sameDir reports whether a and b name the same existing directory.
func sameDir(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

// shard is one directory given to merge.
type shard struct {
	dir     string
	journal *experiments.Journal
}

// checkShards loads the experiment from the first shard directory and
// checks that every directory holds runs of it and that together they
// hold every run, so that merge fails before it writes anything. Its
// errors name the directory, the shard, or the first missing run.
func checkShards(dirs []string) (*experiments.Experiment, error) {
	for _, d := range dirs {
		st, err := os.Stat(d)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%s: no such directory", d)
			}
			return nil, err
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("%s is not a directory: want the output directory of a shard", d)
		}
		if _, err := os.Stat(filepath.Join(d, experiments.JournalFile)); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s has no %s: is it the output directory of \"poolsim sweep --shards\"?", d, experiments.JournalFile)
		}
	}
	h, _, err := experiments.ReadRunHeader(dirs[0])
	if err != nil {
		return nil, err
	}
	if h.Precision {
		return nil, fmt.Errorf("%s is a sweep to a precision target (--precision), which does not run in shards", dirs[0])
	}
	e, err := experiments.LoadRun(dirs[0])
	if err != nil {
		return nil, err
	}
	fp := e.Fingerprint()
	shards := make([]shard, len(dirs))
	for i, d := range dirs {
		j, err := experiments.ReadJournal(d)
		if err != nil {
			return nil, err
		}
		if j.Fingerprint != fp {
			return nil, fmt.Errorf("%s holds runs of another experiment than %s: %s", d, dirs[0], runDifference(dirs[0], d))
		}
		shards[i] = shard{dir: d, journal: j}
	}

	total := len(e.Points()) * e.Replications
	have := make([]bool, total)
	n := 0
	for _, s := range shards {
		for _, r := range s.journal.Runs {
			if r.Run < total && !have[r.Run] {
				have[r.Run] = true
				n++
			}
		}
	}
	if n == total {
		return e, nil
	}
	first := slices.Index(have, false)
	p := e.Points()[first%len(e.Points())]
	msg := fmt.Sprintf("%d of %d runs missing, the first run %d (%s, replication %d)", total-n, total, first, p, first/len(e.Points()))
	return nil, errors.New(msg + ": " + missingShards(e, shards, first))
}

// missingShards explains which shard lacks run first: one not given, or
// one given but unfinished.
func missingShards(e *experiments.Experiment, shards []shard, first int) string {
	n := shards[0].journal.Shards
	for _, s := range shards {
		if s.journal.Shards != n {
			return "the directories hold shards of different splits (--shards); give every shard of one split"
		}
	}
	if n <= 1 {
		return fmt.Sprintf("the sweep is unfinished: complete it with \"poolsim sweep %s -o %s --resume\"", e.File, shards[0].dir)
	}
	total := len(e.Points()) * e.Replications
	// Shard i of n runs the block [total·i/n, total·(i+1)/n).
	idx := 0
	for idx+1 < n && first >= total*(idx+1)/n {
		idx++
	}
	var given []int
	for _, s := range shards {
		if !slices.Contains(given, s.journal.ShardIndex) {
			given = append(given, s.journal.ShardIndex)
		}
	}
	slices.Sort(given)
	var missing []string
	for i := range n {
		if !slices.Contains(given, i) {
			missing = append(missing, strconv.Itoa(i))
		}
	}
	switch {
	case len(missing) == 1:
		return fmt.Sprintf("shard %s of %d is missing (the directories given hold %s)", missing[0], n, shardList(given))
	case len(missing) > 1:
		return fmt.Sprintf("shards %s of %d are missing (the directories given hold %s)", strings.Join(missing, ", "), n, shardList(given))
	}
	var dirs []string
	for _, s := range shards {
		if s.journal.ShardIndex == idx {
			dirs = append(dirs, s.dir)
		}
	}
	return fmt.Sprintf("shard %d of %d (%s) is unfinished: complete it with \"poolsim sweep %s --shards %d --shard-index %d -o %s --resume\"",
		idx, n, strings.Join(dirs, ", "), e.File, n, idx, dirs[0])
}

// shardList writes shard indices for a message: "shards 0 and 2".
func shardList(idx []int) string {
	s := make([]string, len(idx))
	for i, v := range idx {
		s[i] = strconv.Itoa(v)
	}
	if len(s) == 1 {
		return "shard " + s[0]
	}
	return "shards " + strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// runDifference says how the sweeps in directories a and b differ: the
// poolsim version, the experiment file or the scenario.
func runDifference(a, b string) string {
	ha, srcA, errA := experiments.ReadRunHeader(a)
	hb, srcB, errB := experiments.ReadRunHeader(b)
	if errA != nil || errB != nil {
		return "their fingerprints differ"
	}
	var diffs []string
	if ha.Version != hb.Version || ha.StreamScheme != hb.StreamScheme {
		diffs = append(diffs, fmt.Sprintf("they were run by poolsim %s and %s", ha.Version, hb.Version))
	}
	if !bytes.Equal(srcA, srcB) {
		diffs = append(diffs, fmt.Sprintf("the experiment files differ (%s, %s)", ha.File, hb.File))
	}
	scA, errA := os.ReadFile(filepath.Join(a, experiments.ScenarioFile))
	scB, errB := os.ReadFile(filepath.Join(b, experiments.ScenarioFile))
	if errA == nil && errB == nil && !bytes.Equal(scA, scB) {
		diffs = append(diffs, fmt.Sprintf("the scenarios differ (%s, %s)", ha.ScenarioFile, hb.ScenarioFile))
	}
	if len(diffs) == 0 {
		return "their fingerprints differ"
	}
	return strings.Join(diffs, "; ")
}
