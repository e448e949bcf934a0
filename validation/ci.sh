#!/bin/bash
# The validation suite's CI subset (under 5 minutes): one php-fpm case and
# one gunicorn case, 5 runs each, into a temporary directory; exits 1 when a
# gated metric (GATE in the case's .env) disagrees with poolsim beyond its
# interval (each at Bonferroni's level, so that all together hold at 95 %),
# or its interval is wider than ±50 % of poolsim's mean (too few clean runs
# to judge). poolsim predicts with the per-request cost measured in the same
# runs (README.md). For .ci/run: validation/ci.sh
set -euo pipefail
dir=$(mktemp -d /tmp/poolsim-validation-ci.XXXXXX)
trap 'rm -rf "$dir"' EXIT
RESULTS=$dir DOC= CHART= CI=1 RUNS=${RUNS:-5} DEADLINE=${DEADLINE:-220} \
	"$(dirname "$0")/run.sh" fpm-load90 gun-load90
