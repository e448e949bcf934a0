# Shell functions of the validation suite: start the servers of one run with
# the suite's own configuration, in the run's directory, and stop them by the
# PIDs they wrote, whatever happens. Sourced by run.sh and ci.sh.
#
# A run's settings come from the case's scenario (loadgen -config prints
# them from its [php_fpm] or [gunicorn] table) as variables:
#   SERVER        php-fpm | gunicorn
#   WORKERS       children (pm = static) / sync workers
#   BACKLOG       listen.backlog / --backlog
#   MAX_REQUESTS  pm.max_requests / max_requests (0: none)
#   TERMINATE     request_terminate_timeout (php-fpm, e.g. 0 or 1s)
#   FPM_ER_THRESHOLD FPM_ER_INTERVAL FPM_PCT  emergency restart, process_control_timeout
#   GUNICORN_TIMEOUT GUNICORN_GRACEFUL         gunicorn timeout, graceful_timeout (s)

VS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VS_PIDFILES=""

: "${WORKERS:=4}" "${BACKLOG:=8}" "${MAX_REQUESTS:=0}" "${TERMINATE:=0}"
: "${FPM_ER_THRESHOLD:=0}" "${FPM_ER_INTERVAL:=0}" "${FPM_PCT:=0}"
: "${GUNICORN_TIMEOUT:=30}" "${GUNICORN_GRACEFUL:=30}"

# vs_stop_all stops every server this shell started: SIGTERM (php-fpm and
# gunicorn: fast shutdown; nginx: fast), then SIGKILL after 5 s.
vs_stop_all() {
	local f pid i
	[ -n "${VS_STATE:-}" ] && [ -e "$VS_STATE/pidfiles" ] && VS_PIDFILES="$VS_PIDFILES $(cat "$VS_STATE/pidfiles")"
	for f in $VS_PIDFILES; do
		[ -s "$f" ] || continue
		pid=$(cat "$f")
		kill -TERM "$pid" 2>/dev/null || continue
		for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
	done
	VS_PIDFILES=""
	[ -n "${VS_STATE:-}" ] && : >"$VS_STATE/pidfiles"
	return 0
}

# vs_track PIDFILE: remember a server to stop, here and (through VS_STATE)
# in the shell that started this one.
vs_track() {
	VS_PIDFILES="$VS_PIDFILES $1"
	[ -n "${VS_STATE:-}" ] && echo "$1" >>"$VS_STATE/pidfiles"
	return 0
}

# vs_prio CMD...: run CMD at the suite's priority. VS_PRIO=rt (the default):
# SCHED_FIFO priority VS_RTPRIO (chrt; 1 for the servers, 2 for the
# generator, so that a server's own work, such as gunicorn forking workers,
# does not delay the generator's sends), so that the compilers sharing the
# machine do not delay the wake-ups of servers and generator, which sleep
# nearly all the time (the kernel still keeps 5 % of each second for others);
# VS_PRIO=nice: nice -n VS_NICE (default -5); anything else: as is.
vs_prio() {
	case ${VS_PRIO:-rt} in
	rt) chrt -f "${VS_RTPRIO:-1}" "$@" ;;
	nice) nice -n "${VS_NICE:--5}" "$@" ;;
	*) "$@" ;;
	esac
}

vs_wait_file() { # file seconds
	local i
	for i in $(seq $(($2 * 20))); do [ -e "$1" ] && return 0; sleep 0.05; done
	echo "lib.sh: $1 did not appear within $2 s" >&2
	return 1
}

# vs_start RUN_DIR: start nginx and the case's server for one run.
vs_start() {
	export RUN=$1 APP=$VS_DIR/app PORT=${VS_PORT:-18461}
	export WORKERS BACKLOG MAX_REQUESTS TERMINATE FPM_ER_THRESHOLD FPM_ER_INTERVAL FPM_PCT GUNICORN_TIMEOUT GUNICORN_GRACEFUL
	mkdir -p "$RUN"
	envsubst '${RUN} ${PORT} ${APP}' <"$VS_DIR/conf/nginx.conf" >"$RUN/nginx.conf"
	case $SERVER in
	php-fpm)
		envsubst <"$VS_DIR/conf/php-fpm.conf" >"$RUN/php-fpm.conf"
		vs_track "$RUN/php-fpm.pid"
		vs_prio /usr/sbin/php-fpm8.2 -R -y "$RUN/php-fpm.conf" || return 1
		vs_wait_file "$RUN/php.sock" 10 || return 1
		VS_URL=http://127.0.0.1:$PORT/php ;;
	gunicorn)
		vs_track "$RUN/gunicorn.pid"
		vs_prio /usr/bin/gunicorn -c "$VS_DIR/conf/gunicorn.conf.py" app:app || return 1
		vs_wait_file "$RUN/gunicorn.sock" 20 || return 1
		VS_URL=http://127.0.0.1:$PORT/py ;;
	*) echo "lib.sh: SERVER = $SERVER: want php-fpm or gunicorn" >&2; return 1 ;;
	esac
	vs_track "$RUN/nginx.pid"
	vs_prio /usr/sbin/nginx -c "$RUN/nginx.conf" -p "$RUN" || return 1
	vs_wait_file "$RUN/nginx.pid" 10 || return 1
	local i
	for i in $(seq 100); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$VS_URL?s=0")" = 200 ] && return 0
		sleep 0.1
	done
	echo "lib.sh: $VS_URL never answered 200" >&2
	return 1
}

# vs_server_pid: the master's PID (the target of a reload signal).
vs_server_pid() {
	case $SERVER in
	php-fpm) cat "$RUN/php-fpm.pid" ;;
	gunicorn) cat "$RUN/gunicorn.pid" ;;
	esac
}
