#!/usr/bin/env bash
# Integration test of poolsim on a real Slurm: a sharded sweep, submitted
# with submit.sh as a job array plus a dependent merge job, must give the
# same tables and charts, byte for byte, as the same sweep run in one piece.
#
#   sudo deploy/slurm/integration-test.sh
#
# It runs as root and needs Debian or Ubuntu: it installs slurm-wlm and munge
# with apt-get if they are missing, then starts a one-node cluster by hand
# (no systemd): munged, slurmctld and slurmd on 127.0.0.1, with their
# configuration, key, state and logs in a temporary directory and their own
# ports, so that it touches no Slurm or munge already on the machine. The
# daemons it started are stopped and the directory removed on exit.
#
# It never skips: whatever it cannot do (install, start, submit, compare)
# fails the test with a message and the logs.
#
# Environment:
#   POOLSIM_SLURM_SHARDS    shards of the test sweep (default 5)
#   POOLSIM_SLURM_TIMEOUT   seconds to wait for the jobs (default 120)
#   POOLSIM_SLURM_PORT      slurmctld's port; slurmd's is the next (default: the
#                           first free pair from 16817 on, probed on 127.0.0.1)
#   POOLSIM_SLURM_KEEP=1    keep the temporary directory
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
experiment=$here/testdata/shards.toml
shards=${POOLSIM_SLURM_SHARDS:-5}
timeout=${POOLSIM_SLURM_TIMEOUT:-120}
ctld_port=${POOLSIM_SLURM_PORT:-}

step() { printf '== %s [%ds]\n' "$*" "$SECONDS"; }
fail() {
	echo "slurm integration test FAILED: $*" >&2
	exit 1
}

tmp="" jobs=() pids=()
show_logs() {
	[ -n "$tmp" ] || return 0
	local f
	for f in "$tmp"/log/* "$tmp"/sharded/logs/*; do
		[ -f "$f" ] || continue
		echo "---- $f (last 40 lines)" >&2
		tail -n 40 "$f" >&2
	done
}
cleanup() {
	local rc=$? pid i
	trap - EXIT INT TERM
	if [ ${#jobs[@]} -gt 0 ]; then
		scancel "${jobs[@]}" 2>/dev/null || true
		# Let slurmd end the job steps before it stops.
		for _ in $(seq 20); do
			[ -z "$(squeue -h -j "$(IFS=,; echo "${jobs[*]}")" 2>/dev/null)" ] && break
			sleep 0.25
		done
	fi
	# Stop the daemons in reverse order of their start: slurmd, slurmctld, munged.
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
		pid=${pids[i]}
		kill "$pid" 2>/dev/null || continue
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	done
	if [ -n "$tmp" ]; then
		if [ "${POOLSIM_SLURM_KEEP:-}" = 1 ]; then
			echo "kept $tmp" >&2
		else
			rm -rf "$tmp"
		fi
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ "$(id -u)" = 0 ] || fail "run it as root: it installs slurm-wlm and munge and starts their daemons"
[[ $shards =~ ^[1-9][0-9]*$ ]] || fail "POOLSIM_SLURM_SHARDS=$shards: not a positive integer"
command -v go >/dev/null || fail "go is not on PATH"

step "Slurm and munge"
missing=()
for cmd in munged munge unmunge slurmctld slurmd sbatch squeue sinfo scancel; do
	command -v "$cmd" >/dev/null || missing+=("$cmd")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "missing: ${missing[*]}; installing slurm-wlm and munge"
	command -v apt-get >/dev/null || fail "no apt-get: install slurm-wlm and munge (Slurm and MUNGE) by hand"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null || fail "apt-get update failed"
	apt-get install -y -q --no-install-recommends slurm-wlm munge >/dev/null ||
		fail "apt-get install slurm-wlm munge failed"
	for cmd in "${missing[@]}"; do
		command -v "$cmd" >/dev/null || fail "$cmd is still missing after installing slurm-wlm and munge"
	done
fi
id munge >/dev/null 2>&1 || fail "there is no munge user (the munge package creates it)"
slurmctld -V

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -n "$ctld_port" ]; then
	for port in "$ctld_port" "$((ctld_port + 1))"; do
		if port_in_use "$port"; then
			fail "port $port is in use: set POOLSIM_SLURM_PORT to a free pair of ports"
		fi
	done
else
	# The first free pair from 16817 on: another cluster, or another run of
	# this test, may hold the default.
	ctld_port=16817
	while port_in_use "$ctld_port" || port_in_use "$((ctld_port + 1))"; do
		ctld_port=$((ctld_port + 2))
		[ "$ctld_port" -lt 17817 ] || fail "no free pair of ports in 16817-17817: set POOLSIM_SLURM_PORT"
	done
fi
slurmd_port=$((ctld_port + 1))
echo "slurmctld on 127.0.0.1:$ctld_port, slurmd on $slurmd_port"

# munged runs as the munge user: it must reach its files, but no other user
# may write them.
tmp=$(mktemp -d /tmp/poolsim-slurm.XXXXXX)
chmod 755 "$tmp"
mkdir -p "$tmp"/{log,state,spool,munge}
chown munge:munge "$tmp/munge"
chmod 755 "$tmp/munge"

step "munged"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chown munge:munge "$tmp/munge/munge.key"
chmod 400 "$tmp/munge/munge.key"
socket=$tmp/munge/munge.socket
runuser -u munge -- munged --foreground \
	--socket="$socket" --key-file="$tmp/munge/munge.key" \
	--pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/munged.seed" \
	--log-file="$tmp/munge/munged.log" >"$tmp/log/munged.out" 2>&1 &
pids+=($!) # runuser's
for _ in $(seq 50); do
	[ -S "$socket" ] && break
	kill -0 "${pids[-1]}" 2>/dev/null || break
	sleep 0.1
done
if [ -s "$tmp/munge/munged.pid" ]; then
	pids+=("$(cat "$tmp/munge/munged.pid")") # munged's, stopped first
fi
if ! munge --socket="$socket" -n | unmunge --socket="$socket" >/dev/null; then
	cat "$tmp/log/munged.out" "$tmp/munge/munged.log" >&2 2>/dev/null || true
	fail "munged does not work (munge -n | unmunge failed)"
fi

step "slurmctld and slurmd"
node=$(hostname -s)
cpus=$(nproc)
memory=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
export SLURM_CONF=$tmp/slurm.conf
cat >"$SLURM_CONF" <<EOF
# One node on 127.0.0.1, everything in $tmp.
ClusterName=poolsimtest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
# Start a job a second after the one before ends, not three (the default).
SchedulerParameters=batch_sched_delay=0
MpiDefault=none
ReturnToService=2
SlurmctldPidFile=$tmp/state/slurmctld.pid
SlurmdPidFile=$tmp/state/slurmd.pid
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D >"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D >"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
state=""
for _ in $(seq 60); do
	for pid in "${pids[@]}"; do
		kill -0 "$pid" 2>/dev/null || {
			show_logs
			fail "a daemon exited at start-up (see its log above)"
		}
	done
	state=$(sinfo -h -N -n "$node" -o %t 2>/dev/null || true)
	[ "$state" = idle ] && break
	sleep 0.5
done
if [ "$state" != idle ]; then
	sinfo -N -l >&2 || true
	show_logs
	fail "node $node is not idle after 30 s (state: ${state:-none})"
fi
sinfo -N

step "build poolsim"
(cd "$root" && go build -o "$tmp/poolsim" ./cmd/poolsim) || fail "go build ./cmd/poolsim failed"
help=$("$tmp/poolsim" sweep -h 2>&1) || true
grep -q -- -shard-index <<<"$help" || fail "poolsim sweep has no --shards/--shard-index"
"$tmp/poolsim" help merge >/dev/null 2>&1 || fail "poolsim has no merge command"

step "submit $shards shards and the merge"
submitted=$("$here/submit.sh" -n "$shards" -k "$cpus" -b "$tmp/poolsim" -o "$tmp/sharded" "$experiment") ||
	fail "submit.sh failed"
echo "$submitted"
sweep=$(awk '/^sweep job/ { sub(":", "", $3); print $3 }' <<<"$submitted")
merge=$(awk '/^merge job/ { sub(":", "", $3); print $3 }' <<<"$submitted")
[[ $sweep =~ ^[0-9]+$ && $merge =~ ^[0-9]+$ ]] || fail "no job ids in submit.sh's output"
jobs=("$sweep" "$merge")

# The sweep in one piece, while Slurm runs the shards.
step "the same sweep, unsharded"
"$tmp/poolsim" sweep "$experiment" -o "$tmp/local" -q >/dev/null || fail "the unsharded sweep failed"

step "wait for jobs $sweep (array) and $merge (merge)"
deadline=$((SECONDS + timeout))
while :; do
	# Every task of the array on its own line; finished jobs stay listed
	# for MinJobAge (5 min).
	listing=$(squeue -h -r --states=all -j "$sweep,$merge" -o '%i %T %r') || fail "squeue failed"
	if grep -Eq ' (FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED) ' <<<"$listing"; then
		echo "$listing" >&2
		show_logs
		fail "a job failed"
	fi
	if grep -q "^$merge COMPLETED " <<<"$listing"; then
		break
	fi
	if ((SECONDS > deadline)); then
		echo "$listing" >&2
		show_logs
		fail "the jobs did not finish within $timeout s"
	fi
	sleep 0.5
done
jobs=()
done_tasks=$(grep -c "^${sweep}_[0-9]* COMPLETED " <<<"$listing" || true)
[ "$done_tasks" = "$shards" ] || {
	echo "$listing" >&2
	fail "$done_tasks of $shards array tasks completed"
}

step "compare"
# Each shard ran its part only: together, every run once.
rows=0
for ((i = 0; i < shards; i++)); do
	f=$tmp/sharded/shard-$i/results.csv
	[ -f "$f" ] || fail "shard $i wrote no results.csv"
	rows=$((rows + $(tail -n +2 "$f" | wc -l)))
done
want=$(($(wc -l <"$tmp/local/results.csv") - 1))
[ "$rows" = "$want" ] || fail "the shards hold $rows runs, the unsharded sweep $want"

compared=()
for f in results.csv summary.csv compare.csv precision.csv; do
	[ -f "$tmp/local/$f" ] || continue
	cmp "$tmp/local/$f" "$tmp/sharded/merged/$f" || fail "$f differs between the merged and the unsharded sweep"
	compared+=("$f")
done
if [ -d "$tmp/local/charts" ]; then
	for f in "$tmp"/local/charts/*; do
		name=charts/$(basename "$f")
		cmp "$f" "$tmp/sharded/merged/$name" || fail "$name differs between the merged and the unsharded sweep"
		compared+=("$name")
	done
fi
[ ${#compared[@]} -ge 2 ] || fail "nothing to compare: the unsharded sweep wrote no tables"

step "ok: $shards shards on Slurm, merged, identical to the unsharded sweep (${compared[*]})"
