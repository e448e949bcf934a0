package model

import (
	"testing"

	"github.com/poolsim/poolsim/engine"
)

// TestQueuedConnectionOutlivesWorkerDeath checks each server's rule "a
// connection queued when a worker dies stays queued and is served by the
// next worker" (http.sys's queue for IIS; the listening socket's backlog,
// which the master owns, for php-fpm, gunicorn and uWSGI; php-fpm measured:
// 25 of 25 served): one worker of one thread; a request at 1 s crashes it at
// the end of its 1 s; two requests queued behind it at 1.1 s and 1.2 s are
// served by worker 2, and only the crashing one is lost.
func TestQueuedConnectionOutlivesWorkerDeath(t *testing.T) {
	for _, c := range []struct{ server, table string }{
		{"iis", "[pool]\nthreads = 1\n"},
		{"php-fpm", "[php_fpm]\npm = \"static\"\nmax_children = 1\n"},
		{"gunicorn", "[gunicorn]\nworkers = 1\n"},
		{"uwsgi", "[uwsgi]\nprocesses = 1\n"},
	} {
		sc := decodeText(t, "server = \""+c.server+"\"\nhorizon = \"1m\"\n"+c.table+
			"[classes.boom]\nservice = \"1s\"\ncrash = 1.0\n[classes.page]\nservice = \"1s\"\n"+
			"[clients.a]\nkind = \"poisson\"\nrate = 1.0\nclass = \"boom\"\n[clients.b]\nkind = \"poisson\"\nrate = 1.0\nclass = \"page\"\n",
			"pool.startup_time=0s", "pool.max_processes=1")
		sc.Clients["a"].Rate, sc.Clients["b"].Rate = 0, 0
		var trace traceBuf
		w, err := newWorld(sc, Options{Trace: &trace}, 0)
		if err != nil {
			t.Fatal(err)
		}
		boom, page := &injector{c: w.clients[0]}, &injector{c: w.clients[1]}
		w.sim.At(engine.Second, boom, 0)
		w.sim.At(1100*engine.Millisecond, page, 0)
		w.sim.At(1200*engine.Millisecond, page, 0)
		res, err := w.run()
		if err != nil {
			t.Fatal(err)
		}
		checkConservation(t, res.Metrics)
		m := res.Metrics
		started := lines(trace.String(), "worker=2")
		t.Logf("%s: %q", c.server, started)
		if m.AbandonedCrash != 1 || m.OK != 2 || m.RejectedQueueFull+m.Expired != 0 || len(started) < 2 {
			t.Errorf("%s: abandoned_crash %v ok %v rejected %v expired %v, started by worker 2: %q; want 1 2 0 0 and both queued in worker 2",
				c.server, m.AbandonedCrash, m.OK, m.RejectedQueueFull, m.Expired, started)
		}
	}
}
