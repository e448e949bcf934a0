package scenario

// presetBehindNginx sets what php-fpm, gunicorn and uWSGI share by sitting
// behind nginx rather than http.sys (docs/model.md, "Responses and
// bandwidth"): no MinBytesPerSecond. nginx's send_timeout (60 s) bounds the
// time between two writes to the client, not its rate, so a slow client
// that keeps taking bytes is never cut. nginx buffers the upstream's
// response by default (fastcgi_buffering, proxy_buffering, uwsgi_buffering
// on), so the worker is free once nginx has the response.
func (d *scenarioDecoder) presetBehindNginx(sc *Scenario) {
	table := map[string]string{"php-fpm": "php_fpm", "gunicorn": "gunicorn", "uwsgi": "uwsgi"}[sc.Server]
	s := preset{d, table, sc.Server, &sc.Pool}
	s.set([]string{"min_bytes_per_second"}, "", func() { sc.Pool.MinBytesPerSecond = 0 })
	s.set([]string{"proxy_buffering"}, "", func() { sc.Pool.ProxyBuffering = true })
}
