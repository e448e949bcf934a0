package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poolsim/poolsim/model/scenario"
)

// TestSummarize checks the Student-t interval against a textbook value:
// three observations 1, 2, 3 have mean 2, s = 1 and t(0.975, 2) = 4.303,
// so the half-width is 4.303/√3 = 2.484.
func TestSummarize(t *testing.T) {
	s := summarize([]float64{1, 2, 3}, 0.95)
	if s.mean != 2 || math.Abs(s.half-2.4842) > 1e-3 {
		t.Errorf("summarize(1, 2, 3) = %+v, want mean 2, half-width 2.484", s)
	}
	if s := summarize([]float64{5}, 0.95); s.half != 0 || s.n != 1 {
		t.Errorf("one observation: %+v, want no half-width", s)
	}
}

// TestVerdict: the verdict follows the paired interval, a gated metric
// fails when it disagrees or cannot be judged.
func TestVerdict(t *testing.T) {
	mk := func(n int, mean, half float64, gated bool) row {
		return row{paired: summary{n: n, mean: mean, half: half}, real: summary{n: n, mean: 1}, sim: summary{n: 40, mean: 1}, gated: gated}
	}
	tests := []struct {
		name   string
		r      row
		prefix string
		failed bool
	}{
		{"inside", mk(3, 0.05, 0.1, true), "agrees", false},
		{"inside but too wide, gated", mk(3, 0.05, 0.6, true), "agrees", true},
		{"inside but too wide, not gated", mk(3, 0.05, 0.6, false), "agrees", false},
		{"outside gated", mk(3, 0.2, 0.1, true), "DISAGREES", true},
		{"outside not gated", mk(3, -0.2, 0.1, false), "DISAGREES", false},
		{"one run gated", mk(1, 0, 0, true), "too few", true},
		{"both zero", row{paired: summary{n: 3}, real: summary{n: 3}, sim: summary{n: 40}, gated: true}, "agrees (both 0)", false},
	}
	for _, tt := range tests {
		v, failed := verdict(tt.r, 0.5)
		if !strings.HasPrefix(v, tt.prefix) || failed != tt.failed {
			t.Errorf("%s: %q, failed %v; want %q…, failed %v", tt.name, v, failed, tt.prefix, tt.failed)
		}
	}
}

// TestWriteDoc replaces only the text between the markers, and refuses a
// file without them.
func TestWriteDoc(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "v.md")
	os.WriteFile(p, []byte("head\n"+beginMark+"\nold\n"+endMark+"\ntail\n"), 0o644)
	if err := writeDoc(p, "new\n"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if want := "head\n" + beginMark + "\n\nnew\n" + endMark + "\ntail\n"; string(b) != want {
		t.Errorf("got %q, want %q", b, want)
	}
	os.WriteFile(p, []byte("no markers"), 0o644)
	if err := writeDoc(p, "x"); err == nil {
		t.Error("a file without markers was accepted")
	}
}

// TestResolution: a count can differ by one event at the horizon, a rate by
// one request; times have no floor.
func TestResolution(t *testing.T) {
	runs := []realRun{{Metrics: map[string]float64{"arrivals": 800}}, {Metrics: map[string]float64{"arrivals": 1200}}}
	for _, tt := range []struct {
		metric string
		want   float64
	}{{"recycles", 1}, {"crashes", 1}, {"rate_503", 1.0 / 1000}, {"response_mean_s", 0}} {
		if got := resolution(tt.metric, runs); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("resolution(%s) = %g, want %g", tt.metric, got, tt.want)
		}
	}
}

// TestCasesSayTheirCrashSignal checks that every case's scenario says the
// signal its real application crashes with: a crashing class's
// crash_signal matches the case's CRASH_SIGNAL, so that poolsim's
// emergency restart counts the crashes php-fpm counts.
func TestCasesSayTheirCrashSignal(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "cases", "*.toml"))
	if len(files) == 0 {
		t.Fatal("no cases")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".toml")
		if _, err := loadSpec(filepath.Join("..", "cases"), name); err != nil {
			t.Error(err)
		}
	}
	sc := &scenario.Scenario{Classes: map[string]*scenario.Class{"app": {Crash: 0.01, CrashSignal: "segv"}}}
	if checkCrashSignal(sc, "9") == nil || checkCrashSignal(sc, "11") != nil {
		t.Error("a SIGSEGV class against CRASH_SIGNAL 9 and 11: want an error, then none")
	}
}

// TestMeasuredCalibrationIsPooledOverRequests checks the calibration: the
// worker's hold beyond service is the turnaround plus the application's
// overrun, and the client's path is pre + post − turnaround, each pooled
// over the counted requests of the clean runs (each run's figure weighted
// by its count); too few requests leave the scenario's own value.
func TestMeasuredCalibrationIsPooledOverRequests(t *testing.T) {
	us := time.Microsecond
	run := func(turn, over, nTurn, pre, nPre, post, nPost float64) realRun {
		return realRun{Facts: map[string]float64{"turnaround_ms_mean": turn, "app_overrun_ms_mean": over, "turnaround_n": nTurn,
			"pre_ms_p50": pre, "pre_n": nPre, "post_ms_mean": post, "post_n": nPost}}
	}
	tests := []struct {
		runs []realRun
		want calibration
		ok   bool
	}{
		// turnaround (0.5*30 + 1.0*10)/40 = 0.625, overrun (0.1*30 + 0.2*10)/40 = 0.125: hold 0.75 ms;
		// pre (0.4*30 + 0.8*10)/40 = 0.5, post (0.3*60 + 0.6*20)/80 = 0.375: path 0.5 + 0.375 − 0.625 = 0.25 ms.
		{[]realRun{run(0.5, 0.1, 30, 0.4, 30, 0.3, 60), run(1.0, 0.2, 10, 0.8, 10, 0.6, 20)}, calibration{750 * us, 250 * us}, true},
		{[]realRun{run(0.8, 0.1, 100, 0.2, 50, 0.3, 100)}, calibration{900 * us, -300 * us}, true},
		{[]realRun{run(0.5, 0.1, 19, 1, 100, 1, 100)}, calibration{}, false},
		{[]realRun{run(0.5, 0.1, 100, 1, 19, 1, 100)}, calibration{}, false},
		{[]realRun{run(0.5, 0.1, 100, 1, 100, 1, 19)}, calibration{}, false},
		{nil, calibration{}, false},
	}
	for i, tc := range tests {
		got, ok := measuredCalibration(tc.runs)
		if got != tc.want || ok != tc.ok {
			t.Errorf("case %d: measuredCalibration = %+v, %v; want %+v, %v", i, got, ok, tc.want, tc.ok)
		}
	}
}

// TestGateConfidenceIsBonferroni checks that under -ci each of the k gated
// comparisons is judged at 1 − (1 − confidence)/k.
func TestGateConfidenceIsBonferroni(t *testing.T) {
	dir := t.TempDir()
	for name, env := range map[string]string{"a": "GATE=\"rate_503 rate_abandoned response_mean_s\"\n", "b": "GATE=throughput_rps\n", "c": "# no gate\n"} {
		if err := os.WriteFile(filepath.Join(dir, name+".env"), []byte(env), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := gateConfidence(options{cases: dir, conf: 0.95}, []string{"a", "b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 - 0.05/4; math.Abs(got-want) > 1e-12 {
		t.Errorf("gateConfidence = %v, want %v", got, want)
	}
}
