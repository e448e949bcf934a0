package experiments

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// progress reports a sweep's progress: on a terminal a line redrawn in
// place a few times a second; elsewhere (a pipe, a CI log) a plain line
// every few seconds. It counts runs done and knows the total, which grows
// when sequential precision adds replications.
type progress struct {
	w     io.Writer
	tty   bool
	every time.Duration
	start time.Time

	total, done, resumed atomic.Int64

	stop chan struct{}
	wg   sync.WaitGroup
	mu   sync.Mutex // serialises writes
	wide int        // width of the last live line, to blank it
}

// Intervals between progress lines.
const (
	liveEvery  = 250 * time.Millisecond
	plainEvery = 5 * time.Second
)

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// newProgress starts reporting to w; a nil w reports nothing.
func newProgress(w io.Writer) *progress {
	p := &progress{w: w, start: time.Now(), stop: make(chan struct{})}
	if w == nil {
		return p
	}
	p.tty = isTerminal(w)
	p.every = plainEvery
	if p.tty {
		p.every = liveEvery
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(p.every)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.print(false)
			}
		}
	}()
	return p
}

// line formats the current state: done/total, runs per second, time left.
func (p *progress) line() string {
	done, total, resumed := p.done.Load(), p.total.Load(), p.resumed.Load()
	elapsed := time.Since(p.start)
	var b strings.Builder
	fmt.Fprintf(&b, "sweep: %d/%d runs", done+resumed, total)
	if total > 0 {
		fmt.Fprintf(&b, " (%d%%)", (done+resumed)*100/total)
	}
	if resumed > 0 {
		fmt.Fprintf(&b, ", %d resumed", resumed)
	}
	if done > 0 && elapsed > 0 {
		rate := float64(done) / elapsed.Seconds()
		fmt.Fprintf(&b, ", %.1f runs/s", rate)
		if left := total - done - resumed; left > 0 {
			eta := time.Duration(float64(left) / rate * float64(time.Second))
			fmt.Fprintf(&b, ", %s left", eta.Round(time.Second))
		}
	}
	fmt.Fprintf(&b, ", %s elapsed", elapsed.Round(time.Second))
	return b.String()
}

func (p *progress) print(final bool) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.line()
	if !p.tty {
		fmt.Fprintln(p.w, s)
		return
	}
	pad := ""
	if n := p.wide - len(s); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	p.wide = len(s)
	end := ""
	if final {
		end = "\n"
	}
	fmt.Fprintf(p.w, "\r%s%s%s", s, pad, end)
}

// finish stops the reporter and prints the final state.
func (p *progress) finish() {
	if p.w == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	p.print(true)
}
