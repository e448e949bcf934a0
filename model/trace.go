package model

import (
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/accesslog"
)

// A trace client (kind = "trace") replays the requests of logs: file, the
// access log, and optionally httperr, the HTTPERR log of the same span,
// whose requests (503s, expiries, abandoned connections) arrived too and
// are missing from the access log; the two are merged in time. Each
// request arrives at the time the log says it did and belongs to the class
// that poolsim fit would give its path (accesslog.AppendClassName), or to
// the client's class when the scenario has no class of that name.
//
// Times: log time T is simulated at (T − start) / speedup, start being the
// scenario's start, so the span replayed is start to start + horizon ×
// speedup; requests before start are skipped. A request's arrival is its
// logged end less its time-taken (the log's time when it has none, as
// HTTPERR lines). IIS writes lines in the order requests end, so arrivals
// come out of order; the reader keeps the requests of the last
// traceWindow of log time in a heap and releases them in arrival order. A
// request that arrives more than traceWindow before one already sent
// (a time-taken longer than traceWindow) is sent at once and counted as
// late. Memory is bounded by the requests in a window, not by the log.
const traceWindow = 10 * time.Minute

// maxTracePaths bounds the distinct URL paths a trace keeps for the access
// and HTTPERR logs of the run; past it, a request is logged with its
// class's name.
const maxTracePaths = 10_000

type traceRT struct {
	c       *clientRT
	files   []*traceFile
	pending traceHeap
	seq     uint64
	start   time.Time
	end     time.Time // start + horizon × speedup
	speedup float64
	paths   map[string]string
	name    []byte
	next    traceItem
	err     error
	skipped int       // lines skipped, over all files
	early   int       // requests before the scenario's start
	first   time.Time // the log's first arrival
	late    int
	sent    int
}

type traceFile struct {
	name string
	f    *os.File
	r    *accesslog.Reader
	head traceItem
	ok   bool
}

type traceItem struct {
	at    time.Time // arrival in log time
	end   time.Time // when the log wrote it
	seq   uint64
	class *classRT
	uri   string
}

// traceHeap is a min-heap of requests by arrival (then read order),
// written out so that pushing and popping allocate nothing.
type traceHeap []traceItem

func (h traceHeap) less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}

func (h *traceHeap) push(x traceItem) {
	*h = append(*h, x)
	q := *h
	for i := len(q) - 1; i > 0; {
		parent := (i - 1) / 2
		if !q.less(i, parent) {
			break
		}
		q[i], q[parent] = q[parent], q[i]
		i = parent
	}
}

func (h *traceHeap) pop() traceItem {
	q := *h
	top := q[0]
	n := len(q) - 1
	q[0] = q[n]
	q = q[:n]
	for i := 0; ; {
		l, small := 2*i+1, i
		if l < n && q.less(l, small) {
			small = l
		}
		if r := l + 1; r < n && q.less(r, small) {
			small = r
		}
		if small == i {
			break
		}
		q[i], q[small] = q[small], q[i]
		i = small
	}
	*h = q
	return top
}

// newTrace opens a trace client's log.
func newTrace(c *clientRT) (*traceRT, error) {
	sc := c.w.sc
	t := &traceRT{c: c, start: sc.Start.UTC(), speedup: c.c.Speedup, paths: make(map[string]string)}
	if t.speedup <= 0 {
		t.speedup = 1
	}
	t.end = t.start.Add(time.Duration(float64(sc.Horizon.T()) * t.speedup))
	for _, file := range []struct{ key, path string }{{"file", c.c.File}, {"httperr", c.c.HTTPErr}} {
		if file.path == "" {
			continue
		}
		f, err := os.Open(file.path)
		if err != nil {
			t.close()
			return nil, fmt.Errorf("clients.%s.%s: %v", c.name, file.key, err)
		}
		tf := &traceFile{name: file.path, f: f, r: accesslog.NewReader(file.path, f, accesslog.Options{})}
		t.files = append(t.files, tf)
		if err := t.advance(tf); err != nil {
			t.close()
			return nil, err
		}
	}
	return t, nil
}

// advance reads f's next request into its head.
func (t *traceRT) advance(f *traceFile) error {
	rec, err := f.r.Next()
	if err == io.EOF {
		f.ok = false
		return nil
	}
	if err != nil {
		f.ok = false
		return err
	}
	t.seq++
	f.head = traceItem{at: rec.Start(), end: rec.End, seq: t.seq, class: t.classOf(rec.Path), uri: t.path(rec.Path)}
	f.ok = true
	return nil
}

func (t *traceRT) classOf(path []byte) *classRT {
	t.name = accesslog.AppendClassName(t.name[:0], path)
	if rt, ok := t.c.w.classes[string(t.name)]; ok {
		return rt
	}
	return t.c.class
}

func (t *traceRT) path(p []byte) string {
	if s, ok := t.paths[string(p)]; ok {
		return s
	}
	if len(t.paths) >= maxTracePaths {
		return ""
	}
	s := string(p)
	t.paths[s] = s
	return s
}

// pop returns the next request in arrival order, false at the end.
func (t *traceRT) pop() (traceItem, bool) {
	for {
		var head *traceFile
		for _, f := range t.files {
			if f.ok && (head == nil || f.head.end.Before(head.head.end)) {
				head = f
			}
		}
		if head == nil {
			break
		}
		if len(t.pending) > 0 && t.pending[0].at.Before(head.head.end.Add(-traceWindow)) {
			break // nothing later in the files can arrive before the heap's first
		}
		t.pending.push(head.head)
		if err := t.advance(head); err != nil {
			t.err = err
			break
		}
	}
	if len(t.pending) == 0 {
		return traceItem{}, false
	}
	return t.pending.pop(), true
}

// begin schedules the first request.
func (t *traceRT) begin() { t.scheduleNext() }

func (t *traceRT) scheduleNext() {
	sim := t.c.w.sim
	for {
		it, ok := t.pop()
		if ok && t.first.IsZero() {
			t.first = it.at
		}
		if !ok || t.err != nil || !it.at.Before(t.end) {
			t.close()
			return
		}
		if it.at.Before(t.start) {
			t.early++
			continue
		}
		at := engine.Time(math.Round(float64(it.at.Sub(t.start)) / t.speedup))
		if at < sim.Now() {
			t.late++
			at = sim.Now()
		}
		if at >= t.c.w.horizon {
			t.close()
			return
		}
		t.next = it
		sim.At(at, t, 0)
		return
	}
}

// HandleEvent sends the request due now.
func (t *traceRT) HandleEvent(int) {
	c := t.c
	r := c.w.newRequest()
	t.sent++
	c.identify(r, 0, t.sent, 1)
	r.class, r.uri = t.next.class, t.next.uri
	c.w.admit(r)
	t.scheduleNext()
}

// close closes the files and keeps their skipped-line counts.
func (t *traceRT) close() {
	for _, f := range t.files {
		if f.f != nil {
			n, _ := f.r.Skipped()
			t.skipped += n
			f.f.Close()
			f.f = nil
			f.ok = false
		}
	}
	t.pending = t.pending[:0]
}

// finishTraces closes the trace clients' files at the end of a run and
// returns the first read error, or notes on what the traces skipped.
func (w *world) finishTraces() ([]string, error) {
	var notes []string
	for _, c := range w.clients {
		t := c.trace
		if t == nil {
			continue
		}
		t.close()
		if t.err != nil {
			return nil, fmt.Errorf("clients.%s: %w", c.name, t.err)
		}
		if t.skipped > 0 {
			notes = append(notes, fmt.Sprintf("clients.%s: %d malformed lines of its logs skipped", c.name, t.skipped))
		}
		if t.early > 0 {
			notes = append(notes, fmt.Sprintf("clients.%s: %d requests before the scenario's start skipped", c.name, t.early))
		}
		if t.late > 0 {
			notes = append(notes, fmt.Sprintf("clients.%s: %d requests arrived more than %v out of order and were sent late", c.name, t.late, traceWindow))
		}
		if t.sent == 0 {
			notes = append(notes, fmt.Sprintf("clients.%s: no request of its log falls in the span replayed, %s to %s (start to start + horizon × speedup); the log begins at %s",
				c.name, t.start.Format(time.RFC3339), t.end.Format(time.RFC3339), t.first.Format(time.RFC3339)))
		}
	}
	return notes, nil
}
