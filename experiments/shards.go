package experiments

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
)

// shardRange returns the runs of shard i of n among total runs: the
// contiguous block [total·i/n, total·(i+1)/n).
func shardRange(total, n, i int) (lo, hi int) {
	return total * i / n, total * (i + 1) / n
}

// shardOf returns the shard of n that runs run.
func shardOf(total, n, run int) int {
	idx := 0
	for idx+1 < n && run >= total*(idx+1)/n {
		idx++
	}
	return idx
}

// shard is one directory given to merge.
type shard struct {
	dir     string
	journal *Journal
}

// CheckShards loads the experiment from the first shard directory and
// checks that every directory holds runs of it and that together they
// hold every run, so that merge fails before it writes anything. Its
// errors name the directory, the shard, or the first missing run.
func CheckShards(dirs []string) (*Experiment, error) {
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
		if _, err := os.Stat(filepath.Join(d, JournalFile)); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s has no %s: is it the output directory of \"poolsim sweep --shards\"?", d, JournalFile)
		}
	}
	h, _, err := ReadRunHeader(dirs[0])
	if err != nil {
		return nil, err
	}
	if h.Precision {
		return nil, fmt.Errorf("%s is a sweep to a precision target (--precision), which does not run in shards", dirs[0])
	}
	e, err := LoadRun(dirs[0])
	if err != nil {
		return nil, err
	}
	if _, err := e.shardRuns(dirs); err != nil {
		return nil, err
	}
	return e, nil
}

// shardRuns reads the journals of the shard directories, checks that they
// hold runs of e and together every run, and returns the runs by index.
func (e *Experiment) shardRuns(dirs []string) (map[int][]float64, error) {
	fp := e.Fingerprint()
	shards := make([]shard, len(dirs))
	for i, d := range dirs {
		j, err := ReadJournal(d)
		if err != nil {
			return nil, err
		}
		if j.Fingerprint != fp && i == 0 {
			return nil, mismatchError(fmt.Sprintf("%s holds runs of another experiment than %s", d, e.File))
		}
		if j.Fingerprint != fp {
			return nil, mismatchError(fmt.Sprintf("%s holds runs of another experiment than %s: %s", d, dirs[0], runDifference(dirs[0], d)))
		}
		shards[i] = shard{dir: d, journal: j}
	}
	total := len(e.Points()) * e.Replications
	done := make(map[int][]float64, total)
	for _, s := range shards {
		for _, r := range s.journal.Runs {
			if r.Run < total {
				done[r.Run] = r.Values
			}
		}
	}
	if len(done) == total {
		return done, nil
	}
	first := 0
	for ; first < total; first++ {
		if _, ok := done[first]; !ok {
			break
		}
	}
	p := e.Points()[first%len(e.Points())]
	msg := fmt.Sprintf("%d of %d runs missing, the first run %d (%s, replication %d)", total-len(done), total, first, p, first/len(e.Points()))
	return nil, errors.New(msg + ": " + missingShards(e, shards, first))
}

// missingShards explains which shard lacks run first: one not given, or
// one given but unfinished.
func missingShards(e *Experiment, shards []shard, first int) string {
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
	idx := shardOf(total, n, first)
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
	ha, srcA, errA := ReadRunHeader(a)
	hb, srcB, errB := ReadRunHeader(b)
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
	scA, errA := os.ReadFile(filepath.Join(a, ScenarioFile))
	scB, errB := os.ReadFile(filepath.Join(b, ScenarioFile))
	if errA == nil && errB == nil && !bytes.Equal(scA, scB) {
		diffs = append(diffs, fmt.Sprintf("the scenarios differ (%s, %s)", ha.ScenarioFile, hb.ScenarioFile))
	}
	if len(diffs) == 0 {
		return "their fingerprints differ"
	}
	return strings.Join(diffs, "; ")
}

// mismatchError is a shard of another experiment: errors.Is(err,
// errJournalMismatch) holds.
type mismatchError string

func (e mismatchError) Error() string { return string(e) }
func (e mismatchError) Unwrap() error { return errJournalMismatch }
