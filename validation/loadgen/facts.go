package main

import (
	"sort"
	"time"
)

// facts measures, from one run, the server behaviours that poolsim's
// presets depend on:
//   - log_crash_to_start_ms: from the master logging a crashed worker's
//     exit to the log line of its replacement's start (php-fpm: "child N
//     started", logged by the master after fork; gunicorn: "Booting
//     worker", logged by the new worker before it initialises): the
//     master's part of a respawn, not the downtime (facts.sh measures that);
//   - log_exit_to_start_ms: the same after a normal exit (php-fpm: after
//     the master reaped the child, so without the child's own shutdown;
//     gunicorn: from the exiting worker's "Autorestarting" line);
//   - log_timeout_to_start_ms: from the execution limit's kill line
//     ("execution timed out", "WORKER TIMEOUT") to the replacement's start;
//   - downtime_ms: a worker's replacement's downtime, from the client's
//     view (see downtimes);
//   - abandoned_unfaulted: requests that asked for no fault yet were
//     abandoned (killed in a worker that another request's fault or a
//     reload took down);
//   - latency_over_service_ms_p10: the 10th percentile of a 200's latency
//     beyond its service time: the cost of a request that did not wait
//     (generator, nginx, the server's accept and parsing);
//   - overhead_ms_mean, overhead_n: the mean of the same over the 200s
//     that were sent while fewer requests than the pool's workers were in
//     flight (see freeWorkerRequests): the per-request cost as the client
//     sees it, when no worker was down;
//   - pre_ms_p50, pre_n: the median, over the same requests less those
//     sent while a worker was down (downSpans), of the time from the send
//     to the application's start (nginx, the server's accept and parsing);
//     a median, because a worker's death the generator cannot see (a
//     reload) still makes some of them wait;
//   - post_ms_mean, post_n: the mean, over every unfaulted 200, of the
//     time from the application's end to the client's receipt of the
//     answer (writing it, nginx, the generator), which no wait contains;
//   - turnaround_ms_mean, turnaround_n: the worker's own time between two
//     requests when the next was already waiting (see turnarounds), and
//     app_overrun_ms_mean: the application's hold beyond its service (the
//     scheduler's overrun): together the time a request holds its worker
//     beyond its service, which compare uses as pool.request_overhead;
//   - hang_end_s_*: when a hanging request ended for its client (the
//     execution limit's kill, as the client sees it), after its send: it
//     includes the request's wait for a worker, which poolsim predicts
//     too, so compare it with poolsim's requests, not with the rule alone;
//   - kill_elapsed_s_*: php-fpm's own figure at each execution-limit kill,
//     the time since the child accepted the request (the rule's range for
//     a 1 s limit is [1, 1.333) s);
//   - kill_to_end_ms_p50, _max: from the server's kill line ("execution
//     timed out", "WORKER TIMEOUT") to the end of the hanging request it
//     ended, as the client saw it: how long the killed worker's requests
//     outlive the kill.
func facts(server string, workers int, plan []Request, rr *runResult, events []ServerEvent, reasons map[int]string) map[string]float64 {
	f := map[string]float64{"abandoned_unfaulted": 0}
	logGapFacts(f, events)

	var hangEnds, extra []float64
	for i := range plan {
		rq, res := &plan[i], &rr.results[i]
		if res.status == 502 && rq.Fault == FaultNone && reasons[rq.ID] == reasonWorkerDied {
			f["abandoned_unfaulted"]++
		}
		if res.status == 200 && rq.Fault == FaultNone {
			extra = append(extra, (res.latency-rq.Service).Seconds()*1e3)
		}
		if rq.Fault == FaultHang && reasons[rq.ID] == reasonWorkerDied {
			hangEnds = append(hangEnds, res.latency.Seconds())
		}
	}
	f["latency_over_service_ms_p10"] = quantile(extra, 0.1)
	costFacts(f, workers, plan, rr)
	f["hang_end_n"] = float64(len(hangEnds))
	killFacts(f, plan, rr, events, reasons)
	f["hang_end_s_mean"] = mean(hangEnds)
	f["hang_end_s_min"] = quantile(hangEnds, 0)
	f["hang_end_s_max"] = quantile(hangEnds, 1)
	reloadFacts(f, server, events)
	toExit, exitToTerm := wakeups(events)
	f["reload_to_first_exit_ms"] = mean(toExit)
	f["first_exit_to_sigterm_ms_min"] = quantile(exitToTerm, 0)
	f["first_exit_to_sigterm_ms_max"] = quantile(exitToTerm, 1)
	f["downtime_ms_mean"], f["downtime_ms_p50"], f["downtime_n"] = downtimes(plan, rr)
	if !rr.signalAt.IsZero() {
		f["signal_at_s"] = rr.signalAt.Sub(rr.start).Seconds()
		// The pool's pause: the longest span around the signal with no
		// request completing 200.
		f["reload_gap_ms"] = completionGap(plan, rr, rr.signalAt) * 1e3
	}
	return f
}

// logGapFacts: from the server's log line of a worker's end (crash, exit,
// execution-limit kill) to the next worker's start line.
func logGapFacts(f map[string]float64, events []ServerEvent) {
	var crashGaps, exitGaps, timeoutGaps []float64
	for i, ev := range events {
		var gaps *[]float64
		switch ev.Kind {
		case "crash_kill", "crash_segv", "term":
			gaps = &crashGaps
		case "exit":
			gaps = &exitGaps
		case "timeout_kill":
			gaps = &timeoutGaps
		default:
			continue
		}
		for _, next := range events[i+1:] {
			if next.Kind == "start" {
				*gaps = append(*gaps, next.At.Sub(ev.At).Seconds()*1e3)
				break
			}
		}
	}
	f["log_crash_to_start_ms_mean"], f["log_crash_to_start_n"] = mean(crashGaps), float64(len(crashGaps))
	f["log_crash_to_start_ms_max"] = quantile(crashGaps, 1)
	f["log_exit_to_start_ms_mean"], f["log_exit_to_start_n"] = mean(exitGaps), float64(len(exitGaps))
	f["log_exit_to_start_ms_max"] = quantile(exitGaps, 1)
	f["log_timeout_to_start_ms_mean"] = mean(timeoutGaps)
}

// costFacts: the per-request cost, as the client sees it (overhead_ms) and
// in its parts (pre, post, turnaround, overrun); compare's calibration.
func costFacts(f map[string]float64, workers int, plan []Request, rr *runResult) {
	var idle, pre, post []float64
	down := downSpans(plan, rr)
	for _, i := range freeWorkerRequests(plan, rr, workers) {
		res := &rr.results[i]
		idle = append(idle, (res.latency-plan[i].Service).Seconds()*1e3)
		if res.startUS != 0 && !down.contains(res.sent) {
			pre = append(pre, float64(res.startUS-res.sent.UnixMicro())/1e3)
		}
	}
	for i := range plan {
		if res := &rr.results[i]; res.status == 200 && plan[i].Fault == FaultNone && res.startUS != 0 {
			post = append(post, float64(res.sent.Add(res.latency).UnixMicro()-res.startUS-res.holdUS)/1e3)
		}
	}
	f["overhead_ms_mean"], f["overhead_n"] = mean(idle), float64(len(idle))
	f["pre_ms_p50"], f["pre_n"] = quantile(pre, 0.5), float64(len(pre))
	f["post_ms_mean"], f["post_n"] = mean(post), float64(len(post))
	turn, over := turnarounds(plan, rr)
	f["turnaround_ms_mean"], f["turnaround_n"] = mean(turn), float64(len(turn))
	f["app_overrun_ms_mean"] = mean(over)
}

// reloadFacts: a whole-pool reload (php-fpm: emergency restart or
// SIGUSR2) from its start to the first SIGTERM the master sends the
// children still running (process_control_timeout = 0: at its next
// wake-up), and to "ready to handle connections"; gunicorn (SIGHUP): to
// the first new worker's boot.
func reloadFacts(f map[string]float64, server string, events []ServerEvent) {
	var toTerm, toReady, execReady []float64
	for i, ev := range events {
		if ev.Kind != "emergency_restart" && ev.Kind != "reload" {
			continue
		}
		termSeen := false
		var exec time.Time
		for _, next := range events[i+1:] {
			d := next.At.Sub(ev.At).Seconds() * 1e3
			if next.Kind == "exec" {
				exec = next.At
			}
			if next.Kind == "ready" && !exec.IsZero() {
				execReady = append(execReady, next.At.Sub(exec).Seconds()*1e3)
			}
			if next.Kind == "sigterm_sent" && !termSeen {
				toTerm, termSeen = append(toTerm, d), true
			}
			if next.Kind == "ready" || next.Kind == "start_in_reload" && server == "gunicorn" {
				toReady = append(toReady, d)
				break
			}
		}
	}
	f["reload_n"] = float64(len(toReady))
	f["reload_to_sigterm_ms"] = mean(toTerm)
	f["reload_to_ready_ms"] = mean(toReady)
	f["reload_to_ready_ms_max"] = quantile(toReady, 1)
	f["reload_exec_to_ready_ms"] = mean(execReady)
}

// wakeups checks the rule of pool.shutdown_kill = "next_wakeup" on php-fpm's
// log (docs/model.md#pool-wide-reload): after an emergency restart the
// master sends SIGTERM when it next wakes up, at the first child exit. Per
// restart with a child exiting of itself (code 0: an idle child on SIGQUIT,
// a busy one that finished) before the restart's reload, it returns the
// time from the restart to that exit and from the exit to the first
// SIGTERM (the rule: about 0; slightly negative when the master woke on
// the exiting child's pipes, before it reaped the child and logged it).
func wakeups(events []ServerEvent) (toExit, exitToTerm []float64) {
	ms := func(a, b time.Time) float64 { return b.Sub(a).Seconds() * 1e3 }
	for i, ev := range events {
		if ev.Kind != "emergency_restart" {
			continue
		}
		var exit, term time.Time
		for _, next := range events[i+1:] {
			// ParseServerLog marks the exits of a reload (markReloads).
			if next.Kind == "exit_in_reload" && exit.IsZero() {
				exit = next.At
			}
			if next.Kind == "sigterm_sent" && term.IsZero() {
				term = next.At
			}
			if next.Kind == "exec" || next.Kind == "emergency_restart" {
				break
			}
		}
		if !exit.IsZero() && !term.IsZero() {
			toExit = append(toExit, ms(ev.At, exit))
			exitToTerm = append(exitToTerm, ms(exit, term))
		}
	}
	return toExit, exitToTerm
}

// completionGap is the longest interval between consecutive 200 answers
// that ends within 5 s after t.
func completionGap(plan []Request, rr *runResult, t time.Time) float64 {
	var ends []time.Time
	for i := range plan {
		if r := &rr.results[i]; r.status == 200 {
			ends = append(ends, r.sent.Add(r.latency))
		}
	}
	sortTimes(ends)
	best := 0.0
	for i := 1; i < len(ends); i++ {
		if ends[i].Before(t) || ends[i].After(t.Add(5*time.Second)) {
			continue
		}
		best = max(best, ends[i].Sub(ends[i-1]).Seconds())
	}
	return best
}

func sortTimes(t []time.Time) {
	sort.Slice(t, func(i, j int) bool { return t[i].Before(t[j]) })
}

// downtimes measures, inside a run, how long a worker's replacement took
// to take a request, from what the client saw: a worker's death is the
// moment the client got the 502 of a crashing request, or the 200 of the
// last request a worker (X-Pid) served before it went (a recycle); a new
// worker's first request started at its answer minus the hold the
// application measured. When that first request was already waiting at the
// latest death before it started, no other worker was free for it, and its
// start minus that death is the downtime (the new worker's fork and
// initialisation, and for a recycle the old one's shutdown). The initial
// workers (seen in the first second) and the last second are left out.
func downtimes(plan []Request, rr *runResult) (avg, p50, n float64) {
	type span struct {
		first, last int // request indexes
	}
	pids := map[int]*span{}
	var deaths []time.Time
	end := func(i int) time.Time { return rr.results[i].sent.Add(rr.results[i].latency) }
	var runEnd time.Time
	for i := range plan {
		res := &rr.results[i]
		if e := end(i); e.After(runEnd) {
			runEnd = e
		}
		if plan[i].Fault == FaultCrash && res.status == 502 {
			deaths = append(deaths, end(i))
		}
		if res.status != 200 || res.pid == 0 {
			continue
		}
		if sp := pids[res.pid]; sp == nil {
			pids[res.pid] = &span{first: i, last: i}
		} else if end(i).After(end(sp.last)) {
			sp.last = i
		}
	}
	start := func(i int) time.Time {
		return end(i).Add(-time.Duration(rr.results[i].holdUS) * time.Microsecond)
	}
	var newFirsts []int
	for _, sp := range pids {
		if start(sp.first).Sub(rr.start) > time.Second {
			newFirsts = append(newFirsts, sp.first)
		}
		if runEnd.Sub(end(sp.last)) > time.Second { // went before the end: recycled
			deaths = append(deaths, end(sp.last))
		}
	}
	sortTimes(deaths)
	var d []float64
	for _, i := range newFirsts {
		s := start(i)
		k := sort.Search(len(deaths), func(j int) bool { return !deaths[j].Before(s) }) - 1
		if k < 0 || !rr.results[i].sent.Before(deaths[k]) {
			continue
		}
		d = append(d, s.Sub(deaths[k]).Seconds()*1e3)
	}
	return mean(d), quantile(d, 0.5), float64(len(d))
}

// freeWorkerRequests are the unfaulted 200s sent while fewer than workers
// requests were in flight (from the generator's view: sent and not yet
// answered): unless a worker was down (exiting, starting), such a request
// found one free, so what it took beyond its service is the stack's own
// cost, not a wait.
func freeWorkerRequests(plan []Request, rr *runResult, workers int) []int {
	type edge struct {
		at   time.Time
		step int // +1 sent, -1 answered
		i    int
	}
	edges := make([]edge, 0, 2*len(plan))
	for i := range plan {
		res := &rr.results[i]
		if res.sendErr != "" || res.sent.IsZero() {
			continue
		}
		edges = append(edges, edge{res.sent, 1, i}, edge{res.sent.Add(res.latency), -1, i})
	}
	// At equal times an answer goes first: that request is no longer in flight.
	sort.Slice(edges, func(a, b int) bool {
		if !edges[a].at.Equal(edges[b].at) {
			return edges[a].at.Before(edges[b].at)
		}
		return edges[a].step < edges[b].step
	})
	var out []int
	inFlight := 0
	for _, e := range edges {
		if e.step < 0 {
			inFlight--
			continue
		}
		if inFlight < workers && rr.results[e.i].status == 200 && plan[e.i].Fault == FaultNone {
			out = append(out, e.i)
		}
		inFlight++
	}
	return out
}

// turnarounds measures what a request costs its worker beyond the
// application's hold: for two requests A and B served one after the other
// by the same worker (X-Pid), ordered by when the application started them
// (X-Start-Us), where B was sent at least 5 ms before A's application
// finished (so B was waiting in the backlog, not on its way to it), the
// gap from A's end to B's start is the worker's turnaround: writing A's
// response, closing, accepting B and parsing it. over is every unfaulted
// 200's hold beyond its service (the scheduler's overrun of the sleep),
// also worker time that the service does not include. Both in ms.
func turnarounds(plan []Request, rr *runResult) (turn, over []float64) {
	byPid := map[int][]int{}
	for i := range plan {
		res := &rr.results[i]
		if res.status != 200 || res.pid == 0 || res.startUS == 0 {
			continue
		}
		byPid[res.pid] = append(byPid[res.pid], i)
		if plan[i].Fault == FaultNone {
			over = append(over, float64(res.holdUS)/1e3-plan[i].Service.Seconds()*1e3)
		}
	}
	pids := make([]int, 0, len(byPid))
	for pid := range byPid {
		pids = append(pids, pid)
	}
	sort.Ints(pids) // a fixed order: the result does not depend on map order
	for _, pid := range pids {
		idx := byPid[pid]
		sort.Slice(idx, func(a, b int) bool { return rr.results[idx[a]].startUS < rr.results[idx[b]].startUS })
		for k := 1; k < len(idx); k++ {
			a, b := &rr.results[idx[k-1]], &rr.results[idx[k]]
			endA := a.startUS + a.holdUS
			if b.sent.UnixMicro() <= endA-5000 {
				turn = append(turn, float64(b.startUS-endA)/1e3)
			}
		}
	}
	return turn, over
}

// killFacts adds kill_elapsed_s_* and kill_to_end_ms_* (see facts).
func killFacts(f map[string]float64, plan []Request, rr *runResult, events []ServerEvent, reasons map[int]string) {
	var kills []time.Time
	var elapsed []float64
	for _, ev := range events {
		if ev.Kind != "timeout_kill" {
			continue
		}
		kills = append(kills, ev.At)
		if ev.Elapsed > 0 {
			elapsed = append(elapsed, ev.Elapsed.Seconds())
		}
	}
	sortTimes(kills)
	var lag []float64
	for i := range plan {
		res := &rr.results[i]
		if plan[i].Fault != FaultHang || reasons[plan[i].ID] != reasonWorkerDied {
			continue
		}
		// The kill line is written just before the signal; the end may
		// be logged by the client a hair earlier than the line's time.
		end := res.sent.Add(res.latency).Add(time.Millisecond)
		k := sort.Search(len(kills), func(j int) bool { return kills[j].After(end) }) - 1
		if k >= 0 {
			lag = append(lag, res.sent.Add(res.latency).Sub(kills[k]).Seconds()*1e3)
		}
	}
	if len(elapsed) > 0 {
		f["kill_elapsed_n"] = float64(len(elapsed))
		f["kill_elapsed_s_mean"] = mean(elapsed)
		f["kill_elapsed_s_min"] = quantile(elapsed, 0)
		f["kill_elapsed_s_max"] = quantile(elapsed, 1)
	}
	if len(lag) > 0 {
		f["kill_to_end_ms_p50"] = quantile(lag, 0.5)
		f["kill_to_end_ms_max"] = quantile(lag, 1)
	}
}

// spans are intervals of time.
type spans [][2]time.Time

func (s spans) contains(t time.Time) bool {
	for _, sp := range s {
		if !t.Before(sp[0]) && t.Before(sp[1]) {
			return true
		}
	}
	return false
}

// downSpans are the spans during which a worker was down, as the generator
// sees them: to the first application start of each new worker (X-Pid,
// not one of the initial ones) from the latest death before it (a crash's
// 502, or the last answer of a worker that went away: a recycle). A
// request sent then may have waited for that worker although fewer
// requests than workers were in flight. The latest death, because a
// crashed worker dies twice in this view (its last 200, then the crash's
// 502).
func downSpans(plan []Request, rr *runResult) spans {
	first := map[int]time.Time{} // per pid, its first application start
	last := map[int]time.Time{}  // per pid, its last answer
	var deaths []time.Time
	var runEnd time.Time
	for i := range plan {
		res := &rr.results[i]
		end := res.sent.Add(res.latency)
		if end.After(runEnd) {
			runEnd = end
		}
		if plan[i].Fault == FaultCrash && res.status == 502 {
			deaths = append(deaths, end)
		}
		if res.status != 200 || res.pid == 0 || res.startUS == 0 {
			continue
		}
		start := time.UnixMicro(res.startUS)
		if f, ok := first[res.pid]; !ok || start.Before(f) {
			first[res.pid] = start
		}
		if end.After(last[res.pid]) {
			last[res.pid] = end
		}
	}
	var starts []time.Time
	for pid, f := range first {
		if f.Sub(rr.start) > time.Second { // not one of the initial workers
			starts = append(starts, f)
		}
		if runEnd.Sub(last[pid]) > time.Second { // went before the end
			deaths = append(deaths, last[pid])
		}
	}
	sortTimes(deaths)
	sortTimes(starts)
	var out spans
	for _, st := range starts {
		k := sort.Search(len(deaths), func(j int) bool { return !deaths[j].Before(st) }) - 1
		if k >= 0 {
			out = append(out, [2]time.Time{deaths[k], st})
		}
	}
	return out
}
