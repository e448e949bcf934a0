#!/usr/bin/env bash
# Submits a poolsim sweep to Slurm: a job array running one shard per task,
# and a merge job that starts once every task has succeeded.
#
#   submit.sh [-n SHARDS] [-k MAX] [-c CPUS] [-o DIR] [-b POOLSIM] EXPERIMENT [-- SBATCH_OPTION...]
#
#   -n SHARDS   split the sweep into SHARDS array tasks, 2 or more (default 8)
#   -k MAX      run at most MAX tasks at once (default: as many as fit)
#   -c CPUS     CPUs per task, the --parallel of each shard (default 1)
#   -o DIR      write DIR/shard-I, DIR/merged and DIR/logs (default out/NAME)
#   -b POOLSIM  the poolsim binary the jobs run (default: poolsim on PATH);
#               it, EXPERIMENT and DIR must be on a file system every node sees
#
# EXPERIMENT is an experiment file or the name of a shipped experiment.
# Options after -- go to both sbatch calls (such as --partition=batch or
# --time=1:00:00); sbatch's SBATCH_* environment variables work too.
# Prints the two job ids. See ../README.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
usage() {
	sed -n '5p' "$0" | sed 's/^#   //' >&2
	echo "run with -h for the options" >&2
	exit 2
}
die() {
	echo "submit.sh: $*" >&2
	exit 1
}

shards=8 max="" cpus=1 out="" poolsim=""
while getopts 'n:k:c:o:b:h' opt; do
	case $opt in
	n) shards=$OPTARG ;;
	k) max=$OPTARG ;;
	c) cpus=$OPTARG ;;
	o) out=$OPTARG ;;
	b) poolsim=$OPTARG ;;
	h)
		sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
experiment=$1
shift
if [ $# -gt 0 ]; then
	[ "$1" = "--" ] || usage
	shift
fi
extra=("$@")

isint() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
if ! isint "$shards" || [ "$shards" -lt 2 ]; then
	die "-n $shards: the number of shards must be 2 or more (for one, run poolsim sweep itself)"
fi
[ -z "$max" ] || isint "$max" || die "-k $max: must be a positive integer"
isint "$cpus" || die "-c $cpus: must be a positive integer"

# Absolute paths: the jobs may start in another directory, on another node.
if [ -z "$poolsim" ]; then
	poolsim=$(command -v poolsim) || die "no poolsim on PATH: build it (go build -o DIR/poolsim ./cmd/poolsim) and give it with -b"
fi
[ -x "$poolsim" ] || die "$poolsim: not an executable"
poolsim=$(realpath "$poolsim")
if [ -f "$experiment" ]; then
	experiment=$(realpath "$experiment")
fi
# Check the experiment now rather than in every task.
"$poolsim" validate "$experiment" >/dev/null || die "$experiment: not a valid experiment (see above)"
if [ -z "$out" ]; then
	name=$(basename "$experiment")
	out=out/${name%.toml}
fi
mkdir -p "$out/logs"
out=$(realpath "$out")
for d in "$out"/merged "$out"/shard-*; do
	[ ! -e "$d" ] || die "$out already holds a sweep ($d): choose another -o DIR or remove it"
done

array=0-$((shards - 1))
[ -z "$max" ] || array+=%$max
sweep=$(sbatch --parsable --array="$array" --cpus-per-task="$cpus" \
	--output="$out/logs/sweep-%A_%a.out" ${extra[@]+"${extra[@]}"} \
	"$here/sweep.sbatch" "$poolsim" "$experiment" "$shards" "$out")
sweep=${sweep%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$sweep" --kill-on-invalid-dep=yes \
	--output="$out/logs/merge-%j.out" ${extra[@]+"${extra[@]}"} \
	"$here/merge.sbatch" "$poolsim" "$shards" "$out") || {
	scancel "$sweep" || true
	die "could not submit the merge job; the sweep job $sweep is cancelled"
}
merge=${merge%%;*}

echo "sweep job $sweep: $shards shards into $out/shard-0 … shard-$((shards - 1))"
echo "merge job $merge: after job $sweep succeeds, into $out/merged"
echo "logs in $out/logs; watch with: squeue -j $sweep,$merge"
