package model

import (
	"github.com/poolsim/poolsim/model/httperr"
	"github.com/poolsim/poolsim/model/scenario"
)

// The words of the summary's outcome table (docs/model.md#outcomes and
// "Servers"): what the client sees of each outcome, in the server's own
// vocabulary. Behind IIS they are HTTP.sys's statuses and HTTPERR reasons;
// php-fpm, gunicorn and uWSGI sit behind nginx, whose status and error-log
// message are what an operator finds.

// OutcomeWords returns the HTTP status the client gets for an outcome (a
// metric name such as "rejected_queue_full"; "-" for no response) and the
// reason an operator finds in the logs, in the words of the scenario's
// server. An unknown outcome has no words.
func OutcomeWords(sc *scenario.Scenario, outcome string) (status, reason string) {
	if w, ok := common[outcome]; ok {
		return w[0], w[1]
	}
	p := &sc.Pool
	if sc.Server == "" || sc.Server == "iis" {
		expired, abandoned := HTTPErrReasons(p)
		switch outcome {
		case "rejected_queue_full":
			return "503", httperr.ReasonQueueFull
		case "rejected_app_offline":
			return "503", httperr.ReasonAppOffline
		case "expired":
			return "-", expired
		case "abandoned":
			return "-", abandoned
		}
		return "", ""
	}
	return nginxWords(sc.Server, p, outcome)
}

// common are the words every server shares.
var common = map[string][2]string{
	"ok":                 {"200", ""},
	"stale":              {"200", "(served from the cache)"},
	"error":              {"500", ""},
	"rejected_shutdown":  {"503", "(from a worker shutting down: pool.recycle.drain = \"refuse\")"},
	"rejected_tcp_reset": {"-", "(connection reset, no 503, no HTTPERR line)"},
	"client_timeout":     {"-", "(the client gave up first)"},
	"in_flight":          {"-", "(unfinished at the horizon)"},
}

// nginxWords names an outcome as nginx in front of php-fpm (fastcgi_pass),
// gunicorn (proxy_pass) or uWSGI (uwsgi_pass) reports it: measured for
// php-fpm (a full unix-socket backlog is an immediate 502 with EAGAIN, a
// dead child a 502 with a reset, the read timeout a 504); for a TCP
// backlog, dropped SYNs until the connect timeout gives 504
// (docs/model.md, "A full queue"). Which of the two a full queue is follows
// pool.on_queue_full, so a pool key written over the preset is named
// right.
func nginxWords(server string, p *scenario.Pool, outcome string) (status, reason string) {
	prefix := map[string]string{"php-fpm": "fastcgi", "gunicorn": "proxy", "uwsgi": "uwsgi"}[server]
	switch outcome {
	case "rejected_queue_full":
		if p.OnQueueFull == "syn_retry" {
			return "504", "nginx: upstream timed out (110: Connection timed out) while connecting to upstream: backlog full, SYNs dropped until " + prefix + "_connect_timeout"
		}
		return "502", "nginx: connect() to unix socket failed (11: Resource temporarily unavailable): backlog full"
	case "rejected_app_offline":
		if server == "php-fpm" {
			return "502", "nginx: no child accepts (pool stopped)"
		}
		return "502", "nginx: connect() failed (111: Connection refused): the server is stopped"
	case "expired":
		return "504", "nginx: upstream timed out (" + prefix + "_read_timeout) while waiting in the backlog"
	case "abandoned":
		if server == "php-fpm" {
			return "502", "nginx: recv() failed (104: Connection reset by peer): the child died"
		}
		return "502", "nginx: upstream prematurely closed connection: the worker died"
	}
	return "", ""
}
