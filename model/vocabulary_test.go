package model

import (
	"strings"
	"testing"
)

// TestOutcomeWordsBehindNginx checks the rule of docs/model.md "Servers":
// the outcomes of a pool behind nginx are named as nginx reports them,
// never with IIS's HTTPERR reasons; a full queue is a 502 at once on a unix
// socket and a 504 after dropped SYNs over TCP, as pool.on_queue_full says.
func TestOutcomeWordsBehindNginx(t *testing.T) {
	base := "\n[classes.page]\nservice = \"50ms\"\n[clients.users]\nkind = \"poisson\"\nrate = 1.0\n"
	for _, c := range []struct {
		name, src         string
		outcome           string
		status, reasonHas string
	}{
		{"iis queue full", base, "rejected_queue_full", "503", "QueueFull"},
		{"iis expired", base, "expired", "-", "Timer_ReqQueue"},
		{"php-fpm queue full", "server = \"php-fpm\"" + base, "rejected_queue_full", "502", "(11: Resource temporarily unavailable)"},
		{"php-fpm expired", "server = \"php-fpm\"" + base, "expired", "504", "fastcgi_read_timeout"},
		{"gunicorn TCP queue full", "server = \"gunicorn\"" + base, "rejected_queue_full", "504", "proxy_connect_timeout"},
		{"gunicorn unix queue full", "server = \"gunicorn\"" + base + "[gunicorn]\nbind = \"unix:/run/app.sock\"\n", "rejected_queue_full", "502", "(11: Resource temporarily unavailable)"},
		{"gunicorn stopped", "server = \"gunicorn\"" + base, "rejected_app_offline", "502", "Connection refused"},
		{"gunicorn expired", "server = \"gunicorn\"" + base, "expired", "504", "proxy_read_timeout"},
		{"uwsgi expired", "server = \"uwsgi\"" + base, "expired", "504", "uwsgi_read_timeout"},
		{"uwsgi TCP queue full", "server = \"uwsgi\"" + base + "[uwsgi]\nsocket = \"127.0.0.1:3031\"\n", "rejected_queue_full", "504", "uwsgi_connect_timeout"},
		{"uwsgi abandoned", "server = \"uwsgi\"" + base, "abandoned", "502", "upstream prematurely closed"},
	} {
		sc := decodeText(t, c.src)
		status, reason := OutcomeWords(sc, c.outcome)
		if status != c.status || !strings.Contains(reason, c.reasonHas) {
			t.Errorf("%s: %s %q, want %s and a reason with %q", c.name, status, reason, c.status, c.reasonHas)
		}
		if sc.Server != "iis" && (strings.Contains(reason, "Timer_") || strings.Contains(reason, "AppOffline") || strings.Contains(reason, "QueueFull")) {
			t.Errorf("%s: an HTTPERR reason behind nginx: %q", c.name, reason)
		}
	}
}
