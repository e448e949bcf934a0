package scenario

import (
	"bytes"
	"reflect"

	"github.com/poolsim/poolsim/internal/tomlin"
)

// Assumption is a value in effect that is poolsim's assumption rather than
// a setting of the server being modelled: no server configures it, or the
// server's documentation does not say which of two readings it follows.
// The summary of `poolsim run` lists them under "Assumed", and the
// effective scenario of a sweep records them (docs/model.md#assumptions).
type Assumption struct {
	Key   string // dotted scenario key
	Value string // as TOML writes it
	Why   string // why it is an assumption
}

// Assumptions returns the assumptions in effect in sc, in a fixed order:
// the pool's, then each class's and backend's in name order. A value that
// the server modelled sets (a php-fpm child's one request at a time, a
// gunicorn worker's threads) or that does not apply (the rapid-fail window
// of another supervisor) is not listed.
func Assumptions(sc *Scenario) []Assumption {
	text := func(v any) string { return leafText(reflect.ValueOf(v)) }
	p := &sc.Pool
	iis := sc.Server == "" || sc.Server == "iis"
	var out []Assumption
	add := func(when bool, key string, v any, why string) {
		if when {
			out = append(out, Assumption{key, text(v), why})
		}
	}
	add(iis, "pool.threads", p.Threads, "requests one worker executes at once: IIS has no such setting (the CLR thread pool and ASP.NET's limits decide)")
	add(true, "pool.startup_time", p.StartupTime, "how long the application takes to start: a property of the application, not a setting")
	add(iis, "pool.start_mode", p.StartMode, "how many workers of a web garden start at once on demand is poolsim's rule; IIS documents only that they start when requests arrive")
	add(p.Ping.Enabled, "pool.ping.answered_while_hung", p.Ping.AnsweredWhileHung, "whether a worker whose threads all hang answers pings: IIS does not document it")
	add(p.RapidFail.Enabled && p.RapidFail.Policy == "iis", "pool.rapid_fail.window", p.RapidFail.Window, "whether the failure window slides or is fixed: IIS does not document it")
	add(true, "pool.memory.base", p.Memory.Base, "a worker's private memory at start: a property of the application")
	add(iis, "pool.httperr_names", p.HTTPErrNames, "the Windows era whose HTTPERR reason names the log uses")
	add(true, "pool.drop_given_up", p.DropGivenUp, "whether a queued request whose client gave up leaves the queue: no source says")
	add(true, "lock.on_contention", sc.Lock.OnContention, "what the application does when the lock is held: a property of the application")
	if p.MaxProcesses > 1 {
		why := "which worker of a web garden takes a request: IIS's documentation says round-robin, its one shared queue also reads as least busy"
		if !iis {
			why = "which worker takes a connection: the kernel hands it to one of the workers waiting in accept() on the shared socket, which one no source says"
		}
		out = append(out, Assumption{"pool.dispatch", text(p.Dispatch), why})
	}
	out = append(out, mechanismAssumptions(sc)...)
	signals := !iis || signalsCount(p)
	for _, name := range tomlin.SortedKeys(sc.Classes) {
		if c := sc.Classes[name]; c != nil && c.Crash > 0 {
			out = append(out, Assumption{"classes." + name + ".crash_at", text(c.CrashAt), "when in the request's code a crash happens: the field reports do not say"})
			add(signals, "classes."+name+".crash_signal", c.CrashSignal, "the signal the crash kills the worker with: a property of the application (a fault in native code is SIGSEGV, the out-of-memory killer's is SIGKILL)")
		}
	}
	for _, name := range tomlin.SortedKeys(sc.Backends) {
		if b := sc.Backends[name]; b != nil {
			out = append(out, Assumption{"backends." + name + ".on_timeout", text(b.OnTimeout), "what the application does when a call times out: a property of the application"})
		}
	}
	return out
}

// signalsCount reports whether the pool's supervisor tells a crash's signal
// apart: php-fpm's emergency restart, or rapid_fail.counts = "crashes".
func signalsCount(p *Pool) bool {
	rf := p.RapidFail
	return rf.Enabled && (rf.Counts == "crashes" || rf.Counts == "supervisor" && rf.Policy == "emergency_restart")
}

// EffectiveTOML returns sc as TOML with every value in effect, defaults
// included, followed by its assumptions as comments, for a record of what
// was run (a sweep's scenario-effective.toml).
func EffectiveTOML(sc *Scenario) ([]byte, error) {
	out, err := sc.MarshalTOML()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Write(out)
	b.WriteString("\n# Assumed: values that are poolsim's assumptions rather than server settings\n")
	for _, a := range Assumptions(sc) {
		b.WriteString("#   " + a.Key + " = " + a.Value + ": " + a.Why + "\n")
	}
	return b.Bytes(), nil
}
