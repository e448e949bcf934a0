package fit

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/poolsim/poolsim/model/scenario"
)

// BaseHead returns the part of a scenario written by poolsim import that
// fit keeps: everything before scenario.WorkloadMarker.
func BaseHead(base []byte) []byte {
	if i := bytes.Index(base, []byte(scenario.WorkloadMarker)); i >= 0 {
		return base[:i]
	}
	return base
}

// TOML writes the workload as a scenario: start and horizon covering the
// logs, head (the pool part of a scenario from poolsim import, or nothing),
// then the classes, the Poisson clients, a commented trace client and the
// [observed] table, every fitted value with a comment saying where it came
// from.
func (w *Workload) TOML(head []byte) []byte {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	names := make([]string, len(w.Files))
	for i, f := range w.Files {
		names[i] = filepath.Base(f)
	}
	p("# Workload fitted by poolsim fit from %s:\n", strings.Join(names, ", "))
	p("# %d requests and %d HTTPERR lines that arrived from %s to %s UTC.\n", w.Requests, w.HTTPErr, w.From.Format(time.DateTime), w.To.Format(time.DateTime))
	for _, n := range w.Notes {
		p("# Note: %s\n", n)
	}
	start := w.From.UTC().Truncate(time.Hour)
	hours := math.Ceil(w.To.Sub(start).Hours())
	p("start = %s   # the hour of the first arrival\n", start.Format(time.RFC3339))
	p("horizon = \"%.0fh\"   # the logs' span, to the hour\n", max(hours, 1))
	if len(head) == 0 {
		p("name = %s\n", scenario.QuoteString("workload fitted from "+strings.Join(names, ", ")))
	} else {
		b.Write(head)
	}
	p("\n%s fitted by poolsim fit ----\n", scenario.WorkloadMarker)
	p("# time-taken runs from a request's arrival in the queue to the last byte sent: it includes the\n")
	p("# time it waited and the network's. Each class's service is therefore fitted to the requests that\n")
	p("# arrived at low load (in minutes with at most %d arrivals, the quietest quarter), which waited\n", w.LowLoadMax)
	p("# least; the fit of every request follows as a comment. Candidates: exponential, lognormal, gamma,\n")
	p("# weibull, fitted by maximum likelihood and chosen by AIC (smallest); KS D is the Kolmogorov-Smirnov\n")
	p("# distance to the sample and p its p-value (conservative: the parameters were estimated).\n")
	for _, c := range w.Classes {
		w.writeClass(&b, c)
	}
	w.writeClients(&b)
	w.writeObserved(&b)
	return b.Bytes()
}

// byCount returns m's keys, the largest count first, ties by name.
func byCount(m map[string]int64) []string {
	s := make([]string, 0, len(m))
	for k := range m {
		s = append(s, k)
	}
	sort.Slice(s, func(i, j int) bool {
		if m[s[i]] != m[s[j]] {
			return m[s[i]] > m[s[j]]
		}
		return s[i] < s[j]
	})
	return s
}

func (w *Workload) writeClass(b *bytes.Buffer, c *Class) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	share := float64(c.Count) / float64(w.Requests)
	what := "paths"
	if c.Name == restClass {
		what = "every other path, such as"
	}
	p("\n[classes.%s]   # %d requests (%.1f%%); %s %s\n", c.Name, c.Count, 100*share, what, strings.Join(byCount(c.Paths), ", "))
	chosen, label := c.LowLoad, fmt.Sprintf("low load, n = %d", len(c.low.x))
	if chosen == nil {
		chosen, label = c.All, fmt.Sprintf("every request, n = %d", len(c.all.x))
		if c.All != nil {
			p("# Only %d requests at low load (fewer than %d): fitted to every request, which overstates the service time by the waits.\n", len(c.low.x), minLowLoad)
		}
	}
	if chosen == nil {
		p("service = \"1ms\"   # a placeholder: the logs have no time-taken for this class\n")
		return
	}
	best := chosen.Best()
	dist, _ := best.Dist.MarshalTOML()
	p("service = %s   # %s by AIC; KS D = %.4f, p = %.2g (%s)\n", readableDurations(string(dist)), best.Dist.Kind, best.KS, best.KSP, label)
	if chosen.Warning != "" {
		p("# Warning: %s. Consider dist = \"empirical\" or replaying the log (kind = \"trace\").\n", chosen.Warning)
	}
	p("# candidates (%s):\n", label)
	for _, cand := range chosen.Candidates {
		d, _ := cand.Dist.MarshalTOML()
		p("#   %-60s AIC %12.1f   KS D %.4f   p %.2g\n", readableDurations(string(d)), cand.AIC, cand.KS, cand.KSP)
	}
	if c.LowLoad != nil && c.All != nil {
		all := c.All.Best()
		d, _ := all.Dist.MarshalTOML()
		p("# every request (n = %d): %s, mean %s against %s at low load\n", len(c.all.x), readableDurations(string(d)),
			scenario.Duration(all.Dist.Expected()), scenario.Duration(best.Dist.Expected()))
	}
}

func (w *Workload) writeClients(b *bytes.Buffer) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	total := float64(w.Requests + w.HTTPErr)
	for _, c := range w.Classes {
		share := float64(c.Count) / float64(w.Requests)
		p("\n[clients.%s]\nkind = \"poisson\"\nclass = %s\n", c.Name, scenario.QuoteString(c.Name))
		p("rate = %s   # per second: the class's share (%.1f%%) of the %d arrivals (HTTPERR lines included) over %s\n",
			sig4(w.Rate*share), 100*share, int64(total), w.To.Sub(w.From).Round(time.Second))
		if len(w.Profile) > 0 {
			pts := make([]string, len(w.Profile))
			for i, pt := range w.Profile {
				t, _ := pt.MarshalTOML()
				pts[i] = string(t)
			}
			p("profile = [%s]   # the logs' rate in each hour of the day (UTC) over the mean\n", strings.Join(pts, ", "))
		}
		if paths := byCount(c.Paths); len(paths) > 0 && strings.HasPrefix(paths[0], "/") && !strings.ContainsAny(paths[0], " \t") {
			p("uri = %s\n", scenario.QuoteString(paths[0]))
		}
	}
	switch {
	case w.OverDispersed():
		p("# Note: the arrivals per minute vary %.2g times as much as Poisson arrivals would (index of dispersion; Poisson: 1 ± %.2g):\n", w.Dispersion, w.DispersionSE)
		p("# they come in bursts that these Poisson clients smooth out, so queues and 503s will be understated.\n")
		p("# Replay the log itself to keep the bursts (below).\n")
	case w.DispersionSE > 0:
		p("# The arrivals per minute vary as Poisson arrivals would (index of dispersion %.2g; Poisson: 1 ± %.2g).\n", w.Dispersion, w.DispersionSE)
	}
	abs := func(file string) string {
		if a, err := filepath.Abs(file); err == nil {
			return a
		}
		return file
	}
	p("\n# To replay the log's own arrivals and paths instead, replace the clients above with:\n")
	p("# [clients.replay]\n# kind = \"trace\"\n# file = %s\n", scenario.QuoteString(abs(w.AccessFiles[0])))
	if len(w.HTTPErrFiles) > 0 {
		p("# httperr = %s   # its requests arrived too: the 503s, expiries and abandoned ones\n", scenario.QuoteString(abs(w.HTTPErrFiles[0])))
	}
	p("# class = %q   # for paths without a class of their own\n", restClass)
	if len(w.AccessFiles) > 1 || len(w.HTTPErrFiles) > 1 {
		p("# (A trace client reads one access log and one HTTPERR log: concatenate the days' files,\n# W3C logs may be, to replay them all.)\n")
	}
}

func (w *Workload) writeObserved(b *bytes.Buffer) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	o := w.Observed
	p("\n[observed]   # what the logs recorded: poolsim run compares the simulated outcomes with it\n")
	p("from = %s\nto = %s\n", w.From.UTC().Format(time.RFC3339), w.To.UTC().Format(time.RFC3339))
	p("ok = %d   # access log: status 1xx-3xx\n", o.OK)
	p("error = %d   # access log: status 5xx (a 503 in the access log is the application's, such as 503.2)\n", o.Error)
	p("not_modelled = %d   # access log: status 4xx\n", o.NotModelled)
	p("rejected_queue_full = %d   # HTTPERR: QueueFull\n", o.RejectedQueueFull)
	p("rejected_app_offline = %d   # HTTPERR: AppOffline\n", o.RejectedAppOffline)
	p("expired = %d   # HTTPERR: Timer_ReqQueue (Timer_AppPool)\n", o.Expired)
	p("abandoned = %d   # HTTPERR: Connection_Abandoned_By_ReqQueue (_AppPool)\n", o.Abandoned)
	p("httperr_other = %d   # HTTPERR: other reasons\n", o.HTTPErrOther)
	p("# By status.substatus:")
	for _, k := range slices.Sorted(maps.Keys(w.Statuses)) {
		p(" %s: %d;", k, w.Statuses[k])
	}
	p("\n")
	if len(w.Reasons) > 0 {
		p("# HTTPERR reasons per day (UTC):\n")
	}
	for _, d := range slices.Sorted(maps.Keys(w.Reasons)) {
		rs := w.Reasons[d]
		p("#   %s", d)
		for _, r := range slices.Sorted(maps.Keys(rs)) {
			p("  %s %d", r, rs[r])
		}
		p("\n")
	}
}

// sig4 writes x with four significant digits, as a TOML float.
func sig4(x float64) string {
	s := fmt.Sprintf("%.4g", x)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}
