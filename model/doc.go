// Package model is poolsim's world: the simulation of an application pool
// under load and faults on the engine, reporting the metrics of DESIGN.md
// §5. The scenario it runs is package model/scenario (the contract of
// DESIGN.md §3); the HTTPERR log it writes is package model/httperr; the
// queueing formulas it is checked against are package model/queueing.
//
// # What is simulated
//
// Requests arrive from clients (open Poisson streams, optionally following a
// time-of-day profile, and closed polling clients) at the pool's kernel
// queue (http.sys). A request that finds a free thread of a serving worker
// starts at once; otherwise it waits, FIFO, if fewer than queue_length wait,
// and is rejected with 503 QueueFull if not. A queued request that waits
// longer than queue_timeout expires (Timer_ReqQueue). Queued requests survive
// a worker's death.
//
// Workers (max_processes of them, a web garden) start on demand or with
// the pool (start_mode), taking startup_time; one not ready within startup_time_limit is killed and the
// kill counts as a failure. Each runs at most threads requests at once. This
// thread count is poolsim's concurrency limit per process: IIS itself has no
// such setting (the CLR thread pool and ASP.NET's request limits play its
// part), so choose it from what the application sustains.
//
// A request's code first calls its class's backend, if any (waiting for a
// connection when the backend has a connections limit), then runs for its
// service time. On a backend timeout the application crashes the worker, or
// answers 500, or serves the cache's last good answer (stale), or waits, as
// on_timeout says. With probability hang a request never finishes; with
// probability crash its code kills the worker when it ends. Every request
// executing in a worker that dies is abandoned
// (Connection_Abandoned_By_ReqQueue), with its cause recorded.
//
// Memory: a worker starts at memory.base and keeps memory.per_request per
// request served. An allocation past memory.limit crashes the worker: the
// check is made when a request starts, so the request that would exceed the
// limit is abandoned with the others (cause memory). The private_memory
// recycle trigger is checked each time a request completes, which is when
// the leak grows; IIS samples private bytes periodically, so real recycles
// come a little later than poolsim's.
//
// Recycling: a worker's age (time, with jitter), the requests it has served
// (requests), its private memory (private_memory) and times of day
// (schedule) each trigger a recycle. Overlapped, the replacement starts
// first and the old worker drains once it is ready; non-overlapped, the old
// worker drains and exits before the replacement starts, and arrivals wait
// in the queue meanwhile. A draining worker still busy after
// shutdown_time_limit is killed; its requests are abandoned and the kill
// counts as a failure.
//
// Pinging: every ping.interval the supervisor pings each serving worker; a
// worker all of whose threads hang cannot answer (unless
// answered_while_hung) and is killed after ping.response_time, a failure.
//
// The system-wide lock is taken by the first request of a worker that needs
// it and held until that worker exits; a request of another worker meets
// lock.on_contention.
//
// Failures go to the supervisor chosen by pool.rapid_fail.policy (package
// policies), which may stop the pool (every queued and arriving request then
// gets 503 AppOffline), restart every worker, or delay the next start.
//
// # Measurement
//
// Every request ends in exactly one outcome, counted by its arrival time:
// requests that arrive before the warm-up are left out of every count, and
// time-based metrics cover the time after it. A request whose client has
// given up (client_timeout) may still occupy the queue or a thread until it
// leaves, as it would in IIS, which does not know. Memory is constant in the
// horizon: counters, sums and a log-linear histogram for percentiles
// (relative error below 0.4 %).
//
// Randomness comes only from the engine's named streams: arrivals/<client>,
// backend/<name>/episodes, startup, recycle, httperr, pids draw in sequence;
// service/<class>, faults/<class>, backend/<name>, backend/<name>/slow and
// retry are keyed on each request's identity (client, sender, request
// number, attempt), so that the same request has the same fate in every
// variant of a scenario (keyed.go). Two scenarios that differ only in the
// pool therefore see the same arrivals and the same requests.
package model
