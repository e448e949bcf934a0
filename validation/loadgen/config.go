package main

import (
	"fmt"
	"io"
	"time"

	"github.com/poolsim/poolsim/model/scenario"
)

// printConfig writes, as shell assignments for lib.sh, the real server's
// configuration that the scenario's server table describes (server =
// "php-fpm" with [php_fpm], or "gunicorn" with [gunicorn]): the suite
// configures the real server from the same file poolsim reads. An operator
// recycle in [events] becomes the server's reload signal at that time.
func printConfig(w io.Writer, sc *scenario.Scenario) error {
	secs := func(d scenario.Duration) string { return fmt.Sprintf("%ds", int64(d.T().Duration()/time.Second)) }
	var sig string
	switch sc.Server {
	case "php-fpm":
		f := sc.PHPFPM
		if f.PM != "static" {
			return fmt.Errorf("php_fpm.pm = %q: the suite runs pm = static", f.PM)
		}
		fmt.Fprintf(w, "SERVER=php-fpm\nWORKERS=%d\nBACKLOG=%d\nMAX_REQUESTS=%d\nTERMINATE=%s\n",
			f.MaxChildren, f.ListenBacklog, f.MaxRequests, secs(f.RequestTerminateTimeout))
		fmt.Fprintf(w, "FPM_ER_THRESHOLD=%d\nFPM_ER_INTERVAL=%s\nFPM_PCT=%s\n",
			f.EmergencyRestartThreshold, secs(f.EmergencyRestartInterval), secs(f.ProcessControlTimeout))
		sig = "USR2"
	case "gunicorn":
		g := sc.Gunicorn
		if g.Threads != 1 {
			return fmt.Errorf("gunicorn.threads = %d: the suite runs sync workers (threads = 1)", g.Threads)
		}
		fmt.Fprintf(w, "SERVER=gunicorn\nWORKERS=%d\nBACKLOG=%d\nMAX_REQUESTS=%d\nGUNICORN_TIMEOUT=%d\nGUNICORN_GRACEFUL=%d\n",
			g.Workers, g.Backlog, g.MaxRequests, int64(g.Timeout.T().Duration()/time.Second), int64(g.GracefulTimeout.T().Duration()/time.Second))
		if g.MaxRequestsJitter != 0 {
			return fmt.Errorf("gunicorn.max_requests_jitter = %d: the suite replays no jitter (its draws are gunicorn's own)", g.MaxRequestsJitter)
		}
		sig = "HUP"
	default:
		return fmt.Errorf("server = %q: the suite runs php-fpm or gunicorn", sc.Server)
	}
	signal := ""
	for _, name := range sortedKeys(sc.Events) {
		e := sc.Events[name]
		if e.Action != "recycle" {
			return fmt.Errorf("events.%s.action = %q: the suite replays only \"recycle\" (the server's reload)", name, e.Action)
		}
		if signal != "" {
			return fmt.Errorf("events: the suite replays one reload per run")
		}
		signal = fmt.Sprintf("%s@%dms", sig, e.At.T().Duration().Milliseconds())
	}
	fmt.Fprintf(w, "SIGNAL=%s\n", signal)
	return nil
}
