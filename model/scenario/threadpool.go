package scenario

// ThreadPool is the CLR thread pool's growth (docs/model.md, "Thread-pool
// growth"): a worker starts with min threads and, while requests wait in the
// queue and all its threads are busy, injects one thread every injection
// up to max (the CLR's starvation injection: its gate thread checks every
// 500 ms, GateThreadDelayMs in PortableThreadPool.GateThread.cs, and adds a
// thread when queued work made no progress). A thread above min that has
// stayed idle for retire exits (ThreadPoolThreadTimeoutMs = 20 s in
// PortableThreadPool.WorkerThread.cs); poolsim retires one idle thread per
// retire period while the worker has idle threads above min. A slow backend
// that blocks threads thus queues requests long before max is reached
// (thread-pool starvation), again at every slow episode. max = 0 leaves
// the fixed pool.threads.
type ThreadPool struct {
	Min       int      `toml:"min"`
	Max       int      `toml:"max"`
	Injection Duration `toml:"injection"`
	Retire    Duration `toml:"retire"` // "0s": threads are never retired
}
