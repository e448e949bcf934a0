package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/poolsim/poolsim/model/scenario"
	"github.com/poolsim/poolsim/model/serverconf"
)

const importUsage = `poolsim import CONFIG... [flags]
       poolsim import [flags] -- gunicorn ARGS...

Writes a scenario whose pool comes from a server's configuration, every
value commented with the setting (file, line, attribute) it came from, and
warns of every setting poolsim does not model. The workload is a
placeholder: "poolsim fit LOG... --base FILE" replaces it with one fitted to
the server's logs.

CONFIG is one of:

  IIS         applicationHost.config (also IIS Express's applicationhost.config):
              <applicationPools>, with <applicationPoolDefaults> merged under
              each <add> as IIS does; queueLength, enable32BitAppOnWin64,
              processModel (maxProcesses, pinging, ping interval and response
              time, startup, shutdown and idle limits), recycling (overlap, time,
              requests, memory, privateMemory, schedule), failure (rapid-fail
              protection, interval, max crashes, loadBalancerCapabilities)
  php-fpm     pool files (pool.d/www.conf) and php-fpm.conf for the global
              emergency_restart_* and process_control_timeout; pm, pm.max_children,
              spare servers, pm.max_requests, pm.process_idle_timeout,
              listen.backlog, request_terminate_timeout (server = "php-fpm")
  gunicorn    a gunicorn.conf.py of plain assignments, or a file holding a
              gunicorn command line (Procfile, systemd unit, script), or the
              command line after "--": workers, threads, backlog, timeout,
              graceful_timeout, max_requests, max_requests_jitter, bind
              (server = "gunicorn"); a computed value is reported, not evaluated

With several pools, --pool chooses one; without it the command lists them.

Examples:

	poolsim import C:\Windows\System32\inetsrv\config\applicationHost.config --pool Trend -o trend.toml
	poolsim import /etc/php/8.2/fpm/php-fpm.conf /etc/php/8.2/fpm/pool.d/www.conf -o www.toml
	poolsim import gunicorn.conf.py -o api.toml
	poolsim import -o api.toml -- gunicorn -w 4 --threads 2 app:app`

// runImport implements "poolsim import".
func runImport(c *cli, args []string) int {
	f := newFlagSet("import", importUsage)
	out := f.String("o", "", "write the scenario to `FILE` (default: standard output)")
	pool := f.String("pool", "", "the pool to import (`NAME`), when the configuration has several")
	// After "--", a gunicorn command line: keep it from the flag parser.
	var command []string
	for i, a := range args {
		if a == "--" {
			args, command = args[:i], args[i+1:]
			break
		}
	}
	pos, status, stop := f.parse(c, args)
	if stop {
		return status
	}
	var res *serverconf.Result
	var err error
	switch {
	case len(command) > 0 && len(pos) > 0:
		return f.usageError(c, "a configuration file or a command line after \"--\", not both")
	case len(command) > 0:
		res, err = serverconf.ImportGunicornArgs(command)
	case len(pos) == 0:
		return f.usageError(c, "no configuration file")
	default:
		datas := make([][]byte, len(pos))
		for i, p := range pos {
			if datas[i], err = os.ReadFile(p); err != nil {
				return c.errorf("%v", err)
			}
		}
		res, err = serverconf.Import(pos, datas, *pool)
	}
	var pe *serverconf.PoolsError
	if errors.As(err, &pe) && *out == "" {
		fmt.Fprintf(c.stdout, "%s has %d pools; choose one with --pool NAME:\n", pe.File, len(pe.Pools))
		for _, p := range pe.Pools {
			fmt.Fprintf(c.stdout, "\t%s\n", p)
		}
		return exitOK
	}
	if err != nil {
		return c.errorf("%v", err)
	}
	name := *out
	if name == "" {
		name = "imported.toml"
	}
	if _, err := scenario.Decode(name, res.Text); err != nil {
		return c.errorf("the imported scenario does not validate:\n%v", err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(c.stderr, "warning: %s\n", w)
	}
	if err := writeResult(c.stdout, *out, res.Text); err != nil {
		return c.errorf("%v", err)
	}
	if *out == "" {
		return exitOK
	}
	fmt.Fprintf(c.stderr, "wrote %s: %s pool %q, %d settings not modelled (warnings above)\n", *out, res.Server, res.Pool, len(res.Warnings))
	return exitOK
}
