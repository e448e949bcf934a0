package scenario

// Spawn is how a server's master keeps its workers (docs/model.md,
// "Servers"), set by the server presets from the server's own setting
// (php-fpm's pm; gunicorn and uWSGI pre-fork): it has no key of its own.
//
//   - "" (IIS): WAS starts a worker on demand, one at a time, when work
//     waits and none can take it (model/queue.go, maybeStart).
//   - static (php-fpm pm = static, gunicorn's arbiter, uWSGI's master): all
//     max_processes workers start at time 0, and a worker that ends is
//     replaced at once (fpm_children_bury → fpm_children_make; gunicorn
//     manage_workers; measured for php-fpm: the replacement of a crashed
//     child is forked at once).
//   - dynamic (php-fpm pm = dynamic): Start workers at time 0; once a
//     second (php-fpm's idle-server maintenance) one idle worker is stopped
//     when more than MaxSpare are idle, and workers are forked when fewer
//     than MinSpare are idle, as many at a time as the spawn rate, which
//     starts at 1 and doubles each second while it is needed, up to 32
//     (pm.max_spawn_rate); a worker that ends is replaced at once.
//   - ondemand (php-fpm pm = ondemand): no worker at start; a worker is
//     forked for each connection waiting when none is idle, up to
//     max_processes; idle ones exit after idle_timeout
//     (process_idle_timeout).
//   - spare, backlog (uWSGI's cheaper subsystem with that cheaper-algo,
//     model/cheaper.go): Start workers at time 0 (cheaper-initial); once a
//     second the master's algorithm forks up to Step workers or cheaps the
//     oldest idle one, never below Min (cheaper); a worker that ends other
//     than by being cheaped is replaced at once. spare forks after more
//     than Overload checks found every worker busy and cheaps one every
//     Overload checks while more than one is idle; backlog forks while more
//     than Overload connections wait in the listen queue and cheaps while
//     fewer do (UnixSocket: the master reads a unix socket's queue as 0).
type Spawn struct {
	Mode       string // "" | static | dynamic | ondemand | spare | backlog
	Start      int    // dynamic, spare, backlog: workers at time 0 (pm.start_servers, cheaper-initial)
	MinSpare   int    // dynamic: pm.min_spare_servers
	MaxSpare   int    // dynamic: pm.max_spare_servers
	Min        int    // spare, backlog: the fewest workers kept (cheaper)
	Step       int    // spare, backlog: the most workers forked at a check (cheaper-step)
	Overload   int    // spare: overloaded checks; backlog: queued connections (cheaper-overload)
	UnixSocket bool   // backlog: the listen queue is a unix socket's, read as 0
}
