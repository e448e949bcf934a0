package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/poolsim/poolsim/experiments"
	"github.com/poolsim/poolsim/plots"
)

// Rule (output directory): a sweep never follows a symbolic link inside
// its output directory: a dangling results.csv, --resume over a link to an
// outside file, a charts/ link to another directory, --force among links.
func TestSweepNeverFollowsLinksInOutput(t *testing.T) {
	outside := t.TempDir()
	victim := filepath.Join(outside, "victim.csv")
	if err := os.WriteFile(victim, []byte("precious\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	chart := filepath.Join(outside, "keep.png")
	if err := os.WriteFile(chart, []byte("png"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		plant func(dir string) error
		args  []string
	}{
		{"dangling results.csv", func(dir string) error {
			return os.Symlink(filepath.Join(outside, "created.csv"), filepath.Join(dir, "results.csv"))
		}, nil},
		{"resume over a link", func(dir string) error {
			if err := os.WriteFile(filepath.Join(dir, "journal.jsonl"), []byte("{}\n"), 0o644); err != nil {
				return err
			}
			return os.Symlink(victim, filepath.Join(dir, "results.csv"))
		}, []string{"--resume"}},
		{"charts link", func(dir string) error { return os.Symlink(outside, filepath.Join(dir, "charts")) }, nil},
		{"force with charts link", func(dir string) error { return os.Symlink(outside, filepath.Join(dir, "charts")) }, []string{"--force"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := c.plant(dir); err != nil {
				t.Fatal(err)
			}
			status, _, stderr := poolsim(t, append([]string{"sweep", smallSweep, "-o", dir, "-q"}, c.args...)...)
			if status == 0 || !strings.Contains(stderr, "symbolic link") {
				t.Errorf("exit %d, stderr %q", status, stderr)
			}
			if _, err := os.Lstat(filepath.Join(outside, "created.csv")); err == nil {
				t.Error("the sweep created a file outside its output directory")
			}
			if readFile(t, victim) != "precious\n" || readFile(t, chart) != "png" {
				t.Error("the sweep changed a file outside its output directory")
			}
		})
	}
}

// Rule (overwrite protection): a directory holding only the tables or
// charts of an earlier sweep is refused without --force; --resume with no
// journal refuses rather than starting over; a torn journal is not
// advised to --resume.
func TestSweepOverwriteProtection(t *testing.T) {
	for _, c := range []struct {
		name, file, content string
		args                []string
		want, notWant       string
	}{
		{"summary only", "summary.csv", "variant\n", nil, "--force replaces it", ""},
		{"compare only", "compare.csv", "variant\n", nil, "--force replaces it", ""},
		{"charts only", "charts/x.png", "png", nil, "--force replaces it", ""},
		{"resume without journal", "results.csv", "other experiment\n", []string{"--resume"}, "nothing to resume", ""},
		{"empty journal", "journal.jsonl", "", nil, "cannot be resumed", "--resume"},
		{"torn header", "journal.jsonl", "{\"journ", nil, "cannot be resumed", "--resume"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, c.file)
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, []byte(c.content), 0o644); err != nil {
				t.Fatal(err)
			}
			status, _, stderr := poolsim(t, append([]string{"sweep", smallSweep, "-o", dir, "-q"}, c.args...)...)
			if status != 1 || !strings.Contains(stderr, c.want) || c.notWant != "" && strings.Contains(stderr, c.notWant) {
				t.Errorf("exit %d, stderr %q; want %q", status, stderr, c.want)
			}
			if readFile(t, path) != c.content {
				t.Errorf("%s was changed", c.file)
			}
		})
	}
}

// --resume into a directory that does not exist refuses and leaves none.
func TestSweepResumeNothingLeavesNoDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	status, _, stderr := poolsim(t, "sweep", smallSweep, "-o", dir, "-q", "--resume")
	if status != 1 || !strings.Contains(stderr, "nothing to resume") {
		t.Errorf("exit %d, stderr %q", status, stderr)
	}
	if _, err := os.Lstat(filepath.Dir(dir)); err == nil {
		t.Error("a refused --resume left the directories it made")
	}
}

// Rule (lock): a sweep or merge into a directory another holds is refused,
// naming the holder's process id.
func TestSweepLockedDirectory(t *testing.T) {
	dir := t.TempDir()
	lock, err := experiments.LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	shards := runShards(t, smallSweep, t.TempDir(), 2)
	for _, args := range [][]string{{"sweep", smallSweep, "-o", dir, "-q"}, append([]string{"merge", "-o", dir}, shards...)} {
		status, _, stderr := poolsim(t, args...)
		if status != 1 || !strings.Contains(stderr, "process "+strconv.Itoa(os.Getpid())) {
			t.Errorf("%s: exit %d, stderr %q", args[0], status, stderr)
		}
	}
	lock.Unlock()
	if _, err := os.Lstat(filepath.Join(dir, experiments.LockFile)); err == nil {
		t.Error("the lock file is left behind")
	}
}

// Rule (usage): mistakes in flags exit 2, an absurd --parallel among them.
func TestSweepUsageMistakesExit2(t *testing.T) {
	for _, args := range [][]string{
		{"--parallel", "100000000"}, {"--parallel", "-1"}, {"--precision", "-1"}, {"--precision", "NaN"},
		{"--max-events", "nan"}, {"--max-events", "-5"}, {"--precision", "0.1", "--max-replications", "-1"},
	} {
		status, _, stderr := poolsim(t, append([]string{"sweep", smallSweep, "-o", t.TempDir(), "-q"}, args...)...)
		if status != exitUsage {
			t.Errorf("%v: exit %d, want 2; stderr %q", args, status, stderr)
		}
	}
}

// An experiment file named "...toml" writes into out/..., not into the
// current directory.
func TestDefaultOutputOfOddNames(t *testing.T) {
	for arg, want := range map[string]string{
		"...toml": filepath.Join("out", "..."), "dir/..toml": filepath.Join("out", "experiment"),
		".toml": filepath.Join("out", "experiment"), "a.toml": filepath.Join("out", "a"),
	} {
		if got := defaultOutput(arg, experiments.Options{}); got != want {
			t.Errorf("defaultOutput(%q) = %q, want %q", arg, got, want)
		}
	}
}

// Rule (sequential precision): a target not met within the maximum
// replications is said on stderr, with a non-zero exit.
func TestSweepPrecisionMissed(t *testing.T) {
	dir := t.TempDir()
	status, _, stderr := poolsim(t, "sweep", smallSweep, "-o", dir, "-q", "--precision", "1e-9", "--max-replications", "4")
	if status != 1 || !strings.Contains(stderr, "was not met") {
		t.Errorf("exit %d, stderr %q", status, stderr)
	}
}

// Rule (--force): the earlier sweep is replaced once the new one is
// complete: no staging directory is left, and tables of the earlier sweep
// that the new one does not write are gone.
func TestSweepForceReplaces(t *testing.T) {
	dir := t.TempDir()
	runOK(t, "sweep", smallSweep, "-o", dir, "-q")
	stale := filepath.Join(dir, "precision.csv")
	os.WriteFile(stale, []byte("old\n"), 0o644)
	runOK(t, "sweep", smallSweep, "-o", dir, "-q", "--force")
	if _, err := os.Stat(stale); err == nil {
		t.Error("--force left the earlier sweep's precision.csv")
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("%s left behind", e.Name())
		}
	}
}

// Rule (run outputs): a character device, a pipe or standard output is
// written through, never replaced; a link is followed to its file; a
// dangling link is refused; no temporary file is left.
func TestRunOutputsWriteThrough(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no fifo:", err)
	}
	got := make(chan []byte)
	go func() {
		data, _ := os.ReadFile(fifo)
		got <- data
	}()
	real := filepath.Join(dir, "real.log")
	link := filepath.Join(dir, "link.log")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(real, []byte("old"), 0o644)
	_, stdout, _ := poolsim(t, "run", small, "--trace", "/dev/null", "--httperr", fifo, "--timeseries", "-", "--json")
	if !strings.HasPrefix(stdout, "start_s,time,") {
		t.Errorf("--timeseries - did not write to standard output: %.80q", stdout)
	}
	if data := <-got; len(data) == 0 {
		t.Error("nothing written through the pipe")
	}
	if st, err := os.Lstat("/dev/null"); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a device: %v", st.Mode())
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced: %v", err)
	}
	runOK(t, "run", small, "--httperr", link)
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if readFile(t, real) == "old" {
		t.Error("the file the link names was not written")
	}
	dangling := filepath.Join(dir, "dangling")
	os.Symlink(filepath.Join(dir, "nowhere"), dangling)
	if status, _, stderr := poolsim(t, "run", small, "--trace", dangling); status != 1 || !strings.Contains(stderr, "link to nothing") {
		t.Errorf("dangling link: exit %d, %q", status, stderr)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*tmp-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// Rule (run outputs): an output on the scenario file, or two outputs on
// one path, are usage mistakes refused before anything runs.
func TestRunOutputsDistinct(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "s.toml")
	os.WriteFile(scen, []byte(readFile(t, small)), 0o644)
	out := filepath.Join(dir, "out.log")
	for _, args := range [][]string{
		{"run", scen, "--httperr", scen},
		{"run", scen, "--httperr", out, "--trace", out},
		{"run", scen, "--trace", "-", "--timeseries", "-"},
	} {
		status, _, stderr := poolsim(t, args...)
		if status != exitUsage {
			t.Errorf("%v: exit %d, stderr %q", args, status, stderr)
		}
	}
	if readFile(t, scen) != readFile(t, small) {
		t.Error("the scenario was overwritten")
	}
}

// Rule (interruption): a run stopped by its first interrupt removes its
// temporary files and writes no output.
func TestRunInterruptedLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	runContext = func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		return ctx, cancel
	}
	defer func() { runContext = defaultSweepContext }()
	status, _, stderr := poolsim(t, "run", small, "--trace", filepath.Join(dir, "t.log"), "--timeseries", filepath.Join(dir, "ts.csv"))
	if status != 1 || !strings.Contains(stderr, "interrupted") {
		t.Errorf("exit %d, stderr %q", status, stderr)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("an interrupted run left %v", ents)
	}
}

// Rule (--force): a forced sweep that fails leaves the earlier sweep as it
// was. The new sweep here is a grid of over ten thousand points, whose
// second point (retry.delay 5 s with max_delay 1 s) is invalid only in
// combination, so it fails once running.
func TestSweepForceFailureKeepsEarlier(t *testing.T) {
	dir := t.TempDir()
	runOK(t, "sweep", smallSweep, "-o", dir, "-q")
	before := readFile(t, filepath.Join(dir, "summary.csv"))
	var delays, maxDelays []string
	for i := range 101 {
		delays = append(delays, strconv.Quote(strconv.Itoa(5000+i)+"ms"))
	}
	maxDelays = append(maxDelays, `"10s"`, `"1s"`)
	for i := range 98 {
		maxDelays = append(maxDelays, strconv.Quote(strconv.Itoa(11+i)+"s"))
	}
	src := "scenario = \"" + filepath.Join(mustAbs(t, "testdata"), "small.toml") + "\"\nreplications = 1\n[overrides]\n\"retry.policy\" = \"exponential\"\n" +
		"[[sweep]]\nkey = \"retry.delay\"\nvalues = [" + strings.Join(delays, ", ") + "]\n" +
		"[[sweep]]\nkey = \"retry.max_delay\"\nvalues = [" + strings.Join(maxDelays, ", ") + "]\n"
	exp := filepath.Join(t.TempDir(), "big.toml")
	os.WriteFile(exp, []byte(src), 0o644)
	status, _, stderr := poolsim(t, "sweep", exp, "-o", dir, "-q", "--force")
	if status != 1 || !strings.Contains(stderr, "max_delay") {
		t.Fatalf("exit %d, stderr %q", status, stderr)
	}
	if readFile(t, filepath.Join(dir, "summary.csv")) != before {
		t.Error("the failed --force sweep changed the earlier sweep's summary.csv")
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("%s left behind", e.Name())
		}
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Rule (budget): --interval 1ns is refused before the run for its rows,
// whether they stream to a file or are held for --plot.
func TestRunTinyIntervalRefused(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--timeseries", filepath.Join(dir, "ts.csv")},
		{"--plot", filepath.Join(dir, "charts")},
	} {
		status, _, stderr := poolsim(t, append([]string{"run", small, "--interval", "1ns"}, args...)...)
		if status != 1 || !strings.Contains(stderr, "time-series rows") {
			t.Errorf("%v: exit %d, stderr %q", args, status, stderr)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("a refused run left %v", ents)
	}
}

// Rule (trace): the trace stops at its bound, saying so on its last line.
func TestTraceBounded(t *testing.T) {
	var b strings.Builder
	l := &limitWriter{w: &b, left: 10}
	for range 5 {
		if n, err := l.Write([]byte("abcd\n")); n != 5 || err != nil {
			t.Fatalf("Write: %d, %v", n, err)
		}
	}
	if got := b.String(); !strings.HasPrefix(got, "abcd\nabcd\n\n… trace cut at") || strings.Count(got, "trace cut") != 1 {
		t.Errorf("trace %q", got)
	}
}

// The chart kinds are listed once, by experiments (ChartKinds), and plots
// draws every one of them: they are passed through as they are
// (report.ChartsOf).
func TestChartKindsAgree(t *testing.T) {
	dir := t.TempDir()
	runOK(t, "sweep", smallSweep, "-o", dir, "-q")
	for _, kind := range experiments.ChartKinds() {
		charts := []plots.Chart{{Title: "kind " + kind, Y: "rate_503", Kind: kind}}
		// This sweep has no numeric axis for a line chart to need; what
		// matters is that plots knows the kind.
		if _, err := plots.Draw(dir, charts, plots.About{}); err != nil && strings.Contains(err.Error(), "unknown kind") {
			t.Errorf("kind %q: %v", kind, err)
		}
	}
}
