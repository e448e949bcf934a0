// Command loadgen drives a real pool (nginx in front of php-fpm or gunicorn,
// on 127.0.0.1) with the workload of one poolsim replication, request by
// request, and reports what happened in poolsim's outcome and metric names.
//
//	loadgen -scenario validation/cases/fpm-load90.toml -replication 0 \
//	        -url http://127.0.0.1:18461/php -server php-fpm -run /tmp/run0 -out results/x/run0
//
// Each request is GET URL?id=N&s=MICROSECONDS[&crash=SIGNAL][&hang=1]. After
// the run it reads nginx's error log (RUN/nginx-error.log) to tell why each
// 502 happened, and the server's log (RUN/php-fpm.log or RUN/gunicorn.log)
// for worker starts, crashes and recycles. It writes OUT/requests.csv (one
// row per request) and OUT/run.json (the metrics, the checks of the
// classification and the measures of disturbance, with a verdict on whether
// the run is clean). It only ever connects to 127.0.0.1.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/poolsim/poolsim/model/scenario"
)

func main() {
	var o options
	flag.StringVar(&o.scenario, "scenario", "", "poolsim scenario `FILE` describing the real configuration and workload")
	flag.Uint64Var(&o.replication, "replication", 0, "replication whose random streams give the workload")
	flag.StringVar(&o.url, "url", "", "base `URL` of the application, on 127.0.0.1")
	flag.StringVar(&o.server, "server", "php-fpm", "php-fpm | gunicorn: which log to read")
	flag.StringVar(&o.runDir, "run", "", "`DIR` holding the servers' logs of this run")
	flag.StringVar(&o.out, "out", "", "`DIR` for requests.csv and run.json")
	flag.IntVar(&o.crashSignal, "crash-signal", 9, "signal a crashing request sends its worker (9 SIGKILL, 11 SIGSEGV)")
	flag.StringVar(&o.signal, "signal", "", "`SIG@T`: send SIG (HUP, USR2) to the server's master at T into the run (a reload under load)")
	flag.IntVar(&o.maxRequests, "max-requests", 50000, "refuse a workload larger than this")
	flag.DurationVar(&o.maxDuration, "max-duration", 2*time.Minute, "refuse a horizon longer than this")
	flag.DurationVar(&o.noTimeout, "cap", 60*time.Second, "client timeout for a client that has none")
	flag.Float64Var(&o.gateLagMS, "gate-lag-ms", 5, "a run whose p99 send lag exceeds this is disturbed")
	flag.Float64Var(&o.gateProbeMS, "gate-probe-ms", 5, "a run whose p99 scheduler overrun (1 ms sleeps in the generator) exceeds this is disturbed")
	flag.Float64Var(&o.gateAppMS, "gate-app-ms", 50, "a run whose p99 overrun of the application's hold exceeds this is disturbed (the server's own work, such as forking, delays its sleeps too, which is the server's behaviour)")
	config := flag.Bool("config", false, "print the real server's settings that -scenario describes, as shell assignments, and exit")
	flag.Parse()
	if *config {
		sc, err := scenario.DecodeFile(o.scenario)
		if err == nil {
			err = printConfig(os.Stdout, sc)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

type options struct {
	scenario, url, server, runDir, out, signal string
	replication                                uint64
	crashSignal, maxRequests                   int
	maxDuration, noTimeout                     time.Duration
	gateLagMS, gateProbeMS, gateAppMS          float64
}

func run(o options) error {
	if o.scenario == "" || o.url == "" || o.runDir == "" || o.out == "" {
		return fmt.Errorf("-scenario, -url, -run and -out are required")
	}
	if err := checkLocal(o.url); err != nil {
		return err
	}
	sc, err := scenario.DecodeFile(o.scenario)
	if err != nil {
		return err
	}
	if h := sc.Horizon.T().Duration(); h > o.maxDuration {
		return fmt.Errorf("%s: horizon %v is longer than -max-duration %v", o.scenario, h, o.maxDuration)
	}
	plan, err := Plan(sc, o.replication)
	if err != nil {
		return fmt.Errorf("%s: %w", o.scenario, err)
	}
	if len(plan) > o.maxRequests {
		return fmt.Errorf("%s: %d requests, more than -max-requests %d", o.scenario, len(plan), o.maxRequests)
	}
	sig, err := parseSignal(o.signal, filepath.Join(o.runDir, pidFile(o.server)))
	if err != nil {
		return err
	}
	res := drive(o, plan, sig)
	rep, err := report(o, sc, plan, res)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	if err := writeRequests(filepath.Join(o.out, "requests.csv"), plan, res); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(o.out, "run.json"), rep); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "loadgen: %s rep %d: %d requests, ok %.0f, rejected %.0f, abandoned %.0f, client_timeout %.0f, unclassified %.0f; clean=%v %s\n",
		filepath.Base(o.scenario), o.replication, len(plan), rep.Metrics["ok"], rep.Metrics["rejected_queue_full"],
		rep.Metrics["abandoned"], rep.Metrics["client_timeout"], rep.Metrics["unclassified"], rep.Clean, rep.Disturbed)
	return nil
}

func pidFile(server string) string {
	if server == "gunicorn" {
		return "gunicorn.pid"
	}
	return "php-fpm.pid"
}
