package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// result is what the client saw of one request.
type result struct {
	sent      time.Time // when the request left (its lag is sent - target)
	lag       time.Duration
	latency   time.Duration
	status    int
	timedOut  bool
	sendErr   string
	pid       int
	overrunUS int64 // the application's hold beyond the requested service
	holdUS    int64 // the application's hold, as it measured it
	startUS   int64 // when the application started it (Unix µs); 0: not answered
}

// runResult is the whole run: per request results and the generator's own
// measures of disturbance.
type runResult struct {
	start    time.Time
	results  []result
	probe    []time.Duration // overruns of 1 ms sleeps beside the generator
	signalAt time.Time
	sigErr   error
}

// scheduledSignal is a signal to send to the server's master during the run.
type scheduledSignal struct {
	sig     syscall.Signal
	at      time.Duration
	pidFile string
}

func parseSignal(s, pidFile string) (*scheduledSignal, error) {
	if s == "" {
		return nil, nil
	}
	name, at, ok := strings.Cut(s, "@")
	d, err := time.ParseDuration(at)
	if !ok || err != nil {
		return nil, fmt.Errorf("-signal %q: want SIG@DURATION such as USR2@10s", s)
	}
	sigs := map[string]syscall.Signal{"HUP": syscall.SIGHUP, "USR1": syscall.SIGUSR1, "USR2": syscall.SIGUSR2, "QUIT": syscall.SIGQUIT, "TERM": syscall.SIGTERM}
	sig, ok := sigs[name]
	if !ok {
		return nil, fmt.Errorf("-signal %q: signal %s is not one of HUP, USR1, USR2, QUIT, TERM", s, name)
	}
	return &scheduledSignal{sig: sig, at: d, pidFile: pidFile}, nil
}

func checkLocal(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("-url %q: %v", raw, err)
	}
	if u.Scheme != "http" || u.Hostname() != "127.0.0.1" {
		return fmt.Errorf("-url %q: only http://127.0.0.1 is allowed", raw)
	}
	return nil
}

// drive sends every request at its time, each on its own goroutine, and
// waits for all of them (each is bounded by its client timeout).
func drive(o options, plan []Request, sig *scheduledSignal) *runResult {
	tr := &http.Transport{
		DialContext:  (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns: 4096, MaxIdleConnsPerHost: 4096, IdleConnTimeout: time.Minute,
		DisableCompression: true,
	}
	client := &http.Client{Transport: tr}
	rr := &runResult{results: make([]result, len(plan))}
	// Open enough idle connections before the start, so that a request's
	// latency does not include a TCP handshake with nginx.
	var warm sync.WaitGroup
	for i := 0; i < 32; i++ {
		warm.Add(1)
		go func() { defer warm.Done(); get(client, o.url+"?s=0", 5*time.Second) }()
	}
	warm.Wait()

	rr.start = time.Now().Add(100 * time.Millisecond)
	stopProbe := make(chan struct{})
	probeDone := make(chan struct{})
	go func() { rr.probe = probe(stopProbe); close(probeDone) }()
	if sig != nil {
		go func() {
			time.Sleep(time.Until(rr.start.Add(sig.at)))
			rr.signalAt = time.Now()
			rr.sigErr = sendSignal(sig)
		}()
	}
	var wg sync.WaitGroup
	for i := range plan {
		rq := &plan[i]
		target := rr.start.Add(rq.At)
		if d := time.Until(target); d > 0 {
			time.Sleep(d)
		}
		res := &rr.results[i]
		res.sent = time.Now()
		res.lag = res.sent.Sub(target)
		wg.Add(1)
		go func() {
			defer wg.Done()
			do(client, o, rq, res)
		}()
	}
	close(stopProbe)
	wg.Wait()
	<-probeDone
	return rr
}

func requestURL(o options, rq *Request) string {
	q := fmt.Sprintf("?id=%d&s=%d", rq.ID, rq.Service.Microseconds())
	switch rq.Fault {
	case FaultCrash:
		q += "&crash=" + strconv.Itoa(o.crashSignal)
	case FaultHang:
		q += "&hang=1"
	}
	return o.url + q
}

func do(client *http.Client, o options, rq *Request, res *result) {
	timeout := rq.Timeout
	if timeout <= 0 {
		timeout = o.noTimeout
	}
	resp, err := get(client, requestURL(o, rq), timeout)
	res.latency = time.Since(res.sent)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			res.timedOut = true
		} else {
			res.sendErr = err.Error()
		}
		return
	}
	res.status = resp.status
	res.pid, _ = strconv.Atoi(resp.header.Get("X-Pid"))
	res.overrunUS, _ = strconv.ParseInt(resp.header.Get("X-Overrun-Us"), 10, 64)
	res.holdUS, _ = strconv.ParseInt(resp.header.Get("X-Hold-Us"), 10, 64)
	res.startUS, _ = strconv.ParseInt(resp.header.Get("X-Start-Us"), 10, 64)
}

type response struct {
	status int
	header http.Header
}

func get(client *http.Client, u string, timeout time.Duration) (*response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return nil, err
	}
	return &response{status: resp.StatusCode, header: resp.Header}, nil
}

// probe sleeps 1 ms again and again until stop and returns how much longer
// than 1 ms each sleep took: the scheduler's overrun beside the generator.
func probe(stop <-chan struct{}) []time.Duration {
	var out []time.Duration
	for {
		select {
		case <-stop:
			return out
		default:
		}
		t := time.Now()
		time.Sleep(time.Millisecond)
		out = append(out, time.Since(t)-time.Millisecond)
	}
}

func sendSignal(s *scheduledSignal) error {
	b, err := os.ReadFile(s.pidFile)
	if err != nil {
		return err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("%s: %v", s.pidFile, err)
	}
	return syscall.Kill(pid, s.sig)
}
