package main

import (
	"bufio"
	"io"
	"regexp"
	"strconv"
)

// Outcome names are poolsim's (DESIGN.md §1), plus two the generator
// reports when it cannot place a request: gateway_timeout (nginx's 504,
// which the suite's nginx never sends) and unclassified.
const (
	OutOK               = "ok"
	OutError            = "error"
	OutRejectedFull     = "rejected_queue_full"
	OutRejectedOffline  = "rejected_app_offline"
	OutAbandoned        = "abandoned"
	OutClientTimeout    = "client_timeout"
	OutGatewayTimeout   = "gateway_timeout"
	OutUnclassified     = "unclassified"
	OutSendError        = "send_error"
	reasonBacklogFull   = "backlog_full"
	reasonNotListening  = "not_listening"
	reasonWorkerDied    = "worker_died"
	reasonUpstreamTimed = "upstream_timed_out"
)

// nginx error-log lines and the reason each one means. The request is named
// by its id in the line's `request: "GET /php?id=N&..."` part.
var nginxReasons = []struct {
	re     *regexp.Regexp
	reason string
}{
	// connect() to the unix socket failed with EAGAIN: the listen backlog
	// was full (Linux refuses a unix-socket connect at once, it does not
	// queue SYNs as TCP does).
	{regexp.MustCompile(`connect\(\) to unix:\S+ failed \(11: Resource temporarily unavailable\)`), reasonBacklogFull},
	// No socket, or nothing listening on it.
	{regexp.MustCompile(`connect\(\) to unix:\S+ failed \((2: No such file or directory|111: Connection refused)\)`), reasonNotListening},
	// The worker died with the request: php-fpm's FastCGI connection is
	// reset (unread input), gunicorn's HTTP connection is closed.
	{regexp.MustCompile(`\(104: Connection reset by peer\) while reading|upstream prematurely closed connection`), reasonWorkerDied},
	{regexp.MustCompile(`upstream timed out`), reasonUpstreamTimed},
}

var requestID = regexp.MustCompile(`request: "GET /\w+\?id=(\d+)[&" ]`)

// ParseNginxErrors reads nginx's error log and returns, per request id, the
// reason of its failure, and the number of lines that named a request but
// matched no known reason.
func ParseNginxErrors(r io.Reader) (map[int]string, int, error) {
	out := map[int]string{}
	unknown := 0
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		m := requestID.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		id, _ := strconv.Atoi(m[1])
		found := false
		for _, nr := range nginxReasons {
			if nr.re.MatchString(line) {
				out[id] = nr.reason
				found = true
				break
			}
		}
		if !found {
			unknown++
		}
	}
	return out, unknown, sc.Err()
}

// Classify places one request from what the client saw (status, or that
// its own timeout fired, or a send error) and the reason nginx logged.
func Classify(status int, clientTimedOut bool, sendErr bool, reason string) string {
	switch {
	case clientTimedOut:
		return OutClientTimeout
	case sendErr:
		return OutSendError
	case status == 200:
		return OutOK
	case status == 502 && reason == reasonBacklogFull:
		return OutRejectedFull
	case status == 502 && reason == reasonNotListening:
		return OutRejectedOffline
	case status == 502 && reason == reasonWorkerDied:
		return OutAbandoned
	case status == 504:
		return OutGatewayTimeout
	case status == 500:
		return OutError
	}
	return OutUnclassified
}
