#!/bin/bash
# Measures the server behaviours poolsim's php-fpm and gunicorn presets
# depend on, with targeted probes (curl on 127.0.0.1), and writes them to
# RESULTS/facts.txt (default validation/results/facts.txt). About 2 minutes.
#
#   respawn  one worker; request A holds it 100 ms and then crashes (or, with
#            max_requests = 1, exits), request B is sent 5 ms after A: B's
#            latency minus a control pair's (A does not crash) is the
#            downtime between the death and the replacement's first request.
#   backlog  one worker held 2 s, then 20 concurrent requests: how many wait
#            and how many get an immediate 502 (listen.backlog = 8).
#   queued   one worker; A crashes after 300 ms while 5 requests wait in the
#            backlog: how many of those are served.
#   emergency php-fpm, 4 children, threshold 3 in 10 s: three 2 s requests,
#            then three SIGSEGV crashes in the fourth child; what the 2 s
#            requests get, and when the pool answers again.
#            Six SIGKILL crashes: do they count?
#            With one 2 s request and two idle children (N_IDLE times): when
#            the master sends SIGTERM after SIGQUIT, and when the first
#            child exits (the master's next wake-up).
#   limit    request_terminate_timeout = 1s / 2s, gunicorn timeout = 1 / 2:
#            when a hanging request ends.
#
# ONLY="emergency limit" runs only the probes named (respawn, emergency,
# limit; respawn includes backlog and queued).
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS=${RESULTS:-validation/results}
N=${N:-20}
validation/install.sh
TMP=$(mktemp -d /tmp/poolsim-facts.XXXXXX)
chmod 755 "$TMP"
export VS_STATE=$TMP VS_PORT=${VS_PORT:-18462}
source validation/lib.sh
trap 'vs_stop_all; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$RESULTS"
out=$RESULTS/facts.txt
: >"$out.tmp"
say() { echo "$*" | tee -a "$out.tmp" >&2; }

calc() { awk "BEGIN { printf \"%.1f\", $1 }"; }

# want PROBE: whether ONLY selects the probe
want() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }

# ms_after LOG PATTERN_A PATTERN_B: milliseconds from the first line of the
# php-fpm log matching A to the first later line matching B ("-" if none)
ms_after() {
	awk -v a="$2" -v b="$3" '
		function t(s) { split(substr(s, 14, 15), p, ":"); return (p[1] * 3600 + p[2] * 60 + p[3]) * 1000 }
		!ta && $0 ~ a { ta = t($0); next }
		ta && $0 ~ b { printf "%.2f", t($0) - ta; found = 1; exit }
		END { if (!found) printf "-" }' "$1"
}

# t URL: status and seconds of one request
t() { VS_RTPRIO=2 vs_prio curl -s -o /dev/null -m 30 -w '%{http_code} %{time_total}\n' "$1"; }

# pairs QUERY_A: N pairs, B sent 5 ms after A; prints "mean sd n" of B's
# latency in ms
pairs() {
	local qa=$1 i lat
	for i in $(seq "$N"); do
		t "$VS_URL?s=100000&$qa" >/dev/null &
		sleep 0.005
		lat=$(t "$VS_URL?s=0" | awk '$1==200{print $2}')
		wait
		echo "$lat"
		sleep 0.3
	done | awk 'NF { x = 1000 * $1; s += x; q += x * x; n++ } END { m = s / n; printf "%.2f %.2f %d", m, sqrt((q - n * m * m) / (n - 1)), n }'
}

# delta "m1 s1 n1" "m2 s2 n2": the difference of the means ± 2 standard errors
delta() { echo "$1 $2" | awk '{ printf "%.1f ± %.1f ms", $4 - $1, 2 * sqrt($2 * $2 / $3 + $5 * $5 / $6) }'; }

server() { # name dir-suffix: restart with the current settings
	vs_stop_all
	vs_start "$TMP/$1"
}

for SERVER in php-fpm gunicorn; do
	want respawn || continue
	export SERVER
	WORKERS=1 BACKLOG=8 MAX_REQUESTS=0 TERMINATE=0 GUNICORN_TIMEOUT=30
	server "$SERVER-respawn"
	ctl=$(pairs "")
	crash=$(pairs "crash=9")
	say "$SERVER respawn after SIGKILL: B waits ${ctl%% *} ms behind a surviving A, ${crash%% *} ms behind a crashing one: downtime $(delta "$ctl" "$crash") (n=$N pairs each)"
	MAX_REQUESTS=1
	server "$SERVER-recycle"
	rec=$(pairs "")
	say "$SERVER respawn after max_requests: B waits ${rec%% *} ms behind a recycling A: downtime $(delta "$ctl" "$rec") (n=$N pairs)"

	MAX_REQUESTS=0
	server "$SERVER-backlog"
	t "$VS_URL?s=2000000" >/dev/null &
	sleep 0.2
	for i in $(seq 20); do t "$VS_URL?s=0" >"$TMP/b$i" & done
	wait
	ok=$(cat "$TMP"/b* | awk '$1==200' | wc -l)
	fast502=$(cat "$TMP"/b* | awk '$1==502 && $2<0.5' | wc -l)
	say "$SERVER backlog 8, one worker busy 2 s, 20 concurrent requests: $ok served after the wait, $fast502 got 502 at once ($(grep -c 'Resource temporarily unavailable' "$RUN/nginx-error.log") EAGAIN lines)"
	rm -f "$TMP"/b*

	t "$VS_URL?s=300000&crash=9" >"$TMP/a" &
	sleep 0.05
	for i in $(seq 5); do t "$VS_URL?s=10000" >"$TMP/q$i" & sleep 0.01; done
	wait
	say "$SERVER queued behind a dying worker: A got $(cut -d' ' -f1 "$TMP/a"), the 5 queued requests got: $(cut -d' ' -f1 "$TMP"/q* | sort | uniq -c | tr '\n' ' ')"
	rm -f "$TMP"/q* "$TMP/a"
done

SERVER=php-fpm WORKERS=4 MAX_REQUESTS=0 FPM_ER_THRESHOLD=3 FPM_ER_INTERVAL=10s
want emergency && for pct in 0 5s; do
	FPM_PCT=$pct
	server "fpm-emergency-$pct"
	for i in 1 2 3; do t "$VS_URL?s=2000000" >"$TMP/l$i" & done
	sleep 0.3
	for i in 1 2 3; do t "$VS_URL?s=1000&crash=11" >/dev/null; done
	t0=$(date +%s.%N)
	for i in $(seq 40); do
		[ "$(t "$VS_URL?s=0" | cut -d' ' -f1)" = 200 ] && break
		sleep 0.02
	done
	t1=$(date +%s.%N)
	wait
	say "php-fpm emergency restart (3 SIGSEGV in 10 s, process_control_timeout=$pct): the three 2 s requests in other children got $(cut -d' ' -f1 "$TMP"/l* | tr '\n' ' ')after $(cut -d' ' -f2 "$TMP"/l* | tr '\n' ' ')s; first 200 after the third crash: $(calc "($t1 - $t0) * 1000") ms"
	grep -E 'initiating reload|sending signal|execvp|ready to handle' "$RUN/php-fpm.log" | sed 's/^/    /' | head -12 >>"$out.tmp"
	rm -f "$TMP"/l*
done
FPM_PCT=0
if want emergency; then
	server "fpm-emergency-sigkill"
	for i in 1 2 3 4 5 6; do t "$VS_URL?s=1000&crash=9" >/dev/null; done
	sleep 0.5
	say "php-fpm emergency restart threshold 3 in 10 s, six SIGKILL crashes in $(grep -c 'exited on signal 9' "$RUN/php-fpm.log") children: $(grep -c 'initiating reload' "$RUN/php-fpm.log") reloads"
	# One child busy 2 s, two idle: the SIGTERM comes at the first exit.
	quit_term="" quit_exit=""
	for i in $(seq "${N_IDLE:-5}"); do
		server "fpm-emergency-idle-$i"
		t "$VS_URL?s=2000000" >"$TMP/l1" &
		sleep 0.3
		for j in 1 2 3; do t "$VS_URL?s=1000&crash=11" >/dev/null; done
		wait
		log=$RUN/php-fpm.log
		quit_term="$quit_term $(ms_after "$log" 'sending signal 3 SIGQUIT' 'sending signal 15 SIGTERM')"
		quit_exit="$quit_exit $(ms_after "$log" 'sending signal 3 SIGQUIT' 'exited with code|exited on signal 3 ')"
		busy=$(cut -d' ' -f1 "$TMP/l1")
	done
	say "php-fpm emergency restart (process_control_timeout=0) with one child busy 2 s and two idle: SIGQUIT to SIGTERM (ms):$quit_term; SIGQUIT to the first child's exit (ms):$quit_exit; the busy request got $busy (last run)"
	rm -f "$TMP"/l*
fi
FPM_ER_THRESHOLD=0

for lim in 1s 2s; do
	want limit || break
	# With an emergency restart threshold of 3 in 10 s: do the kills count?
	SERVER=php-fpm WORKERS=1 TERMINATE=$lim FPM_ER_THRESHOLD=3 FPM_ER_INTERVAL=10s
	server "fpm-limit-$lim"
	ends=""
	for i in $(seq 6); do ends="$ends $(t "$VS_URL?hang=1" | cut -d' ' -f2)"; sleep 0.$((RANDOM % 9)); done
	say "php-fpm request_terminate_timeout=$lim: hanging requests ended (502) after$ends s; $(grep -m1 'heartbeat have been set up' "$RUN/php-fpm.log" | sed 's/.*: //'); $(grep -c 'exited on signal 15' "$RUN/php-fpm.log") SIGTERM exits, $(grep -c 'initiating reload' "$RUN/php-fpm.log") emergency restarts (threshold 3 in 10 s)"
done
FPM_ER_THRESHOLD=0
TERMINATE=0
for lim in 1 2; do
	want limit || break
	SERVER=gunicorn WORKERS=1 GUNICORN_TIMEOUT=$lim
	server "gun-limit-$lim"
	ends=""
	for i in $(seq 6); do ends="$ends $(t "$VS_URL?hang=1" | cut -d' ' -f2)"; sleep 0.$((RANDOM % 9)); done
	say "gunicorn timeout=$lim: hanging requests ended (502) after$ends s"
done
vs_stop_all
mv "$out.tmp" "$out"
