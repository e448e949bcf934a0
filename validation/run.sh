#!/bin/bash
# Runs the validation suite: every case (or those named) against the real
# servers, RUNS runs each, then compares with poolsim and regenerates
# docs/validation.md and docs/validation.{svg,png}.
#
#   validation/run.sh                      # every case, 3 runs each (about 14 min)
#   validation/run.sh fpm-load90 gun-crash # some cases
#   RUNS=5 RESULTS=/tmp/r DOC= validation/run.sh fpm-load90
#
# Environment: RUNS (3), RESULTS (validation/results), DOC
# (docs/validation.md; empty: no doc), CHART (docs), REPS (poolsim
# replications, 40), RETRIES (reruns of a disturbed run, 1), DEADLINE
# (seconds after which disturbed runs are not rerun, 720), VS_PRIO (rt:
# servers and generator under SCHED_FIFO 1; nice: at VS_NICE, -5; lib.sh),
# VS_PORT (18461), CI (1: compare exits 1 when a gated
# metric disagrees), LOADGEN_FLAGS (more flags for loadgen, e.g. the
# disturbance gates: -gate-lag-ms 5 -gate-probe-ms 5 -gate-app-ms 10).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-3} REPS=${REPS:-40} RETRIES=${RETRIES:-1} DEADLINE=${DEADLINE:-720}
RESULTS=${RESULTS:-$ROOT/validation/results}
DOC=${DOC-$ROOT/docs/validation.md} CHART=${CHART-$ROOT/docs}

validation/install.sh
TMP=$(mktemp -d /tmp/poolsim-validation.XXXXXX)
chmod 755 "$TMP"
export VS_STATE=$TMP
source validation/lib.sh
cleanup() { vs_stop_all; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
go build -o "$TMP/loadgen" ./validation/loadgen
go build -o "$TMP/compare" ./validation/compare

cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
	for f in validation/cases/*.toml; do cases+=("$(basename "$f" .toml)"); done
fi

# one_run CASE REP OUT: start the servers the case describes, drive them with
# replication REP's workload, stop them.
one_run() (
	local case=$1 rep=$2 out=$3
	local cfg
	cfg=$("$TMP/loadgen" -config -scenario "validation/cases/$case.toml")
	eval "$cfg"
	CRASH_SIGNAL=9
	# shellcheck disable=SC1090
	. "validation/cases/$case.env"
	trap vs_stop_all EXIT
	local run=$TMP/$case-$rep
	rm -rf "$run"
	vs_start "$run"
	VS_RTPRIO=2 vs_prio "$TMP/loadgen" -scenario "validation/cases/$case.toml" -replication "$rep" -url "$VS_URL" \
		-server "$SERVER" -run "$run" -out "$out" -crash-signal "$CRASH_SIGNAL" ${SIGNAL:+-signal "$SIGNAL"} ${LOADGEN_FLAGS:-}
	vs_stop_all
	cp "$run"/*.log "$out"/ 2>/dev/null || true
)

start=$SECONDS
for case in "${cases[@]}"; do
	[ -e "validation/cases/$case.toml" ] || { echo "run.sh: no case $case (validation/cases/$case.toml)" >&2; exit 2; }
	rm -rf "${RESULTS:?}/$case"
	for rep in $(seq 0 $((RUNS - 1))); do
		out=$RESULTS/$case/$rep
		one_run "$case" "$rep" "$out"
		for try in $(seq "$RETRIES"); do
			grep -q '"clean": true' "$out/run.json" && break
			[ $((SECONDS - start)) -lt "$DEADLINE" ] || break
			mv "$out" "$RESULTS/$case/$rep-disturbed-$try"
			one_run "$case" "$rep" "$out"
		done
	done
done
echo "run.sh: real runs took $((SECONDS - start)) s" >&2

args=(-results "$RESULTS" -reps "$REPS" -only "$(IFS=,; echo "${cases[*]}")")
[ -n "$DOC" ] && args+=(-doc "$DOC")
[ -n "$CHART" ] && args+=(-chart "$CHART")
[ "${CI:-0}" = 1 ] && args+=(-ci)
"$TMP/compare" "${args[@]}"
