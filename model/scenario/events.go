package scenario

// Event is an operator action at a time of the run (docs/model.md,
// "Operator actions"), as [events.NAME] tables so that each has dotted keys
// an experiment can override (events.deploy.at):
//
//   - config_change: a deployment or configuration change recycles every
//     worker of the pool (WAS event 5079; IIS recycles on a configuration
//     change unless disallowRotationOnConfigChange), as a recycle does:
//     overlapped or not as pool.recycle.overlapping says.
//   - recycle: a manual recycle (IIS Manager, appcmd recycle; WAS 5080).
//   - stop: an administrator stops the pool: queued requests and arrivals
//     get 503 (HTTPERR reason Disabled), the workers drain.
//   - start: the pool starts again (a no-op when it runs).
type Event struct {
	At     Duration `toml:"at"` // since the start of the run
	Action string   `toml:"action"`
}
