package scenario

// uWSGI's cheaper subsystem in the [uwsgi] table (docs/model.md, "uWSGI's
// cheaper subsystem"): the settings checked as uWSGI 2.0 checks them
// (core/init.c, sanitize_args; core/master.c, the algorithm's lookup) and
// translated into the pool's spawn mode (spawn.go, model/cheaper.go).

// enumCheaperAlgo are the cheaper algorithms poolsim models: uWSGI 2.0's
// built-in ones but manual (driven by the master FIFO).
var enumCheaperAlgo = []string{"spare", "backlog"}

// cheaperOnly are the [uwsgi] keys that mean nothing with cheaper = 0.
var cheaperOnly = []string{"cheaper_initial", "cheaper_step", "cheaper_algo", "cheaper_overload"}

// presetCheaper checks the cheaper settings and sets the pool's spawn mode
// and start_mode from them; p.MaxProcesses is already set (processes).
func (d *scenarioDecoder) presetCheaper(u *UWSGI, p *Pool, s preset) {
	k := func(n string) []string { return []string{"uwsgi", n} }
	if !d.intRange(k("cheaper"), int64(u.Cheaper), 0, maxProcesses) {
		return
	}
	if u.Cheaper == 0 {
		// core/init.c: cheaper_count == 0 switches the subsystem off, and
		// the master forks every process at start and one for each that
		// exits.
		for _, n := range cheaperOnly {
			if d.given(k(n)) {
				d.warnf(k(n), d.written[keyString(k(n))], "has no effect without cheaper: uWSGI runs every process (core/init.c)")
			}
		}
		s.set([]string{"start_mode"}, "", func() { p.StartMode = "all_at_once" })
		return
	}
	ok := true
	if u.Cheaper >= p.MaxProcesses {
		// core/init.c: "invalid cheaper value: must be lower than processes".
		d.errorf(k("cheaper"), intText(int64(u.Cheaper)), "must be lower than processes (%d): uWSGI refuses to start (core/init.c)", p.MaxProcesses)
		ok = false
	}
	if !contains(enumCheaperAlgo, u.CheaperAlgo) {
		// uWSGI falls back to spare for a name it does not know; poolsim
		// refuses it rather than run another algorithm than the one asked.
		d.errorf(k("cheaper_algo"), QuoteString(u.CheaperAlgo),
			"must be one of %s: uWSGI 2.0's algorithms (busyness, a plugin, and spare2, on uWSGI's master branch only, are not modelled)", quoteList(enumCheaperAlgo))
		ok = false
	}
	if u.CheaperStep < 1 || u.CheaperStep > maxProcesses {
		d.errorf(k("cheaper_step"), intText(int64(u.CheaperStep)), "must be between 1 and %d: the workers forked at a time (uWSGI's unset 0 forks one)", maxProcesses)
		ok = false
	}
	// spare cheaps every cheaper-overload checks (idle_count %
	// cheaper_overload): 0 would divide by zero in uWSGI's master. backlog
	// compares the queue with it, where 0 is a threshold like another.
	switch {
	case u.CheaperOverload == 0 && u.CheaperAlgo != "backlog":
		d.errorf(k("cheaper_overload"), "0", "must be at least 1 for spare, which cheaps every cheaper_overload checks (0 would divide by zero in uWSGI's master); 0 is allowed for backlog")
		ok = false
	default:
		ok = d.intRange(k("cheaper_overload"), int64(u.CheaperOverload), 0, maxQueueLength) && ok
	}
	ok = d.intRange(k("cheaper_initial"), int64(u.CheaperInitial), 0, maxProcesses) && ok
	if !ok {
		return
	}
	// core/init.c: an unset cheaper-initial is cheaper; one out of
	// [cheaper, processes] is warned about and moved into it.
	initial := u.CheaperInitial
	switch {
	case initial == 0:
		initial = u.Cheaper
	case initial < u.Cheaper:
		d.warnf(k("cheaper_initial"), intText(int64(initial)), "is below cheaper: uWSGI warns and starts %d workers (core/init.c)", u.Cheaper)
		initial = u.Cheaper
	case initial > p.MaxProcesses:
		d.warnf(k("cheaper_initial"), intText(int64(initial)), "is above processes: uWSGI warns and starts %d workers (core/init.c)", p.MaxProcesses)
		initial = p.MaxProcesses
	}
	unix := socketIsUnix(u.Socket)
	if u.CheaperAlgo == "backlog" && unix {
		d.warnf(k("cheaper_algo"), QuoteString(u.CheaperAlgo), "reads the listen queue of TCP sockets only (uWSGI docs; core/master.c, master_check_listen_queue): on the unix socket %s it reads 0, so it never forks a worker and cheaps down to cheaper", u.Socket)
	}
	p.Spawn = Spawn{Mode: u.CheaperAlgo, Start: initial, Min: u.Cheaper, Step: u.CheaperStep, Overload: u.CheaperOverload, UnixSocket: unix}
	// The master forks cheaper-initial workers at start, not every process.
	s.set([]string{"start_mode"}, "cheaper", func() { p.StartMode = "on_demand" })
}

// validateSpawn checks a cheaper spawn mode built without the [uwsgi]
// table (a scenario made in Go): the bounds the preset guarantees.
func (d *scenarioDecoder) validateSpawn(p *Pool) {
	sp := p.Spawn
	if sp.Mode != "spare" && sp.Mode != "backlog" {
		return
	}
	path := []string{"pool", "spawn"}
	lo := 1
	if sp.Mode == "backlog" {
		lo = 0
	}
	if sp.Min < 1 || sp.Min >= p.MaxProcesses || sp.Start < sp.Min || sp.Start > p.MaxProcesses || sp.Step < 1 || sp.Overload < lo {
		d.errorf(path, "", "%s wants 1 <= Min < max_processes (%d), Min <= Start <= max_processes, Step >= 1 and Overload >= %d: got %+v", sp.Mode, p.MaxProcesses, lo, sp)
	}
}
