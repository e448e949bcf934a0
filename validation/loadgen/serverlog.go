package main

import (
	"bufio"
	"io"
	"regexp"
	"strconv"
	"time"
)

// ServerEvent is one worker-lifecycle line of the server's own log.
type ServerEvent struct {
	At   time.Time
	Kind string // start, crash_kill, crash_segv, term, exit, timeout_kill, emergency_restart, reload
	PID  int
	// Elapsed is, for php-fpm's timeout_kill, the time since the child
	// accepted the request as the master states it ("execution timed out
	// (1.313951 sec)"); 0 otherwise.
	Elapsed time.Duration
}

var (
	fpmLine = regexp.MustCompile(`^\[(\d\d-\w{3}-\d{4} \d\d:\d\d:\d\d\.\d{6})\] \w+: pid \d+, \w+\(\), line \d+: (.*)$`)
	fpmKind = []struct {
		re   *regexp.Regexp
		kind string
	}{
		{regexp.MustCompile(`child (\d+) started`), "start"},
		{regexp.MustCompile(`child (\d+) exited on signal 9 `), "crash_kill"},
		{regexp.MustCompile(`child (\d+) exited on signal (11|7) `), "crash_segv"},
		{regexp.MustCompile(`child (\d+) exited on signal (15|3) `), "term"},
		{regexp.MustCompile(`child (\d+) exited with code`), "exit"},
		{regexp.MustCompile(`child (\d+), script .* execution timed out \((\d+\.\d+) sec\)`), "timeout_kill"},
		{regexp.MustCompile(`failed processes threshold .* initiating reload`), "emergency_restart"},
		{regexp.MustCompile(`received SIGUSR2`), "reload"},
		{regexp.MustCompile(`ready to handle connections`), "ready"},
		{regexp.MustCompile(`sending signal 15 SIGTERM to child (\d+)`), "sigterm_sent"},
		{regexp.MustCompile(`reloading: execvp`), "exec"},
	}
	gunLine = regexp.MustCompile(`^(\d+\.\d+) \[(\d+)\] \[\w+\] (.*)$`)
	gunKind = []struct {
		re   *regexp.Regexp
		kind string
	}{
		{regexp.MustCompile(`Booting worker with pid: (\d+)`), "start"},
		{regexp.MustCompile(`Worker with pid (\d+) was terminated due to signal 9$`), "crash_kill"},
		{regexp.MustCompile(`Worker with pid (\d+) was terminated due to signal (11|7)$`), "crash_segv"},
		{regexp.MustCompile(`Worker with pid (\d+) was terminated due to signal`), "term"},
		{regexp.MustCompile(`WORKER TIMEOUT \(pid:(\d+)\)`), "timeout_kill"},
		{regexp.MustCompile(`Autorestarting worker after current request`), "exit"},
		{regexp.MustCompile(`Handling signal: hup`), "reload"},
	}
)

// ParseServerLog reads php-fpm's (log_level = debug, microsecond times) or
// gunicorn's log (the suite's format: Unix time with microseconds).
func ParseServerLog(server string, r io.Reader) ([]ServerEvent, error) {
	var out []ServerEvent
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		var at time.Time
		var msg string
		kinds := fpmKind
		switch server {
		case "php-fpm":
			m := fpmLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			t, err := time.ParseInLocation("02-Jan-2006 15:04:05.000000", m[1], time.Local)
			if err != nil {
				continue
			}
			at, msg = t, m[2]
		case "gunicorn":
			m := gunLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			f, _ := strconv.ParseFloat(m[1], 64)
			at, msg = time.Unix(0, int64(f*1e9)), m[3]
			kinds = gunKind
			if k := gunKind[5]; k.re.MatchString(msg) { // logged by the worker itself
				pid, _ := strconv.Atoi(m[2])
				out = append(out, ServerEvent{At: at, Kind: k.kind, PID: pid})
				continue
			}
		}
		for _, k := range kinds {
			if m := k.re.FindStringSubmatch(msg); m != nil {
				ev := ServerEvent{At: at, Kind: k.kind}
				if len(m) > 1 {
					ev.PID, _ = strconv.Atoi(m[1])
				}
				if ev.Kind == "timeout_kill" && len(m) > 2 {
					sec, _ := strconv.ParseFloat(m[2], 64)
					ev.Elapsed = time.Duration(sec * 1e9)
				}
				out = append(out, ev)
				break
			}
		}
	}
	return markReloads(out), sc.Err()
}

// markReloads renames the exits and starts of a whole-pool reload (php-fpm:
// from an emergency restart or SIGUSR2 to "ready to handle connections"),
// gunicorn: 2 s from SIGHUP, which has no end line), so that they count
// as the reload's, not as crashes or recycles.
func markReloads(evs []ServerEvent) []ServerEvent {
	var until time.Time
	for i := range evs {
		switch evs[i].Kind {
		case "emergency_restart", "reload":
			until = evs[i].At.Add(2 * time.Second)
		case "ready":
			until = time.Time{}
		case "start", "exit", "term", "crash_kill":
			if evs[i].At.Before(until) {
				evs[i].Kind += "_in_reload"
			}
		}
	}
	return evs
}
